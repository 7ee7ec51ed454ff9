# Helpers for tests/hostile/cases/*.sh (sourced by run.sh; POSIX sh).
# Every helper prints what went wrong and returns non-zero; cases chain
# them with && or let `set -e` stop at the first failure.
set -eu

die() { echo "$*" >&2; exit 1; }

# run EXPECTED_EXIT ARGS...: runs skewplan ARGS with stdout in $T/out and
# stderr in $T/err; fails unless the exit status is EXPECTED_EXIT.
run() {
	want=$1; shift
	set +e
	"$SKEWPLAN" "$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	[ "$got" = "$want" ] || {
		echo "skewplan $*: exit $got, expected $want" >&2
		echo "--- stderr:" >&2; head -c 2000 "$T/err" >&2
		echo "--- stdout:" >&2; head -c 2000 "$T/out" >&2
		return 1
	}
}

# has FILE PATTERN (grep -E): FILE must contain a line matching PATTERN.
has() { grep -Eq -- "$2" "$1" || { echo "$1 lacks /$2/:" >&2; head -c 2000 "$1" >&2; return 1; }; }
# hasnt FILE PATTERN: no line of FILE matches PATTERN.
hasnt() { ! grep -Eq -- "$2" "$1" || { echo "$1 has /$2/:" >&2; grep -nE -- "$2" "$1" | head -5 >&2; return 1; }; }
# no_ctl FILE: FILE holds no C0 control byte but tab and newline, and no DEL.
no_ctl() { ! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" || { echo "$1 has raw control bytes" >&2; return 1; }; }
# no_bidi FILE: FILE holds no raw UTF-8 of a character esc.c calls unsafe
# above ASCII: C1 controls, bidi controls, zero-width and invisible
# characters, U+2028/U+2029, U+FEFF, U+FFFE/U+FFFF.
no_bidi() {
	! LC_ALL=C grep -Eq "$(printf '\302[\200-\237]|\330\234|\342\200[\213-\217\250-\256]|\342\201[\240-\251]|\357\273\277|\357\277[\276\277]')" "$1" ||
		{ echo "$1 has raw bidi, invisible or C1 characters" >&2; LC_ALL=C grep -nE "$(printf '\302[\200-\237]|\330\234|\342\200[\213-\217\250-\256]|\342\201[\240-\251]|\357\273\277|\357\277[\276\277]')" "$1" | head -3 | od -c | head -8 >&2; return 1; }
}
# no_forged FILE: no line of FILE is a finding line ("  error [rule]")
# or a diagnostic forged by an embedded newline: "error [fake-rule]" at
# the start of a line or after the two blanks of a finding.
no_forged() { hasnt "$1" '^(  )?error \[fake-rule\]'; }
