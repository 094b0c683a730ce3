/*
 * kc-admin: staff accounts from the command line. No account ships with
 * the system: `kc-admin user add NAME --role admin` creates the first.
 *
 *   kc-admin user add NAME --role ROLE [--role ROLE ...] [--name "Họ tên"]
 *   kc-admin user list
 *   kc-admin user disable NAME
 *   kc-admin user enable NAME
 *   kc-admin user reset NAME          (new password; ends the user's sessions)
 *   kc-admin user reset-2fa NAME      (removes the second factor and the
 *                                      recovery codes; ends the sessions: an
 *                                      admin or finance user enrols again at
 *                                      the next sign-in)
 *   kc-admin plan-load FILE...        (a plan described in JSON made through
 *                                      cgi/lib/plan.c as the console makes
 *                                      it, then published if it says so;
 *                                      a published year is left as it is)
 *
 * Passwords are read from the terminal without echo (asked twice), or as
 * the first line of standard input when it is not a terminal. Every change
 * is written to the audit trail as "cli:<login name>". Exit status: 0 done,
 * 1 refused (unknown or existing user, database error), 2 bad usage.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sodium.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "log.h"
#include "mfa.h"
#include "plan.h"
#include "text.h"

#define STATEMENTS(X) \
	X(S_USER_LIST, \
	    "SELECT id, username, display_name, roles, disabled," \
	    " DATE_FORMAT(last_login_at, '%Y-%m-%d %H:%i'), failed_logins," \
	    " totp_enabled_at IS NOT NULL" \
	    " FROM staff_user ORDER BY username") \
	X(S_USER_GET, \
	    "SELECT id, username, display_name, roles, disabled," \
	    " totp_enabled_at IS NOT NULL" \
	    " FROM staff_user WHERE username = ? FOR UPDATE") \
	X(S_USER_DISABLE, \
	    "UPDATE staff_user SET disabled = ? WHERE id = ?") \
	X(S_USER_PASSWORD, \
	    "UPDATE staff_user SET password_hash = ?," \
	    " password_changed_at = NOW(3), failed_logins = 0," \
	    " throttle_until = NULL WHERE id = ?")

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
enum stmt { STATEMENTS(AS_ENUM) S__MAX };
static const char *const sqls[] = { STATEMENTS(AS_TEXT) };

#define PW_MIN	10
#define PW_MAX	256

static struct db	*DB;	/* the one connection */
static struct arena	*A;
static struct auth_user	 CLI;	/* who: "cli:<login name>", no user id */

static int
usage(void)
{
	fprintf(stderr,
	    "usage: kc-admin user add NAME --role ROLE [--role ROLE ...]"
	    " [--name \"Họ tên\"]\n"
	    "       kc-admin user list\n"
	    "       kc-admin user disable|enable|reset|reset-2fa NAME\n"
	    "       kc-admin plan-load FILE...\n"
	    "roles: admin reviewer finance importer auditor\n");
	return 2;
}

/* A user name: 2-64 of a-z 0-9 . _ - */
static int
name_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n < 2 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* One line from f without its newline; -1 at end of input. */
static int
read_line(FILE *f, char *buf, size_t size)
{
	size_t	 n;

	if (fgets(buf, (int)size, f) == NULL)
		return -1;
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

/* Ask on the terminal without echo. */
static int
ask_tty(const char *prompt, char *buf, size_t size)
{
	struct termios	 old, quiet;
	FILE		*tty;
	int		 rc;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return -1;
	fputs(prompt, tty);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	rc = read_line(tty, buf, size);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	return rc;
}

/* The new password into buf: 0, or -1 (message printed). */
static int
read_password(char *buf, size_t size)
{
	char	 again[PW_MAX + 2];
	size_t	 chars = 0, i;

	if (isatty(STDIN_FILENO)) {
		if (ask_tty("Mật khẩu mới: ", buf, size) < 0 ||
		    ask_tty("Nhập lại mật khẩu: ", again, sizeof(again)) < 0)
			return -1;
		if (strcmp(buf, again) != 0) {
			sodium_memzero(again, sizeof(again));
			fprintf(stderr, "kc-admin: hai lần nhập không khớp\n");
			return -1;
		}
		sodium_memzero(again, sizeof(again));
	} else if (read_line(stdin, buf, size) < 0) {
		fprintf(stderr, "kc-admin: no password on standard input\n");
		return -1;
	}
	for (i = 0; buf[i] != '\0'; i++)
		if (((unsigned char)buf[i] & 0xC0) != 0x80)
			chars++;
	if (!text_utf8_valid(buf, strlen(buf)) || chars < PW_MIN ||
	    strlen(buf) > PW_MAX) {
		fprintf(stderr, "kc-admin: the password must be valid UTF-8"
		    " of %d to %d characters\n", PW_MIN, PW_MAX);
		return -1;
	}
	return 0;
}

/* Hash the NFC form of pw (what the web login compares). 0 or -1. */
static int
hash_nfc(char hash[crypto_pwhash_STRBYTES], const char *pw)
{
	char	*n = text_nfc(A, pw, strlen(pw));
	int	 rc;

	if (n == NULL)
		return -1;
	rc = auth_hash_password(hash, n, strlen(n));
	sodium_memzero(n, strlen(n));
	return rc;
}

static int
db_fail(const char *what)
{
	db_rollback(DB);
	fprintf(stderr, "kc-admin: %s: database error (see the log above)\n",
	    what);
	return 1;
}

static json_object *
user_json(long long id, const char *name, const char *display,
    const char *roles, int disabled)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "username", json_object_new_string(name));
	json_object_object_add(o, "display_name",
	    json_object_new_string(display));
	json_object_object_add(o, "roles", json_object_new_string(roles));
	json_object_object_add(o, "disabled", json_object_new_boolean(disabled));
	return o;
}

static int
cmd_add(int argc, char **argv)
{
	const char	*name = NULL, *display = NULL, *rolestr = "";
	char		 pw[PW_MAX + 2], hash[crypto_pwhash_STRBYTES], *dn;
	unsigned int	 roles = 0, bit;
	json_object	*after;
	long long	 id;
	int		 i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
			if ((bit = auth_role_bit(argv[++i])) == 0) {
				fprintf(stderr, "kc-admin: unknown role %s\n",
				    argv[i]);
				return 2;
			}
			if (!(roles & bit))
				rolestr = arena_printf(A, "%s%s%s", rolestr,
				    *rolestr ? "," : "", argv[i]);
			roles |= bit;
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			display = argv[++i];
		else if (argv[i][0] != '-' && name == NULL)
			name = argv[i];
		else
			return usage();
	}
	if (name == NULL || roles == 0)
		return usage();
	if (!name_ok(name)) {
		fprintf(stderr, "kc-admin: a user name is 2-64 characters"
		    " among a-z 0-9 . _ -\n");
		return 2;
	}
	if (display == NULL)
		display = name;
	if ((dn = text_clean(A, display, strlen(display))) == NULL ||
	    *dn == '\0' || strlen(dn) > 360) {
		fprintf(stderr, "kc-admin: bad display name\n");
		return 2;
	}
	if (read_password(pw, sizeof(pw)) < 0)
		return 1;
	if (hash_nfc(hash, pw) < 0) {
		sodium_memzero(pw, sizeof(pw));
		fprintf(stderr, "kc-admin: cannot hash the password\n");
		return 1;
	}
	sodium_memzero(pw, sizeof(pw));
	if (db_begin(DB) < 0)
		return db_fail("begin");
	if ((id = auth_user_add(DB, name, dn, hash, roles)) < 0) {
		if (db_last_error(DB) == DB_EDUP) {
			db_rollback(DB);
			fprintf(stderr, "kc-admin: user %s already exists\n",
			    name);
			return 1;
		}
		return db_fail("add");
	}
	after = user_json(id, name, dn, rolestr, 0);
	if (audit_write_db(DB, &CLI, NULL, "user.create", "staff_user",
	    arena_printf(A, "%lld", id), NULL, after) < 0) {
		json_object_put(after);
		return db_fail("audit");
	}
	json_object_put(after);
	if (db_commit(DB) < 0)
		return db_fail("commit");
	printf("user %s created (id %lld, roles %s)\n", name, id, rolestr);
	return 0;
}

static int
cmd_list(void)
{
	struct db_res	*q;

	if ((q = db_query(DB, A, S_USER_LIST, DB_NOARGS)) == NULL)
		return db_fail("list");
	printf("%-5s %-20s %-30s %-30s %-8s %-4s %s\n", "id", "username",
	    "display name", "roles", "state", "2fa", "last login");
	while (db_next(q))
		printf("%-5s %-20s %-30s %-30s %-8s %-4s %s\n", db_str(q, 0),
		    db_str(q, 1), db_str(q, 2), db_str(q, 3),
		    db_int(q, 4) ? "disabled" : "active",
		    db_int(q, 7) ? "on" : "off",
		    db_isnull(q, 5) ? "-" : db_str(q, 5));
	return 0;
}

/*
 * reset-2fa NAME: the user's second factor and recovery codes go, and so
 * do their sessions; audited as user.2fa_reset. Refused (1) for a user
 * without one.
 */
static int
cmd_reset_2fa(const char *name)
{
	struct db_res	*q;
	json_object	*before, *after;
	long long	 id;
	int		 rc, found;

	if (db_begin(DB) < 0)
		return db_fail("begin");
	if ((q = db_query(DB, A, S_USER_GET, DB_ARGS(DB_STR(name)))) ==
	    NULL)
		return db_fail("read");
	found = db_next(q);
	if (!found || !db_int(q, 5)) {
		db_rollback(DB);
		fprintf(stderr, !found ? "kc-admin: no user %s\n" :
		    "kc-admin: user %s has no second factor\n", name);
		return 1;
	}
	id = db_int(q, 0);
	before = json_object_new_object();
	json_object_object_add(before, "two_factor", json_object_new_boolean(1));
	after = json_object_new_object();
	json_object_object_add(after, "two_factor", json_object_new_boolean(0));
	rc = mfa_reset(DB, id);
	if (rc >= 0)
		rc = auth_sessions_end(DB, id);
	if (rc >= 0)
		rc = audit_write_db(DB, &CLI, NULL, "user.2fa_reset",
		    "staff_user", arena_printf(A, "%lld", id), before, after);
	json_object_put(before);
	json_object_put(after);
	if (rc < 0)
		return db_fail("reset-2fa");
	if (db_commit(DB) < 0)
		return db_fail("commit");
	printf("user %s: second factor removed; sessions ended\n", name);
	return 0;
}

/* disable, enable or reset NAME. */
static int
cmd_change(const char *what, const char *name)
{
	struct db_res	*q;
	json_object	*before, *after;
	char		 pw[PW_MAX + 2], hash[crypto_pwhash_STRBYTES];
	long long	 id;
	int		 reset = strcmp(what, "reset") == 0, disabled, rc;

	if (reset) {
		if (read_password(pw, sizeof(pw)) < 0)
			return 1;
		rc = hash_nfc(hash, pw);
		sodium_memzero(pw, sizeof(pw));
		if (rc < 0)
			return 1;
	}
	if (db_begin(DB) < 0)
		return db_fail("begin");
	if ((q = db_query(DB, A, S_USER_GET, DB_ARGS(DB_STR(name)))) ==
	    NULL)
		return db_fail("read");
	if (!db_next(q)) {
		db_rollback(DB);
		fprintf(stderr, "kc-admin: no user %s\n", name);
		return 1;
	}
	id = db_int(q, 0);
	disabled = (int)db_int(q, 4);
	before = user_json(id, db_str(q, 1), db_str(q, 2), db_str(q, 3),
	    disabled);
	after = user_json(id, db_str(q, 1), db_str(q, 2), db_str(q, 3),
	    strcmp(what, "disable") == 0 ? 1 : strcmp(what, "enable") == 0 ?
	    0 : disabled);
	if (reset)
		json_object_object_add(after, "password_changed",
		    json_object_new_boolean(1));
	if (reset)
		rc = db_exec(DB, S_USER_PASSWORD, DB_ARGS(DB_STR(hash),
		    DB_INT(id)));
	else
		rc = db_exec(DB, S_USER_DISABLE, DB_ARGS(DB_INT(
		    strcmp(what, "disable") == 0), DB_INT(id)));
	if (rc >= 0 && strcmp(what, "enable") != 0)
		rc = auth_sessions_end(DB, id);
	if (rc >= 0 && reset)
		rc = auth_throttle_clear(DB, name);
	if (rc >= 0)
		rc = audit_write_db(DB, &CLI, NULL, arena_printf(A, "user.%s",
		    what), "staff_user", arena_printf(A, "%lld", id), before,
		    after);
	json_object_put(before);
	json_object_put(after);
	if (rc < 0)
		return db_fail(what);
	if (db_commit(DB) < 0)
		return db_fail("commit");
	printf("user %s: %s done\n", name, what);
	return 0;
}

/* kc-admin plan-load FILE...: each plan file through plan.c. */
static int
cmd_plan_load(int argc, char **argv)
{
	struct plan_ctx	 c;
	int		 i, rc;

	memset(&c, 0, sizeof(c));
	c.db = DB;
	c.a = A;
	c.user = &CLI;
	for (i = 0; i < argc; i++) {
		if ((rc = plan_load_file(&c, argv[i], stderr)) < 0)
			return 1;
		printf("plan-load %s: %s\n", argv[i], rc == 0 ? "done" :
		    "published already, left as it is");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct passwd		*pw;
	int			 rc;

	log_init("kc-admin");
	if (argc < 3 || (strcmp(argv[1], "user") != 0 &&
	    strcmp(argv[1], "plan-load") != 0))
		return usage();
	if (auth_init() < 0) {
		fprintf(stderr, "kc-admin: libsodium failed to start\n");
		return 1;
	}
	A = arena_new();
	DB = db_new("kc_staff", sqls, S__MAX);
	pw = getpwuid(getuid());
	CLI.username = arena_printf(A, "cli:%s", pw != NULL ? pw->pw_name :
	    "unknown");
	db_request_begin(DB);
	if (strcmp(argv[1], "plan-load") == 0)
		rc = cmd_plan_load(argc - 2, argv + 2);
	else if (strcmp(argv[2], "add") == 0)
		rc = cmd_add(argc - 3, argv + 3);
	else if (strcmp(argv[2], "list") == 0 && argc == 3)
		rc = cmd_list();
	else if ((strcmp(argv[2], "disable") == 0 ||
	    strcmp(argv[2], "enable") == 0 || strcmp(argv[2], "reset") == 0) &&
	    argc == 4)
		rc = cmd_change(argv[2], argv[3]);
	else if (strcmp(argv[2], "reset-2fa") == 0 && argc == 4)
		rc = cmd_reset_2fa(argv[3]);
	else
		rc = usage();
	db_free(DB);
	arena_free(A);
	return rc;
}
