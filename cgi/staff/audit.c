/*
 * Audit: the audit trail, for auditors (and admins). The rows are
 * written by auth.c's audit_write() in each change's transaction.
 *
 *   GET /api/admin/audit[.csv]   auditor
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "auth.h"
#include "clock.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"

#define AUDIT_FILTER \
	" WHERE (? IS NULL OR entity = ?) AND (? IS NULL OR entity_id = ?)" \
	" AND (? IS NULL OR username = ?) AND (? IS NULL OR action = ?)" \
	" AND (? IS NULL OR at >= CAST(? AS DATETIME) - " CLOCK_VN_SQL ")" \
	" AND (? IS NULL OR at < CAST(? AS DATETIME) + INTERVAL 1 DAY - " \
	CLOCK_VN_SQL ")"

enum audit_stmt { S_AUDIT_LIST, S_AUDIT_COUNT, S_AUDIT__MAX };
static const char *const audit_sql[S_AUDIT__MAX] = {
	[S_AUDIT_LIST] =
	    "SELECT id, " SQL_ISO("at") ", user_id, username, ip, action,"
	    " entity, entity_id, before_json, after_json FROM audit_log"
	    AUDIT_FILTER " ORDER BY id DESC LIMIT ? OFFSET ?",
	[S_AUDIT_COUNT] = "SELECT COUNT(*) FROM audit_log" AUDIT_FILTER,
};
static struct db_set audit_set = DB_SET("staff/audit", audit_sql);

/*
 * An audit row as S_AUDIT_LIST reads it and the API shows it (before and
 * after: JSON text), and its CSV.
 */
#define AUDIT_ROW(X) \
	X(id, J_INT) X(at, J_STR) X(user_id, J_NINT) X(username, J_STR) \
	X(ip, J_STR) X(action, J_STR) X(entity, J_STR) X(entity_id, J_STR) \
	X(before, J_JSON) X(after, J_JSON)
#define AUDIT_JCOL(m, t)	JCOL(#m, audit_row, m, t),

struct audit_row { AUDIT_ROW(ROWS_MEMBER) };
static const struct jcol audit_json[] = { AUDIT_ROW(AUDIT_JCOL) };
static const struct csv_col audit_csv[] = {
	{ "id", "id" }, { "at", "at" }, { "username", "username" },
	{ "ip", "ip" }, { "action", "action" }, { "entity", "entity" },
	{ "entity_id", "entity_id" }, { "before", "before" },
	{ "after", "after" },
};

/* The filter: each field is bound twice, in AUDIT_FILTER's order. */
enum { AU_ENTITY, AU_ENTITY_ID, AU_USER, AU_ACTION, AU_FROM, AU_TO,
	AU__MAX };
#define AUDIT_ARGS(v) \
	staff_pstr(&(v)[AU_ENTITY]), staff_pstr(&(v)[AU_ENTITY]), \
	staff_pstr(&(v)[AU_ENTITY_ID]), staff_pstr(&(v)[AU_ENTITY_ID]), \
	staff_pstr(&(v)[AU_USER]), staff_pstr(&(v)[AU_USER]), \
	staff_pstr(&(v)[AU_ACTION]), staff_pstr(&(v)[AU_ACTION]), \
	staff_pstr(&(v)[AU_FROM]), staff_pstr(&(v)[AU_FROM]), \
	staff_pstr(&(v)[AU_TO]), staff_pstr(&(v)[AU_TO])

/*
 * A page of the trail under filter v (everything for CSV), newest
 * first, into *out; the filter's count into *total. 1, or < 0.
 */
static int
q_audit_list(struct req *r, const struct value *v, long long page,
    long long per, json_object **out, long long *total)
{
	int	 rc;

	*out = NULL;
	if ((rc = staff_count(r, &audit_set, S_AUDIT_COUNT,
	    DB_ARGS(AUDIT_ARGS(v)), total)) < 0)
		return rc;
	rc = rows_fetch_json(r->db, r->a, &audit_set, S_AUDIT_LIST, DB_ARGS(
	    AUDIT_ARGS(v), DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 :
	    (page - 1) * per)), audit_json, NELEM(audit_json),
	    sizeof(struct audit_row), out);
	return rc < 0 ? rc : 1;
}

static const struct field audit_filter[AU__MAX] = {
	[AU_ENTITY] = { "entity", F_STR, 0, 1, 40, NULL },
	[AU_ENTITY_ID] = { "entity_id", F_STR, 0, 1, 64, NULL },
	[AU_USER] = { "user", F_STR, 0, 1, 64, NULL },
	[AU_ACTION] = { "action", F_STR, 0, 1, 40, NULL },
	[AU_FROM] = { "from", F_DATE, 0, 0, 0, NULL },
	[AU_TO] = { "to", F_DATE, 0, 0, 0, NULL },
};

/*
 * GET /api/admin/audit[.csv]?entity=&entity_id=&user=&action=&from=&to=
 * &page=&per_page= (auditor, admin) → the audit trail, newest first;
 * before/after are the JSON objects as written. 422.
 */
static int
h_audit_list(struct req *r)
{
	struct value	 v[AU__MAX];
	json_object	*items;
	long long	 page, per, total;
	int		 rc;

	if ((rc = req_fields(r, audit_filter, AU__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per)) != 0)
		return rc;
	if (q_audit_list(r, v, page, per, &items, &total) < 0)
		return resp_db(r);
	return resp_list(r, items, total, page, per, "audit", audit_csv,
	    NELEM(audit_csv));
}

const struct route staff_audit_routes[] = {
	{ M_GET, "/api/admin/audit", h_audit_list, R_CSV, 0, STAFF_RD },
	ROUTES_END
};
