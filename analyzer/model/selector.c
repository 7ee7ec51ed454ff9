/*
 * selector.c - label selectors as Kubernetes evaluates them, and the
 * controller of a pod as kubectl drain finds it.
 *
 * The semantics are those of apimachinery's metav1.LabelSelectorAsSelector
 * (pkg/apis/meta/v1/helpers.go) and labels.Requirement.Matches
 * (pkg/labels/selector.go): a nil selector selects nothing, a selector
 * with no requirement selects everything, matchLabels are In requirements
 * with one value, and all requirements must hold. NotIn and DoesNotExist
 * hold for a pod without the key.
 */
#include <string.h>

#include "model.h"

const char *
model_label(const struct label_pair *labels, size_t nlabels, const char *key)
{
	size_t i;

	for (i = 0; i < nlabels; i++)
		if (!strcmp(labels[i].key, key))
			return labels[i].value;
	return NULL;
}

static bool
value_in(const struct sel_req *r, const char *v)
{
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		if (!strcmp(r->values[i], v))
			return true;
	return false;
}

static bool
req_matches(const struct sel_req *r, const struct label_pair *labels,
	    size_t nlabels)
{
	const char *v = model_label(labels, nlabels, r->key);

	switch (r->op) {
	case SEL_IN:
		return v && value_in(r, v);
	case SEL_NOT_IN:
		return !v || !value_in(r, v);
	case SEL_EXISTS:
		return v != NULL;
	case SEL_DOES_NOT_EXIST:
		return v == NULL;
	}
	return false;
}

bool
model_selector_matches(const struct label_selector *sel,
		       const struct label_pair *labels, size_t nlabels)
{
	size_t i;

	if (!sel->present)
		return false;
	for (i = 0; i < sel->nmatch_labels; i++) {
		const char *v = model_label(labels, nlabels,
					    sel->match_labels[i].key);

		if (!v || strcmp(v, sel->match_labels[i].value))
			return false;
	}
	for (i = 0; i < sel->nexprs; i++)
		if (!req_matches(&sel->exprs[i], labels, nlabels))
			return false;
	return true;
}

/*
 * metav1.GetControllerOf: the first ownerReference with controller: true
 * (kubectl drain's filters.go asks it for DaemonSet and unreplicated pods).
 */
const struct owner_ref *
pod_controller(const struct pod *p)
{
	size_t i;

	for (i = 0; i < p->nowners; i++)
		if (p->owners[i].controller)
			return &p->owners[i];
	return NULL;
}
