/*
 * internal.h - private to ingest/: the cleaned-line reader shared by the
 * text parsers, the noise-filtering byte source for libyaml, the sniffer
 * and one entry point per capture kind.
 */
#ifndef SKEWPLAN_INGEST_INTERNAL_H
#define SKEWPLAN_INGEST_INTERNAL_H

#include "ingest.h"

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

/* ------------------------------------------------------------ clean.c */

/* Why a line is not content. */
enum noise {
	NOISE_NONE,
	NOISE_BLANK,	/* empty after cleaning */
	NOISE_PROMPT,	/* "$ kubectl get no", "root@cp-1:~# ...", bare "kubectl version" */
	NOISE_FENCE,	/* ``` or ~~~ (with a language), <pre>, </pre> */
	NOISE_WARNING,	/* WARNING:/Warning:/klog W0110.../Flag --short ... */
	NOISE_COMMENT,	/* a line that is only a "# comment" */
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

/* Maps a cleaned line's offsets back to raw 1-based columns. */
struct colmap {
	uint32_t *v;	/* owned */
	size_t n, cap;
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

/* ------------------------------------------------------------ parsers */

struct ingest_ctx {
	struct cluster_state *cs;	/* borrowed */
	struct diag *diag;		/* borrowed */
	struct arena *arena;		/* borrowed: cs->arena */
	const char *path;		/* arena */
	struct stream *in;		/* borrowed: the input, read once */
	const struct sniff *sniff;	/* borrowed */
	bool forced;			/* kind was forced with KIND=PATH */
	const char *format;		/* set by the parser: static string */
	/* recover.c's state: indices into diag->held and cs->skipped. */
	size_t held0, rec_start, skipped0;
	size_t rec_nodes, rec_images;	/* counts when the record began */
	bool in_record;
};

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
 * A parser that found no fact calls this before its own error: the
 * records skipped so far are printed as errors and are no longer skipped.
 */
void recover_give_up(struct ingest_ctx *c);

int ingest_version(struct ingest_ctx *c);	/* kubectl_version.c */
int ingest_nodes(struct ingest_ctx *c);		/* kubectl_nodes.c */
int ingest_images(struct ingest_ctx *c);	/* images.c */
int ingest_packages(struct ingest_ctx *c);	/* madison.c */

/*
 * Parsers keep their patterns in static struct re tables; re_release_all()
 * (called by ingest_release) frees them all.
 */

#endif
