#!/bin/sh
# help_check.sh - every command's usage: `skewplan help C`, `skewplan C
# --help` and `skewplan C -h` print the same text and exit 0, whatever
# else is on the line; that text names every option the bash completion
# offers for C (the completion test ties those to the parsers); -V and
# --version print the version and the rules data date under every command.
# Ends "help: N passed, N failed". Run from the repository root.
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "help: FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The options each command takes, as the bash completion lists them.
if ! command -v bash >/dev/null 2>&1; then
	echo "help: bash is needed"; echo "help: 0 passed, 1 failed"; exit 1
fi
opts_of() {
	bash -c '. contrib/completions/skewplan.bash; _skewplan_options "$1"' _ "$1"
}

cmds="inspect audit plan rules check-rules version help"
for c in $cmds; do
	"$SKEWPLAN" help "$c" >"$tmp/help" 2>"$tmp/err"
	rc=$?
	if [ $rc = 0 ] && [ -s "$tmp/help" ] && [ ! -s "$tmp/err" ]; then ok
	else bad "help $c: exit $rc"; fi
	head -1 "$tmp/help" | grep -q "^usage: skewplan $c\\b" && ok ||
		bad "help $c does not start with its usage line"
	for form in "$c --help" "$c -h" "$c --as-of 2023-03-20 --help fixtures/seed-v1.26.1" \
	    "$c fixtures/seed-v1.26.1 -h"; do
		# shellcheck disable=SC2086
		"$SKEWPLAN" $form >"$tmp/out" 2>&1
		rc=$?
		if [ $rc = 0 ] && cmp -s "$tmp/help" "$tmp/out"; then ok
		else bad "'$form' (exit $rc) differs from 'help $c'"; fi
	done
	for o in $(opts_of "$c"); do
		grep -Eq -- "(^|[ ,])$o([ ,=]|\$)" "$tmp/help" && ok ||
			bad "help $c does not name $o"
	done
	# shellcheck disable=SC2086
	"$SKEWPLAN" $c -V >"$tmp/out" 2>&1
	rc=$?
	if [ $rc = 0 ] && head -1 "$tmp/out" | grep -Eq '^skewplan [0-9]+\.[0-9]+\.[0-9]+$' &&
	    sed -n 2p "$tmp/out" | grep -Eq '^rules data compiled [0-9]{4}-[0-9]{2}-[0-9]{2}, from '; then ok
	else bad "'$c -V' (exit $rc):"; cat "$tmp/out"; fi
done
# The summary lists every command, and nothing else is a command.
"$SKEWPLAN" help >"$tmp/out" 2>&1 && ok || bad "help exits non-zero"
for c in $cmds; do
	grep -q "^  skewplan $c\\b" "$tmp/out" && ok || bad "help does not list $c"
done
listed=$(sed -n 's/^  skewplan \([a-z-]*\).*/\1/p' "$tmp/out" | tr '\n' ' ')
[ "$listed" = "$cmds " ] && ok || bad "help lists '$listed', want '$cmds '"
# An option's value is never taken for --help or -V.
"$SKEWPLAN" audit --as-of 2023-03-20 --waivers -V fixtures/seed-v1.26.1 >"$tmp/out" 2>&1
[ $? = 4 ] && ok || bad "--waivers -V was taken for --version"
echo "help: $pass passed, $fail failed"
[ "$fail" = 0 ]
