# Issue 15 item 10: plan in every format over the escaping-hostile
# snapshot. A runbook names the snapshot files and its directory (HTML,
# Markdown); a refused plan quotes its evidence paths. None of them holds
# a raw control or bidi byte or a forged finding line, and each shows the
# escaped form of the path.
D=$(sh fixtures/escaping-hostile/generate.sh "$T")
p="plan --to 1.27 --as-of 2024-03-20"
for f in text markdown html json sarif junit; do
	run 0 $p -f $f "$D"
	no_ctl "$T/out" && no_bidi "$T/out" && no_forged "$T/out" &&
		no_ctl "$T/err" && no_bidi "$T/err"
	cp "$T/out" "$T/plan.$f"
done
dir='snap\\x1b\[2J\\x07\\u202e\\x0a  error \[fake-rule\] forged\\u200b'
has "$T/plan.html" "<td><code>[^<]*$dir/pods\.yaml</code></td>"
has "$T/plan.markdown" "snapshot \`[^\`]*$dir\`"
# node-2 NotReady: the plan is refused, with the node table as evidence.
LC_ALL=C sed 's/^node-2   Ready   /node-2   NotReady/' "$D/nodes.txt" >"$T/n"
mv "$T/n" "$D/nodes.txt"
for f in text markdown html json sarif junit; do
	run 1 $p -f $f "$D"
	no_ctl "$T/out" && no_bidi "$T/out" && no_forged "$T/out"
	cp "$T/out" "$T/refused.$f"
done
has "$T/refused.text" "^      evidence: .*/$dir/nodes\.txt:4:1\$"
has "$T/refused.markdown" "evidence: \`[^\`]*/$dir/nodes\.txt:4:1\`"
has "$T/refused.html" "<code>[^<]*/$dir/nodes\.txt:4:1</code>"
has "$T/refused.junit" "^evidence: [^<]*/$dir/nodes\.txt:4:1\$"
has "$T/refused.json" 'snap\\u001b\[2J\\u0007\\u202e\\n  error \[fake-rule\] forged\\u200b/nodes\.txt:4:1"'
