# Shared helpers of the replay stand-ins (tests/replay/bin/*), sourced by
# each of them.  POSIX sh.  The simulated world lives under $REPLAY_STATE:
#
#   asof                      the plan's as-of date (YYYY-MM-DD): "today"
#   world/releases            "1.26.3 2023-03-15" per patch release
#   cluster/version           kubeadm-config ClusterConfiguration kubernetesVersion
#   cluster/etcd cluster/coredns cluster/proxy   versions of etcd (cluster
#                             wide, kubeadm keeps all members equal), CoreDNS
#                             and the kube-proxy DaemonSet
#   cluster/addons-pending    present while apply skipped the addons (HA)
#   cluster/nodes             "NAME ROLE" per node, in kubectl order
#   cluster/cordon/NAME       present while NAME is cordoned
#   cluster/kubelet/NAME      version the running kubelet reports
#   cluster/cp/NAME           "APISERVER CM SCHEDULER ETCD" of NAME's static pods
#   nodes/NAME/root/          NAME's file system (commands are re-rooted here)
#   nodes/NAME/family         apt or rpm
#   nodes/NAME/pkg/PKG        installed package version (full, 1.26.3-00)
#   nodes/NAME/hold/PKG       present while apt-mark holds PKG
#   nodes/NAME/lists/PKG      what the last apt-get update / dnf makecache
#                             fetched: "VERSION URL" per line
#   nodes/NAME/kubelet        active | inactive
#
# $REPLAY_NODE names the node the command runs on, $REPLAY_ROOT is its root.

S=${REPLAY_STATE:?REPLAY_STATE is not set}
N=${REPLAY_NODE:?REPLAY_NODE is not set}
R=$S/nodes/$N/root
ND=$S/nodes/$N
read -r ASOF <"$S/asof"

# "1.26.3-00", "v1.26.3", "1.26.3-150500.1.1" -> 1.26.3 (no forks: these
# run often).
upstream() { _v=${1#v}; _v=${_v%%-*}; printf '%s\n' "${_v%%+*}"; }
minor_of() { _v=${1#v}; _v=${_v#*.}; printf '%s\n' "${_v%%.*}"; }
patch_of() { _v=${1#v}; _v=${_v%%-*}; _v=${_v#*.*.}; printf '%s\n' "${_v%%+*}"; }

# ver_lt A B: upstream A < upstream B (numeric by field).
ver_lt() {
	_a=${1#v}; _a=${_a%%-*}; _b=${2#v}; _b=${_b%%-*}
	_a1=${_a%%.*}; _a=${_a#*.}; _a2=${_a%%.*}; _a3=${_a#*.}
	_b1=${_b%%.*}; _b=${_b#*.}; _b2=${_b%%.*}; _b3=${_b#*.}
	[ "$_a1" -ne "$_b1" ] && { [ "$_a1" -lt "$_b1" ]; return; }
	[ "$_a2" -ne "$_b2" ] && { [ "$_a2" -lt "$_b2" ]; return; }
	[ "$_a3" -lt "$_b3" ]
}

# Patches of minor 1.M released on or before the as-of date, oldest first.
released() {
	awk -v m="1.$1." -v d="$ASOF" 'index($1, m) == 1 && $2 <= d { print $1 }' \
		"$S/world/releases" | sort -t. -k3,3n
}
# Newest patch of minor 1.M released by the as-of date (empty if none).
newest_patch() { released "$1" | tail -1; }

# Display a re-rooted path as the node sees it.
unroot() { printf '%s\n' "$1" | sed "s|^$R||"; }

die() { printf '%s\n' "$*" >&2; exit 1; }

# Stand-in limits are not runbook errors: say so and exit 3, which the
# driver reports as "not modelled" (still a failure: nothing unchecked passes).
not_modelled() { printf 'replay: not modelled: %s\n' "$*" >&2; exit 3; }

is_cp() { awk -v n="$1" '$1 == n && $2 == "control-plane" { f = 1 } END { exit !f }' "$S/cluster/nodes"; }
have_admin_conf() { [ -f "$R/etc/kubernetes/admin.conf" ]; }

# kubeadm's default etcd image tag for a kubeadm version: SupportedEtcdVersion
# in cmd/kubeadm/app/constants/constants.go, which release branches change
# in patch releases.  Values are those `kubeadm config images list` printed
# at each version in real captures (/work/shared/reference/k8s-facts.md §5
# cites them): the minor's .0 value and the first patch seen with a newer
# one, and the back-ports whose cherry-pick PRs rules/data/kubeadm.yaml
# cites (1.28.14/1.29.9/1.30.5 etcd 3.5.15-0, PRs 126399/126397/126395;
# 1.32.10/1.33.6 3.5.24-0, PRs 135019/135018; 1.34.3 3.6.5-0; CoreDNS
# v1.11.3 from 1.30.5, PR 126797).  Past the last confirmed patch the
# last confirmed value is used.  1.37 (etcd 3.7.0-0, CoreDNS v1.14.6) is
# from a kubeadm v1.37.1 capture, as in rules/data/kubeadm.yaml.
etcd_for() {
	awk -v m="$(minor_of "$1")" -v p="$(patch_of "$1")" 'BEGIN {
		t["24"] = "0 3.5.3-0 8 3.5.5-0 9 3.5.6-0"
		t["25"] = "0 3.5.4-0 4 3.5.5-0 5 3.5.6-0 15 3.5.9-0"
		t["26"] = "0 3.5.6-0 10 3.5.9-0 13 3.5.10-0"
		t["27"] = "0 3.5.7-0 7 3.5.9-0 10 3.5.10-0 12 3.5.12-0"
		t["28"] = "0 3.5.9-0 6 3.5.10-0 8 3.5.12-0 14 3.5.15-0"
		t["29"] = "0 3.5.10-0 3 3.5.12-0 9 3.5.15-0"
		t["30"] = "0 3.5.12-0 5 3.5.15-0"
		t["31"] = "0 3.5.15-0 14 3.5.24-0"
		t["32"] = "0 3.5.16-0 10 3.5.24-0"
		t["33"] = "0 3.5.21-0 6 3.5.24-0"
		t["34"] = "0 3.6.4-0 3 3.6.5-0"
		t["35"] = "0 3.6.6-0"
		t["36"] = "0 3.6.8-0"
		t["37"] = "0 3.7.0-0"
		if (!(m in t)) exit 1
		n = split(t[m], f, " ")
		for (i = 1; i < n; i += 2) if (p + 0 >= f[i] + 0) v = f[i + 1]
		print v }'
}
# CoreDNSVersion of a kubeadm version (same sources; coredns/deployment
# kubernetes/CoreDNS-k8s_version.md for <= 1.32).
coredns_for() {
	awk -v m="$(minor_of "$1")" -v p="$(patch_of "$1")" 'BEGIN {
		t["24"] = "0 v1.8.6"; t["25"] = "0 v1.9.3"; t["26"] = "0 v1.9.3"
		t["27"] = "0 v1.10.1"; t["28"] = "0 v1.10.1"; t["29"] = "0 v1.11.1"
		t["30"] = "0 v1.11.1 5 v1.11.3"; t["31"] = "0 v1.11.1 1 v1.11.3"
		t["32"] = "0 v1.11.3"; t["33"] = "0 v1.12.0"; t["34"] = "0 v1.12.1"
		t["35"] = "0 v1.13.1"; t["36"] = "0 v1.14.2"; t["37"] = "0 v1.14.6"
		if (!(m in t)) exit 1
		n = split(t[m], f, " ")
		for (i = 1; i < n; i += 2) if (p + 0 >= f[i] + 0) v = f[i + 1]
		print v }'
}
# etcd tags compare as versions: 3.5.10-0 > 3.5.9-0.
etcd_lt() { ver_lt "$1" "$2"; }
