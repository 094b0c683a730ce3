/*
 * kc-products, the product listing: its statements, the planner that
 * chooses among them, and the typed queries that return product rows
 * (products.h). Read-only, account kc_public.
 *
 * The search `q` is folded with text_fold() (no diacritics, đ→d, lower
 * case) and split into words, which are looked for among the words of
 * each product's folded product and facility names (search_fold, split
 * as migration 024 did): every word must occur, the last one as a
 * prefix, so a search typed as you go still finds. No folding is done
 * over the table at query time. kc-products answers from its catalogue
 * (catalogue.c); these statements are its oracle (KC_PRODUCTS_SQL=1).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "text.h"

#include "products.h"

/* Items and their awards; the same WHERE for the page and the count. */
#define P_COLS	P_SEL P_FROM
#define P_SEL \
	"SELECT p.id, p.name, g.name, f.id, f.name, " PRODUCTS_FAC_ADDRESS \
	", u.code," \
	" u.name, p.sample, (SELECT JSON_ARRAYAGG(JSON_OBJECT('year', a.year," \
	" 'level', a.level, 'decision_no', a.decision_no, 'decision_date'," \
	" a.decision_date, 'district', au.code) ORDER BY a.year DESC," \
	" a.level DESC) FROM award a LEFT JOIN admin_unit au ON" \
	" au.id = a.unit_id WHERE a.product_id = p.id)"
/* A product's facility, group and district, for the columns of P_SEL. */
#define P_DETAILS \
	" STRAIGHT_JOIN facility f ON f.id = p.facility_id" \
	PRODUCTS_FAC_COMMUNE \
	" LEFT JOIN product_group g ON g.id = p.group_id" \
	" LEFT JOIN admin_unit u ON u.id = p.unit_id"
#define P_FROM	" FROM product p" P_DETAILS
/*
 * The award conditions as a count of the product's awards: an EXISTS
 * here is turned into a semi-join that reads every award of the
 * catalogue first (0.1 to 0.3 s); the count reads the few awards of one
 * product through uq_award.
 */
#define P_FILTER \
	" p.merged_into IS NULL AND (? IS NULL OR (SELECT COUNT(*) FROM award a" \
	" LEFT JOIN admin_unit au ON au.id = a.unit_id" \
	" WHERE a.product_id = p.id AND (? IS NULL OR a.year = ?)" \
	" AND (? IS NULL OR a.level = ?)" \
	" AND (? IS NULL OR au.code = ? OR au.parent_code = ?)) > 0)" \
	" AND (? IS NULL OR p.group_id = ?" \
	" OR p.group_id IN (SELECT id FROM product_group WHERE name_fold = ?))"
/*
 * Counting with an award filter and no q: from the award index (year,
 * level, product_id) or (level, product_id), index only, instead of a
 * subquery per product. The same products as P_FILTER: those with one
 * award meeting every award condition (and in the group, if asked).
 */
#define A_FILTER \
	" WHERE (? IS NULL OR a.year = ?) AND (? IS NULL OR a.level = ?)" \
	" AND (? IS NULL OR a.unit_id IN (SELECT id FROM admin_unit" \
	" WHERE code = ? OR parent_code = ?))"
#define G_FILTER \
	" (? IS NULL OR p.group_id = ?" \
	" OR p.group_id IN (SELECT id FROM product_group WHERE name_fold = ?))"
/*
 * Listing with an award year and no q: the products with an award of
 * that year (product_year, which held them in the listing's order, is
 * gone with migration 066), sorted; the other award conditions are
 * checked on the awards of that year only.
 */
#define Y_FROM \
	" FROM (SELECT DISTINCT product_id, year FROM award WHERE year = ?) y" \
	" STRAIGHT_JOIN product p ON p.id = y.product_id" P_DETAILS
#define Y_FILTER \
	" (? IS NULL OR (SELECT COUNT(*) FROM award a" \
	" LEFT JOIN admin_unit au ON au.id = a.unit_id" \
	" WHERE a.product_id = y.product_id AND a.year = y.year" \
	" AND (? IS NULL OR a.level = ?)" \
	" AND (? IS NULL OR au.code = ? OR au.parent_code = ?)) > 0) AND"
/*
 * A rare filter value (RARE_MAX products at most, counted first): from the
 * award index (level, district) or the group index, then sorted, instead
 * of walking the whole listing order for a few matches (a level with one
 * product in 100 000: 0.3 s that way, 1 ms this way).
 */
#define RARE_MAX	2000
#define RA_FROM \
	" FROM (SELECT DISTINCT a.product_id AS id FROM award a" A_FILTER ") x" \
	" STRAIGHT_JOIN product p ON p.id = x.id" P_DETAILS
#define RG_FROM \
	" FROM product_group g STRAIGHT_JOIN product p ON p.group_id = g.id" \
	" STRAIGHT_JOIN facility f ON f.id = p.facility_id" \
	PRODUCTS_FAC_COMMUNE \
	" LEFT JOIN admin_unit u ON u.id = p.unit_id" \
	" WHERE (g.id = ? OR g.name_fold = ?) AND p.merged_into IS NULL"
#define P_ORDER	" ORDER BY p.last_year DESC, p.name, p.id LIMIT ? OFFSET ?"

#define STATEMENTS(X) \
	X(S_LIST, P_COLS " WHERE" P_FILTER P_ORDER) \
	X(S_LIST_Y, P_SEL Y_FROM " WHERE" Y_FILTER G_FILTER \
	    P_ORDER) \
	X(S_COUNT_Y, "SELECT COUNT(DISTINCT product_id) FROM award" \
	    " WHERE year = ?") \
	X(S_LIST_RA, P_SEL RA_FROM " WHERE" G_FILTER P_ORDER) \
	X(S_LIST_RG, P_SEL RG_FROM P_ORDER) \
	X(S_COUNT_G, "SELECT COUNT(*)" RG_FROM) \
	X(S_COUNT, "SELECT COUNT(*) FROM product WHERE merged_into IS NULL") \
	X(S_COUNT_A, "SELECT COUNT(DISTINCT a.product_id) FROM award a" \
	    A_FILTER) \
	X(S_COUNT_AG, "SELECT COUNT(DISTINCT a.product_id) FROM award a" \
	    " JOIN product p ON p.id = a.product_id" A_FILTER " AND" G_FILTER) \
	X(S_ONE, P_COLS " WHERE p.id = COALESCE((SELECT merged_into FROM" \
	    " product WHERE id = ?), ?)") \
	X(S_GROUPS, \
	    "SELECT g.id, g.name, COUNT(p.id) FROM product_group g" \
	    " JOIN product p ON p.group_id = g.id AND p.merged_into IS NULL" \
	    " GROUP BY g.id, g.name" \
	    " ORDER BY g.name")

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
enum products_stmt { STATEMENTS(AS_ENUM) S__MAX };

/*
 * A search (q): every word but the last must be one of a product's words,
 * the last the beginning of one. The words are those product_word held
 * (migration 024, dropped by 066 when the catalogue moved to kc-products'
 * memory): runs of letters, marks and digits of product.search_fold, each
 * cut to TEXT_WORD_CHARS characters, compared byte for byte (text_word is
 * the same rule). Each word of q is matched as a regular expression
 * (word_pattern) on the whole text: the oracle's path only
 * (KC_PRODUCTS_SQL=1), a scan of the catalogue, plainly right. One
 * statement per number of whole words, 0 to SEARCH_WORDS - 1 (built by
 * search_init); the page comes first (ids, order and the total of all
 * matches), then the details and award lists of its rows only.
 * S_LIST_Q + k is the statement for k whole words.
 */
#define S_LIST_Q	S__MAX
#define Q_HEAD \
	P_SEL ", pg.total FROM (SELECT p.id, p.last_year, p.name," \
	" COUNT(*) OVER () AS total FROM product p WHERE"
/* A word of the text, by a pattern (word_pattern). */
#define Q_WORD	" p.search_fold COLLATE utf8mb4_bin REGEXP ? AND"
#define Q_TAIL \
	P_FILTER P_ORDER ") pg STRAIGHT_JOIN product p ON p.id = pg.id" \
	P_DETAILS " ORDER BY pg.last_year DESC, pg.name, pg.id"

#define TOTAL_COL	10	/* the search's column of the total */

static char		 search_sqls[SEARCH_WORDS][8192];
static const char	*products_sql[S__MAX + SEARCH_WORDS] = {
	STATEMENTS(AS_TEXT)
};
static struct db_set	 products_set = DB_SET("products", products_sql);

/* Text at *o, within *room bytes, moving both on. 0, or -1 if no room. */
static int
sql_put(char **o, size_t *room, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(*o, *room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= *room)
		return -1;
	*o += n;
	*room -= (size_t)n;
	return 0;
}

/*
 * The text of the search statement for k whole words (and the prefix)
 * into o, room bytes. 0, or -1 if it does not fit.
 */
static int
search_sql(char *o, size_t room, size_t k)
{
	size_t	 i;

	if (sql_put(&o, &room, "%s", Q_HEAD) != 0)
		return -1;
	for (i = 0; i < k; i++)
		if (sql_put(&o, &room, "%s", Q_WORD) != 0)
			return -1;
	return sql_put(&o, &room, "%s", Q_WORD Q_TAIL);
}

/* The texts of the search statements, once at start. 0 or -1. */
int
search_init(void)
{
	size_t	 k;

	for (k = 0; k < SEARCH_WORDS; k++) {
		if (search_sql(search_sqls[k], sizeof(search_sqls[k]), k) != 0)
			return -1;
		products_sql[S_LIST_Q + k] = search_sqls[k];
	}
	return 0;
}

/*
 * The words of a folded search (text_word: as migration 024 splits them),
 * at most SEARCH_WORDS; the last one ends in '%' (a LIKE prefix: no word
 * holds '%' or '_'). Returns how many (0: none).
 */
size_t
search_words(struct arena *a, const char *fold, const char **words)
{
	const char	*p = fold, *start;
	char		*w = NULL;
	size_t		 n = 0, len;

	while (n < SEARCH_WORDS && (start = text_word(&p, &len)) != NULL) {
		w = arena_alloc(a, len + 2);
		memcpy(w, start, len);
		w[len] = '\0';
		words[n++] = w;
	}
	if (w != NULL)
		strcat(w, "%");
	return n;
}

/* The parameters of the award conditions (A_FILTER's, with the year). */
static size_t
args_award(const struct product_filter *f, int with_year, struct db_param *p)
{
	size_t	 n = 0;

	if (with_year) {
		p[n++] = f->year > 0 ? DB_INT(f->year) : DB_NULL;
		p[n++] = f->year > 0 ? DB_INT(f->year) : DB_NULL;
	}
	p[n++] = DB_STR(f->level);
	p[n++] = DB_STR(f->level);
	p[n++] = DB_STR(f->district);
	p[n++] = DB_STR(f->district);
	p[n++] = DB_STR(f->district);
	return n;
}

/* The parameters of G_FILTER. */
static size_t
args_group(const struct product_filter *f, struct db_param *p)
{
	p[0] = f->group != NULL ? DB_INT(1) : DB_NULL;
	p[1] = DB_INT(f->group_id);
	p[2] = DB_STR(f->group_fold);
	return 3;
}

/* The parameters of P_FILTER. */
static size_t
args_filter(const struct product_filter *f, struct db_param *p)
{
	size_t	 n = 0;

	p[n++] = f->year > 0 || f->level != NULL || f->district != NULL ?
	    DB_INT(1) : DB_NULL;
	n += args_award(f, 1, p + n);
	n += args_group(f, p + n);
	return n;
}

/* The steps of a listing, in the order they run. */
enum plan_step {
	PLAN_COUNT_FIRST,	/* the total, which chooses the list */
	PLAN_LIST,		/* the page */
	PLAN_COUNT_AFTER,	/* the total of a list chosen without it */
};
#define PLAN_ARGS	(SEARCH_WORDS + 13)	/* parameters of a step */

/*
 * The planner: the statement of step for a listing with filter f, its
 * parameters into p[0..*n-1] (PLAN_ARGS at most); -1 for a step not
 * needed. total: the answer of PLAN_COUNT_FIRST (-1: none).
 *
 * A search (words) is the page with the total in each row (a window
 * count over the matches): it runs once. A year lists from its awards
 * and is counted after, unless every row is asked (a CSV). Without
 * either, the count comes first: a rare level, district or group
 * (RARE_MAX products at most) is read from its own index and sorted; a
 * common one walks the listing order, where a page is soon found.
 */
static int
plan(const struct product_filter *f, enum plan_step step, long long total,
    struct db_param *p, size_t *n)
{
	int	 award, s;
	size_t	 i;

	award = f->year > 0 || f->level != NULL || f->district != NULL;
	*n = 0;
	if (step != PLAN_LIST) {
		/* A search counts in its rows; a year after its list. */
		if (f->nwords > 0 || (f->year > 0) != (step == PLAN_COUNT_AFTER)
		    || (f->year > 0 && f->all))
			return -1;
		if (f->year > 0 && f->level == NULL && f->district == NULL &&
		    f->group == NULL) {
			p[(*n)++] = DB_INT(f->year);
			return S_COUNT_Y;
		}
		/* Products with an award meeting every award condition
		 * (and in the group), from the award index alone. */
		if (award) {
			*n = args_award(f, 1, p);
			if (f->group == NULL)
				return S_COUNT_A;
			*n += args_group(f, p + *n);
			return S_COUNT_AG;
		}
		if (f->group != NULL) {
			p[(*n)++] = DB_INT(f->group_id);
			p[(*n)++] = DB_STR(f->group_fold);
			return S_COUNT_G;
		}
		return f->all ? -1 : S_COUNT;
	}
	if (f->nwords > 0) {
		for (i = 0; i < f->nwords; i++)
			p[(*n)++] = DB_STR(f->words[i]);
		*n += args_filter(f, p + *n);
		s = S_LIST_Q + (int)f->nwords - 1;
	} else if (f->year > 0) {
		p[(*n)++] = DB_INT(f->year);
		p[(*n)++] = f->level != NULL || f->district != NULL ?
		    DB_INT(1) : DB_NULL;
		*n += args_award(f, 0, p + *n);
		*n += args_group(f, p + *n);
		s = S_LIST_Y;
	} else if (award && total <= RARE_MAX) {
		*n = args_award(f, 1, p);
		*n += args_group(f, p + *n);
		s = S_LIST_RA;
	} else if (f->group != NULL && total <= RARE_MAX) {
		p[(*n)++] = DB_INT(f->group_id);
		p[(*n)++] = DB_STR(f->group_fold);
		s = S_LIST_RG;
	} else {
		*n = args_filter(f, p);
		s = S_LIST;
	}
	p[(*n)++] = DB_INT(f->limit);
	p[(*n)++] = DB_INT(f->offset);
	return s;
}

/*
 * The pattern of word w of a search (the last: a prefix, ending in '%')
 * on search_fold: w at the start of a word and, for a whole word shorter
 * than TEXT_WORD_CHARS, at its end too (a longer word is held cut, so
 * its beginning matches). Words hold letters, marks and digits only: no
 * character of w needs escaping.
 */
#define W_CLASS	"\\p{L}\\p{M}\\p{N}"
static const char *
word_pattern(struct arena *a, const char *w, int last)
{
	size_t	 len = strlen(w) - (last ? 1 : 0), chars = 0, i;

	for (i = 0; i < len; i++)
		chars += ((unsigned char)w[i] & 0xc0) != 0x80;
	return arena_printf(a, "(^|[^" W_CLASS "])%.*s%s", (int)len, w,
	    last || chars >= TEXT_WORD_CHARS ? "" : "($|[^" W_CLASS "])");
}

/* The first row's count (column col) of a result, or -1 without rows. */
static long long
first_count(struct db_res *q, size_t col)
{
	return db_next(q) ? db_int(q, col) : -1;
}

/*
 * The total of a search whose page is past the end (no row carries it)
 * into *total: the search again for its first row. 0 or a DB_E* code.
 */
static int
search_total(struct req *r, const struct product_filter *f,
    long long *total)
{
	struct product_filter	 one = *f;
	struct db_param		 p[PLAN_ARGS];
	struct db_res		*q;
	size_t			 n;
	int			 s;

	one.limit = 1;
	one.offset = 0;
	s = plan(&one, PLAN_LIST, -1, p, &n);
	if ((q = db_squery(r->db, r->a, &products_set, s, p, n)) == NULL)
		return db_last_error(r->db);
	*total = first_count(q, TOTAL_COL);
	return 0;
}

/*
 * The page of products of filter f into *out (rows in the arena), with
 * the total of the matches when it is counted: the plan's steps in
 * order. The number of rows, or a DB_E* code.
 */
int
q_products_list(struct req *r, const struct product_filter *f,
    struct product_list *out)
{
	struct product_filter	 g = *f;
	struct db_param		 p[PLAN_ARGS];
	struct db_res		*q, *list = NULL;
	size_t			 n, i;
	int			 step, s, rc;

	for (i = 0; i < g.nwords; i++)
		g.words[i] = word_pattern(r->a, f->words[i],
		    i + 1 == g.nwords);
	f = &g;
	out->total = -1;
	for (step = PLAN_COUNT_FIRST; step <= PLAN_COUNT_AFTER; step++) {
		if ((s = plan(f, step, out->total, p, &n)) < 0)
			continue;
		q = db_squery(r->db, r->a, &products_set, s, p, n);
		if (q == NULL)
			return db_last_error(r->db);
		if (step != PLAN_LIST)
			out->total = first_count(q, 0);
		else
			list = q;
	}
	if (f->nwords > 0 && list->rows == 0 && f->offset > 0 &&
	    (rc = search_total(r, f, &out->total)) < 0)
		return rc;
	out->rows = arena_alloc(r->a, (list->rows + 1) * sizeof(*out->rows));
	for (out->nrows = 0; db_next(list); out->nrows++) {
		if (f->nwords > 0 && out->nrows == 0)
			out->total = db_int(list, TOTAL_COL);
		product_row_read(r->a, list, &out->rows[out->nrows]);
	}
	return (int)out->nrows;
}

/* Product id into *out: 1, 0 if there is none, or a DB_E* code. */
int
q_product_get(struct req *r, long long id, struct product_row *out)
{
	struct db_res	*q;

	/* A product merged into another answers with the kept one. */
	q = db_squery(r->db, r->a, &products_set, S_ONE, DB_ARGS(DB_INT(id),
	    DB_INT(id)));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q))
		return 0;
	product_row_read(r->a, q, out);
	return 1;
}
