/*
 * packages_formats.c - the row formats of package listings that span
 * lines or need state: `apt-cache policy` blocks (a version row waits for
 * its source lines), `apt-cache madison` rows, and `yum/dnf list` rows,
 * which wrap when a name is long.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Emits a version row that had no source line (a truncated paste). */
int
pkg_policy_flush(struct pkg_parser *p)
{
	struct package k = {0};

	if (!p->row.set)
		return 0;
	p->row.set = false;
	if (p->row.nsources)
		return 0;
	k.name = p->row.name;
	k.version = p->row.version;
	k.format = "apt-cache-policy";
	k.installed = p->row.installed ? TRI_TRUE : TRI_FALSE;
	k.candidate = pkg_same_str(p->pol_candidate, k.version);
	k.loc = p->row.loc;
	return pkg_add_row(p, &k, NULL, 0);
}

int
pkg_policy_installed_only(struct pkg_parser *p)
{
	struct package k = {0};

	if (!p->pol_installed || p->pol_rows || !p->pol_name) {
		p->pol_installed = NULL;
		return 0;
	}
	k.name = p->pol_name;
	k.version = p->pol_installed;
	k.format = "apt-cache-policy";
	k.installed = TRI_TRUE;
	k.candidate = pkg_same_str(p->pol_candidate, k.version);
	k.loc = p->pol_installed_loc;
	p->pol_installed = NULL;
	return pkg_add_row(p, &k, NULL, 0);
}

void
pkg_policy_reset(struct pkg_parser *p)
{
	p->pol_name = NULL;
	p->pol_candidate = NULL;
	p->pol_installed = NULL;
	p->pol_rows = 0;
}

/* "  Installed: 1.11.2-00", "  Candidate: (none)". */
int
pkg_policy_field(struct pkg_parser *p, const struct text_line *l,
	     const struct tok *t, size_t nt)
{
	const char *v = NULL;
	size_t off;

	pkg_set_mode(p, PF_POLICY);
	if (nt < 2)
		return diag_error(p->c->diag, text_loc(&p->r, l, t[0].off),
				  "missing version after '%.*s'",
				  (int)t[0].len, l->s + t[0].off);
	off = t[1].off;
	if (nt > 2)
		return diag_error(p->c->diag, text_loc(&p->r, l, t[2].off),
				  "unexpected text after version '%.*s'",
				  (int)t[1].len, l->s + off);
	if (!pkg_tok_is(l->s, &t[1], "(none)") &&
	    pkg_take_version(p, l, off, t[1].len, &v) < 0)
		return -1;
	if (pkg_tok_is(l->s, &t[0], "Candidate:")) {
		p->pol_candidate = v;
	} else {
		p->pol_installed = v;
		p->pol_installed_loc = text_loc(&p->r, l, off);
	}
	return 0;
}

/* " *** 1.11.2-00 500" or "     1.11.1-00 500". */
int
pkg_policy_version(struct pkg_parser *p, const struct text_line *l,
	       const struct tok *v, bool installed)
{
	const char *version;

	pkg_set_mode(p, PF_POLICY);
	if (pkg_policy_flush(p) < 0)
		return -1;
	if (!p->pol_name)
		return diag_error(p->c->diag, text_loc(&p->r, l, v->off),
				  "no package name for policy version '%.*s'",
				  pkg_quote_len(v->len),
				  l->s + v->off);
	if (pkg_take_version(p, l, v->off, v->len, &version) < 0)
		return -1;
	p->pol_rows++;
	p->row.set = true;
	p->row.name = p->pol_name;
	p->row.version = version;
	p->row.loc = text_loc(&p->r, l, v->off);
	p->row.installed = installed;
	p->row.nsources = 0;
	return 0;
}

/* "        500 http://apt.kubernetes.io kubernetes-xenial/main ...". */
int
pkg_policy_source(struct pkg_parser *p, const struct text_line *l,
	      const struct tok *t)
{
	struct package k = {0};

	pkg_set_mode(p, PF_POLICY);
	if (!p->row.set)
		return diag_error(p->c->diag, text_loc(&p->r, l, t[1].off),
				  "policy source '%.*s' without a version line",
				  pkg_quote_len(t[1].len),
				  l->s + t[1].off);
	p->row.nsources++;
	k.name = p->row.name;
	k.version = p->row.version;
	k.format = "apt-cache-policy";
	k.installed = p->row.installed ? TRI_TRUE : TRI_FALSE;
	k.candidate = pkg_same_str(p->pol_candidate, k.version);
	k.loc = p->row.loc;
	return pkg_add_row(p, &k, l->s + t[1].off, l->len - t[1].off);
}

/* ------------------------------------------------------------ madison */

static void
trim(const char *s, size_t *b, size_t *e)
{
	while (*b < *e && pkg_is_blank(s[*b]))
		(*b)++;
	while (*e > *b && pkg_is_blank(s[*e - 1]))
		(*e)--;
}

/* "   kubeadm |  1.26.3-00 | https://apt.kubernetes.io kubernetes-xe...". */
int
pkg_madison_row(struct pkg_parser *p, const struct text_line *l)
{
	const char *s = l->s;
	struct package k = {0};
	size_t bar[3], nbar = 0, i, b, e;

	pkg_set_mode(p, PF_MADISON);
	for (i = 0; i < l->len; i++)
		if (s[i] == '|') {
			if (nbar == 2)
				return diag_error(
					p->c->diag, text_loc(&p->r, l, i),
					"unexpected '|' in madison row");
			bar[nbar++] = i;
		}
	if (nbar < 2) {
		for (b = 0; b < l->len && pkg_is_blank(s[b]); b++)
			;
		return diag_error(p->c->diag, text_loc(&p->r, l, b),
				  "madison row has 2 fields, expected "
				  "'package | version | repository'");
	}
	b = 0, e = bar[0];
	trim(s, &b, &e);
	if (pkg_take_name(p, l, b, e - b, &k.name) < 0)
		return -1;
	b = bar[0] + 1, e = bar[1];
	trim(s, &b, &e);
	if (b == e)
		return diag_error(p->c->diag, text_loc(&p->r, l, bar[0] + 1),
				  "missing version in madison row");
	if (pkg_take_version(p, l, b, e - b, &k.version) < 0)
		return -1;
	k.loc = text_loc(&p->r, l, b);
	b = bar[1] + 1, e = l->len;
	trim(s, &b, &e);
	if (b == e)
		return diag_error(p->c->diag, text_loc(&p->r, l, bar[1] + 1),
				  "missing repository in madison row");
	k.format = "madison";
	k.installed = TRI_UNKNOWN;
	return pkg_add_row(p, &k, s + b, e - b);
}

/* ------------------------------------------------------------ yum */

static const char *const rpm_arches[] = {
	"x86_64", "noarch", "aarch64", "i686", "i386", "ppc64le", "ppc64",
	"s390x", "armv7hl", "armhfp", "riscv64", "src"};

/* Offset of the '.' before a known architecture in "kubeadm.x86_64". */
size_t
pkg_arch_dot(const char *s, size_t len)
{
	size_t i, d;

	for (d = len; d > 0 && s[d - 1] != '.'; d--)
		;
	if (d < 2)
		return SIZE_MAX;
	for (i = 0; i < ARRAY_SIZE(rpm_arches); i++)
		if (strlen(rpm_arches[i]) == len - d &&
		    !memcmp(s + d, rpm_arches[i], len - d))
			return d - 1;
	return SIZE_MAX;
}

static int
yum_emit(struct pkg_parser *p)
{
	struct yum_row *y = &p->yum;
	struct package k = {0};
	struct arena *a = p->c->arena;
	size_t dot = pkg_arch_dot(y->tok[0], y->len[0]);

	y->n = 0;
	if (!(k.name = arena_strndup(a, y->tok[0], dot)) ||
	    !(k.arch = arena_strndup(a, y->tok[0] + dot + 1,
				     y->len[0] - dot - 1)))
		return pkg_oom(p);
	k.version = y->tok[1];
	k.loc = y->loc[1];
	k.format = "yum";
	k.dnf5 = p->dnf5;
	k.installed = p->yum_installed;
	if (y->tok[2][0] == '@' || !strcmp(y->tok[2], "installed"))
		k.installed = TRI_TRUE;
	return pkg_add_row(p, &k, y->tok[2], y->len[2]);
}

/* Adds the tokens of one line to the pending yum row. */
int
pkg_yum_tokens(struct pkg_parser *p, const struct text_line *l,
	   const struct tok *t, size_t nt)
{
	struct yum_row *y = &p->yum;
	size_t i;

	pkg_set_mode(p, PF_YUM);
	for (i = 0; i < nt; i++) {
		const char *out = NULL;
		int k = y->n;

		if (k == 0) {
			size_t dot = pkg_arch_dot(l->s + t[i].off, t[i].len);

			if (dot == SIZE_MAX)
				return diag_error(
					p->c->diag,
					text_loc(&p->r, l, t[i].off),
					"no architecture in yum package '%.*s'",
					pkg_quote_len(t[i].len), l->s + t[i].off);
			if (pkg_take_name(p, l, t[i].off, dot, NULL) < 0)
				return -1;
			out = arena_strndup(p->c->arena, l->s + t[i].off,
					    t[i].len);
		} else if (k == 1) {
			if (pkg_take_version(p, l, t[i].off, t[i].len, &out) < 0)
				return -1;
		} else {
			out = arena_strndup(p->c->arena, l->s + t[i].off,
					    t[i].len);
		}
		if (!out)
			return pkg_oom(p);
		y->tok[k] = out;
		y->len[k] = t[i].len;
		y->loc[k] = text_loc(&p->r, l, t[i].off);
		y->n++;
	}
	return y->n == 3 ? yum_emit(p) : 0;
}

/* A wrapped yum row that never got its remaining columns. */
int
pkg_yum_incomplete(struct pkg_parser *p)
{
	struct yum_row *y = &p->yum;

	int n = y->n;

	if (!n)
		return 0;
	y->n = 0;
	return diag_error(p->c->diag, y->loc[0],
			  "yum row '%.*s' has no %s", (int)y->len[0],
			  y->tok[0], n == 1 ? "version" : "repository");
}
