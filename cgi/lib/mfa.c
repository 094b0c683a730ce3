/*
 * mfa: login's second-factor check and enrolment. See mfa.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "mfa.h"
#include "req.h"
#include "resp.h"
#include "totp.h"

enum mfa_stmt {
	S_MFA_USER, S_MFA_STEP, S_MFA_RECOVERY_USE, S_MFA_PENDING_SET,
	S_MFA_PENDING_GET, S_MFA_ENABLE, S_MFA_RECOVERY_CLEAR,
	S_MFA_RECOVERY_ADD, S_MFA_SESSION_FULL, S_MFA_RESET, S_MFA__MAX
};
static const char *const mfa_sql[S_MFA__MAX] = {
	[S_MFA_USER] =
	    "SELECT totp_secret, COALESCE(totp_last_step, 0) FROM staff_user"
	    " WHERE id = ? AND totp_enabled_at IS NOT NULL",
	[S_MFA_STEP] =
	    "UPDATE staff_user SET totp_last_step = ? WHERE id = ?"
	    " AND totp_enabled_at IS NOT NULL"
	    " AND COALESCE(totp_last_step, 0) < ?",
	[S_MFA_RECOVERY_USE] =
	    "UPDATE staff_recovery_code SET used_at = NOW(3)"
	    " WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
	[S_MFA_PENDING_SET] =
	    "UPDATE staff_session SET totp_pending = ? WHERE id = ?",
	[S_MFA_PENDING_GET] =
	    "SELECT totp_pending FROM staff_session WHERE id = ?"
	    " AND totp_pending IS NOT NULL",
	[S_MFA_ENABLE] =
	    "UPDATE staff_user SET totp_secret = ?, totp_enabled_at = NOW(3),"
	    " totp_last_step = ? WHERE id = ? AND totp_enabled_at IS NULL",
	[S_MFA_RECOVERY_CLEAR] =
	    "DELETE FROM staff_recovery_code WHERE user_id = ?",
	[S_MFA_RESET] =
	    "UPDATE staff_user SET totp_secret = NULL, totp_enabled_at = NULL,"
	    " totp_last_step = NULL WHERE id = ?",
	[S_MFA_RECOVERY_ADD] =
	    "INSERT INTO staff_recovery_code (user_id, code_hash)"
	    " VALUES (?, ?)",
	[S_MFA_SESSION_FULL] =
	    "UPDATE staff_session SET totp_pending = NULL, enrol_only = 0"
	    " WHERE id = ?",
};
static struct db_set mfa_set = DB_SET("mfa", mfa_sql);

/* A code as typed: its digits, spaces dropped ("123 456"). */
static const char *
otp_digits(struct req *r, const struct value *v)
{
	char	*s = arena_alloc(r->a, v->len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < v->len; i++)
		if (v->s[i] != ' ')
			s[n++] = v->s[i];
	s[n] = '\0';
	return s;
}

/* A one-time code of the user's key: MFA_TOTP, MFA_WRONG, or < 0. */
static int
check_totp(struct req *r, long long uid, const char *b32, long long last,
    const struct value *otp)
{
	unsigned char	 key[TOTP_SECRET_LEN];
	size_t		 len;
	long long	 step;
	int		 rc;

	if (totp_key(key, &len, b32) < 0)
		return MFA_WRONG;
	step = totp_check(key, len, time(NULL), last, otp_digits(r, otp));
	sodium_memzero(key, sizeof(key));
	if (step <= 0)
		return MFA_WRONG;
	/* Take the step only if no request took it (or a later one) first. */
	rc = db_sexec(r->db, &mfa_set, S_MFA_STEP, DB_ARGS(DB_INT(step),
	    DB_INT(uid), DB_INT(step)));
	if (rc < 0)
		return rc;
	return rc == 1 ? MFA_TOTP : MFA_WRONG;
}

/* One unused recovery code of the user, now used: MFA_RECOVERY, ... */
static int
check_recovery(struct req *r, long long uid, const struct value *v)
{
	char	 norm[RECOVERY_CHARS + 1], hash[RECOVERY_HASH_LEN + 1];
	int	 rc;

	if (recovery_normalise(norm, v->s, v->len) < 0)
		return MFA_WRONG;
	recovery_hash(hash, uid, norm);
	sodium_memzero(norm, sizeof(norm));
	rc = db_sexec(r->db, &mfa_set, S_MFA_RECOVERY_USE,
	    DB_ARGS(DB_INT(uid), DB_STR(hash)));
	if (rc < 0)
		return rc;
	return rc == 1 ? MFA_RECOVERY : MFA_WRONG;
}

int
mfa_login(struct req *r, long long uid, unsigned int roles,
    const struct value *otp, const struct value *recovery)
{
	struct db_res	*q;
	int		 has_otp = otp->set && otp->len > 0;
	int		 has_rec = recovery->set && recovery->len > 0;

	q = db_squery(r->db, r->a, &mfa_set, S_MFA_USER, DB_ARGS(DB_INT(uid)));
	if (q == NULL)
		return db_last_error(r->db) < 0 ? db_last_error(r->db) : DB_EDOWN;
	if (!db_next(q))
		return (roles & AUTH_MFA_ROLES) ? MFA_ENROL : MFA_NONE;
	if (has_otp)
		return check_totp(r, uid, db_str(q, 0), db_int(q, 1), otp);
	if (has_rec)
		return check_recovery(r, uid, recovery);
	return MFA_MISSING;
}

/*
 * POST /api/auth/2fa/setup (any signed-in user, enrol-only sessions too;
 * CSRF) → 200 {"secret": base32, "otpauth_uri", "qr":{"size","rows"},
 * "digits", "period"}: a new key, kept on the session until confirmed.
 * 409 when the user has a second factor already.
 */
int
mfa_setup(struct req *r)
{
	const struct auth_user	*u = auth_user(r);
	unsigned char		 key[TOTP_SECRET_LEN];
	char			 b32[TOTP_B32_LEN + 1];
	const char		*uri;
	json_object		*o, *qr;

	if (u->two_factor)
		return resp_fail(r, E_CONFLICT, "Tài khoản đã bật xác "
		    "thực hai bước. Muốn đổi thiết bị, nhờ quản trị viên đặt "
		    "lại (kc-admin user reset-2fa).");
	totp_new_secret(key);
	if (totp_base32(b32, key, sizeof(key)) < 0)
		abort();
	sodium_memzero(key, sizeof(key));
	uri = totp_uri(r->a, u->username, b32);
	if ((qr = totp_qr(uri)) == NULL)
		return resp_fail(r, E_UNAVAILABLE,
		    "Không tạo được mã QR. Vui lòng thử lại.");
	if (db_sexec(r->db, &mfa_set, S_MFA_PENDING_SET,
	    DB_ARGS(DB_STR(b32), DB_INT(u->session_id))) < 0) {
		json_object_put(qr);
		return resp_db(r);
	}
	o = json_object_new_object();
	json_object_object_add(o, "secret", json_object_new_string(b32));
	json_object_object_add(o, "otpauth_uri", json_object_new_string(uri));
	json_object_object_add(o, "qr", qr);
	json_object_object_add(o, "digits", json_object_new_int(TOTP_DIGITS));
	json_object_object_add(o, "period", json_object_new_int(TOTP_STEP));
	sodium_memzero(b32, sizeof(b32));
	return resp_json(r, 200, o);
}

static const struct field confirm_fields[] = {
	{ "code", F_STR, F_REQUIRED, 1, 16, NULL },
};

/* Store the key and ten fresh recovery codes' hashes; codes into arr. */
static int
enable(struct req *r, const char *b32, long long step, json_object *arr)
{
	const struct auth_user	*u = auth_user(r);
	char			 code[RECOVERY_LEN + 1];
	char			 norm[RECOVERY_CHARS + 1];
	char			 hash[RECOVERY_HASH_LEN + 1];
	int			 i, rc;

	rc = db_sexec(r->db, &mfa_set, S_MFA_ENABLE, DB_ARGS(DB_STR(b32),
	    DB_INT(step), DB_INT(u->id)));
	if (rc <= 0)
		return rc < 0 ? rc : 1;
	if ((rc = db_sexec(r->db, &mfa_set, S_MFA_RECOVERY_CLEAR,
	    DB_ARGS(DB_INT(u->id)))) < 0)
		return rc;
	for (i = 0; i < RECOVERY_COUNT; i++) {
		recovery_new(code);
		if (recovery_normalise(norm, code, strlen(code)) < 0)
			abort();
		recovery_hash(hash, u->id, norm);
		if ((rc = db_sexec(r->db, &mfa_set, S_MFA_RECOVERY_ADD, DB_ARGS(
		    DB_INT(u->id), DB_STR(hash)))) < 0)
			return rc;
		json_object_array_add(arr, json_object_new_string(code));
	}
	rc = db_sexec(r->db, &mfa_set, S_MFA_SESSION_FULL,
	    DB_ARGS(DB_INT(u->session_id)));
	return rc < 0 ? rc : 0;
}

/* The audit row of an enrolment, then commit: 0, or < 0. */
static int
audit_enrol(struct req *r)
{
	json_object	*before = json_object_new_object();
	json_object	*after = json_object_new_object();
	int		 rc;

	json_object_object_add(before, "two_factor",
	    json_object_new_boolean(0));
	json_object_object_add(after, "two_factor", json_object_new_boolean(1));
	json_object_object_add(after, "recovery_codes",
	    json_object_new_int(RECOVERY_COUNT));
	rc = audit_write(r, "user.2fa_enrol", "staff_user",
	    arena_printf(r->a, "%lld", auth_user(r)->id), before, after);
	json_object_put(before);
	json_object_put(after);
	return rc < 0 ? rc : db_commit(r->db);
}

/*
 * POST /api/auth/2fa/confirm {"code"} (after setup; CSRF) → 200
 * {"two_factor":true,"recovery_codes":[ten codes, shown this once]}; the
 * session becomes a full one. 422 for a wrong code, 409 without a setup
 * on this session or when already enrolled. Audited (user.2fa_enrol).
 */
int
mfa_confirm(struct req *r)
{
	const struct auth_user	*u = auth_user(r);
	struct value		 v[1];
	struct db_res		*q;
	unsigned char		 key[TOTP_SECRET_LEN];
	size_t			 len;
	long long		 step = 0;
	const char		*b32;
	json_object		*o, *arr, *f;
	int			 rc;

	if ((rc = req_fields(r, confirm_fields, 1, v)) != 0)
		return rc;
	if (u->two_factor)
		return resp_fail(r, E_CONFLICT,
		    "Tài khoản đã bật xác thực hai bước.");
	q = db_squery(r->db, r->a, &mfa_set, S_MFA_PENDING_GET,
	    DB_ARGS(DB_INT(u->session_id)));
	if (q == NULL)
		return resp_db(r);
	if (!db_next(q))
		return resp_fail(r, E_CONFLICT, "Chưa có mã bí mật đang "
		    "chờ xác nhận. Vui lòng bắt đầu lại bước cài đặt.");
	b32 = db_str(q, 0);
	if (totp_key(key, &len, b32) == 0)
		step = totp_check(key, len, time(NULL), 0, otp_digits(r, &v[0]));
	sodium_memzero(key, sizeof(key));
	if (step <= 0) {
		f = json_object_new_object();
		json_object_object_add(f, "code", json_object_new_string(
		    "Mã không đúng. Nhập mã 6 chữ số đang hiện trong ứng dụng."));
		return resp_invalid(r, f);
	}
	if (db_begin(r->db) < 0)
		return resp_db(r);
	arr = json_object_new_array();
	if ((rc = enable(r, b32, step, arr)) != 0 || audit_enrol(r) < 0) {
		json_object_put(arr);
		db_rollback(r->db);
		if (rc == 1)
			return resp_fail(r, E_CONFLICT,
			    "Tài khoản đã bật xác thực hai bước.");
		return resp_db(r);
	}
	o = json_object_new_object();
	json_object_object_add(o, "two_factor", json_object_new_boolean(1));
	json_object_object_add(o, "recovery_codes", arr);
	return resp_json(r, 200, o);
}

/*
 * Remove a user's second factor and recovery codes (kc-admin user
 * reset-2fa): 0, or < 0. The caller ends the sessions and audits it.
 */
int
mfa_reset(struct db *db, long long user_id)
{
	int	 rc;

	rc = db_sexec(db, &mfa_set, S_MFA_RESET, DB_ARGS(DB_INT(user_id)));
	if (rc >= 0)
		rc = db_sexec(db, &mfa_set, S_MFA_RECOVERY_CLEAR,
		    DB_ARGS(DB_INT(user_id)));
	return rc < 0 ? rc : 0;
}
