/*
 * check_images.c - control-plane and add-on images: frozen registries,
 * static Pod tags that disagree with the cluster version, and etcd older
 * than kubeadm's default for the minor.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Evidence per finding is capped; the first locations are enough. */
#define MAX_EVIDENCE 16

static bool
is_component(const struct image *im, const char *comp)
{
	return im->ref && im->ref->component &&
	       !strcmp(im->ref->component, comp);
}

static bool
host_matches(const char *image, const char *host)
{
	size_t n = strlen(host);

	return !strncasecmp(image, host, n) && image[n] == '/';
}

/* A reference on a frozen registry: the registry, and where it is used. */
struct frozen_ref {
	const struct image *first;
	const struct registry *g;
	struct src_loc ev[MAX_EVIDENCE];
	size_t nev;
};

typedef VEC(struct frozen_ref) frozen_vec;

/* Marks a reference already seen that is on no frozen registry. */
#define NOT_FROZEN UINTPTR_MAX

static const struct registry *
frozen_registry_of(const struct eval_ctx *c, const char *image)
{
	const struct registry *g;

	vec_foreach(&c->db->registries, g)
		if (g->frozen && c->as_of >= g->frozen_date &&
		    host_matches(image, g->host))
			return g;
	return NULL;
}

/*
 * The references on a frozen registry, in the order of first use, with
 * the first MAX_EVIDENCE places of each. References are interned, so the
 * image string names one; a hash of it keeps this linear (300,000 pods
 * used to take two minutes comparing every image with all earlier ones).
 */
static int
frozen_refs(const struct eval_ctx *c, frozen_vec *out)
{
	const struct image *im;
	const struct registry *g;
	struct strmap seen = {NULL, 0, 0};
	struct frozen_ref *u;
	uintptr_t k;
	size_t len;
	int rc = 0;

	vec_foreach(&c->cs->images, im) {
		if (!im->ref)
			continue;
		len = strlen(im->ref->image);
		k = (uintptr_t)strmap_get(&seen, im->ref->image, len);
		if (k == NOT_FROZEN)
			continue;
		if (k == 0) {
			g = frozen_registry_of(c, im->ref->image);
			if (!g) {
				if (strmap_put(&seen, im->ref->image, len,
					       (void *)NOT_FROZEN) < 0)
					rc = -1;
				if (rc < 0)
					break;
				continue;
			}
			if (!(u = vec_push(out)) ||
			    strmap_put(&seen, im->ref->image, len,
				       (void *)(uintptr_t)out->n) < 0) {
				rc = -1;
				break;
			}
			u->first = im;
			u->g = g;
		} else {
			u = &out->v[k - 1];
		}
		if (u->nev < MAX_EVIDENCE)
			u->ev[u->nev++] = im->loc;
	}
	strmap_release(&seen);
	return rc;
}

/*
 * One finding per distinct image reference, with every place it was seen.
 * Only from the freeze date on: before it the registry was current.
 */
int
check_frozen_registry(struct eval_ctx *c, const struct rule *r)
{
	frozen_vec refs = {NULL, 0, 0};
	const struct frozen_ref *u;
	int rc = 0;

	if (c->cs->images.n == 0)
		return eval_missing(c, r, "images");
	if (frozen_refs(c, &refs) < 0) {
		vec_release(&refs);
		c->oom = true;
		return diag_plain(c->d, DIAG_ERROR, "out of memory");
	}
	vec_foreach(&refs, u) {
		const char *image = u->first->ref->image;
		struct fill f[] = {
			{"image", image},
			{"registry", u->g->host},
			{"date", eval_date(c, u->g->frozen_date)},
			{"replacement", u->g->replacement},
		};

		if ((rc = eval_emit(c, r, image, f, ARRAY_SIZE(f), u->ev,
				    u->nev)) < 0)
			break;
	}
	vec_release(&refs);
	return rc;
}

static const char *const cp_components[] = {
	"kube-apiserver", "kube-controller-manager", "kube-scheduler",
};

int
check_cp_image_mismatch(struct eval_ctx *c, const struct rule *r)
{
	const struct image *im;
	const struct kver *want = c->cluster;
	struct kver v;
	size_t i;
	bool any = false;

	if (c->cs->images.n == 0)
		return eval_missing(c, r, "images");
	if (!want)
		return eval_missing(c, r, "version");
	vec_foreach(&c->cs->images, im) {
		for (i = 0; i < ARRAY_SIZE(cp_components); i++)
			if (is_component(im, cp_components[i]))
				break;
		if (i == ARRAY_SIZE(cp_components))
			continue;
		any = true;
		if (eval_tag_version(c, im, &v) && v.major == want->major &&
		    v.minor == want->minor && v.patch == want->patch)
			continue;
		{
			struct src_loc ev[2] = {im->loc, c->cluster_loc};
			struct fill f[] = {
				{"node", im->node ? im->node
						  : "(node not captured)"},
				{"component", im->ref->component},
				{"image", im->ref->image},
				{"expected", eval_ver(c, want)},
			};

			if (eval_emit(c, r, im->node ? im->node
						     : im->ref->image,
				      f, ARRAY_SIZE(f), ev, 2) < 0)
				return -1;
		}
	}
	if (!any)
		return eval_missing(c, r, "control-plane images");
	return 0;
}

/* Parses "3.5.6-0" into {3, 5, 6, 0}; false if it is not that shape. */
static bool
etcd_parse(const char *s, unsigned long v[4])
{
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return false;
		v[i] = strtoul(s, &end, 10);
		s = end;
		if (i < 2 && *s++ != '.')
			return false;
		if (i == 2) {
			if (*s == '\0') {
				v[3] = 0;
				return true;
			}
			if (*s++ != '-')
				return false;
		}
	}
	return *s == '\0';
}

int
check_etcd_default(struct eval_ctx *c, const struct rule *r)
{
	const struct image *im;
	const char *want, *tag;
	unsigned long have[4], exp[4];
	int i;

	if (c->cs->images.n == 0)
		return eval_missing(c, r, "images");
	if (!c->cluster)
		return eval_missing(c, r, "version");
	want = rules_kubeadm_etcd(c->db, c->cluster->minor, c->cluster->patch);
	if (!want || !etcd_parse(want[0] == 'v' ? want + 1 : want, exp))
		return 0;
	vec_foreach(&c->cs->images, im) {
		if (!is_component(im, "etcd") || !(tag = im->ref->tag))
			continue;
		if (!etcd_parse(tag[0] == 'v' ? tag + 1 : tag, have))
			continue;
		for (i = 0; i < 4 && have[i] == exp[i]; i++)
			;
		if (i == 4 || have[i] > exp[i])
			continue;
		{
			struct src_loc ev[1] = {im->loc};
			struct fill f[] = {
				{"node", im->node ? im->node
						  : "(node not captured)"},
				{"version", tag},
				{"minor", eval_minor(c, c->cluster->major,
						     c->cluster->minor)},
				{"expected", want},
			};

			if (eval_emit(c, r, im->node ? im->node
						     : im->ref->image,
				      f, ARRAY_SIZE(f), ev, 1) < 0)
				return -1;
		}
	}
	return 0;
}
