/*
 * Users: the staff accounts, for admins (auditors read them).
 *
 *   GET   /api/admin/users[.csv]   admin, auditor
 *   POST  /api/admin/users         admin
 *   PATCH /api/admin/users/{id}    admin
 *
 * Each change in one transaction with its audit row (user.create,
 * user.update); disabling a user or a new password ends their sessions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"

#define USER_COLS \
	"id, username, display_name, roles, disabled, " \
	SQL_ISO("last_login_at") ", failed_logins, " SQL_ISO("created_at")

enum users_stmt {
	S_USERS_LIST, S_USERS_GET, S_USERS_UPDATE, S_USERS_PASSWORD,
	S_USERS__MAX
};
static const char *const users_sql[S_USERS__MAX] = {
	[S_USERS_LIST] =
	    "SELECT " USER_COLS " FROM staff_user ORDER BY username",
	[S_USERS_GET] =
	    "SELECT " USER_COLS " FROM staff_user WHERE id = ? FOR UPDATE",
	[S_USERS_UPDATE] =
	    "UPDATE staff_user SET display_name = ?, roles = ?, disabled = ?"
	    " WHERE id = ?",
	[S_USERS_PASSWORD] =
	    "UPDATE staff_user SET password_hash = ?,"
	    " password_changed_at = NOW(3) WHERE id = ?",
};
static struct db_set users_set = DB_SET("staff/users", users_sql);

/*
 * A user as USER_COLS reads it and the API shows it: the first columns
 * (USER_CSV_COLS) are also its CSV's.
 */
#define USER_CSV_COLS(X) \
	X(id, J_INT) X(username, J_STR) X(display_name, J_STR) \
	X(roles, J_SET) X(disabled, J_BOOL) X(last_login_at, J_STR)
#define USER_MORE_COLS(X) \
	X(failed_logins, J_INT) X(created_at, J_STR)
#define USER_JCOL(m, t)	JCOL(#m, user_row, m, t),

struct user_row { USER_CSV_COLS(ROWS_MEMBER) USER_MORE_COLS(ROWS_MEMBER) };
static const struct jcol user_json[] = {
	USER_CSV_COLS(USER_JCOL) USER_MORE_COLS(USER_JCOL)
};
static const struct csv_col user_csv[] = { USER_CSV_COLS(ROWS_CSV) };

/* Every user, by name, as JSON into *out: the count, or < 0. */
static int
q_users_list(struct req *r, json_object **out)
{
	return rows_fetch_json(r->db, r->a, &users_set, S_USERS_LIST,
	    DB_NOARGS, user_json, NELEM(user_json), sizeof(struct user_row),
	    out);
}

/* User id, locked for update, into *out: 1, 0, or < 0. */
static int
q_user_get(struct req *r, long long id, struct user_row *out)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, &users_set, S_USERS_GET, DB_ARGS(DB_INT(id)),
	    &q)) > 0)
		rows_read(q, out, user_json, NELEM(user_json));
	return rc;
}

/* User id, locked for update, as JSON into *out: 1, 0, or < 0. */
static int
q_user_get_json(struct req *r, long long id, json_object **out)
{
	struct user_row	 u;
	int		 rc;

	*out = NULL;
	if ((rc = q_user_get(r, id, &u)) > 0)
		*out = rows_object(&u, user_json, NELEM(user_json));
	return rc;
}

/* A new user; its id into *id: 0, or < 0 (DB_EDUP: the name is taken). */
static int
q_user_add(struct req *r, const struct value *name,
    const struct value *display, const char *hash, unsigned int roles,
    long long *id)
{
	long long	 rc;

	*id = 0;
	rc = auth_user_add(r->db, name->set ? name->s : NULL,
	    display->set ? display->s : NULL, hash, roles);
	if (rc < 0)
		return (int)rc;
	*id = rc;
	return 0;
}

/*
 * User id's new display name, roles and state, and password (hash, or
 * NULL to keep it); its sessions end when ending: 0, or < 0.
 */
static int
q_user_update(struct req *r, long long id, const char *display,
    long long roles, long long disabled, const char *hash, int ending)
{
	int	 rc;

	rc = db_sexec(r->db, &users_set, S_USERS_UPDATE, DB_ARGS(
	    DB_STR(display), DB_INT(roles), DB_INT(disabled), DB_INT(id)));
	if (rc >= 0 && hash != NULL)
		rc = db_sexec(r->db, &users_set, S_USERS_PASSWORD, DB_ARGS(
		    DB_STR(hash), DB_INT(id)));
	if (rc >= 0 && ending)
		rc = auth_sessions_end(r->db, id);
	return rc < 0 ? rc : 0;
}

/* A list of role names → their bits in v->i. */
static const char *
check_roles(struct req *r, struct value *v)
{
	size_t		 i;
	unsigned int	 bit;

	(void)r;
	v->i = 0;
	for (i = 0; i < v->nlist; i++) {
		if ((bit = auth_role_bit(v->list[i])) == 0)
			return "Vai trò không hợp lệ (admin, reviewer, finance,"
			    " importer, auditor)";
		v->i |= bit;
	}
	return NULL;
}

/* GET /api/admin/users[.csv] (admin, auditor) → every staff account. */
static int
h_users_list(struct req *r)
{
	json_object	*items;
	int		 n;

	if ((n = q_users_list(r, &items)) < 0)
		return resp_db(r);
	return resp_list(r, items, n, 1, n, "staff-users", user_csv,
	    NELEM(user_csv));
}

enum { UA_USERNAME, UA_DISPLAY, UA_PASSWORD, UA_ROLES, UA__MAX };
static const struct field user_add_fields[UA__MAX] = {
	[UA_USERNAME] = { "username", F_STR, F_REQUIRED, 2, 64,
	    staff_check_username },
	[UA_DISPLAY] = { "display_name", F_STR, F_REQUIRED, 1, 120, NULL },
	[UA_PASSWORD] = { "password", F_TEXT, F_REQUIRED, 10, 256, NULL },
	[UA_ROLES] = { "roles", F_STRLIST, F_REQUIRED, 1, 20, check_roles },
};

/* The argon2id hash of password v into hash, v wiped: 0, or the 500. */
static int
hash_or_reply(struct req *r, const struct value *v,
    char hash[crypto_pwhash_STRBYTES])
{
	int	 rc;

	rc = auth_hash_password(hash, v->s, v->len);
	sodium_memzero((char *)v->s, v->len);
	if (rc < 0)
		return resp_fail(r, E_INTERNAL, "Không tạo được mật khẩu.");
	return 0;
}

/*
 * POST /api/admin/users {username, display_name, password, roles:[..]}
 * (admin) → 201 the user; 409 when the name is taken; 422.
 */
static int
h_users_create(struct req *r)
{
	struct value	 v[UA__MAX];
	char		 hash[crypto_pwhash_STRBYTES];
	json_object	*after;
	long long	 id;
	int		 rc;

	if ((rc = req_fields(r, user_add_fields, UA__MAX, v)) != 0 ||
	    (rc = hash_or_reply(r, &v[UA_PASSWORD], hash)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_user_add(r, &v[UA_USERNAME], &v[UA_DISPLAY], hash,
	    (unsigned int)v[UA_ROLES].i, &id)) < 0) {
		if (rc == DB_EDUP)
			return staff_fail_conflict(r,
			    "Tên đăng nhập đã có người dùng.");
		return staff_fail_db(r);
	}
	if (q_user_get_json(r, id, &after) <= 0)
		return staff_fail_db(r);
	return staff_commit_audited(r, "user.create", "staff_user",
	    staff_id_text(r, id), NULL, after, 201, after);
}

enum { UE_DISPLAY, UE_ROLES, UE_DISABLED, UE_PASSWORD, UE__MAX };
static const struct field user_edit_fields[UE__MAX] = {
	[UE_DISPLAY] = { "display_name", F_STR, 0, 1, 120, NULL },
	[UE_ROLES] = { "roles", F_STRLIST, 0, 0, 20, check_roles },
	[UE_DISABLED] = { "disabled", F_BOOL, 0, 0, 1, NULL },
	[UE_PASSWORD] = { "password", F_TEXT, 0, 10, 256, NULL },
};

/* The ROLE_* bits of a user as the API shows it (its "roles" array). */
static long long
user_roles(json_object *user)
{
	json_object	*jv;
	long long	 roles = 0;
	size_t		 i;

	json_object_object_get_ex(user, "roles", &jv);
	for (i = 0; i < json_object_array_length(jv); i++)
		roles |= auth_role_bit(json_object_get_string(
		    json_object_array_get_idx(jv, i)));
	return roles;
}

/*
 * PATCH /api/admin/users/{id} {display_name?, roles?, disabled?,
 * password?} (admin) → 200 the user. Disabling a user or setting a new
 * password ends the user's sessions. An admin cannot disable or demote
 * themself (409). 404, 422.
 */
static int
h_users_update(struct req *r)
{
	struct value	 v[UE__MAX];
	struct user_row	 u;
	char		 hash[crypto_pwhash_STRBYTES];
	json_object	*before, *after;
	const char	*display;
	long long	 id = staff_param_id(r, 0), roles, disabled;
	int		 rc, newpw;

	if ((rc = req_fields(r, user_edit_fields, UE__MAX, v)) != 0)
		return rc;
	if (id == 0)
		return staff_not_found(r);
	if ((newpw = v[UE_PASSWORD].set) &&
	    (rc = hash_or_reply(r, &v[UE_PASSWORD], hash)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_user_get(r, id, &u)) <= 0)
		return staff_tx_absent(r, rc);
	before = rows_object(&u, user_json, NELEM(user_json));
	display = v[UE_DISPLAY].set ? v[UE_DISPLAY].s : u.display_name;
	roles = v[UE_ROLES].set ? v[UE_ROLES].i : user_roles(before);
	disabled = v[UE_DISABLED].set ? v[UE_DISABLED].i : u.disabled;
	if (id == auth_user(r)->id && (disabled || !(roles & ROLE_ADMIN))) {
		json_object_put(before);
		return staff_fail_conflict(r, "Không thể tự khoá hoặc bỏ quyền"
		    " quản trị của chính mình.");
	}
	if (q_user_update(r, id, display, roles, disabled, newpw ? hash : NULL,
	    disabled || newpw) < 0 || q_user_get_json(r, id, &after) <= 0) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	if (newpw)
		json_object_object_add(after, "password_changed",
		    json_object_new_boolean(1));
	return staff_commit_audited(r, "user.update", "staff_user",
	    staff_id_text(r, id), before, after, 200, after);
}

const struct route staff_users_routes[] = {
	{ M_GET, "/api/admin/users", h_users_list, R_CSV, 0,
	    ROLE_ADMIN | STAFF_RD },
	{ M_POST, "/api/admin/users", h_users_create, 0, 0, ROLE_ADMIN },
	{ M_PATCH, "/api/admin/users/{}", h_users_update, 0, 0, ROLE_ADMIN },
	ROUTES_END
};
