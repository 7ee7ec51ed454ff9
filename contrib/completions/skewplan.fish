# fish completion for skewplan(1) and skewplan-capture(1). Installed by
# `make install` as $(PREFIX)/share/fish/vendor_completions.d/skewplan.fish.

set -l cmds inspect audit plan rules check-rules version help
set -l formats text markdown html json sarif junit codeclimate

complete -c skewplan -f
complete -c skewplan -n "not __fish_seen_subcommand_from $cmds" -a inspect -d 'print the inventory read from a snapshot'
complete -c skewplan -n "not __fish_seen_subcommand_from $cmds" -a audit -d 'check a snapshot against the skew policy'
complete -c skewplan -n "not __fish_seen_subcommand_from $cmds" -a plan -d 'write the upgrade runbook'
complete -c skewplan -n "not __fish_seen_subcommand_from $cmds" -a rules -d 'list the rule catalogue'
complete -c skewplan -n "not __fish_seen_subcommand_from $cmds" -a check-rules -d 'validate a rules directory'
complete -c skewplan -n "not __fish_seen_subcommand_from $cmds" -a version -d 'print the version and the rules data date'
complete -c skewplan -n "not __fish_seen_subcommand_from $cmds" -a help -d 'print the usage of a command'
complete -c skewplan -s h -l help -d 'print the usage'
complete -c skewplan -s V -l version -d 'print the version and the rules data date'
complete -c skewplan -n "__fish_seen_subcommand_from help" -x -a "$cmds"

# Snapshots: files, directories, KIND=FILE.
complete -c skewplan -n "__fish_seen_subcommand_from inspect audit plan" -F
complete -c skewplan -n "__fish_seen_subcommand_from inspect audit plan" -a 'version= kubeadm= nodes= images= packages= metrics= audit= manifests= configz= node-facts=' -d 'force the kind of FILE'

complete -c skewplan -n "__fish_seen_subcommand_from inspect" -s f -l format -x -a 'text json' -d 'output format'
complete -c skewplan -n "__fish_seen_subcommand_from audit plan" -s f -l format -x -a "$formats" -d 'report format on stdout'
complete -c skewplan -n "__fish_seen_subcommand_from audit plan" -s o -l output -r -F -d 'write a report to [FORMAT:]FILE'
complete -c skewplan -n "__fish_seen_subcommand_from audit plan" -l color -x -a 'auto always never' -d 'colour in the text report'
complete -c skewplan -n "__fish_seen_subcommand_from audit plan" -l source-root -x -a '(__fish_complete_directories)' -d 'SARIF paths relative to DIR'
complete -c skewplan -n "__fish_seen_subcommand_from audit plan" -l as-of -x -d 'date YYYY-MM-DD'
complete -c skewplan -n "__fish_seen_subcommand_from inspect audit plan" -l progress -x -a 'auto always never' -d 'progress line for large inputs'
complete -c skewplan -n "__fish_seen_subcommand_from audit plan rules version" -l rules -x -a '(__fish_complete_directories)' -d 'rules directory'
complete -c skewplan -n "__fish_seen_subcommand_from audit" -l waivers -r -F -d 'waivers file'
complete -c skewplan -n "__fish_seen_subcommand_from audit" -l fail-on -x -a 'error warning info new never' -d 'lowest failing severity'
complete -c skewplan -n "__fish_seen_subcommand_from audit" -l baseline -r -F -d 'earlier audit JSON report'
complete -c skewplan -n "__fish_seen_subcommand_from audit" -l near-eol-days -x -d 'days before end of life to warn'
complete -c skewplan -n "__fish_seen_subcommand_from audit" -l target -x -d 'release to judge the APIs in use against'
complete -c skewplan -n "__fish_seen_subcommand_from plan" -l to -x -a 'latest latest-patch' -d 'target version'
complete -c skewplan -n "__fish_seen_subcommand_from plan" -l max-unavailable -x -d 'workers per batch'
complete -c skewplan -n "__fish_seen_subcommand_from plan" -l strict-packages -d 'refuse unverified package versions'
complete -c skewplan -n "__fish_seen_subcommand_from plan" -l full-state -d 'JSON: state after every step'
complete -c skewplan -n "__fish_seen_subcommand_from plan" -l fail-on -x -a 'error warning info never' -d 'refuse the plan on a finding this severe'
complete -c skewplan -n "__fish_seen_subcommand_from plan" -l patch-first -d 'newest patch of the current minor first'
complete -c skewplan -n "__fish_seen_subcommand_from plan" -l strategy -x -a 'default fewest-drains' -d 'how workers follow the control plane'
complete -c skewplan -n "__fish_seen_subcommand_from inspect audit plan" -l strict -d 'unreadable content is an error'
complete -c skewplan -n "__fish_seen_subcommand_from check-rules" -x -a '(__fish_complete_directories)'

complete -c skewplan-capture -s o -x -a '(__fish_complete_directories)' -d 'snapshot directory'
complete -c skewplan-capture -s k -r -F -d 'kubeconfig'
complete -c skewplan-capture -s h -d 'usage'
