#!/bin/sh
# json_paths.sh - every JSON document the tests hold (fixtures, goldens'
# inputs, the hostile cases, the fuzz corpora: 400-odd files that open
# with '{') gives the same `skewplan inspect -f json` both ways: item by
# item (base/json_walk.c, the default) and through libyaml
# (SKEWPLAN_NO_JSON_ITEMS=1): the same report, the same diagnostics, the
# same exit code. Usage: tests/json_paths.sh [SKEWPLAN]
set -u
SKEWPLAN=${1:-${SKEWPLAN:-./skewplan}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
# Files that open with '{' after blanks (JSON, or YAML's flow style).
find fixtures tests/golden tests/hostile tests/corpus -type f | sort |
while IFS= read -r f; do
	head -c 4096 "$f" | tr -d ' \t\r\n' | head -c 1 | grep -q '{' &&
		printf '%s\n' "$f"
done >"$tmp/list"
while IFS= read -r f; do
	"$SKEWPLAN" inspect -f json "$f" >"$tmp/new.out" 2>"$tmp/new.err"
	echo "exit $?" >>"$tmp/new.err"
	SKEWPLAN_NO_JSON_ITEMS=1 "$SKEWPLAN" inspect -f json "$f" \
		>"$tmp/old.out" 2>"$tmp/old.err"
	echo "exit $?" >>"$tmp/old.err"
	if cmp -s "$tmp/new.out" "$tmp/old.out" &&
	   cmp -s "$tmp/new.err" "$tmp/old.err"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $f: item by item and libyaml differ:"
		diff "$tmp/old.out" "$tmp/new.out" | head -10
		diff "$tmp/old.err" "$tmp/new.err" | head -10
	fi
done <"$tmp/list"
echo "json paths: $pass passed, $fail failed"
[ "$fail" = 0 ]
