/*
 * sniff.c - a file's kind and format, from its first lines only.
 */
#include <string.h>

#include "internal.h"

#define SNIFF_LINES 400
/*
 * Sniffing looks at no more than this much of a line: enough for any
 * header and the first images of a one-line jsonpath capture, and a bound
 * on the work of every pattern below whatever the line's length. The
 * parser reads the whole line and checks it.
 */
#define SNIFF_LINE_MAX (64u << 10)
/* Nor more than this much of a file: what a pipe must hold for the parser. */
#define SNIFF_BYTES (1u << 20)

static struct re version_text_re = {
	.pattern = "^\\s*(?:Client Version:|Server Version:|Kustomize Version:|"
		   "kubeadm version:|(?:Client|Server) Version: version\\.Info\\{)"};
static struct re bare_version_re = {
	.pattern = "^\\s*v?[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,6}[-+0-9A-Za-z.]*\\s*$"};
static struct re version_key_re = {
	.pattern = "^\\s*\"?(clientVersion|serverVersion|kustomizeVersion|gitVersion)\"?\\s*:"};
static struct re kind_re = {
	.pattern = "^\\s*(?:-\\s+)?\"?kind\"?\\s*:\\s*\"?([A-Za-z]+)\"?"};
static struct re nodes_header_re = {
	.pattern = "^\\s*(?:-\\s+)?\"?NAME\\s+STATUS\\s+(?:ROLES\\s+)?AGE\\s+VERSION\\b"};
static struct re nodes_row_re = {
	/* A header-less `get no` row: NAME STATUS ROLES AGE VERSION. */
	.pattern = "^\\s*\\S+\\s+(?:Ready|NotReady|Unknown)(?:,SchedulingDisabled)?"
		   "\\s+\\S+\\s+\\S+\\s+v?[0-9]+\\.[0-9]+\\.[0-9]+\\S*\\s*$"};
static struct re images_header_re = {
	.pattern = "^\\s*+[A-Z][A-Z_-]*+(?:\\s++(?!IMAGES?\\b)[A-Z][A-Z_-]*+)*+"
		   "\\s++IMAGES?\\b|^\\s*+IMAGES?\\b"};
static struct re madison_re = {
	.pattern = "^\\s*[a-z0-9][a-z0-9+.-]*\\s*\\|\\s*\\S+\\s*\\|"};
static struct re policy_re = {
	.pattern = "^\\s*(?:[a-z0-9][a-z0-9+.-]*:|Installed: |Candidate: |Version table:)\\s*\\S*$"
		   "|^\\s*(?:\\*\\*\\*\\s+)?[0-9][0-9A-Za-z.:+~-]*\\s+[0-9]{1,4}$"};
static struct re apt_list_re = {
	.pattern = "^[a-z0-9][a-z0-9+.-]*/\\S+\\s+[0-9][^\\s]*\\s+[a-z0-9]+(?:\\s+\\[[^\\]]*\\])?\\s*$"};
static struct re installed_list_re = {
	/* rpm -qa, dpkg -l */
	.pattern = "^[a-z0-9][a-z0-9+._-]*-[0-9][^-\\s]*-[^-\\s]+\\.(?:x86_64|aarch64|noarch|i686|ppc64le|s390x|armv7hl)$"
		   "|^[uihrp][nicuhfwt]R?\\s+[a-z0-9][a-z0-9+.:-]*\\s+[0-9]\\S*\\s+\\S+"
		   "|^Desired=Unknown/Install"};
static struct re yum_re = {
	.pattern = "^\\s*(?:[a-z0-9][a-z0-9+_-]*\\.(?:x86_64|aarch64|arm64|noarch|i686|"
		   "ppc64le|s390x|armv7hl)\\s+\\S+|Installed Packages|Available Packages)"};
/*
 * An image reference anywhere in the line. A match may start only where a
 * reference can: a '-' starts one only if no name character precedes it,
 * so a long "-a-a-a..." line is scanned once, not once per '-' (which was
 * quadratic: a 600 KB line took a minute). Every repeat is possessive.
 */
static struct re image_line_re = {
	.pattern = "(?:^|[\\s\"'=<,]|(?<![a-z0-9._/-])-)"
		   "(?:[a-z0-9.-]++(?::[0-9]++)?/)?[a-z0-9._/-]++"
		   "(?::\\w[\\w.-]*+|@sha256:[0-9a-f]{64})(?:[\\s\"',#]|$)"};

/*
 * A Prometheus text-format sample whose name has an underscore (every
 * apiserver metric has one): name, labels, value, optional timestamp.
 */
static struct re metric_line_re = {
	.pattern = "^[a-zA-Z:][a-zA-Z0-9:]*+_[a-zA-Z0-9_:]*+(?:\\{[^}]*+\\})?"
		   "[ \t]++(?:[-+]?[0-9.]++(?:[eE][-+]?[0-9]++)?|NaN|[-+]Inf)"
		   "(?:[ \t]++-?[0-9]++)?$"};
static struct re api_version_re = {
	.pattern = "^\\s*(?:-\\s+)?\"?apiVersion\"?\\s*:"};

/*
 * kubectl describe (describe.go): an object starts with "Name:" at column
 * 0; a node's next field is "Roles:", a pod's "Namespace:" and later its
 * "Node:" or containers (a Deployment's are under "Pod Template:").
 */
static struct re describe_name_re = {.pattern = "^Name:[ \\t]+\\S+$"};

/*
 * How many lines after an object's "Name:" a describe output must tell its
 * kind (a pod's "Node:" comes after its labels and annotations).
 */
#define DESCRIBE_SNIFF_LINES 40

/* The first line of a kubectl YAML document (keys are sorted). */
static struct re k8s_doc_re = {
	.pattern = "^(?:apiVersion|items|kind|metadata)\\s*:"};

/* A "kind" key anywhere in a line of JSON (compact JSON is one line). */
static struct re json_kind_re = {
	.pattern = "\"kind\"\\s*+:\\s*+\"([A-Za-z]++)\""};

/*
 * A kind that is a manifest of its own: not a List (whose items tell) nor
 * a Status (kubectl's error output).
 */
static bool
kind_is_object(const char *kind, size_t len)
{
	if (len >= 4 && !memcmp(kind + len - 4, "List", 4))
		return false;
	return !(len == 6 && !memcmp(kind, "Status", 6));
}

static enum input_kind
doc_kind(const char *kind, size_t len)
{
	static const char *const nodes[] = {"Node", "NodeList"};
	static const char *const images[] = {"Pod", "PodList", "DaemonSet",
		"DaemonSetList", "Deployment", "DeploymentList", "StatefulSet",
		"ReplicaSet", "Job", "CronJob", "StatefulSetList",
		"ReplicaSetList"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nodes); i++)
		if (strlen(nodes[i]) == len && !memcmp(kind, nodes[i], len))
			return KIND_NODES;
	for (i = 0; i < ARRAY_SIZE(images); i++)
		if (strlen(images[i]) == len && !memcmp(kind, images[i], len))
			return KIND_IMAGES;
	return KIND_UNKNOWN;
}

/*
 * The first known "kind" in a line of JSON. kubectl and the apiserver put
 * the top-level kind first in compact JSON (get --raw /api/v1/nodes), and
 * the first item's kind first in a List; other kinds (ownerReferences,
 * Status) are passed over.
 */
static enum input_kind
json_line_kind(const char *s, size_t len)
{
	struct re_match m;
	size_t off = 0;

	while (off < len && re_match(&json_kind_re, s + off, len - off, &m)) {
		enum input_kind k = doc_kind(s + off + m.start[1],
					     m.end[1] - m.start[1]);

		if (k != KIND_UNKNOWN)
			return k;
		off += m.end[0];
	}
	return KIND_UNKNOWN;
}

static bool
starts_with(const char *s, size_t n, const char *z)
{
	return n >= strlen(z) && !memcmp(s, z, strlen(z));
}

/*
 * `kubeadm upgrade plan` (cmd/kubeadm/app/cmd/upgrade/plan.go): its
 * "[upgrade/versions]" lines and table titles, or the output API group of
 * its -o json|yaml (kind UpgradePlan).
 */
static bool
is_kubeadm_plan(const char *s, size_t n)
{
	return starts_with(s, n, "[upgrade/versions] ") ||
	       starts_with(s, n, "Components that must be upgraded manually") ||
	       starts_with(s, n, "Awesome, you're up-to-date!") ||
	       buf_contains(s, n, "output.kubeadm.k8s.io/") ||
	       buf_contains(s, n, "\"UpgradePlan\"") ||
	       starts_with(s, n, "kind: UpgradePlan");
}

/*
 * The kind a line after a describe "Name:" tells (second: it is the line
 * right after it): a node by "Roles:", a pod by "Namespace:" and then
 * "Node:" or its containers at column 0.
 */
static enum input_kind
describe_kind(const char *s, size_t n, bool second, bool *ns)
{
	if (second && starts_with(s, n, "Roles:"))
		return KIND_NODES;
	if (second && starts_with(s, n, "Namespace:"))
		*ns = true;
	if (*ns && (starts_with(s, n, "Node:") ||
		    starts_with(s, n, "Containers:") ||
		    starts_with(s, n, "Init Containers:")))
		return KIND_IMAGES;
	return KIND_UNKNOWN;
}

/*
 * A Deployment's, DaemonSet's or Job's pod template: its images are read
 * by the image listing parser (its "Image:" lines).
 */
static bool
describe_gave_up(const char *s, size_t n)
{
	return starts_with(s, n, "Pod Template:");
}

static void
kind_from_command(struct sniff *out)
{
	static struct re pkg_cmd = {
		.pattern = "^(?:sudo\\s+)?(?:apt-cache|apt|yum|dnf)\\s"};
	static struct re nodes_cmd = {
		.pattern = "^(?:sudo\\s+)?\\S*(?:kubectl|\\bk|oc)\\s+get\\s+(?:no|nodes?)\\b"};
	const char *c = out->command;
	size_t n = strlen(c);

	if (re_match(&pkg_cmd, c, n, NULL)) {
		out->kind = KIND_PACKAGES;
		out->fmt = FMT_PACKAGES_TEXT;
	} else if (re_match(&nodes_cmd, c, n, NULL)) {
		out->kind = KIND_NODES;
		out->fmt = FMT_NODES_TABLE;
	}
}

int
sniff_stream(struct stream *st, struct diag *d, struct sniff *out)
{
	struct text_reader r;
	struct text_line l;
	struct re_match m;
	const char *s;
	size_t n;
	bool structured = false, first_content = true;
	/* Manifests: a document separator, helm's "# Source:", apiVersion. */
	bool separated = false, api_version = false, other_kind = false;
	enum input_kind text_kind = KIND_UNKNOWN;
	enum fmt text_fmt = FMT_UNKNOWN;
	int rc = 0, lines = 0;
	/* Lines since a describe "Name:", 0 for none; a pod's Namespace. */
	int describe = 0;
	bool describe_ns = false;

	memset(out, 0, sizeof(*out));
	if (text_reader_open_stream(&r, st, true, d) < 0) {
		text_reader_close(&r);
		return -1;
	}
	r.limit = SNIFF_BYTES;
	while (lines < SNIFF_LINES && (rc = text_reader_next(&r, &l)) > 0) {
		/* Blank lines do not count: a session's segment starts blank. */
		if (l.noise != NOISE_BLANK)
			lines++;
		if (l.noise == NOISE_PROMPT && !out->command[0] &&
		    l.command_len > 0) {
			size_t cn = l.command_len < sizeof(out->command) - 1
					    ? l.command_len
					    : sizeof(out->command) - 1;

			memcpy(out->command, l.command, cn);
			out->command[cn] = '\0';
			if (buf_contains(l.command, l.command_len, "kubeadm") &&
			    buf_contains(l.command, l.command_len, "version"))
				out->kubeadm = true;
		}
		if (l.noise == NOISE_COMMENT &&
		    buf_contains(l.s, l.len, "# Source: "))
			separated = true;
		/* kubeadm's "[upgrade/versions] ..." lines read as progress. */
		if (l.noise == NOISE_WARNING &&
		    starts_with(l.s, l.len, "[upgrade/versions] ")) {
			out->first_line = out->first_line ? out->first_line
							  : l.lineno;
			out->kind = KIND_KUBEADM_PLAN;
			out->fmt = FMT_KUBEADM_PLAN;
			break;
		}
		if (l.noise != NOISE_NONE)
			continue;
		if (!out->first_line)
			out->first_line = l.lineno;
		if (l.len >= 3 && !memcmp(l.s, "---", 3) &&
		    (l.len == 3 || l.s[3] == ' ' || l.s[3] == '\t')) {
			separated = true;
			continue;
		}
		s = l.s;
		n = l.len < SNIFF_LINE_MAX ? l.len : SNIFF_LINE_MAX;
		if (first_content) {
			const char *t = s;
			size_t tn = n;

			while (tn && (*t == ' ' || *t == '\t'))
				t++, tn--;
			first_content = false;
			if (tn && (*t == '{' || *t == '[')) {
				out->json = true;
				structured = true;
			} else if (re_match(&k8s_doc_re, t, tn, NULL)) {
				structured = true;
			}
		}
		/* An audit event: the apiserver's own fields. */
		if (out->json && buf_contains(s, n, "\"auditID\"") &&
		    buf_contains(s, n, "\"stage\"")) {
			out->kind = KIND_AUDIT_LOG;
			out->fmt = FMT_AUDIT_JSONL;
			break;
		}
		if (is_kubeadm_plan(s, n)) {
			out->kind = KIND_KUBEADM_PLAN;
			out->fmt = FMT_KUBEADM_PLAN;
			break;
		}
		if (re_match(&api_version_re, s, n, NULL) ||
		    (out->json && buf_contains(s, n, "\"apiVersion\"")))
			api_version = true;
		/* Structured documents: decided by their keys. */
		if (re_match(&version_key_re, s, n, &m) ||
		    (out->json && (buf_contains(s, n, "\"clientVersion\"") ||
				   buf_contains(s, n, "\"serverVersion\"") ||
				   buf_contains(s, n, "\"gitVersion\"")))) {
			out->kind = KIND_VERSION;
			out->fmt = out->json ? FMT_VERSION_JSON
					     : FMT_VERSION_YAML;
			break;
		}
		if (re_match(&kind_re, s, n, &m) || out->json) {
			enum input_kind k =
				out->json ? json_line_kind(s, n)
					  : doc_kind(s + m.start[1],
						     m.end[1] - m.start[1]);

			if (k != KIND_UNKNOWN && separated) {
				/* A stream of manifests, helm output. */
				out->kind = KIND_MANIFESTS;
				out->fmt = FMT_MANIFESTS_DOC;
				break;
			}
			if (k != KIND_UNKNOWN) {
				out->kind = k;
				out->fmt = k == KIND_NODES ? FMT_NODES_DOC
							   : FMT_IMAGES_DOC;
				break;
			}
			if (out->json ? re_match(&json_kind_re, s, n, &m) : true)
				other_kind = other_kind ||
					     kind_is_object(s + m.start[1],
							    m.end[1] - m.start[1]);
			continue;
		}
		if (structured)
			continue;
		/* Text formats: the first line that tells wins. */
		if (text_kind != KIND_UNKNOWN)
			continue;
		if ((describe > 0 || (describe == 0 &&
				      out->first_line == l.lineno)) &&
		    re_match(&describe_name_re, s, n, NULL)) {
			/* An object starts: the first, or the next one. */
			describe = 1;
			describe_ns = false;
			continue;
		}
		if (describe > 0) {
			enum input_kind dk = describe_kind(s, n, describe == 1,
							   &describe_ns);

			if (dk != KIND_UNKNOWN) {
				out->kind = dk;
				out->fmt = FMT_DESCRIBE;
				break;
			}
			if (++describe <= DESCRIBE_SNIFF_LINES &&
			    !describe_gave_up(s, n))
				continue;
			describe = -1;
		}
		if (re_match(&version_text_re, s, n, NULL)) {
			text_kind = KIND_VERSION;
			text_fmt = FMT_VERSION_TEXT;
		} else if (re_match(&nodes_header_re, s, n, NULL) ||
			   re_match(&nodes_row_re, s, n, NULL)) {
			text_kind = KIND_NODES;
			text_fmt = FMT_NODES_TABLE;
		} else if (re_match(&metric_line_re, s, n, NULL)) {
			text_kind = KIND_METRICS;
			text_fmt = FMT_METRICS_TEXT;
		} else if (re_match(&madison_re, s, n, NULL) ||
			   re_match(&yum_re, s, n, NULL) ||
			   re_match(&apt_list_re, s, n, NULL) ||
			   re_match(&installed_list_re, s, n, NULL)) {
			text_kind = KIND_PACKAGES;
			text_fmt = FMT_PACKAGES_TEXT;
		} else if (re_match(&images_header_re, s, n, NULL) ||
			   buf_contains(s, n, " << ") ||
			   buf_contains(s, n, "image:") ||
			   buf_contains(s, n, "Image:")) {
			text_kind = KIND_IMAGES;
			text_fmt = FMT_IMAGES_TEXT;
		} else if (re_match(&policy_re, s, n, NULL)) {
			text_kind = KIND_PACKAGES;
			text_fmt = FMT_PACKAGES_TEXT;
		} else if (re_match(&bare_version_re, s, n, NULL)) {
			text_kind = KIND_VERSION;
			text_fmt = FMT_VERSION_TEXT;
		} else if (re_match(&image_line_re, s, n, NULL)) {
			text_kind = KIND_IMAGES;
			text_fmt = FMT_IMAGES_TEXT;
		}
		if (text_kind != KIND_UNKNOWN)
			break;
	}
	if (rc >= 0 && text_reader_check_limits(&r) < 0)
		rc = -1;
	text_reader_close(&r);
	if (rc < 0)
		return -1;
	if (out->kind == KIND_UNKNOWN && !structured) {
		out->kind = text_kind;
		out->fmt = text_fmt;
	}
	/* Objects of other kinds: manifests. */
	if (out->kind == KIND_UNKNOWN && api_version && other_kind) {
		out->kind = KIND_MANIFESTS;
		out->fmt = FMT_MANIFESTS_DOC;
	}
	/* Nothing in the output told: the command line may. */
	if (out->kind == KIND_UNKNOWN && out->first_line)
		kind_from_command(out);
	return 0;
}

int
sniff_file(const char *path, struct diag *d, struct sniff *out)
{
	struct stream st;
	int rc;

	if (stream_open(&st, path, d) < 0)
		return -1;
	rc = sniff_stream(&st, d, out);
	stream_close(&st);
	return rc;
}
