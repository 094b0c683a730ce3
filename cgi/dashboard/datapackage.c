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

/*
 * The resources of the package of a year: every CSV table of the
 * dashboard, the amendments, the beneficiaries, the plans and the
 * products.
 */
static json_object *
dp_resources(struct arena *a, long long year)
{
	json_object		*res = json_object_new_array();
	const struct dash_part	*p;

	json_object_array_add(res, datapkg_resource(
	    arena_printf(a, "hoat-dong-%lld", year), "Kinh phí theo hoạt động",
	    arena_printf(a, "dashboard.csv?year=%lld", year), &datapkg_lines));
	for (p = dash_parts; p->name != NULL; p++)
		json_object_array_add(res, datapkg_resource(
		    arena_printf(a, "%s-%lld", p->name, year), p->title,
		    arena_printf(a, "dashboard/%s.csv?year=%lld", p->name,
		    year), p->table));
	json_object_array_add(res, datapkg_resource(
	    arena_printf(a, "dieu-chinh-%lld", year),
	    "Các lần điều chỉnh kế hoạch (số liệu trước và sau)",
	    arena_printf(a, "dashboard/amendments.csv?year=%lld", year),
	    &datapkg_amends));
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
	json_object_array_add(res, datapkg_resource(
	    arena_printf(a, "do-day-du-%lld", year),
	    "Mức đầy đủ của số liệu: ngày nhập gần nhất theo đơn vị, địa bàn",
	    arena_printf(a, "dashboard/completeness.csv?year=%lld", year),
	    &datapkg_complete));
	json_object_array_add(res, datapkg_resource("co-so",
	    "Cơ sở được công nhận hoặc hỗ trợ (chỉ thông tin công khai)",
	    "facilities.csv", &datapkg_facilities));
	json_object_array_add(res, datapkg_resource(
	    arena_printf(a, "danh-hieu-%lld", year),
	    "Danh hiệu sản phẩm trong năm và mã xác minh",
	    arena_printf(a, "awards.csv?year=%lld", year), &datapkg_awards));
	return res;
}

/* Each resource says when its data was read: now, in Vietnam's time (the
 * CSVs are answered from the database as it is when asked). */
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
	char		 asof[CLOCK_ISO_VN_LEN];
	long long	 year;
	int		 rc;

	if ((rc = plans_year(r, &year)) != 0 ||
	    (rc = plans_get(r, year, &plan)) != 0)
		return rc;
	o = json_object_new_object();
	json_object_object_add(o, "profile",
	    json_object_new_string("tabular-data-package"));
	json_object_object_add(o, "name", json_object_new_string(
	    arena_printf(r->a, "khuyen-cong-ha-tinh-%lld", year)));
	json_object_object_add(o, "title", resp_jstr(plan.title));
	json_object_object_add(o, "description", json_object_new_string(
	    "Kinh phí khuyến công địa phương tỉnh Hà Tĩnh theo nội dung, "
	    "hoạt động, đơn vị thực hiện, địa bàn và tháng; danh sách cơ sở "
	    "được hỗ trợ; sản phẩm CNNT tiêu biểu. Số tiền tính bằng đồng."));
	json_object_object_add(o, "created", resp_jstr(plan.updated_at));
	json_object_object_add(o, "sample",
	    json_object_new_boolean(plan.sample));
	json_object_object_add(o, "licenses", dp_licenses());
	clock_vn_iso(clock_now(), asof);
	json_object_object_add(o, "data_as_of", json_object_new_string(asof));
	res = dp_resources(r->a, year);
	dp_as_of(res, asof);
	json_object_object_add(o, "resources", res);
	r->cache_seconds = PUBLIC_CACHE;
	return resp_json(r, 200, o);
}

const struct route dashboard_datapackage_routes[] = {
	{ M_GET, "/api/datapackage.json", h_datapackage_get, 0, 0, 0 },
	ROUTES_END
};
