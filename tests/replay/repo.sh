# The package repositories of the simulated internet at the as-of date,
# sourced by apt-get, apt-cache and dnf.  Facts (cited in
# /work/shared/reference/k8s-facts.md §6):
#  - pkgs.k8s.io (alias pkgs.kubernetes.io, packages.kubernetes.io) has one
#    repository per minor, core:/stable:/v1.MM/{deb,rpm}/, from v1.24 on,
#    holding the stable patches of that minor released so far; deb
#    revisions -1.1, rpm release 150500.1.1.
#  - apt.kubernetes.io / packages.cloud.google.com (legacy) got the last
#    packages in September 2023 (v1.28.2, v1.27.6, v1.26.9, v1.25.14), none
#    for 1.29+, and were removed on 2024-03-04; deb revision -00, rpm -0.
#  - All pkgs.k8s.io repositories sign with one OBS project key
#    (234654DA9A296436).  It expired on 2024-11-02; its expiry was extended
#    to 2026-12-29, but only the v1.28+ repositories serve the extended copy
#    as Release.key / repomd.xml.key: v1.24-v1.27 still serve the expired
#    one (kubernetes/release#3818, kubernetes/kubernetes#128609,
#    kubernetes/website#49049).  apt and dnf judge the signature by the key
#    they were given, so a v1.24-v1.27 repository verifies with the key
#    fetched from a v1.28+ repository (the workaround in release#3818).
#    Whether the key is extended again before 2026-12-29 is not known.
#    From 2026-12-29 on the stand-in v1.28+ repositories serve a renewed
#    copy valid to 2028-12-29: a hypothesis of the replay, not a fact, so
#    that a plan past the data's last expiry can be replayed at all.  What
#    it shows is that such a runbook fetches the key afresh and lists it
#    before apt-get update or the makecache; not that the real key is
#    renewed, nor when.  The selftest expired-key-listed shows that the
#    listing stops the step on an expired key.
#
# repo_parse URL -> "KIND MINOR FAMILY" (KIND pkgs|legacy|none).
repo_parse() {
	printf '%s\n' "$1" | awk '{
		u = $0
		if (u ~ /^https?:\/\/(pkgs\.k8s\.io|pkgs\.kubernetes\.io|packages\.kubernetes\.io)\/core:\/stable:\/v1\.[0-9]+\/(deb|rpm)\/?/) {
			m = u; sub(/.*stable:\/v1\./, "", m); fam = m; sub(/\/.*/, "", m)
			sub(/^[0-9]+\//, "", fam); sub(/\/.*/, "", fam)
			print "pkgs", m, (fam == "deb" ? "apt" : "rpm"); exit
		}
		if (u ~ /^https?:\/\/apt\.kubernetes\.io\/?$/) { print "legacy 0 apt"; exit }
		if (u ~ /^https?:\/\/packages\.cloud\.google\.com\/yum\/repos\/kubernetes-el7/) { print "legacy 0 rpm"; exit }
		print "none 0 none" }'
}

# repo_check KIND MINOR: why the repository cannot be used at the as-of
# date (prints the reason, returns 1), or returns 0.
repo_check() {
	case $1 in
	pkgs)
		[ "$2" -ge 24 ] || { echo "404  Not Found"; return 1; }
		[ -n "$(released "$2")" ] || { echo "404  Not Found"; return 1; } ;;
	legacy)
		[ "$ASOF" \< 2024-03-04 ] || { echo "404  Not Found"; return 1; } ;;
	*)	echo "404  Not Found"; return 1 ;;
	esac
	return 0
}

# The key a repository serves: "NAME EXPIRES".
repo_key() {
	case $1 in
	pkgs)	if [ "$2" -le 27 ]; then echo "pkgs.k8s.io 2024-11-02"
		elif [ "$ASOF" \< 2026-12-29 ]; then echo "pkgs.k8s.io 2026-12-29"
		else echo "pkgs.k8s.io 2028-12-29"; fi ;;
	legacy)	echo "cloud.google.com 9999-12-31" ;;
	esac
}

# repo_versions KIND MINOR FAMILY: full package versions offered, oldest first.
repo_versions() {
	awk -v kind="$1" -v m="$2" -v fam="$3" -v d="$ASOF" '$2 <= d {
		split($1, v, ".")
		if (kind == "pkgs" && v[2] == m) print $1 (fam == "apt" ? "-1.1" : "-150500.1.1")
		if (kind == "legacy") {
			cap = v[2] == 25 ? 14 : v[2] == 26 ? 9 : v[2] == 27 ? 6 : v[2] == 28 ? 2 : 999
			if (v[2] <= 28 && v[3] <= cap) print $1 (fam == "apt" ? "-00" : "-0")
		} }' "$S/world/releases" | sort -t. -k2,2n -k3,3n
}

# A keyring file is usable for KEYNAME at the as-of date: binary (dearmored)
# unless its name ends in .asc, holding that key, not expired.
keyring_ok() { # FILE KEYNAME -> prints the problem, returns 1
	[ -f "$1" ] || { echo "NO_PUBKEY 234654DA9A296436 (keyring $(unroot "$1") does not exist)"; return 1; }
	case $1 in
	*.asc) grep -q '^-----BEGIN PGP PUBLIC KEY BLOCK-----' "$1" || { echo "keyring $(unroot "$1") is not an armored key"; return 1; } ;;
	*) grep -q '^replay-keyring-binary' "$1" || { echo "The key(s) in the keyring $(unroot "$1") are ignored as the file has an unsupported filetype."; return 1; } ;;
	esac
	exp=$(awk -v k="$2" '$1 == "replay-key" && $2 == k { sub("expires=", "", $3); print $3 }' "$1" | sort | tail -1)
	[ -n "$exp" ] || { echo "NO_PUBKEY 234654DA9A296436 (keyring $(unroot "$1") has no $2 key)"; return 1; }
	[ "$ASOF" \< "$exp" ] || { echo "EXPKEYSIG 234654DA9A296436 (key in $(unroot "$1") expired $exp)"; return 1; }
	return 0
}
