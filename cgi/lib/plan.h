/*
 * plan: a year's plan, its content areas and its activities, drafted,
 * published and amended (issue 18). The one owner of their statements:
 * the staff console (kc-staff) and the sample loader (kc-admin plan-load)
 * both go through these functions, so both get the same rules and the
 * same audit rows.
 *
 * Rules. A draft may be changed freely and out of balance, and deleted
 * with its content areas and activities. Publishing requires content
 * areas whose planned amounts add up to the total and, in each area,
 * activities that fit its amount. A published plan's figures (total, a
 * content area's amount, a new content area) change only by an amendment,
 * which records its decision and the figures before and after and must
 * leave the plan balanced; its texts, and its activities (added, edited,
 * status and progress), change within their content area's amount (an
 * activity added or raised beyond what its area has unassigned is
 * refused: the area grows by an amendment); nothing of it is deleted (an
 * activity is cancelled by its status). In any plan an activity's budget
 * stays at least what is allocated to it (ledger.h's rule). The
 * decision's document (a PDF) is set or replaced in a draft or a
 * published plan, and removed only from a draft.
 *
 * Every function runs its own transaction and writes its audit row (before
 * and after) in it. Returns: >= 0 done; PLAN_ENOTFOUND; PLAN_EREFUSED (a
 * 409: ctx->msg says why, in Vietnamese); PLAN_EINVALID (a 422 of field
 * ctx->field, message ctx->msg); or a DB_E* code (db.h).
 */
#ifndef KC_PLAN_H
#define KC_PLAN_H

#include <stdio.h>

#include <json-c/json.h>

struct arena;
struct auth_user;
struct db;

/* The approving decision's document: a PDF of at most 10 MB. */
#define PLAN_DOC_MAX	(10u << 20)

/*
 * A plan's approving decision: the first members and columns (rows.h) of
 * every row about a plan, the staff's (plan_int.h) and the public's
 * (kc-dashboard), as X(JSON path, member, kind).
 */
#define PLAN_DECISION(X) \
	X("year", year, J_INT) X("title", title, J_STR) \
	X("total_vnd", total_vnd, J_INT) X("decision_no", decision_no, J_STR) \
	X("decision_date", decision_date, J_STR) \
	X("approved_by", approved_by, J_STR)
#define PLAN_MEMBER(path, m, t)	ROWS_MEMBER(m, t)

enum plan_err {
	PLAN_ENOTFOUND = -10,
	PLAN_EREFUSED = -11,
	PLAN_EINVALID = -12,
};

struct plan_ctx {
	struct db		*db;
	struct arena		*a;
	const struct auth_user	*user;	/* who, for the audit rows */
	const char		*ip;	/* may be NULL */
	const char		*field;	/* out: the field at fault (422) */
	const char		*msg;	/* out: why it was refused */
};

/* NULL strings are SQL NULL; a negative number is "none" (NULL). */
struct plan_in {
	long long	 year;
	const char	*title;
	long long	 total_vnd;
	const char	*decision_no, *decision_date, *approved_by;
	const char	*source, *notes;
	int		 sample;	/* wholly sample data (loader) */
};

struct plan_content_in {
	const char	*code, *title, *description;
	long long	 planned_vnd;	/* < 0: not set */
	long long	 sort_order;	/* < 0: after the others */
	int		 sample;	/* the amount is the sample's */
};

struct plan_act_in {
	long long	 year;
	const char	*content_code, *title, *unit_name;
	long long	 planned_vnd;
	const char	*target, *description;
	long long	 quantity;	/* < 0: none */
	const char	*unit_measure;
	long long	 beneficiaries;	/* < 0: none */
	const char	*period_from, *period_to;	/* YYYY-MM-DD */
	const char	*status;	/* NULL: planned */
	long long	 progress;	/* < 0: 0 */
	int		 sample;
};

/* A decision's document, stored already (files.h): its content's hash. */
struct plan_doc_in {
	const char	*sha256;	/* 64 hex digits */
	const char	*name;		/* as uploaded, cleaned */
	long long	 size;
};

struct plan_amend_in {
	const char	*decision_no, *decision_date, *reason;
	long long	 total_vnd;	/* < 0: unchanged */
	size_t		 ncontents;	/* content areas' new amounts */
	const char	**codes;
	const char	**titles;	/* for a new area; NULL entries kept */
	long long	*amounts;
};

/* Reads (no transaction of their own). */
int	 plan_list(struct plan_ctx *, json_object **out);
int	 plan_get(struct plan_ctx *, long long year, json_object **out);
int	 plan_act_get(struct plan_ctx *, long long id, json_object **out);
int	 plan_act_lock(struct plan_ctx *, long long id);

/* Changes: each one transaction with its audit row. */
int	 plan_create(struct plan_ctx *, const struct plan_in *,
	    json_object **out);
int	 plan_update(struct plan_ctx *, const struct plan_in *,
	    json_object **out);
int	 plan_delete(struct plan_ctx *, long long year);
int	 plan_publish(struct plan_ctx *, long long year, json_object **out);
int	 plan_amend(struct plan_ctx *, long long year,
	    const struct plan_amend_in *, json_object **out);
int	 plan_content_put(struct plan_ctx *, long long year,
	    const struct plan_content_in *, json_object **out);
int	 plan_content_delete(struct plan_ctx *, long long year,
	    const char *code);
int	 plan_act_save(struct plan_ctx *, long long *id,
	    const struct plan_act_in *, json_object **out);
int	 plan_act_delete(struct plan_ctx *, long long id);
int	 plan_doc_set(struct plan_ctx *, long long year,
	    const struct plan_doc_in *, json_object **out);
int	 plan_doc_get(struct plan_ctx *, long long year, const char **sha256,
	    const char **name);

/* A plan described in a JSON file (plan_load.c): 0, 1 there, < 0. */
int	 plan_load_file(struct plan_ctx *, const char *path, FILE *err);

/* A content-area code as decisions write them: NULL if fine, or why not. */
const char *plan_code_check(const char *);
/* n đồng as the pages write it: "2.080.000.000 đ". */
const char *plan_vnd(struct arena *, long long n);

#endif
