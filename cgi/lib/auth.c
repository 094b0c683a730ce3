/*
 * auth: sessions, roles, CSRF, password hashes and the audit trail.
 * See auth.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "values.h"

enum auth_stmt {
	S_AUTH_SESSION, S_AUTH_TOUCH, S_AUTH_AUDIT, S_AUTH_USER_ADD,
	S_AUTH_SESSIONS_END, S_AUTH_THROTTLE_CLEAR, S_AUTH__MAX
};
static const char *const auth_sql[S_AUTH__MAX] = {
	[S_AUTH_SESSION] =
	    "SELECT s.id, u.id, u.username, u.roles + 0, s.csrf_token,"
	    " u.display_name, u.totp_enabled_at IS NOT NULL,"
	    " (s.enrol_only = 1 OR ((u.roles + 0) & ? <> 0"
	    " AND u.totp_enabled_at IS NULL)) FROM staff_session s"
	    " JOIN staff_user u ON u.id = s.user_id"
	    " WHERE s.token_hash = ? AND s.ended_at IS NULL"
	    " AND s.idle_expires_at > NOW(3) AND s.expires_at > NOW(3)"
	    " AND u.disabled = 0",
	[S_AUTH_TOUCH] =
	    "UPDATE staff_session SET last_seen_at = NOW(3),"
	    " idle_expires_at = LEAST(expires_at, NOW(3) + INTERVAL ? SECOND)"
	    " WHERE id = ?",
	[S_AUTH_AUDIT] =
	    "INSERT INTO audit_log (user_id, username, ip, action, entity,"
	    " entity_id, before_json, after_json)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[S_AUTH_USER_ADD] =
	    "INSERT INTO staff_user (username, display_name, password_hash,"
	    " roles) VALUES (?, ?, ?, ?)",
	[S_AUTH_SESSIONS_END] =
	    "UPDATE staff_session SET ended_at = NOW(3)"
	    " WHERE user_id = ? AND ended_at IS NULL",
	[S_AUTH_THROTTLE_CLEAR] =
	    "DELETE FROM staff_login_throttle WHERE username = ?",
};
static struct db_set auth_set = DB_SET("auth", auth_sql);

/* libsodium must be initialised once per process: 0, or -1. */
int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

/* Is token the shape of one of ours (43 base64url characters)? */
int
auth_token_valid(const char *token)
{
	size_t	 i;

	if (token == NULL || strlen(token) != AUTH_TOKEN_LEN)
		return 0;
	for (i = 0; i < AUTH_TOKEN_LEN; i++) {
		char	 c = token[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* A fresh random token: 32 bytes from the system's CSPRNG, base64url. */
void
auth_new_token(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char	 raw[32];

	if (auth_init() < 0)
		abort();
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* What the database keeps of a token: hex BLAKE2b-256. */
void
auth_token_hash(char out[AUTH_HASH_LEN + 1], const char *token, size_t len)
{
	unsigned char	 h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, len,
	    NULL, 0);
	sodium_bin2hex(out, AUTH_HASH_LEN + 1, h, sizeof(h));
}

/* argon2id hash of pw into out (crypto_pwhash_STRBYTES): 0, or -1. */
int
auth_hash_password(char out[128], const char *pw, size_t len)
{
	if (auth_init() < 0)
		return -1;
	return crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

/* Does pw match hash? 1 if so. */
int
auth_check_password(const char *hash, const char *pw, size_t len)
{
	if (auth_init() < 0 || hash == NULL)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

/*
 * Spend the time of a password check for a user name that does not
 * exist, so that the answer's timing does not reveal it.
 */
void
auth_dummy_check(const char *pw, size_t len)
{
	static char	 dummy[crypto_pwhash_STRBYTES];
	char		 rnd[AUTH_TOKEN_LEN + 1];

	if (dummy[0] == '\0') {
		auth_new_token(rnd);
		if (auth_hash_password(dummy, rnd, strlen(rnd)) != 0)
			return;
	}
	(void)auth_check_password(dummy, pw, len);
}

/* The ROLE_* bit of a role name (values.h's STAFF_ROLES), or 0. */
unsigned int
auth_role_bit(const char *name)
{
	int	 i = values_find(values_staff_roles, name);

	return i < 0 ? 0 : 1u << i;
}

/* The name of one ROLE_* bit, or NULL. */
const char *
auth_role_name(unsigned int bit)
{
	int	 i;

	for (i = 0; i < ROLE_I__MAX; i++)
		if (bit == 1u << i)
			return values_staff_roles[i];
	return NULL;
}

long
auth_idle_seconds(void)
{
	return conf_int("KC_SESSION_IDLE", AUTH_IDLE_DEFAULT, 10, 7 * 86400);
}

long
auth_max_seconds(void)
{
	return conf_int("KC_SESSION_MAX", AUTH_MAX_DEFAULT, 10, 30 * 86400);
}

const struct auth_user *
auth_user(const struct req *r)
{
	return r->user;
}

/* Does u hold one of roles? Admin holds them all. */
int
auth_has(const struct auth_user *u, unsigned int roles)
{
	if (u == NULL)
		return 0;
	return (u->roles & ROLE_ADMIN) != 0 || (u->roles & roles) != 0;
}

static int
unauthorized(struct req *r)
{
	return resp_fail(r, E_UNAUTHORIZED,
	    "Vui lòng đăng nhập (phiên làm việc không có hoặc đã hết hạn).");
}

/* Constant-time comparison of the CSRF header with the session's. */
static int
csrf_ok(struct req *r, const char *want)
{
	const char	*got = req_env(r, "HTTP_X_CSRF_TOKEN");

	if (got == NULL || want == NULL || strlen(got) != strlen(want) ||
	    strlen(want) != AUTH_TOKEN_LEN)
		return 0;
	return sodium_memcmp(got, want, AUTH_TOKEN_LEN) == 0;
}

/*
 * The guard of staff routes (struct app.guard): 401 without a live
 * session, 403 for the wrong role or a missing/wrong CSRF token on a
 * state-changing request, 503 while the database is down; else 0 with
 * r->user set and the session's idle deadline pushed forward.
 */
int
auth_guard(struct req *r, const struct route *rt)
{
	const char		*tok = req_cookie(r, AUTH_COOKIE);
	char			 hash[AUTH_HASH_LEN + 1];
	struct db_res		*q;
	struct auth_user	*u;

	if (!auth_token_valid(tok))
		return unauthorized(r);
	auth_token_hash(hash, tok, strlen(tok));
	q = db_squery(r->db, r->a, &auth_set, S_AUTH_SESSION, DB_ARGS(
	    DB_INT(AUTH_MFA_ROLES), DB_STR(hash)));
	if (q == NULL)
		return resp_db(r);
	if (!db_next(q))
		return unauthorized(r);
	u = arena_alloc(r->a, sizeof(*u));
	u->session_id = db_int(q, 0);
	u->id = db_int(q, 1);
	u->username = db_str(q, 2);
	u->roles = (unsigned int)db_int(q, 3);
	u->csrf = db_str(q, 4);
	u->display_name = db_str(q, 5);
	u->two_factor = (int)db_int(q, 6);
	u->enrol_only = (int)db_int(q, 7);
	if (u->enrol_only && !(rt->flags & R_ENROL))
		return resp_fail(r, E_ENROLMENT_REQUIRED,
		    "Tài khoản này phải bật xác thực hai bước trước khi làm "
		    "việc khác. Vui lòng hoàn tất bước cài đặt.");
	if (!auth_has(u, rt->roles))
		return resp_fail(r, E_FORBIDDEN,
		    "Tài khoản của bạn không có quyền thực hiện thao tác này.");
	if (r->method != M_GET && !csrf_ok(r, u->csrf))
		return resp_fail(r, E_FORBIDDEN,
		    "Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF). "
		    "Vui lòng tải lại trang.");
	if (db_sexec(r->db, &auth_set, S_AUTH_TOUCH, DB_ARGS(
	    DB_INT(auth_idle_seconds()), DB_INT(u->session_id))) < 0)
		return resp_db(r);
	r->user = u;
	return 0;
}

static const char *
json_text(json_object *o, size_t *len)
{
	const char	*s;

	if (o == NULL) {
		*len = 0;
		return NULL;
	}
	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, len);
	return s;
}

int
audit_write_db(struct db *db, const struct auth_user *u, const char *ip,
    const char *action, const char *entity, const char *entity_id,
    json_object *before, json_object *after)
{
	const char	*b, *a, *who = u != NULL ? u->username : NULL;
	size_t		 blen, alen;
	int		 rc;

	b = json_text(before, &blen);
	a = json_text(after, &alen);
	rc = db_sexec(db, &auth_set, S_AUTH_AUDIT, DB_ARGS(
	    u != NULL && u->id > 0 ? DB_INT(u->id) : DB_NULL,
	    DB_STR(who), DB_STR(ip), DB_STR(action), DB_STR(entity),
	    DB_STR(entity_id),
	    b != NULL ? DB_STRN(b, blen) : DB_NULL,
	    a != NULL ? DB_STRN(a, alen) : DB_NULL));
	return rc < 0 ? rc : 0;
}

/* audit_write_db() for r's user and IP. */
int
audit_write(struct req *r, const char *action, const char *entity,
    const char *entity_id, json_object *before, json_object *after)
{
	return audit_write_db(r->db, r->user, r->remote_addr, action, entity,
	    entity_id, before, after);
}

/*
 * A new staff user with ROLE_* bits: its id, or < 0 (DB_EDUP when the
 * name is taken). kc-staff and kc-admin share it.
 */
long long
auth_user_add(struct db *db, const char *username, const char *display_name,
    const char *hash, unsigned int roles)
{
	int	 rc;

	rc = db_sexec(db, &auth_set, S_AUTH_USER_ADD, DB_ARGS(DB_STR(username),
	    DB_STR(display_name), DB_STR(hash), DB_INT(roles)));
	return rc < 0 ? rc : db_insert_id(db);
}

/* End every open session of a user: the number ended, or < 0. */
int
auth_sessions_end(struct db *db, long long user_id)
{
	return db_sexec(db, &auth_set, S_AUTH_SESSIONS_END,
	    DB_ARGS(DB_INT(user_id)));
}

/* Forget a user name's failed logins: 0 or 1, or < 0. */
int
auth_throttle_clear(struct db *db, const char *username)
{
	return db_sexec(db, &auth_set, S_AUTH_THROTTLE_CLEAR,
	    DB_ARGS(DB_STR(username)));
}
