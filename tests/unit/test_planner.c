/*
 * test_planner.c - `skewplan plan`: target resolution, hops, the steps of
 * kubeadm's upgrade order, repository switches, batching, refusals, the
 * injection guard, and the simulation. The multi-hop test re-checks every
 * JSON state with a skew check written here, independent of simulate.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "planner_fx.h"

/* Every node's state after step id (plan_step_nodes; at most 64 nodes). */
static const struct plan_node_state *
nodes_after(const struct plan *p, const char *id)
{
	static struct plan_node_state nodes[64];
	const struct plan_step *s = find_step(p, id);

	assert_non_null(s);
	assert_true(p->nnodes <= 64);
	plan_step_nodes(p, (size_t)(s - p->steps.v), nodes);
	return nodes;
}

/* ------------------------------------------------------------ targets */

static void
target_syntax_is_checked(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} t[] = {
		{"1.26.3", true}, {"v1.26.3", true}, {"1.27", true},
		{"latest", true}, {"latest-patch", true}, {"2.0.0", false},
		{"banana", false}, {"1.26.3;reboot", false}, {"", false},
		{"latest-minor", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(plan_target_is_valid(t[i].s), t[i].ok);
}

/* ------------------------------------------------------------ the seed */

static void
seed_plan_follows_the_seed_commands_in_order(void **state)
{
	/* The seed's order: kubeadm, plan, apply, drain, kubelet, restart,
	 * uncordon on node-1; kubeadm, upgrade node, drain, kubelet,
	 * restart, uncordon on node-2 and node-3. */
	static const struct {
		const char *node;
		enum plan_action a;
		const char *cmd;
	} want[] = {
		{"node-1", PA_BACKUP_ETCD, "kubectl --kubeconfig=/etc/kubernetes/admin.conf -n kube-system exec etcd-node-1 -- etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key snapshot save /var/lib/etcd/etcd-before-v1.26.3.db"},
		{"node-1", PA_UPGRADE_KUBEADM, "apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm=1.26.3-00 && apt-mark hold kubeadm"},
		{"node-1", PA_KUBEADM_UPGRADE_PLAN, "kubeadm upgrade plan"},
		{"node-1", PA_KUBEADM_UPGRADE_APPLY, "kubeadm upgrade apply v1.26.3"},
		{"node-1", PA_DRAIN, "kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data --timeout=10m"},
		{"node-1", PA_UPGRADE_KUBELET_KUBECTL, "apt-mark unhold kubelet kubectl && apt-get update && apt-get install -y kubelet=1.26.3-00 kubectl=1.26.3-00 && apt-mark hold kubelet kubectl"},
		{"node-1", PA_RESTART_KUBELET, "systemctl daemon-reload && systemctl restart kubelet"},
		{"node-1", PA_UNCORDON, "kubectl uncordon node-1"},
		{"node-2", PA_UPGRADE_KUBEADM, "apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm=1.26.3-00 && apt-mark hold kubeadm"},
		{"node-2", PA_KUBEADM_UPGRADE_NODE, "kubeadm upgrade node"},
		{"node-2", PA_DRAIN, "kubectl drain node-2 --ignore-daemonsets --delete-emptydir-data --timeout=10m"},
		{"node-2", PA_UPGRADE_KUBELET_KUBECTL, NULL},
		{"node-2", PA_RESTART_KUBELET, NULL},
		{"node-2", PA_UNCORDON, "kubectl uncordon node-2"},
		{"node-3", PA_UPGRADE_KUBEADM, NULL},
		{"node-3", PA_KUBEADM_UPGRADE_NODE, "kubeadm upgrade node"},
		{"node-3", PA_DRAIN, "kubectl drain node-3 --ignore-daemonsets --delete-emptydir-data --timeout=10m"},
		{"node-3", PA_UPGRADE_KUBELET_KUBECTL, NULL},
		{"node-3", PA_RESTART_KUBELET, NULL},
		{"node-3", PA_UNCORDON, "kubectl uncordon node-3"},
		{NULL, PA_VERIFY, "kubectl version"},
		{NULL, PA_RECOVERY, NULL},
	};
	struct fx *f = plan_of("fixtures/seed-v1.26.1", "latest-patch",
			       "2023-03-20", 1, false);
	const struct plan *p = &f->plan;
	size_t i;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	assert_true(ver_is(&p->from, 26, 1));
	assert_true(ver_is(&p->to, 26, 3));
	assert_int_equal(p->hops.n, 1);
	assert_true(p->hops.v[0].packages_verified);
	assert_false(p->hops.v[0].switch_repo);
	assert_string_equal(p->hops.v[0].kubeadm, "1.26.3-00");
	assert_int_equal(p->findings.n, 0);
	assert_int_equal(p->steps.n, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct plan_step *s = &p->steps.v[i];
		char id[16];

		snprintf(id, sizeof(id), "1.%zu", i + 1);
		assert_string_equal(s->id, id);
		assert_int_equal(s->action, want[i].a);
		if (want[i].node)
			assert_string_equal(p->nodes[s->node].name, want[i].node);
		else
			assert_int_equal(s->node, -1);
		if (want[i].cmd)
			assert_string_equal(s->commands[0], want[i].cmd);
	}
	/* Where each step runs and what it checks. */
	assert_string_equal(find_step(p, "1.2")->where, "on node-1 as root");
	assert_string_equal(find_step(p, "1.2")->verify[0].command,
			    "kubeadm version -o short");
	assert_string_equal(find_step(p, "1.2")->verify[0].expect, "v1.26.3");
	assert_string_equal(find_step(p, "1.5")->where,
			    "from a workstation with kubectl");
	assert_non_null(strstr(find_step(p, "1.3")->verify[0].expect,
			       "kubelet     3 x v1.26.1   v1.26.3"));
	assert_non_null(strstr(find_step(p, "1.3")->verify[0].expect,
			       "etcd                      3.5.6-0   3.5.6-0"));
	assert_non_null(strstr(find_step(p, "1.3")->verify[0].expect,
			       "CoreDNS                   v1.9.3    v1.9.3"));
	/* The state after the apply: control plane new, kubelets old. */
	assert_true(ver_is(&nodes_after(p, "1.4")[0].apiserver, 26, 3));
	assert_true(ver_is(&nodes_after(p, "1.4")[0].kubelet, 26, 1));
	assert_true(ver_is(&nodes_after(p, "1.7")[0].kubelet, 26, 3));
	assert_true(nodes_after(p, "1.5")[0].cordoned);
	assert_false(nodes_after(p, "1.8")[0].cordoned);
	/* Only the hop's last step keeps every node; the others, changes. */
	assert_null(find_step(p, "1.4")->state.nodes);
	assert_non_null(p->steps.v[p->steps.n - 1].state.nodes);
	assert_int_equal(find_step(p, "1.7")->nchanges, 1);
	assert_int_equal(find_step(p, "1.7")->changes[0].comp, PC_KUBELET);
	assert_true(ver_is(&find_step(p, "1.7")->changes[0].from, 26, 1));
	assert_true(ver_is(&find_step(p, "1.7")->changes[0].to, 26, 3));
	assert_true(ver_is(&find_step(p, "1.4")->summary[PC_KUBELET].min, 26, 1));
	assert_true(ver_is(&find_step(p, "1.4")->summary[PC_APISERVER].max, 26, 3));
	fx_free(f);
}

static void
legacy_repository_after_its_removal_moves_to_pkgs_k8s_io_first(void **state)
{
	struct fx *f = plan_of("fixtures/seed-v1.26.1", "latest-patch",
			       "2024-06-01", 1, false);
	const struct plan *p = &f->plan;
	const struct plan_step *s = &p->steps.v[0];

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	/* The capture is of the removed repository: the data decides. */
	assert_true(ver_is(&p->to, 26, 15));
	assert_true(p->hops.v[0].from_legacy);
	assert_string_equal(p->hops.v[0].kubeadm, "1.26.15-*");
	assert_int_equal(s->action, PA_SWITCH_REPO);
	assert_int_equal(s->node, -1);
	assert_string_equal(s->where, "on every node (node-1, node-2, node-3) as root");
	/* The install guide's tools, then a key gpg may overwrite. */
	assert_string_equal(s->commands[0], "apt-get install -y apt-transport-https ca-certificates curl gpg");
	assert_string_equal(s->commands[1], "mkdir -p -m 755 /etc/apt/keyrings");
	assert_string_equal(s->commands[2], "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.26/deb/Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg");
	assert_string_equal(s->commands[3], "echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.26/deb/ /' > /etc/apt/sources.list.d/kubernetes.list");
	assert_string_equal(s->commands[4], "apt-get update");
	assert_string_equal(find_step(p, "1.3")->commands[0],
			    "apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm='1.26.15-*' && apt-mark hold kubeadm");
	/* 1.26 reached end of life on 2024-02-28: the plan warns. */
	assert_int_equal(p->findings.n, 2);
	assert_string_equal(p->findings.v[0].rule->id, "plan-target-end-of-life");
	assert_string_equal(p->findings.v[0].message,
			    "the target 1.26.15 runs minor 1.26, which reached "
			    "end of life on 2024-02-28");
	assert_string_equal(p->findings.v[1].rule->id, "plan-packages-unverified");
	assert_string_equal(p->findings.v[1].subject, "hop 1");
	fx_free(f);
}

/* ------------------------------------------------------------ multi-hop */

static int
jminor(const cJSON *v)
{
	unsigned ma, mi, pa;
	bool hp;

	assert_true(cJSON_IsString(v));
	assert_true(kver_parse_numbers(v->valuestring, strlen(v->valuestring),
				       &ma, &mi, &pa, &hp));
	return (int)mi;
}

/*
 * The skew policy, written out here on purpose rather than read from the
 * rules data: apiservers within one minor; kubelets not newer than any
 * apiserver and at most two minors older (three for apiserver >= 1.28 and
 * kubelet >= 1.25); controller-manager and scheduler not newer than their
 * node's apiserver and at most one older; kubectl within one of the
 * newest apiserver at the end of a hop.
 */
static void
state_passes_skew(const cJSON *st)
{
	const cJSON *api = cJSON_GetObjectItemCaseSensitive(st, "apiserver");
	const cJSON *kcm = cJSON_GetObjectItemCaseSensitive(st, "controllerManager");
	const cJSON *sch = cJSON_GetObjectItemCaseSensitive(st, "scheduler");
	const cJSON *kl = cJSON_GetObjectItemCaseSensitive(st, "kubelet");
	const cJSON *a, *b, *k;

	assert_non_null(api);
	assert_non_null(kl);
	cJSON_ArrayForEach(a, api) {
		cJSON_ArrayForEach(b, api)
			assert_true(abs(jminor(a) - jminor(b)) <= 1);
		cJSON_ArrayForEach(k, kl) {
			int lag = jminor(a) - jminor(k);
			int limit = jminor(a) >= 28 && jminor(k) >= 25 ? 3 : 2;

			assert_true(lag >= 0);
			assert_true(lag <= limit);
		}
		k = cJSON_GetObjectItemCaseSensitive(kcm, a->string);
		assert_true(jminor(a) - jminor(k) >= 0 &&
			    jminor(a) - jminor(k) <= 1);
		k = cJSON_GetObjectItemCaseSensitive(sch, a->string);
		assert_true(jminor(a) - jminor(k) >= 0 &&
			    jminor(a) - jminor(k) <= 1);
	}
}

/* The summary's bounds: apiservers within one minor, kubelets behind. */
static void
summary_passes_skew(const cJSON *sum)
{
	const cJSON *api = cJSON_GetObjectItemCaseSensitive(sum, "apiserver");
	const cJSON *kl = cJSON_GetObjectItemCaseSensitive(sum, "kubelet");
	int amin = jminor(cJSON_GetObjectItemCaseSensitive(api, "min"));
	int amax = jminor(cJSON_GetObjectItemCaseSensitive(api, "max"));
	int kmin = jminor(cJSON_GetObjectItemCaseSensitive(kl, "min"));
	int kmax = jminor(cJSON_GetObjectItemCaseSensitive(kl, "max"));

	assert_true(amax - amin <= 1);
	assert_true(kmax <= amin);
	assert_true(amin - kmin <= (amin >= 28 && kmin >= 25 ? 3 : 2));
}

static void
multi_hop_ha_has_four_hops_and_every_state_passes_skew(void **state)
{
	static const unsigned want[4][2] = {{25, 16}, {26, 15}, {27, 16}, {28, 15}};
	struct fx *f = plan_of("fixtures/ha-1.24.17", "1.28", "2024-11-01", 1,
			       false);
	struct buf out = BUF_INIT;
	cJSON *root, *steps, *s, *hops;
	size_t i, n = 0, applies = 0, switches = 0;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	assert_int_equal(f->plan.hops.n, 4);
	for (i = 0; i < 4; i++) {
		assert_true(ver_is(&f->plan.hops.v[i].to, want[i][0], want[i][1]));
		assert_true(f->plan.hops.v[i].switch_repo);
		assert_int_equal(f->plan.hops.v[i].repo_minor, want[i][0]);
	}
	/* 1.28 ended on 2024-10-22; then the unverified packages. */
	assert_int_equal(f->plan.findings.n, 5);
	assert_string_equal(f->plan.findings.v[0].rule->id,
			    "plan-target-end-of-life");
	assert_int_equal(report_plan_json(&out, &f->plan), 0);
	root = cJSON_Parse(buf_cstr(&out));
	assert_non_null(root);
	hops = cJSON_GetObjectItemCaseSensitive(root, "hops");
	assert_int_equal(cJSON_GetArraySize(hops), 4);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(hops, 3), "to")->valuestring, "1.28.15");
	steps = cJSON_GetObjectItemCaseSensitive(root, "steps");
	cJSON_ArrayForEach(s, steps) {
		const char *action = cJSON_GetObjectItemCaseSensitive(s, "action")->valuestring;

		summary_passes_skew(cJSON_GetObjectItemCaseSensitive(s, "summary"));
		if (cJSON_GetObjectItemCaseSensitive(s, "state"))
			state_passes_skew(cJSON_GetObjectItemCaseSensitive(s, "state"));
		applies += !strcmp(action, "kubeadm-upgrade-apply");
		switches += !strcmp(action, "switch-repo");
		n++;
	}
	assert_int_equal(n, f->plan.steps.n);
	assert_int_equal(applies, 4);
	assert_int_equal(switches, 4);
	/* HA: the other control-plane nodes run `kubeadm upgrade node`
	 * before any kubelet is touched. */
	assert_int_equal(find_step(&f->plan, "1.7")->action, PA_KUBEADM_UPGRADE_NODE);
	assert_string_equal(f->plan.nodes[find_step(&f->plan, "1.7")->node].name, "cp-2");
	assert_int_equal(find_step(&f->plan, "1.9")->action, PA_KUBEADM_UPGRADE_NODE);
	/* Then the CNI plugin, once, before the first drain. */
	assert_int_equal(find_step(&f->plan, "1.10")->action, PA_UPGRADE_CNI);
	assert_int_equal(find_step(&f->plan, "1.11")->action, PA_DRAIN);
	/* Every switch fetches the key again. */
	assert_string_equal(find_step(&f->plan, "2.1")->commands[2],
			    "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.26/deb/Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg");
	assert_string_equal(find_step(&f->plan, "2.1")->commands[3],
			    "echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.26/deb/ /' > /etc/apt/sources.list.d/kubernetes.list");
	/* The final state: everything at 1.28.15. */
	{
		const struct plan_state *last =
			&f->plan.steps.v[f->plan.steps.n - 1].state;

		for (i = 0; i < f->plan.nnodes; i++) {
			assert_true(ver_is(&last->nodes[i].kubelet, 28, 15));
			assert_true(ver_is(&last->nodes[i].kubeadm, 28, 15));
		}
		assert_true(ver_is(&last->kubectl, 28, 15));
	}
	cJSON_Delete(root);
	buf_release(&out);
	fx_free(f);
}

static void
workers_are_upgraded_in_batches_of_max_unavailable(void **state)
{
	struct fx *f = plan_of("fixtures/ha-1.24.17", "1.25", "2024-11-01", 2,
			       false);
	const struct plan *p = &f->plan;
	size_t i, k, most = 0, cp_most = 0;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	for (i = 0; i < p->steps.n; i++) {
		size_t cordoned = 0, cp = 0;

		const struct plan_node_state *ns =
			nodes_after(p, p->steps.v[i].id);

		for (k = 0; k < p->nnodes; k++) {
			cordoned += ns[k].cordoned;
			cp += ns[k].cordoned && p->nodes[k].control_plane;
		}
		most = cordoned > most ? cordoned : most;
		cp_most = cp > cp_most ? cp : cp_most;
	}
	assert_int_equal(most, 2);
	assert_int_equal(cp_most, 1);
	/* worker-1 and worker-2 drained together, worker-5 alone. */
	assert_string_equal(find_step(p, "1.27")->commands[0],
			    "kubectl drain worker-1 --ignore-daemonsets "
			    "--delete-emptydir-data --timeout=10m");
	assert_string_equal(find_step(p, "1.28")->commands[0],
			    "kubectl drain worker-2 --ignore-daemonsets "
			    "--delete-emptydir-data --timeout=10m");
	assert_string_equal(find_step(p, "1.47")->commands[0],
			    "apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm='1.25.16-*' && apt-mark hold kubeadm");
	assert_string_equal(p->nodes[find_step(p, "1.47")->node].name, "worker-5");
	fx_free(f);
}

static void
rpm_plan_uses_yum_with_captured_releases(void **state)
{
	struct plan_options o = {.to = "1.29", .as_of = day("2024-11-12"),
				 .max_unavailable = 1, .patch_first = true};
	struct fx *f = plan_with("fixtures/rpm-1.28", &o);
	const struct plan *p = &f->plan;
	const struct plan_step *s;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	assert_true(p->rpm);
	assert_int_equal(p->hops.n, 2);
	assert_true(ver_is(&p->hops.v[0].to, 28, 15));
	assert_true(p->hops.v[0].packages_verified);
	assert_false(p->hops.v[0].switch_repo);
	assert_true(ver_is(&p->hops.v[1].to, 29, 10));
	assert_false(p->hops.v[1].packages_verified);
	assert_string_equal(find_step(p, "1.2")->commands[0],
			    "yum install -y kubeadm-1.28.15-150500.1.1 --disableexcludes=kubernetes");
	s = find_step(p, "2.1");
	assert_int_equal(s->action, PA_SWITCH_REPO);
	assert_non_null(strstr(s->commands[0], "cat <<'EOF' > /etc/yum.repos.d/kubernetes.repo\n[kubernetes]\n"));
	assert_non_null(strstr(s->commands[0], "baseurl=https://pkgs.k8s.io/core:/stable:/v1.29/rpm/\n"));
	assert_string_equal(find_step(p, "2.3")->commands[0],
			    "yum install -y 'kubeadm-1.29.10-*' --disableexcludes=kubernetes");
	fx_free(f);
}

/* ------------------------------------------------------------ refusals */

static void
each_refusal_names_its_rule(void **state)
{
	static const struct {
		const char *dir, *to, *as_of;
		bool strict;
		const char *rule, *subject;
	} t[] = {
		{"fixtures/bad/plan-not-ready", "latest-patch", "2023-03-20", false, "plan-node-not-ready", "node-3"},
		{"fixtures/seed-v1.26.1", "1.25.0", "2023-03-20", false, "plan-target-older", "cluster"},
		{"fixtures/seed-v1.26.1", "1.26.99", "2023-03-20", false, "plan-target-unknown", "cluster"},
		{"fixtures/seed-v1.26.1", "1.40", "2023-03-20", false, "plan-target-unknown", "cluster"},
		{"fixtures/bad/plan-no-server", "latest-patch", "2023-03-20", false, "plan-no-server-version", "cluster"},
		{"fixtures/bad/plan-skew", "1.27", "2023-05-01", false, "plan-skew-violation", "cluster"},
		/* kubeadm 1.27 supports kubelets one minor older: worker-2 at
		 * 1.25 can be caught up by no supported step. */
		{"fixtures/bad/plan-kubelet-lag", "1.28", "2024-11-01", false, "plan-catch-up-impossible", "worker-2"},
		{"fixtures/ha-1.24.17", "1.28", "2024-11-01", true, "plan-packages-unverified", "hop 1"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct fx *f = plan_of(t[i].dir, t[i].to, t[i].as_of, 1,
				       t[i].strict);
		struct buf out = BUF_INIT;

		assert_int_equal(f->rc, PLAN_REFUSED);
		assert_true(f->plan.refused);
		assert_true(f->plan.findings.n >= 1);
		assert_string_equal(f->plan.findings.v[0].rule->id, t[i].rule);
		assert_int_equal(f->plan.findings.v[0].severity, SEV_ERROR);
		assert_string_equal(f->plan.findings.v[0].subject, t[i].subject);
		/* Never printed as a runbook. */
		assert_int_equal(report_plan_text(&out, &f->plan), 0);
		assert_non_null(strstr(buf_cstr(&out), "Plan refused"));
		assert_null(strstr(buf_cstr(&out), "Step "));
		buf_release(&out);
		fx_free(f);
	}
}

static void
simulation_refuses_a_kubelet_upgraded_before_the_control_plane(void **state)
{
	struct fx *f = plan_of("fixtures/ha-1.24.17", "1.25", "2024-11-01", 1,
			       false);
	struct plan *p = &f->plan;
	size_t i;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	/* Drop the control-plane upgrade: the kubelets now overtake it. */
	for (i = 0; i < p->steps.n; i++)
		if (p->steps.v[i].action == PA_KUBEADM_UPGRADE_APPLY ||
		    p->steps.v[i].action == PA_KUBEADM_UPGRADE_NODE)
			p->steps.v[i].action = PA_VERIFY;
	assert_int_equal(plan_simulate(&f->db, &f->arena, p), PLAN_REFUSED);
	assert_true(p->refused);
	assert_string_equal(p->findings.v[p->findings.n - 1].rule->id,
			    "plan-skew-violation");
	assert_string_equal(p->findings.v[p->findings.n - 1].subject, "step 1.13");
	assert_string_equal(p->findings.v[p->findings.n - 1].message,
			    "refusing to plan the hop to 1.25.16: kubelet on 'cp-1' "
			    "at 1.25.16 would be outside the supported skew (after "
			    "step 1.13, restart-kubelet: kubelet may be at most 0 "
			    "minor versions newer than kube-apiserver 1.24)");
	fx_free(f);
}

static void
simulation_refuses_kubeadm_of_the_wrong_minor(void **state)
{
	struct fx *f = plan_of("fixtures/ha-1.24.17", "1.25", "2024-11-01", 1,
			       false);
	struct plan *p = &f->plan;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	/* Skip the kubeadm package on cp-1 (step 1.3): `kubeadm upgrade
	 * plan` would run with kubeadm 1.24. */
	p->steps.v[2].action = PA_VERIFY;
	assert_int_equal(p->steps.v[2].node, 0);
	assert_int_equal(plan_simulate(&f->db, &f->arena, p), PLAN_REFUSED);
	assert_string_equal(p->findings.v[p->findings.n - 1].subject, "step 1.4");
	assert_non_null(strstr(p->findings.v[p->findings.n - 1].message,
			       "kubeadm on 'cp-1' at 1.24.17"));
	fx_free(f);
}

static void
unsafe_node_names_never_reach_a_command(void **state)
{
	static const char *const names[] = {"$(reboot)", "n1;rm -rf /",
					    "Node-1", "a b", "`id`", ""};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct fx *f = fx_new();
		struct plan_options o = {.to = "latest-patch",
					 .as_of = day("2023-03-20"),
					 .max_unavailable = 1};
		struct node *n;

		assert_int_equal(ingest_arg(&f->cs, &f->d,
					    "fixtures/seed-v1.26.1"), 0);
		model_sort(&f->cs);
		/* Ingest refuses such names; the planner checks again. */
		n = &f->cs.nodes.v[f->cs.nodes.n - 1];
		n->name = names[i];
		assert_int_equal(plan_build(&f->db, &f->cs, &o, &f->plan, &f->d),
				 PLAN_BAD_INPUT);
		assert_int_equal(f->plan.steps.n, 0);
		assert_int_equal(f->d.errors, 1);
		assert_non_null(strstr(buf_cstr(&f->d.last), "DNS-1123"));
		fx_free(f);
	}
}

static void
injection_fixtures_are_refused_by_ingest(void **state)
{
	static const char *const dirs[] = {
		"fixtures/bad/plan-injection/reboot-table",
		"fixtures/bad/plan-injection/rm-yaml",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		struct fx *f = fx_new();

		assert_int_equal(ingest_arg(&f->cs, &f->d, dirs[i]), -1);
		assert_non_null(strstr(buf_cstr(&f->d.last), "node name"));
		fx_free(f);
	}
}

static void
minor_target_takes_the_newest_patch_and_goes_straight_there(void **state)
{
	struct plan_options o = {.to = "1.27", .as_of = day("2023-05-01"),
				 .max_unavailable = 1};
	struct fx *f = plan_with("fixtures/seed-v1.26.1", &o);
	const struct plan *p = &f->plan;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	/* 1.27 from the release data as of 2023-05-01 (1.27.1, unverified),
	 * straight from 1.26.1: the newest 1.26 patch first is recommended,
	 * not required, and would drain every node once more. */
	assert_int_equal(p->hops.n, 1);
	assert_true(ver_is(&p->hops.v[0].from, 26, 1));
	assert_true(ver_is(&p->hops.v[0].to, 27, 1));
	assert_false(p->hops.v[0].target_verified);
	/* Legacy repository before its freeze: no switch. */
	assert_false(p->hops.v[0].switch_repo);
	assert_string_equal(p->hops.v[0].kubeadm, "1.27.1-*");
	assert_string_equal(p->findings.v[p->findings.n - 1].rule->id,
			    "plan-path");
	assert_string_equal(p->findings.v[p->findings.n - 1].message,
			    "path 1.26.1 -> 1.27.1: 3 node drain(s); the path "
			    "1.26.1 -> 1.26.3 -> 1.27.1 would take 6 drains "
			    "and 42 steps (the skew policy recommends the "
			    "newest patch first but does not require it; "
			    "--patch-first takes it)");
	fx_free(f);

	/* --patch-first: the newest 1.26 patch in the capture first. */
	o.patch_first = true;
	f = plan_with("fixtures/seed-v1.26.1", &o);
	p = &f->plan;
	assert_int_equal(f->rc, PLAN_OK);
	assert_int_equal(p->hops.n, 2);
	assert_true(ver_is(&p->hops.v[0].to, 26, 3));
	assert_true(p->hops.v[0].packages_verified);
	assert_true(ver_is(&p->hops.v[1].to, 27, 1));
	assert_non_null(strstr(p->findings.v[p->findings.n - 1].message,
			       "--patch-first asked for the newest patch"));
	fx_free(f);
}




int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(target_syntax_is_checked),
		cmocka_unit_test(seed_plan_follows_the_seed_commands_in_order),
		cmocka_unit_test(legacy_repository_after_its_removal_moves_to_pkgs_k8s_io_first),
		cmocka_unit_test(multi_hop_ha_has_four_hops_and_every_state_passes_skew),
		cmocka_unit_test(workers_are_upgraded_in_batches_of_max_unavailable),
		cmocka_unit_test(rpm_plan_uses_yum_with_captured_releases),
		cmocka_unit_test(each_refusal_names_its_rule),
		cmocka_unit_test(simulation_refuses_a_kubelet_upgraded_before_the_control_plane),
		cmocka_unit_test(simulation_refuses_kubeadm_of_the_wrong_minor),
		cmocka_unit_test(unsafe_node_names_never_reach_a_command),
		cmocka_unit_test(injection_fixtures_are_refused_by_ingest),
		cmocka_unit_test(minor_target_takes_the_newest_patch_and_goes_straight_there),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
