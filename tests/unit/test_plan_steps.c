/*
 * test_plan_steps.c - what the runbook's steps say and check: every check
 * replayable (the verify match contract), the CNI step of a minor hop,
 * the recovery notes, the signing key of a repository switch, and the HA
 * addons moving with the last control plane.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>

#include <cmocka.h>

#include "planner_fx.h"

/* ------------------------------------------------------------ checks */

/*
 * The README's match contract: every check of every plan is replayable
 * (no manual check here), every regex compiles as POSIX ERE, and no
 * expected line ends in a blank (the trimmed stdout never could).
 */
static void
every_check_is_mechanical(void **state)
{
	static const struct {
		const char *dir, *to, *as_of;
	} t[] = {
		{"fixtures/seed-v1.26.1", "latest-patch", "2023-03-20"},
		{"fixtures/ha-1.24.17", "1.28", "2024-06-01"},
		{"fixtures/rpm-1.28", "1.29", "2024-11-12"},
	};
	size_t i, j, k, n = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct fx *f = plan_of(t[i].dir, t[i].to, t[i].as_of, 1, false);

		assert_int_equal(f->rc, PLAN_OK);
		for (j = 0; j < f->plan.steps.n; j++) {
			const struct plan_step *s = &f->plan.steps.v[j];

			for (k = 0; k < s->nverify; k++) {
				const struct plan_verify *v = &s->verify[k];
				const char *e = v->expect;
				regex_t re;

				assert_int_not_equal(v->match, PM_MANUAL);
				assert_true(*e != '\0');
				assert_null(strstr(e, " \n"));
				assert_true(e[strlen(e) - 1] != ' ');
				if (v->match == PM_REGEX) {
					assert_null(strchr(e, '\n'));
					assert_int_equal(regcomp(&re, e, REG_EXTENDED |
								 REG_NOSUB), 0);
					regfree(&re);
				}
				n++;
			}
		}
		fx_free(f);
	}
	assert_true(n > 100);
	assert_string_equal(plan_match_name(PM_EXACT), "exact");
	assert_string_equal(plan_match_name(PM_CONTAINS), "contains");
	assert_string_equal(plan_match_name(PM_REGEX), "regex");
	assert_string_equal(plan_match_name(PM_MANUAL), "manual");
}

/*
 * kubeadm 1.28+ in HA (kubernetes/kubernetes PR 116570): apply leaves
 * kube-proxy and CoreDNS; the last control plane's upgrade node moves
 * them. Before 1.28 apply moves them at once.
 */
static void
ha_addons_move_with_the_last_control_plane(void **state)
{
	struct fx *f = plan_of("fixtures/ha-1.24.17", "1.28", "2024-06-01", 1,
			       false);
	size_t i, napply = 0, nlast = 0;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	for (i = 0; i < f->plan.steps.n; i++) {
		const struct plan_step *s = &f->plan.steps.v[i];
		const struct plan_ver *to = &f->plan.hops.v[s->hop - 1].to;

		if (s->action == PA_KUBEADM_UPGRADE_APPLY) {
			napply++;
			/* hops to 1.25-1.27 move it, the hop to 1.28 not */
			assert_int_equal(plan_ver_cmp_public(&s->state.kube_proxy,
							     to) == 0,
					 to->minor < 28);
		}
		if (s->action == PA_KUBEADM_UPGRADE_NODE && s->node == 2 &&
		    to->minor == 28) {
			nlast++;
			assert_true(ver_is(&s->state.kube_proxy, 28, to->patch));
			assert_string_equal(s->verify[1].expect,
					    "[addons] Applied essential addon: "
					    "CoreDNS\n[addons] Applied essential "
					    "addon: kube-proxy");
		}
	}
	assert_int_equal(napply, 4);
	assert_int_equal(nlast, 1);
	fx_free(f);
}


/* A minor hop upgrades the CNI plugin the snapshot shows, once. */
static void
cni_plugin_is_named_and_its_rollout_checked(void **state)
{
	struct fx *f = plan_of("fixtures/cni-calico-1.29", "1.30",
			       "2024-11-12", 1, false);
	const struct plan *p = &f->plan;
	const struct plan_step *cni = NULL;
	size_t i, n = 0;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	for (i = 0; i < p->steps.n; i++)
		if (p->steps.v[i].action == PA_UPGRADE_CNI) {
			cni = &p->steps.v[i];
			n++;
		}
	assert_int_equal(n, 1);
	/*
	 * Calico 3.27 lists 1.24 to 1.28 (rules/data/addons.yaml): the hop
	 * first moves it to 3.28, the first release that lists 1.29 and 1.30,
	 * before kubeadm upgrade apply; the CNI step then names 3.28.
	 */
	assert_string_equal(cni->title,
			    "Upgrade Calico 3.28 for Kubernetes 1.30");
	for (i = 0; i < p->steps.n; i++)
		if (p->steps.v[i].action == PA_UPGRADE_ADDONS)
			break;
	assert_true(i < p->steps.n);
	assert_string_equal(p->steps.v[i].title,
			    "Upgrade Calico to 3.28 before the hop to 1.30");
	assert_int_equal(p->steps.v[i + 1].action, PA_KUBEADM_UPGRADE_APPLY);
	assert_int_equal(p->steps.v[i].verify[0].match, PM_MANUAL);
	assert_non_null(strstr(p->steps.v[i].notes[1], "Calico v3.27.3 (pod "
			       "calico-node-4kz8p in kube-system): release "
			       "3.27 lists 1.24 to 1.28"));
	assert_int_equal(cni->ncommands, 0);
	assert_int_equal(cni->verify[0].match, PM_EXACT);
	assert_string_equal(cni->verify[0].command,
			    "kubectl -n kube-system rollout status "
			    "daemonset/calico-node --timeout=10m");
	assert_string_equal(cni->verify[0].expect,
			    "daemon set \"calico-node\" successfully rolled out");
	/* After the control plane, before the first drain. */
	assert_int_equal((cni - 1)->action, PA_KUBEADM_UPGRADE_APPLY);
	assert_int_equal((cni + 1)->action, PA_DRAIN);
	/* The hop ends with its recovery notes. */
	assert_int_equal(p->steps.v[p->steps.n - 1].action, PA_RECOVERY);
	assert_non_null(strstr(p->steps.v[p->steps.n - 1].notes[2],
			       "etcdutl snapshot restore"));
	fx_free(f);
}

/*
 * After 2024-11-02 the v1.25 repository's own key is expired: the switch
 * fetches the key the v1.28 repository serves (rules data signing_keys).
 */
static void
expired_repository_key_is_fetched_from_a_valid_minor(void **state)
{
	struct fx *f = plan_of("fixtures/ha-1.24.17", "1.25", "2025-06-01",
			       1, false);
	const struct plan_step *s;

	(void)state;
	assert_int_equal(f->rc, PLAN_OK);
	s = find_step(&f->plan, "1.1");
	assert_int_equal(s->action, PA_SWITCH_REPO);
	assert_string_equal(s->commands[2],
			    "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.28/deb/Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg");
	assert_string_equal(s->commands[3],
			    "echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.25/deb/ /' > /etc/apt/sources.list.d/kubernetes.list");
	assert_non_null(strstr(s->notes[0], "is fetched from v1.28"));
	fx_free(f);
	/* Before the expiry the repository's own key is used. */
	f = plan_of("fixtures/ha-1.24.17", "1.25", "2024-06-01", 1, false);
	assert_int_equal(f->rc, PLAN_OK);
	assert_non_null(strstr(find_step(&f->plan, "1.1")->commands[2],
			       "/v1.25/deb/Release.key"));
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_check_is_mechanical),
		cmocka_unit_test(cni_plugin_is_named_and_its_rollout_checked),
		cmocka_unit_test(expired_repository_key_is_fetched_from_a_valid_minor),
		cmocka_unit_test(ha_addons_move_with_the_last_control_plane),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
