# A node name carrying a shell command never reaches a runbook: plan
# refuses the snapshot with the located error, and writes no -o file.
run 3 plan --to 1.25 --as-of 2024-01-01 -o "$T/runbook.md" fixtures/bad/plan-injection/rm-yaml
has "$T/err" "nodes.yaml:20:11: error: invalid node name"
[ ! -e "$T/runbook.md" ] || die "a partial runbook was left behind"
ls -A "$T" | grep -q 'tmp' && die "a temporary file was left behind" || true
