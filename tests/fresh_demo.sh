#!/bin/sh
# fresh_demo.sh [--dry-run] - the first `make demo` on a machine without the
# build dependencies works (issue 14: it once failed with "cJSON.h: No such
# file or directory" because the Makefile read the pkg-config flags before
# `make deps` had installed anything; a second run worked).
#
# Real mode (`make test-fresh`; root, Debian): removes the -dev packages and
# scdoc that are installed (dpkg -r, which refuses rather than take other
# packages with it), runs `make demo` in a fresh `git clone` of this
# checkout, and reinstalls exactly what it removed on every exit, failure and
# signal included. Other builds on the machine fail while the packages are
# gone: run it on a CI machine of its own (.ci/run does, after make test).
#
# --dry-run changes nothing on the machine: the same clone and `make demo`
# run with stand-ins first on PATH for dpkg, apt-get and pkg-config that
# report the packages missing until the stand-in apt-get "installs" them.
# Without the flags pkg-config gives, cJSON.h is not found, so a Makefile
# that reads them too early fails here exactly as on a fresh machine. make
# test runs this mode.
#
# Ends "fresh: N passed, N failed".
set -u
dry=0
[ "${1:-}" = --dry-run ] && dry=1
PKGS="libyaml-dev libcjson-dev libpcre2-dev libcmocka-dev scdoc"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "fresh: ok: $*"; }
bad() { fail=$((fail + 1)); echo "fresh: FAIL: $*"; }
finish() {
	echo "fresh: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit $?
}
src=$(pwd)
tmp=$(mktemp -d)
removed=""
restore() {
	if [ -n "$removed" ]; then
		echo "fresh: reinstalling$removed"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $removed >/dev/null ||
			echo "fresh: FAIL: could not reinstall$removed; run: apt-get install -y$removed"
		removed=""
	fi
	rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP

if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	bad "run from a git checkout"; finish
fi
if [ $dry = 1 ]; then
	# Stand-ins: the packages are missing until apt-get installs them.
	real_pc=$(command -v pkg-config)
	mkdir -p "$tmp/bin"
	cat >"$tmp/bin/dpkg" <<EOF
#!/bin/sh
# dpkg -s PKG: not installed, for the packages under test, until apt-get ran.
if [ "\$1" = -s ] && [ ! -e "$tmp/installed" ]; then
	case " $PKGS " in *" \$2 "*) exit 1 ;; esac
fi
exec /usr/bin/dpkg "\$@"
EOF
	cat >"$tmp/bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$tmp/apt.log"
case "\$1" in install) : >"$tmp/installed" ;; esac
exit 0
EOF
	cat >"$tmp/bin/pkg-config" <<EOF
#!/bin/sh
# Before the stand-in apt-get: the libraries are not there.
[ -e "$tmp/installed" ] || exit 1
exec "$real_pc" "\$@"
EOF
	# make deps installs only as root; the simulation is root's first run.
	cat >"$tmp/bin/id" <<EOF
#!/bin/sh
[ "\$1" = -u ] && { echo 0; exit 0; }
exec /usr/bin/id "\$@"
EOF
	chmod +x "$tmp/bin/dpkg" "$tmp/bin/apt-get" "$tmp/bin/pkg-config" "$tmp/bin/id"
	PATH="$tmp/bin:$PATH"
	export PATH
	if pkg-config --exists libcjson; then bad "the stand-in pkg-config still finds libcjson"
	else ok "stand-ins report the packages missing"; fi
else
	if [ "$(id -u)" != 0 ]; then
		bad "the real mode removes packages and needs root (or use --dry-run)"; finish
	fi
	for p in $PKGS; do
		dpkg -s "$p" >/dev/null 2>&1 && removed="$removed $p"
	done
	if [ -n "$removed" ]; then
		echo "fresh: removing$removed"
		# shellcheck disable=SC2086
		if ! dpkg -r $removed >"$tmp/dpkg.log" 2>&1; then
			cat "$tmp/dpkg.log"
			bad "dpkg -r$removed failed (other packages need them?)"; finish
		fi
	fi
	if pkg-config --exists libcjson 2>/dev/null; then bad "libcjson-dev is still installed"
	else ok "the -dev packages are absent"; fi
fi

git clone -q "$src" "$tmp/clone" || { bad "git clone"; finish; }
# The first make demo, as a new user runs it; no -j, no make variables.
(cd "$tmp/clone" && env -u MAKEFLAGS -u MFLAGS make demo) >"$tmp/demo.log" 2>&1
rc=$?
if [ $rc = 0 ]; then ok "the first make demo exits 0"
else bad "the first make demo exited $rc:"; tail -20 "$tmp/demo.log"; fi
if grep -q "No such file or directory" "$tmp/demo.log"; then
	bad "a header or file was missing:"; grep "No such file" "$tmp/demo.log" | head -3
else ok "no missing header"; fi
grep -q '^Summary: ' "$tmp/demo.log" && ok "the demo prints the audit" ||
	bad "no audit summary in the demo output"
grep -qi 'kubeadm upgrade apply' "$tmp/demo.log" && ok "the demo prints the runbook" ||
	bad "no runbook in the demo output"
if [ $dry = 1 ]; then
	grep -q "^apt-get install .*libcjson-dev" "$tmp/apt.log" 2>/dev/null &&
		ok "make deps asked apt-get for the missing packages" ||
		bad "make deps did not run apt-get install (apt.log: $(cat "$tmp/apt.log" 2>/dev/null))"
fi
was_removed=$removed
restore
if [ $dry = 0 ]; then
	for p in $PKGS; do
		case " $was_removed " in *" $p "*) ;; *) continue ;; esac
		dpkg -s "$p" >/dev/null 2>&1 || bad "$p was not reinstalled"
	done
fi
finish
