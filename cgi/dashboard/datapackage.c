/*
 * datapackage: the year's open data as a Frictionless (tabular) Data
 * Package: every CSV table of the dashboard, the plan's amendments, the
 * beneficiaries, the plans and the products, each described by the list
 * of columns that writes it (datapkg.h). Its statement is the plan's
 * (plans.c).
 *
 *	GET /api/datapackage.json?year=
 */
#include <json-c/json.h>

#include "arena.h"
#include "clock.h"
#include "datapkg.h"
#include "req.h"
#include "resp.h"

#include "dashboard.h"

/* A resource of the package: its name and its CSV's path without ".csv"
 * (a year's table: both followed by the year), title and columns. */
struct dp_table {
	const char			*name;
	const char			*csv;
	const char			*title;
	const struct datapkg_table	*table;
	int				 yearly;
};

/* The package's tables after the dashboard's (dash_parts), in order. */
static const struct dp_table dp_tables[] = {
	{ "dieu-chinh", "dashboard/amendments",
	    "Các lần điều chỉnh kế hoạch (số liệu trước và sau)",
	    &datapkg_amends, 1 },
	{ "nguoi-thu-huong", "beneficiaries", "Cơ sở, đơn vị được hỗ trợ",
	    &datapkg_benef, 1 },
	{ "ke-hoach", "plans", "Các kế hoạch khuyến công", &datapkg_plans, 0 },
	{ "san-pham", "products",
	    "Sản phẩm CNNT tiêu biểu được công nhận trong năm",
	    &datapkg_products, 1 },
	{ "do-day-du", "dashboard/completeness",
	    "Mức đầy đủ của số liệu: ngày nhập gần nhất theo đơn vị, địa bàn",
	    &datapkg_complete, 1 },
	{ "co-so", "facilities",
	    "Cơ sở được công nhận hoặc hỗ trợ (chỉ thông tin công khai)",
	    &datapkg_facilities, 0 },
	{ "danh-hieu", "awards", "Danh hiệu sản phẩm trong năm và mã xác minh",
	    &datapkg_awards, 1 },
};

/* Table t as a resource of the package of year, added to res. */
static void
dp_add(json_object *res, struct arena *a, long long year,
    const struct dp_table *t)
{
	json_object_array_add(res, t->yearly ?
	    datapkg_resource(arena_printf(a, "%s-%lld", t->name, year),
	    t->title, arena_printf(a, "%s.csv?year=%lld", t->csv, year),
	    t->table) :
	    datapkg_resource(t->name, t->title,
	    arena_printf(a, "%s.csv", t->csv), t->table));
}

/*
 * The resources of the package of a year: every CSV table of the
 * dashboard (the activities', then dash_parts), then dp_tables.
 */
static json_object *
dp_resources(struct arena *a, long long year)
{
	static const struct dp_table	 lines = { "hoat-dong", "dashboard",
	    "Kinh phí theo hoạt động", &datapkg_lines, 1 };
	json_object			*res = json_object_new_array();
	const struct dash_part		*p;
	struct dp_table			 part;
	size_t				 i;

	dp_add(res, a, year, &lines);
	for (p = dash_parts; p->name != NULL; p++) {
		part.name = p->name;
		part.csv = arena_printf(a, "dashboard/%s", p->name);
		part.title = p->title;
		part.table = p->table;
		part.yearly = 1;
		dp_add(res, a, year, &part);
	}
	for (i = 0; i < NELEM(dp_tables); i++)
		dp_add(res, a, year, &dp_tables[i]);
	return res;
}

/*
 * Object o says when its data was read, "data_as_of": now, in Vietnam's
 * time (the answers are read from the database as it is when asked).
 * Returns that time (ISO 8601, in the arena a).
 */
const char *
dash_as_of(struct arena *a, json_object *o)
{
	char		 now[CLOCK_ISO_VN_LEN];
	const char	*s;

	clock_vn_iso(clock_now(), now);
	s = arena_strdup(a, now);
	json_object_object_add(o, "data_as_of", json_object_new_string(s));
	return s;
}

/* Each resource says when its data was read: as the package, asof. */
static void
dp_as_of(json_object *res, const char *asof)
{
	size_t	 i;

	for (i = 0; i < json_object_array_length(res); i++)
		json_object_object_add(json_object_array_get_idx(res, i),
		    "data_as_of", json_object_new_string(asof));
}

/* The package's licence: CC BY 4.0. */
static json_object *
dp_licenses(void)
{
	json_object	*lic = json_object_new_array();
	json_object	*l = json_object_new_object();

	json_object_object_add(l, "name", json_object_new_string("CC-BY-4.0"));
	json_object_object_add(l, "path", json_object_new_string(
	    "https://creativecommons.org/licenses/by/4.0/"));
	json_object_object_add(l, "title", json_object_new_string(
	    "Creative Commons Attribution 4.0"));
	json_object_array_add(lic, l);
	return lic;
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
	struct plan_row	 plan;
	json_object	*o, *res;
	const char	*asof;
	int		 rc;

	if ((rc = plans_asked(r, &plan)) != 0)
		return rc;
	o = json_object_new_object();
	json_object_object_add(o, "profile",
	    json_object_new_string("tabular-data-package"));
	json_object_object_add(o, "name", json_object_new_string(
	    arena_printf(r->a, "khuyen-cong-ha-tinh-%lld", plan.year)));
	json_object_object_add(o, "title", resp_jstr(plan.title));
	json_object_object_add(o, "description", json_object_new_string(
	    "Kinh phí khuyến công địa phương tỉnh Hà Tĩnh theo nội dung, "
	    "hoạt động, đơn vị thực hiện, địa bàn và tháng; danh sách cơ sở "
	    "được hỗ trợ; sản phẩm CNNT tiêu biểu. Số tiền tính bằng đồng."));
	json_object_object_add(o, "created", resp_jstr(plan.updated_at));
	json_object_object_add(o, "sample",
	    json_object_new_boolean(plan.sample));
	json_object_object_add(o, "licenses", dp_licenses());
	asof = dash_as_of(r->a, o);
	res = dp_resources(r->a, plan.year);
	dp_as_of(res, asof);
	json_object_object_add(o, "resources", res);
	r->cache_seconds = PUBLIC_CACHE;
	return resp_json(r, 200, o);
}

const struct route dashboard_datapackage_routes[] = {
	{ M_GET, "/api/datapackage.json", h_datapackage_get, 0, 0, 0 },
	ROUTES_END
};
