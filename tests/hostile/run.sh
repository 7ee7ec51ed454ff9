#!/bin/sh
# Hostile-input suite (issue 15). Each tests/hostile/cases/*.sh is one
# reproduction: a POSIX sh script, run from the repository root with
#   SKEWPLAN  the binary under test     T  a fresh scratch directory
# and tests/hostile/lib.sh sourced, that exits 0 when skewplan behaves.
# The runner, not the case, enforces a wall-clock cap per case
# (HOSTILE_CAP seconds, default 120, or the number in a '# cap: N' line of
# the case): a hang is killed and counted as a failure. Nothing is timed.
# Arguments, if any, name the cases to run (default: all, and at least
# as many as are on disk).
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
case $SKEWPLAN in /*) ;; *) SKEWPLAN=$PWD/$SKEWPLAN ;; esac
LC_ALL=C TZ=UTC
export LC_ALL TZ SKEWPLAN
unset SOURCE_DATE_EPOCH NO_COLOR
command -v timeout >/dev/null || { echo "hostile: timeout(1) missing (coreutils)" >&2; exit 1; }
pass=0
fail=0
if [ $# -gt 0 ]; then
	cases=$(for c in "$@"; do echo "tests/hostile/cases/$c.sh"; done)
else
	cases=$(ls tests/hostile/cases/*.sh 2>/dev/null)
fi
want=$(echo "$cases" | grep -c . || true)
[ "$want" -gt 0 ] || { echo "hostile: no cases found (run from the repository root)" >&2; exit 1; }
for c in $cases; do
	name=$(basename "$c" .sh)
	cap=$(sed -n 's/^# cap: *\([0-9][0-9]*\).*/\1/p' "$c" | head -1)
	cap=${cap:-${HOSTILE_CAP:-120}}
	T=$(mktemp -d)
	export T
	timeout -k 5 "$cap" sh -c '. tests/hostile/lib.sh && . "$1"' hostile "$c" \
		>"$T.out" 2>&1 </dev/null
	rc=$?
	if [ $rc = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		if [ $rc = 124 ] || [ $rc = 137 ]; then
			echo "hostile $name: FAILED: killed after ${cap}s (hang)"
		else
			echo "hostile $name: FAILED (exit $rc):"
		fi
		tail -30 "$T.out"
	fi
	rm -rf "$T" "$T.out"
done
[ $((pass + fail)) -ge "$want" ] || { echo "hostile: ran fewer cases than on disk" >&2; fail=$((fail + 1)); }
echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
