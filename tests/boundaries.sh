#!/bin/sh
# Date boundaries, as tables read from the rules data: every date decision
# of the audit and the planner is run on the day before, the day of and the
# day after its date, so that each < and <= is pinned (tests/mutations.txt
# lists the mutants these kill). Run from the repository root.
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
LC_ALL=C TZ=UTC
export LC_ALL TZ
unset SOURCE_DATE_EPOCH NO_COLOR
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
R=rules

# val FILE ANCHOR KEY: the first "KEY: value" after the line matching ANCHOR.
val() {
	awk -v a="$2" -v k="$3" '$0 ~ a {on = 1} on && $1 == k":" {print $2; exit}' "$1"
}
# patch_date MINOR.PATCH: the release date of that patch in releases.yaml.
patch_date() {
	awk -v v="$1" '{ for (i = 1; i <= NF; i++) if ($i == "{v:" && $(i+1) == v",") { d = $(i+3); sub(/}.*/, "", d); print d; exit } }' $R/data/releases.yaml
}
day() { date -u -d "$1 $2 day" +%F; }

# expect NAME DATE want|absent PATTERN CMD...: CMD's stdout, run with
# --as-of DATE appended, must (want) or must not (absent) match PATTERN.
expect() {
	name=$1 d=$2 mode=$3 pat=$4
	shift 4
	"$SKEWPLAN" "$@" --as-of "$d" >"$tmp/out" 2>"$tmp/err"
	if grep -Eq -- "$pat" "$tmp/out"; then got=want; else got=absent; fi
	if [ "$got" = "$mode" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "boundaries: FAILED: $name on $d: /$pat/ expected $mode, got $got"
		head -5 "$tmp/err"
	fi
}
# around NAME DATE BEFORE ON AFTER PATTERN CMD...: the day before, of and after.
around() {
	a_name=$1 a_d=$2 a_b=$3 a_o=$4 a_a=$5 a_pat=$6
	shift 6
	[ -n "$a_d" ] || { fail=$((fail + 1)); echo "boundaries: FAILED: $a_name: no date in the rules data"; return; }
	expect "$a_name" "$(day "$a_d" -1)" "$a_b" "$a_pat" "$@"
	expect "$a_name" "$a_d" "$a_o" "$a_pat" "$@"
	expect "$a_name" "$(day "$a_d" +1)" "$a_a" "$a_pat" "$@"
}

SEED=fixtures/seed-v1.26.1
# The seed without its package rows: patch-behind then follows the release
# calendar alone. And with its images moved to the frozen registry.
mkdir "$tmp/nopkg" "$tmp/gcr"
cp $SEED/version.txt $SEED/nodes.txt $SEED/images.txt "$tmp/nopkg/"
cp $SEED/version.txt $SEED/nodes.txt $SEED/madison.txt "$tmp/gcr/"
sed 's/registry\.k8s\.io/k8s.gcr.io/' $SEED/images.txt >"$tmp/gcr/images.txt"
J="-f json --rules $R --fail-on never"

legacy_frozen=$(val $R/data/packages.yaml 'id: legacy' frozen)
legacy_removed=$(val $R/data/packages.yaml 'id: legacy' removed)
gcr_frozen=$(val $R/data/registries.yaml 'k8s.gcr.io' frozen)
eol126=$(val $R/data/releases.yaml 'minor: "1.26"' eol)
ga127=$(val $R/data/releases.yaml 'minor: "1.27"' ga)
near_days=$(awk '/version-near-end-of-life/ {on = 1} on && /days:/ {gsub(/[^0-9]/, ""); print; exit}' $R/support/support.yaml)
stale_months=$(awk '/rules-data-stale/ {on = 1} on && /months:/ {gsub(/[^0-9]/, ""); print; exit}' $R/meta/meta.yaml)
compiled=$(val $R/data/releases.yaml '^schema' compiled)

# ---- audit
around "package-repo-legacy from the legacy freeze day" "$legacy_frozen" \
	absent want want '"rule":[[:space:]]*"package-repo-legacy"' audit $J $SEED
around "image-frozen-registry from the registry freeze day" "$gcr_frozen" \
	absent want want '"rule":[[:space:]]*"image-frozen-registry"' audit $J "$tmp/gcr"
around "patch-behind from 1.26.2's release day" "$(patch_date 1.26.2)" \
	absent want want '"rule":[[:space:]]*"patch-behind"' audit $J "$tmp/nopkg"
around "version-end-of-life the day after 1.26's EOL" "$eol126" \
	absent absent want '"rule":[[:space:]]*"version-end-of-life"' audit $J "$tmp/nopkg"
[ -n "$near_days" ] && around "version-near-end-of-life $near_days days before EOL" \
	"$(day "$eol126" "-$near_days")" absent want want \
	'"rule":[[:space:]]*"version-near-end-of-life"' audit $J "$tmp/nopkg"
# Near end of life through the EOL day itself, end of life from the day
# after; the three-newest-minors check stops at end of life too.
around "version-near-end-of-life through 1.26's EOL day" "$eol126" \
	want want absent '"rule":[[:space:]]*"version-near-end-of-life"' audit $J "$tmp/nopkg"
around "version-outside-support-window until 1.26's EOL, then end of life" "$eol126" \
	want want absent '"rule":[[:space:]]*"version-outside-support-window"' audit $J "$tmp/nopkg"
# rules-data-stale: from the day after compiled + N months.
stale_day=$(date -u -d "$compiled +$stale_months month" +%F)
around "rules-data-stale after compiled + $stale_months months" "$stale_day" \
	absent absent want '"rule":[[:space:]]*"rules-data-stale"' audit $J "$tmp/nopkg"
# A waiver holds on its expiry day, and waiver-expired starts the day after.
wexp=2024-06-30
cat >"$tmp/waivers.yaml" <<W
- rule: package-repo-legacy
  subject: "https://apt.kubernetes.io *"
  reason: boundary test
  owner: tests
  expires: $wexp
W
around "a waiver holds through its expiry day" "$wexp" \
	absent absent want '"rule":[[:space:]]*"waiver-expired"' \
	audit $J --waivers "$tmp/waivers.yaml" $SEED

# version-outside-support-window: 1.26 is one of the three newest minors
# until 1.29's GA day.
ga129=$(val $R/data/releases.yaml 'minor: "1.29"' ga)
around "1.26 leaves the three newest minors on 1.29's GA day" "$ga129" \
	absent want want '"rule":[[:space:]]*"version-outside-support-window"' audit $J "$tmp/nopkg"

# Skew bounds (not dates, the same kind of < and <=): kubectl one minor
# newer than the apiserver is inside the policy, two is not.
for v in 27 28; do
	mkdir "$tmp/kubectl$v"
	cp "$tmp/nopkg/"* "$tmp/kubectl$v/"
	printf 'Client Version: v1.%s.0\nServer Version: v1.26.1\n' "$v" >"$tmp/kubectl$v/version.txt"
done
expect "kubectl one minor newer is allowed" 2024-01-01 absent \
	'"rule":[[:space:]]*"kubectl-skew"' audit $J "$tmp/kubectl27"
expect "kubectl two minors newer is skew" 2024-01-01 want \
	'"rule":[[:space:]]*"kubectl-skew"' audit $J "$tmp/kubectl28"

# kubectl one minor older than the apiserver is inside the policy, two is not.
for v in 25 24; do
	mkdir "$tmp/kubectl$v"
	cp "$tmp/nopkg/"* "$tmp/kubectl$v/"
	printf 'Client Version: v1.%s.0\nServer Version: v1.26.1\n' "$v" >"$tmp/kubectl$v/version.txt"
done
expect "kubectl one minor older is allowed" 2024-01-01 absent \
	'"rule":[[:space:]]*"kubectl-skew"' audit $J "$tmp/kubectl25"
expect "kubectl two minors older is skew" 2024-01-01 want \
	'"rule":[[:space:]]*"kubectl-skew"' audit $J "$tmp/kubectl24"

# A kubelet two minors older than a 1.29 apiserver is inside the policy
# (and stays inside after the next minor), three is at the limit (a
# warning), four is too old (an error).
for v in 27 26 25; do
	mkdir "$tmp/kubelet$v"
	printf 'Client Version: v1.29.0\nServer Version: v1.29.0\n' >"$tmp/kubelet$v/version.txt"
	sed -e "s/v1\.26\.1/v1.$v.0/g" -e "0,/v1\.$v\.0/s//v1.29.0/" $SEED/nodes.txt >"$tmp/kubelet$v/nodes.txt"
done
expect "a kubelet three minors older than 1.29 is at the limit" 2024-03-01 absent \
	'"rule":[[:space:]]*"kubelet-too-old"' audit $J "$tmp/kubelet26"
expect "a kubelet three minors older than 1.29 is at the limit" 2024-03-01 want \
	'"rule":[[:space:]]*"kubelet-at-skew-limit"' audit $J "$tmp/kubelet26"
expect "a kubelet four minors older than 1.29 is too old" 2024-03-01 want \
	'"rule":[[:space:]]*"kubelet-too-old"' audit $J "$tmp/kubelet25"
expect "a kubelet two minors older than 1.29 is not at the limit" 2024-03-01 absent \
	'"rule":[[:space:]]*"kubelet-at-skew-limit"' audit $J "$tmp/kubelet27"

# HA kube-apiservers one minor apart (mid-upgrade) are allowed, two are not.
HAM=fixtures/ha-mid-upgrade-1.29
mkdir "$tmp/ha2"
cp $HAM/version.txt $HAM/nodes.txt "$tmp/ha2/"
sed 's/kube-apiserver:v1\.28\.15/kube-apiserver:v1.27.16/' $HAM/pods.txt >"$tmp/ha2/pods.txt"
expect "kube-apiservers one minor apart are allowed" 2024-12-01 absent \
	'"rule":[[:space:]]*"apiserver-ha-skew"' audit $J $HAM
expect "kube-apiservers two minors apart are skew" 2024-12-01 want \
	'"rule":[[:space:]]*"apiserver-ha-skew"' audit $J "$tmp/ha2"

# The newest minor in the release data is known; the one after it is not.
last=$(awk '/^  - minor: "1\./ {m = $3} END {gsub(/"/, "", m); print m}' $R/data/releases.yaml)
next="1.$((${last#1.} + 1))"
for v in "$last" "$next"; do
	mkdir "$tmp/v$v"
	cp "$tmp/nopkg/nodes.txt" "$tmp/nopkg/images.txt" "$tmp/v$v/"
	printf 'Client Version: v%s.0\nServer Version: v%s.0\n' "$v" "$v" >"$tmp/v$v/version.txt"
done
expect "the newest minor of the data ($last) is known" 2027-01-01 absent \
	'"rule":[[:space:]]*"version-unknown"' audit $J "$tmp/v$last"
expect "the minor after the data ($next) is unknown" 2027-01-01 want \
	'"rule":[[:space:]]*"version-unknown"' audit $J "$tmp/v$next"

# patch-behind from the 2026 release days kubernetes.io gives (issue 8):
# 1.36.1 on 2026-05-13, a day after the other branches, and 1.37.1.
for v in 36 37; do
	mkdir "$tmp/v1$v"
	printf 'Client Version: v1.%s.0\nServer Version: v1.%s.0\n' "$v" "$v" >"$tmp/v1$v/version.txt"
	sed "s/v1\.26\.1/v1.$v.0/g" $SEED/nodes.txt >"$tmp/v1$v/nodes.txt"
	around "patch-behind for 1.$v.0 from 1.$v.1's release day" "$(patch_date 1.$v.1)" \
		absent want want '"rule":[[:space:]]*"patch-behind"' audit $J "$tmp/v1$v"
done

# ---- plan
P="plan --rules $R"
around "the plan leaves the legacy repository on its removal day" "$legacy_removed" \
	absent want want 'Move every node from the legacy repository' $P --to 1.26.3 $SEED
around "a patch is a target from its release day" "$(patch_date 1.26.3)" \
	absent want want 'Upgrade plan: v1\.26\.1 -> v1\.26\.3' $P --to latest-patch "$tmp/nopkg"
around "a minor is a target from its GA day" "$ga127" \
	absent want want 'Upgrade plan: v1\.26\.1 -> v1\.27\.' $P --to 1.27 $SEED
around "--to latest is the newest minor from its GA day" "$ga127" \
	absent want want 'Upgrade plan: v1\.26\.1 -> v1\.27\.' $P --to latest "$tmp/nopkg"
# The last expiry of the pkgs.k8s.io signing keys (the v1.28+ row): a key
# is valid to the day before; from that day no key is known, the plan warns
# and lists the key it fetches before apt-get update / the makecache.
key_expires=$(val $R/data/packages.yaml 'since_minor: "1.28"' expires)
around "no signing key is known from the last key's expiry day" "$key_expires" \
	absent want want 'plan-signing-key-unknown' $P --to 1.27 $SEED
around "the switch lists the key before apt-get update from that day" "$key_expires" \
	absent want want '^    \$ gpg --show-keys /etc/apt/keyrings/kubernetes-apt-keyring\.gpg \| awk' \
	$P --to 1.27 $SEED
around "the rpm switch lists the key before the makecache from that day" "$key_expires" \
	absent want want 'repomd\.xml\.key \| gpg --show-keys \| awk' $P --to 1.29 fixtures/rpm-1.28
# The captured legacy kubeadm rows (1.26.0 to 1.26.3) are what the
# repository offers until the day it is removed; from that day the target
# comes from the release data.
around "captured legacy rows stop counting on the removal day" "$legacy_removed" \
	want absent absent 'Upgrade plan: v1\.26\.1 -> v1\.26\.3 ' $P --to latest-patch $SEED
# Between its freeze and its removal the legacy repository still holds
# the patches released by the freeze day: the 1.26 patch of that day needs
# no switch of repository, the next one does.
frozen_patch=$(awk -v d="$legacy_frozen" '{ for (i = 1; i <= NF; i++) if ($i == "{v:" && $(i+1) ~ /^1\.26\./ && $(i+3) == d"},") { v = $(i+1); sub(/,$/, "", v); print v; exit } }' $R/data/releases.yaml)
before_removal=$(day "$legacy_removed" -1)
if [ -n "$frozen_patch" ]; then
	expect "the legacy repository keeps $frozen_patch (released on its freeze day)" \
		"$before_removal" absent 'Move every node from the legacy repository' \
		$P --to "$frozen_patch" $SEED
	expect "the legacy repository lacks 1.26.$((${frozen_patch##*.} + 1)) (after its freeze)" \
		"$before_removal" want 'Move every node from the legacy repository' \
		$P --to "1.26.$((${frozen_patch##*.} + 1))" $SEED
else
	fail=$((fail + 1)); echo "boundaries: FAILED: no 1.26 patch on the legacy freeze day $legacy_frozen"
fi

# HA kube-apiservers within one minor during a hop: a control plane one
# minor behind the cluster is brought up first (a finishing hop), one only
# a patch behind goes straight to the next minor with the others.
mkdir "$tmp/hapatch"
cp $HAM/* "$tmp/hapatch/"
sed -i 's/v1\.28\.15/v1.29.5/g' "$tmp/hapatch/pods.txt" "$tmp/hapatch/nodes.txt"
expect "a control plane a minor behind is finished before the next minor" 2024-12-01 want \
	'^  1\. v1\.29\.10 -> v1\.29\.10 ' $P --to 1.30 $HAM
expect "a control plane a patch behind goes with the others" 2024-12-01 absent \
	'^  1\. v1\.29\.10 -> v1\.29\.10 ' $P --to 1.30 "$tmp/hapatch"

echo "boundaries: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
