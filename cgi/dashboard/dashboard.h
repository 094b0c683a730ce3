/*
 * kc-dashboard: the public, read-only side of the plan. What its resource
 * files share: their route tables, rows to JSON from a column list
 * (rows.c), the plans a request names (plans.c) and the tables of the
 * dashboard (dashboard.c) that the data package describes.
 */
#ifndef KC_DASHBOARD_H
#define KC_DASHBOARD_H

#include <stddef.h>

#include <json-c/json.h>

#include "app.h"
#include "plan.h"
#include "resp.h"
#include "rows.h"

struct req;
struct datapkg_table;

/* Seconds nginx's micro-cache may serve a public answer. */
#define PUBLIC_CACHE	5

/* Rows to JSON: rows.h (cgi/lib). */

/*
 * Only published plans are public (migration 052, issue 18): a draft's
 * year answers as a year without a plan, and its sums (which migration
 * 011's tables keep for drafts too) are never read, since every public
 * statement reads a year's rows only through a published plan.
 */
#define SQL_PUBLISHED(p)	p ".status = 'published'"
/* The 404 of a year without a published plan. */
#define NO_PLAN_MSG	"Không có kế hoạch khuyến công của năm này."

/*
 * A published plan year with its money (migration 011): the sources and
 * the two columns that S_PLAN (plans.c) and S_DASH (dashboard.c) both read.
 */
#define SQL_PLAN_FROM \
	" FROM plan p LEFT JOIN plan_money m ON m.year = p.year" \
	" WHERE p.year = ? AND " SQL_PUBLISHED("p")
#define SQL_PLAN_SAMPLE	"p.sample OR COALESCE(m.sample_rows, 0) > 0"
#define SQL_PLAN_UPDATED \
	SQL_ISO("GREATEST(p.updated_at, COALESCE(m.updated_at," \
	"  p.updated_at))")

/* A plan (plans.c): S_PLANS fills all but source and updated_at, S_PLAN
 * all but decision_pdf and has_pdf. */
struct plan_row {
	PLAN_DECISION(PLAN_MEMBER)
	const char	*source;
	int		 sample;	/* the plan or any of its figures */
	const char	*updated_at;	/* ISO 8601, the plan or its money */
	const char	*decision_pdf;	/* S_PLANS: its address, or NULL */
	int		 has_pdf;	/* S_PLANS: the plan has a decision */
};

int	plans_year(struct req *, long long *year);
int	plans_latest(struct req *, long long *year);
int	plans_get(struct req *, long long year, struct plan_row *);
int	plans_asked(struct req *, struct plan_row *);

/* datapackage.c: "data_as_of", now, added to an answer. */
struct arena;
const char	*dash_as_of(struct arena *, json_object *);

/* The tables behind the dashboard's charts (dashboard.c), name NULL at
 * the end. */
struct dash_part {
	const char			*name;	/* path segment, CSV name */
	const char			*key;	/* member of the dashboard */
	const char			*title;	/* in the data package */
	const struct datapkg_table	*table;
};
extern const struct dash_part	dash_parts[];

extern const struct route	dashboard_places_routes[];
extern const struct route	dashboard_plans_routes[];
extern const struct route	dashboard_decision_routes[];
extern const struct route	dashboard_amend_routes[];
extern const struct route	dashboard_dash_routes[];
extern const struct route	dashboard_benef_routes[];
extern const struct route	dashboard_datapackage_routes[];
extern const struct route	dashboard_complete_routes[];	/* issue 21 */

#endif
