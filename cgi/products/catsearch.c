/*
 * kc-products, a listing answered from the catalogue in memory
 * (catalogue.h): the same products, order, page and total as the
 * statements of search.c, which stay as the oracle of the tests
 * (KC_PRODUCTS_SQL=1, tests/http/catalogue-same.test.mjs).
 *
 * Each condition of the filter is a list of ranks where it can (a whole
 * word; the last word as a prefix: the list of its one- or two-character
 * prefix, or of its only word; an award year, level or unit code; a
 * group), and a check per product where the list is wider than the
 * condition (a longer prefix: the product's words; several award
 * conditions: one award must meet them all; several groups). The
 * shortest list drives; the others are walked along it by galloping
 * (they are all in rank order), so a request costs about the length of
 * the rarest list, however many products match. The matches come out in
 * the listing's order: the page is taken as they pass and the total is
 * the count at the end, from the same pass. A single list with nothing
 * to check is its own total and page.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "values.h"

#include "products.h"
#include "catalogue.h"

enum catq_stmt { S_CATQ_GROUPS, S_CATQ__MAX };
static const char *const catq_sql[S_CATQ__MAX] = {
	/* G_FILTER's groups (search.c): by id, or by folded name. */
	[S_CATQ_GROUPS] =
	    "SELECT id FROM product_group WHERE id = ? OR name_fold = ?",
};
static struct db_set	 catq_set = DB_SET("products/catsearch", catq_sql);

#define GROUPS_MAX	64	/* groups one filter names; more: checked */

/* A condition's list, walked forward from pos; or its bitmap (v NULL). */
struct cond {
	const uint32_t	*v;
	const uint64_t	*bits;
	size_t		 n;
	size_t		 pos;
};

/* A filter made into lists and checks. */
struct plan {
	struct cond	 l[SEARCH_WORDS + 4];
	size_t		 nl;
	int		 none;		/* a condition nothing meets */
	int		 pre_check;	/* a word in [pre_lo, pre_hi) */
	size_t		 pre_lo, pre_hi;
	int		 aw_check;	/* one award meets all of: */
	int		 year;		/* 0: any */
	int		 level;		/* -1: any */
	uint32_t	 code;		/* CAT_NONE: any */
	uint32_t	 groups[GROUPS_MAX];	/* the product's group in */
	size_t		 ngroups;
	int		 group_check;
};

/*
 * The keys [lo, *hi) of k[0..n-1] (sorted by text) whose text begins with
 * s (len bytes, NUL-ended); lo is returned (the key equal to s, if any).
 */
size_t
cat_find(const struct catalogue *c, const struct cat_key *k, size_t n,
    const char *s, size_t len, size_t *hi)
{
	size_t	 lo = 0, h = n, mid;

	while (lo < h) {
		mid = (lo + h) / 2;
		if (strcmp(c->str + k[mid].str, s) < 0)
			lo = mid + 1;
		else
			h = mid;
	}
	*hi = n;
	for (h = lo; h < *hi; ) {
		mid = (h + *hi) / 2;
		if (strncmp(c->str + k[mid].str, s, len) == 0)
			h = mid + 1;
		else
			*hi = mid;
	}
	return lo;
}

static void
plan_list(const struct catalogue *c, struct plan *pl, struct cat_list l)
{
	if (l.len & CAT_BITS)
		pl->l[pl->nl++] = (struct cond){ NULL, c->bits + l.off,
		    CAT_LEN(l), 0 };
	else
		pl->l[pl->nl++] = (struct cond){ c->post + l.off, NULL, l.len,
		    0 };
	if (CAT_LEN(l) == 0)
		pl->none = 1;
}

/* A key's list, if the key is exactly s; else nothing matches. */
static void
plan_key(const struct catalogue *c, struct plan *pl, const struct cat_key *k,
    size_t n, const char *s)
{
	size_t	 lo, hi;

	lo = cat_find(c, k, n, s, strlen(s), &hi);
	if (lo < hi && strcmp(c->str + k[lo].str, s) == 0)
		plan_list(c, pl, k[lo].l);
	else
		pl->none = 1;
}

/* The words of q: whole words, the last one a prefix (ends in '%'). */
static void
plan_words(struct req *r, const struct catalogue *c,
    const struct product_filter *f, struct plan *pl)
{
	const char	*w;
	char		*pre;
	size_t		 i, len, chars, lo, hi;

	for (i = 0; i + 1 < f->nwords; i++)
		plan_key(c, pl, c->words, c->nwords, f->words[i]);
	w = f->words[f->nwords - 1];
	len = strlen(w) - 1;		/* without the '%' */
	pre = arena_strndup(r->a, w, len);
	lo = cat_find(c, c->words, c->nwords, pre, len, &hi);
	for (chars = 0, i = 0; i < len; i++)
		chars += ((unsigned char)pre[i] & 0xc0) != 0x80;
	if (lo == hi)
		pl->none = 1;
	else if (chars <= 2)
		plan_key(c, pl, c->pre[chars - 1], c->npre[chars - 1], pre);
	else if (hi - lo == 1)
		plan_list(c, pl, c->words[lo].l);
	else {
		/* The words of its first two characters, each checked. */
		plan_list(c, pl, c->pre[1][c->word_pre[1][lo]].l);
		pl->pre_check = 1;
		pl->pre_lo = lo;
		pl->pre_hi = hi;
	}
}

/* The groups of the filter (by id or folded name), as search.c's. */
static int
plan_groups(struct req *r, const struct catalogue *c,
    const struct product_filter *f, struct plan *pl)
{
	struct db_res	*q;
	long long	 id;
	size_t		 lo, hi, mid;

	q = db_squery(r->db, r->a, &catq_set, S_CATQ_GROUPS,
	    DB_ARGS(DB_INT(f->group_id), DB_STR(f->group_fold)));
	if (q == NULL)
		return resp_db(r);
	while (db_next(q)) {
		id = db_int(q, 0);
		for (lo = 0, hi = c->ngroups; lo < hi; ) {
			mid = (lo + hi) / 2;
			if (c->groups[mid].id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->ngroups && c->groups[lo].id == id &&
		    pl->ngroups < GROUPS_MAX)
			pl->groups[pl->ngroups++] = (uint32_t)lo;
	}
	if (pl->ngroups == 0)
		pl->none = 1;
	else if (pl->ngroups == 1)
		plan_list(c, pl, c->groups[pl->groups[0]].l);
	else
		pl->group_check = 1;
	return 0;
}

/* The filter as lists and checks. 0, or the status written. */
static int
plan_make(struct req *r, const struct catalogue *c,
    const struct product_filter *f, struct plan *pl)
{
	int	 naward = 0;

	memset(pl, 0, sizeof(*pl));
	pl->level = -1;
	pl->code = CAT_NONE;
	if (f->nwords > 0)
		plan_words(r, c, f, pl);
	if (f->year > 0) {
		naward++;
		pl->year = (int)f->year;
		if (f->year < CAT_YEAR_MIN || f->year >= CAT_YEAR_MIN +
		    CAT_YEARS)
			pl->none = 1;
		else
			plan_list(c, pl, c->years[f->year - CAT_YEAR_MIN]);
	}
	if (f->level != NULL) {
		naward++;
		if ((pl->level = values_find(values_award_levels, f->level)) < 0)
			pl->none = 1;
		else
			plan_list(c, pl, c->levels[pl->level]);
	}
	if (f->district != NULL) {
		size_t	 before = pl->nl, hi;

		naward++;
		plan_key(c, pl, c->codes, c->ncodes, f->district);
		if (pl->nl > before)
			pl->code = (uint32_t)cat_find(c, c->codes, c->ncodes,
			    f->district, strlen(f->district), &hi);
	}
	pl->aw_check = naward > 1;
	if (f->group != NULL && !pl->none)
		return plan_groups(r, c, f, pl);
	return 0;
}

/*
 * Does list k hold rank v? Moves k on to the first rank >= v (the ranks
 * asked only grow): 1, 0, or -1 when k is past its end (nothing further
 * can match).
 */
static int
cond_has(struct cond *k, uint32_t v)
{
	size_t	 lo = k->pos, hi, step = 1, mid;

	if (lo >= k->n)
		return -1;
	if (k->v[lo] < v) {
		for (hi = lo + 1; hi < k->n && k->v[hi] < v; hi = lo + step) {
			lo = hi;
			step *= 2;
		}
		if (hi > k->n)
			hi = k->n;
		for (lo++; lo < hi; ) {
			mid = (lo + hi) / 2;
			if (k->v[mid] < v)
				lo = mid + 1;
			else
				hi = mid;
		}
		if ((k->pos = lo) >= k->n)
			return -1;
	}
	return k->v[lo] == v;
}

/* The checks of product rank v (those its lists do not make). */
static int
checks(const struct catalogue *c, const struct plan *pl, uint32_t v)
{
	const struct cat_product	*p = &c->p[v];
	const struct cat_award		*a;
	const struct cat_unit		*u;
	size_t				 i;

	if (pl->pre_check) {
		for (i = 0; i < p->nfw; i++)
			if (c->fwd[p->fw + i] >= pl->pre_lo &&
			    c->fwd[p->fw + i] < pl->pre_hi)
				break;
		if (i == p->nfw)
			return 0;
	}
	if (pl->group_check) {
		for (i = 0; i < pl->ngroups && pl->groups[i] != p->group; i++)
			;
		if (i == pl->ngroups)
			return 0;
	}
	if (!pl->aw_check)
		return 1;
	for (i = 0; i < p->naw; i++) {
		a = &c->aw[p->aw + i];
		u = a->unit != CAT_NONE ? &c->units[a->unit] : NULL;
		if ((pl->year == 0 || a->year == pl->year) &&
		    (pl->level < 0 || a->level == pl->level) &&
		    (pl->code == CAT_NONE || (u != NULL &&
		    (u->code_key == pl->code || u->parent_key == pl->code))))
			return 1;
	}
	return 0;
}

/* Lists first, shortest first; then bitmaps. */
static int
cond_cmp(const void *x, const void *y)
{
	const struct cond	*a = x, *b = y;

	if ((a->v == NULL) != (b->v == NULL))
		return a->v == NULL ? 1 : -1;
	return a->n < b->n ? -1 : a->n > b->n;
}

/* Does condition k hold rank v? 1, 0, or -1 (see cond_has). */
static int
cond_in(struct cond *k, uint32_t v)
{
	if (k->v == NULL)
		return (int)(k->bits[v / 64] >> (v % 64) & 1);
	return cond_has(k, v);
}

/*
 * The page taken from the matches in rank order: its offset and limit,
 * the ranks taken (page, *n of them), and the matches counted so far.
 */
struct take {
	long long	 offset, limit, total;
	uint32_t	*page;
	size_t		*n;
};

/* Match v counted, and taken when it is on the page. */
static inline void
take(struct take *t, uint32_t v)
{
	if (t->total >= t->offset && *t->n < (size_t)t->limit)
		t->page[(*t->n)++] = v;
	t->total++;
}

/*
 * The plan driven by its shortest list: each of its ranks looked up in
 * the other lists (galloping) and bitmaps (a bit), then checked.
 */
static long long
run_list(const struct catalogue *c, struct plan *pl, struct take *t)
{
	size_t		 i, k;
	uint32_t	 v;
	int		 has;

	for (i = 0; i < pl->l[0].n; i++) {
		v = pl->l[0].v[i];
		for (k = 1, has = 1; k < pl->nl && has == 1; k++)
			has = cond_in(&pl->l[k], v);
		if (has < 0)
			break;
		if (has && checks(c, pl, v))
			take(t, v);
	}
	return t->total;
}

/*
 * The plan of bitmaps only (or of checks only): the bitmaps ANDed a word
 * at a time; without checks, a word's matches are counted at once and
 * only the page's are taken one by one.
 */
static long long
run_bits(const struct catalogue *c, struct plan *pl, int check,
    struct take *t)
{
	long long	 cnt;
	size_t		 w, k;
	uint64_t	 m;
	uint32_t	 v;

	for (w = 0; w < c->bitwords; w++) {
		m = w + 1 < c->bitwords || c->np % 64 == 0 ? ~0ull :
		    (1ull << (c->np % 64)) - 1;
		for (k = 0; k < pl->nl && m != 0; k++)
			m &= pl->l[k].bits[w];
		if (m == 0)
			continue;
		if (!check) {
			cnt = __builtin_popcountll(m);
			if (t->total + cnt <= t->offset ||
			    *t->n >= (size_t)t->limit) {
				t->total += cnt;
				continue;
			}
		}
		for (; m != 0; m &= m - 1) {
			v = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(m));
			if (!check || checks(c, pl, v))
				take(t, v);
		}
	}
	return t->total;
}

/*
 * Run the plan: the total of the matches, and the ranks of the page
 * (offset, limit) into page[] (*n of them).
 */
static long long
plan_run(const struct catalogue *c, struct plan *pl, long long offset,
    long long limit, uint32_t *page, size_t *n)
{
	struct take	 t = { offset, limit, 0, page, n };
	size_t		 i, len;
	int		 check;

	*n = 0;
	if (pl->none)
		return 0;
	qsort(pl->l, pl->nl, sizeof(*pl->l), cond_cmp);
	check = pl->pre_check || pl->aw_check || pl->group_check;
	if (!check && (pl->nl == 0 || (pl->nl == 1 && pl->l[0].v != NULL))) {
		len = pl->nl > 0 ? pl->l[0].n : c->np;
		for (i = (size_t)offset; i < len && *n < (size_t)limit; i++)
			page[(*n)++] = pl->nl > 0 ? pl->l[0].v[i] :
			    (uint32_t)i;
		return (long long)len;
	}
	if (pl->nl > 0 && pl->l[0].v != NULL)
		return run_list(c, pl, &t);
	return run_bits(c, pl, check, &t);
}

/* Product rank v as a row of the listing (strings the catalogue's). */
static void
row_of(struct arena *a, const struct catalogue *c, uint32_t v,
    struct product_row *o)
{
	const struct cat_product	*p = &c->p[v];
	const struct cat_award		*aw;
	const struct cat_unit		*u;
	size_t				 i;

	o->id = p->id;
	o->name = CAT_STR(c, p->name);
	o->group = p->group == CAT_NONE ? NULL :
	    CAT_STR(c, c->groups[p->group].name);
	o->facility_id = c->fac[p->facility].id;
	o->facility_name = CAT_STR(c, c->fac[p->facility].name);
	o->facility_address = CAT_STR(c, c->fac[p->facility].address);
	u = p->unit == CAT_NONE ? NULL : &c->units[p->unit];
	o->district_code = u != NULL ? CAT_STR(c, u->code) : NULL;
	o->district_name = u != NULL ? CAT_STR(c, u->name) : NULL;
	o->sample = p->sample;
	o->nawards = p->naw;
	o->awards = arena_alloc(a, (p->naw + 1) * sizeof(*o->awards));
	for (i = 0; i < p->naw; i++) {
		aw = &c->aw[p->aw + i];
		o->awards[i].year = aw->year;
		o->awards[i].level = values_award_levels[aw->level];
		o->awards[i].decision_no = CAT_STR(c, aw->decision_no);
		o->awards[i].decision_date = CAT_STR(c, aw->decision_date);
		o->awards[i].district = aw->unit == CAT_NONE ? NULL :
		    CAT_STR(c, c->units[aw->unit].code);
	}
}

/*
 * The page of products of filter f into *out, from the catalogue: as
 * q_products_list, with the total always counted. 0, or the status
 * already written (503 while the database is down).
 */
int
cat_products_list(struct req *r, const struct product_filter *f,
    struct product_list *out)
{
	const struct catalogue	*c;
	struct plan		 pl;
	uint32_t		*page;
	size_t			 i, n;
	int			 rc = 0;

	if ((c = catalogue_get(r, &rc)) == NULL ||
	    (rc = plan_make(r, c, f, &pl)) != 0)
		return rc;
	page = arena_alloc(r->a, ((size_t)f->limit + 1) * sizeof(*page));
	out->total = plan_run(c, &pl, f->offset, f->limit, page, &n);
	out->rows = arena_alloc(r->a, (n + 1) * sizeof(*out->rows));
	for (i = 0; i < n; i++)
		row_of(r->a, c, page[i], &out->rows[i]);
	out->nrows = n;
	return 0;
}
