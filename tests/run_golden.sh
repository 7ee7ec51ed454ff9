#!/bin/sh
# Golden CLI tests. Each tests/golden/<case>/ holds:
#   cmd              the arguments (one line; run from the repo root)
#   expected.stdout  expected.stderr  expected.exit
# Output is compared byte for byte; GOLDEN_UPDATE=1 rewrites the files.
# Arguments, if any, name the cases to run (default: all).
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
LC_ALL=C TZ=UTC
export LC_ALL TZ
unset SOURCE_DATE_EPOCH NO_COLOR
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -gt 0 ]; then
	cases=$(for c in "$@"; do echo "tests/golden/$c/"; done)
else
	cases=$(echo tests/golden/*/)
fi
for dir in $cases; do
	[ -f "$dir/cmd" ] || continue
	name=$(basename "$dir")
	# shellcheck disable=SC2046
	eval "set -- $(cat "$dir/cmd")"
	"$SKEWPLAN" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	echo $? >"$tmp/exit"
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		for f in stdout stderr exit; do
			cp "$tmp/$f" "$dir/expected.$f"
		done
		continue
	fi
	ok=1
	for f in stdout stderr exit; do
		if ! cmp -s "$tmp/$f" "$dir/expected.$f"; then
			ok=0
			echo "golden $name: $f differs:"
			diff -u "$dir/expected.$f" "$tmp/$f" | head -40
		fi
	done
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
