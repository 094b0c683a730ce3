/*
 * Plans: the plan of each year and its content areas, drafted, published
 * and amended through cgi/lib/plan.c (its rules: plan.h), for finance
 * (auditors read). Activities are activities.c's, money lines lines.c's.
 *
 *   GET    /api/admin/plans[.csv]                   finance, auditor
 *   POST   /api/admin/plans                         finance
 *   GET    /api/admin/plans/{year}                  finance, auditor
 *   PUT    /api/admin/plans/{year}                  finance
 *   DELETE /api/admin/plans/{year}                  finance (a draft)
 *   POST   /api/admin/plans/{year}/publish          finance
 *   POST   /api/admin/plans/{year}/amendments       finance
 *   PUT    /api/admin/plans/{year}/contents/{code}  finance
 *   DELETE /api/admin/plans/{year}/contents/{code}  finance (a draft)
 *
 * Each change one transaction with its audit row (plan.create, .update,
 * .delete, .publish, .amend, plan_content.create, .update, .delete).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "money.h"
#include "plan.h"
#include "req.h"
#include "resp.h"
#include "staff.h"

static const struct csv_col plan_csv[] = {
	{ "year", "year" }, { "title", "title" }, { "total_vnd", "total_vnd" },
	{ "decision_no", "decision_no" }, { "decision_date", "decision_date" },
	{ "status", "status" },
};

/* The plan module's context for request r. */
void
staff_plan_ctx(struct req *r, struct plan_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->db = r->db;
	c->a = r->a;
	c->user = auth_user(r);
	c->ip = r->remote_addr;
}

/* The answer of a plan function's failure rc (rolled back already). */
int
staff_plan_fail(struct req *r, const struct plan_ctx *c, int rc)
{
	switch (rc) {
	case PLAN_ENOTFOUND:
		return staff_not_found(r);
	case PLAN_EREFUSED:
		return resp_fail(r, E_CONFLICT, c->msg);
	case PLAN_EINVALID:
		return staff_invalid(r, c->field, c->msg);
	default:
		return resp_db(r);
	}
}

/* A plan function's answer: its failure rc, or status with o. */
int
staff_plan_answer(struct req *r, const struct plan_ctx *c, int rc,
    int status, json_object *o)
{
	return rc < 0 ? staff_plan_fail(r, c, rc) : resp_json(r, status, o);
}

/* GET /api/admin/plans[.csv] (finance, auditor) → every plan year. */
static int
h_plans_list(struct req *r)
{
	struct plan_ctx	 c;
	json_object	*items;
	int		 n;

	staff_plan_ctx(r, &c);
	if ((n = plan_list(&c, &items)) < 0)
		return resp_db(r);
	return resp_list(r, items, n, 1, n, "plans", plan_csv,
	    NELEM(plan_csv));
}

/*
 * GET /api/admin/plans/{year} (finance, auditor) → the plan with its
 * "contents" (each with assigned_vnd: its activities' sum, and
 * unassigned_vnd), "assigned_vnd" and "unassigned_vnd" (the total less
 * the areas), "activities" (each with allocated/disbursed/settled sums)
 * and "amendments"; 404.
 */
static int
h_plans_get(struct req *r)
{
	struct plan_ctx	 c;
	json_object	*o;
	int		 rc;

	staff_plan_ctx(r, &c);
	if ((rc = plan_get(&c, staff_param_id(r, 0), &o)) <= 0)
		return staff_absent(r, rc);
	return resp_json(r, 200, o);
}

enum {
	PF_YEAR, PF_TITLE, PF_TOTAL, PF_DECISION_NO, PF_DECISION_DATE,
	PF_APPROVED_BY, PF_SOURCE, PF_NOTES, PF__MAX
};
static const struct field plan_fields[PF__MAX] = {
	[PF_YEAR] = { "year", F_INT, F_REQUIRED, REQ_YEAR_MIN, REQ_YEAR_MAX,
	    NULL },
	[PF_TITLE] = { "title", F_STR, F_REQUIRED, 3, 500, NULL },
	[PF_TOTAL] = { "total_vnd", F_MONEY, F_REQUIRED, 1, MONEY_MAX, NULL },
	[PF_DECISION_NO] = { "decision_no", F_STR, 0, 1, 60, NULL },
	[PF_DECISION_DATE] = { "decision_date", F_DATE, 0, 0, 0, NULL },
	[PF_APPROVED_BY] = { "approved_by", F_STR, 0, 1, 255, NULL },
	[PF_SOURCE] = { "source", F_STR, 0, 1, 500, NULL },
	[PF_NOTES] = { "notes", F_TEXT, 0, 0, 5000, NULL },
};

/* A plan's fields into in; on update the year is the path's. 0 or 422. */
static int
plan_input(struct req *r, int create, struct plan_in *in)
{
	struct field	 f[PF__MAX];
	struct value	 v[PF__MAX];
	int		 rc;

	memcpy(f, plan_fields, sizeof(f));
	if (!create)
		f[PF_YEAR].flags = 0;
	if ((rc = req_fields(r, f, PF__MAX, v)) != 0)
		return rc;
	memset(in, 0, sizeof(*in));	/* sample: 0, staff's own plan */
	in->year = create ? v[PF_YEAR].i : staff_param_id(r, 0);
	in->title = staff_vstr(&v[PF_TITLE]);
	in->total_vnd = v[PF_TOTAL].i;
	in->decision_no = staff_vstr(&v[PF_DECISION_NO]);
	in->decision_date = staff_vstr(&v[PF_DECISION_DATE]);
	in->approved_by = staff_vstr(&v[PF_APPROVED_BY]);
	in->source = staff_vstr(&v[PF_SOURCE]);
	in->notes = staff_vstr(&v[PF_NOTES]);
	return 0;
}

/*
 * POST /api/admin/plans {year, title, total_vnd, decision_no?,
 * decision_date?, approved_by?, source?, notes?} (finance) → 201 a draft;
 * 409 if the year has a plan. PUT /api/admin/plans/{year} (same fields;
 * year from the path) → 200; 404; 409 a published plan's total (an
 * amendment's). 422.
 */
static int
h_plans_save(struct req *r)
{
	struct plan_ctx	 c;
	struct plan_in	 in;
	json_object	*o = NULL;
	int		 rc, create = r->method == M_POST;

	if ((rc = plan_input(r, create, &in)) != 0)
		return rc;
	staff_plan_ctx(r, &c);
	rc = create ? plan_create(&c, &in, &o) : plan_update(&c, &in, &o);
	return staff_plan_answer(r, &c, rc, create ? 201 : 200, o);
}

/*
 * POST /api/admin/plans/{year}/publish {} (finance) → 200 the plan as GET
 * answers it; 404; 409 already published or out of balance (the message
 * says what and by how much).
 */
static int
h_plans_publish(struct req *r)
{
	struct plan_ctx	 c;
	json_object	*o = NULL;
	int		 rc;

	staff_plan_ctx(r, &c);
	rc = plan_publish(&c, staff_param_id(r, 0), &o);
	return staff_plan_answer(r, &c, rc, 200, o);
}

enum { AM_NO, AM_DATE, AM_REASON, AM_TOTAL, AM__MAX };
static const struct field amend_fields[AM__MAX] = {
	[AM_NO] = { "decision_no", F_STR, F_REQUIRED, 1, 60, NULL },
	[AM_DATE] = { "decision_date", F_DATE, F_REQUIRED, 0, 0, NULL },
	[AM_REASON] = { "reason", F_TEXT, F_REQUIRED, 3, 5000, NULL },
	[AM_TOTAL] = { "total_vnd", F_MONEY, 0, 1, MONEY_MAX, NULL },
};

/* One {code, planned_vnd, title?} of "contents" into in's entry i. */
static const char *
amend_entry(struct req *r, json_object *e, struct plan_amend_in *in,
    size_t i)
{
	json_object	*code, *amt, *title;
	const char	*why = NULL, *s;

	if (!json_object_is_type(e, json_type_object) ||
	    !json_object_object_get_ex(e, "code", &code) ||
	    !json_object_is_type(code, json_type_string) ||
	    !json_object_object_get_ex(e, "planned_vnd", &amt))
		return "Mỗi nội dung: {code, planned_vnd, title?}";
	in->codes[i] = json_object_get_string(code);
	s = json_object_get_string(amt);
	if (json_object_is_type(amt, json_type_int))
		in->amounts[i] = json_object_get_int64(amt);
	else if (!json_object_is_type(amt, json_type_string) ||
	    money_parse(r->a, s, strlen(s), &in->amounts[i], &why) < 0)
		return why != NULL ? why : "Kinh phí của nội dung là số đồng";
	if (json_object_object_get_ex(e, "title", &title) &&
	    json_object_is_type(title, json_type_string))
		in->titles[i] = json_object_get_string(title);
	return NULL;
}

/* The "contents" array of the body into in: NULL, or why not. */
static const char *
amend_contents(struct req *r, struct plan_amend_in *in)
{
	json_object	*list;
	const char	*why;
	size_t		 i, n;

	if (r->json == NULL ||
	    !json_object_object_get_ex(r->json, "contents", &list))
		return NULL;
	if (!json_object_is_type(list, json_type_array) ||
	    (n = json_object_array_length(list)) > 100)
		return "contents: một danh sách (tối đa 100 nội dung)";
	in->codes = arena_alloc(r->a, (n + 1) * sizeof(*in->codes));
	in->titles = arena_alloc(r->a, (n + 1) * sizeof(*in->titles));
	in->amounts = arena_alloc(r->a, (n + 1) * sizeof(*in->amounts));
	for (i = 0; i < n; i++)
		if ((why = amend_entry(r, json_object_array_get_idx(list, i),
		    in, i)) != NULL)
			return why;
	in->ncontents = n;
	return NULL;
}

/*
 * POST /api/admin/plans/{year}/amendments {decision_no, decision_date,
 * reason, total_vnd?, contents?: [{code, planned_vnd, title?}]} (finance)
 * → 201 the amended plan; 404; 409 a draft, or the amended plan out of
 * balance; 422.
 */
static int
h_plans_amend(struct req *r)
{
	struct plan_ctx		 c;
	struct plan_amend_in	 in;
	struct value		 v[AM__MAX];
	json_object		*o = NULL;
	const char		*why;
	int			 rc;

	if ((rc = req_fields(r, amend_fields, AM__MAX, v)) != 0)
		return rc;
	memset(&in, 0, sizeof(in));
	if ((why = amend_contents(r, &in)) != NULL)
		return staff_invalid(r, "contents", why);
	in.decision_no = v[AM_NO].s;
	in.decision_date = v[AM_DATE].s;
	in.reason = v[AM_REASON].s;
	in.total_vnd = staff_vint(&v[AM_TOTAL], -1);
	staff_plan_ctx(r, &c);
	rc = plan_amend(&c, staff_param_id(r, 0), &in, &o);
	return staff_plan_answer(r, &c, rc, 201, o);
}

enum { CT_TITLE, CT_DESCRIPTION, CT_PLANNED, CT_ORDER, CT__MAX };
static const struct field content_fields[CT__MAX] = {
	[CT_TITLE] = { "title", F_STR, F_REQUIRED, 3, 500, NULL },
	[CT_DESCRIPTION] = { "description", F_TEXT, 0, 0, 5000, NULL },
	[CT_PLANNED] = { "planned_vnd", F_MONEY, 0, 0, MONEY_MAX, NULL },
	[CT_ORDER] = { "sort_order", F_INT, 0, 0, 9999, NULL },
};

/*
 * PUT /api/admin/plans/{year}/contents/{code} {title, description?,
 * planned_vnd?, sort_order?} (finance) → 200 the content area, 201 when
 * new (an omitted amount or order stays). 404 an unknown plan; 409 a new
 * area or amount in a published plan (an amendment's); 422.
 */
static int
h_contents_put(struct req *r)
{
	struct plan_ctx		 c;
	struct plan_content_in	 in;
	struct value		 v[CT__MAX];
	json_object		*o = NULL;
	int			 rc;

	if ((rc = req_fields(r, content_fields, CT__MAX, v)) != 0)
		return rc;
	memset(&in, 0, sizeof(in));
	in.code = r->param[1];
	in.title = v[CT_TITLE].s;
	in.description = staff_vstr(&v[CT_DESCRIPTION]);
	in.planned_vnd = staff_vint(&v[CT_PLANNED], -1);
	in.sort_order = staff_vint(&v[CT_ORDER], -1);
	staff_plan_ctx(r, &c);
	rc = plan_content_put(&c, staff_param_id(r, 0), &in, &o);
	return staff_plan_answer(r, &c, rc, rc > 0 ? 201 : 200, o);
}

/*
 * DELETE (finance), → 200 {…, deleted: true}; 404:
 *   /api/admin/plans/{year} → {year}: a draft with its content areas and
 *     activities; 409 published, or money or calls refer to its
 *     activities;
 *   /api/admin/plans/{year}/contents/{code} → {year, code}; 409
 *     published, or it has activities;
 *   /api/admin/activities/{id} → {id}; 409 in a published plan (cancel it
 *     instead), or money lines or a call refer to it.
 */
int
staff_plan_delete(struct req *r)
{
	struct plan_ctx	 c;
	long long	 id = staff_param_id(r, 0);
	const char	*code = r->nparam > 1 ? r->param[1] : NULL;
	int		 act, rc;

	act = strncmp(r->path, "/api/admin/activities/", 22) == 0;
	staff_plan_ctx(r, &c);
	rc = act ? plan_act_delete(&c, id) : code != NULL ?
	    plan_content_delete(&c, id, code) : plan_delete(&c, id);
	if (rc < 0)
		return staff_plan_fail(r, &c, rc);
	return resp_json(r, 200, staff_deleted_json(act ? "id" : "year", id,
	    code));
}

const struct route staff_plans_routes[] = {
	{ M_GET, "/api/admin/plans", h_plans_list, R_CSV, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_POST, "/api/admin/plans", h_plans_save, 0, 0, ROLE_FINANCE },
	{ M_GET, "/api/admin/plans/{}", h_plans_get, 0, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_PUT, "/api/admin/plans/{}", h_plans_save, 0, 0, ROLE_FINANCE },
	{ M_DELETE, "/api/admin/plans/{}", staff_plan_delete, 0, 0,
	    ROLE_FINANCE },
	{ M_POST, "/api/admin/plans/{}/publish", h_plans_publish, 0, 0,
	    ROLE_FINANCE },
	{ M_POST, "/api/admin/plans/{}/amendments", h_plans_amend, 0, 0,
	    ROLE_FINANCE },
	{ M_PUT, "/api/admin/plans/{}/contents/{}", h_contents_put, 0, 0,
	    ROLE_FINANCE },
	{ M_DELETE, "/api/admin/plans/{}/contents/{}", staff_plan_delete, 0,
	    0, ROLE_FINANCE },
	ROUTES_END
};
