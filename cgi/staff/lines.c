/*
 * Lines: the money lines of an activity (allocations, disbursements,
 * settlements), for finance. Their lists come with the activity
 * (budget.c's GET /api/admin/activities/{id}, through staff_lines_add).
 *
 *   POST   /api/admin/activities/{id}/allocations      finance
 *   POST   /api/admin/activities/{id}/disbursements    finance
 *   POST   /api/admin/activities/{id}/settlements      finance
 *   PUT    /api/admin/{allocations|disbursements|settlements}/{id}
 *   DELETE /api/admin/{allocations|disbursements|settlements}/{id}
 *
 * Each change in one transaction with its audit row ("<kind>.create",
 * ".update" with before and after, ".delete" with before only).
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

enum lines_stmt {
	S_ALLOC_LIST, S_ALLOC_INSERT, S_ALLOC_LOCK, S_ALLOC_ROW,
	S_ALLOC_UPDATE, S_ALLOC_DELETE,
	S_DISB_LIST, S_DISB_INSERT, S_DISB_LOCK, S_DISB_ROW, S_DISB_UPDATE,
	S_DISB_DELETE,
	S_SETTLE_LIST, S_SETTLE_INSERT, S_SETTLE_LOCK, S_SETTLE_ROW,
	S_SETTLE_UPDATE, S_SETTLE_DELETE,
	S_LINES_UNIT_ON, S_LINES_FACILITY, S_LINES__MAX
};
static const char *const lines_sql[S_LINES__MAX] = {
	[S_ALLOC_LIST] =
	    "SELECT id, activity_id, amount_vnd, " SQL_YMD("allocated_on")
	    ", decision_no, note FROM allocation WHERE activity_id = ?"
	    " ORDER BY allocated_on, id",
	[S_ALLOC_INSERT] =
	    "INSERT INTO allocation (activity_id, amount_vnd, allocated_on,"
	    " decision_no, note) VALUES (?, ?, ?, ?, ?)",
	[S_ALLOC_LOCK] =
	    "SELECT activity_id FROM allocation WHERE id = ? FOR UPDATE",
	[S_ALLOC_ROW] =
	    "SELECT id, activity_id, amount_vnd, " SQL_YMD("allocated_on")
	    ", decision_no, note FROM allocation WHERE id = ?",
	[S_ALLOC_UPDATE] =
	    "UPDATE allocation SET amount_vnd = ?, allocated_on = ?,"
	    " decision_no = ?, note = ? WHERE id = ?",
	[S_ALLOC_DELETE] = "DELETE FROM allocation WHERE id = ?",
	[S_DISB_LIST] =
	    "SELECT d.id, d.activity_id, d.amount_vnd, " SQL_YMD("d.paid_on")
	    ", d.voucher_no, d.facility_id, f.name, d.beneficiary,"
	    " d.application_id, u.code, u.name, d.note FROM disbursement d"
	    " LEFT JOIN facility f ON f.id = d.facility_id"
	    " LEFT JOIN admin_unit u ON u.id = d.unit_id"
	    " WHERE d.activity_id = ? ORDER BY d.paid_on, d.id",
	[S_DISB_INSERT] =
	    "INSERT INTO disbursement (activity_id, amount_vnd, paid_on,"
	    " voucher_no, facility_id, beneficiary, application_id, unit_id,"
	    " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_DISB_LOCK] =
	    "SELECT activity_id FROM disbursement WHERE id = ? FOR UPDATE",
	[S_DISB_ROW] =
	    "SELECT d.id, d.activity_id, d.amount_vnd, " SQL_YMD("d.paid_on")
	    ", d.voucher_no, d.note, d.facility_id, d.beneficiary,"
	    " d.application_id, u.code FROM disbursement d"
	    " LEFT JOIN admin_unit u ON u.id = d.unit_id WHERE d.id = ?",
	[S_DISB_UPDATE] =
	    "UPDATE disbursement SET amount_vnd = ?, paid_on = ?,"
	    " voucher_no = ?, note = ?, facility_id = ?, beneficiary = ?,"
	    " application_id = ?, unit_id = ? WHERE id = ?",
	[S_DISB_DELETE] = "DELETE FROM disbursement WHERE id = ?",
	[S_SETTLE_LIST] =
	    "SELECT id, activity_id, amount_vnd, " SQL_YMD("settled_on")
	    ", document_no, note FROM settlement WHERE activity_id = ?"
	    " ORDER BY settled_on, id",
	[S_SETTLE_INSERT] =
	    "INSERT INTO settlement (activity_id, amount_vnd, settled_on,"
	    " document_no, note) VALUES (?, ?, ?, ?, ?)",
	[S_SETTLE_LOCK] =
	    "SELECT activity_id FROM settlement WHERE id = ? FOR UPDATE",
	[S_SETTLE_ROW] =
	    "SELECT id, activity_id, amount_vnd, " SQL_YMD("settled_on")
	    ", document_no, note FROM settlement WHERE id = ?",
	[S_SETTLE_UPDATE] =
	    "UPDATE settlement SET amount_vnd = ?, settled_on = ?,"
	    " document_no = ?, note = ? WHERE id = ?",
	[S_SETTLE_DELETE] = "DELETE FROM settlement WHERE id = ?",
	[S_LINES_UNIT_ON] =
	    "SELECT id FROM admin_unit WHERE code = ? AND level <> 'province'"
	    " AND (valid_from IS NULL OR valid_from <= ?)"
	    " AND (valid_to IS NULL OR valid_to >= ?) LIMIT 1",
	[S_LINES_FACILITY] = "SELECT id FROM facility WHERE id = ?",
};
static struct db_set lines_set = DB_SET("staff/lines", lines_sql);

/*
 * The three kinds of money line: their statements (S_*_LIST first, the
 * rest in the same order for each), the columns of their lists, and the
 * columns of one line as the API and the audit trail show it (the same
 * shape for create, update and delete; a disbursement has the last four).
 */
enum { L_LIST, L_INSERT, L_LOCK, L_ROW, L_UPDATE, L_DELETE };
struct line_kind {
	const char		 *name;		/* in the audit trail */
	const char		 *key;		/* the activity's list */
	int			  stmt;		/* its S_*_LIST */
	const char *const	 *cols;		/* of that list */
	size_t			  ncols;
	int			  disb;
};
static const char *const alloc_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "allocated_on", "decision_no", "note" };
static const char *const disb_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "paid_on", "voucher_no", "#facility_id",
	"facility_name", "beneficiary", "#application_id", "unit_code",
	"unit_name", "note" };
static const char *const settle_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "settled_on", "document_no", "note" };
enum { LK_ALLOC, LK_DISB, LK_SETTLE, LK__MAX };
static const struct line_kind line_kinds[LK__MAX] = {
	[LK_ALLOC] = { "allocation", "allocations", S_ALLOC_LIST, alloc_cols,
	    NELEM(alloc_cols), 0 },
	[LK_DISB] = { "disbursement", "disbursements", S_DISB_LIST,
	    disb_cols, NELEM(disb_cols), 1 },
	[LK_SETTLE] = { "settlement", "settlements", S_SETTLE_LIST,
	    settle_cols, NELEM(settle_cols), 0 },
};
static const char *const line_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "date", "document_no", "note", "#facility_id",
	"beneficiary", "#application_id", "unit_code" };
#define NLINE_ROW(k)	((k)->disb ? NELEM(line_cols) : 6)

/* A line's input: four for every kind, then disbursements' own. */
enum {
	LF_AMOUNT, LF_DATE, LF_DOCUMENT, LF_NOTE, LF_FACILITY, LF_BENEFICIARY,
	LF_APPLICATION, LF_UNIT, LF__MAX
};
#define LINE_ARGS(v) \
	staff_pint(&(v)[LF_AMOUNT]), staff_pstr(&(v)[LF_DATE]), \
	staff_pstr(&(v)[LF_DOCUMENT])
#define DISB_ARGS(v, unit) \
	staff_pint(&(v)[LF_FACILITY]), staff_pstr(&(v)[LF_BENEFICIARY]), \
	staff_pint(&(v)[LF_APPLICATION]), (unit) ? DB_INT(unit) : DB_NULL

/* Each kind's list of activity id, under its key in o: 0, or < 0. */
int
staff_lines_add(struct req *r, json_object *o, long long id)
{
	const struct line_kind	*k;
	json_object		*arr;
	int			 rc;

	for (k = line_kinds; k < line_kinds + LK__MAX; k++) {
		if ((rc = staff_rows(r, &lines_set, k->stmt + L_LIST,
		    DB_ARGS(DB_INT(id)), k->cols, k->ncols, &arr)) < 0)
			return rc;
		json_object_object_add(o, k->key, arr);
	}
	return 0;
}

/* Lock line id of kind k: 1, 0 if there is none, < 0. */
static int
q_line_lock(struct req *r, const struct line_kind *k, long long id)
{
	struct db_res	*q;

	return staff_first(r, &lines_set, k->stmt + L_LOCK,
	    DB_ARGS(DB_INT(id)), &q);
}

/* Line id as the API shows it: 1, 0, or < 0. */
static int
q_line_row(struct req *r, const struct line_kind *k, long long id,
    json_object **out)
{
	return staff_row(r, &lines_set, k->stmt + L_ROW, DB_ARGS(DB_INT(id)),
	    line_cols, NLINE_ROW(k), out);
}

/* A new line of activity aid; its id into *id: 0, or < 0. */
static int
q_line_insert(struct req *r, const struct line_kind *k, long long aid,
    const struct value *v, long long unit, long long *id)
{
	int	 rc;

	if (k->disb)
		rc = db_sexec(r->db, &lines_set, k->stmt + L_INSERT, DB_ARGS(
		    DB_INT(aid), LINE_ARGS(v), DISB_ARGS(v, unit),
		    staff_pstr(&v[LF_NOTE])));
	else
		rc = db_sexec(r->db, &lines_set, k->stmt + L_INSERT, DB_ARGS(
		    DB_INT(aid), LINE_ARGS(v), staff_pstr(&v[LF_NOTE])));
	if (rc < 0)
		return rc;
	*id = db_insert_id(r->db);
	return 0;
}

/* Line id as v (and unit) say, or gone when v is NULL: 0, or < 0. */
static int
q_line_change(struct req *r, const struct line_kind *k, long long id,
    const struct value *v, long long unit)
{
	int	 rc;

	if (v == NULL)
		rc = db_sexec(r->db, &lines_set, k->stmt + L_DELETE,
		    DB_ARGS(DB_INT(id)));
	else if (k->disb)
		rc = db_sexec(r->db, &lines_set, k->stmt + L_UPDATE, DB_ARGS(
		    LINE_ARGS(v), staff_pstr(&v[LF_NOTE]), DISB_ARGS(v, unit),
		    DB_INT(id)));
	else
		rc = db_sexec(r->db, &lines_set, k->stmt + L_UPDATE, DB_ARGS(
		    LINE_ARGS(v), staff_pstr(&v[LF_NOTE]), DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/* Does facility id exist? 1, 0, or < 0. */
static int
q_facility_exists(struct req *r, const struct value *id)
{
	struct db_res	*q;

	return staff_first(r, &lines_set, S_LINES_FACILITY,
	    DB_ARGS(staff_pint(id)), &q);
}

/* The unit of code valid on day (below a province) into *id: 1, 0, < 0. */
static int
q_unit_on(struct req *r, const struct value *code, const struct value *day,
    long long *id)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, &lines_set, S_LINES_UNIT_ON, DB_ARGS(
	    staff_pstr(code), staff_pstr(day), staff_pstr(day)), &q)) > 0)
		*id = db_int(q, 0);
	return rc;
}

static const struct field line_fields[LF__MAX] = {
	[LF_AMOUNT] = { "amount_vnd", F_MONEY, F_REQUIRED, 1,
	    1000000000000000LL, NULL },
	[LF_DATE] = { "date", F_DATE, F_REQUIRED, 0, 0, NULL },
	[LF_DOCUMENT] = { "document_no", F_STR, 0, 1, 60, NULL },
	[LF_NOTE] = { "note", F_STR, 0, 1, 500, NULL },
	/* disbursements only: */
	[LF_FACILITY] = { "facility_id", F_INT, 0, 1, 1LL << 53, NULL },
	[LF_BENEFICIARY] = { "beneficiary", F_STR, 0, 2, 255, NULL },
	[LF_APPLICATION] = { "application_id", F_INT, 0, 1, 1LL << 53, NULL },
	[LF_UNIT] = { "unit_code", F_STR, 0, 1, 10, NULL },
};

/* The fields of a line of kind k: 0, or the 422 written. */
static int
line_fields_read(struct req *r, const struct line_kind *k, struct value *v)
{
	return req_fields(r, line_fields, k->disb ? LF__MAX : LF_FACILITY, v);
}

/*
 * For a disbursement, inside the transaction: its beneficiary, that the
 * facility exists and that unit_code names a unit valid on the date
 * (its id in *unit, 0 when not given). 0, or the status already written
 * (a 422 or a database error; the transaction is rolled back).
 */
static int
line_input(struct req *r, const struct line_kind *k, struct value *v,
    long long *unit)
{
	const char	*field = NULL, *msg = NULL;
	int		 rc;

	*unit = 0;
	if (!k->disb)
		return 0;
	if (!v[LF_FACILITY].set && !v[LF_BENEFICIARY].set) {
		field = "beneficiary";
		msg = "Cần cơ sở thụ hưởng (facility_id) hoặc tên đơn vị";
	} else if (v[LF_FACILITY].set &&
	    (rc = q_facility_exists(r, &v[LF_FACILITY])) <= 0) {
		if (rc < 0)
			return staff_fail_db(r);
		field = "facility_id";
		msg = "Không có cơ sở này";
	} else if (v[LF_UNIT].set &&
	    (rc = q_unit_on(r, &v[LF_UNIT], &v[LF_DATE], unit)) <= 0) {
		if (rc < 0)
			return staff_fail_db(r);
		field = "unit_code";
		msg = "Không có đơn vị hành chính này vào ngày chi";
	}
	if (field == NULL)
		return 0;
	db_rollback(r->db);
	return staff_invalid(r, field, msg);
}

/*
 * POST /api/admin/activities/{id}/allocations, .../disbursements,
 * .../settlements (finance): {amount_vnd, date, document_no? (decision,
 * voucher or settlement document number), note?}; a disbursement also
 * names its beneficiary: facility_id or beneficiary (a unit's name), and
 * optionally application_id and unit_code (where the money went, a unit
 * valid on that date). → 201 the line {id, activity_id, amount_vnd,
 * date, document_no, note[, facility_id, beneficiary, application_id,
 * unit_code]}; 404 for an unknown activity; 422.
 */
static int
line_add(struct req *r, const struct line_kind *k)
{
	struct value	 v[LF__MAX];
	json_object	*after;
	long long	 aid = staff_param_id(r, 0), id, unit;
	int		 rc;

	if ((rc = line_fields_read(r, k, v)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = staff_activity_lock(r, aid)) <= 0)
		return staff_tx_absent(r, rc);
	if ((rc = line_input(r, k, v, &unit)) != 0)
		return rc;
	if (q_line_insert(r, k, aid, v, unit, &id) < 0 ||
	    q_line_row(r, k, id, &after) <= 0)
		return staff_fail_db(r);
	return staff_commit_audited(r, arena_printf(r->a, "%s.create",
	    k->name), k->name, staff_id_text(r, id), NULL, after, 201, after);
}

static int
h_allocs_create(struct req *r)
{
	return line_add(r, &line_kinds[LK_ALLOC]);
}

static int
h_disbs_create(struct req *r)
{
	return line_add(r, &line_kinds[LK_DISB]);
}

static int
h_settles_create(struct req *r)
{
	return line_add(r, &line_kinds[LK_SETTLE]);
}

/* A deleted line's answer: {"id","deleted":true}. */
static json_object *
deleted_json(long long id)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "deleted", json_object_new_boolean(1));
	return o;
}

/*
 * PUT /api/admin/{allocations|disbursements|settlements}/{id} (finance):
 * corrects a line; the same fields as when it was added (the whole line:
 * a field left out becomes empty), the activity stays. → 200 the line
 * as POST answers it; 404 unknown line; 422.
 * DELETE /api/admin/{allocations|disbursements|settlements}/{id}
 * (finance) → 200 {"id","deleted":true}; 404.
 * Each in one transaction with its audit row: "<kind>.update" with
 * before and after, "<kind>.delete" with before only.
 */
static int
line_change(struct req *r, const struct line_kind *k, int del)
{
	struct value	 v[LF__MAX];
	json_object	*before, *after = NULL;
	long long	 id = staff_param_id(r, 0), unit = 0;
	int		 rc;

	if (!del && (rc = line_fields_read(r, k, v)) != 0)
		return rc;
	if (id == 0)
		return staff_not_found(r);
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_line_lock(r, k, id)) <= 0)
		return staff_tx_absent(r, rc);
	if (!del && (rc = line_input(r, k, v, &unit)) != 0)
		return rc;
	if (q_line_row(r, k, id, &before) <= 0)
		return staff_fail_db(r);
	if (q_line_change(r, k, id, del ? NULL : v, unit) < 0 ||
	    (!del && q_line_row(r, k, id, &after) <= 0)) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	return staff_commit_audited(r, arena_printf(r->a, "%s.%s", k->name,
	    del ? "delete" : "update"), k->name, staff_id_text(r, id), before,
	    after, 200, del ? deleted_json(id) : after);
}

static int
h_allocs_update(struct req *r)
{
	return line_change(r, &line_kinds[LK_ALLOC], 0);
}

static int
h_allocs_delete(struct req *r)
{
	return line_change(r, &line_kinds[LK_ALLOC], 1);
}

static int
h_disbs_update(struct req *r)
{
	return line_change(r, &line_kinds[LK_DISB], 0);
}

static int
h_disbs_delete(struct req *r)
{
	return line_change(r, &line_kinds[LK_DISB], 1);
}

static int
h_settles_update(struct req *r)
{
	return line_change(r, &line_kinds[LK_SETTLE], 0);
}

static int
h_settles_delete(struct req *r)
{
	return line_change(r, &line_kinds[LK_SETTLE], 1);
}

const struct route staff_lines_routes[] = {
	{ M_POST, "/api/admin/activities/{}/allocations", h_allocs_create, 0,
	    0, ROLE_FINANCE },
	{ M_POST, "/api/admin/activities/{}/disbursements", h_disbs_create, 0,
	    0, ROLE_FINANCE },
	{ M_POST, "/api/admin/activities/{}/settlements", h_settles_create, 0,
	    0, ROLE_FINANCE },
	{ M_PUT, "/api/admin/allocations/{}", h_allocs_update, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/allocations/{}", h_allocs_delete, 0, 0,
	    ROLE_FINANCE },
	{ M_PUT, "/api/admin/disbursements/{}", h_disbs_update, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/disbursements/{}", h_disbs_delete, 0, 0,
	    ROLE_FINANCE },
	{ M_PUT, "/api/admin/settlements/{}", h_settles_update, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/settlements/{}", h_settles_delete, 0, 0,
	    ROLE_FINANCE },
	ROUTES_END
};
