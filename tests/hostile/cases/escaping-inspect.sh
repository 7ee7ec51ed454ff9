# Issue 15 item 10: inspect prints snapshot text (file paths, pod,
# namespace and container names, kustomizeVersion) carrying ESC[2J, OSC 8,
# OSC 52, BEL, C1 CSI, an embedded newline that forges "error
# [fake-rule]", U+202E and U+200B. Text shows each escaped (\x1b, \u202e);
# JSON keeps the data exact, with no raw control or bidi byte in the file.
D=$(sh fixtures/escaping-hostile/generate.sh "$T")
run 0 inspect "$D"
no_ctl "$T/out" && no_bidi "$T/out" && no_forged "$T/out"
# kustomizeVersion: OSC 52, BEL, ESC[2J, C1 CSI, U+202E, U+200B.
has "$T/out" '^  kustomize  v4\.5\.7\\x1b\]52;c;cm0gLXJmIH4K\\x07\\x1b\[2J\\u009b31m\\u202eevil\\u200b$'
# A pod line: namespace/pod with the newline, OSC 8 and BEL, then the path.
has "$T/out" 'kube-system\\x0a  error \[fake-rule\] forged\\u202e\\u200b/kube-apiserver\\x1b\]8;;https://evil\.example/\\x1b\\click\\x1b\]8;;\\x1b\\\\x07 '
has "$T/out" '/snap\\x1b\[2J\\x07\\u202e\\x0a  error \[fake-rule\] forged\\u200b/pods\.yaml:14:14$'
# The columns are padded on the escaped text: node lines stay aligned.
has "$T/out" '^  node-1                   Ready                        control-plane          v1\.26\.1              /'
run 0 inspect -f json "$D"
no_ctl "$T/out" && no_bidi "$T/out"
has "$T/out" '"kustomize":"v4\.5\.7\\u001b\]52;c;cm0gLXJmIH4K\\u0007\\u001b\[2J\\u009b31m\\u202eevil\\u200b"'
# The JSON holds the real data: a parser gets the raw characters back.
if command -v jq >/dev/null; then
	jq -r .versions.kustomize "$T/out" >"$T/k"
	printf 'v4.5.7\033]52;c;cm0gLXJmIH4K\007\033[2J\302\23331m\342\200\256evil\342\200\213\n' | cmp - "$T/k"
	jq -r '.images[0].container' "$T/out" >"$T/c"
	printf 'kube-apiserver\033[2J\342\201\246\357\273\277\n' | cmp - "$T/c"
fi
