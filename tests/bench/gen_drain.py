#!/usr/bin/env python3
"""gen_drain.py - a drain-blockers capture at scale for `make bench`.

usage: tests/bench/gen_drain.py DIR [PODS] [PDBS]

Writes DIR/workloads.yaml ("kubectl get pods,pdb,deploy,sts,rs -A -o yaml"
layout: metadata.labels, ownerReferences, spec.nodeName, volumes,
status.conditions) with PODS pods (150,000) in 500 namespaces over 500
nodes, one Deployment and ReplicaSet per 3 pods, and PDBS budgets (20,000)
selecting by matchLabels or matchExpressions; plus version.txt and
nodes.txt. One budget in five allows no disruption. Deterministic.
"""
import os
import sys

out, pods, pdbs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 150000, \
    int(sys.argv[3]) if len(sys.argv) > 3 else 20000
nodes, nss = 500, 500
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "version.txt"), "w") as f:
    f.write("Client Version: v1.29.10\nServer Version: v1.29.10\n")
with open(os.path.join(out, "nodes.txt"), "w") as f:
    f.write("NAME STATUS ROLES AGE VERSION\n")
    f.write("cp-1 Ready control-plane 300d v1.29.10\n")
    for n in range(nodes):
        f.write("worker-%d Ready <none> 300d v1.29.10\n" % n)
w = open(os.path.join(out, "workloads.yaml.tmp"), "w")
w.write("apiVersion: v1\nitems:\n")
apps = pods // 3
for i in range(pods):
    app, ns = i // 3, "ns-%d" % ((i // 3) % nss)
    vol = "    - emptyDir: {}\n      name: scratch\n" if i % 50 == 0 else ""
    w.write(
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    labels:\n"
        "      app: app-%d\n      pod-template-hash: h%d\n      tier: t%d\n"
        "    name: app-%d-h%d-%d\n    namespace: %s\n    ownerReferences:\n"
        "    - apiVersion: apps/v1\n      blockOwnerDeletion: true\n"
        "      controller: true\n      kind: ReplicaSet\n      name: app-%d-h%d\n"
        "      uid: 00000000-0000-0000-0000-%012d\n"
        "  spec:\n    containers:\n    - image: registry.example/app:%d\n"
        "      name: app\n    nodeName: worker-%d\n    volumes:\n%s"
        "    - name: token\n      projected: {}\n"
        "  status:\n    conditions:\n    - status: \"True\"\n      type: Ready\n"
        "    phase: Running\n"
        % (app, app, app % 7, app, app, i % 3, ns, app, app, i, app % 20,
           (i * 7919) % nodes, vol))
for a in range(apps):
    ns = "ns-%d" % (a % nss)
    for kind, name, extra in (("Deployment", "app-%d" % a, ""),
                              ("ReplicaSet", "app-%d-h%d" % (a, a),
                               "    ownerReferences:\n    - apiVersion: apps/v1\n"
                               "      controller: true\n      kind: Deployment\n"
                               "      name: app-%d\n      uid: u\n" % a)):
        w.write("- apiVersion: apps/v1\n  kind: %s\n  metadata:\n    name: %s\n"
                "    namespace: %s\n%s  spec:\n    replicas: 3\n    selector:\n"
                "      matchLabels:\n        app: app-%d\n"
                "  status:\n    readyReplicas: 3\n" % (kind, name, ns, extra, a))
def budget(p):
    """One budget in five needs all 3 replicas: blocked, on 3 nodes each."""
    if p % 5 == 0:
        return "minAvailable: 3"
    return "minAvailable: 2" if p % 3 else 'maxUnavailable: "34%"'


for p in range(pdbs):
    a = (p * 7) % apps
    ns = "ns-%d" % (a % nss)
    sel = ("      matchLabels:\n        app: app-%d\n" % a if p % 2 == 0 else
           "      matchExpressions:\n      - key: app\n        operator: In\n"
           "        values:\n        - app-%d\n      - key: tier\n"
           "        operator: Exists\n" % a)
    w.write("- apiVersion: policy/v1\n  kind: PodDisruptionBudget\n  metadata:\n"
            "    name: pdb-%d\n    namespace: %s\n  spec:\n    %s\n    selector:\n%s"
            % (p, ns, budget(p), sel))
w.write("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
w.close()
os.replace(os.path.join(out, "workloads.yaml.tmp"),
           os.path.join(out, "workloads.yaml"))
