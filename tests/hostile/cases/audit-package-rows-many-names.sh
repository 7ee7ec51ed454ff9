# cap: 60
# Issue 15 item 8: the package checks compared every madison row with
# every earlier one (collect/seen_before: 100,000 rows took 145 s).
# 40,000 rows of distinct package names from one pkgs.k8s.io repository:
# well over the cap before the fix, a few seconds after. They are one
# package-repo-minor-pinned finding, evidence the first row of the first
# 16 names.
awk 'BEGIN {
	print "$ apt-cache madison kubeadm"
	for (i = 0; i < 40000; i++)
		printf "   kube%d | 1.28.%d-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n", i, i % 20
}' >"$T/madison.txt"
run 0 audit --rules rules --as-of 2024-01-01 --fail-on error -f json "$T/madison.txt"
[ "$(grep -c '"rule":	"package-repo-minor-pinned"' "$T/out")" = 1 ] ||
	die "expected one package-repo-minor-pinned finding"
has "$T/out" '"subject":	"https://pkgs.k8s.io/core:/stable:/v1.28/deb'
[ "$(grep '"rule":	"package-repo-minor-pinned"' -A4 "$T/out" |
	grep -o 'madison.txt:[0-9]*:' | wc -l)" = 16 ] ||
	die "expected 16 evidence locations"
