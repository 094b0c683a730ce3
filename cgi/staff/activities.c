/*
 * Activities of a plan, through cgi/lib/plan.c, for finance (auditors
 * read). In a draft an activity is added, changed and deleted; in a
 * published plan it is added and changed (status and progress as the work
 * goes) but not deleted: it is cancelled (status "cancelled").
 *
 *   POST   /api/admin/activities           finance
 *   GET    /api/admin/activities/{id}      finance, auditor
 *   PUT    /api/admin/activities/{id}      finance
 *   DELETE /api/admin/activities/{id}      finance (in a draft)
 *
 * Each change one transaction with its audit row (activity.create,
 * .update, .delete).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "auth.h"
#include "money.h"
#include "plan.h"
#include "req.h"
#include "resp.h"
#include "staff.h"

enum {
	AF_YEAR, AF_CONTENT, AF_TITLE, AF_UNIT, AF_PLANNED, AF_TARGET,
	AF_STATUS, AF_PROGRESS, AF_DESCRIPTION, AF_QUANTITY, AF_MEASURE,
	AF_BENEFICIARIES, AF_FROM, AF_TO, AF__MAX
};

static const char *
check_code(struct req *r, struct value *v)
{
	(void)r;
	return plan_code_check(v->s);
}

static const struct field act_fields[AF__MAX] = {
	[AF_YEAR] = { "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX,
	    NULL },
	[AF_CONTENT] = { "content_code", F_STR, F_REQUIRED, 1, 10,
	    check_code },
	[AF_TITLE] = { "title", F_STR, F_REQUIRED, 3, 500, NULL },
	[AF_UNIT] = { "unit_name", F_STR, F_REQUIRED, 2, 255, NULL },
	[AF_PLANNED] = { "planned_vnd", F_MONEY, F_REQUIRED, 0, MONEY_MAX,
	    NULL },
	[AF_TARGET] = { "target", F_STR, 0, 1, 255, NULL },
	[AF_STATUS] = { "status", F_STR, 0, 1, 20, NULL },
	[AF_PROGRESS] = { "progress", F_INT, 0, 0, 100, NULL },
	[AF_DESCRIPTION] = { "description", F_TEXT, 0, 0, 5000, NULL },
	[AF_QUANTITY] = { "quantity", F_INT, 0, 0, 1000000000, NULL },
	[AF_MEASURE] = { "unit_measure", F_STR, 0, 1, 40, NULL },
	[AF_BENEFICIARIES] = { "beneficiaries", F_INT, 0, 0, 1000000000,
	    NULL },
	[AF_FROM] = { "period_from", F_DATE, 0, 0, 0, NULL },
	[AF_TO] = { "period_to", F_DATE, 0, 0, 0, NULL },
};

/*
 * POST /api/admin/activities {year, content_code, title, unit_name,
 * planned_vnd, target?, status?, progress?, description?, quantity?,
 * unit_measure?, beneficiaries?, period_from?, period_to?} (finance) →
 * 201; PUT /api/admin/activities/{id} (same fields; the year cannot
 * change) → 200. 404 an unknown activity; 422 (an unknown content area
 * of the plan: content_code).
 */
static int
h_acts_save(struct req *r)
{
	struct plan_ctx		 c;
	struct plan_act_in	 in;
	struct value		 v[AF__MAX];
	json_object		*o = NULL;
	int			 create = r->method == M_POST;
	long long		 id = create ? 0 : staff_param_id(r, 0);
	int			 rc;

	if ((rc = req_fields(r, act_fields, AF__MAX, v)) != 0)
		return rc;
	memset(&in, 0, sizeof(in));
	in.year = v[AF_YEAR].i;
	in.content_code = v[AF_CONTENT].s;
	in.title = v[AF_TITLE].s;
	in.unit_name = v[AF_UNIT].s;
	in.planned_vnd = v[AF_PLANNED].i;
	in.target = staff_vstr(&v[AF_TARGET]);
	in.status = staff_vstr(&v[AF_STATUS]);
	in.progress = staff_vint(&v[AF_PROGRESS], -1);
	in.description = staff_vstr(&v[AF_DESCRIPTION]);
	in.quantity = staff_vint(&v[AF_QUANTITY], -1);
	in.unit_measure = staff_vstr(&v[AF_MEASURE]);
	in.beneficiaries = staff_vint(&v[AF_BENEFICIARIES], -1);
	in.period_from = staff_vstr(&v[AF_FROM]);
	in.period_to = staff_vstr(&v[AF_TO]);
	if (!create && id <= 0)
		return staff_not_found(r);
	staff_plan_ctx(r, &c);
	rc = plan_act_save(&c, &id, &in, &o);
	return staff_plan_answer(r, &c, rc, create ? 201 : 200, o);
}

/*
 * GET /api/admin/activities/{id} (finance, auditor) → the activity with
 * its "allocations", "disbursements" and "settlements"; 404.
 */
static int
h_acts_get(struct req *r)
{
	struct plan_ctx	 c;
	json_object	*o;
	long long	 id = staff_param_id(r, 0);
	int		 rc;

	staff_plan_ctx(r, &c);
	if ((rc = plan_act_get(&c, id, &o)) <= 0)
		return staff_absent(r, rc);
	if (staff_lines_add(r, o, id) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	return resp_json(r, 200, o);
}

/* Lock activity id (lines.c adds to it): 1, 0 if there is none, < 0. */
int
staff_activity_lock(struct req *r, long long id)
{
	struct plan_ctx	 c;

	staff_plan_ctx(r, &c);
	return plan_act_lock(&c, id);
}

const struct route staff_activities_routes[] = {
	{ M_POST, "/api/admin/activities", h_acts_save, 0, 0, ROLE_FINANCE },
	{ M_GET, "/api/admin/activities/{}", h_acts_get, 0, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_PUT, "/api/admin/activities/{}", h_acts_save, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/activities/{}", staff_plan_delete, 0, 0,
	    ROLE_FINANCE },
	ROUTES_END
};
