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
	    " ORDER BY name")

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

static const struct route routes[] = {
	{ M_GET, "/api/health", h_health_get, 0, 0, 0 },
	{ M_GET, "/api/districts", h_districts_list, R_CSV, 0, 0 },
	{ M_GET, "/api/units", h_units_list, R_CSV, 0, 0 },
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
