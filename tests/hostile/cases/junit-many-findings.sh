# cap: 60
# Issue 15 item 9: JUnit grouped findings into testcases by comparing
# each finding with every later one (100,000 findings: killed after 19
# minutes). 16,000 legacy repositories, one finding each: well over the
# cap before the fix, seconds after. Every finding is its own testcase.
awk 'BEGIN {
	print "$ apt-cache madison kubeadm"
	for (i = 0; i < 16000; i++)
		printf "   kubeadm | 1.26.%d-00 | https://apt.kubernetes.io kubernetes-xenial%d/main amd64 Packages\n", i % 20, i
}' >"$T/madison.txt"
run 1 audit --rules rules --as-of 2024-01-01 -o "$T/report.xml" "$T/madison.txt"
has "$T/report.xml" '^<testsuites name="skewplan audit" tests="[0-9]+" failures="16000" '
has "$T/report.xml" '^	<testsuite name="packages" tests="16001" failures="16000" '
[ "$(grep -c '<testcase classname="skewplan.packages" name="package-repo-legacy (' "$T/report.xml")" = 16000 ] ||
	die "expected 16000 package-repo-legacy testcases"
tail -1 "$T/report.xml" | grep -q '^</testsuites>$' || die "report.xml is incomplete"
