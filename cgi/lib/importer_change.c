/*
 * importer_change: what a run changes, kept for its undo (import_change,
 * migration 058), in the transaction of each batch: the ids of the rows
 * it inserts, and the values a row had before the run first updated it.
 * The batch's rows are recorded set-wise (importer_stage.c: the new ones'
 * ids from RETURNING as one import_new row per table, the updated ones'
 * values from the staging tables); here, the product groups a row
 * creates. A dry run
 * records nothing (it is rolled back anyway).
 */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "importer_int.h"

enum chg_stmt { S_GROUP_NEW, S_CHG__MAX };
static const char *const chg_sql[] = {
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
