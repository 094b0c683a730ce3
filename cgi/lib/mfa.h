/*
 * mfa: the second factor of staff sign-in, against the database: the
 * check made by login after the right password, and the enrolment routes.
 * The codes themselves are totp.h's.
 *
 * Who must: a user holding one of AUTH_MFA_ROLES (admin, finance). Who
 * may: anyone else, by enrolling. Login, for a user who has enrolled,
 * takes a current code (one step of skew either side, each step once) or
 * one unused recovery code; for a user who must and has not enrolled, it
 * opens a session that reaches only the R_ENROL routes (auth.h) until
 * enrolment is confirmed.
 *
 * THE STATEMENT RULE. mfa's statements follow auth's: a program using
 * mfa starts its statement list with AUTH_STATEMENTS(X) MFA_STATEMENTS(X).
 */
#ifndef KC_MFA_H
#define KC_MFA_H

struct req;
struct value;

#define MFA_STATEMENTS(X) \
	X(MFA_S_USER, \
	    "SELECT totp_secret, COALESCE(totp_last_step, 0) FROM staff_user" \
	    " WHERE id = ? AND totp_enabled_at IS NOT NULL") \
	X(MFA_S_STEP, \
	    "UPDATE staff_user SET totp_last_step = ? WHERE id = ?" \
	    " AND totp_enabled_at IS NOT NULL" \
	    " AND COALESCE(totp_last_step, 0) < ?") \
	X(MFA_S_RECOVERY_USE, \
	    "UPDATE staff_recovery_code SET used_at = NOW(3)" \
	    " WHERE user_id = ? AND code_hash = ? AND used_at IS NULL") \
	X(MFA_S_PENDING_SET, \
	    "UPDATE staff_session SET totp_pending = ? WHERE id = ?") \
	X(MFA_S_PENDING_GET, \
	    "SELECT totp_pending FROM staff_session WHERE id = ?" \
	    " AND totp_pending IS NOT NULL") \
	X(MFA_S_ENABLE, \
	    "UPDATE staff_user SET totp_secret = ?, totp_enabled_at = NOW(3)," \
	    " totp_last_step = ? WHERE id = ? AND totp_enabled_at IS NULL") \
	X(MFA_S_RECOVERY_CLEAR, \
	    "DELETE FROM staff_recovery_code WHERE user_id = ?") \
	X(MFA_S_RECOVERY_ADD, \
	    "INSERT INTO staff_recovery_code (user_id, code_hash)" \
	    " VALUES (?, ?)") \
	X(MFA_S_SESSION_FULL, \
	    "UPDATE staff_session SET totp_pending = NULL, enrol_only = 0" \
	    " WHERE id = ?")

/* What login's check found. */
enum mfa_result {
	MFA_NONE,	/* not enrolled and not required: password is enough */
	MFA_TOTP,	/* a right code, not used before */
	MFA_RECOVERY,	/* a right recovery code, now used */
	MFA_ENROL,	/* required, not enrolled: an enrol-only session */
	MFA_MISSING,	/* enrolled, and neither code given */
	MFA_WRONG,	/* a wrong, malformed or already used code */
};

/*
 * After the right password of user uid holding roles (ROLE_* bits): the
 * second factor given with it (otp, recovery: login's fields, either may
 * be unset). An enum mfa_result, or < 0 (a DB_E* code).
 */
int	 mfa_login(struct req *, long long uid, unsigned int roles,
	    const struct value *otp, const struct value *recovery);

/* POST /api/auth/2fa/setup and /api/auth/2fa/confirm (R_ENROL routes). */
int	 mfa_setup(struct req *);
int	 mfa_confirm(struct req *);

#endif
