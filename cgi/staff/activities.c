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

static const char *
vs(const struct value *v)
{
	return v->set ? v->s : NULL;
}

static long long
vi(const struct value *v)
{
	return v->set ? v->i : -1;
}

/*
 * POST /api/admin/activities {year, content_code, title, unit_name,
 * planned_vnd, target?, status?, progress?, description?, quantity?,
 * unit_measure?, beneficiaries?, period_from?, period_to?} (finance) →
 * 201; PUT /api/admin/activities/{id} (same fields; the year cannot
 * change) → 200. 404 an unknown activity; 422 (an unknown content area
 * of the plan: content_code).
 */
static int
act_save(struct req *r, int create)
{
	struct plan_ctx		 c;
	struct plan_act_in	 in;
	struct value		 v[AF__MAX];
	json_object		*o;
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
	in.target = vs(&v[AF_TARGET]);
	in.status = vs(&v[AF_STATUS]);
	in.progress = vi(&v[AF_PROGRESS]);
	in.description = vs(&v[AF_DESCRIPTION]);
	in.quantity = vi(&v[AF_QUANTITY]);
	in.unit_measure = vs(&v[AF_MEASURE]);
	in.beneficiaries = vi(&v[AF_BENEFICIARIES]);
	in.period_from = vs(&v[AF_FROM]);
	in.period_to = vs(&v[AF_TO]);
	if (!create && id <= 0)
		return staff_not_found(r);
	staff_plan_ctx(r, &c);
	if ((rc = plan_act_save(&c, &id, &in, &o)) < 0)
		return staff_plan_fail(r, &c, rc);
	return resp_json(r, create ? 201 : 200, o);
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

/*
 * DELETE /api/admin/activities/{id} (finance) → 200 {id, deleted: true};
 * 404; 409 in a published plan (cancel it instead), or money lines or a
 * call refer to it.
 */
static int
h_acts_delete(struct req *r)
{
	struct plan_ctx	 c;
	json_object	*o;
	long long	 id = staff_param_id(r, 0);
	int		 rc;

	staff_plan_ctx(r, &c);
	if ((rc = plan_act_delete(&c, id)) < 0)
		return staff_plan_fail(r, &c, rc);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "deleted", json_object_new_boolean(1));
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
	{ M_POST, "/api/admin/activities", h_acts_create, 0, 0, ROLE_FINANCE },
	{ M_GET, "/api/admin/activities/{}", h_acts_get, 0, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_PUT, "/api/admin/activities/{}", h_acts_update, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/activities/{}", h_acts_delete, 0, 0,
	    ROLE_FINANCE },
	ROUTES_END
};
