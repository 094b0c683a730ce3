/*
 * Sessions: staff sign-in and sign-out, the session's own view, and the
 * second factor's enrolment routes (served by mfa.c).
 *
 *   POST /api/auth/login          public; opens a session (cookie)
 *   POST /api/auth/logout         any session
 *   GET  /api/auth/session        any session
 *   POST /api/auth/2fa/setup      any session, enrol-only ones too
 *   POST /api/auth/2fa/confirm    any session, enrol-only ones too
 *
 * A failed sign-in counts toward the name's throttle (staff_login_throttle)
 * whatever failed; the session's check on every other request is auth.c's.
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
#include "mfa.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"

enum sessions_stmt {
	S_LOGIN_THROTTLE, S_LOGIN_USER, S_LOGIN_FAIL, S_LOGIN_FAIL_USER,
	S_LOGIN_OK_USER, S_SESSION_NEW, S_SESSION_END_TOKEN,
	S_SESSION_END, S_SESSION_INFO, S_SESSIONS_PURGE, S_SESSIONS__MAX
};
static const char *const sessions_sql[S_SESSIONS__MAX] = {
	[S_LOGIN_THROTTLE] =
	    "SELECT TIMESTAMPDIFF(SECOND, NOW(3), throttle_until) + 1"
	    " FROM staff_login_throttle WHERE username = ?"
	    " AND throttle_until > NOW(3)",
	[S_LOGIN_USER] =
	    "SELECT id, password_hash, disabled, username, display_name,"
	    " roles, roles + 0 FROM staff_user WHERE username = ?",
	[S_LOGIN_FAIL] =
	    "INSERT INTO staff_login_throttle (username, failures,"
	    " last_failure_at) VALUES (?, 1, NOW(3)) ON DUPLICATE KEY UPDATE"
	    " failures = IF(last_failure_at < NOW(3) - INTERVAL 1 HOUR, 1,"
	    " failures + 1), last_failure_at = NOW(3),"
	    " throttle_until = IF(failures >= ?, NOW(3) + INTERVAL"
	    " LEAST(900, 30 * POW(2, LEAST(failures - ?, 10))) SECOND, NULL)",
	[S_LOGIN_FAIL_USER] =
	    "UPDATE staff_user u JOIN staff_login_throttle t"
	    " ON t.username = u.username SET u.failed_logins = t.failures,"
	    " u.throttle_until = t.throttle_until WHERE u.username = ?",
	[S_LOGIN_OK_USER] =
	    "UPDATE staff_user SET failed_logins = 0, throttle_until = NULL,"
	    " last_login_at = NOW(3) WHERE id = ?",
	[S_SESSION_NEW] =
	    "INSERT INTO staff_session (token_hash, user_id, csrf_token,"
	    " enrol_only, idle_expires_at, expires_at, ip) VALUES (?, ?, ?,"
	    " ?, NOW(3) + INTERVAL ? SECOND, NOW(3) + INTERVAL ? SECOND, ?)",
	[S_SESSION_END_TOKEN] =
	    "UPDATE staff_session SET ended_at = NOW(3)"
	    " WHERE token_hash = ? AND ended_at IS NULL",
	[S_SESSION_END] =
	    "UPDATE staff_session SET ended_at = NOW(3) WHERE id = ?",
	[S_SESSION_INFO] =
	    "SELECT " SQL_ISO("created_at") ", " SQL_ISO("idle_expires_at")
	    ", " SQL_ISO("expires_at") " FROM staff_session WHERE id = ?",
	[S_SESSIONS_PURGE] =
	    "DELETE FROM staff_session WHERE expires_at < NOW(3) - INTERVAL"
	    " 90 DAY",
};
static struct db_set sessions_set = DB_SET("staff/sessions", sessions_sql);

#define LOGIN_MAX_FAILURES	conf_int("KC_LOGIN_MAX_FAILURES", 5, 1, 1000)

/* A staff account as login reads it. */
struct login_row {
	long long	 id;
	const char	*hash;		/* argon2id; NULL: no such user */
	int		 disabled;
	const char	*username;
	const char	*display_name;
	const char	*roles;		/* the SET as text: "admin,finance" */
	unsigned int	 role_bits;	/* ROLE_* */
};

/* The session's times, ISO 8601 UTC. */
struct session_info {
	const char	*created_at;
	const char	*idle_expires_at;
	const char	*expires_at;
};

/* Seconds name must still wait in *wait: 1, 0 if it need not, < 0. */
static int
q_login_throttle(struct req *r, const char *name, long long *wait)
{
	struct db_res	*q;
	int		 rc;

	*wait = 0;
	if ((rc = staff_first(r, &sessions_set, S_LOGIN_THROTTLE,
	    DB_ARGS(DB_STR(name)), &q)) > 0)
		*wait = db_int(q, 0);
	return rc;
}

/* The account named name: 1, 0 (u->hash NULL, disabled), or < 0. */
static int
q_login_user(struct req *r, const char *name, struct login_row *u)
{
	struct db_res	*q;
	int		 rc;

	memset(u, 0, sizeof(*u));
	u->disabled = 1;
	if ((rc = staff_first(r, &sessions_set, S_LOGIN_USER,
	    DB_ARGS(DB_STR(name)), &q)) <= 0)
		return rc;
	u->id = db_int(q, 0);
	u->hash = db_str(q, 1);
	u->disabled = (int)db_int(q, 2);
	u->username = db_str(q, 3);
	u->display_name = db_str(q, 4);
	u->roles = db_str(q, 5);
	u->role_bits = (unsigned int)db_int(q, 6);
	return 1;
}

/* One more failure of name, on the throttle and the account: 0, < 0. */
static int
q_login_fail(struct req *r, const char *name)
{
	int	 rc;

	rc = db_sexec(r->db, &sessions_set, S_LOGIN_FAIL, DB_ARGS(
	    DB_STR(name), DB_INT(LOGIN_MAX_FAILURES),
	    DB_INT(LOGIN_MAX_FAILURES)));
	if (rc >= 0)
		rc = db_sexec(r->db, &sessions_set, S_LOGIN_FAIL_USER,
		    DB_ARGS(DB_STR(name)));
	return rc < 0 ? rc : 0;
}

/* End the session whose token hashes to th (if live): 0, or < 0. */
static int
q_session_end_token(struct req *r, const char *th)
{
	int	 rc;

	rc = db_sexec(r->db, &sessions_set, S_SESSION_END_TOKEN,
	    DB_ARGS(DB_STR(th)));
	return rc < 0 ? rc : 0;
}

/* A new session of uid; its id into *sid: 0, or < 0. */
static int
q_session_new(struct req *r, const char *th, long long uid,
    const char *csrf, int enrol_only, long long *sid)
{
	int	 rc;

	rc = db_sexec(r->db, &sessions_set, S_SESSION_NEW, DB_ARGS(
	    DB_STR(th), DB_INT(uid), DB_STR(csrf), DB_INT(enrol_only),
	    DB_INT(auth_idle_seconds()), DB_INT(auth_max_seconds()),
	    DB_STR(r->remote_addr)));
	if (rc < 0)
		return rc;
	*sid = db_insert_id(r->db);
	return 0;
}

/*
 * A good sign-in of (uid, name): its throttle cleared, the account's
 * count reset and last login set; long-expired sessions purged. 0, < 0.
 */
static int
q_login_ok(struct req *r, long long uid, const char *name)
{
	int	 rc;

	rc = auth_throttle_clear(r->db, name);
	if (rc >= 0)
		rc = db_sexec(r->db, &sessions_set, S_LOGIN_OK_USER,
		    DB_ARGS(DB_INT(uid)));
	if (rc >= 0)
		rc = db_sexec(r->db, &sessions_set, S_SESSIONS_PURGE,
		    DB_NOARGS);
	return rc < 0 ? rc : 0;
}

static int
q_session_end(struct req *r, long long sid)
{
	int	 rc;

	rc = db_sexec(r->db, &sessions_set, S_SESSION_END,
	    DB_ARGS(DB_INT(sid)));
	return rc < 0 ? rc : 0;
}

/* The times of session sid: 1, 0 if there is none, < 0. */
static int
q_session_info(struct req *r, long long sid, struct session_info *out)
{
	struct db_res	*q;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = staff_first(r, &sessions_set, S_SESSION_INFO,
	    DB_ARGS(DB_INT(sid)), &q)) <= 0)
		return rc;
	out->created_at = db_str(q, 0);
	out->idle_expires_at = db_str(q, 1);
	out->expires_at = db_str(q, 2);
	return 1;
}

enum { LF_USERNAME, LF_PASSWORD, LF_OTP, LF_RECOVERY, LF__MAX };
static const struct field login_fields[LF__MAX] = {
	[LF_USERNAME] = { "username", F_STR, F_REQUIRED, 1, 64, NULL },
	[LF_PASSWORD] = { "password", F_TEXT, F_REQUIRED, 1, 256, NULL },
	[LF_OTP] = { "otp", F_STR, 0, 0, 16, NULL },
	[LF_RECOVERY] = { "recovery_code", F_STR, 0, 0, 40, NULL },
};

/* A signed-in account as login and the session show it ("user"). */
static const struct jcol user_public[] = {
	JCOL("id", login_row, id, J_INT),
	JCOL("username", login_row, username, J_STR),
	JCOL("display_name", login_row, display_name, J_STR),
	JCOL("roles", login_row, roles, J_SET),
};

/* ROLE_* bits as the SET's text: "admin,finance". */
static const char *
roles_text(struct req *r, unsigned int mask)
{
	const char	*s = "";
	unsigned int	 bit;

	for (bit = 1; bit <= ROLE_AUDITOR; bit <<= 1)
		if (mask & bit)
			s = arena_printf(r->a, "%s%s%s", s, *s ? "," : "",
			    auth_role_name(bit));
	return s;
}

static void
set_cookie(struct req *r, const char *value, long max_age)
{
	const char	*secure = conf_int("KC_COOKIE_SECURE", 0, 0, 1) ?
	    "; Secure" : "";

	resp_add_header(r, "Set-Cookie", arena_printf(r->a,
	    "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s",
	    AUTH_COOKIE, value, max_age, secure));
}

static int
login_refused(struct req *r)
{
	return resp_fail(r, E_UNAUTHORIZED,
	    "Tên đăng nhập hoặc mật khẩu không đúng.");
}

/*
 * A failed attempt at name: counted toward the throttle (whatever
 * failed: password or second factor), then the answer for mfa (an enum
 * mfa_result, or MFA_NONE for a wrong password).
 */
static int
login_failed(struct req *r, const char *name, int mfa)
{
	if (q_login_fail(r, name) < 0)
		return resp_db(r);
	if (mfa == MFA_MISSING)
		return resp_fail(r, E_SECOND_FACTOR_REQUIRED,
		    "Tài khoản này bật xác thực hai bước: nhập mã 6 chữ số "
		    "trong ứng dụng xác thực, hoặc một mã khôi phục.");
	if (mfa == MFA_WRONG)
		return resp_fail(r, E_SECOND_FACTOR_INVALID,
		    "Mã xác thực không đúng, đã hết hạn hoặc đã được dùng.");
	return login_refused(r);
}

/* 429 while name is slowed down: the status if answered, else 0. */
static int
login_throttled(struct req *r, const char *name)
{
	long long	 wait;
	int		 rc;

	if ((rc = q_login_throttle(r, name, &wait)) < 0)
		return resp_db(r);
	if (rc == 0)
		return 0;
	resp_add_header(r, "Retry-After", arena_printf(r->a, "%lld",
	    wait > 0 ? wait : 1));
	return resp_fail(r, E_RATE_LIMITED,
	    "Đăng nhập sai nhiều lần. Vui lòng thử lại sau ít phút.");
}

/*
 * The user name as typed, in lower case; NULL when no account can have
 * it (then the same work as a wrong password was spent on pw).
 */
static const char *
login_name(struct req *r, const struct value *user, const struct value *pw)
{
	char	*name = arena_strdup(r->a, user->s);
	size_t	 i;

	for (i = 0; name[i] != '\0'; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] += 'a' - 'A';
	if (staff_check_username(r, &(struct value){ .s = name }) != NULL) {
		auth_dummy_check(pw->s, pw->len);
		return NULL;
	}
	return name;
}

/*
 * The account of name into u, if pw is its password and it is enabled:
 * 0; else the status answered (401 counted as a failure, or 5xx). pw is
 * wiped either way once checked.
 */
static int
login_password(struct req *r, const char *name, const struct value *pw,
    struct login_row *u)
{
	int	 ok;

	if (q_login_user(r, name, u) < 0)
		return resp_db(r);
	if (u->hash != NULL)
		ok = auth_check_password(u->hash, pw->s, pw->len);
	else {
		auth_dummy_check(pw->s, pw->len);
		ok = 0;
	}
	sodium_memzero((char *)pw->s, pw->len);
	if (!ok || u->disabled)
		return login_failed(r, name, MFA_NONE);
	return 0;
}

static const char *const factor_names[] = {
	[MFA_TOTP] = "totp", [MFA_RECOVERY] = "recovery_code",
};

/* The audit row of a new session (its second factor, if any): 0, < 0. */
static int
audit_login(struct req *r, const struct auth_user *u, int mfa)
{
	json_object	*after = json_object_new_object();
	int		 rc;

	json_object_object_add(after, "session_id",
	    json_object_new_int64(u->session_id));
	json_object_object_add(after, "second_factor",
	    mfa == MFA_TOTP || mfa == MFA_RECOVERY ?
	    json_object_new_string(factor_names[mfa]) : NULL);
	if (mfa == MFA_ENROL)
		json_object_object_add(after, "enrol_only",
		    json_object_new_boolean(1));
	rc = audit_write_db(r->db, u, r->remote_addr, "login", "staff_session",
	    staff_id_text(r, u->session_id), NULL, after);
	json_object_put(after);
	return rc;
}

/*
 * The new session of user (uid, name) after a successful login, in one
 * transaction with its audit row; ends the session of the old cookie.
 * Sets the cookie; the CSRF token into csrf. 0, or the status answered.
 */
static int
open_session(struct req *r, long long uid, const char *name, int mfa,
    char csrf[AUTH_TOKEN_LEN + 1])
{
	const char		*old = req_cookie(r, AUTH_COOKIE);
	char			 tok[AUTH_TOKEN_LEN + 1], th[AUTH_HASH_LEN + 1];
	char			 oh[AUTH_HASH_LEN + 1];
	struct auth_user	 u = { .id = uid, .username = name };

	auth_new_token(tok);
	auth_new_token(csrf);
	auth_token_hash(th, tok, strlen(tok));
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (auth_token_valid(old)) {
		auth_token_hash(oh, old, strlen(old));
		if (q_session_end_token(r, oh) < 0)
			return staff_fail_db(r);
	}
	if (q_session_new(r, th, uid, csrf, mfa == MFA_ENROL,
	    &u.session_id) < 0 || q_login_ok(r, uid, name) < 0 ||
	    audit_login(r, &u, mfa) < 0 || db_commit(r->db) < 0)
		return staff_fail_db(r);
	set_cookie(r, tok, auth_max_seconds());
	sodium_memzero(tok, sizeof(tok));
	return 0;
}

/* Login's answer for the account u signed in with factor mfa. */
static int
login_answer(struct req *r, const struct login_row *u, const char *csrf,
    int mfa)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "user", rows_object(u, user_public,
	    NELEM(user_public)));
	json_object_object_add(o, "csrf_token", json_object_new_string(csrf));
	json_object_object_add(o, "two_factor", json_object_new_boolean(
	    mfa == MFA_TOTP || mfa == MFA_RECOVERY));
	json_object_object_add(o, "enrol_required",
	    json_object_new_boolean(mfa == MFA_ENROL));
	return resp_json(r, 200, o);
}

/*
 * POST /api/auth/login {username, password, otp?, recovery_code?} → 200
 * {"user":{id,username,display_name,roles},"csrf_token":..,
 * "two_factor":bool,"enrol_required":bool} and a fresh session cookie.
 * A user with a second factor must give a current code (otp) or an
 * unused recovery code; one who must have one (admin, finance) and has
 * none gets an enrol-only session (enrol_required: true). 401
 * unauthorized for a wrong password, an unknown or a disabled user (one
 * answer, the same work for each); 401 second_factor_required /
 * second_factor_invalid after the right password; every 401 counts
 * toward the throttle: 429 while the name is slowed down after repeated
 * failures (known or not); 422 for missing fields; 503.
 */
static int
h_auth_login(struct req *r)
{
	struct value		 v[LF__MAX];
	struct login_row	 u;
	char			 csrf[AUTH_TOKEN_LEN + 1];
	const char		*name;
	int			 rc, mfa;

	if ((rc = req_fields(r, login_fields, LF__MAX, v)) != 0)
		return rc;
	if ((name = login_name(r, &v[LF_USERNAME], &v[LF_PASSWORD])) == NULL)
		return login_refused(r);
	if ((rc = login_throttled(r, name)) != 0 ||
	    (rc = login_password(r, name, &v[LF_PASSWORD], &u)) != 0)
		return rc;
	mfa = mfa_login(r, u.id, u.role_bits, &v[LF_OTP], &v[LF_RECOVERY]);
	if (mfa < 0)
		return resp_db(r);
	if (mfa == MFA_MISSING || mfa == MFA_WRONG)
		return login_failed(r, name, mfa);
	if ((rc = open_session(r, u.id, u.username, mfa, csrf)) != 0)
		return rc;
	return login_answer(r, &u, csrf, mfa);
}

/*
 * POST /api/auth/logout (session, CSRF) → 200 {"status":"signed_out"};
 * the session ends in the database and the cookie is cleared.
 */
static int
h_auth_logout(struct req *r)
{
	const struct auth_user	*u = auth_user(r);
	json_object		*before, *o;

	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (q_session_end(r, u->session_id) < 0)
		return staff_fail_db(r);
	before = json_object_new_object();
	json_object_object_add(before, "session_id",
	    json_object_new_int64(u->session_id));
	set_cookie(r, "", 0);
	o = json_object_new_object();
	json_object_object_add(o, "status",
	    json_object_new_string("signed_out"));
	return staff_commit_audited(r, "logout", "staff_session",
	    staff_id_text(r, u->session_id), before, NULL, 200, o);
}

/*
 * GET /api/auth/session → who is signed in: {"user":{..},"csrf_token":..,
 * "two_factor","two_factor_required","enrol_required","created_at",
 * "idle_expires_at","expires_at"}; 401 without a session.
 */
static int
h_auth_session(struct req *r)
{
	const struct auth_user	*u = auth_user(r);
	struct login_row	 who;
	struct session_info	 s;
	json_object		*o;
	int			 rc;

	if ((rc = q_session_info(r, u->session_id, &s)) < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_fail(r, E_UNAUTHORIZED, "Phiên đã kết thúc.");
	memset(&who, 0, sizeof(who));
	who.id = u->id;
	who.username = u->username;
	who.display_name = u->display_name;
	who.roles = roles_text(r, u->roles);
	o = json_object_new_object();
	json_object_object_add(o, "user", rows_object(&who, user_public,
	    NELEM(user_public)));
	json_object_object_add(o, "csrf_token", json_object_new_string(u->csrf));
	json_object_object_add(o, "two_factor",
	    json_object_new_boolean(u->two_factor));
	json_object_object_add(o, "two_factor_required", json_object_new_boolean(
	    (u->roles & AUTH_MFA_ROLES) != 0));
	json_object_object_add(o, "enrol_required",
	    json_object_new_boolean(u->enrol_only));
	json_object_object_add(o, "created_at",
	    json_object_new_string(s.created_at));
	json_object_object_add(o, "idle_expires_at",
	    json_object_new_string(s.idle_expires_at));
	json_object_object_add(o, "expires_at",
	    json_object_new_string(s.expires_at));
	return resp_json(r, 200, o);
}

const struct route staff_sessions_routes[] = {
	{ M_POST, "/api/auth/login", h_auth_login, 0, 0, 0 },
	{ M_POST, "/api/auth/logout", h_auth_logout, R_ENROL, 0, ROLE_ANY },
	{ M_GET, "/api/auth/session", h_auth_session, R_ENROL, 0, ROLE_ANY },
	{ M_POST, "/api/auth/2fa/setup", mfa_setup, R_ENROL, 0, ROLE_ANY },
	{ M_POST, "/api/auth/2fa/confirm", mfa_confirm, R_ENROL, 0, ROLE_ANY },
	ROUTES_END
};
