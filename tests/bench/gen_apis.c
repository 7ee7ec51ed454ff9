/*
 * gen_apis - inputs for the API-usage rows of `make bench` (issue 12):
 *
 *   gen_apis manifests DIR BYTES   a GitOps-shaped tree of `helm template`
 *                                  output: DIR/envN/appM/release.yaml,
 *                                  multi-document streams of Deployments,
 *                                  Services, Ingresses (some still
 *                                  extensions/v1beta1), HPAs (some
 *                                  autoscaling/v2beta2), ConfigMaps and
 *                                  PodDisruptionBudgets, until BYTES
 *   gen_apis audit FILE BYTES      kube-apiserver audit log lines (JSON,
 *                                  one event a line, ~1 KB each), one in
 *                                  40 annotated k8s.io/deprecated, from
 *                                  200 users, until BYTES
 *
 * The content is a deterministic function of the arguments. Files are
 * written as NAME.tmp and renamed, so an existing file is complete. Not
 * committed output: run.sh generates it under BENCH_DIR.
 *
 * Build: cc -std=c11 -O2 gen_apis.c
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FILE_BYTES (4ull << 20)	/* about 4 MB per release file */

static unsigned long long rng = 88172645463325252ull;

static unsigned
next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "gen_apis: error: %s %s: %s\n", what, path,
		strerror(errno));
	exit(1);
}

static FILE *
open_tmp(const char *path, char *tmp, size_t n)
{
	FILE *fp;

	snprintf(tmp, n, "%s.tmp", path);
	if (!(fp = fopen(tmp, "w")))
		die("open", tmp);
	return fp;
}

static void
close_tmp(FILE *fp, const char *tmp, const char *path)
{
	if (fclose(fp) != 0)
		die("write", tmp);
	if (rename(tmp, path) != 0)
		die("rename", tmp);
}

/* One `helm template` document of release rel, object i. */
static void
object(FILE *fp, unsigned rel, unsigned i)
{
	const char *ns = "shop";
	unsigned kind = next(12), k;

	switch (kind) {
	case 0:
		fprintf(fp, "---\n# Source: app%u/templates/ingress.yaml\n"
			"apiVersion: %s\nkind: Ingress\nmetadata:\n"
			"  name: web-%u-%u\n  namespace: %s\n"
			"  annotations:\n"
			"    nginx.ingress.kubernetes.io/rewrite-target: /\n"
			"spec:\n  rules:\n    - host: web-%u.example.com\n"
			"      http:\n        paths:\n          - path: /\n"
			"            backend: { serviceName: web-%u, "
			"servicePort: 80 }\n",
			rel, next(4) ? "networking.k8s.io/v1"
				     : "extensions/v1beta1",
			rel, i, ns, i, i);
		break;
	case 1:
		fprintf(fp, "---\n# Source: app%u/templates/hpa.yaml\n"
			"apiVersion: %s\nkind: HorizontalPodAutoscaler\n"
			"metadata:\n  name: web-%u-%u\n  namespace: %s\n"
			"spec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: "
			"Deployment, name: web-%u }\n  minReplicas: 2\n"
			"  maxReplicas: 10\n",
			rel, next(3) ? "autoscaling/v2" : "autoscaling/v2beta2",
			rel, i, ns, i);
		break;
	case 2:
		fprintf(fp, "---\n# Source: app%u/templates/pdb.yaml\n"
			"apiVersion: %s\nkind: PodDisruptionBudget\n"
			"metadata:\n  name: web-%u-%u\n  namespace: %s\n"
			"spec:\n  minAvailable: 1\n  selector: { matchLabels: "
			"{ app: web-%u } }\n",
			rel, next(5) ? "policy/v1" : "policy/v1beta1", rel, i,
			ns, i);
		break;
	case 3:
	case 4:
		fprintf(fp, "---\n# Source: app%u/templates/configmap.yaml\n"
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
			"  name: web-%u-%u\n  namespace: %s\ndata:\n",
			rel, rel, i, ns);
		for (k = 0; k < 12; k++)
			fprintf(fp, "  key-%u: \"value %u of release %u, "
				"with some text to make it long\"\n", k, k,
				rel);
		break;
	case 5:
		fprintf(fp, "---\n# Source: app%u/templates/service.yaml\n"
			"apiVersion: v1\nkind: Service\nmetadata:\n"
			"  name: web-%u-%u\n  namespace: %s\n  labels: { app: "
			"web-%u }\nspec:\n  type: ClusterIP\n  selector: { "
			"app: web-%u }\n  ports:\n    - { name: http, port: 80, "
			"targetPort: 8080, protocol: TCP }\n",
			rel, rel, i, ns, i, i);
		break;
	default:
		fprintf(fp, "---\n# Source: app%u/templates/deployment.yaml\n"
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
			"  name: web-%u-%u\n  namespace: %s\n  labels:\n"
			"    app.kubernetes.io/name: web-%u\n"
			"    app.kubernetes.io/instance: release-%u\n"
			"    helm.sh/chart: app-%u.1.0\nspec:\n  replicas: 3\n"
			"  selector:\n    matchLabels: { app: web-%u }\n"
			"  template:\n    metadata:\n      labels: { app: "
			"web-%u }\n    spec:\n      containers:\n"
			"        - name: web\n"
			"          image: registry.example.com/shop/web:1.%u.%u\n"
			"          ports: [{ containerPort: 8080 }]\n"
			"          env:\n",
			rel, rel, i, ns, i, rel, rel, i, i, rel % 30, i % 20);
		for (k = 0; k < 6; k++)
			fprintf(fp, "            - { name: SETTING_%u, value: "
				"\"%u\" }\n", k, k * i);
		fprintf(fp, "          resources:\n            requests: { "
			"cpu: 100m, memory: 128Mi }\n            limits: { "
			"cpu: 500m, memory: 256Mi }\n          readinessProbe:"
			"\n            httpGet: { path: /healthz, port: 8080 }\n");
		break;
	}
}

static void
manifests(const char *dir, unsigned long long bytes)
{
	char path[4096], tmp[4200];
	unsigned long long total = 0;
	unsigned rel = 0, i;
	FILE *fp;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		die("mkdir", dir);
	while (total < bytes) {
		snprintf(path, sizeof(path), "%s/env%u", dir, rel % 8);
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			die("mkdir", path);
		snprintf(path, sizeof(path), "%s/env%u/app%u", dir, rel % 8,
			 rel);
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			die("mkdir", path);
		snprintf(path, sizeof(path), "%s/env%u/app%u/release.yaml",
			 dir, rel % 8, rel);
		fp = open_tmp(path, tmp, sizeof(tmp));
		for (i = 0; ftell(fp) < (long)FILE_BYTES; i++)
			object(fp, rel, i);
		total += (unsigned long long)ftell(fp);
		close_tmp(fp, tmp, path);
		rel++;
	}
}

static void
audit(const char *path, unsigned long long bytes)
{
	static const char *const res[][4] = {
		{"batch", "v1beta1", "cronjobs", "1.25"},
		{"policy", "v1beta1", "poddisruptionbudgets", "1.25"},
		{"autoscaling", "v2beta2", "horizontalpodautoscalers", "1.26"},
		{"flowcontrol.apiserver.k8s.io", "v1beta3", "flowschemas",
		 "1.32"},
	};
	char tmp[4200];
	unsigned long long total = 0, n = 0;
	FILE *fp = open_tmp(path, tmp, sizeof(tmp));

	while (total < bytes) {
		unsigned u = next(200), r = next(4);
		int dep = next(40) == 0, len;

		len = fprintf(
			fp,
			"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\","
			"\"level\":\"Metadata\",\"auditID\":\"%08llx-7c1e-4f"
			"0a-9d2b-%012llx\",\"stage\":\"ResponseComplete\","
			"\"requestURI\":\"/apis/%s/%s/namespaces/ns-%u/%s?limit"
			"=500\",\"verb\":\"list\",\"user\":{\"username\":"
			"\"system:serviceaccount:ns-%u:controller-%u\",\"uid\":"
			"\"1b6c2f0e-%04u\",\"groups\":[\"system:serviceaccounts"
			"\",\"system:serviceaccounts:ns-%u\",\"system:"
			"authenticated\"]},\"sourceIPs\":[\"10.%u.%u.%u\"],"
			"\"userAgent\":\"controller-%u/v1.%u.0 (linux/amd64) "
			"kubernetes/abcdef0\",\"objectRef\":{\"resource\":\"%s"
			"\",\"namespace\":\"ns-%u\",\"apiGroup\":\"%s\","
			"\"apiVersion\":\"%s\"},\"responseStatus\":{\"metadata"
			"\":{},\"code\":200},\"requestReceivedTimestamp\":"
			"\"2024-01-15T10:%02u:%02u.%06uZ\",\"stageTimestamp\":"
			"\"2024-01-15T10:%02u:%02u.%06uZ\",\"annotations\":{"
			"\"authorization.k8s.io/decision\":\"allow\","
			"\"authorization.k8s.io/reason\":\"RBAC: allowed by "
			"ClusterRoleBinding \\\"controller-%u\\\" of ClusterRole"
			" \\\"controller\\\" to ServiceAccount \\\"controller-%u"
			"/ns-%u\\\"\"%s%s%s}}\n",
			n, n * 7919, res[r][0], res[r][1], u % 50, res[r][2],
			u % 50, u, u, u % 50, u % 250, u % 7, u % 13, u,
			20 + u % 12, res[r][2], u % 50, res[r][0], res[r][1],
			(unsigned)(n / 60 % 60), (unsigned)(n % 60),
			(unsigned)(n % 1000000), (unsigned)(n / 60 % 60),
			(unsigned)(n % 60), (unsigned)((n + 1) % 1000000), u,
			u, u % 50,
			dep ? ",\"k8s.io/deprecated\":\"true\","
			      "\"k8s.io/removed-release\":\"" : "",
			dep ? res[r][3] : "", dep ? "\"" : "");
		if (len < 0)
			die("write", tmp);
		total += (unsigned long long)len;
		n++;
	}
	close_tmp(fp, tmp, path);
}

int
main(int argc, char **argv)
{
	char *end;
	unsigned long long bytes;

	if (argc != 4)
		goto usage;
	errno = 0;
	bytes = strtoull(argv[3], &end, 10);
	if (errno || *end || !bytes)
		goto usage;
	if (!strcmp(argv[1], "manifests"))
		manifests(argv[2], bytes);
	else if (!strcmp(argv[1], "audit"))
		audit(argv[2], bytes);
	else
		goto usage;
	return 0;
usage:
	fputs("usage: gen_apis manifests DIR BYTES | audit FILE BYTES\n",
	      stderr);
	return 2;
}
