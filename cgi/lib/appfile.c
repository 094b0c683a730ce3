/*
 * appfile: an application's attachments. See appfile.h.
 */
#include <stddef.h>

#include "appfile.h"
#include "db.h"
#include "resp.h"
#include "rows.h"

enum appfile_stmt { S_APPFILE_LIST, S_APPFILE_GET, S_APPFILE__MAX };
static const char *const appfile_sql[S_APPFILE__MAX] = {
	[S_APPFILE_LIST] =
	    "SELECT id, event_id, name, ctype, size, " SQL_ISO("created_at")
	    " FROM application_file WHERE application_id = ? ORDER BY id",
	[S_APPFILE_GET] =
	    "SELECT sha256, ctype, name FROM application_file"
	    " WHERE id = ? AND application_id = ?",
};
static struct db_set appfile_set = DB_SET("lib/appfile", appfile_sql);

const struct jcol appfile_cols[] = {
	JCOL("id", app_file, id, J_INT),
	JCOL("event_id", app_file, event_id, J_INT),
	JCOL("name", app_file, name, J_STR),
	JCOL("content_type", app_file, ctype, J_STR),
	JCOL("size", app_file, size, J_INT),
	JCOL("created_at", app_file, created_at, J_STR),
};
const size_t appfile_ncols = NELEM(appfile_cols);

/* The attachments of application app_id, oldest first, as *out: the
 * count, or < 0. */
int
appfile_list(struct db *db, struct arena *a, long long app_id,
    struct app_file **out)
{
	void	*rows;
	int	 n;

	n = rows_fetch(db, a, &appfile_set, S_APPFILE_LIST,
	    DB_ARGS(DB_INT(app_id)), appfile_cols, appfile_ncols,
	    sizeof(**out), &rows);
	*out = rows;
	return n;
}

static const struct jcol blob_cols[] = {
	JCOL("sha256", app_blob, hash, J_STR),
	JCOL("ctype", app_blob, ctype, J_STR),
	JCOL("name", app_blob, name, J_STR),
};

/* Attachment id of application app_id: 1 with its store name (hash),
 * type and name, 0 (none such), or < 0. */
int
appfile_get(struct db *db, struct arena *a, long long app_id, long long id,
    struct app_blob *out)
{
	return rows_get(db, a, &appfile_set, S_APPFILE_GET,
	    DB_ARGS(DB_INT(id), DB_INT(app_id)), blob_cols, NELEM(blob_cols),
	    out);
}
