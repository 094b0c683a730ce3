/*
 * review: the steps of an application's review. See review.h.
 */
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "notify.h"
#include "resp.h"
#include "review.h"
#include "rows.h"
#include "values.h"

enum review_stmt {
	S_REVIEW_LOCK, S_REVIEW_LOCK_REF, S_REVIEW_EVENT, S_REVIEW_SET,
	S_REVIEW_ACTIVE, S_REVIEW__MAX
};
#define LOCK_COLS \
	"SELECT id, ref_code, status, approved_vnd, call_id, facility_id," \
	" facility_name, "
static const char *const review_sql[S_REVIEW__MAX] = {
	/* Staff (kc_staff): with the contact details, for notify_queue. */
	[S_REVIEW_LOCK] = LOCK_COLS "email, phone FROM application"
	    " WHERE id = ? FOR UPDATE",
	/* The applicant (kc_public may not read the contact details). */
	[S_REVIEW_LOCK_REF] = LOCK_COLS "NULL, NULL FROM application"
	    " WHERE ref_code = ? FOR UPDATE",
	[S_REVIEW_EVENT] =
	    "INSERT INTO application_event (application_id, status, action,"
	    " reason, amount_vnd, actor) VALUES (?, ?, ?, ?, ?, ?)",
	[S_REVIEW_SET] =
	    "UPDATE application SET status = ?, approved_vnd = ? WHERE id = ?",
	[S_REVIEW_ACTIVE] =
	    "SELECT ref_code FROM application WHERE call_id = ?"
	    " AND facility_id = ? AND live = 1",
};
static struct db_set review_set = DB_SET("lib/review", review_sql);

#define R_STAFF		ROLE_REVIEWER
#define R_ADMIN		ROLE_ADMIN
#define R_APPL		REVIEW_BY_APPLICANT

#define FROM(st)	(1U << (st))
#define OPEN_STATUSES \
	(FROM(APP_SUBMITTED) | FROM(APP_UNDER_REVIEW) | FROM(APP_NEEDS_INFO))

/* The allowed transitions, one per action: the one table. Anything else
 * is refused. */
static const struct review_rule rules[RA__MAX] = {
	[RA_REVIEW] = { FROM(APP_SUBMITTED), RA_REVIEW, APP_UNDER_REVIEW,
	    R_STAFF },
	[RA_ASK] = { FROM(APP_UNDER_REVIEW), RA_ASK, APP_NEEDS_INFO, R_STAFF },
	[RA_ANSWER] = { FROM(APP_NEEDS_INFO), RA_ANSWER, APP_UNDER_REVIEW,
	    R_APPL },
	[RA_APPROVE] = { FROM(APP_SUBMITTED) | FROM(APP_UNDER_REVIEW),
	    RA_APPROVE, APP_APPROVED, R_STAFF },
	[RA_REJECT] = { OPEN_STATUSES, RA_REJECT, APP_REJECTED, R_STAFF },
	[RA_WITHDRAW] = { OPEN_STATUSES, RA_WITHDRAW, APP_WITHDRAWN, R_APPL },
	[RA_REOPEN] = { FROM(APP_APPROVED) | FROM(APP_REJECTED), RA_REOPEN,
	    APP_UNDER_REVIEW, R_ADMIN },
};

#define ACTION_CODE(id, code, label)	code,
#define ACTION_LABEL(id, code, label)	label,
#define STATUS_LABEL(id, code, label)	label,
const char *const review_action_codes[] = {
	REVIEW_ACTIONS(ACTION_CODE) NULL
};
static const char *const action_labels[] = { REVIEW_ACTIONS(ACTION_LABEL) };
static const char *const status_labels[] = { APP_STATUSES(STATUS_LABEL) };
static const char *const audit_actions[] = {
	[RA_REVIEW] = "application.review", [RA_ASK] = "application.ask",
	[RA_ANSWER] = "application.answer",
	[RA_APPROVE] = "application.approve",
	[RA_REJECT] = "application.reject",
	[RA_WITHDRAW] = "application.withdraw",
	[RA_REOPEN] = "application.reopen",
};

/* The rule of action act from status from, or NULL: not allowed. */
const struct review_rule *
review_rule(enum app_status from, enum review_action act)
{
	if (act >= RA__MAX || from >= APP__MAX ||
	    (rules[act].from & FROM(from)) == 0)
		return NULL;
	return &rules[act];
}

/*
 * May who (ROLE_* bits of a staff user, or REVIEW_BY_APPLICANT) take the
 * step of rule? Admin takes every staff step; only the applicant takes
 * the applicant's.
 */
int
review_may(const struct review_rule *rule, unsigned int who)
{
	if (rule == NULL)
		return 0;
	if (rule->who == R_APPL || who == R_APPL)
		return rule->who == who;
	return (who & ROLE_ADMIN) != 0 || (who & rule->who) != 0;
}

const char *
review_status_label(enum app_status s)
{
	return s < APP__MAX ? status_labels[s] : "";
}

/*
 * Why act is refused in status from, in Vietnamese, with the steps who
 * may take now ("Lúc này có thể: …").
 */
const char *
review_refusal(struct arena *a, enum app_status from, enum review_action act,
    unsigned int who)
{
	const char	*now = NULL;
	size_t		 i;

	for (i = 0; i < NELEM(rules); i++) {
		if ((rules[i].from & FROM(from)) == 0 ||
		    !review_may(&rules[i], who))
			continue;
		now = now == NULL ? action_labels[rules[i].act] :
		    arena_printf(a, "%s, %s", now, action_labels[rules[i].act]);
	}
	return arena_printf(a, "Hồ sơ đang ở trạng thái «%s»: không thể %s."
	    " %s%s%s", review_status_label(from), action_labels[act],
	    now != NULL ? "Lúc này có thể: " : "Lúc này không còn bước nào"
	    " có thể làm với hồ sơ", now != NULL ? now : "", ".");
}

/* The columns of a lock statement, in its order. */
static const struct jcol lock_cols[] = {
	JCOL("id", review_app, id, J_INT),
	JCOL("ref_code", review_app, ref_code, J_STR),
	JCOL("status", review_app, status_code, J_STR),
	JCOL("approved_vnd", review_app, approved_vnd, J_NINT),
	JCOL("call_id", review_app, call_id, J_INT),
	JCOL("facility_id", review_app, facility_id, J_INT),
	JCOL("facility_name", review_app, facility_name, J_STR),
	JCOL("email", review_app, email, J_STR),
	JCOL("phone", review_app, phone, J_STR),
};
static const struct jcol ref_col[] = { { "ref_code", 0, J_STR } };

/* The first row of a lock statement into *out: 1, 0, or < 0. */
static int
lock_row(struct db *db, struct arena *a, int stmt, struct db_param p,
    struct review_app *out)
{
	int		 rc, st;

	memset(out, 0, sizeof(*out));
	if ((rc = rows_get(db, a, &review_set, stmt, &p, 1, lock_cols,
	    NELEM(lock_cols), out)) <= 0)
		return rc;
	if ((st = values_find(values_app_statuses, out->status_code)) < 0)
		return DB_EFAIL;
	out->status = (enum app_status)st;
	return 1;
}

/* Application id, locked for a step (in a transaction): 1, 0, or < 0. */
int
review_lock(struct db *db, struct arena *a, long long id,
    struct review_app *out)
{
	return lock_row(db, a, S_REVIEW_LOCK, DB_INT(id), out);
}

/* The same by reference code. */
int
review_lock_ref(struct db *db, struct arena *a, const char *ref,
    struct review_app *out)
{
	return lock_row(db, a, S_REVIEW_LOCK_REF, DB_STR(ref), out);
}

/*
 * The reference code of the active application (neither rejected nor
 * withdrawn) of facility to call: 1 and *ref, 0, or < 0.
 */
int
review_active_ref(struct db *db, struct arena *a, long long call_id,
    long long facility_id, const char **ref)
{
	return rows_get(db, a, &review_set, S_REVIEW_ACTIVE,
	    DB_ARGS(DB_INT(call_id), DB_INT(facility_id)), ref_col,
	    NELEM(ref_col), ref);
}

/* The applicant told of a's new status to (notify.h, the outbox), in the
 * step's transaction: 0, or < 0. */
static int
step_notify(struct db *db, struct arena *ar, const struct review_app *a,
    enum app_status to, const char *text)
{
	struct notify_app	 m = {
		.id = a->id, .ref_code = a->ref_code,
		.facility = a->facility_name, .email = a->email,
		.phone = a->phone, .status = values_app_statuses[to],
		.reason = text,
	};
	int			 rc = notify_queue(db, ar, NOTIFY_STATUS, &m);

	return rc < 0 ? rc : 0;
}

/* An application as the audit trail keeps it, with reason when given. */
static json_object *
audit_json(const char *ref, enum app_status st, int has_amount,
    long long amount, int with_reason, const char *reason)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "ref_code", json_object_new_string(ref));
	json_object_object_add(o, "status",
	    json_object_new_string(values_app_statuses[st]));
	json_object_object_add(o, "approved_vnd", has_amount ?
	    json_object_new_int64(amount) : NULL);
	if (with_reason)
		json_object_object_add(o, "reason", resp_jstr(reason));
	return o;
}

/*
 * Take step in of locked application a, allowed by the table (the
 * caller checked review_rule and review_may), inside the caller's
 * transaction: the event row (its id into *event_id), the new status
 * (approved_vnd: the amount of an approval, else NULL), the applicant's
 * messages of a staff step (notify_queue: the outbox) and the audit
 * row (a staff step's here; the applicant's by migration 056's trigger
 * on the event, which is why the event goes first); the audit's after into *out when out is not NULL (the caller
 * owns it). 0, or a DB_E* code (DB_EDUP: the step would make a second active
 * application of the facility to the call). The caller commits.
 */
int
review_step(struct db *db, struct arena *ar, const struct review_app *a,
    const struct review_input *in, long long *event_id, json_object **out)
{
	const struct review_rule *rule = review_rule(a->status, in->act);
	struct db_param		 amt = in->amount != NULL ?
				    DB_INT(*in->amount) : DB_NULL;
	json_object		*before, *after;
	const char		*to;
	int			 rc;

	if (rule == NULL)
		return DB_EFAIL;
	to = values_app_statuses[rule->to];
	rc = db_sexec(db, &review_set, S_REVIEW_EVENT, DB_ARGS(DB_INT(a->id),
	    DB_STR(to), DB_STR(review_action_codes[in->act]),
	    DB_STR(in->text), amt, in->user != NULL ? DB_INT(in->user->id) :
	    DB_NULL));
	if (rc < 0)
		return rc;
	if (event_id != NULL)
		*event_id = db_insert_id(db);
	if ((rc = db_sexec(db, &review_set, S_REVIEW_SET, DB_ARGS(DB_STR(to),
	    amt, DB_INT(a->id)))) < 0)
		return rc;
	/* The applicant's audit row: migration 056's trigger, on the event;
	 * the applicant is not sent a message about their own step. */
	if (in->user == NULL)
		return 0;
	if ((rc = step_notify(db, ar, a, rule->to, in->text)) < 0)
		return rc;
	before = audit_json(a->ref_code, a->status, a->approved_vnd.set,
	    a->approved_vnd.v, 0, NULL);
	after = audit_json(a->ref_code, rule->to, in->amount != NULL,
	    in->amount != NULL ? *in->amount : 0, 1, in->text);
	rc = audit_write_db(db, in->user, in->ip, audit_actions[in->act],
	    "application", arena_printf(ar, "%lld", a->id), before, after);
	json_object_put(before);
	if (out != NULL && rc >= 0)
		*out = after;
	else
		json_object_put(after);
	return rc < 0 ? rc : 0;
}
