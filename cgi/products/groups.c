/*
 * kc-products, the product groups resource: the groups that have
 * products, with their number of products, for the list's group filter.
 *
 *   GET /api/products/groups[.csv]
 */
#include <stddef.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"

#include "products.h"
#include "catalogue.h"

enum groups_stmt { S_GROUPS_LIST, S_GROUPS__MAX };
static const char *const groups_sql[S_GROUPS__MAX] = {
	[S_GROUPS_LIST] =
	    "SELECT g.id, g.name, COUNT(p.id) FROM product_group g"
	    " JOIN product p ON p.group_id = g.id AND p.merged_into IS NULL"
	    " GROUP BY g.id, g.name ORDER BY g.name",
};
static struct db_set	 groups_set = DB_SET("products/groups", groups_sql);

/* A group and how many products it has: S_GROUPS_LIST's columns, its
 * JSON object's and its CSV's. */
#define GROUP_ROW(X)	X(id, J_INT) X(name, J_STR) X(products, J_INT)
struct group_row { GROUP_ROW(ROWS_MEMBER) };
#define GROUP_JCOL(m, t)	JCOL(#m, group_row, m, t),
static const struct jcol group_json[] = { GROUP_ROW(GROUP_JCOL) };
static const struct csv_col group_cols[] = { GROUP_ROW(ROWS_CSV) };

/* Every group with products, by name, into *out (the arena): how many,
 * or a DB_E* code. */
static int
q_groups_list(struct req *r, struct group_row **out)
{
	void	*rows;
	int	 n;

	n = rows_fetch(r->db, r->a, &groups_set, S_GROUPS_LIST, DB_NOARGS,
	    group_json, NELEM(group_json), sizeof(**out), &rows);
	*out = rows;
	return n;
}

/* The same from the catalogue in memory: how many, or -1 with the status
 * written into *status. */
static int
q_groups_mem(struct req *r, struct group_row **out, int *status)
{
	const struct catalogue	*c;
	const struct cat_group	*g;
	size_t			 i, n = 0;

	if ((c = catalogue_get(r, status)) == NULL)
		return -1;
	*out = arena_alloc(r->a, (c->ngroups + 1) * sizeof(**out));
	for (i = 0; i < c->ngroups; i++) {
		g = &c->groups[i];
		if (g->order >= 1 && g->order <= c->ngroups && CAT_LEN(g->l) > 0)
			(*out)[g->order - 1] = (struct group_row){ g->id,
			    CAT_STR(c, g->name), CAT_LEN(g->l) };
	}
	for (i = 0; i < c->ngroups; i++)
		if ((*out)[i].name != NULL)
			(*out)[n++] = (*out)[i];
	return (int)n;
}

/*
 * GET /api/products/groups[.csv] → the product groups that have products:
 * {"items":[{"id","name","products"}]}. 503 while the database is down.
 */
static int
h_groups_list(struct req *r)
{
	struct group_row	*g = NULL;
	int			 n, rc = 0;

	if (!products_from_sql && (n = q_groups_mem(r, &g, &rc)) < 0)
		return rc;
	if (products_from_sql && (n = q_groups_list(r, &g)) < 0)
		return resp_db(r);
	r->cache_seconds = 30;
	return resp_list(r, rows_array(g, sizeof(*g), (size_t)n, group_json,
	    NELEM(group_json)), n, 1, n, "nhom-san-pham", group_cols,
	    NELEM(group_cols));
}

const struct route products_groups_routes[] = {
	{ M_GET, "/api/products/groups", h_groups_list, R_CSV, 0, 0 },
	ROUTES_END
};
