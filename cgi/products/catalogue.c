/*
 * kc-products, the catalogue from memory: its statements, its build from
 * one consistent snapshot of the database, and the check of its version
 * on every request (catalogue.h).
 *
 * Each worker keeps the catalogue it built with the version it was built
 * at (catalogue_version, migration 061, moved by triggers in the same
 * transaction as every change the catalogue shows). A request reads the
 * version (a primary-key lookup) and builds again only when it moved: an
 * answer is never older than the database, a rolled-back change never
 * shows. The build reads each table once, row by row as the server sends
 * them in the text protocol (db_teach: fixed texts, no parameters), inside
 * one REPEATABLE READ transaction: the version and the rows are of the
 * same moment. It reads on a connection of its own
 * (db_builder(): KC_CATALOGUE_BUILD_TIMEOUT, not the requests' read
 * timeout), so a large catalogue built under load does not answer 503.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "text.h"
#include "values.h"

#include "catalogue.h"
#include "catbuild.h"
#include "products.h"

enum cat_stmt {
	S_CAT_VERSION, S_CAT_UNITS, S_CAT_GROUPS, S_CAT_FACILITIES,
	S_CAT_ORDER, S_CAT_PRODUCTS, S_CAT_AWARDS, S_CAT__MAX
};
static const char *const cat_sql[S_CAT__MAX] = {
	/* What the lists in memory are of: the catalogue's version (061)
	 * and the facilities' own (068: payments, plans, places). */
	[S_CAT_VERSION] =
	    "SELECT id, version FROM catalogue_version WHERE id IN (1, 2)",
	[S_CAT_UNITS] =
	    "SELECT id, code, name, parent_code FROM admin_unit ORDER BY id",
	/* The groups list's order: by name, then id (GROUP BY's). */
	[S_CAT_GROUPS] =
	    "SELECT id, name, ROW_NUMBER() OVER (ORDER BY name, id)"
	    " FROM product_group ORDER BY id",
	/* Every facility, by id: those of no product are passed over here
	 * (a semi-join on the server costs more than the whole read). */
	[S_CAT_FACILITIES] =
	    "SELECT f.id, f.name, " PRODUCTS_FAC_ADDRESS " FROM facility f"
	    PRODUCTS_FAC_COMMUNE " ORDER BY f.id",
	/* The listing's order: the products' ranks, from ix_product_order
	 * alone (it holds id: no sort, no row read). */
	[S_CAT_ORDER] =
	    "SELECT id FROM product ORDER BY last_year DESC, name, id",
	/* Each product, in the primary key's order (no sort); a product
	 * merged into another (migration 058) is not listed. */
	[S_CAT_PRODUCTS] =
	    "SELECT id, name, group_id, facility_id, unit_id, sample,"
	    " search_fold, merged_into IS NOT NULL FROM product ORDER BY id",
	/* In the table's order: each product's are gathered after. */
	[S_CAT_AWARDS] =
	    "SELECT product_id, year, level, decision_no, decision_date,"
	    " unit_id FROM award",
};
static struct db_set	 cat_set = DB_SET("products/catalogue", cat_sql);

/* Room for need more elements in *p (*cap of size each): doubling. */
void *
cat_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t	 n = *cap > 0 ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	if ((p = realloc(p, n * size)) == NULL)
		abort();
	*cap = n;
	return p;
}

/* A string (NULL: CAT_NONE) into the catalogue's strings: its offset. */
uint32_t
cat_str(struct cat_build *b, const char *s)
{
	struct catalogue	*c = b->c;
	size_t			 n;
	uint32_t		 off;

	if (s == NULL)
		return CAT_NONE;
	n = strlen(s) + 1;
	c->str = cat_grow(c->str, &b->strcap, c->nstr + n, 1);
	memcpy(c->str + c->nstr, s, n);
	off = (uint32_t)c->nstr;
	c->nstr += n;
	return off;
}

uint32_t
cat_hash(const char *s, size_t n)
{
	uint32_t	 h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * A string interned (NULL: CAT_NONE): the same text, the same offset.
 * For the strings that repeat (an award's decision, an address).
 */
uint32_t
cat_istr(struct cat_build *b, const char *s)
{
	const char	*str;
	uint32_t	*slot, *old = b->ihash;
	size_t		 i, k, cap = b->ihashcap;

	if (s == NULL)
		return CAT_NONE;
	if (b->ni * 2 >= b->ihashcap) {
		b->ihashcap = cap > 0 ? cap * 2 : 1024;
		if ((b->ihash = calloc(b->ihashcap, sizeof(*b->ihash))) == NULL)
			abort();
		for (k = 0; k < cap; k++) {
			if (old[k] == 0)
				continue;
			str = b->c->str + old[k] - 1;
			for (i = cat_hash(str, strlen(str)) & (b->ihashcap - 1);
			    b->ihash[i] != 0; i = (i + 1) & (b->ihashcap - 1))
				;
			b->ihash[i] = old[k];
		}
		free(old);
	}
	for (i = cat_hash(s, strlen(s)) & (b->ihashcap - 1);
	    *(slot = &b->ihash[i]) != 0; i = (i + 1) & (b->ihashcap - 1))
		if (strcmp(b->c->str + *slot - 1, s) == 0)
			return *slot - 1;
	b->ni++;
	*slot = cat_str(b, s) + 1;
	return *slot - 1;
}

/* The index of id in a by-id array (elements of size, id first). */
static uint32_t
by_id(const void *arr, size_t n, size_t size, long long id)
{
	const char	*a = arr;
	size_t		 lo = 0, hi = n, mid;
	long long	 v;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		memcpy(&v, a + mid * size, sizeof(v));
		if (v == id)
			return (uint32_t)mid;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return CAT_NONE;
}

/* An id column (NULL: CAT_NONE) as the index in a by-id array. */
#define BY_ID(q, col, arr, n) \
	(db_isnull((q), (col)) ? CAT_NONE : \
	    by_id((arr), (n), sizeof(*(arr)), db_int((q), (col))))

/* A new element, zeroed, at the end of arr (n of them, room cap). */
#define CAT_PUSH(arr, n, cap) ((arr) = cat_grow((arr), &(cap), (n) + 1, \
	sizeof(*(arr))), memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++])

static int
row_unit(void *arg, struct db_res *q)
{
	struct cat_build	*b = arg;
	struct cat_unit		*u;

	u = CAT_PUSH(b->c->units, b->c->nunits, b->unitcap);
	u->id = db_int(q, 0);
	u->code = cat_str(b, db_str(q, 1));
	u->name = cat_str(b, db_str(q, 2));
	u->parent = cat_str(b, db_str(q, 3));
	return 0;
}

static int
row_group(void *arg, struct db_res *q)
{
	struct cat_build	*b = arg;
	struct cat_group	*g;

	g = CAT_PUSH(b->c->groups, b->c->ngroups, b->groupcap);
	g->id = db_int(q, 0);
	g->name = cat_str(b, db_str(q, 1));
	g->order = (uint32_t)db_int(q, 2);
	return 0;
}

/* A facility, if a product has it (b->facs: their ids, ascending). */
static int
row_facility(void *arg, struct db_res *q)
{
	struct cat_build	*b = arg;
	struct cat_facility	*f;
	long long		 id = db_int(q, 0);

	while (b->nfacs > 0 && *b->facs < id) {
		b->facs++;
		b->nfacs--;
	}
	if (b->nfacs == 0 || *b->facs != id)
		return 0;
	f = CAT_PUSH(b->c->fac, b->c->nfac, b->faccap);
	f->id = id;
	f->name = cat_str(b, db_str(q, 1));
	f->address = cat_istr(b, db_str(q, 2));
	return 0;
}

/* A product's id in the listing's order: its rank, by id after. */
static int
row_order(void *arg, struct db_res *q)
{
	struct cat_build	*b = arg;

	b->byid = cat_grow(b->byid, &b->byidcap, b->nbyid + 1,
	    sizeof(*b->byid));
	b->byid[b->nbyid] = (struct cat_byid){ db_int(q, 0),
	    (uint32_t)b->nbyid };
	b->nbyid++;
	return 0;
}

/* The products come by id, as b->byid is: the k-th row is byid[k]. */
static int
row_product(void *arg, struct db_res *q)
{
	struct cat_build	*b = arg;
	struct catalogue	*c = b->c;
	struct cat_product	*p;
	size_t			 k = b->nread++;

	if (k >= b->nbyid || b->byid[k].id != db_int(q, 0))
		return -1;	/* not the same products: cannot be */
	p = &c->p[b->byid[k].rank];
	if (db_int(q, 7) != 0)
		return 0;	/* merged: left out (id 0) */
	p->id = db_int(q, 0);
	p->name = cat_str(b, db_str(q, 1));
	p->group = BY_ID(q, 2, c->groups, c->ngroups);
	b->facid[b->byid[k].rank] = db_int(q, 3);
	p->unit = BY_ID(q, 4, c->units, c->nunits);
	p->sample = db_int(q, 5) != 0;
	cat_words_add(b, p, db_str(q, 6) != NULL ? db_str(q, 6) : "");
	return 0;
}

/*
 * A product's rank by its id (b->byid: ids and ranks by id). The awards
 * come mostly in their products' order: the one found last, or the next,
 * before a search.
 */
static uint32_t
rank_of(struct cat_build *b, long long id)
{
	size_t	 i = b->finger;

	if (i + 1 < b->nbyid && b->byid[i + 1].id == id)
		i++;
	else if (i >= b->nbyid || b->byid[i].id != id) {
		if ((i = by_id(b->byid, b->nbyid, sizeof(*b->byid), id)) ==
		    CAT_NONE)
			return CAT_NONE;
	}
	b->finger = i;
	return b->byid[i].rank;
}

/* An award, kept in the order read with its product's rank. */
static int
row_award(void *arg, struct db_res *q)
{
	struct cat_build	*b = arg;
	struct catalogue	*c = b->c;
	struct cat_award	*a;
	uint32_t		 rank;
	int			 level;

	/* The awards of a merged product are not listed with it. */
	if ((rank = rank_of(b, db_int(q, 0))) == CAT_NONE)
		return 0;
	if ((level = values_find(values_award_levels, db_str(q, 2))) < 0 ||
	    c->p[rank].naw == UINT16_MAX)
		return -1;
	c->aw = cat_grow(c->aw, &b->awcap, c->naw + 1, sizeof(*a));
	b->awrank = cat_grow(b->awrank, &b->awrankcap, c->naw + 1,
	    sizeof(*b->awrank));
	b->awrank[c->naw] = rank;
	a = &c->aw[c->naw++];
	a->year = (int16_t)db_int(q, 1);
	a->level = (uint8_t)level;
	a->decision_no = cat_istr(b, db_str(q, 3));
	a->decision_date = cat_istr(b, db_str(q, 4));
	a->unit = BY_ID(q, 5, c->units, c->nunits);
	c->p[rank].naw++;
	if (a->year < CAT_YEAR_MIN || a->year >= CAT_YEAR_MIN + CAT_YEARS)
		return -1;	/* award.year's check */
	return 0;
}

static int
byid_cmp(const void *x, const void *y)
{
	const struct cat_byid	*a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* Does award a come after b in a product's list (year, level down)? */
#define AW_AFTER(a, b)	((a).year < (b).year || ((a).year == (b).year && \
	(a).level < (b).level))

/* Each product's awards by year and level descending (an insertion). */
static void
awards_order(struct catalogue *c, const struct cat_product *p)
{
	struct cat_award	 t;
	size_t			 j, k;

	for (j = p->aw + 1; j < p->aw + p->naw; j++) {
		for (t = c->aw[j], k = j; k > p->aw && AW_AFTER(c->aw[k - 1],
		    t); k--)
			c->aw[k] = c->aw[k - 1];
		c->aw[k] = t;
	}
}

/*
 * The awards gathered by product (a counting sort on the ranks), each
 * product's by year and level descending, into an array of their size.
 */
static void
awards_place(struct cat_build *b)
{
	struct catalogue	*c = b->c;
	struct cat_award	*to;
	struct cat_product	*p;
	size_t			 i, off = 0;

	for (i = 0; i < c->np; i++) {
		c->p[i].aw = (uint32_t)off;
		off += c->p[i].naw;
		c->p[i].naw = 0;
	}
	if ((to = calloc(c->naw + 1, sizeof(*to))) == NULL)
		abort();
	for (i = 0; i < c->naw; i++) {
		p = &c->p[b->awrank[i]];
		to[p->aw + p->naw++] = c->aw[i];
	}
	free(c->aw);
	c->aw = to;
	for (i = 0; i < c->np; i++)
		awards_order(c, &c->p[i]);
}

/*
 * The merged products' ranks taken out: the others close up, in the
 * same order, and b->byid follows (a merged one's rank: CAT_NONE).
 */
static void
products_close(struct cat_build *b)
{
	struct catalogue	*c = b->c;
	uint32_t		*to;
	size_t			 i, k = 0;

	if ((to = calloc(b->nbyid + 1, sizeof(*to))) == NULL)
		abort();
	for (i = 0; i < b->nbyid; i++) {
		to[i] = c->p[i].id == 0 ? CAT_NONE : (uint32_t)k;
		if (c->p[i].id != 0) {
			b->facid[k] = b->facid[i];
			c->p[k++] = c->p[i];
		}
	}
	c->np = k;
	for (i = 0; i < b->nbyid; i++)
		b->byid[i].rank = to[b->byid[i].rank];
	free(to);
}

static int
ll_cmp(const void *x, const void *y)
{
	long long	 a = *(const long long *)x, b = *(const long long *)y;

	return a < b ? -1 : a > b;
}

/*
 * The products' facilities: read (those of a product only), and each
 * product's found by its id. 0, or a DB_E* code.
 */
static int
facilities_read(struct db *db, struct cat_build *b)
{
	struct catalogue	*c = b->c;
	long long		*ids;
	size_t			 i, n = 0;
	int			 rc;

	if ((ids = calloc(c->np + 1, sizeof(*ids))) == NULL)
		abort();
	memcpy(ids, b->facid, c->np * sizeof(*ids));
	qsort(ids, c->np, sizeof(*ids), ll_cmp);
	for (i = 0; i < c->np; i++)
		if (n == 0 || ids[n - 1] != ids[i])
			ids[n++] = ids[i];
	b->facs = ids;
	b->nfacs = n;
	rc = db_teach(db, cat_sql[S_CAT_FACILITIES], row_facility, b);
	free(ids);
	if (rc != 0)
		return rc < 0 ? rc : DB_EFAIL;
	for (i = 0; i < c->np; i++)
		if ((c->p[i].facility = by_id(c->fac, c->nfac, sizeof(*c->fac),
		    b->facid[i])) == CAT_NONE)
			return DB_EFAIL;	/* facility_id is a foreign key */
	return 0;
}

/*
 * The versions of the lists in memory (catalogue_version's rows 1 and 2;
 * 0: no row), one read serving both: 0, or a DB_E* code.
 */
int
catalogue_versions(struct db *db, struct arena *a, unsigned long long v[2])
{
	struct db_res	*q;
	long long	 id;

	v[0] = v[1] = 0;
	if ((q = db_squery(db, a, &cat_set, S_CAT_VERSION, DB_NOARGS)) ==
	    NULL)
		return db_last_error(db);
	while (db_next(q))
		if ((id = db_int(q, 0)) == 1 || id == 2)
			v[id - 1] = strtoull(db_str(q, 1), NULL, 10);
	return 0;
}

/* Read the tables, one statement each, into b->c. 0, or a DB_E* code. */
static int
cat_read(struct db *db, struct arena *a, struct cat_build *b)
{
	struct catalogue	*c = b->c;
	unsigned long long	 v[2];
	int			 rc;

	if ((rc = catalogue_versions(db, a, v)) != 0)
		return rc;
	c->version = v[0];
	if ((rc = db_teach(db, cat_sql[S_CAT_UNITS], row_unit, b)) != 0 ||
	    (rc = db_teach(db, cat_sql[S_CAT_GROUPS], row_group, b)) != 0 ||
	    (rc = db_teach(db, cat_sql[S_CAT_ORDER], row_order, b)) != 0)
		return rc < 0 ? rc : DB_EFAIL;
	if (b->nbyid > 0)	/* no products: byid is NULL */
		qsort(b->byid, b->nbyid, sizeof(*b->byid), byid_cmp);
	if ((c->p = calloc(b->nbyid + 1, sizeof(*c->p))) == NULL ||
	    (b->facid = calloc(b->nbyid + 1, sizeof(*b->facid))) == NULL)
		abort();
	c->np = b->nbyid;
	if ((rc = db_teach(db, cat_sql[S_CAT_PRODUCTS], row_product, b)) != 0)
		return rc < 0 ? rc : DB_EFAIL;
	if (b->nread != b->nbyid)
		return DB_EFAIL;
	products_close(b);
	if ((rc = facilities_read(db, b)) != 0)
		return rc;
	free(b->facid);
	b->facid = NULL;
	if ((rc = db_teach(db, cat_sql[S_CAT_AWARDS], row_award, b)) != 0)
		return rc < 0 ? rc : DB_EFAIL;
	awards_place(b);
	free(b->byid);
	free(b->awrank);
	b->byid = NULL;
	b->awrank = NULL;
	return 0;
}

void
catalogue_free(struct catalogue *c)
{
	size_t	 i;

	if (c != NULL) {
		void	*arrays[] = { c->str, c->p, c->aw, c->fac, c->groups,
		    c->units, c->fwd, c->post, c->bits, c->words, c->pre[0],
		    c->pre[1], c->word_pre[0], c->word_pre[1], c->codes, c };

		for (i = 0; i < NELEM(arrays); i++)
			free(arrays[i]);
	}
}

#define MS(a, b)	((double)((b).tv_sec - (a).tv_sec) * 1e3 + \
	(double)((b).tv_nsec - (a).tv_nsec) / 1e6)

/*
 * Build the catalogue as of now: one snapshot, read and indexed. NULL on
 * failure, with the status written into *status.
 */
const struct catalogue *
catalogue_build(struct req *r, int *status)
{
	struct cat_build	 b;
	struct timespec		 t0, t1, t2;
	struct db		*db = db_builder(r->db);
	int			 rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&b, 0, sizeof(b));
	if ((b.c = calloc(1, sizeof(*b.c))) == NULL)
		abort();
	cat_str(&b, "");	/* no string is at offset 0 by chance */
	if ((rc = db_raw(db, "SET TRANSACTION ISOLATION LEVEL"
	    " REPEATABLE READ")) == 0 && (rc = db_raw(db, "START"
	    " TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")) == 0) {
		if ((rc = cat_read(db, r->a, &b)) == 0)
			rc = db_commit(db);
		else
			db_rollback(db);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0)
		cat_index(&b);
	cat_build_done(&b);
	if (rc != 0) {
		log_err("kc-products: the catalogue could not be read (%d)",
		    rc);
		catalogue_free(b.c);
		*status = rc == DB_EFAIL ? resp_fail(r, E_INTERNAL,
		    "Lỗi máy chủ. Vui lòng thử lại sau.") : resp_db_code(r, rc);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t2);
	b.c->build_ms = MS(t0, t2);
	log_info("kc-products: catalogue of %zu products built in %.0f ms"
	    " (read %.0f ms, index %.0f ms)", b.c->np, b.c->build_ms,
	    MS(t0, t1), MS(t1, t2));
	return b.c;
}

/*
 * The catalogue, current as of this request: the one kept, when its
 * version is the database's; else built again (the old one freed first,
 * so that a worker never holds two). NULL with the status written into
 * *status (503 while the database is down).
 */
const struct catalogue *
catalogue_get(struct req *r, int *status)
{
	static struct catalogue	*kept;
	static int		 tuned;
	unsigned long long	 v[2];

	if (!tuned) {
		/* Big arrays come from and go back to the system. */
		mallopt(M_MMAP_THRESHOLD, 256 * 1024);
		tuned = 1;
	}
	if (catalogue_versions(r->db, r->a, v) != 0) {
		*status = resp_db(r);
		return NULL;
	}
	if (kept != NULL && kept->version == v[0] && v[0] != 0)
		return kept;
	catalogue_free(kept);
	kept = (struct catalogue *)catalogue_build(r, status);
	return kept;
}
