/*
 * kc-dashboard: the public, read-only side of the plan: health, the
 * administrative units, and (issue 6) plans and the transparency
 * dashboard. Also the fallback for unknown /api/ paths (404 JSON).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "req.h"
#include "resp.h"

#define STATEMENTS(X) \
	X(S_DISTRICTS, \
	    "SELECT code, name, kind, valid_from, valid_to FROM admin_unit" \
	    " WHERE level = 'district' ORDER BY code, vf_key") \
	X(S_UNITS_ON, \
	    "SELECT code, name, kind, level, parent_code, valid_from, valid_to" \
	    " FROM admin_unit WHERE level <> 'province'" \
	    " AND (valid_from IS NULL OR valid_from <= ?)" \
	    " AND (valid_to IS NULL OR valid_to >= ?)" \
	    " AND level = IF(? >= '2025-07-01', 'commune', 'district')" \
	    " ORDER BY name") \
	X(S_PLANS, \
	    "SELECT year, title, total_vnd, decision_no, decision_date," \
	    " approved_by, sample FROM plan ORDER BY year DESC") \
	X(S_LATEST_YEAR, "SELECT MAX(year) FROM plan") \
	X(S_PLAN, \
	    "SELECT p.title, p.total_vnd, p.decision_no, p.decision_date," \
	    " p.approved_by, p.source," \
	    " p.sample OR EXISTS (SELECT 1 FROM activity a WHERE" \
	    "  a.year = p.year AND a.sample = 1) OR EXISTS (SELECT 1" \
	    "  FROM disbursement d JOIN activity a ON a.id = d.activity_id" \
	    "  WHERE a.year = p.year AND d.sample = 1)," \
	    " DATE_FORMAT(GREATEST(p.updated_at," \
	    "  COALESCE((SELECT MAX(updated_at) FROM plan_content c" \
	    "   WHERE c.year = p.year), p.updated_at)," \
	    "  COALESCE((SELECT MAX(updated_at) FROM activity a" \
	    "   WHERE a.year = p.year), p.updated_at)," \
	    "  COALESCE((SELECT MAX(x.updated_at) FROM allocation x JOIN" \
	    "   activity a ON a.id = x.activity_id WHERE a.year = p.year)," \
	    "   p.updated_at)," \
	    "  COALESCE((SELECT MAX(x.updated_at) FROM disbursement x JOIN" \
	    "   activity a ON a.id = x.activity_id WHERE a.year = p.year)," \
	    "   p.updated_at)," \
	    "  COALESCE((SELECT MAX(x.updated_at) FROM settlement x JOIN" \
	    "   activity a ON a.id = x.activity_id WHERE a.year = p.year)," \
	    "   p.updated_at)), '%Y-%m-%dT%H:%i:%sZ')" \
	    " FROM plan p WHERE p.year = ?") \
	/* Activities, their content areas' subtotals and the plan total in \
	 * one pass: aid 0 marks a content area without activities, a NULL \
	 * aid its subtotal, a NULL code the grand total (WITH ROLLUP). */ \
	X(S_LINES, \
	    "SELECT c.code, COALESCE(x.id, 0) AS aid, MAX(c.title)," \
	    " MAX(x.title), MAX(x.unit_name), MAX(x.status), MAX(x.progress)," \
	    " MAX(x.target), COALESCE(SUM(x.planned_vnd), 0)," \
	    " COALESCE(SUM(x.alloc), 0), COALESCE(SUM(x.disb), 0)," \
	    " COALESCE(SUM(x.settled), 0)" \
	    " FROM plan_content c LEFT JOIN (SELECT a.id, a.content_code," \
	    "  a.title, a.unit_name, a.status, a.progress, a.target," \
	    "  a.planned_vnd," \
	    "  (SELECT COALESCE(SUM(amount_vnd), 0) FROM allocation" \
	    "   WHERE activity_id = a.id) AS alloc," \
	    "  (SELECT COALESCE(SUM(amount_vnd), 0) FROM disbursement" \
	    "   WHERE activity_id = a.id) AS disb," \
	    "  (SELECT COALESCE(SUM(amount_vnd), 0) FROM settlement" \
	    "   WHERE activity_id = a.id) AS settled" \
	    "  FROM activity a WHERE a.year = ?) x" \
	    " ON x.content_code = c.code" \
	    " WHERE c.year = ? GROUP BY c.code, aid WITH ROLLUP") \
	/* by_unit, by_area and monthly: tagged rows of one statement. \
	 * Columns: kind, key, name, unit kind, facilities, allocated, \
	 * disbursed, planned. Areas: the unit valid in the plan year (a \
	 * commune of a year up to 2025 counts for its district). */ \
	X(S_GROUPS, \
	    "SELECT * FROM (" \
	    "SELECT 'unit' AS k, a.unit_name AS gkey, NULL AS gname," \
	    " NULL AS gkind, NULL AS nfac," \
	    " SUM((SELECT COALESCE(SUM(amount_vnd), 0) FROM allocation" \
	    "  WHERE activity_id = a.id)) AS alloc," \
	    " SUM((SELECT COALESCE(SUM(amount_vnd), 0) FROM disbursement" \
	    "  WHERE activity_id = a.id)) AS disb," \
	    " SUM(a.planned_vnd) AS planned" \
	    " FROM activity a WHERE a.year = ? GROUP BY a.unit_name" \
	    " UNION ALL " \
	    "SELECT 'area', MAX(COALESCE(pu.code, u.code))," \
	    " MAX(COALESCE(pu.name, u.name)), MAX(COALESCE(pu.kind, u.kind))," \
	    " COUNT(DISTINCT d.facility_id), NULL, SUM(d.amount_vnd), NULL" \
	    " FROM disbursement d JOIN activity a ON a.id = d.activity_id" \
	    " LEFT JOIN admin_unit u ON u.id = d.unit_id" \
	    " LEFT JOIN admin_unit pu ON a.year <= 2025" \
	    "  AND u.level = 'commune' AND pu.level = 'district'" \
	    "  AND pu.code = u.parent_code" \
	    " WHERE a.year = ? GROUP BY COALESCE(pu.id, u.id)" \
	    " UNION ALL " \
	    "SELECT 'month', DATE_FORMAT(d.paid_on, '%Y-%m'), NULL, NULL," \
	    " COUNT(DISTINCT d.facility_id), NULL, SUM(d.amount_vnd), NULL" \
	    " FROM disbursement d JOIN activity a ON a.id = d.activity_id" \
	    " WHERE a.year = ? GROUP BY DATE_FORMAT(d.paid_on, '%Y-%m')" \
	    ") g ORDER BY k, CASE WHEN k = 'month' THEN gkey END," \
	    " disb DESC, gkey") \
	X(S_APPS_READY, \
	    "SELECT COUNT(*) FROM information_schema.TABLES" \
	    " WHERE TABLE_SCHEMA = DATABASE()" \
	    " AND TABLE_NAME IN ('application', 'support_call')") \
	X(S_APPS, \
	    "SELECT ap.status, COUNT(*) FROM application ap" \
	    " JOIN support_call sc ON sc.id = ap.call_id" \
	    " WHERE sc.year = ? GROUP BY ap.status") \
	X(S_BENEF, \
	    "SELECT d.id, f.id, COALESCE(f.name, d.beneficiary)," \
	    " COALESCE(pu.code, u.code), COALESCE(pu.name, u.name)," \
	    " a.title, d.amount_vnd, d.paid_on, d.voucher_no, c.code, d.sample" \
	    BENEF_WHERE \
	    " ORDER BY d.paid_on, d.id LIMIT ? OFFSET ?") \
	X(S_BENEF_COUNT, "SELECT COUNT(*)" BENEF_WHERE)

/* Who received money in a plan year: district (or unit) code, then a
 * text matching the beneficiary or the activity (accents ignored). */
#define BENEF_WHERE \
	" FROM disbursement d JOIN activity a ON a.id = d.activity_id" \
	" JOIN plan_content c ON c.year = a.year AND c.code = a.content_code" \
	" LEFT JOIN facility f ON f.id = d.facility_id" \
	" LEFT JOIN admin_unit u ON u.id = d.unit_id" \
	" LEFT JOIN admin_unit pu ON a.year <= 2025 AND u.level = 'commune'" \
	"  AND pu.level = 'district' AND pu.code = u.parent_code" \
	" WHERE a.year = ?" \
	" AND (d.facility_id IS NOT NULL OR d.beneficiary IS NOT NULL)" \
	" AND (? IS NULL OR COALESCE(pu.code, u.code) = ?)" \
	" AND (? IS NULL OR COALESCE(f.name, d.beneficiary) LIKE ?" \
	"  OR a.title LIKE ?)"

/* Seconds nginx's micro-cache may serve a public answer. */
#define PUBLIC_CACHE	5

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
enum stmt { STATEMENTS(AS_ENUM) S__MAX };
static const char *const sqls[] = { STATEMENTS(AS_TEXT) };

static json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/*
 * GET /api/health → 200 {"status":"ok","db":"ok"}, or 503 with
 * "db":"down" while the database does not answer (within 2 s).
 */
static int
h_health_get(struct req *r)
{
	json_object	*o = json_object_new_object();
	int		 up = db_probe(r->db) == 0;

	json_object_object_add(o, "status",
	    json_object_new_string(up ? "ok" : "unavailable"));
	json_object_object_add(o, "db", json_object_new_string(up ? "ok" :
	    "down"));
	return resp_json(r, up ? 200 : 503, o);
}

static const struct csv_col district_cols[] = {
	{ "code", "code" }, { "name", "name" }, { "kind", "kind" },
	{ "valid_from", "valid_from" }, { "valid_to", "valid_to" },
};

/*
 * GET /api/districts[.csv] → every district-level unit, including those
 * that no longer exist: {"items":[{code,name,kind,valid_from,valid_to}]}.
 * 503 while the database is down.
 */
static int
h_districts_list(struct req *r)
{
	struct db_res	*q;
	json_object	*items, *it;

	if ((q = db_query(r->db, r->a, S_DISTRICTS, DB_NOARGS)) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "code", jstr(db_str(q, 0)));
		json_object_object_add(it, "name", jstr(db_str(q, 1)));
		json_object_object_add(it, "kind", jstr(db_str(q, 2)));
		json_object_object_add(it, "valid_from", jstr(db_str(q, 3)));
		json_object_object_add(it, "valid_to", jstr(db_str(q, 4)));
		json_object_array_add(items, it);
	}
	r->cache_seconds = 60;
	return resp_list(r, items, (long long)q->rows, 1, (long long)q->rows,
	    "districts", district_cols, sizeof(district_cols) /
	    sizeof(district_cols[0]));
}

static const struct field unit_fields[] = {
	{ "date", F_DATE, 0, 0, 0, NULL },
};

static const struct csv_col unit_cols[] = {
	{ "code", "code" }, { "name", "name" }, { "kind", "kind" },
	{ "level", "level" }, { "parent_code", "parent_code" },
	{ "valid_from", "valid_from" }, { "valid_to", "valid_to" },
};

/*
 * GET /api/units[.csv]?date=YYYY-MM-DD → the units a place is named by on
 * that date (default today): the 69 communes and wards from 2025-07-01,
 * the district-level units before. 422 for a malformed date.
 */
static int
h_units_list(struct req *r)
{
	struct value	 v[1];
	struct db_res	*q;
	json_object	*items, *it;
	const char	*date;
	char		 today[11];
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 rc;

	if ((rc = req_fields(r, unit_fields, 1, v)) != 0)
		return rc;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	date = v[0].set ? v[0].s : today;
	q = db_query(r->db, r->a, S_UNITS_ON, DB_ARGS(DB_STR(date),
	    DB_STR(date), DB_STR(date)));
	if (q == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "code", jstr(db_str(q, 0)));
		json_object_object_add(it, "name", jstr(db_str(q, 1)));
		json_object_object_add(it, "kind", jstr(db_str(q, 2)));
		json_object_object_add(it, "level", jstr(db_str(q, 3)));
		json_object_object_add(it, "parent_code", jstr(db_str(q, 4)));
		json_object_object_add(it, "valid_from", jstr(db_str(q, 5)));
		json_object_object_add(it, "valid_to", jstr(db_str(q, 6)));
		json_object_array_add(items, it);
	}
	r->cache_seconds = 60;
	return resp_list(r, items, (long long)q->rows, 1, (long long)q->rows,
	    "units", unit_cols, sizeof(unit_cols) / sizeof(unit_cols[0]));
}

static json_object *
jint(const struct db_res *q, size_t col)
{
	return json_object_new_int64(db_int(q, col));
}

static json_object *
jintn(const struct db_res *q, size_t col)
{
	return db_isnull(q, col) ? NULL : json_object_new_int64(db_int(q, col));
}

static const struct csv_col plan_cols[] = {
	{ "year", "year" }, { "title", "title" }, { "total_vnd", "total_vnd" },
	{ "decision_no", "decision_no" }, { "decision_date", "decision_date" },
	{ "approved_by", "approved_by" }, { "sample", "sample" },
};

/*
 * GET /api/plans[.csv] → every plan, latest first:
 * {"items":[{year,title,total_vnd,decision_no,decision_date,approved_by,
 * sample}]}. 503 while the database is down.
 */
static int
h_plans_list(struct req *r)
{
	struct db_res	*q;
	json_object	*items, *it;

	if ((q = db_query(r->db, r->a, S_PLANS, DB_NOARGS)) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "year", jint(q, 0));
		json_object_object_add(it, "title", jstr(db_str(q, 1)));
		json_object_object_add(it, "total_vnd", jint(q, 2));
		json_object_object_add(it, "decision_no", jstr(db_str(q, 3)));
		json_object_object_add(it, "decision_date", jstr(db_str(q, 4)));
		json_object_object_add(it, "approved_by", jstr(db_str(q, 5)));
		json_object_object_add(it, "sample",
		    json_object_new_boolean(db_int(q, 6) != 0));
		json_object_array_add(items, it);
	}
	r->cache_seconds = PUBLIC_CACHE;
	return resp_list(r, items, (long long)q->rows, 1, (long long)q->rows,
	    "plans", plan_cols, sizeof(plan_cols) / sizeof(plan_cols[0]));
}

static const struct field year_fields[] = {
	{ "year", F_INT, 0, 2000, 2999, NULL },
};

/*
 * The plan year asked for (?year=), or the latest plan's when none is
 * given. 0 and *year, or the status already written (422, 404, 503).
 */
static int
plan_year(struct req *r, long long *year)
{
	struct value	 v[1];
	struct db_res	*q;
	int		 rc;

	if ((rc = req_fields(r, year_fields, 1, v)) != 0)
		return rc;
	if (v[0].set) {
		*year = v[0].i;
		return 0;
	}
	if ((q = db_query(r->db, r->a, S_LATEST_YEAR, DB_NOARGS)) == NULL)
		return resp_db(r);
	if (!db_next(q) || db_isnull(q, 0))
		return resp_error(r, 404, "not_found",
		    "Chưa có kế hoạch khuyến công nào.");
	*year = db_int(q, 0);
	return 0;
}

static void
add_money(json_object *o, const struct db_res *q, size_t planned,
    size_t alloc, size_t disb, size_t settled)
{
	json_object_object_add(o, "planned_vnd", jint(q, planned));
	json_object_object_add(o, "allocated_vnd", jint(q, alloc));
	json_object_object_add(o, "disbursed_vnd", jint(q, disb));
	json_object_object_add(o, "settled_vnd", jint(q, settled));
}

/*
 * contents[] and totals from S_LINES (rows in ROLLUP order: a content
 * area's activities, then its subtotal; the grand total last).
 */
static int
dash_lines(struct req *r, long long year, json_object *root)
{
	struct db_res	*q;
	json_object	*contents, *content = NULL, *acts = NULL, *it;
	json_object	*totals = NULL;

	q = db_query(r->db, r->a, S_LINES, DB_ARGS(DB_INT(year),
	    DB_INT(year)));
	if (q == NULL)
		return -1;
	contents = json_object_new_array();
	json_object_object_add(root, "contents", contents);
	while (db_next(q)) {
		if (db_isnull(q, 0)) {		/* the plan's total */
			totals = json_object_new_object();
			add_money(totals, q, 8, 9, 10, 11);
			continue;
		}
		if (content == NULL) {
			content = json_object_new_object();
			acts = json_object_new_array();
		}
		if (db_isnull(q, 1)) {		/* a content area's subtotal */
			json_object_object_add(content, "code",
			    jstr(db_str(q, 0)));
			json_object_object_add(content, "title",
			    jstr(db_str(q, 2)));
			add_money(content, q, 8, 9, 10, 11);
			json_object_object_add(content, "activities", acts);
			json_object_array_add(contents, content);
			content = NULL;
			continue;
		}
		if (db_int(q, 1) == 0)		/* a content area, no activity */
			continue;
		it = json_object_new_object();
		json_object_object_add(it, "id", jint(q, 1));
		json_object_object_add(it, "title", jstr(db_str(q, 3)));
		json_object_object_add(it, "unit", jstr(db_str(q, 4)));
		json_object_object_add(it, "target", jstr(db_str(q, 7)));
		add_money(it, q, 8, 9, 10, 11);
		json_object_object_add(it, "status", jstr(db_str(q, 5)));
		json_object_object_add(it, "progress", jint(q, 6));
		json_object_array_add(acts, it);
	}
	if (content != NULL) {		/* cannot happen with ROLLUP */
		json_object_put(content);
		json_object_put(acts);
	}
	if (totals == NULL) {		/* a plan without content areas */
		totals = json_object_new_object();
		json_object_object_add(totals, "planned_vnd",
		    json_object_new_int64(0));
		json_object_object_add(totals, "allocated_vnd",
		    json_object_new_int64(0));
		json_object_object_add(totals, "disbursed_vnd",
		    json_object_new_int64(0));
		json_object_object_add(totals, "settled_vnd",
		    json_object_new_int64(0));
	}
	json_object_object_add(root, "totals", totals);
	return 0;
}

/* by_unit, by_area and monthly from S_GROUPS. */
static int
dash_groups(struct req *r, long long year, json_object *root)
{
	struct db_res	*q;
	json_object	*units, *areas, *months, *it;
	const char	*k;

	q = db_query(r->db, r->a, S_GROUPS, DB_ARGS(DB_INT(year),
	    DB_INT(year), DB_INT(year)));
	if (q == NULL)
		return -1;
	units = json_object_new_array();
	areas = json_object_new_array();
	months = json_object_new_array();
	json_object_object_add(root, "by_unit", units);
	json_object_object_add(root, "by_area", areas);
	json_object_object_add(root, "monthly", months);
	while (db_next(q)) {
		k = db_str(q, 0);
		it = json_object_new_object();
		if (strcmp(k, "unit") == 0) {
			json_object_object_add(it, "unit", jstr(db_str(q, 1)));
			json_object_object_add(it, "planned_vnd", jint(q, 7));
			json_object_object_add(it, "allocated_vnd", jint(q, 5));
			json_object_object_add(it, "disbursed_vnd", jint(q, 6));
			json_object_array_add(units, it);
		} else if (strcmp(k, "area") == 0) {
			json_object_object_add(it, "code", jstr(db_str(q, 1)));
			json_object_object_add(it, "name", jstr(db_isnull(q, 2) ?
			    "Toàn tỉnh (không gắn với địa bàn)" : db_str(q, 2)));
			json_object_object_add(it, "kind", jstr(db_str(q, 3)));
			json_object_object_add(it, "facilities_supported",
			    jint(q, 4));
			json_object_object_add(it, "disbursed_vnd", jint(q, 6));
			json_object_array_add(areas, it);
		} else {
			json_object_object_add(it, "month", jstr(db_str(q, 1)));
			json_object_object_add(it, "disbursed_vnd", jint(q, 6));
			json_object_object_add(it, "facilities_supported",
			    jint(q, 4));
			json_object_array_add(months, it);
		}
	}
	return 0;
}

/*
 * applications: counts by status of the applications to the year's
 * calls. Until the calls' tables exist (migration 030) there are none:
 * every count is 0. Once seen, the tables are not looked for again.
 */
static int
dash_apps(struct req *r, long long year, json_object *root)
{
	static const char *const st[] = {
		"submitted", "under_review", "approved", "rejected", "withdrawn"
	};
	static int	 ready;
	struct db_res	*q;
	json_object	*o;
	size_t		 i;

	o = json_object_new_object();
	json_object_object_add(root, "applications", o);
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		json_object_object_add(o, st[i], json_object_new_int64(0));
	if (!ready) {
		if ((q = db_query(r->db, r->a, S_APPS_READY, DB_NOARGS)) ==
		    NULL)
			return -1;
		if (!db_next(q) || db_int(q, 0) < 2)
			return 0;
		ready = 1;
	}
	if ((q = db_query(r->db, r->a, S_APPS, DB_ARGS(DB_INT(year)))) ==
	    NULL)
		return -1;
	while (db_next(q))
		if (db_str(q, 0) != NULL)
			json_object_object_add(o, db_str(q, 0), jint(q, 1));
	return 0;
}

/*
 * The whole dashboard of a plan year into *out (the caller owns it).
 * 0, or the status already written: 404 for an unknown year, 503/500.
 */
static int
dash_build(struct req *r, long long year, json_object **out)
{
	struct db_res	*q;
	json_object	*root, *plan;

	*out = NULL;
	if ((q = db_query(r->db, r->a, S_PLAN, DB_ARGS(DB_INT(year)))) ==
	    NULL)
		return resp_db(r);
	if (!db_next(q))
		return resp_error(r, 404, "not_found",
		    "Không có kế hoạch khuyến công của năm này.");
	root = json_object_new_object();
	json_object_object_add(root, "year", json_object_new_int64(year));
	plan = json_object_new_object();
	json_object_object_add(plan, "title", jstr(db_str(q, 0)));
	json_object_object_add(plan, "total_vnd", jint(q, 1));
	json_object_object_add(plan, "decision_no", jstr(db_str(q, 2)));
	json_object_object_add(plan, "decision_date", jstr(db_str(q, 3)));
	json_object_object_add(plan, "approved_by", jstr(db_str(q, 4)));
	json_object_object_add(plan, "source", jstr(db_str(q, 5)));
	json_object_object_add(root, "plan", plan);
	json_object_object_add(root, "sample",
	    json_object_new_boolean(db_int(q, 6) != 0));
	json_object_object_add(root, "updated_at", jstr(db_str(q, 7)));
	if (dash_lines(r, year, root) < 0 || dash_groups(r, year, root) < 0 ||
	    dash_apps(r, year, root) < 0) {
		json_object_put(root);
		return resp_db(r);
	}
	*out = root;
	return 0;
}

/* The dashboard lines (one per activity) as CSV: the open-data table. */
static const struct csv_col line_cols[] = {
	{ "year", "year" }, { "content_code", "content_code" },
	{ "content_title", "content_title" }, { "activity_id", "id" },
	{ "activity", "title" }, { "unit", "unit" }, { "target", "target" },
	{ "status", "status" }, { "progress", "progress" },
	{ "planned_vnd", "planned_vnd" }, { "allocated_vnd", "allocated_vnd" },
	{ "disbursed_vnd", "disbursed_vnd" }, { "settled_vnd", "settled_vnd" },
};

/* Flatten contents[].activities[] into rows of line_cols (new array). */
static json_object *
dash_line_rows(json_object *root, long long year)
{
	json_object	*contents, *c, *acts, *a, *row, *v;
	size_t		 i, j;

	json_object *rows = json_object_new_array();
	if (!json_object_object_get_ex(root, "contents", &contents))
		return rows;
	for (i = 0; i < json_object_array_length(contents); i++) {
		c = json_object_array_get_idx(contents, i);
		if (!json_object_object_get_ex(c, "activities", &acts))
			continue;
		for (j = 0; j < json_object_array_length(acts); j++) {
			a = json_object_array_get_idx(acts, j);
			row = json_object_new_object();
			json_object_object_add(row, "year",
			    json_object_new_int64(year));
			json_object_object_get_ex(c, "code", &v);
			json_object_object_add(row, "content_code",
			    json_object_get(v));
			json_object_object_get_ex(c, "title", &v);
			json_object_object_add(row, "content_title",
			    json_object_get(v));
			json_object_object_foreach(a, key, val)
				json_object_object_add(row, key,
				    json_object_get(val));
			json_object_array_add(rows, row);
		}
	}
	return rows;
}

/*
 * GET /api/dashboard?year=YYYY → everything the public dashboard shows
 * for a plan year (API.md); the latest plan when year is absent.
 * GET /api/dashboard.csv?year=YYYY → its lines, one per activity.
 * 404 unknown year, 422 malformed year, 503 database down.
 */
static int
h_dashboard_get(struct req *r)
{
	json_object	*root;
	long long	 year;
	int		 rc;

	if ((rc = plan_year(r, &year)) != 0 ||
	    (rc = dash_build(r, year, &root)) != 0)
		return rc;
	r->cache_seconds = PUBLIC_CACHE;
	if (r->csv) {
		json_object	*rows = dash_line_rows(root, year);

		json_object_put(root);
		return resp_csv(r, arena_printf(r->a, "ke-hoach-%lld", year),
		    rows, line_cols, sizeof(line_cols) / sizeof(line_cols[0]));
	}
	return resp_json(r, 200, root);
}

static const struct csv_col content_cols[] = {
	{ "code", "code" }, { "title", "title" },
	{ "planned_vnd", "planned_vnd" }, { "allocated_vnd", "allocated_vnd" },
	{ "disbursed_vnd", "disbursed_vnd" }, { "settled_vnd", "settled_vnd" },
};
static const struct csv_col unit_sum_cols[] = {
	{ "unit", "unit" }, { "planned_vnd", "planned_vnd" },
	{ "allocated_vnd", "allocated_vnd" }, { "disbursed_vnd", "disbursed_vnd" },
};
static const struct csv_col area_cols[] = {
	{ "code", "code" }, { "name", "name" }, { "kind", "kind" },
	{ "facilities_supported", "facilities_supported" },
	{ "disbursed_vnd", "disbursed_vnd" },
};
static const struct csv_col month_cols[] = {
	{ "month", "month" }, { "disbursed_vnd", "disbursed_vnd" },
	{ "facilities_supported", "facilities_supported" },
};

static const struct dash_part {
	const char		*name;	/* path segment and CSV file name */
	const char		*key;	/* member of the dashboard */
	const struct csv_col	*cols;
	size_t			 ncols;
} dash_parts[] = {
	{ "contents", "contents", content_cols,
	    sizeof(content_cols) / sizeof(content_cols[0]) },
	{ "units", "by_unit", unit_sum_cols,
	    sizeof(unit_sum_cols) / sizeof(unit_sum_cols[0]) },
	{ "areas", "by_area", area_cols,
	    sizeof(area_cols) / sizeof(area_cols[0]) },
	{ "monthly", "monthly", month_cols,
	    sizeof(month_cols) / sizeof(month_cols[0]) },
};

/*
 * GET /api/dashboard/{contents|units|areas|monthly}[.csv]?year=YYYY →
 * one table of the dashboard as a list (the table behind a chart).
 * 404 unknown table or year, 422 malformed year, 503 database down.
 */
static int
h_dashboard_part(struct req *r)
{
	const struct dash_part	*p = NULL;
	json_object		*root, *items;
	long long		 year;
	size_t			 i, n;
	int			 rc;

	for (i = 0; i < sizeof(dash_parts) / sizeof(dash_parts[0]); i++)
		if (strcmp(r->param[0], dash_parts[i].name) == 0)
			p = &dash_parts[i];
	if (p == NULL)
		return resp_error(r, 404, "not_found",
		    "Không tìm thấy bảng này.");
	if ((rc = plan_year(r, &year)) != 0 ||
	    (rc = dash_build(r, year, &root)) != 0)
		return rc;
	json_object_object_get_ex(root, p->key, &items);
	items = json_object_get(items);
	json_object_put(root);
	n = json_object_array_length(items);
	r->cache_seconds = PUBLIC_CACHE;
	return resp_list(r, items, (long long)n, 1, (long long)n,
	    arena_printf(r->a, "%s-%lld", p->name, year), p->cols, p->ncols);
}

static const struct field benef_fields[] = {
	{ "year", F_INT, F_REQUIRED, 2000, 2999, NULL },
	{ "district", F_STR, 0, 1, 10, NULL },
	{ "q", F_STR, 0, 0, 100, NULL },
};

static const struct csv_col benef_cols[] = {
	{ "disbursement_id", "id" }, { "facility_id", "facility.id" },
	{ "facility", "facility.name" }, { "district_code", "district.code" },
	{ "district", "district.name" }, { "content_code", "content_code" },
	{ "activity", "activity" }, { "amount_vnd", "amount_vnd" },
	{ "date", "date" }, { "voucher_no", "voucher_no" },
	{ "sample", "sample" },
};

/* "%text%" for LIKE, with the wildcards of text escaped. */
static char *
like_pattern(struct arena *a, const char *s, size_t n)
{
	char	*o = arena_alloc(a, 2 * n + 3);
	size_t	 i, k = 0;

	o[k++] = '%';
	for (i = 0; i < n; i++) {
		if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
			o[k++] = '\\';
		o[k++] = s[i];
	}
	o[k++] = '%';
	o[k] = '\0';
	return o;
}

/*
 * GET /api/beneficiaries[.csv]?year=&district=&q=&page=&per_page= → who
 * received support in a plan year, in order of payment:
 * {"items":[{id,facility:{id,name},district:{code,name},activity,
 * content_code,amount_vnd,date,voucher_no,sample}],total,page,per_page}.
 * district: a unit code (the district for years up to 2025); q: part of
 * the beneficiary's or the activity's name, accents ignored. The CSV
 * holds every matching row. 404 unknown year, 422 bad input, 503.
 */
static int
h_beneficiaries_list(struct req *r)
{
	struct value	 v[3];
	struct db_res	*q, *c;
	json_object	*items, *it, *o;
	long long	 page, per_page, limit, offset;
	struct db_param	 dist, pat;
	int		 rc;

	if ((rc = req_fields(r, benef_fields, 3, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if ((q = db_query(r->db, r->a, S_PLAN, DB_ARGS(DB_INT(v[0].i)))) ==
	    NULL)
		return resp_db(r);
	if (q->rows == 0)
		return resp_error(r, 404, "not_found",
		    "Không có kế hoạch khuyến công của năm này.");
	dist = v[1].set && v[1].len > 0 ? DB_STRN(v[1].s, v[1].len) : DB_NULL;
	pat = v[2].set && v[2].len > 0 ? DB_STR(like_pattern(r->a, v[2].s,
	    v[2].len)) : DB_NULL;
	limit = r->csv ? 1000000 : per_page;
	offset = r->csv ? 0 : (page - 1) * per_page;
	c = db_query(r->db, r->a, S_BENEF_COUNT, DB_ARGS(DB_INT(v[0].i),
	    dist, dist, pat, pat, pat));
	if (c == NULL || !db_next(c))
		return resp_db(r);
	q = db_query(r->db, r->a, S_BENEF, DB_ARGS(DB_INT(v[0].i), dist, dist,
	    pat, pat, pat, DB_INT(limit), DB_INT(offset)));
	if (q == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "id", jint(q, 0));
		o = json_object_new_object();
		json_object_object_add(o, "id", jintn(q, 1));
		json_object_object_add(o, "name", jstr(db_str(q, 2)));
		json_object_object_add(it, "facility", o);
		o = json_object_new_object();
		json_object_object_add(o, "code", jstr(db_str(q, 3)));
		json_object_object_add(o, "name", jstr(db_str(q, 4)));
		json_object_object_add(it, "district", o);
		json_object_object_add(it, "activity", jstr(db_str(q, 5)));
		json_object_object_add(it, "content_code", jstr(db_str(q, 9)));
		json_object_object_add(it, "amount_vnd", jint(q, 6));
		json_object_object_add(it, "date", jstr(db_str(q, 7)));
		json_object_object_add(it, "voucher_no", jstr(db_str(q, 8)));
		json_object_object_add(it, "sample",
		    json_object_new_boolean(db_int(q, 10) != 0));
		json_object_array_add(items, it);
	}
	r->cache_seconds = PUBLIC_CACHE;
	return resp_list(r, items, db_int(c, 0), page, per_page,
	    arena_printf(r->a, "nguoi-thu-huong-%lld", v[0].i), benef_cols,
	    sizeof(benef_cols) / sizeof(benef_cols[0]));
}

/* Products CSV of kc-products (API.md), as the data package lists it. */
static const struct csv_col product_cols[] = {
	{ "id", "" }, { "name", "" }, { "group", "" }, { "facility_id", "" },
	{ "facility_name", "" }, { "facility_address", "" },
	{ "district_code", "" }, { "district_name", "" },
	{ "award_years", "" }, { "award_levels", "" },
};

/* The Table Schema type of a column, from its name. */
static const char *
dp_type(const char *name)
{
	size_t	 n = strlen(name);

	if (strcmp(name, "year") == 0 || strcmp(name, "progress") == 0 ||
	    strcmp(name, "id") == 0 || strcmp(name, "facilities_supported") == 0 ||
	    (n > 3 && strcmp(name + n - 3, "_id") == 0) ||
	    (n > 4 && strcmp(name + n - 4, "_vnd") == 0))
		return "integer";
	if (strcmp(name, "date") == 0 || (n > 5 &&
	    strcmp(name + n - 5, "_date") == 0))
		return "date";
	if (strcmp(name, "sample") == 0)
		return "boolean";
	if (strcmp(name, "month") == 0)
		return "yearmonth";
	return "string";
}

static json_object *
dp_resource(struct arena *a, const char *name, const char *title,
    const char *path, const struct csv_col *cols, size_t ncols,
    const char *pkey)
{
	json_object	*res, *schema, *fields, *f;
	size_t		 i;

	(void)a;
	res = json_object_new_object();
	json_object_object_add(res, "name", json_object_new_string(name));
	json_object_object_add(res, "title", json_object_new_string(title));
	json_object_object_add(res, "path", json_object_new_string(path));
	json_object_object_add(res, "profile",
	    json_object_new_string("tabular-data-resource"));
	json_object_object_add(res, "format", json_object_new_string("csv"));
	json_object_object_add(res, "mediatype",
	    json_object_new_string("text/csv"));
	json_object_object_add(res, "encoding",
	    json_object_new_string("utf-8"));
	schema = json_object_new_object();
	fields = json_object_new_array();
	for (i = 0; i < ncols; i++) {
		f = json_object_new_object();
		json_object_object_add(f, "name",
		    json_object_new_string(cols[i].header));
		json_object_object_add(f, "type",
		    json_object_new_string(dp_type(cols[i].header)));
		json_object_array_add(fields, f);
	}
	json_object_object_add(schema, "fields", fields);
	if (pkey != NULL)
		json_object_object_add(schema, "primaryKey",
		    json_object_new_string(pkey));
	json_object_object_add(res, "schema", schema);
	return res;
}

/*
 * GET /api/datapackage.json?year=YYYY → a Frictionless (tabular) Data
 * Package of the year: every CSV table of the dashboard, the
 * beneficiaries and the products, each with its Table Schema and its
 * URL (relative to this descriptor, as the specification asks).
 * 404 unknown year, 422 malformed year, 503 database down.
 */
static int
h_datapackage_get(struct req *r)
{
	struct db_res	*q;
	json_object	*o, *res, *lic, *l;
	long long	 year;
	size_t		 i;
	int		 rc;

	if ((rc = plan_year(r, &year)) != 0)
		return rc;
	if ((q = db_query(r->db, r->a, S_PLAN, DB_ARGS(DB_INT(year)))) ==
	    NULL)
		return resp_db(r);
	if (!db_next(q))
		return resp_error(r, 404, "not_found",
		    "Không có kế hoạch khuyến công của năm này.");
	o = json_object_new_object();
	json_object_object_add(o, "profile",
	    json_object_new_string("tabular-data-package"));
	json_object_object_add(o, "name", json_object_new_string(
	    arena_printf(r->a, "khuyen-cong-ha-tinh-%lld", year)));
	json_object_object_add(o, "title", jstr(db_str(q, 0)));
	json_object_object_add(o, "description", json_object_new_string(
	    "Kinh phí khuyến công địa phương tỉnh Hà Tĩnh theo nội dung, "
	    "hoạt động, đơn vị thực hiện, địa bàn và tháng; danh sách cơ sở "
	    "được hỗ trợ; sản phẩm CNNT tiêu biểu. Số tiền tính bằng đồng."));
	json_object_object_add(o, "created", jstr(db_str(q, 7)));
	json_object_object_add(o, "sample",
	    json_object_new_boolean(db_int(q, 6) != 0));
	lic = json_object_new_array();
	l = json_object_new_object();
	json_object_object_add(l, "name", json_object_new_string("CC-BY-4.0"));
	json_object_object_add(l, "path", json_object_new_string(
	    "https://creativecommons.org/licenses/by/4.0/"));
	json_object_object_add(l, "title", json_object_new_string(
	    "Creative Commons Attribution 4.0"));
	json_object_array_add(lic, l);
	json_object_object_add(o, "licenses", lic);
	res = json_object_new_array();
	json_object_array_add(res, dp_resource(r->a,
	    arena_printf(r->a, "hoat-dong-%lld", year),
	    "Kinh phí theo hoạt động",
	    arena_printf(r->a, "dashboard.csv?year=%lld", year),
	    line_cols, sizeof(line_cols) / sizeof(line_cols[0]),
	    "activity_id"));
	for (i = 0; i < sizeof(dash_parts) / sizeof(dash_parts[0]); i++) {
		static const char *const titles[] = {
			"Kinh phí theo nội dung", "Kinh phí theo đơn vị thực hiện",
			"Giải ngân theo địa bàn", "Giải ngân theo tháng",
		};
		json_object_array_add(res, dp_resource(r->a,
		    arena_printf(r->a, "%s-%lld", dash_parts[i].name, year),
		    titles[i], arena_printf(r->a, "dashboard/%s.csv?year=%lld",
		    dash_parts[i].name, year), dash_parts[i].cols,
		    dash_parts[i].ncols, i == 0 ? "code" : i == 3 ? "month" :
		    NULL));
	}
	json_object_array_add(res, dp_resource(r->a,
	    arena_printf(r->a, "nguoi-thu-huong-%lld", year),
	    "Cơ sở, đơn vị được hỗ trợ",
	    arena_printf(r->a, "beneficiaries.csv?year=%lld", year),
	    benef_cols, sizeof(benef_cols) / sizeof(benef_cols[0]),
	    "disbursement_id"));
	json_object_array_add(res, dp_resource(r->a, "ke-hoach",
	    "Các kế hoạch khuyến công", "plans.csv", plan_cols,
	    sizeof(plan_cols) / sizeof(plan_cols[0]), "year"));
	json_object_array_add(res, dp_resource(r->a,
	    arena_printf(r->a, "san-pham-%lld", year),
	    "Sản phẩm CNNT tiêu biểu được công nhận trong năm",
	    arena_printf(r->a, "products.csv?year=%lld", year),
	    product_cols, sizeof(product_cols) / sizeof(product_cols[0]),
	    "id"));
	json_object_object_add(o, "resources", res);
	r->cache_seconds = PUBLIC_CACHE;
	return resp_json(r, 200, o);
}

static const struct route routes[] = {
	{ M_GET, "/api/health", h_health_get, 0, 0, 0 },
	{ M_GET, "/api/districts", h_districts_list, R_CSV, 0, 0 },
	{ M_GET, "/api/units", h_units_list, R_CSV, 0, 0 },
	{ M_GET, "/api/plans", h_plans_list, R_CSV, 0, 0 },
	{ M_GET, "/api/dashboard", h_dashboard_get, R_CSV, 0, 0 },
	{ M_GET, "/api/dashboard/{}", h_dashboard_part, R_CSV, 0, 0 },
	{ M_GET, "/api/beneficiaries", h_beneficiaries_list, R_CSV, 0, 0 },
	{ M_GET, "/api/datapackage.json", h_datapackage_get, 0, 0, 0 },
};

int
main(void)
{
	static const struct app app = {
		"kc-dashboard", "kc_public", sqls, S__MAX,
		routes, sizeof(routes) / sizeof(routes[0]), NULL,
	};

	return app_main(&app);
}
