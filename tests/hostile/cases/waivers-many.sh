# cap: 60
# Issue 15 item 9: each finding was matched against every waiver, with
# fnmatch(3) even for an exact subject (40,000 waivers x 20,000 findings:
# 94 s). 28,000 waivers against 6,000 findings: minutes before the fix,
# seconds after. The one exact waiver and the one glob (10 subjects)
# still apply.
awk 'BEGIN {
	print "$ apt-cache madison kubeadm"
	for (i = 0; i < 6000; i++)
		printf "   kubeadm | 1.26.%d-00 | https://apt.kubernetes.io kubernetes-xenial%d/main amd64 Packages\n", i % 20, i
}' >"$T/madison.txt"
awk 'BEGIN {
	for (i = 0; i < 28000; i++)
		printf "- {rule: package-repo-legacy, subject: \"https://apt.kubernetes.io kubernetes-xenial/main amd64 %d\", reason: r, owner: o, expires: 2030-01-01}\n", i
	print "- {rule: package-repo-legacy, subject: \"https://apt.kubernetes.io kubernetes-xenial7/main amd64 Packages\", reason: exact, owner: o, expires: 2030-01-01}"
	print "- {rule: package-repo-legacy, subject: \"https://apt.kubernetes.io kubernetes-xenial1?/main *\", reason: glob, owner: o, expires: 2030-01-01}"
}' >"$T/waivers.yaml"
run 1 audit --rules rules --as-of 2024-01-01 --waivers "$T/waivers.yaml" "$T/madison.txt"
has "$T/out" '^Summary: 5989 errors, [0-9]+ warnings?, [0-9]+ info, 11 suppressed$'
has "$T/out" 'waiver: +o, until 2030-01-01: exact$'
[ "$(grep -c 'waiver: *o, until 2030-01-01: glob$' "$T/out")" = 10 ] ||
	die "expected the glob waiver on 10 findings"
