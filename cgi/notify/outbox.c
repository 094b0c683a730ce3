/*
 * outbox: the sender's side of notify_outbox (migration 057). A claim is
 * one UPDATE that stamps due, unclaimed rows with this round's claimer
 * and a lease (autocommit: InnoDB re-reads each row under its lock, so
 * two senders never stamp the same row), then a SELECT of the rows
 * stamped. Each row is then marked sent, or queued again with a later
 * attempt (a delay doubling per attempt up to a maximum), or failed once
 * retry_from is older than the give-up time. Marks name the claimer: a
 * row whose lease lapsed and was taken by another round is left to it.
 */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "notify.h"

#include "sender.h"

enum outbox_stmt {
	S_OUT_CLAIM, S_OUT_CLAIMED, S_OUT_SENT, S_OUT_RETRY, S_OUT_RELEASE,
	S_OUT__MAX
};
static const char *const outbox_sql[S_OUT__MAX] = {
	[S_OUT_CLAIM] =
	    "UPDATE notify_outbox SET claimed_by = ?,"
	    " claim_until = NOW(3) + INTERVAL ? SECOND"
	    " WHERE status = 'queued' AND next_attempt_at <= NOW(3)"
	    " AND (claim_until IS NULL OR claim_until < NOW(3))"
	    " AND ((channel = 'email' AND ? = 1) OR (channel = 'sms' AND ? = 1))"
	    " ORDER BY next_attempt_at, id LIMIT ?",
	[S_OUT_CLAIMED] =
	    "SELECT id, channel, recipient, subject, body, secret, message_id,"
	    " attempts FROM notify_outbox WHERE claimed_by = ?"
	    " AND status = 'queued' ORDER BY next_attempt_at, id",
	[S_OUT_SENT] =
	    "UPDATE notify_outbox SET status = 'sent', sent_at = NOW(3),"
	    " attempts = attempts + 1, secret = NULL, last_error = NULL,"
	    " claimed_by = NULL, claim_until = NULL"
	    " WHERE id = ? AND claimed_by = ?",
	/* Give-up: the IFs read retry_from, which no SET here changes. */
	[S_OUT_RETRY] =
	    "UPDATE notify_outbox SET attempts = attempts + 1,"
	    " last_error = LEFT(?, 500), claimed_by = NULL, claim_until = NULL,"
	    " next_attempt_at = NOW(3) + INTERVAL ? MICROSECOND,"
	    " secret = IF(retry_from + INTERVAL ? SECOND <= NOW(3), NULL,"
	    " secret),"
	    " status = IF(retry_from + INTERVAL ? SECOND <= NOW(3), 'failed',"
	    " 'queued') WHERE id = ? AND claimed_by = ?",
	[S_OUT_RELEASE] =
	    "UPDATE notify_outbox SET claimed_by = NULL, claim_until = NULL"
	    " WHERE claimed_by = ? AND status = 'queued'",
};
static struct db_set outbox_set = DB_SET("notify/outbox", outbox_sql);

/*
 * Claim up to s->batch due rows of the configured channels for claimer:
 * the number claimed with the rows in *rows (arena), or < 0.
 */
int
outbox_claim(struct db *db, struct arena *a, const struct sender *s,
    const char *claimer, struct outbox_row **rows)
{
	struct db_res	*q;
	struct outbox_row *r;
	int		 rc;
	size_t		 i;

	rc = db_sexec(db, &outbox_set, S_OUT_CLAIM, DB_ARGS(DB_STR(claimer),
	    DB_INT(s->claim_s), DB_INT(s->smtp_url != NULL),
	    DB_INT(s->sms_url != NULL), DB_INT(s->batch)));
	if (rc <= 0)
		return rc;
	q = db_squery(db, a, &outbox_set, S_OUT_CLAIMED,
	    DB_ARGS(DB_STR(claimer)));
	if (q == NULL)
		return db_last_error(db);
	*rows = r = arena_alloc(a, (q->rows + 1) * sizeof(*r));
	for (i = 0; db_next(q); i++) {
		r[i].id = db_int(q, 0);
		r[i].channel = db_str(q, 1);
		r[i].recipient = db_str(q, 2);
		r[i].subject = db_str(q, 3);
		r[i].body = db_str(q, 4);
		r[i].secret = db_str(q, 5);
		r[i].message_id = db_str(q, 6);
		r[i].attempts = db_int(q, 7);
	}
	return (int)i;
}

/* Row r accepted by the relay or the gateway: 1 marked, 0 not ours. */
int
outbox_sent(struct db *db, const struct outbox_row *r, const char *claimer)
{
	return db_sexec(db, &outbox_set, S_OUT_SENT, DB_ARGS(DB_INT(r->id),
	    DB_STR(claimer)));
}

/* Row r not delivered: queued again after its delay, or failed. */
int
outbox_retry(struct db *db, const struct sender *s,
    const struct outbox_row *r, const char *claimer, const char *error)
{
	long long	 delay = s->retry_ms;
	long long	 i;

	for (i = 0; i < r->attempts && delay < s->retry_max_ms; i++)
		delay *= 2;
	if (delay > s->retry_max_ms)
		delay = s->retry_max_ms;
	return db_sexec(db, &outbox_set, S_OUT_RETRY, DB_ARGS(DB_STR(error),
	    DB_INT(delay * 1000), DB_INT(s->giveup_s), DB_INT(s->giveup_s),
	    DB_INT(r->id), DB_STR(claimer)));
}

/* The rows of claimer not delivered (a stop, a lease running out). */
int
outbox_release(struct db *db, const char *claimer)
{
	return db_sexec(db, &outbox_set, S_OUT_RELEASE,
	    DB_ARGS(DB_STR(claimer)));
}

/*
 * Row r's body as sent: the status token in place of the link's mark,
 * or, once the token was cleared (a failed row retried), the link
 * without it.
 */
const char *
sender_body(struct arena *a, const struct outbox_row *r)
{
	const char	*mark = strstr(r->body, NOTIFY_TOKEN_MARK);
	const char	*tail;
	size_t		 pre;

	if (mark == NULL)
		return r->body;
	pre = (size_t)(mark - r->body);
	tail = mark + strlen(NOTIFY_TOKEN_MARK);
	if (r->secret != NULL)
		return arena_printf(a, "%.*s%s%s", (int)pre, r->body,
		    r->secret, tail);
	if (pre >= 7 && strncmp(mark - 7, "&token=", 7) == 0)
		pre -= 7;
	return arena_printf(a, "%.*s%s", (int)pre, r->body, tail);
}
