/*
 * Calls: the support calls facilities apply to, for reviewers (auditors
 * read them).
 *
 *   GET  /api/admin/calls[.csv]          reviewer, auditor
 *   POST /api/admin/calls                reviewer
 *   GET  /api/admin/calls/{id}           reviewer, auditor
 *   PUT  /api/admin/calls/{id}           reviewer
 *   POST /api/admin/calls/{id}/open      reviewer
 *   POST /api/admin/calls/{id}/close     reviewer
 *
 * A call is open while clock_now() is in [opens_at, closes_at); its days
 * in Vietnam come back as opens_on and closes_on. Each change in one
 * transaction with its audit row (call.create, .update, .open, .close).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"
#include "values.h"

#define CALL_COLS \
	"c.id, c.year, c.kind, c.title, c.description, " \
	SQL_ISO("c.opens_at") ", " SQL_ISO("c.closes_at") ", c.capacity," \
	" c.max_support_vnd, c.activity_id, " CLOCK_VN_DAY("c.opens_at") \
	", " CLOCK_VN_LAST_DAY("c.closes_at") ", (now_.t >= c.opens_at AND" \
	" now_.t < c.closes_at)"
/* Now (clock_now(), bound first) as now_.t, for CALL_COLS' open flag. */
#define NOW_JOIN	" CROSS JOIN (SELECT CAST(? AS DATETIME) AS t) now_"

enum calls_stmt {
	S_CALLS_LIST, S_CALLS_COUNT, S_CALLS_GET, S_CALLS_INSERT,
	S_CALLS_UPDATE, S_CALLS_OPEN, S_CALLS_CLOSE, S_CALLS__MAX
};
static const char *const calls_sql[S_CALLS__MAX] = {
	[S_CALLS_LIST] =
	    "SELECT " CALL_COLS ", (SELECT COUNT(*) FROM application a"
	    " WHERE a.call_id = c.id) FROM support_call c" NOW_JOIN
	    " ORDER BY c.opens_at DESC, c.id DESC LIMIT ? OFFSET ?",
	[S_CALLS_COUNT] = "SELECT COUNT(*) FROM support_call",
	[S_CALLS_GET] =
	    "SELECT " CALL_COLS " FROM support_call c" NOW_JOIN
	    " WHERE c.id = ? FOR UPDATE",
	[S_CALLS_INSERT] =
	    "INSERT INTO support_call (year, kind, title, description,"
	    " opens_at, closes_at, capacity, max_support_vnd, activity_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_CALLS_UPDATE] =
	    "UPDATE support_call SET year = ?, kind = ?, title = ?,"
	    " description = ?, opens_at = ?, closes_at = ?, capacity = ?,"
	    " max_support_vnd = ?, activity_id = ? WHERE id = ?",
	[S_CALLS_OPEN] =
	    "UPDATE support_call SET opens_at = LEAST(opens_at,"
	    " CAST(? AS DATETIME)), closes_at = COALESCE(?, closes_at)"
	    " WHERE id = ?",
	[S_CALLS_CLOSE] =
	    "UPDATE support_call SET opens_at = LEAST(opens_at,"
	    " CAST(? AS DATETIME) - INTERVAL 1 SECOND),"
	    " closes_at = CAST(? AS DATETIME) WHERE id = ?",
};
static struct db_set calls_set = DB_SET("staff/calls", calls_sql);

/*
 * A call as CALL_COLS reads it and the API shows it, then the list's
 * count of applications.
 */
#define CALL_ROW(X) \
	X(id, J_INT) X(year, J_INT) X(kind, J_STR) X(title, J_STR) \
	X(description, J_STR) X(opens_at, J_STR) X(closes_at, J_STR) \
	X(capacity, J_NINT) X(max_support_vnd, J_INT) \
	X(activity_id, J_NINT) X(opens_on, J_STR) X(closes_on, J_STR) \
	X(open, J_BOOL) X(applications, J_INT)
#define CALL_JCOL(m, t)	JCOL(#m, call_row, m, t),

struct call_row { CALL_ROW(ROWS_MEMBER) };
static const struct jcol call_json[] = { CALL_ROW(CALL_JCOL) };
#define NCALL_ROW	(NELEM(call_json) - 1)	/* without applications */
static const struct csv_col call_csv[] = {
	{ "id", "id" }, { "year", "year" }, { "kind", "kind" },
	{ "title", "title" }, { "opens_at", "opens_at" },
	{ "closes_at", "closes_at" }, { "max_support_vnd", "max_support_vnd" },
	{ "open", "open" }, { "applications", "applications" },
	{ "opens_on", "opens_on" }, { "closes_on", "closes_on" },
};

/* A call's input: the fields' order is the statements' parameters'. */
enum {
	CF_YEAR, CF_KIND, CF_TITLE, CF_DESCRIPTION, CF_OPENS, CF_CLOSES,
	CF_CAPACITY, CF_MAX, CF_ACTIVITY, CF__MAX
};
#define CALL_ARGS(v) \
	staff_pint(&(v)[CF_YEAR]), staff_pstr(&(v)[CF_KIND]), \
	staff_pstr(&(v)[CF_TITLE]), staff_pstr(&(v)[CF_DESCRIPTION]), \
	staff_pstr(&(v)[CF_OPENS]), staff_pstr(&(v)[CF_CLOSES]), \
	staff_pint(&(v)[CF_CAPACITY]), staff_pint(&(v)[CF_MAX]), \
	staff_pint(&(v)[CF_ACTIVITY])

/*
 * A page of calls, newest first (every call for CSV), with their
 * number of applications, into *out; every call's count into *total.
 * 1, or < 0.
 */
static int
q_calls_list(struct req *r, long long page, long long per,
    json_object **out, long long *total)
{
	char	 now[CLOCK_SQL_LEN];
	int	 rc;

	*out = NULL;
	if ((rc = staff_count(r, &calls_set, S_CALLS_COUNT, DB_NOARGS,
	    total)) < 0)
		return rc;
	clock_now_sql(now);
	rc = rows_fetch_json(r->db, r->a, &calls_set, S_CALLS_LIST, DB_ARGS(
	    DB_STR(now), DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 :
	    (page - 1) * per)), call_json, NELEM(call_json),
	    sizeof(struct call_row), out);
	return rc < 0 ? rc : 1;
}

/*
 * Call id, locked, its open flag as of clock_now(), as JSON into *out:
 * 1, 0, or < 0.
 */
static int
q_call_get(struct req *r, long long id, json_object **out)
{
	struct db_res	*q;
	struct call_row	 c;
	char		 now[CLOCK_SQL_LEN];
	int		 rc;

	*out = NULL;
	clock_now_sql(now);
	if ((rc = staff_first(r, &calls_set, S_CALLS_GET, DB_ARGS(DB_STR(now),
	    DB_INT(id)), &q)) > 0) {
		rows_read(q, &c, call_json, NCALL_ROW);
		*out = rows_object(&c, call_json, NCALL_ROW);
	}
	return rc;
}

/* A new call of the fields v; its id into *id: 0, or < 0. */
static int
q_call_insert(struct req *r, const struct value *v, long long *id)
{
	int	 rc;

	rc = db_sexec(r->db, &calls_set, S_CALLS_INSERT, DB_ARGS(CALL_ARGS(v)));
	if (rc < 0)
		return rc;
	*id = db_insert_id(r->db);
	return 0;
}

static int
q_call_update(struct req *r, long long id, const struct value *v)
{
	int	 rc;

	rc = db_sexec(r->db, &calls_set, S_CALLS_UPDATE,
	    DB_ARGS(CALL_ARGS(v), DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/* Call id open from now (SQL time) until closes (or as it was). */
static int
q_call_open(struct req *r, long long id, const char *now,
    const struct value *closes)
{
	int	 rc;

	rc = db_sexec(r->db, &calls_set, S_CALLS_OPEN, DB_ARGS(DB_STR(now),
	    staff_pstr(closes), DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/* Call id closed at now (SQL time). */
static int
q_call_close(struct req *r, long long id, const char *now)
{
	int	 rc;

	rc = db_sexec(r->db, &calls_set, S_CALLS_CLOSE, DB_ARGS(DB_STR(now),
	    DB_STR(now), DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/*
 * A call's opening or closing time → "YYYY-MM-DD HH:MM:SS" UTC for SQL.
 * A bare day is Vietnam's: opening on 01/11 starts at 00:00 of 01/11 in
 * Vietnam, closing on 30/11 takes applications until 23:59:59 of 30/11
 * there (closes_at is 01/12 00:00 in Vietnam, excluded). An instant is
 * ISO 8601 (Z, an offset, or no zone for UTC). See clock_parse().
 */
static const char *
call_time(struct req *r, struct value *v, int end_of_day)
{
	char	 sql[CLOCK_SQL_LEN];
	time_t	 t;

	if (clock_parse(v->s, end_of_day, &t) != 0)
		return "Ngày (YYYY-MM-DD, theo giờ Việt Nam) hoặc thời điểm"
		    " (YYYY-MM-DDTHH:MM:SSZ) không hợp lệ";
	clock_sql(t, sql);
	v->s = arena_strdup(r->a, sql);
	v->len = strlen(v->s);
	return NULL;
}

static const char *
check_opens(struct req *r, struct value *v)
{
	return call_time(r, v, 0);
}

static const char *
check_closes(struct req *r, struct value *v)
{
	return call_time(r, v, 1);
}

static const char *
check_kind(struct req *r, struct value *v)
{
	(void)r;
	if (values_find(values_call_kinds, v->s) >= 0)
		return NULL;
	return "Loại đợt hỗ trợ không hợp lệ";
}

static const struct field call_fields[CF__MAX] = {
	[CF_YEAR] = { "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX,
	    NULL },
	[CF_KIND] = { "kind", F_STR, F_REQUIRED, 1, 40, check_kind },
	[CF_TITLE] = { "title", F_STR, F_REQUIRED, 3, 255, NULL },
	[CF_DESCRIPTION] = { "description", F_TEXT, 0, 0, 5000, NULL },
	[CF_OPENS] = { "opens_at", F_STR, F_REQUIRED, 10, 30, check_opens },
	[CF_CLOSES] = { "closes_at", F_STR, F_REQUIRED, 10, 30,
	    check_closes },
	[CF_CAPACITY] = { "capacity", F_INT, 0, 1, 100000, NULL },
	[CF_MAX] = { "max_support_vnd", F_MONEY, F_REQUIRED, 1,
	    100000000000LL, NULL },
	[CF_ACTIVITY] = { "activity_id", F_INT, 0, 1, 1LL << 53, NULL },
};
static const struct field open_fields[] = {
	{ "closes_at", F_STR, 0, 10, 30, check_closes },
};

/* The fields of a call; 0 or the 422 already written. */
static int
call_input(struct req *r, struct value *v)
{
	int	 rc;

	if ((rc = req_fields(r, call_fields, CF__MAX, v)) != 0)
		return rc;
	if (strcmp(v[CF_CLOSES].s, v[CF_OPENS].s) <= 0)
		return staff_invalid(r, "closes_at", "Phải sau thời điểm mở");
	return 0;
}

/* GET /api/admin/calls[.csv]?page&per_page (reviewer, auditor). */
static int
h_calls_list(struct req *r)
{
	json_object	*items;
	long long	 page, per, total;
	int		 rc;

	if ((rc = req_page(r, &page, &per)) != 0)
		return rc;
	if (q_calls_list(r, page, per, &items, &total) < 0)
		return resp_db(r);
	return resp_list(r, items, total, page, per, "calls", call_csv,
	    NELEM(call_csv));
}

/* GET /api/admin/calls/{id} (reviewer, auditor) → one call; 404. */
static int
h_calls_get(struct req *r)
{
	json_object	*o;
	int		 rc;

	if ((rc = q_call_get(r, staff_param_id(r, 0), &o)) <= 0)
		return staff_absent(r, rc);
	return resp_json(r, 200, o);
}

/*
 * POST /api/admin/calls {year, kind, title, description?, opens_at,
 * closes_at, capacity?, max_support_vnd, activity_id?} (reviewer) → 201
 * the call. opens_at and closes_at: a day in Vietnam (YYYY-MM-DD: from
 * its start; to its end) or a UTC ISO 8601 instant. The call comes back
 * with opens_on and closes_on, its first and last days in Vietnam. 422.
 */
static int
h_calls_create(struct req *r)
{
	struct value	 v[CF__MAX];
	json_object	*after;
	long long	 id;
	int		 rc;

	if ((rc = call_input(r, v)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (q_call_insert(r, v, &id) < 0 || q_call_get(r, id, &after) <= 0)
		return staff_fail_db(r);
	return staff_commit_audited(r, "call.create", "support_call",
	    staff_id_text(r, id), NULL, after, 201, after);
}

/* A change of call id by what (below), in its transaction. */
enum call_change { CALL_UPDATE, CALL_OPEN, CALL_CLOSE };
static const char *const call_actions[] = {
	[CALL_UPDATE] = "call.update", [CALL_OPEN] = "call.open",
	[CALL_CLOSE] = "call.close",
};

/*
 * Apply what to call id (before: the call as it was), then read it
 * again into *after: 0, or the status answered (rolled back).
 */
static int
call_apply(struct req *r, enum call_change what, long long id,
    const char *now, const struct value *v, json_object *before,
    json_object **after)
{
	int	 rc;

	if (what == CALL_CLOSE && !staff_json_flag(before, "open"))
		return staff_fail_conflict(r, "Đợt hỗ trợ này không đang mở.");
	if (what == CALL_UPDATE)
		rc = q_call_update(r, id, v);
	else if (what == CALL_OPEN)
		rc = q_call_open(r, id, now, &v[0]);
	else
		rc = q_call_close(r, id, now);
	if (rc < 0 || q_call_get(r, id, after) <= 0)
		return staff_fail_db(r);
	if (what == CALL_OPEN && !staff_json_flag(*after, "open")) {
		json_object_put(*after);
		return staff_fail_conflict(r, "Thời điểm đóng đã qua: hãy nhập"
		    " thời điểm đóng mới (closes_at).");
	}
	return 0;
}

/*
 * PUT /api/admin/calls/{id} (reviewer), the same fields as POST: edits
 * the call → 200 the call; 404, 422.
 * POST /api/admin/calls/{id}/open {closes_at?} → opens it now (until
 * closes_at, or its current closing time); 409 when that has passed.
 * POST /api/admin/calls/{id}/close → closes it now; 409 if closed.
 */
static int
h_calls_change(struct req *r)
{
	struct value	 v[CF__MAX];
	json_object	*before, *after;
	char		 now[CLOCK_SQL_LEN];
	enum call_change what;
	long long	 id = staff_param_id(r, 0);
	int		 rc = 0;

	what = r->method == M_PUT ? CALL_UPDATE :
	    strcmp(strrchr(r->path, '/') + 1, "open") == 0 ? CALL_OPEN :
	    CALL_CLOSE;
	clock_now_sql(now);
	if (what == CALL_UPDATE)
		rc = call_input(r, v);
	else if (what == CALL_OPEN)
		rc = req_fields(r, open_fields, NELEM(open_fields), v);
	if (rc != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_call_get(r, id, &before)) <= 0)
		return staff_tx_absent(r, rc);
	if ((rc = call_apply(r, what, id, now, v, before, &after)) != 0) {
		json_object_put(before);
		return rc;
	}
	return staff_commit_audited(r, call_actions[what], "support_call",
	    staff_id_text(r, id), before, after, 200, after);
}

const struct route staff_calls_routes[] = {
	{ M_GET, "/api/admin/calls", h_calls_list, R_CSV, 0,
	    ROLE_REVIEWER | STAFF_RD },
	{ M_POST, "/api/admin/calls", h_calls_create, 0, 0, ROLE_REVIEWER },
	{ M_GET, "/api/admin/calls/{}", h_calls_get, 0, 0,
	    ROLE_REVIEWER | STAFF_RD },
	{ M_PUT, "/api/admin/calls/{}", h_calls_change, 0, 0, ROLE_REVIEWER },
	{ M_POST, "/api/admin/calls/{}/open", h_calls_change, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/calls/{}/close", h_calls_change, 0, 0,
	    ROLE_REVIEWER },
	ROUTES_END
};
