# A key given twice in one mapping used to keep the last value silently
# (two gitVersions, two images of one container). It is an error naming
# both lines, in snapshots (YAML and JSON) and in rules files alike.
cat >"$T/version.json" <<'Y'
{
  "clientVersion": {"major": "1", "minor": "27", "gitVersion": "v1.27.3"},
  "serverVersion": {
    "major": "1", "minor": "27", "gitVersion": "v1.27.3",
    "gitVersion": "v1.27.9"
  }
}
Y
run 3 inspect "$T/version.json"
has "$T/err" "version.json:5:5: error: duplicate key 'gitVersion' \(first on line 4\)$"
cat >"$T/pod.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
spec:
  containers:
  - name: app
    image: registry.k8s.io/kube-proxy:v1.27.3
    image: registry.k8s.io/kube-proxy:v1.30.0
Y
run 3 inspect "$T/pod.yaml"
has "$T/err" "pod.yaml:10:5: error: duplicate key 'image' \(first on line 9\)$"
cat >"$T/node.yaml" <<'Y'
apiVersion: v1
kind: Node
metadata:
  name: n1
status:
  nodeInfo:
    kubeletVersion: v1.27.3
  conditions:
  - {type: Ready, status: "True", type: MemoryPressure}
Y
run 3 inspect "$T/node.yaml"
has "$T/err" "node.yaml:9:35: error: duplicate key 'type' \(first on line 9\)$"
# A rules file: check-rules refuses it with exit 4.
cp -R rules "$T/rules"
awk '{ print } /^    severity: error$/ && !done { print "    severity: info"; done = 1 }' \
	rules/health/health.yaml >"$T/rules/health/health.yaml"
line=$(grep -n '^    severity: info$' "$T/rules/health/health.yaml" | head -1 | cut -d: -f1)
run 4 check-rules "$T/rules"
has "$T/err" "health.yaml:$line:5: error: duplicate key 'severity' \(first on line $((line - 1))\)$"
