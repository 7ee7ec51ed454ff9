# Versions the release data does not know are a finding (version-unknown,
# an error), never a pass and never an end of life made up from the
# nearest row; managed builds of known releases are read as before; and a
# plan target is exactly what was asked or a usage error.
snap() { # DIR SERVER-VERSION
	mkdir -p "$1"
	cp fixtures/seed-v1.26.1/nodes.txt "$1/"
	printf 'Client Version: v1.26.1\nServer Version: %s\n' "$2" >"$1/version.txt"
}
snap "$T/major2" v2.0.0
run 1 audit --rules rules --as-of 2023-03-20 "$T/major2"
has "$T/out" "error \[version-unknown\] kube-apiserver version 'v2.0.0' is not a release"
has "$T/out" 'there is no Kubernetes major 2'
hasnt "$T/out" 'version-end-of-life|reached end of life'
snap "$T/huge" v1.9999.999999
run 1 audit --rules rules --as-of 2023-03-20 "$T/huge"
has "$T/out" "\[version-unknown\] kube-apiserver version 'v1.9999.999999'"
has "$T/out" 'minor 1.9999 is newer than every release in'
snap "$T/zeros" v01.026.1
run 1 audit --rules rules --as-of 2023-03-20 "$T/zeros"
has "$T/out" "\[version-unknown\] kube-apiserver version 'v01.026.1'"
for v in v1.26.1-eks-2d98532 v1.26.1+k3s1; do
	snap "$T/m$v" "$v"
	run 0 audit --rules rules --as-of 2023-03-20 "$T/m$v"
	hasnt "$T/out" 'version-unknown'
done
for to in 1.26.3-rc.0 1.26.3+k3s1 01.026.03 v1.026.3 2.0.0; do
	run 2 plan --to "$to" --as-of 2023-03-20 fixtures/seed-v1.26.1
	grep -qF -- "skewplan: error: --to '$to' " "$T/err" || die "--to $to: $(cat "$T/err")"
	[ ! -s "$T/out" ] || die "--to $to printed a runbook"
done
run 0 plan --to v1.26.3 --as-of 2023-03-20 fixtures/seed-v1.26.1
has "$T/out" '^Upgrade plan: v1.26.1 -> v1.26.3 '
