/*
 * plan: content areas and activities of a plan (see plan.h for the
 * rules). Statements are plan.c's set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "db.h"
#include "plan.h"
#include "plan_int.h"
#include "resp.h"
#include "rows.h"
#include "values.h"

#define CONTENT_JCOL(m, t)	JCOL(#m, plan_content_row, m, t),
#define ACT_JCOL(m, t)		JCOL(#m, plan_act_row, m, t),
static const struct jcol content_jcols[] = { PLAN_CONTENT_ROW(CONTENT_JCOL) };
/* An activity; the last three only in a plan's list. */
static const struct jcol act_jcols[] = { PLAN_ACT_ROW(ACT_JCOL) };
#define ACT_NROW	(NELEM(act_jcols) - 3)

/* The columns a content area's statements select: all but the last. */
#define CONTENT_NREAD	(NELEM(content_jcols) - 1)

/* What of ct's planned money its activities have not taken. */
static void
content_unassigned(struct plan_content_row *ct)
{
	ct->unassigned_vnd = (ct->planned_vnd > 0 ? ct->planned_vnd : 0) -
	    ct->assigned_vnd;
}

/* The content areas of year's plan, in order: the count, or < 0. */
int
plan_q_contents(struct plan_ctx *c, long long year,
    struct plan_content_row **out)
{
	void	*rows;
	int	 i, n;

	n = rows_fetch(c->db, c->a, &plan_set, S_CONTENTS_LIST,
	    DB_ARGS(DB_INT(year)), content_jcols, CONTENT_NREAD,
	    sizeof(**out), &rows);
	*out = rows;
	for (i = 0; i < n; i++)
		content_unassigned(&(*out)[i]);
	return n;
}

/* Content area code of year's plan, locked: 1, 0, or < 0. */
int
plan_q_content(struct plan_ctx *c, long long year, const char *code,
    struct plan_content_row *out)
{
	int	 rc;

	if ((rc = rows_get(c->db, c->a, &plan_set, S_CONTENT_GET,
	    DB_ARGS(DB_INT(year), DB_STR(code)), content_jcols, CONTENT_NREAD,
	    out)) > 0)
		content_unassigned(out);
	return rc;
}

json_object *
plan_content_json(const struct plan_content_row *ct)
{
	return rows_object(ct, content_jcols, NELEM(content_jcols));
}

/* The activities of year's plan with their money: the count, or < 0. */
int
plan_q_acts(struct plan_ctx *c, long long year, json_object **out)
{
	return rows_fetch_json(c->db, c->a, &plan_set, S_ACTS_LIST,
	    DB_ARGS(DB_INT(year)), act_jcols, NELEM(act_jcols),
	    sizeof(struct plan_act_row), out);
}

/* Activity id, locked: 1, 0, or < 0. */
static int
q_act(struct plan_ctx *c, long long id, struct plan_act_row *out)
{
	return rows_get(c->db, c->a, &plan_set, S_ACT_GET,
	    DB_ARGS(DB_INT(id)), act_jcols, NELEM(act_jcols), out);
}

int
plan_act_lock(struct plan_ctx *c, long long id)
{
	struct plan_act_row	 a;

	return q_act(c, id, &a);
}

/* Activity id (without its money): 1, 0, or < 0. */
int
plan_act_get(struct plan_ctx *c, long long id, json_object **out)
{
	struct plan_act_row	 a;
	int			 rc;

	*out = NULL;
	if ((rc = q_act(c, id, &a)) <= 0)
		return rc;
	*out = rows_object(&a, act_jcols, ACT_NROW);
	return 1;
}

const char *
plan_code_check(const char *s)
{
	size_t	 i, n = s != NULL ? strlen(s) : 0;

	if (n < 1 || n > 10)
		return "Mã nội dung có từ 1 đến 10 ký tự";
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (i > 0 && (s[i] == '.' || s[i] == '-'))))
			return "Mã nội dung gồm chữ cái không dấu, số, dấu . và"
			    " - (như trong quyết định: 1, 2a, II)";
	return NULL;
}

/* Roll back and return rc (PLAN_ENOTFOUND for 0). */
static int
undo(struct plan_ctx *c, int rc)
{
	db_rollback(c->db);
	return rc == 0 ? PLAN_ENOTFOUND : rc;
}

/* Year's plan locked in the transaction: 1 draft, 2 published, or < 0. */
static int
plan_state(struct plan_ctx *c, long long year)
{
	struct plan_row	 p;
	int		 rc;

	if ((rc = plan_q_get(c, year, &p)) <= 0)
		return rc == 0 ? PLAN_ENOTFOUND : rc;
	return strcmp(p.status, "draft") == 0 ? 1 : 2;
}

/* Content area in->code written: new (insert) or from old. */
static int
content_write(struct plan_ctx *c, long long year,
    const struct plan_content_in *in, const struct plan_content_row *old)
{
	struct db_res	*q;
	long long	 amount = in->planned_vnd, order = in->sort_order;

	if (old != NULL) {
		if (amount < 0)
			amount = old->planned_vnd;
		if (order < 0)
			order = old->sort_order;
		return db_sexec(c->db, &plan_set, S_CONTENT_UPDATE, DB_ARGS(
		    DB_STR(in->title), DB_STR(in->description), amount < 0 ?
		    DB_NULL : DB_INT(amount), DB_INT(order),
		    DB_INT(in->sample), DB_INT(year), DB_STR(in->code)));
	}
	if (order < 0) {
		q = db_squery(c->db, c->a, &plan_set, S_CONTENT_NEXT,
		    DB_ARGS(DB_INT(year)));
		if (q == NULL)
			return db_last_error(c->db);
		order = db_next(q) ? db_int(q, 0) : 1;
	}
	return db_sexec(c->db, &plan_set, S_CONTENT_INSERT, DB_ARGS(
	    DB_INT(year), DB_STR(in->code), DB_STR(in->title),
	    DB_STR(in->description), amount < 0 ? DB_NULL : DB_INT(amount),
	    DB_INT(order), DB_INT(in->sample)));
}

/*
 * Content area in->code of year's plan, new (1) or changed (0); an
 * omitted amount or order (< 0) stays. In a published plan a new area or
 * a new amount is an amendment's (PLAN_EREFUSED).
 */
int
plan_content_put(struct plan_ctx *c, long long year,
    const struct plan_content_in *in, json_object **out)
{
	struct plan_content_row	 old, now;
	json_object		*before = NULL;
	int			 rc, state, found;

	*out = NULL;
	if (plan_code_check(in->code) != NULL)
		return plan_refuse(c, PLAN_EINVALID, "code",
		    plan_code_check(in->code));
	if ((rc = db_begin(c->db)) < 0)
		return rc;
	if ((state = plan_state(c, year)) < 0 ||
	    (found = plan_q_content(c, year, in->code, &old)) < 0)
		return undo(c, state < 0 ? state : found);
	if (state == 2 && (!found || (in->planned_vnd >= 0 &&
	    in->planned_vnd != old.planned_vnd))) {
		db_rollback(c->db);
		return plan_refuse(c, PLAN_EREFUSED, "planned_vnd", "Kế hoạch"
		    " đã công bố: thêm nội dung hay đổi kinh phí của nội dung"
		    " bằng một lần điều chỉnh kế hoạch.");
	}
	if (found)
		before = plan_content_json(&old);
	if ((rc = content_write(c, year, in, found ? &old : NULL)) < 0 ||
	    (rc = plan_q_content(c, year, in->code, &now)) <= 0) {
		json_object_put(before);
		return undo(c, rc < 0 ? rc : DB_EFAIL);
	}
	*out = plan_content_json(&now);
	rc = plan_audit_commit(c, found ? "plan_content.update" :
	    "plan_content.create", "plan_content", arena_printf(c->a,
	    "%lld/%s", year, in->code), before, json_object_get(*out));
	return rc < 0 ? rc : !found;
}

/* Delete content area code of a draft, when it has no activities. */
int
plan_content_delete(struct plan_ctx *c, long long year, const char *code)
{
	struct plan_content_row	 old;
	int			 rc, state;

	if ((rc = db_begin(c->db)) < 0)
		return rc;
	if ((state = plan_state(c, year)) < 0 ||
	    (rc = plan_q_content(c, year, code, &old)) <= 0)
		return undo(c, state < 0 ? state : rc);
	if (state != 1) {
		db_rollback(c->db);
		return plan_refuse(c, PLAN_EREFUSED, NULL, "Kế hoạch đã công"
		    " bố: nội dung không xoá được.");
	}
	if (old.activities > 0) {
		db_rollback(c->db);
		return plan_refuse(c, PLAN_EREFUSED, NULL, arena_printf(c->a,
		    "Nội dung %s còn %lld hoạt động: xoá hoặc chuyển chúng"
		    " sang nội dung khác trước.", code, old.activities));
	}
	if ((rc = db_sexec(c->db, &plan_set, S_CONTENT_DELETE,
	    DB_ARGS(DB_INT(year), DB_STR(code)))) < 0)
		return undo(c, rc);
	return plan_audit_commit(c, "plan_content.delete", "plan_content",
	    arena_printf(c->a, "%lld/%s", year, code),
	    plan_content_json(&old), NULL);
}

/* An activity's fields beyond their types: 0 or PLAN_EINVALID. */
static int
act_check(struct plan_ctx *c, const struct plan_act_in *in)
{
	if (in->status != NULL &&
	    values_find(values_activity_statuses, in->status) < 0)
		return plan_refuse(c, PLAN_EINVALID, "status", "Trạng thái"
		    " không hợp lệ (planned, in_progress, done, cancelled)");
	if (in->progress > 100)
		return plan_refuse(c, PLAN_EINVALID, "progress",
		    "Tiến độ từ 0 đến 100 (%)");
	if (in->planned_vnd < 0)
		return plan_refuse(c, PLAN_EINVALID, "planned_vnd",
		    "Kinh phí là số đồng không âm");
	if (in->period_from != NULL && in->period_to != NULL &&
	    strcmp(in->period_from, in->period_to) > 0)
		return plan_refuse(c, PLAN_EINVALID, "period_to",
		    "Thời gian kết thúc trước thời gian bắt đầu");
	return 0;
}

#define ACT_ARGS(in) \
	DB_STR((in)->content_code), DB_STR((in)->title), \
	DB_STR((in)->unit_name), DB_INT((in)->planned_vnd), \
	DB_STR((in)->target), DB_STR((in)->status != NULL ? (in)->status : \
	values_activity_statuses[ACT_PLANNED]), \
	DB_INT((in)->progress < 0 ? 0 : (in)->progress), \
	DB_STR((in)->description), (in)->quantity < 0 ? DB_NULL : \
	DB_INT((in)->quantity), DB_STR((in)->unit_measure), \
	(in)->beneficiaries < 0 ? DB_NULL : DB_INT((in)->beneficiaries), \
	DB_STR((in)->period_from), DB_STR((in)->period_to), \
	DB_INT((in)->sample)

/* Write activity *id (0: a new one, its id into *id). */
static int
act_write(struct plan_ctx *c, long long *id, long long year,
    const struct plan_act_in *in)
{
	int	 rc;

	if (*id != 0)
		return db_sexec(c->db, &plan_set, S_ACT_UPDATE,
		    DB_ARGS(ACT_ARGS(in), DB_INT(*id)));
	rc = db_sexec(c->db, &plan_set, S_ACT_INSERT,
	    DB_ARGS(DB_INT(year), ACT_ARGS(in)));
	if (rc >= 0)
		*id = db_insert_id(c->db);
	return rc;
}

/* What is allocated to activity id (locking read): 0 and *sum, or < 0. */
static int
q_act_allocated(struct plan_ctx *c, long long id, long long *sum)
{
	return rows_count(c->db, c->a, &plan_set, S_ACT_ALLOCATED,
	    DB_ARGS(DB_INT(id)), sum);
}

/*
 * May activity in (old: as it was, NULL for a new one) take its budget?
 * In a published plan (state 2) what it adds to content area ct must fit
 * what the area has unassigned; in any plan its budget stays at least what
 * is allocated to it. 0, PLAN_EREFUSED with why (by how much), or < 0.
 */
static int
act_fits(struct plan_ctx *c, int state, const struct plan_act_row *old,
    const struct plan_content_row *ct, const struct plan_act_in *in)
{
	long long	 need = in->planned_vnd, room, alloc = 0;
	int		 rc;

	if (old != NULL && strcmp(old->content_code, ct->code) == 0)
		need -= old->planned_vnd;
	room = ct->unassigned_vnd > 0 ? ct->unassigned_vnd : 0;
	if (state == 2 && need > 0 && need > room)
		return plan_refuse(c, PLAN_EREFUSED, "planned_vnd",
		    arena_printf(c->a, "Kế hoạch đã công bố: nội dung %s còn"
		    " %s chưa giao cho hoạt động, hoạt động này cần thêm %s,"
		    " vượt %s. Muốn tăng, hãy điều chỉnh kế hoạch (một quyết"
		    " định điều chỉnh kinh phí của nội dung).", ct->code,
		    plan_vnd(c->a, room), plan_vnd(c->a, need),
		    plan_vnd(c->a, need - room)));
	if (old == NULL || in->planned_vnd >= old->planned_vnd)
		return 0;
	if ((rc = q_act_allocated(c, old->id, &alloc)) < 0)
		return rc;
	if (in->planned_vnd < alloc)
		return plan_refuse(c, PLAN_EREFUSED, "planned_vnd",
		    arena_printf(c->a, "Hoạt động đã được giao %s: kinh phí"
		    " của hoạt động không thể thấp hơn (thiếu %s). Hãy giảm"
		    " hoặc xoá dòng giao kinh phí trước.",
		    plan_vnd(c->a, alloc),
		    plan_vnd(c->a, alloc - in->planned_vnd)));
	return 0;
}

/*
 * Activity *id from in: new when *id is 0 (1, its id into *id) or
 * changed (0; its year stays). In a published plan within its content
 * area's amount (act_fits).
 */
int
plan_act_save(struct plan_ctx *c, long long *id, const struct plan_act_in *in,
    json_object **out)
{
	struct plan_act_row	 a;
	struct plan_content_row	 ct;
	struct plan_act_in	 v = *in;
	json_object		*before = NULL;
	long long		 year = in->year;
	int			 rc, state, create = *id == 0;

	*out = NULL;
	if ((rc = act_check(c, in)) < 0 || (rc = db_begin(c->db)) < 0)
		return rc;
	if (!create) {
		if ((rc = q_act(c, *id, &a)) <= 0)
			return undo(c, rc);
		year = a.year;
		v.sample = a.sample;	/* a sample's stays one */
	}
	/* No plan: no content area either (422 below). */
	if ((state = plan_state(c, year)) < 0 && state != PLAN_ENOTFOUND)
		return undo(c, state);
	if ((rc = plan_q_content(c, year, in->content_code, &ct)) <= 0) {
		db_rollback(c->db);
		return rc < 0 ? rc : plan_refuse(c, PLAN_EINVALID,
		    "content_code", "Kế hoạch năm này chưa có nội dung này");
	}
	if ((rc = act_fits(c, state, create ? NULL : &a, &ct, in)) < 0)
		return undo(c, rc);
	if (!create)
		before = rows_object(&a, act_jcols, ACT_NROW);
	if ((rc = act_write(c, id, year, &v)) < 0 ||
	    (rc = q_act(c, *id, &a)) <= 0) {
		json_object_put(before);
		return undo(c, rc < 0 ? rc : DB_EFAIL);
	}
	*out = rows_object(&a, act_jcols, ACT_NROW);
	rc = plan_audit_commit(c, create ? "activity.create" :
	    "activity.update", "activity", arena_printf(c->a, "%lld", *id),
	    before, json_object_get(*out));
	return rc < 0 ? rc : create;
}

/*
 * Delete activity id of a draft, when no money line or call refers to it.
 * In a published plan an activity is cancelled (status), not deleted.
 */
int
plan_act_delete(struct plan_ctx *c, long long id)
{
	struct plan_act_row	 a;
	int			 rc, state;

	if ((rc = db_begin(c->db)) < 0)
		return rc;
	if ((rc = q_act(c, id, &a)) <= 0 ||
	    (state = plan_state(c, a.year)) < 0)
		return undo(c, rc <= 0 ? rc : state);
	if (state != 1) {
		db_rollback(c->db);
		return plan_refuse(c, PLAN_EREFUSED, NULL, "Kế hoạch đã công"
		    " bố: hoạt động không xoá được; hãy chuyển trạng thái"
		    " sang «Đã huỷ».");
	}
	if ((rc = plan_lines_refuse(c, S_ACT_LINES, id)) != 0)
		return undo(c, rc);
	if ((rc = db_sexec(c->db, &plan_set, S_ACT_DELETE,
	    DB_ARGS(DB_INT(id)))) < 0)
		return undo(c, rc);
	return plan_audit_commit(c, "activity.delete", "activity",
	    arena_printf(c->a, "%lld", id),
	    rows_object(&a, act_jcols, ACT_NROW), NULL);
}
