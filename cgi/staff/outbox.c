/*
 * Outbox: the applicants' messages (notify_outbox, migration 057) as
 * staff see them, and a failed message sent again.
 *
 *   GET  /api/admin/outbox[.csv]        admin, reviewer, auditor
 *   POST /api/admin/outbox/{id}/retry   admin
 *
 * Rows are written by notify_queue (cgi/lib/notify.c) and delivered by
 * kc-notify; a row the sender gave up on is "failed" with its last
 * error. A retry puts it back in the queue with a new give-up period
 * (retry_from), in one transaction with its audit row (outbox.retry).
 * The status token a message may carry (secret) is never shown.
 */
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"

#define OUT_COLS \
	"o.id, o.application_id, a.ref_code, o.event, o.channel," \
	" o.recipient, o.subject, o.body, o.message_id, o.status," \
	" o.attempts, o.last_error, " SQL_ISO("o.created_at") ", " \
	SQL_ISO("o.next_attempt_at") ", " SQL_ISO("o.sent_at")
#define OUT_FILTER \
	" WHERE (? IS NULL OR o.status = ?) AND (? IS NULL OR" \
	" o.application_id = ?)"

enum outbox_stmt {
	S_OUT_LIST, S_OUT_COUNT, S_OUT_LOCK, S_OUT_REQUEUE, S_OUT__MAX
};
static const char *const outbox_sql[S_OUT__MAX] = {
	[S_OUT_LIST] =
	    "SELECT " OUT_COLS " FROM notify_outbox o"
	    " JOIN application a ON a.id = o.application_id" OUT_FILTER
	    " ORDER BY o.id DESC LIMIT ? OFFSET ?",
	[S_OUT_COUNT] =
	    "SELECT COUNT(*) FROM notify_outbox o" OUT_FILTER,
	[S_OUT_LOCK] =
	    "SELECT o.id, o.application_id, o.channel, o.status, o.attempts,"
	    " o.last_error FROM notify_outbox o WHERE o.id = ? FOR UPDATE",
	[S_OUT_REQUEUE] =
	    "UPDATE notify_outbox SET status = 'queued', attempts = 0,"
	    " next_attempt_at = NOW(3), retry_from = NOW(3),"
	    " claimed_by = NULL, claim_until = NULL WHERE id = ?",
};
static struct db_set outbox_set = DB_SET("staff/outbox", outbox_sql);

/* A message as the API shows it. */
static const char *const out_cols[] = { "#id", "#application_id",
	"ref_code", "event", "channel", "recipient", "subject", "body",
	"message_id", "status", "#attempts", "last_error", "created_at",
	"next_attempt_at", "sent_at" };
static const struct csv_col out_csv[] = {
	{ "id", "id" }, { "application_id", "application_id" },
	{ "ref_code", "ref_code" }, { "event", "event" },
	{ "channel", "channel" }, { "recipient", "recipient" },
	{ "status", "status" }, { "attempts", "attempts" },
	{ "last_error", "last_error" }, { "created_at", "created_at" },
	{ "sent_at", "sent_at" },
};

/* A message locked for a retry, as S_OUT_LOCK selects it and the audit
 * trail keeps it. */
#define OUT_LOCK_COLS(X) \
	X(id, J_INT) X(application_id, J_INT) X(channel, J_STR) \
	X(status, J_STR) X(attempts, J_INT) X(last_error, J_STR)
struct out_lock { OUT_LOCK_COLS(ROWS_MEMBER) };
#define OUT_LOCK_JCOL(m, t)	JCOL(#m, out_lock, m, t),
static const struct jcol out_lock_cols[] = { OUT_LOCK_COLS(OUT_LOCK_JCOL) };

enum { OF_STATUS, OF_APP, OF__MAX };
#define OUT_ARGS(v) \
	staff_pstr(&(v)[OF_STATUS]), staff_pstr(&(v)[OF_STATUS]), \
	staff_pint(&(v)[OF_APP]), staff_pint(&(v)[OF_APP])

/* A page of the outbox under filter v, newest first: 1, or < 0. */
static int
q_out_list(struct req *r, const struct value *v, long long page,
    long long per, json_object **out, long long *total)
{
	int	 rc;

	if ((rc = staff_count(r, &outbox_set, S_OUT_COUNT,
	    DB_ARGS(OUT_ARGS(v)), total)) < 0)
		return rc;
	rc = staff_rows(r, &outbox_set, S_OUT_LIST, DB_ARGS(OUT_ARGS(v),
	    DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 :
	    (page - 1) * per)), out_cols, NELEM(out_cols), out);
	return rc < 0 ? rc : 1;
}

/* Message id back in the queue: 0, or < 0. */
static int
q_out_requeue(struct req *r, long long id)
{
	int	 rc;

	rc = db_sexec(r->db, &outbox_set, S_OUT_REQUEUE, DB_ARGS(DB_INT(id)));
	return rc < 0 ? rc : 0;
}

static const char *
check_out_status(struct req *r, struct value *v)
{
	(void)r;
	if (strcmp(v->s, "queued") == 0 || strcmp(v->s, "sent") == 0 ||
	    strcmp(v->s, "failed") == 0)
		return NULL;
	return "Trạng thái không hợp lệ (queued, sent, failed)";
}

static const struct field out_filter[OF__MAX] = {
	[OF_STATUS] = { "status", F_STR, 0, 1, 10, check_out_status },
	[OF_APP] = { "application", F_INT, 0, 1, 1LL << 53, NULL },
};

/*
 * GET /api/admin/outbox[.csv]?status=&application=&page=&per_page=
 * (admin, reviewer, auditor) → the messages, newest first; 422.
 */
static int
h_outbox_list(struct req *r)
{
	struct value	 v[OF__MAX];
	json_object	*items;
	long long	 page, per, total;
	int		 rc;

	if ((rc = req_fields(r, out_filter, OF__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per)) != 0)
		return rc;
	if (q_out_list(r, v, page, per, &items, &total) < 0)
		return resp_db(r);
	return resp_list(r, items, total, page, per, "outbox", out_csv,
	    NELEM(out_csv));
}

/* The audit trail's view of message o with status and attempts. */
static json_object *
out_json(struct out_lock o, const char *status, long long attempts)
{
	o.status = status;
	o.attempts = attempts;
	return rows_object(&o, out_lock_cols, NELEM(out_lock_cols));
}

/*
 * POST /api/admin/outbox/{id}/retry (admin) → 200 the message queued
 * again (attempts from 0, a new give-up period); 409 unless it failed;
 * 404.
 */
static int
h_outbox_retry(struct req *r)
{
	struct out_lock	 o;
	long long	 id = staff_param_id(r, 0);
	int		 rc;

	if ((rc = staff_begin_get(r, &outbox_set, S_OUT_LOCK, id,
	    out_lock_cols, NELEM(out_lock_cols), &o)) != 0)
		return rc;
	if (strcmp(o.status, "failed") != 0)
		return staff_fail_conflict(r, "Chỉ gửi lại được thông báo đã"
		    " gửi không thành công.");
	if (q_out_requeue(r, id) < 0)
		return staff_fail_db(r);
	return staff_commit_audited(r, "outbox.retry", "notify_outbox",
	    staff_id_text(r, id), out_json(o, o.status, o.attempts),
	    out_json(o, "queued", 0), 200, out_json(o, "queued", 0));
}

const struct route staff_outbox_routes[] = {
	{ M_GET, "/api/admin/outbox", h_outbox_list, R_CSV, 0,
	    ROLE_ADMIN | ROLE_REVIEWER | STAFF_RD },
	{ M_POST, "/api/admin/outbox/{}/retry", h_outbox_retry, 0, 0,
	    ROLE_ADMIN },
	ROUTES_END
};
