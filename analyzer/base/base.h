/*
 * base.h - the foundation every stage may include: diagnostics, the run
 * arena, growable buffers and vectors, Kubernetes versions, dates, escaping,
 * regular expressions and atomic output files.
 *
 * Ownership words used below: "arena" (freed with the run arena), "owned"
 * (the caller frees it), "borrowed" (valid until the stated event).
 */
#ifndef SKEWPLAN_BASE_H
#define SKEWPLAN_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SKEWPLAN_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#ifdef SKEWPLAN_DEBUG
#include <assert.h>
#define DEBUGASSERT(x) assert(x)
#else
#define DEBUGASSERT(x) ((void)0)
#endif

/* Limits on input; going over one is a diagnostic, never a truncation. */
#define LIMIT_LINE_LEN (64u << 20)	 /* bytes in one text line (jsonpath output is one line) */
#define LIMIT_DEPTH 64			 /* YAML/JSON nesting */
#define LIMIT_SMALL_FILE (16u << 20)	 /* version/JSON documents held whole */
#define LIMIT_ITEMS 10000000u		 /* nodes, images or packages per run */
#define LIMIT_SCALAR_LEN (64u << 10)	 /* one YAML/JSON scalar we keep */
/*
 * One element of a JSON List's items, read whole (json_walk.c): ten times
 * the largest object etcd stores by default (--max-request-bytes, 1.5 MiB,
 * https://etcd.io/docs/v3.5/dev-guide/limit/).
 */
#define LIMIT_JSON_ITEM (16u << 20)

/* ---------------------------------------------------------------- arena */

/*
 * One arena per run. Every model string, node, finding and plan step is
 * allocated from it and freed together by arena_release().
 */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t used;		/* bytes handed out, for statistics */
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);
/* Returns zeroed memory, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies s[0..len) and NUL-terminates; NULL when out of memory. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);

/*
 * Test hook: make allocation number n (1-based, counted over arena and
 * xmalloc-style helpers) and every later one fail. 0 disables it.
 */
void base_fail_alloc_after(unsigned long n);
bool base_alloc_should_fail(void);
void *base_malloc(size_t n);
void *base_realloc(void *p, size_t n);

/* ---------------------------------------------------------------- buf */

/*
 * A growable NUL-terminated string (git strbuf). s is owned. With a sink,
 * buf_flush() writes what it holds there and empties it, so a writer can
 * stream a large document piece by piece.
 */
struct buf {
	char *s;
	size_t len;
	size_t cap;
	bool oom;	/* set once an append failed; later appends are no-ops */
	FILE *sink;	/* borrowed; NULL: the text stays in s */
	bool sink_failed;	/* a write to sink failed (oom is set too) */
};

#define BUF_INIT {NULL, 0, 0, false, NULL, false}
void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const char *s, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/*
 * Writes the text held to the sink, if b has one, and empties b. Returns
 * 0, or -1 when b is out of memory or a write failed (sink_failed and oom
 * are then set, so later appends are no-ops).
 */
int buf_flush(struct buf *b);
/* True if needle occurs in s[0..len). */
bool buf_contains(const char *s, size_t len, const char *needle);
/*
 * The first occurrence of word[0..wlen) in s[0..len), or NULL: memmem(3),
 * fast enough to search a whole 1 GB log for one word.
 */
const char *buf_find(const char *s, size_t len, const char *word,
		     size_t wlen);
/* Returns "" for an empty buffer; never NULL. Borrowed: until next change. */
const char *buf_cstr(const struct buf *b);

/* ---------------------------------------------------------------- vec */

/*
 * A growable array of T. The storage is owned by the vector and freed with
 * vec_release(). vec_push() returns a pointer to a zeroed new slot or NULL
 * when out of memory.
 */
#define VEC(T)                                                                 \
	struct {                                                               \
		T *v;                                                          \
		size_t n;                                                      \
		size_t cap;                                                    \
	}
#define vec_release(vec)                                                       \
	do {                                                                   \
		free((vec)->v);                                                \
		(vec)->v = NULL;                                               \
		(vec)->n = (vec)->cap = 0;                                     \
	} while (0)
#define vec_push(vec)                                                          \
	((__typeof__((vec)->v))vec_grow_((void **)&(vec)->v, &(vec)->n,       \
					  &(vec)->cap, sizeof(*(vec)->v)))
#define vec_foreach(vec, it) for (it = (vec)->v; it < (vec)->v + (vec)->n; it++)

void *vec_grow_(void **v, size_t *n, size_t *cap, size_t size);

/* ---------------------------------------------------------------- strmap */

/*
 * A hash map from strings to pointers (open addressing, linear probing, at
 * most half full). Keys are borrowed: they must outlive the map (in
 * practice arena strings). The slot array is owned by the map.
 */
struct strmap_slot {
	uint32_t hash;
	const char *key;	/* borrowed; NULL marks an empty slot */
	size_t len;
	void *val;
};

struct strmap {
	struct strmap_slot *slots;	/* owned */
	size_t cap;			/* a power of two, or 0 */
	size_t n;
};

/* FNV-1a of s[0..len). */
uint32_t base_hash(const char *s, size_t len);
/* The value stored under s[0..len), or NULL. */
void *strmap_get(const struct strmap *m, const char *s, size_t len);
/*
 * Stores val under key[0..len) (key borrowed, see above), replacing any
 * value there. Returns 0, or -1 when out of memory.
 */
int strmap_put(struct strmap *m, const char *key, size_t len, void *val);
void strmap_release(struct strmap *m);

/* ---------------------------------------------------------------- diag */

/* A place in a snapshot or rules file. path is borrowed from the arena. */
struct src_loc {
	const char *path;
	uint32_t line;	/* 1-based; 0 means "whole file" */
	uint32_t col;	/* 1-based; 0 means "whole line" */
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/*
 * Collects diagnostics; prints each to its stream (stderr unless set) as
 * "FILE:LINE:COL: error: message", followed by the source line and a caret
 * when the line can be read back from the file.
 */
/* A diagnostic held back instead of printed (see diag_hold). */
struct diag_held {
	enum diag_level lvl;
	struct src_loc loc;
	char *msg;		/* owned: the message, not yet escaped */
};

struct diag {
	FILE *out;		/* borrowed; NULL means stderr */
	unsigned errors;
	unsigned warnings;
	bool no_source;		/* do not quote source lines */
	struct buf last;	/* text of the last message, for tests */
	/*
	 * While holding, messages are kept here, neither printed nor
	 * counted, until diag_replay() prints them or diag_drop() forgets
	 * them: ingest's recovery path decides per record whether its
	 * errors are errors (--strict) or a skipped record.
	 */
	bool holding;
	VEC(struct diag_held) held;	/* owned */
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);
int diag_error(struct diag *d, struct src_loc loc, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
void diag_warning(struct diag *d, struct src_loc loc, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
void diag_note(struct diag *d, struct src_loc loc, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
/* A message with no location ("skewplan: error: ..."). Returns -1. */
int diag_plain(struct diag *d, enum diag_level lvl, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
/* Starts holding messages back (see struct diag). */
void diag_hold(struct diag *d);
/* Stops holding; what is held stays until replayed or dropped. */
void diag_unhold(struct diag *d);
/* Prints and counts the held messages from index from on, then drops them. */
void diag_replay(struct diag *d, size_t from);
/* Forgets the held messages from index from on. */
void diag_drop(struct diag *d, size_t from);
/* Formats loc as "path:line:col" into the arena. */
const char *src_loc_str(struct arena *a, struct src_loc loc);

/* ---------------------------------------------------------------- kver */

/*
 * A Kubernetes version as kubectl and kubeadm parse GitVersion: "v1.27.3",
 * "1.27.3", "v1.27.3-eks-2d98532", "v1.30.4+k3s1", "v1.9.0-alpha.1.487+sha".
 * Pre-release (after '-') and build metadata (after '+') are kept as text.
 */
struct kver {
	unsigned major, minor, patch;
	bool has_patch;		/* "1.27" alone has none */
	const char *pre;	/* arena; NULL if none */
	const char *build;	/* arena; NULL if none */
	const char *text;	/* arena; the text as given, trimmed */
};

/*
 * Parses s[0..len) into *out (strings from a). Returns 0, or -1 if it is not
 * a version; *err then names what is wrong (static string).
 */
int kver_parse(struct arena *a, const char *s, size_t len, struct kver *out,
	       const char **err);
/* Parses only MAJOR.MINOR[.PATCH] numbers with an optional leading v. */
bool kver_parse_numbers(const char *s, size_t len, unsigned *major,
			unsigned *minor, unsigned *patch, bool *has_patch);
/*
 * Whether v's numbers are written as Kubernetes writes them: no leading
 * zeros ("v01.026.1" parses as 1.26.1 but names no release). Suffixes, as
 * in "v1.27.3-eks-2d98532" or "+k3s1", are not judged.
 */
bool kver_is_canonical(const struct kver *v);
/* Compares major, minor, patch (pre-release sorts first, build ignored). */
int kver_cmp(const struct kver *x, const struct kver *y);
/* x.minor - y.minor, taking majors into account (major 1 in practice). */
int kver_minor_diff(const struct kver *x, const struct kver *y);
/* Parses "26", "27+", "9+" (a version.Info Minor field). */
bool kver_parse_minor_field(const char *s, size_t len, unsigned *minor);

/* ---------------------------------------------------------------- date */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
long date_from_ymd(int y, int m, int d);
/* Parses "YYYY-MM-DD" exactly; returns false on anything else. */
bool date_parse(const char *s, size_t len, long *days);
/* Writes "YYYY-MM-DD" into out (at least 11 bytes). */
void date_format(long days, char out[static 11]);

/* ---------------------------------------------------------------- esc */

/*
 * Terminal, log and report text never carries an unsafe character raw.
 * Unsafe are: the C0 controls (newline and tab too, unless a flag below
 * says), DEL, the C1 controls U+0080-U+009F, the bidi controls U+061C,
 * U+200E, U+200F, U+202A-U+202E and U+2066-U+2069, the invisible
 * U+200B-U+200D, U+2060-U+2065 and U+FEFF, the separators U+2028 and
 * U+2029, and the non-characters U+FFFE and U+FFFF. Each is written as
 * \xNN below U+0080 and as \uNNNN above; a byte that is not UTF-8 as
 * \xNN. Backslashes are left alone, so escaping twice is escaping once.
 */
#define ESC_LINES	1u	/* text laid out in lines: keep \n and \t */
#define ESC_TAB_SPACE	2u	/* a tab shows as one space (esc_text) */

/*
 * Decodes the UTF-8 character at s[0..len) into *cp. Returns its length,
 * or 0 when s does not start with a valid, shortest-form sequence.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Whether code point cp is unsafe as said above. */
bool esc_is_unsafe(uint32_t cp);

/* Appends s with every unsafe character in its visible form. */
void esc_text(struct buf *b, const char *s, size_t len, unsigned flags);
/* esc_text() of one line: newlines and tabs escaped too. */
void esc_display(struct buf *b, const char *s, size_t len);
/*
 * Appends s escaped for HTML and XML text and attribute values: unsafe
 * characters in their visible form, then & < > " ' as entities. The
 * result holds only characters XML 1.0 allows.
 */
void esc_html(struct buf *b, const char *s, size_t len, unsigned flags);
/*
 * Appends s escaped for Markdown inline text (not inside code spans, and
 * not at the start of a line: '-', '#', '+' and "1." stay as they are, so
 * node-1 and 1.26.3 read as themselves in the raw comment). With ESC_LINES a
 * newline becomes a space (an inline text has no line breaks).
 */
void esc_md(struct buf *b, const char *s, size_t len, unsigned flags);
/*
 * Appends the printed JSON text s with every unsafe character above ASCII
 * written as a \uNNNN escape: the same data to a JSON parser, no raw bidi
 * or invisible character to a person reading the file. JSON text holds
 * non-ASCII bytes only inside strings, so the result is valid JSON.
 */
void esc_json_text(struct buf *b, const char *s, size_t len);
/*
 * Appends s as one shell word (base/shell.c): as it is when every byte is
 * in [A-Za-z0-9_@%+=:,./-] and s is not empty, else in single quotes with
 * each ' written '\''. The one quoting function of runbook commands.
 */
void esc_sh(struct buf *b, const char *s, size_t len);

/* ---------------------------------------------------------------- utf8 */

/* U+FFFD REPLACEMENT CHARACTER, in UTF-8. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Offset of the first invalid sequence in s[0..len), or len if none. */
size_t utf8_invalid_at(const char *s, size_t len);
bool utf8_is_valid(const char *s, size_t len);
/* Appends s[0..len) with each byte of an invalid sequence as U+FFFD. */
void utf8_repair(struct buf *b, const char *s, size_t len);

/* ---------------------------------------------------------------- re */

/*
 * A thin wrapper over PCRE2 for the fixed patterns of this program. A
 * pattern is compiled once and owned by its struct re; re_release frees it.
 */
struct re {
	const char *pattern;	/* borrowed: a string literal */
	uint32_t flags;		/* PCRE2 compile options */
	void *code;		/* owned pcre2_code_8 * */
	void *md;		/* owned pcre2_match_data_8 * */
};

#define RE_MAX_GROUPS 16
struct re_match {
	size_t start[RE_MAX_GROUPS];	/* offsets into the subject */
	size_t end[RE_MAX_GROUPS];	/* start == end == SIZE_MAX if unset */
	int n;
};

/*
 * Compiles lazily on first use. Returns false on no match (or bad pattern).
 * Every match runs under a match limit that grows with len, a depth, a
 * heap and a JIT stack limit: a match stopped by one is no match, and is
 * counted in re_limit_hits() for the caller that owns the input to report.
 */
bool re_match(struct re *re, const char *s, size_t len, struct re_match *m);
/* Matches stopped by a limit so far (a running count: compare two reads). */
unsigned long re_limit_hits(void);
/* Which limit stopped the last such match: "match limit", "depth limit"... */
const char *re_limit_reason(void);
bool re_group_set(const struct re_match *m, int g);
void re_release(struct re *re);
/* Frees every pattern passed to re_match so far (registry at exit). */
void re_release_all(void);

/* ---------------------------------------------------------------- safe */

/* DNS-1123 subdomain (Kubernetes node names). */
bool safe_is_dns_subdomain(const char *s, size_t len);
/* Debian or RPM package version, e.g. 1.26.3-00, 1.29.0-1.1, 1.28.5-150500.1.1. */
bool safe_is_pkg_version(const char *s, size_t len);

/* ---------------------------------------------------------------- progress */

/* Inputs from this size on get a progress line (--progress). */
#define PROGRESS_MIN_SIZE (64ULL * 1024 * 1024)

/*
 * --progress: on, a regular file of at least min_size bytes shows one
 * line on stderr while it is read, erased when it is done. cli/ decides
 * (auto: stderr is a terminal). Off by default.
 */
void progress_configure(bool on, uint64_t min_size);
/* After a read from fp, the input named path: update the line. */
void progress_read(const char *path, FILE *fp);
/* path is closed: erase its line. */
void progress_done(const char *path);

/* ---------------------------------------------------------------- file */

/*
 * Reads a whole small file into *out (owned, NUL-terminated). Fails with a
 * diagnostic if it is larger than limit bytes.
 */
int file_read_small(struct diag *d, const char *path, size_t limit,
		    char **out, size_t *len);

/*
 * Atomic output: opens "<dir>/.<name>.tmp.XXXXXX" beside path (name cut to
 * 64 bytes so the temporary name fits wherever path does), with the mode of
 * the file it replaces, else 0666 less the umask. Commit flushes, fsyncs,
 * closes and renames; abort closes and unlinks. Both release the struct's
 * contents. Until then SIGINT, SIGTERM, SIGHUP and SIGQUIT unlink every
 * open temporary file before the process dies of the signal.
 */
struct atomic_file {
	FILE *fp;
	char *tmp;	/* owned */
	char *path;	/* owned */
};
int atomic_file_open(struct atomic_file *af, const char *path, struct diag *d);
int atomic_file_commit(struct atomic_file *af, struct diag *d);
void atomic_file_abort(struct atomic_file *af);

/* ---------------------------------------------------------------- yaml */

/*
 * A streaming walk over a YAML (or JSON) document with libyaml's event API.
 * The walker keeps the path of the current node as a string such as
 * ".items[].spec.containers[].image" (map keys after '.', sequence entries
 * as "[]") and calls back on every scalar and on every mapping or sequence
 * start and end. Nothing is built in memory. Anchors are ignored.
 *
 * Outside a skipped node (see open() below) the walker refuses, with a
 * located error, what it cannot pass on faithfully: an alias (never
 * expanded, so no billion laughs; "*cv" would otherwise stand for a value
 * silently lost), a merge key "<<", a mapping or sequence used as a key,
 * and a key given twice in one mapping (the error names both lines).
 * Nesting is limited to LIMIT_DEPTH levels everywhere, inside skipped nodes
 * too: libyaml's time grows with the square of the flow nesting, so the
 * walk stops at the limit before that matters.
 */
struct yaml_walk;
typedef int (*yaml_read_fn)(void *data, unsigned char *buf, size_t size,
			    size_t *size_read);

struct yaml_walk_ops {
	/* A scalar value (map keys are not reported; they are in the path). */
	int (*scalar)(void *ctx, struct yaml_walk *w, const char *s,
		      size_t len, struct src_loc loc);
	/*
	 * A mapping or sequence has started (path is the node's own path).
	 * Returning YAML_WALK_SKIP skips its contents: no callbacks until the
	 * node closes, not even close() (status.images of a Node, a Pod's
	 * status, managedFields: most of a kubectl document is of no use).
	 * Only the nesting limit is checked inside a skipped node.
	 */
	int (*open)(void *ctx, struct yaml_walk *w, bool is_map,
		    struct src_loc loc);
	/* A mapping or sequence ends (path is still the node's own path). */
	int (*close)(void *ctx, struct yaml_walk *w, bool is_map);
};

#define YAML_WALK_SKIP 1

struct yaml_walk_frame {
	bool is_map;
	bool want_key;		/* in a map: next scalar is a key */
	size_t path_len;	/* length of the path before this frame */
	size_t index;		/* in a sequence: index of the next entry */
	size_t nkeys;		/* in a map: w->keys.n when it opened */
	size_t key_text_len;	/* in a map: w->key_text.len when it opened */
};

/* One key of a mapping still open, for the duplicate check. */
struct yaml_walk_key {
	uint32_t hash;
	int depth;		/* the mapping's frame index */
	size_t off, len;	/* the key's bytes in w->key_text */
	struct src_loc loc;
};

/*
 * Counts lines over the bytes given to libyaml, so that a reader error
 * (invalid UTF-8), which libyaml locates only by byte offset, gets its
 * line and column. win holds the bytes of the last read and the few before
 * it; line and col are those of win's first byte.
 */
struct yaml_walk_src {
	yaml_read_fn read;
	void *data;		/* borrowed */
	size_t off;		/* bytes read so far */
	size_t win_off;		/* offset of win.s[0] */
	uint32_t line, col;	/* 1-based, at win_off; col in characters */
	struct buf win;		/* owned */
	struct buf pre;		/* owned: read before libyaml; given first */
	size_t pre_off;		/* bytes of pre given */
};

struct yaml_walk {
	const char *path_name;	/* borrowed: file path for diagnostics */
	struct diag *diag;	/* borrowed */
	struct buf path;	/* current node's path */
	struct yaml_walk_frame stack[LIMIT_DEPTH];
	int depth;
	bool plain;		/* current scalar is plain (unquoted) */
	bool is_null;		/* current scalar is a plain null (~, null) */
	unsigned documents;	/* documents seen so far */
	bool skipping;		/* inside a node whose open() said skip */
	unsigned skip_nest;	/* nodes open inside the skipped one */
	unsigned long events;
	/* Keys of the open mappings: an open-addressing set of keys indexes. */
	struct buf key_text;		/* owned */
	VEC(struct yaml_walk_key) keys;	/* owned */
	size_t *key_slots;		/* owned: index + 1 into keys, 0 empty */
	size_t key_slots_cap;		/* a power of two, or 0 */
	uint32_t key_seed;
	uint32_t line_base;	/* lines of the file before the first byte */
	struct yaml_walk_src src;
	uint32_t line0, col0;	/* walk_rest's text starts here (- 1), after
				 * line_base */
	struct buf scratch;	/* owned: a JSON number's text */
};

/*
 * Runs the walk over the bytes that read() returns. Returns 0, or -1 after
 * a diagnostic (YAML syntax error, nesting over LIMIT_DEPTH, an alias, a
 * duplicate key, or a callback that returned -1). Everything w owns is
 * released before return.
 *
 * A JSON document whose root has an "items" array (kubectl get -o json)
 * is read item by item: each element is parsed alone with cJSON and
 * replayed as the same callbacks, paths and locations libyaml would give
 * (json_walk.c); memory is bounded by the largest element. Any other
 * document, and the whole file when the environment has
 * SKEWPLAN_NO_JSON_ITEMS set, goes through libyaml.
 */
int yaml_walk_run(struct yaml_walk *w, const char *path_name, struct diag *d,
		  yaml_read_fn read, void *read_data,
		  const struct yaml_walk_ops *ops, void *ctx);
/*
 * The same over bytes that start at line line_base + 1 of path_name (a
 * part of a file read on its own): every location is the file's.
 */
int yaml_walk_run_at(struct yaml_walk *w, const char *path_name,
		     uint32_t line_base, struct diag *d, yaml_read_fn read,
		     void *read_data, const struct yaml_walk_ops *ops,
		     void *ctx);
/* A yaml_read_fn over a string in memory (small documents read whole). */
struct yaml_mem {
	const char *s;	/* borrowed */
	size_t len, off;
};
int yaml_mem_read(void *data, unsigned char *out, size_t size,
		  size_t *size_read);
/* Path of the current node; borrowed until the next event. */
const char *yaml_walk_path(const struct yaml_walk *w);
/*
 * True if the last key of the current path (".status" of ".items[].status")
 * is one of names[0..n). For open() callbacks deciding what to skip.
 */
bool yaml_walk_last_key_is(const struct yaml_walk *w,
			   const char *const *names, size_t n);
/* Length of the path of the frame at depth i (0 = root frame). */
size_t yaml_walk_path_len_at(const struct yaml_walk *w, int i);

/*
 * yaml_tee.c: one walk feeding several consumers (the images and the
 * workloads of one "kubectl get pods,pdb,deploy -o yaml" read once). Each
 * consumer skips what it does not need, as if it walked alone; the walker
 * skips a node only when every consumer does. Up to YAML_TEE_MAX.
 */
#define YAML_TEE_MAX 4
struct yaml_tee {
	const struct yaml_walk_ops *ops[YAML_TEE_MAX];	/* borrowed */
	void *ctx[YAML_TEE_MAX];	/* borrowed */
	int skip_at[YAML_TEE_MAX];	/* the depth a consumer skips; 0 none */
	int depth;			/* nodes open, as the tee sees them */
	size_t n;
};
/* The ops to hand yaml_walk_run with a struct yaml_tee as ctx. */
extern const struct yaml_walk_ops yaml_tee_ops;


/*
 * json_items.c: the elements of a JSON document's top-level "items" array,
 * one at a time, from chunks of any size; strings, escapes and nesting are
 * tracked, everything inside an element is left to the caller's parser
 * (cJSON parses one element, freed before the next). Memory: the largest
 * element. Not a validator: a caller that needs the document checked
 * parses its elements, and json_items_finish() checks the nesting closes.
 */
#define JSON_ITEMS_MAX_DEPTH 512
struct json_items {
	struct buf item;	/* owned: the element being collected */
	size_t max_item;	/* bytes; 0 for no limit */
	unsigned max_depth;	/* at most JSON_ITEMS_MAX_DEPTH */
	size_t line;		/* 1-based: the line of the next byte */
	/*
	 * Places: a line, a column in bytes (col) and in characters (ccol,
	 * as libyaml counts), and a byte offset from the document's start.
	 */
	size_t item_line, item_col, item_ccol, item_off; /* current element */
	size_t offset;		/* bytes fed before the current chunk */
	size_t line_start;	/* the offset where the current line starts */
	size_t line_conts;	/* UTF-8 continuation bytes of it before chunk */
	size_t at;		/* the byte of the current chunk looked at */
	size_t nitems;		/* elements handed to the callback */
	const char *error;	/* static: why the scan failed, or NULL */
	size_t err_line, err_col, err_ccol, err_off;	/* where it failed */
	bool stopped;		/* the callback returned -1 */
	/* The items array: its '[' and, once seen, its ']'. */
	bool items_open, items_closed;
	size_t items_line, items_col, items_ccol, items_off;
	size_t items_end_line, items_end_col, items_end_ccol, items_end_off;
	/*
	 * The current element has what cJSON reads unlike libyaml: a control
	 * character (a tab or line break in a string), a \u0000 or surrogate
	 * escape (exotic); a byte of 0x7f or more in a string (nonascii: the
	 * caller checks its UTF-8).
	 */
	bool elem_exotic, elem_nonascii;
	/* Scanner state (json_items.c). */
	const unsigned char *chunk;	/* borrowed: the chunk being fed */
	int phase;
	unsigned depth;
	char stack[JSON_ITEMS_MAX_DEPTH];
	bool in_str, esc, in_key, expect_key, key_is_items, seen_items;
	bool need_comma;
	unsigned uesc, uval;	/* \uXXXX: hex digits to come, value so far */
	uint32_t u8_hist;	/* the last bytes over 0x7f, and where next */
	size_t u8_next;
	size_t sep_line;	/* the line of items' '[' or last ',' */
	size_t cr_end;		/* the offset after the last '\r' */
	bool cr_open;		/* a '\r' ended the last chunk */
	char key[8];
	size_t keylen;
};

/* Starts a scan (no allocation); release it with json_items_release(). */
void json_items_init(struct json_items *it, size_t max_item,
		     unsigned max_depth);
void json_items_release(struct json_items *it);
/*
 * Scans the next len bytes of the document. For each element of items it
 * calls fn(ctx, s, len, line, col): s (borrowed, NUL-terminated, valid
 * until fn returns) is the element's text, line:col where it starts (the
 * column counts bytes). Returns 0, or -1 when the text cannot be a JSON
 * object, an element is over max_item, the nesting is over max_depth, or
 * fn returned -1 (it->error and it->err_line:err_col say which and where).
 */
int json_items_feed(struct json_items *it, const char *s, size_t len,
		    int (*fn)(void *ctx, const char *s, size_t len,
			      size_t line, size_t col),
		    void *ctx);
/* After the last chunk: 0, or -1 when the document ends early. */
int json_items_finish(struct json_items *it);
/* True while the scan is inside an element (its bytes are being kept). */
bool json_items_in_item(const struct json_items *it);

#endif
