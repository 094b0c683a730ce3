/*
 * importer_batch: one batch of the import against the database (see
 * importer_int.h). The later copies of a key in the batch are skipped,
 * the rows classified with two IN-list lookups (facilities by ident, then
 * the products and awards of the stored ones), then written: new
 * facilities, products and awards with plain multi-row INSERTs (their ids
 * come back in order), changes with multi-row upserts, the new products'
 * words, and one query for possible duplicates. Everything runs on the
 * data connection, inside the transaction imp_flush() opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "importer_int.h"
#include "text.h"

/* The batch's one statement of its own. */
enum batch_stmt { S_DUPS, S_DUP_PAIR, S_BATCH__MAX };
static const char *const batch_sql[] = {
	[S_DUPS] =
	    "SELECT p.id, MIN(p2.id) FROM product p JOIN product p2"
	    " ON p2.facility_id = p.facility_id AND p2.name_fold = p.name_fold"
	    " AND p2.id < p.id AND p2.merged_into IS NULL"
	    " WHERE p.id BETWEEN ? AND ? GROUP BY p.id",
	/* The pair in the staff's queue (migration 058): known by its
	 * facility and name keys, so that a dismissed one stays so. */
	[S_DUP_PAIR] =
	    "INSERT INTO dup_pair (facility_id, key_lo, key_hi, older_id,"
	    " newer_id, import_id) SELECT p.facility_id,"
	    " LEAST(p.name_key, o.name_key), GREATEST(p.name_key, o.name_key),"
	    " o.id, p.id, ? FROM product p JOIN product o ON o.id = ?"
	    " WHERE p.id = ? ON DUPLICATE KEY UPDATE older_id = o.id,"
	    " newer_id = p.id, import_id = VALUES(import_id)",
};
static struct db_set batch_set = DB_SET("importer/batch", batch_sql);

/* A row writes (facility, product, award) when it is new or updated. */
#define WRITES(r)	((r)->state == R_NEW || (r)->state == R_UPDATE)

static size_t
ids_slot(const struct idset *s, long long id)
{
	size_t	i = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ULL >> 20)
		    & (s->cap - 1);

	while (s->k[i] != 0 && s->k[i] != id)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int
ids_has(const struct idset *s, long long id)
{
	return s->cap > 0 && s->k[ids_slot(s, id)] == id;
}

/* Adds id; the table doubles (in arena a) past half full. */
static void
ids_add(struct arena *a, struct idset *s, long long id)
{
	struct idset	 old = *s;
	size_t		 i;

	if (2 * (s->n + 1) > s->cap) {
		s->cap = old.cap == 0 ? 1024 : 2 * old.cap;
		s->k = arena_alloc(a, s->cap * sizeof(*s->k));
		memset(s->k, 0, s->cap * sizeof(*s->k));
		for (i = 0; i < old.cap; i++)
			if (old.k[i] != 0)
				s->k[ids_slot(s, old.k[i])] = old.k[i];
	}
	i = ids_slot(s, id);
	if (s->k[i] == 0) {
		s->k[i] = id;
		s->n++;
	}
}

/* A string's hash (djb2): the maps' and imp_dedupe's. */
static size_t
str_hash(const char *p)
{
	size_t	 h = 5381;

	for (; *p != '\0'; p++)
		h = h * 33 + (unsigned char)*p;
	return h;
}

static void
hm_init(struct arena *a, struct hmap *h, size_t n)
{
	for (h->cap = 16; h->cap < 2 * n + 1; h->cap *= 2)
		;
	h->keys = arena_alloc(a, h->cap * sizeof(*h->keys));
	h->vals = arena_alloc(a, h->cap * sizeof(*h->vals));
}

/* The value slot of key: *found says whether it was there; a new key is
 * entered (the map never holds more than the n it was made for). */
static void **
hm_slot(struct hmap *h, const char *key, int *found)
{
	size_t	 i;

	for (i = str_hash(key) & (h->cap - 1); h->keys[i] != NULL; i = (i + 1) & (h->cap - 1))
		if (strcmp(h->keys[i], key) == 0) {
			*found = 1;
			return &h->vals[i];
		}
	*found = 0;
	h->keys[i] = key;
	return &h->vals[i];
}

static void *
hm_get(struct hmap *h, const char *key)
{
	size_t	 i;

	for (i = str_hash(key) & (h->cap - 1); h->keys[i] != NULL; i = (i + 1) & (h->cap - 1))
		if (strcmp(h->keys[i], key) == 0)
			return h->vals[i];
	return NULL;
}

/*
 * The 7 parameters of one facility row (M_FAC_NEW and M_FAC_SET share
 * their column order): names and tax code from row r, the rest from f.
 */
static void
fac_params(struct db_param *d, const struct bfac *f, const struct imp_row *r,
    int sample)
{
	d[0] = imp_str(f->ident);
	d[1] = imp_str(r->fname);
	d[2] = imp_str(r->ffold);
	d[3] = imp_str(r->tax);
	d[4] = imp_str(f->addr);
	d[5] = imp_nint(f->unit);
	d[6] = DB_INT(sample);
}

/*
 * The 9 parameters of one product row (M_PROD_NEW and M_PROD_SET share
 * their column order): names from row r, the rest as given.
 */
static void
prod_params(struct db_param *d, long long fac_id, const struct imp_row *r,
    const char *sfold, long long group_id, long long unit_id, int year,
    int sample)
{
	d[0] = DB_INT(fac_id);
	d[1] = imp_str(r->pname);
	d[2] = imp_str(r->pfold);
	d[3] = imp_str(r->pkey);
	d[4] = imp_str(sfold);
	d[5] = imp_nint(group_id);
	d[6] = imp_nint(unit_id);
	d[7] = DB_INT(year);
	d[8] = DB_INT(sample);
}

/* A facility row of M_FAC_FIND (or M_FAC_ALIAS): id, the ident looked
 * up, address, unit_id, sample, its current ident. */
static void
imp_found_fac(struct imp *im, struct db_res *q)
{
	struct bfac	*f = hm_get(&im->fmap, db_str(q, 1));

	if (f == NULL)
		return;
	f->exists = 1;
	f->id = db_int(q, 0);
	f->db_addr = db_str(q, 2);
	f->db_unit = db_int(q, 3);
	f->db_sample = (int)db_int(q, 4);
	f->db_ident = db_str(q, 5);
}

/*
 * A row of M_PROD_FIND: a product of a batch facility and one of its
 * awards (or none). Only the batch's products and award keys matter.
 */
static void
imp_found_prod(struct imp *im, struct db_res *q)
{
	struct bfac	*f = hm_get(&im->fidmap, db_str(q, 1));
	struct bprod	*p;
	struct imp_row	*r;
	const char	*k;

	if (f == NULL)
		return;
	k = arena_printf(im->batch, "%p\x1f%s", (void *)f, db_str(q, 2));
	if ((p = hm_get(&im->pmap, k)) == NULL)
		return;
	p->exists = 1;
	p->id = db_int(q, 0);
	p->db_group = db_int(q, 3);
	if (strcmp(db_str(q, 2), db_str(q, 11)) != 0) {
		/* Found by an old spelling (M_PROD_ALIAS): the upsert goes to
		 * the product's current key and search text. */
		p->db_key = db_str(q, 11);
		p->db_fold = db_str(q, 12);
	}
	if (db_isnull(q, 4))
		return;
	k = arena_printf(im->batch, "%p\x1f%s\x1f%s", (void *)p, db_str(q, 5),
	    db_str(q, 6));
	if ((r = hm_get(&im->amap, k)) == NULL)
		return;
	r->has_award = 1;
	r->aid = db_int(q, 4);
	r->a_import = db_int(q, 7);
	r->a_dno = db_str(q, 8);
	r->a_ddate = db_str(q, 9);
	r->a_unit = db_int(q, 10);
}

/* Mark the later copies of a key within the batch (first one wins). */
static void
imp_dedupe(struct imp *im)
{
	size_t		 cap = 2 * IMP_BATCH, i, h;
	long		 slot[2 * IMP_BATCH];

	for (i = 0; i < cap; i++)
		slot[i] = -1;
	for (i = 0; i < im->nrows; i++) {
		for (h = str_hash(im->rows[i].dupkey) % cap; slot[h] >= 0;
		    h = (h + 1) % cap) {
			if (strcmp(im->rows[slot[h]].dupkey,
			    im->rows[i].dupkey) == 0) {
				im->rows[i].state = R_SKIP;
				break;
			}
		}
		if (slot[h] < 0)
			slot[h] = (long)i;
	}
}

/*
 * The batch's facilities, each once (im->facs), looked up by ident with
 * M_FAC_FIND; keys receives the ids of the stored ones, *nk their number.
 * 0 or DB_E*.
 */
static int
imp_classify_facs(struct imp *im, struct db_param *keys, size_t *nk)
{
	struct arena	*a = im->batch;
	struct imp_row	*r;
	struct bfac	*f, **facs;
	void		**slot;
	size_t		 i, nf = 0;
	int		 found, rc;

	facs = arena_alloc(a, (im->nrows + 1) * sizeof(*facs));
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->state == R_SKIP)
			continue;
		slot = hm_slot(&im->fmap, r->ident, &found);
		if (!found) {
			f = *slot = arena_alloc(a, sizeof(*f));
			f->ident = r->ident;
			facs[nf] = f;
			keys[nf++] = DB_STRN(r->ident, strlen(r->ident));
		}
		r->fac = *slot;
	}
	im->facs = facs;
	im->nfacs = nf;
	if ((rc = imp_in(im, M_FAC_FIND, NULL, keys, nf, imp_found_fac)) < 0)
		return rc;
	if (im->aliases) {
		/* The idents not found: an old one of a facility renamed
		 * or merged by staff (facility_alias, migration 058)? */
		for (i = 0, *nk = 0; i < nf; i++)
			if (!facs[i]->exists)
				keys[(*nk)++] = DB_STR(facs[i]->ident);
		if (*nk > 0 && (rc = imp_in(im, M_FAC_ALIAS, NULL, keys, *nk,
		    imp_found_fac)) < 0)
			return rc;
	}
	for (i = 0, *nk = 0; i < nf; i++)
		if (facs[i]->exists) {
			*hm_slot(&im->fidmap, arena_printf(a, "%lld",
			    facs[i]->id), &found) = facs[i];
			keys[(*nk)++] = DB_INT(facs[i]->id);
		}
	return 0;
}

/*
 * The batch's products (by facility, then name) and award keys, and the
 * stored ones of the nk stored facilities of keys with M_PROD_FIND.
 * 0 or DB_E*.
 */
static int
imp_classify_prods(struct imp *im, const struct db_param *keys, size_t nk)
{
	struct arena	*a = im->batch;
	struct imp_row	*r;
	struct bprod	*p;
	void		**slot;
	size_t		 i;
	int		 found, rc;

	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->state == R_SKIP)
			continue;
		slot = hm_slot(&im->pmap, arena_printf(a, "%p\x1f%s",
		    (void *)r->fac, r->pkey), &found);
		if (!found) {
			p = *slot = arena_alloc(a, sizeof(*p));
			p->fac = r->fac;
			p->pkey = r->pkey;
		}
		r->prod = *slot;
		if (r->fac->exists)
			*hm_slot(&im->amap, arena_printf(a, "%p\x1f%d\x1f%s",
			    (void *)r->prod, r->year, r->level), &found) = r;
	}
	if (nk > 0 && (rc = imp_in(im, M_PROD_FIND, NULL, keys, nk,
	    imp_found_prod)) < 0)
		return rc;
	if (nk > 0 && im->aliases)
		return imp_in(im, M_PROD_ALIAS, NULL, keys, nk, imp_found_prod);
	return 0;
}

/*
 * Classify the batch rows against the database: two lookups (the
 * facilities by ident; the products and awards of those that exist).
 * Sets state, new_product, fac and prod of every row. 0 or DB_E*.
 */
static int
imp_classify(struct imp *im)
{
	struct arena	*a = im->batch;
	struct imp_row	*r;
	struct bfac	*f;
	struct bprod	*p;
	struct db_param	*keys;
	size_t		 i, nk;
	int		 rc, changed;

	hm_init(a, &im->fmap, im->nrows);
	hm_init(a, &im->fidmap, im->nrows);
	hm_init(a, &im->pmap, im->nrows);
	hm_init(a, &im->amap, im->nrows);
	keys = arena_alloc(a, (im->nrows + 1) * sizeof(*keys));
	if ((rc = imp_classify_facs(im, keys, &nk)) < 0 ||
	    (rc = imp_classify_prods(im, keys, nk)) < 0)
		return rc;
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->state == R_SKIP)
			continue;
		f = r->fac;
		p = r->prod;
		if (f->exists)
			f->ident = f->db_ident;
		if (p->db_key != NULL) {
			r->pkey = p->db_key;
			r->sfold = arena_printf(a, "%s %s", p->db_fold, r->ffold);
		}
		r->new_product = !p->exists;
		if (!r->has_award) {
			r->state = R_NEW;
			continue;
		}
		/* Listed earlier in this file: written by this run, or
		 * found unchanged in an earlier batch. The first one wins. */
		if (r->a_import == im->id || ids_has(&im->same, r->aid)) {
			r->state = R_SKIP;
			continue;
		}
		changed = (r->dno != NULL && imp_differ(r->dno, r->a_dno)) ||
		    (r->ddate[0] != '\0' && imp_differ(r->ddate, r->a_ddate)) ||
		    (r->unit_id != 0 && r->unit_id != r->a_unit) ||
		    (r->group_id != 0 && r->group_id != p->db_group) ||
		    (r->addr != NULL && imp_differ(r->addr, f->db_addr));
		r->state = changed ? R_UPDATE : R_SAME;
		if (!changed)
			ids_add(im->run, &im->same, r->aid);
	}
	return 0;
}

/* Does the run keep what it changes for its undo (not a dry run)? */
#define CHANGES(im)	(!(im)->o->dry_run && (im)->id != 0)

/* What the batch inserts: its new facilities and products, in order. */
struct batch_plan {
	struct bfac	**nf;
	struct bprod	**np;
	size_t		  nnf, nnp;
	long long	 *ids;		/* the ids of the new rows */
	long long	  lo, hi;	/* the new products' ids */
};

/*
 * The rows in order, as the old row-by-row upserts left things: each
 * facility and new product takes the values of the last row that gives
 * one; the new ones are listed in the plan.
 */
static void
imp_plan(struct imp *im, struct batch_plan *pl)
{
	struct arena	*a = im->batch;
	struct imp_row	*r;
	struct bfac	*f;
	struct bprod	*p;
	size_t		 i, n = im->nrows;

	memset(pl, 0, sizeof(*pl));
	pl->nf = arena_alloc(a, (n + 1) * sizeof(*pl->nf));
	pl->np = arena_alloc(a, (n + 1) * sizeof(*pl->np));
	pl->ids = arena_alloc(a, (n + 1) * sizeof(*pl->ids));
	for (i = 0; i < n; i++) {
		r = &im->rows[i];
		if (!WRITES(r))
			continue;
		f = r->fac;
		if (!f->touched) {
			f->touched = 1;
			f->first = i;
			if (!f->exists)
				pl->nf[pl->nnf++] = f;
		}
		if (r->addr != NULL)
			f->addr = r->addr;
		if (r->unit_id != 0)
			f->unit = r->unit_id;
		p = r->prod;
		if (p->exists) {
			/* One upsert row per row, in order (as before). */
			continue;
		}
		if (!p->touched) {
			p->touched = 1;
			p->first = i;
			p->grp = r->group_id;
			p->unit = r->unit_id;
			p->last_year = r->year;
			pl->np[pl->nnp++] = p;
		} else {
			if (r->group_id != 0)
				p->grp = r->group_id;
			if (r->year >= p->last_year && r->unit_id != 0)
				p->unit = r->unit_id;
			if (r->year > p->last_year)
				p->last_year = r->year;
		}
		p->sfold = r->sfold;
	}
}

/*
 * The ids of a table's new rows by their place (ids[k] for keys[k]): the
 * rows q returned, id then the key's columns (two are joined by \x1f).
 * 0 or DB_EFAIL (a row missing or not the batch's).
 */
static int
imp_new_ids(struct imp *im, struct db_res *q, const char *const *keys,
    long long *ids, size_t n)
{
	struct hmap	 h;
	const char	*key;
	long long	*id;
	size_t		 k;
	int		 found;

	hm_init(im->batch, &h, n);
	for (k = 0; k < n; k++) {
		ids[k] = 0;
		*hm_slot(&h, keys[k], &found) = &ids[k];
	}
	while (db_next(q)) {
		key = q->cols > 2 ? arena_printf(im->batch, "%s\x1f%s",
		    db_str(q, 1), db_str(q, 2)) : db_str(q, 1);
		if (key == NULL || (id = hm_get(&h, key)) == NULL)
			return DB_EFAIL;
		*id = db_int(q, 0);
	}
	for (k = 0; k < n; k++)
		if (ids[k] == 0)
			return DB_EFAIL;
	return 0;
}

/*
 * Merge a loaded staging table: the nn new rows (their ids into ids by keys, when keys is given),
 * the ns changed ones' values before, then their upsert. The statements
 * follow one another in enum stage_stmt: NEW, CHG_SET, SET. 0 or DB_E*.
 */
static int
imp_merge(struct imp *im, enum stage_stmt s_new, const char *const *keys,
    size_t nn, size_t ns, long long *ids)
{
	struct db_res	*q;
	int		 rc;

	if (nn > 0) {
		if ((q = imp_stage_new(im, s_new)) == NULL)
			return db_last_error(im->data);
		if (keys != NULL && (rc = imp_new_ids(im, q, keys, ids,
		    nn)) < 0)
			return rc;
	}
	if (ns == 0)
		return 0;
	if (CHANGES(im) && (rc = imp_stage_exec(im, s_new + 1)) < 0)
		return rc;
	return imp_stage_exec(im, s_new + 2);
}

/* Facilities: the new ones, then changes to stored ones. 0 or DB_E*. */
static int
imp_write_facs(struct imp *im, struct batch_plan *pl)
{
	struct db_param	 v[7];
	struct bfac	*f;
	const char	**keys;
	size_t		 k, nuf = 0;
	int		 rc, sample = im->sample;

	imp_stage_begin(im);
	keys = arena_alloc(im->batch, (pl->nnf + 1) * sizeof(*keys));
	for (k = 0; k < pl->nnf; k++) {
		fac_params(v, pl->nf[k], &im->rows[pl->nf[k]->first], sample);
		imp_stage_row(im, 0, k, v, 7);
		keys[k] = pl->nf[k]->ident;
	}
	for (k = 0; k < im->nfacs; k++) {
		f = im->facs[k];
		if (!f->exists || !f->touched)
			continue;
		if (!((f->addr != NULL && imp_differ(f->addr, f->db_addr)) ||
		    (f->unit != 0 && f->unit != f->db_unit) ||
		    sample < f->db_sample))
			continue;
		fac_params(v, f, &im->rows[f->first], sample);
		imp_stage_row(im, 1, nuf++, v, 7);
	}
	if (pl->nnf + nuf > 0 && ((rc = imp_stage_load(im, ST_FAC)) < 0 ||
	    (rc = imp_merge(im, S_SG_FAC_NEW, keys, pl->nnf, nuf,
	    pl->ids)) < 0))
		return rc;
	for (k = 0; k < pl->nnf; k++)
		pl->nf[k]->id = pl->ids[k];
	return 0;
}

/*
 * Products: the new ones (their ids, lo and hi), then one upsert row per
 * row of a stored one. 0 or DB_E*.
 */
static int
imp_write_prods(struct imp *im, struct batch_plan *pl)
{
	struct db_param	 v[9];
	struct imp_row	*r;
	struct bprod	*p;
	const char	**keys;
	size_t		 i, k, nup = 0;
	int		 rc, sample = im->sample;

	imp_stage_begin(im);
	keys = arena_alloc(im->batch, (pl->nnp + 1) * sizeof(*keys));
	for (k = 0; k < pl->nnp; k++) {
		p = pl->np[k];
		prod_params(v, p->fac->id, &im->rows[p->first], p->sfold,
		    p->grp, p->unit, p->last_year, sample);
		imp_stage_row(im, 0, k, v, 9);
		keys[k] = arena_printf(im->batch, "%lld\x1f%s", p->fac->id,
		    p->pkey);
	}
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (!WRITES(r) || !r->prod->exists)
			continue;
		prod_params(v, r->fac->id, r, r->sfold, r->group_id,
		    r->unit_id, r->year, sample);
		imp_stage_row(im, 1, nup++, v, 9);
	}
	if (pl->nnp + nup > 0 && ((rc = imp_stage_load(im, ST_PROD)) < 0 ||
	    (rc = imp_merge(im, S_SG_PROD_NEW, keys, pl->nnp, nup,
	    pl->ids)) < 0))
		return rc;
	for (k = 0; k < pl->nnp; k++) {
		pl->np[k]->id = pl->ids[k];
		if (k == 0 || pl->ids[k] < pl->lo)
			pl->lo = pl->ids[k];
		if (k == 0 || pl->ids[k] > pl->hi)
			pl->hi = pl->ids[k];
	}
	return 0;
}

/*
 * Awards: the new ones, the updated ones; then what migration 065's
 * insert triggers leave to the batch (one catalogue version for the
 * batch's new products and awards). 0 or DB_E*.
 */
static int
imp_write_awards(struct imp *im, struct batch_plan *pl)
{
	struct db_param	 d[8];
	struct imp_row	*r;
	char		*code;
	size_t		 i, nna = 0, nua = 0;
	int		 rc;

	imp_stage_begin(im);
	imp_stage_codes(im, im->nrows);
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (!WRITES(r))
			continue;
		d[0] = DB_INT(r->prod->id);
		d[1] = DB_INT(r->year);
		d[2] = imp_str(r->level);
		d[3] = imp_str(r->dno);
		d[4] = imp_str(r->ddate[0] != '\0' ? r->ddate : NULL);
		d[5] = imp_nint(r->unit_id);
		d[6] = DB_INT(im->id);
		d[7] = DB_NULL;
		if (r->state == R_NEW) {
			code = arena_alloc(im->batch, 9);
			imp_stage_code(im, code);
			d[7] = DB_STR(code);
			imp_stage_row(im, 0, nna++, d, 8);
		} else
			imp_stage_row(im, 1, nua++, d, 8);
	}
	if (nna + nua == 0)
		return pl->nnp > 0 ?
		    imp_stage_exec(im, S_SG_VERSION) : 0;
	if ((rc = imp_stage_load(im, ST_AWARD)) < 0 ||
	    (nna > 0 && (rc = imp_stage_recode(im)) < 0) ||
	    (rc = imp_merge(im, S_SG_AWARD_NEW, NULL, nna, nua, NULL)) < 0)
		return rc;
	return nna + pl->nnp > 0 ? imp_stage_exec(im, S_SG_VERSION) : 0;
}

/*
 * Possible duplicates: a new product equal to an older one of the same
 * facility once diacritics are ignored (one query over the new ids), each
 * a warning. 0 or DB_E*.
 */
static int
imp_write_dups(struct imp *im, const struct batch_plan *pl)
{
	struct arena	*a = im->batch;
	struct db_res	*q;
	struct imp_row	*r;
	struct bprod	*p;
	size_t		 i, k;
	int		 found;

	if (pl->nnp == 0)
		return 0;
	hm_init(a, &im->fidmap, pl->nnp);
	for (k = 0; k < pl->nnp; k++)
		*hm_slot(&im->fidmap, arena_printf(a, "%lld", pl->np[k]->id),
		    &found) = pl->np[k];
	q = db_squery(im->data, a, &batch_set, S_DUPS,
	    DB_ARGS(DB_INT(pl->lo), DB_INT(pl->hi)));
	if (q == NULL)
		return db_last_error(im->data);
	while (db_next(q))
		if ((p = hm_get(&im->fidmap, db_str(q, 0))) != NULL)
			p->dup = db_int(q, 1);
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->state != R_NEW || !r->new_product || r->prod->dup == 0)
			continue;
		im->nwarnings++;
		if (db_sexec(im->data, &batch_set, S_DUP_PAIR, DB_ARGS(
		    DB_INT(im->id), DB_INT(r->prod->dup),
		    DB_INT(r->prod->id))) < 0)
			return db_last_error(im->data);
		imp_issue(im, 0, r->line, "product", "possible_duplicate",
		    arena_printf(a, "Sản phẩm “%s” có thể trùng với sản phẩm"
		    " #%lld của cùng cơ sở (chỉ khác dấu)", r->pname,
		    r->prod->dup), r->prod->dup);
	}
	return 0;
}

/*
 * Write one batch of rows (im->rows[0..nrows-1]) in the open transaction:
 * skip the later copies of a key, classify every row against the
 * database and count it, insert what is new, upsert what changed, leave
 * what is unchanged as it is (its award id kept in im->same for the later
 * batches), warn about possible duplicates. 0 or DB_E*.
 */
int
imp_batch(struct imp *im)
{
	struct batch_plan	 pl;
	size_t			 i;
	int			 rc;

	imp_dedupe(im);
	if ((rc = imp_classify(im)) < 0)
		return rc;
	for (i = 0; i < im->nrows; i++) {
		switch (im->rows[i].state) {
		case R_NEW: im->inserted++; break;
		case R_UPDATE: im->updated++; break;
		default: im->unchanged++; break;
		}
	}
	imp_plan(im, &pl);
	if ((rc = imp_write_facs(im, &pl)) < 0 ||
	    (rc = imp_write_prods(im, &pl)) < 0 ||
	    (rc = imp_write_awards(im, &pl)) < 0)
		return rc;
	return imp_write_dups(im, &pl);
}
