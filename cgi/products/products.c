/*
 * kc-products, the products resource: the public list of award-winning
 * rural industrial products, searchable without diacritics, and one
 * product. Answers are cacheable for a few seconds.
 *
 *   GET /api/products[.csv]	the list, filtered and paged
 *   GET /api/products/{id}	one product
 *
 * The statements and typed queries are search.c's.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "datapkg.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "text.h"
#include "values.h"

#include "products.h"

#define CSV_MAX_ROWS	10000	/* rows of one CSV download */

/* One product: its columns, its awards, then what follows them. */
static json_object *
product_json(const struct product_row *p)
{
	json_object	*it;

	it = rows_object(p, product_cols, nproduct_cols);
	json_object_object_add(it, "awards", rows_array(p->awards,
	    sizeof(*p->awards), p->nawards, award_cols, naward_cols));
	return rows_add(it, p, product_tail, nproduct_tail);
}

static const char *
check_level(struct req *r, struct value *v)
{
	(void)r;
	return values_find(values_award_levels, v->s) >= 0 ? NULL :
	    "Cấp phải là commune, district, province, region hoặc national";
}

/* A field's check: an administrative unit's code, digits only (the list
 * of products and of facilities filter by it). */
const char *
products_check_code(struct req *r, struct value *v)
{
	(void)r;
	return v->s[strspn(v->s, "0123456789")] == '\0' ? NULL :
	    "Mã đơn vị hành chính chỉ gồm chữ số";
}

enum { F_Q, F_YEAR, F_LEVEL, F_DISTRICT, F_GROUP, F__MAX };
static const struct field list_fields[F__MAX] = {
	{ "q", F_STR, 0, 0, 100, NULL },
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "level", F_STR, 0, 1, 20, check_level },
	{ "district", F_STR, 0, 1, 10, products_check_code },
	{ "group", F_STR, 0, 1, 120, NULL },
};

/*
 * The typed filter of a listing from its checked fields and its page: a
 * CSV is every row up to CSV_MAX_ROWS, paging ignored.
 */
static void
filter_read(struct req *r, const struct value *v, long long page,
    long long per_page, struct product_filter *f)
{
	const char	*fold;

	memset(f, 0, sizeof(*f));
	if (v[F_Q].set && (fold = text_fold(r->a, v[F_Q].s, v[F_Q].len)) !=
	    NULL)
		f->nwords = search_words(r->a, fold, f->words);
	f->year = v[F_YEAR].set ? v[F_YEAR].i : 0;
	f->level = v[F_LEVEL].set ? v[F_LEVEL].s : NULL;
	f->district = v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL;
	if (v[F_GROUP].set) {
		f->group = v[F_GROUP].s;
		if (f->group[strspn(f->group, "0123456789")] == '\0')
			f->group_id = strtoll(f->group, NULL, 10);
		f->group_fold = text_fold(r->a, v[F_GROUP].s, v[F_GROUP].len);
	}
	f->all = r->csv;
	f->limit = r->csv ? CSV_MAX_ROWS : per_page;
	f->offset = r->csv ? 0 : (page - 1) * per_page;
}

/*
 * GET /api/products[.csv]?q=&year=&level=&district=&group=&page=&per_page=
 * → {"items":[product...],"total","page","per_page"}, most recent award
 * first, then name. q: product or facility name, without diacritics or
 * with; year/level/district (unit code, or a district's code for its
 * communes) filter on one award; group: a group id or name. The .csv
 * variant gives every matching row (up to 10 000), paging ignored.
 * 422 for a bad filter, 503 while the database is down.
 */
static int
h_products_list(struct req *r)
{
	struct value		 v[F__MAX];
	struct product_filter	 f;
	struct product_list	 l;
	json_object		*items;
	long long		 page, per_page;
	size_t			 i;
	int			 rc;

	if ((rc = req_fields(r, list_fields, F__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	filter_read(r, v, page, per_page, &f);
	if (products_from_sql ? (q_products_list(r, &f, &l) < 0 &&
	    (rc = resp_db(r)) != 0) : (rc = cat_products_list(r, &f, &l)) != 0)
		return rc;
	if (!products_from_sql && !r->csv) {
		/* Straight out, as json-c would write it (pjson.c). */
		r->cache_seconds = 10;
		return resp_json_text(r, 200, products_json_text(r->a, &l,
		    l.total >= 0 ? l.total : (long long)l.nrows, page,
		    per_page));
	}
	items = json_object_new_array();
	for (i = 0; i < l.nrows; i++)
		json_object_array_add(items, product_json(&l.rows[i]));
	r->cache_seconds = 10;
	return resp_list(r, items, l.total >= 0 ? l.total : (long long)l.nrows,
	    page, per_page, "san-pham-cnnt-tieu-bieu", datapkg_products.cols,
	    datapkg_products.ncols);
}

/*
 * GET /api/products/{id} → one product as in the list; 404 for an
 * unknown or malformed id, 503 while the database is down.
 */
static int
h_products_get(struct req *r)
{
	struct product_row	 p;
	const char		*s = r->param[0];
	char			*end;
	long long		 id;
	int			 rc;

	id = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || id <= 0 || strlen(s) > 18)
		return resp_fail(r, E_NOT_FOUND, "Không có sản phẩm này.");
	if ((rc = resp_found(r, q_product_get(r, id, &p),
	    "Không có sản phẩm này.")) != 0)
		return rc;
	r->cache_seconds = 10;
	return resp_json(r, 200, product_json(&p));
}

const struct route products_products_routes[] = {
	{ M_GET, "/api/products", h_products_list, R_CSV, 0, 0 },
	{ M_GET, "/api/products/{}", h_products_get, 0, 0, 0 },
	ROUTES_END
};
