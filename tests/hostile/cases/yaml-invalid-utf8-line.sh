# libyaml reports a reader error (invalid UTF-8) by byte offset only, and
# it was printed at 1:1. It is now located on its own line and column.
{
	printf 'apiVersion: v1\nkind: List\nitems:\n'
	awk 'BEGIN { for (i = 0; i < 1000; i++) { print "- kind: Pod"; print "  x: y" } }'
	printf '  name: "caf\303\251 \377"\n'
} >"$T/pods.yaml"
run 3 inspect "$T/pods.yaml"
has "$T/err" "pods.yaml:2004:15: error: invalid leading UTF-8 octet$"
# kubectl -o json, with the bad byte far into a 1 MB document.
{
	printf '{"apiVersion": "v1", "kind": "List", "items": [\n'
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"kind\": \"Pod\", \"metadata\": {\"name\": \"p%d\"}},\n", i }'
	printf '{"kind": "Pod", "metadata": {"name": "\377"}}]}\n'
} >"$T/pods.json"
run 3 inspect "images=$T/pods.json"
has "$T/err" "pods.json:20002:39: error: invalid leading UTF-8 octet$"
