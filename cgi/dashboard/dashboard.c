/*
 * dashboard: everything the public dashboard shows for a plan year, and
 * the tables behind its charts. Each worker keeps the dashboards it built
 * and checks them against the year's version with one statement per
 * request (cgi/API.md).
 *
 *	GET /api/dashboard[.csv]?year=
 *	GET /api/dashboard/{contents|units|areas|monthly}[.csv]?year=
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "datapkg.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "values.h"

#include "dashboard.h"

enum dash_stmt { S_DASH, S_DASH_VERSION, S_DASH__MAX };

#define AS_COUNT(id, code, label)	", n." code

static const char *const dash_sql[] = {
	/* The whole dashboard of a year in one statement, from the sums
	 * that migration 011's triggers keep (primary-key lookups and
	 * ranges only): struct dash_row tells its columns. Ordered in C
	 * (q_dash_rows): no temporary table here. */
	[S_DASH] =
	    "SELECT 0 AS k, p.title AS c1, p.decision_no AS c2,"
	    " p.decision_date AS c3, p.approved_by AS c4, p.source AS c5,"
	    " " SQL_PLAN_UPDATED " AS c6,"
	    " p.total_vnd AS n1, " SQL_PLAN_SAMPLE
	    " AS n2, COALESCE(m.planned_vnd, 0) AS m1,"
	    " COALESCE(m.allocated_vnd, 0) AS m2,"
	    " COALESCE(m.disbursed_vnd, 0) AS m3,"
	    " COALESCE(m.settled_vnd, 0) AS m4"
	    SQL_PLAN_FROM
	    " UNION ALL SELECT 1, c.code, c.title, NULL, NULL, NULL, NULL,"
	    " COALESCE(c.planned_vnd, -1), 0,"
	    " COALESCE(g.planned_vnd, 0), COALESCE(g.allocated_vnd, 0),"
	    " COALESCE(g.disbursed_vnd, 0), COALESCE(g.settled_vnd, 0)"
	    " FROM plan_content c LEFT JOIN plan_group_money g"
	    " ON g.year = c.year AND g.kind = 'c' AND g.gkey = c.code"
	    " WHERE c.year = ?"
	    " UNION ALL SELECT 2, a.content_code, a.title, a.unit_name,"
	    " a.target, a.status, NULL, a.id, a.progress, a.planned_vnd,"
	    " COALESCE(m.allocated_vnd, 0), COALESCE(m.disbursed_vnd, 0),"
	    " COALESCE(m.settled_vnd, 0)"
	    " FROM activity a LEFT JOIN activity_money m"
	    " ON m.activity_id = a.id WHERE a.year = ?"
	    " UNION ALL SELECT 3, g.gkey, NULL, NULL, NULL, NULL, NULL, 0, 0,"
	    " g.planned_vnd, g.allocated_vnd, g.disbursed_vnd, g.settled_vnd"
	    " FROM plan_group_money g WHERE g.year = ? AND g.kind = 'u'"
	    " UNION ALL SELECT 4, u.code, u.name, u.kind, NULL, NULL, NULL, 0,"
	    " x.facilities, 0, 0, x.disbursed_vnd, 0"
	    " FROM disb_group_money x LEFT JOIN admin_unit u"
	    " ON u.id = x.area_id WHERE x.year = ? AND x.kind = 'a'"
	    " UNION ALL SELECT 5, x.gkey, NULL, NULL, NULL, NULL, NULL, 0,"
	    " x.facilities, 0, 0, x.disbursed_vnd, 0"
	    " FROM disb_group_money x WHERE x.year = ? AND x.kind = 'm'",
	/* What each request reads: the version of the year's figures
	 * (migration 012) if its plan is published (no row: no such plan,
	 * or a draft; publishing, amending or deleting a plan gives its
	 * year a new version through the triggers of 011, 012 and 052,
	 * and dash_build answers 404 if it raced) and the applications by
	 * status, which are not versioned: one row per count shard
	 * (migration 032; one row of NULLs if there is none), summed by
	 * q_dash_version. Summed in SQL (SUM over the join) the uncached
	 * dashboard did 4 860 requests/s against 5 500 (alternating runs). */
	[S_DASH_VERSION] =
	    "SELECT v.version" APP_STATUSES(AS_COUNT)
	    " FROM dash_version v"
	    " JOIN plan p ON p.year = v.year AND " SQL_PUBLISHED("p")
	    " LEFT JOIN application_count n ON n.year = v.year"
	    " WHERE v.year = ?",
};

static struct db_set dash_set = DB_SET("dashboard/dash", dash_sql);

/* The kinds of row of S_DASH, its first column. */
enum { K_PLAN, K_CONTENT, K_ACTIVITY, K_UNIT, K_AREA, K_MONTH, K__MAX };

/*
 * A row of S_DASH: its kind, six texts, two numbers and its money. The
 * texts t1..t6 and the numbers n1, n2 are, by kind:
 *	K_PLAN		title, decision_no, decision_date, approved_by,
 *			source, updated_at; total_vnd, sample
 *	K_CONTENT	code, title; the area's amount in the decision
 *			(as amended; -1 none given)
 *	K_ACTIVITY	content code, title, unit, target, status; id,
 *			progress
 *	K_UNIT		unit
 *	K_AREA		code, name, kind; -, facilities supported
 *	K_MONTH		month (YYYY-MM); -, facilities supported
 */
#define DASH_ROW(X) \
	X(kind, J_INT) X(t1, J_STR) X(t2, J_STR) X(t3, J_STR) X(t4, J_STR) \
	X(t5, J_STR) X(t6, J_STR) X(n1, J_INT) X(n2, J_INT) \
	X(planned, J_INT) X(allocated, J_INT) X(disbursed, J_INT) \
	X(settled, J_INT)
struct dash_row { DASH_ROW(ROWS_MEMBER) };
#define DASH_JCOL(m, t)	JCOL(#m, dash_row, m, t),
/* S_DASH's columns. */
static const struct jcol dash_read[] = { DASH_ROW(DASH_JCOL) };

/* The rows of S_DASH by kind, each kind in order. */
struct dash_rows {
	struct dash_row	*of[K__MAX];
	size_t		 n[K__MAX];
};

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
 * Order of the rows: by kind; contents and months by key; activities by
 * content area, then id; units and areas by money disbursed, most first,
 * then by key.
 */
static int
dash_row_cmp(const void *pa, const void *pb)
{
	const struct dash_row	*a = pa, *b = pb;
	int			 c;

	if ((c = cmp_ll(a->kind, b->kind)) != 0)
		return c;
	switch (a->kind) {
	case K_ACTIVITY:
		if ((c = cmp_text(a->t1, b->t1)) != 0)
			return c;
		return cmp_ll(a->n1, b->n1);
	case K_UNIT:
	case K_AREA:
		if ((c = cmp_ll(b->disbursed, a->disbursed)) != 0)
			return c;
		/* FALLTHROUGH */
	default:
		return cmp_text(a->t1, b->t1);
	}
}

/*
 * The dashboard's rows of year into *out (arena), each kind in order (a
 * sort of a few dozen rows). <0 a DB_E* code, 0 no such plan, >0 found.
 */
static int
q_dash_rows(struct req *r, long long year, struct dash_rows *out)
{
	struct dash_row	*rows;
	void		*got;
	size_t		 n = 0, i;
	int		 nr;

	if ((nr = rows_fetch(r->db, r->a, &dash_set, S_DASH,
	    DB_ARGS(DB_INT(year), DB_INT(year), DB_INT(year), DB_INT(year),
	    DB_INT(year), DB_INT(year)), dash_read, NELEM(dash_read),
	    sizeof(*rows), &got)) < 0)
		return nr;
	rows = got;
	for (i = 0; i < (size_t)nr; i++)
		if (rows[i].kind >= 0 && rows[i].kind < K__MAX)
			rows[n++] = rows[i];
	qsort(rows, n, sizeof(*rows), dash_row_cmp);
	memset(out, 0, sizeof(*out));
	for (i = n; i > 0; i--) {
		out->of[rows[i - 1].kind] = &rows[i - 1];
		out->n[rows[i - 1].kind]++;
	}
	return out->n[K_PLAN] > 0;
}

/*
 * The version of year's figures into *version (arena) and its
 * applications by status (APP_STATUSES' order) into apps, summed over
 * the count shards (NULL, none, counts 0). <0 a DB_E* code, 0 no such
 * plan, >0 found.
 */
static int
q_dash_version(struct req *r, long long year, const char **version,
    long long apps[APP__MAX])
{
	struct db_res	*q;
	size_t		 i;

	*version = NULL;
	q = db_squery(r->db, r->a, &dash_set, S_DASH_VERSION,
	    DB_ARGS(DB_INT(year)));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q) || (*version = db_str(q, 0)) == NULL)
		return 0;
	memset(apps, 0, APP__MAX * sizeof(apps[0]));
	do
		for (i = 0; i < APP__MAX; i++)
			apps[i] += db_int(q, 1 + i);
	while (db_next(q));
	return 1;
}

/* The money of a row, in the dashboard's order. */
#define MONEY_JSON \
	JCOL("planned_vnd", dash_row, planned, J_INT), \
	JCOL("allocated_vnd", dash_row, allocated, J_INT), \
	JCOL("disbursed_vnd", dash_row, disbursed, J_INT), \
	JCOL("settled_vnd", dash_row, settled, J_INT)

/* Each kind of row as a member of the dashboard (API.md). */
static const struct jcol plan_json[] = {
	JCOL("title", dash_row, t1, J_STR),
	JCOL("total_vnd", dash_row, n1, J_INT),
	JCOL("decision_no", dash_row, t2, J_STR),
	JCOL("decision_date", dash_row, t3, J_STR),
	JCOL("approved_by", dash_row, t4, J_STR),
	JCOL("source", dash_row, t5, J_STR),
};
static const struct jcol totals_json[] = { MONEY_JSON };
static const struct jcol content_json[] = {
	JCOL("code", dash_row, t1, J_STR),
	JCOL("title", dash_row, t2, J_STR),
	JCOL("budget_vnd", dash_row, n1, J_NNEG),
	MONEY_JSON,
};
static const struct jcol activity_json[] = {
	JCOL("id", dash_row, n1, J_INT),
	JCOL("title", dash_row, t2, J_STR),
	JCOL("unit", dash_row, t3, J_STR),
	JCOL("target", dash_row, t4, J_STR),
	MONEY_JSON,
	JCOL("status", dash_row, t5, J_STR),
	JCOL("progress", dash_row, n2, J_INT),
};
static const struct jcol unit_json[] = {
	JCOL("unit", dash_row, t1, J_STR),
	JCOL("planned_vnd", dash_row, planned, J_INT),
	JCOL("allocated_vnd", dash_row, allocated, J_INT),
	JCOL("disbursed_vnd", dash_row, disbursed, J_INT),
};
static const struct jcol area_json[] = {
	JCOL("code", dash_row, t1, J_STR),
	JCOL("name", dash_row, t2, J_STR),
	JCOL("kind", dash_row, t3, J_STR),
	JCOL("facilities_supported", dash_row, n2, J_INT),
	JCOL("disbursed_vnd", dash_row, disbursed, J_INT),
};
static const struct jcol month_json[] = {
	JCOL("month", dash_row, t1, J_STR),
	JCOL("disbursed_vnd", dash_row, disbursed, J_INT),
	JCOL("facilities_supported", dash_row, n2, J_INT),
};

/* The rows of kind k as a list of objects of columns c. */
#define KIND_JSON(d, k, c) \
	rows_array((d)->of[k], sizeof(struct dash_row), (d)->n[k], (c), \
	    NELEM(c))

/*
 * The content areas (codes as the decision writes them, migration 052)
 * with each activity in its area's list: both kinds are in code order,
 * one merge pass.
 */
static json_object *
dash_contents(const struct dash_rows *d)
{
	json_object	*contents, *acts;
	const char	*code;
	size_t		 i, j;

	contents = KIND_JSON(d, K_CONTENT, content_json);
	for (i = 0; i < d->n[K_CONTENT]; i++)
		json_object_object_add(json_object_array_get_idx(contents, i),
		    "activities", json_object_new_array());
	for (i = 0, j = 0; i < d->n[K_ACTIVITY]; i++) {
		code = d->of[K_ACTIVITY][i].t1;
		while (j < d->n[K_CONTENT] &&
		    cmp_text(d->of[K_CONTENT][j].t1, code) < 0)
			j++;
		if (j == d->n[K_CONTENT] ||
		    cmp_text(d->of[K_CONTENT][j].t1, code) != 0)
			continue;	/* cannot happen: a foreign key */
		json_object_object_get_ex(json_object_array_get_idx(contents,
		    j), "activities", &acts);
		json_object_array_add(acts, rows_object(&d->of[K_ACTIVITY][i],
		    activity_json, NELEM(activity_json)));
	}
	return contents;
}

/*
 * The dashboard of a plan year but its applications into *out (the caller
 * owns it), from the one statement S_DASH. 0, or the status already
 * written: 404 for an unknown year, 503/500.
 */
static int
dash_build(struct req *r, long long year, json_object **out)
{
	struct dash_rows	 d;
	struct dash_row		*plan;
	json_object		*root;
	size_t			 i;
	int			 rc;

	*out = NULL;
	if ((rc = resp_found(r, q_dash_rows(r, year, &d), NO_PLAN_MSG)) != 0)
		return rc;
	/* Money not tied to an area has no name of its own. */
	for (i = 0; i < d.n[K_AREA]; i++)
		if (d.of[K_AREA][i].t2 == NULL)
			d.of[K_AREA][i].t2 =
			    "Toàn tỉnh (không gắn với địa bàn)";
	plan = d.of[K_PLAN];
	root = json_object_new_object();
	json_object_object_add(root, "year", json_object_new_int64(year));
	json_object_object_add(root, "plan",
	    rows_object(plan, plan_json, NELEM(plan_json)));
	json_object_object_add(root, "sample",
	    json_object_new_boolean(plan->n2 != 0));
	json_object_object_add(root, "updated_at", resp_jstr(plan->t6));
	json_object_object_add(root, "contents", dash_contents(&d));
	json_object_object_add(root, "totals",
	    rows_object(plan, totals_json, NELEM(totals_json)));
	json_object_object_add(root, "by_unit",
	    KIND_JSON(&d, K_UNIT, unit_json));
	json_object_object_add(root, "by_area",
	    KIND_JSON(&d, K_AREA, area_json));
	json_object_object_add(root, "monthly",
	    KIND_JSON(&d, K_MONTH, month_json));
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
 * Build the dashboard of year at version into slot d. 0, or the status
 * already written (404 unknown year, 503/500; d is then empty or as it
 * was).
 */
static int
dash_keep(struct req *r, struct dash *d, long long year, const char *version)
{
	json_object	*root;
	int		 rc;

	if ((rc = dash_build(r, year, &root)) != 0)
		return rc;
	dash_drop(d);
	d->year = year;
	d->version = strdup(version);
	d->root = root;
	d->text = json_object_to_json_string_length(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &d->len);
	if (d->version == NULL || d->text == NULL || d->len < 2) {
		dash_drop(d);
		return resp_fail(r, E_INTERNAL,
		    "Lỗi máy chủ. Vui lòng thử lại sau.");
	}
	return 0;
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
	struct dash	*d;
	const char	*version;
	long long	 n[APP__MAX];
	size_t		 i;
	int		 rc;

	if ((rc = resp_found(r, q_dash_version(r, year, &version, n),
	    NO_PLAN_MSG)) != 0)
		return rc;
	d = dash_slot(year);
	if ((d->version == NULL || d->year != year ||
	    strcmp(d->version, version) != 0) &&
	    (rc = dash_keep(r, d, year, version)) != 0)
		return rc;
	d->used = ++dash_clock;
	*apps = json_object_new_object();
	for (i = 0; i < APP__MAX; i++)
		json_object_object_add(*apps, values_app_statuses[i],
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

	if ((rc = plans_year(r, &year)) != 0 ||
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

const struct dash_part dash_parts[] = {
	{ "contents", "contents", "Kinh phí theo nội dung", &datapkg_contents },
	{ "units", "by_unit", "Kinh phí theo đơn vị thực hiện",
	    &datapkg_units },
	{ "areas", "by_area", "Giải ngân theo địa bàn", &datapkg_areas },
	{ "monthly", "monthly", "Giải ngân theo tháng", &datapkg_monthly },
	{ NULL, NULL, NULL, NULL }
};

/*
 * GET /api/dashboard/{contents|units|areas|monthly}[.csv]?year=YYYY →
 * one table of the dashboard as a list (the table behind a chart).
 * 404 unknown table or year, 422 malformed year, 503 database down.
 */
static int
h_dashboard_part(struct req *r)
{
	const struct dash_part	*p;
	struct dash		*d;
	json_object		*apps, *items;
	long long		 year;
	size_t			 n;
	int			 rc;

	for (p = dash_parts; p->name != NULL; p++)
		if (strcmp(r->param[0], p->name) == 0)
			break;
	if (p->name == NULL)
		return resp_fail(r, E_NOT_FOUND, "Không tìm thấy bảng này.");
	if ((rc = plans_year(r, &year)) != 0 ||
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

const struct route dashboard_dash_routes[] = {
	{ M_GET, "/api/dashboard", h_dashboard_get, R_CSV, 0, 0 },
	{ M_GET, "/api/dashboard/{}", h_dashboard_part, R_CSV, 0, 0 },
	ROUTES_END
};
