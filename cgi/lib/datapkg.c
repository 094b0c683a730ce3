/*
 * datapkg: the public CSV tables as one list of columns each (header,
 * JSON path, Table Schema type, pattern), and a data package resource
 * made from a table. See datapkg.h.
 */
#include <stddef.h>

#include <json-c/json.h>

#include "datapkg.h"

/* Table Schema types (Frictionless Table Schema 1.0). */
#define INT	"integer"
#define STR	"string"
#define DATE	"date"
#define BOOL	"boolean"
#define YM	"yearmonth"
#define NUM	"number"

/* Patterns, XML Schema regular expressions (the whole value matches). */
#define CODE	"[0-9]+"
/* A content area's code as decisions write it (migration 052). */
#define CCODE	"[0-9A-Za-z][0-9A-Za-z.-]{0,9}"
#define LEVEL	"(commune|district|province|region|national)"
/* A product's awards, one item each, joined with "; ". */
#define LIST(p)	p "(; " p ")*"

#define MONEY_COLS(X) \
	X("planned_vnd", "planned_vnd", INT, NULL) \
	X("allocated_vnd", "allocated_vnd", INT, NULL) \
	X("disbursed_vnd", "disbursed_vnd", INT, NULL) \
	X("settled_vnd", "settled_vnd", INT, NULL)

/* GET /api/dashboard.csv: one line per activity. */
#define LINES(X) \
	X("year", "year", INT, NULL) \
	X("content_code", "content_code", STR, CCODE) \
	X("content_title", "content_title", STR, NULL) \
	X("activity_id", "id", INT, NULL) \
	X("activity", "title", STR, NULL) \
	X("unit", "unit", STR, NULL) \
	X("target", "target", STR, NULL) \
	X("status", "status", STR, NULL) \
	X("progress", "progress", INT, NULL) \
	MONEY_COLS(X)

/* GET /api/dashboard/{contents,units,areas,monthly}.csv */
#define CONTENTS(X) \
	X("code", "code", STR, CCODE) \
	X("title", "title", STR, NULL) \
	X("budget_vnd", "budget_vnd", INT, NULL) \
	MONEY_COLS(X)
#define UNITS(X) \
	X("unit", "unit", STR, NULL) \
	X("planned_vnd", "planned_vnd", INT, NULL) \
	X("allocated_vnd", "allocated_vnd", INT, NULL) \
	X("disbursed_vnd", "disbursed_vnd", INT, NULL)
#define AREAS(X) \
	X("code", "code", STR, CODE) \
	X("name", "name", STR, NULL) \
	X("kind", "kind", STR, NULL) \
	X("facilities_supported", "facilities_supported", INT, NULL) \
	X("disbursed_vnd", "disbursed_vnd", INT, NULL)
#define MONTHLY(X) \
	X("month", "month", YM, NULL) \
	X("disbursed_vnd", "disbursed_vnd", INT, NULL) \
	X("facilities_supported", "facilities_supported", INT, NULL)

/* GET /api/beneficiaries.csv */
#define BENEF(X) \
	X("disbursement_id", "id", INT, NULL) \
	X("facility_id", "facility.id", INT, NULL) \
	X("facility", "facility.name", STR, NULL) \
	X("district_code", "district.code", STR, CODE) \
	X("district", "district.name", STR, NULL) \
	X("content_code", "content_code", STR, CCODE) \
	X("activity", "activity", STR, NULL) \
	X("amount_vnd", "amount_vnd", INT, NULL) \
	X("date", "date", DATE, NULL) \
	X("voucher_no", "voucher_no", STR, NULL) \
	X("sample", "sample", BOOL, NULL)

/* GET /api/dashboard/amendments.csv: one line per figure an amendment
 * changed (figure "total" or "content"; before empty for a new area). */
#define AMENDS(X) \
	X("year", "year", INT, NULL) \
	X("amendment_id", "amendment_id", INT, NULL) \
	X("decision_no", "decision_no", STR, NULL) \
	X("decision_date", "decision_date", DATE, NULL) \
	X("reason", "reason", STR, NULL) \
	X("figure", "figure", STR, "(total|content)") \
	X("content_code", "content_code", STR, CCODE) \
	X("content_title", "content_title", STR, NULL) \
	X("before_vnd", "before_vnd", INT, NULL) \
	X("after_vnd", "after_vnd", INT, NULL) \
	X("change_vnd", "change_vnd", INT, NULL)

/* GET /api/plans.csv */
#define PLANS(X) \
	X("year", "year", INT, NULL) \
	X("title", "title", STR, NULL) \
	X("total_vnd", "total_vnd", INT, NULL) \
	X("decision_no", "decision_no", STR, NULL) \
	X("decision_date", "decision_date", DATE, NULL) \
	X("approved_by", "approved_by", STR, NULL) \
	X("sample", "sample", BOOL, NULL)

/* GET /api/products.csv (kc-products): one line per product, its awards
 * joined with "; " in each award column (a decision without a number or
 * a date leaves its item empty). */
#define PRODUCTS(X) \
	X("id", "id", INT, NULL) \
	X("ten_san_pham", "name", STR, NULL) \
	X("nhom", "group", STR, NULL) \
	X("co_so", "facility.name", STR, NULL) \
	X("dia_chi", "facility.address", STR, NULL) \
	X("ma_don_vi", "district.code", STR, CODE) \
	X("don_vi", "district.name", STR, NULL) \
	X("nam", "awards.year", STR, LIST("[0-9]{4}")) \
	X("cap", "awards.level", STR, LIST(LEVEL)) \
	X("so_quyet_dinh", "awards.decision_no", STR, NULL) \
	X("ngay_quyet_dinh", "awards.decision_date", STR, \
	    LIST("([0-9]{4}-[0-9]{2}-[0-9]{2})?")) \
	X("du_lieu_mau", "sample", BOOL, NULL)

/* GET /api/facilities.csv (kc-products): the public facilities, public
 * fields only (never the owner, contacts, numbers or street address). */
#define FACILITIES(X) \
	X("id", "id", INT, NULL) \
	X("ten_co_so", "name", STR, NULL) \
	X("loai_hinh", "kind", STR, "(household|cooperative|enterprise)") \
	X("ma_xa", "commune.code", STR, CODE) \
	X("xa", "commune.name", STR, NULL) \
	X("ma_huyen", "district.code", STR, CODE) \
	X("huyen", "district.name", STR, NULL) \
	X("so_danh_hieu", "awards", INT, NULL) \
	X("da_nhan_ho_tro_vnd", "support_vnd", INT, NULL) \
	X("du_lieu_mau", "sample", BOOL, NULL)

/* GET /api/awards.csv (kc-products): every award with its verification
 * code, valid or revoked (migration 067). */
#define AWARDS(X) \
	X("ma_xac_minh", "code", STR, "[0-9A-HJKMNP-TV-Z]{8}") \
	X("trang_thai", "status", STR, "(valid|revoked)") \
	X("nam", "year", INT, NULL) \
	X("cap", "level", STR, LEVEL) \
	X("so_quyet_dinh", "decision_no", STR, NULL) \
	X("ngay_quyet_dinh", "decision_date", DATE, NULL) \
	X("san_pham_id", "product.id", INT, NULL) \
	X("san_pham", "product.name", STR, NULL) \
	X("co_so_id", "facility.id", INT, NULL) \
	X("co_so", "facility.name", STR, NULL) \
	X("ngay_thu_hoi", "revoked_on", DATE, NULL) \
	X("ly_do_thu_hoi", "reason", STR, NULL) \
	X("dia_chi_xac_minh", "url", STR, NULL)

/* GET /api/dashboard/completeness.csv: how complete the year's data is,
 * per implementing unit and per district (days of the latest entries). */
#define COMPLETE(X) \
	X("scope", "scope", STR, "(unit|area)") \
	X("code", "code", STR, CODE) \
	X("name", "name", STR, NULL) \
	X("last_allocation", "last_allocation", DATE, NULL) \
	X("last_disbursement", "last_disbursement", DATE, NULL) \
	X("last_settlement", "last_settlement", DATE, NULL) \
	X("activities", "activities", INT, NULL) \
	X("with_disbursements", "with_disbursements", INT, NULL) \
	X("share", "share", NUM, NULL)

#define AS_COL(header, path, type, pattern)	{ header, path },
#define AS_FIELD(header, path, type, pattern)	{ type, pattern },
#define TABLE(name, COLS, pkey) \
	static const struct csv_col name##_cols[] = { COLS(AS_COL) }; \
	static const struct datapkg_field name##_fields[] = { \
	    COLS(AS_FIELD) }; \
	const struct datapkg_table datapkg_##name = { name##_cols, \
	    name##_fields, sizeof(name##_cols) / sizeof(name##_cols[0]), \
	    pkey };

TABLE(lines, LINES, "activity_id")
TABLE(contents, CONTENTS, "code")
TABLE(units, UNITS, NULL)
TABLE(areas, AREAS, NULL)
TABLE(monthly, MONTHLY, "month")
TABLE(benef, BENEF, "disbursement_id")
TABLE(amends, AMENDS, NULL)
TABLE(plans, PLANS, "year")
TABLE(products, PRODUCTS, "id")
TABLE(facilities, FACILITIES, "id")
TABLE(awards, AWARDS, "ma_xac_minh")
TABLE(complete, COMPLETE, NULL)

/* The schema of table t: its fields in the CSV's order, and its key. */
static json_object *
datapkg_schema(const struct datapkg_table *t)
{
	json_object	*schema, *fields, *f, *c;
	size_t		 i;

	schema = json_object_new_object();
	fields = json_object_new_array();
	for (i = 0; i < t->ncols; i++) {
		f = json_object_new_object();
		json_object_object_add(f, "name",
		    json_object_new_string(t->cols[i].header));
		json_object_object_add(f, "type",
		    json_object_new_string(t->fields[i].type));
		if (t->fields[i].pattern != NULL) {
			c = json_object_new_object();
			json_object_object_add(c, "pattern",
			    json_object_new_string(t->fields[i].pattern));
			json_object_object_add(f, "constraints", c);
		}
		json_object_array_add(fields, f);
	}
	json_object_object_add(schema, "fields", fields);
	if (t->pkey != NULL)
		json_object_object_add(schema, "primaryKey",
		    json_object_new_string(t->pkey));
	return schema;
}

/*
 * A tabular data resource of a package: name, title, path (relative to
 * the descriptor) and the schema of table t.
 */
json_object *
datapkg_resource(const char *name, const char *title, const char *path,
    const struct datapkg_table *t)
{
	json_object	*res = json_object_new_object();

	json_object_object_add(res, "name", json_object_new_string(name));
	json_object_object_add(res, "title", json_object_new_string(title));
	json_object_object_add(res, "path", json_object_new_string(path));
	json_object_object_add(res, "profile",
	    json_object_new_string("tabular-data-resource"));
	json_object_object_add(res, "format", json_object_new_string("csv"));
	json_object_object_add(res, "mediatype",
	    json_object_new_string("text/csv"));
	json_object_object_add(res, "encoding",
	    json_object_new_string("utf-8"));
	json_object_object_add(res, "schema", datapkg_schema(t));
	return res;
}
