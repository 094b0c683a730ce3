/*
 * Budget: the plan of each year, its content areas and its activities,
 * for finance (auditors read them). The money lines of an activity are
 * lines.c's.
 *
 *   GET  /api/admin/plans[.csv]                   finance, auditor
 *   POST /api/admin/plans                         finance
 *   GET  /api/admin/plans/{year}                  finance, auditor
 *   PUT  /api/admin/plans/{year}                  finance
 *   PUT  /api/admin/plans/{year}/contents/{code}  finance
 *   POST /api/admin/activities                    finance
 *   GET  /api/admin/activities/{id}               finance, auditor
 *   PUT  /api/admin/activities/{id}               finance
 *
 * Each change in one transaction with its audit row (plan.create,
 * plan.update, plan_content.create/.update, activity.create/.update).
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

#define PLAN_COLS \
	"year, title, total_vnd, decision_no, " SQL_YMD("decision_date") \
	", approved_by, source, sample"
#define ACT_COLS \
	"id, year, content_code, title, unit_name, planned_vnd, target," \
	" status, progress"

enum budget_stmt {
	S_PLANS_LIST, S_PLANS_GET, S_PLANS_INSERT, S_PLANS_UPDATE,
	S_CONTENTS_LIST, S_CONTENTS_GET, S_CONTENTS_INSERT, S_CONTENTS_UPDATE,
	S_ACTS_LIST, S_ACTS_GET, S_ACTS_INSERT, S_ACTS_UPDATE, S_BUDGET__MAX
};
static const char *const budget_sql[S_BUDGET__MAX] = {
	[S_PLANS_LIST] =
	    "SELECT " PLAN_COLS " FROM plan ORDER BY year DESC",
	[S_PLANS_GET] =
	    "SELECT " PLAN_COLS " FROM plan WHERE year = ? FOR UPDATE",
	[S_PLANS_INSERT] =
	    "INSERT INTO plan (year, title, total_vnd, decision_no,"
	    " decision_date, approved_by, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_PLANS_UPDATE] =
	    "UPDATE plan SET title = ?, total_vnd = ?, decision_no = ?,"
	    " decision_date = ?, approved_by = ?, source = ? WHERE year = ?",
	[S_CONTENTS_LIST] =
	    "SELECT year, code, title, description FROM plan_content"
	    " WHERE year = ? ORDER BY code",
	[S_CONTENTS_GET] =
	    "SELECT year, code, title, description FROM plan_content"
	    " WHERE year = ? AND code = ? FOR UPDATE",
	[S_CONTENTS_INSERT] =
	    "INSERT INTO plan_content (year, code, title, description)"
	    " VALUES (?, ?, ?, ?)",
	[S_CONTENTS_UPDATE] =
	    "UPDATE plan_content SET title = ?, description = ?"
	    " WHERE year = ? AND code = ?",
	[S_ACTS_LIST] =
	    "SELECT " ACT_COLS ","
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM allocation l"
	    " WHERE l.activity_id = activity.id),"
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM disbursement d"
	    " WHERE d.activity_id = activity.id),"
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM settlement s"
	    " WHERE s.activity_id = activity.id)"
	    " FROM activity WHERE year = ? ORDER BY content_code, id",
	[S_ACTS_GET] =
	    "SELECT " ACT_COLS " FROM activity WHERE id = ? FOR UPDATE",
	[S_ACTS_INSERT] =
	    "INSERT INTO activity (year, content_code, title, unit_name,"
	    " planned_vnd, target, status, progress)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[S_ACTS_UPDATE] =
	    "UPDATE activity SET content_code = ?, title = ?, unit_name = ?,"
	    " planned_vnd = ?, target = ?, status = ?, progress = ?"
	    " WHERE id = ?",
};
static struct db_set budget_set = DB_SET("staff/budget", budget_sql);

/* Plans, content areas and activities as the API shows them. */
static const char *const plan_cols[] = { "#year", "title", "#total_vnd",
	"decision_no", "decision_date", "approved_by", "source", "?sample" };
static const struct csv_col plan_csv[] = {
	{ "year", "year" }, { "title", "title" }, { "total_vnd", "total_vnd" },
	{ "decision_no", "decision_no" }, { "decision_date", "decision_date" },
};
static const char *const content_cols[] = { "#year", "code", "title",
	"description" };
static const char *const act_cols[] = { "#id", "#year", "content_code",
	"title", "unit_name", "#planned_vnd", "target", "status", "#progress",
	"#allocated_vnd", "#disbursed_vnd", "#settled_vnd" };
#define NACT_ROW	9	/* without the sums of the plan's list */

/* A plan's input: its fields, the statements' parameters' order. */
enum {
	PF_YEAR, PF_TITLE, PF_TOTAL, PF_DECISION_NO, PF_DECISION_DATE,
	PF_APPROVED_BY, PF_SOURCE, PF__MAX
};
#define PLAN_ARGS(v) \
	staff_pstr(&(v)[PF_TITLE]), staff_pint(&(v)[PF_TOTAL]), \
	staff_pstr(&(v)[PF_DECISION_NO]), staff_pstr(&(v)[PF_DECISION_DATE]), \
	staff_pstr(&(v)[PF_APPROVED_BY]), staff_pstr(&(v)[PF_SOURCE])
enum { CT_CODE, CT_TITLE, CT_DESCRIPTION, CT__MAX };
enum {
	AF_YEAR, AF_CONTENT, AF_TITLE, AF_UNIT, AF_PLANNED, AF_TARGET,
	AF_STATUS, AF_PROGRESS, AF__MAX
};
/* An activity from content_code on; status, progress by default. */
#define ACT_ARGS(v) \
	staff_pstr(&(v)[AF_CONTENT]), staff_pstr(&(v)[AF_TITLE]), \
	staff_pstr(&(v)[AF_UNIT]), staff_pint(&(v)[AF_PLANNED]), \
	staff_pstr(&(v)[AF_TARGET]), (v)[AF_STATUS].set ? \
	staff_pstr(&(v)[AF_STATUS]) : \
	DB_STR(values_activity_statuses[ACT_PLANNED]), \
	(v)[AF_PROGRESS].set ? staff_pint(&(v)[AF_PROGRESS]) : DB_INT(0)

/* Every plan year, newest first: the count, or < 0. */
static int
q_plans_list(struct req *r, json_object **out)
{
	return staff_rows(r, &budget_set, S_PLANS_LIST, DB_NOARGS, plan_cols,
	    NELEM(plan_cols), out);
}

/* The plan of year, locked: 1, 0, or < 0. */
static int
q_plan_get(struct req *r, long long year, json_object **out)
{
	return staff_row(r, &budget_set, S_PLANS_GET, DB_ARGS(DB_INT(year)),
	    plan_cols, NELEM(plan_cols), out);
}

/* The plan of fields v: new (create) or year's: 0, or < 0 (DB_EDUP). */
static int
q_plan_save(struct req *r, int create, long long year, const struct value *v)
{
	int	 rc;

	if (create)
		rc = db_sexec(r->db, &budget_set, S_PLANS_INSERT,
		    DB_ARGS(DB_INT(year), PLAN_ARGS(v)));
	else
		rc = db_sexec(r->db, &budget_set, S_PLANS_UPDATE,
		    DB_ARGS(PLAN_ARGS(v), DB_INT(year)));
	return rc < 0 ? rc : 0;
}

/* The content areas of year's plan: the count, or < 0. */
static int
q_contents_list(struct req *r, long long year, json_object **out)
{
	return staff_rows(r, &budget_set, S_CONTENTS_LIST,
	    DB_ARGS(DB_INT(year)), content_cols, NELEM(content_cols), out);
}

/* Content area code of year's plan, locked: 1, 0, or < 0. */
static int
q_content_get(struct req *r, long long year, const char *code,
    json_object **out)
{
	return staff_row(r, &budget_set, S_CONTENTS_GET, DB_ARGS(DB_INT(year),
	    DB_STR(code)), content_cols, NELEM(content_cols), out);
}

/*
 * Content area code of year's plan from v, new (create) or changed: 0,
 * or < 0 (DB_EFAIL: no plan that year).
 */
static int
q_content_save(struct req *r, int create, long long year, const char *code,
    const struct value *v)
{
	int	 rc;

	if (create)
		rc = db_sexec(r->db, &budget_set, S_CONTENTS_INSERT, DB_ARGS(
		    DB_INT(year), DB_STR(code), staff_pstr(&v[CT_TITLE]),
		    staff_pstr(&v[CT_DESCRIPTION])));
	else
		rc = db_sexec(r->db, &budget_set, S_CONTENTS_UPDATE, DB_ARGS(
		    staff_pstr(&v[CT_TITLE]), staff_pstr(&v[CT_DESCRIPTION]),
		    DB_INT(year), DB_STR(code)));
	return rc < 0 ? rc : 0;
}

/* The activities of year's plan with their sums: the count, or < 0. */
static int
q_acts_list(struct req *r, long long year, json_object **out)
{
	return staff_rows(r, &budget_set, S_ACTS_LIST, DB_ARGS(DB_INT(year)),
	    act_cols, NELEM(act_cols), out);
}

/* Activity id, locked: 1, 0, or < 0. */
static int
q_act_get(struct req *r, long long id, json_object **out)
{
	return staff_row(r, &budget_set, S_ACTS_GET, DB_ARGS(DB_INT(id)),
	    act_cols, NACT_ROW, out);
}

/*
 * Activity *id from fields v: new (create; its id into *id) or changed:
 * 0, or < 0 (DB_EFAIL: the plan has no such content area).
 */
static int
q_act_save(struct req *r, int create, long long *id, const struct value *v)
{
	int	 rc;

	if (!create) {
		rc = db_sexec(r->db, &budget_set, S_ACTS_UPDATE,
		    DB_ARGS(ACT_ARGS(v), DB_INT(*id)));
		return rc < 0 ? rc : 0;
	}
	rc = db_sexec(r->db, &budget_set, S_ACTS_INSERT,
	    DB_ARGS(staff_pint(&v[AF_YEAR]), ACT_ARGS(v)));
	if (rc < 0)
		return rc;
	*id = db_insert_id(r->db);
	return 0;
}

/* Lock activity id (lines.c adds to it): 1, 0 if there is none, < 0. */
int
staff_activity_lock(struct req *r, long long id)
{
	json_object	*o;
	int		 rc;

	rc = q_act_get(r, id, &o);
	json_object_put(o);
	return rc;
}

static const char *
check_act_status(struct req *r, struct value *v)
{
	(void)r;
	if (values_find(values_activity_statuses, v->s) >= 0)
		return NULL;
	return "Trạng thái không hợp lệ (planned, in_progress, done, cancelled)";
}

static const char *
check_content_code(struct req *r, struct value *v)
{
	(void)r;
	if (strlen(v->s) == 1 && v->s[0] >= '1' && v->s[0] <= '4')
		return NULL;
	return "Mã nội dung là 1, 2, 3 hoặc 4";
}

/* GET /api/admin/plans[.csv] (finance, auditor) → every plan year. */
static int
h_plans_list(struct req *r)
{
	json_object	*items;
	int		 n;

	if ((n = q_plans_list(r, &items)) < 0)
		return resp_db(r);
	return resp_list(r, items, n, 1, n, "plans", plan_csv,
	    NELEM(plan_csv));
}

/*
 * GET /api/admin/plans/{year} (finance, auditor) → the plan with its
 * "contents" and "activities" (each with allocated/disbursed/settled
 * sums); 404.
 */
static int
h_plans_get(struct req *r)
{
	json_object	*o, *contents, *acts;
	long long	 year = staff_param_id(r, 0);
	int		 rc;

	if ((rc = q_plan_get(r, year, &o)) <= 0)
		return staff_absent(r, rc);
	if (q_contents_list(r, year, &contents) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	json_object_object_add(o, "contents", contents);
	if (q_acts_list(r, year, &acts) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	json_object_object_add(o, "activities", acts);
	return resp_json(r, 200, o);
}

static const struct field plan_fields[PF__MAX] = {
	[PF_YEAR] = { "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX,
	    NULL },
	[PF_TITLE] = { "title", F_STR, F_REQUIRED, 3, 500, NULL },
	[PF_TOTAL] = { "total_vnd", F_MONEY, F_REQUIRED, 0,
	    1000000000000000LL, NULL },
	[PF_DECISION_NO] = { "decision_no", F_STR, 0, 1, 60, NULL },
	[PF_DECISION_DATE] = { "decision_date", F_DATE, 0, 0, 0, NULL },
	[PF_APPROVED_BY] = { "approved_by", F_STR, 0, 1, 255, NULL },
	[PF_SOURCE] = { "source", F_STR, 0, 1, 500, NULL },
};

/* A plan's fields; on update the year comes from the path. 0, or 422. */
static int
plan_input(struct req *r, int create, struct value *v)
{
	struct field	 f[PF__MAX];
	int		 rc;

	if (create)
		return req_fields(r, plan_fields, PF__MAX, v);
	memcpy(f, plan_fields, sizeof(f));
	f[PF_YEAR].flags = 0;
	if ((rc = req_fields(r, f, PF__MAX, v)) != 0)
		return rc;
	v[PF_YEAR].set = 1;
	v[PF_YEAR].i = staff_param_id(r, 0);
	return 0;
}

/*
 * POST /api/admin/plans {year, title, total_vnd, decision_no?,
 * decision_date?, approved_by?, source?} (finance) → 201; 409 if the
 * year has a plan. PUT /api/admin/plans/{year} (same fields; year from
 * the path) → 200; 404. 422.
 */
static int
plan_save(struct req *r, int create)
{
	struct value	 v[PF__MAX];
	json_object	*before = NULL, *after;
	long long	 year;
	int		 rc;

	if ((rc = plan_input(r, create, v)) != 0)
		return rc;
	year = v[PF_YEAR].i;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (!create && (rc = q_plan_get(r, year, &before)) <= 0)
		return staff_tx_absent(r, rc);
	if ((rc = q_plan_save(r, create, year, v)) < 0) {
		json_object_put(before);
		if (rc == DB_EDUP)
			return staff_fail_conflict(r, "Năm này đã có kế hoạch.");
		return staff_fail_db(r);
	}
	if (q_plan_get(r, year, &after) <= 0) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	return staff_commit_audited(r, create ? "plan.create" : "plan.update",
	    "plan", staff_id_text(r, year), before, after, create ? 201 : 200,
	    after);
}

static int
h_plans_create(struct req *r)
{
	return plan_save(r, 1);
}

static int
h_plans_update(struct req *r)
{
	return plan_save(r, 0);
}

static const struct field content_fields[CT__MAX] = {
	[CT_CODE] = { "code", F_STR, F_REQUIRED, 1, 2, check_content_code },
	[CT_TITLE] = { "title", F_STR, F_REQUIRED, 3, 500, NULL },
	[CT_DESCRIPTION] = { "description", F_TEXT, 0, 0, 5000, NULL },
};

/*
 * PUT /api/admin/plans/{year}/contents/{code} {title, description?}
 * (finance) → 200 the content area, created (201) when new. 404 for an
 * unknown plan year, 422.
 */
static int
h_contents_put(struct req *r)
{
	struct value	 v[CT__MAX];
	json_object	*before, *after;
	long long	 year = staff_param_id(r, 0);
	const char	*code = r->param[1];
	int		 rc, create;

	if ((rc = req_fields(r, content_fields + CT_TITLE, CT__MAX - CT_TITLE,
	    v + CT_TITLE)) != 0)
		return rc;
	v[CT_CODE].s = code;
	if (check_content_code(r, &v[CT_CODE]) != NULL)
		return staff_not_found(r);
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_content_get(r, year, code, &before)) < 0)
		return staff_fail_db(r);
	create = rc == 0;
	if ((rc = q_content_save(r, create, year, code, v)) < 0) {
		json_object_put(before);
		if (rc == DB_EFAIL)	/* no such plan */
			return staff_tx_absent(r, 0);
		return staff_fail_db(r);
	}
	if (q_content_get(r, year, code, &after) <= 0) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	return staff_commit_audited(r, create ? "plan_content.create" :
	    "plan_content.update", "plan_content", arena_printf(r->a,
	    "%lld/%s", year, code), before, after, create ? 201 : 200, after);
}

static const struct field act_fields[AF__MAX] = {
	[AF_YEAR] = { "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX,
	    NULL },
	[AF_CONTENT] = { "content_code", F_STR, F_REQUIRED, 1, 2,
	    check_content_code },
	[AF_TITLE] = { "title", F_STR, F_REQUIRED, 3, 500, NULL },
	[AF_UNIT] = { "unit_name", F_STR, F_REQUIRED, 2, 255, NULL },
	[AF_PLANNED] = { "planned_vnd", F_MONEY, F_REQUIRED, 0,
	    1000000000000000LL, NULL },
	[AF_TARGET] = { "target", F_STR, 0, 1, 255, NULL },
	[AF_STATUS] = { "status", F_STR, 0, 1, 20, check_act_status },
	[AF_PROGRESS] = { "progress", F_INT, 0, 0, 100, NULL },
};

/*
 * POST /api/admin/activities {year, content_code, title, unit_name,
 * planned_vnd, target?, status?, progress?} (finance) → 201; PUT
 * /api/admin/activities/{id} (same fields; the year cannot change) →
 * 200. 404 for an unknown content area or activity, 422.
 */
static int
act_save(struct req *r, int create)
{
	struct value	 v[AF__MAX];
	json_object	*before = NULL, *after;
	long long	 id = create ? 0 : staff_param_id(r, 0);
	int		 rc;

	if ((rc = req_fields(r, act_fields, AF__MAX, v)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (!create && (rc = q_act_get(r, id, &before)) <= 0)
		return staff_tx_absent(r, rc);
	if ((rc = q_act_save(r, create, &id, v)) < 0) {
		json_object_put(before);
		if (rc != DB_EFAIL)
			return staff_fail_db(r);
		db_rollback(r->db);
		return staff_invalid(r, "content_code",
		    "Kế hoạch năm này chưa có nội dung này");
	}
	if (q_act_get(r, id, &after) <= 0) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	return staff_commit_audited(r, create ? "activity.create" :
	    "activity.update", "activity", staff_id_text(r, id), before, after,
	    create ? 201 : 200, after);
}

static int
h_acts_create(struct req *r)
{
	return act_save(r, 1);
}

static int
h_acts_update(struct req *r)
{
	return act_save(r, 0);
}

/*
 * GET /api/admin/activities/{id} (finance, auditor) → the activity with
 * its "allocations", "disbursements" and "settlements"; 404.
 */
static int
h_acts_get(struct req *r)
{
	json_object	*o;
	long long	 id = staff_param_id(r, 0);
	int		 rc;

	if ((rc = q_act_get(r, id, &o)) <= 0)
		return staff_absent(r, rc);
	if (staff_lines_add(r, o, id) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	return resp_json(r, 200, o);
}

const struct route staff_budget_routes[] = {
	{ M_GET, "/api/admin/plans", h_plans_list, R_CSV, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_POST, "/api/admin/plans", h_plans_create, 0, 0, ROLE_FINANCE },
	{ M_GET, "/api/admin/plans/{}", h_plans_get, 0, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_PUT, "/api/admin/plans/{}", h_plans_update, 0, 0, ROLE_FINANCE },
	{ M_PUT, "/api/admin/plans/{}/contents/{}", h_contents_put, 0, 0,
	    ROLE_FINANCE },
	{ M_POST, "/api/admin/activities", h_acts_create, 0, 0, ROLE_FINANCE },
	{ M_GET, "/api/admin/activities/{}", h_acts_get, 0, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_PUT, "/api/admin/activities/{}", h_acts_update, 0, 0,
	    ROLE_FINANCE },
	ROUTES_END
};
