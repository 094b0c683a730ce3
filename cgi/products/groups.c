/*
 * kc-products, the product groups resource: the groups that have
 * products, with their number of products, for the list's group filter.
 *
 *   GET /api/products/groups[.csv]
 */
#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "req.h"
#include "resp.h"

#include "products.h"

enum groups_stmt { S_GROUPS_LIST, S_GROUPS__MAX };
static const char *const groups_sql[S_GROUPS__MAX] = {
	[S_GROUPS_LIST] =
	    "SELECT g.id, g.name, COUNT(p.id) FROM product_group g"
	    " JOIN product p ON p.group_id = g.id GROUP BY g.id, g.name"
	    " ORDER BY g.name",
};
static struct db_set	 groups_set = DB_SET("products/groups", groups_sql);

struct group_row {
	long long	 id;
	const char	*name;
	long long	 products;	/* how many products it has */
};

/* Every group with products, by name, into *out (the arena): how many,
 * or a DB_E* code. */
static int
q_groups_list(struct req *r, struct group_row **out)
{
	struct db_res	*q;
	size_t		 n;

	q = db_squery(r->db, r->a, &groups_set, S_GROUPS_LIST, DB_NOARGS);
	if (q == NULL)
		return db_last_error(r->db);
	*out = arena_alloc(r->a, (q->rows + 1) * sizeof(**out));
	for (n = 0; db_next(q); n++) {
		(*out)[n].id = db_int(q, 0);
		(*out)[n].name = db_str(q, 1);
		(*out)[n].products = db_int(q, 2);
	}
	return (int)n;
}

/* The columns of a group, for the JSON items and the CSV. */
static const struct csv_col group_cols[] = {
	{ "id", "id" }, { "name", "name" }, { "products", "products" },
};

static json_object *
group_json(const struct group_row *g)
{
	json_object	*it;

	it = json_object_new_object();
	json_object_object_add(it, "id", json_object_new_int64(g->id));
	json_object_object_add(it, "name", resp_jstr(g->name));
	json_object_object_add(it, "products",
	    json_object_new_int64(g->products));
	return it;
}

/*
 * GET /api/products/groups[.csv] → the product groups that have products:
 * {"items":[{"id","name","products"}]}. 503 while the database is down.
 */
static int
h_groups_list(struct req *r)
{
	struct group_row	*g = NULL;
	json_object		*items;
	int			 n, i;

	if ((n = q_groups_list(r, &g)) < 0)
		return resp_db(r);
	items = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(items, group_json(&g[i]));
	r->cache_seconds = 30;
	return resp_list(r, items, n, 1, n, "nhom-san-pham", group_cols,
	    NELEM(group_cols));
}

const struct route products_groups_routes[] = {
	{ M_GET, "/api/products/groups", h_groups_list, R_CSV, 0, 0 },
	ROUTES_END
};
