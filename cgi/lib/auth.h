/*
 * auth: staff sessions, roles, CSRF and the audit trail, for every staff
 * program (kc-staff, kc-imports) and tool (kc-admin).
 *
 * A program that uses auth sets `app.guard = auth_guard` and gives each
 * staff route the ROLE_* bits allowed to call it (struct route .roles);
 * admin holds every role. The guard reads the session cookie, checks the
 * session in the database (not ended, not idle past its limit, not past
 * its absolute expiry, user not disabled), the user's roles, and for
 * every request that is not a GET/HEAD the CSRF token: the header
 * X-CSRF-Token must equal the session's. It answers 401/403 itself, in
 * API.md's error shape, and returns that status; or it sets r->user and
 * returns 0.
 *
 * The second factor (totp.h, mfa.h): admin and finance must have one; a
 * session of a user who must and has none yet (AUTH_MFA_ROLES without
 * staff_user.totp_enabled_at), or one that login made for enrolment only,
 * reaches nothing but the routes flagged R_ENROL: anything else answers
 * 403 "enrolment_required".
 *
 * auth's statements (the session check, its touch, the audit row) are a
 * statement set of auth.c's own, on the worker's one connection.
 */
#ifndef KC_AUTH_H
#define KC_AUTH_H

#include <stddef.h>

#include <json-c/json.h>

struct db;
struct req;
struct route;

/* Role bits: the same values as the staff_user.roles SET (roles + 0). */
#define ROLE_ADMIN	0x01
#define ROLE_REVIEWER	0x02
#define ROLE_FINANCE	0x04
#define ROLE_IMPORTER	0x08
#define ROLE_AUDITOR	0x10
#define ROLE_ANY	0x1f	/* any signed-in staff member */
/* Roles that may not sign in without a second factor. */
#define AUTH_MFA_ROLES	(ROLE_ADMIN | ROLE_FINANCE)

/* Session cookie name, lifetimes (seconds; KC_SESSION_IDLE/_MAX). */
#define AUTH_COOKIE		"kc_session"
#define AUTH_IDLE_DEFAULT	(30 * 60)
#define AUTH_MAX_DEFAULT	(12 * 60 * 60)
#define AUTH_TOKEN_LEN		43	/* 32 random bytes, base64url */
#define AUTH_HASH_LEN		64	/* hex of a 32-byte BLAKE2b */

/* Who is signed in (r->user after auth_guard). */
struct auth_user {
	long long	 id;
	const char	*username;
	unsigned int	 roles;		/* ROLE_* bits */
	/* Beyond the interface other programs rely on: */
	long long	 session_id;
	const char	*csrf;		/* the session's CSRF token */
	const char	*display_name;
	int		 two_factor;	/* has enrolled a second factor */
	int		 enrol_only;	/* may only enrol one (R_ENROL) */
};

int	 auth_guard(struct req *, const struct route *);
const struct auth_user *auth_user(const struct req *);
int	 auth_has(const struct auth_user *, unsigned int roles);

/*
 * One audit_log row for a change made by user u (NULL for nobody; id 0
 * for a command-line tool: no user_id, its username only) from ip (may be
 * NULL), on db: before/after are serialised, not released (either may be
 * NULL). Call it inside the transaction of the change. 0, or < 0 (a DB_E*
 * code). audit_write() is the same for r's user and IP.
 */
int	 audit_write_db(struct db *, const struct auth_user *u,
	    const char *ip, const char *action, const char *entity,
	    const char *entity_id, json_object *before, json_object *after);
int	 audit_write(struct req *, const char *action, const char *entity,
	    const char *entity_id, json_object *before, json_object *after);

/* Users and sessions, shared by kc-staff and kc-admin (<0: DB_E*). */
long long auth_user_add(struct db *, const char *username,
	    const char *display_name, const char *hash, unsigned int roles);
int	 auth_sessions_end(struct db *, long long user_id);
int	 auth_throttle_clear(struct db *, const char *username);

/* Helpers shared by kc-staff and kc-admin. */
int	 auth_init(void);
int	 auth_hash_password(char out[128], const char *pw, size_t len);
int	 auth_check_password(const char *hash, const char *pw, size_t len);
void	 auth_dummy_check(const char *pw, size_t len);
void	 auth_new_token(char out[AUTH_TOKEN_LEN + 1]);
void	 auth_token_hash(char out[AUTH_HASH_LEN + 1], const char *token,
	    size_t len);
int	 auth_token_valid(const char *token);
unsigned int auth_role_bit(const char *name);
const char *auth_role_name(unsigned int bit);
long	 auth_idle_seconds(void);
long	 auth_max_seconds(void);

#endif
