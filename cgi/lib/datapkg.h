/*
 * datapkg: the public CSV tables that the data package
 * (/api/datapackage.json) describes. Each table is written once, as one
 * list of columns; both the CSV that resp_csv writes (header and JSON
 * path of each column) and the Table Schema that the package declares
 * (field name, type, pattern) are made from that list, so the served
 * header and the declared fields cannot differ. kc-dashboard serves
 * every table but the products, which kc-products serves.
 */
#ifndef KC_DATAPKG_H
#define KC_DATAPKG_H

#include <stddef.h>

#include <json-c/json.h>

#include "resp.h"

/* The Table Schema of one column: its type and, for a text whose form is
 * fixed (a code, a list joined with "; "), a pattern (NULL: none). */
struct datapkg_field {
	const char	*type;
	const char	*pattern;
};

struct datapkg_table {
	const struct csv_col		*cols;		/* what resp_csv writes */
	const struct datapkg_field	*fields;	/* cols' schema, same order */
	size_t				 ncols;
	const char			*pkey;		/* primary key, or NULL */
};

extern const struct datapkg_table	datapkg_lines;	/* dashboard.csv */
extern const struct datapkg_table	datapkg_contents;
extern const struct datapkg_table	datapkg_units;
extern const struct datapkg_table	datapkg_areas;
extern const struct datapkg_table	datapkg_monthly;
extern const struct datapkg_table	datapkg_benef;	/* beneficiaries.csv */
extern const struct datapkg_table	datapkg_amends;	/* amendments.csv */
extern const struct datapkg_table	datapkg_plans;	/* plans.csv */
extern const struct datapkg_table	datapkg_products; /* products.csv */
extern const struct datapkg_table	datapkg_facilities; /* facilities.csv */
extern const struct datapkg_table	datapkg_awards;	/* awards.csv */
extern const struct datapkg_table	datapkg_complete; /* completeness.csv */

json_object	*datapkg_resource(const char *name, const char *title,
		    const char *path, const struct datapkg_table *);

#endif
