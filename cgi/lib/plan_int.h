/*
 * plan's own: the statement set and the rows, shared by plan.c (plans,
 * publishing, amendments) and plan_parts.c (content areas, activities).
 */
#ifndef KC_PLAN_INT_H
#define KC_PLAN_INT_H

#include "db.h"
#include "plan.h"
#include "rows.h"

#define PLAN_YMD(col)	"DATE_FORMAT(" col ", '%Y-%m-%d')"
#define PLAN_COLS \
	"year, title, total_vnd, decision_no, " PLAN_YMD("decision_date") \
	", approved_by, source, sample, status, " \
	"DATE_FORMAT(published_at, '%Y-%m-%dT%H:%i:%sZ'), notes, doc_name, " \
	"doc_size, doc_sha256"
#define PLAN_CONTENT_COLS \
	"year, code, title, description, planned_vnd, sort_order, sample," \
	" (SELECT COALESCE(SUM(a.planned_vnd), 0) FROM activity a" \
	" WHERE a.year = c.year AND a.content_code = c.code)," \
	" (SELECT COUNT(*) FROM activity a" \
	" WHERE a.year = c.year AND a.content_code = c.code)"
#define PLAN_ACT_COLS \
	"id, year, content_code, title, unit_name, planned_vnd, target," \
	" status, progress, description, quantity, unit_measure," \
	" beneficiaries, " PLAN_YMD("period_from") ", " PLAN_YMD("period_to") \
	", sample"

enum plan_stmt {
	S_PLAN_LIST, S_PLAN_GET, S_PLAN_INSERT, S_PLAN_UPDATE, S_PLAN_TOTAL,
	S_PLAN_PUBLISH, S_PLAN_DELETE, S_PLAN_LINES,
	S_CONTENTS_LIST, S_CONTENT_GET, S_CONTENT_NEXT, S_CONTENT_INSERT,
	S_CONTENT_UPDATE, S_CONTENT_AMOUNT, S_CONTENT_DELETE,
	S_CONTENTS_DELETE,
	S_ACTS_LIST, S_ACT_GET, S_ACT_INSERT, S_ACT_UPDATE, S_ACT_DELETE,
	S_ACTS_DELETE, S_ACT_LINES,
	S_AMEND_INSERT, S_AMEND_LIST, S_PLAN_DOC_SET, S_PLAN_DOC_CLEAR,
	S_ACT_ALLOCATED,
	S_PLAN__MAX
};
extern struct db_set plan_set;

/* A plan: PLAN_COLS, in its JSON's order. */
#define PLAN_ROW(X) \
	PLAN_DECISION(X) X("source", source, J_STR) X("sample", sample, J_BOOL) \
	X("status", status, J_STR) X("published_at", published_at, J_STR) \
	X("notes", notes, J_STR) X("document.name", doc_name, J_STR) \
	X("document.size", doc_size, J_NNEG) \
	X("document.sha256", doc_sha256, J_STR)
struct plan_row { PLAN_ROW(PLAN_MEMBER) };

/*
 * A content area and an activity: their members, named as their JSON's
 * keys, in the order of PLAN_CONTENT_COLS and PLAN_ACT_COLS (the last
 * ones computed: a content area's unassigned_vnd; an activity's money,
 * only in a plan's list). planned_vnd of a content area, an activity's
 * quantity and beneficiaries: -1 not set (J_NNEG).
 */
#define PLAN_CONTENT_ROW(X) \
	X(year, J_INT) X(code, J_STR) X(title, J_STR) X(description, J_STR) \
	X(planned_vnd, J_NNEG) X(sort_order, J_INT) X(sample, J_BOOL) \
	X(assigned_vnd, J_INT) X(activities, J_INT) X(unassigned_vnd, J_INT)
#define PLAN_ACT_ROW(X) \
	X(id, J_INT) X(year, J_INT) X(content_code, J_STR) X(title, J_STR) \
	X(unit_name, J_STR) X(planned_vnd, J_INT) X(target, J_STR) \
	X(status, J_STR) X(progress, J_INT) X(description, J_STR) \
	X(quantity, J_NNEG) X(unit_measure, J_STR) X(beneficiaries, J_NNEG) \
	X(period_from, J_STR) X(period_to, J_STR) X(sample, J_BOOL) \
	X(allocated_vnd, J_INT) X(disbursed_vnd, J_INT) X(settled_vnd, J_INT)
struct plan_content_row { PLAN_CONTENT_ROW(ROWS_MEMBER) };
struct plan_act_row { PLAN_ACT_ROW(ROWS_MEMBER) };

int	 plan_q_get(struct plan_ctx *, long long year, struct plan_row *);
int	 plan_begin_as(struct plan_ctx *, long long year, const char *status,
	    const char *msg, struct plan_row *);
int	 plan_q_contents(struct plan_ctx *, long long year,
	    struct plan_content_row **out);
int	 plan_q_content(struct plan_ctx *, long long year, const char *code,
	    struct plan_content_row *);
int	 plan_q_acts(struct plan_ctx *, long long year, json_object **out);
int	 plan_lines_refuse(struct plan_ctx *, int stmt, long long key);
int	 plan_balanced(struct plan_ctx *, long long year, long long total);
json_object *plan_row_json(const struct plan_row *);
json_object *plan_content_json(const struct plan_content_row *);
json_object *plan_summary(struct plan_ctx *, long long year);
int	 plan_refuse(struct plan_ctx *, int rc, const char *field,
	    const char *msg);
int	 plan_audit_commit(struct plan_ctx *, const char *action,
	    const char *entity, const char *id, json_object *before,
	    json_object *after);

#endif
