#!/usr/bin/env python3
"""Replay skewplan runbooks on simulated kubeadm nodes.

For each case: seed a simulated cluster from the snapshot (skewplan inspect
-f json), make the plan (skewplan plan -f json), run every command of every
step in order as root on the node the step names, with only the stand-ins
of tests/replay/bin and basic utilities on PATH, check each step's verify
items, and check that the end state equals the plan's.  See README.md
("Replaying runbooks") for what is modelled and what is not.

Usage: replay.py [-v] [CASE...]      (SKEWPLAN selects the binary)
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.join(HERE, "bin")
SKEWPLAN = os.environ.get("SKEWPLAN", "./skewplan")
VERBOSE = False

# Basic utilities a node has besides the stand-ins.
BASE_TOOLS = ("sh cat printf echo mkdir rm mv cp ln ls tee sed awk grep head "
              "tail sort uniq tr cut wc date dirname basename chmod chown "
              "touch test true false env mktemp xargs find stat id whoami "
              "uname").split()

# Absolute paths in a command are re-rooted into the node's directory.
UNROOTED = re.compile(r"(^|[^:A-Za-z0-9_.-]|-[A-Za-z])/(etc|var|usr|opt|root|tmp|home|srv|run|mnt|boot|lib)(/|\b)")
ROOTED = re.compile(r"(^|[\s'\"=>:<(])/(etc|var|usr|opt|root|tmp|home|srv|run|mnt)(?=/|\s|$|'|\")")


class Case:
    """A plan to replay: skewplan's (args) or a self-test's (plan), on a
    fixture (snapshot) or a generated cluster (gen).  A self-test mutant
    must fail with a message containing expect."""
    def __init__(self, name, snapshot, args, gen=None, plan=None, expect=None, family=None):
        self.name, self.snapshot, self.args, self.gen = name, snapshot, args, gen
        self.plan, self.expect, self.family = plan, expect, family


def releases():
    """Patch releases and dates: the release calendar (rules/data)."""
    out = []
    with open(os.path.join(TOP, "rules/data/releases.yaml")) as f:
        for m in re.finditer(r"\{v: (1\.\d+\.\d+), date: (\d{4}-\d\d-\d\d)\}", f.read()):
            out.append((m.group(1), m.group(2)))
    return out


RELEASES = releases()


def minor(v):
    return int(v.lstrip("v").split(".")[1])


def patches(m, asof):
    return sorted((v for v, d in RELEASES if minor(v) == m and d <= asof),
                  key=lambda v: int(v.split(".")[2]))


def ga(m):
    return min(d for v, d in RELEASES if minor(v) == m)


# ---------------------------------------------------------------- generated
def gen_cases():
    """apt and rpm clusters, 1-3 control planes, every minor from 1.24 to
    the newest but one; each planned to the next minor and to latest."""
    cases = []
    minors = sorted({minor(v) for v, _ in RELEASES})
    newest = max(m for m in minors if len(patches(m, "9999")) > 1)
    for m in range(24, newest):
        fam = "apt" if m % 2 == 0 else "rpm"
        cps = 1 + m % 3
        # Half-way through the next minor's first months: the next minor
        # has patches, the start minor is one patch behind its newest.
        nxt = patches(m + 1, "9999")
        asof = dict(RELEASES)[nxt[min(2, len(nxt) - 1)]]
        have = patches(m, asof)
        start = have[max(0, len(have) - 2)]
        name = "gen-%s-%dcp-1.%d" % (fam, cps, m)
        spec = dict(fam=fam, cps=cps, workers=1, start=start, asof=asof)
        cases.append(Case(name + "-next", None,
                          ["--to", "1.%d" % (m + 1), "--as-of", asof], spec))
        if m % 4 == 0:
            cases.append(Case(name + "-latest", None,
                              ["--to", "latest", "--as-of", asof], spec))
        if m == 33:
            # A dnf5 host (Fedora 41+): the capture is dnf5's listing,
            # the node rejects --disableexcludes.
            d5 = dict(spec, fam="rpm", dnf5=True)
            cases.append(Case("gen-dnf5-%dcp-1.%d-next" % (cps, m), None,
                              ["--to", "1.%d" % (m + 1), "--as-of", asof], d5,
                              family="rpm-dnf5"))
    return cases


def write_snapshot(d, spec):
    """A snapshot as tools/capture.sh saves one: nodes, version, images,
    package listing."""
    v = spec["start"]
    m = minor(v)
    names = ["cp-%d" % i for i in range(1, spec["cps"] + 1)] + \
            ["worker-%d" % i for i in range(1, spec["workers"] + 1)]
    os.makedirs(d)
    with open(os.path.join(d, "nodes.txt"), "w") as f:
        f.write("$ kubectl get nodes\n")
        rows = [("NAME", "STATUS", "ROLES", "AGE", "VERSION")] + \
            [(n, "Ready", "control-plane" if n.startswith("cp") else "<none>",
              "200d", "v" + v) for n in names]
        w = [max(len(r[i]) for r in rows) for i in range(5)]
        for r in rows:
            f.write("".join(c.ljust(w[i] + 3) for i, c in enumerate(r[:4])) + r[4] + "\n")
    with open(os.path.join(d, "version.txt"), "w") as f:
        if m >= 28:
            f.write("$ kubectl version\nClient Version: v%s\nKustomize Version: v5.0.4\n"
                    "Server Version: v%s\n" % (v, v))
        else:
            f.write("$ kubectl version --short\nClient Version: v%s\nKustomize Version: v4.5.7\n"
                    "Server Version: v%s\n" % (v, v))
    rev = "-1.1" if spec["fam"] == "apt" else "-150500.1.1"
    avail = patches(m, spec["asof"])
    if spec["fam"] == "apt":
        with open(os.path.join(d, "madison.txt"), "w") as f:
            for p in ("kubeadm", "kubelet", "kubectl"):
                f.write("$ apt-cache madison %s\n" % p)
                for a in reversed(avail):
                    f.write("%10s | %10s | https://pkgs.k8s.io/core:/stable:/v1.%d/deb  Packages\n"
                            % (p, a + rev, m))
    else:
        with open(os.path.join(d, "yum.txt"), "w") as f:
            if spec.get("dnf5"):
                f.write("$ dnf5 list --showduplicates kubeadm kubelet kubectl "
                        "--setopt=disable_excludes=kubernetes\nInstalled packages\n")
            else:
                f.write("$ yum list --showduplicates kubeadm kubelet kubectl --disableexcludes=kubernetes\n")
                f.write("Installed Packages\n")
            for p in ("kubeadm", "kubectl", "kubelet"):
                f.write("%-36s %-39s %s\n" % (p + ".x86_64", v + rev, "@kubernetes"))
            f.write("Available packages\n" if spec.get("dnf5") else "Available Packages\n")
            for p in ("kubeadm", "kubectl", "kubelet"):
                for a in avail:
                    f.write("%-36s %-39s %s\n" % (p + ".x86_64", a + rev, "kubernetes"))


# ------------------------------------------------------------------- seeding
def sh_lib(state, fn, arg):
    env = dict(os.environ, REPLAY_STATE=state, REPLAY_NODE="_", REPLAY_LIB=HERE)
    return subprocess.run(["sh", "-c", '. "$REPLAY_LIB/lib.sh"; . "$REPLAY_LIB/repo.sh"; %s "$1"' % fn,
                           "sh", arg], env=env, capture_output=True, text=True).stdout.strip()


def put(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def seed(state, inv, plan, family=None):
    asof = plan["asOf"]
    put(os.path.join(state, "asof"), asof + "\n")
    put(os.path.join(state, "world/releases"),
        "".join("%s %s\n" % r for r in RELEASES))
    os.makedirs(os.path.join(state, "nodes/_"), exist_ok=True)
    server = inv["versions"]["server"]["gitVersion"].lstrip("v").split("-")[0].split("+")[0]
    nodes = []
    for n in inv["nodes"]:
        role = "control-plane" if ("control-plane" in n["roles"] or "master" in n["roles"]) else "worker"
        nodes.append((n["name"], role, n["kubeletVersion"].lstrip("v")))
    cps = [n for n, r, _ in nodes if r == "control-plane"]
    img = {}
    for i in inv["images"]:
        img.setdefault(i["component"], []).append(i)
    def tag(comp, default):
        tags = sorted({i["tag"] for i in img.get(comp, [])})
        return tags[0] if len(tags) == 1 else default
    etcd = tag("etcd", sh_lib(state, "etcd_for", server))
    apis = tag("kube-apiserver", "v" + server).lstrip("v")
    # Per node, the control-plane images the capture shows on it: an
    # interrupted HA upgrade has nodes at two versions.  kubeadm-config's
    # kubernetesVersion is the newest (apply wrote it).
    def node_tag(comp, node, default):
        tags = sorted({i["tag"] for i in img.get(comp, []) if i.get("node") == node})
        return tags[0] if len(tags) == 1 else default
    cpv = {n: node_tag("kube-apiserver", n, "v" + apis).lstrip("v") for n in cps}
    key = lambda v: [int(x) for x in v.split("-")[0].split(".")]
    if cpv and len(set(cpv.values())) > 1:
        server = max(cpv.values(), key=key)
    c = os.path.join(state, "cluster")
    put(os.path.join(c, "version"), server + "\n")
    put(os.path.join(c, "etcd"), etcd + "\n")
    put(os.path.join(c, "coredns"), tag("coredns", sh_lib(state, "coredns_for", server)) + "\n")
    proxy = tag("kube-proxy", "v" + server).lstrip("v")
    put(os.path.join(c, "proxy"), proxy + "\n")
    # kubeadm 1.28+ in HA left the addons for the last `upgrade node`.
    if len(cps) > 1 and key(proxy) < key(server) and minor(server) >= 28:
        put(os.path.join(c, "addons-pending"), "")
    reg = sorted({i["registry"] for i in img.get("kube-apiserver", [])})
    put(os.path.join(c, "registry"), (reg[0] if len(reg) == 1 else "registry.k8s.io") + "\n")
    put(os.path.join(c, "nodes"), "".join("%s %s\n" % (n, r) for n, r, _ in nodes))
    os.makedirs(os.path.join(c, "cordon"), exist_ok=True)
    # DaemonSets: pods named NAME-xxxxx whose NAME is no ReplicaSet's
    # (those end in a pod-template hash), and the templates of a workloads
    # capture, which images_doc.c names daemonset/NAME.
    ds = set()
    for i in inv["images"]:
        p = i.get("pod") or ""
        if p.startswith("daemonset/") and i.get("namespace"):
            ds.add((i["namespace"], p[len("daemonset/"):]))
            continue
        m = re.fullmatch(r"(.+)-[a-z0-9]{5}", i.get("pod") or "")
        if m and i.get("namespace") and not re.search(r"-[a-z0-9]{8,10}$", m.group(1)):
            ds.add((i["namespace"], m.group(1)))
    put(os.path.join(c, "daemonsets"), "".join("%s %s\n" % d for d in sorted(ds)))
    workers = [n for n, r, _ in nodes if r != "control-plane"]
    put(os.path.join(c, "emptydir-pod"), (workers or cps)[0] + "\n")
    sched = {n["name"]: n["schedulable"] for n in inv["nodes"]}
    put(os.path.join(state, "cordoned-before"),
        "".join("%s\n" % n for n, s in sched.items() if s is False))
    for n, r, kv in nodes:
        if sched.get(n) is False:
            put(os.path.join(c, "cordon", n), "")
        put(os.path.join(c, "kubelet", n), kv + "\n")
        if r == "control-plane":
            v = cpv[n]
            put(os.path.join(c, "cp", n), "%s %s %s %s\n" % (v, v, v, node_tag("etcd", n, etcd)))

    # Packages: family, repository and installed versions.
    pk = inv["packages"]
    rpm = any(re.search(r"-\d+\.\d+\.\d+$", p["version"]) or re.search(r"\d-0$", p["version"])
              or (p["repo"] or "").startswith("@") for p in pk) or \
        any(i["format"] == "yum" for i in inv["inputs"] if i["kind"] == "packages")
    fam = "rpm" if rpm else "apt"
    kinds = [(p["repoKind"], p["repoMinor"]) for p in pk if not p["installed"] and p["repoKind"] in ("pkgs.k8s.io", "legacy")]
    if kinds:
        kind, rmin = max(set(kinds), key=kinds.count)
    elif minor(server) >= 24 and asof >= "2023-08-15":
        kind, rmin = "pkgs.k8s.io", minor(server)
    else:
        kind, rmin = "legacy", None
    if kind == "pkgs.k8s.io":
        rev = "-1.1" if fam == "apt" else "-150500.1.1"
    else:
        rev = "-00" if fam == "apt" else "-0"
    installed = {p["name"]: p["version"] for p in pk if p["installed"]}
    for n, r, kv in nodes:
        nd = os.path.join(state, "nodes", n)
        root = os.path.join(nd, "root")
        put(os.path.join(nd, "family"), (family or fam) + "\n")
        put(os.path.join(nd, "kubelet"), "active\n")
        for p in ("kubeadm", "kubelet", "kubectl"):
            v = installed.get(p) or (kv + rev)
            if p == "kubelet":
                v = kv + rev
            put(os.path.join(nd, "pkg", p), v + "\n")
            if fam == "apt":
                put(os.path.join(nd, "hold", p), "")
        if fam == "apt":
            # The tools the install guide installs first.
            for t in ("apt-transport-https", "ca-certificates", "curl", "gpg"):
                put(os.path.join(nd, "base", t), "")
            if kind == "pkgs.k8s.io":
                kr = "/etc/apt/keyrings/kubernetes-apt-keyring.gpg"
                line = "deb [signed-by=%s] https://pkgs.k8s.io/core:/stable:/v1.%d/deb/ /\n" % (kr, rmin)
                key = sh_lib(state, "repo_key pkgs", str(rmin))
            else:
                kr = "/etc/apt/keyrings/kubernetes-archive-keyring.gpg"
                line = "deb [signed-by=%s] https://apt.kubernetes.io/ kubernetes-xenial main\n" % kr
                key = sh_lib(state, "repo_key legacy", "0")
            put(root + "/etc/apt/sources.list.d/kubernetes.list", line)
            k, exp = key.split()
            put(root + kr, "replay-keyring-binary\nreplay-key %s expires=%s\n" % (k, exp))
        else:
            if kind == "pkgs.k8s.io":
                base = "https://pkgs.k8s.io/core:/stable:/v1.%d/rpm/" % rmin
                gk = base + "repodata/repomd.xml.key"
            else:
                base = "https://packages.cloud.google.com/yum/repos/kubernetes-el7-$basearch"
                gk = "https://packages.cloud.google.com/yum/doc/rpm-package-key.gpg"
            put(root + "/etc/yum.repos.d/kubernetes.repo",
                "[kubernetes]\nname=Kubernetes\nbaseurl=%s\nenabled=1\ngpgcheck=1\ngpgkey=%s\n"
                "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n" % (base, gk))
        put(root + "/etc/kubernetes/kubelet.conf", "kubelet kubeconfig\n")
        put(root + "/var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\n")
        os.makedirs(root + "/root", exist_ok=True)
        if r == "control-plane":
            put(root + "/etc/kubernetes/admin.conf", "admin kubeconfig\n")
            put(root + "/root/.kube/config", "admin kubeconfig\n")
            for comp in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
                put(root + "/etc/kubernetes/manifests/%s.yaml" % comp, "static pod\n")
            for f in ("ca", "server", "peer", "healthcheck-client"):
                put(root + "/etc/kubernetes/pki/etcd/%s.crt" % f, "cert\n")
                put(root + "/etc/kubernetes/pki/etcd/%s.key" % f, "key\n")
            os.makedirs(root + "/var/lib/etcd/member", exist_ok=True)
        # The package lists a node had when the snapshot was taken.
        if fam == "apt":
            run(state, n, "apt-get update", None)
    return nodes


# ---------------------------------------------------------------- execution
def path_dir(tmp):
    d = os.path.join(tmp, "path")
    os.makedirs(d)
    for t in BASE_TOOLS:
        p = shutil.which(t)
        if p:
            os.symlink(p, os.path.join(d, t))
    return d


def run(state, node, cmd, pathdir):
    root = os.path.join(state, "nodes", node, "root")
    cmd = ROOTED.sub(lambda m: m.group(1) + root + "/" + m.group(2), cmd)
    # Never let a path the rewrite missed reach this machine's file system.
    if UNROOTED.search(re.sub(r"\0[^\s'\"]*", "", cmd.replace(root, "\0"))):
        return 3, "", "replay: not modelled: a path the replay cannot re-root in: %s" % cmd
    env = {"PATH": BIN + (":" + pathdir if pathdir else ":/usr/bin:/bin"),
           "REPLAY_STATE": state, "REPLAY_NODE": node, "REPLAY_LIB": HERE,
           "HOME": root + "/root", "LC_ALL": "C", "TZ": "UTC"}
    os.makedirs(root + "/root", exist_ok=True)
    # A person answers "y" when a tool asks before changing the cluster.
    p = subprocess.run(["sh", "-e", "-c", cmd], cwd=root + "/root", env=env,
                       input="y\n" * 8, capture_output=True, text=True, timeout=60)
    # Paths in the output as the node shows them (ls, etcdctl, apt).
    return p.returncode, p.stdout.replace(root, ""), p.stderr.replace(root, "")


def norm(s):
    lines = [l.rstrip() for l in s.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def line_re(expect_line):
    parts = expect_line.rstrip().split("...")
    return re.compile(".*".join(re.escape(p) for p in parts))


def matches(mode, expect, out):
    got = norm(out)
    if mode == "exact":
        return got == norm(expect)
    if mode == "regex":
        return subprocess.run(["grep", "-Eq", "--", expect], input="\n".join(got) + "\n",
                              text=True).returncode == 0
    # contains: each line in order; a line "..." matches any run of lines.
    want = [l for l in norm(expect)]
    def at(i, j):
        if i == len(want):
            return True
        if want[i].strip() == "...":
            return any(at(i + 1, k) for k in range(j, len(got) + 1))
        r = line_re(want[i])
        return any(r.search(got[k]) and at(i + 1, k + 1) for k in range(j, len(got)))
    return at(0, 0)


def targets(where, nodes):
    m = re.fullmatch(r"on (\S+) as root", where)
    if m:
        return [m.group(1)]
    m = re.fullmatch(r"on every node \(([^)]*)\) as root", where)
    if m:
        return [x.strip() for x in m.group(1).split(",")]
    if where == "from a workstation with kubectl":
        # The machine with kubectl: the first control-plane node.
        return [next(n for n, r, _ in nodes if r == "control-plane")]
    raise ValueError("unknown 'where': %r" % where)


def replay(case, tmp):
    """Returns (failures, stats)."""
    fails = []
    stats = dict(steps=0, commands=0, verifies=0, manual=0)
    snap = case.snapshot
    if case.gen:
        snap = os.path.join(tmp, "snapshot")
        write_snapshot(snap, case.gen)
    inv = subprocess.run([SKEWPLAN, "inspect", "-f", "json", snap], capture_output=True, text=True)
    if inv.returncode != 0:
        return ["skewplan inspect failed: " + inv.stderr.strip()], stats
    if case.plan:
        plan = case.plan
    else:
        pl = subprocess.run([SKEWPLAN, "plan", "-f", "json"] + case.args + [snap],
                            capture_output=True, text=True)
        if pl.returncode not in (0, 1):
            return ["skewplan plan exited %d: %s" % (pl.returncode, pl.stderr.strip()[:300])], stats
        plan = json.loads(pl.stdout)
    if not plan.get("steps"):
        return ["the plan has no steps"], stats
    state = os.path.join(tmp, "state")
    nodes = seed(state, json.loads(inv.stdout), plan, case.family)
    pathdir = path_dir(tmp)
    for step in plan["steps"]:
        stats["steps"] += 1
        sid = "step %s (%s%s)" % (step["id"], step["action"], ", " + step["node"] if step.get("node") else "")
        try:
            tg = targets(step["where"], nodes)
        except ValueError as e:
            return fails + ["%s: %s" % (sid, e)], stats
        for node in tg:
            outs = {}
            for cmd in step["commands"]:
                stats["commands"] += 1
                rc, out, err = run(state, node, cmd, pathdir)
                if VERBOSE:
                    print("    [%s] $ %s\n%s%s" % (node, cmd, out, err), end="")
                if rc != 0 and os.environ.get("REPLAY_KEEP_GOING"):
                    fails.append("%s on %s: `%s` failed (exit %d): %s" % (
                        sid, node, cmd[:160], rc, " | ".join(l for l in norm(err or out) if l)))
                elif rc != 0:
                    kind = "not modelled by the replay" if rc == 3 and "replay: not modelled" in err else "exit %d" % rc
                    return fails + ["%s on %s: `%s` failed (%s): %s" % (
                        sid, node, cmd[:160], kind, " | ".join(l for l in norm(err or out) if l))], stats
                outs[cmd] = out
            for v in step.get("verify", []):
                mode = v.get("match", "contains")
                if mode == "manual":
                    stats["manual"] += 1
                    continue
                stats["verifies"] += 1
                if v["command"] in outs:
                    out = outs[v["command"]]
                else:
                    rc, out, err = run(state, node, v["command"], pathdir)
                    if rc != 0:
                        fails.append("%s on %s: verify `%s` exited %d: %s" % (
                            sid, node, v["command"][:160], rc, " | ".join(l for l in norm(err or out) if l)))
                        continue
                if not matches(mode, v["expect"], out):
                    fails.append("%s on %s: verify `%s` (%s) does not hold: expected %r, got %r" % (
                        sid, node, v["command"][:120], mode, v["expect"][:200], "\n".join(norm(out))[:300]))
                    if VERBOSE:
                        print("--- expected (%s)\n%s\n--- got\n%s\n---" % (mode, v["expect"], "\n".join(norm(out))))
    fails += end_state(state, plan, nodes)
    return fails, stats


def end_state(state, plan, nodes):
    """The simulated cluster must end where the plan says it ends."""
    fails = []
    want = plan["steps"][-1].get("state", {})
    def rd(*p):
        with open(os.path.join(state, *p)) as f:
            return f.read().strip()
    def up(v):
        return v.lstrip("v").split("-")[0]
    cps = [n for n, r, _ in nodes if r == "control-plane"]
    have = {
        "apiserver": {n: rd("cluster/cp", n).split()[0] for n in cps},
        "controllerManager": {n: rd("cluster/cp", n).split()[1] for n in cps},
        "scheduler": {n: rd("cluster/cp", n).split()[2] for n in cps},
        "kubelet": {n: rd("cluster/kubelet", n) for n, _, _ in nodes},
        "kubeadm": {n: up(rd("nodes", n, "pkg/kubeadm")) for n, _, _ in nodes},
        "kubectl": up(rd("nodes", cps[0], "pkg/kubectl")),
    }
    for k, v in want.items():
        if k not in have:
            fails.append("end state: the plan's state has '%s', which the replay does not model" % k)
        elif have[k] != v:
            fails.append("end state: %s is %s, the plan says %s" % (k, have[k], v))
    if rd("cluster/version") != plan["to"]:
        fails.append("end state: the cluster version is %s, the plan's target is %s" % (rd("cluster/version"), plan["to"]))
    if rd("cluster/proxy") != plan["to"]:
        fails.append("end state: the kube-proxy DaemonSet runs %s, the plan's target is %s" % (rd("cluster/proxy"), plan["to"]))
    # A node cordoned before the plan stays cordoned (README); no other.
    left = sorted(set(os.listdir(os.path.join(state, "cluster/cordon"))) -
                  set(rd("cordoned-before").split()))
    if left:
        fails.append("end state: nodes left cordoned: %s" % " ".join(left))
    for n, _, _ in nodes:
        if rd("nodes", n, "kubelet") != "active":
            fails.append("end state: kubelet on %s is not running" % n)
    return fails


def replay_one(case):
    tmp = tempfile.mkdtemp(prefix="replay.")
    try:
        return replay(case, tmp)
    except Exception as e:  # a harness error is a failure, never a pass
        return ["replay error: %r" % e], {}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# Fewer generated clusters than this means the release calendar was misread:
# every minor from 1.24 to 1.35 must be there.
MIN_GENERATED = 12


def read_cases():
    cases = []
    with open(os.path.join(HERE, "cases")) as f:
        for line in f:
            line = line.split("#")[0].split()
            if line:
                cases.append(Case(line[0], line[-1], line[1:-1]))
    import selftest
    gen = gen_cases()
    if len({c.gen["start"].rsplit(".", 1)[0] for c in gen}) < MIN_GENERATED:
        raise SystemExit("replay: only %d generated clusters; rules/data/releases.yaml misread?" % len(gen))
    return cases + gen + selftest.cases(Case)


def read_xfail():
    x = {}
    with open(os.path.join(HERE, "xfail")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, _, why = line.strip().partition(" ")
                x[name] = why.strip()
    return x


def main(argv):
    global VERBOSE
    if argv and argv[0] == "-v":
        VERBOSE = True
        argv = argv[1:]
    cases = read_cases()
    xfail = read_xfail()
    names = {c.name for c in cases}
    bad = [n for n in xfail if n not in names]
    if argv:
        cases = [c for c in cases if c.name in argv]
    npass = nfail = nx = manual = 0
    jobs = int(os.environ.get("REPLAY_JOBS", "2"))
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(replay_one, cases))
    for c, (fails, st) in zip(cases, results):
        manual += st.get("manual", 0)
        if c.expect is not None:
            hit = [f for f in fails if c.expect in f]
            if hit:
                npass += 1
                print("PASS  %s: fails as a real node would: %s" % (c.name, hit[0][:200]))
            else:
                nfail += 1
                print("FAIL  %s: expected a failure with %r, got %s" % (c.name, c.expect, fails[:3] or "none"))
            continue
        info = "%d steps, %d commands, %d verifies, %d manual" % (
            st.get("steps", 0), st.get("commands", 0), st.get("verifies", 0), st.get("manual", 0))
        if not fails and c.name in xfail:
            nfail += 1
            print("XPASS %s (%s): listed in tests/replay/xfail but passes now; remove it" % (c.name, info))
        elif not fails:
            npass += 1
            print("PASS  %s (%s)" % (c.name, info))
        elif c.name in xfail:
            nx += 1
            print("XFAIL %s: %s" % (c.name, xfail[c.name]))
            for f in fails[:3]:
                print("      " + f[:600])
        else:
            nfail += 1
            print("FAIL  %s (%s)" % (c.name, info))
            for f in fails:
                print("      " + f[:1000])
    for n in bad:
        nfail += 1
        print("FAIL  tests/replay/xfail names an unknown case '%s'" % n)
    ran = npass + nfail + nx
    if not argv and ran < len(cases):
        nfail += 1
        print("FAIL  only %d of %d plans replayed" % (ran, len(cases)))
    print("replay: %d passed, %d failed (%d expected failures, %d manual verifies not replayed)"
          % (npass, nfail, nx, manual))
    return 0 if nfail == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
