"""Self-test of the replay: a runbook written by hand from the kubeadm
upgrade documentation (kubernetes/website content/en/docs/tasks/
administer-cluster/kubeadm/kubeadm-upgrade.md and change-package-
repository.md), independent of skewplan, must replay cleanly; each mutant
of it, carrying one mistake a real node refuses, must fail with the message
the real tool prints.  This is what shows that the stand-ins enforce what
README.md says they enforce.
"""
import copy


def _ver(fam, kind, v):
    """Package version pin as the kubeadm docs write it."""
    if fam == "apt":
        return "=%s-00" % v if kind == "legacy" else "='%s-*'" % v
    return "-%s" % v


def good_plan(nodes, fam, kind, start, hops, asof):
    """nodes: [(name, role)]; hops: target versions, one minor at a time."""
    cps = [n for n, r in nodes if r == "control-plane"]
    first = cps[0]
    steps = []

    def step(action, node, where, commands, verify=()):
        steps.append(dict(id="%d.%d" % (len(hops_done), len(steps) + 1), action=action,
                          node=node, where=where, commands=commands,
                          verify=[dict(command=c, expect=e, match=m) for c, e, m in verify]))

    def on(n):
        return "on %s as root" % n

    ws = "from a workstation with kubectl"
    hops_done = [1]
    cur = start
    for t in hops:
        m = t.split(".")[1]
        pin = lambda p: p + _ver(fam, kind, t)
        if t.split(".")[1] != cur.split(".")[1]:
            every = "on every node (%s) as root" % ", ".join(n for n, _ in nodes)
            if fam == "apt":
                cmds = ["curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.%s/deb/Release.key | "
                        "gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg" % m,
                        "echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
                        "https://pkgs.k8s.io/core:/stable:/v1.%s/deb/ /' > /etc/apt/sources.list.d/kubernetes.list" % m,
                        "apt-get update"]
                ver = [("apt-cache madison kubeadm", r"kubeadm \| +%s-" % t.replace(".", r"\."), "regex")]
            else:
                cmds = ["cat <<'EOF' > /etc/yum.repos.d/kubernetes.repo\n[kubernetes]\nname=Kubernetes\n"
                        "baseurl=https://pkgs.k8s.io/core:/stable:/v1.%s/rpm/\nenabled=1\ngpgcheck=1\n"
                        "gpgkey=https://pkgs.k8s.io/core:/stable:/v1.%s/rpm/repodata/repomd.xml.key\n"
                        "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\nEOF" % (m, m),
                        "dnf clean all && dnf makecache"]
                ver = []
            step("switch-repo", None, every, cmds, ver)
        if fam == "apt":
            kubeadm_cmd = "apt-mark unhold kubeadm && apt-get update && apt-get install -y %s && apt-mark hold kubeadm" % pin("kubeadm")
            kubelet_cmd = ("apt-mark unhold kubelet kubectl && apt-get update && apt-get install -y %s %s && "
                           "apt-mark hold kubelet kubectl" % (pin("kubelet"), pin("kubectl")))
        else:
            kubeadm_cmd = "dnf install -y %s --setopt=disable_excludes=kubernetes" % pin("kubeadm")
            kubelet_cmd = "dnf install -y %s %s --setopt=disable_excludes=kubernetes" % (pin("kubelet"), pin("kubectl"))
        db = "/var/lib/etcd/before-v%s.db" % t
        step("backup-etcd", first, ws,
             ["kubectl -n kube-system exec etcd-%s -- etcdctl --endpoints=https://127.0.0.1:2379 "
              "--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt "
              "--key=/etc/kubernetes/pki/etcd/server.key snapshot save %s" % (first, db)],
             [("kubectl -n kube-system exec etcd-%s -- etcdctl --write-out=table snapshot status %s" % (first, db),
               "TOTAL KEYS", "regex")])
        step("upgrade-kubeadm", first, on(first), [kubeadm_cmd], [("kubeadm version -o short", "v" + t, "exact")])
        step("kubeadm-upgrade-plan", first, on(first), ["kubeadm upgrade plan"],
             [("kubeadm upgrade plan", "...\n\tkubeadm upgrade apply v%s\n..." % t, "contains")])
        step("kubeadm-upgrade-apply", first, on(first), ["kubeadm upgrade apply -y v%s" % t],
             [("kubeadm upgrade apply -y v%s" % t, r'SUCCESS! .* upgraded to "v%s"' % t.replace(".", r"\."), "regex")])
        for n in cps[1:]:
            step("upgrade-kubeadm", n, on(n), [kubeadm_cmd])
            step("kubeadm-upgrade-node", n, on(n), ["kubeadm upgrade node"],
                 [("kubeadm upgrade node", "control plane instance for this node was successfully", "regex")])
        for n, r in nodes:
            if r != "control-plane":
                step("upgrade-kubeadm", n, on(n), [kubeadm_cmd])
                step("kubeadm-upgrade-node", n, on(n), ["kubeadm upgrade node"])
            step("drain", n, ws, ["kubectl drain %s --ignore-daemonsets --delete-emptydir-data --timeout=10m" % n],
                 [("kubectl get node %s" % n, r"^%s +Ready,SchedulingDisabled " % n, "regex")])
            step("upgrade-kubelet-kubectl", n, on(n), [kubelet_cmd], [("kubelet --version", "Kubernetes v" + t, "exact")])
            step("restart-kubelet", n, on(n), ["systemctl daemon-reload", "systemctl restart kubelet"],
                 [("systemctl is-active kubelet", "active", "exact")])
            step("uncordon", n, ws, ["kubectl uncordon %s" % n],
                 [("kubectl get node %s" % n, r"^%s +Ready +[^ ]+ +[^ ]+ +v%s$" % (n, t.replace(".", r"\.")), "regex"),
                  ("kubectl get node %s -o yaml" % n, "the node object lists its conditions", "manual")])
        cur = t
        hops_done[0] += 1
    steps[-1]["state"] = dict(
        apiserver={n: cur for n in cps}, controllerManager={n: cur for n in cps},
        scheduler={n: cur for n in cps}, kubelet={n: cur for n, _ in nodes},
        kubeadm={n: cur for n, _ in nodes}, kubectl=cur)
    return dict(asOf=asof, to=cur, steps=steps)


def _edit(plan, fn):
    p = copy.deepcopy(plan)
    fn(p)
    return p


def _sub(old, new, action=None):
    """Mutant: replace text in the commands (of one action, or all)."""
    def f(p):
        for s in p["steps"]:
            if action is None or s["action"] == action:
                s["commands"] = [c.replace(old, new) for c in s["commands"]]
                for v in s["verify"]:
                    v["command"] = v["command"].replace(old, new)
    return f


def _drop(action, node=None):
    def f(p):
        last = p["steps"][-1]["state"]
        p["steps"] = [s for s in p["steps"] if not (s["action"] == action and (node is None or s["node"] == node))]
        p["steps"][-1]["state"] = last
    return f


def _drop_cmd(text):
    def f(p):
        for s in p["steps"]:
            s["commands"] = [c for c in s["commands"] if text not in c]
    return f


def _move_before(action, before):
    """Move the first step ACTION in front of the first step BEFORE."""
    def f(p):
        st = p["steps"]
        i = next(k for k, s in enumerate(st) if s["action"] == action)
        s = st.pop(i)
        j = next(k for k, s2 in enumerate(st) if s2["action"] == before)
        st.insert(j, s)
    return f


def _worker_verify(p):
    for s in p["steps"]:
        if s["action"] == "restart-kubelet" and s["node"].startswith(("node-2", "worker")):
            s["verify"].append(dict(command="kubectl get node %s" % s["node"], expect=s["node"], match="regex"))


# Self-test clusters: (name, fixture or generated spec, node family
# override, plan arguments for good_plan).
SEED_NODES = [("node-1", "control-plane"), ("node-2", "worker"), ("node-3", "worker")]


def cases(Case):
    out = []
    seed = good_plan(SEED_NODES, "apt", "legacy", "1.26.1", ["1.26.3"], "2023-03-20")
    rpm = good_plan([("rhel-cp-1", "control-plane"), ("rhel-work-1", "worker"), ("rhel-work-2", "worker")],
                    "rpm", "pkgs", "1.28.5", ["1.29.10"], "2024-11-12")
    ha_spec = dict(fam="apt", cps=3, workers=1, start="1.30.5", asof="2024-09-20")
    ha_nodes = [("cp-1", "control-plane"), ("cp-2", "control-plane"), ("cp-3", "control-plane"), ("worker-1", "worker")]
    ha = good_plan(ha_nodes, "apt", "pkgs", "1.30.5", ["1.31.1"], "2024-09-20")
    d5_spec = dict(fam="rpm", cps=2, workers=1, start="1.32.6", asof="2025-06-20")
    d5_nodes = [("cp-1", "control-plane"), ("cp-2", "control-plane"), ("worker-1", "worker")]
    d5 = good_plan(d5_nodes, "rpm", "pkgs", "1.32.6", ["1.33.2"], "2025-06-20")
    exp_spec = dict(fam="apt", cps=1, workers=1, start="1.26.15", asof="2025-01-15")
    exp = good_plan([("cp-1", "control-plane"), ("worker-1", "worker")], "apt", "pkgs", "1.26.15",
                    ["1.27.16"], "2025-01-15")
    skip = good_plan(ha_nodes, "apt", "pkgs", "1.30.5", ["1.32.1"], "2025-01-15")

    def c(name, snap, plan, expect=None, spec=None, fam=None):
        out.append(Case("selftest-" + name, snap, None, gen=spec, plan=plan, expect=expect, family=fam))

    S, R = "fixtures/seed-v1.26.1", "fixtures/rpm-1.28"
    c("good-seed-apt-legacy", S, seed)
    c("good-rpm-repo-switch", R, rpm)
    c("good-ha-1.30-1.31", None, ha, spec=ha_spec)
    c("good-dnf5-1.32-1.33", None, d5, spec=d5_spec, fam="rpm-dnf5")
    c("host-etcdctl", S, _edit(seed, _sub("kubectl -n kube-system exec etcd-node-1 -- etcdctl", "ETCDCTL_API=3 etcdctl")),
      "etcdctl: not found")
    c("env-in-etcd-pod", S, _edit(seed, _sub("-- etcdctl", "-- env ETCDCTL_API=3 etcdctl")),
      'exec: "env": executable file not found')
    c("etcdutl-in-etcd-3.5-pod", S, _edit(seed, _sub("-- etcdctl --write-out", "-- etcdutl --write-out")),
      'exec: "etcdutl": executable file not found')
    c("backup-outside-etcd-mounts", S, _edit(seed, _sub("/var/lib/etcd/before", "/var/lib/etcd-backup/before")),
      "no such file or directory")
    c("etcdctl-without-certs", S, _edit(seed, _sub(" --cert=/etc/kubernetes/pki/etcd/server.crt", "")),
      "context deadline exceeded")
    c("held-kubeadm", S, _edit(seed, _sub("apt-mark unhold kubeadm && ", "")), "Held packages were changed")
    c("apply-before-new-kubeadm", S, _edit(seed, _move_before("kubeadm-upgrade-apply", "upgrade-kubeadm")),
      'is higher than the kubeadm version "v1.26.1"')
    c("drain-without-emptydir", S, _edit(seed, _sub(" --delete-emptydir-data", "")),
      "cannot delete Pods with local storage")
    c("drain-without-ignore-daemonsets", S, _edit(seed, _sub(" --ignore-daemonsets", "")),
      "cannot delete DaemonSet-managed Pods")
    c("no-kubelet-restart", S, _edit(seed, _drop_cmd("systemctl restart kubelet")), "end state: kubelet is")
    c("no-uncordon", S, _edit(seed, _drop("uncordon", "node-3")), "nodes left cordoned: node-3")
    c("kubectl-on-worker", S, _edit(seed, _worker_verify), "connection to the server localhost:8080 was refused")
    c("no-repo-switch", None, _edit(ha, _drop("switch-repo")), "Version '1.31.1-*' for 'kubeadm' was not found",
      spec=ha_spec)
    c("armored-keyring", None, _edit(ha, _sub("| gpg --batch --yes --dearmor -o", "-o")), "unsupported filetype",
      spec=ha_spec)
    c("skipped-minor", None, skip, "is too high; kubeadm can upgrade only 1 minor version at a time",
      spec=dict(ha_spec, asof="2025-01-15"))
    c("no-upgrade-node-on-cp", None, _edit(ha, _drop("kubeadm-upgrade-node", "cp-3")), "end state: apiserver is",
      spec=ha_spec)
    c("rpm-without-disable-excludes", R, _edit(rpm, _sub(" --setopt=disable_excludes=kubernetes", "")),
      "filtered out by exclude filtering")
    c("dnf5-disableexcludes", None, _edit(d5, _sub("--setopt=disable_excludes=", "--disableexcludes=")),
      'Unknown argument "--disableexcludes=kubernetes"', spec=d5_spec, fam="rpm-dnf5")
    c("expired-repository-key", None, exp, "is not signed", spec=exp_spec)
    # The listing a plan past the known expiry runs stops on an expired key.
    c("expired-key-listed", None,
      _edit(exp, _sub("--dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg",
                      "--dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg && "
                      "gpg --show-keys /etc/apt/keyrings/kubernetes-apt-keyring.gpg | "
                      "awk '{ print } /\\[expired: / { bad = 1 } END { exit bad }'")),
      "[expired: 2024-11-02]", spec=exp_spec)
    # The same v1.27 repository verifies with the key a v1.28 one serves.
    c("good-key-from-v1.28", None, _edit(exp, _sub("v1.27/deb/Release.key", "v1.28/deb/Release.key")),
      spec=exp_spec)
    c("gpg-without-yes", None, _edit(ha, _sub("gpg --batch --yes --dearmor", "gpg --dearmor")),
      "cannot open '/dev/tty'", spec=ha_spec)
    return out
