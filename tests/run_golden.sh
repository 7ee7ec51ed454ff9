#!/bin/sh
# Golden CLI tests. Each tests/golden/<case>/ holds:
#   cmd              the arguments (one line; run from the repo root)
#   expected.stdout  expected.stderr  expected.exit
# Output is compared byte for byte. `--update` (used only by `make
# golden-update`) rewrites the expected files and prints the diff it
# applies; GOLDEN_UPDATE in the environment is refused, so that a stray
# variable can never turn the suite into a rewrite that always passes.
# Arguments, if any, name the cases to run (default: all, and then every
# case directory on disk must run).
set -u
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
if [ -n "${GOLDEN_UPDATE:-}" ]; then
	echo "golden: GOLDEN_UPDATE is not honoured; run: make golden-update [CASES='a b']" >&2
	exit 2
fi
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
want=0
for dir in $cases; do
	want=$((want + 1))
	if [ ! -f "$dir/cmd" ]; then
		echo "golden $(basename "$dir"): no cmd file"
		fail=$((fail + 1))
		continue
	fi
	name=$(basename "$dir")
	# shellcheck disable=SC2046
	eval "set -- $(cat "$dir/cmd")"
	"$SKEWPLAN" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	echo $? >"$tmp/exit"
	if [ $update = 1 ]; then
		for f in stdout stderr exit; do
			[ -f "$dir/expected.$f" ] || : >"$dir/expected.$f"
			diff -u "$dir/expected.$f" "$tmp/$f" || true
			cp "$tmp/$f" "$dir/expected.$f"
		done
		pass=$((pass + 1))
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
if [ "$want" = 0 ] || [ $((pass + fail)) -lt "$want" ]; then
	echo "golden: ran $((pass + fail)) of $want cases (run from the repository root)"
	fail=$((fail + 1))
fi
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
