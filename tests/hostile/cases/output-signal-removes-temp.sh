# SIGINT or SIGTERM while a report is being written (here: at the fsync of
# its temporary file, by an LD_PRELOAD shim) removes the temporary file and
# dies of that signal; no .NAME.tmp.XXXXXX is left beside the output.
cc -shared -fPIC -o "$T/shim.so" tests/hostile/shim/fsync_signal.c ||
	die "cannot build the fsync shim"
mkdir "$T/o"
for sig in 2 15; do
	set +e
	ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$T/shim.so" \
		SHIM_SIGNAL=$sig "$SKEWPLAN" audit --rules rules \
		--as-of 2023-03-20 -o "$T/o/r.json" -o "$T/o/r.html" \
		fixtures/seed-v1.26.1 >"$T/out" 2>"$T/err"
	got=$?
	set -e
	[ "$got" = $((128 + sig)) ] || die "signal $sig: exit $got, expected $((128 + sig))"
	left=$(ls -A "$T/o")
	[ -z "$left" ] || die "signal $sig left: $left"
done
