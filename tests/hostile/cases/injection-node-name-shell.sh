# A node name carrying a shell command never reaches a runbook. Under
# --strict plan refuses the snapshot with the located error, and writes no
# -o file.
run 3 plan --strict --to 1.25 --as-of 2024-01-01 -o "$T/runbook.md" fixtures/bad/plan-injection/rm-yaml
has "$T/err" "nodes.yaml:20:11: error: invalid node name"
[ ! -e "$T/runbook.md" ] || die "a partial runbook was left behind"
ls -A "$T" | grep -q 'tmp' && die "a temporary file was left behind" || true
# Without it the node is skipped, and a runbook missing a node is no
# runbook: the plan is refused (exit 1) with the input-skipped finding as
# its reason, and the name is nowhere near a command.
run 1 plan --to 1.25 --as-of 2024-01-01 -o "$T/runbook.md" fixtures/bad/plan-injection/rm-yaml
has "$T/runbook.md" "Plan refused"
has "$T/runbook.md" "input-skipped"
grep -q 'kubectl drain' "$T/runbook.md" && die "a refused plan printed commands" || true
