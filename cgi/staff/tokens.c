/*
 * Tokens: an application's status token reissued, when the applicant
 * lost it or it leaked.
 *
 *   POST /api/admin/applications/{id}/token   reviewer (admin)
 *
 * One transaction: the new token's hash replaces the old one (which
 * stops working at once: the status page compares hashes), the
 * applicant's messages are queued (notify_queue, NOTIFY_TOKEN: the
 * e-mail carries the new link; the SMS only says to read the e-mail or
 * to contact the office) and the audit row (application.token) is
 * written, with the first characters of each hash and never the token.
 * The answer carries the new token once, for staff to hand over when
 * the applicant has no e-mail address.
 */
#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "notify.h"
#include "req.h"
#include "resp.h"
#include "staff.h"
#include "stoken.h"

enum tokens_stmt { S_TOK_LOCK, S_TOK_SET, S_TOK__MAX };
static const char *const tokens_sql[S_TOK__MAX] = {
	[S_TOK_LOCK] =
	    "SELECT id, ref_code, token_hash, facility_name, email, phone"
	    " FROM application WHERE id = ? FOR UPDATE",
	[S_TOK_SET] =
	    "UPDATE application SET token_hash = ? WHERE id = ?",
};
static struct db_set tokens_set = DB_SET("staff/tokens", tokens_sql);

/* The audit trail keeps this much of a hash (hex characters). */
#define HASH_SHOWN	12

/* Application id, locked, as its messages need it; its hash: 1, 0, < 0. */
static int
q_tok_lock(struct req *r, long long id, struct notify_app *m,
    const char **hash)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, &tokens_set, S_TOK_LOCK, DB_ARGS(DB_INT(id)),
	    &q)) <= 0)
		return rc;
	m->id = db_int(q, 0);
	m->ref_code = db_str(q, 1);
	*hash = db_str(q, 2);
	m->facility = db_str(q, 3);
	m->email = db_str(q, 4);
	m->phone = db_str(q, 5);
	return 1;
}

/* Application id's token hash replaced: 0, or < 0. */
static int
q_tok_set(struct req *r, long long id, const char *hash)
{
	int	 rc;

	rc = db_sexec(r->db, &tokens_set, S_TOK_SET, DB_ARGS(DB_STR(hash),
	    DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/* The channels a reissue told the applicant by: {email, sms}. */
static json_object *
notified_json(int sent)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "email",
	    json_object_new_boolean(sent & NOTIFY_EMAIL));
	json_object_object_add(o, "sms",
	    json_object_new_boolean(sent & NOTIFY_SMS));
	return o;
}

/* The audit trail's view: the reference and a hash's first characters. */
static json_object *
tok_json(const char *ref, const char *hash, json_object *notified)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "ref_code", json_object_new_string(ref));
	json_object_object_add(o, "token_hash", json_object_new_string_len(
	    hash, HASH_SHOWN));
	if (notified != NULL)
		json_object_object_add(o, "notified", notified);
	return o;
}

/*
 * POST /api/admin/applications/{id}/token (reviewer) → 200 {id,
 * ref_code, status_token, notified: {email, sms}}; the old token no
 * longer opens the status page. 404.
 */
static int
h_tokens_reissue(struct req *r)
{
	struct notify_app	 m = { 0 };
	json_object		*body;
	const char		*old, *token, *hash;
	long long		 id = staff_param_id(r, 0);
	int			 rc, sent;

	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_tok_lock(r, id, &m, &old)) <= 0)
		return staff_tx_absent(r, rc);
	stoken_new(r->a, &token, &hash);
	m.token = token;
	if (q_tok_set(r, id, hash) < 0 ||
	    (sent = notify_queue(r->db, r->a, NOTIFY_TOKEN, &m)) < 0)
		return staff_fail_db(r);
	body = json_object_new_object();
	json_object_object_add(body, "id", json_object_new_int64(id));
	json_object_object_add(body, "ref_code",
	    json_object_new_string(m.ref_code));
	json_object_object_add(body, "status_token",
	    json_object_new_string(token));
	json_object_object_add(body, "notified", notified_json(sent));
	return staff_commit_audited(r, "application.token", "application",
	    staff_id_text(r, id), tok_json(m.ref_code, old, NULL),
	    tok_json(m.ref_code, hash, notified_json(sent)), 200, body);
}

const struct route staff_tokens_routes[] = {
	{ M_POST, "/api/admin/applications/{}/token", h_tokens_reissue, 0, 0,
	    ROLE_REVIEWER },
	ROUTES_END
};
