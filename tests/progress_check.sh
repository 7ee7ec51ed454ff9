#!/bin/sh
# progress_check.sh - --progress: a file of 64 MB or more read with
# --progress always shows "reading PATH: N MB of N MB (P%)" lines on stderr,
# rewritten in place with a carriage return and erased at the end; never
# and auto without a terminal print nothing; auto on a terminal (script(1)
# gives one) shows it unless CI is set; a small file never shows it; the
# report is the same in every mode. Ends "progress: N passed, N failed".
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "progress: FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
big=$tmp/version.txt
# A version capture followed by 70,000,000 blank lines: 67 MB.
{ cat fixtures/seed-v1.26.1/version.txt; head -c 70000000 /dev/zero | tr '\0' '\n'; } >"$big"
esc=$(printf '\033')
cr=$(printf '\r')

"$SKEWPLAN" inspect --progress always "version=$big" >"$tmp/always.out" 2>"$tmp/always.err"
[ $? = 0 ] && ok || bad "--progress always exited non-zero"
tr '\r' '\n' <"$tmp/always.err" | grep -Eq "^reading $big: [0-9]+ MB of 67 MB \\([0-9]+%\\)" && ok ||
	{ bad "no progress line:"; od -c "$tmp/always.err" | head -5; }
case "$(tail -c 4 "$tmp/always.err")" in
"$cr$esc[K") ok ;;
*) bad "the line is not erased at the end: $(tail -c 8 "$tmp/always.err" | od -c | head -1)" ;;
esac
tr '\r' '\n' <"$tmp/always.err" | grep -v -e '^reading ' -e "^$esc\\[K\$" -e '^$' >"$tmp/other" &&
	bad "--progress always printed something else: $(cat "$tmp/other")" || ok

"$SKEWPLAN" inspect --progress never "version=$big" >"$tmp/never.out" 2>"$tmp/never.err"
[ ! -s "$tmp/never.err" ] && ok || bad "--progress never printed to stderr"
cmp -s "$tmp/always.out" "$tmp/never.out" && ok || bad "the report differs with progress"
"$SKEWPLAN" inspect "version=$big" >/dev/null 2>"$tmp/auto.err"
[ ! -s "$tmp/auto.err" ] && ok || bad "--progress auto printed without a terminal"

if command -v script >/dev/null 2>&1; then
	env -u CI script -qec "'$SKEWPLAN' inspect 'version=$big' >/dev/null" /dev/null \
		>"$tmp/tty.out" 2>&1 </dev/null
	grep -q "reading $big" "$tmp/tty.out" && ok || bad "auto on a terminal showed no progress"
	CI=true script -qec "'$SKEWPLAN' inspect 'version=$big' >/dev/null" /dev/null \
		>"$tmp/ci.out" 2>&1 </dev/null
	grep -q "reading " "$tmp/ci.out" && bad "auto under CI=true showed progress" || ok
else
	bad "script(1) is missing (util-linux)"
fi
"$SKEWPLAN" inspect --progress always fixtures/seed-v1.26.1 >/dev/null 2>"$tmp/small.err"
[ ! -s "$tmp/small.err" ] && ok || bad "a small snapshot showed progress"
"$SKEWPLAN" audit --progress sometimes fixtures/seed-v1.26.1 >/dev/null 2>&1
[ $? = 2 ] && ok || bad "--progress sometimes is not a usage error"
echo "progress: $pass passed, $fail failed"
[ "$fail" = 0 ]
