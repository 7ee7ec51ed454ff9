# Issue 15 item 10: audit in every format over a snapshot whose evidence
# paths, madison repository (a finding's subject) and waiver reason and
# owner carry ESC[2J, OSC 8, OSC 52, BEL, C1 CSI, an embedded newline that
# forges "error [fake-rule]", U+202E, U+200B and U+2066/U+2067. No output
# holds a raw control or bidi byte, no line is a forged finding, and each
# format shows the escaped form: \x1b and \u202e (JSON: \u001b, \u202e).
D=$(sh fixtures/escaping-hostile/generate.sh "$T")
a="audit --as-of 2024-03-20 --waivers $T/waivers.yaml"
for f in text markdown html json sarif junit; do
	run 1 $a -f $f "$D"
	no_ctl "$T/out" && no_bidi "$T/out" && no_forged "$T/out" &&
		no_ctl "$T/err" && no_bidi "$T/err"
	cp "$T/out" "$T/audit.$f"
done
path='/snap\\x1b\[2J\\x07\\u202e\\x0a  error \[fake-rule\] forged\\u200b/madison\.txt'
repo='https://apt\.kubernetes\.io/\\u202eten\\u200b\\u2066\\u009b'
has "$T/audit.text" "^    evidence:  .*$path:2:15\$"
has "$T/audit.text" "^    subject:   $repo kubernetes-xenial"
has "$T/audit.text" '^    waiver:    ops\\x1b\]8;;https://evil\.example/\\x1b\\team\\x1b\]8;;\\x1b\\\\u2067, until 2024-06-30: CHG-1\\x1b\]52;c;cm0gLXJmIH4K\\x07\\x1b\[2J\\x0a$'
has "$T/audit.markdown" "evidence: \`[^\`]*$path:2:15\`"
has "$T/audit.markdown" 'CHG-1\\x1b\\\]52;c;cm0gLXJmIH4K\\x07\\x1b\\\[2J\\x0a  error \\\[fake-rule\\\] forged\\u202e\\u200b'
has "$T/audit.html" "<code>[^<]*$path:2:15</code>"
has "$T/audit.html" "&#8212; $repo kubernetes-xenial"
has "$T/audit.junit" "^evidence: [^<]*$path:2:15\$"
has "$T/audit.junit" "name=\"package-repo-legacy \\($repo kubernetes-xenial"
# SARIF message.text is read by a person: the visible form, JSON-escaped.
has "$T/audit.sarif" '"text":[[:space:]]*"'"'"'/etc/apt/sources\.list\.d/kubernetes\.list'"'"' uses the legacy repository https://apt\.kubernetes\.io/\\\\u202eten\\\\u200b\\\\u2066\\\\u009b '
has "$T/audit.sarif" '"justification":[[:space:]]*"CHG-1\\\\x1b\]52;c;cm0gLXJmIH4K\\\\x07\\\\x1b\[2J\\\\x0a  error \[fake-rule\] forged\\\\u202e'
# JSON is data: the characters are kept, as JSON escapes.
has "$T/audit.json" '"subject":[[:space:]]*"https://apt\.kubernetes\.io/\\u202eten\\u200b\\u2066\\u009b kubernetes-xenial'
has "$T/audit.json" '"reason":[[:space:]]*"CHG-1\\u001b\]52;c;cm0gLXJmIH4K\\u0007\\u001b\[2J\\n  error \[fake-rule\] forged\\u202e\\u200b"'
# The colour pass runs on escaped text and adds only its own SGR codes.
run 1 $a --color always -f text "$D"
no_bidi "$T/out" && no_forged "$T/out"
LC_ALL=C tr -d '\033' <"$T/out" | cmp -s - "$T/audit.text" && die "no colour"
LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$T/out" | cmp - "$T/audit.text"
# -o files are the same bytes.
run 1 $a -o "$T/o.html" -o "$T/o.xml" -o "$T/o.md" "$D"
cmp "$T/o.html" "$T/audit.html" && cmp "$T/o.xml" "$T/audit.junit" &&
	cmp "$T/o.md" "$T/audit.markdown"
if command -v python3 >/dev/null; then
	python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T/audit.junit"
fi
