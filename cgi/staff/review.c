/*
 * Review: the staff's steps of an application's review (issue 19).
 *
 *   POST /api/admin/applications/{id}/review    reviewer  {}
 *   POST /api/admin/applications/{id}/ask       reviewer  {message}
 *   POST /api/admin/applications/{id}/approve   reviewer  {approved_vnd, reason?}
 *   POST /api/admin/applications/{id}/reject    reviewer  {reason}
 *   POST /api/admin/applications/{id}/reopen    admin     {reason}
 *
 * Which step may follow which, and who takes it, is the one table of
 * cgi/lib/review.c; review_step() writes the step's event, the new status
 * and the audit row (application.review, .ask, .approve, .reject,
 * .reopen) in the handler's transaction. A step the table does not allow
 * now is 409 with what is allowed; history is never overwritten.
 */
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "review.h"
#include "staff.h"
#include "values.h"

enum review_stmt { S_REVIEW_CALL_MAX, S_REVIEW__MAX };
static const char *const review_sql[S_REVIEW__MAX] = {
	[S_REVIEW_CALL_MAX] =
	    "SELECT max_support_vnd FROM support_call WHERE id = ?",
};
static struct db_set review_set = DB_SET("staff/review", review_sql);

/* The most call id may grant, into *out: 1, or < 0. */
static int
q_call_max(struct req *r, long long call_id, long long *out)
{
	return staff_count(r, &review_set, S_REVIEW_CALL_MAX,
	    DB_ARGS(DB_INT(call_id)), out);
}

enum { DF_APPROVED, DF_REASON, DF_MESSAGE, DF__MAX };
static const struct field step_fields[DF__MAX] = {
	[DF_APPROVED] = { "approved_vnd", F_MONEY, 0, 1, 100000000000LL, NULL },
	[DF_REASON] = { "reason", F_TEXT, 0, 1, 1000, NULL },
	[DF_MESSAGE] = { "message", F_TEXT, 0, 1, 2000, NULL },
};

/* The step's fields, its text into *text: 0, or the 422 written. */
static int
step_input(struct req *r, enum review_action act, struct value *v,
    const char **text)
{
	int	 rc;

	if ((rc = req_fields(r, step_fields, DF__MAX, v)) != 0)
		return rc;
	if ((act == RA_REJECT || act == RA_REOPEN) && !v[DF_REASON].set)
		return staff_invalid(r, "reason", act == RA_REJECT ?
		    "Bắt buộc khi từ chối" : "Bắt buộc khi mở lại quyết định");
	if (act == RA_APPROVE && !v[DF_APPROVED].set)
		return staff_invalid(r, "approved_vnd", "Bắt buộc khi duyệt");
	if (act == RA_ASK && !v[DF_MESSAGE].set)
		return staff_invalid(r, "message", "Ghi rõ thông tin hoặc"
		    " giấy tờ cần bổ sung");
	*text = act == RA_ASK ? v[DF_MESSAGE].s : v[DF_REASON].set ?
	    v[DF_REASON].s : NULL;
	return 0;
}

/*
 * Whether the user may take step act on locked application a now, and
 * an approval within its call's maximum: 0, or the status answered
 * (rolled back: 409, 403, 422).
 */
static int
step_allowed(struct req *r, const struct review_app *a,
    enum review_action act, long long amount)
{
	const struct review_rule	*rule = review_rule(a->status, act);
	unsigned int			 roles = auth_user(r)->roles;
	long long			 callmax;

	if (rule == NULL)
		return staff_fail_conflict(r, review_refusal(r->a, a->status,
		    act, roles));
	if (!review_may(rule, roles)) {
		db_rollback(r->db);
		return resp_fail(r, E_FORBIDDEN,
		    "Tài khoản của bạn không được làm bước này.");
	}
	if (act != RA_APPROVE)
		return 0;
	if (q_call_max(r, a->call_id, &callmax) < 0)
		return staff_fail_db(r);
	if (amount > callmax) {
		db_rollback(r->db);
		return staff_invalid(r, "approved_vnd", arena_printf(r->a,
		    "Vượt mức hỗ trợ tối đa của đợt (%lld đồng)", callmax));
	}
	return 0;
}

/* The 409 of a reopened application whose facility applied again. */
static int
step_twice(struct req *r, const struct review_app *a)
{
	const char	*ref = NULL;

	if (review_active_ref(r->db, r->a, a->call_id, a->facility_id,
	    &ref) < 0)
		ref = NULL;
	return staff_fail_conflict(r, arena_printf(r->a, "Cơ sở này đã có"
	    " hồ sơ khác đang xử lý cho đợt hỗ trợ này%s%s%s: không thể mở"
	    " lại hồ sơ %s.", ref != NULL ? " (" : "", ref != NULL ? ref : "",
	    ref != NULL ? ")" : "", a->ref_code));
}

/*
 * POST /api/admin/applications/{id}/{act}, a staff step, act the last
 * segment of the path:
 *   review                     take it into review;
 *   ask {message}              ask for information;
 *   approve {approved_vnd, reason?};
 *   reject {reason};
 *   reopen {reason} (admin)    a decision back under review.
 * The table allows it from the application's status, the user's role may
 * take it; its event, new status and audit row in one transaction. 200
 * with the audit's after ({ref_code, status, approved_vnd, reason}); 404,
 * 409, 422.
 */
static int
h_step(struct req *r)
{
	struct value		 v[DF__MAX];
	struct review_app	 a;
	struct review_input	 in;
	json_object		*after = NULL;
	long long		 id = staff_param_id(r, 0), amount = 0;
	enum review_action	 act;
	int			 rc;

	act = (enum review_action)values_find(review_action_codes,
	    strrchr(r->path, '/') + 1);
	memset(&in, 0, sizeof(in));
	if ((rc = step_input(r, act, v, &in.text)) != 0)
		return rc;
	if (act == RA_APPROVE) {
		amount = v[DF_APPROVED].i;
		in.amount = &amount;
	}
	in.act = act;
	in.user = auth_user(r);
	in.ip = r->remote_addr;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = review_lock(r->db, r->a, id, &a)) <= 0)
		return staff_tx_absent(r, rc);
	if ((rc = step_allowed(r, &a, act, amount)) != 0)
		return rc;
	if ((rc = review_step(r->db, r->a, &a, &in, NULL, &after)) == DB_EDUP)
		return step_twice(r, &a);
	if (rc < 0 || db_commit(r->db) < 0) {
		json_object_put(after);
		return staff_fail_db(r);
	}
	return resp_json(r, 200, after);
}

const struct route staff_review_routes[] = {
	{ M_POST, "/api/admin/applications/{}/review", h_step, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/ask", h_step, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/approve", h_step, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/reject", h_step, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/reopen", h_step, 0, 0,
	    ROLE_ADMIN },
	ROUTES_END
};
