#!/bin/sh
# man_check.sh - the man pages (doc/*.scd, generated into build/man/ by
# `make man`) build, pass `mandoc -Tlint -W warning` with nothing to say, and
# skewplan(1) names every command, every option and every environment
# variable the CLI source knows. Ends "man: N passed, N failed, N skipped".
# Needs scdoc and mandoc (make deps, make test-deps); without them it skips.
set -u
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "man: FAIL: $*"; }

if ! command -v scdoc >/dev/null 2>&1 || ! command -v mandoc >/dev/null 2>&1; then
	echo "man: scdoc or mandoc not installed (make deps test-deps); skipped"
	echo "man: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

if make -s man >/dev/null; then ok; else bad "make man failed"; fi
for src in doc/*.scd; do
	page=build/man/$(basename "$src" .scd)
	if [ ! -s "$page" ]; then
		bad "$page was not generated"
		continue
	fi
	out=$(mandoc -Tlint -W warning "$page" 2>&1)
	if [ -z "$out" ]; then ok; else bad "mandoc -Tlint $page:"; echo "$out"; fi
	# A page that renders to less than a screen is missing its body.
	n=$(mandoc -Tascii "$page" 2>/dev/null | wc -l)
	if [ "$n" -ge 40 ]; then ok; else bad "$page renders to $n lines"; fi
done

# Every command of the command table, every long option the CLI parses and
# every environment variable the program reads is in skewplan(1).
man1=doc/skewplan.1.scd
cmds=$(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", cmd_.*/\1/p' analyzer/cli/cli.c)
opts=$(grep -ho '"--[a-z][a-z-]*"' analyzer/cli/*.c | tr -d '"' | sort -u)
envs=$(grep -ho 'getenv("[A-Z_]*")' analyzer/*/*.c analyzer/*.c 2>/dev/null |
	sed 's/getenv("\(.*\)")/\1/' | sort -u)
[ -n "$cmds" ] && [ -n "$opts" ] && [ -n "$envs" ] || bad "could not read the CLI source"
for c in $cmds; do
	if grep -Eq "^\*$c\*( |,|\$)" "$man1"; then ok
	else bad "command '$c' has no entry in $man1"; fi
done
for o in $opts; do
	if grep -Eq -- "^(\*[^*]+\*, )*\*$o\*( |,|\$)" "$man1"; then ok
	else bad "option '$o' has no entry in $man1"; fi
done
for e in $envs; do
	if grep -q "^\*$e\*" "$man1"; then ok
	else bad "environment variable '$e' has no entry in $man1"; fi
done
# skewplan-capture(1) names each of the script's options.
for o in $(sed -n 's/^while getopts \([a-z:]*\) opt.*/\1/p' tools/capture.sh |
	tr -d ':h' | sed 's/./& /g'); do
	if grep -q "^\*-$o\*\( \|$\)" doc/skewplan-capture.1.scd; then ok
	else bad "capture option '-$o' has no entry in doc/skewplan-capture.1.scd"; fi
done
echo "man: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
