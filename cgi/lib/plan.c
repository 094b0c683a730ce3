/*
 * plan: plans drafted, published, amended and deleted; the statements of
 * plans, content areas and activities. See plan.h; content areas and
 * activities are plan_parts.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "money.h"
#include "plan.h"
#include "plan_int.h"
#include "resp.h"
#include "rows.h"

static const char *const plan_sql[S_PLAN__MAX] = {
	[S_PLAN_LIST] = "SELECT " PLAN_COLS " FROM plan ORDER BY year DESC",
	[S_PLAN_GET] = "SELECT " PLAN_COLS " FROM plan WHERE year = ?"
	    " FOR UPDATE",
	[S_PLAN_INSERT] =
	    "INSERT INTO plan (year, title, total_vnd, decision_no,"
	    " decision_date, approved_by, source, notes, sample)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_PLAN_UPDATE] =
	    "UPDATE plan SET title = ?, total_vnd = ?, decision_no = ?,"
	    " decision_date = ?, approved_by = ?, source = ?, notes = ?"
	    " WHERE year = ?",
	[S_PLAN_TOTAL] = "UPDATE plan SET total_vnd = ? WHERE year = ?",
	[S_PLAN_PUBLISH] =
	    "UPDATE plan SET status = 'published',"
	    " published_at = CURRENT_TIMESTAMP"
	    " WHERE year = ? AND status = 'draft'",
	[S_PLAN_DELETE] =
	    "DELETE FROM plan WHERE year = ? AND status = 'draft'",
	[S_PLAN_LINES] =
	    "SELECT (SELECT COUNT(*) FROM allocation x JOIN activity a"
	    " ON a.id = x.activity_id WHERE a.year = ?)"
	    " + (SELECT COUNT(*) FROM disbursement x JOIN activity a"
	    " ON a.id = x.activity_id WHERE a.year = ?)"
	    " + (SELECT COUNT(*) FROM settlement x JOIN activity a"
	    " ON a.id = x.activity_id WHERE a.year = ?)"
	    " + (SELECT COUNT(*) FROM support_call WHERE activity_id IN"
	    " (SELECT id FROM activity WHERE year = ?))",
	[S_CONTENTS_LIST] = "SELECT " PLAN_CONTENT_COLS " FROM plan_content c"
	    " WHERE year = ? ORDER BY sort_order, code",
	[S_CONTENT_GET] = "SELECT " PLAN_CONTENT_COLS " FROM plan_content c"
	    " WHERE year = ? AND code = ? FOR UPDATE",
	[S_CONTENT_NEXT] = "SELECT COALESCE(MAX(sort_order), 0) + 1"
	    " FROM plan_content WHERE year = ?",
	[S_CONTENT_INSERT] =
	    "INSERT INTO plan_content (year, code, title, description,"
	    " planned_vnd, sort_order, sample) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_CONTENT_UPDATE] =
	    "UPDATE plan_content SET title = ?, description = ?,"
	    " planned_vnd = ?, sort_order = ?, sample = ?"
	    " WHERE year = ? AND code = ?",
	[S_CONTENT_AMOUNT] =
	    "UPDATE plan_content SET planned_vnd = ?, sample = 0"
	    " WHERE year = ? AND code = ?",
	[S_CONTENT_DELETE] =
	    "DELETE FROM plan_content WHERE year = ? AND code = ?",
	[S_CONTENTS_DELETE] = "DELETE FROM plan_content WHERE year = ?",
	[S_ACTS_LIST] =
	    "SELECT " PLAN_ACT_COLS ","
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM allocation l"
	    " WHERE l.activity_id = activity.id),"
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM disbursement d"
	    " WHERE d.activity_id = activity.id),"
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM settlement s"
	    " WHERE s.activity_id = activity.id)"
	    " FROM activity WHERE year = ? ORDER BY content_code, id",
	[S_ACT_GET] = "SELECT " PLAN_ACT_COLS ", 0, 0, 0 FROM activity"
	    " WHERE id = ? FOR UPDATE",
	[S_ACT_INSERT] =
	    "INSERT INTO activity (year, content_code, title, unit_name,"
	    " planned_vnd, target, status, progress, description, quantity,"
	    " unit_measure, beneficiaries, period_from, period_to, sample)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_ACT_UPDATE] =
	    "UPDATE activity SET content_code = ?, title = ?, unit_name = ?,"
	    " planned_vnd = ?, target = ?, status = ?, progress = ?,"
	    " description = ?, quantity = ?, unit_measure = ?,"
	    " beneficiaries = ?, period_from = ?, period_to = ?, sample = ?"
	    " WHERE id = ?",
	[S_ACT_DELETE] = "DELETE FROM activity WHERE id = ?",
	[S_ACTS_DELETE] = "DELETE FROM activity WHERE year = ?",
	[S_ACT_LINES] =
	    "SELECT (SELECT COUNT(*) FROM allocation WHERE activity_id = ?)"
	    " + (SELECT COUNT(*) FROM disbursement WHERE activity_id = ?)"
	    " + (SELECT COUNT(*) FROM settlement WHERE activity_id = ?)"
	    " + (SELECT COUNT(*) FROM support_call WHERE activity_id = ?)",
	[S_AMEND_INSERT] =
	    "INSERT INTO plan_amendment (year, decision_no, decision_date,"
	    " reason, changes, user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_AMEND_LIST] =
	    "SELECT id, decision_no, " PLAN_YMD("decision_date") ", reason,"
	    " username, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), changes"
	    " FROM plan_amendment WHERE year = ? ORDER BY decision_date, id",
	[S_PLAN_DOC_SET] =
	    "UPDATE plan SET doc_sha256 = ?, doc_name = ?, doc_size = ?,"
	    " doc_uploaded_at = CURRENT_TIMESTAMP WHERE year = ?",
	[S_PLAN_DOC_CLEAR] =
	    "UPDATE plan SET doc_sha256 = NULL, doc_name = NULL,"
	    " doc_size = NULL, doc_uploaded_at = NULL"
	    " WHERE year = ? AND status = 'draft'",
	[S_ACT_ALLOCATED] =
	    "SELECT COALESCE(SUM(amount_vnd), 0) FROM allocation"
	    " WHERE activity_id = ? LOCK IN SHARE MODE",
};
struct db_set plan_set = DB_SET("plan", plan_sql);

#define PLAN_JCOL(path, m, t)	JCOL(path, plan_row, m, t),
static const struct jcol plan_jcols[] = { PLAN_ROW(PLAN_JCOL) };

/* An amendment as S_AMEND_LIST reads it and the plan's answer lists it
 * (changes: the JSON text of what it changed, as its value). */
#define AMEND_ROW(X) \
	X(id, J_INT) X(decision_no, J_STR) X(decision_date, J_STR) \
	X(reason, J_STR) X(username, J_STR) X(created_at, J_STR) \
	X(changes, J_JSON)
struct amend_row { AMEND_ROW(ROWS_MEMBER) };
#define AMEND_JCOL(m, t)	JCOL(#m, amend_row, m, t),
static const struct jcol amend_jcols[] = { AMEND_ROW(AMEND_JCOL) };

/* The plan of year, locked: 1, 0, or < 0. */
int
plan_q_get(struct plan_ctx *c, long long year, struct plan_row *out)
{
	return rows_get(c->db, c->a, &plan_set, S_PLAN_GET,
	    DB_ARGS(DB_INT(year)), plan_jcols, NELEM(plan_jcols), out);
}

/*
 * A transaction begun on year's plan, locked into *p, when its status is
 * status: 0, the transaction open. Else rolled back: PLAN_ENOTFOUND,
 * PLAN_EREFUSED (msg, of another status), or < 0.
 */
int
plan_begin_as(struct plan_ctx *c, long long year, const char *status,
    const char *msg, struct plan_row *p)
{
	int	 rc;

	if ((rc = db_begin(c->db)) < 0)
		return rc;
	if ((rc = plan_q_get(c, year, p)) <= 0)
		rc = rc < 0 ? rc : PLAN_ENOTFOUND;
	else if (strcmp(p->status, status) != 0)
		rc = plan_refuse(c, PLAN_EREFUSED, NULL, msg);
	else
		return 0;
	db_rollback(c->db);
	return rc;
}

json_object *
plan_row_json(const struct plan_row *p)
{
	return rows_object(p, plan_jcols, NELEM(plan_jcols));
}

/* Refuse: why into c, rc returned. */
int
plan_refuse(struct plan_ctx *c, int rc, const char *field, const char *msg)
{
	c->field = field;
	c->msg = msg;
	return rc;
}

/* n đồng as the pages write it (money.h): 2.080.000.000 đ. */
const char *
plan_vnd(struct arena *a, long long n)
{
	char	 buf[48];

	return arena_strdup(a, money_format(buf, sizeof(buf), n));
}

/*
 * Write the audit row of a change and commit; before and after are
 * released. 0, or < 0 (rolled back).
 */
int
plan_audit_commit(struct plan_ctx *c, const char *action, const char *entity,
    const char *id, json_object *before, json_object *after)
{
	int	 rc;

	rc = audit_write_db(c->db, c->user, c->ip, action, entity, id, before,
	    after);
	json_object_put(before);
	json_object_put(after);
	if (rc < 0 || (rc = db_commit(c->db)) < 0) {
		db_rollback(c->db);
		return rc;
	}
	return 0;
}

/* Every plan, newest first: the count, or < 0. */
int
plan_list(struct plan_ctx *c, json_object **out)
{
	return rows_fetch_json(c->db, c->a, &plan_set, S_PLAN_LIST, DB_NOARGS,
	    plan_jcols, NELEM(plan_jcols), sizeof(struct plan_row), out);
}

/* The amendments of year's plan as a list into o's "amendments". */
static int
amends_add(struct plan_ctx *c, long long year, json_object *o)
{
	json_object	*list;
	int		 rc;

	if ((rc = rows_fetch_json(c->db, c->a, &plan_set, S_AMEND_LIST,
	    DB_ARGS(DB_INT(year)), amend_jcols, NELEM(amend_jcols),
	    sizeof(struct amend_row), &list)) < 0)
		return rc;
	json_object_object_add(o, "amendments", list);
	return 0;
}

/*
 * The plan of year with its content areas (each with what its activities
 * take and what is left), the total less the areas ("assigned_vnd",
 * "unassigned_vnd"): 1, 0, or < 0. Without activities when !acts.
 */
static int
plan_full(struct plan_ctx *c, long long year, int acts, json_object **out)
{
	struct plan_row		 p;
	struct plan_content_row	*ct;
	json_object		*o, *list;
	long long		 assigned = 0;
	int			 rc, n, i;

	*out = NULL;
	if ((rc = plan_q_get(c, year, &p)) <= 0)
		return rc;
	if ((n = plan_q_contents(c, year, &ct)) < 0)
		return n;
	o = plan_row_json(&p);
	list = json_object_new_array();
	for (i = 0; i < n; i++) {
		assigned += ct[i].planned_vnd > 0 ? ct[i].planned_vnd : 0;
		json_object_array_add(list, plan_content_json(&ct[i]));
	}
	json_object_object_add(o, "contents", list);
	json_object_object_add(o, "assigned_vnd",
	    json_object_new_int64(assigned));
	json_object_object_add(o, "unassigned_vnd",
	    json_object_new_int64(p.total_vnd - assigned));
	if (acts && ((rc = plan_q_acts(c, year, &list)) < 0 ||
	    (json_object_object_add(o, "activities", list),
	    (rc = amends_add(c, year, o)) < 0))) {
		json_object_put(o);
		return rc;
	}
	*out = o;
	return 1;
}

int
plan_get(struct plan_ctx *c, long long year, json_object **out)
{
	return plan_full(c, year, 1, out);
}

/* The plan and its content areas, for an audit row (NULL if none). */
json_object *
plan_summary(struct plan_ctx *c, long long year)
{
	json_object	*o;

	return plan_full(c, year, 0, &o) > 0 ? o : NULL;
}

/* A plan's fields checked beyond their types: 0 or PLAN_EINVALID. */
static int
plan_in_check(struct plan_ctx *c, const struct plan_in *in)
{
	if (in->total_vnd <= 0)
		return plan_refuse(c, PLAN_EINVALID, "total_vnd",
		    "Tổng kinh phí phải là số đồng dương");
	return 0;
}

/* A new draft plan. 1, or PLAN_EREFUSED (the year has one), < 0. */
int
plan_create(struct plan_ctx *c, const struct plan_in *in, json_object **out)
{
	int	 rc;

	*out = NULL;
	if ((rc = plan_in_check(c, in)) < 0)
		return rc;
	if ((rc = db_begin(c->db)) < 0)
		return rc;
	rc = db_sexec(c->db, &plan_set, S_PLAN_INSERT, DB_ARGS(
	    DB_INT(in->year), DB_STR(in->title), DB_INT(in->total_vnd),
	    DB_STR(in->decision_no), DB_STR(in->decision_date),
	    DB_STR(in->approved_by), DB_STR(in->source), DB_STR(in->notes),
	    DB_INT(in->sample)));
	if (rc < 0) {
		db_rollback(c->db);
		if (rc == DB_EDUP)
			return plan_refuse(c, PLAN_EREFUSED, NULL,
			    "Năm này đã có kế hoạch.");
		return rc;
	}
	if ((rc = plan_full(c, in->year, 0, out)) <= 0) {
		db_rollback(c->db);
		return rc < 0 ? rc : DB_EFAIL;
	}
	rc = plan_audit_commit(c, "plan.create", "plan",
	    arena_printf(c->a, "%lld", in->year), NULL,
	    json_object_get(*out));
	return rc < 0 ? rc : 1;
}

/*
 * A plan's fields changed. A published plan's total changes only by an
 * amendment (PLAN_EREFUSED). 0, PLAN_ENOTFOUND, or < 0.
 */
int
plan_update(struct plan_ctx *c, const struct plan_in *in, json_object **out)
{
	struct plan_row	 p;
	json_object	*before;
	int		 rc;

	*out = NULL;
	if ((rc = plan_in_check(c, in)) < 0)
		return rc;
	if ((rc = db_begin(c->db)) < 0)
		return rc;
	if ((rc = plan_q_get(c, in->year, &p)) <= 0) {
		db_rollback(c->db);
		return rc < 0 ? rc : PLAN_ENOTFOUND;
	}
	if (strcmp(p.status, "draft") != 0 && p.total_vnd != in->total_vnd) {
		db_rollback(c->db);
		return plan_refuse(c, PLAN_EREFUSED, "total_vnd",
		    "Kế hoạch đã công bố: tổng kinh phí chỉ thay đổi bằng một"
		    " lần điều chỉnh kế hoạch (có quyết định điều chỉnh).");
	}
	before = plan_row_json(&p);
	rc = db_sexec(c->db, &plan_set, S_PLAN_UPDATE, DB_ARGS(
	    DB_STR(in->title), DB_INT(in->total_vnd), DB_STR(in->decision_no),
	    DB_STR(in->decision_date), DB_STR(in->approved_by),
	    DB_STR(in->source), DB_STR(in->notes), DB_INT(in->year)));
	if (rc < 0 || (rc = plan_q_get(c, in->year, &p)) <= 0) {
		json_object_put(before);
		db_rollback(c->db);
		return rc < 0 ? rc : DB_EFAIL;
	}
	*out = plan_row_json(&p);
	return plan_audit_commit(c, "plan.update", "plan",
	    arena_printf(c->a, "%lld", in->year), before,
	    json_object_get(*out));
}

/* How many money lines and calls refer to year's activities: n or < 0. */
static int
plan_lines(struct plan_ctx *c, int stmt, long long key, long long *n)
{
	return rows_count(c->db, c->a, &plan_set, stmt, DB_ARGS(DB_INT(key),
	    DB_INT(key), DB_INT(key), DB_INT(key)), n);
}

/* Refusal of a draft's part that money or calls refer to. */
int
plan_lines_refuse(struct plan_ctx *c, int stmt, long long key)
{
	long long	 n = 0;
	int		 rc;

	if ((rc = plan_lines(c, stmt, key, &n)) < 0)
		return rc;
	if (n == 0)
		return 0;
	return plan_refuse(c, PLAN_EREFUSED, NULL, arena_printf(c->a,
	    "Không xoá được: có %lld dòng giao kinh phí, giải ngân, quyết toán"
	    " hoặc đợt hỗ trợ gắn với hoạt động. Hãy xoá chúng trước.", n));
}

/*
 * Delete a draft with its content areas and activities (one audit row
 * whose "before" holds them all). 0, PLAN_ENOTFOUND, PLAN_EREFUSED (a
 * published plan, or money recorded), or < 0.
 */
int
plan_delete(struct plan_ctx *c, long long year)
{
	struct plan_row	 p;
	json_object	*before;
	int		 rc;

	if ((rc = plan_begin_as(c, year, "draft", "Chỉ xoá được kế hoạch còn"
	    " là bản nháp; kế hoạch đã công bố được điều chỉnh, không xoá.",
	    &p)) != 0)
		return rc;
	if ((rc = plan_lines_refuse(c, S_PLAN_LINES, year)) != 0 ||
	    (rc = plan_full(c, year, 1, &before)) <= 0) {
		db_rollback(c->db);
		return rc < 0 ? rc : DB_EFAIL;
	}
	if ((rc = db_sexec(c->db, &plan_set, S_ACTS_DELETE,
	    DB_ARGS(DB_INT(year)))) < 0 ||
	    (rc = db_sexec(c->db, &plan_set, S_CONTENTS_DELETE,
	    DB_ARGS(DB_INT(year)))) < 0 ||
	    (rc = db_sexec(c->db, &plan_set, S_PLAN_DELETE,
	    DB_ARGS(DB_INT(year)))) < 0) {
		json_object_put(before);
		db_rollback(c->db);
		return rc;
	}
	return plan_audit_commit(c, "plan.delete", "plan",
	    arena_printf(c->a, "%lld", year), before, NULL);
}

/*
 * The decision's document of year's plan set or replaced (doc), or
 * removed (doc NULL: a draft's only), with its audit row (plan.document,
 * plan.document_delete: the plan before and after). 0 (the plan into
 * *out), PLAN_ENOTFOUND (no plan, or no document to remove),
 * PLAN_EREFUSED (removing a published plan's), or < 0.
 */
int
plan_doc_set(struct plan_ctx *c, long long year, const struct plan_doc_in *doc,
    json_object **out)
{
	struct plan_row	 p;
	json_object	*before;
	int		 rc;

	*out = NULL;
	if ((rc = db_begin(c->db)) < 0)
		return rc;
	if ((rc = plan_q_get(c, year, &p)) <= 0 ||
	    (doc == NULL && p.doc_sha256 == NULL)) {
		db_rollback(c->db);
		return rc < 0 ? rc : PLAN_ENOTFOUND;
	}
	if (doc == NULL && strcmp(p.status, "draft") != 0) {
		db_rollback(c->db);
		return plan_refuse(c, PLAN_EREFUSED, NULL, "Kế hoạch đã công"
		    " bố: văn bản quyết định không xoá được, chỉ thay bằng"
		    " văn bản khác.");
	}
	before = plan_row_json(&p);
	rc = doc != NULL ? db_sexec(c->db, &plan_set, S_PLAN_DOC_SET,
	    DB_ARGS(DB_STR(doc->sha256), DB_STR(doc->name),
	    DB_INT(doc->size), DB_INT(year))) :
	    db_sexec(c->db, &plan_set, S_PLAN_DOC_CLEAR,
	    DB_ARGS(DB_INT(year)));
	if (rc < 0 || (rc = plan_q_get(c, year, &p)) <= 0) {
		json_object_put(before);
		db_rollback(c->db);
		return rc < 0 ? rc : DB_EFAIL;
	}
	*out = plan_row_json(&p);
	return plan_audit_commit(c, doc != NULL ? "plan.document" :
	    "plan.document_delete", "plan", arena_printf(c->a, "%lld", year),
	    before, json_object_get(*out));
}

/*
 * The stored file of year's decision (a draft's or a published plan's):
 * 1 and its hash and name (NULL when none was given), 0 (no plan or no
 * document), or < 0.
 */
int
plan_doc_get(struct plan_ctx *c, long long year, const char **sha256,
    const char **name)
{
	struct plan_row	 p;
	int		 rc;

	if ((rc = plan_q_get(c, year, &p)) <= 0)
		return rc;
	if (p.doc_sha256 == NULL)
		return 0;
	*sha256 = p.doc_sha256;
	*name = p.doc_name;
	return 1;
}
