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
#include "rows.h"
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

/* Application id locked (S_TOK_LOCK): as its messages need it, its hash. */
struct tok_lock {
	struct notify_app	 m;
	const char		*hash;
};
static const struct jcol tok_lock_cols[] = {
	JCOL("id", tok_lock, m.id, J_INT),
	JCOL("ref_code", tok_lock, m.ref_code, J_STR),
	JCOL("token_hash", tok_lock, hash, J_STR),
	JCOL("facility_name", tok_lock, m.facility, J_STR),
	JCOL("email", tok_lock, m.email, J_STR),
	JCOL("phone", tok_lock, m.phone, J_STR),
};

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
	struct tok_lock		 t = { 0 };
	struct notify_app	*m = &t.m;
	json_object		*body;
	const char		*token, *hash;
	long long		 id = staff_param_id(r, 0);
	int			 rc, sent;

	if ((rc = staff_begin_get(r, &tokens_set, S_TOK_LOCK, id,
	    tok_lock_cols, NELEM(tok_lock_cols), &t)) != 0)
		return rc;
	stoken_new(r->a, &token, &hash);
	m->token = token;
	if (q_tok_set(r, id, hash) < 0 ||
	    (sent = notify_queue(r->db, r->a, NOTIFY_TOKEN, m)) < 0)
		return staff_fail_db(r);
	body = json_object_new_object();
	json_object_object_add(body, "id", json_object_new_int64(id));
	json_object_object_add(body, "ref_code",
	    json_object_new_string(m->ref_code));
	json_object_object_add(body, "status_token",
	    json_object_new_string(token));
	json_object_object_add(body, "notified", notified_json(sent));
	return staff_commit_audited(r, "application.token", "application",
	    staff_id_text(r, id), tok_json(m->ref_code, t.hash, NULL),
	    tok_json(m->ref_code, hash, notified_json(sent)), 200, body);
}

const struct route staff_tokens_routes[] = {
	{ M_POST, "/api/admin/applications/{}/token", h_tokens_reissue, 0, 0,
	    ROLE_REVIEWER },
	ROUTES_END
};
