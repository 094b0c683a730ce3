/*
 * kc-dashboard: the public, read-only side of the plan: health, the
 * administrative units, and (issue 6) plans and the transparency
 * dashboard. Also the fallback for unknown /api/ paths (404 JSON).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "clock.h"
#include "datapkg.h"
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
	    " p.sample OR COALESCE(m.sample_rows, 0) > 0," \
	    " DATE_FORMAT(GREATEST(p.updated_at, COALESCE(m.updated_at," \
	    "  p.updated_at)), '%Y-%m-%dT%H:%i:%sZ')" \
	    " FROM plan p LEFT JOIN plan_money m ON m.year = p.year" \
	    " WHERE p.year = ?") \
	/* The whole dashboard of a year in one statement, from the sums \
	 * that migration 011's triggers keep (primary-key lookups and \
	 * ranges only). Column k tells the kind of row: 0 the plan and its \
	 * totals, 1 a content area, 2 an activity, 3 an implementing unit, \
	 * 4 an area, 5 a month. Then c1..c6 (text), n1, n2 (counts), \
	 * m1..m4 (planned, allocated, disbursed, settled). Ordered in C \
	 * (dash_build): no temporary table here. */ \
	X(S_DASH, \
	    "SELECT 0 AS k, p.title AS c1, p.decision_no AS c2," \
	    " p.decision_date AS c3, p.approved_by AS c4, p.source AS c5," \
	    " DATE_FORMAT(GREATEST(p.updated_at, COALESCE(m.updated_at," \
	    "  p.updated_at)), '%Y-%m-%dT%H:%i:%sZ') AS c6," \
	    " p.total_vnd AS n1, p.sample OR COALESCE(m.sample_rows, 0) > 0" \
	    " AS n2, COALESCE(m.planned_vnd, 0) AS m1," \
	    " COALESCE(m.allocated_vnd, 0) AS m2," \
	    " COALESCE(m.disbursed_vnd, 0) AS m3," \
	    " COALESCE(m.settled_vnd, 0) AS m4" \
	    " FROM plan p LEFT JOIN plan_money m ON m.year = p.year" \
	    " WHERE p.year = ?" \
	    " UNION ALL SELECT 1, c.code, c.title, NULL, NULL, NULL, NULL, 0, 0," \
	    " COALESCE(g.planned_vnd, 0), COALESCE(g.allocated_vnd, 0)," \
	    " COALESCE(g.disbursed_vnd, 0), COALESCE(g.settled_vnd, 0)" \
	    " FROM plan_content c LEFT JOIN plan_group_money g" \
	    " ON g.year = c.year AND g.kind = 'c' AND g.gkey = c.code" \
	    " WHERE c.year = ?" \
	    " UNION ALL SELECT 2, a.content_code, a.title, a.unit_name," \
	    " a.target, a.status, NULL, a.id, a.progress, a.planned_vnd," \
	    " COALESCE(m.allocated_vnd, 0), COALESCE(m.disbursed_vnd, 0)," \
	    " COALESCE(m.settled_vnd, 0)" \
	    " FROM activity a LEFT JOIN activity_money m" \
	    " ON m.activity_id = a.id WHERE a.year = ?" \
	    " UNION ALL SELECT 3, g.gkey, NULL, NULL, NULL, NULL, NULL, 0, 0," \
	    " g.planned_vnd, g.allocated_vnd, g.disbursed_vnd, g.settled_vnd" \
	    " FROM plan_group_money g WHERE g.year = ? AND g.kind = 'u'" \
	    " UNION ALL SELECT 4, u.code, u.name, u.kind, NULL, NULL, NULL, 0," \
	    " x.facilities, 0, 0, x.disbursed_vnd, 0" \
	    " FROM disb_group_money x LEFT JOIN admin_unit u" \
	    " ON u.id = x.area_id WHERE x.year = ? AND x.kind = 'a'" \
	    " UNION ALL SELECT 5, x.gkey, NULL, NULL, NULL, NULL, NULL, 0," \
	    " x.facilities, 0, 0, x.disbursed_vnd, 0" \
	    " FROM disb_group_money x WHERE x.year = ? AND x.kind = 'm'") \
	/* What each request reads: the version of the year's figures \
	 * (migration 012; no row: no such plan; a plan is never deleted, \
	 * and dash_build answers 404 if it were) and the applications by \
	 * status, which are not versioned: one row per count shard \
	 * (migration 032; one row of NULLs if there is none), summed by \
	 * dash_get. Summed in SQL (SUM over the join) the uncached \
	 * dashboard did 4 860 requests/s against 5 500 (alternating runs). */ \
	X(S_DASH_VERSION, \
	    "SELECT v.version, n.submitted, n.under_review, n.approved," \
	    " n.rejected, n.withdrawn FROM dash_version v" \
	    " LEFT JOIN application_count n ON n.year = v.year" \
	    " WHERE v.year = ?") \
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
 * that date (default today in Vietnam): the 69 communes and wards from 2025-07-01,
 * the district-level units before. 422 for a malformed date.
 */
static int
h_units_list(struct req *r)
{
	struct value	 v[1];
	struct db_res	*q;
	json_object	*items, *it;
	const char	*date;
	char		 today[CLOCK_DATE_LEN];
	time_t		 now = clock_now();
	int		 rc;

	if ((rc = req_fields(r, unit_fields, 1, v)) != 0)
		return rc;
	clock_vn_date(now, today);
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
	/* Today's answer is not kept past Vietnam's midnight. */
	r->cache_seconds = 60;
	if (!v[0].set && clock_vn_day_left(now) < r->cache_seconds)
		r->cache_seconds = clock_vn_day_left(now);
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
	    "plans", datapkg_plans.cols, datapkg_plans.ncols);
}

static const struct field year_fields[] = {
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
};

/*
 * The year of the latest plan. 0 and *year, or the status already
 * written (404 no plan yet, 503).
 */
static int
latest_year(struct req *r, long long *year)
{
	struct db_res	*q;

	if ((q = db_query(r->db, r->a, S_LATEST_YEAR, DB_NOARGS)) == NULL)
		return resp_db(r);
	if (!db_next(q) || db_isnull(q, 0))
		return resp_error(r, 404, "not_found",
		    "Chưa có kế hoạch khuyến công nào.");
	*year = db_int(q, 0);
	return 0;
}

/*
 * The plan year asked for (?year=), or the latest plan's when none is
 * given. 0 and *year, or the status already written (422, 404, 503).
 */
static int
plan_year(struct req *r, long long *year)
{
	struct value	 v[1];
	int		 rc;

	if ((rc = req_fields(r, year_fields, 1, v)) != 0)
		return rc;
	if (!v[0].set)
		return latest_year(r, year);
	*year = v[0].i;
	return 0;
}

/* Columns of S_DASH. */
enum { D_K, D_C1, D_C2, D_C3, D_C4, D_C5, D_C6, D_N1, D_N2, D_PLANNED,
    D_ALLOC, D_DISB, D_SETTLED };
enum { K_PLAN, K_CONTENT, K_ACTIVITY, K_UNIT, K_AREA, K_MONTH, K__MAX };

static const char *
cell(const struct db_res *q, size_t row, size_t col)
{
	return q->cell[row][col];
}

static long long
cell_int(const struct db_res *q, size_t row, size_t col)
{
	const char	*s = q->cell[row][col];

	return s != NULL ? strtoll(s, NULL, 10) : 0;
}

static json_object *
cell_str(const struct db_res *q, size_t row, size_t col)
{
	return jstr(q->cell[row][col]);
}

/* One member of a dashboard object: its name and its column of S_DASH,
 * text or a number. */
struct dash_col {
	const char	*key;
	int		 col;
	int		 num;
};

#define MONEY_COLS \
	{ "planned_vnd", D_PLANNED, 1 }, { "allocated_vnd", D_ALLOC, 1 }, \
	{ "disbursed_vnd", D_DISB, 1 }, { "settled_vnd", D_SETTLED, 1 }
#define NCOLS(c)	(sizeof(c) / sizeof((c)[0]))

static const struct dash_col plan_json[] = {
	{ "title", D_C1, 0 }, { "total_vnd", D_N1, 1 },
	{ "decision_no", D_C2, 0 }, { "decision_date", D_C3, 0 },
	{ "approved_by", D_C4, 0 }, { "source", D_C5, 0 },
};
static const struct dash_col totals_json[] = { MONEY_COLS };
static const struct dash_col content_json[] = {
	{ "code", D_C1, 0 }, { "title", D_C2, 0 }, MONEY_COLS,
};
static const struct dash_col activity_json[] = {
	{ "id", D_N1, 1 }, { "title", D_C2, 0 }, { "unit", D_C3, 0 },
	{ "target", D_C4, 0 }, MONEY_COLS, { "status", D_C5, 0 },
	{ "progress", D_N2, 1 },
};
static const struct dash_col unit_json[] = {
	{ "unit", D_C1, 0 }, { "planned_vnd", D_PLANNED, 1 },
	{ "allocated_vnd", D_ALLOC, 1 }, { "disbursed_vnd", D_DISB, 1 },
};
static const struct dash_col area_json[] = {
	{ "code", D_C1, 0 }, { "name", D_C2, 0 }, { "kind", D_C3, 0 },
	{ "facilities_supported", D_N2, 1 }, { "disbursed_vnd", D_DISB, 1 },
};
static const struct dash_col month_json[] = {
	{ "month", D_C1, 0 }, { "disbursed_vnd", D_DISB, 1 },
	{ "facilities_supported", D_N2, 1 },
};

/* Row row of S_DASH as the object of columns c (n of them). */
static json_object *
dash_object(const struct db_res *q, size_t row, const struct dash_col *c,
    size_t n)
{
	json_object	*o = json_object_new_object();

	for (; n > 0; c++, n--)
		json_object_object_add(o, c->key, c->num ?
		    json_object_new_int64(cell_int(q, row, c->col)) :
		    cell_str(q, row, c->col));
	return o;
}

/* The rows idx[0..n) as a list of objects of columns c, member key of
 * root; returns the list. */
static json_object *
dash_list(json_object *root, const char *key, const struct db_res *q,
    const size_t *idx, size_t n, const struct dash_col *c, size_t nc)
{
	json_object	*list = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		json_object_array_add(list, dash_object(q, idx[i], c, nc));
	json_object_object_add(root, key, list);
	return list;
}

/* NULL sorts first, then byte order. */
static int
cmp_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_ll(long long a, long long b)
{
	return (a > b) - (a < b);
}

/*
 * Order of the rows of one kind: contents and months by key; activities
 * by content area, then id; units and areas by money disbursed, most
 * first, then by key.
 */
static int
dash_row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct db_res	*q = arg;
	size_t			 a = *(const size_t *)pa, b = *(const size_t *)pb;
	int			 c;

	switch (cell_int(q, a, D_K)) {
	case K_ACTIVITY:
		if ((c = cmp_text(cell(q, a, D_C1), cell(q, b, D_C1))) != 0)
			return c;
		return cmp_ll(cell_int(q, a, D_N1), cell_int(q, b, D_N1));
	case K_UNIT:
	case K_AREA:
		if ((c = cmp_ll(cell_int(q, b, D_DISB),
		    cell_int(q, a, D_DISB))) != 0)
			return c;
		/* FALLTHROUGH */
	default:
		return cmp_text(cell(q, a, D_C1), cell(q, b, D_C1));
	}
}

/*
 * The dashboard of a plan year but its applications into *out (the caller
 * owns it), from the one statement S_DASH: its rows are put in order per
 * kind (a sort of a few dozen indexes), then each becomes one JSON
 * object. 0, or the status already written: 404 for an unknown year,
 * 503/500.
 */
static int
dash_build(struct req *r, long long year, json_object **out)
{
	struct db_res	*q;
	json_object	*root, *totals, *contents, *areas, *acts;
	size_t		*idx[K__MAX], n[K__MAX], i, j, row;
	long long	 k;

	*out = NULL;
	q = db_query(r->db, r->a, S_DASH, DB_ARGS(DB_INT(year), DB_INT(year),
	    DB_INT(year), DB_INT(year), DB_INT(year), DB_INT(year)));
	if (q == NULL)
		return resp_db(r);
	memset(n, 0, sizeof(n));
	for (k = 0; k < K__MAX; k++)
		idx[k] = arena_alloc(r->a, (q->rows + 1) * sizeof(size_t));
	for (row = 0; row < q->rows; row++) {
		k = cell_int(q, row, D_K);
		if (k >= 0 && k < K__MAX)
			idx[k][n[k]++] = row;
	}
	if (n[K_PLAN] == 0)
		return resp_error(r, 404, "not_found",
		    "Không có kế hoạch khuyến công của năm này.");
	for (k = K_CONTENT; k < K__MAX; k++)
		qsort_r(idx[k], n[k], sizeof(size_t), dash_row_cmp, q);

	row = idx[K_PLAN][0];
	root = json_object_new_object();
	json_object_object_add(root, "year", json_object_new_int64(year));
	json_object_object_add(root, "plan",
	    dash_object(q, row, plan_json, NCOLS(plan_json)));
	json_object_object_add(root, "sample",
	    json_object_new_boolean(cell_int(q, row, D_N2) != 0));
	json_object_object_add(root, "updated_at", cell_str(q, row, D_C6));
	totals = dash_object(q, row, totals_json, NCOLS(totals_json));

	/* Content areas (at most four, codes '1'..'4'), then each activity
	 * into its area's list: both lists are in order, one merge pass. */
	contents = dash_list(root, "contents", q, idx[K_CONTENT],
	    n[K_CONTENT], content_json, NCOLS(content_json));
	for (i = 0; i < n[K_CONTENT]; i++)
		json_object_object_add(json_object_array_get_idx(contents, i),
		    "activities", json_object_new_array());
	for (i = 0, j = 0; i < n[K_ACTIVITY]; i++) {
		row = idx[K_ACTIVITY][i];
		while (j < n[K_CONTENT] && cmp_text(cell(q,
		    idx[K_CONTENT][j], D_C1), cell(q, row, D_C1)) < 0)
			j++;
		if (j == n[K_CONTENT] || cmp_text(cell(q, idx[K_CONTENT][j],
		    D_C1), cell(q, row, D_C1)) != 0)
			continue;	/* cannot happen: a foreign key */
		json_object_object_get_ex(json_object_array_get_idx(contents,
		    j), "activities", &acts);
		json_object_array_add(acts, dash_object(q, row, activity_json,
		    NCOLS(activity_json)));
	}
	json_object_object_add(root, "totals", totals);

	dash_list(root, "by_unit", q, idx[K_UNIT], n[K_UNIT], unit_json,
	    NCOLS(unit_json));
	/* Money not tied to an area has no name of its own. */
	areas = dash_list(root, "by_area", q, idx[K_AREA], n[K_AREA],
	    area_json, NCOLS(area_json));
	for (i = 0; i < n[K_AREA]; i++)
		if (cell(q, idx[K_AREA][i], D_C2) == NULL)
			json_object_object_add(json_object_array_get_idx(areas,
			    i), "name", jstr("Toàn tỉnh (không gắn với địa bàn)"));
	dash_list(root, "monthly", q, idx[K_MONTH], n[K_MONTH], month_json,
	    NCOLS(month_json));
	*out = root;
	return 0;
}

/*
 * Each worker keeps the dashboards it built, per year, with the version of
 * the year's figures they were built from (migration 012). A request reads
 * the version and the applications by status (S_DASH_VERSION: a primary
 * key lookup and a 16-row key range, migration 032) and builds again only
 * when the version moved: the answer is never older than the database, and
 * the common case costs one small statement instead of S_DASH and a few
 * hundred JSON objects. Years beyond DASH_KEPT push out the least recently
 * used.
 */
#define DASH_KEPT	8

struct dash {
	long long	 year;
	char		*version;	/* NULL: free slot */
	json_object	*root;		/* without "applications" */
	const char	*text;		/* root as JSON, owned by root */
	size_t		 len;
	unsigned long	 used;
};

static struct dash	dash_kept[DASH_KEPT];
static unsigned long	dash_clock;

static void
dash_drop(struct dash *d)
{
	free(d->version);
	json_object_put(d->root);
	memset(d, 0, sizeof(*d));
}

/* The slot of year, or the one to fill: a free one, else the oldest. */
static struct dash *
dash_slot(long long year)
{
	struct dash	*d, *pick = &dash_kept[0];

	for (d = dash_kept; d < dash_kept + DASH_KEPT; d++) {
		if (d->version != NULL && d->year == year)
			return d;
		if (pick->version != NULL && (d->version == NULL ||
		    d->used < pick->used))
			pick = d;
	}
	return pick;
}

/*
 * The dashboard of a plan year, current as of this request: *out points
 * to a kept entry (the caller must not free it) and *apps receives the
 * applications by status (the caller owns it). 0, or the status already
 * written (404 unknown year, 503/500).
 */
static int
dash_get(struct req *r, long long year, struct dash **out, json_object **apps)
{
	static const char *const st[] = {
		"submitted", "under_review", "approved", "rejected", "withdrawn"
	};
	struct db_res	*q;
	struct dash	*d;
	const char	*version;
	json_object	*root;
	long long	 n[sizeof(st) / sizeof(st[0])] = { 0 };
	size_t		 i;
	int		 rc;

	q = db_query(r->db, r->a, S_DASH_VERSION, DB_ARGS(DB_INT(year)));
	if (q == NULL)
		return resp_db(r);
	if (!db_next(q) || (version = db_str(q, 0)) == NULL)
		return resp_error(r, 404, "not_found",
		    "Không có kế hoạch khuyến công của năm này.");
	d = dash_slot(year);
	if (d->version == NULL || d->year != year ||
	    strcmp(d->version, version) != 0) {
		if ((rc = dash_build(r, year, &root)) != 0)
			return rc;
		dash_drop(d);
		d->year = year;
		d->version = strdup(version);
		d->root = root;
		d->text = json_object_to_json_string_length(root,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
		    &d->len);
		if (d->version == NULL || d->text == NULL || d->len < 2) {
			dash_drop(d);
			return resp_error(r, 500, "internal",
			    "Lỗi máy chủ. Vui lòng thử lại sau.");
		}
	}
	d->used = ++dash_clock;
	do	/* the shards of the counts: NULL (none) counts 0 */
		for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
			n[i] += db_int(q, 1 + i);
	while (db_next(q));
	*apps = json_object_new_object();
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		json_object_object_add(*apps, st[i],
		    json_object_new_int64(n[i]));
	*out = d;
	return 0;
}

/*
 * The dashboard lines, one per activity (the open-data table, columns
 * datapkg_lines): contents[].activities[] flattened (new array).
 */
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
	static const char APPS[] = ",\"applications\":";
	struct dash	*d;
	json_object	*apps;
	const char	*a;
	char		*body;
	size_t		 alen;
	long long	 year;
	int		 rc;

	if ((rc = plan_year(r, &year)) != 0 ||
	    (rc = dash_get(r, year, &d, &apps)) != 0)
		return rc;
	r->cache_seconds = PUBLIC_CACHE;
	if (r->csv) {
		json_object_put(apps);
		return resp_csv(r, arena_printf(r->a, "ke-hoach-%lld", year),
		    dash_line_rows(d->root, year), datapkg_lines.cols,
		    datapkg_lines.ncols);
	}
	/* The kept text without its closing brace, then the applications. */
	a = json_object_to_json_string_length(apps, JSON_C_TO_STRING_PLAIN,
	    &alen);
	body = arena_alloc(r->a, d->len + sizeof(APPS) + alen + 1);
	memcpy(body, d->text, d->len - 1);
	memcpy(body + d->len - 1, APPS, sizeof(APPS) - 1);
	memcpy(body + d->len - 2 + sizeof(APPS), a, alen);
	memcpy(body + d->len - 2 + sizeof(APPS) + alen, "}", 2);
	rc = resp_json_text(r, 200, body);
	json_object_put(apps);
	return rc;
}

static const struct dash_part {
	const char			*name;	/* path segment, CSV name */
	const char			*key;	/* member of the dashboard */
	const char			*title;	/* in the data package */
	const struct datapkg_table	*table;
} dash_parts[] = {
	{ "contents", "contents", "Kinh phí theo nội dung", &datapkg_contents },
	{ "units", "by_unit", "Kinh phí theo đơn vị thực hiện",
	    &datapkg_units },
	{ "areas", "by_area", "Giải ngân theo địa bàn", &datapkg_areas },
	{ "monthly", "monthly", "Giải ngân theo tháng", &datapkg_monthly },
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
	struct dash		*d;
	json_object		*apps, *items;
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
	    (rc = dash_get(r, year, &d, &apps)) != 0)
		return rc;
	json_object_put(apps);
	json_object_object_get_ex(d->root, p->key, &items);
	items = json_object_get(items);
	n = json_object_array_length(items);
	r->cache_seconds = PUBLIC_CACHE;
	return resp_list(r, items, (long long)n, 1, (long long)n,
	    arena_printf(r->a, "%s-%lld", p->name, year), p->table->cols,
	    p->table->ncols);
}

static const struct field benef_fields[] = {
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "district", F_STR, 0, 1, 10, NULL },
	{ "q", F_STR, 0, 0, 100, NULL },
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
 * received support in a plan year (the latest plan's when year is
 * absent, as for the dashboard), in order of payment:
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
	long long	 year, page, per_page, limit, offset;
	struct db_param	 dist, pat;
	int		 rc;

	if ((rc = req_fields(r, benef_fields, 3, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if (v[0].set)
		year = v[0].i;
	else if ((rc = latest_year(r, &year)) != 0)
		return rc;
	if ((q = db_query(r->db, r->a, S_PLAN, DB_ARGS(DB_INT(year)))) ==
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
	c = db_query(r->db, r->a, S_BENEF_COUNT, DB_ARGS(DB_INT(year),
	    dist, dist, pat, pat, pat));
	if (c == NULL || !db_next(c))
		return resp_db(r);
	q = db_query(r->db, r->a, S_BENEF, DB_ARGS(DB_INT(year), dist, dist,
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
	    arena_printf(r->a, "nguoi-thu-huong-%lld", year),
	    datapkg_benef.cols, datapkg_benef.ncols);
}

/*
 * The resources of the package of a year: every CSV table of the
 * dashboard, the beneficiaries, the plans and the products, each
 * described by the list of columns that writes it (datapkg.h).
 */
static json_object *
dp_resources(struct arena *a, long long year)
{
	json_object	*res = json_object_new_array();
	size_t		 i;

	json_object_array_add(res, datapkg_resource(
	    arena_printf(a, "hoat-dong-%lld", year), "Kinh phí theo hoạt động",
	    arena_printf(a, "dashboard.csv?year=%lld", year), &datapkg_lines));
	for (i = 0; i < sizeof(dash_parts) / sizeof(dash_parts[0]); i++)
		json_object_array_add(res, datapkg_resource(
		    arena_printf(a, "%s-%lld", dash_parts[i].name, year),
		    dash_parts[i].title, arena_printf(a,
		    "dashboard/%s.csv?year=%lld", dash_parts[i].name, year),
		    dash_parts[i].table));
	json_object_array_add(res, datapkg_resource(
	    arena_printf(a, "nguoi-thu-huong-%lld", year),
	    "Cơ sở, đơn vị được hỗ trợ",
	    arena_printf(a, "beneficiaries.csv?year=%lld", year),
	    &datapkg_benef));
	json_object_array_add(res, datapkg_resource("ke-hoach",
	    "Các kế hoạch khuyến công", "plans.csv", &datapkg_plans));
	json_object_array_add(res, datapkg_resource(
	    arena_printf(a, "san-pham-%lld", year),
	    "Sản phẩm CNNT tiêu biểu được công nhận trong năm",
	    arena_printf(a, "products.csv?year=%lld", year),
	    &datapkg_products));
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
	json_object	*o, *lic, *l;
	long long	 year;
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
	json_object_object_add(o, "resources", dp_resources(r->a, year));
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
		.name = "kc-dashboard", .db_user = "kc_public",
		.sqls = sqls, .nsqls = S__MAX,
		.routes = routes, .nroutes = NELEM(routes),
	};

	return app_main(&app);
}
