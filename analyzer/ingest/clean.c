/*
 * clean.c - what real pastes carry around the output: CRLF, a BOM, ANSI
 * colours, HTML tags, Markdown fences and inline code, shell prompts, the
 * command line itself, WARNING and klog lines. Text parsers read cleaned
 * lines; libyaml reads the file through yaml_src, which blanks noise lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A prompt: "$ ", "user@host:~$ ", "[root@cp-1 ~]# ", "PS C:\> ". */
static struct re prompt_re = {
	.pattern = "^\\s*(?:\\([^)]{1,64}\\)\\s*)?"
		   "(?:[\\w.-]+@[\\w.-]+(?::[~/][^\\s$#]*|:|\\s+[~/][^\\s$#]*|\\s+[\\w.-]+)?\\s*[$#%]"
		   "|\\[[^\\]]{1,128}\\]\\s*[$#%]"
		   "|PS [^>]{1,128}>"
		   "|[$%>])(?:\\s+|$)(.*)$"};
/* A "# " prompt, only when a known command follows. */
static struct re hash_prompt_re = {.pattern = "^\\s*#\\s+(.*)$"};
/*
 * The command itself, with or without a prompt before it. Without a
 * prompt, a leading word is not enough: "docker-worker-1", "ssh-gw",
 * "echo-server:1.0" and a pod named "cat" are data. kubectl, kubeadm and
 * the package tools need a subcommand; the other tools need a whole line
 * of their usual shape (options, quoted arguments, paths, a pipe).
 * Every repetition is possessive, so no line can make this backtrack.
 */
static struct re command_re = {
	.pattern =
		"(?(DEFINE)"
		"(?<opt>-[^\\s|;&<>]++)"
		"(?<q>'[^']*+'|\"[^\"]*+\")"
		"(?<path>[/~.$][^\\s|;&<>]*+"
		"|[^\\s|;&<>:/]*+/[^\\s|;&<>:]*+"
		"|[^\\s|;&<>*]*+\\*[^\\s|;&<>]*+"
		"|[\\w.-]*?\\.(?:txt|ya?ml|json|list|repo|conf|log|out))"
		"(?<arg>\\s++(?:(?&opt)|(?&q)|(?&path)))"
		"(?<tail>\\s*+(?:[|;&>].*+)?$)"
		"(?<tool>(?:sudo\\s++)?(?:kubectl|k|oc|kubeadm|kubelet|crictl|"
		"docker|apt-cache|apt|yum|dnf|rpm|dpkg|cat|grep)(?:\\s|$))"
		")"
		"^(?:sudo\\s++(?:-\\S++\\s++)*+)?"
		"(?:(?:\\.{1,2}|~)?/(?:[^\\s/]++/)*+)?"
		"(?:(?:kubectl|k|oc|microk8s[. ]kubectl|k3s kubectl)(?:\\.exe)?\\s++"
		"(?:version|get|describe|config|drain|cordon|uncordon|top|"
		"cluster-info|api-resources|-n\\b|--namespace|-A\\b|"
		"--all-namespaces|--context|--kubeconfig|-o\\b)"
		"|kubeadm\\s++(?:version|config|upgrade|-v)"
		"|(?:apt-cache|apt|apt-get)\\s++(?:madison|policy|list|show)"
		"|(?:yum|dnf)\\s++(?:-\\S++\\s++)*+(?:list|info|--showduplicates)"
		"|(?:docker|podman|nerdctl)\\s++(?:images|image|ps|inspect|pull|"
		"version|info|exec|run|container|logs)(?:\\s|$)"
		"|crictl\\s++(?:images|img|ps|pods|inspect|inspecti|inspectp|"
		"version|info|exec|logs|pull)(?:\\s|$)"
		"|(?:cat|ls)(?&arg)*+(?&tail)"
		"|(?:yq|jq)(?:(?&arg)|\\s++(?:e|eval|eval-all|ea)(?=\\s))++(?&tail)"
		"|e?grep(?:\\s++(?&opt))*+\\s++(?:(?&q)|(?![\\w./-]*+:\\w)[^\\s|;&<>]++)"
		"(?&arg)*+(?&tail)"
		"|ssh\\s.*?\\s(?:'|\"|(?&tool))"
		"|watch(?:\\s++-[^\\s|;&<>]++(?:\\s++[0-9.]++)?+)*+\\s++(?:(?&q)|(?&tool))"
		"|for\\s++\\w++\\s++in(?:\\s|$)"
		"|echo(?:$|\\s++(?:(?&q)|\\$|-[neE]++\\s|[-=#*]{3}))"
		")"};
static struct re warning_re = {
	.pattern = "^\\s*(?:WARNING:|Warning:|warning:|"
		   "[WEIF]\\d{4} \\d\\d:\\d\\d:\\d\\d|"
		   "Flag --\\S+ has been deprecated|"
		   "The connection to the server .* was refused|"
		   "Unable to connect to the server|error: |Error from server|"
		   "Last metadata expiration check|"
		   "\\S.*\\s[0-9.]+\\s*[kMG]?B/s\\s+\\||"
		   "\\[[a-z][\\w/-]*\\] )"};
/*
 * What a person puts in a paste where they left lines out: "...", "…",
 * "[...]", "(...)", "<snip>", "[snipped]", "--- snip ---", a row of dots,
 * "... 40 more lines". Never a value kubectl prints on a line of its own.
 */
static struct re elision_re = {
	.pattern = "^\\s*+(?:"
		   "(?:(?:\\.|\u2026)\\s*+){3,}+(?:\\(?\\d++ more \\w++\\)?+)?+"
		   "|\u2026(?:\\s*+\u2026)*+"
		   "|[\\[(<]\\s*+(?:\\.{3}|\u2026|/?snip(?:ped)?+/?)\\s*+[\\])>]"
		   "|-++\\s*+snip(?:ped)?+\\s*+-++"
		   "|\\d++ more (?:lines|rows|nodes|pods|images|packages)"
		   "(?: \\w++)?+"
		   ")\\s*+$",
	.flags = 0x00000008u /* PCRE2_CASELESS; bytes, not UTF */};
/*
 * A note a person added after a value: "v1.27.3   # the new one",
 * "node-1 ... <---- this one". Both need white space before them.
 */
static struct re note_re = {
	.pattern = "\\S\\s++(?:#|<-{2,}+|<={2,}+|\u2190)"};
static struct re html_tag_re = {
	.pattern = "^</?(?:pre|code|b|strong|i|em|tt|p|span|kbd|samp|div)"
		   "(?:\\s[^>]*)?>|^<br\\s*/?>",
	.flags = 0x00000008u /* PCRE2_CASELESS */};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool
colmap_push(struct colmap *cm, uint32_t col)
{
	uint32_t *p = vec_push(cm);

	if (!p)
		return false;
	*p = col;
	return true;
}

/* Length of an ANSI escape sequence at s[0] == ESC. */
static size_t
ansi_len(const char *s, size_t len)
{
	size_t i;

	if (len < 2)
		return 1;
	if (s[1] == '[') {
		for (i = 2; i < len; i++)
			if ((unsigned char)s[i] >= 0x40 &&
			    (unsigned char)s[i] <= 0x7e)
				return i + 1;
		return len;
	}
	if (s[1] == ']') {
		for (i = 2; i < len; i++) {
			if (s[i] == '\a')
				return i + 1;
			if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\')
				return i + 2;
		}
		return len;
	}
	return 2;
}

static const struct {
	const char *ent;
	char c;
} entities[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'},
		{"&quot;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '}};

/* Copies raw into clean, dropping CR, BOM, ANSI and HTML markup. */
static void
strip_markup(struct buf *clean, struct colmap *cm, const char *raw,
	     size_t len, bool first_line)
{
	size_t i = 0, k;
	struct re_match m;

	if (first_line && len >= 3 && !memcmp(raw, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len) {
		char c = raw[i];

		if (c == '\r') {
			i++;
			continue;
		}
		if (c == 0x1b) {
			i += ansi_len(raw + i, len - i);
			continue;
		}
		if (c == '<' && re_match(&html_tag_re, raw + i,
					 len - i > 64 ? 64 : len - i, &m)) {
			i += m.end[0];
			continue;
		}
		if (c == '&') {
			for (k = 0; k < ARRAY_SIZE(entities); k++) {
				size_t n = strlen(entities[k].ent);

				if (len - i >= n &&
				    !memcmp(raw + i, entities[k].ent, n))
					break;
			}
			if (k < ARRAY_SIZE(entities)) {
				buf_addc(clean, entities[k].c);
				colmap_push(cm, (uint32_t)i + 1);
				i += strlen(entities[k].ent);
				continue;
			}
		}
		buf_addc(clean, c);
		colmap_push(cm, (uint32_t)i + 1);
		i++;
	}
}

static bool
is_command(const char *s, size_t len)
{
	return re_match(&command_re, s, len, NULL);
}

void
clean_line(struct buf *clean, struct colmap *cm, const char *raw, size_t len,
	   bool first_line, struct text_line *out)
{
	const char *s;
	size_t n, lead;
	struct re_match m;

	buf_reset(clean);
	cm->n = 0;
	strip_markup(clean, cm, raw, len, first_line);
	s = buf_cstr(clean);
	n = clean->oom ? 0 : clean->len;
	out->noise = NOISE_NONE;
	out->command = NULL;
	out->command_len = 0;

	while (n && is_space(s[n - 1]))
		n--;
	for (lead = 0; lead < n && is_space(s[lead]); lead++)
		;
	/* A Markdown fence, alone or with a prompt pasted after it. */
	if (n - lead >= 3 && (!memcmp(s + lead, "```", 3) ||
			      !memcmp(s + lead, "~~~", 3))) {
		size_t j = lead + 3;

		while (j < n && (s[j] == '`' || s[j] == '~'))
			j++;
		if (j == n || (s[j] != ' ' && !memchr(s + j, ' ', n - j) &&
			       !memchr(s + j, '$', n - j))) {
			out->noise = NOISE_FENCE;
			goto done;
		}
		s += j;
		n -= j;
		lead = 0;
	}
	/* A closing fence glued to the end of the text. */
	if (n - lead >= 3 && !memcmp(s + n - 3, "```", 3))
		for (n -= 3; n > lead && is_space(s[n - 1]); n--)
			;
	/* Inline code: `Server Version: ...` */
	if (n - lead >= 1 && s[lead] == '`') {
		s += lead + 1;
		n -= lead + 1;
		lead = 0;
		if (n > 0 && s[n - 1] == '`')
			n--;
	} else if (n > lead && s[n - 1] == '`' && !memchr(s + lead, '`', n - lead - 1)) {
		n--;
	}
	if (lead == n) {
		out->noise = NOISE_BLANK;
		goto done;
	}
	if (re_match(&prompt_re, s + lead, n - lead, &m)) {
		out->noise = NOISE_PROMPT;
		out->command = s + lead + m.start[1];
		out->command_len = m.end[1] - m.start[1];
		goto done;
	}
	if (re_match(&hash_prompt_re, s + lead, n - lead, &m) &&
	    is_command(s + lead + m.start[1], m.end[1] - m.start[1])) {
		out->noise = NOISE_PROMPT;
		out->command = s + lead + m.start[1];
		out->command_len = m.end[1] - m.start[1];
		goto done;
	}
	if (lead == 0 && is_command(s, n) &&
	    !(n > 16 && !memcmp(s, "kubeadm version:", 16))) {
		out->noise = NOISE_PROMPT;
		out->command = s;
		out->command_len = n;
		goto done;
	}
	if (re_match(&warning_re, s, n, NULL)) {
		out->noise = NOISE_WARNING;
		goto done;
	}
	if (s[lead] == '#') {
		out->noise = NOISE_COMMENT;
		goto done;
	}
	if (re_match(&elision_re, s + lead, n - lead, NULL)) {
		out->noise = NOISE_ELISION;
		goto done;
	}
	/* The note goes; the value before it stays. */
	if (re_match(&note_re, s + lead, n - lead, &m))
		for (n = lead + m.start[0] + 1; n > lead && is_space(s[n - 1]);
		     n--)
			;
done:
	/* A shell comment after a command is no part of it. */
	if (out->noise == NOISE_PROMPT &&
	    re_match(&note_re, out->command, out->command_len, &m))
		out->command_len = m.start[0] + 1;
	out->s = s;
	out->len = n;
}

#define TEXT_CHUNK (64u << 10)

int
text_reader_open_stream(struct text_reader *r, struct stream *st, bool again,
			struct diag *d)
{
	memset(r, 0, sizeof(*r));
	r->st = st;
	r->path = st->path;
	r->diag = d;
	r->re_hits = re_limit_hits();
	r->lineno = st->line_base;
	if (stream_rewind(st, again) < 0)
		return -1;
	r->chunk = base_malloc(TEXT_CHUNK);
	if (!r->chunk)
		return diag_error(d, (struct src_loc){r->path, 0, 0},
				  "out of memory");
	return 0;
}

int
text_reader_open(struct text_reader *r, const char *path, struct diag *d)
{
	struct stream own;

	if (stream_open(&own, path, d) < 0)
		return -1;
	if (text_reader_open_stream(r, &own, false, d) < 0) {
		stream_close(&own);
		return -1;
	}
	r->own = own;
	r->st = &r->own;
	return 0;
}

void
text_reader_close(struct text_reader *r)
{
	if (r->st == &r->own)
		stream_close(&r->own);
	r->st = NULL;
	free(r->chunk);
	r->chunk = NULL;
	buf_release(&r->raw);
	buf_release(&r->clean);
	vec_release(&r->colmap);
}

int
text_reader_check_limits(struct text_reader *r)
{
	if (re_limit_hits() == r->re_hits)
		return 0;
	r->re_hits = re_limit_hits();
	return diag_error(r->diag, (struct src_loc){r->path, r->lineno, 0},
			  "line too complex to match: a pattern hit its %s "
			  "on %zu bytes", re_limit_reason(), r->raw.len);
}

/* Refills the chunk; false at the end of the input or of r->limit. */
static bool
refill(struct text_reader *r)
{
	size_t want = TEXT_CHUNK;

	if (r->limit) {
		if (r->consumed >= r->limit)
			return false;
		if (want > r->limit - r->consumed)
			want = r->limit - r->consumed;
	}
	r->boff = 0;
	r->word_known = false;
	r->blen = stream_read(r->st, r->chunk, want);
	r->consumed += r->blen;
	return r->blen > 0;
}

static bool
skip_has_shape(const struct text_skip *k, const char *s, size_t len)
{
	if (len && s[len - 1] == '\r')
		len--;
	return len >= 2 && s[0] == k->open && s[len - 1] == k->close;
}

/*
 * Passes over the whole lines at chunk[boff..) that r->skip skips. A line
 * that ends before the next hit of the word cannot contain it, so only its
 * first and last byte are looked at; the search itself runs once per
 * chunk and hit. The line with the hit, one cut by the end of the chunk
 * and one of another shape are left to the caller, which reads them whole.
 */
static void
skip_lines(struct text_reader *r)
{
	const struct text_skip *k = &r->skip;
	const char *p = r->chunk + r->boff, *stop, *nl, *hit;
	uint32_t lines = 0;

	if (!r->word_known || r->word_at < r->boff) {
		hit = buf_find(p, r->blen - r->boff, k->word, k->word_len);
		r->word_at = hit ? (size_t)(hit - r->chunk) : r->blen;
		r->word_known = true;
	}
	stop = r->chunk + r->word_at;
	while ((nl = memchr(p, '\n', (size_t)(stop - p))) != NULL &&
	       skip_has_shape(k, p, (size_t)(nl - p))) {
		lines++;
		p = nl + 1;
	}
	r->boff = (size_t)(p - r->chunk);
	r->lineno += lines;
	r->skipped += lines;
}

/* The same test for a line read whole (cut by a chunk end, or a hit). */
static bool
skip_line(const struct text_reader *r, const char *s, size_t len)
{
	const struct text_skip *k = &r->skip;

	return k->word && skip_has_shape(k, s, len) &&
	       !buf_find(s, len, k->word, k->word_len);
}

int
text_reader_next(struct text_reader *r, struct text_line *out)
{
	struct src_loc loc;
	enum text_want want;
	char *nul;

	if (text_reader_check_limits(r) < 0)
		return -1;
	if (r->eof || !r->st)
		return 0;
again:
	buf_reset(&r->raw);
	for (;;) {
		const char *p, *nl;
		size_t take;

		if (r->boff == r->blen && !refill(r)) {
			if (r->st->error)
				return diag_error(r->diag,
						  (struct src_loc){r->path, 0, 0},
						  "read error: %s",
						  strerror(r->st->error));
			break;
		}
		/* A whole line the parser does not want is never copied. */
		if (r->skip.word && r->raw.len == 0) {
			skip_lines(r);
			if (r->boff == r->blen)
				continue;
		}
		p = r->chunk + r->boff;
		nl = memchr(p, '\n', r->blen - r->boff);
		take = nl ? (size_t)(nl - p) + 1 : r->blen - r->boff;
		buf_add(&r->raw, p, take);
		r->boff += take;
		if (r->raw.len > LIMIT_LINE_LEN) {
			loc = (struct src_loc){r->path, r->lineno + 1, 0};
			return diag_error(r->diag, loc,
					  "line longer than %u bytes",
					  LIMIT_LINE_LEN);
		}
		if (nl)
			break;
	}
	if (r->raw.oom)
		return diag_error(r->diag, (struct src_loc){r->path, 0, 0},
				  "out of memory");
	if (r->raw.len == 0) {
		r->eof = true;
		return 0;
	}
	if (r->raw.s[r->raw.len - 1] == '\n')
		r->raw.len--;
	else
		r->eof = true;
	if ((nul = memchr(r->raw.s, '\0', r->raw.len)) != NULL) {
		loc = (struct src_loc){r->path, r->lineno + 1,
				       (uint32_t)(nul - r->raw.s) + 1};
		return diag_error(r->diag, loc,
				  "binary data (NUL byte) in a text capture");
	}
	r->lineno++;
	if (skip_line(r, r->raw.s, r->raw.len)) {
		r->skipped++;
		if (r->eof)
			return 0;
		goto again;
	}
	want = r->want_line ? r->want_line(r->want_ctx, r->raw.s, r->raw.len)
			    : TEXT_CLEAN;
	if (r->warn_utf8 && !utf8_is_valid(r->raw.s, r->raw.len)) {
		size_t off = utf8_invalid_at(r->raw.s, r->raw.len);

		loc = (struct src_loc){r->path, r->lineno, (uint32_t)off + 1};
		diag_warning(r->diag, loc, "invalid UTF-8 (byte 0x%02x), the "
			     "first in this file; reports show it as \\x%02x, "
			     "JSON strings as U+FFFD",
			     (unsigned char)r->raw.s[off],
			     (unsigned char)r->raw.s[off]);
		r->warn_utf8 = false;
	}
	if (want == TEXT_RAW) {
		/* Columns are offsets + 1: colmap stays empty. */
		buf_reset(&r->clean);
		buf_add(&r->clean, r->raw.s, r->raw.len);
		r->colmap.n = 0;
		memset(out, 0, sizeof(*out));
		out->s = buf_cstr(&r->clean);
		out->len = r->clean.len;
		out->noise = NOISE_NONE;
		if (r->clean.oom)
			return diag_error(r->diag,
					  (struct src_loc){r->path, 0, 0},
					  "out of memory");
		out->lineno = r->lineno;
		return 1;
	}
	clean_line(&r->clean, &r->colmap, r->raw.s, r->raw.len,
		   r->lineno == 1, out);
	if (r->clean.oom || r->colmap.n < r->clean.len)
		return diag_error(r->diag, (struct src_loc){r->path, 0, 0},
				  "out of memory");
	out->lineno = r->lineno;
	if (out->noise == NOISE_ELISION && r->recover &&
	    recover_elision(r->recover, text_loc(r, out, 0), out->s,
			    out->len) < 0)
		return -1;
	return 1;
}

void
text_join_add(struct text_join *j, const struct text_reader *r,
	      const struct text_line *l, bool glue)
{
	size_t lead = 0;
	struct src_loc loc;

	if (j->nseg == JOIN_MAX_LINES)
		return;
	while (lead < l->len && is_space(l->s[lead]))
		lead++;
	if (j->nseg && !glue)
		buf_addc(&j->text, ' ');
	loc = text_loc(r, l, lead);
	j->seg[j->nseg].off = j->text.len;
	j->seg[j->nseg].line = loc.line;
	j->seg[j->nseg].col = loc.col;
	j->nseg++;
	buf_add(&j->text, l->s + lead, l->len - lead);
}

struct src_loc
text_loc(const struct text_reader *r, const struct text_line *l, size_t off)
{
	struct src_loc loc = {r->path, l->lineno, 1};
	size_t base, k, i;

	if (r->join && l->s == r->join->text.s) {
		const struct text_join *j = r->join;

		for (k = 0, i = 1; i < j->nseg; i++)
			if (j->seg[i].off <= off)
				k = i;
		loc.line = j->seg[k].line;
		loc.col = j->seg[k].col + (uint32_t)(off - j->seg[k].off);
		return loc;
	}
	base = r->clean.s ? (size_t)(l->s - r->clean.s) : 0;

	if (base + off < r->colmap.n)
		loc.col = r->colmap.v[base + off];
	else if (r->colmap.n)
		loc.col = r->colmap.v[r->colmap.n - 1] + 1 +
			  (uint32_t)(base + off - r->colmap.n);
	else
		loc.col = (uint32_t)off + 1;
	return loc;
}

/* ------------------------------------------------------------ yaml_src */

#define YAML_SRC_BUFSZ (256u << 10)

bool
yaml_line_is_noise(const char *s, size_t len)
{
	if (len >= 3 && (!memcmp(s, "```", 3) || !memcmp(s, "~~~", 3)))
		return true;
	if (len >= 5 && (!memcmp(s, "<pre>", 5) || !memcmp(s, "</pre>", 5)))
		return true;
	if (len > 256)
		len = 256;
	return re_match(&prompt_re, s, len, NULL) ||
	       re_match(&warning_re, s, len, NULL) || is_command(s, len);
}

int
yaml_src_open_stream(struct yaml_src *ys, struct stream *st, struct diag *d)
{
	memset(ys, 0, sizeof(*ys));
	ys->st = st;
	if (stream_rewind(st, false) < 0)
		return -1;
	ys->buf = base_malloc(YAML_SRC_BUFSZ);
	if (!ys->buf)
		return diag_error(d, (struct src_loc){st->path, 0, 0},
				  "out of memory");
	ys->at_line_start = true;
	ys->lineno = st->line_base;
	return 0;
}

int
yaml_src_open(struct yaml_src *ys, const char *path, struct diag *d)
{
	struct stream own;

	if (stream_open(&own, path, d) < 0)
		return -1;
	if (yaml_src_open_stream(ys, &own, d) < 0) {
		stream_close(&own);
		return -1;
	}
	ys->own = own;
	ys->st = &ys->own;
	return 0;
}

void
yaml_src_close(struct yaml_src *ys)
{
	if (ys->st == &ys->own)
		stream_close(&ys->own);
	free(ys->buf);
	memset(ys, 0, sizeof(*ys));
}

/*
 * What a person put in a YAML or JSON paste (issue 10): an elision on a
 * line of its own ("...", "…", "[...]", "{...}", "<snip>", "... 12 more
 * lines", a trailing comma allowed), which is blanked and reported as a
 * skipped record (content was left out there), and a note after a value
 * ("image: nginx:1.25   <---- this one"), which is cut as in the text
 * captures. A "#" note is a YAML comment already. A "..." in column 0 is
 * YAML's document end marker and is left to YAML. Only lines whose first
 * character can start either are looked at.
 */
static void
filter_person(struct yaml_src *ys, char *s, size_t len)
{
	static struct re brace_elision_re = {
		.pattern = "^\\{\\s*+(?:\\.{3}|\u2026)\\s*+\\}$"};
	struct re_match m;
	size_t lead = 0, n = len, i, dq, sq;
	unsigned char c;

	while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
		lead++;
	while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			    s[n - 1] == '\r'))
		n--;
	if (lead == n)
		return;
	c = (unsigned char)s[lead];
	if ((c == '.' || c == 0xe2 || c == '[' || c == '(' || c == '<' ||
	     c == '{' || (c == '-' && lead + 1 < n && s[lead + 1] == '-') ||
	     (c >= '0' && c <= '9')) &&
	    !(lead == 0 && n == 3 && !memcmp(s, "...", 3))) {
		size_t e = n > lead + 1 && s[n - 1] == ',' ? n - 1 : n;

		if (re_match(&elision_re, s + lead, e - lead, NULL) ||
		    re_match(&brace_elision_re, s + lead, e - lead, NULL)) {
			if (ys->recover)
				recover_elision(
				    ys->recover,
				    (struct src_loc){ys->st->path, ys->lineno,
						     (uint32_t)lead + 1},
				    s + lead, n - lead);
			memset(s, ' ', n);
			return;
		}
	}
	if (!memchr(s + lead, '<', n - lead) &&
	    !memchr(s + lead, 0xe2, n - lead))
		return;
	if (!re_match(&note_re, s + lead, n - lead, &m) ||
	    s[lead + m.end[0] - 1] == '#')
		return;
	/* Inside a quoted string it is part of the value. */
	for (i = lead, dq = sq = 0; i < lead + m.start[0] + 1; i++)
		dq += s[i] == '"', sq += s[i] == '\'';
	if (dq % 2 || sq % 2)
		return;
	for (i = lead + m.start[0] + 1; i < n; i++)
		s[i] = ' ';
}

/*
 * Blanks a noise line in place: spaces keep every later line and column
 * where it was, and a line of spaces is empty to YAML and JSON alike.
 * Only lines that start in column 0 with a character no YAML or JSON line
 * of kubectl's starts with are looked at, so this costs nearly nothing.
 */
static void
filter_line(struct yaml_src *ys, char *s, size_t len)
{
	unsigned char c;

	if (len == 0)
		return;
	filter_person(ys, s, len);
	c = (unsigned char)s[0];
	if (c == ' ' || c == '\t' || c == '-' || c == '{' || c == '}' ||
	    c == '[' || c == ']' || c == '"' || c == '\r' || c == '\'')
		return;
	/* helm template's comment before every document: no prompt. */
	if (len >= 10 && !memcmp(s, "# Source: ", 10))
		return;
	/* A top-level "key: value" or "key:" of a kubectl document. */
	if (c >= 'a' && c <= 'z') {
		size_t i = 1;

		while (i < len && ((s[i] >= 'a' && s[i] <= 'z') ||
				   (s[i] >= 'A' && s[i] <= 'Z') ||
				   (s[i] >= '0' && s[i] <= '9')))
			i++;
		if (i < len && s[i] == ':' &&
		    (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\r'))
			return;
	}
	if (yaml_line_is_noise(s, len)) {
		if (s[len - 1] == '\r')
			len--;
		memset(s, ' ', len);
	}
}

int
yaml_src_read(void *data, unsigned char *out, size_t size, size_t *size_read)
{
	struct yaml_src *ys = data;
	size_t n;

	if (ys->off == ys->end) {
		memmove(ys->buf, ys->buf + ys->end, ys->len - ys->end);
		ys->len -= ys->end;
		ys->off = ys->end = 0;
		for (;;) {
			size_t p = 0;

			if (!ys->eof && ys->len < YAML_SRC_BUFSZ) {
				n = stream_read(ys->st, ys->buf + ys->len,
						YAML_SRC_BUFSZ - ys->len);
				if (n == 0 && ys->st->error)
					return 0;
				if (n == 0)
					ys->eof = true;
				ys->len += n;
			}
			/* Filter whole lines; keep a partial last line. */
			while (p < ys->len) {
				char *nl = memchr(ys->buf + p, '\n', ys->len - p);
				size_t e = nl ? (size_t)(nl - ys->buf) : ys->len;

				if (!nl && !ys->eof && ys->len < YAML_SRC_BUFSZ)
					break;
				if (ys->at_line_start) {
					ys->lineno++;
					filter_line(ys, ys->buf + p, e - p);
				}
				ys->at_line_start = nl != NULL;
				p = nl ? e + 1 : e;
			}
			ys->end = p;
			if (p > 0)
				break;
			if (ys->eof) {
				*size_read = 0;
				return 1;
			}
		}
	}
	n = ys->end - ys->off;
	if (n > size)
		n = size;
	memcpy(out, ys->buf + ys->off, n);
	ys->off += n;
	*size_read = n;
	return 1;
}
