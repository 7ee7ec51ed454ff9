# Flow nesting (labels: [[[...]]]) inside a skipped subtree escaped the
# 64-level limit, and libyaml's time grows with the square of the flow
# depth: 80,000 levels (a 160 KB file) took 27 s. The walk now stops at the
# limit, long before that, with a located error and exit 3. The cap turns
# the old behaviour into a failure.
# cap: 15
for kind in Pod Node; do
	key=labels
	[ $kind = Node ] && key=annotations
	{
		printf 'apiVersion: v1\nkind: %s\nmetadata:\n  name: n1\n  %s: ' $kind $key
		awk 'BEGIN { for (i = 0; i < 80000; i++) printf "["; for (i = 0; i < 80000; i++) printf "]"; print "" }'
	} >"$T/$kind.yaml"
	run 3 inspect "$T/$kind.yaml"
	# Root map, metadata, the list: the 65th level is the 63rd '['.
	n=$(printf '  %s: ' $key | wc -c)
	has "$T/err" "$kind.yaml:5:$((n + 63)): error: nesting deeper than 64 levels$"
done
# The same shape as kubectl -o json writes it.
{
	printf '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": '
	awk 'BEGIN { for (i = 0; i < 80000; i++) printf "["; for (i = 0; i < 80000; i++) printf "]"; print "}}" }'
} >"$T/pod.json"
run 3 inspect "$T/pod.json"
has "$T/err" "pod.json:1:[0-9]+: error: "
