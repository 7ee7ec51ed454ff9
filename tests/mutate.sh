#!/bin/sh
# make mutate: applies each one-line mutation of tests/mutations.txt to a
# scratch copy of the committed tree, rebuilds, runs the fast suites (unit
# tests, golden cases, date boundaries, hostile cases) and reports whether a test killed it.
# tests/mutations.txt: one mutation per line, fields separated by " @@ ":
#   FILE @@ OLD @@ NEW @@ why it matters
# OLD must occur exactly once in FILE (a stale line is reported, and fails
# the run, so that the list follows the code). Lines starting with # are
# comments. Arguments, if any, are line numbers of the list to run.
set -u
root=$(pwd)
list=$root/tests/mutations.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src
mkdir "$src"
git archive HEAD | tar -x -C "$src"
# As root, tar keeps the archive's group-writable modes, and skewplan trusts
# no group-writable rules directory beside its binary (cli/common.c).
chmod -R go-w "$src"
[ -d "$root/../shared" ] && ln -s "$root/../shared" "$tmp/shared"
cd "$src" || exit 1
echo "mutate: building the unmutated tree"
make -s -j2 test-bins >/dev/null 2>"$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }

quick() { # the fast suites; non-zero when any check fails
	for t in build/san/tests/test_*; do
		ASAN_OPTIONS=detect_leaks=0 "$t" >/dev/null 2>&1 || return 1
	done
	SKEWPLAN=build/san/skewplan sh tests/run_golden.sh >/dev/null 2>&1 || return 1
	SKEWPLAN=build/san/skewplan sh tests/boundaries.sh >/dev/null 2>&1 || return 1
	SKEWPLAN=build/san/skewplan sh tests/hostile/run.sh >/dev/null 2>&1 || return 1
	return 0
}
quick || { echo "mutate: the unmutated tree fails its tests"; exit 1; }

n=0 killed=0 survived=0 stale=0
lineno=0
while IFS= read -r line; do
	lineno=$((lineno + 1))
	case $line in ''|'#'*) continue ;; esac
	if [ $# -gt 0 ]; then
		case " $* " in *" $lineno "*) ;; *) continue ;; esac
	fi
	file=$(printf '%s\n' "$line" | awk -F ' @@ ' '{print $1}')
	old=$(printf '%s\n' "$line" | awk -F ' @@ ' '{print $2}')
	new=$(printf '%s\n' "$line" | awk -F ' @@ ' '{print $3}')
	n=$((n + 1))
	if ! OLD=$old NEW=$new python3 - "$file" <<'PY'
import os, sys
p = sys.argv[1]; s = open(p).read(); o = os.environ["OLD"]
if s.count(o) != 1:
    sys.exit(1)
open(p, "w").write(s.replace(o, os.environ["NEW"]))
PY
	then
		echo "STALE    $lineno: $file: '$old' does not occur exactly once"
		stale=$((stale + 1))
		continue
	fi
	if make -s -j2 test-bins >/dev/null 2>&1 && quick; then
		echo "SURVIVED $lineno: $file: '$old' -> '$new'"
		survived=$((survived + 1))
	else
		echo "killed   $lineno: $file: '$old' -> '$new'"
		killed=$((killed + 1))
	fi
	git -C "$root" show "HEAD:$file" >"$file"
done <"$list"
echo "mutate: $n mutants, $killed killed, $survived survived, $stale stale"
[ $survived = 0 ] && [ $stale = 0 ]
