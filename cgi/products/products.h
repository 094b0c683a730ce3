/*
 * kc-products: what the resource files of the program share. The public
 * list of award-winning rural industrial products (sản phẩm CNNT tiêu
 * biểu): products.c answers /api/products and /api/products/{id} through
 * the typed queries of search.c (the statements, the planner choosing
 * among them, the word search); groups.c answers /api/products/groups.
 */
#ifndef KC_PRODUCTS_H
#define KC_PRODUCTS_H

#include <stddef.h>

#include "app.h"
#include "rows.h"

struct arena;
struct req;

/*
 * A facility's address as the public sees it, in SQL over facility f and
 * its unit fc joined as a commune (PRODUCTS_FAC_COMMUNE): a household's
 * street address is personal data (issue 21), so a household shows its
 * commune only (NULL before 1 July 2025, when its unit is a district).
 */
#define PRODUCTS_FAC_COMMUNE \
	" LEFT JOIN admin_unit fc ON fc.id = f.unit_id AND fc.level = 'commune'"
#define PRODUCTS_FAC_ADDRESS \
	"IF(f.kind = 'household', fc.name, f.address)"

#define SEARCH_WORDS	12	/* words of q used; the rest is ignored */

/*
 * One award of a product: level one of values.h AWARD_LEVELS,
 * decision_no NULL for none, decision_date YYYY-MM-DD or NULL, district
 * the awarding unit's code or NULL. Its members in its JSON's order.
 */
#define PRODUCT_AWARD_ROW(X) \
	X(year, J_INT) X(level, J_STR) X(decision_no, J_STR) \
	X(decision_date, J_STR) X(district, J_STR)
struct product_award { PRODUCT_AWARD_ROW(ROWS_MEMBER) };

/* A product with its facility, district and awards (most recent first). */
struct product_row {
	long long		 id;
	const char		*name;
	const char		*group;		/* NULL: no group */
	long long		 facility_id;
	const char		*facility_name;
	const char		*facility_address;
	const char		*district_code;	/* NULL: no district */
	const char		*district_name;
	int			 sample;
	struct product_award	*awards;
	size_t			 nawards;
};

/*
 * A listing's filter, typed: what the planner chooses its statements
 * from. Each condition is off when 0 or NULL.
 */
struct product_filter {
	const char	*words[SEARCH_WORDS];	/* q's words (search_words) */
	size_t		 nwords;
	long long	 year;		/* an award of that year */
	const char	*level;		/* an award of that level */
	const char	*district;	/* an award of that unit or its parts */
	const char	*group;		/* the group as asked, id or name */
	long long	 group_id;	/* group as an id: 0 if not digits */
	const char	*group_fold;	/* group folded, as name_fold */
	long long	 limit;		/* the page: rows */
	long long	 offset;	/* and rows before it */
	int		 all;		/* every row up to limit: no total */
};

/* A page of a listing. */
struct product_list {
	struct product_row	*rows;
	size_t			 nrows;
	long long		 total;	/* all the matches; -1: not counted */
};

/*
 * rows.c: a product as JSON, in this order: its columns before its
 * awards, the "awards" array of award_cols objects, its columns after
 * them (products.c's product_json, pjson.c's writer).
 */
extern const struct jcol	 product_cols[], award_cols[], product_tail[];
extern const size_t		 nproduct_cols, naward_cols, nproduct_tail;
struct db_res;
void	 product_row_read(struct arena *, const struct db_res *,
	    struct product_row *);

/* search.c */
int	 search_init(void);
size_t	 search_words(struct arena *, const char *fold, const char **words);
int	 q_products_list(struct req *, const struct product_filter *,
	    struct product_list *);
int	 q_product_get(struct req *, long long id, struct product_row *);

/*
 * catsearch.c: the listing from the catalogue in memory (catalogue.h).
 * products_from_sql (KC_PRODUCTS_SQL=1) answers from search.c's statements
 * instead: the tests' oracle of the same answers.
 */
extern int	 products_from_sql;
int	 cat_products_list(struct req *, const struct product_filter *,
	    struct product_list *);

/* products.c: the check of a district filter (struct field). */
struct value;
const char	*products_check_code(struct req *, struct value *);

/* pjson.c: a page of the listing as the JSON json-c would write. */
const char	*products_json_text(struct arena *, const struct product_list *,
		    long long total, long long page, long long per_page);

/* The resources' route tables, each ended by ROUTES_END. */
extern const struct route products_products_routes[];
extern const struct route products_groups_routes[];
extern const struct route products_facilities_routes[];	/* issue 21 */
extern const struct route products_verify_routes[];

#endif
