/*
 * kc-staff: the staff console's API. Sign-in (/api/auth/...), and under
 * /api/admin/: users (admin), the application review queue and calls
 * (reviewer), the plan's budget lines (finance), the audit trail
 * (auditor). Admin may do everything; auditors read everything.
 *
 * Every route but login goes through auth_guard (session cookie, role,
 * CSRF token on state-changing requests). Every change is made in one
 * transaction that also writes its audit_log row (who, when, IP, entity,
 * before and after as JSON).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "mfa.h"
#include "req.h"
#include "resp.h"

#define ISO(c)	"DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define YMD(c)	"DATE_FORMAT(" c ", '%Y-%m-%d')"

#define USER_COLS \
	"id, username, display_name, roles, disabled, " ISO("last_login_at") \
	", failed_logins, " ISO("created_at")
#define CALL_COLS \
	"c.id, c.year, c.kind, c.title, c.description, " ISO("c.opens_at") \
	", " ISO("c.closes_at") ", c.capacity, c.max_support_vnd," \
	" c.activity_id, " CLOCK_VN_DAY("c.opens_at") ", " \
	CLOCK_VN_LAST_DAY("c.closes_at") ", (now_.t >= c.opens_at AND" \
	" now_.t < c.closes_at)"
/* Now (clock_now(), bound first) as now_.t, for CALL_COLS' open flag. */
#define NOW_JOIN	" CROSS JOIN (SELECT CAST(? AS DATETIME) AS t) now_"
#define APP_COLS \
	"a.id, a.ref_code, a.status, a.call_id, c.title, a.facility_name," \
	" a.unit_code, u.name, a.requested_vnd, a.approved_vnd, " \
	ISO("a.created_at") ", " ISO("a.updated_at")
#define APP_FILTER \
	" WHERE (? IS NULL OR a.call_id = ?) AND (? IS NULL OR a.status = ?)" \
	" AND (? IS NULL OR a.unit_code = ? OR u.parent_code = ?)"
#define PLAN_COLS \
	"year, title, total_vnd, decision_no, " YMD("decision_date") \
	", approved_by, source, sample"
#define ACT_COLS \
	"id, year, content_code, title, unit_name, planned_vnd, target," \
	" status, progress"
#define AUDIT_FILTER \
	" WHERE (? IS NULL OR entity = ?) AND (? IS NULL OR entity_id = ?)" \
	" AND (? IS NULL OR username = ?) AND (? IS NULL OR action = ?)" \
	" AND (? IS NULL OR at >= CAST(? AS DATETIME) - " CLOCK_VN_SQL ")" \
	" AND (? IS NULL OR at < CAST(? AS DATETIME) + INTERVAL 1 DAY - " \
	CLOCK_VN_SQL ")"

#define STATEMENTS(X) \
	AUTH_STATEMENTS(X) \
	MFA_STATEMENTS(X) \
	X(S_LOGIN_THROTTLE, \
	    "SELECT TIMESTAMPDIFF(SECOND, NOW(3), throttle_until) + 1" \
	    " FROM staff_login_throttle WHERE username = ?" \
	    " AND throttle_until > NOW(3)") \
	X(S_LOGIN_USER, \
	    "SELECT id, password_hash, disabled, username, display_name," \
	    " roles, roles + 0 FROM staff_user WHERE username = ?") \
	X(S_LOGIN_FAIL, \
	    "INSERT INTO staff_login_throttle (username, failures," \
	    " last_failure_at) VALUES (?, 1, NOW(3)) ON DUPLICATE KEY UPDATE" \
	    " failures = IF(last_failure_at < NOW(3) - INTERVAL 1 HOUR, 1," \
	    " failures + 1), last_failure_at = NOW(3)," \
	    " throttle_until = IF(failures >= ?, NOW(3) + INTERVAL" \
	    " LEAST(900, 30 * POW(2, LEAST(failures - ?, 10))) SECOND, NULL)") \
	X(S_LOGIN_FAIL_USER, \
	    "UPDATE staff_user u JOIN staff_login_throttle t" \
	    " ON t.username = u.username SET u.failed_logins = t.failures," \
	    " u.throttle_until = t.throttle_until WHERE u.username = ?") \
	X(S_LOGIN_CLEAR, \
	    "DELETE FROM staff_login_throttle WHERE username = ?") \
	X(S_LOGIN_OK_USER, \
	    "UPDATE staff_user SET failed_logins = 0, throttle_until = NULL," \
	    " last_login_at = NOW(3) WHERE id = ?") \
	X(S_SESSION_NEW, \
	    "INSERT INTO staff_session (token_hash, user_id, csrf_token," \
	    " enrol_only, idle_expires_at, expires_at, ip) VALUES (?, ?, ?," \
	    " ?, NOW(3) + INTERVAL ? SECOND, NOW(3) + INTERVAL ? SECOND, ?)") \
	X(S_SESSION_END_TOKEN, \
	    "UPDATE staff_session SET ended_at = NOW(3)" \
	    " WHERE token_hash = ? AND ended_at IS NULL") \
	X(S_SESSION_END, \
	    "UPDATE staff_session SET ended_at = NOW(3) WHERE id = ?") \
	X(S_SESSION_INFO, \
	    "SELECT " ISO("created_at") ", " ISO("idle_expires_at") ", " \
	    ISO("expires_at") " FROM staff_session WHERE id = ?") \
	X(S_SESSIONS_END_USER, \
	    "UPDATE staff_session SET ended_at = NOW(3)" \
	    " WHERE user_id = ? AND ended_at IS NULL") \
	X(S_SESSIONS_PURGE, \
	    "DELETE FROM staff_session WHERE expires_at < NOW(3) - INTERVAL 90 DAY") \
	X(S_USER_LIST, \
	    "SELECT " USER_COLS " FROM staff_user ORDER BY username") \
	X(S_USER_GET, \
	    "SELECT " USER_COLS " FROM staff_user WHERE id = ? FOR UPDATE") \
	X(S_USER_ADD, \
	    "INSERT INTO staff_user (username, display_name, password_hash," \
	    " roles) VALUES (?, ?, ?, ?)") \
	X(S_USER_UPDATE, \
	    "UPDATE staff_user SET display_name = ?, roles = ?, disabled = ?" \
	    " WHERE id = ?") \
	X(S_USER_PASSWORD, \
	    "UPDATE staff_user SET password_hash = ?," \
	    " password_changed_at = NOW(3) WHERE id = ?") \
	X(S_CALL_LIST, \
	    "SELECT " CALL_COLS ", (SELECT COUNT(*) FROM application a" \
	    " WHERE a.call_id = c.id) FROM support_call c" NOW_JOIN \
	    " ORDER BY c.opens_at DESC, c.id DESC LIMIT ? OFFSET ?") \
	X(S_CALL_COUNT, "SELECT COUNT(*) FROM support_call") \
	X(S_CALL_GET, \
	    "SELECT " CALL_COLS " FROM support_call c" NOW_JOIN \
	    " WHERE c.id = ? FOR UPDATE") \
	X(S_CALL_INSERT, \
	    "INSERT INTO support_call (year, kind, title, description," \
	    " opens_at, closes_at, capacity, max_support_vnd, activity_id)" \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	X(S_CALL_UPDATE, \
	    "UPDATE support_call SET year = ?, kind = ?, title = ?," \
	    " description = ?, opens_at = ?, closes_at = ?, capacity = ?," \
	    " max_support_vnd = ?, activity_id = ? WHERE id = ?") \
	X(S_CALL_OPEN, \
	    "UPDATE support_call SET opens_at = LEAST(opens_at," \
	    " CAST(? AS DATETIME)), closes_at = COALESCE(?, closes_at)" \
	    " WHERE id = ?") \
	X(S_CALL_CLOSE, \
	    "UPDATE support_call SET opens_at = LEAST(opens_at," \
	    " CAST(? AS DATETIME) - INTERVAL 1 SECOND)," \
	    " closes_at = CAST(? AS DATETIME) WHERE id = ?") \
	X(S_APP_LIST, \
	    "SELECT " APP_COLS " FROM application a" \
	    " JOIN support_call c ON c.id = a.call_id" \
	    " JOIN admin_unit u ON u.id = a.unit_id" APP_FILTER \
	    " ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?") \
	X(S_APP_COUNT, \
	    "SELECT COUNT(*) FROM application a" \
	    " JOIN admin_unit u ON u.id = a.unit_id" APP_FILTER) \
	X(S_APP_GET, \
	    "SELECT " APP_COLS ", a.owner_name, a.phone, a.email, a.address," \
	    " a.products, a.note, a.facility_id, f.tax_code, f.kind," \
	    " c.max_support_vnd FROM application a" \
	    " JOIN support_call c ON c.id = a.call_id" \
	    " JOIN admin_unit u ON u.id = a.unit_id" \
	    " JOIN facility f ON f.id = a.facility_id WHERE a.id = ?") \
	X(S_APP_LOCK, \
	    "SELECT a.id, a.ref_code, a.status, a.requested_vnd," \
	    " a.approved_vnd, a.call_id FROM application a WHERE a.id = ?" \
	    " FOR UPDATE") \
	X(S_APP_EVENTS, \
	    "SELECT e.id, e.status, e.reason, e.amount_vnd, " ISO("e.at") \
	    ", su.username FROM application_event e" \
	    " LEFT JOIN staff_user su ON su.id = e.actor" \
	    " WHERE e.application_id = ? ORDER BY e.at, e.id") \
	X(S_APP_EVENT_ADD, \
	    "INSERT INTO application_event (application_id, status, reason," \
	    " amount_vnd, actor) VALUES (?, ?, ?, ?, ?)") \
	X(S_APP_SET, \
	    "UPDATE application SET status = ?, approved_vnd = ? WHERE id = ?") \
	X(S_CALL_MAX, \
	    "SELECT max_support_vnd FROM support_call WHERE id = ?") \
	X(S_PLAN_LIST, \
	    "SELECT " PLAN_COLS " FROM plan ORDER BY year DESC") \
	X(S_PLAN_GET, \
	    "SELECT " PLAN_COLS " FROM plan WHERE year = ? FOR UPDATE") \
	X(S_PLAN_INSERT, \
	    "INSERT INTO plan (year, title, total_vnd, decision_no," \
	    " decision_date, approved_by, source) VALUES (?, ?, ?, ?, ?, ?, ?)") \
	X(S_PLAN_UPDATE, \
	    "UPDATE plan SET title = ?, total_vnd = ?, decision_no = ?," \
	    " decision_date = ?, approved_by = ?, source = ? WHERE year = ?") \
	X(S_CONTENT_LIST, \
	    "SELECT year, code, title, description FROM plan_content" \
	    " WHERE year = ? ORDER BY code") \
	X(S_CONTENT_GET, \
	    "SELECT year, code, title, description FROM plan_content" \
	    " WHERE year = ? AND code = ? FOR UPDATE") \
	X(S_CONTENT_INSERT, \
	    "INSERT INTO plan_content (year, code, title, description)" \
	    " VALUES (?, ?, ?, ?)") \
	X(S_CONTENT_UPDATE, \
	    "UPDATE plan_content SET title = ?, description = ?" \
	    " WHERE year = ? AND code = ?") \
	X(S_ACT_LIST, \
	    "SELECT " ACT_COLS "," \
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM allocation l" \
	    " WHERE l.activity_id = activity.id)," \
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM disbursement d" \
	    " WHERE d.activity_id = activity.id)," \
	    " (SELECT COALESCE(SUM(amount_vnd), 0) FROM settlement s" \
	    " WHERE s.activity_id = activity.id)" \
	    " FROM activity WHERE year = ? ORDER BY content_code, id") \
	X(S_ACT_GET, \
	    "SELECT " ACT_COLS " FROM activity WHERE id = ? FOR UPDATE") \
	X(S_ACT_INSERT, \
	    "INSERT INTO activity (year, content_code, title, unit_name," \
	    " planned_vnd, target, status, progress)" \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)") \
	X(S_ACT_UPDATE, \
	    "UPDATE activity SET content_code = ?, title = ?, unit_name = ?," \
	    " planned_vnd = ?, target = ?, status = ?, progress = ?" \
	    " WHERE id = ?") \
	X(S_ALLOC_LIST, \
	    "SELECT id, activity_id, amount_vnd, " YMD("allocated_on") \
	    ", decision_no, note FROM allocation WHERE activity_id = ?" \
	    " ORDER BY allocated_on, id") \
	X(S_ALLOC_INSERT, \
	    "INSERT INTO allocation (activity_id, amount_vnd, allocated_on," \
	    " decision_no, note) VALUES (?, ?, ?, ?, ?)") \
	X(S_DISB_LIST, \
	    "SELECT d.id, d.activity_id, d.amount_vnd, " YMD("d.paid_on") \
	    ", d.voucher_no, d.facility_id, f.name, d.beneficiary," \
	    " d.application_id, u.code, u.name, d.note FROM disbursement d" \
	    " LEFT JOIN facility f ON f.id = d.facility_id" \
	    " LEFT JOIN admin_unit u ON u.id = d.unit_id" \
	    " WHERE d.activity_id = ? ORDER BY d.paid_on, d.id") \
	X(S_DISB_INSERT, \
	    "INSERT INTO disbursement (activity_id, amount_vnd, paid_on," \
	    " voucher_no, facility_id, beneficiary, application_id, unit_id," \
	    " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	X(S_SETTLE_LIST, \
	    "SELECT id, activity_id, amount_vnd, " YMD("settled_on") \
	    ", document_no, note FROM settlement WHERE activity_id = ?" \
	    " ORDER BY settled_on, id") \
	X(S_SETTLE_INSERT, \
	    "INSERT INTO settlement (activity_id, amount_vnd, settled_on," \
	    " document_no, note) VALUES (?, ?, ?, ?, ?)") \
	X(S_ALLOC_LOCK, \
	    "SELECT activity_id FROM allocation WHERE id = ? FOR UPDATE") \
	X(S_ALLOC_ROW, \
	    "SELECT id, activity_id, amount_vnd, " YMD("allocated_on") \
	    ", decision_no, note FROM allocation WHERE id = ?") \
	X(S_ALLOC_UPDATE, \
	    "UPDATE allocation SET amount_vnd = ?, allocated_on = ?," \
	    " decision_no = ?, note = ? WHERE id = ?") \
	X(S_ALLOC_DELETE, "DELETE FROM allocation WHERE id = ?") \
	X(S_DISB_LOCK, \
	    "SELECT activity_id FROM disbursement WHERE id = ? FOR UPDATE") \
	X(S_DISB_ROW, \
	    "SELECT d.id, d.activity_id, d.amount_vnd, " YMD("d.paid_on") \
	    ", d.voucher_no, d.note, d.facility_id, d.beneficiary," \
	    " d.application_id, u.code FROM disbursement d" \
	    " LEFT JOIN admin_unit u ON u.id = d.unit_id WHERE d.id = ?") \
	X(S_DISB_UPDATE, \
	    "UPDATE disbursement SET amount_vnd = ?, paid_on = ?," \
	    " voucher_no = ?, note = ?, facility_id = ?, beneficiary = ?," \
	    " application_id = ?, unit_id = ? WHERE id = ?") \
	X(S_DISB_DELETE, "DELETE FROM disbursement WHERE id = ?") \
	X(S_SETTLE_LOCK, \
	    "SELECT activity_id FROM settlement WHERE id = ? FOR UPDATE") \
	X(S_SETTLE_ROW, \
	    "SELECT id, activity_id, amount_vnd, " YMD("settled_on") \
	    ", document_no, note FROM settlement WHERE id = ?") \
	X(S_SETTLE_UPDATE, \
	    "UPDATE settlement SET amount_vnd = ?, settled_on = ?," \
	    " document_no = ?, note = ? WHERE id = ?") \
	X(S_SETTLE_DELETE, "DELETE FROM settlement WHERE id = ?") \
	X(S_UNIT_ON, \
	    "SELECT id FROM admin_unit WHERE code = ? AND level <> 'province'" \
	    " AND (valid_from IS NULL OR valid_from <= ?)" \
	    " AND (valid_to IS NULL OR valid_to >= ?) LIMIT 1") \
	X(S_FACILITY_EXISTS, "SELECT id FROM facility WHERE id = ?") \
	X(S_AUDIT_LIST, \
	    "SELECT id, " ISO("at") ", user_id, username, ip, action, entity," \
	    " entity_id, before_json, after_json FROM audit_log" AUDIT_FILTER \
	    " ORDER BY id DESC LIMIT ? OFFSET ?") \
	X(S_AUDIT_COUNT, "SELECT COUNT(*) FROM audit_log" AUDIT_FILTER)

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
enum stmt { STATEMENTS(AS_ENUM) S__MAX };
static const char *const sqls[] = { STATEMENTS(AS_TEXT) };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define LOGIN_MAX_FAILURES	conf_int("KC_LOGIN_MAX_FAILURES", 5, 1, 1000)

/*
 * Column specs: the JSON name of each selected column, with a prefix
 * for its type: '#' integer, '?' boolean, '*' comma list (a SET) as an
 * array, '$' JSON text, none: string. SQL NULL is JSON null.
 */
static json_object *
row_json(struct db_res *q, const char *const *cols, size_t n)
{
	json_object	*o = json_object_new_object(), *v, *arr;
	const char	*s, *name, *p, *e;
	size_t		 i;

	for (i = 0; i < n; i++) {
		name = cols[i];
		s = db_str(q, i);
		v = NULL;
		switch (name[0]) {
		case '#':
			name++;
			if (s != NULL)
				v = json_object_new_int64(db_int(q, i));
			break;
		case '?':
			name++;
			v = json_object_new_boolean(s != NULL && db_int(q, i));
			break;
		case '*':
			name++;
			arr = json_object_new_array();
			for (p = s; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
				e = strchr(p, ',');
				if (e == NULL)
					e = p + strlen(p);
				json_object_array_add(arr,
				    json_object_new_string_len(p, (int)(e - p)));
			}
			v = arr;
			break;
		case '$':
			name++;
			if (s != NULL)
				v = json_tokener_parse(s);
			break;
		default:
			if (s != NULL)
				v = json_object_new_string(s);
		}
		json_object_object_add(o, name, v);
	}
	return o;
}

static struct db_param
pint(const struct value *v)
{
	return v->set ? DB_INT(v->i) : DB_NULL;
}

static struct db_param
pstr(const struct value *v)
{
	return v->set ? DB_STRN(v->s, v->len) : DB_NULL;
}

static const char *
id_text(struct req *r, long long id)
{
	return arena_printf(r->a, "%lld", id);
}

/* A route parameter as a positive id; 0 when it is not one. */
static long long
param_id(struct req *r, size_t i)
{
	const char	*s = r->param[i];
	long long	 n = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 15)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n;
}

static int
not_found(struct req *r)
{
	return resp_error(r, 404, "not_found", "Không tìm thấy mục này.");
}

/* Roll back and answer the database error. */
static int
fail_db(struct req *r)
{
	db_rollback(r->db);
	return resp_db(r);
}

/* Roll back and answer a 409 with message. */
static int
fail_conflict(struct req *r, const char *message)
{
	db_rollback(r->db);
	return resp_error(r, 409, "conflict", message);
}

/* Write the audit row and commit; answer status with body o. */
static int
commit_audited(struct req *r, const char *action, const char *entity,
    const char *id, json_object *before, json_object *after, int status,
    json_object *body)
{
	int	 rc;

	rc = audit_write(r, action, entity, id, before, after);
	json_object_put(before);
	if (body != after)
		json_object_put(after);
	if (rc < 0 || db_commit(r->db) < 0) {
		json_object_put(body);
		return fail_db(r);
	}
	return resp_json(r, status, body);
}

/* One row of stmt(id) as JSON (NULL, *found = 0 when absent). */
static json_object *
fetch_row(struct req *r, int stmt, const struct db_param *p, size_t np,
    const char *const *cols, size_t n, int *found)
{
	struct db_res	*q;

	*found = 0;
	if ((q = db_query(r->db, r->a, stmt, p, np)) == NULL)
		return NULL;
	if (!db_next(q)) {
		*found = 1;	/* ran, nothing found: caller checks NULL */
		return NULL;
	}
	*found = 2;
	return row_json(q, cols, n);
}

/* ---- input checks ---- */

/*
 * A call's opening or closing time → "YYYY-MM-DD HH:MM:SS" UTC for SQL.
 * A bare day is Vietnam's: opening on 01/11 starts at 00:00 of 01/11 in
 * Vietnam, closing on 30/11 takes applications until 23:59:59 of 30/11
 * there (closes_at is 01/12 00:00 in Vietnam, excluded). An instant is
 * ISO 8601 (Z, an offset, or no zone for UTC). See clock_parse().
 */
static const char *
call_time(struct req *r, struct value *v, int end_of_day)
{
	char	 sql[CLOCK_SQL_LEN];
	time_t	 t;

	if (clock_parse(v->s, end_of_day, &t) != 0)
		return "Ngày (YYYY-MM-DD, theo giờ Việt Nam) hoặc thời điểm"
		    " (YYYY-MM-DDTHH:MM:SSZ) không hợp lệ";
	clock_sql(t, sql);
	v->s = arena_strdup(r->a, sql);
	v->len = strlen(v->s);
	return NULL;
}

static const char *
check_opens(struct req *r, struct value *v)
{
	return call_time(r, v, 0);
}

static const char *
check_closes(struct req *r, struct value *v)
{
	return call_time(r, v, 1);
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

static const char *
check_username(struct req *r, struct value *v)
{
	const char	*s;

	(void)r;
	for (s = v->s; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '_' || *s == '-'))
			return "Chỉ gồm chữ thường không dấu, số và . _ -";
	return NULL;
}

static const char *
check_kind(struct req *r, struct value *v)
{
	static const char *const kinds[] = { "trade_fair",
	    "brand_registration", "label_printing", "demo_model", "training" };
	size_t	 i;

	(void)r;
	for (i = 0; i < NELEM(kinds); i++)
		if (strcmp(v->s, kinds[i]) == 0)
			return NULL;
	return "Loại đợt hỗ trợ không hợp lệ";
}

static const char *
check_act_status(struct req *r, struct value *v)
{
	(void)r;
	if (strcmp(v->s, "planned") == 0 || strcmp(v->s, "in_progress") == 0 ||
	    strcmp(v->s, "done") == 0 || strcmp(v->s, "cancelled") == 0)
		return NULL;
	return "Trạng thái không hợp lệ (planned, in_progress, done, cancelled)";
}

static const char *
check_app_status(struct req *r, struct value *v)
{
	(void)r;
	if (strcmp(v->s, "submitted") == 0 ||
	    strcmp(v->s, "under_review") == 0 ||
	    strcmp(v->s, "approved") == 0 || strcmp(v->s, "rejected") == 0 ||
	    strcmp(v->s, "withdrawn") == 0)
		return NULL;
	return "Trạng thái không hợp lệ";
}

static const char *
check_content_code(struct req *r, struct value *v)
{
	(void)r;
	if (strlen(v->s) == 1 && v->s[0] >= '1' && v->s[0] <= '4')
		return NULL;
	return "Mã nội dung là 1, 2, 3 hoặc 4";
}

/* ---- sign-in ---- */

static json_object *
user_public(long long id, const char *username, const char *display,
    const char *roles)
{
	json_object	*o = json_object_new_object(), *arr;
	const char	*p, *e;

	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "username", json_object_new_string(username));
	json_object_object_add(o, "display_name",
	    json_object_new_string(display));
	arr = json_object_new_array();
	for (p = roles; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		json_object_array_add(arr, json_object_new_string_len(p,
		    (int)(e - p)));
	}
	json_object_object_add(o, "roles", arr);
	return o;
}

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

static const struct field login_fields[] = {
	{ "username", F_STR, F_REQUIRED, 1, 64, NULL },
	{ "password", F_TEXT, F_REQUIRED, 1, 256, NULL },
	{ "otp", F_STR, 0, 0, 16, NULL },
	{ "recovery_code", F_STR, 0, 0, 40, NULL },
};

static int
login_refused(struct req *r)
{
	return resp_error(r, 401, "unauthorized",
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
	if (db_exec(r->db, S_LOGIN_FAIL, DB_ARGS(DB_STR(name),
	    DB_INT(LOGIN_MAX_FAILURES), DB_INT(LOGIN_MAX_FAILURES))) < 0 ||
	    db_exec(r->db, S_LOGIN_FAIL_USER, DB_ARGS(DB_STR(name))) < 0)
		return resp_db(r);
	if (mfa == MFA_MISSING)
		return resp_error(r, 401, "second_factor_required",
		    "Tài khoản này bật xác thực hai bước: nhập mã 6 chữ số "
		    "trong ứng dụng xác thực, hoặc một mã khôi phục.");
	if (mfa == MFA_WRONG)
		return resp_error(r, 401, "second_factor_invalid",
		    "Mã xác thực không đúng, đã hết hạn hoặc đã được dùng.");
	return login_refused(r);
}

/* 429 while name is slowed down: 1 if answered, 0 if not, < 0 error. */
static int
login_throttled(struct req *r, const char *name)
{
	struct db_res	*q;
	long long	 wait;

	q = db_query(r->db, r->a, S_LOGIN_THROTTLE, DB_ARGS(DB_STR(name)));
	if (q == NULL)
		return resp_db(r);
	if (!db_next(q))
		return 0;
	wait = db_int(q, 0);
	resp_add_header(r, "Retry-After", arena_printf(r->a, "%lld",
	    wait > 0 ? wait : 1));
	return resp_error(r, 429, "rate_limited",
	    "Đăng nhập sai nhiều lần. Vui lòng thử lại sau ít phút.");
}

static const char *const factor_names[] = {
	[MFA_TOTP] = "totp", [MFA_RECOVERY] = "recovery_code",
};

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
	struct auth_user	 u = { uid, name, 0, 0, NULL, NULL, 0, 0 };
	json_object		*after;
	int			 rc;

	auth_new_token(tok);
	auth_new_token(csrf);
	auth_token_hash(th, tok, strlen(tok));
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (auth_token_valid(old)) {
		char	 oh[AUTH_HASH_LEN + 1];

		auth_token_hash(oh, old, strlen(old));
		if (db_exec(r->db, S_SESSION_END_TOKEN, DB_ARGS(DB_STR(oh))) < 0)
			return fail_db(r);
	}
	if (db_exec(r->db, S_SESSION_NEW, DB_ARGS(DB_STR(th), DB_INT(uid),
	    DB_STR(csrf), DB_INT(mfa == MFA_ENROL), DB_INT(auth_idle_seconds()),
	    DB_INT(auth_max_seconds()), DB_STR(r->remote_addr))) < 0)
		return fail_db(r);
	u.session_id = db_insert_id(r->db);
	if (db_exec(r->db, S_LOGIN_CLEAR, DB_ARGS(DB_STR(name))) < 0 ||
	    db_exec(r->db, S_LOGIN_OK_USER, DB_ARGS(DB_INT(uid))) < 0 ||
	    db_exec(r->db, S_SESSIONS_PURGE, DB_NOARGS) < 0)
		return fail_db(r);
	r->user = &u;
	after = json_object_new_object();
	json_object_object_add(after, "session_id",
	    json_object_new_int64(u.session_id));
	json_object_object_add(after, "second_factor",
	    mfa == MFA_TOTP || mfa == MFA_RECOVERY ?
	    json_object_new_string(factor_names[mfa]) : NULL);
	if (mfa == MFA_ENROL)
		json_object_object_add(after, "enrol_only",
		    json_object_new_boolean(1));
	rc = audit_write(r, "login", "staff_session",
	    id_text(r, u.session_id), NULL, after);
	json_object_put(after);
	r->user = NULL;
	if (rc < 0 || db_commit(r->db) < 0)
		return fail_db(r);
	set_cookie(r, tok, auth_max_seconds());
	sodium_memzero(tok, sizeof(tok));
	return 0;
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
	struct value	 v[NELEM(login_fields)];
	struct db_res	*q;
	json_object	*o;
	const char	*hash_db = NULL;
	char		 csrf[AUTH_TOKEN_LEN + 1], *name;
	long long	 uid = 0;
	int		 rc, ok, disabled = 1, mfa;
	size_t		 i;

	if ((rc = req_fields(r, login_fields, NELEM(login_fields), v)) != 0)
		return rc;
	name = arena_strdup(r->a, v[0].s);
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] += 'a' - 'A';
	if (check_username(r, &(struct value){ .s = name }) != NULL) {
		/* No account can have this name: the same answer and work. */
		auth_dummy_check(v[1].s, v[1].len);
		return login_refused(r);
	}
	if ((rc = login_throttled(r, name)) != 0)
		return rc;
	if ((q = db_query(r->db, r->a, S_LOGIN_USER, DB_ARGS(DB_STR(name))))
	    == NULL)
		return resp_db(r);
	if (db_next(q)) {
		uid = db_int(q, 0);
		hash_db = db_str(q, 1);
		disabled = (int)db_int(q, 2);
	}
	if (hash_db != NULL)
		ok = auth_check_password(hash_db, v[1].s, v[1].len);
	else {
		auth_dummy_check(v[1].s, v[1].len);
		ok = 0;
	}
	sodium_memzero((char *)v[1].s, v[1].len);
	if (!ok || disabled)
		return login_failed(r, name, MFA_NONE);
	mfa = mfa_login(r, uid, (unsigned int)db_int(q, 6), &v[2], &v[3]);
	if (mfa < 0)
		return resp_db(r);
	if (mfa == MFA_MISSING || mfa == MFA_WRONG)
		return login_failed(r, name, mfa);
	if ((rc = open_session(r, uid, db_str(q, 3), mfa, csrf)) != 0)
		return rc;
	o = json_object_new_object();
	json_object_object_add(o, "user", user_public(uid, db_str(q, 3),
	    db_str(q, 4), db_str(q, 5)));
	json_object_object_add(o, "csrf_token", json_object_new_string(csrf));
	json_object_object_add(o, "two_factor", json_object_new_boolean(
	    mfa == MFA_TOTP || mfa == MFA_RECOVERY));
	json_object_object_add(o, "enrol_required",
	    json_object_new_boolean(mfa == MFA_ENROL));
	return resp_json(r, 200, o);
}

/*
 * POST /api/auth/logout (session, CSRF) → 200 {"status":"signed_out"};
 * the session ends in the database and the cookie is cleared.
 */
static int
h_auth_logout(struct req *r)
{
	const struct auth_user	*u = auth_user(r);
	json_object		*before;

	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (db_exec(r->db, S_SESSION_END, DB_ARGS(DB_INT(u->session_id))) < 0)
		return fail_db(r);
	before = json_object_new_object();
	json_object_object_add(before, "session_id",
	    json_object_new_int64(u->session_id));
	set_cookie(r, "", 0);
	{
		json_object	*o = json_object_new_object();

		json_object_object_add(o, "status",
		    json_object_new_string("signed_out"));
		return commit_audited(r, "logout", "staff_session",
		    id_text(r, u->session_id), before, NULL, 200, o);
	}
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
	struct db_res		*q;
	json_object		*o;

	q = db_query(r->db, r->a, S_SESSION_INFO, DB_ARGS(DB_INT(u->session_id)));
	if (q == NULL)
		return resp_db(r);
	if (!db_next(q))
		return resp_error(r, 401, "unauthorized", "Phiên đã kết thúc.");
	o = json_object_new_object();
	json_object_object_add(o, "user", user_public(u->id, u->username,
	    u->display_name, roles_text(r, u->roles)));
	json_object_object_add(o, "csrf_token", json_object_new_string(u->csrf));
	json_object_object_add(o, "two_factor",
	    json_object_new_boolean(u->two_factor));
	json_object_object_add(o, "two_factor_required", json_object_new_boolean(
	    (u->roles & AUTH_MFA_ROLES) != 0));
	json_object_object_add(o, "enrol_required",
	    json_object_new_boolean(u->enrol_only));
	json_object_object_add(o, "created_at",
	    json_object_new_string(db_str(q, 0)));
	json_object_object_add(o, "idle_expires_at",
	    json_object_new_string(db_str(q, 1)));
	json_object_object_add(o, "expires_at",
	    json_object_new_string(db_str(q, 2)));
	return resp_json(r, 200, o);
}

/* ---- users (admin) ---- */

static const char *const user_cols[] = { "#id", "username", "display_name",
	"*roles", "?disabled", "last_login_at", "#failed_logins", "created_at" };
static const struct csv_col user_csv[] = {
	{ "id", "id" }, { "username", "username" },
	{ "display_name", "display_name" }, { "roles", "roles" },
	{ "disabled", "disabled" }, { "last_login_at", "last_login_at" },
};

/* GET /api/admin/users[.csv] (admin, auditor) → every staff account. */
static int
h_users_list(struct req *r)
{
	struct db_res	*q;
	json_object	*items;

	if ((q = db_query(r->db, r->a, S_USER_LIST, DB_NOARGS)) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q))
		json_object_array_add(items, row_json(q, user_cols,
		    NELEM(user_cols)));
	return resp_list(r, items, (long long)q->rows, 1, (long long)q->rows,
	    "staff-users", user_csv, NELEM(user_csv));
}

static const struct field user_add_fields[] = {
	{ "username", F_STR, F_REQUIRED, 2, 64, check_username },
	{ "display_name", F_STR, F_REQUIRED, 1, 120, NULL },
	{ "password", F_TEXT, F_REQUIRED, 10, 256, NULL },
	{ "roles", F_STRLIST, F_REQUIRED, 1, 20, check_roles },
};

/*
 * POST /api/admin/users {username, display_name, password, roles:[..]}
 * (admin) → 201 the user; 409 when the name is taken; 422.
 */
static int
h_users_create(struct req *r)
{
	struct value	 v[NELEM(user_add_fields)];
	char		 hash[crypto_pwhash_STRBYTES];
	json_object	*after;
	long long	 id;
	int		 rc, found;

	if ((rc = req_fields(r, user_add_fields, NELEM(user_add_fields), v))
	    != 0)
		return rc;
	rc = auth_hash_password(hash, v[2].s, v[2].len);
	sodium_memzero((char *)v[2].s, v[2].len);
	if (rc < 0)
		return resp_error(r, 500, "internal", "Không tạo được mật khẩu.");
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (db_exec(r->db, S_USER_ADD, DB_ARGS(pstr(&v[0]), pstr(&v[1]),
	    DB_STR(hash), DB_INT(v[3].i))) < 0) {
		if (db_last_error(r->db) == DB_EDUP)
			return fail_conflict(r, "Tên đăng nhập đã có người dùng.");
		return fail_db(r);
	}
	id = db_insert_id(r->db);
	after = fetch_row(r, S_USER_GET, DB_ARGS(DB_INT(id)), user_cols,
	    NELEM(user_cols), &found);
	if (after == NULL)
		return fail_db(r);
	return commit_audited(r, "user.create", "staff_user", id_text(r, id),
	    NULL, after, 201, after);
}

static const struct field user_edit_fields[] = {
	{ "display_name", F_STR, 0, 1, 120, NULL },
	{ "roles", F_STRLIST, 0, 0, 20, check_roles },
	{ "disabled", F_BOOL, 0, 0, 1, NULL },
	{ "password", F_TEXT, 0, 10, 256, NULL },
};

/*
 * PATCH /api/admin/users/{id} {display_name?, roles?, disabled?,
 * password?} (admin) → 200 the user. Disabling a user or setting a new
 * password ends the user's sessions. An admin cannot disable or demote
 * themself (409). 404, 422.
 */
static int
h_users_update(struct req *r)
{
	struct value	 v[NELEM(user_edit_fields)];
	const struct auth_user *me = auth_user(r);
	char		 hash[crypto_pwhash_STRBYTES];
	json_object	*before, *after, *jv;
	const char	*display;
	long long	 id = param_id(r, 0), roles, disabled;
	struct db_res	*q;
	int		 rc;

	if ((rc = req_fields(r, user_edit_fields, NELEM(user_edit_fields), v))
	    != 0)
		return rc;
	if (id == 0)
		return not_found(r);
	if (v[3].set) {
		rc = auth_hash_password(hash, v[3].s, v[3].len);
		sodium_memzero((char *)v[3].s, v[3].len);
		if (rc < 0)
			return resp_error(r, 500, "internal",
			    "Không tạo được mật khẩu.");
	}
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((q = db_query(r->db, r->a, S_USER_GET, DB_ARGS(DB_INT(id)))) ==
	    NULL)
		return fail_db(r);
	if (!db_next(q)) {
		db_rollback(r->db);
		return not_found(r);
	}
	before = row_json(q, user_cols, NELEM(user_cols));
	display = v[0].set ? v[0].s : db_str(q, 2);
	roles = 0;
	json_object_object_get_ex(before, "roles", &jv);
	for (size_t i = 0; i < json_object_array_length(jv); i++)
		roles |= auth_role_bit(json_object_get_string(
		    json_object_array_get_idx(jv, i)));
	if (v[1].set)
		roles = v[1].i;
	disabled = v[2].set ? v[2].i : db_int(q, 4);
	if (id == me->id && (disabled || !(roles & ROLE_ADMIN))) {
		json_object_put(before);
		return fail_conflict(r, "Không thể tự khoá hoặc bỏ quyền quản"
		    " trị của chính mình.");
	}
	if (db_exec(r->db, S_USER_UPDATE, DB_ARGS(DB_STR(display),
	    DB_INT(roles), DB_INT(disabled), DB_INT(id))) < 0 ||
	    (v[3].set && db_exec(r->db, S_USER_PASSWORD, DB_ARGS(DB_STR(hash),
	    DB_INT(id))) < 0) ||
	    ((disabled || v[3].set) && db_exec(r->db, S_SESSIONS_END_USER,
	    DB_ARGS(DB_INT(id))) < 0)) {
		json_object_put(before);
		return fail_db(r);
	}
	if ((q = db_query(r->db, r->a, S_USER_GET, DB_ARGS(DB_INT(id)))) ==
	    NULL || !db_next(q)) {
		json_object_put(before);
		return fail_db(r);
	}
	after = row_json(q, user_cols, NELEM(user_cols));
	if (v[3].set)
		json_object_object_add(after, "password_changed",
		    json_object_new_boolean(1));
	return commit_audited(r, "user.update", "staff_user", id_text(r, id),
	    before, after, 200, after);
}

/* ---- calls (reviewer) ---- */

static const char *const call_cols[] = { "#id", "#year", "kind", "title",
	"description", "opens_at", "closes_at", "#capacity",
	"#max_support_vnd", "#activity_id", "opens_on", "closes_on", "?open",
	"#applications" };
static const struct csv_col call_csv[] = {
	{ "id", "id" }, { "year", "year" }, { "kind", "kind" },
	{ "title", "title" }, { "opens_at", "opens_at" },
	{ "closes_at", "closes_at" }, { "max_support_vnd", "max_support_vnd" },
	{ "open", "open" }, { "applications", "applications" },
	{ "opens_on", "opens_on" }, { "closes_on", "closes_on" },
};
#define NCALL_ROW	(NELEM(call_cols) - 1)	/* without applications */

/* GET /api/admin/calls[.csv]?page&per_page (reviewer, auditor). */
static int
h_calls_list(struct req *r)
{
	struct db_res	*q, *c;
	json_object	*items;
	char		 now[CLOCK_SQL_LEN];
	long long	 page, per;
	int		 rc;

	if ((rc = req_page(r, &page, &per)) != 0)
		return rc;
	if ((c = db_query(r->db, r->a, S_CALL_COUNT, DB_NOARGS)) == NULL ||
	    !db_next(c))
		return resp_db(r);
	clock_now_sql(now);
	if ((q = db_query(r->db, r->a, S_CALL_LIST, DB_ARGS(DB_STR(now),
	    DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 : (page - 1) *
	    per)))) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q))
		json_object_array_add(items, row_json(q, call_cols,
		    NELEM(call_cols)));
	return resp_list(r, items, db_int(c, 0), page, per, "calls", call_csv,
	    NELEM(call_csv));
}

/* One call as JSON, its open flag as of clock_now(); see fetch_row. */
static json_object *
call_row(struct req *r, long long id, int *found)
{
	char	 now[CLOCK_SQL_LEN];

	clock_now_sql(now);
	return fetch_row(r, S_CALL_GET, DB_ARGS(DB_STR(now), DB_INT(id)),
	    call_cols, NCALL_ROW, found);
}

/* GET /api/admin/calls/{id} (reviewer, auditor) → one call; 404. */
static int
h_calls_get(struct req *r)
{
	json_object	*o;
	int		 found;

	o = call_row(r, param_id(r, 0), &found);
	if (o == NULL)
		return found ? not_found(r) : resp_db(r);
	return resp_json(r, 200, o);
}

static const struct field call_fields[] = {
	{ "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "kind", F_STR, F_REQUIRED, 1, 40, check_kind },
	{ "title", F_STR, F_REQUIRED, 3, 255, NULL },
	{ "description", F_TEXT, 0, 0, 5000, NULL },
	{ "opens_at", F_STR, F_REQUIRED, 10, 30, check_opens },
	{ "closes_at", F_STR, F_REQUIRED, 10, 30, check_closes },
	{ "capacity", F_INT, 0, 1, 100000, NULL },
	{ "max_support_vnd", F_INT, F_REQUIRED, 1, 100000000000LL, NULL },
	{ "activity_id", F_INT, 0, 1, 1LL << 53, NULL },
};

/* The fields of a call; 0 or the 422 already written. */
static int
call_input(struct req *r, struct value *v)
{
	int	 rc;

	if ((rc = req_fields(r, call_fields, NELEM(call_fields), v)) != 0)
		return rc;
	if (strcmp(v[5].s, v[4].s) <= 0) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "closes_at", json_object_new_string(
		    "Phải sau thời điểm mở"));
		return resp_invalid(r, f);
	}
	return 0;
}

/*
 * POST /api/admin/calls {year, kind, title, description?, opens_at,
 * closes_at, capacity?, max_support_vnd, activity_id?} (reviewer) → 201
 * the call. opens_at and closes_at: a day in Vietnam (YYYY-MM-DD: from
 * its start; to its end) or a UTC ISO 8601 instant. The call comes back
 * with opens_on and closes_on, its first and last days in Vietnam. 422.
 */
static int
h_calls_create(struct req *r)
{
	struct value	 v[NELEM(call_fields)];
	json_object	*after;
	long long	 id;
	int		 rc, found;

	if ((rc = call_input(r, v)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (db_exec(r->db, S_CALL_INSERT, DB_ARGS(pint(&v[0]), pstr(&v[1]),
	    pstr(&v[2]), pstr(&v[3]), pstr(&v[4]), pstr(&v[5]), pint(&v[6]),
	    pint(&v[7]), pint(&v[8]))) < 0)
		return fail_db(r);
	id = db_insert_id(r->db);
	if ((after = call_row(r, id, &found)) == NULL)
		return fail_db(r);
	return commit_audited(r, "call.create", "support_call", id_text(r, id),
	    NULL, after, 201, after);
}

/*
 * PUT /api/admin/calls/{id} (reviewer), the same fields as POST: edits
 * the call → 200 the call; 404, 422.
 * POST /api/admin/calls/{id}/open {closes_at?} → opens it now (until
 * closes_at, or its current closing time); 409 when that has passed.
 * POST /api/admin/calls/{id}/close → closes it now; 409 if closed.
 */
static int
call_change(struct req *r, const char *action)
{
	struct value	 v[NELEM(call_fields)];
	static const struct field open_fields[] = {
		{ "closes_at", F_STR, 0, 10, 30, check_closes },
	};
	json_object	*before, *after;
	char		 now[CLOCK_SQL_LEN];
	long long	 id = param_id(r, 0);
	int		 rc, found;

	clock_now_sql(now);
	if (strcmp(action, "call.update") == 0)
		rc = call_input(r, v);
	else if (strcmp(action, "call.open") == 0)
		rc = req_fields(r, open_fields, 1, v);
	else
		rc = 0;
	if (rc != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((before = call_row(r, id, &found)) == NULL) {
		db_rollback(r->db);
		return found ? not_found(r) : resp_db(r);
	}
	if (strcmp(action, "call.update") == 0)
		rc = db_exec(r->db, S_CALL_UPDATE, DB_ARGS(pint(&v[0]),
		    pstr(&v[1]), pstr(&v[2]), pstr(&v[3]), pstr(&v[4]),
		    pstr(&v[5]), pint(&v[6]), pint(&v[7]), pint(&v[8]),
		    DB_INT(id)));
	else if (strcmp(action, "call.open") == 0)
		rc = db_exec(r->db, S_CALL_OPEN, DB_ARGS(DB_STR(now),
		    pstr(&v[0]), DB_INT(id)));
	else {
		json_object	*op;

		json_object_object_get_ex(before, "open", &op);
		if (!json_object_get_boolean(op)) {
			json_object_put(before);
			return fail_conflict(r, "Đợt hỗ trợ này không đang mở.");
		}
		rc = db_exec(r->db, S_CALL_CLOSE, DB_ARGS(DB_STR(now),
		    DB_STR(now), DB_INT(id)));
	}
	if (rc < 0) {
		json_object_put(before);
		return fail_db(r);
	}
	if ((after = call_row(r, id, &found)) == NULL) {
		json_object_put(before);
		return fail_db(r);
	}
	if (strcmp(action, "call.open") == 0) {
		json_object	*op;

		json_object_object_get_ex(after, "open", &op);
		if (!json_object_get_boolean(op)) {
			json_object_put(before);
			json_object_put(after);
			return fail_conflict(r, "Thời điểm đóng đã qua: hãy nhập"
			    " thời điểm đóng mới (closes_at).");
		}
	}
	return commit_audited(r, action, "support_call", id_text(r, id),
	    before, after, 200, after);
}

static int
h_calls_update(struct req *r)
{
	return call_change(r, "call.update");
}

static int
h_calls_open(struct req *r)
{
	return call_change(r, "call.open");
}

static int
h_calls_close(struct req *r)
{
	return call_change(r, "call.close");
}

/* ---- applications (reviewer) ---- */

static const char *const app_cols[] = { "#id", "ref_code", "status",
	"#call_id", "call_title", "facility_name", "unit_code", "unit_name",
	"#requested_vnd", "#approved_vnd", "created_at", "updated_at",
	"owner_name", "phone", "email", "address", "$products", "note",
	"#facility_id", "tax_code", "facility_kind", "#max_support_vnd" };
#define NAPP_LIST	12
static const struct csv_col app_csv[] = {
	{ "id", "id" }, { "ref_code", "ref_code" }, { "status", "status" },
	{ "call_id", "call_id" }, { "call_title", "call_title" },
	{ "facility_name", "facility_name" }, { "unit_code", "unit_code" },
	{ "unit_name", "unit_name" }, { "requested_vnd", "requested_vnd" },
	{ "approved_vnd", "approved_vnd" }, { "created_at", "created_at" },
};
static const struct field app_filter[] = {
	{ "call", F_INT, 0, 1, 1LL << 40, NULL },
	{ "status", F_STR, 0, 1, 20, check_app_status },
	{ "district", F_STR, 0, 1, 10, NULL },
};

/*
 * GET /api/admin/applications[.csv]?call=&status=&district=&page=&per_page=
 * (reviewer, auditor) → the review queue, newest first. district is a
 * unit code: the application's own unit or its parent. 422.
 */
static int
h_apps_list(struct req *r)
{
	struct value	 v[NELEM(app_filter)];
	struct db_res	*q, *c;
	json_object	*items;
	long long	 page, per;
	int		 rc;

	if ((rc = req_fields(r, app_filter, NELEM(app_filter), v)) != 0 ||
	    (rc = req_page(r, &page, &per)) != 0)
		return rc;
#define APP_ARGS pint(&v[0]), pint(&v[0]), pstr(&v[1]), pstr(&v[1]), \
	pstr(&v[2]), pstr(&v[2]), pstr(&v[2])
	if ((c = db_query(r->db, r->a, S_APP_COUNT, DB_ARGS(APP_ARGS))) ==
	    NULL || !db_next(c))
		return resp_db(r);
	if ((q = db_query(r->db, r->a, S_APP_LIST, DB_ARGS(APP_ARGS,
	    DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 :
	    (page - 1) * per)))) == NULL)
		return resp_db(r);
#undef APP_ARGS
	items = json_object_new_array();
	while (db_next(q))
		json_object_array_add(items, row_json(q, app_cols, NAPP_LIST));
	return resp_list(r, items, db_int(c, 0), page, per, "applications",
	    app_csv, NELEM(app_csv));
}

static const char *const event_cols[] = { "#id", "status", "reason",
	"#amount_vnd", "at", "by" };

/*
 * GET /api/admin/applications/{id} (reviewer, auditor) → the
 * application with the facility's contact details and its history
 * ("events", oldest first); 404.
 */
static int
h_apps_get(struct req *r)
{
	struct db_res	*q;
	json_object	*o, *ev;
	long long	 id = param_id(r, 0);
	int		 found;

	if ((o = fetch_row(r, S_APP_GET, DB_ARGS(DB_INT(id)), app_cols,
	    NELEM(app_cols), &found)) == NULL)
		return found ? not_found(r) : resp_db(r);
	if ((q = db_query(r->db, r->a, S_APP_EVENTS, DB_ARGS(DB_INT(id)))) ==
	    NULL) {
		json_object_put(o);
		return resp_db(r);
	}
	ev = json_object_new_array();
	while (db_next(q))
		json_object_array_add(ev, row_json(q, event_cols,
		    NELEM(event_cols)));
	json_object_object_add(o, "events", ev);
	return resp_json(r, 200, o);
}

static const struct field decide_fields[] = {
	{ "approved_vnd", F_INT, 0, 1, 100000000000LL, NULL },
	{ "reason", F_TEXT, 0, 1, 1000, NULL },
};

/*
 * A review decision: status "under_review", "approved" (approved_vnd
 * required, at most the call's maximum) or "rejected" (reason required,
 * shown to the applicant). A new application_event row and the new
 * status; history is never overwritten. 409 when the application is
 * already decided; 404, 422.
 */
static int
app_decide(struct req *r, const char *status)
{
	struct value	 v[NELEM(decide_fields)];
	struct db_res	*q;
	json_object	*before, *after, *f = NULL, *o;
	long long	 id = param_id(r, 0), amount = 0, callmax;
	const char	*cur;
	int		 rc, approve = strcmp(status, "approved") == 0;
	int		 reject = strcmp(status, "rejected") == 0;

	if ((rc = req_fields(r, decide_fields, NELEM(decide_fields), v)) != 0)
		return rc;
	if (approve && !v[0].set) {
		f = json_object_new_object();
		json_object_object_add(f, "approved_vnd",
		    json_object_new_string("Bắt buộc khi duyệt"));
	}
	if (reject && !v[1].set) {
		f = json_object_new_object();
		json_object_object_add(f, "reason",
		    json_object_new_string("Bắt buộc khi từ chối"));
	}
	if (f != NULL)
		return resp_invalid(r, f);
	if (approve)
		amount = v[0].i;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((q = db_query(r->db, r->a, S_APP_LOCK, DB_ARGS(DB_INT(id)))) ==
	    NULL)
		return fail_db(r);
	if (!db_next(q)) {
		db_rollback(r->db);
		return not_found(r);
	}
	cur = db_str(q, 2);
	if (strcmp(cur, "submitted") != 0 && strcmp(cur, "under_review") != 0)
		return fail_conflict(r, "Hồ sơ này đã có quyết định.");
	if (strcmp(status, "under_review") == 0 &&
	    strcmp(cur, "under_review") == 0)
		return fail_conflict(r, "Hồ sơ này đang được xem xét.");
	before = json_object_new_object();
	json_object_object_add(before, "ref_code",
	    json_object_new_string(db_str(q, 1)));
	json_object_object_add(before, "status", json_object_new_string(cur));
	json_object_object_add(before, "approved_vnd", db_isnull(q, 4) ? NULL :
	    json_object_new_int64(db_int(q, 4)));
	if (approve) {
		struct db_res	*m = db_query(r->db, r->a, S_CALL_MAX,
		    DB_ARGS(DB_INT(db_int(q, 5))));

		if (m == NULL || !db_next(m)) {
			json_object_put(before);
			return fail_db(r);
		}
		callmax = db_int(m, 0);
		if (amount > callmax) {
			json_object_put(before);
			db_rollback(r->db);
			f = json_object_new_object();
			json_object_object_add(f, "approved_vnd",
			    json_object_new_string(arena_printf(r->a,
			    "Vượt mức hỗ trợ tối đa của đợt (%lld đồng)",
			    callmax)));
			return resp_invalid(r, f);
		}
	}
	if (db_exec(r->db, S_APP_EVENT_ADD, DB_ARGS(DB_INT(id),
	    DB_STR(status), pstr(&v[1]), approve ? DB_INT(amount) : DB_NULL,
	    DB_INT(auth_user(r)->id))) < 0 ||
	    db_exec(r->db, S_APP_SET, DB_ARGS(DB_STR(status),
	    approve ? DB_INT(amount) : DB_NULL, DB_INT(id))) < 0) {
		json_object_put(before);
		return fail_db(r);
	}
	after = json_object_new_object();
	json_object_object_add(after, "ref_code",
	    json_object_new_string(db_str(q, 1)));
	json_object_object_add(after, "status", json_object_new_string(status));
	json_object_object_add(after, "approved_vnd", approve ?
	    json_object_new_int64(amount) : NULL);
	json_object_object_add(after, "reason", v[1].set ?
	    json_object_new_string(v[1].s) : NULL);
	o = after;
	return commit_audited(r, arena_printf(r->a, "application.%s",
	    approve ? "approve" : reject ? "reject" : "review"), "application",
	    id_text(r, id), before, after, 200, o);
}

/* POST /api/admin/applications/{id}/review: take it into review. */
static int
h_apps_review(struct req *r)
{
	return app_decide(r, "under_review");
}

/* POST /api/admin/applications/{id}/approve {approved_vnd, reason?}. */
static int
h_apps_approve(struct req *r)
{
	return app_decide(r, "approved");
}

/* POST /api/admin/applications/{id}/reject {reason}. */
static int
h_apps_reject(struct req *r)
{
	return app_decide(r, "rejected");
}

/* ---- budget (finance) ---- */

static const char *const plan_cols[] = { "#year", "title", "#total_vnd",
	"decision_no", "decision_date", "approved_by", "source", "?sample" };
static const char *const content_cols[] = { "#year", "code", "title",
	"description" };
static const char *const act_cols[] = { "#id", "#year", "content_code",
	"title", "unit_name", "#planned_vnd", "target", "status", "#progress",
	"#allocated_vnd", "#disbursed_vnd", "#settled_vnd" };
#define NACT_ROW	9
static const char *const alloc_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "allocated_on", "decision_no", "note" };
static const char *const disb_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "paid_on", "voucher_no", "#facility_id",
	"facility_name", "beneficiary", "#application_id", "unit_code",
	"unit_name", "note" };
static const char *const settle_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "settled_on", "document_no", "note" };
static const struct csv_col plan_csv[] = {
	{ "year", "year" }, { "title", "title" }, { "total_vnd", "total_vnd" },
	{ "decision_no", "decision_no" }, { "decision_date", "decision_date" },
};

/* GET /api/admin/plans[.csv] (finance, auditor) → every plan year. */
static int
h_plans_list(struct req *r)
{
	struct db_res	*q;
	json_object	*items;

	if ((q = db_query(r->db, r->a, S_PLAN_LIST, DB_NOARGS)) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q))
		json_object_array_add(items, row_json(q, plan_cols,
		    NELEM(plan_cols)));
	return resp_list(r, items, (long long)q->rows, 1, (long long)q->rows,
	    "plans", plan_csv, NELEM(plan_csv));
}

/* Append every row of stmt(id) to a new array under key in o. */
static int
add_rows(struct req *r, json_object *o, const char *key, int stmt,
    long long id, const char *const *cols, size_t n)
{
	struct db_res	*q;
	json_object	*arr;

	if ((q = db_query(r->db, r->a, stmt, DB_ARGS(DB_INT(id)))) == NULL)
		return -1;
	arr = json_object_new_array();
	while (db_next(q))
		json_object_array_add(arr, row_json(q, cols, n));
	json_object_object_add(o, key, arr);
	return 0;
}

/*
 * GET /api/admin/plans/{year} (finance, auditor) → the plan with its
 * "contents" and "activities" (each with allocated/disbursed/settled
 * sums); 404.
 */
static int
h_plans_get(struct req *r)
{
	json_object	*o;
	long long	 year = param_id(r, 0);
	int		 found;

	if ((o = fetch_row(r, S_PLAN_GET, DB_ARGS(DB_INT(year)), plan_cols,
	    NELEM(plan_cols), &found)) == NULL)
		return found ? not_found(r) : resp_db(r);
	if (add_rows(r, o, "contents", S_CONTENT_LIST, year, content_cols,
	    NELEM(content_cols)) < 0 || add_rows(r, o, "activities",
	    S_ACT_LIST, year, act_cols, NELEM(act_cols)) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	return resp_json(r, 200, o);
}

static const struct field plan_fields[] = {
	{ "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "title", F_STR, F_REQUIRED, 3, 500, NULL },
	{ "total_vnd", F_INT, F_REQUIRED, 0, 1000000000000000LL, NULL },
	{ "decision_no", F_STR, 0, 1, 60, NULL },
	{ "decision_date", F_DATE, 0, 0, 0, NULL },
	{ "approved_by", F_STR, 0, 1, 255, NULL },
	{ "source", F_STR, 0, 1, 500, NULL },
};

/*
 * POST /api/admin/plans {year, title, total_vnd, decision_no?,
 * decision_date?, approved_by?, source?} (finance) → 201; 409 if the
 * year has a plan. PUT /api/admin/plans/{year} (same fields; year from
 * the path) → 200; 404. 422.
 */
static int
plan_save(struct req *r, int create)
{
	struct value	 v[NELEM(plan_fields)];
	json_object	*before = NULL, *after;
	long long	 year;
	int		 rc, found;

	if (!create) {
		/* The year comes from the path. */
		struct field	 f[NELEM(plan_fields)];

		memcpy(f, plan_fields, sizeof(f));
		f[0].flags = 0;
		if ((rc = req_fields(r, f, NELEM(f), v)) != 0)
			return rc;
		v[0].set = 1;
		v[0].i = param_id(r, 0);
	} else if ((rc = req_fields(r, plan_fields, NELEM(plan_fields), v)) != 0)
		return rc;
	year = v[0].i;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (!create) {
		if ((before = fetch_row(r, S_PLAN_GET, DB_ARGS(DB_INT(year)),
		    plan_cols, NELEM(plan_cols), &found)) == NULL) {
			db_rollback(r->db);
			return found ? not_found(r) : resp_db(r);
		}
		rc = db_exec(r->db, S_PLAN_UPDATE, DB_ARGS(pstr(&v[1]),
		    pint(&v[2]), pstr(&v[3]), pstr(&v[4]), pstr(&v[5]),
		    pstr(&v[6]), DB_INT(year)));
	} else
		rc = db_exec(r->db, S_PLAN_INSERT, DB_ARGS(DB_INT(year),
		    pstr(&v[1]), pint(&v[2]), pstr(&v[3]), pstr(&v[4]),
		    pstr(&v[5]), pstr(&v[6])));
	if (rc < 0) {
		json_object_put(before);
		if (db_last_error(r->db) == DB_EDUP)
			return fail_conflict(r, "Năm này đã có kế hoạch.");
		return fail_db(r);
	}
	if ((after = fetch_row(r, S_PLAN_GET, DB_ARGS(DB_INT(year)), plan_cols,
	    NELEM(plan_cols), &found)) == NULL) {
		json_object_put(before);
		return fail_db(r);
	}
	return commit_audited(r, create ? "plan.create" : "plan.update", "plan",
	    id_text(r, year), before, after, create ? 201 : 200, after);
}

static int
h_plans_create(struct req *r)
{
	return plan_save(r, 1);
}

static int
h_plans_update(struct req *r)
{
	return plan_save(r, 0);
}

static const struct field content_fields[] = {
	{ "code", F_STR, F_REQUIRED, 1, 2, check_content_code },
	{ "title", F_STR, F_REQUIRED, 3, 500, NULL },
	{ "description", F_TEXT, 0, 0, 5000, NULL },
};

/*
 * PUT /api/admin/plans/{year}/contents/{code} {title, description?}
 * (finance) → 200 the content area, created (201) when new. 404 for an
 * unknown plan year, 422.
 */
static int
h_contents_put(struct req *r)
{
	struct value	 v[NELEM(content_fields)];
	json_object	*before, *after;
	long long	 year = param_id(r, 0);
	const char	*code = r->param[1];
	int		 rc, found;

	if ((rc = req_fields(r, content_fields + 1, 2, v + 1)) != 0)
		return rc;
	v[0].s = code;
	if (check_content_code(r, &v[0]) != NULL)
		return not_found(r);
	if (db_begin(r->db) < 0)
		return resp_db(r);
	before = fetch_row(r, S_CONTENT_GET, DB_ARGS(DB_INT(year),
	    DB_STR(code)), content_cols, NELEM(content_cols), &found);
	if (found == 0)
		return fail_db(r);
	if (before != NULL)
		rc = db_exec(r->db, S_CONTENT_UPDATE, DB_ARGS(pstr(&v[1]),
		    pstr(&v[2]), DB_INT(year), DB_STR(code)));
	else
		rc = db_exec(r->db, S_CONTENT_INSERT, DB_ARGS(DB_INT(year),
		    DB_STR(code), pstr(&v[1]), pstr(&v[2])));
	if (rc < 0) {
		json_object_put(before);
		if (db_last_error(r->db) == DB_EFAIL) {	/* no such plan */
			db_rollback(r->db);
			return not_found(r);
		}
		return fail_db(r);
	}
	if ((after = fetch_row(r, S_CONTENT_GET, DB_ARGS(DB_INT(year),
	    DB_STR(code)), content_cols, NELEM(content_cols), &found)) ==
	    NULL) {
		json_object_put(before);
		return fail_db(r);
	}
	return commit_audited(r, before != NULL ? "plan_content.update" :
	    "plan_content.create", "plan_content", arena_printf(r->a,
	    "%lld/%s", year, code), before, after, before != NULL ? 200 : 201,
	    after);
}

static const struct field act_fields[] = {
	{ "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "content_code", F_STR, F_REQUIRED, 1, 2, check_content_code },
	{ "title", F_STR, F_REQUIRED, 3, 500, NULL },
	{ "unit_name", F_STR, F_REQUIRED, 2, 255, NULL },
	{ "planned_vnd", F_INT, F_REQUIRED, 0, 1000000000000000LL, NULL },
	{ "target", F_STR, 0, 1, 255, NULL },
	{ "status", F_STR, 0, 1, 20, check_act_status },
	{ "progress", F_INT, 0, 0, 100, NULL },
};

/*
 * POST /api/admin/activities {year, content_code, title, unit_name,
 * planned_vnd, target?, status?, progress?} (finance) → 201; PUT
 * /api/admin/activities/{id} (same fields; the year cannot change) →
 * 200. 404 for an unknown content area or activity, 422.
 */
static int
act_save(struct req *r, int create)
{
	struct value	 v[NELEM(act_fields)];
	json_object	*before = NULL, *after;
	long long	 id = create ? 0 : param_id(r, 0);
	int		 rc, found;

	if ((rc = req_fields(r, act_fields, NELEM(act_fields), v)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if (!create) {
		if ((before = fetch_row(r, S_ACT_GET, DB_ARGS(DB_INT(id)),
		    act_cols, NACT_ROW, &found)) == NULL) {
			db_rollback(r->db);
			return found ? not_found(r) : resp_db(r);
		}
		rc = db_exec(r->db, S_ACT_UPDATE, DB_ARGS(pstr(&v[1]),
		    pstr(&v[2]), pstr(&v[3]), pint(&v[4]), pstr(&v[5]),
		    v[6].set ? pstr(&v[6]) : DB_STR("planned"),
		    v[7].set ? pint(&v[7]) : DB_INT(0), DB_INT(id)));
	} else {
		rc = db_exec(r->db, S_ACT_INSERT, DB_ARGS(pint(&v[0]),
		    pstr(&v[1]), pstr(&v[2]), pstr(&v[3]), pint(&v[4]),
		    pstr(&v[5]), v[6].set ? pstr(&v[6]) : DB_STR("planned"),
		    v[7].set ? pint(&v[7]) : DB_INT(0)));
		id = db_insert_id(r->db);
	}
	if (rc < 0) {
		json_object_put(before);
		if (db_last_error(r->db) == DB_EFAIL) {
			json_object *f = json_object_new_object();

			db_rollback(r->db);
			json_object_object_add(f, "content_code",
			    json_object_new_string("Kế hoạch năm này chưa có"
			    " nội dung này"));
			return resp_invalid(r, f);
		}
		return fail_db(r);
	}
	if ((after = fetch_row(r, S_ACT_GET, DB_ARGS(DB_INT(id)), act_cols,
	    NACT_ROW, &found)) == NULL) {
		json_object_put(before);
		return fail_db(r);
	}
	return commit_audited(r, create ? "activity.create" :
	    "activity.update", "activity", id_text(r, id), before, after,
	    create ? 201 : 200, after);
}

static int
h_acts_create(struct req *r)
{
	return act_save(r, 1);
}

static int
h_acts_update(struct req *r)
{
	return act_save(r, 0);
}

/*
 * GET /api/admin/activities/{id} (finance, auditor) → the activity with
 * its "allocations", "disbursements" and "settlements"; 404.
 */
static int
h_acts_get(struct req *r)
{
	json_object	*o;
	long long	 id = param_id(r, 0);
	int		 found;

	if ((o = fetch_row(r, S_ACT_GET, DB_ARGS(DB_INT(id)), act_cols,
	    NACT_ROW, &found)) == NULL)
		return found ? not_found(r) : resp_db(r);
	if (add_rows(r, o, "allocations", S_ALLOC_LIST, id, alloc_cols,
	    NELEM(alloc_cols)) < 0 || add_rows(r, o, "disbursements",
	    S_DISB_LIST, id, disb_cols, NELEM(disb_cols)) < 0 ||
	    add_rows(r, o, "settlements", S_SETTLE_LIST, id, settle_cols,
	    NELEM(settle_cols)) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	return resp_json(r, 200, o);
}

static const struct field line_fields[] = {
	{ "amount_vnd", F_INT, F_REQUIRED, 1, 1000000000000000LL, NULL },
	{ "date", F_DATE, F_REQUIRED, 0, 0, NULL },
	{ "document_no", F_STR, 0, 1, 60, NULL },
	{ "note", F_STR, 0, 1, 500, NULL },
	/* disbursements only: */
	{ "facility_id", F_INT, 0, 1, 1LL << 53, NULL },
	{ "beneficiary", F_STR, 0, 2, 255, NULL },
	{ "application_id", F_INT, 0, 1, 1LL << 53, NULL },
	{ "unit_code", F_STR, 0, 1, 10, NULL },
};

/*
 * The three kinds of money line: their statements, and the columns of a
 * line as the API and the audit trail show it (the same shape for
 * create, update and delete). A disbursement has the last four too.
 */
struct line_kind {
	const char	*name;		/* entity name in the audit trail */
	int		 insert, lock, row, update, del;
};
static const struct line_kind line_kinds[] = {
	{ "allocation", S_ALLOC_INSERT, S_ALLOC_LOCK, S_ALLOC_ROW,
	    S_ALLOC_UPDATE, S_ALLOC_DELETE },
	{ "disbursement", S_DISB_INSERT, S_DISB_LOCK, S_DISB_ROW,
	    S_DISB_UPDATE, S_DISB_DELETE },
	{ "settlement", S_SETTLE_INSERT, S_SETTLE_LOCK, S_SETTLE_ROW,
	    S_SETTLE_UPDATE, S_SETTLE_DELETE },
};
enum { LK_ALLOC, LK_DISB, LK_SETTLE };
static const char *const line_cols[] = { "#id", "#activity_id",
	"#amount_vnd", "date", "document_no", "note", "#facility_id",
	"beneficiary", "#application_id", "unit_code" };
#define NLINE_ROW(k)	((k) == &line_kinds[LK_DISB] ? NELEM(line_cols) : 6)

/*
 * The fields of a money line (v: NELEM(line_fields) values); for a
 * disbursement, inside the transaction: its beneficiary, that the
 * facility exists and that unit_code names a unit valid on the date
 * (its id in *unit, 0 when not given). 0, or the status already written
 * (a 422 or a database error; the transaction is rolled back).
 */
static int
line_input(struct req *r, const struct line_kind *k, struct value *v,
    long long *unit)
{
	struct db_res	*q;
	json_object	*f = NULL;
	int		 disb = k == &line_kinds[LK_DISB];

	*unit = 0;
	if (!disb)
		return 0;
	if (!v[4].set && !v[5].set) {
		f = json_object_new_object();
		json_object_object_add(f, "beneficiary", json_object_new_string(
		    "Cần cơ sở thụ hưởng (facility_id) hoặc tên đơn vị"));
		db_rollback(r->db);
		return resp_invalid(r, f);
	}
	if (v[4].set) {
		if ((q = db_query(r->db, r->a, S_FACILITY_EXISTS,
		    DB_ARGS(pint(&v[4])))) == NULL)
			return fail_db(r);
		if (!db_next(q)) {
			f = json_object_new_object();
			json_object_object_add(f, "facility_id",
			    json_object_new_string("Không có cơ sở này"));
		}
	}
	if (v[7].set && f == NULL) {
		if ((q = db_query(r->db, r->a, S_UNIT_ON, DB_ARGS(pstr(&v[7]),
		    pstr(&v[1]), pstr(&v[1])))) == NULL)
			return fail_db(r);
		if (db_next(q))
			*unit = db_int(q, 0);
		else {
			f = json_object_new_object();
			json_object_object_add(f, "unit_code",
			    json_object_new_string("Không có đơn vị hành chính"
			    " này vào ngày chi"));
		}
	}
	if (f != NULL) {
		db_rollback(r->db);
		return resp_invalid(r, f);
	}
	return 0;
}

/* The line id as it is now, from k->row (NULL on a database error). */
static json_object *
line_row(struct req *r, const struct line_kind *k, long long id)
{
	int	 found;

	return fetch_row(r, k->row, DB_ARGS(DB_INT(id)), line_cols,
	    NLINE_ROW(k), &found);
}

/*
 * POST /api/admin/activities/{id}/allocations, .../disbursements,
 * .../settlements (finance): {amount_vnd, date, document_no? (decision,
 * voucher or settlement document number), note?}; a disbursement also
 * names its beneficiary: facility_id or beneficiary (a unit's name), and
 * optionally application_id and unit_code (where the money went, a unit
 * valid on that date). → 201 the line {id, activity_id, amount_vnd,
 * date, document_no, note[, facility_id, beneficiary, application_id,
 * unit_code]}; 404 for an unknown activity; 422.
 */
static int
line_add(struct req *r, const struct line_kind *k)
{
	struct value	 v[NELEM(line_fields)];
	json_object	*after, *act;
	long long	 aid = param_id(r, 0), id, unit;
	int		 disb = k == &line_kinds[LK_DISB], rc, found;
	size_t		 nf = disb ? NELEM(line_fields) : 4;

	if ((rc = req_fields(r, line_fields, nf, v)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((act = fetch_row(r, S_ACT_GET, DB_ARGS(DB_INT(aid)), act_cols,
	    NACT_ROW, &found)) == NULL) {
		db_rollback(r->db);
		return found ? not_found(r) : resp_db(r);
	}
	json_object_put(act);
	if ((rc = line_input(r, k, v, &unit)) != 0)
		return rc;
	if (disb)
		rc = db_exec(r->db, k->insert, DB_ARGS(DB_INT(aid),
		    pint(&v[0]), pstr(&v[1]), pstr(&v[2]), pint(&v[4]),
		    pstr(&v[5]), pint(&v[6]), unit ? DB_INT(unit) : DB_NULL,
		    pstr(&v[3])));
	else
		rc = db_exec(r->db, k->insert, DB_ARGS(DB_INT(aid),
		    pint(&v[0]), pstr(&v[1]), pstr(&v[2]), pstr(&v[3])));
	if (rc < 0)
		return fail_db(r);
	id = db_insert_id(r->db);
	if ((after = line_row(r, k, id)) == NULL)
		return fail_db(r);
	return commit_audited(r, arena_printf(r->a, "%s.create", k->name),
	    k->name, id_text(r, id), NULL, after, 201, after);
}

static int
h_allocs_create(struct req *r)
{
	return line_add(r, &line_kinds[LK_ALLOC]);
}

static int
h_disbs_create(struct req *r)
{
	return line_add(r, &line_kinds[LK_DISB]);
}

static int
h_settles_create(struct req *r)
{
	return line_add(r, &line_kinds[LK_SETTLE]);
}

/*
 * PUT /api/admin/{allocations|disbursements|settlements}/{id} (finance):
 * corrects a line; the same fields as when it was added (the whole line:
 * a field left out becomes empty), the activity stays. → 200 the line
 * as POST answers it; 404 unknown line; 422.
 * DELETE /api/admin/{allocations|disbursements|settlements}/{id}
 * (finance) → 200 {"id","deleted":true}; 404.
 * Each in one transaction with its audit row: "<kind>.update" with
 * before and after, "<kind>.delete" with before only.
 */
static int
line_change(struct req *r, const struct line_kind *k, int del)
{
	struct value	 v[NELEM(line_fields)];
	struct db_res	*q;
	json_object	*before, *after = NULL, *o;
	long long	 id = param_id(r, 0), unit = 0;
	int		 disb = k == &line_kinds[LK_DISB], rc;
	size_t		 nf = disb ? NELEM(line_fields) : 4;

	if (!del && (rc = req_fields(r, line_fields, nf, v)) != 0)
		return rc;
	if (id == 0)
		return not_found(r);
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((q = db_query(r->db, r->a, k->lock, DB_ARGS(DB_INT(id)))) == NULL)
		return fail_db(r);
	if (!db_next(q)) {
		db_rollback(r->db);
		return not_found(r);
	}
	if (!del && (rc = line_input(r, k, v, &unit)) != 0)
		return rc;
	if ((before = line_row(r, k, id)) == NULL)
		return fail_db(r);
	if (del)
		rc = db_exec(r->db, k->del, DB_ARGS(DB_INT(id)));
	else if (disb)
		rc = db_exec(r->db, k->update, DB_ARGS(pint(&v[0]),
		    pstr(&v[1]), pstr(&v[2]), pstr(&v[3]), pint(&v[4]),
		    pstr(&v[5]), pint(&v[6]), unit ? DB_INT(unit) : DB_NULL,
		    DB_INT(id)));
	else
		rc = db_exec(r->db, k->update, DB_ARGS(pint(&v[0]),
		    pstr(&v[1]), pstr(&v[2]), pstr(&v[3]), DB_INT(id)));
	if (rc < 0 || (!del && (after = line_row(r, k, id)) == NULL)) {
		json_object_put(before);
		return fail_db(r);
	}
	if (del) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(id));
		json_object_object_add(o, "deleted",
		    json_object_new_boolean(1));
	} else
		o = after;
	return commit_audited(r, arena_printf(r->a, "%s.%s", k->name,
	    del ? "delete" : "update"), k->name, id_text(r, id), before,
	    after, 200, o);
}

static int
h_allocs_update(struct req *r)
{
	return line_change(r, &line_kinds[LK_ALLOC], 0);
}

static int
h_allocs_delete(struct req *r)
{
	return line_change(r, &line_kinds[LK_ALLOC], 1);
}

static int
h_disbs_update(struct req *r)
{
	return line_change(r, &line_kinds[LK_DISB], 0);
}

static int
h_disbs_delete(struct req *r)
{
	return line_change(r, &line_kinds[LK_DISB], 1);
}

static int
h_settles_update(struct req *r)
{
	return line_change(r, &line_kinds[LK_SETTLE], 0);
}

static int
h_settles_delete(struct req *r)
{
	return line_change(r, &line_kinds[LK_SETTLE], 1);
}

/* ---- audit trail (auditor) ---- */

static const char *const audit_cols[] = { "#id", "at", "#user_id",
	"username", "ip", "action", "entity", "entity_id", "$before",
	"$after" };
static const struct csv_col audit_csv[] = {
	{ "id", "id" }, { "at", "at" }, { "username", "username" },
	{ "ip", "ip" }, { "action", "action" }, { "entity", "entity" },
	{ "entity_id", "entity_id" }, { "before", "before" },
	{ "after", "after" },
};
static const struct field audit_filter[] = {
	{ "entity", F_STR, 0, 1, 40, NULL },
	{ "entity_id", F_STR, 0, 1, 64, NULL },
	{ "user", F_STR, 0, 1, 64, NULL },
	{ "action", F_STR, 0, 1, 40, NULL },
	{ "from", F_DATE, 0, 0, 0, NULL },
	{ "to", F_DATE, 0, 0, 0, NULL },
};

/*
 * GET /api/admin/audit[.csv]?entity=&entity_id=&user=&action=&from=&to=
 * &page=&per_page= (auditor, admin) → the audit trail, newest first;
 * before/after are the JSON objects as written. 422.
 */
static int
h_audit_list(struct req *r)
{
	struct value	 v[NELEM(audit_filter)];
	struct db_res	*q, *c;
	json_object	*items;
	long long	 page, per;
	int		 rc;

	if ((rc = req_fields(r, audit_filter, NELEM(audit_filter), v)) != 0 ||
	    (rc = req_page(r, &page, &per)) != 0)
		return rc;
#define AUDIT_ARGS pstr(&v[0]), pstr(&v[0]), pstr(&v[1]), pstr(&v[1]), \
	pstr(&v[2]), pstr(&v[2]), pstr(&v[3]), pstr(&v[3]), pstr(&v[4]), \
	pstr(&v[4]), pstr(&v[5]), pstr(&v[5])
	if ((c = db_query(r->db, r->a, S_AUDIT_COUNT, DB_ARGS(AUDIT_ARGS))) ==
	    NULL || !db_next(c))
		return resp_db(r);
	if ((q = db_query(r->db, r->a, S_AUDIT_LIST, DB_ARGS(AUDIT_ARGS,
	    DB_INT(r->csv ? 100000 : per), DB_INT(r->csv ? 0 :
	    (page - 1) * per)))) == NULL)
		return resp_db(r);
#undef AUDIT_ARGS
	items = json_object_new_array();
	while (db_next(q))
		json_object_array_add(items, row_json(q, audit_cols,
		    NELEM(audit_cols)));
	return resp_list(r, items, db_int(c, 0), page, per, "audit", audit_csv,
	    NELEM(audit_csv));
}

#define RD	(ROLE_AUDITOR)
static const struct route routes[] = {
	{ M_POST, "/api/auth/login", h_auth_login, 0, 0, 0 },
	{ M_POST, "/api/auth/logout", h_auth_logout, R_ENROL, 0, ROLE_ANY },
	{ M_GET, "/api/auth/session", h_auth_session, R_ENROL, 0, ROLE_ANY },
	{ M_POST, "/api/auth/2fa/setup", mfa_setup, R_ENROL, 0, ROLE_ANY },
	{ M_POST, "/api/auth/2fa/confirm", mfa_confirm, R_ENROL, 0, ROLE_ANY },
	{ M_GET, "/api/admin/users", h_users_list, R_CSV, 0, ROLE_ADMIN | RD },
	{ M_POST, "/api/admin/users", h_users_create, 0, 0, ROLE_ADMIN },
	{ M_PATCH, "/api/admin/users/{}", h_users_update, 0, 0, ROLE_ADMIN },
	{ M_GET, "/api/admin/calls", h_calls_list, R_CSV, 0, ROLE_REVIEWER | RD },
	{ M_POST, "/api/admin/calls", h_calls_create, 0, 0, ROLE_REVIEWER },
	{ M_GET, "/api/admin/calls/{}", h_calls_get, 0, 0, ROLE_REVIEWER | RD },
	{ M_PUT, "/api/admin/calls/{}", h_calls_update, 0, 0, ROLE_REVIEWER },
	{ M_POST, "/api/admin/calls/{}/open", h_calls_open, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/calls/{}/close", h_calls_close, 0, 0,
	    ROLE_REVIEWER },
	{ M_GET, "/api/admin/applications", h_apps_list, R_CSV, 0,
	    ROLE_REVIEWER | RD },
	{ M_GET, "/api/admin/applications/{}", h_apps_get, 0, 0,
	    ROLE_REVIEWER | RD },
	{ M_POST, "/api/admin/applications/{}/review", h_apps_review, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/approve", h_apps_approve, 0, 0,
	    ROLE_REVIEWER },
	{ M_POST, "/api/admin/applications/{}/reject", h_apps_reject, 0, 0,
	    ROLE_REVIEWER },
	{ M_GET, "/api/admin/plans", h_plans_list, R_CSV, 0, ROLE_FINANCE | RD },
	{ M_POST, "/api/admin/plans", h_plans_create, 0, 0, ROLE_FINANCE },
	{ M_GET, "/api/admin/plans/{}", h_plans_get, 0, 0, ROLE_FINANCE | RD },
	{ M_PUT, "/api/admin/plans/{}", h_plans_update, 0, 0, ROLE_FINANCE },
	{ M_PUT, "/api/admin/plans/{}/contents/{}", h_contents_put, 0, 0,
	    ROLE_FINANCE },
	{ M_POST, "/api/admin/activities", h_acts_create, 0, 0, ROLE_FINANCE },
	{ M_GET, "/api/admin/activities/{}", h_acts_get, 0, 0,
	    ROLE_FINANCE | RD },
	{ M_PUT, "/api/admin/activities/{}", h_acts_update, 0, 0,
	    ROLE_FINANCE },
	{ M_POST, "/api/admin/activities/{}/allocations", h_allocs_create, 0,
	    0, ROLE_FINANCE },
	{ M_POST, "/api/admin/activities/{}/disbursements", h_disbs_create, 0,
	    0, ROLE_FINANCE },
	{ M_POST, "/api/admin/activities/{}/settlements", h_settles_create, 0,
	    0, ROLE_FINANCE },
	{ M_PUT, "/api/admin/allocations/{}", h_allocs_update, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/allocations/{}", h_allocs_delete, 0, 0,
	    ROLE_FINANCE },
	{ M_PUT, "/api/admin/disbursements/{}", h_disbs_update, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/disbursements/{}", h_disbs_delete, 0, 0,
	    ROLE_FINANCE },
	{ M_PUT, "/api/admin/settlements/{}", h_settles_update, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/settlements/{}", h_settles_delete, 0, 0,
	    ROLE_FINANCE },
	{ M_GET, "/api/admin/audit", h_audit_list, R_CSV, 0, RD },
};

int
main(void)
{
	static const struct app app = {
		.name = "kc-staff", .db_user = "kc_staff",
		.sqls = sqls, .nsqls = S__MAX,
		.routes = routes, .nroutes = NELEM(routes),
		.guard = auth_guard,
	};

	if (auth_init() < 0)
		return 1;
	return app_main(&app);
}
