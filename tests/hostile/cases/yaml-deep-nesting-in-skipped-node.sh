# Nesting over a million deep inside a subtree the walk skips (a Pod's
# labels, a Node's annotations) used to saturate the skip counter, so the
# closing events popped past the frame stack (index -2, a segfault). The
# 64-level limit now holds inside skipped nodes too: a located error,
# exit 3, and nothing written to stdout.
# cap: 60
deep() { awk 'BEGIN { for (i = 0; i < 1000005; i++) printf "- "; print "x" }'; }
{
	printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    a:\n      '
	deep
	printf 'spec:\n  containers:\n  - name: c\n    image: registry.k8s.io/pause:3.9\n'
} >"$T/pod.yaml"
[ "$(wc -c <"$T/pod.yaml")" -gt 2000000 ] || die "pod.yaml is too small"
run 3 inspect "$T/pod.yaml"
# Root map, metadata, labels and a's list: the 65th level is the 62nd '-'.
has "$T/err" "pod.yaml:7:129: error: nesting deeper than 64 levels$"
[ ! -s "$T/out" ] || die "inspect printed a report for a refused input"
{
	printf 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  annotations:\n    a:\n      '
	deep
	printf 'status:\n  nodeInfo:\n    kubeletVersion: v1.27.3\n'
} >"$T/node.yaml"
run 3 inspect "$T/node.yaml"
has "$T/err" "node.yaml:7:129: error: nesting deeper than 64 levels$"
