/*
 * kc-staff: what its resource files share. Each file (sessions.c,
 * users.c, calls.c, applications.c, review.c, plans.c, decision.c,
 * activities.c, lines.c,
 * facilities.c, audit.c) holds
 * one resource: its statements, typed queries, fields, handlers and
 * route table; main.c lists the tables. The helpers here are this
 * program's: rows to JSON by a column list, the answers of a failed
 * step inside a transaction, and the audited commit.
 */
#ifndef KC_STAFF_H
#define KC_STAFF_H

#include <stddef.h>

#include <json-c/json.h>

#include "app.h"
#include "db.h"
#include "rows.h"

struct plan_ctx;
struct req;
struct value;

/* The resources' route tables, each ended by ROUTES_END. */
extern const struct route staff_sessions_routes[];
extern const struct route staff_users_routes[];
extern const struct route staff_calls_routes[];
extern const struct route staff_applications_routes[];
extern const struct route staff_plans_routes[];
extern const struct route staff_decision_routes[];
extern const struct route staff_activities_routes[];
extern const struct route staff_review_routes[];
extern const struct route staff_lines_routes[];
extern const struct route staff_facilities_routes[];
extern const struct route staff_audit_routes[];
extern const struct route staff_curate_routes[];
extern const struct route staff_undo_routes[];
extern const struct route staff_outbox_routes[];
extern const struct route staff_tokens_routes[];
extern const struct route staff_correct_routes[];
extern const struct route staff_fmerge_routes[];

/* Auditors read everything: the read routes add this role. */
#define STAFF_RD	ROLE_AUDITOR

/* A DATE column as YYYY-MM-DD, in SQL. */
#define SQL_YMD(col)	"DATE_FORMAT(" col ", '%Y-%m-%d')"

/*
 * Column lists: the JSON name of each selected column, with a prefix
 * for its type: '#' integer, '?' boolean, '*' comma list (a SET) as an
 * array, '$' JSON text, none: string. SQL NULL is JSON null. Used by
 * budget.c, lines.c and applications.c only, and gone when they make
 * JSON through rows.h's column lists (struct jcol) as the others do.
 */
json_object	*staff_row_json(struct db_res *, const char *const *cols,
		    size_t n);
int		 staff_first(struct req *, struct db_set *, int stmt,
		    const struct db_param *, size_t, struct db_res **out);
int		 staff_row(struct req *, struct db_set *, int stmt,
		    const struct db_param *, size_t, const char *const *cols,
		    size_t n, json_object **out);
int		 staff_rows(struct req *, struct db_set *, int stmt,
		    const struct db_param *, size_t, const char *const *cols,
		    size_t n, json_object **out);
int		 staff_items(struct req *, struct db_set *, int stmt,
		    const struct db_param *, size_t, const char *const *cols,
		    size_t n);
int		 staff_count(struct req *, struct db_set *, int stmt,
		    const struct db_param *, size_t, long long *out);
int		 staff_db_error(const struct req *);

/* A field's value as a parameter: SQL NULL when it was not given. */
struct db_param	 staff_pint(const struct value *);
struct db_param	 staff_pstr(const struct value *);
const char	*staff_vstr(const struct value *);
long long	 staff_vint(const struct value *, long long none);
json_object	*staff_deleted_json(const char *key, long long id,
		    const char *code);
const char	*staff_id_text(struct req *, long long);
long long	 staff_param_id(struct req *, size_t);
int		 staff_json_flag(json_object *, const char *key);
json_object	*staff_merge_json(long long id, const char *kept,
		    const char *merged);

/* Answers, each returning the status it wrote. */
int		 staff_not_found(struct req *);
int		 staff_absent(struct req *, int rc);
int		 staff_fail_db(struct req *);
int		 staff_tx_absent(struct req *, int rc);
int		 staff_begin_lock(struct req *, struct db_set *, int stmt,
		    long long id, struct db_res **);
int		 staff_begin_get(struct req *, struct db_set *, int stmt,
		    long long id, const struct jcol *, size_t, void *row);
int		 staff_get_pair(struct req *, struct db_set *, int stmt,
		    const struct jcol *, size_t, long long ia, void *ra,
		    long long ib, void *rb);
int		 staff_fail_conflict(struct req *, const char *message);
int		 staff_invalid(struct req *, const char *field,
		    const char *message);
int		 staff_commit_audited(struct req *, const char *action,
		    const char *entity, const char *id, json_object *before,
		    json_object *after, int status, json_object *body);

/* A merge of two products or two facilities as its lock statement
 * selects it: id, kept_id, merged_id, pair_id (NULL for facilities),
 * undone_at. */
#define STAFF_MERGE_COLS(X) \
	X(id, J_INT) X(kept_id, J_INT) X(merged_id, J_INT) X(pair_id, J_ID) \
	X(undone_at, J_STR)
struct staff_merge { STAFF_MERGE_COLS(ROWS_MEMBER) };
int		 staff_begin_undo(struct req *, struct db_set *, int stmt,
		    long long id, struct staff_merge *);

/* Shared between resources. */
const char	*staff_check_username(struct req *, struct value *);
int		 staff_activity_lock(struct req *, long long id);
int		 staff_lines_add(struct req *, json_object *o, long long id);
int		 staff_conflicts_reply(struct req *, const char *message,
		    json_object *list);
long long	 staff_product_merge(struct req *, long long mid,
		    long long kid);
int		 staff_product_unmerge(struct req *, long long id,
		    json_object **conflicts);
void		 staff_plan_ctx(struct req *, struct plan_ctx *);
int		 staff_plan_fail(struct req *, const struct plan_ctx *, int rc);
int		 staff_plan_delete(struct req *);
int		 staff_plan_answer(struct req *, const struct plan_ctx *, int rc,
		    int status, json_object *);

#endif
