/*
 * gen - write large, realistic kubectl output for benchmarks.
 *
 * usage: gen KIND FORMAT COUNT OUTFILE
 *	KIND	pods | nodes (yaml | json), or for the audit scale rows
 *		(FORMAT text): images (COUNT image lines), madison (COUNT
 *		apt-cache madison rows), legacy (COUNT legacy repositories,
 *		one finding each), waivers (COUNT waivers for a legacy file
 *		of COUNT / 2 repositories)
 *	FORMAT	yaml | json
 *	COUNT	number of objects in the List
 *
 * The output looks like "kubectl get pods -A -o yaml" (or -o json, or
 * "kubectl get nodes"): a v1 List whose keys are sorted the way kubectl
 * sorts them, so "kind: List" and "metadata" come after "items". YAML
 * follows go-yaml v2 (two-space indent, sequences not indented under
 * their key, strings quoted only when they would read as another type);
 * JSON follows kubectl (four-space indent, "key": value).
 *
 * A pod is about 7.3 KB of YAML, so 15,000 pods make about 110 MB and
 * 150,000 pods about 1.1 GB; a node is about 10 KB. The same seed gives
 * the same bytes on every run. Nothing is kept in memory: each object is
 * derived from its index and the PRNG and streamed out. The file is
 * written as OUTFILE.tmp and renamed, so an interrupted run never leaves
 * a file that looks complete.
 *
 * This is a benchmark tool, not part of skewplan: it writes to stderr and
 * exits directly.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH	32
#define MAX_COUNT	100000000ULL
#define OUT_BUFSIZE	(4u << 20)
#define NNODES		5000u
#define NNAMESPACES	50u

enum fmt {
	FMT_YAML,
	FMT_JSON
};

enum frame_kind {
	FRAME_MAP,
	FRAME_SEQ
};

/*
 * One open container. For YAML, indent is the column where a map's keys
 * or a sequence's dashes start; a map that is a sequence item writes its
 * first key after "- " (dash set). For JSON, count drives the commas.
 */
struct frame {
	enum frame_kind kind;
	int indent;
	int dash;
	unsigned long count;
};

struct emitter {
	FILE *fp;
	enum fmt fmt;
	int depth;
	struct frame st[MAX_DEPTH];
};

static const char spaces[] =
    "                                                                "
    "                                                                ";

static const char *outname;
static char tmpname[4096];

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static void xsnprintf(char *b, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (tmpname[0] != '\0')
		remove(tmpname);
	exit(1);
}

/* snprintf that treats truncation as the bug it would be here. */
static void
xsnprintf(char *b, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		die("formatted string too long for its %zu-byte buffer", size);
}

/* PRNG: splitmix64, fixed seed, so every run writes the same bytes. */
static uint64_t rng_state = 0x5eed5eed2026ULL;

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rnd(void)
{
	rng_state += 0x9e3779b97f4a7c15ULL;
	return mix64(rng_state);
}

static unsigned
rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* A stable pseudo-random value for (what, i), independent of rnd(). */
static uint64_t
hash2(uint64_t what, uint64_t i)
{
	return mix64(what * 0x9e3779b97f4a7c15ULL ^ mix64(i + 1));
}

static uint64_t
fnv64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return mix64(h);
}

/* Output primitives. */

static void
out(struct emitter *e, const char *s, size_t len)
{
	if (len > 0 && fwrite(s, 1, len, e->fp) != len)
		die("write %s: %s", tmpname, strerror(errno));
}

static void
outz(struct emitter *e, const char *s)
{
	out(e, s, strlen(s));
}

static void
out_indent(struct emitter *e, int n)
{
	while (n > 0) {
		int k = n < (int)sizeof(spaces) - 1 ? n : (int)sizeof(spaces) - 1;

		out(e, spaces, (size_t)k);
		n -= k;
	}
}

/* Does s match [-+]?[0-9]+ or go-yaml's float pattern? */
static int
yaml_is_number(const char *s)
{
	const char *p = s;
	int digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/*
 * The style go-yaml v2 gives a string. A string that would read back as
 * another type (null, bool, number, timestamp) is double-quoted. Else it
 * is plain, unless the emitter finds a block indicator in it, in which
 * case it is single-quoted. This covers what the generator writes, not
 * all of YAML.
 */
enum yaml_style {
	YS_PLAIN,
	YS_SINGLE,
	YS_DOUBLE
};

static enum yaml_style
yaml_style(const char *s)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES",
		"n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
		"False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
		".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "<<",
	};
	size_t i, len = strlen(s);

	if (len == 0 || yaml_is_number(s))
		return YS_DOUBLE;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return YS_DOUBLE;
	if (len >= 10 && s[4] == '-' && s[7] == '-' &&
	    s[0] >= '0' && s[0] <= '9')
		return YS_DOUBLE;
	if (strchr("#,[]{}&*!|>'\"%@`", s[0]) != NULL)
		return YS_SINGLE;
	if (strchr("-?:", s[0]) != NULL && (s[1] == '\0' || s[1] == ' '))
		return YS_SINGLE;
	if (strncmp(s, "---", 3) == 0 || strncmp(s, "...", 3) == 0)
		return YS_SINGLE;
	if (s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
		return YS_SINGLE;
	if (strstr(s, ": ") != NULL || strstr(s, " #") != NULL)
		return YS_SINGLE;
	return YS_PLAIN;
}

static void
out_json_string(struct emitter *e, const char *s)
{
	const char *p, *run = s;
	char b[8];

	out(e, "\"", 1);
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' &&
		    c != '>' && c != '&')
			continue;
		out(e, run, (size_t)(p - run));
		if (c == '"' || c == '\\') {
			b[0] = '\\';
			b[1] = (char)c;
			out(e, b, 2);
		} else {
			/* Go's encoder escapes <, > and & as \u00XX too. */
			xsnprintf(b, sizeof(b), "\\u%04x", c);
			out(e, b, 6);
		}
		run = p + 1;
	}
	out(e, run, (size_t)(p - run));
	out(e, "\"", 1);
}

/* Scalar kinds, so JSON can tell strings from bare tokens. */
enum scalar {
	SC_STR,		/* string, quoted as go-yaml would */
	SC_BARE		/* number, bool, null, {} or []: written as is */
};

static void
out_scalar(struct emitter *e, enum scalar sc, const char *s)
{
	if (e->fmt == FMT_JSON) {
		if (sc == SC_BARE)
			outz(e, s);
		else
			out_json_string(e, s);
		return;
	}
	if (sc == SC_BARE) {
		outz(e, s);
		return;
	}
	switch (yaml_style(s)) {
	case YS_PLAIN:
		outz(e, s);
		break;
	case YS_SINGLE:
		/* Generated strings hold no single quotes to double. */
		out(e, "'", 1);
		outz(e, s);
		out(e, "'", 1);
		break;
	case YS_DOUBLE:
		/* ... nor characters that need escapes. */
		out(e, "\"", 1);
		outz(e, s);
		out(e, "\"", 1);
		break;
	}
}

/*
 * Start a new entry in the current container: the indent, the dash of a
 * sequence item or the first key of an item map, the JSON comma, and the
 * key if there is one.
 */
static void
entry(struct emitter *e, const char *key)
{
	struct frame *f = &e->st[e->depth - 1];

	if (e->fmt == FMT_JSON) {
		outz(e, f->count > 0 ? ",\n" : "\n");
		out_indent(e, f->indent);
		if (key != NULL) {
			out_json_string(e, key);
			out(e, ": ", 2);
		}
	} else if (f->kind == FRAME_SEQ) {
		out_indent(e, f->indent);
		out(e, "- ", 2);
	} else {
		if (f->dash) {
			out_indent(e, f->indent - 2);
			out(e, "- ", 2);
			f->dash = 0;
		} else {
			out_indent(e, f->indent);
		}
		outz(e, key);
		out(e, ":", 1);
	}
	f->count++;
}

static void
push(struct emitter *e, enum frame_kind kind, int indent, int dash)
{
	struct frame *f;

	if (e->depth >= MAX_DEPTH)
		die("nesting deeper than %d", MAX_DEPTH);
	f = &e->st[e->depth++];
	f->kind = kind;
	f->indent = indent;
	f->dash = dash;
	f->count = 0;
}

static int
cur_indent(const struct emitter *e)
{
	return e->st[e->depth - 1].indent;
}

/* key: scalar */
static void
kv(struct emitter *e, const char *key, enum scalar sc, const char *s)
{
	entry(e, key);
	if (e->fmt == FMT_YAML)
		out(e, " ", 1);
	out_scalar(e, sc, s);
	if (e->fmt == FMT_YAML)
		out(e, "\n", 1);
}

static void
kvs(struct emitter *e, const char *key, const char *s)
{
	kv(e, key, SC_STR, s);
}

static void
kvu(struct emitter *e, const char *key, uint64_t v)
{
	char b[24];

	xsnprintf(b, sizeof(b), "%" PRIu64, v);
	kv(e, key, SC_BARE, b);
}

static void
kvb(struct emitter *e, const char *key, int v)
{
	kv(e, key, SC_BARE, v ? "true" : "false");
}

/* key: {} or key: [] */
static void
kv_empty(struct emitter *e, const char *key, enum frame_kind kind)
{
	kv(e, key, SC_BARE, kind == FRAME_MAP ? "{}" : "[]");
}

/* key: followed by a non-empty map or sequence. */
static void
begin(struct emitter *e, const char *key, enum frame_kind kind)
{
	int ind = cur_indent(e);

	entry(e, key);
	if (e->fmt == FMT_JSON) {
		out(e, kind == FRAME_MAP ? "{" : "[", 1);
		push(e, kind, ind + 4, 0);
		return;
	}
	out(e, "\n", 1);
	/* go-yaml does not indent a sequence under its key. */
	push(e, kind, kind == FRAME_MAP ? ind + 2 : ind, 0);
}

static void
begin_map(struct emitter *e, const char *key)
{
	begin(e, key, FRAME_MAP);
}

static void
begin_seq(struct emitter *e, const char *key)
{
	begin(e, key, FRAME_SEQ);
}

/* A non-empty map as the next item of the current sequence. */
static void
item_map(struct emitter *e)
{
	int ind = cur_indent(e);

	if (e->fmt == FMT_JSON) {
		entry(e, NULL);
		out(e, "{", 1);
		push(e, FRAME_MAP, ind + 4, 0);
		return;
	}
	e->st[e->depth - 1].count++;
	push(e, FRAME_MAP, ind + 2, 1);
}

/* A scalar as the next item of the current sequence. */
static void
item(struct emitter *e, enum scalar sc, const char *s)
{
	entry(e, NULL);
	out_scalar(e, sc, s);
	if (e->fmt == FMT_YAML)
		out(e, "\n", 1);
}

static void
end(struct emitter *e)
{
	struct frame *f = &e->st[--e->depth];

	if (e->fmt == FMT_JSON) {
		out(e, "\n", 1);
		out_indent(e, f->indent - 4);
		out(e, f->kind == FRAME_MAP ? "}" : "]", 1);
	}
}

/* Values. */

/* The alphabet of Kubernetes generated name suffixes (SafeEncodeString). */
static const char safe_alpha[] = "bcdfghjklmnpqrstvwxz2456789";

static void
rand_suffix(char *b, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		b[i] = safe_alpha[seed % (sizeof(safe_alpha) - 1)];
		seed = seed / (sizeof(safe_alpha) - 1) ^ mix64(seed + i);
	}
	b[n] = '\0';
}

static void
rand_hex(char *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	uint64_t r = 0;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			r = rnd();
		b[i] = hex[r & 15];
		r >>= 4;
	}
	b[n] = '\0';
}

static void
uuid_from(char *b, size_t size, uint64_t a, uint64_t c)
{
	xsnprintf(b, size, "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32
	    "-%04" PRIx32 "-%012" PRIx64,
	    (uint32_t)(a >> 32), (uint32_t)(a >> 16) & 0xffff,
	    (uint32_t)a & 0xfff, (uint32_t)(0x8000 | ((c >> 48) & 0x3fff)),
	    (uint64_t)(c & 0xffffffffffffULL));
}

static void
rand_uuid(char *b, size_t size)
{
	uint64_t a = rnd();

	uuid_from(b, size, a, rnd());
}

/* Seconds since 1970 to RFC 3339 UTC, without gmtime. */
static void
timestamp(char *b, size_t size, int64_t t)
{
	int64_t days = t / 86400, secs = t % 86400;
	int64_t z = days + 719468, era = z / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	xsnprintf(b, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m,
	    (int)d, (int)(secs / 3600), (int)(secs / 60 % 60),
	    (int)(secs % 60));
}

#define EPOCH_BASE	1677628800	/* 2023-03-01T00:00:00Z */

static void
node_name(char *b, size_t size, unsigned n)
{
	xsnprintf(b, size, "node-%05u", n);
}

static void
node_ip(char *b, size_t size, unsigned n)
{
	/* Skip .0 to .9 of the first /24: network, gateway, and so on. */
	n += 10;
	xsnprintf(b, size, "10.%u.%u.%u", 16 + n / 65536, n / 256 % 256,
	    n % 256);
}

/* Tables for realistic names. */

static const char *const namespaces[NNAMESPACES] = {
	"kube-system", "monitoring", "ingress-nginx", "cert-manager",
	"logging", "istio-system", "argocd", "kube-public", "default",
	"vault", "external-dns", "velero", "kyverno", "keda", "gatekeeper",
	"team-payments", "team-checkout", "team-search", "team-catalog",
	"team-identity", "team-billing", "team-ledger", "team-growth",
	"team-data", "team-ml", "team-mobile", "team-web", "team-platform",
	"team-risk", "team-fraud", "team-ads", "team-recs", "team-media",
	"team-notify", "team-support", "team-infra", "team-sre",
	"team-security", "team-edge", "team-api", "team-events",
	"team-orders", "team-stock", "team-ship", "team-pricing",
	"team-crm", "team-hr", "team-finance", "staging", "sandbox",
};

static const char *const app_a[] = {
	"checkout", "payments", "orders", "catalog", "search", "identity",
	"billing", "ledger", "cart", "pricing", "inventory", "shipping",
	"notify", "profile", "session", "media", "ads", "recs", "fraud",
	"events", "gateway", "reports", "audit", "export",
};

static const char *const app_b[] = {
	"api", "worker", "consumer", "frontend", "backend", "cron",
	"sync", "indexer", "scheduler", "proxy", "cache", "db",
};

struct image {
	const char *repo;
	const char *tag;
	const char *port_name;
	unsigned port;
};

static const struct image public_images[] = {
	{ "docker.io/library/nginx", "1.25.3", "http", 80 },
	{ "docker.io/library/redis", "7.2.3-alpine", "redis", 6379 },
	{ "docker.io/library/postgres", "15.5", "postgres", 5432 },
	{ "quay.io/prometheus/prometheus", "v2.48.0", "web", 9090 },
	{ "docker.io/bitnami/kafka", "3.6.0-debian-11-r0", "kafka", 9092 },
	{ "docker.io/grafana/grafana", "10.2.2", "grafana", 3000 },
	{ "registry.k8s.io/ingress-nginx/controller", "v1.9.4", "http", 80 },
	{ "quay.io/jetstack/cert-manager-controller", "v1.13.2", "http-metrics", 9402 },
	{ "docker.io/library/memcached", "1.6.22", "memcache", 11211 },
	{ "docker.io/library/rabbitmq", "3.12.10-management", "amqp", 5672 },
};

static const struct image sidecar_images[] = {
	{ "docker.io/istio/proxyv2", "1.20.1", "http-envoy-prom", 15090 },
	{ "cr.fluentbit.io/fluent/fluent-bit", "2.2.0", "metrics", 2020 },
	{ "docker.io/envoyproxy/envoy", "v1.28.0", "admin", 9901 },
	{ "quay.io/oauth2-proxy/oauth2-proxy", "v7.5.1", "proxy", 4180 },
};

static const char *const sidecar_names[] = {
	"istio-proxy", "log-shipper", "envoy", "oauth2-proxy",
};

static const char *const env_names[] = {
	"LOG_LEVEL", "HTTP_PORT", "GOMAXPROCS", "OTEL_EXPORTER_OTLP_ENDPOINT",
	"DATABASE_HOST", "CACHE_TTL_SECONDS", "FEATURE_FLAGS", "REGION",
	"JAVA_TOOL_OPTIONS", "SPRING_PROFILES_ACTIVE",
};

static const char *const env_values[] = {
	"info", "8080", "2", "http://otel-collector.monitoring.svc:4317",
	"postgres.team-data.svc.cluster.local", "300",
	"new-checkout,fast-search", "eu-west-1",
	"-XX:MaxRAMPercentage=75.0", "production",
};

static const char *const cpu_req[] = { "50m", "100m", "250m", "500m", "1" };
static const char *const mem_req[] = { "64Mi", "128Mi", "256Mi", "512Mi", "1Gi" };
static const char *const cpu_lim[] = { "200m", "500m", "1", "2", "4" };
static const char *const mem_lim[] = { "256Mi", "512Mi", "1Gi", "2Gi", "4Gi" };

enum owner_kind {
	OWN_REPLICASET,
	OWN_STATEFULSET,
	OWN_DAEMONSET,
	OWN_JOB
};

static const char *const owner_kinds[] = {
	"ReplicaSet", "StatefulSet", "DaemonSet", "Job",
};

/*
 * A workload: everything its pods share, derived from its index alone so
 * nothing has to be remembered between pods.
 */
struct workload {
	char app[64];
	char owner[96];
	char hash[16];
	char owner_uid[40];
	char restarted[32];
	const char *ns;
	const char *component;
	enum owner_kind kind;
	unsigned replicas;
	unsigned ncontainers;
	int init;
	int internal;			/* our registry rather than public */
	unsigned image;			/* public_images or version */
	unsigned sidecar[2];
	unsigned nenv;
	unsigned env0;
	int probes;
	uint64_t h;
};

static void
workload_make(struct workload *w, uint64_t id)
{
	uint64_t h = hash2(1, id);
	unsigned pick = (unsigned)(h % 100);

	w->h = h;
	w->ns = namespaces[(h >> 8) % NNAMESPACES];
	w->component = app_b[(h >> 24) % (sizeof(app_b) / sizeof(app_b[0]))];
	xsnprintf(w->app, sizeof(w->app), "%s-%s",
	    app_a[(h >> 16) % (sizeof(app_a) / sizeof(app_a[0]))],
	    w->component);
	timestamp(w->restarted, sizeof(w->restarted),
	    EPOCH_BASE + (int64_t)(hash2(6, id) % (100u * 86400u)));
	if (pick < 70)
		w->kind = OWN_REPLICASET;
	else if (pick < 85)
		w->kind = OWN_STATEFULSET;
	else if (pick < 95)
		w->kind = OWN_DAEMONSET;
	else
		w->kind = OWN_JOB;
	rand_suffix(w->hash, 10, hash2(2, id));
	switch (w->kind) {
	case OWN_REPLICASET:
		xsnprintf(w->owner, sizeof(w->owner), "%s-%s", w->app, w->hash);
		break;
	case OWN_JOB:
		xsnprintf(w->owner, sizeof(w->owner), "%s-%" PRIu64, w->app,
		    28000000 + (hash2(3, id) % 1000000));
		break;
	default:
		xsnprintf(w->owner, sizeof(w->owner), "%s", w->app);
		break;
	}
	uuid_from(w->owner_uid, sizeof(w->owner_uid), hash2(4, id),
	    hash2(5, id));
	w->replicas = 1 + (unsigned)((h >> 32) % 6);
	pick = (unsigned)((h >> 36) % 20);
	w->ncontainers = pick < 10 ? 1 : pick < 17 ? 2 : 3;
	w->init = ((h >> 40) % 4) == 0;
	w->internal = ((h >> 42) % 3) != 0;
	w->image = (unsigned)((h >> 44) % 10);
	w->sidecar[0] = (unsigned)((h >> 48) % 4);
	w->sidecar[1] = (w->sidecar[0] + 1) % 4;
	w->nenv = 2 + (unsigned)((h >> 52) % 6);
	w->env0 = (unsigned)((h >> 56) % 10);
	w->probes = ((h >> 60) % 4) != 0;
}

static void
image_of(const struct workload *w, unsigned c, char *ref, size_t size,
    const struct image **im)
{
	if (c == 0) {
		if (w->internal) {
			xsnprintf(ref, size,
			    "registry.example.com/%s/%s:v1.%u.%u", w->ns,
			    w->app, w->image + 3, (unsigned)(w->h >> 20) % 17);
			*im = NULL;
			return;
		}
		*im = &public_images[w->image];
	} else {
		*im = &sidecar_images[w->sidecar[c - 1]];
	}
	xsnprintf(ref, size, "%s:%s", (*im)->repo, (*im)->tag);
}

static void
container_name(const struct workload *w, unsigned c, char *b, size_t size)
{
	if (c == 0)
		xsnprintf(b, size, "%s", w->app);
	else
		xsnprintf(b, size, "%s", sidecar_names[w->sidecar[c - 1]]);
}

static void
probe(struct emitter *e, const char *key, unsigned port, const char *path,
    unsigned delay)
{
	begin_map(e, key);
	kvu(e, "failureThreshold", 3);
	begin_map(e, "httpGet");
	kvs(e, "path", path);
	kvu(e, "port", port);
	kvs(e, "scheme", "HTTP");
	end(e);
	kvu(e, "initialDelaySeconds", delay);
	kvu(e, "periodSeconds", 10);
	kvu(e, "successThreshold", 1);
	kvu(e, "timeoutSeconds", 1);
	end(e);
}

static void
emit_container(struct emitter *e, const struct workload *w, unsigned c,
    const char *sa_vol)
{
	char ref[256], name[64];
	const struct image *im;
	unsigned port, r, i;

	image_of(w, c, ref, sizeof(ref), &im);
	container_name(w, c, name, sizeof(name));
	port = im != NULL ? im->port : 8080;
	r = (unsigned)((w->h >> (c * 4)) % 5);

	item_map(e);
	if (c > 0 && w->sidecar[c - 1] == 0) {
		begin_seq(e, "args");
		item(e, SC_STR, "proxy");
		item(e, SC_STR, "sidecar");
		item(e, SC_STR, "--domain");
		item(e, SC_STR, "$(POD_NAMESPACE).svc.cluster.local");
		item(e, SC_STR, "--proxyLogLevel=warning");
		end(e);
	}
	begin_seq(e, "env");
	for (i = 0; i < (c == 0 ? w->nenv : 2); i++) {
		unsigned k = (w->env0 + i) % 10;

		item_map(e);
		kvs(e, "name", env_names[k]);
		kvs(e, "value", env_values[k]);
		end(e);
	}
	item_map(e);
	kvs(e, "name", "POD_NAMESPACE");
	begin_map(e, "valueFrom");
	begin_map(e, "fieldRef");
	kvs(e, "apiVersion", "v1");
	kvs(e, "fieldPath", "metadata.namespace");
	end(e);
	end(e);
	end(e);
	end(e);
	kvs(e, "image", ref);
	kvs(e, "imagePullPolicy", "IfNotPresent");
	if (w->probes)
		probe(e, "livenessProbe", port, "/healthz", 15);
	kvs(e, "name", name);
	begin_seq(e, "ports");
	item_map(e);
	kvu(e, "containerPort", port);
	kvs(e, "name", im != NULL ? im->port_name : "http");
	kvs(e, "protocol", "TCP");
	end(e);
	end(e);
	if (w->probes)
		probe(e, "readinessProbe", port,
		    c == 0 ? "/readyz" : "/healthz/ready", 5);
	begin_map(e, "resources");
	begin_map(e, "limits");
	kvs(e, "cpu", cpu_lim[r]);
	kvs(e, "memory", mem_lim[r]);
	end(e);
	begin_map(e, "requests");
	kvs(e, "cpu", cpu_req[r]);
	kvs(e, "memory", mem_req[r]);
	end(e);
	end(e);
	begin_map(e, "securityContext");
	kvb(e, "allowPrivilegeEscalation", 0);
	begin_map(e, "capabilities");
	begin_seq(e, "drop");
	item(e, SC_STR, "ALL");
	end(e);
	end(e);
	kvb(e, "readOnlyRootFilesystem", 1);
	kvb(e, "runAsNonRoot", 1);
	kvu(e, "runAsUser", 1000 + c);
	end(e);
	kvs(e, "terminationMessagePath", "/dev/termination-log");
	kvs(e, "terminationMessagePolicy", "File");
	begin_seq(e, "volumeMounts");
	if (c == 0) {
		item_map(e);
		kvs(e, "mountPath", "/etc/app");
		kvs(e, "name", "config");
		kvb(e, "readOnly", 1);
		end(e);
	}
	item_map(e);
	kvs(e, "mountPath", "/tmp");
	kvs(e, "name", "tmp");
	end(e);
	item_map(e);
	kvs(e, "mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
	kvs(e, "name", sa_vol);
	kvb(e, "readOnly", 1);
	end(e);
	end(e);
	end(e);
}

static void
emit_init_container(struct emitter *e, const char *sa_vol)
{
	item_map(e);
	begin_seq(e, "command");
	item(e, SC_STR, "sh");
	item(e, SC_STR, "-c");
	item(e, SC_STR, "until nc -z postgres 5432; do sleep 2; done");
	end(e);
	kvs(e, "image", "docker.io/library/busybox:1.36.1");
	kvs(e, "imagePullPolicy", "IfNotPresent");
	kvs(e, "name", "wait-for-db");
	kv_empty(e, "resources", FRAME_MAP);
	kvs(e, "terminationMessagePath", "/dev/termination-log");
	kvs(e, "terminationMessagePolicy", "File");
	begin_seq(e, "volumeMounts");
	item_map(e);
	kvs(e, "mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
	kvs(e, "name", sa_vol);
	kvb(e, "readOnly", 1);
	end(e);
	end(e);
	end(e);
}

static void
toleration(struct emitter *e, const char *key, const char *effect,
    unsigned secs)
{
	item_map(e);
	kvs(e, "effect", effect);
	kvs(e, "key", key);
	kvs(e, "operator", "Exists");
	if (secs > 0)
		kvu(e, "tolerationSeconds", secs);
	end(e);
}

static void
condition(struct emitter *e, const char *type, int ok, const char *t,
    const char *reason, const char *message)
{
	item_map(e);
	kv(e, "lastProbeTime", SC_BARE, "null");
	kvs(e, "lastTransitionTime", t);
	if (message != NULL)
		kvs(e, "message", message);
	if (reason != NULL)
		kvs(e, "reason", reason);
	kvs(e, "status", ok ? "True" : "False");
	kvs(e, "type", type);
	end(e);
}

static void
container_status(struct emitter *e, const struct workload *w, unsigned c,
    int ready, const char *started, unsigned restarts)
{
	char ref[256], name[64], b[320], hex[65];
	const struct image *im;

	image_of(w, c, ref, sizeof(ref), &im);
	container_name(w, c, name, sizeof(name));
	item_map(e);
	rand_hex(hex, 64);
	xsnprintf(b, sizeof(b), "containerd://%s", hex);
	kvs(e, "containerID", b);
	kvs(e, "image", ref);
	/* The digest belongs to the image, so derive it from the name. */
	{
		uint64_t d = fnv64(ref);
		char *colon = strrchr(ref, ':');

		if (colon != NULL)
			*colon = '\0';
		xsnprintf(b, sizeof(b),
		    "%s@sha256:%016" PRIx64 "%016" PRIx64 "%016" PRIx64
		    "%016" PRIx64, ref, d, mix64(d), mix64(d + 1),
		    mix64(d + 2));
	}
	kvs(e, "imageID", b);
	if (restarts > 0) {
		begin_map(e, "lastState");
		begin_map(e, "terminated");
		rand_hex(hex, 64);
		xsnprintf(b, sizeof(b), "containerd://%s", hex);
		kvs(e, "containerID", b);
		kvu(e, "exitCode", 137);
		kvs(e, "finishedAt", started);
		kvs(e, "reason", "OOMKilled");
		kvs(e, "startedAt", started);
		end(e);
		end(e);
	} else {
		kv_empty(e, "lastState", FRAME_MAP);
	}
	kvs(e, "name", name);
	kvb(e, "ready", ready);
	kvu(e, "restartCount", restarts);
	kvb(e, "started", 1);
	begin_map(e, "state");
	begin_map(e, "running");
	kvs(e, "startedAt", started);
	end(e);
	end(e);
	end(e);
}

static void
emit_pod(struct emitter *e, uint64_t idx, const struct workload *w,
    unsigned replica)
{
	char name[160], b[256], uid[40], created[32], started[32];
	char sfx[8], sa_vol[40], ip[32], hostip[32], node[16];
	unsigned nodeno, c, restarts;
	int ready;
	int64_t t;

	if (w->kind == OWN_DAEMONSET)
		nodeno = (unsigned)((idx + replica * 997) % NNODES);
	else
		nodeno = rnd_below(NNODES);
	node_name(node, sizeof(node), nodeno);
	node_ip(hostip, sizeof(hostip), nodeno);
	xsnprintf(ip, sizeof(ip), "10.%u.%u.%u", 64 + nodeno / 256 % 64,
	    nodeno % 256, 2 + rnd_below(250));
	rand_suffix(sfx, 5, rnd());
	switch (w->kind) {
	case OWN_STATEFULSET:
		xsnprintf(name, sizeof(name), "%s-%u", w->owner, replica);
		break;
	default:
		xsnprintf(name, sizeof(name), "%s-%s", w->owner, sfx);
		break;
	}
	rand_suffix(b, 5, rnd());
	xsnprintf(sa_vol, sizeof(sa_vol), "kube-api-access-%s", b);
	rand_uuid(uid, sizeof(uid));
	t = EPOCH_BASE + (int64_t)(rnd() % (200u * 86400u));
	timestamp(created, sizeof(created), t);
	timestamp(started, sizeof(started), t + 3 + rnd_below(20));
	restarts = rnd_below(10) == 0 ? 1 + rnd_below(4) : 0;
	ready = rnd_below(50) != 0;

	item_map(e);
	kvs(e, "apiVersion", "v1");
	kvs(e, "kind", "Pod");

	begin_map(e, "metadata");
	begin_map(e, "annotations");
	xsnprintf(b, sizeof(b), "%016" PRIx64 "%016" PRIx64, hash2(8, w->h),
	    hash2(9, w->h));
	kvs(e, "checksum/config", b);
	xsnprintf(b, sizeof(b), "%s/32", ip);
	kvs(e, "cni.projectcalico.org/containerID", "");
	kvs(e, "cni.projectcalico.org/podIP", b);
	kvs(e, "cni.projectcalico.org/podIPs", b);
	kvs(e, "kubectl.kubernetes.io/default-container", w->app);
	kvs(e, "kubectl.kubernetes.io/restartedAt", w->restarted);
	kvs(e, "prometheus.io/path", "/metrics");
	kvs(e, "prometheus.io/port", "9090");
	kvs(e, "prometheus.io/scrape", "true");
	end(e);
	kvs(e, "creationTimestamp", created);
	xsnprintf(b, sizeof(b), "%s-", w->owner);
	kvs(e, "generateName", b);
	begin_map(e, "labels");
	kvs(e, "app.kubernetes.io/component", w->component);
	kvs(e, "app.kubernetes.io/instance", w->app);
	kvs(e, "app.kubernetes.io/managed-by", "Helm");
	kvs(e, "app.kubernetes.io/name", w->app);
	kvs(e, "app.kubernetes.io/part-of", w->ns);
	xsnprintf(b, sizeof(b), "%u.%u.%u", 1, w->image + 3,
	    (unsigned)(w->h >> 20) % 17);
	kvs(e, "app.kubernetes.io/version", b);
	switch (w->kind) {
	case OWN_REPLICASET:
		kvs(e, "pod-template-hash", w->hash);
		break;
	case OWN_STATEFULSET:
		xsnprintf(b, sizeof(b), "%s-%s", w->app, w->hash);
		kvs(e, "controller-revision-hash", b);
		break;
	case OWN_DAEMONSET:
		kvs(e, "controller-revision-hash", w->hash);
		kvs(e, "pod-template-generation", "3");
		break;
	case OWN_JOB:
		kvs(e, "batch.kubernetes.io/job-name", w->owner);
		kvs(e, "job-name", w->owner);
		break;
	}
	kvs(e, "security.istio.io/tlsMode", "istio");
	if (w->kind == OWN_STATEFULSET)
		kvs(e, "statefulset.kubernetes.io/pod-name", name);
	end(e);
	kvs(e, "name", name);
	kvs(e, "namespace", w->ns);
	begin_seq(e, "ownerReferences");
	item_map(e);
	kvs(e, "apiVersion", w->kind == OWN_JOB ? "batch/v1" : "apps/v1");
	kvb(e, "blockOwnerDeletion", 1);
	kvb(e, "controller", 1);
	kvs(e, "kind", owner_kinds[w->kind]);
	kvs(e, "name", w->owner);
	kvs(e, "uid", w->owner_uid);
	end(e);
	end(e);
	xsnprintf(b, sizeof(b), "%" PRIu64, 1000000 + idx * 37 + rnd_below(37));
	kvs(e, "resourceVersion", b);
	kvs(e, "uid", uid);
	end(e);

	begin_map(e, "spec");
	if (w->replicas > 2 && w->kind == OWN_REPLICASET) {
		begin_map(e, "affinity");
		begin_map(e, "podAntiAffinity");
		begin_seq(e, "preferredDuringSchedulingIgnoredDuringExecution");
		item_map(e);
		begin_map(e, "podAffinityTerm");
		begin_map(e, "labelSelector");
		begin_map(e, "matchLabels");
		kvs(e, "app.kubernetes.io/name", w->app);
		end(e);
		end(e);
		kvs(e, "topologyKey", "kubernetes.io/hostname");
		end(e);
		kvu(e, "weight", 100);
		end(e);
		end(e);
		end(e);
		end(e);
	}
	begin_seq(e, "containers");
	for (c = 0; c < w->ncontainers; c++)
		emit_container(e, w, c, sa_vol);
	end(e);
	kvs(e, "dnsPolicy", "ClusterFirst");
	kvb(e, "enableServiceLinks", 1);
	if (w->init) {
		begin_seq(e, "initContainers");
		emit_init_container(e, sa_vol);
		end(e);
	}
	kvs(e, "nodeName", node);
	begin_map(e, "nodeSelector");
	kvs(e, "kubernetes.io/os", "linux");
	end(e);
	kvs(e, "preemptionPolicy", "PreemptLowerPriority");
	kvu(e, "priority", 0);
	kvs(e, "restartPolicy", w->kind == OWN_JOB ? "OnFailure" : "Always");
	kvs(e, "schedulerName", "default-scheduler");
	begin_map(e, "securityContext");
	kvu(e, "fsGroup", 2000);
	begin_map(e, "seccompProfile");
	kvs(e, "type", "RuntimeDefault");
	end(e);
	end(e);
	kvs(e, "serviceAccount", w->app);
	kvs(e, "serviceAccountName", w->app);
	kvu(e, "terminationGracePeriodSeconds", 30);
	begin_seq(e, "tolerations");
	if (w->kind == OWN_DAEMONSET) {
		toleration(e, "node.kubernetes.io/disk-pressure", "NoSchedule", 0);
		toleration(e, "node.kubernetes.io/memory-pressure", "NoSchedule", 0);
		toleration(e, "node.kubernetes.io/pid-pressure", "NoSchedule", 0);
		toleration(e, "node.kubernetes.io/unschedulable", "NoSchedule", 0);
	}
	toleration(e, "node.kubernetes.io/not-ready", "NoExecute", 300);
	toleration(e, "node.kubernetes.io/unreachable", "NoExecute", 300);
	end(e);
	begin_seq(e, "volumes");
	item_map(e);
	begin_map(e, "configMap");
	kvu(e, "defaultMode", 420);
	xsnprintf(b, sizeof(b), "%s-config", w->app);
	kvs(e, "name", b);
	end(e);
	kvs(e, "name", "config");
	end(e);
	item_map(e);
	kv_empty(e, "emptyDir", FRAME_MAP);
	kvs(e, "name", "tmp");
	end(e);
	item_map(e);
	kvs(e, "name", sa_vol);
	begin_map(e, "projected");
	kvu(e, "defaultMode", 420);
	begin_seq(e, "sources");
	item_map(e);
	begin_map(e, "serviceAccountToken");
	kvu(e, "expirationSeconds", 3607);
	kvs(e, "path", "token");
	end(e);
	end(e);
	item_map(e);
	begin_map(e, "configMap");
	begin_seq(e, "items");
	item_map(e);
	kvs(e, "key", "ca.crt");
	kvs(e, "path", "ca.crt");
	end(e);
	end(e);
	kvs(e, "name", "kube-root-ca.crt");
	end(e);
	end(e);
	item_map(e);
	begin_map(e, "downwardAPI");
	begin_seq(e, "items");
	item_map(e);
	begin_map(e, "fieldRef");
	kvs(e, "apiVersion", "v1");
	kvs(e, "fieldPath", "metadata.namespace");
	end(e);
	kvs(e, "path", "namespace");
	end(e);
	end(e);
	end(e);
	end(e);
	end(e);
	end(e);
	end(e);
	end(e);
	end(e);

	begin_map(e, "status");
	begin_seq(e, "conditions");
	condition(e, "Initialized", 1, created, NULL, NULL);
	xsnprintf(b, sizeof(b), "containers with unready status: [%s]", w->app);
	condition(e, "Ready", ready, started, ready ? NULL : "ContainersNotReady",
	    ready ? NULL : b);
	condition(e, "ContainersReady", ready, started,
	    ready ? NULL : "ContainersNotReady", ready ? NULL : b);
	condition(e, "PodScheduled", 1, created, NULL, NULL);
	end(e);
	begin_seq(e, "containerStatuses");
	for (c = 0; c < w->ncontainers; c++)
		container_status(e, w, c, c == 0 ? ready : 1, started,
		    c == 0 ? restarts : 0);
	end(e);
	kvs(e, "hostIP", hostip);
	begin_seq(e, "hostIPs");
	item_map(e);
	kvs(e, "ip", hostip);
	end(e);
	end(e);
	if (w->init) {
		begin_seq(e, "initContainerStatuses");
		item_map(e);
		{
			char hex[65];

			rand_hex(hex, 64);
			xsnprintf(b, sizeof(b), "containerd://%s", hex);
		}
		kvs(e, "containerID", b);
		kvs(e, "image", "docker.io/library/busybox:1.36.1");
		kvs(e, "imageID", "docker.io/library/busybox@sha256:"
		    "6d9ac9237a84afe1516540f40a0fafdc86859b2141954b4d643af7066d598b74");
		kv_empty(e, "lastState", FRAME_MAP);
		kvs(e, "name", "wait-for-db");
		kvb(e, "ready", 1);
		kvu(e, "restartCount", 0);
		begin_map(e, "state");
		begin_map(e, "terminated");
		kvs(e, "containerID", b);
		kvu(e, "exitCode", 0);
		kvs(e, "finishedAt", started);
		kvs(e, "reason", "Completed");
		kvs(e, "startedAt", created);
		end(e);
		end(e);
		end(e);
		end(e);
	}
	kvs(e, "phase", "Running");
	kvs(e, "podIP", ip);
	begin_seq(e, "podIPs");
	item_map(e);
	kvs(e, "ip", ip);
	end(e);
	end(e);
	kvs(e, "qosClass", "Burstable");
	kvs(e, "startTime", created);
	end(e);
	end(e);
}

static void
gen_pods(struct emitter *e, uint64_t count)
{
	struct workload w;
	uint64_t i = 0, wid = 0;
	unsigned r;

	while (i < count) {
		workload_make(&w, wid++);
		for (r = 0; r < w.replicas && i < count; r++, i++)
			emit_pod(e, i, &w, r);
	}
}

/* Nodes. */

static const char *const node_images[] = {
	"registry.k8s.io/kube-apiserver", "registry.k8s.io/kube-controller-manager",
	"registry.k8s.io/kube-scheduler", "registry.k8s.io/etcd",
	"registry.k8s.io/kube-proxy", "registry.k8s.io/coredns/coredns",
	"registry.k8s.io/pause", "docker.io/calico/node", "docker.io/calico/cni",
	"docker.io/calico/kube-controllers", "quay.io/prometheus/node-exporter",
	"cr.fluentbit.io/fluent/fluent-bit", "docker.io/istio/proxyv2",
	"docker.io/library/nginx", "docker.io/library/redis",
	"docker.io/library/postgres", "docker.io/library/busybox",
	"registry.k8s.io/ingress-nginx/controller",
	"quay.io/jetstack/cert-manager-controller", "docker.io/grafana/grafana",
	"quay.io/prometheus/prometheus", "docker.io/bitnami/kafka",
	"registry.example.com/team-payments/payments-api",
	"registry.example.com/team-checkout/checkout-worker",
	"registry.example.com/team-search/search-indexer",
	"registry.example.com/team-catalog/catalog-api",
	"registry.example.com/team-identity/identity-frontend",
	"registry.example.com/team-billing/billing-cron",
	"registry.example.com/team-orders/orders-consumer",
	"registry.example.com/team-data/events-sync",
	"docker.io/envoyproxy/envoy", "quay.io/oauth2-proxy/oauth2-proxy",
	"docker.io/library/memcached", "docker.io/library/rabbitmq",
	"registry.example.com/team-ml/recs-api",
	"registry.example.com/team-fraud/fraud-scheduler",
	"registry.example.com/team-media/media-proxy",
};

static const char *const node_tags[] = {
	"v1.27.3", "v1.27.3", "v1.27.3", "3.5.7-0", "v1.27.3", "v1.10.1",
	"3.9", "v3.26.4", "v3.26.4", "v3.26.4", "v1.6.1", "2.2.0", "1.20.1",
	"1.25.3", "7.2.3-alpine", "15.5", "1.36.1", "v1.9.4", "v1.13.2",
	"10.2.2", "v2.48.0", "3.6.0-debian-11-r0", "v1.4.2", "v1.7.0",
	"v1.3.11", "v1.5.1", "v1.8.4", "v1.6.9", "v1.9.2", "v1.3.3",
	"v1.28.0", "v7.5.1", "1.6.22", "3.12.10-management", "v1.4.0",
	"v1.11.2", "v1.3.8",
};

_Static_assert(sizeof(node_images) == sizeof(node_tags),
    "node_images and node_tags must pair up");

static void
node_condition(struct emitter *e, const char *type, int status,
    const char *hb, const char *since, const char *reason, const char *msg)
{
	item_map(e);
	kvs(e, "lastHeartbeatTime", hb);
	kvs(e, "lastTransitionTime", since);
	kvs(e, "message", msg);
	kvs(e, "reason", reason);
	kvs(e, "status", status ? "True" : "False");
	kvs(e, "type", type);
	end(e);
}

static void
resources(struct emitter *e, const char *key, unsigned cpus, unsigned gib,
    int alloc)
{
	char b[32];

	begin_map(e, key);
	xsnprintf(b, sizeof(b), "%u", cpus);
	kvs(e, "cpu", b);
	kvs(e, "ephemeral-storage", alloc ? "95491020087" : "101430960Ki");
	kvs(e, "hugepages-1Gi", "0");
	kvs(e, "hugepages-2Mi", "0");
	xsnprintf(b, sizeof(b), "%uKi", gib * 1048576u - (alloc ? 102400u : 0u));
	kvs(e, "memory", b);
	kvs(e, "pods", "110");
	end(e);
}

static void
emit_node(struct emitter *e, unsigned n)
{
	char name[16], ip[32], b[320], uid[40], created[32], hb[32];
	unsigned i, nimg, cpus, gib, pick = rnd_below(100);
	int cp = n < 3, ready = rnd_below(100) != 0;
	const char *kver;
	int64_t t;

	/* A mid-upgrade fleet: control plane and most workers on 1.27. */
	if (cp || pick < 80)
		kver = "v1.27.3";
	else if (pick < 95)
		kver = "v1.26.6";
	else
		kver = "v1.25.11";
	node_name(name, sizeof(name), n);
	node_ip(ip, sizeof(ip), n);
	rand_uuid(uid, sizeof(uid));
	t = EPOCH_BASE + (int64_t)n * 60;
	timestamp(created, sizeof(created), t);
	timestamp(hb, sizeof(hb), EPOCH_BASE + 200 * 86400 + rnd_below(40));
	cpus = cp ? 8 : 16u << rnd_below(3);
	gib = cpus * 4;

	item_map(e);
	kvs(e, "apiVersion", "v1");
	kvs(e, "kind", "Node");
	begin_map(e, "metadata");
	begin_map(e, "annotations");
	kvs(e, "csi.volume.kubernetes.io/nodeid",
	    "{\"ebs.csi.aws.com\":\"i-0a1b2c3d4e5f60718\"}");
	kvs(e, "kubeadm.alpha.kubernetes.io/cri-socket",
	    "unix:///var/run/containerd/containerd.sock");
	kvs(e, "node.alpha.kubernetes.io/ttl", "0");
	xsnprintf(b, sizeof(b), "%s/16", ip);
	kvs(e, "projectcalico.org/IPv4Address", b);
	xsnprintf(b, sizeof(b), "10.%u.%u.0", 64 + n / 256 % 64, n % 256);
	kvs(e, "projectcalico.org/IPv4IPIPTunnelAddr", b);
	kvs(e, "volumes.kubernetes.io/controller-managed-attach-detach", "true");
	end(e);
	kvs(e, "creationTimestamp", created);
	begin_map(e, "labels");
	kvs(e, "beta.kubernetes.io/arch", "amd64");
	kvs(e, "beta.kubernetes.io/instance-type", cp ? "m6i.2xlarge" : "m6i.4xlarge");
	kvs(e, "beta.kubernetes.io/os", "linux");
	kvs(e, "failure-domain.beta.kubernetes.io/region", "eu-west-1");
	xsnprintf(b, sizeof(b), "eu-west-1%c", 'a' + (char)(n % 3));
	kvs(e, "failure-domain.beta.kubernetes.io/zone", b);
	kvs(e, "kubernetes.io/arch", "amd64");
	kvs(e, "kubernetes.io/hostname", name);
	kvs(e, "kubernetes.io/os", "linux");
	if (cp) {
		kvs(e, "node-role.kubernetes.io/control-plane", "");
		kvs(e, "node.kubernetes.io/exclude-from-external-load-balancers", "");
	}
	kvs(e, "node.kubernetes.io/instance-type", cp ? "m6i.2xlarge" : "m6i.4xlarge");
	kvs(e, "topology.kubernetes.io/region", "eu-west-1");
	kvs(e, "topology.kubernetes.io/zone", b);
	end(e);
	kvs(e, "name", name);
	xsnprintf(b, sizeof(b), "%u", 50000000 + n * 13 + rnd_below(13));
	kvs(e, "resourceVersion", b);
	kvs(e, "uid", uid);
	end(e);

	begin_map(e, "spec");
	xsnprintf(b, sizeof(b), "10.%u.%u.0/24", 64 + n / 256 % 64, n % 256);
	kvs(e, "podCIDR", b);
	begin_seq(e, "podCIDRs");
	item(e, SC_STR, b);
	end(e);
	xsnprintf(b, sizeof(b), "aws:///eu-west-1%c/i-0%016" PRIx64,
	    'a' + (char)(n % 3), hash2(10, n));
	kvs(e, "providerID", b);
	if (cp) {
		begin_seq(e, "taints");
		item_map(e);
		kvs(e, "effect", "NoSchedule");
		kvs(e, "key", "node-role.kubernetes.io/control-plane");
		end(e);
		end(e);
	}
	end(e);

	begin_map(e, "status");
	begin_seq(e, "addresses");
	item_map(e);
	kvs(e, "address", ip);
	kvs(e, "type", "InternalIP");
	end(e);
	item_map(e);
	kvs(e, "address", name);
	kvs(e, "type", "Hostname");
	end(e);
	end(e);
	resources(e, "allocatable", cpus, gib, 1);
	resources(e, "capacity", cpus, gib, 0);
	begin_seq(e, "conditions");
	node_condition(e, "NetworkUnavailable", 0, created, created,
	    "CalicoIsUp", "Calico is running on this node");
	node_condition(e, "MemoryPressure", 0, hb, created,
	    "KubeletHasSufficientMemory", "kubelet has sufficient memory available");
	node_condition(e, "DiskPressure", 0, hb, created,
	    "KubeletHasNoDiskPressure", "kubelet has no disk pressure");
	node_condition(e, "PIDPressure", 0, hb, created,
	    "KubeletHasSufficientPID", "kubelet has sufficient PID available");
	if (ready)
		node_condition(e, "Ready", 1, hb, created, "KubeletReady",
		    "kubelet is posting ready status. AppArmor enabled");
	else
		node_condition(e, "Ready", 0, hb, hb, "KubeletNotReady",
		    "PLEG is not healthy: pleg was last seen active 3m0s ago");
	end(e);
	begin_map(e, "daemonEndpoints");
	begin_map(e, "kubeletEndpoint");
	kvu(e, "Port", 10250);
	end(e);
	end(e);
	begin_seq(e, "images");
	nimg = sizeof(node_images) / sizeof(node_images[0]);
	for (i = 0; i < nimg; i++) {
		uint64_t d = hash2(11, i);

		/* Control-plane images live on control-plane nodes only. */
		if (!cp && i < 4)
			continue;
		item_map(e);
		begin_seq(e, "names");
		xsnprintf(b, sizeof(b), "%s@sha256:%016" PRIx64 "%016" PRIx64
		    "%016" PRIx64 "%016" PRIx64, node_images[i], d, mix64(d),
		    mix64(d + 1), mix64(d + 2));
		item(e, SC_STR, b);
		xsnprintf(b, sizeof(b), "%s:%s", node_images[i], node_tags[i]);
		item(e, SC_STR, b);
		end(e);
		kvu(e, "sizeBytes", 300000 + hash2(12, i) % 400000000);
		end(e);
	}
	end(e);
	begin_map(e, "nodeInfo");
	kvs(e, "architecture", "amd64");
	rand_uuid(b, sizeof(b));
	kvs(e, "bootID", b);
	kvs(e, "containerRuntimeVersion",
	    pick < 90 ? "containerd://1.6.20" : "containerd://1.7.2");
	kvs(e, "kernelVersion", "5.15.0-1039-aws");
	kvs(e, "kubeProxyVersion", kver);
	kvs(e, "kubeletVersion", kver);
	rand_hex(b, 32);
	kvs(e, "machineID", b);
	kvs(e, "operatingSystem", "linux");
	kvs(e, "osImage", "Ubuntu 22.04.2 LTS");
	xsnprintf(b, sizeof(b), "ec2%05x-%04x-%04x-%04x-%012" PRIx64,
	    rnd_below(0x100000), rnd_below(0x10000), rnd_below(0x10000),
	    rnd_below(0x10000), (uint64_t)(rnd() & 0xffffffffffffULL));
	kvs(e, "systemUUID", b);
	end(e);
	end(e);
	end(e);
}

static void
gen_nodes(struct emitter *e, uint64_t count)
{
	uint64_t i;

	for (i = 0; i < count; i++)
		emit_node(e, (unsigned)i);
}

/*
 * The audit scale rows (make bench): plain captures whose size drives
 * the audit's lookups rather than the parser.
 *
 * images: an image list as yq prints it; one image in 50 is on the
 * frozen k8s.gcr.io (a few hundred distinct), the others distinct
 * per line, as the images of 300,000 pods of many teams are.
 * madison: kubeadm, kubelet, kubectl and tool packages from pkgs.k8s.io
 * v1.24 to v1.29 and from the legacy repository, as madison prints
 * them for many package names.
 * legacy: madison rows from COUNT distinct legacy repositories (mirror
 * suites), so that the audit has COUNT findings for the report writers.
 * waivers: COUNT waivers: one in 20 waives a repository of the legacy
 * file of COUNT / 2 (half exact, half a glob), the rest name others.
 */
static void
gen_text(FILE *fp, const char *kind, unsigned long long count)
{
	unsigned long long i;

	if (strcmp(kind, "images") == 0) {
		for (i = 0; i < count; i++)
			if (i % 50 == 0)
				fprintf(fp, "k8s.gcr.io/addon-%llu:v1.%llu.0\n",
				    (i / 50) % 500, i % 7);
			else
				fprintf(fp, "registry.example.com/team-%llu/"
				    "app-%llu:1.%llu.%llu\n", i % 97, i, i % 30,
				    i % 11);
	} else if (strcmp(kind, "madison") == 0) {
		fputs("$ apt-cache madison kubeadm kubelet kubectl\n", fp);
		for (i = 0; i < count; i++)
			if (i % 10 == 0)
				fprintf(fp, "   kubeadm | 1.%llu.%llu-00 | "
				    "https://apt.kubernetes.io kubernetes-xenial/"
				    "main amd64 Packages\n", 20 + i % 7, i % 20);
			else
				fprintf(fp, "   kube-tool-%llu | 1.%llu.%llu-1.1 | "
				    "https://pkgs.k8s.io/core:/stable:/v1.%llu/deb"
				    "  Packages\n", i, 24 + i % 6, i % 20,
				    24 + i % 6);
	} else if (strcmp(kind, "legacy") == 0) {
		fputs("$ apt-cache madison kubeadm\n", fp);
		for (i = 0; i < count; i++)
			fprintf(fp, "   kubeadm | 1.26.%llu-00 | "
			    "https://apt.kubernetes.io kubernetes-xenial%llu/main "
			    "amd64 Packages\n", i % 20, i);
	} else {
		for (i = 0; i < count; i++) {
			const char *fmt = i % 20 == 0 ?
			    "- {rule: package-repo-legacy, subject: \"https://"
			    "apt.kubernetes.io kubernetes-xenial%llu/main amd64 "
			    "Packages\", reason: bench, owner: o, "
			    "expires: 2030-01-01}\n" :
			    i % 20 == 10 ?
			    "- {rule: package-repo-legacy, subject: \"https://"
			    "apt.kubernetes.io kubernetes-xenial%llu/main *\", "
			    "reason: bench, owner: o, expires: 2030-01-01}\n" :
			    "- {rule: package-repo-legacy, subject: "
			    "mirror-%llu, reason: b, owner: o, "
			    "expires: 2030-01-01}\n";

			fprintf(fp, fmt, i / 2);
		}
	}
}

static void
usage(void)
{
	fputs("usage: gen pods|nodes yaml|json COUNT OUTFILE\n"
	    "       gen images|madison|legacy|waivers text COUNT OUTFILE\n",
	    stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct emitter e;
	char *endp;
	unsigned long long count;
	int pods, text;
	int n;

	if (argc != 5)
		usage();
	text = strcmp(argv[1], "images") == 0 ||
	    strcmp(argv[1], "madison") == 0 || strcmp(argv[1], "legacy") == 0 ||
	    strcmp(argv[1], "waivers") == 0;
	if (strcmp(argv[1], "pods") == 0)
		pods = 1;
	else if (strcmp(argv[1], "nodes") == 0 || text)
		pods = 0;
	else
		usage();
	memset(&e, 0, sizeof(e));
	if (text && strcmp(argv[2], "text") == 0)
		e.fmt = FMT_YAML;
	else if (!text && strcmp(argv[2], "yaml") == 0)
		e.fmt = FMT_YAML;
	else if (!text && strcmp(argv[2], "json") == 0)
		e.fmt = FMT_JSON;
	else
		usage();
	errno = 0;
	count = strtoull(argv[3], &endp, 10);
	if (errno != 0 || endp == argv[3] || *endp != '\0' ||
	    argv[3][0] == '-' || count > MAX_COUNT) {
		fprintf(stderr, "gen: error: COUNT '%s' is not a number "
		    "from 0 to %llu\n", argv[3], MAX_COUNT);
		exit(2);
	}
	if (!pods && !text && count > 65536u * 48u)
		die("too many nodes for the address plan");

	outname = argv[4];
	n = snprintf(tmpname, sizeof(tmpname), "%s.tmp", outname);
	if (n < 0 || (size_t)n >= sizeof(tmpname)) {
		tmpname[0] = '\0';
		die("output name too long");
	}
	e.fp = fopen(tmpname, "wb");
	if (e.fp == NULL) {
		int err = errno;

		tmpname[0] = '\0';
		die("open %s.tmp: %s", outname, strerror(err));
	}
	if (setvbuf(e.fp, NULL, _IOFBF, OUT_BUFSIZE) != 0)
		die("setvbuf failed");

	if (text) {
		gen_text(e.fp, argv[1], count);
		goto done;
	}
	/* The List itself; its items come from the generators. */
	if (e.fmt == FMT_JSON) {
		outz(&e, "{");
		push(&e, FRAME_MAP, 4, 0);
	} else {
		push(&e, FRAME_MAP, 0, 0);
	}
	kvs(&e, "apiVersion", "v1");
	if (count == 0) {
		kv_empty(&e, "items", FRAME_SEQ);
	} else {
		begin_seq(&e, "items");
		if (pods)
			gen_pods(&e, count);
		else
			gen_nodes(&e, count);
		end(&e);
	}
	kvs(&e, "kind", "List");
	begin_map(&e, "metadata");
	kvs(&e, "resourceVersion", "");
	end(&e);
	end(&e);
	if (e.fmt == FMT_JSON)
		outz(&e, "\n");
done:
	if (ferror(e.fp) || fflush(e.fp) != 0)
		die("write %s: %s", tmpname, strerror(errno));
	if (fclose(e.fp) != 0)
		die("close %s: %s", tmpname, strerror(errno));
	if (rename(tmpname, outname) != 0)
		die("rename %s to %s: %s", tmpname, outname, strerror(errno));
	return 0;
}
