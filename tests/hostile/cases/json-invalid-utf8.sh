# Issue 15 item 11: bytes that are not UTF-8 in a text capture went raw
# into inspect -f json and audit -f json, which were then not JSON (nor
# UTF-8). JSON strings now hold U+FFFD (SARIF too, JUnit shows \xNN),
# and a warning names the first such byte of each file.
mkdir "$T/snap"
cp fixtures/seed-v1.26.1/version.txt "$T/snap/"
printf 'NAME     STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME\nnode-1   Ready    control-plane   41d   v1.26.1   10.0.0.1      <none>        Ubuntu\37722.04 LTS   5.15.0-86-generic   containerd://1.6.24\n' >"$T/snap/nodes.txt"
printf '$ apt-cache madison kubeadm\n   kubeadm |  1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial\351/main amd64 Packages\n' >"$T/snap/madison.txt"
utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 || die "$1 is not UTF-8"; }
fffd=$(printf '\357\277\275')
run 0 inspect -f json "$T/snap"
utf8 "$T/out"
has "$T/out" "\"osImage\":\"Ubuntu${fffd}22.04 LTS\""
has "$T/err" "nodes.txt:2:85: warning: invalid UTF-8 \\(byte 0xff\\), the first in this file"
has "$T/err" "madison.txt:2:70: warning: invalid UTF-8 \\(byte 0xe9\\), the first in this file"
[ "$(grep -c 'warning: invalid UTF-8' "$T/err")" = 2 ] || die "one warning per file expected"
for f in json sarif; do
	run 1 audit --rules rules --as-of 2024-01-01 -f $f "$T/snap"
	utf8 "$T/out"
	has "$T/out" "\"subject\":	\"https://apt.kubernetes.io kubernetes-xenial${fffd}/main"
done
run 1 audit --rules rules --as-of 2024-01-01 -f junit "$T/snap"
utf8 "$T/out"
has "$T/out" 'kubernetes-xenial\\xe9/main'
has "$T/err" 'madison.txt:2:70: warning: invalid UTF-8 \(byte 0xe9\), the first in this file; reports show it as \\xe9, JSON strings as U\+FFFD$'
