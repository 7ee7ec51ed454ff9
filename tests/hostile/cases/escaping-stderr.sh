# Issue 15 item 10: diagnostics on stderr escape the file path, the quoted
# subject and the echoed source line the same way the reports do (\x1b,
# \u202e), and the caret stays under the column it names.
D=$(sh fixtures/escaping-hostile/generate.sh "$T")
dir='snap\\x1b\[2J\\x07\\u202e\\x0a  error \[fake-rule\] forged\\u200b'
# A status holding U+202E, an OSC 52 clipboard write and a C1 CSI.
printf '$ k get no\nNAME     STATUS   ROLES           AGE     VERSION\nnode-1   Re\342\200\256ady\033]52;c;eA==\007\302\233    control-plane   2d16h   v1.26.1\n' >"$D/nodes.txt"
run 3 inspect "$D/nodes.txt"
no_ctl "$T/err" && no_bidi "$T/err" && no_forged "$T/err"
has "$T/err" "^/.*/$dir/nodes\.txt:3:10: error: unknown node status 'Re\\\\u202eady\\\\u009b'\$"
has "$T/err" '^ node-1   Re\\u202eady\\x1b\]52;c;eA==\\x07\\u009b    control-plane   2d16h   v1\.26\.1$'
has "$T/err" '^          \^$'
# An invalid image reference: the subject is quoted escaped.
printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata: {name: p, namespace: n}' \
	'spec:' '  containers:' '  - name: c' \
	'    image: "registry.k8s.io/x\e[2J\u202e:v1"' >"$T/bad-image.yaml"
run 3 inspect "images=$T/bad-image.yaml"
no_ctl "$T/err" && no_bidi "$T/err" && no_forged "$T/err"
has "$T/err" "invalid image reference 'registry\\.k8s\\.io/x\\\\x1b\\[2J\\\\u202e:v1'"
# A file that does not exist, named to forge a line and clear the screen.
run 3 inspect "$(printf '%s/x\033[2J\n  error [fake-rule] y\342\200\256' "$T")"
no_ctl "$T/err" && no_bidi "$T/err" && no_forged "$T/err"
has "$T/err" '/x\\x1b\[2J\\x0a  error \[fake-rule\] y\\u202e: error: '
# A clean run over the hostile paths writes nothing to stderr.
run 0 inspect "$D/pods.yaml"
[ ! -s "$T/err" ] || die "unexpected stderr"
