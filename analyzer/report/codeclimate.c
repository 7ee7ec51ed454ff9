/*
 * codeclimate.c - findings as a GitLab Code Quality report: the subset of
 * the Code Climate issue format GitLab reads
 * (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
 * a JSON array of {description, check_name, fingerprint, severity,
 * location: {path, lines: {begin}}}. Checked against
 * tests/schema/gitlab-codequality.schema.json. Also the finding
 * fingerprints that the JSON report and --baseline share.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------ fingerprints */

static int
cmp_finding(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	int c = strcmp(x->rule->id, y->rule->id);

	if (c == 0)
		c = strcmp(x->subject, y->subject);
	if (c == 0)
		c = x < y ? -1 : x > y;
	return c;
}

void
report_fingerprint(const char *rule, const char *subject, size_t nth,
		   char hex[static 65])
{
	static const char tag[] = "skewplan-finding/v1";
	struct sha256 h;
	char n[24];
	int len = snprintf(n, sizeof(n), "%zu", nth);

	sha256_init(&h);
	sha256_update(&h, tag, sizeof(tag));
	sha256_update(&h, rule, strlen(rule) + 1);
	sha256_update(&h, subject, strlen(subject) + 1);
	sha256_update(&h, n, (size_t)len);
	sha256_final(&h, hex);
}

int
report_fingerprints(const struct findings *f, char (*hex)[65])
{
	const struct finding **v;
	size_t i, nth = 0;

	if (f->n == 0)
		return 0;
	if (!(v = base_malloc(f->n * sizeof(*v))))
		return -1;
	for (i = 0; i < f->n; i++)
		v[i] = &f->v[i];
	/* The same rule and subject twice: numbered in report order. */
	qsort(v, f->n, sizeof(*v), cmp_finding);
	for (i = 0; i < f->n; i++) {
		nth = i && !strcmp(v[i]->rule->id, v[i - 1]->rule->id) &&
		      !strcmp(v[i]->subject, v[i - 1]->subject) ? nth + 1 : 0;
		report_fingerprint(v[i]->rule->id, v[i]->subject, nth,
				   hex[v[i] - f->v]);
	}
	free(v);
	return 0;
}

/* ------------------------------------------------------------ Code Quality */

/*
 * GitLab ranks blocker, critical, major, minor, info. An error is a state
 * the skew policy or the support window rules out: critical; blocker is
 * left to the reader's own tools. A warning is major: it needs action
 * before or during the upgrade.
 */
static const char *
severity_of(enum severity s)
{
	return s == SEV_ERROR ? "critical" : s == SEV_WARNING ? "major"
							       : "info";
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The path GitLab links: the artifact's uri (relative to --source-root)
 * with its percent-encoding undone; outside the root, the absolute path of
 * its file:// URI.
 */
static cJSON *
path_json(const struct report_input *in, const char *path)
{
	const struct report_artifact *a = report_artifact_of(in, path);
	const char *s = a ? a->uri : path ? path : "";
	struct buf b = BUF_INIT;
	int hi, lo;

	if (!strncmp(s, "file://", 7))
		s += 7;
	for (; *s; s++) {
		if (s[0] == '%' && (hi = hex_value(s[1])) >= 0 &&
		    (lo = hex_value(s[2])) >= 0) {
			buf_addc(&b, (char)(hi * 16 + lo));
			s += 2;
		} else {
			buf_addc(&b, *s);
		}
	}
	return report_jtake(&b);
}

/* The first snapshot input: where a finding without evidence points. */
static const char *
first_snapshot(const struct report_input *in)
{
	size_t i;

	for (i = 0; i < in->nartifacts; i++)
		if (in->artifacts[i].snapshot)
			return in->artifacts[i].path;
	return NULL;
}

/* A description as GitLab shows it: the message, control bytes visible. */
static cJSON *
description(const struct finding *f)
{
	struct buf b = BUF_INIT;

	esc_display(&b, f->message, strlen(f->message));
	return report_jtake(&b);
}

static cJSON *
issue_json(const struct report_input *in, const struct finding *f,
	   const char *fingerprint)
{
	struct src_loc loc = {first_snapshot(in), 1, 1};
	cJSON *o, *where, *lines;
	bool ok;

	if (f->nevidence)
		loc = f->evidence[0];
	o = cJSON_CreateObject();
	ok = report_jadd(o, "description", description(f)) &&
	     report_jadd(o, "check_name", report_jstr(f->rule->id)) &&
	     report_jadd(o, "fingerprint", cJSON_CreateString(fingerprint)) &&
	     report_jadd(o, "severity",
			 cJSON_CreateString(severity_of(f->severity))) &&
	     report_jadd(o, "location", where = cJSON_CreateObject()) &&
	     report_jadd(where, "path", path_json(in, loc.path)) &&
	     report_jadd(where, "lines", lines = cJSON_CreateObject()) &&
	     report_jadd(lines, "begin",
			 cJSON_CreateNumber(loc.line ? loc.line : 1));
	return report_jdone(o, ok);
}

/*
 * Streamed an issue at a time, like the JSON and SARIF writers. Waived
 * findings are left out: GitLab has no notion of a suppressed issue, and
 * showing one in a merge request is what the waiver is there to stop.
 */
int
report_codeclimate(struct buf *out, const struct report_input *in)
{
	const struct findings *f = in->findings;
	char (*hex)[65] = NULL;
	size_t i, n = 0;
	bool ok = true;

	if (f->n && (!(hex = base_malloc(f->n * sizeof(*hex))) ||
		     report_fingerprints(f, hex) < 0)) {
		free(hex);
		return -1;
	}
	buf_addc(out, '[');
	for (i = 0; ok && i < f->n; i++) {
		if (f->v[i].suppressed)
			continue;
		if (n++)
			buf_adds(out, ", ");
		ok = report_jput(out, issue_json(in, &f->v[i], hex[i]), 0) ==
			     0 &&
		     buf_flush(out) == 0;
	}
	buf_adds(out, "]\n");
	free(hex);
	return ok && !out->oom ? 0 : -1;
}
