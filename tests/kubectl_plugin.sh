#!/bin/sh
# kubectl_plugin.sh - tools/kubectl-skewplan against the stand-in kubectl,
# kubeadm and apt-cache of tests/capture/bin, installed as make install lays
# it out (bin/kubectl-skewplan beside bin/skewplan and bin/skewplan-capture):
# `audit` and `plan` capture into a temporary directory that is gone
# afterwards and analyse it, `capture -o DIR` saves the snapshot, other
# commands pass through, and every kubectl call is a read. Also the krew
# manifest template (examples/krew/skewplan.yaml) names the plugin's files.
# Ends "kubectl-plugin: N passed, N failed".
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "kubectl-plugin: FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The layout of make install, with the stand-ins logging each kubectl call.
mkdir -p "$tmp/bin" "$tmp/share/skewplan" "$tmp/stubs" "$tmp/t"
cp "$SKEWPLAN" "$tmp/bin/skewplan"
cp -R rules "$tmp/share/skewplan/"
cp tools/capture.sh "$tmp/bin/skewplan-capture"
cp tools/kubectl-skewplan "$tmp/bin/kubectl-skewplan"
cp tests/capture/bin/kubeadm tests/capture/bin/apt-cache "$tmp/stubs/"
cat >"$tmp/stubs/kubectl" <<STUB
#!/bin/sh
echo "\$*" >>"$tmp/kubectl.log"
case "\$*" in
"config current-context") echo kind-test; exit 0 ;;
esac
exec sh "$PWD/tests/capture/bin/kubectl" "\$@"
STUB
chmod +x "$tmp/stubs/kubectl" "$tmp/bin/"*
PATH="$tmp/bin:$tmp/stubs:$PATH"
TMPDIR=$tmp/t
KUBECONFIG=/dev/null
export PATH TMPDIR KUBECONFIG

kubectl-skewplan audit --as-of 2024-01-10 --fail-on never >"$tmp/audit.out" 2>"$tmp/audit.err"
rc=$?
[ $rc = 0 ] && ok || { bad "audit exited $rc"; cat "$tmp/audit.err"; }
grep -q '^Summary: ' "$tmp/audit.out" && ok || bad "audit printed no summary"
grep -q 'server v1.28.4' "$tmp/audit.out" && ok || bad "audit did not read the captured cluster"
grep -q "capturing from context 'kind-test'" "$tmp/audit.err" && ok || bad "the context is not named"
[ -z "$(ls -A "$tmp/t")" ] && ok || bad "the temporary snapshot was left: $(ls -A "$tmp/t")"

kubectl-skewplan audit --as-of 2024-01-10 --fail-on never -f json >"$tmp/a.json" 2>/dev/null
grep -q '"nodes":	2' "$tmp/a.json" && ok || bad "audit -f json: options pass through"

kubectl-skewplan plan --to latest-patch --as-of 2024-01-10 >"$tmp/plan.out" 2>&1
rc=$?
{ [ $rc = 0 ] || [ $rc = 1 ]; } && grep -qi 'v1.28' "$tmp/plan.out" && ok ||
	{ bad "plan exited $rc"; tail -5 "$tmp/plan.out"; }

kubectl-skewplan capture -o "$tmp/snap" >/dev/null 2>&1 && [ -s "$tmp/snap/nodes.txt" ] && ok ||
	bad "capture -o DIR wrote no snapshot"
"$SKEWPLAN" inspect "$tmp/snap" >/dev/null 2>&1 && ok || bad "the captured snapshot does not read"

kubectl-skewplan version >"$tmp/v.out" 2>&1 && grep -q '^skewplan ' "$tmp/v.out" && ok ||
	bad "version does not pass through"
n=$(wc -l <"$tmp/kubectl.log")
kubectl-skewplan audit --help >"$tmp/h.out" 2>&1 && grep -q '^usage: skewplan audit' "$tmp/h.out" && ok ||
	bad "audit --help is not skewplan's usage"
[ "$(wc -l <"$tmp/kubectl.log")" = "$n" ] && ok || bad "audit --help talked to the cluster"
kubectl-skewplan >/dev/null 2>&1
[ $? = 2 ] && ok || bad "no command is not a usage error"

# Every call reads: version, get, config current-context.
if grep -Ev '^(version( |$)|get |-n [a-z-]+ get |config current-context$)' "$tmp/kubectl.log" >"$tmp/writes"; then
	bad "kubectl calls that are not reads:"; cat "$tmp/writes"
else ok; fi

# A capture that fails: its status, nothing analysed, nothing left.
cat >"$tmp/stubs/kubectl" <<'STUB'
#!/bin/sh
echo "The connection to the server localhost:8080 was refused" >&2
exit 1
STUB
kubectl-skewplan audit --fail-on never >"$tmp/f.out" 2>"$tmp/f.err"
rc=$?
[ $rc != 0 ] && grep -q 'the capture failed' "$tmp/f.err" && ok ||
	{ bad "a failed capture exited $rc"; cat "$tmp/f.err"; }
[ -z "$(ls -A "$tmp/t")" ] && ok || bad "a failed capture left $(ls -A "$tmp/t")"

# The krew manifest template names the plugin and its files.
m=examples/krew/skewplan.yaml
for want in 'kind: Plugin' 'name: skewplan' 'bin: bin/kubectl-skewplan' \
    '- from: bin' '- from: share'; do
	grep -Eq "^ *$want\$" "$m" && ok || bad "$m lacks '$want'"
done
# krew links ~/.krew/bin/kubectl-skewplan to the installed file.
mkdir -p "$tmp/krew-bin"
ln -s "$tmp/bin/kubectl-skewplan" "$tmp/krew-bin/kubectl-skewplan"
"$tmp/krew-bin/kubectl-skewplan" version >"$tmp/kv.out" 2>&1 &&
	grep -q 'from .*/share/skewplan/rules (installed)' "$tmp/kv.out" && ok ||
	{ bad "through a symlink:"; cat "$tmp/kv.out"; }
echo "kubectl-plugin: $pass passed, $fail failed"
[ "$fail" = 0 ]
