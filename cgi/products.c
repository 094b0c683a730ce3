/*
 * kc-products: the public list of award-winning rural industrial products
 * (sản phẩm CNNT tiêu biểu), searchable without diacritics. Read-only,
 * account kc_public; answers are cacheable for a few seconds.
 *
 * The search `q` is folded with text_fold() (no diacritics, đ→d, lower
 * case) and split into words, which are looked up in product_word (the
 * words of each product's folded product and facility names, migration
 * 024): every word must occur, the last one as a prefix, so a search
 * typed as you go still finds. No folding is done over the table at
 * query time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "datapkg.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "text.h"

/* Items and their awards; the same WHERE for the page and the count. */
#define P_COLS	P_SEL P_FROM
#define P_SEL \
	"SELECT p.id, p.name, g.name, f.id, f.name, f.address, u.code," \
	" u.name, p.sample, (SELECT JSON_ARRAYAGG(JSON_OBJECT('year', a.year," \
	" 'level', a.level, 'decision_no', a.decision_no, 'decision_date'," \
	" a.decision_date, 'district', au.code) ORDER BY a.year DESC," \
	" a.level DESC) FROM award a LEFT JOIN admin_unit au ON" \
	" au.id = a.unit_id WHERE a.product_id = p.id)"
/* A product's facility, group and district, for the columns of P_SEL. */
#define P_DETAILS \
	" STRAIGHT_JOIN facility f ON f.id = p.facility_id" \
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
	" (? IS NULL OR (SELECT COUNT(*) FROM award a" \
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
 * Listing with an award year and no q: from product_year (migration 023),
 * whose index holds each year's products in the listing's order, so that
 * a page is the first rows of one range; the other award conditions are
 * checked on the awards of that year only.
 */
#define Y_FROM \
	" FROM product_year y STRAIGHT_JOIN product p ON p.id = y.product_id" \
	P_DETAILS
#define Y_FILTER \
	" y.year = ? AND (? IS NULL OR (SELECT COUNT(*) FROM award a" \
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
	" LEFT JOIN admin_unit u ON u.id = p.unit_id" \
	" WHERE g.id = ? OR g.name_fold = ?"
#define P_ORDER	" ORDER BY p.last_year DESC, p.name, p.id LIMIT ? OFFSET ?"

#define STATEMENTS(X) \
	X(S_LIST, P_COLS " WHERE" P_FILTER P_ORDER) \
	X(S_LIST_Y, P_SEL Y_FROM " WHERE" Y_FILTER G_FILTER \
	    " ORDER BY y.last_year DESC, y.name, y.product_id LIMIT ? OFFSET ?") \
	X(S_COUNT_Y, "SELECT COUNT(*) FROM product_year WHERE year = ?") \
	X(S_LIST_RA, P_SEL RA_FROM " WHERE" G_FILTER P_ORDER) \
	X(S_LIST_RG, P_SEL RG_FROM P_ORDER) \
	X(S_COUNT_G, "SELECT COUNT(*)" RG_FROM) \
	X(S_COUNT, "SELECT COUNT(*) FROM product") \
	X(S_COUNT_A, "SELECT COUNT(DISTINCT a.product_id) FROM award a" \
	    A_FILTER) \
	X(S_COUNT_AG, "SELECT COUNT(DISTINCT a.product_id) FROM award a" \
	    " JOIN product p ON p.id = a.product_id" A_FILTER " AND" G_FILTER) \
	X(S_ONE, P_COLS " WHERE p.id = ?") \
	X(S_GROUPS, \
	    "SELECT g.id, g.name, COUNT(p.id) FROM product_group g" \
	    " JOIN product p ON p.group_id = g.id GROUP BY g.id, g.name" \
	    " ORDER BY g.name")

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
enum stmt { STATEMENTS(AS_ENUM) S__MAX };

/*
 * A search (q): every word but the last must be one of a product's words
 * in product_word, the last the beginning of one. One statement per
 * number of whole words, 0 to Q_WORDS - 1 (built by q_sql_build), each
 * joining that many product_word rows on the product, so that MariaDB
 * starts from the rarest word (it estimates each word's rows by index
 * dives: 50 "keo" before 3 700 "cu"), and checking the prefix per
 * candidate through (product_id, word). The page comes first (ids, order
 * and the total of all matches), then the details and award lists of its
 * rows only. S_LIST_Q + k is the statement for k whole words.
 */
#define Q_WORDS		12	/* words of q used; the rest is ignored */
#define S_LIST_Q	S__MAX
#define Q_HEAD \
	P_SEL ", pg.total FROM (SELECT p.id, p.last_year, p.name," \
	" COUNT(*) OVER () AS total FROM "
#define Q_PREFIX_ONLY \
	"(SELECT DISTINCT product_id FROM product_word WHERE word LIKE ?) w0" \
	" JOIN product p ON p.id = w0.product_id WHERE"
#define Q_PREFIX \
	" AND (SELECT COUNT(*) FROM product_word x FORCE INDEX" \
	" (ix_product_word_product) WHERE x.product_id = w0.product_id" \
	" AND x.word LIKE ?) > 0 AND"
#define Q_TAIL \
	P_FILTER P_ORDER ") pg STRAIGHT_JOIN product p ON p.id = pg.id" \
	P_DETAILS " ORDER BY pg.last_year DESC, pg.name, pg.id"

static char		 q_sqls[Q_WORDS][4096];
static const char	*sqls[S__MAX + Q_WORDS] = { STATEMENTS(AS_TEXT) };

/* The texts of the search statements, into q_sqls and sqls. 0 or -1. */
static int
q_sql_build(void)
{
	char	*o;
	size_t	 k, i, room;
	int	 n;

	for (k = 0; k < Q_WORDS; k++) {
		o = q_sqls[k];
		room = sizeof(q_sqls[k]);
#define Q_PUT(...) do { \
		n = snprintf(o, room, __VA_ARGS__); \
		if (n < 0 || (size_t)n >= room) \
			return -1; \
		o += n; \
		room -= (size_t)n; \
	} while (0)
		if (k == 0)
			Q_PUT("%s", Q_HEAD Q_PREFIX_ONLY);
		else {
			Q_PUT("%s", Q_HEAD "product_word w0");
			for (i = 1; i < k; i++)
				Q_PUT(" JOIN product_word w%zu ON w%zu.product_id"
				    " = w0.product_id", i, i);
			Q_PUT(" JOIN product p ON p.id = w0.product_id WHERE"
			    " w0.word = ?");
			for (i = 1; i < k; i++)
				Q_PUT(" AND w%zu.word = ?", i);
			Q_PUT("%s", Q_PREFIX);
		}
		Q_PUT("%s", Q_TAIL);
#undef Q_PUT
		sqls[S_LIST_Q + k] = q_sqls[k];
	}
	return 0;
}

#define CSV_MAX_ROWS	10000	/* rows of one CSV download */

static json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static struct db_param
pstr(const char *s)
{
	return s != NULL ? DB_STRN(s, strlen(s)) : DB_NULL;
}

/* One item of the list from a row of P_COLS. */
static json_object *
product_item(struct db_res *q)
{
	json_object	*it, *fac, *d, *aw;

	it = json_object_new_object();
	json_object_object_add(it, "id", json_object_new_int64(db_int(q, 0)));
	json_object_object_add(it, "name", jstr(db_str(q, 1)));
	json_object_object_add(it, "group", jstr(db_str(q, 2)));
	fac = json_object_new_object();
	json_object_object_add(fac, "id", json_object_new_int64(db_int(q, 3)));
	json_object_object_add(fac, "name", jstr(db_str(q, 4)));
	json_object_object_add(fac, "address", jstr(db_str(q, 5)));
	json_object_object_add(it, "facility", fac);
	if (db_str(q, 6) != NULL) {
		d = json_object_new_object();
		json_object_object_add(d, "code", jstr(db_str(q, 6)));
		json_object_object_add(d, "name", jstr(db_str(q, 7)));
	} else
		d = NULL;
	json_object_object_add(it, "district", d);
	aw = db_str(q, 9) != NULL ? json_tokener_parse(db_str(q, 9)) : NULL;
	if (aw == NULL || !json_object_is_type(aw, json_type_array)) {
		json_object_put(aw);
		aw = json_object_new_array();
	}
	json_object_object_add(it, "awards", aw);
	json_object_object_add(it, "sample",
	    json_object_new_boolean(db_int(q, 8) != 0));
	return it;
}

/*
 * The words of a folded search (text_word: as product_word holds them),
 * at most Q_WORDS; the last one ends in '%' (a LIKE prefix: no word holds
 * '%' or '_'). Returns how many (0: none).
 */
static size_t
search_words(struct arena *a, const char *fold, char **w)
{
	const char	*p = fold, *start;
	size_t		 n = 0, len;

	while (n < Q_WORDS && (start = text_word(&p, &len)) != NULL) {
		w[n] = arena_alloc(a, len + 2);
		memcpy(w[n], start, len);
		w[n++][len] = '\0';
	}
	if (n > 0)
		strcat(w[n - 1], "%");
	return n;
}

static const char *
check_level(struct req *r, struct value *v)
{
	static const char *const levels[] = {
		"commune", "district", "province", "region", "national"
	};
	size_t	 i;

	(void)r;
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(v->s, levels[i]) == 0)
			return NULL;
	return "Cấp phải là commune, district, province, region hoặc national";
}

static const char *
check_code(struct req *r, struct value *v)
{
	(void)r;
	return v->s[strspn(v->s, "0123456789")] == '\0' ? NULL :
	    "Mã đơn vị hành chính chỉ gồm chữ số";
}

enum { F_Q, F_YEAR, F_LEVEL, F_DISTRICT, F_GROUP };
static const struct field list_fields[] = {
	{ "q", F_STR, 0, 0, 100, NULL },
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "level", F_STR, 0, 1, 20, check_level },
	{ "district", F_STR, 0, 1, 10, check_code },
	{ "group", F_STR, 0, 1, 120, NULL },
};

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
	struct value	 v[5];
	struct db_res	*q, *c;
	struct db_param	 qa[Q_WORDS + 13];
	json_object	*items;
	const char	*fold, *gfold = NULL;
	char		*words[Q_WORDS];
	long long	 page, per_page, limit, offset, gid = 0, total = -1;
	size_t		 nw = 0, na, i;
	int		 rc, award;

	if ((rc = req_fields(r, list_fields, 5, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if (v[F_Q].set && (fold = text_fold(r->a, v[F_Q].s, v[F_Q].len)) !=
	    NULL)
		nw = search_words(r->a, fold, words);
	if (v[F_GROUP].set) {
		if (v[F_GROUP].s[strspn(v[F_GROUP].s, "0123456789")] == '\0')
			gid = strtoll(v[F_GROUP].s, NULL, 10);
		gfold = text_fold(r->a, v[F_GROUP].s, v[F_GROUP].len);
	}
	limit = r->csv ? CSV_MAX_ROWS : per_page;
	offset = r->csv ? 0 : (page - 1) * per_page;
#define FILTER_ARGS \
	(v[F_YEAR].set || v[F_LEVEL].set || v[F_DISTRICT].set) ? \
	    DB_INT(1) : DB_NULL, \
	v[F_YEAR].set ? DB_INT(v[F_YEAR].i) : DB_NULL, \
	v[F_YEAR].set ? DB_INT(v[F_YEAR].i) : DB_NULL, \
	pstr(v[F_LEVEL].set ? v[F_LEVEL].s : NULL), \
	pstr(v[F_LEVEL].set ? v[F_LEVEL].s : NULL), \
	pstr(v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL), \
	pstr(v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL), \
	pstr(v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL), \
	v[F_GROUP].set ? DB_INT(1) : DB_NULL, \
	DB_INT(gid), pstr(gfold)
#define AWARD_ARGS \
	v[F_YEAR].set ? DB_INT(v[F_YEAR].i) : DB_NULL, \
	v[F_YEAR].set ? DB_INT(v[F_YEAR].i) : DB_NULL, \
	AWARD_ARGS_BUT_YEAR
#define AWARD_ARGS_BUT_YEAR \
	pstr(v[F_LEVEL].set ? v[F_LEVEL].s : NULL), \
	pstr(v[F_LEVEL].set ? v[F_LEVEL].s : NULL), \
	pstr(v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL), \
	pstr(v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL), \
	pstr(v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL)
#define GROUP_ARGS \
	v[F_GROUP].set ? DB_INT(1) : DB_NULL, DB_INT(gid), pstr(gfold)
/* Products with an award meeting every award condition (and in the
 * group), from the award index alone. */
#define COUNT_AWARDS (v[F_GROUP].set ? \
	db_query(r->db, r->a, S_COUNT_AG, DB_ARGS(AWARD_ARGS, GROUP_ARGS)) : \
	db_query(r->db, r->a, S_COUNT_A, DB_ARGS(AWARD_ARGS)))
	award = v[F_YEAR].set || v[F_LEVEL].set || v[F_DISTRICT].set;
	if (nw > 0) {
		/* The words, the filters, the page. The total comes with the
		 * page (a window count over the matches), so the search runs
		 * once; a page past the end has no row to carry it and asks
		 * for the first row. */
		const struct db_param fa[] = { FILTER_ARGS };

		for (na = 0, i = 0; i < nw; i++)
			qa[na++] = DB_STR(words[i]);
		memcpy(qa + na, fa, sizeof(fa));
		na += sizeof(fa) / sizeof(fa[0]);
		qa[na++] = DB_INT(limit);
		qa[na++] = DB_INT(offset);
		q = db_query(r->db, r->a, S_LIST_Q + (int)nw - 1, qa, na);
		c = q;
		if (q != NULL && q->rows == 0 && page > 1 && !r->csv) {
			qa[na - 2] = DB_INT(1);
			qa[na - 1] = DB_INT(0);
			c = db_query(r->db, r->a, S_LIST_Q + (int)nw - 1, qa,
			    na);
		}
		if (q == NULL || c == NULL)
			return resp_db(r);
		if (c->rows > 0)
			total = strtoll(c->cell[0][10], NULL, 10);
	} else if (v[F_YEAR].set) {
		q = db_query(r->db, r->a, S_LIST_Y, DB_ARGS(
		    DB_INT(v[F_YEAR].i), v[F_LEVEL].set || v[F_DISTRICT].set ?
		    DB_INT(1) : DB_NULL, AWARD_ARGS_BUT_YEAR, GROUP_ARGS,
		    DB_INT(limit), DB_INT(offset)));
		if (q == NULL || r->csv)
			c = NULL;
		else if (!v[F_LEVEL].set && !v[F_DISTRICT].set &&
		    !v[F_GROUP].set)
			c = db_query(r->db, r->a, S_COUNT_Y,
			    DB_ARGS(DB_INT(v[F_YEAR].i)));
		else
			c = COUNT_AWARDS;
		if (q == NULL || (c == NULL && !r->csv))
			return resp_db(r);
		if (c != NULL && db_next(c))
			total = db_int(c, 0);
	} else {
		/* No year: counted first. A rare level, district or group
		 * (RARE_MAX products at most) is read from its own index and
		 * sorted; a common one walks the listing order, where a page
		 * is soon found. */
		if (award)
			c = COUNT_AWARDS;
		else if (v[F_GROUP].set)
			c = db_query(r->db, r->a, S_COUNT_G, DB_ARGS(DB_INT(gid),
			    pstr(gfold)));
		else if (!r->csv)
			c = db_query(r->db, r->a, S_COUNT, DB_NOARGS);
		else
			c = NULL;
		if (c == NULL && (award || v[F_GROUP].set || !r->csv))
			return resp_db(r);
		if (c != NULL && db_next(c))
			total = db_int(c, 0);
		if (award && total <= RARE_MAX)
			q = db_query(r->db, r->a, S_LIST_RA, DB_ARGS(AWARD_ARGS,
			    GROUP_ARGS, DB_INT(limit), DB_INT(offset)));
		else if (v[F_GROUP].set && total <= RARE_MAX)
			q = db_query(r->db, r->a, S_LIST_RG, DB_ARGS(DB_INT(gid),
			    pstr(gfold), DB_INT(limit), DB_INT(offset)));
		else
			q = db_query(r->db, r->a, S_LIST, DB_ARGS(FILTER_ARGS,
			    DB_INT(limit), DB_INT(offset)));
		if (q == NULL)
			return resp_db(r);
	}
#undef FILTER_ARGS
#undef AWARD_ARGS
#undef AWARD_ARGS_BUT_YEAR
#undef GROUP_ARGS
#undef COUNT_AWARDS
	items = json_object_new_array();
	while (db_next(q))
		json_object_array_add(items, product_item(q));
	r->cache_seconds = 10;
	return resp_list(r, items, total >= 0 ? total : (long long)q->rows,
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
	struct db_res	*q;
	const char	*s = r->param[0];
	char		*end;
	long long	 id;

	id = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || id <= 0 || strlen(s) > 18)
		return resp_error(r, 404, "not_found",
		    "Không có sản phẩm này.");
	if ((q = db_query(r->db, r->a, S_ONE, DB_ARGS(DB_INT(id)))) == NULL)
		return resp_db(r);
	if (!db_next(q))
		return resp_error(r, 404, "not_found",
		    "Không có sản phẩm này.");
	r->cache_seconds = 10;
	return resp_json(r, 200, product_item(q));
}

static const struct csv_col group_cols[] = {
	{ "id", "id" }, { "name", "name" }, { "products", "products" },
};

/*
 * GET /api/products/groups[.csv] → the product groups that have products:
 * {"items":[{"id","name","products"}]}. 503 while the database is down.
 */
static int
h_groups_list(struct req *r)
{
	struct db_res	*q;
	json_object	*items, *it;

	if ((q = db_query(r->db, r->a, S_GROUPS, DB_NOARGS)) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "id",
		    json_object_new_int64(db_int(q, 0)));
		json_object_object_add(it, "name", jstr(db_str(q, 1)));
		json_object_object_add(it, "products",
		    json_object_new_int64(db_int(q, 2)));
		json_object_array_add(items, it);
	}
	r->cache_seconds = 30;
	return resp_list(r, items, (long long)q->rows, 1, (long long)q->rows,
	    "nhom-san-pham", group_cols, sizeof(group_cols) /
	    sizeof(group_cols[0]));
}

static const struct route routes[] = {
	{ M_GET, "/api/products", h_products_list, R_CSV, 0, 0 },
	{ M_GET, "/api/products/groups", h_groups_list, R_CSV, 0, 0 },
	{ M_GET, "/api/products/{}", h_products_get, 0, 0, 0 },
};

int
main(void)
{
	static const struct app app = {
		.name = "kc-products", .db_user = "kc_public",
		.sqls = sqls, .nsqls = S__MAX + Q_WORDS,
		.routes = routes, .nroutes = NELEM(routes),
	};

	if (q_sql_build() != 0) {
		fprintf(stderr, "kc-products: a search statement is too long\n");
		return 1;
	}
	return app_main(&app);
}
