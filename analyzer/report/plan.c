/*
 * plan.c - `skewplan plan` output: the runbook as text or Markdown
 * (numbered steps, where each runs, the commands, what to check) and the
 * JSON contract of the README. A refused plan prints only its findings.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Appends l as "path:line:col", the path as read (for JSON). */
static void
add_loc(struct buf *b, const struct src_loc *l)
{
	buf_addf(b, "%s:%u:%u", l->path ? l->path : "-", (unsigned)l->line,
		 (unsigned)l->col);
}

/* The same with unsafe characters escaped, for text. */
static void
add_loc_text(struct buf *b, const struct src_loc *l)
{
	struct buf t = BUF_INIT;

	add_loc(&t, l);
	esc_display(b, buf_cstr(&t), t.len);
	if (t.oom)
		b->oom = true;
	buf_release(&t);
}

/* Appends s with unsafe characters escaped, for one line of text. */
static void
add_esc(struct buf *b, const char *s)
{
	esc_display(b, s, strlen(s));
}

/*
 * Appends s line by line, each escaped: the first line after ind, the
 * others after more (ind again when NULL). No line ends in a blank.
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
		esc_text(b, p, len, ESC_LINES);
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

/* A drain step's blockers, for text: rule, message, evidence, fix. */
static void
text_blockers(struct buf *b, const struct plan_step *s)
{
	size_t k, j;

	for (k = 0; k < s->nblockers; k++) {
		const struct drain_blocker *d = &s->blockers[k];

		buf_addf(b, "  blocker: %s [%s] ",
			 rules_severity_name(d->rule->severity), d->rule->id);
		add_esc(b, d->message);
		buf_adds(b, "\n    evidence: ");
		for (j = 0; j < d->nevidence; j++) {
			if (j)
				buf_adds(b, ", ");
			add_loc_text(b, &d->evidence[j]);
		}
		buf_adds(b, "\n    fix: ");
		add_esc(b, d->remediation);
		buf_addc(b, '\n');
	}
}

/* The same as a Markdown list under the step. */
static void
md_blockers(struct buf *b, const struct plan_step *s)
{
	size_t k, j;

	if (s->nblockers)
		buf_adds(b, "\n  Blockers predicted from the snapshot:\n\n");
	for (k = 0; k < s->nblockers; k++) {
		const struct drain_blocker *d = &s->blockers[k];

		buf_addf(b, "  - **%s** `%s`: ",
			 rules_severity_name(d->rule->severity), d->rule->id);
		esc_md(b, d->message, strlen(d->message), 0);
		buf_adds(b, " (evidence: ");
		for (j = 0; j < d->nevidence; j++) {
			struct buf t = BUF_INIT;

			add_loc(&t, &d->evidence[j]);
			if (j)
				buf_adds(b, ", ");
			report_add_md_code(b, buf_cstr(&t));
			buf_release(&t);
		}
		buf_adds(b, ")  \n    Fix: ");
		esc_md(b, d->remediation, strlen(d->remediation), 0);
		buf_addc(b, '\n');
	}
}

static size_t
count_cp(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nnodes; i++)
		n += p->nodes[i].control_plane;
	return n;
}

/* ------------------------------------------------------------ text */

const char *
report_match_intro(enum plan_match m)
{
	switch (m) {
	case PM_EXACT:
		return "prints exactly:";
	case PM_CONTAINS:
		return "prints these lines together (... = any lines):";
	case PM_REGEX:
		return "prints a line matching (extended regex):";
	default:
		return "judge by eye:";
	}
}

static void
text_findings(struct buf *b, const struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->findings.n; i++) {
		const struct finding *f = &p->findings.v[i];

		buf_addf(b, "  %s [%s] ", rules_severity_name(f->severity),
			 f->rule->id);
		add_esc(b, f->subject);
		buf_adds(b, ": ");
		add_esc(b, f->message);
		buf_addc(b, '\n');
		add_indented(b, "      ", f->remediation);
		for (j = 0; j < f->nevidence; j++) {
			buf_adds(b, "      evidence: ");
			add_loc_text(b, &f->evidence[j]);
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
	report_add_plan_span(b, &p->from, " -> ", &p->to);
	buf_addf(b, " (as of %s)\n", date);
	date_format(p->rules_compiled, date);
	buf_addf(b, "skewplan %s, rules data compiled %s", SKEWPLAN_VERSION,
		 date);
	if (p->rules_dir) {
		buf_adds(b, " from ");
		report_add_rules_dir(b, p->rules_dir, p->rules_origin);
	}
	buf_addc(b, '\n');
	buf_addf(b, "Cluster: %zu node%s (%zu control-plane, %zu worker%s)\n",
		 p->nnodes, p->nnodes == 1 ? "" : "s", count_cp(p),
		 p->nnodes - count_cp(p),
		 p->nnodes - count_cp(p) == 1 ? "" : "s");
	if (p->strategy != PLAN_STRATEGY_DEFAULT)
		buf_addf(b, "Strategy: %s, %zu node drain%s (the default "
			 "procedure: %zu, %zu saved)\n",
			 plan_strategy_name(p->strategy), p->drains,
			 p->drains == 1 ? "" : "s", p->drains_default,
			 p->drains_default > p->drains
				 ? p->drains_default - p->drains : 0);
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
			 "compiled %s", asof, SKEWPLAN_VERSION, compiled);
		if (p->rules_dir) {
			buf_adds(b, " from ");
			report_add_rules_dir(b, p->rules_dir, p->rules_origin);
		}
		buf_adds(b, "\n\n");
		text_findings(b, p);
		return b->oom ? -1 : 0;
	}
	text_header(b, p);
	buf_adds(b, "\nHops\n");
	for (i = 0; i < p->hops.n; i++) {
		const struct plan_hop *h = &p->hops.v[i];

		buf_addf(b, "  %zu. ", i + 1);
		report_add_plan_span(b, &h->from, " -> ", &h->to);
		buf_adds(b, "   kubeadm ");
		add_esc(b, h->kubeadm);
		buf_adds(b, ", kubelet ");
		add_esc(b, h->kubelet);
		buf_adds(b, ", kubectl ");
		add_esc(b, h->kubectl);
		buf_adds(b, " from the ");
		report_add_repo(b, p, h);
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
			report_add_plan_span(b, &h->from, " -> ", &h->to);
			buf_addc(b, '\n');
		}
		buf_addf(b, "\nStep %s  ", s->id);
		add_esc(b, s->title);
		buf_adds(b, "\n  where: ");
		add_esc(b, s->where);
		buf_addc(b, '\n');
		for (k = 0; k < s->nnotes; k++)
			add_lines(b, "  note: ", "        ", s->notes[k]);
		text_blockers(b, s);
		for (k = 0; k < s->ncommands; k++)
			add_lines(b, "    $ ", "    > ", s->commands[k]);
		for (k = 0; k < s->nverify; k++) {
			buf_adds(b, "  check: ");
			add_esc(b, s->verify[k].command);
			buf_addf(b, "\n    %s\n",
				 report_match_intro(s->verify[k].match));
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

		buf_addf(b, "- **%s** `%s` ", rules_severity_name(f->severity),
			 f->rule->id);
		esc_md(b, f->subject, strlen(f->subject), 0);
		buf_adds(b, ": ");
		esc_md(b, f->message, strlen(f->message), 0);
		buf_adds(b, "  \n  ");
		esc_md(b, f->remediation, strlen(f->remediation), ESC_LINES);
		for (j = 0; j < f->nevidence; j++) {
			struct buf t = BUF_INIT;

			buf_adds(b, "  \n  evidence: ");
			add_loc(&t, &f->evidence[j]);
			report_add_md_code(b, buf_cstr(&t));
			if (t.oom)
				b->oom = true;
			buf_release(&t);
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
	report_add_plan_span(b, &p->from, " → ", &p->to);
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
		report_add_plan_span(b, &h->from, " | ", &h->to);
		buf_adds(b, " | ");
		report_add_md_code(b, h->kubeadm);
		buf_adds(b, " | ");
		report_add_md_code(b, h->kubelet);
		buf_adds(b, " | ");
		report_add_md_code(b, h->kubectl);
		buf_adds(b, " | ");
		report_add_repo(b, p, h);
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
			report_add_plan_span(b, &h->from, " → ", &h->to);
			buf_addc(b, '\n');
		}
		buf_addf(b, "\n- [ ] **%s** ", s->id);
		esc_md(b, s->title, strlen(s->title), 0);
		buf_adds(b, " — ");
		esc_md(b, s->where, strlen(s->where), 0);
		buf_addc(b, '\n');
		for (k = 0; k < s->nnotes; k++) {
			buf_adds(b, "\n  ");
			esc_md(b, s->notes[k], strlen(s->notes[k]), 0);
			buf_addc(b, '\n');
		}
		md_blockers(b, s);
		if (s->ncommands) {
			buf_adds(b, "\n  ```sh\n");
			for (k = 0; k < s->ncommands; k++)
				add_indented(b, "  ", s->commands[k]);
			buf_adds(b, "  ```\n");
		}
		for (k = 0; k < s->nverify; k++) {
			buf_adds(b, "\n  Check: ");
			report_add_md_code(b, s->verify[k].command);
			buf_addf(b, " %s\n",
				 report_match_intro(s->verify[k].match));
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

/* {NODE: VER} of the control-plane nodes or of every node. */
static cJSON *
jmap(const struct plan *p, const struct plan_state *st, size_t off,
     bool cp_only)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;
	bool ok = o != NULL;

	for (i = 0; ok && i < p->nnodes; i++) {
		const struct plan_ver *v = (const struct plan_ver *)(const void *)
			((const char *)&st->nodes[i] + off);

		if (!cp_only || p->nodes[i].control_plane)
			ok = report_jadd(o, p->nodes[i].name, jver(v));
	}
	return report_jdone(o, ok);
}

/* The offset of version m in struct plan_node_state, for jmap(). */
#define NODE_VER(m) offsetof(struct plan_node_state, m)

static cJSON *
jstate(const struct plan *p, const struct plan_state *st)
{
	cJSON *o = cJSON_CreateObject();

	return report_jdone(o, o &&
	    report_jadd(o, "apiserver",
			jmap(p, st, NODE_VER(apiserver), true)) &&
	    report_jadd(o, "controllerManager",
			jmap(p, st, NODE_VER(controller_manager), true)) &&
	    report_jadd(o, "scheduler",
			jmap(p, st, NODE_VER(scheduler), true)) &&
	    report_jadd(o, "kubelet", jmap(p, st, NODE_VER(kubelet), false)) &&
	    report_jadd(o, "kubeadm", jmap(p, st, NODE_VER(kubeadm), false)) &&
	    report_jadd(o, "kubectl", jver(&st->kubectl)));
}

/* The versions the step moved, as {component, node, from, to}. */
static cJSON *
jchanges(const struct plan *p, const struct plan_step *s)
{
	cJSON *a = cJSON_CreateArray(), *o;
	size_t k;
	bool ok = a != NULL;

	for (k = 0; ok && k < s->nchanges; k++) {
		const struct plan_change *c = &s->changes[k];

		if (c->comp > PC_KUBECTL)
			continue;
		ok = report_jpush(a, o = cJSON_CreateObject()) &&
		     report_jadd(o, "component",
				 report_jstr(plan_comp_name(c->comp))) &&
		     report_jadd(o, "node", report_jstr(c->node >= 0
				 ? p->nodes[c->node].name : NULL)) &&
		     report_jadd(o, "from", jver(&c->from)) &&
		     report_jadd(o, "to", jver(&c->to));
	}
	return report_jdone(a, ok);
}

/* {COMPONENT: {min, max}} over the nodes, after the step. */
static cJSON *
jsummary(const struct plan_step *s)
{
	cJSON *o = cJSON_CreateObject(), *r;
	unsigned k;
	bool ok = o != NULL;

	for (k = 0; ok && k < PC_NODE_VERSIONS; k++)
		ok = report_jadd(o, plan_comp_name(k), r = cJSON_CreateObject()) &&
		     report_jadd(r, "min", jver(&s->summary[k].min)) &&
		     report_jadd(r, "max", jver(&s->summary[k].max));
	return report_jdone(o, ok);
}

/* A drain step's blockers: rule, severity, object, evidence, remedy. */
static cJSON *
jblockers(const struct plan_step *s)
{
	cJSON *a = cJSON_CreateArray(), *o, *ev;
	size_t k, j;
	bool ok = a != NULL;

	for (k = 0; ok && k < s->nblockers; k++) {
		const struct drain_blocker *d = &s->blockers[k];

		ok = report_jpush(a, o = cJSON_CreateObject()) &&
		     report_jadd(o, "rule", report_jstr(d->rule->id)) &&
		     report_jadd(o, "severity", report_jstr(rules_severity_name(
							d->rule->severity))) &&
		     report_jadd(o, "kind", report_jstr(d->kind)) &&
		     report_jadd(o, "namespace", report_jstr(d->namespace_)) &&
		     report_jadd(o, "name", report_jstr(d->name)) &&
		     report_jadd(o, "nodes", report_jstr(d->node)) &&
		     report_jadd(o, "message", report_jstr(d->message)) &&
		     report_jadd(o, "remediation",
				 report_jstr(d->remediation)) &&
		     report_jadd(o, "evidence", ev = cJSON_CreateArray());
		for (j = 0; ok && j < d->nevidence; j++) {
			struct buf t = BUF_INIT;

			add_loc(&t, &d->evidence[j]);
			ok = report_jpush(ev, report_jtake(&t));
		}
	}
	return report_jdone(a, ok);
}

/*
 * st: the state printed after the step (its hop boundary's, or every
 * step's with --full-state), or NULL.
 */
static cJSON *
jstep(const struct plan *p, const struct plan_step *s,
      const struct plan_state *st)
{
	const struct plan_node *n = s->node >= 0 ? &p->nodes[s->node] : NULL;
	const char *role = !n ? NULL
			   : n->control_plane ? "control-plane" : "worker";
	cJSON *o = cJSON_CreateObject(), *cmds, *ver, *v, *notes;
	size_t k;
	bool ok;

	ok = o && report_jadd(o, "id", report_jstr(s->id)) &&
	     report_jadd(o, "hop", cJSON_CreateNumber(s->hop)) &&
	     report_jadd(o, "node", report_jstr(n ? n->name : NULL)) &&
	     report_jadd(o, "role", report_jstr(role)) &&
	     report_jadd(o, "action",
			 report_jstr(plan_action_name(s->action))) &&
	     report_jadd(o, "title", report_jstr(s->title)) &&
	     report_jadd(o, "where", report_jstr(s->where)) &&
	     report_jadd(o, "notes", notes = cJSON_CreateArray()) &&
	     report_jadd(o, "commands", cmds = cJSON_CreateArray()) &&
	     report_jadd(o, "verify", ver = cJSON_CreateArray());
	for (k = 0; ok && k < s->nnotes; k++)
		ok = report_jpush(notes, report_jstr(s->notes[k]));
	for (k = 0; ok && k < s->ncommands; k++)
		ok = report_jpush(cmds, report_jstr(s->commands[k]));
	for (k = 0; ok && k < s->nverify; k++)
		ok = report_jpush(ver, v = cJSON_CreateObject()) &&
		     report_jadd(v, "command",
				 report_jstr(s->verify[k].command)) &&
		     report_jadd(v, "expect", report_jstr(s->verify[k].expect)) &&
		     report_jadd(v, "match", report_jstr(plan_match_name(
						     s->verify[k].match)));
	if (ok && s->action == PA_DRAIN && p->drain_known)
		ok = report_jadd(o, "blockers", jblockers(s));
	ok = ok && report_jadd(o, "changes", jchanges(p, s)) &&
	     report_jadd(o, "summary", jsummary(s));
	if (ok && st)
		ok = report_jadd(o, "state", jstate(p, st));
	return report_jdone(o, ok);
}

static cJSON *
jfinding(const struct finding *f)
{
	const char *sev = rules_severity_name(f->severity);
	cJSON *o = cJSON_CreateObject(), *ev;
	size_t j;
	bool ok;

	ok = o && report_jadd(o, "rule", report_jstr(f->rule->id)) &&
	     report_jadd(o, "severity", report_jstr(sev)) &&
	     report_jadd(o, "subject", report_jstr(f->subject)) &&
	     report_jadd(o, "message", report_jstr(f->message)) &&
	     report_jadd(o, "remediation", report_jstr(f->remediation)) &&
	     report_jadd(o, "evidence", ev = cJSON_CreateArray());
	for (j = 0; ok && j < f->nevidence; j++) {
		struct buf b = BUF_INIT;

		add_loc(&b, &f->evidence[j]);
		ok = report_jpush(ev, report_jtake(&b));
	}
	return report_jdone(o, ok);
}

static cJSON *
jhop(const struct plan_hop *h)
{
	cJSON *o = cJSON_CreateObject(), *pk;

	return report_jdone(o, o &&
	    report_jadd(o, "from", jver(&h->from)) &&
	    report_jadd(o, "to", jver(&h->to)) &&
	    report_jadd(o, "packages", pk = cJSON_CreateObject()) &&
	    report_jadd(pk, "kubeadm", report_jstr(h->kubeadm)) &&
	    report_jadd(pk, "kubelet", report_jstr(h->kubelet)) &&
	    report_jadd(pk, "kubectl", report_jstr(h->kubectl)));
}

/*
 * The steps, one at a time (report_jput) and flushed between steps: the
 * document of a 5,000-node plan is never one cJSON tree. With --full-state
 * the state after each step is replayed from the changes into one array.
 */
static bool
jsteps(struct buf *b, const struct plan *p)
{
	struct plan_node_state *nodes = NULL;
	struct plan_state st;
	size_t i, k;
	bool ok = true;

	if (p->full_state && p->steps.n &&
	    !(nodes = malloc((p->nnodes + 1) * sizeof(*nodes))))
		return false;
	if (nodes)
		memcpy(nodes, p->initial.nodes, p->nnodes * sizeof(*nodes));
	report_jkey(b, 1, "steps");
	buf_addc(b, '[');
	for (i = 0; ok && i < p->steps.n; i++) {
		const struct plan_step *s = &p->steps.v[i];

		st = s->state;
		for (k = 0; nodes && k < s->nchanges; k++)
			plan_change_apply(&s->changes[k], nodes, &st);
		if (nodes)
			st.nodes = nodes;
		if (i)
			buf_adds(b, ", ");
		ok = report_jput(b, jstep(p, s, st.nodes ? &st : NULL), 2) == 0 &&
		     buf_flush(b) == 0;
	}
	buf_adds(b, "],\n");
	free(nodes);
	return ok && !b->oom;
}

int
report_plan_json(struct buf *b, const struct plan *p)
{
	cJSON *hops, *fs;
	char compiled[11], asof[11];
	size_t i;
	bool ok;

	date_format(p->rules_compiled, compiled);
	date_format(p->as_of, asof);
	buf_adds(b, "{\n");
	ok = report_jmember(b, 1, "skewplanVersion",
			    cJSON_CreateString(SKEWPLAN_VERSION), false) == 0 &&
	     report_jmember(b, 1, "rulesDataAsOf",
			    cJSON_CreateString(compiled), false) == 0 &&
	     report_jmember(b, 1, "rulesDir", report_jstr(p->rules_dir),
			    false) == 0 &&
	     report_jmember(b, 1, "rulesOrigin", report_jstr(p->rules_origin),
			    false) == 0 &&
	     report_jmember(b, 1, "from", jver(&p->from), false) == 0 &&
	     report_jmember(b, 1, "to", jver(&p->to), false) == 0 &&
	     report_jmember(b, 1, "asOf", cJSON_CreateString(asof),
			    false) == 0 &&
	     report_jmember(b, 1, "strategy",
			    report_jstr(plan_strategy_name(p->strategy)),
			    false) == 0 &&
	     report_jmember(b, 1, "drains",
			    cJSON_CreateNumber((double)p->drains), false) == 0 &&
	     report_jmember(b, 1, "drainsSaved",
			    cJSON_CreateNumber(p->drains_default > p->drains
				    ? (double)(p->drains_default - p->drains)
				    : 0), false) == 0;
	hops = cJSON_CreateArray();
	for (i = 0; ok && hops && !p->refused && i < p->hops.n; i++)
		ok = report_jpush(hops, jhop(&p->hops.v[i]));
	if (!ok)
		cJSON_Delete(hops);
	else
		ok = report_jmember(b, 1, "hops", hops, false) == 0;
	if (ok && p->refused) {
		report_jkey(b, 1, "steps");
		buf_adds(b, "[],\n");
	} else if (ok) {
		ok = jsteps(b, p);
	}
	fs = cJSON_CreateArray();
	for (i = 0; ok && fs && i < p->findings.n; i++)
		ok = report_jpush(fs, jfinding(&p->findings.v[i]));
	if (!ok)
		cJSON_Delete(fs);
	else
		ok = report_jmember(b, 1, "findings", fs, true) == 0;
	buf_adds(b, "}\n");
	return ok && !b->oom ? 0 : -1;
}
