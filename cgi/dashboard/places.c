/*
 * places: the health of the service and the administrative units a place
 * is named by.
 *
 *	GET /api/health			is the database answering
 *	GET /api/districts[.csv]	every district-level unit, ever
 *	GET /api/units[.csv]?date=	the units of a date
 */
#include <time.h>

#include <json-c/json.h>

#include "arena.h"
#include "clock.h"
#include "db.h"
#include "req.h"
#include "resp.h"

#include "dashboard.h"

enum places_stmt { S_DISTRICTS, S_UNITS_ON, S_PLACES__MAX };

static const char *const places_sql[] = {
	[S_DISTRICTS] =
	    "SELECT code, name, kind, level, parent_code, valid_from, valid_to"
	    " FROM admin_unit WHERE level = 'district' ORDER BY code, vf_key",
	[S_UNITS_ON] =
	    "SELECT code, name, kind, level, parent_code, valid_from, valid_to"
	    " FROM admin_unit WHERE level <> 'province'"
	    " AND (valid_from IS NULL OR valid_from <= ?)"
	    " AND (valid_to IS NULL OR valid_to >= ?)"
	    " AND level = IF(? >= '2025-07-01', 'commune', 'district')"
	    " ORDER BY name",
};

static struct db_set places_set = DB_SET("dashboard/places", places_sql);

/* The columns of a district and of a unit: JSON member and CSV header;
 * UNIT_COLS are those of S_DISTRICTS and S_UNITS_ON, read by unit_json. */
#define DISTRICT_COLS(X) \
	X("code", code) X("name", name) X("kind", kind) \
	X("valid_from", valid_from) X("valid_to", valid_to)
#define UNIT_COLS(X) \
	X("code", code) X("name", name) X("kind", kind) X("level", level) \
	X("parent_code", parent_code) X("valid_from", valid_from) \
	X("valid_to", valid_to)
/* An administrative unit, every column text. */
#define AS_MEMBER(key, member)	const char *member;
struct unit_row { UNIT_COLS(AS_MEMBER) };
#define AS_JCOL(key, member)	JCOL(key, unit_row, member, J_STR),
#define AS_CSV(key, member)	{ key, key },

static const struct jcol district_json[] = { DISTRICT_COLS(AS_JCOL) };
static const struct csv_col district_csv[] = { DISTRICT_COLS(AS_CSV) };
static const struct jcol unit_json[] = { UNIT_COLS(AS_JCOL) };
static const struct csv_col unit_csv[] = { UNIT_COLS(AS_CSV) };

/* The units of statement stmt (S_DISTRICTS or S_UNITS_ON) with parameters
 * p into *out (arena). <0 a DB_E* code, else the number of units. */
static int
q_units(struct req *r, int stmt, const struct db_param *p, size_t np,
    struct unit_row **out)
{
	void	*rows;
	int	 n;

	n = rows_fetch(r->db, r->a, &places_set, stmt, p, np, unit_json,
	    NELEM(unit_json), sizeof(**out), &rows);
	*out = rows;
	return n;
}

/*
 * Every district-level unit, including those that no longer exist, into
 * *out (arena). <0 a DB_E* code, else the number of units.
 */
static int
q_districts(struct req *r, struct unit_row **out)
{
	return q_units(r, S_DISTRICTS, DB_NOARGS, out);
}

/*
 * The units a place is named by on date (YYYY-MM-DD): the communes and
 * wards from 2025-07-01, the district-level units before, by name, into
 * *out (arena). <0 a DB_E* code, else the number of units.
 */
static int
q_units_on(struct req *r, const char *date, struct unit_row **out)
{
	return q_units(r, S_UNITS_ON, DB_ARGS(DB_STR(date), DB_STR(date),
	    DB_STR(date)), out);
}

static const struct field unit_fields[] = {
	{ "date", F_DATE, 0, 0, 0, NULL },
};

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

/*
 * GET /api/districts[.csv] → every district-level unit, including those
 * that no longer exist: {"items":[{code,name,kind,valid_from,valid_to}]}.
 * 503 while the database is down.
 */
static int
h_districts_list(struct req *r)
{
	struct unit_row	*u;
	int		 n;

	if ((n = q_districts(r, &u)) < 0)
		return resp_db(r);
	r->cache_seconds = 60;
	return resp_list(r, rows_array(u, sizeof(*u), (size_t)n, district_json,
	    NELEM(district_json)), n, 1, n, "districts", district_csv,
	    NELEM(district_csv));
}

/*
 * GET /api/units[.csv]?date=YYYY-MM-DD → the units a place is named by on
 * that date (default today in Vietnam): the 69 communes and wards from
 * 2025-07-01, the district-level units before. 422 for a malformed date.
 */
static int
h_units_list(struct req *r)
{
	struct value	 v[1];
	struct unit_row	*u;
	char		 today[CLOCK_DATE_LEN];
	time_t		 now = clock_now();
	int		 n;

	if ((n = req_fields(r, unit_fields, 1, v)) != 0)
		return n;
	clock_vn_date(now, today);
	if ((n = q_units_on(r, v[0].set ? v[0].s : today, &u)) < 0)
		return resp_db(r);
	/* Today's answer is not kept past Vietnam's midnight. */
	r->cache_seconds = 60;
	if (!v[0].set && clock_vn_day_left(now) < r->cache_seconds)
		r->cache_seconds = clock_vn_day_left(now);
	return resp_list(r, rows_array(u, sizeof(*u), (size_t)n, unit_json,
	    NELEM(unit_json)), n, 1, n, "units", unit_csv, NELEM(unit_csv));
}

const struct route dashboard_places_routes[] = {
	{ M_GET, "/api/health", h_health_get, 0, 0, 0 },
	{ M_GET, "/api/districts", h_districts_list, R_CSV, 0, 0 },
	{ M_GET, "/api/units", h_units_list, R_CSV, 0, 0 },
	ROUTES_END
};
