#!/bin/sh
#
# capture.sh - save a read-only snapshot of a kubeadm cluster for skewplan.
#
# Run it on a control-plane node. It only reads: every kubectl call is a
# "get" or "version", and the package queries never install anything.
#
# Each output file begins with one prompt line, "$ <command>", naming the
# command that produced it. skewplan skips prompt lines, and a human reader
# knows where the text came from. Files are written to a temporary name in
# the snapshot directory and renamed into place, so a file is either whole
# or absent.
#
# usage: capture.sh [-o DIR] [-k KUBECONFIG] [-r]
#
# -r also saves the manifest of every Helm release (helm get manifest), for
# the removed-API checks.
#
# For the node prerequisite checks it saves each kubelet's configuration
# (kubectl get --raw /api/v1/nodes/NODE/proxy/configz, read-only; RBAC
# nodes/proxy get) as configz-NODE.json, and prints the command to run on
# each node for what no API shows (cgroup version, swap): their answers go
# into a node-facts.txt the snapshot does not hold yet.

set -eu

prog=${0##*/}

usage() {
	echo "usage: $prog [-o DIR] [-k KUBECONFIG] [-r]" >&2
	exit 2
}

die() {
	echo "$prog: error: $*" >&2
	exit 1
}

warn() {
	echo "$prog: warning: $*" >&2
}

have() {
	command -v "$1" >/dev/null 2>&1
}

outdir=
kubeconfig=
helm_releases=0
while getopts o:k:rh opt; do
	case $opt in
	o) outdir=$OPTARG ;;
	k) kubeconfig=$OPTARG ;;
	r) helm_releases=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage

have kubectl || die "kubectl not found in PATH; run this on a control-plane node with kubectl installed"

if [ -n "$kubeconfig" ]; then
	[ -r "$kubeconfig" ] || die "cannot read kubeconfig '$kubeconfig'"
	KUBECONFIG=$kubeconfig
	export KUBECONFIG
fi

if [ -z "${KUBECONFIG:-}" ] && [ ! -e "${HOME:-/root}/.kube/config" ] &&
    [ -r /etc/kubernetes/admin.conf ]; then
	warn "no KUBECONFIG and no ~/.kube/config; if kubectl cannot reach" \
	    "the cluster, try: $prog -k /etc/kubernetes/admin.conf"
fi

[ -n "$outdir" ] || outdir=skewplan-snapshot-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p -- "$outdir" || die "cannot create directory '$outdir'"

tmp=
cleanup() {
	if [ -n "$tmp" ]; then
		rm -f -- "$tmp" "$tmp.err"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# capture [-a] NAME CMD [ARG...]
#
# Runs CMD and saves the prompt line "$ CMD ARG..." and its stdout to
# DIR/NAME. stderr goes to a side file and is shown on the terminal, so
# kubectl warnings cannot corrupt the YAML. With -a, stderr is kept in the
# file (the prompt line then ends in "2>&1") and the file is kept even when
# CMD fails: "kubectl version" prints the client version before it fails to
# reach the server, and both facts are worth keeping. Otherwise a failing
# command is reported, its file is not written, and the snapshot goes on.
capture() {
	all=0
	if [ "$1" = -a ]; then
		all=1
		shift
	fi
	name=$1
	shift
	tmp=$(mktemp "$outdir/.$name.tmp.XXXXXX") ||
	    die "cannot create a temporary file in '$outdir'"
	errf=$tmp.err
	status=0
	if [ "$all" -eq 1 ]; then
		printf '$ %s 2>&1\n' "$*" >"$tmp"
		"$@" >>"$tmp" 2>&1 || status=$?
		: >"$errf"
	else
		printf '$ %s\n' "$*" >"$tmp"
		"$@" >>"$tmp" 2>"$errf" || status=$?
	fi
	if [ "$status" -eq 0 ] || [ "$all" -eq 1 ]; then
		mv -f -- "$tmp" "$outdir/$name" ||
		    die "cannot write '$outdir/$name'"
		echo "  $name"
		[ "$status" -eq 0 ] ||
		    warn "'$*' exited $status; $name kept, see its contents"
	else
		warn "'$*' exited $status; $name not written"
		failed=$((failed + 1))
	fi
	if [ -s "$errf" ]; then
		[ "$status" -ne 0 ] || warn "'$*' wrote to stderr:"
		tail -n 3 -- "$errf" | sed 's/^/    /' >&2
	fi
	rm -f -- "$errf" "$tmp"
	tmp=
	return 0
}

failed=0
echo "$prog: writing snapshot to $outdir"

capture -a version.yaml kubectl version -o yaml
capture nodes.txt kubectl get nodes -o wide
capture nodes.yaml kubectl get nodes -o yaml
capture control-plane-pods.yaml \
    kubectl -n kube-system get pods -l tier=control-plane -o yaml
capture kube-proxy-pods.yaml \
    kubectl -n kube-system get pods -l k8s-app=kube-proxy -o yaml
# Drain blockers (README "Drain blockers") and the add-ons kubeadm does not
# upgrade (CNI, ingress-nginx, metrics-server, cert-manager) and CoreDNS,
# by the images of their pods and workload templates: read-only, every
# namespace.
capture workloads.yaml \
    kubectl get pods,pdb,deploy,sts,rs,ds -A -o yaml

# Each kubelet's configuration, for the node prerequisites: the cgroup
# driver, failSwapOn, failCgroupV1, the swap behaviour and the runtime
# endpoint. The body does not name the node: the file's "$ ..." line does.
# Optional: a user without nodes/proxy gets a warning, not a failed capture.
nodes=$(sed '1,2d' "$outdir/nodes.txt" 2>/dev/null | while read -r n _; do
	case $n in
	''|*[!a-z0-9.-]*) ;;
	*) echo "$n" ;;
	esac
done)
for n in $nodes; do
	before=$failed
	capture "configz-$n.json" kubectl get --raw "/api/v1/nodes/$n/proxy/configz"
	if [ "$failed" -ne "$before" ]; then
		failed=$before
		warn "no configz of $n (nodes/proxy denied?): the cgroup, swap" \
		    "and runtime endpoint checks report it missing"
	fi
done

# The apiserver's count of requests to deprecated APIs since it started,
# with its start time: the strongest evidence of what the next hop breaks,
# since it covers every client. Filtered: the whole scrape is megabytes.
# The command is one line: it is also the file's "$ ..." prompt line.
deprecated_apis='m=$(kubectl get --raw /metrics) && printf "%s\n" "$m" | grep -E "^(apiserver_requested_deprecated_apis|process_start_time_seconds)[{ ]"'
capture apiserver-deprecated-apis.txt sh -c "$deprecated_apis"

if [ "$helm_releases" -eq 1 ]; then
	if have helm; then
		# NAME and NAMESPACE, the first two columns of the table.
		helm list -A 2>/dev/null | sed 1d | while read -r rel ns _; do
			case $rel$ns in
			*[!a-z0-9.-]*) warn "odd Helm release '$ns/$rel' skipped"
			    continue ;;
			esac
			capture "helm-$ns-$rel.yaml" helm get manifest "$rel" -n "$ns"
		done
	else
		warn "helm not found; Helm release manifests skipped"
	fi
fi

if have kubeadm; then
	capture kubeadm-version.yaml kubeadm version -o yaml
else
	warn "kubeadm not found; kubeadm-version.yaml skipped"
fi

if have apt-cache; then
	capture packages-madison.txt apt-cache madison kubeadm kubelet kubectl
	capture packages-policy.txt apt-cache policy kubeadm kubelet kubectl
elif have dnf; then
	capture packages-yum.txt dnf list --showduplicates \
	    kubeadm kubelet kubectl --disableexcludes=kubernetes
elif have yum; then
	capture packages-yum.txt yum list --showduplicates \
	    kubeadm kubelet kubectl --disableexcludes=kubernetes
else
	warn "no apt-cache, dnf or yum found; package files skipped"
fi

# Quote the directory for the hint only when it needs it, so the usual
# name can be pasted as it is and an unusual one still pastes safely.
case $outdir in
*[!A-Za-z0-9._/+:@-]*)
	qdir="'$(printf '%s' "$outdir" | sed "s/'/'\\\\''/g")'" ;;
*)
	qdir=$outdir ;;
esac

echo
echo "snapshot: $outdir"
echo
if [ -n "$nodes" ]; then
	# What no read-only API shows: run on each node (ssh, a console),
	# append each printed line to node-facts.txt in the snapshot.
	echo "node facts (no API shows them): run on each node and append the"
	echo "line it prints to $qdir/node-facts.txt"
	for n in $nodes; do
		printf '  %s: echo "%s cgroup=$(stat -fc %%T /sys/fs/cgroup/)' "$n" "$n"
		printf ' swap=$(swapon --show --noheadings | grep -q . &&'
		printf ' echo on || echo off)"\n'
	done
	echo "  and, on each, the runtime's cgroup driver as" \
	    "runtime-cgroup-driver=systemd or =cgroupfs"
	echo "  (containerd config dump | grep SystemdCgroup;" \
	    "crio config | grep cgroup_manager)"
	echo
fi
echo "next steps:"
echo "  skewplan audit $qdir"
echo "  skewplan plan --to latest-patch $qdir"

# An incomplete snapshot is still saved, since skewplan can say what is
# missing, but the exit status tells a calling script it is incomplete.
if [ "$failed" -gt 0 ]; then
	warn "$failed command(s) failed; the snapshot is incomplete"
	exit 1
fi
