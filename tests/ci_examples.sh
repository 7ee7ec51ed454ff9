#!/bin/sh
# ci_examples.sh - examples/ci/ stay valid and working: the GitHub Actions
# workflow against the workflow schema (npm's @action-validator/cli, which
# carries SchemaStore's github-workflow schema), the GitLab CI job against
# tests/schema/gitlab-ci-job.schema.json (written from GitLab's keyword
# reference; python3-jsonschema), each check shown to fail on a misspelt
# keyword, and the examples' skewplan commands run (tests/ci_examples.py).
# A missing tool is a skip, and a skip fails make test (make test-deps
# installs them). Ends "ci-examples: N passed, N failed, N skipped".
set -u
SKEWPLAN=${SKEWPLAN:-./skewplan}
pass=0
fail=0
skipped=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "ci-examples: FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "ci-examples: skipped: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GH=examples/ci/github-skewplan-audit.yml
GL=examples/ci/gitlab-skewplan.gitlab-ci.yml

if command -v action-validator >/dev/null 2>&1; then
	if action-validator "$GH" >"$tmp/av.out" 2>&1; then ok
	else bad "action-validator $GH:"; cat "$tmp/av.out"; fi
	sed 's/^    runs-on:/    runs_on:/' "$GH" >"$tmp/bad.yml"
	if action-validator "$tmp/bad.yml" >/dev/null 2>&1; then
		bad "action-validator accepts a misspelt runs-on"
	else ok; fi
else
	skip "GitHub workflow schema (npm install -g @action-validator/cli)"
fi

PY=""
for p in python3 /usr/bin/python3; do
	command -v "$p" >/dev/null 2>&1 || continue
	if "$p" -c 'import jsonschema, yaml' 2>/dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
	if "$PY" tests/schema/validate.py tests/schema/gitlab-ci-job.schema.json "$GL"; then ok
	else bad "$GL does not fit tests/schema/gitlab-ci-job.schema.json"; fi
	sed 's/^    reports:/    report:/' "$GL" >"$tmp/bad.gitlab-ci.yml"
	if "$PY" tests/schema/validate.py tests/schema/gitlab-ci-job.schema.json \
	    "$tmp/bad.gitlab-ci.yml" >/dev/null 2>&1; then
		bad "the GitLab schema accepts a misspelt artifacts:reports"
	else ok; fi
	"$PY" tests/ci_examples.py "$SKEWPLAN" >"$tmp/run.out" 2>&1
	rc=$?
	# Its own summary line is folded into this one (run_all.sh sums every
	# such line it sees).
	grep -v '^ci-examples: [0-9]* passed, [0-9]* failed$' "$tmp/run.out"
	p=$(sed -n 's/^ci-examples: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/run.out")
	f=$(sed -n 's/^ci-examples: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/run.out")
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	[ $rc = 0 ] || [ "${f:-0}" != 0 ] || bad "tests/ci_examples.py exited $rc"
else
	skip "GitLab CI schema and the examples' commands (apt-get install python3-jsonschema python3-yaml)"
fi
echo "ci-examples: $pass passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]
