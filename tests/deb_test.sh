#!/bin/sh
# deb_test.sh - the Debian package end to end (issue 14): build it with
# `dpkg-buildpackage -us -uc -b` in a fresh clone of this checkout, check it
# with lintian, `dpkg -i` it, use it from / as a user would (the audit of
# the bundled seed with the installed rules, --version, the man pages, the
# completions, skewplan-capture), then `dpkg -r` it and check that nothing
# is left. Root, Debian, with debhelper and lintian (make test-deb installs
# them). The package is removed on every exit; a skewplan package that was
# installed before is never touched: the test refuses to run.
# Ends "deb: N passed, N failed".
set -u
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "deb: ok: $*"; }
bad() { fail=$((fail + 1)); echo "deb: FAIL: $*"; }
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi
}
finish() {
	echo "deb: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit $?
}
src=$(pwd)
umask 022
tmp=$(mktemp -d)
chmod 755 "$tmp"
installed=0
cleanup() {
	if [ $installed = 1 ]; then
		dpkg -r skewplan >/dev/null 2>&1 || echo "deb: FAIL: dpkg -r skewplan failed; remove it by hand"
		installed=0
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

[ "$(id -u)" = 0 ] || { bad "dpkg -i needs root"; finish; }
for t in dpkg-buildpackage dh lintian git; do
	command -v $t >/dev/null 2>&1 || { bad "$t is missing (make test-deb installs debhelper and lintian)"; finish; }
done
if dpkg -s skewplan >/dev/null 2>&1; then
	bad "a skewplan package is installed already; not replacing it"; finish
fi

git clone -q "$src" "$tmp/skewplan" || { bad "git clone"; finish; }
(cd "$tmp/skewplan" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
if [ $? = 0 ]; then ok "dpkg-buildpackage -us -uc -b"
else bad "dpkg-buildpackage failed:"; tail -30 "$tmp/build.log"; finish; fi
deb=$(ls "$tmp"/skewplan_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && ok "a .deb was written" || { bad "no .deb in $tmp"; finish; }
lintian --fail-on error,warning "$deb" >"$tmp/lintian.log" 2>&1
if [ $? = 0 ]; then ok "lintian: no error or warning"
else bad "lintian:"; cat "$tmp/lintian.log"; fi

dpkg -i "$deb" >"$tmp/install.log" 2>&1
if [ $? = 0 ]; then installed=1; ok "dpkg -i"
else bad "dpkg -i failed:"; cat "$tmp/install.log"; finish; fi

seed=$tmp/skewplan/fixtures/seed-v1.26.1
check "skewplan is /usr/bin/skewplan" [ "$(command -v skewplan)" = /usr/bin/skewplan ]
check "the rules are in /usr/share/skewplan/rules" [ -f /usr/share/skewplan/rules/rulesets.yaml ]
(cd / && skewplan audit --as-of 2023-03-20 --fail-on never "$seed") >"$tmp/audit.txt" 2>"$tmp/audit.err"
rc=$?
if [ $rc = 0 ] && [ ! -s "$tmp/audit.err" ]; then ok "skewplan audit of the seed from / exits 0"
else bad "skewplan audit from / exited $rc:"; cat "$tmp/audit.err"; fi
check "the audit read the installed rules" \
	grep -q 'from /usr/share/skewplan/rules (installed)' "$tmp/audit.txt"
check "the audit found the seed's findings" grep -q '^Summary: ' "$tmp/audit.txt"
(cd / && skewplan plan --to latest-patch --as-of 2023-03-20 "$seed") >"$tmp/plan.txt" 2>&1
check "skewplan plan of the seed from / exits 0" [ $? = 0 ]
check "the runbook has kubeadm upgrade apply" grep -q 'kubeadm upgrade apply' "$tmp/plan.txt"
(cd / && skewplan --version) >"$tmp/version.txt" 2>&1
check "skewplan --version names the installed rules data" \
	grep -q '^rules data compiled .*, from /usr/share/skewplan/rules (installed)$' "$tmp/version.txt"
for page in man1/skewplan.1 man1/skewplan-capture.1 man1/kubectl-skewplan.1 man5/skewplan-rules.5 man5/skewplan-waivers.5; do
	f=/usr/share/man/$page.gz
	check "$f is installed" sh -c "zcat '$f' | grep -q '^\\.TH'"
done
if command -v man >/dev/null 2>&1; then
	check "man -w skewplan finds the page" sh -c "man -w skewplan | grep -q /usr/share/man/man1/skewplan.1"
fi
check "skewplan-capture is /usr/bin/skewplan-capture" [ -x /usr/bin/skewplan-capture ]
check "kubectl-skewplan is /usr/bin/kubectl-skewplan" [ -x /usr/bin/kubectl-skewplan ]
check "kubectl-skewplan passes version to skewplan" sh -c "/usr/bin/kubectl-skewplan version | grep -q '^skewplan '"
check "skewplan-capture -h prints its usage" sh -c "/usr/bin/skewplan-capture -h 2>&1 | grep -qi usage"
check "the bash completion is installed" [ -f /usr/share/bash-completion/completions/skewplan ]
check "the zsh completion is installed" sh -c \
	'[ -f /usr/share/zsh/vendor-completions/_skewplan ] || [ -f /usr/share/zsh/site-functions/_skewplan ]'
check "the fish completion is installed" [ -f /usr/share/fish/vendor_completions.d/skewplan.fish ]
if command -v bash >/dev/null 2>&1; then
	got=$(bash -c '. /usr/share/bash-completion/completions/skewplan
		COMP_WORDS=(skewplan au); COMP_CWORD=1; _skewplan; echo "${COMPREPLY[*]}"' 2>&1)
	check "the installed bash completion completes 'skewplan au'" [ "$got" = audit ]
fi

dpkg -r skewplan >"$tmp/remove.log" 2>&1
if [ $? = 0 ]; then installed=0; ok "dpkg -r skewplan"
else bad "dpkg -r failed:"; cat "$tmp/remove.log"; fi
check "/usr/bin/skewplan is gone" [ ! -e /usr/bin/skewplan ]
check "/usr/share/skewplan is gone" [ ! -e /usr/share/skewplan ]
finish
