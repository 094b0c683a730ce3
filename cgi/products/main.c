/*
 * kc-products: the public list of award-winning rural industrial products
 * (sản phẩm CNNT tiêu biểu), searchable without diacritics. Read-only,
 * account kc_public; answers are cacheable for a few seconds. One file
 * per resource (products.h); this one lists their routes and starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#include "products.h"

int	 products_from_sql;

int
main(void)
{
	const char	*sql = getenv("KC_PRODUCTS_SQL");

	/* The groups first: /api/products/groups is not a product id. */
	static const struct route *const tables[] = {
		products_groups_routes, products_products_routes,
		products_facilities_routes, products_verify_routes, NULL
	};
	static const struct app app = {
		.name = "kc-products", .db_user = "kc_public",
		.tables = tables,
	};

	products_from_sql = sql != NULL && strcmp(sql, "1") == 0;
	if (search_init() != 0) {
		fprintf(stderr,
		    "kc-products: a search statement is too long\n");
		return 1;
	}
	return app_main(&app);
}
