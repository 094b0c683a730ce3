/*
 * Applications: the review queue of the facilities' applications, for
 * reviewers (auditors read it).
 *
 *   GET  /api/admin/applications[.csv]          reviewer, auditor
 *   GET  /api/admin/applications/{id}           reviewer, auditor
 *   POST /api/admin/applications/{id}/review    reviewer
 *   POST /api/admin/applications/{id}/approve   reviewer
 *   POST /api/admin/applications/{id}/reject    reviewer
 *
 * A decision adds an application_event row and sets the application's
 * status, in one transaction with its audit row (application.review,
 * .approve, .reject); history is never overwritten.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "staff.h"
#include "values.h"

#define APP_COLS \
	"a.id, a.ref_code, a.status, a.call_id, c.title, a.facility_name," \
	" a.unit_code, u.name, a.requested_vnd, a.approved_vnd, " \
	SQL_ISO("a.created_at") ", " SQL_ISO("a.updated_at")
#define APP_FILTER \
	" WHERE (? IS NULL OR a.call_id = ?) AND (? IS NULL OR a.status = ?)" \
	" AND (? IS NULL OR a.unit_code = ? OR u.parent_code = ?)"

enum applications_stmt {
	S_APPS_LIST, S_APPS_COUNT, S_APPS_GET, S_APPS_LOCK, S_APPS_EVENTS,
	S_APPS_EVENT_ADD, S_APPS_SET, S_APPS_CALL_MAX, S_APPS__MAX
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
	[S_APPS_LOCK] =
	    "SELECT a.id, a.ref_code, a.status, a.requested_vnd,"
	    " a.approved_vnd, a.call_id FROM application a WHERE a.id = ?"
	    " FOR UPDATE",
	[S_APPS_EVENTS] =
	    "SELECT e.id, e.status, e.reason, e.amount_vnd, " SQL_ISO("e.at")
	    ", su.username FROM application_event e"
	    " LEFT JOIN staff_user su ON su.id = e.actor"
	    " WHERE e.application_id = ? ORDER BY e.at, e.id",
	[S_APPS_EVENT_ADD] =
	    "INSERT INTO application_event (application_id, status, reason,"
	    " amount_vnd, actor) VALUES (?, ?, ?, ?, ?)",
	[S_APPS_SET] =
	    "UPDATE application SET status = ?, approved_vnd = ? WHERE id = ?",
	[S_APPS_CALL_MAX] =
	    "SELECT max_support_vnd FROM support_call WHERE id = ?",
};
static struct db_set apps_set = DB_SET("staff/applications", apps_sql);

/* An application as the API shows it: the list's columns, then more. */
static const char *const app_cols[] = { "#id", "ref_code", "status",
	"#call_id", "call_title", "facility_name", "unit_code", "unit_name",
	"#requested_vnd", "#approved_vnd", "created_at", "updated_at",
	"owner_name", "phone", "email", "address", "$products", "note",
	"#facility_id", "tax_code", "facility_kind", "#max_support_vnd" };
#define NAPP_LIST	12
static const struct csv_col app_csv[] = {
	{ "id", "id" }, { "ref_code", "ref_code" }, { "status", "status" },
	{ "call_id", "call_id" }, { "call_title", "call_title" },
	{ "facility_name", "facility_name" }, { "unit_code", "unit_code" },
	{ "unit_name", "unit_name" }, { "requested_vnd", "requested_vnd" },
	{ "approved_vnd", "approved_vnd" }, { "created_at", "created_at" },
};
static const char *const event_cols[] = { "#id", "status", "reason",
	"#amount_vnd", "at", "by" };

/* An application locked for a decision. */
struct app_lock {
	const char	*ref_code;
	const char	*status;
	int		 approved_set;	/* approved_vnd is not NULL */
	long long	 approved_vnd;
	long long	 call_id;
};

/* The queue's filter: the fields' order is APP_FILTER's. */
enum { AF_CALL, AF_STATUS, AF_DISTRICT, AF__MAX };
#define APP_ARGS(v) \
	staff_pint(&(v)[AF_CALL]), staff_pint(&(v)[AF_CALL]), \
	staff_pstr(&(v)[AF_STATUS]), staff_pstr(&(v)[AF_STATUS]), \
	staff_pstr(&(v)[AF_DISTRICT]), staff_pstr(&(v)[AF_DISTRICT]), \
	staff_pstr(&(v)[AF_DISTRICT])

/*
 * A page of the queue under filter v (everything for CSV), newest
 * first, into *out; the filter's count into *total. 1, or < 0.
 */
static int
q_apps_list(struct req *r, const struct value *v, long long page,
    long long per, json_object **out, long long *total)
{
	int	 rc;

	if ((rc = staff_count(r, &apps_set, S_APPS_COUNT,
	    DB_ARGS(APP_ARGS(v)), total)) < 0)
		return rc;
	rc = staff_rows(r, &apps_set, S_APPS_LIST, DB_ARGS(APP_ARGS(v),
	    DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 :
	    (page - 1) * per)), app_cols, NAPP_LIST, out);
	return rc < 0 ? rc : 1;
}

/* Application id with its facility's details: 1, 0, or < 0. */
static int
q_app_get(struct req *r, long long id, json_object **out)
{
	return staff_row(r, &apps_set, S_APPS_GET, DB_ARGS(DB_INT(id)),
	    app_cols, NELEM(app_cols), out);
}

/* The history of application id, oldest first: the count, or < 0. */
static int
q_app_events(struct req *r, long long id, json_object **out)
{
	return staff_rows(r, &apps_set, S_APPS_EVENTS, DB_ARGS(DB_INT(id)),
	    event_cols, NELEM(event_cols), out);
}

/* Application id, locked for update: 1, 0, or < 0. */
static int
q_app_lock(struct req *r, long long id, struct app_lock *out)
{
	struct db_res	*q;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = staff_first(r, &apps_set, S_APPS_LOCK, DB_ARGS(DB_INT(id)),
	    &q)) <= 0)
		return rc;
	out->ref_code = db_str(q, 1);
	out->status = db_str(q, 2);
	out->approved_set = !db_isnull(q, 4);
	out->approved_vnd = db_int(q, 4);
	out->call_id = db_int(q, 5);
	return 1;
}

/* The most call id may grant, into *out: 1, or < 0. */
static int
q_call_max(struct req *r, long long call_id, long long *out)
{
	return staff_count(r, &apps_set, S_APPS_CALL_MAX,
	    DB_ARGS(DB_INT(call_id)), out);
}

/*
 * Application id's decision: a new event (status, reason, amount: NULL
 * unless approved, by actor) and its new status. 0, or < 0.
 */
static int
q_app_decide(struct req *r, long long id, const char *status,
    const struct value *reason, const long long *amount, long long actor)
{
	struct db_param	 amt = amount != NULL ? DB_INT(*amount) : DB_NULL;
	int		 rc;

	rc = db_sexec(r->db, &apps_set, S_APPS_EVENT_ADD, DB_ARGS(DB_INT(id),
	    DB_STR(status), staff_pstr(reason), amt, DB_INT(actor)));
	if (rc >= 0)
		rc = db_sexec(r->db, &apps_set, S_APPS_SET, DB_ARGS(
		    DB_STR(status), amt, DB_INT(id)));
	return rc < 0 ? rc : 0;
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
	json_object	*items;
	long long	 page, per, total;
	int		 rc;

	if ((rc = req_fields(r, app_filter, AF__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per)) != 0)
		return rc;
	if (q_apps_list(r, v, page, per, &items, &total) < 0)
		return resp_db(r);
	return resp_list(r, items, total, page, per, "applications",
	    app_csv, NELEM(app_csv));
}

/*
 * GET /api/admin/applications/{id} (reviewer, auditor) → the
 * application with the facility's contact details and its history
 * ("events", oldest first); 404.
 */
static int
h_apps_get(struct req *r)
{
	json_object	*o, *ev;
	long long	 id = staff_param_id(r, 0);
	int		 rc;

	if ((rc = q_app_get(r, id, &o)) <= 0)
		return staff_absent(r, rc);
	if (q_app_events(r, id, &ev) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	json_object_object_add(o, "events", ev);
	return resp_json(r, 200, o);
}

enum { DF_APPROVED, DF_REASON, DF__MAX };
static const struct field decide_fields[DF__MAX] = {
	[DF_APPROVED] = { "approved_vnd", F_MONEY, 0, 1, 100000000000LL, NULL },
	[DF_REASON] = { "reason", F_TEXT, 0, 1, 1000, NULL },
};

/* The decision's fields: 0, or the 422 already written. */
static int
decide_input(struct req *r, enum app_status to, struct value *v)
{
	int	 rc;

	if ((rc = req_fields(r, decide_fields, DF__MAX, v)) != 0)
		return rc;
	if (to == APP_REJECTED && !v[DF_REASON].set)
		return staff_invalid(r, "reason", "Bắt buộc khi từ chối");
	if (to == APP_APPROVED && !v[DF_APPROVED].set)
		return staff_invalid(r, "approved_vnd", "Bắt buộc khi duyệt");
	return 0;
}

/*
 * Whether application a may go to status to, and within its call's
 * maximum when approved (amount): 0, or the status answered (rolled
 * back: 409, 422).
 */
static int
decide_allowed(struct req *r, const struct app_lock *a, enum app_status to,
    long long amount)
{
	long long	 callmax;

	if (strcmp(a->status, values_app_statuses[APP_SUBMITTED]) != 0 &&
	    strcmp(a->status, values_app_statuses[APP_UNDER_REVIEW]) != 0)
		return staff_fail_conflict(r, "Hồ sơ này đã có quyết định.");
	if (to == APP_UNDER_REVIEW &&
	    strcmp(a->status, values_app_statuses[APP_UNDER_REVIEW]) == 0)
		return staff_fail_conflict(r, "Hồ sơ này đang được xem xét.");
	if (to != APP_APPROVED)
		return 0;
	if (q_call_max(r, a->call_id, &callmax) < 0)
		return staff_fail_db(r);
	if (amount > callmax) {
		db_rollback(r->db);
		return staff_invalid(r, "approved_vnd", arena_printf(r->a,
		    "Vượt mức hỗ trợ tối đa của đợt (%lld đồng)", callmax));
	}
	return 0;
}

/* The audit trail's view of a decision: before, or after when reason. */
static json_object *
decide_json(const char *ref, const char *status, int has_amount,
    long long amount, const struct value *reason)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "ref_code", json_object_new_string(ref));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "approved_vnd", has_amount ?
	    json_object_new_int64(amount) : NULL);
	if (reason != NULL)
		json_object_object_add(o, "reason", reason->set ?
		    json_object_new_string(reason->s) : NULL);
	return o;
}

static const char *const decide_actions[] = {
	[APP_UNDER_REVIEW] = "application.review",
	[APP_APPROVED] = "application.approve",
	[APP_REJECTED] = "application.reject",
};

/*
 * A review decision: status "under_review", "approved" (approved_vnd
 * required, at most the call's maximum) or "rejected" (reason required,
 * shown to the applicant). A new application_event row and the new
 * status; history is never overwritten. 409 when the application is
 * already decided; 404, 422.
 */
static int
app_decide(struct req *r, enum app_status to)
{
	struct value	 v[DF__MAX];
	struct app_lock	 a;
	json_object	*before, *after;
	const char	*status = values_app_statuses[to];
	long long	 id = staff_param_id(r, 0), amount = 0;
	int		 rc, approve = to == APP_APPROVED;

	if ((rc = decide_input(r, to, v)) != 0)
		return rc;
	if (approve)
		amount = v[DF_APPROVED].i;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_app_lock(r, id, &a)) <= 0)
		return staff_tx_absent(r, rc);
	if ((rc = decide_allowed(r, &a, to, amount)) != 0)
		return rc;
	if (q_app_decide(r, id, status, &v[DF_REASON], approve ? &amount :
	    NULL, auth_user(r)->id) < 0)
		return staff_fail_db(r);
	before = decide_json(a.ref_code, a.status, a.approved_set,
	    a.approved_vnd, NULL);
	after = decide_json(a.ref_code, status, approve, amount,
	    &v[DF_REASON]);
	return staff_commit_audited(r, decide_actions[to], "application",
	    staff_id_text(r, id), before, after, 200, after);
}

/* POST /api/admin/applications/{id}/review: take it into review. */
static int
h_apps_review(struct req *r)
{
	return app_decide(r, APP_UNDER_REVIEW);
}

/* POST /api/admin/applications/{id}/approve {approved_vnd, reason?}. */
static int
h_apps_approve(struct req *r)
{
	return app_decide(r, APP_APPROVED);
}

/* POST /api/admin/applications/{id}/reject {reason}. */
static int
h_apps_reject(struct req *r)
{
	return app_decide(r, APP_REJECTED);
}

const struct route staff_applications_routes[] = {
	{ M_GET, "/api/admin/applications", h_apps_list, R_CSV, 0,
	    ROLE_REVIEWER | STAFF_RD },
	{ M_GET, "/api/admin/applications/{}", h_apps_get, 0, 0,
	    ROLE_REVIEWER | STAFF_RD },
	{ M_POST, "/api/admin/applications/{}/review", h_apps_review, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/approve", h_apps_approve, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/reject", h_apps_reject, 0, 0,
	    ROLE_REVIEWER },
	ROUTES_END
};
