/*
 * plans: the published yearly plans of local industrial promotion (a
 * draft is not public: SQL_PUBLISHED), and the year a request names
 * (?year=, else the latest published plan's), which the dashboard, its
 * tables, the beneficiaries and the data package share.
 *
 *	GET /api/plans[.csv]		every published plan, latest first
 */
#include <json-c/json.h>

#include "arena.h"
#include "datapkg.h"
#include "db.h"
#include "req.h"
#include "resp.h"

#include "dashboard.h"

enum plans_stmt { S_PLANS, S_LATEST_YEAR, S_PLAN, S_PLANS__MAX };

static const char *const plans_sql[] = {
	[S_PLANS] =
	    "SELECT year, title, total_vnd, decision_no, decision_date,"
	    " approved_by, sample, doc_sha256 IS NOT NULL FROM plan"
	    " WHERE " SQL_PUBLISHED("plan")
	    " ORDER BY year DESC",
	[S_LATEST_YEAR] =
	    "SELECT MAX(year) FROM plan WHERE " SQL_PUBLISHED("plan"),
	[S_PLAN] =
	    "SELECT p.year, p.title, p.total_vnd, p.decision_no, p.decision_date,"
	    " p.approved_by, p.source, " SQL_PLAN_SAMPLE ","
	    " " SQL_PLAN_UPDATED SQL_PLAN_FROM,
};

static struct db_set plans_set = DB_SET("dashboard/plans", plans_sql);

/* A plan in the list: the columns of plans.csv (datapkg_plans), then
 * (read) whether it has a decision, (written) the decision's address. */
#define PLAN_JCOL(path, m, t)	JCOL(path, plan_row, m, t),
#define PLAN_LIST_JCOLS \
	PLAN_DECISION(PLAN_JCOL) JCOL("sample", plan_row, sample, J_BOOL)
static const struct jcol plan_list_read[] = {
	PLAN_LIST_JCOLS,
	JCOL("has_pdf", plan_row, has_pdf, J_BOOL),
};
static const struct jcol plan_json[] = {
	PLAN_LIST_JCOLS,
	JCOL("decision_pdf", plan_row, decision_pdf, J_STR),
};
/* S_PLAN's columns. */
static const struct jcol plan_get_read[] = {
	PLAN_DECISION(PLAN_JCOL)
	JCOL("source", plan_row, source, J_STR),
	JCOL("sample", plan_row, sample, J_BOOL),
	JCOL("updated_at", plan_row, updated_at, J_STR),
};

/* Every plan, latest first, into *out (arena). <0 a DB_E* code, else the
 * number of plans. */
static int
q_plans_list(struct req *r, struct plan_row **out)
{
	void	*rows;
	int	 i, n;

	n = rows_fetch(r->db, r->a, &plans_set, S_PLANS, DB_NOARGS,
	    plan_list_read, NELEM(plan_list_read), sizeof(**out), &rows);
	*out = rows;
	for (i = 0; i < n; i++)
		(*out)[i].decision_pdf = (*out)[i].has_pdf ? arena_printf(r->a,
		    "/api/plans/%lld/decision.pdf", (*out)[i].year) : NULL;
	return n;
}

/* The year of the latest published plan. <0 a DB_E* code, 0 none yet,
 * >0 and *year. */
static int
q_latest_year(struct req *r, long long *year)
{
	struct db_res	*q;

	q = db_squery(r->db, r->a, &plans_set, S_LATEST_YEAR, DB_NOARGS);
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q) || db_isnull(q, 0))
		return 0;
	*year = db_int(q, 0);
	return 1;
}

/* The plan of year. <0 a DB_E* code, 0 no such plan, >0 and *out. */
static int
q_plan_get(struct req *r, long long year, struct plan_row *out)
{
	return rows_get(r->db, r->a, &plans_set, S_PLAN, DB_ARGS(DB_INT(year)),
	    plan_get_read, NELEM(plan_get_read), out);
}

static const struct field year_fields[] = {
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
};

/*
 * The year of the latest published plan. 0 and *year, or the status
 * already written (404 no plan yet, 503).
 */
int
plans_latest(struct req *r, long long *year)
{
	return resp_found(r, q_latest_year(r, year),
	    "Chưa có kế hoạch khuyến công nào.");
}

/*
 * The plan year asked for (?year=), or the latest plan's when none is
 * given. 0 and *year, or the status already written (422, 404, 503).
 */
int
plans_year(struct req *r, long long *year)
{
	struct value	 v[1];
	int		 rc;

	if ((rc = req_fields(r, year_fields, 1, v)) != 0)
		return rc;
	if (!v[0].set)
		return plans_latest(r, year);
	*year = v[0].i;
	return 0;
}

/*
 * The plan of year into *out. 0, or the status already written (404 no
 * such plan, 503).
 */
int
plans_get(struct req *r, long long year, struct plan_row *out)
{
	return resp_found(r, q_plan_get(r, year, out), NO_PLAN_MSG);
}

/*
 * The plan of the year asked for (?year=, else the latest plan's) into
 * *out, out->year its year. 0, or the status already written (422, 404,
 * 503).
 */
int
plans_asked(struct req *r, struct plan_row *out)
{
	long long	 year;
	int		 rc;

	if ((rc = plans_year(r, &year)) != 0)
		return rc;
	return plans_get(r, year, out);
}

/*
 * GET /api/plans[.csv] → every published plan, latest first:
 * {"items":[{year,title,total_vnd,decision_no,decision_date,approved_by,
 * sample,decision_pdf}]} (decision_pdf: the address of the approving
 * decision, null without one; not in the CSV). 503 while the database
 * is down.
 */
static int
h_plans_list(struct req *r)
{
	struct plan_row	*p;
	int		 n;

	if ((n = q_plans_list(r, &p)) < 0)
		return resp_db(r);
	r->cache_seconds = PUBLIC_CACHE;
	return resp_list(r, rows_array(p, sizeof(*p), (size_t)n, plan_json,
	    NELEM(plan_json)), n, 1, n, "plans", datapkg_plans.cols,
	    datapkg_plans.ncols);
}

const struct route dashboard_plans_routes[] = {
	{ M_GET, "/api/plans", h_plans_list, R_CSV, 0, 0 },
	ROUTES_END
};
