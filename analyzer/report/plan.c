/*
 * plan.c - `skewplan plan` output: the runbook as text or Markdown
 * (numbered steps, where each runs, the commands, what to check) and the
 * JSON contract of the README. A refused plan prints only its findings.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../planner/planner.h"
#include "report.h"

static const char *
sev_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

static void
add_ver(struct buf *b, const struct plan_ver *v)
{
	if (v->set)
		buf_addf(b, "v%u.%u.%u", v->major, v->minor, v->patch);
	else
		buf_adds(b, "unknown");
}

static void
add_loc(struct buf *b, const struct src_loc *l)
{
	buf_addf(b, "%s:%u:%u", l->path ? l->path : "-", (unsigned)l->line,
		 (unsigned)l->col);
}

/*
 * Appends s line by line: the first line after ind, the others after
 * more (ind again when NULL). No line ends in a blank.
 */
static void
add_lines(struct buf *b, const char *ind, const char *more, const char *s)
{
	const char *p = s, *nl, *pre = ind;
	size_t len;

	for (;;) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		buf_adds(b, pre);
		buf_add(b, p, len);
		while (b->len && b->s[b->len - 1] == ' ')
			b->s[--b->len] = '\0';
		buf_addc(b, '\n');
		if (!nl)
			break;
		p = nl + 1;
		pre = more ? more : ind;
	}
}

static void
add_indented(struct buf *b, const char *ind, const char *s)
{
	add_lines(b, ind, NULL, s);
}

static size_t
count_cp(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nnodes; i++)
		n += p->nodes[i].control_plane;
	return n;
}

static void
add_repo(struct buf *b, const struct plan *p, const struct plan_hop *h)
{
	if (!h->repo_minor)
		buf_adds(b, "legacy repository");
	else
		buf_addf(b, "pkgs.k8s.io v1.%u", h->repo_minor);
	buf_adds(b, p->rpm ? " (yum)" : " (apt)");
}

/* ------------------------------------------------------------ text */

static void
text_findings(struct buf *b, const struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->findings.n; i++) {
		const struct finding *f = &p->findings.v[i];

		buf_addf(b, "  %s [%s] %s: %s\n", sev_name(f->severity),
			 f->rule->id, f->subject, f->message);
		add_indented(b, "      ", f->remediation);
		for (j = 0; j < f->nevidence; j++) {
			buf_adds(b, "      evidence: ");
			add_loc(b, &f->evidence[j]);
			buf_addc(b, '\n');
		}
	}
}

static void
text_header(struct buf *b, const struct plan *p)
{
	char date[11];

	date_format(p->as_of, date);
	buf_adds(b, "Upgrade plan: ");
	add_ver(b, &p->from);
	buf_adds(b, " -> ");
	add_ver(b, &p->to);
	buf_addf(b, " (as of %s)\n", date);
	date_format(p->rules_compiled, date);
	buf_addf(b, "skewplan %s, rules data compiled %s\n", SKEWPLAN_VERSION,
		 date);
	buf_addf(b, "Cluster: %zu node%s (%zu control-plane, %zu worker%s)\n",
		 p->nnodes, p->nnodes == 1 ? "" : "s", count_cp(p),
		 p->nnodes - count_cp(p),
		 p->nnodes - count_cp(p) == 1 ? "" : "s");
}

int
report_plan_text(struct buf *b, const struct plan *p)
{
	size_t i, k;
	unsigned hop = 0;

	if (p->refused) {
		char asof[11], compiled[11];

		date_format(p->as_of, asof);
		date_format(p->rules_compiled, compiled);
		buf_addf(b, "Plan refused (as of %s)\nskewplan %s, rules data "
			 "compiled %s\n\n", asof, SKEWPLAN_VERSION, compiled);
		text_findings(b, p);
		return b->oom ? -1 : 0;
	}
	text_header(b, p);
	buf_adds(b, "\nHops\n");
	for (i = 0; i < p->hops.n; i++) {
		const struct plan_hop *h = &p->hops.v[i];

		buf_addf(b, "  %zu. ", i + 1);
		add_ver(b, &h->from);
		buf_adds(b, " -> ");
		add_ver(b, &h->to);
		buf_addf(b, "   kubeadm %s, kubelet %s, kubectl %s from the ",
			 h->kubeadm, h->kubelet, h->kubectl);
		add_repo(b, p, h);
		buf_adds(b, h->packages_verified ? "\n"
						 : " (not in the capture)\n");
	}
	if (p->findings.n) {
		buf_adds(b, "\nFindings that shaped the plan\n");
		text_findings(b, p);
	}
	for (i = 0; i < p->steps.n; i++) {
		const struct plan_step *s = &p->steps.v[i];

		if (s->hop != hop) {
			const struct plan_hop *h = &p->hops.v[s->hop - 1];

			hop = s->hop;
			buf_addf(b, "\nHop %u: ", hop);
			add_ver(b, &h->from);
			buf_adds(b, " -> ");
			add_ver(b, &h->to);
			buf_addc(b, '\n');
		}
		buf_addf(b, "\nStep %s  %s\n  where: %s\n", s->id, s->title,
			 s->where);
		for (k = 0; k < s->ncommands; k++)
			add_lines(b, "    $ ", "    > ", s->commands[k]);
		for (k = 0; k < s->nverify; k++) {
			buf_adds(b, "  check: ");
			buf_adds(b, s->verify[k].command);
			buf_adds(b, "\n");
			add_indented(b, "    | ", s->verify[k].expect);
		}
	}
	buf_addf(b, "\n%zu steps in %zu hop%s; every state proven inside the "
		 "skew policy and kubeadm's upgrade policy.\n", p->steps.n,
		 p->hops.n, p->hops.n == 1 ? "" : "s");
	return b->oom ? -1 : 0;
}

/* ------------------------------------------------------------ markdown */

static void
md_findings(struct buf *b, const struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->findings.n; i++) {
		const struct finding *f = &p->findings.v[i];

		buf_addf(b, "- **%s** `%s` ", sev_name(f->severity),
			 f->rule->id);
		esc_md(b, f->subject, strlen(f->subject));
		buf_adds(b, ": ");
		esc_md(b, f->message, strlen(f->message));
		buf_adds(b, "  \n  ");
		esc_md(b, f->remediation, strlen(f->remediation));
		for (j = 0; j < f->nevidence; j++) {
			buf_adds(b, "  \n  evidence: `");
			add_loc(b, &f->evidence[j]);
			buf_adds(b, "`");
		}
		buf_addc(b, '\n');
	}
}

static void
md_block(struct buf *b, const char *lang, const char *text)
{
	buf_addf(b, "\n  ```%s\n", lang);
	add_indented(b, "  ", text);
	buf_adds(b, "  ```\n");
}

int
report_plan_markdown(struct buf *b, const struct plan *p)
{
	size_t i, k;
	unsigned hop = 0;
	char date[11];

	if (p->refused) {
		buf_adds(b, "# Plan refused\n\n");
		md_findings(b, p);
		return b->oom ? -1 : 0;
	}
	date_format(p->as_of, date);
	buf_adds(b, "# Upgrade plan: ");
	add_ver(b, &p->from);
	buf_adds(b, " → ");
	add_ver(b, &p->to);
	buf_addf(b, "\n\nAs of %s. %zu node%s (%zu control-plane, %zu "
		 "worker%s). Every state after every step was checked "
		 "against the skew policy and kubeadm's upgrade policy.\n",
		 date, p->nnodes, p->nnodes == 1 ? "" : "s", count_cp(p),
		 p->nnodes - count_cp(p),
		 p->nnodes - count_cp(p) == 1 ? "" : "s");
	buf_adds(b, "\n| Hop | From | To | kubeadm | kubelet | kubectl | "
		 "Repository |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i < p->hops.n; i++) {
		const struct plan_hop *h = &p->hops.v[i];

		buf_addf(b, "| %zu | ", i + 1);
		add_ver(b, &h->from);
		buf_adds(b, " | ");
		add_ver(b, &h->to);
		buf_addf(b, " | `%s` | `%s` | `%s` | ", h->kubeadm, h->kubelet,
			 h->kubectl);
		add_repo(b, p, h);
		buf_adds(b, h->packages_verified ? " |\n"
						 : ", not in the capture |\n");
	}
	if (p->findings.n) {
		buf_adds(b, "\n## Findings that shaped the plan\n\n");
		md_findings(b, p);
	}
	for (i = 0; i < p->steps.n; i++) {
		const struct plan_step *s = &p->steps.v[i];

		if (s->hop != hop) {
			const struct plan_hop *h = &p->hops.v[s->hop - 1];

			hop = s->hop;
			buf_addf(b, "\n## Hop %u: ", hop);
			add_ver(b, &h->from);
			buf_adds(b, " → ");
			add_ver(b, &h->to);
			buf_addc(b, '\n');
		}
		buf_addf(b, "\n- [ ] **%s** ", s->id);
		esc_md(b, s->title, strlen(s->title));
		buf_adds(b, " — ");
		esc_md(b, s->where, strlen(s->where));
		buf_addc(b, '\n');
		if (s->ncommands) {
			buf_adds(b, "\n  ```sh\n");
			for (k = 0; k < s->ncommands; k++)
				add_indented(b, "  ", s->commands[k]);
			buf_adds(b, "  ```\n");
		}
		for (k = 0; k < s->nverify; k++) {
			buf_adds(b, "\n  Check: `");
			buf_adds(b, s->verify[k].command);
			buf_adds(b, "` shows:\n");
			md_block(b, "", s->verify[k].expect);
		}
	}
	return b->oom ? -1 : 0;
}

/* ------------------------------------------------------------ json */

static cJSON *
jver(const struct plan_ver *v)
{
	char s[40];

	if (!v->set)
		return cJSON_CreateNull();
	snprintf(s, sizeof(s), "%u.%u.%u", v->major, v->minor, v->patch);
	return cJSON_CreateString(s);
}

static bool
add(cJSON *o, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static bool
push(cJSON *arr, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static cJSON *
jstr(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* {NODE: VER} of the control-plane nodes or of every node. */
static cJSON *
jmap(const struct plan *p, const struct plan_state *st, size_t off,
     bool cp_only)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < p->nnodes; i++) {
		const struct plan_ver *v = (const struct plan_ver *)(const void *)
			((const char *)&st->nodes[i] + off);

		if (cp_only && !p->nodes[i].control_plane)
			continue;
		if (!add(o, p->nodes[i].name, jver(v))) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

static cJSON *
jstate(const struct plan *p, const struct plan_state *st)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	if (!add(o, "apiserver", jmap(p, st, offsetof(struct plan_node_state,
						      apiserver), true)) ||
	    !add(o, "controllerManager",
		 jmap(p, st, offsetof(struct plan_node_state,
				      controller_manager), true)) ||
	    !add(o, "scheduler", jmap(p, st, offsetof(struct plan_node_state,
						      scheduler), true)) ||
	    !add(o, "kubelet", jmap(p, st, offsetof(struct plan_node_state,
						    kubelet), false)) ||
	    !add(o, "kubeadm", jmap(p, st, offsetof(struct plan_node_state,
						    kubeadm), false)) ||
	    !add(o, "kubectl", jver(&st->kubectl))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
jstep(const struct plan *p, const struct plan_step *s)
{
	cJSON *o = cJSON_CreateObject(), *cmds, *ver;
	size_t k;

	if (!o)
		return NULL;
	if (!add(o, "id", jstr(s->id)) ||
	    !add(o, "hop", cJSON_CreateNumber(s->hop)) ||
	    !add(o, "node", jstr(s->node >= 0 ? p->nodes[s->node].name : NULL)) ||
	    !add(o, "role", jstr(s->node < 0 ? NULL
				 : p->nodes[s->node].control_plane
					 ? "control-plane" : "worker")) ||
	    !add(o, "action", jstr(plan_action_name(s->action))) ||
	    !add(o, "title", jstr(s->title)) ||
	    !add(o, "where", jstr(s->where)) ||
	    !add(o, "commands", cmds = cJSON_CreateArray()) ||
	    !add(o, "verify", ver = cJSON_CreateArray()))
		goto fail;
	for (k = 0; k < s->ncommands; k++)
		if (!push(cmds, jstr(s->commands[k])))
			goto fail;
	for (k = 0; k < s->nverify; k++) {
		cJSON *v = cJSON_CreateObject();

		if (!push(ver, v) || !add(v, "command", jstr(s->verify[k].command)) ||
		    !add(v, "expect", jstr(s->verify[k].expect)))
			goto fail;
	}
	if (!add(o, "state", jstate(p, &s->state)))
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static cJSON *
jfinding(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject(), *ev;
	struct buf b = BUF_INIT;
	size_t j;

	if (!o)
		return NULL;
	if (!add(o, "rule", jstr(f->rule->id)) ||
	    !add(o, "severity", jstr(sev_name(f->severity))) ||
	    !add(o, "subject", jstr(f->subject)) ||
	    !add(o, "message", jstr(f->message)) ||
	    !add(o, "remediation", jstr(f->remediation)) ||
	    !add(o, "evidence", ev = cJSON_CreateArray()))
		goto fail;
	for (j = 0; j < f->nevidence; j++) {
		buf_reset(&b);
		add_loc(&b, &f->evidence[j]);
		if (b.oom || !push(ev, cJSON_CreateString(buf_cstr(&b))))
			goto fail;
	}
	buf_release(&b);
	return o;
fail:
	buf_release(&b);
	cJSON_Delete(o);
	return NULL;
}

int
report_plan_json(struct buf *b, const struct plan *p)
{
	cJSON *root = cJSON_CreateObject(), *hops, *steps, *fs;
	char date[11], *text;
	size_t i;

	if (!root)
		return -1;
	if (!add(root, "skewplanVersion", cJSON_CreateString(SKEWPLAN_VERSION)))
		goto fail;
	date_format(p->rules_compiled, date);
	if (!add(root, "rulesDataAsOf", cJSON_CreateString(date)))
		goto fail;
	date_format(p->as_of, date);
	if (!add(root, "from", jver(&p->from)) || !add(root, "to", jver(&p->to)) ||
	    !add(root, "asOf", cJSON_CreateString(date)) ||
	    !add(root, "hops", hops = cJSON_CreateArray()) ||
	    !add(root, "steps", steps = cJSON_CreateArray()) ||
	    !add(root, "findings", fs = cJSON_CreateArray()))
		goto fail;
	for (i = 0; !p->refused && i < p->hops.n; i++) {
		const struct plan_hop *h = &p->hops.v[i];
		cJSON *o = cJSON_CreateObject(), *pk;

		if (!push(hops, o) || !add(o, "from", jver(&h->from)) ||
		    !add(o, "to", jver(&h->to)) ||
		    !add(o, "packages", pk = cJSON_CreateObject()) ||
		    !add(pk, "kubeadm", jstr(h->kubeadm)) ||
		    !add(pk, "kubelet", jstr(h->kubelet)) ||
		    !add(pk, "kubectl", jstr(h->kubectl)))
			goto fail;
	}
	for (i = 0; !p->refused && i < p->steps.n; i++)
		if (!push(steps, jstep(p, &p->steps.v[i])))
			goto fail;
	for (i = 0; i < p->findings.n; i++)
		if (!push(fs, jfinding(&p->findings.v[i])))
			goto fail;
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return -1;
	buf_adds(b, text);
	buf_addc(b, '\n');
	free(text);
	return b->oom ? -1 : 0;
fail:
	cJSON_Delete(root);
	return -1;
}
