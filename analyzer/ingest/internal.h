/*
 * internal.h - private to ingest/: the cleaned-line reader shared by the
 * text parsers, the noise-filtering byte source for libyaml, the sniffer
 * and one entry point per capture kind.
 */
#ifndef SKEWPLAN_INGEST_INTERNAL_H
#define SKEWPLAN_INGEST_INTERNAL_H

#include "ingest.h"

struct ingest_ctx;

/* ------------------------------------------------------------ stream.c */

/* The display name of standard input ("-") in diagnostics. */
#define STREAM_STDIN_NAME "<stdin>"
/* A pipe is replayed from memory: at most this much of it. */
#define STREAM_RECORD_MAX LIMIT_SMALL_FILE

/*
 * One input, opened once: a file, a pipe, a FIFO or standard input. What
 * the sniffer reads is recorded (unless the file can simply be rewound),
 * so the parser starts again at byte 0 and then goes on from the stream.
 */
struct stream {
	FILE *fp;		/* owned, or stdin (not closed) */
	const char *path;	/* borrowed: the name shown in diagnostics */
	struct diag *diag;	/* borrowed */
	struct buf head;	/* recorded bytes from offset 0 */
	size_t head_off;	/* next byte of head to replay */
	int error;		/* errno of a failed read, or 0 */
	/*
	 * Lines of the file before byte 0: a part of a file read as its own
	 * input (a session's segment) keeps the file's line numbers.
	 */
	uint32_t line_base;
	bool seekable;		/* a regular file: rewound with fseek */
	bool recording;		/* bytes read from fp are added to head */
	bool complete;		/* head holds every byte read so far */
	bool is_stdin;
	bool eof;
};

/* Opens path ("-" is standard input). Returns 0 or -1 after a diagnostic. */
int stream_open(struct stream *st, const char *path, struct diag *d);
/*
 * Goes back to byte 0. again: the caller will rewind once more, so a pipe
 * keeps recording (up to STREAM_RECORD_MAX, else the next rewind fails).
 */
int stream_rewind(struct stream *st, bool again);
/* Reads up to n bytes; 0 at end of input or on error (st->error). */
size_t stream_read(struct stream *st, char *out, size_t n);
/* Reads the rest whole into *out (owned, NUL-terminated), up to limit. */
int stream_read_all(struct stream *st, size_t limit, char **out,
		    size_t *len);
void stream_close(struct stream *st);
/*
 * An input held in memory: text (taken, left empty) is what it reads, and
 * its first line is line line_base + 1 of path.
 */
void stream_open_mem(struct stream *st, const char *path, uint32_t line_base,
		     struct buf *text, struct diag *d);
/* From now on st reads text (taken), from byte 0: a pipe read whole. */
void stream_hold(struct stream *st, struct buf *text);

/* ------------------------------------------------------------ clean.c */

/* Why a line is not content. */
enum noise {
	NOISE_NONE,
	NOISE_BLANK,	/* empty after cleaning */
	NOISE_PROMPT,	/* "$ kubectl get no", "root@cp-1:~# ...", bare "kubectl version" */
	NOISE_FENCE,	/* ``` or ~~~ (with a language), <pre>, </pre> */
	NOISE_WARNING,	/* WARNING:/Warning:/klog W0110.../Flag --short ... */
	NOISE_COMMENT,	/* a line that is only a "# comment" */
	NOISE_ELISION,	/* "...", "…", "[...]", "<snip>", a row of dots */
};

/*
 * One cleaned line: CR/LF, a leading BOM, ANSI escapes, known HTML tags
 * (<b>, <pre>, <code>...), an inline-code backtick pair around the whole
 * line, a fence or prompt before the text, and trailing white space are
 * removed. Tabs are kept (parsers treat them as white space).
 */
struct text_line {
	const char *s;		/* borrowed: until the next text_reader_next */
	size_t len;
	uint32_t lineno;	/* 1-based */
	enum noise noise;
	const char *command;	/* borrowed: the command of a prompt line */
	size_t command_len;
};

/*
 * Lines a terminal or an editor wrapped, joined into one record: where
 * each line's text starts in the joined text, and at which line and
 * column of the file.
 */
#define JOIN_MAX_LINES 8
struct text_join {
	struct buf text;	/* the lines joined */
	size_t nseg;
	struct {
		size_t off;	/* in text */
		uint32_t line, col;
	} seg[JOIN_MAX_LINES];
};

/*
 * Adds line l (from r, before its next line is read) to j: its text from
 * its first non-blank, after a space unless glue. At most JOIN_MAX_LINES.
 */
struct text_reader;
struct text_line;
void text_join_add(struct text_join *j, const struct text_reader *r,
		   const struct text_line *l, bool glue);

/* Maps a cleaned line's offsets back to raw 1-based columns. */
struct colmap {
	uint32_t *v;	/* owned */
	size_t n, cap;
};

enum text_want { TEXT_CLEAN, TEXT_RAW };

/*
 * Lines a parser passes over unread (not copied, cleaned or checked): those
 * that begin with open, end with close (before an optional '\r') and do
 * not contain word. A 1 GB audit log is mostly such lines: the reader
 * searches each read (64 KB) for the word at once, and before its next
 * hit only finds the newlines and looks at the bytes around them, which
 * keeps it near the speed of a bare line read.
 */
struct text_skip {
	char open, close;
	const char *word;	/* borrowed: static; NULL: skip nothing */
	size_t word_len;
};

struct text_reader {
	struct stream *st;	/* borrowed, or &own */
	struct stream own;	/* for text_reader_open(path) */
	char *chunk;		/* owned: bytes read, not yet split in lines */
	size_t blen, boff;	/* chunk[boff..blen) not yet taken */
	size_t consumed;	/* bytes taken from the stream */
	size_t limit;		/* stop after this many bytes; 0: no limit */
	const char *path;	/* borrowed */
	struct diag *diag;	/* borrowed */
	struct buf raw;		/* the line as read */
	struct buf clean;	/* the cleaned line */
	struct colmap colmap;	/* clean offset -> raw 1-based column */
	uint32_t lineno;
	unsigned long re_hits;	/* re_limit_hits() when the last line began */
	bool eof;
	/*
	 * Set by a parser's main pass (not by sniffing or a pre-scan): warn
	 * at the first byte that is not UTF-8, once per file, since reports
	 * cannot show it as it is (\xNN, or U+FFFD in JSON strings).
	 */
	bool warn_utf8;
	/*
	 * Set with warn_utf8: an elision line ("...", "<snip>") is content
	 * the paste left out, a skipped record of this file (recover.c).
	 */
	struct ingest_ctx *recover;
	/* Set while a joined record is parsed: text_loc maps through it. */
	const struct text_join *join;
	/*
	 * Optional: called with each raw line (no newline) that skip did not
	 * pass over, before any other work on it. TEXT_RAW returns it as
	 * read, without looking for paste noise (prompts, markup: a parser
	 * knows its data line); TEXT_CLEAN as usual.
	 */
	enum text_want (*want_line)(void *ctx, const char *s, size_t len);
	void *want_ctx;
	struct text_skip skip;	/* optional: see struct text_skip */
	uint64_t skipped;	/* lines skip passed over */
	size_t word_at;		/* chunk offset of skip.word at or after boff */
	bool word_known;	/* word_at is valid for this chunk */
};

/* Reads st from byte 0 (see stream_rewind for again). */
int text_reader_open_stream(struct text_reader *r, struct stream *st,
			    bool again, struct diag *d);
/* Opens and reads path itself (tests). */
int text_reader_open(struct text_reader *r, const char *path,
		     struct diag *d);
/*
 * Returns 1 with *out filled, 0 at end of file, -1 after a diagnostic:
 * among them a pattern that hit its match limit on the previous line.
 */
int text_reader_next(struct text_reader *r, struct text_line *out);
void text_reader_close(struct text_reader *r);
/*
 * The line loop of the one-record-a-line captures (metrics, audit log,
 * node facts): hands every line of r that is not noise to line(ctx, l)
 * until the end, a read error (counted in *errors) or *errors reaching
 * max, line counting its own errors there. Returns -1 when any error was
 * counted, else 0. stream.c.
 */
int text_reader_each(struct text_reader *r, unsigned *errors, unsigned max,
		     void (*line)(void *ctx, const struct text_line *l),
		     void *ctx);
/*
 * Returns -1 after a diagnostic at the current line if a pattern hit a
 * PCRE2 limit since the line was read (text_reader_next checks this too).
 */
int text_reader_check_limits(struct text_reader *r);
/* Location of byte off of the current cleaned line. */
struct src_loc text_loc(const struct text_reader *r, const struct text_line *l,
			size_t off);

/* Classifies and cleans one line in place (exposed for sniff and tests). */
void clean_line(struct buf *clean, struct colmap *colmap, const char *raw,
		size_t len, bool first_line, struct text_line *out);

/*
 * A byte source for libyaml that replaces noise lines (prompts, fences,
 * WARNING lines, klog lines) with empty lines, so that line numbers stay
 * true and a 2>&1 capture still parses. Reads the file in large chunks.
 */
struct yaml_src {
	struct stream *st;	/* borrowed, or &own */
	struct stream own;	/* for yaml_src_open(path) */
	char *buf;		/* owned, BUFSZ bytes */
	size_t len;		/* bytes in buf */
	size_t off, end;	/* buf[off..end) filtered, not yet read */
	bool at_line_start;
	bool eof;
	uint32_t lineno;	/* of the last line filtered */
	/*
	 * Set by a parser: an elision line a person put in the document is
	 * a skipped record of this file (recover.c).
	 */
	struct ingest_ctx *recover;
};

int yaml_src_open_stream(struct yaml_src *ys, struct stream *st,
			 struct diag *d);
int yaml_src_open(struct yaml_src *ys, const char *path, struct diag *d);
int yaml_src_read(void *data, unsigned char *out, size_t size,
		  size_t *size_read);
void yaml_src_close(struct yaml_src *ys);
/* True if a line starting at column 0 is noise in a YAML/JSON document. */
bool yaml_line_is_noise(const char *s, size_t len);

/* ------------------------------------------------------------ sniff.c */

enum fmt {
	FMT_UNKNOWN,
	FMT_VERSION_TEXT,	/* legacy version.Info, short, >=1.28 default, kubeadm */
	FMT_VERSION_YAML,
	FMT_VERSION_JSON,
	FMT_NODES_TABLE,
	FMT_NODES_DOC,		/* Node/NodeList/List as YAML or JSON */
	FMT_IMAGES_TEXT,	/* lists, yq/jsonpath output, custom-columns */
	FMT_IMAGES_DOC,		/* Pod/PodList/DaemonSet/Deployment/List */
	FMT_PACKAGES_TEXT,	/* madison, apt-cache policy, yum/dnf list */
	FMT_METRICS_TEXT,	/* kubectl get --raw /metrics */
	FMT_AUDIT_JSONL,	/* kube-apiserver audit log lines */
	FMT_MANIFESTS_DOC,	/* any Kubernetes objects: YAML stream, List */
	FMT_DESCRIBE,		/* kubectl describe node/pod: nodes or images */
	FMT_KUBEADM_PLAN,	/* kubeadm upgrade plan: text, JSON or YAML */
	FMT_CONFIGZ_JSON,	/* kubectl get --raw .../proxy/configz */
	FMT_NODE_FACTS_TEXT,	/* "NODE key=value" lines (node_facts.c) */
};

struct sniff {
	enum input_kind kind;
	enum fmt fmt;
	bool json;		/* the document is JSON */
	bool kubeadm;		/* a capture of `kubeadm version` */
	char command[256];	/* the first prompt's command, or "" */
	uint32_t first_line;	/* first content line, for diagnostics */
};

/*
 * Reads the head of st (at most SNIFF_BYTES, SNIFF_LINES lines) and decides
 * kind and format. Returns 0 or -1. The parser then rewinds st.
 */
int sniff_stream(struct stream *st, struct diag *d, struct sniff *out);
/* The same for a file opened here (tests). */
int sniff_file(const char *path, struct diag *d, struct sniff *out);

/* ------------------------------------------------------------ ingest.c */

struct ingest_ctx {
	struct cluster_state *cs;	/* borrowed */
	struct diag *diag;		/* borrowed */
	struct arena *arena;		/* borrowed: cs->arena */
	const char *path;		/* arena */
	struct stream *in;		/* borrowed: the input, read once */
	const struct sniff *sniff;	/* borrowed */
	bool forced;			/* kind was forced with KIND=PATH */
	bool in_tree;			/* a file of a manifests=DIR tree */
	bool passed_over;		/* set by the parser: not a capture */
	const char *format;		/* set by the parser: static string */
	/* recover.c's state: indices into diag->held and cs->skipped. */
	size_t held0, rec_start, skipped0;
	size_t rec_nodes, rec_images;	/* counts when the record began */
	bool in_record;
};

/* Reads one opened input as one capture (ingest.c). */
int ingest_stream(struct cluster_state *cs, struct diag *d, struct stream *st,
		  enum input_kind forced, bool forced_kubeadm);
/*
 * Reads path as manifests found in a manifests=DIR tree: a YAML file with
 * no Kubernetes object (a chart's values.yaml) is passed over with a
 * warning instead of failing the run.
 */
int ingest_tree_file(struct cluster_state *cs, struct diag *d,
		     const char *path);

/* ------------------------------------------------------------ tree.c */

/*
 * manifests=DIR: every *.yaml, *.yml and *.json file under dir at any
 * depth, depth first with the entries of each directory in byte order.
 * Names starting with '.' (.git, .github) are passed over, and so is the
 * templates/ directory of a Helm chart (beside its Chart.yaml), which is
 * not YAML until rendered. A directory reached twice through symbolic
 * links is read once. Returns 0, or -1 if any file had an error.
 */
int ingest_tree(struct cluster_state *cs, struct diag *d, const char *dir);

/* ------------------------------------------------------------ session.c */

/*
 * A file of several commands and their outputs (a terminal session, a
 * Markdown document): each segment read as its own capture, earlier
 * outputs a later one supersedes and outputs of commands skewplan does
 * not read skipped. Returns 1 when st was such a file and was read, 0
 * when it is one capture (st is to be read as usual), -1 after an error.
 */
int session_ingest(struct cluster_state *cs, struct diag *d,
		   struct stream *st);

/* ------------------------------------------------------------ recover.c */

/* Skipped records one file may have before it fails. */
#define RECOVER_MAX_SKIPPED 10000u

/* Called by ingest.c around each file. failed: the file adds nothing. */
void recover_file_begin(struct ingest_ctx *c);
void recover_file_end(struct ingest_ctx *c, bool failed);
/*
 * Brackets one record: the diagnostics reported in between are held.
 * recover_end() returns rc when the record had no error (its warnings are
 * printed), 1 when it had one and was skipped (text[0..len), the record's
 * line, is kept for the reports), and -1 when it had one under --strict,
 * or out of memory: the messages are then printed as errors.
 */
void recover_begin(struct ingest_ctx *c);
int recover_end(struct ingest_ctx *c, int rc, const char *text, size_t len);
/*
 * Skips a fact found ambiguous after its record was read (a node listed
 * twice with different values): under --strict, an error at loc.
 * Returns 0, or -1 after a diagnostic.
 */
int recover_skip(struct ingest_ctx *c, struct src_loc loc, const char *text,
		 size_t len, const char *fmt, ...) PRINTF_LIKE(5, 6);
/*
 * Where a fact read before came from, seen from the capture being read:
 * this capture, an earlier output of the same session file (the later
 * one wins), or another file (the first one is kept, the second is an
 * input-conflict). Each capture borrows its own arena copy of its path,
 * so the pointer tells this capture from another output of its file.
 */
enum origin { ORIGIN_THIS, ORIGIN_SESSION, ORIGIN_OTHER };
enum origin recover_origin(const struct ingest_ctx *c, struct src_loc earlier);
/*
 * Two captures that disagree about one fact (a node's kubelet version):
 * the one at kept is kept, this one at loc is an input-conflict record
 * whose reason is the message and "; the one there is kept"; under
 * --strict, the message is an error at loc. Returns 0 or -1.
 */
int recover_conflict(struct ingest_ctx *c, struct src_loc loc,
		     struct src_loc kept, const char *text, size_t len,
		     const char *fmt, ...) PRINTF_LIKE(6, 7);
/*
 * A parser that found no fact calls this before its own error: the
 * records skipped so far are printed as errors and are no longer skipped.
 */
void recover_give_up(struct ingest_ctx *c);
/*
 * An elision line a person put in a paste ("...", "<snip>"): a skipped
 * record (content was left out there), an error under --strict.
 * Returns 0 or -1.
 */
int recover_elision(struct ingest_ctx *c, struct src_loc loc, const char *s,
		    size_t len);

/* ------------------------------------------- kubectl_nodes.c and nodes_* */

/* Errors in one nodes file before it is given up. */
#define MAX_FILE_ERRORS 20

/*
 * Per-file state of both formats. The index maps a node name to its slot
 * in cs->nodes so that a duplicate in this file and a conflict with an
 * earlier file are found without a quadratic scan.
 */
struct nodes_state {
	struct ingest_ctx *c;
	struct strmap index;	/* name (arena) -> cs->nodes index + 1 */
	size_t first_new;	/* index of this file's first new node */
	size_t added;		/* nodes this file added or confirmed */
	unsigned errors0;	/* diag->errors when the file started */
	struct buf show;	/* scratch: values quoted in messages */
	struct buf show2;
	/*
	 * This file's nodes listed twice with different values (not under
	 * --strict): two readings, so neither is kept (drop_conflicts).
	 */
	VEC(size_t) conflicts;	/* owned: cs->nodes indices */
};

/* Starts reading a file's nodes: the index of those read before. */
int nodes_state_init(struct nodes_state *st, struct ingest_ctx *c);
void nodes_state_release(struct nodes_state *st);
/*
 * A node listed twice in one file with different values: which row is
 * the cluster's is a guess, so neither is kept (each a skipped record).
 */
int nodes_drop_conflicts(struct nodes_state *st);
bool nodes_too_many_errors(const struct nodes_state *st);
/* Quotes s for a message: control bytes escaped, long values cut. */
const char *nodes_show(struct nodes_state *st, const char *s, size_t len);
int nodes_oom(struct nodes_state *st, struct src_loc loc);
/* Node names end up in shell commands of the plan: validate, never escape. */
int nodes_name_error(struct nodes_state *st, struct src_loc loc,
		     const char *s, size_t len);
/*
 * A name a person masked in a paste: "****", "node-***", "<node-name>",
 * "xxx", "[REDACTED]". Read as an opaque node, never as a name.
 */
bool nodes_name_is_masked(const char *s, size_t len);
/* Adds n (its strings arena) to the inventory, or merges it. */
int nodes_add(struct nodes_state *st, const struct node *n);
bool nodes_is_ws(char ch);
bool nodes_is_alnum(char ch);
bool nodes_span_eq(const char *s, size_t len, const char *z);
/* The name part of a label key, or a label value: what a role can be. */
bool nodes_role_is_valid(const char *s, size_t len);
bool nodes_ip_is_valid(const char *s, size_t len);
/* Sorts and de-duplicates roles[0..n) in place; returns the new count. */
size_t nodes_roles_sort(const char **roles, size_t n);
/* Parses STATUS as kubectl prints it into n. */
bool nodes_status_parse(const char *s, size_t len, struct node *n);
int nodes_parse_table(struct nodes_state *st);		/* nodes_table.c */
int nodes_parse_doc(struct nodes_state *st, bool json);	/* nodes_doc.c */

/* ---------------------------------------- kubectl_version.c and version_* */

enum binary { BIN_CLIENT, BIN_SERVER, BIN_KUBEADM };

/* One field of a version record and where its value starts. */
struct vfield {
	const char *s; /* borrowed: arena or the current line */
	size_t len;
	struct src_loc loc;
	bool set;
};

/* The fields of one clientVersion/serverVersion/version.Info. */
struct vrec {
	struct vfield major, minor, git, platform;
	struct src_loc where;	   /* the record itself */
	const char *what;	   /* static: "version.Info" and the like */
	const struct names *names; /* static: how the format names fields */
};

/* Field names as each format spells them, for messages. */
struct names {
	const char *git, *major, *minor;
};

/* Per-file state. */
struct vstate {
	struct ingest_ctx *c;
	unsigned errors_before; /* c->diag->errors when the file started */
	struct buf cmd;		/* the latest prompt's command */
	bool kubeadm;		/* the capture is of the kubeadm binary */
	bool short_flag;	/* --short was used or warned about */
	bool unreachable;	/* the server could not be reached */
	struct src_loc unreachable_loc;	/* the first line that says so */
	unsigned found;		/* versions recorded from this file */
	unsigned found_server;	/* of them, the server's */
	const char *format;	/* static */
};

bool version_too_many_errors(const struct vstate *st);
/*
 * A subject quoted in a message: at most 64 bytes, "..." after a cut,
 * control bytes escaped. Arena; "?" when out of memory.
 */
const char *version_show(const struct vstate *st, const char *s, size_t len);
int version_oom(struct vstate *st, struct src_loc loc);
struct src_loc version_file_loc(const struct vstate *st);
bool version_has_prefix(const char *s, size_t len, const char *prefix);
bool version_is_space(char ch);
size_t version_skip_space(const char *s, size_t len, size_t i);
/* The capture is of kubeadm: by the sniffer or the latest command. */
bool version_current_is_kubeadm(const struct vstate *st);
/* The binary a bare version belongs to (enum binary), or -1. */
int version_bare_target(const struct vstate *st);
bool version_is_unreachable_line(const char *s, size_t len);
/* A prompt, warning or unreachable line around the version. */
int version_side_line(struct vstate *st, enum noise noise, const char *s,
		      size_t len, const char *cmd, size_t cmd_len,
		      struct src_loc loc);
int version_merge_kustomize(struct vstate *st, const char *s, size_t len,
			    struct src_loc loc);
/*
 * Adds vi as binary b's version. A second sighting (from this or another
 * file) must agree with the first. Returns 0, or -1 after a diagnostic.
 */
int version_merge(struct vstate *st, enum binary b,
		  const struct version_info *vi);
/* Checks a record and adds it as binary b's version. */
int version_record(struct vstate *st, enum binary b, const struct vrec *r);
void version_set_format(struct vstate *st, const char *fmt);
int version_parse_text(struct vstate *st);		/* version_text.c */
int version_parse_doc(struct vstate *st, bool json);	/* version_doc.c */

/* ------------------------------------------ madison.c and packages_* */

#define MAX_TOKENS 8

enum pkg_fmt { PF_NONE, PF_MADISON, PF_POLICY, PF_YUM, PF_APT_LIST,
	       PF_RPM_QA, PF_DPKG };

struct tok {
	size_t off, len;
};

/* Open-addressing set of this file's rows (indices into cs->packages). */
struct seen {
	size_t *slot;	/* owned: index + 1, 0 for an empty slot */
	size_t cap;	/* 0 or a power of two */
	size_t n;
};

/* An apt-cache policy version row waiting for its source lines. */
struct policy_row {
	bool set;
	const char *name;	/* arena */
	const char *version;	/* arena */
	struct src_loc loc;
	bool installed;		/* the " *** " marker */
	unsigned nsources;
};

/* A yum row wrapped over lines: the tokens seen so far. */
struct yum_row {
	int n;			/* 0: none pending */
	const char *tok[3];	/* arena: name.arch, version, repo */
	size_t len[3];
	struct src_loc loc[3];
};

struct pkg_parser {
	struct ingest_ctx *c;
	struct text_reader r;
	unsigned errors;
	bool fatal;		/* out of memory: stop at once */
	enum pkg_fmt mode;	/* format of the current block */
	enum pkg_fmt first;	/* first format seen */
	bool mixed;		/* the file holds more than one format */
	size_t added;
	struct seen seen;
	const char *cmd_name;	/* arena: package the prompt's command names */
	const char *pol_name;	/* arena: current policy package */
	const char *pol_candidate;	/* arena: "Candidate:"; NULL if none */
	const char *pol_installed;	/* arena: "Installed:"; NULL if none */
	struct src_loc pol_installed_loc;
	unsigned pol_rows;	/* version table rows of the current block */
	struct policy_row row;
	enum tri yum_installed;	/* from the section header */
	bool dnf5;		/* the listing is dnf5's */
	struct yum_row yum;
};

bool pkg_is_blank(char c);
bool pkg_same_str(const char *a, const char *b);
bool pkg_tok_is(const char *s, const struct tok *t, const char *word);
/* How much of a bad token a message quotes. */
int pkg_quote_len(size_t len);
int pkg_oom(struct pkg_parser *p);
void pkg_set_mode(struct pkg_parser *p, enum pkg_fmt f);
/*
 * Adds a row; name and version are arena strings already validated. The
 * upstream, revision and repository fields are derived here. A row equal
 * to one of this file's earlier rows is kept once.
 */
int pkg_add_row(struct pkg_parser *p, struct package *k, const char *repo,
		size_t repo_len);
/* Checks a package name and copies it to *out (arena) unless out is NULL. */
int pkg_take_name(struct pkg_parser *p, const struct text_line *l,
		  size_t off, size_t len, const char **out);
int pkg_take_version(struct pkg_parser *p, const struct text_line *l,
		     size_t off, size_t len, const char **out);

/* packages_repo.c */
int pkg_split_version(struct arena *a, const char *v, size_t len,
		      const char **up, const char **rev);
enum repo_kind pkg_classify_repo(const char *s, size_t len, unsigned *minor);
enum repo_kind pkg_classify_rpm_release(const struct package *k,
					unsigned *minor);
enum repo_kind pkg_classify_deb_archive(const struct package *k,
					const char *archive, size_t len,
					unsigned *minor);

/* packages_formats.c */
int pkg_policy_flush(struct pkg_parser *p);
/*
 * At the end of a policy block without a version table (cut off, or
 * grep'ed away): its "Installed:" version is a row of its own.
 */
int pkg_policy_installed_only(struct pkg_parser *p);
void pkg_policy_reset(struct pkg_parser *p);
int pkg_policy_field(struct pkg_parser *p, const struct text_line *l,
		     const struct tok *t, size_t nt);
int pkg_policy_version(struct pkg_parser *p, const struct text_line *l,
		       const struct tok *v, bool installed);
int pkg_policy_source(struct pkg_parser *p, const struct text_line *l,
		      const struct tok *t);
int pkg_madison_row(struct pkg_parser *p, const struct text_line *l);
/* The offset of the architecture's '.' in a yum name.arch, or SIZE_MAX. */
size_t pkg_arch_dot(const char *s, size_t len);
int pkg_yum_tokens(struct pkg_parser *p, const struct text_line *l,
		   const struct tok *t, size_t nt);
int pkg_yum_incomplete(struct pkg_parser *p);

/* ----------------------------------------- images.c and images_text/doc.c */

struct images_parse {
	struct ingest_ctx *c;
	struct strmap names;	/* namespaces, nodes, containers */
	unsigned errors;
	size_t workloads;	/* pods, PDBs and workloads the walk added */
};

/* Counts an error already reported; -1 means stop reading the file. */
int images_counted(struct images_parse *p);
int images_oom(struct images_parse *p, struct src_loc loc);
/* Appends s for a message: control bytes escaped, at most 128 bytes. */
const char *images_shown(struct buf *b, const char *s, size_t len);
/*
 * Parses and interns one reference; on a bad one reports it at loc and
 * returns NULL with *stop set when the file must be given up.
 */
const struct image_ref *images_image_at(struct images_parse *p,
					const char *s, size_t len,
					struct src_loc loc, bool *stop);
int images_add(struct images_parse *p, const struct image_ref *ref,
	       const char *ns, const char *pod, const char *node,
	       const char *container, bool init, struct src_loc loc);
/* Interns a name, or NULL for none; -1 when out of memory. */
int images_name_of(struct images_parse *p, const char *s, size_t len,
		   bool have, const char **out);
int images_parse_text(struct images_parse *p);	/* images_text.c */
int images_parse_doc(struct images_parse *p);	/* images_doc.c */

/* ----------------------------------------- workloads_doc.c and _emit.c */

/*
 * The drain inventory of a Pod/PDB/workload document (cs->pods, pdbs,
 * workloads): a yaml_walk consumer that images_doc.c runs beside its own
 * through a yaml_tee. workloads_new() returns NULL when out of memory;
 * workloads_free() accepts NULL.
 */
#define WORKLOADS_MAX_LIST 4096	/* labels, volumes, owners, requirements */

enum wl_kind { WK_OTHER, WK_POD, WK_PDB, WK_WORKLOAD };

/* One requirement being read: key, operator, values. */
struct wl_req {
	const char *key;
	int op;			/* enum sel_op, or -1 until read */
	VEC(const char *) values;
	struct src_loc loc;
};

struct wl_sel {
	bool present;
	VEC(struct label_pair) labels;
	VEC(struct sel_req) reqs;
	struct wl_req cur;
};

/* A nodeSelectorTerm of a required nodeAffinity. */
struct wl_term {
	const char *key, *op;
	size_t nvalues;
	const char *value;	/* the first value */
	bool is_field;
};

struct wl_obj {
	const char *kind, *api, *ns, *name, *node, *phase;
	struct src_loc open, err_loc;
	const char *err;	/* arena: the first problem, or NULL */
	size_t skipped0;	/* cs->skipped.n when the object opened */
	bool deleting, mirror;
	enum tri ready;
	const char *cond_type, *cond_status;	/* the condition being read */
	VEC(struct label_pair) labels;
	VEC(struct owner_ref) owners;
	struct owner_ref owner_cur;
	VEC(const char *) empty_dirs, host_paths, pvcs;
	const char *vol_name;
	bool vol_empty_dir;
	const char *vol_host_path, *vol_pvc;
	const char *host_selector;	/* nodeSelector kubernetes.io/hostname */
	size_t terms, terms_pinned;	/* required nodeAffinity terms */
	const char *term_host;	/* the host every pinned term names */
	bool terms_disagree;
	struct wl_term term_req;
	bool term_pinned;
	struct wl_sel sel;
	struct int_or_percent min_avail, max_unavail;
	bool always_allow;	/* unhealthyPodEvictionPolicy: AlwaysAllow */
	long replicas, ready_replicas;
	bool has_status;
	long st[4];		/* disruptionsAllowed, currentHealthy, ... */
	struct src_loc st_loc;
};

struct workloads_parse {
	struct ingest_ctx *c;
	struct strmap intern;	/* keys, values, namespaces, nodes */
	struct wl_obj doc, item;
	size_t found;
	bool oom;
};

/* Records the object's first problem; it is reported at the object's end. */
int workloads_bad(struct workloads_parse *p, struct wl_obj *o, struct src_loc loc,
	   const char *fmt, ...) PRINTF_LIKE(4, 5);
int workloads_oom(struct workloads_parse *p, struct src_loc loc);
/* An object is complete: add it, or skip it with its first problem. */
int workloads_obj_close(struct workloads_parse *p, struct wl_obj *o);	/* _emit.c */
struct workloads_parse *workloads_new(struct ingest_ctx *c);
void workloads_free(struct workloads_parse *p);
/* Objects added so far. */
size_t workloads_found(const struct workloads_parse *p);
extern const struct yaml_walk_ops workloads_ops;

/* ------------------------------------------------------------ parsers */

int ingest_version(struct ingest_ctx *c);	/* kubectl_version.c */
int ingest_nodes(struct ingest_ctx *c);		/* kubectl_nodes.c */
int ingest_images(struct ingest_ctx *c);	/* images.c */
int ingest_packages(struct ingest_ctx *c);	/* madison.c */
int ingest_metrics(struct ingest_ctx *c);	/* metrics.c */
int ingest_audit_log(struct ingest_ctx *c);	/* audit_log.c */
int ingest_manifests(struct ingest_ctx *c);	/* manifests.c */
/* kubectl describe node and pod output (FMT_DESCRIBE); describe.c */
int ingest_describe(struct ingest_ctx *c);
int ingest_kubeadm_plan(struct ingest_ctx *c);	/* kubeadm_plan.c */
/*
 * Once every input is read: the kubelet versions a kubeadm upgrade plan
 * names, against the node list (kubeadm_plan.c). Returns 0 or -1.
 */
int kubeadm_plan_finish(struct cluster_state *cs, struct diag *d);
int ingest_configz(struct ingest_ctx *c);	/* configz.c */
int ingest_node_facts(struct ingest_ctx *c);	/* node_facts.c */

/*
 * Parsers keep their patterns in static struct re tables; re_release_all()
 * (called by ingest_release) frees them all.
 */

#endif
