/*
 * kc-dashboard, how complete a published plan's data is (issue 21,
 * point 3): per implementing unit and per district, the Vietnamese day of
 * the latest entry of each kind (allocation, disbursement, settlement:
 * when the row was entered, not the day it names) and the share of the
 * unit's activities (not cancelled) with a disbursement entered. An
 * area is a district (a commune's district up to 2025; from 2025-07-01,
 * when districts ended, the commune itself). An area's rows are the
 * payments into it and the activities that made
 * them (allocations and settlements are an activity's, not a place's),
 * so its share is not given.
 *
 *	GET /api/dashboard/completeness[.csv]?year=
 */
#include <time.h>

#include <json-c/json.h>

#include "arena.h"
#include "clock.h"
#include "datapkg.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"

#include "dashboard.h"

/* An activity's latest entries: what both scopes join. */
#define LAST_OF(tbl) \
	" LEFT JOIN (SELECT activity_id, MAX(created_at) last FROM " tbl \
	" WHERE activity_id IN (SELECT id FROM activity WHERE year = ?)" \
	" GROUP BY activity_id) "
#define DAY(col)	CLOCK_VN_DAY("MAX(" col ")")

enum complete_stmt { S_CPL_UNITS, S_CPL_AREAS, S_CPL__MAX };
static const char *const complete_sql[S_CPL__MAX] = {
	[S_CPL_UNITS] =
	    "SELECT 'unit', NULL, t.unit_name, " DAY("al.last") ", "
	    DAY("d.last") ", " DAY("s.last") ", COUNT(*),"
	    " SUM(d.last IS NOT NULL) FROM activity t JOIN plan p ON"
	    " p.year = t.year AND " SQL_PUBLISHED("p")
	    LAST_OF("allocation") "al ON al.activity_id = t.id"
	    LAST_OF("disbursement") "d ON d.activity_id = t.id"
	    LAST_OF("settlement") "s ON s.activity_id = t.id"
	    " WHERE t.year = ? AND t.status <> 'cancelled'"
	    " GROUP BY t.unit_name ORDER BY t.unit_name",
	[S_CPL_AREAS] =
	    "SELECT 'area', dd.code, dd.name, " DAY("al.last") ", "
	    DAY("x.created_at") ", " DAY("s.last") ", COUNT(DISTINCT"
	    " x.activity_id), COUNT(DISTINCT x.activity_id)"
	    " FROM disbursement x JOIN activity t ON t.id = x.activity_id"
	    " JOIN plan p ON p.year = t.year AND " SQL_PUBLISHED("p")
	    " JOIN admin_unit u ON u.id = x.unit_id"
	    " JOIN admin_unit dd ON dd.id = IF(u.level = 'district', u.id,"
	    " COALESCE((SELECT MIN(z.id) FROM admin_unit z WHERE z.code ="
	    " u.parent_code AND z.level = 'district'), u.id))"
	    LAST_OF("allocation") "al ON al.activity_id = t.id"
	    LAST_OF("settlement") "s ON s.activity_id = t.id"
	    " WHERE t.year = ? GROUP BY dd.code, dd.name ORDER BY dd.code",
};
static struct db_set	 complete_set = DB_SET("dashboard/complete",
    complete_sql);

#define CPL_ROW(X) \
	X(scope, J_STR) X(code, J_STR) X(name, J_STR) \
	X(last_allocation, J_STR) X(last_disbursement, J_STR) \
	X(last_settlement, J_STR) X(activities, J_INT) \
	X(with_disbursements, J_INT)
struct cpl_row {
	CPL_ROW(ROWS_MEMBER)
	json_object	*share;		/* not read: made after */
};
#define CPL_JCOL(m, t)	JCOL(#m, cpl_row, m, t),
static const struct jcol cpl_cols[] = { CPL_ROW(CPL_JCOL) };

/* The rows of one scope appended to items: 0 or a DB_E* code. */
static int
q_complete(struct req *r, int stmt, long long year, json_object *items)
{
	struct db_param	 p[4] = { DB_INT(year), DB_INT(year), DB_INT(year),
	    DB_INT(year) };
	struct cpl_row	*rows;
	json_object	*o;
	int		 n, i;

	/* the units' statement has one more latest-entry join */
	if ((n = rows_fetch(r->db, r->a, &complete_set, stmt, p,
	    stmt == S_CPL_UNITS ? 4 : 3, cpl_cols, NELEM(cpl_cols), sizeof(*rows), (void **)&rows)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		o = rows_object(&rows[i], cpl_cols, NELEM(cpl_cols));
		json_object_object_add(o, "share", stmt == S_CPL_UNITS &&
		    rows[i].activities > 0 ? json_object_new_double(
		    (double)rows[i].with_disbursements /
		    (double)rows[i].activities) : NULL);
		json_object_array_add(items, o);
	}
	return 0;
}

/*
 * GET /api/dashboard/completeness[.csv]?year= → {"year","data_as_of",
 * "items":[{"scope":"unit"|"area","code","name","last_allocation",
 * "last_disbursement","last_settlement","activities",
 * "with_disbursements","share"}]}: days are Vietnam's (YYYY-MM-DD, null
 * when none), share is with_disbursements / activities (null for an
 * area). 404 no published plan, 422 bad year, 503.
 */
static int
h_complete_get(struct req *r)
{
	struct plan_row	 plan;
	json_object	*o, *items;
	int		 rc;

	if ((rc = plans_asked(r, &plan)) != 0)
		return rc;
	items = json_object_new_array();
	if (q_complete(r, S_CPL_UNITS, plan.year, items) < 0 ||
	    q_complete(r, S_CPL_AREAS, plan.year, items) < 0) {
		json_object_put(items);
		return resp_db(r);
	}
	r->cache_seconds = PUBLIC_CACHE;
	if (r->csv)
		return resp_csv(r, arena_printf(r->a, "do-day-du-%lld",
		    plan.year), items, datapkg_complete.cols, datapkg_complete.ncols);
	o = json_object_new_object();
	json_object_object_add(o, "year", json_object_new_int64(plan.year));
	dash_as_of(r->a, o);
	json_object_object_add(o, "items", items);
	return resp_json(r, 200, o);
}

const struct route dashboard_complete_routes[] = {
	{ M_GET, "/api/dashboard/completeness", h_complete_get, R_CSV, 0, 0 },
	ROUTES_END
};
