/*
 * plan: a plan described in a JSON file, made the way the console makes
 * one (kc-admin plan-load FILE; `make run`'s sample loader):
 *
 *   { "plan": {year, title, total_vnd, decision_no?, decision_date?,
 *              approved_by?, source?, notes?},
 *     "contents": [{code, title, description?, planned_vnd, sample?}],
 *     "activities": [{content_code, title, unit_name, planned_vnd,
 *                     target?, status?, progress?, description?,
 *                     quantity?, unit_measure?, beneficiaries?,
 *                     period_from?, period_to?, sample?}],
 *     "publish": true|false }
 *
 * Idempotent: a year whose plan is published is left as it is; a draft
 * of that year (a load cut short) is deleted and made again.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "plan.h"
#include "plan_int.h"

static const char *
jstr(json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static long long
jint(json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

static int
jbool(json_object *o, const char *key)
{
	json_object	*v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_get_boolean(v);
}

/* Say what failed (rc from plan.h) on err; rc back. */
static int
fail(FILE *err, const struct plan_ctx *c, const char *what, int rc)
{
	fprintf(err, "plan-load: %s: %s\n", what, rc == PLAN_EREFUSED ||
	    rc == PLAN_EINVALID ? c->msg : rc == PLAN_ENOTFOUND ?
	    "không tìm thấy" : "lỗi cơ sở dữ liệu");
	return rc;
}

static int
load_contents(struct plan_ctx *c, long long year, json_object *list,
    FILE *err)
{
	struct plan_content_in	 in;
	json_object		*o, *out;
	size_t			 i;
	int			 rc;

	for (i = 0; list != NULL && i < json_object_array_length(list); i++) {
		o = json_object_array_get_idx(list, i);
		memset(&in, 0, sizeof(in));
		in.code = jstr(o, "code");
		in.title = jstr(o, "title");
		in.description = jstr(o, "description");
		in.planned_vnd = jint(o, "planned_vnd");
		in.sort_order = (long long)i + 1;
		in.sample = jbool(o, "sample");
		if ((rc = plan_content_put(c, year, &in, &out)) < 0)
			return fail(err, c, in.code != NULL ? in.code : "?",
			    rc);
		json_object_put(out);
	}
	return 0;
}

static int
load_acts(struct plan_ctx *c, long long year, json_object *list, FILE *err)
{
	struct plan_act_in	 in;
	json_object		*o, *out;
	long long		 id;
	size_t			 i;
	int			 rc;

	for (i = 0; list != NULL && i < json_object_array_length(list); i++) {
		o = json_object_array_get_idx(list, i);
		memset(&in, 0, sizeof(in));
		in.year = year;
		in.content_code = jstr(o, "content_code");
		in.title = jstr(o, "title");
		in.unit_name = jstr(o, "unit_name");
		in.planned_vnd = jint(o, "planned_vnd");
		in.target = jstr(o, "target");
		in.status = jstr(o, "status");
		in.progress = jint(o, "progress");
		in.description = jstr(o, "description");
		in.quantity = jint(o, "quantity");
		in.unit_measure = jstr(o, "unit_measure");
		in.beneficiaries = jint(o, "beneficiaries");
		in.period_from = jstr(o, "period_from");
		in.period_to = jstr(o, "period_to");
		in.sample = jbool(o, "sample");
		id = 0;
		if (in.title == NULL || in.unit_name == NULL ||
		    in.content_code == NULL)
			return fail(err, c, "activity", PLAN_EINVALID);
		if ((rc = plan_act_save(c, &id, &in, &out)) < 0)
			return fail(err, c, in.title, rc);
		json_object_put(out);
	}
	return 0;
}

/* Whether year has a plan: 0 none, 1 a draft, 2 published, or < 0. */
static int
plan_exists(struct plan_ctx *c, long long year)
{
	struct plan_row	 p;
	int		 rc;

	if ((rc = plan_q_get(c, year, &p)) <= 0)
		return rc;
	db_rollback(c->db);	/* plan_q_get locks */
	return strcmp(p.status, "draft") == 0 ? 1 : 2;
}

/* Make the plan of the file's root o. 0 done, 1 left as it was, < 0. */
static int
load_plan(struct plan_ctx *c, json_object *root, FILE *err)
{
	struct plan_in	 in;
	json_object	*p, *list, *out;
	int		 rc;

	memset(&in, 0, sizeof(in));
	if (!json_object_object_get_ex(root, "plan", &p))
		return fail(err, c, "\"plan\"", PLAN_ENOTFOUND);
	in.year = jint(p, "year");
	in.title = jstr(p, "title");
	in.total_vnd = jint(p, "total_vnd");
	in.decision_no = jstr(p, "decision_no");
	in.decision_date = jstr(p, "decision_date");
	in.approved_by = jstr(p, "approved_by");
	in.source = jstr(p, "source");
	in.notes = jstr(p, "notes");
	in.sample = jbool(p, "sample");
	if (in.year < 2000 || in.year > 2999 || in.title == NULL)
		return fail(err, c, "plan.year/title", PLAN_ENOTFOUND);
	if ((rc = plan_exists(c, in.year)) < 0)
		return fail(err, c, "plan", rc);
	if (rc == 2)
		return 1;
	if (rc == 1 && (rc = plan_delete(c, in.year)) < 0)
		return fail(err, c, "bản nháp cũ", rc);
	if ((rc = plan_create(c, &in, &out)) < 0)
		return fail(err, c, "plan", rc);
	json_object_put(out);
	list = json_object_object_get_ex(root, "contents", &list) ? list :
	    NULL;
	if ((rc = load_contents(c, in.year, list, err)) < 0)
		return rc;
	list = json_object_object_get_ex(root, "activities", &list) ? list :
	    NULL;
	if ((rc = load_acts(c, in.year, list, err)) < 0)
		return rc;
	if (jbool(root, "publish")) {
		if ((rc = plan_publish(c, in.year, &out)) < 0)
			return fail(err, c, "công bố", rc);
		json_object_put(out);
	}
	return 0;
}

/*
 * Load the plan described in file path (see above): 0 made, 1 there
 * already (published), < 0 refused or failed (why on err).
 */
int
plan_load_file(struct plan_ctx *c, const char *path, FILE *err)
{
	json_object	*root;
	int		 rc;

	if ((root = json_object_from_file(path)) == NULL) {
		fprintf(err, "plan-load: %s: không đọc được JSON\n", path);
		return PLAN_EINVALID;
	}
	rc = load_plan(c, root, err);
	json_object_put(root);
	return rc;
}
