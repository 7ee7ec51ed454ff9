# Item 2: a line that merely starts with a command word (docker, ssh, echo,
# cat, ...) is data, not a pasted command: nodes, images and custom-columns
# rows named after such words must reach the inventory and the audit.
mkdir "$T/snap"
cp fixtures/seed-v1.26.1/version.txt fixtures/seed-v1.26.1/madison.txt "$T/snap/"
cat >"$T/snap/nodes.txt" <<'X'
NAME              STATUS   ROLES           AGE   VERSION
cp-1              Ready    control-plane   9d    v1.26.1
docker-worker-1   Ready    <none>          9d    v1.26.1
ssh-gw            Ready    <none>          9d    v1.26.1
cat               Ready    <none>          9d    v1.26.1
for               Ready    <none>          9d    v1.26.1
X
cat >"$T/snap/images.txt" <<'X'
registry.k8s.io/kube-apiserver:v1.26.1
docker.io/library/nginx:1.25
echo-server:1.0
X
cat >"$T/cols.txt" <<'X'
NAME                              IMAGES
docker-registry-7d9c5b-x2kq       k8s.gcr.io/registry:2.8
echo-5f6d-abcde                   registry.k8s.io/pause:3.9
X
run 0 inspect -f json "$T/snap" "$T/cols.txt"
for n in cp-1 docker-worker-1 ssh-gw cat for; do
	has "$T/out" "\"name\": ?\"$n\""
done
has "$T/out" '"image": ?"docker.io/library/nginx:1.25"'
has "$T/out" '"image": ?"echo-server:1.0"'
has "$T/out" '"image": ?"k8s.gcr.io/registry:2.8"'
has "$T/out" '"pod": ?"docker-registry-7d9c5b-x2kq"'
has "$T/out" '"image": ?"registry.k8s.io/pause:3.9"'
# The hidden frozen-registry image is reported by the audit.
run 1 audit --as-of 2024-01-01 "$T/snap" "$T/cols.txt"
has "$T/out" 'image-frozen-registry'
has "$T/out" 'k8s.gcr.io/registry:2.8'
has "$T/out" 'cluster: .*, 5 nodes,'
# Pasted commands are still recognised: with a prompt, or as a whole line
# that parses as the command.
cat >"$T/pasted.txt" <<'X'
ssh cp-1 sudo kubeadm config images list
docker images
cat /etc/kubernetes/manifests/*.yaml | grep image:
registry.k8s.io/etcd:3.5.6-0
X
run 0 inspect -f json "$T/pasted.txt"
has "$T/out" '"image": ?"registry.k8s.io/etcd:3.5.6-0"'
[ "$(grep -c '"image":' "$T/out")" = 1 ] || die "pasted commands taken as images"
