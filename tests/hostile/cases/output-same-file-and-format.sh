# Two -o naming one file by different paths are an error, whether the file
# exists or not (compared by device and inode), and -f with -o is not
# ignored: the -f report goes to stdout as it does without -o.
cd "$T"
S=$OLDPWD
SK() { "$SKEWPLAN" "$@"; }
set +e
SK audit --rules "$S/rules" --as-of 2023-03-20 -o json:y -o html:./y "$S/fixtures/seed-v1.26.1" >out 2>err
got=$?
set -e
[ "$got" = 2 ] || die "json:y html:./y: exit $got, expected 2"
has err "outputs 'y' and './y' name the same file"
[ ! -e y ] || die "y was written"
mkdir d
echo x >d/r.json
ln -s d link
set +e
SK audit --rules "$S/rules" --as-of 2023-03-20 -o d/r.json -o "$T/link/r.json" "$S/fixtures/seed-v1.26.1" >out 2>err
got=$?
set -e
[ "$got" = 2 ] || die "same existing file through a symlinked directory: exit $got, expected 2"
has err "name the same file"
set +e
SK audit --rules "$S/rules" --as-of 2023-03-20 -f json -o r.html "$S/fixtures/seed-v1.26.1" >out 2>err
got=$?
set -e
[ "$got" = 0 ] || die "-f json -o r.html: exit $got, expected 0"
has out '^\{'
has out '"asOf":'
has r.html '<html'
