# Issue 15 item 19: each message says what is true. (Each also has a
# golden case with the exact text; this runs them all under the cap.)
run 2 audit --as-of 1900-01-01 fixtures/seed-v1.26.1
has "$T/err" "from 1970-01-01 to 9999-12-31"
run 1 plan --rules rules --to 1.27 --as-of 2023-03-20 fixtures/seed-v1.26.1
has "$T/out" "1\.27 is a known release, but not yet released on 2023-03-20 \(released 2023-04-11\)"
run 1 plan --rules rules --to 1.26 --as-of 2023-05-20 fixtures/bad/plan-kubelet-newer
has "$T/out" "downgrade kubelet on 'node-3'"
has "$T/out" "Plan to 1\.27\.1 or later"
has "$T/out" "evidence: fixtures/bad/plan-kubelet-newer/nodes.txt:5:1"
hasnt "$T/out" "[Uu]pgrade kubelet on 'node-3' first"
hasnt "$T/out" "plan-nothing-to-do"
run 0 plan --rules rules --to 1.27 --as-of 2023-05-20 fixtures/bad/plan-kubelet-newer
has "$T/out" "plan-repairs-skew\] node-3: the snapshot already breaks the skew policy"
mkdir "$T/wdir"
run 2 audit --waivers "$T/wdir" fixtures/seed-v1.26.1 || run 4 audit --waivers "$T/wdir" fixtures/seed-v1.26.1
has "$T/err" "Is a directory"
run 2 audit --rules '' fixtures/seed-v1.26.1
has "$T/err" "names no directory"
run 0 inspect -- fixtures/seed-v1.26.1
: >"$T/empty.yaml"
run 4 audit --waivers "$T/empty.yaml" fixtures/seed-v1.26.1 || run 2 audit --waivers "$T/empty.yaml" fixtures/seed-v1.26.1
has "$T/err" "expected a YAML list of waivers"
