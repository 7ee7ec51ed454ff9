# A rules/ directory in the working directory is someone else's data: it is
# read only when asked for (--rules), never by default. Run from a
# directory holding a planted rules/ (valid, but pointing apt at another
# host), plan and audit use the rules of the binary's own source tree and
# every report says which rules it read and why; --rules rules reads the
# planted one and says so.
S=$PWD
mkdir "$T/w"
cp -R rules "$T/w/rules"
sed 's|https://pkgs.k8s.io/core:/stable:/v{minor}/deb/ /|https://evil.example/v{minor}/deb/ /|' \
	rules/data/packages.yaml >"$T/w/rules/data/packages.yaml"
grep -q evil.example "$T/w/rules/data/packages.yaml" || die "the plant did not take"
cd "$T/w"
run 0 plan --to 1.25 --as-of 2024-11-01 "$S/fixtures/ha-1.24.17"
hasnt "$T/out" 'evil\.example'
has "$T/out" "^skewplan .*, rules data compiled .* from $S/rules \(the source tree of the binary\)$"
has "$T/out" "echo 'deb \[signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg\] https://pkgs.k8s.io/core:/stable:/v1.25/deb/ /'"
run 0 audit --as-of 2023-03-20 -f json "$S/fixtures/seed-v1.26.1"
has "$T/out" "\"rulesDir\":	\"$S/rules\""
has "$T/out" '"rulesOrigin":	"the source tree of the binary"'
run 0 audit --as-of 2023-03-20 "$S/fixtures/seed-v1.26.1"
has "$T/out" "rules data:  compiled .*, from $S/rules \(the source tree of the binary\)"
# Asked for: used, and the report says it was given.
run 0 plan --rules rules --to 1.25 --as-of 2024-11-01 "$S/fixtures/ha-1.24.17"
has "$T/out" 'https://evil\.example/v1\.25/deb/'
has "$T/out" 'from rules \(given with --rules\)$'
# An empty --rules is no directory at all (it read /rulesets.yaml).
run 2 audit --rules '' "$S/fixtures/seed-v1.26.1"
has "$T/err" "^skewplan: error: --rules '' names no directory$"
