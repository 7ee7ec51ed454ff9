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

int
load_packages(struct lctx *c, const struct ynode *root)
{
	static const struct field top[] = {
		{"schema", T_STR, true}, {"repositories", T_SEQ, true},
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
	return rc;
}
