# Reports get the mode a plain file would: 0666 less the umask for a new
# file, the mode of the file they replace otherwise (never a fixed 0644);
# and an output name of 250 characters, valid on every filesystem, is
# written although its temporary name would not fit if it carried it whole.
umask 077
run 0 audit --rules rules --as-of 2023-03-20 -o "$T/new.json" fixtures/seed-v1.26.1
[ "$(stat -c %a "$T/new.json")" = 600 ] || die "umask 077: mode $(stat -c %a "$T/new.json"), expected 600"
umask 022
echo old >"$T/kept.json"
chmod 640 "$T/kept.json"
run 0 audit --rules rules --as-of 2023-03-20 -o "$T/kept.json" fixtures/seed-v1.26.1
[ "$(stat -c %a "$T/kept.json")" = 640 ] || die "replaced 0640 file: mode $(stat -c %a "$T/kept.json")"
has "$T/kept.json" '"asOf"'
long=$(printf '%0245d' 0).json
run 0 audit --rules rules --as-of 2023-03-20 -o "$T/$long" fixtures/seed-v1.26.1
[ -s "$T/$long" ] || die "the 250-character output was not written"
[ "$(ls -A "$T" | grep -c tmp)" = 0 ] || die "a temporary file was left behind"
