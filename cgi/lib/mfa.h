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
 * mfa's statements are a statement set of mfa.c's own (db.h).
 */
#ifndef KC_MFA_H
#define KC_MFA_H

struct db;
struct req;
struct value;

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
int	 mfa_reset(struct db *, long long user_id);
int	 mfa_confirm(struct req *);

#endif
