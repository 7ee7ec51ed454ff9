# YAML aliases where a value is read used to be skipped, and the fact they
# stood for was lost without a word (serverVersion: *cv read as "no server
# version"; a container "- *c" dropped). They are refused at their
# location (exit 3); aliases are never expanded, so no billion laughs.
cat >"$T/version.yaml" <<'Y'
clientVersion: &cv
  major: "1"
  minor: "27"
  gitVersion: v1.27.3
serverVersion: *cv
Y
run 3 inspect "$T/version.yaml"
has "$T/err" "version.yaml:5:16: error: YAML alias '\*cv' is not supported$"
has "$T/err" "version.yaml:5:16: note: write the value out in full"
cat >"$T/pods.yaml" <<'Y'
apiVersion: v1
kind: List
items:
- kind: Pod
  metadata: {name: a, namespace: default}
  spec:
    nodeName: &n node-1
    containers:
    - &c {name: app, image: "registry.k8s.io/pause:3.9"}
- kind: Pod
  metadata: {name: b, namespace: default}
  spec:
    nodeName: *n
    containers:
    - *c
Y
run 3 inspect "$T/pods.yaml"
has "$T/err" "pods.yaml:13:15: error: YAML alias '\*n' is not supported$"
sed 's/nodeName: \*n/nodeName: node-1/' "$T/pods.yaml" >"$T/pods2.yaml"
run 3 inspect "$T/pods2.yaml"
has "$T/err" "pods2.yaml:15:7: error: YAML alias '\*c' is not supported$"
cat >"$T/nodes.yaml" <<'Y'
apiVersion: v1
kind: NodeList
items:
- kind: Node
  metadata: {name: n1}
  status: {nodeInfo: &ni {kubeletVersion: v1.27.3}}
- kind: Node
  metadata: {name: n2}
  status: {nodeInfo: *ni}
Y
run 3 audit --as-of 2024-01-01 "$T/nodes.yaml"
has "$T/err" "nodes.yaml:9:22: error: YAML alias '\*ni' is not supported$"
