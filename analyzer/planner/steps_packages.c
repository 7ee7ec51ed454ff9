/*
 * steps_packages.c - the package steps of a hop: the repository switch and
 * the pinned installs of kubeadm, kubelet and kubectl, from the templates
 * of rules/data/packages.yaml.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* "kubeadm=1.26.3-00", "kubeadm='1.29.15-*'" or the rpm forms. */
static const char *
pkg_spec(struct plan_ctx *c, const char *name, const char *version)
{
	const char *v;

	if (c->plan->rpm)
		return plan_shq(c->a, arena_printf(c->a, "%s-%s", name,
						   version));
	if (!(v = plan_shq(c->a, version)))
		return NULL;
	return arena_printf(c->a, "%s=%s", name, v);
}

/*
 * The rpm install of specs. dnf5 has no --disableexcludes: it takes
 * --setopt=disable_excludes=kubernetes (kubernetes/website, "Upgrading
 * Linux nodes" and "Installing kubeadm", the dnf5 tabs).
 */
static const char *
rpm_install(struct plan_ctx *c, const char *specs)
{
	if (!specs)
		return NULL;
	if (c->plan->dnf5)
		return arena_printf(c->a, "dnf install -y %s "
				    "--setopt=disable_excludes=kubernetes",
				    specs);
	return arena_printf(c->a, "yum install -y %s "
			    "--disableexcludes=kubernetes", specs);
}

/* Steps that install rpm packages name the other dnf's form. */
static void
rpm_note(struct plan_sb *b)
{
	if (!b->c->plan->rpm || b->c->dnf_explained)
		return;
	b->c->dnf_explained = true;
	plan_sb_note(b, b->c->plan->dnf5
		     ? "The capture shows dnf5, which has no "
		       "--disableexcludes: the command uses "
		       "--setopt=disable_excludes=kubernetes."
		     : "On a dnf5 host (Fedora 41 and later) use "
		       "'dnf install -y ... --setopt=disable_excludes="
		       "kubernetes': dnf5 has no --disableexcludes.");
}

static const char *
install_kubeadm(struct plan_ctx *c, const struct plan_hop *h)
{
	const char *spec = pkg_spec(c, "kubeadm", h->kubeadm);

	if (!spec)
		return NULL;
	if (c->plan->rpm)
		return rpm_install(c, spec);
	return arena_printf(c->a, "apt-mark unhold kubeadm && apt-get update "
			    "&& apt-get install -y %s && apt-mark hold kubeadm",
			    spec);
}

const char *
plan_install_kubelet(struct plan_ctx *c, const struct plan_hop *h)
{
	const char *s1 = pkg_spec(c, "kubelet", h->kubelet);
	const char *s2 = pkg_spec(c, "kubectl", h->kubectl);

	if (!s1 || !s2)
		return NULL;
	if (c->plan->rpm)
		return rpm_install(c, arena_printf(c->a, "%s %s", s1, s2));
	return arena_printf(c->a, "apt-mark unhold kubelet kubectl && "
			    "apt-get update && apt-get install -y %s %s && "
			    "apt-mark hold kubelet kubectl", s1, s2);
}

/* The regex of the package version h installs: "1\.29\.15-[0-9.]+" */
static const char *
version_re(struct plan_ctx *c, const struct plan_hop *h)
{
	const char *v = h->kubeadm, *star = strchr(v, '*');

	if (!star)
		return plan_re_quote(c->a, v);
	return arena_printf(c->a, "%s[0-9.]+",
			    plan_re_quote(c->a, arena_strndup(c->a, v,
							      (size_t)(star - v))));
}

/* content with its "gpgkey=" line replaced by "gpgkey=url" (arena). */
static const char *
with_gpgkey(struct arena *a, const char *content, const char *url)
{
	struct buf b = BUF_INIT;
	const char *p, *nl, *out;

	if (!content || !url)
		return NULL;
	for (p = content; *p; p = nl) {
		nl = strchr(p, '\n');
		nl = nl ? nl + 1 : p + strlen(p);
		if (!strncmp(p, "gpgkey=", 7))
			buf_addf(&b, "gpgkey=%s\n", url);
		else
			buf_add(&b, p, (size_t)(nl - p));
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/*
 * Prints gpg's listing of a key and fails when gpg calls it expired: "pub
 * rsa2048 2022-08-25 [SC] [expired: 2024-11-02]" (kubernetes/release#3818),
 * "[expires: 2026-12-29]" while it is valid.
 */
#define KEY_NOT_EXPIRED \
	"awk '{ print } /\\[expired: / { bad = 1 } END { exit bad }'"

/*
 * The plan-signing-key-unknown warning, once per plan: no key of the
 * repository the plan switches to is known to be valid at --as-of.
 */
static int
signing_key_unknown(struct plan_ctx *c, const struct plan_hop *h,
		    const struct pkg_key *served)
{
	const struct rule *rule;
	const char *fill[10];
	char asof[11], exp[11];
	size_t i;

	for (i = 0; i < c->plan->findings.n; i++)
		if (!strcmp(c->plan->findings.v[i].rule->id,
			    "plan-signing-key-unknown"))
			return 0;
	if (!(rule = plan_rule(c, "plan-signing-key-unknown")))
		return -1;
	date_format(c->plan->as_of, asof);
	fill[0] = "repo";
	fill[1] = c->pkgs->id;
	fill[2] = "minor";
	fill[3] = arena_printf(c->a, "%u.%u", h->to.major, h->to.minor);
	fill[4] = "date";
	fill[5] = asof;
	fill[6] = "through";
	if (served)
		date_format(served->expires, exp);
	fill[7] = served ? exp : "?";
	fill[8] = "source";
	fill[9] = served && served->nsources ? served->sources[0]
					     : "rules/data/packages.yaml";
	if (!fill[3])
		return -1;
	return plan_finding(c->plan, c->a, rule,
			    arena_printf(c->a, "%s v%s", c->pkgs->id, fill[3]),
			    fill, 5, served ? &served->loc : NULL,
			    served ? 1 : 0);
}

/*
 * Of the keys of the plan's repository that verify 1.minor, the one valid
 * the longest (NULL when none): after every known expiry, the key most
 * likely renewed. *fetch is the minor it is fetched from: minor itself,
 * or the first minor serving it.
 */
static const struct pkg_key *
newest_key(struct plan_ctx *c, unsigned minor, unsigned *fetch)
{
	const struct pkg_key *best = NULL;
	size_t i;

	for (i = 0; i < c->db->keys.n; i++) {
		const struct pkg_key *k = &c->db->keys.v[i];

		if (strcmp(k->repository, c->pkgs->id) ||
		    minor < k->verifies_since ||
		    (k->verifies_until != RULES_OPEN &&
		     minor > k->verifies_until))
			continue;
		if (!best || k->expires > best->expires)
			best = k;
	}
	if (best)
		*fetch = minor >= best->since_minor ? minor : best->since_minor;
	return best;
}

/*
 * The signing key of the switch, from rules/data/packages.yaml
 * (signing_keys, rules_pkg_key_for): the key the new repository serves if
 * it is valid at --as-of, else the same repository family's key that is
 * valid and verifies it, fetched from the minor that serves it (after
 * 2024-11-02 the v1.24-v1.27 repositories need the key of v1.28; the
 * workaround of kubernetes/release#3818). The step says which and why.
 * Returns the key URL (arena) or NULL; *unknown is set when no key is
 * known to be valid at --as-of.
 */
static const char *
switch_key(struct plan_sb *b, const struct plan_hop *h, bool *unknown)
{
	struct plan_ctx *c = b->c;
	struct arena *a = c->a;
	const struct pkg_repo *r = c->pkgs;
	const struct pkg_key *k, *served;
	struct plan_ver from = h->to;
	unsigned fetch = h->to.minor;
	char asof[11], exp[11];

	date_format(c->plan->as_of, asof);
	k = rules_pkg_key_for(c->db, r->id, h->to.minor, c->plan->as_of,
			      &fetch);
	if (!k) {
		served = newest_key(c, h->to.minor, &fetch);
		if (served)
			date_format(served->expires, exp);
		plan_sb_note(b, arena_printf(a, "Warning: the rules data knows "
					     "no signing key of the v%u.%u "
					     "repository that is valid on %s%s%s; "
					     "apt and dnf refuse a repository "
					     "whose key expired. The step fetches "
					     "the key v%u.%u serves now, shows "
					     "it ('gpg --show-keys') and stops "
					     "before %s if gpg calls it expired; "
					     "check that its 'expires' date is "
					     "after the day you run it.",
					     h->to.major, h->to.minor, asof,
					     served ? " (the last known expired "
						      : "",
					     served ? arena_printf(a, "%s)",
								   exp)
						    : "",
					     h->to.major, fetch,
					     c->plan->rpm ? "the makecache"
							  : "apt-get update"));
		if (signing_key_unknown(c, h, served) < 0)
			b->failed = true;
		*unknown = true;
		k = served;
	} else {
		date_format(k->expires, exp);
		if (fetch != h->to.minor)
			plan_sb_note(b, arena_printf(a, "The key the v%u.%u "
						     "repository serves expired "
						     "before %s; the same "
						     "repositories' key valid "
						     "then (until %s) is fetched "
						     "from v%u.%u, and it verifies "
						     "v%u.%u too (%s).",
						     h->to.major, h->to.minor,
						     asof, exp, h->to.major,
						     fetch, h->to.major,
						     h->to.minor,
						     k->nsources ? k->sources[0]
								 : "rules data"));
		if (k->expires_unconfirmed)
			plan_sb_note(b, arena_printf(a, "The key is valid until "
						     "%s; what replaces it then "
						     "is not confirmed (rules "
						     "data, signing_keys).",
						     exp));
	}
	from.minor = fetch;
	return plan_tmpl(a, c->plan->rpm
			    ? (k ? k->rpm_key_url : r->yum_gpgkey)
			    : (k ? k->deb_key_url : r->apt_key_url),
		       &from, NULL);
}

void
plan_step_switch_repo(struct plan_sb *b, unsigned hn, const struct plan_hop *h)
{
	struct plan_ctx *c = b->c;
	const struct pkg_repo *r = c->pkgs;
	struct arena *a = c->a;
	const char *content, *key, *url;
	bool unknown = false;

	if (!r) {
		b->failed = true;
		return;
	}
	plan_sb_step(b, hn, -1, PA_SWITCH_REPO, plan_every_node(c),
		     h->from_legacy
			     ? arena_printf(a, "Move every node from the legacy "
					    "repository to pkgs.k8s.io v%u.%u",
					    h->to.major, h->to.minor)
			     : arena_printf(a, "Switch every node to the "
					    "pkgs.k8s.io v%u.%u repository",
					    h->to.major, h->to.minor));
	content = plan_tmpl(a, c->plan->rpm ? r->yum_repo_content
					    : r->apt_deb_line, &h->to, NULL);
	key = url = switch_key(b, h, &unknown);
	if (c->plan->rpm)
		content = with_gpgkey(a, content, key);
	else if (key && r->apt_keyring)
		key = arena_printf(a, "curl -fsSL %s | gpg --batch --yes "
				   "--dearmor -o %s", plan_shq(a, key),
				   plan_shq(a, r->apt_keyring));
	else
		key = NULL;
	if (!content || !key) {
		b->failed = true;
		return;
	}
	if (c->plan->rpm) {
		/* repo_content lines are checked: none can be "EOF". */
		plan_sb_cmd(b, arena_printf(a, "cat <<'EOF' > %s\n%sEOF",
					    plan_shq(a, r->yum_repo_file),
					    content));
		if (unknown && url)
			plan_sb_cmd(b, arena_printf(a, "curl -fsSL %s | gpg "
						    "--show-keys | %s",
						    plan_shq(a, url),
						    KEY_NOT_EXPIRED));
		plan_sb_note(b, "dnf keeps a key it imported before and does "
			     "not fetch it again (kubernetes/release#3840): if "
			     "the makecache reports an expired key, remove the "
			     "old one ('rpm -q gpg-pubkey' lists them; 'rpm -e' "
			     "the isv:kubernetes one) and run it again.");
		plan_sb_cmd(b, c->plan->dnf5 ? "dnf clean all && dnf makecache"
					     : "yum clean all && yum makecache");
		/* yum list: "kubeadm.x86_64   1.29.15-150500.1.1   kubernetes" */
		plan_sb_check(b, PM_REGEX,
			      c->plan->dnf5
				      ? "dnf list --showduplicates kubeadm "
					"--setopt=disable_excludes=kubernetes"
				      : "yum list --showduplicates kubeadm "
					"--disableexcludes=kubernetes",
			      arena_printf(a, "^kubeadm\\.[a-z0-9_]+ +%s +"
					   "kubernetes$", version_re(c, h)));
		return;
	}
	/*
	 * The install guide's tools (kubernetes/website "Installing
	 * kubeadm"): present on a node it set up, so this changes nothing
	 * there and needs no `apt-get update`, which the repository being
	 * switched could fail. Then the key, fetched again at every switch,
	 * safe to re-run: gpg asks before overwriting a file unless --batch
	 * --yes.
	 */
	plan_sb_note(b, "The key is fetched again at every repository switch "
		     "and written with 'gpg --batch --yes', so the step can "
		     "be re-run: without them gpg stops to ask before "
		     "overwriting the keyring.");
	plan_sb_cmd(b, "apt-get install -y apt-transport-https ca-certificates "
		    "curl gpg");
	plan_sb_cmd(b, "mkdir -p -m 755 /etc/apt/keyrings");
	plan_sb_cmd(b, key);
	if (unknown)
		plan_sb_cmd(b, arena_printf(a, "gpg --show-keys %s | %s",
					    plan_shq(a, r->apt_keyring),
					    KEY_NOT_EXPIRED));
	plan_sb_cmd(b, arena_printf(a, "echo %s > %s", plan_shq(a, content),
				    plan_shq(a, r->apt_sources_file)));
	plan_sb_cmd(b, "apt-get update");
	/* madison: "   kubeadm | 1.29.15-1.1 | https://pkgs.k8s.io/core:/stable:/v1.29/deb  Packages" */
	plan_sb_check(b, PM_REGEX, "apt-cache madison kubeadm",
		      arena_printf(a, "^ *kubeadm \\| %s \\| https://pkgs\\."
				   "k8s\\.io/core:/stable:/v%u\\.%u/deb +"
				   "Packages$",
				   version_re(c, h), h->to.major, h->to.minor));
}

void
plan_step_upgrade_kubeadm(struct plan_sb *b, unsigned hn,
			  const struct plan_hop *h, int n)
{
	struct plan_ctx *c = b->c;

	plan_sb_step(b, hn, n, PA_UPGRADE_KUBEADM, plan_root_on(c, n),
		     arena_printf(c->a, "Upgrade kubeadm on %s to %u.%u.%u",
				  c->plan->nodes[n].name, h->to.major,
				  h->to.minor, h->to.patch));
	rpm_note(b);
	plan_sb_cmd(b, install_kubeadm(c, h));
	plan_sb_check(b, PM_EXACT, "kubeadm version -o short",
		      plan_vtext(c->a, &h->to));
}
