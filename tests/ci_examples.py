#!/usr/bin/env python3
"""ci_examples.py SKEWPLAN: runs the skewplan commands of examples/ci/ as the
CI services would, in a scratch directory holding the seed snapshot at the
examples' snapshots/prod, and checks that every file the workflow and the
job upload exists afterwards and is what the service reads: the GitHub
workflow's first run (no baseline) fails on the seed's errors and its
second run (baseline saved by the first) passes, its SARIF file has results;
the GitLab job's Code Quality report fits tests/schema/gitlab-codequality,
its JUnit report parses. Prints "ci-examples: N passed, N failed"."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import yaml

ROOT = os.getcwd()
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("ci-examples: FAIL: %s %s" % (name, detail))


def run(cmd, cwd, env):
    p = subprocess.run(["bash", "-e", "-c", cmd], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def is_skewplan_step(text):
    return any(l.strip().startswith(("skewplan ", "cp skewplan.json"))
               for l in text.splitlines()) and "apt-get" not in text


def scratch():
    d = tempfile.mkdtemp()
    shutil.copytree(os.path.join(ROOT, "fixtures/seed-v1.26.1"),
                    os.path.join(d, "snapshots/prod"))
    return d


def environ(skewplan, extra):
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(skewplan)) + ":" + env["PATH"]
    env["SOURCE_DATE_EPOCH"] = "1710892800"  # 2024-03-20
    env.update({k: str(v) for k, v in extra.items()})
    return env


def github(skewplan):
    wf = yaml.safe_load(open("examples/ci/github-skewplan-audit.yml"))
    job = wf["jobs"]["audit"]
    d = scratch()
    env = environ(skewplan, wf.get("env", {}))
    steps = [s for s in job["steps"] if "run" in s and is_skewplan_step(s["run"])]
    names = [s["name"] for s in steps]
    check("github: the audit, plan, SARIF and baseline steps run skewplan",
          len(steps) >= 4, str(names))
    for attempt in (1, 2):
        for s in steps:
            rc, out = run(s["run"], d, env)
            if s["name"] == "Audit":
                want = 1 if attempt == 1 else 0
                check("github run %d: Audit exits %d" % (attempt, want), rc == want,
                      "(exit %d)\n%s" % (rc, out))
            else:
                check("github run %d: step '%s' exits 0" % (attempt, s["name"]),
                      rc == 0, "(exit %d)\n%s" % (rc, out))
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    paths = [p.strip() for p in uploads[0]["with"]["path"].splitlines() if p.strip()]
    for p in paths:
        check("github: artifact %s exists" % p, os.path.isfile(os.path.join(d, p)))
    sarif = [s for s in job["steps"] if "upload-sarif" in s.get("uses", "")][0]["with"]["sarif_file"]
    log = json.load(open(os.path.join(d, sarif)))
    results = log["runs"][0]["results"]
    check("github: the uploaded SARIF has results without baseline states",
          results and all("baselineState" not in r for r in results))
    bl = json.load(open(os.path.join(d, "skewplan.json")))
    check("github run 2: every finding is unchanged against run 1",
          bl["findings"] and all(f.get("baselineState") == "unchanged" for f in bl["findings"]))
    shutil.rmtree(d)


def gitlab(skewplan):
    cfg = yaml.safe_load(open("examples/ci/gitlab-skewplan.gitlab-ci.yml"))
    job = cfg["skewplan-audit"]
    d = scratch()
    env = environ(skewplan, job.get("variables", {}))
    lines = [l for k in ("script", "after_script") for l in job[k]
             if l.strip().startswith("skewplan ")]
    check("gitlab: the job runs skewplan audit and plan", len(lines) >= 2, str(lines))
    for l in lines:
        rc, out = run(l, d, env)
        # The seed has errors as of 2024-03-20: the audit fails the job.
        want = 1 if l.startswith("skewplan audit") else 0
        check("gitlab: '%s' exits %d" % (l[:40], want), rc == want, "(exit %d)\n%s" % (rc, out))
    art = job["artifacts"]
    for p in art["paths"] + list(art["reports"].values()):
        check("gitlab: artifact %s exists" % p, os.path.isfile(os.path.join(d, p)))
    cq = os.path.join(d, art["reports"]["codequality"])
    rc = subprocess.run([sys.executable, "tests/schema/validate.py",
                         "tests/schema/gitlab-codequality.schema.json", cq,
                         "--unique", "fingerprint"]).returncode
    check("gitlab: the Code Quality report fits GitLab's fields", rc == 0)
    check("gitlab: the Code Quality report has issues", len(json.load(open(cq))) > 0)
    t = ET.parse(os.path.join(d, art["reports"]["junit"])).getroot()
    check("gitlab: the JUnit report has a failing testcase",
          any(True for _ in t.iter("failure")))
    shutil.rmtree(d)


def main():
    github(sys.argv[1])
    gitlab(sys.argv[1])
    print("ci-examples: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
