# cap: 60
# Item 3: one 1 MB line of "-a-a-a..." with no ':' or '@' made the image
# pattern of the sniffer rescan the line from every '-' (a 600 KB line took
# 64 s, 1 MB 479 s). The sniffer now reads a bounded prefix of a line and
# the pattern starts once per word; every capture kind's parser reads the
# whole line. The runner's cap, not a timer, makes a hang fail.
awk 'BEGIN { for (i = 0; i < 524288; i++) printf "-a"; printf "\n" }' >"$T/long.txt"
run 3 inspect "$T/long.txt"
has "$T/err" 'long.txt:1:1: error: unknown capture kind'
for k in images nodes packages version; do
	run 3 inspect "$k=$T/long.txt"
	has "$T/err" 'long.txt:1:1: error: '
done
# The same line after a header still ends in a located error.
{ echo 'NAME     STATUS   ROLES    AGE   VERSION'; cat "$T/long.txt"; } >"$T/nodes.txt"
run 3 inspect "$T/nodes.txt"
has "$T/err" 'nodes.txt:2:[0-9]+: error: '
# A long one-line list of images is still sniffed and read whole.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "registry.k8s.io/pause:3.%d ", i; printf "\n" }' >"$T/images.txt"
run 0 inspect -f json "$T/images.txt"
has "$T/out" '"image": ?"registry.k8s.io/pause:3.19999"'
