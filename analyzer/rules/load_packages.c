/*
 * load_packages.c - the package repositories (data/packages.yaml), with the
 * patterns that keep the strings a runbook runs free of shell syntax.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------- packages */

/*
 * The strings of packages.yaml that the planner puts into shell commands
 * of a runbook, each held to a pattern that admits what the documented
 * repositories need and nothing a shell would act on: no quote, '$(', '`',
 * ';', '|', '&', '<', '>' or newline beyond what the pattern spells out.
 * A rules directory is data, and data must not be able to run code.
 */
#define SAFE_URL "https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._:~{}-]*)*"
#define SAFE_PATH "(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)+"
static struct re re_deb_line = {
	"^deb \\[signed-by=" SAFE_PATH "\\] " SAFE_URL
	" [A-Za-z0-9._/-]+(?: [A-Za-z0-9._-]+)*$", 0, NULL, NULL};
static struct re re_url = {"^" SAFE_URL "$", 0, NULL, NULL};
/* yum's own $basearch and $releasever, expanded by yum, not the shell. */
static struct re re_yum_url = {
	"^https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._:~{}$-]*)*$", 0, NULL, NULL};
static struct re re_path = {"^" SAFE_PATH "$", 0, NULL, NULL};
static struct re re_key_install = {
	"^(?:sudo )?curl -fsSL " SAFE_URL " \\| (?:sudo )?gpg --dearmor -o "
	SAFE_PATH "$", 0, NULL, NULL};
/* One line of a yum .repo file, written through a quoted here-document. */
static struct re re_repo_line = {
	"^(?:\\[[A-Za-z0-9_-]+\\]|[a-z_]+=[A-Za-z0-9 ._:/$={}~-]*)$", 0, NULL,
	NULL};
static struct re re_install_pinned = {
	"^[A-Za-z0-9 ._:/={}*&-]*(?:'\\{version\\}-\\*'[A-Za-z0-9 ._:/={}&-]*)?$",
	0, NULL, NULL};

/* Checks key of m against re; a mismatch is an error at the value. */
static int
check_safe(struct lctx *c, const struct ynode *m, const char *key,
	   struct re *re, const char *want)
{
	const struct ynode *v = ynode_get(m, key);
	const char *s, *nl;
	size_t len, line = 1;

	if (!v || !v->s)
		return 0;
	if (re != &re_repo_line) {
		if (re_match(re, v->s, strlen(v->s), NULL))
			return 0;
		return diag_error(c->d, v->loc, "%s is not %s (it goes into "
				  "the runbook's shell commands)", key, want);
	}
	for (s = v->s; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		len = nl ? (size_t)(nl - s) : strlen(s);
		if (!re_match(re, s, len, NULL))
			return diag_error(c->d, v->loc, "%s line %zu is not "
					  "%s (it goes into the runbook's shell "
					  "commands)", key, line, want);
		if (!nl)
			break;
		line++;
	}
	return 0;
}

static int
check_repo_tool_strings(struct lctx *c, const struct ynode *m, bool is_apt)
{
	int rc = 0;

	if (is_apt) {
		rc |= check_safe(c, m, "deb_line", &re_deb_line,
				 "a plain 'deb [signed-by=/PATH] https://URL "
				 "SUITE [COMPONENT...]' line");
		rc |= check_safe(c, m, "sources_file", &re_path,
				 "an absolute path of plain names");
		rc |= check_safe(c, m, "keyring", &re_path,
				 "an absolute path of plain names");
		rc |= check_safe(c, m, "key_url", &re_url, "a plain https URL");
		rc |= check_safe(c, m, "key_install", &re_key_install,
				 "'curl -fsSL https://URL | gpg --dearmor -o "
				 "/PATH'");
	} else {
		rc |= check_safe(c, m, "baseurl", &re_yum_url,
				 "a plain https URL");
		rc |= check_safe(c, m, "gpgkey", &re_url, "a plain https URL");
		rc |= check_safe(c, m, "repo_file", &re_path,
				 "an absolute path of plain names");
		rc |= check_safe(c, m, "repo_content", &re_repo_line,
				 "a '[section]' or 'key=value' line of plain "
				 "characters");
	}
	rc |= check_safe(c, m, "install_pinned", &re_install_pinned,
			 "a command of plain words with '{version}-*' quoted");
	return rc ? -1 : 0;
}

static int
load_repo_tool(struct lctx *c, const struct ynode *r, const char *tool,
	       bool legacy, struct pkg_repo *p)
{
	static const struct field apt[] = {
		{"deb_line", T_STR, true}, {"version_example", T_STR, true},
		{"revision_pattern", T_STR, true},
		{"sources_file", T_STR, false}, {"keyring", T_STR, false},
		{"key_url", T_STR, false}, {"key_install", T_STR, false},
		{"install_pinned", T_STR, false},
	};
	static const struct field yum[] = {
		{"baseurl", T_STR, true}, {"gpgkey", T_STR, true},
		{"version_example", T_STR, true},
		{"revision_pattern", T_STR, true},
		{"repo_file", T_STR, false}, {"repo_content", T_STR, false},
		{"install_pinned", T_STR, false},
	};
	bool is_apt = !strcmp(tool, "apt");
	const struct field *fs = is_apt ? apt : yum;
	size_t nf = is_apt ? ARRAY_SIZE(apt) : ARRAY_SIZE(yum), i;
	const struct ynode *m = ynode_get(r, tool), *pat;
	char what[32];
	regex_t re;
	int rc, err;

	snprintf(what, sizeof(what), "%s settings", tool);
	if ((rc = load_check_fields(c, m, fs, nf, what)) < 0)
		return rc;
	if (!legacy)
		for (i = 3 + !is_apt; i < nf; i++)
			if (!ynode_get(m, fs[i].key))
				rc = diag_error(c->d, m->loc,
						"missing key '%s' in %s of a "
						"per-minor repository",
						fs[i].key, what);
	if (check_repo_tool_strings(c, m, is_apt) < 0)
		rc = -1;
	pat = ynode_get(m, "revision_pattern");
	if ((err = regcomp(&re, pat->s, REG_EXTENDED | REG_NOSUB)) != 0) {
		char msg[128];

		regerror(err, &re, msg, sizeof(msg));
		rc = diag_error(c->d, pat->loc,
				"revision_pattern does not compile: %s", msg);
	} else {
		regfree(&re);
	}
	if (is_apt) {
		p->apt_deb_line = load_get_str(m, "deb_line");
		p->apt_version_example = load_get_str(m, "version_example");
		p->apt_revision_pattern = load_get_str(m, "revision_pattern");
		p->apt_sources_file = load_get_str(m, "sources_file");
		p->apt_keyring = load_get_str(m, "keyring");
		p->apt_key_url = load_get_str(m, "key_url");
		p->apt_key_install = load_get_str(m, "key_install");
		p->apt_install_pinned = load_get_str(m, "install_pinned");
	} else {
		p->yum_baseurl = load_get_str(m, "baseurl");
		p->yum_gpgkey = load_get_str(m, "gpgkey");
		p->yum_version_example = load_get_str(m, "version_example");
		p->yum_revision_pattern = load_get_str(m, "revision_pattern");
		p->yum_repo_file = load_get_str(m, "repo_file");
		p->yum_repo_content = load_get_str(m, "repo_content");
		p->yum_install_pinned = load_get_str(m, "install_pinned");
	}
	return rc;
}

/* ---------------------------------------------------------- signing keys */

static struct re re_deb_key = {
	"^" SAFE_URL "/deb/Release\\.key$", 0, NULL, NULL};
static struct re re_rpm_key = {
	"^" SAFE_URL "/rpm/repodata/repomd\\.xml\\.key$", 0, NULL, NULL};

static bool
is_fingerprint(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return i == 40;
}

/* The minors lo..hi (hi RULES_OPEN: no end) as "1.24 to 1.27", "1.28 on". */
static const char *
range_text(struct lctx *c, unsigned lo, unsigned hi)
{
	if (hi == RULES_OPEN)
		return arena_printf(c->a, "1.%u on", lo);
	return arena_printf(c->a, "1.%u to 1.%u", lo, hi);
}

static bool
in_range(unsigned m, unsigned lo, unsigned hi)
{
	return m >= lo && (hi == RULES_OPEN || m <= hi);
}

/* One signing_keys row into k; checks what needs only the row. */
static int
load_key_row(struct lctx *c, const struct ynode *r, struct pkg_key *k)
{
	static const struct field row[] = {
		{"repository", T_STR, true}, {"since_minor", T_MINOR, true},
		{"until_minor", T_MINOR, false},
		{"verifies_since_minor", T_MINOR, true},
		{"verifies_until_minor", T_MINOR, false},
		{"fingerprint", T_STR_NULL, true},
		{"valid_from", T_DATE, true}, {"expires", T_DATE, true},
		{"expires_unconfirmed", T_BOOL, false},
		{"deb_key_url", T_STR, true}, {"rpm_key_url", T_STR, true},
		{"sources", T_URLLIST, true},
	};
	const struct pkg_repo *p = NULL;
	const struct ynode *n;
	size_t i;
	int rc = 0;

	if (load_check_fields(c, r, row, ARRAY_SIZE(row), "signing key") < 0)
		return -1;
	k->repository = load_get_str(r, "repository");
	k->since_minor = load_get_minor(r, "since_minor");
	k->until_minor = load_get_minor(r, "until_minor");
	k->verifies_since = load_get_minor(r, "verifies_since_minor");
	k->verifies_until = load_get_minor(r, "verifies_until_minor");
	k->fingerprint = load_get_str(r, "fingerprint");
	k->valid_from = load_get_date(r, "valid_from");
	k->expires = load_get_date(r, "expires");
	k->expires_unconfirmed = ynode_get(r, "expires_unconfirmed") &&
				 !strcmp(load_get_str(r, "expires_unconfirmed"),
					 "true");
	k->deb_key_url = load_get_str(r, "deb_key_url");
	k->rpm_key_url = load_get_str(r, "rpm_key_url");
	k->sources = load_get_strlist(c, r, "sources", &k->nsources);
	k->loc = r->loc;
	for (i = 0; i < c->db->repos.n; i++)
		if (!strcmp(c->db->repos.v[i].id, k->repository))
			p = &c->db->repos.v[i];
	n = ynode_get(r, "repository");
	if (!p || p->legacy)
		rc = diag_error(c->d, n->loc, "repository '%s' is not a "
				"per-minor repository of this file",
				k->repository);
	else if (k->since_minor < p->first_minor)
		rc = diag_error(c->d, ynode_get(r, "since_minor")->loc,
				"since_minor 1.%u is before the repository's "
				"first_minor 1.%u", k->since_minor,
				p->first_minor);
	if (k->until_minor != RULES_OPEN && k->until_minor < k->since_minor)
		rc = diag_error(c->d, ynode_get(r, "until_minor")->loc,
				"until_minor is before since_minor");
	if (k->verifies_since > k->since_minor ||
	    (k->verifies_until != RULES_OPEN &&
	     (k->until_minor == RULES_OPEN ||
	      k->verifies_until < k->until_minor)))
		rc = diag_error(c->d, ynode_get(r, "verifies_since_minor")->loc,
				"the minors a key verifies (%s) must include "
				"the minors that serve it (%s)",
				range_text(c, k->verifies_since,
					   k->verifies_until),
				range_text(c, k->since_minor, k->until_minor));
	if (k->fingerprint && !is_fingerprint(k->fingerprint))
		rc = diag_error(c->d, ynode_get(r, "fingerprint")->loc,
				"fingerprint '%s' is not 40 upper-case hex "
				"digits", k->fingerprint);
	if (k->expires <= k->valid_from)
		rc = diag_error(c->d, ynode_get(r, "expires")->loc,
				"expires is not after valid_from");
	if (k->nsources == 0)
		rc = diag_error(c->d, ynode_get(r, "sources")->loc,
				"sources must not be empty");
	if (check_safe(c, r, "deb_key_url", &re_deb_key,
		       "a plain https URL ending in /deb/Release.key") < 0 ||
	    check_safe(c, r, "rpm_key_url", &re_rpm_key,
		       "a plain https URL ending in "
		       "/rpm/repodata/repomd.xml.key") < 0)
		rc = -1;
	if (!strstr(k->deb_key_url, "{minor}") ||
	    !strstr(k->rpm_key_url, "{minor}"))
		rc = diag_error(c->d, r->loc, "deb_key_url and rpm_key_url "
				"must name the repository's minor as {minor}");
	return rc;
}

/*
 * signing_keys: which key the key URL of each minor's repository serves,
 * its validity, and which minors' repositories it verifies. The minors
 * that serve keys of one repository must neither overlap nor leave a gap
 * from its first_minor on.
 */
static int
load_signing_keys(struct lctx *c, const struct ynode *l)
{
	const struct ynode *r;
	size_t i, j;
	int rc = 0;

	if (l->n == 0)
		return diag_error(c->d, l->loc, "no signing keys");
	for (r = l->child; r; r = r->next) {
		struct pkg_key *k;

		if (!(k = vec_push(&c->db->keys)))
			return load_oom(c, r->loc);
		memset(k, 0, sizeof(*k));
		if (load_key_row(c, r, k) < 0) {
			c->db->keys.n--;
			rc = -1;
		}
	}
	if (rc < 0)
		return rc;
	for (i = 0; i < c->db->repos.n; i++) {
		const struct pkg_repo *p = &c->db->repos.v[i];
		unsigned m, served;

		if (p->legacy)
			continue;
		/* Walk the minors: each must be served by exactly one key. */
		for (m = p->first_minor;; m++) {
			const struct pkg_key *open = NULL;

			served = 0;
			for (j = 0; j < c->db->keys.n; j++) {
				const struct pkg_key *k = &c->db->keys.v[j];

				if (strcmp(k->repository, p->id) ||
				    !in_range(m, k->since_minor, k->until_minor))
					continue;
				if (++served > 1)
					return diag_error(c->d, k->loc,
							  "signing keys of '%s' "
							  "overlap at 1.%u",
							  p->id, m);
				if (k->until_minor == RULES_OPEN)
					open = k;
			}
			if (served == 0)
				return diag_error(c->d, l->loc,
						  "no signing key is served by "
						  "the '%s' repository of 1.%u",
						  p->id, m);
			if (open)
				break;
		}
	}
	return 0;
}

int
load_packages(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"repositories", T_SEQ, true},
		{"signing_keys", T_SEQ, true},
	};
	static const struct field row[] = {
		{"id", T_STR, true}, {"kind", T_STR, true},
		{"hosts", T_STRLIST, true}, {"deprecated", T_DATE, false},
		{"frozen", T_DATE, false}, {"removed", T_DATE, false},
		{"last_patches", T_VERLIST, false}, {"since", T_DATE, false},
		{"first_minor", T_MINOR, false}, {"apt", T_MAP, true},
		{"yum", T_MAP, true}, {"sources", T_URLLIST, true},
	};
	static const char *const legacy_keys[] = {
		"deprecated", "frozen", "removed",
	};
	static const char *const minor_keys[] = {"since", "first_minor"};
	const struct ynode *l, *r, *k;
	struct pkg_repo *p;
	size_t i;
	int rc;

	rc = load_check_fields(c, root, top, ARRAY_SIZE(top), "packages data");
	if (load_check_schema(c, root, "skewplan.packages/v1") < 0)
		rc = -1;
	if (rc < 0)
		return rc;
	l = ynode_get(root, "repositories");
	for (r = l->child; r; r = r->next) {
		const char *kind;
		bool legacy;

		if (load_check_fields(c, r, row, ARRAY_SIZE(row), "repository") < 0) {
			rc = -1;
			continue;
		}
		kind = load_get_str(r, "kind");
		if (strcmp(kind, "legacy") && strcmp(kind, "per-minor")) {
			rc = diag_error(c->d, ynode_get(r, "kind")->loc,
					"unknown repository kind '%s' (want "
					"legacy or per-minor)", kind);
			continue;
		}
		legacy = !strcmp(kind, "legacy");
		for (i = 0; i < ARRAY_SIZE(legacy_keys); i++) {
			k = ynode_get(r, legacy_keys[i]);
			if (legacy && !k)
				rc = diag_error(c->d, r->loc,
						"missing key '%s' in a legacy "
						"repository", legacy_keys[i]);
			else if (!legacy && k)
				rc = diag_error(c->d, k->loc,
						"key '%s' is only for legacy "
						"repositories", legacy_keys[i]);
		}
		for (i = 0; i < ARRAY_SIZE(minor_keys); i++) {
			k = ynode_get(r, minor_keys[i]);
			if (!legacy && !k)
				rc = diag_error(c->d, r->loc,
						"missing key '%s' in a per-minor "
						"repository", minor_keys[i]);
			else if (legacy && k)
				rc = diag_error(c->d, k->loc,
						"key '%s' is only for per-minor "
						"repositories", minor_keys[i]);
		}
		if (!(p = vec_push(&c->db->repos)))
			return load_oom(c, r->loc);
		p->id = load_get_str(r, "id");
		p->legacy = legacy;
		p->hosts = load_get_strlist(c, r, "hosts", &p->nhosts);
		p->deprecated = load_get_date(r, "deprecated");
		p->frozen = load_get_date(r, "frozen");
		p->removed = load_get_date(r, "removed");
		p->since = load_get_date(r, "since");
		p->first_minor = load_get_minor(r, "first_minor");
		p->sources = load_get_strlist(c, r, "sources", &p->nsources);
		p->loc = r->loc;
		if (p->nhosts == 0)
			rc = diag_error(c->d, ynode_get(r, "hosts")->loc,
					"hosts must not be empty");
		if (p->nsources == 0)
			rc = diag_error(c->d, ynode_get(r, "sources")->loc,
					"sources must not be empty");
		for (i = 0; i + 1 < c->db->repos.n; i++)
			if (!strcmp(c->db->repos.v[i].id, p->id))
				rc = diag_error(c->d, ynode_get(r, "id")->loc,
						"repository id '%s' is used twice",
						p->id);
		if (load_repo_tool(c, r, "apt", legacy, p) < 0 ||
		    load_repo_tool(c, r, "yum", legacy, p) < 0)
			rc = -1;
	}
	if (rc == 0 && load_signing_keys(c, ynode_get(root, "signing_keys")) < 0)
		rc = -1;
	return rc;
}
