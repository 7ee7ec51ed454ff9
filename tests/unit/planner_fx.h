/*
 * planner_fx.h - the fixture of the planner's unit tests (test_planner.c,
 * test_plan_steps.c): a rules db loaded from rules/, a snapshot ingested
 * from a fixture directory and the plan made from it. Include after
 * cmocka.h.
 */
#ifndef SKEWPLAN_TESTS_PLANNER_FX_H
#define SKEWPLAN_TESTS_PLANNER_FX_H

#include "../../analyzer/ingest/ingest.h"
#include "../../analyzer/planner/planner.h"
#include "../../analyzer/report/report.h"

struct fx {
	struct arena arena;
	struct cluster_state cs;
	struct rules_db db;
	struct diag d;
	struct plan plan;
	int rc;
};

static inline struct fx *
fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	arena_init(&f->arena);
	cluster_state_init(&f->cs, &f->arena);
	f->cs.strict = true; /* as under --strict */
	diag_init(&f->d);
	f->d.out = tmpfile();
	f->d.no_source = true;
	assert_non_null(f->d.out);
	assert_int_equal(rules_load(&f->db, &f->arena, &f->d, "rules"), 0);
	return f;
}

static inline void
fx_free(struct fx *f)
{
	plan_release(&f->plan);
	rules_release(&f->db);
	cluster_state_release(&f->cs);
	arena_release(&f->arena);
	fclose(f->d.out);
	diag_release(&f->d);
	free(f);
}

static inline long
day(const char *s)
{
	long d;

	assert_true(date_parse(s, strlen(s), &d));
	return d;
}

/* Ingests dir and plans with o; the result is in f->rc and f->plan. */
static inline struct fx *
plan_with(const char *dir, const struct plan_options *o)
{
	struct fx *f = fx_new();

	assert_int_equal(ingest_arg(&f->cs, &f->d, dir), 0);
	model_sort(&f->cs);
	f->rc = plan_build(&f->db, &f->cs, o, &f->plan, &f->d);
	return f;
}

static inline struct fx *
plan_of(const char *dir, const char *to, const char *as_of, unsigned batch,
	bool strict)
{
	struct plan_options o = {.to = to, .as_of = day(as_of),
				 .max_unavailable = batch,
				 .strict_packages = strict};

	return plan_with(dir, &o);
}

static inline const struct plan_step *
find_step(const struct plan *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->steps.n; i++)
		if (!strcmp(p->steps.v[i].id, id))
			return &p->steps.v[i];
	return NULL;
}

static inline int
plan_ver_cmp_public(const struct plan_ver *x, const struct plan_ver *y)
{
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return x->patch == y->patch ? 0 : x->patch < y->patch ? -1 : 1;
}

static inline bool
ver_is(const struct plan_ver *v, unsigned minor, unsigned patch)
{
	return v->set && v->major == 1 && v->minor == minor && v->patch == patch;
}

static inline int
group_teardown(void **state)
{
	(void)state;
	ingest_release();
	re_release_all();
	return 0;
}

#endif
