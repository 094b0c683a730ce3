/*
 * plan: publishing a draft and amending a published plan, both behind the
 * same balance check (see plan.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "plan.h"
#include "plan_int.h"

/*
 * Is year's plan balanced against total: content areas, each with an
 * amount, adding up to the total, each area's activities within its
 * amount? 0, PLAN_EREFUSED with why (by how much), or < 0.
 */
int
plan_balanced(struct plan_ctx *c, long long year, long long total)
{
	struct plan_content_row	*ct;
	long long		 sum = 0;
	int			 n, i;

	if ((n = plan_q_contents(c, year, &ct)) < 0)
		return n;
	if (n == 0)
		return plan_refuse(c, PLAN_EREFUSED, NULL,
		    "Kế hoạch chưa có nội dung nào.");
	for (i = 0; i < n; i++) {
		if (ct[i].planned_vnd < 0)
			return plan_refuse(c, PLAN_EREFUSED, NULL,
			    arena_printf(c->a, "Nội dung %s chưa có kinh phí.",
			    ct[i].code));
		sum += ct[i].planned_vnd;
	}
	if (sum != total)
		return plan_refuse(c, PLAN_EREFUSED, NULL, arena_printf(c->a,
		    "Các nội dung cộng lại %s, tổng kinh phí kế hoạch là %s:"
		    " %s %s.", plan_vnd(c->a, sum), plan_vnd(c->a, total),
		    sum < total ? "còn thiếu" : "vượt",
		    plan_vnd(c->a, sum < total ? total - sum : sum - total)));
	for (i = 0; i < n; i++)
		if (ct[i].assigned_vnd > ct[i].planned_vnd)
			return plan_refuse(c, PLAN_EREFUSED, NULL,
			    arena_printf(c->a, "Nội dung %s: các hoạt động cộng"
			    " lại %s, vượt kinh phí của nội dung (%s) là %s.",
			    ct[i].code, plan_vnd(c->a, ct[i].assigned_vnd),
			    plan_vnd(c->a, ct[i].planned_vnd),
			    plan_vnd(c->a, ct[i].assigned_vnd -
			    ct[i].planned_vnd)));
	return 0;
}

/*
 * Publish year's draft: 0 (the plan into *out), PLAN_ENOTFOUND,
 * PLAN_EREFUSED (published already, or out of balance), or < 0.
 */
int
plan_publish(struct plan_ctx *c, long long year, json_object **out)
{
	struct plan_row	 p;
	json_object	*before, *after;
	int		 rc;

	*out = NULL;
	if ((rc = plan_begin_as(c, year, "draft", "Kế hoạch này đã công bố.",
	    &p)) != 0)
		return rc;
	if ((rc = plan_balanced(c, year, p.total_vnd)) != 0) {
		db_rollback(c->db);
		return rc;
	}
	before = plan_row_json(&p);
	if ((rc = db_sexec(c->db, &plan_set, S_PLAN_PUBLISH,
	    DB_ARGS(DB_INT(year)))) < 0 || (rc = plan_q_get(c, year,
	    &p)) <= 0) {
		json_object_put(before);
		db_rollback(c->db);
		return rc < 0 ? rc : DB_EFAIL;
	}
	after = plan_row_json(&p);
	if ((rc = plan_audit_commit(c, "plan.publish", "plan",
	    arena_printf(c->a, "%lld", year), before, after)) < 0)
		return rc;
	return plan_get(c, year, out) > 0 ? 0 : DB_EFAIL;
}

/* The amount of content area i changed (or a new area): into ch. */
static int
amend_content(struct plan_ctx *c, long long year,
    const struct plan_amend_in *in, size_t i, json_object *ch)
{
	struct plan_content_in	 ni;
	struct plan_content_row	 old;
	json_object		*pair;
	int			 rc;

	if (plan_code_check(in->codes[i]) != NULL)
		return plan_refuse(c, PLAN_EINVALID, "contents",
		    plan_code_check(in->codes[i]));
	if (in->amounts[i] < 0)
		return plan_refuse(c, PLAN_EINVALID, "contents",
		    "Kinh phí của nội dung là số đồng không âm");
	if ((rc = plan_q_content(c, year, in->codes[i], &old)) < 0)
		return rc;
	if (rc > 0 && old.planned_vnd == in->amounts[i])
		return 0;
	pair = json_object_new_array();
	json_object_array_add(pair, rc > 0 && old.planned_vnd >= 0 ?
	    json_object_new_int64(old.planned_vnd) : NULL);
	json_object_array_add(pair, json_object_new_int64(in->amounts[i]));
	json_object_object_add(ch, in->codes[i], pair);
	if (rc > 0)
		return db_sexec(c->db, &plan_set, S_CONTENT_AMOUNT, DB_ARGS(
		    DB_INT(in->amounts[i]), DB_INT(year), DB_STR(in->codes[i])));
	if (in->titles == NULL || in->titles[i] == NULL)
		return plan_refuse(c, PLAN_EINVALID, "contents", arena_printf(
		    c->a, "Nội dung %s mới: cần tên nội dung", in->codes[i]));
	memset(&ni, 0, sizeof(ni));
	ni.code = in->codes[i];
	ni.title = in->titles[i];
	ni.planned_vnd = in->amounts[i];
	ni.sort_order = 1000 + (long long)i;
	return db_sexec(c->db, &plan_set, S_CONTENT_INSERT, DB_ARGS(
	    DB_INT(year), DB_STR(ni.code), DB_STR(ni.title), DB_NULL,
	    DB_INT(ni.planned_vnd), DB_INT(ni.sort_order), DB_INT(0)));
}

/* Apply in's figures to year's plan (total before: total): changes. */
static int
amend_apply(struct plan_ctx *c, long long year, long long total,
    const struct plan_amend_in *in, json_object *changes)
{
	json_object	*ch, *pair;
	size_t		 i;
	int		 rc;

	if (in->total_vnd >= 0 && in->total_vnd != total) {
		pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_int64(total));
		json_object_array_add(pair,
		    json_object_new_int64(in->total_vnd));
		json_object_object_add(changes, "total_vnd", pair);
		if ((rc = db_sexec(c->db, &plan_set, S_PLAN_TOTAL, DB_ARGS(
		    DB_INT(in->total_vnd), DB_INT(year)))) < 0)
			return rc;
	}
	ch = json_object_new_object();
	json_object_object_add(changes, "contents", ch);
	for (i = 0; i < in->ncontents; i++)
		if ((rc = amend_content(c, year, in, i, ch)) < 0)
			return rc;
	if (json_object_object_length(changes) == 1 &&
	    json_object_object_length(ch) == 0)
		return plan_refuse(c, PLAN_EINVALID, "total_vnd", "Điều chỉnh"
		    " không thay đổi số liệu nào của kế hoạch.");
	return 0;
}

/* The amendment's row: its decision, reason, changes, who. */
static int
amend_record(struct plan_ctx *c, long long year,
    const struct plan_amend_in *in, json_object *changes)
{
	return db_sexec(c->db, &plan_set, S_AMEND_INSERT, DB_ARGS(
	    DB_INT(year), DB_STR(in->decision_no), DB_STR(in->decision_date),
	    DB_STR(in->reason), DB_STR(json_object_to_json_string_ext(changes,
	    JSON_C_TO_STRING_PLAIN)), c->user != NULL && c->user->id > 0 ?
	    DB_INT(c->user->id) : DB_NULL, DB_STR(c->user != NULL ?
	    c->user->username : "?")));
}

/*
 * Amend year's published plan: new total and/or content-area amounts (a
 * new code with its title adds an area), by decision in->decision_no of
 * in->decision_date, for in->reason. The amended plan must balance as
 * publishing requires. 0 (the plan into *out), PLAN_ENOTFOUND,
 * PLAN_EREFUSED, PLAN_EINVALID, or < 0.
 */
int
plan_amend(struct plan_ctx *c, long long year, const struct plan_amend_in *in,
    json_object **out)
{
	struct plan_row	 p;
	json_object	*before = NULL, *changes = json_object_new_object();
	long long	 total;
	int		 rc;

	*out = NULL;
	if ((rc = plan_begin_as(c, year, "published", "Chỉ điều chỉnh kế"
	    " hoạch đã công bố; bản nháp được sửa trực tiếp.", &p)) != 0)
		goto done;
	before = plan_summary(c, year);
	total = in->total_vnd >= 0 ? in->total_vnd : p.total_vnd;
	if ((rc = amend_apply(c, year, p.total_vnd, in, changes)) < 0 ||
	    (rc = plan_balanced(c, year, total)) != 0 ||
	    (rc = amend_record(c, year, in, changes)) < 0)
		goto undo;
	rc = plan_audit_commit(c, "plan.amend", "plan", arena_printf(c->a,
	    "%lld", year), before, plan_summary(c, year));
	before = NULL;
	if (rc == 0)
		rc = plan_get(c, year, out) > 0 ? 0 : DB_EFAIL;
	goto done;
undo:
	db_rollback(c->db);
done:
	json_object_put(before);
	json_object_put(changes);
	return rc;
}
