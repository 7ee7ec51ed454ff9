# Item 18: compact one-line JSON (kubectl get --raw /api/v1/nodes, and the
# same for pods and /version) is sniffed by its keys, not by line starts.
printf '%s\n' '{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"cp-1","labels":{"node-role.kubernetes.io/control-plane":""}},"spec":{},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.27.3","kubeProxyVersion":"v1.27.3"}}},{"metadata":{"name":"w-1"},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.26.9"}}}]}' >"$T/nodes.json"
printf '%s\n' '{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"etcd-cp-1","namespace":"kube-system","ownerReferences":[{"kind":"Node","name":"cp-1"}]},"spec":{"nodeName":"cp-1","containers":[{"name":"etcd","image":"registry.k8s.io/etcd:3.5.7-0"}]}}]}' >"$T/pods.json"
printf '%s\n' '$ kubectl get --raw /version' '{"major":"1","minor":"27","gitVersion":"v1.27.3","gitCommit":"25b4e43193bcda6c7328a6d147b1fb73a33f1598","gitTreeState":"clean","buildDate":"2023-06-14T09:47:40Z","goVersion":"go1.20.5","compiler":"gc","platform":"linux/amd64"}' >"$T/version.json"
run 0 inspect -f json "$T/nodes.json" "$T/pods.json" "$T/version.json"
has "$T/out" '"kind": ?"nodes", ?"format"'
has "$T/out" '"name": ?"cp-1"'
has "$T/out" '"name": ?"w-1"'
has "$T/out" '"kubeletVersion": ?"v1.26.9"'
has "$T/out" '"image": ?"registry.k8s.io/etcd:3.5.7-0"'
has "$T/out" '"server": ?\{"gitVersion": ?"v1.27.3"'
