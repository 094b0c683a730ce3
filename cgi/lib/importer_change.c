/*
 * importer_change: what a run changes, kept for its undo (import_change,
 * migration 058), in the transaction of each batch: the ids of the rows
 * it inserts, and the values a row had before the run first updated it
 * (read by the same IN lists the importer uses, so a batch of 5 000 rows
 * costs a few more round trips, never one per row). A dry run records
 * nothing (it is rolled back anyway).
 */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "importer_int.h"

enum chg_stmt { S_AWARD_MAX, S_AWARD_NEW, S_GROUP_NEW, S_CHG__MAX };
static const char *const chg_sql[] = {
	[S_AWARD_MAX] = "SELECT COALESCE(MAX(id), 0) FROM award",
	/* Only the importer inserts awards, one run at a time (its lock):
	 * those past the largest id before the batch are the batch's. */
	[S_AWARD_NEW] =
	    "INSERT IGNORE INTO import_change (import_id, tbl, row_id)"
	    " SELECT ?, 'award', id FROM award WHERE id > ? AND import_id = ?",
	[S_GROUP_NEW] =
	    "INSERT IGNORE INTO import_change (import_id, tbl, row_id)"
	    " VALUES (?, 'group', ?)",
};
static struct db_set chg_set = DB_SET("importer/change", chg_sql);

static int
chg_on(const struct imp *im)
{
	return !im->o->dry_run && im->id != 0;
}

/* The n rows of table tbl the batch inserted (ids). 0 or DB_E*. */
int
imp_change_new(struct imp *im, const char *tbl, const long long *ids,
    size_t n)
{
	struct db_param	*p;
	size_t		 k;

	if (!chg_on(im) || n == 0)
		return 0;
	p = arena_alloc(im->batch, 3 * n * sizeof(*p));
	for (k = 0; k < n; k++) {
		p[3 * k] = DB_INT(im->id);
		p[3 * k + 1] = DB_STR(tbl);
		p[3 * k + 2] = DB_INT(ids[k]);
	}
	return imp_multi(im, M_CHG_NEW, p, n, 3, NULL);
}

/*
 * The values before the update of the n rows (ids) that family m
 * (M_CHG_FAC, M_CHG_PROD, M_CHG_AWARD) reads. 0 or DB_E*.
 */
int
imp_change_before(struct imp *im, enum imp_multi m, const long long *ids,
    size_t n)
{
	struct db_param	*p, lead = DB_INT(im->id);
	size_t		 k;

	if (!chg_on(im) || n == 0)
		return 0;
	p = arena_alloc(im->batch, n * sizeof(*p));
	for (k = 0; k < n; k++)
		p[k] = DB_INT(ids[k]);
	return imp_in(im, m, &lead, p, n, NULL);
}

/* The largest award id before the batch inserts any, into *max. */
int
imp_change_award_mark(struct imp *im, long long *max)
{
	struct db_res	*q;

	*max = 0;
	if (!chg_on(im))
		return 0;
	q = db_squery(im->data, im->batch, &chg_set, S_AWARD_MAX, DB_NOARGS);
	if (q == NULL)
		return db_last_error(im->data);
	*max = db_next(q) ? db_int(q, 0) : 0;
	return 0;
}

/* The awards the batch inserted: past max, listed by this run. */
int
imp_change_awards(struct imp *im, long long max)
{
	int	 rc;

	if (!chg_on(im))
		return 0;
	rc = db_sexec(im->data, &chg_set, S_AWARD_NEW, DB_ARGS(DB_INT(im->id),
	    DB_INT(max), DB_INT(im->id)));
	return rc < 0 ? rc : 0;
}

/* A product group the run inserted. 0 or DB_E*. */
int
imp_change_group(struct imp *im, long long id)
{
	int	 rc;

	if (!chg_on(im))
		return 0;
	rc = db_sexec(im->data, &chg_set, S_GROUP_NEW, DB_ARGS(DB_INT(im->id),
	    DB_INT(id)));
	return rc < 0 ? rc : 0;
}
