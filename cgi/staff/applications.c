/*
 * Applications: the review queue of the facilities' applications, for
 * reviewers (auditors read it). The steps of a review are review.c's.
 *
 *   GET  /api/admin/applications[.csv]               reviewer, auditor
 *   GET  /api/admin/applications/{id}                reviewer, auditor
 *   GET  /api/admin/applications/{id}/files/{fid}    reviewer, auditor
 *
 * An application's detail has its history (events: every step, who, when,
 * why), the files the applicant sent with an answer, and the steps the
 * signed-in user may take now (actions, from cgi/lib/review.c's table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "appfile.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "files.h"
#include "req.h"
#include "resp.h"
#include "review.h"
#include "rows.h"
#include "staff.h"
#include "values.h"

#define APP_COLS \
	"a.id, a.ref_code, a.status, a.call_id, c.title, a.facility_name," \
	" a.unit_code, u.name, a.requested_vnd, a.approved_vnd, " \
	SQL_ISO("a.created_at") ", " SQL_ISO("a.updated_at")
#define APP_FILTER \
	" WHERE (? IS NULL OR a.call_id = ?) AND (? IS NULL OR a.status = ?)" \
	" AND (? IS NULL OR a.unit_code = ? OR u.parent_code = ?)"
#define NAPP_LIST	12

enum applications_stmt {
	S_APPS_LIST, S_APPS_COUNT, S_APPS_GET, S_APPS_EVENTS, S_APPS__MAX
};
static const char *const apps_sql[S_APPS__MAX] = {
	[S_APPS_LIST] =
	    "SELECT " APP_COLS " FROM application a"
	    " JOIN support_call c ON c.id = a.call_id"
	    " JOIN admin_unit u ON u.id = a.unit_id" APP_FILTER
	    " ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?",
	[S_APPS_COUNT] =
	    "SELECT COUNT(*) FROM application a"
	    " JOIN admin_unit u ON u.id = a.unit_id" APP_FILTER,
	[S_APPS_GET] =
	    "SELECT " APP_COLS ", a.owner_name, a.phone, a.email, a.address,"
	    " a.products, a.note, a.facility_id, f.tax_code, f.kind,"
	    " c.max_support_vnd FROM application a"
	    " JOIN support_call c ON c.id = a.call_id"
	    " JOIN admin_unit u ON u.id = a.unit_id"
	    " JOIN facility f ON f.id = a.facility_id WHERE a.id = ?",
	[S_APPS_EVENTS] =
	    "SELECT e.id, e.status, e.reason, e.amount_vnd, " SQL_ISO("e.at")
	    ", su.username, e.action FROM application_event e"
	    " LEFT JOIN staff_user su ON su.id = e.actor"
	    " WHERE e.application_id = ? ORDER BY e.at, e.id",
};
static struct db_set apps_set = DB_SET("staff/applications", apps_sql);

/* An application: the queue's columns, then the detail's. */
struct app_row {
	long long	 id;
	const char	*ref_code, *status;
	long long	 call_id;
	const char	*call_title, *facility_name, *unit_code, *unit_name;
	long long	 requested_vnd;
	struct db_nint approved_vnd;
	const char	*created_at, *updated_at;
	const char	*owner_name, *phone, *email, *address, *products;
	const char	*note;
	long long	 facility_id;
	const char	*tax_code, *facility_kind;
	long long	 max_support_vnd;
};
static const struct jcol app_json[] = {
	JCOL("id", app_row, id, J_INT),
	JCOL("ref_code", app_row, ref_code, J_STR),
	JCOL("status", app_row, status, J_STR),
	JCOL("call_id", app_row, call_id, J_INT),
	JCOL("call_title", app_row, call_title, J_STR),
	JCOL("facility_name", app_row, facility_name, J_STR),
	JCOL("unit_code", app_row, unit_code, J_STR),
	JCOL("unit_name", app_row, unit_name, J_STR),
	JCOL("requested_vnd", app_row, requested_vnd, J_INT),
	JCOL("approved_vnd", app_row, approved_vnd, J_NINT),
	JCOL("created_at", app_row, created_at, J_STR),
	JCOL("updated_at", app_row, updated_at, J_STR),
	JCOL("owner_name", app_row, owner_name, J_STR),
	JCOL("phone", app_row, phone, J_STR),
	JCOL("email", app_row, email, J_STR),
	JCOL("address", app_row, address, J_STR),
	JCOL("products", app_row, products, J_JSON),
	JCOL("note", app_row, note, J_STR),
	JCOL("facility_id", app_row, facility_id, J_INT),
	JCOL("tax_code", app_row, tax_code, J_STR),
	JCOL("facility_kind", app_row, facility_kind, J_STR),
	JCOL("max_support_vnd", app_row, max_support_vnd, J_INT),
};
static const struct csv_col app_csv[] = {
	{ "id", "id" }, { "ref_code", "ref_code" }, { "status", "status" },
	{ "call_id", "call_id" }, { "call_title", "call_title" },
	{ "facility_name", "facility_name" }, { "unit_code", "unit_code" },
	{ "unit_name", "unit_name" }, { "requested_vnd", "requested_vnd" },
	{ "approved_vnd", "approved_vnd" }, { "created_at", "created_at" },
};

/* A step of the history: who is a staff user's name, NULL the applicant. */
struct event_row {
	long long	 id;
	const char	*status, *reason;
	struct db_nint amount_vnd;
	const char	*at, *by, *action;
};
static const struct jcol event_json[] = {
	JCOL("id", event_row, id, J_INT),
	JCOL("status", event_row, status, J_STR),
	JCOL("reason", event_row, reason, J_STR),
	JCOL("amount_vnd", event_row, amount_vnd, J_NINT),
	JCOL("at", event_row, at, J_STR),
	JCOL("by", event_row, by, J_STR),
	JCOL("action", event_row, action, J_STR),
};

/* The queue's filter: the fields' order is APP_FILTER's. */
enum { AF_CALL, AF_STATUS, AF_DISTRICT, AF__MAX };
#define APP_ARGS(v) \
	staff_pint(&(v)[AF_CALL]), staff_pint(&(v)[AF_CALL]), \
	staff_pstr(&(v)[AF_STATUS]), staff_pstr(&(v)[AF_STATUS]), \
	staff_pstr(&(v)[AF_DISTRICT]), staff_pstr(&(v)[AF_DISTRICT]), \
	staff_pstr(&(v)[AF_DISTRICT])

/* The current row of q into o: the queue's columns, or all (detail). */
static void
app_fill(const struct db_res *q, struct app_row *o, int detail)
{
	o->id = db_int(q, 0);
	o->ref_code = db_str(q, 1);
	o->status = db_str(q, 2);
	o->call_id = db_int(q, 3);
	o->call_title = db_str(q, 4);
	o->facility_name = db_str(q, 5);
	o->unit_code = db_str(q, 6);
	o->unit_name = db_str(q, 7);
	o->requested_vnd = db_int(q, 8);
	o->approved_vnd = db_nint(q, 9);
	o->created_at = db_str(q, 10);
	o->updated_at = db_str(q, 11);
	if (!detail)
		return;
	o->owner_name = db_str(q, 12);
	o->phone = db_str(q, 13);
	o->email = db_str(q, 14);
	o->address = db_str(q, 15);
	o->products = db_str(q, 16);
	o->note = db_str(q, 17);
	o->facility_id = db_int(q, 18);
	o->tax_code = db_str(q, 19);
	o->facility_kind = db_str(q, 20);
	o->max_support_vnd = db_int(q, 21);
}

/*
 * A page of the queue under filter v (everything for CSV), newest
 * first, into *out (the arena); the filter's count into *total. The
 * number of rows, or < 0.
 */
static int
q_apps_list(struct req *r, const struct value *v, long long page,
    long long per, struct app_row **out, long long *total)
{
	struct db_res	*q;
	size_t		 n;
	int		 rc;

	if ((rc = staff_count(r, &apps_set, S_APPS_COUNT,
	    DB_ARGS(APP_ARGS(v)), total)) < 0)
		return rc;
	q = db_squery(r->db, r->a, &apps_set, S_APPS_LIST, DB_ARGS(
	    APP_ARGS(v), DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 :
	    (page - 1) * per)));
	if (q == NULL)
		return db_last_error(r->db);
	*out = arena_alloc(r->a, (q->rows + 1) * sizeof(**out));
	for (n = 0; db_next(q); n++)
		app_fill(q, &(*out)[n], 0);
	return (int)n;
}

/* Application id with its facility's details: 1, 0, or < 0. */
static int
q_app_get(struct req *r, long long id, struct app_row *out)
{
	struct db_res	*q;

	q = db_squery(r->db, r->a, &apps_set, S_APPS_GET,
	    DB_ARGS(DB_INT(id)));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q))
		return 0;
	app_fill(q, out, 1);
	return 1;
}

/* The history of application id, oldest first: the count, or < 0. */
static int
q_app_events(struct req *r, long long id, struct event_row **out)
{
	void	*rows;
	int	 n;

	n = rows_fetch(r->db, r->a, &apps_set, S_APPS_EVENTS,
	    DB_ARGS(DB_INT(id)), event_json, NELEM(event_json),
	    sizeof(**out), &rows);
	*out = rows;
	return n;
}

static const char *
check_app_status(struct req *r, struct value *v)
{
	(void)r;
	if (values_find(values_app_statuses, v->s) >= 0)
		return NULL;
	return "Trạng thái không hợp lệ";
}

static const struct field app_filter[AF__MAX] = {
	[AF_CALL] = { "call", F_INT, 0, 1, 1LL << 40, NULL },
	[AF_STATUS] = { "status", F_STR, 0, 1, 20, check_app_status },
	[AF_DISTRICT] = { "district", F_STR, 0, 1, 10, NULL },
};

/*
 * GET /api/admin/applications[.csv]?call=&status=&district=&page=&per_page=
 * (reviewer, auditor) → the review queue, newest first. district is a
 * unit code: the application's own unit or its parent. 422.
 */
static int
h_apps_list(struct req *r)
{
	struct value	 v[AF__MAX];
	struct app_row	*rows = NULL;
	long long	 page, per, total;
	int		 rc, n;

	if ((rc = req_fields(r, app_filter, AF__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per)) != 0)
		return rc;
	if ((n = q_apps_list(r, v, page, per, &rows, &total)) < 0)
		return resp_db(r);
	return resp_list(r, rows_array(rows, sizeof(*rows), (size_t)n,
	    app_json, NAPP_LIST), total, page, per, "applications", app_csv,
	    NELEM(app_csv));
}

/* The steps the signed-in user may take on an application in status. */
static json_object *
actions_json(struct req *r, const char *status)
{
	json_object			*list = json_object_new_array();
	const struct review_rule	*rule;
	int				 st, act;

	if ((st = values_find(values_app_statuses, status)) < 0)
		return list;
	for (act = 0; act < RA__MAX; act++) {
		rule = review_rule((enum app_status)st,
		    (enum review_action)act);
		if (review_may(rule, auth_user(r)->roles))
			json_object_array_add(list, json_object_new_string(
			    review_action_codes[act]));
	}
	return list;
}

/*
 * GET /api/admin/applications/{id} (reviewer, auditor) → the
 * application with the facility's contact details, its history
 * ("events", oldest first: id, status, reason, amount_vnd, at, by,
 * action), its attachments ("files") and the steps the user may take now
 * ("actions"); 404.
 */
static int
h_apps_get(struct req *r)
{
	struct app_row		 a;
	struct event_row	*ev = NULL;
	struct app_file		*fl = NULL;
	json_object		*o;
	long long		 id = staff_param_id(r, 0);
	int			 rc, nev, nfl;

	if ((rc = q_app_get(r, id, &a)) <= 0)
		return staff_absent(r, rc);
	if ((nev = q_app_events(r, id, &ev)) < 0 ||
	    (nfl = appfile_list(r->db, r->a, id, &fl)) < 0)
		return resp_db(r);
	o = rows_object(&a, app_json, NELEM(app_json));
	json_object_object_add(o, "events", rows_array(ev, sizeof(*ev),
	    (size_t)nev, event_json, NELEM(event_json)));
	json_object_object_add(o, "files", rows_array(fl, sizeof(*fl),
	    (size_t)nfl, appfile_cols, appfile_ncols));
	json_object_object_add(o, "actions", actions_json(r, a.status));
	return resp_json(r, 200, o);
}

/*
 * GET /api/admin/applications/{id}/files/{fid} (reviewer, auditor) →
 * the attachment as a download (its sniffed type, nosniff); 404.
 */
static int
h_apps_file(struct req *r)
{
	struct app_blob	 f;
	int		 rc;

	if ((rc = appfile_get(r->db, r->a, staff_param_id(r, 0),
	    staff_param_id(r, 1), &f)) <= 0)
		return staff_absent(r, rc);
	return files_serve(r, f.hash, f.ctype, f.name);
}

const struct route staff_applications_routes[] = {
	{ M_GET, "/api/admin/applications", h_apps_list, R_CSV, 0,
	    ROLE_REVIEWER | ROLE_FINANCE | STAFF_RD },
	{ M_GET, "/api/admin/applications/{}", h_apps_get, 0, 0,
	    ROLE_REVIEWER | ROLE_FINANCE | STAFF_RD },
	{ M_GET, "/api/admin/applications/{}/files/{}", h_apps_file, 0, 0,
	    ROLE_REVIEWER | ROLE_FINANCE | STAFF_RD },
	ROUTES_END
};
