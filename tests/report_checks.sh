#!/bin/sh
# Checks of the CI and print reports that a golden diff cannot make: the
# SARIF validator and a JUnit reader on generated files, HTML printed to PDF
# (every hop on a new page, every command whole, A4 and Letter), escaping
# of hostile snapshot text in every format, determinism, and the all-or-
# nothing -o contract. A check whose tool is not installed is skipped and
# says so; .ci/run installs them all.
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
LC_ALL=C TZ=UTC
export LC_ALL TZ
unset SOURCE_DATE_EPOCH NO_COLOR
pass=0
fail=0
skipped=0
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "report_checks: FAILED: $*"; }
skip() { skipped=$((skipped + 1)); echo "report_checks: skipped: $*"; }
check() {
	name=$1
	shift
	if "$@"; then ok; else bad "$name"; fi
}

SEED="--as-of 2024-03-20 --rules rules --waivers fixtures/waivers/seed-2024.yaml fixtures/seed-v1.26.1"
HA="--as-of 2024-06-01 --rules rules fixtures/ha-1.24.17"
ESC="--as-of 2024-03-20 --rules rules --waivers fixtures/waivers/escaping.yaml"
FORMATS="text json markdown html sarif junit codeclimate"
# The reviewed expectations: golden cases with the same arguments. A check
# compares a report with one of these (or with a value from the rules data
# or the source), never only with another report of the run under test,
# which would pass if both were wrong or empty.
G=tests/golden
seed_golden() {
	case $1 in
	text) echo $G/audit-seed-2024-waivers/expected.stdout ;;
	json) echo $G/audit-seed-2024-json/expected.stdout ;;
	*) echo $G/audit-seed-$1/expected.stdout ;;
	esac
}
ha_golden() {
	case $1 in
	codeclimate) echo $G/audit-ha-codeclimate-prefix/expected.stdout ;;
	*) echo $G/audit-ha-$1/expected.stdout ;;
	esac
}

# A python3 with junitparser (Debian's python3-junitparser lives in the
# system interpreter, which may not be the first python3 on PATH).
PY=""
PYJ=""
for p in python3 /usr/bin/python3; do
	command -v "$p" >/dev/null 2>&1 || continue
	[ -n "$PY" ] || PY=$p
	if "$p" -c 'import junitparser' 2>/dev/null; then PYJ=$p; break; fi
done

# ------------------------------------------------------- audit reports
for f in $FORMATS; do
	# shellcheck disable=SC2086
	"$SKEWPLAN" audit $SEED -f "$f" >"$tmp/seed.$f" 2>"$tmp/err"
	rc=$?
	check "audit -f $f exits 1 with findings" [ $rc -eq 1 ]
	check "audit -f $f is silent on stderr" [ ! -s "$tmp/err" ]
	# shellcheck disable=SC2086
	"$SKEWPLAN" audit $SEED -f "$f" >"$tmp/seed2.$f" 2>/dev/null
	check "audit -f $f is byte-identical across runs" \
		cmp -s "$tmp/seed.$f" "$tmp/seed2.$f"
	# shellcheck disable=SC2086
	"$SKEWPLAN" audit $HA -f "$f" >"$tmp/ha.$f" 2>/dev/null
	check "audit -f $f equals its golden" cmp -s "$tmp/seed.$f" "$(seed_golden "$f")"
	[ "$f" = text ] || [ "$f" = json ] ||
		check "audit -f $f of the HA snapshot equals its golden" \
			cmp -s "$tmp/ha.$f" "$(ha_golden "$f")"
done
# Every report names the version, the rules data date and the as-of date:
# the version from the source, the date from the rules data.
v=$(sed -n 's/^#define SKEWPLAN_VERSION "\([0-9.]*\)"$/\1/p' analyzer/base/base.h)
check "base.h defines SKEWPLAN_VERSION" [ -n "$v" ]
for f in markdown html sarif junit; do
	check "audit -f $f names the skewplan version" \
		grep -qF "${v:-no version}" "$tmp/seed.$f"
	check "audit -f $f names the as-of date" grep -q '2024-03-20' "$tmp/seed.$f"
	# The date the rules data says, not one read from a report under test.
	d=$(awk '/^compiled:/ {print $2; exit}' rules/data/releases.yaml)
	check "audit -f $f names the rules data date" sh -c \
		"echo '$d' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}\$' && grep -q '$d' '$tmp/seed.$f'"
done

# -o: one run, every format; each file equals the -f stdout report.
mkdir "$tmp/o"
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED -o "$tmp/o/r.txt" -o "$tmp/o/r.json" -o "$tmp/o/r.md" \
	-o "$tmp/o/r.html" -o "$tmp/o/r.sarif" -o "$tmp/o/r.xml" \
	-o "junit:$tmp/o/junit.report" >"$tmp/o.stdout" 2>"$tmp/err"
check "audit with six -o exits 1" [ $? -eq 1 ]
check "audit with -o writes nothing to stdout" [ ! -s "$tmp/o.stdout" ]
for pair in txt:text json:json md:markdown html:html sarif:sarif xml:junit; do
	check "-o r.${pair%%:*} equals the -f ${pair#*:} golden" \
		cmp -s "$tmp/o/r.${pair%%:*}" "$(seed_golden "${pair#*:}")"
done
check "-o junit:FILE takes the format from the prefix" \
	cmp -s "$tmp/o/junit.report" "$(seed_golden junit)"
check "-o leaves no temporary file" \
	[ "$(find "$tmp/o" -name '.*tmp*' | wc -l)" -eq 0 ]

# ------------------------------------------------------- -o failures
echo old >"$tmp/keep.json"
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED -o "$tmp/keep.json" -o "$tmp/nodir/x.sarif" \
	>/dev/null 2>"$tmp/err"
check "-o into a missing directory exits 5" [ $? -eq 5 ]
check "a failed run keeps the existing file" [ "$(cat "$tmp/keep.json")" = old ]
check "a failed run leaves no output file" [ ! -e "$tmp/nodir/x.sarif" ]
check "a failed run leaves no temporary file" \
	[ "$(find "$tmp" -maxdepth 1 -name '.*tmp*' | wc -l)" -eq 0 ]
check "a failed run says why" grep -q 'No such file or directory' "$tmp/err"
mkdir "$tmp/isdir"
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED -o "$tmp/keep.json" -o "html:$tmp/isdir" \
	>/dev/null 2>&1
check "-o onto a directory exits 5" [ $? -eq 5 ]
check "-o onto a directory keeps the other file" \
	[ "$(cat "$tmp/keep.json")" = old ]
check "-o onto a directory leaves it empty" \
	[ "$(find "$tmp/isdir" "$tmp" -maxdepth 1 -name '.*tmp*' | wc -l)" -eq 0 ]
# Root writes into a read-only directory anyway: as root, the check runs
# as the unprivileged user nobody (setpriv, from util-linux).
AS_USER=""
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 &&
		AS_USER="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	chmod 711 "$tmp"
fi
if [ "$(id -u)" != 0 ] || [ -n "$AS_USER" ]; then
	mkdir "$tmp/ro"
	echo old >"$tmp/ro/r.json"
	chmod 555 "$tmp/ro"
	# nobody may not enter the checkout (a clone in a mktemp -d is 0700):
	# the binary, rules and seed it reads are copied under $tmp first.
	run=$tmp/run
	mkdir -p "$run/fixtures/waivers"
	cp "$SKEWPLAN" "$run/skewplan"
	cp -R rules "$run/rules"
	cp -R fixtures/seed-v1.26.1 "$run/fixtures/"
	cp fixtures/waivers/seed-2024.yaml "$run/fixtures/waivers/"
	chmod -R a+rX,go-w "$run"
	# shellcheck disable=SC2086
	(cd "$run" && $AS_USER ./skewplan audit $SEED -o "$tmp/ro/r.json") \
		>"$tmp/ro.out" 2>&1
	rc=$?
	check "-o into a read-only directory exits 5" [ $rc -eq 5 ]
	[ $rc -eq 5 ] || head -5 "$tmp/ro.out"
	check "-o into a read-only directory keeps the file" \
		[ "$(cat "$tmp/ro/r.json")" = old ]
	chmod 755 "$tmp/ro"
else
	skip "read-only directory (running as root without setpriv)"
fi
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED -o "$tmp/x.bin" >/dev/null 2>&1
check "-o with an unknown extension is a usage error" [ $? -eq 2 ]
check "a usage error writes no file" [ ! -e "$tmp/x.bin" ]
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED -o "$tmp/a.json" -o "$tmp/a.json" >/dev/null 2>&1
check "the same -o twice is a usage error" [ $? -eq 2 ]

# ------------------------------------------------------- colour
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED --color always >"$tmp/color.txt" 2>/dev/null
check "--color always colours the text report" \
	grep -q "$(printf '\033')\[1;31merror" "$tmp/color.txt"
check "colour leaves the words unchanged" \
	sh -c "sed 's/$(printf '\033')\[[0-9;]*m//g' '$tmp/color.txt' | cmp -s - '$(seed_golden text)'"
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED --color auto >"$tmp/auto.txt" 2>/dev/null
check "--color auto does not colour a file" cmp -s "$tmp/auto.txt" "$(seed_golden text)"
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED --color always -o "$tmp/c.txt" >/dev/null 2>&1
check "colour never reaches an -o file" cmp -s "$tmp/c.txt" "$(seed_golden text)"

# ------------------------------------------------------- plan reports
# The plan command takes the shared output options once cli/plan.c is
# wired to cli_write_outputs(); until then these checks are skipped.
"$SKEWPLAN" plan --to 1.28 --as-of 2024-06-01 -f html \
	fixtures/ha-1.24.17 >"$tmp/plan.html" 2>/dev/null
if [ $? -ne 2 ]; then
	plan=1
	"$SKEWPLAN" plan --to 1.28 --as-of 2024-06-01 -f json \
		fixtures/ha-1.24.17 >"$tmp/plan.json" 2>/dev/null
	for f in sarif junit markdown; do
		"$SKEWPLAN" plan --to 1.28 --as-of 2024-06-01 \
			-f "$f" fixtures/ha-1.24.17 >"$tmp/plan.$f" 2>/dev/null
	done
	"$SKEWPLAN" plan --to 1.28 --as-of 2024-06-01 -f html \
		fixtures/ha-1.24.17 >"$tmp/plan2.html" 2>/dev/null
	check "plan -f html is byte-identical across runs" \
		cmp -s "$tmp/plan.html" "$tmp/plan2.html"
	for f in html markdown sarif junit; do
		check "plan -f $f equals its golden" \
			cmp -s "$tmp/plan.$f" "$G/plan-ha-multihop-$f/expected.stdout"
	done
	# JSON has no golden here: its steps are counted against the
	# reviewed Markdown runbook, one checkbox per step, of which there
	# are some.
	steps=$(grep -c '^- \[ \]' "$G/plan-ha-multihop-markdown/expected.stdout")
	check "plan -f json has a step per checkbox of the golden runbook" \
		[ "$steps" -gt 0 -a "$(grep -c '"action"' "$tmp/plan.json")" -eq "$steps" ]
else
	plan=0
	skip "plan reports (plan does not take -f html yet)"
fi

# plan --fail-on (issue 12): an API in use that a hop removes refuses the
# plan, and every -o file is the whole refused report, never a runbook.
APIS="--to 1.26 --as-of 2023-12-01 --rules rules fixtures/apis-1.24 fixtures/apis-manifests"
mkdir -p "$tmp/failon"
"$SKEWPLAN" plan --fail-on error $APIS -o "$tmp/failon/plan.txt" \
	-o "$tmp/failon/plan.json" -o "$tmp/failon/plan.md" \
	>"$tmp/failon.stdout" 2>"$tmp/failon.stderr"
check "plan --fail-on error with an API a hop removes exits 1" [ $? -eq 1 ]
check "the refused plan's text file equals its golden" \
	cmp -s "$tmp/failon/plan.txt" "$G/plan-apis-fail-on-error/expected.stdout"
check "the refused plan's JSON has no step" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["steps"] != [] or not d["findings"])' "$tmp/failon/plan.json"
check "the refused plan's Markdown has no runbook" \
	sh -c '! grep -q "^- \[ \]" "$1" && grep -q api-removed-in-target "$1"' _ "$tmp/failon/plan.md"
check "a refused plan leaves no temporary file" \
	[ "$(ls "$tmp/failon" | wc -l)" -eq 3 ]
"$SKEWPLAN" plan --fail-on never $APIS -o "$tmp/failon/never.txt" \
	>/dev/null 2>&1
check "plan --fail-on never writes the runbook and exits 0" [ $? -eq 0 ]
check "the runbook migrates the APIs before the hop" \
	grep -q "Migrate the API versions 1.25 no longer serves" "$tmp/failon/never.txt"

# ------------------------------------------------------- SARIF validator
SARIF=""
if command -v sarif-multitool >/dev/null 2>&1; then
	SARIF=sarif-multitool
elif command -v sarif >/dev/null 2>&1; then
	SARIF=sarif
fi
sarif_valid() {
	$SARIF validate "$1" >"$tmp/validate.out" 2>&1 || return 1
	grep -q 'Analysis completed successfully' "$tmp/validate.out" || return 1
	! grep -qE ': (error|warning) ' "$tmp/validate.out"
}
# A validator that cannot start (an npm install readable by root only, say)
# is no validator: skip rather than blame the SARIF.
if [ -n "$SARIF" ] && ! $SARIF --version >/dev/null 2>&1; then
	skip "SARIF validator: '$SARIF --version' does not run for this user"
	SARIF=""
elif [ -n "$SARIF" ]; then
	check "SARIF of the seed audit validates" sarif_valid "$tmp/seed.sarif"
	check "SARIF of the HA audit validates" sarif_valid "$tmp/ha.sarif"
	"$SKEWPLAN" audit --as-of 2023-03-20 --rules rules -f sarif \
		--baseline fixtures/baseline/seed-2024-03-20.json \
		fixtures/seed-v1.26.1 >"$tmp/baseline.sarif" 2>/dev/null
	check "SARIF with baselineState (new, unchanged, absent) validates" \
		sarif_valid "$tmp/baseline.sarif"
	if [ $plan = 1 ]; then
		check "SARIF of the HA plan validates" sarif_valid "$tmp/plan.sarif"
	fi
elif [ -z "$SARIF" ]; then
	skip "SARIF validator (npm install -g @microsoft/sarif-multitool)"
fi

# ------------------------------------------------------- JSON, SARIF, JUnit agree
if [ -n "$PY" ]; then
	cat >"$tmp/agree.py" <<'EOF'
import json, sys
audit = json.load(open(sys.argv[1]))
sarif = json.load(open(sys.argv[2]))
golden = json.load(open(sys.argv[3]))
run = sarif["runs"][0]
res = run["results"]
assert sarif["version"] == "2.1.0"
want = [r["ruleId"] for r in golden["runs"][0]["results"]]
assert want, "the golden SARIF has no results"
assert [r["ruleId"] for r in res] == want, ([r["ruleId"] for r in res], want)
assert [f["rule"] for f in audit["findings"]] == want
ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
for r, f in zip(res, audit["findings"]):
    assert r["ruleId"] == f["rule"] and r["ruleId"] in ids
    assert r["level"] in ("error", "warning", "note")
    assert r["locations"] and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert ("suppressions" in r) == f["suppressed"]
    if f["suppressed"]:
        s = r["suppressions"][0]
        assert s["kind"] == "external" and f["waiver"]["reason"] in s["justification"]
    assert len(r["partialFingerprints"]) == 1
fps = [r["partialFingerprints"]["skewplanFinding/v1"] for r in res]
assert len(fps) == len(set(fps)), "fingerprints collide"
for a in run.get("artifacts", []):
    assert len(a["hashes"]["sha-256"]) == 64
EOF
	check "SARIF and JSON have the golden SARIF's findings (seed)" \
		"$PY" "$tmp/agree.py" "$tmp/seed.json" "$tmp/seed.sarif" \
		"$(seed_golden sarif)"
	check "SARIF and JSON have the golden SARIF's findings (HA)" \
		"$PY" "$tmp/agree.py" "$tmp/ha.json" "$tmp/ha.sarif" \
		"$G/audit-ha-sarif/expected.stdout"
else
	skip "JSON/SARIF agreement (no python3)"
fi
if [ -n "$PYJ" ]; then
	cat >"$tmp/junit.py" <<'EOF'
import json, sys
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromfile(sys.argv[1])
families = {"skew", "support", "health", "images", "packages", "plan", "meta", "apis", "addons", "drain", "nodes"}
total = [0, 0, 0]
for suite in xml:
    assert suite.name in families, suite.name
    n = nf = ns = 0
    for case in suite:
        n += 1
        kinds = [type(r) for r in case.result]
        assert Error not in kinds
        if Failure in kinds:
            nf += 1
        elif Skipped in kinds:
            ns += 1
    assert (suite.tests, suite.failures, suite.skipped, suite.errors) == \
        (n, nf, ns, 0), (suite.name, suite.tests, suite.failures, suite.skipped, n, nf, ns)
    total = [total[0] + n, total[1] + nf, total[2] + ns]
assert [xml.tests, xml.failures, xml.skipped] == total, (xml.tests, xml.failures, xml.skipped, total)
assert total[0] > 0, "no test cases"
# The counts of the golden report with the same arguments.
g = JUnitXml.fromfile(sys.argv[2])
assert [g.tests, g.failures, g.skipped] == total, ([g.tests, g.failures, g.skipped], total)
if len(sys.argv) > 3:
    audit = json.load(open(sys.argv[3]))
    groups = {(f["rule"], f["subject"]) for f in audit["findings"]
              if f["severity"] == "error" and not f["suppressed"]}
    assert total[1] == len(groups), (total[1], groups)
    waived = {(f["rule"], f["subject"]) for f in audit["findings"] if f["suppressed"]}
    assert total[2] >= len(waived)
EOF
	check "JUnit of the seed audit loads with the golden's counts" \
		"$PYJ" "$tmp/junit.py" "$tmp/seed.junit" "$(seed_golden junit)" \
		"$tmp/seed.json"
	check "JUnit of the HA audit loads with the golden's counts" \
		"$PYJ" "$tmp/junit.py" "$tmp/ha.junit" \
		"$G/audit-ha-junit/expected.stdout" "$tmp/ha.json"
	if [ $plan = 1 ]; then
		check "JUnit of the HA plan loads with the golden's counts" \
			"$PYJ" "$tmp/junit.py" "$tmp/plan.junit" \
			"$G/plan-ha-multihop-junit/expected.stdout"
	fi
else
	skip "JUnit reader (apt-get install -y python3-junitparser)"
fi

# ------------------------------------------------------- HTML to PDF
CHROME=""
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then CHROME=$c; break; fi
done
to_pdf() {
	"$CHROME" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-pdf-header-footer \
		--user-data-dir="$(mktemp -d "$tmp/chrome.XXXXXX")" \
		--print-to-pdf="$2" "file://$1" >/dev/null 2>&1 && [ -s "$2" ]
}
if [ -n "$CHROME" ] && command -v pdftotext >/dev/null 2>&1 && [ -n "$PY" ]; then
	check "the audit HTML prints to PDF" to_pdf "$tmp/seed.html" "$tmp/seed.pdf"
	if [ $plan = 1 ]; then
		# Letter is Chromium's default paper; A4 through a page rule.
		sed 's|</style>|@page { size: A4; }\n</style>|' "$tmp/plan.html" \
			>"$tmp/plan-a4.html"
		cat >"$tmp/pdf.py" <<'EOF'
import json, re, sys
plan = json.load(open(sys.argv[1]))
pages = open(sys.argv[2], encoding="utf-8").read().split("\f")
squash = lambda s: re.sub(r"\s+", "", s)
starts = []
for i, page in enumerate(pages):
    lines = [l for l in page.splitlines() if l.strip()]
    for j, l in enumerate(lines):
        if re.match(r"\s*Hop \d+ of \d+: ", l):
            assert j == 0, "hop heading not at the top of page %d: %r" % (i + 1, l)
            starts.append(l.strip())
# v1.24.17 to 1.28 is four hops (1.25, 1.26, 1.27, 1.28): not read from
# the plan under test, which would pass with no hops at all.
assert len(plan["hops"]) == int(sys.argv[3]), len(plan["hops"])
assert len(starts) == len(plan["hops"]), (starts, len(plan["hops"]))
flat = [squash(p) for p in pages]
n = 0
for step in plan["steps"]:
    for cmd in step["commands"]:
        c = squash(cmd)
        assert any(c in p for p in flat), "command not whole on one page: %s" % cmd
        n += 1
assert n > 0
EOF
		for paper in letter a4; do
			h="$tmp/plan.html"
			[ $paper = a4 ] && h="$tmp/plan-a4.html"
			if to_pdf "$h" "$tmp/plan-$paper.pdf" &&
			    pdftotext -layout "$tmp/plan-$paper.pdf" "$tmp/plan-$paper.txt"; then
				ok
				check "every hop starts a page and every command is whole ($paper)" \
					"$PY" "$tmp/pdf.py" "$tmp/plan.json" "$tmp/plan-$paper.txt" 4
			else
				bad "plan HTML prints to PDF ($paper)"
			fi
		done
		check "the A4 print is A4" sh -c \
			"pdfinfo '$tmp/plan-a4.pdf' | grep -q '^Page size:.*(A4)'"
		check "the Letter print is Letter" sh -c \
			"pdfinfo '$tmp/plan-letter.pdf' | grep -q '^Page size:.*(letter)'"
	fi
else
	skip "HTML to PDF (apt-get install -y chromium poppler-utils)"
fi

# ------------------------------------------------------- GitLab Code Quality
# tests/schema/gitlab-codequality.schema.json is written from GitLab's
# documented fields; Debian's python3-jsonschema checks it.
PYS=""
for p in python3 /usr/bin/python3; do
	command -v "$p" >/dev/null 2>&1 || continue
	if "$p" -c 'import jsonschema' 2>/dev/null; then PYS=$p; break; fi
done
cq_valid() {
	"$PYS" tests/schema/validate.py tests/schema/gitlab-codequality.schema.json \
		"$1" --unique fingerprint
}
if [ -n "$PYS" ]; then
	check "Code Quality of the seed audit fits GitLab's fields" cq_valid "$tmp/seed.codeclimate"
	check "Code Quality of the HA audit fits GitLab's fields" cq_valid "$tmp/ha.codeclimate"
	echo '[{"description": "x", "check_name": "y", "fingerprint": "f", "severity": "error", "location": {"path": "./a"}}]' >"$tmp/bad.cq"
	check "the Code Quality schema check can fail" sh -c "! $PYS tests/schema/validate.py tests/schema/gitlab-codequality.schema.json '$tmp/bad.cq' >/dev/null"
	if [ "$plan" = 1 ]; then
		"$SKEWPLAN" plan --to 1.28 --as-of 2024-06-01 --rules rules \
			-f codeclimate fixtures/ha-1.24.17 >"$tmp/plan.codeclimate" 2>/dev/null
		check "Code Quality of the HA plan fits GitLab's fields" cq_valid "$tmp/plan.codeclimate"
	fi
else
	skip "Code Quality schema (apt-get install python3-jsonschema)"
fi
# The extension .codeclimate.json names the format; .json alone is JSON.
# shellcheck disable=SC2086
"$SKEWPLAN" audit $SEED -o "$tmp/x.codeclimate.json" -o "$tmp/x.json" >/dev/null 2>&1
check "-o NAME.codeclimate.json writes Code Quality" cmp -s "$tmp/x.codeclimate.json" "$(seed_golden codeclimate)"
check "-o NAME.json still writes JSON" cmp -s "$tmp/x.json" "$(seed_golden json)"
# Fingerprints hold when the snapshot moves or a line is added above the
# evidence; a waived finding is not an issue; severities map as documented.
mkdir "$tmp/moved"
cp fixtures/seed-v1.26.1/* "$tmp/moved/"
{ echo; cat fixtures/seed-v1.26.1/version.txt; } >"$tmp/moved/version.txt"
"$SKEWPLAN" audit --as-of 2024-03-20 --rules rules --waivers fixtures/waivers/seed-2024.yaml \
	-f codeclimate "$tmp/moved" >"$tmp/moved.cq" 2>/dev/null
if [ -n "$PY" ]; then
	cat >"$tmp/cq.py" <<'EOF'
import json, sys
d = sys.argv[1]
a = json.load(open(d + "/seed.json"))
c = json.load(open(d + "/seed.codeclimate"))
m = json.load(open(d + "/moved.cq"))
sev = {"error": "critical", "warning": "major", "info": "info"}
live = [f for f in a["findings"] if not f["suppressed"]]
assert len(live) < len(a["findings"]), "the seed has a waived finding"
assert [(f["rule"], sev[f["severity"]]) for f in live] == \
    [(i["check_name"], i["severity"]) for i in c], "one issue per unwaived finding, in order"
assert [f["fingerprint"] for f in live] == [i["fingerprint"] for i in c], "JSON and Code Quality agree"
assert sorted(i["fingerprint"] for i in c) == sorted(i["fingerprint"] for i in m), "fingerprints moved"
assert [i["location"]["lines"]["begin"] for i in m if i["location"]["path"].endswith("version.txt")] != \
    [i["location"]["lines"]["begin"] for i in c if i["location"]["path"].endswith("version.txt")], "the edit moved a line"
assert all(i["location"]["path"].startswith("fixtures/") for i in c), "relative to --source-root"
EOF
	check "Code Quality: one issue per unwaived finding, severities mapped, fingerprints survive a moved and edited snapshot" \
		"$PY" "$tmp/cq.py" "$tmp"
fi

# ------------------------------------------------------- escaping
# The escaping fixture, under a directory whose name is hostile too.
hostile="$tmp/snap<i>|*\`x"
mkdir "$hostile"
cp fixtures/escaping/*.txt "$hostile/"
for f in $FORMATS; do
	# shellcheck disable=SC2086
	"$SKEWPLAN" audit $ESC --source-root "$tmp" -f "$f" "$hostile" \
		>"$tmp/esc.$f" 2>"$tmp/esc.err"
	check "audit -f $f of the escaping snapshot exits 1" [ $? -eq 1 ]
done
if [ -n "$PYS" ]; then
	check "Code Quality of the escaping audit fits GitLab's fields" cq_valid "$tmp/esc.codeclimate"
fi
check "HTML carries no markup from the snapshot" \
	sh -c "! grep -qiE '<script|<b>|<i>' '$tmp/esc.html'"
check "HTML shows the snapshot text escaped" \
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;`id`\*bold\*@admin' "$tmp/esc.html"
check "HTML escapes the hostile path" grep -q 'snap&lt;i&gt;|\*`x/madison.txt' "$tmp/esc.html"
check "Markdown carries no markup from the snapshot" \
	sh -c "! grep -qiE '<script|<b>' '$tmp/esc.markdown'"
check "Markdown escapes backtick, star, bar and at" \
	grep -qF '\`whoami\` \| \*\*bold\*\* \*x\* \@admin' "$tmp/esc.markdown"
check "Markdown keeps the hostile path in a longer code span" \
	grep -qF 'snap<i>|*`x/madison.txt:2:15``' "$tmp/esc.markdown"
check "JUnit carries no markup from the snapshot" \
	sh -c "! grep -qiE '<script|<b>' '$tmp/esc.junit'"
check "text keeps the snapshot text as it is" \
	grep -qF '<script>alert(1)</script>`id`*bold*@admin' "$tmp/esc.text"
if [ -n "$PY" ]; then
	cat >"$tmp/esc.py" <<'EOF'
import json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
reason = "CHG-1 <script>alert(2)</script> `whoami` | **bold** *x* @admin"
repo = "<script>alert(1)</script>`id`*bold*@admin"
a = json.load(open(d + "/esc.json"))
assert any(f["waiver"] and f["waiver"]["reason"] == reason for f in a["findings"])
s = json.load(open(d + "/esc.sarif"))
r = s["runs"][0]["results"]
assert any(reason in x.get("suppressions", [{}])[0].get("justification", "") for x in r)
assert any(repo in x["message"]["text"] for x in r)
for x in r:
    for l in x["locations"]:
        u = l["physicalLocation"]["artifactLocation"]["uri"]
        assert not any(c in u for c in "<>|*`"), u
t = ET.parse(d + "/esc.junit").getroot()
assert not list(t.iter("script")) and not list(t.iter("b"))
msgs = [e.get("message") for e in t.iter("skipped")]
assert any(reason in m for m in msgs), msgs
h = open(d + "/esc.html", encoding="utf-8").read()
assert h.count("<script") == 0
EOF
	check "JSON, SARIF and JUnit round-trip the hostile text exactly" \
		"$PY" "$tmp/esc.py" "$tmp"
fi
# Names a command could be built from are refused before any report
# under --strict; without it the row is skipped and the report says so,
# the name escaped like any snapshot text.
"$SKEWPLAN" audit --strict --as-of 2024-03-20 --rules rules fixtures/escaping-refused \
	-f html -o "$tmp/refused.html" >/dev/null 2>"$tmp/refused.err"
check "a node named with markup is an input error" [ $? -eq 3 ]
check "a refused snapshot writes no report" [ ! -e "$tmp/refused.html" ]
"$SKEWPLAN" audit --as-of 2024-03-20 --rules rules fixtures/escaping-refused \
	-f html -o "$tmp/skipped.html" >/dev/null 2>"$tmp/skipped.err"
check "a node named with markup is skipped without --strict" \
	grep -q 'input-skipped' "$tmp/skipped.html"
check "the skipped name is escaped in HTML" \
	sh -c '[ -s "$1" ] && ! grep -q "<script" "$1"' sh "$tmp/skipped.html"
check "the refusal message has no raw control bytes" \
	sh -c "! LC_ALL=C grep -q '$(printf '\033')' '$tmp/refused.err'"

echo "report_checks: $pass passed, $fail failed, $skipped skipped"
[ $fail -eq 0 ]
