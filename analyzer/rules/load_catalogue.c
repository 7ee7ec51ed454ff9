/*
 * load_catalogue.c - the rule catalogue: the check kinds and their
 * placeholders, the stable rule ids, and the rule files of each family.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Every placeholder a template may use (README "Placeholders"). */
static const char *const placeholder_names[] = {
	"api", "apiserver", "catchup", "cluster", "compiled", "component",
	"count", "date", "days", "deprecated", "drains", "evidence",
	"expected", "file", "image", "input", "kept", "kind", "lag", "latest",
	"limit", "minor", "minors", "months", "name", "newest", "node",
	"oldest", "other", "package", "path", "product", "reason", "registry",
	"relative_to", "released", "removed", "replacement", "repo", "rule",
	"saved", "since", "skew", "source", "status", "step", "strategy",
	"supported", "target", "text", "through", "version",
};

struct kind_info {
	const char *name;
	enum check_kind kind;
	const char *placeholders;	/* space-separated */
	const char *param;		/* the one int param, or NULL */
};

#define API_FILLS                                                              \
	"api kind removed deprecated replacement since target cluster evidence " \
	"input"

static const struct kind_info kinds[] = {
	{"apiserver-ha", CK_APISERVER_HA, "oldest newest limit", NULL},
	{"component-skew", CK_COMPONENT_SKEW,
	 "node component version apiserver relative_to other limit", NULL},
	{"kubectl-skew", CK_KUBECTL_SKEW, "version apiserver limit", NULL},
	{"eol", CK_EOL, "component version minor date", NULL},
	{"near-eol", CK_NEAR_EOL, "component version minor date days", "days"},
	{"support-window", CK_SUPPORT_WINDOW,
	 "component version minor minors date supported", "minors"},
	{"version-unknown", CK_VERSION_UNKNOWN, "component version reason",
	 NULL},
	{"patch-behind", CK_PATCH_BEHIND,
	 "component version minor latest date", NULL},
	{"node-ready", CK_NODE_READY, "node status", NULL},
	{"node-cordoned", CK_NODE_CORDONED, "node", NULL},
	{"frozen-registry", CK_FROZEN_REGISTRY,
	 "image registry date replacement", NULL},
	{"cp-image-mismatch", CK_CP_IMAGE_MISMATCH,
	 "node component image expected", NULL},
	{"etcd-default", CK_ETCD_DEFAULT, "node version minor expected", NULL},
	{"repo-legacy", CK_REPO_LEGACY, "file repo date minor", NULL},
	{"repo-minor-pinned", CK_REPO_MINOR_PINNED, "file minor target", NULL},
	{"api-removed", CK_API_REMOVED, API_FILLS, NULL},
	{"api-deprecated", CK_API_DEPRECATED, API_FILLS, NULL},
	{"api-replacement-unavailable", CK_API_REPLACEMENT, API_FILLS, NULL},
	{"api-converted", CK_API_CONVERTED, "file count", NULL},
	{"api-addon-removed", CK_API_ADDON_REMOVED,
	 "api kind product removed deprecated replacement since evidence input",
	 NULL},
	{"input-missing", CK_INPUT_MISSING, "input rule", NULL},
	{"input-skipped", CK_INPUT_SKIPPED, "path text reason", NULL},
	{"input-conflict", CK_INPUT_CONFLICT, "path text reason kept", NULL},
	{"version-not-release", CK_VERSION_NOT_RELEASE,
	 "component version reason", NULL},
	{"version-minor-mismatch", CK_VERSION_MINOR_MISMATCH,
	 "component version minor", NULL},
	{"node-masked", CK_NODE_MASKED, "node path", NULL},
	{"data-stale", CK_DATA_STALE, "compiled months date", "months"},
	{"waiver-expired", CK_WAIVER_EXPIRED, "rule date", NULL},
	{"plan", CK_PLAN,
	 "node status target version compiled component package minor name "
	 "date days cluster lag skew path drains catchup reason through "
	 "released step saved strategy repo source",
	 NULL},
};

/* The stable ids and severities (README): a contract with the outputs. */
static const struct {
	const char *id;
	enum severity sev;
} stable_ids[] = {
	{"apiserver-ha-skew", SEV_ERROR},
	{"kubelet-newer-than-apiserver", SEV_ERROR},
	{"kubelet-too-old", SEV_ERROR},
	{"kubelet-at-skew-limit", SEV_WARNING},
	{"kube-proxy-skew", SEV_ERROR},
	{"control-plane-component-skew", SEV_ERROR},
	{"kubectl-skew", SEV_WARNING},
	{"version-end-of-life", SEV_ERROR},
	{"version-near-end-of-life", SEV_WARNING},
	{"version-outside-support-window", SEV_WARNING},
	{"version-unknown", SEV_ERROR},
	{"patch-behind", SEV_WARNING},
	{"node-not-ready", SEV_ERROR},
	{"node-cordoned", SEV_WARNING},
	{"image-frozen-registry", SEV_ERROR},
	{"control-plane-image-mismatch", SEV_WARNING},
	{"etcd-behind-kubeadm-default", SEV_INFO},
	{"package-repo-legacy", SEV_ERROR},
	{"package-repo-minor-pinned", SEV_INFO},
	{"input-missing", SEV_WARNING},
	{"input-skipped", SEV_WARNING},
	{"input-conflict", SEV_WARNING},
	{"version-not-a-release", SEV_WARNING},
	{"version-minor-mismatch", SEV_WARNING},
	{"node-name-masked", SEV_WARNING},
	{"rules-data-stale", SEV_WARNING},
	{"waiver-expired", SEV_WARNING},
	{"plan-node-not-ready", SEV_ERROR},
	{"plan-target-older", SEV_ERROR},
	{"plan-target-unknown", SEV_ERROR},
	{"plan-target-unreleased", SEV_ERROR},
	{"plan-skew-violation", SEV_ERROR},
	{"plan-no-server-version", SEV_ERROR},
	{"plan-unsafe-name", SEV_ERROR},
	{"plan-packages-unverified", SEV_WARNING},
	{"plan-signing-key-unknown", SEV_WARNING},
	{"api-removed-in-target", SEV_ERROR},
	{"api-deprecated", SEV_WARNING},
	{"api-replacement-unavailable", SEV_WARNING},
	{"api-evidence-converted", SEV_INFO},
	{"api-addon-removed", SEV_WARNING},
};

static const char *const severity_names[] = {"error", "warning", "info"};

const char *
rules_severity_name(enum severity s)
{
	return (unsigned)s < ARRAY_SIZE(severity_names) ? severity_names[s]
							: "?";
}

/* ---------------------------------------------------------- rule files */

static const struct kind_info *
kind_by_name(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kinds[i].name, s))
			return &kinds[i];
	return NULL;
}

static bool
word_in(const char *words, const char *w, size_t n)
{
	const char *p = words;

	while (*p) {
		size_t k = strcspn(p, " ");

		if (k == n && !memcmp(p, w, n))
			return true;
		p += k;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* Checks the {placeholders} of a template against its check kind. */
static int
check_template(struct lctx *c, const struct ynode *n,
	       const struct kind_info *k)
{
	const char *s = n->s, *e;
	size_t i, len;
	char name[64];
	int rc = 0;

	for (; *s; s++) {
		if (*s == '}')
			return diag_error(c->d, n->loc,
					  "literal '}' in %s (placeholders are "
					  "{name})", n->key);
		if (*s != '{')
			continue;
		e = strchr(s + 1, '}');
		len = e ? (size_t)(e - s - 1) : 0;
		for (i = 0; i < len; i++)
			if (!((s[1 + i] >= 'a' && s[1 + i] <= 'z') ||
			      s[1 + i] == '_'))
				break;
		if (!e || len == 0 || i < len || len >= sizeof(name))
			return diag_error(c->d, n->loc,
					  "literal '{' in %s (placeholders are "
					  "{name})", n->key);
		memcpy(name, s + 1, len);
		name[len] = '\0';
		if (!load_in_list(name, placeholder_names,
				  ARRAY_SIZE(placeholder_names)))
			rc = diag_error(c->d, n->loc,
					"unknown placeholder '{%s}' in %s", name,
					n->key);
		else if (k && !word_in(k->placeholders, name, len))
			rc = diag_error(c->d, n->loc,
					"check '%s' does not provide '{%s}' "
					"used in %s", k->name, name, n->key);
		s = e;
	}
	return rc;
}

static bool
id_is_valid(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return true;
}

static int
load_params(struct lctx *c, const struct ynode *r, const struct kind_info *k,
	    struct rule *ru)
{
	static const struct field skew[] = {
		{"bound", T_STR, true}, {"component", T_STR, false},
		{"components", T_STRLIST, false},
		{"relative_to", T_STR, false},
	};
	static const char *const bounds[] = {
		"newer", "older", "at-older-limit", "any",
	};
	const struct ynode *p = ynode_get(r, "params"), *e;
	struct field one[1];
	size_t i;
	int rc = 0;

	ru->days = ru->minors = ru->months = -1;
	if (k->kind == CK_COMPONENT_SKEW) {
		if (!p)
			return diag_error(c->d, r->loc,
					  "check 'component-skew' needs params");
		if (load_check_fields(c, p, skew, ARRAY_SIZE(skew), "params") < 0)
			return -1;
		e = ynode_get(p, "bound");
		for (i = 0; i < ARRAY_SIZE(bounds); i++)
			if (!strcmp(e->s, bounds[i]))
				ru->bound = (enum skew_bound)(BOUND_NEWER + i);
		if (ru->bound == BOUND_NONE)
			rc = diag_error(c->d, e->loc,
					"unknown bound '%s' (want newer, older, "
					"at-older-limit or any)", e->s);
		if (!ynode_get(p, "component") == !ynode_get(p, "components"))
			return diag_error(c->d, p->loc,
					  "params need exactly one of "
					  "'component' and 'components'");
		if ((e = ynode_get(p, "component"))) {
			if (!(ru->components = arena_alloc(c->a, sizeof(char *))))
				return load_oom(c, e->loc);
			ru->components[0] = e->s;
			ru->ncomponents = 1;
			if (load_check_component(c, p, "component") < 0)
				rc = -1;
		} else {
			ru->components = load_get_strlist(c, p, "components",
							  &ru->ncomponents);
			e = ynode_get(p, "components");
			for (e = e->child; e; e = e->next)
				if (!load_is_component(e->s))
					rc = diag_error(c->d, e->loc,
							"unknown component '%s'",
							e->s);
			if (ru->ncomponents == 0)
				rc = diag_error(c->d, p->loc,
						"components must not be empty");
		}
		if (load_check_component(c, p, "relative_to") < 0)
			rc = -1;
		ru->relative_to = load_get_str(p, "relative_to");
		return rc;
	}
	if (!k->param) {
		if (p)
			return diag_error(c->d, p->loc,
					  "check '%s' takes no params", k->name);
		return 0;
	}
	if (!p)
		return diag_error(c->d, r->loc, "check '%s' needs params: %s",
				  k->name, k->param);
	one[0].key = k->param;
	one[0].type = T_INT;
	one[0].required = true;
	if (load_check_fields(c, p, one, 1, "params") < 0)
		return -1;
	if (!strcmp(k->param, "days"))
		ru->days = load_get_int(p, "days", -1);
	else if (!strcmp(k->param, "minors"))
		ru->minors = load_get_int(p, "minors", -1);
	else
		ru->months = load_get_int(p, "months", -1);
	return 0;
}

static bool
starts_lower(const char *s)
{
	return !(*s >= 'A' && *s <= 'Z');
}

int
load_rules(struct lctx *c, const struct ynode *root, const char *family)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"rules", T_SEQ, true},
	};
	static const struct field row[] = {
		{"id", T_STR, true}, {"check", T_STR, true},
		{"title", T_STR, true}, {"severity", T_STR, true},
		{"message", T_STR, true}, {"remediation", T_STR, true},
		{"references", T_URLLIST, true}, {"params", T_MAP, false},
	};
	const struct ynode *l, *r, *n;
	const struct kind_info *k;
	struct rule *ru;
	size_t i;
	int rc;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "rule file");
	if (load_check_schema(c, root, "skewplan.rules/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	l = ynode_get(root, "rules");
	if (l->n == 0)
		return diag_error(c->d, l->loc, "no rules");
	for (r = l->child; r; r = r->next) {
		int rrc;
		const char *id;

		if (load_check_fields(c, r, row, ARRAY_SIZE(row), "rule") < 0) {
			rc = -1;
			continue;
		}
		rrc = 0;
		n = ynode_get(r, "id");
		id = n->s;
		if (!id_is_valid(id))
			rrc = diag_error(c->d, n->loc,
					 "rule id '%s' must match "
					 "[a-z][a-z0-9-]*", id);
		for (i = 0; i < c->db->rules.n; i++)
			if (!strcmp(c->db->rules.v[i].id, id))
				rrc = diag_error(c->d, n->loc,
						 "duplicate rule id '%s' (first "
						 "at %s:%u)", id,
						 c->db->rules.v[i].loc.path,
						 (unsigned)c->db->rules.v[i].loc.line);
		n = ynode_get(r, "check");
		if (!(k = kind_by_name(n->s)))
			rrc = diag_error(c->d, n->loc, "unknown check kind '%s'",
					 n->s);
		n = ynode_get(r, "severity");
		for (i = 0; i < ARRAY_SIZE(severity_names); i++)
			if (!strcmp(n->s, severity_names[i]))
				break;
		if (i == ARRAY_SIZE(severity_names))
			rrc = diag_error(c->d, n->loc,
					 "unknown severity '%s' (want error, "
					 "warning or info)", n->s);
		if (!(ru = vec_push(&c->db->rules)))
			return load_oom(c, r->loc);
		ru->id = id;
		ru->severity = (enum severity)(i < ARRAY_SIZE(severity_names)
					       ? i : 0);
		ru->family = family;
		ru->title = load_get_str(r, "title");
		ru->message = load_get_str(r, "message");
		ru->remediation = load_get_str(r, "remediation");
		ru->references = load_get_strlist(c, r, "references",
						  &ru->nreferences);
		ru->loc = r->loc;
		if (!starts_lower(ru->title))
			rrc = diag_error(c->d, ynode_get(r, "title")->loc,
					 "title must start lowercase");
		if (!starts_lower(ru->message))
			rrc = diag_error(c->d, ynode_get(r, "message")->loc,
					 "message must start lowercase");
		if (check_template(c, ynode_get(r, "message"), k) < 0 ||
		    check_template(c, ynode_get(r, "remediation"), k) < 0)
			rrc = -1;
		if (k) {
			ru->check = k->kind;
			ru->check_name = k->name;
			if (load_params(c, r, k, ru) < 0)
				rrc = -1;
		}
		if (rrc < 0)
			rc = -1;
	}
	return rc;
}

int
load_check_stable_ids(struct lctx *c, const char *rulesets)
{
	const struct rule *r;
	size_t i;
	int rc = 0;

	for (i = 0; i < ARRAY_SIZE(stable_ids); i++) {
		if (!(r = rules_find(c->db, stable_ids[i].id)))
			rc = diag_error(c->d, (struct src_loc){rulesets, 0, 0},
					"stable rule '%s' is missing from the "
					"catalogue", stable_ids[i].id);
		else if (r->severity != stable_ids[i].sev)
			rc = diag_error(c->d, r->loc,
					"rule '%s' must have severity %s (a "
					"stable contract)", r->id,
					severity_names[stable_ids[i].sev]);
	}
	return rc;
}
