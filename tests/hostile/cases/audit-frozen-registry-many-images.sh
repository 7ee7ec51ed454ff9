# cap: 60
# Issue 15 item 7: the frozen-registry check compared every image with
# every earlier one to find its first use (300,000 pods: two minutes).
# 200,000 distinct images, one k8s.gcr.io image among them used 20 times:
# well over the cap before the fix, a few seconds after. The repeated
# image is one finding with its first 16 places as evidence.
awk 'BEGIN {
	for (i = 0; i < 200000; i++) {
		printf "registry.example.com/team/app-%d:1.%d.0\n", i, i % 50
		if (i % 10000 == 0)
			print "k8s.gcr.io/pause:3.1"
	}
}' >"$T/images.txt"
run 1 audit --rules rules --as-of 2024-01-01 -f json "$T/images.txt"
[ "$(grep -c '"rule":	"image-frozen-registry"' "$T/out")" = 1 ] ||
	die "expected one image-frozen-registry finding"
has "$T/out" '"subject":	"k8s.gcr.io/pause:3.1"'
# Evidence: the first 16 of its 20 lines, in file order.
has "$T/out" "\"evidence\":	\\[\"$T/images.txt:2:1\", \"$T/images.txt:10003:1\", "
[ "$(grep '"subject":	"k8s.gcr.io/pause:3.1"' -A2 "$T/out" |
	grep -o 'images.txt:[0-9]*:1' | wc -l)" = 16 ] ||
	die "expected 16 evidence locations"
