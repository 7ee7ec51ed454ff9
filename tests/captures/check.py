#!/usr/bin/env python3
"""Compare the expect: facts of capture folders with `skewplan inspect -f json`.

Usage: check.py DIR    (SKEWPLAN names the binary, default ./skewplan)

DIR holds one folder per capture, each with a case.yaml (kind, file or files,
format, expect:) in the schema of ../shared/captures/README.md. Every expect:
key that inspect's JSON shows is compared; the keys it cannot show (platforms,
kubectl's own warnings, yum architectures, ...) are listed once at the end as
not checked here: the parser unit tests check those for fixtures/real/.
Prints one line per case and "captures: N passed, N failed". A missing DIR, a
folder without a case.yaml or a case without an expect: is a failure.
"""
import json
import os
import re
import subprocess
import sys

import yaml

SKEWPLAN = os.environ.get("SKEWPLAN", "./skewplan")

# expect: keys that inspect -f json has no field for, by kind.
NOT_SHOWN = {
    "version": {"platform", "minor_raw", "prerelease", "warnings", "errors",
                "pure_json"},
    "nodes": {"line_prefix", "foreign_lines_before_table", "kernel_version",
              "external_ip", "mixed_kubelet_versions_in_tables"},
    "images": {"arch", "source_semantics", "kubernetes_version_implied",
               "noise_lines", "html_markup_present"},
    "madison": {"arch", "priority", "candidate", "package_name_source"},
}
REPO_KINDS = {"legacy-apt.kubernetes.io": "legacy", "pkgs.k8s.io": "pkgs.k8s.io"}


class Mismatch(Exception):
    pass


def same(what, got, want):
    if got != want:
        raise Mismatch(f"{what}: got {got!r}, want {want!r}")


def inspect(path):
    p = subprocess.run([SKEWPLAN, "inspect", "-f", "json", path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise Mismatch(f"{path}: skewplan exited {p.returncode}: "
                       f"{p.stderr.strip().splitlines()[:1]}")
    return json.loads(p.stdout), p.stderr


def line_of(fact):
    path, line, col = fact["source"].rsplit(":", 2)
    return int(line), int(col)


def check_version(exp, js, _err, skipped):
    v = js["versions"]
    for side in ("client", "server"):
        if side not in exp:
            continue
        want, got = exp[side], v[side]
        if want is None:
            same(f"{side}", got, None)
            continue
        if got is None:
            raise Mismatch(f"{side}: not captured, want {want['gitVersion']}")
        for k, w in want.items():
            if k in ("gitVersion", "major", "minor"):
                same(f"{side}.{k}", got[k], w)
            elif k == "distribution":
                if "+" + w not in got["gitVersion"]:
                    raise Mismatch(f"{side}: '{got['gitVersion']}' lost "
                                   f"its '+{w}' build")
            else:
                skipped.add(f"{side}.{k}")
    if "kustomize" in exp:
        same("kustomize", v["kustomize"], exp["kustomize"])
    if "skew_minor" in exp:
        same("skew_minor", v["client"]["minor"] - v["server"]["minor"],
             exp["skew_minor"])


def check_node_list(want, nodes):
    same("node names", sorted(n["name"] for n in nodes),
         sorted(w["name"] for w in want))
    by_name = {n["name"]: n for n in nodes}
    keys = {"status": "status", "ready": "ready", "schedulable": "schedulable",
            "roles": "roles", "version": "kubeletVersion",
            "internal_ip": "internalIP", "os_image": "osImage",
            "container_runtime": "containerRuntime"}
    for w in want:
        n = by_name[w["name"]]
        for k, j in keys.items():
            if k in w:
                same(f"{w['name']}.{k}", n[j], w[k])


def check_nodes(exp, js, err, skipped):
    fmt = js["inputs"][0]["format"]
    if exp.get("header") is False:
        same("format", fmt, "table-headerless")
    elif exp.get("header") is True and fmt == "table-headerless":
        raise Mismatch("a headed table read as headerless")
    if "table_count" in exp:
        n = exp["table_count"]
        said = re.search(r"warning: (\d+) node tables in one file", err)
        same("tables", int(said.group(1)) if said else 1, n)
        last = [t for t in exp["tables"] if t["index"] == n]
        if not last:
            raise Mismatch(f"case.yaml lists no table {n} (the one used)")
        check_node_list(last[0]["nodes"], js["nodes"])
        skipped.add("tables other than the last")
    if "nodes" in exp:
        check_node_list(exp["nodes"], js["nodes"])


def check_images(exp, js, _err, _skipped):
    got = sorted(js["images"], key=line_of)
    want = exp.get("images", [])
    same("images", len(got), len(want))
    for g, w in zip(got, want):
        for k, j in (("registry", "registry"), ("name", "repository"),
                     ("tag", "tag"), ("component", "component"),
                     ("pod", "pod")):
            if k in w:
                same(f"{g['image']}.{k}", g[j], w[k])
    for comp, tags in exp.get("mixed_versions", {}).items():
        same(f"{comp} versions",
             sorted({g["tag"] for g in got if g["component"] == comp}),
             sorted(set(tags)))


def expand_rows(rows):
    """One row per source, as inspect lists them; [] sources: no repo."""
    out = []
    for r in rows:
        if "sources" not in r:
            out.append(r)
            continue
        for s in r["sources"] or [None]:
            e = dict(r, repo=s)
            del e["sources"]
            if s == "/var/lib/dpkg/status":
                e["repo_kind"] = "local"
            out.append(e)
    return out


def check_rows(rows, got, exp_top):
    same("rows", len(got), len(rows))
    for g, w in zip(got, rows):
        what = f"row {g['source'].rsplit(':', 2)[1]}"
        if "package" in w:
            same(f"{what} package", g["name"], w["package"])
        if "package" in exp_top:
            same(f"{what} package", g["name"], exp_top["package"])
        if "version" in w:
            same(f"{what} version", g["version"], w["version"])
        if "upstream" in w:
            same(f"{what} upstream", g["upstreamVersion"], w["upstream"])
        if "revision" in w and not g["version"].endswith("-" + w["revision"]):
            raise Mismatch(f"{what}: version {g['version']} without "
                           f"revision {w['revision']}")
        if "repo" in w:
            same(f"{what} repo", g["repo"], w["repo"])
        if "repo_id" in w:
            same(f"{what} repo", g["repo"], w["repo_id"])
        if "repo_url" in w and not (g["repo"] or "").startswith(w["repo_url"]):
            raise Mismatch(f"{what}: repo {g['repo']!r} is not at "
                           f"{w['repo_url']}")
        if "repo_kind" in w:
            same(f"{what} repo kind", g["repoKind"],
                 REPO_KINDS.get(w["repo_kind"], w["repo_kind"]))
        if "repo_minor" in w:
            same(f"{what} repo minor", g["repoMinor"], w["repo_minor"])
        if "installed" in w:
            same(f"{what} installed", g["installed"], w["installed"])
    if "installed" in exp_top:
        same("installed", sorted({g["version"] for g in got if g["installed"]}),
             [exp_top["installed"]])


def check_madison(exp, js, _err, _skipped, file=None):
    if "files" in exp:
        exp = exp["files"][file]
    check_rows(expand_rows(exp.get("rows", [])), js["packages"], exp)


CHECKS = {"version": check_version, "nodes": check_nodes,
          "images": check_images, "madison": check_madison}


def unshown(kind, exp, skipped, prefix=""):
    for k, v in exp.items():
        if k in NOT_SHOWN[kind]:
            skipped.add(prefix + k)
        if isinstance(v, dict) and k not in ("client", "server"):
            unshown(kind, v, skipped, prefix)
        if isinstance(v, list):
            for e in v:
                if isinstance(e, dict):
                    unshown(kind, e, skipped, prefix)


def run_case(d):
    with open(os.path.join(d, "case.yaml")) as f:
        case = yaml.safe_load(f)
    kind, exp = case.get("kind"), case.get("expect")
    if kind not in CHECKS or not isinstance(exp, dict):
        raise Mismatch(f"case.yaml: kind {kind!r} unknown or no expect:")
    skipped = set()
    files = case.get("files") or [case["file"]]
    for name in files:
        js, err = inspect(os.path.join(d, name))
        try:
            if kind == "madison":
                check_madison(exp, js, err, skipped, name)
            else:
                CHECKS[kind](exp, js, err, skipped)
        except Mismatch as e:
            raise Mismatch(f"{name}: {e}")
    unshown(kind, exp, skipped)
    return skipped


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check.py DIR")
    top = sys.argv[1]
    if not os.path.isdir(top):
        print(f"captures: {top} is missing: nothing to check "
              "(make test-captures needs ../shared/captures beside the checkout)")
        print("captures: 0 passed, 1 failed")
        return 1
    passed = failed = 0
    not_checked = {}
    for name in sorted(os.listdir(top)):
        d = os.path.join(top, name)
        if not os.path.isdir(d):
            continue
        try:
            if not os.path.exists(os.path.join(d, "case.yaml")):
                raise Mismatch("no case.yaml")
            for k in run_case(d):
                tag = name.split("-")[0]
                not_checked.setdefault(k, []).append(
                    tag if tag.isdigit() else name)
            print(f"ok   {name}")
            passed += 1
        except (Mismatch, KeyError, TypeError, OSError, ValueError) as e:
            kind = "" if isinstance(e, Mismatch) else type(e).__name__ + ": "
            print(f"FAIL {name}: {kind}{e}")
            failed += 1
    if passed + failed == 0:
        print(f"captures: no case folders under {top}")
        failed = 1
    for k in sorted(not_checked):
        print(f"not compared, inspect -f json has no field for it: {k} "
              f"({', '.join(not_checked[k])})")
    print(f"captures: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
