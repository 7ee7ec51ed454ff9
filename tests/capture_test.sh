#!/bin/sh
# tools/capture.sh against stand-in kubectl, kubeadm and apt-cache
# (tests/capture/bin): what it saves must be exactly what skewplan reads.
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "capture_test: FAILED: $*"; }

# Only the stubs and the base tools: no real kubectl, dnf or yum.
mkdir -p "$tmp/path"
for t in sh cat printf mktemp mv rm mkdir date dirname basename chmod tr sed grep head; do
	p=$(command -v "$t") && ln -s "$p" "$tmp/path/$t"
done
PATH="$PWD/tests/capture/bin:$tmp/path" KUBECONFIG=/dev/null \
	sh tools/capture.sh -o "$tmp/snap" >"$tmp/out" 2>&1 &&
	ok || { bad "capture.sh exited non-zero"; cat "$tmp/out"; }

for f in version.yaml nodes.txt nodes.yaml control-plane-pods.yaml \
	kube-proxy-pods.yaml kubeadm-version.yaml packages-madison.txt \
	packages-policy.txt apiserver-deprecated-apis.txt workloads.yaml \
	configz-cp-1.json configz-w-1.json; do
	if [ -s "$tmp/snap/$f" ] && head -1 "$tmp/snap/$f" | grep -q '^\$ '; then
		ok
	else
		bad "$f missing or without its '\$ command' line"
	fi
done

if "$SKEWPLAN" inspect -f json "$tmp/snap" >"$tmp/inv.json" 2>"$tmp/err"; then
	ok
else
	bad "skewplan inspect refused the snapshot:"; cat "$tmp/err"
fi
# The facts: 2 nodes (kube-proxy from the YAML), 4 control-plane images
# and 2 kube-proxy pods, both versions, kubeadm, 12 package rows.
count() { grep -o "$1" "$tmp/inv.json" | wc -l | tr -d ' '; }
[ "$(count '"kubeProxyVersion":"v1.28.4"')" = 2 ] && ok || bad "nodes"
[ "$(count '"component":"kube-apiserver"')" = 1 ] && ok || bad "apiserver image"
[ "$(count '"component":"kube-proxy"')" = 2 ] && ok || bad "kube-proxy images"
[ "$(count '"gitVersion":"v1.28.4"')" = 3 ] && ok || bad "versions"
[ "$(count '"repoKind":"pkgs.k8s.io"')" -ge 6 ] && ok || bad "packages"
# A kubelet configuration per node, and the per-node command for what no
# API shows.
[ "$(grep -c '^  configz-' "$tmp/out")" = 2 ] && ok || bad "configz per node"
grep -q '^  w-1: echo "w-1 cgroup=$(stat -fc %T /sys/fs/cgroup/)' "$tmp/out" &&
	ok || bad "node-facts command of w-1"
# Only the metric lines are kept, and the deprecated flowcontrol v1beta3
# FlowSchema is found there.
grep -q aggregator_discovery "$tmp/snap/apiserver-deprecated-apis.txt" &&
	bad "metrics not filtered" || ok
"$SKEWPLAN" audit --as-of 2024-01-15 "$tmp/snap" >"$tmp/audit" 2>&1
rc=$?
grep -q 'api-deprecated.*flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema' \
	"$tmp/audit" && ok || bad "deprecated API from the metrics"
if [ $rc -eq 0 ] && ! grep -q 'input-missing' "$tmp/audit"; then
	ok
else
	bad "audit of a full capture: exit $rc or an input reported missing"
	cat "$tmp/audit"
fi
"$SKEWPLAN" plan --to 1.29 --as-of 2024-01-15 "$tmp/snap" >"$tmp/plan" 2>&1 &&
	ok || { bad "plan to 1.29"; cat "$tmp/plan"; }
echo "capture_test: $pass passed, $fail failed"
[ $fail -eq 0 ]
