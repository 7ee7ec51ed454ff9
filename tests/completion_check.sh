#!/bin/bash
# completion_check.sh - drives the bash completion (contrib/completions/
# skewplan.bash) as bash would: COMP_WORDS and COMP_CWORD set, the function
# `complete -p` names called, COMPREPLY compared with the exact expected
# words. Also: every option the CLI source parses is offered, and the zsh
# and fish files name them too. Ends "completion: N passed, N failed".
# Run from the repository root.
set -u
pass=0
fail=0
f=contrib/completions/skewplan.bash
# shellcheck disable=SC1090
. "$f" || { echo "completion: cannot source $f"; echo "completion: 0 passed, 1 failed"; exit 1; }

# expect "WANT" WORD...: completes the last WORD (COMP_CWORD = last index);
# WANT is the sorted COMPREPLY, space-separated.
expect() {
	local want=$1 fn got
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	fn=$(complete -p "$1" 2>/dev/null | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
	if [ -z "$fn" ]; then
		fail=$((fail + 1)); echo "completion: FAIL: no completion for '$1'"; return
	fi
	COMPREPLY=()
	"$fn"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed "/^$/d" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "completion: FAIL: '$*<TAB>' gave '$got', want '$want'"
	fi
}

expect "audit" skewplan au
expect "--help --version -V -h audit check-rules help inspect plan rules version" skewplan ""
expect "check-rules" skewplan ch
expect "codeclimate html json junit markdown sarif text" skewplan audit -f ""
expect "codeclimate html json junit markdown sarif text" skewplan plan --format ""
expect "json junit" skewplan audit --format = j
expect "json text" skewplan inspect -f ""
expect "warning" skewplan audit --fail-on w
expect "error info never new warning" skewplan audit --fail-on ""
expect "fixtures/baseline" skewplan audit --baseline fixtures/base
expect "always auto" skewplan audit --color a
expect "latest latest-patch" skewplan plan --to lat
expect "--strict --strict-packages" skewplan plan --stri
expect "--source-root --strategy --strict --strict-packages" skewplan plan --s
expect "--patch-first" skewplan plan --pa
expect "--progress" skewplan audit --pr
expect "--strategy --strict --strict-packages" skewplan plan --str
expect "fewest-drains" skewplan plan --strategy f
expect "--waivers" skewplan audit --as-of 2023-03-20 --fail-on never --w
expect "" skewplan audit --as-of ""
expect "--format --help --progress --strict --version -f" skewplan inspect -
expect "always auto" skewplan plan --progress a
expect "--rules" skewplan rules --r
expect "--rules" skewplan version --r
expect "audit" skewplan help au
expect "" skewplan help audit ""
expect "--help" skewplan audit --he
expect "--version" skewplan plan --to latest --v
expect "fixtures/seed-v1.26.1" skewplan audit fixtures/seed
expect "fixtures/seed-v1.26.1" skewplan audit --fail-on never fixtures/seed
expect "node-facts= nodes=" skewplan audit nod
expect "nodes=" skewplan audit nodes
expect "configz=" skewplan audit conf
expect "fixtures/nodes" skewplan inspect nodes = fixtures/nod
expect "rules" skewplan audit --rules rul
expect "rules" skewplan check-rules rul
expect "json:fixtures" skewplan audit -o json:fixtu
expect "json: junit:" skewplan audit -o j
expect "" skewplan version ""
expect "-h -k -o" skewplan-capture -
expect "tools" skewplan-capture -o too

# Every option the CLI parses is offered by bash, zsh and fish.
opts=$(grep -ho '"--[a-z][a-z-]*"' analyzer/cli/*.c | tr -d '"' | sort -u |
	grep -v -e '^--help$' -e '^--version$')
for o in $opts; do
	for c in contrib/completions/skewplan.bash contrib/completions/_skewplan \
	    contrib/completions/skewplan.fish; do
		case $c in
		*.fish) pat="-l ${o#--}\\b" ;;
		*) pat="(^|[^a-z-])$o([^a-z-]|\$)" ;;
		esac
		if grep -Eq -- "$pat" "$c"; then pass=$((pass + 1))
		else fail=$((fail + 1)); echo "completion: FAIL: $c does not offer $o"; fi
	done
done
echo "completion: $pass passed, $fail failed"
[ "$fail" = 0 ]
