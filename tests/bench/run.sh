#!/usr/bin/env bash
#
# run.sh - time skewplan against the libyaml floor, jq and yq.
#
# usage: tests/bench/run.sh [SKEWPLAN]
#
# SKEWPLAN defaults to ./skewplan. It may be missing or fail: its columns
# then read n/a and the rest of the table is still printed.
#
# Environment:
#   BENCH_DIR   where inputs and tools are kept (default /tmp/skewplan-bench)
#   BENCH_FULL  1: also 150,000 pods as YAML (~1.1 GB) and JSON (~2.5 GB)
#               and 5,000 nodes as YAML
#   BENCH_YQ    1 (default): time yq on the YAML files up to 200 MB (it
#               needs about 33 bytes of memory per input byte: the 1.1 GB
#               file would not fit in 24 GB); all: on every YAML file;
#               0: never
#   BENCH_RUNS  runs per tool and file; the fastest is kept (default 1)
#   BENCH_ONLY  apis: only the API-usage table (with BENCH_FULL=1, 2 GB of
#               manifests and a 1 GB audit log)
#   CC          C compiler for gen and floor (default cc)
#
# Inputs are generated once by gen.c and reused. Each row shows, per tool,
# wall seconds and peak RSS from /usr/bin/time, then the ratios
# skewplan/floor, jq/skewplan and yq/skewplan (wall time). The floor is a
# bare libyaml event loop (floor.c); JSON is YAML, so it runs on both.
# A second table is JSON ingest (issue 11): `skewplan inspect` on each
# JSON List, item by item (json_walk.c) and with SKEWPLAN_NO_JSON_ITEMS=1
# through libyaml as before; the libyaml floor; cJSON parsing the whole
# document (cjson_whole.c; skipped over 1 GB, it needs 3x the file in
# memory); and `jq length`, which parses it whole too. Columns: wall
# seconds (best of BENCH_RUNS), CPU seconds (user + system, which a
# loaded machine does not inflate) and peak RSS; then the ratios of
# skewplan's CPU time to cJSON's and jq's to skewplan's, and jq's peak
# memory over skewplan's.
# A third table times `skewplan audit` where the size of the input
# drives its lookups and its report writers, each at 10x and 100x a
# normal size (issue 15 items 7-9): an image list (3,000 images is a
# normal cluster), madison rows (1,000), findings written as JSON, SARIF
# and JUnit (1,000), and waivers against findings (400 x 200). Columns:
# wall seconds and peak RSS.
# Then `skewplan inspect` of a terminal session of 1,000 and 4,000
# commands (100 lines each), linear in its size (issue 10).
# A table of API-usage ingest (issue 12) against its floor, printed after
# the first one (alone with BENCH_ONLY=apis): a GitOps tree of `helm
# template` output read with manifests=DIR against the libyaml event loop
# over the same files, and an audit log against a
# bare getline() loop (floor -l); 200 MB each by default, 2 GB and 1 GB
# with BENCH_FULL=1 (gen_apis.c writes them once). Goal: within 1.25x
# of the floor, memory bounded (it grows with the distinct API versions
# and clients, not with the bytes). This table compares CPU time (user +
# system): on a shared machine wall time mostly measures the neighbours.
# A fourth table times `skewplan plan` of 1.28.15 to 1.29 on 3 control-plane
# nodes and 500 or 5,000 workers (issue 11: 5,000 within 15x of 500 in
# time and output size, under 256 MB), in each output format. Columns:
# wall seconds, peak RSS and the size of the report.
# Not run by CI; "make bench" calls it.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
skewplan=${1:-./skewplan}
dir=${BENCH_DIR:-/tmp/skewplan-bench}
runs=${BENCH_RUNS:-1}
cc=${CC:-cc}
timebin=/usr/bin/time

die() {
	echo "run.sh: error: $*" >&2
	exit 1
}

[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ -x $timebin ]] ||
    die "$timebin not found (GNU time); install it: apt-get install -y time"
mkdir -p -- "$dir"

# Build the helpers when their source is newer than the binary.
build() {
	local out=$1 src=$2
	shift 2
	if [[ ! -x $out || $src -nt $out ]]; then
		echo "building $out" >&2
		"$cc" -std=c11 -O2 -Wall -Wextra -o "$out.tmp" "$src" "$@"
		mv -f -- "$out.tmp" "$out"
	fi
}
build "$dir/gen" "$here/gen.c"
build "$dir/gen_apis" "$here/gen_apis.c"
pkg-config --exists yaml-0.1 ||
    die "libyaml not found by pkg-config; install it: apt-get install -y libyaml-dev"
# shellcheck disable=SC2046  # pkg-config output is meant to split
build "$dir/floor" "$here/floor.c" $(pkg-config --cflags --libs yaml-0.1)
have_cjson=0
if pkg-config --exists libcjson; then
	# shellcheck disable=SC2046
	build "$dir/cjson_whole" "$here/cjson_whole.c" $(pkg-config --cflags --libs libcjson)
	have_cjson=1
fi

# gen writes NAME.tmp and renames, so an existing file is complete.
input() {
	local kind=$1 fmt=$2 count=$3
	local f="$dir/$kind-$count.$fmt"
	if [[ ! -s $f ]]; then
		echo "generating $f" >&2
		"$dir/gen" "$kind" "$fmt" "$count" "$f"
	fi
	printf '%s\n' "$f"
}

files=()
if [[ ${BENCH_ONLY:-} != apis ]]; then
	files+=("$(input pods yaml 15000)")
	files+=("$(input pods json 15000)")
fi
if [[ ${BENCH_FULL:-0} == 1 && ${BENCH_ONLY:-} != apis ]]; then
	files+=("$(input pods yaml 150000)")
	files+=("$(input pods json 150000)")
	files+=("$(input nodes yaml 5000)")
fi

have_skewplan=0
if [[ -x $skewplan ]]; then
	have_skewplan=1
else
	echo "note: $skewplan not found or not executable; skewplan columns are n/a" >&2
fi
have_jq=0
command -v jq >/dev/null 2>&1 && have_jq=1
have_yq=0
if [[ ${BENCH_YQ:-1} != 0 ]]; then
	if command -v yq >/dev/null 2>&1; then
		have_yq=1
	else
		echo "note: BENCH_YQ=1 but yq is not installed" >&2
	fi
fi

# measure CMD... -> prints "SECONDS KB", or "fail" if CMD failed in any
# run. Output goes to /dev/null; stderr is kept for the failure note.
measure() {
	local tf ef best="" rss=0 i t m
	tf=$(mktemp) ef=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		if ! "$timebin" -o "$tf" -f '%e %M' "$@" >/dev/null 2>"$ef"; then
			echo "note: failed: $* ($(head -c 200 "$ef" | tr '\n' ' '))" >&2
			rm -f -- "$tf" "$ef"
			echo fail
			return 0
		fi
		read -r t m <"$tf"
		if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
		fi
		((m > rss)) && rss=$m
	done
	rm -f -- "$tf" "$ef"
	echo "$best $rss"
}

# cell "SECONDS KB"|fail|n/a -> "12.34s 567MB"
cell() {
	case $1 in
	fail | n/a) printf '%s' "$1" ;;
	*) awk -v s="${1% *}" -v k="${1#* }" 'BEGIN { m = k / 1024; printf (m < 10 ? "%.2fs %.1fMB" : "%.2fs %.0fMB"), s, m }' ;;
	esac
}

# ratio A B -> A/B as "1.23x", or "-" when either is not a measurement.
ratio() {
	case "$1|$2" in
	fail* | n/a* | *\|fail | *\|n/a) printf -- '-' ;;
	*) awk -v a="${1% *}" -v b="${2% *}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }' ;;
	esac
}

human_size() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1e9) printf "%.2fGB", n / 1e9
		else printf "%.1fMB", n / 1e6 }'
}

echo "skewplan bench: $(uname -sm), $(nproc 2>/dev/null || echo '?') cpus, runs=$runs"
echo "skewplan: $skewplan; jq: $( ((have_jq)) && jq --version || echo none); yq: $( ((have_yq)) && yq --version 2>&1 | head -1 || echo off)"
fmt='%-22s %9s  %-16s %-16s %-16s %-16s %9s %9s %9s\n'
# shellcheck disable=SC2059  # the format is ours
printf "$fmt" file size skewplan floor jq yq sp/floor jq/sp yq/sp

for f in "${files[@]}"; do
	size=$(stat -c %s -- "$f")
	# Warm the page cache so the first tool is not charged for the disk.
	cat -- "$f" >/dev/null

	case $f in
	*/nodes-*) q='.items[].status.nodeInfo.kubeletVersion' ;;
	*) q='.items[].spec.containers[].image' ;;
	esac

	sp=n/a
	((have_skewplan)) && sp=$(measure "$skewplan" inspect -f json "$f")
	fl=$(measure "$dir/floor" "$f")
	jqr=n/a
	yqr=n/a
	case $f in
	*.json) ((have_jq)) && jqr=$(measure jq -r "$q" "$f") ;;
	*.yaml)
		if ((have_yq)) && { [[ ${BENCH_YQ:-1} == all ]] ||
			((size <= 200000000)); }; then
			yqr=$(measure yq -r "$q" "$f")
		fi ;;
	esac

	# shellcheck disable=SC2059
	printf "$fmt" "$(basename -- "$f")" "$(human_size "$size")" \
	    "$(cell "$sp")" "$(cell "$fl")" "$(cell "$jqr")" "$(cell "$yqr")" \
	    "$(ratio "$sp" "$fl")" "$(ratio "$jqr" "$sp")" "$(ratio "$yqr" "$sp")"
done

# ------------------------------------------------------------ API usage

# api_input KIND BYTES -> a generated tree or log; a tree is complete once
# its .done marker exists (gen_apis renames each file into place).
api_input() {
	local kind=$1 bytes=$2 f
	case $kind in
	manifests) f="$dir/manifests-$bytes" ;;
	audit) f="$dir/audit-$bytes.log" ;;
	esac
	if [[ ! -e $f.done ]]; then
		echo "generating $f" >&2
		rm -rf -- "$f"
		"$dir/gen_apis" "$kind" "$f" "$bytes"
		: >"$f.done"
	fi
	printf '%s\n' "$f"
}

# cpu_measure CMD... -> "CPU_SECONDS KB" (user + system time, the best of
# BENCH_RUNS): on a shared machine wall time measures the neighbours.
cpu_measure() {
	local tf best="" rss=0 i u s m c
	tf=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		if ! "$timebin" -o "$tf" -f '%U %S %M' "$@" >/dev/null 2>&1; then
			echo "note: failed: $*" >&2
			rm -f -- "$tf"
			echo fail
			return 0
		fi
		read -r u s m <"$tf"
		c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		if [[ -z $best ]] || awk -v a="$c" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$c
		fi
		((m > rss)) && rss=$m
	done
	rm -f -- "$tf"
	echo "$best $rss"
}

apifmt='%-26s %9s  %-16s %-16s %9s\n'
echo
echo "API usage ingest (issue 12): skewplan inspect -f json against its floor,"
echo "CPU seconds (user + system) and peak RSS"
# shellcheck disable=SC2059
printf "$apifmt" input size skewplan floor sp/floor
small=$((200 * 1000 * 1000))
sizes=("$small")
[[ ${BENCH_FULL:-0} == 1 ]] && sizes+=(2147483648)
for b in "${sizes[@]}"; do
	m=$(api_input manifests "$b")
	mapfile -t mf < <(find "$m" -name '*.yaml' -type f | LC_ALL=C sort)
	msize=$(cat -- "${mf[@]}" | wc -c)
	sp=$(cpu_measure "$skewplan" inspect -f json "manifests=$m")
	fl=$(cpu_measure "$dir/floor" "${mf[@]}")
	# shellcheck disable=SC2059
	printf "$apifmt" "manifests tree, ${#mf[@]} files" "$(human_size "$msize")" \
	    "$(cell "$sp")" "$(cell "$fl")" "$(ratio "$sp" "$fl")"
done
sizes=("$small")
[[ ${BENCH_FULL:-0} == 1 ]] && sizes+=(1073741824)
for b in "${sizes[@]}"; do
	a=$(api_input audit "$b")
	cat -- "$a" >/dev/null
	sp=$(cpu_measure "$skewplan" inspect -f json "audit=$a")
	fl=$(cpu_measure "$dir/floor" -l "$a")
	# shellcheck disable=SC2059
	printf "$apifmt" "audit log" "$(human_size "$(stat -c %s -- "$a")")" \
	    "$(cell "$sp")" "$(cell "$fl")" "$(ratio "$sp" "$fl")"
done
[[ ${BENCH_ONLY:-} == apis ]] && exit 0

# ------------------------------------------------------------- JSON ingest

# measure_cpu CMD... -> "WALL CPU KB" (the fastest run's wall and CPU
# seconds, the largest peak RSS), or "fail".
measure_cpu() {
	local tf ef best="" cpu="" rss=0 i t u s m
	tf=$(mktemp) ef=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		if ! "$timebin" -o "$tf" -f '%e %U %S %M' "$@" >/dev/null 2>"$ef"; then
			echo "note: failed: $* ($(head -c 200 "$ef" | tr '\n' ' '))" >&2
			rm -f -- "$tf" "$ef"
			echo fail
			return 0
		fi
		read -r t u s m <"$tf"
		if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
			cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		fi
		((m > rss)) && rss=$m
	done
	rm -f -- "$tf" "$ef"
	echo "$best $cpu $rss"
}

# cell3 "WALL CPU KB"|fail|n/a -> "12.34s 5.67cpu 89MB"
cell3() {
	case $1 in
	fail | n/a) printf '%s' "$1" ;;
	*) awk -v r="$1" 'BEGIN { split(r, f, " "); m = f[3] / 1024
		printf (m < 10 ? "%.2fs %.2fcpu %.1fMB" : "%.2fs %.2fcpu %.0fMB"), f[1], f[2], m }' ;;
	esac
}

# ratio3 A B FIELD -> A/B of field 2 (CPU) or 3 (memory), or "-".
ratio3() {
	case "$1|$2" in
	fail* | n/a* | *\|fail | *\|n/a) printf -- '-' ;;
	*) awk -v a="$1" -v b="$2" -v k="$3" 'BEGIN { split(a, x, " "); split(b, y, " ")
		if (y[k] > 0) printf "%.1fx", x[k] / y[k]; else printf "-" }' ;;
	esac
}

jfmt='%-18s %9s  %-22s %-22s %-22s %-22s %-22s %8s %8s %8s\n'
echo
echo "JSON ingest: inspect item by item (json_walk) vs libyaml, the floor, cJSON whole, jq length"
# shellcheck disable=SC2059
printf "$jfmt" file size skewplan "skewplan(libyaml)" floor "cJSON whole" "jq length" \
    sp/cJSON jq/sp jqmem/sp
for f in "${files[@]}"; do
	[[ $f == *.json ]] || continue
	size=$(stat -c %s -- "$f")
	cat -- "$f" >/dev/null
	sp=n/a old=n/a cj=n/a jqr=n/a
	if ((have_skewplan)); then
		sp=$(measure_cpu "$skewplan" inspect -f json "$f")
		old=$(SKEWPLAN_NO_JSON_ITEMS=1 measure_cpu "$skewplan" inspect -f json "$f")
	fi
	fl=$(measure_cpu "$dir/floor" "$f")
	((have_cjson)) && ((size <= 1000000000)) && cj=$(measure_cpu "$dir/cjson_whole" "$f")
	((have_jq)) && jqr=$(measure_cpu jq length "$f")
	# shellcheck disable=SC2059
	printf "$jfmt" "$(basename -- "$f")" "$(human_size "$size")" \
	    "$(cell3 "$sp")" "$(cell3 "$old")" "$(cell3 "$fl")" "$(cell3 "$cj")" \
	    "$(cell3 "$jqr")" "$(ratio3 "$sp" "$cj" 2)" "$(ratio3 "$jqr" "$sp" 2)" \
	    "$(ratio3 "$jqr" "$sp" 3)"
done

# ------------------------------------------------------------ audit scale

((have_skewplan)) || exit 0
rules=$(dirname -- "$skewplan")/rules
[[ -d $rules ]] || rules=rules
afmt='%-24s %15s %9s  %-16s\n'
echo
echo "audit scale (rules: $rules)"
# shellcheck disable=SC2059
printf "$afmt" row items size skewplan

# arow LABEL ITEMS FILE ARGS...: one audit, its output thrown away.
arow() {
	local label=$1 items=$2 f=$3 r
	shift 3
	r=$(measure "$skewplan" audit --rules "$rules" --as-of 2024-01-01 \
	    --fail-on never "$@")
	# shellcheck disable=SC2059
	printf "$afmt" "$label" "$items" "$(human_size "$(stat -c %s -- "$f")")" \
	    "$(cell "$r")"
}

for n in 30000 300000; do
	f=$(input images text "$n")
	arow "frozen-registry images" "$n" "$f" -f json "$f"
done
for n in 10000 100000; do
	f=$(input madison text "$n")
	arow "package rows" "$n" "$f" -f json "$f"
done
for n in 10000 100000; do
	f=$(input legacy text "$n")
	for fmt in json sarif junit; do
		arow "findings -f $fmt" "$n" "$f" -f "$fmt" "$f"
	done
done
for n in 4000 40000; do
	f=$(input legacy text $((n / 2)))
	w=$(input waivers text "$n")
	arow "waivers x findings" "$n x $((n / 2))" "$w" --waivers "$w" "$f"
done

# ---------------------------------------------------------- session scale

# session PROMPTS -> a terminal log of PROMPTS commands of 100 lines each:
# kubectl version, kubectl get nodes, apt-cache madison kubeadm and uname
# in turn (issue 10: each output is read from its own lines, so the time
# grows with the file, not with commands x lines).
session() {
	local n=$1 f="$dir/session-$1.log"
	if [[ ! -s $f ]]; then
		awk -v n="$n" 'BEGIN {
			for (s = 0; s < n; s++) {
				k = s % 4
				if (k == 0) {
					print "$ kubectl version"
					print "Client Version: v1.28." s % 10
					print "Server Version: v1.28." s % 10
					for (i = 0; i < 97; i++) print ""
				} else if (k == 1) {
					print "$ kubectl get nodes"
					print "NAME      STATUS   ROLES    AGE   VERSION"
					for (i = 0; i < 98; i++)
						printf "node-%d   Ready    <none>   10d   v1.28.%d\n", i, s % 10
				} else if (k == 2) {
					print "$ apt-cache madison kubeadm"
					for (i = 0; i < 99; i++)
						printf "   kubeadm | 1.28.%d-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n", i % 16
				} else {
					print "$ uname -a"
					for (i = 0; i < 99; i++) print "Linux cp-1 6.1.0-13-amd64 x86_64 GNU/Linux"
				}
			}
		}' >"$f.tmp"
		mv -f -- "$f.tmp" "$f"
	fi
	printf '%s\n' "$f"
}

echo
echo "session scale: inspect of a terminal log, 100 lines per command"
# shellcheck disable=SC2059
printf "$afmt" row items size skewplan
for n in 1000 4000; do
	f=$(session "$n")
	r=$(measure "$skewplan" inspect -f json "$f")
	# shellcheck disable=SC2059
	printf "$afmt" "session commands" "$n x 100" \
	    "$(human_size "$(stat -c %s -- "$f")")" "$(cell "$r")"
done

# ------------------------------------------------------------- plan scale

# snapshot WORKERS -> a directory as tools/capture.sh saves one (the shape
# tests/replay/replay.py writes): 3 control-plane nodes and WORKERS
# workers at 1.28.15, kubectl version, and apt-cache madison of v1.28.
snapshot() {
	local n=$1 d="$dir/cluster-$1"
	if [[ ! -s $d/nodes.txt ]]; then
		mkdir -p -- "$d"
		awk -v n="$n" 'BEGIN {
			print "$ kubectl get nodes"
			printf "%-16s%-9s%-16s%-7s%s\n", "NAME", "STATUS", "ROLES", "AGE", "VERSION"
			for (i = 1; i <= 3; i++)
				printf "%-16s%-9s%-16s%-7s%s\n", "cp-" i, "Ready", "control-plane", "200d", "v1.28.15"
			for (i = 1; i <= n; i++)
				printf "%-16s%-9s%-16s%-7s%s\n", "worker-" i, "Ready", "<none>", "200d", "v1.28.15"
		}' >"$d/nodes.txt.tmp"
		printf '%s\n' '$ kubectl version' 'Client Version: v1.28.15' \
		    'Kustomize Version: v5.0.4' 'Server Version: v1.28.15' \
		    >"$d/version.txt"
		for p in kubeadm kubelet kubectl; do
			echo "\$ apt-cache madison $p"
			for ((i = 15; i >= 0; i--)); do
				printf '%10s | %12s | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n' \
				    "$p" "1.28.$i-1.1"
			done
		done >"$d/madison.txt"
		mv -f -- "$d/nodes.txt.tmp" "$d/nodes.txt"
	fi
	printf '%s\n' "$d"
}

pfmt='%-14s %8s  %-16s %10s\n'
echo
echo "plan scale: 1.28.15 -> 1.29, 3 control-plane nodes + N workers"
# shellcheck disable=SC2059
printf "$pfmt" format workers skewplan output
for fmt in json text markdown html sarif junit; do
	for n in 500 5000; do
		d=$(snapshot "$n")
		of=$(mktemp)
		tf=$(mktemp)
		if "$timebin" -o "$tf" -f '%e %M' "$skewplan" plan --rules "$rules" \
		    --to 1.29 --as-of 2025-01-15 -f "$fmt" "$d" >"$of" 2>/dev/null; then
			r=$(cat "$tf")
		else
			r=fail
		fi
		# shellcheck disable=SC2059
		printf "$pfmt" "$fmt" "$n" "$(cell "$r")" \
		    "$(human_size "$(stat -c %s -- "$of")")"
		rm -f -- "$of" "$tf"
	done
done

# Drain blockers (issue 13): 150,000 pods and 20,000 PodDisruptionBudgets
# over 500 workers, generated once by gen_drain.py. `skewplan audit` reads
# them (one pass for images and drain objects), indexes the labels and
# matches every budget; `skewplan plan` puts the blockers under each drain.
# Wall seconds and peak RSS.
echo
echo "drain blockers: 150,000 pods + 20,000 PDBs, 500 workers"
dd=$dir/drain-150000
if [[ ! -f $dd/workloads.yaml ]]; then
	python3 "$here/gen_drain.py" "$dd" 150000 20000 ||
	    die "gen_drain.py failed"
fi
printf 'input: %s\n' "$(human_size "$(stat -c %s -- "$dd/workloads.yaml")")"
for what in audit plan; do
	tf=$(mktemp)
	if [[ $what == audit ]]; then
		set -- audit --rules "$rules" --as-of 2025-01-15 -f json "$dd"
	else
		set -- plan --rules "$rules" --to 1.30 --max-unavailable 5 \
		    --as-of 2025-01-15 -f json "$dd"
	fi
	rc=0
	"$timebin" -o "$tf" -f '%e %M' "$skewplan" "$@" >/dev/null 2>&1 || rc=$?
	if [[ $rc == 0 || $rc == 1 ]]; then
		# GNU time puts "Command exited with non-zero status 1" first.
		read -r secs kb < <(tail -n 1 -- "$tf")
		printf '%-6s %8s s  peak %6s MB\n' "$what" "$secs" "$((kb / 1024))"
	else
		printf '%-6s fail (exit %s)\n' "$what" "$rc"
	fi
	rm -f -- "$tf"
done
