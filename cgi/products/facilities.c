/*
 * kc-products, the facilities resource (issue 21): a public page per
 * facility that won an award or received support in a published plan,
 * with its timeline. Only public fields: name, kind, commune and
 * district. Never the owner, phone, e-mail, tax or identity number, nor
 * the street address (a household's home).
 *
 *   GET /api/facilities[.csv]?q=&district=&page=&per_page=
 *   GET /api/facilities/{id}[.csv]	one facility, its awards, support
 *					and applications (counts); a merged
 *					facility answers 301 to the one kept
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "clock.h"
#include "datapkg.h"
#include "db.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "text.h"

#include "catalogue.h"
#include "products.h"

#define CSV_MAX_ROWS	10000

/* A facility's place: its commune (when its unit is one) and district. */
#define FAC_COLS \
	"f.id, f.name, f.kind, IF(u.level = 'commune', u.code, NULL)," \
	" IF(u.level = 'commune', u.name, NULL), d.code, d.name, f.sample"
#define FAC_FROM \
	" FROM facility f LEFT JOIN admin_unit u ON u.id = f.unit_id" \
	" LEFT JOIN admin_unit d ON d.id = IF(u.level = 'district', u.id," \
	" (SELECT MIN(z.id) FROM admin_unit z WHERE z.code = u.parent_code" \
	" AND z.level = 'district'))"
/* Support: payments of activities of published plans only. */
#define PAID_JOIN \
	" FROM disbursement x JOIN activity t ON t.id = x.activity_id" \
	" JOIN plan pl ON pl.year = t.year AND pl.status = 'published'"
#define AWARDED_OF(fid) \
	" FROM product p JOIN award a ON a.product_id = p.id" \
	" WHERE p.facility_id = " fid
/* Public: not merged, and an award or a published payment. */
#define FAC_PUBLIC \
	" f.merged_into IS NULL AND (EXISTS (SELECT 1" AWARDED_OF("f.id") ")" \
	" OR EXISTS (SELECT 1" PAID_JOIN " WHERE x.facility_id = f.id))"
/* The rows of a facility and of those merged into it. */
#define OF_FAC(col) \
	" " col " IN (SELECT m.id FROM facility m WHERE m.id = ? OR" \
	" m.merged_into = ?)"

/* FAC_FROM with each facility's awards (aw.n) and published payments
 * (pd.s; a row when it has one) and its unit's district (dz) joined. */
#define FAC_ALL_FROM \
	" FROM facility f LEFT JOIN (SELECT p.facility_id, COUNT(*) AS n" \
	" FROM product p JOIN award a ON a.product_id = p.id" \
	" GROUP BY p.facility_id) aw ON aw.facility_id = f.id" \
	" LEFT JOIN (SELECT x.facility_id, SUM(x.amount_vnd) AS s" PAID_JOIN \
	" GROUP BY x.facility_id) pd ON pd.facility_id = f.id" \
	" LEFT JOIN admin_unit u ON u.id = f.unit_id" \
	" LEFT JOIN (SELECT code, MIN(id) AS id FROM admin_unit" \
	" WHERE level = 'district' GROUP BY code) dz" \
	" ON dz.code = u.parent_code" \
	" LEFT JOIN admin_unit d ON d.id = IF(u.level = 'district', u.id, dz.id)"

/* Over FAC_ALL_FROM: a list's awards and support, FAC_PUBLIC, and the
 * list's filter (district, the name's words as one pattern). */
#define FAC_ALL_SUMS	"COALESCE(aw.n, 0), COALESCE(pd.s, 0)"
#define FAC_ALL_PUBLIC \
	" f.merged_into IS NULL AND (aw.n IS NOT NULL OR pd.facility_id IS" \
	" NOT NULL)"
#define FAC_ALL_FILTER \
	" WHERE" FAC_ALL_PUBLIC " AND (? IS NULL OR u.code = ? OR" \
	" u.parent_code = ?) AND (? IS NULL OR f.name_fold REGEXP ?)"
#define FAC_ORDER	" ORDER BY f.name_fold, f.id"

enum fac_stmt {
	S_FAC_LIST, S_FAC_COUNT, S_FAC_GET, S_FAC_AWARDS, S_FAC_SUPPORT,
	S_FAC_APPS, S_FAC_ALL, S_FAC__MAX
};
static const char *const fac_sql[S_FAC__MAX] = {
	[S_FAC_LIST] = "SELECT " FAC_COLS ", " FAC_ALL_SUMS FAC_ALL_FROM
	    FAC_ALL_FILTER FAC_ORDER " LIMIT ? OFFSET ?",
	[S_FAC_COUNT] = "SELECT COUNT(*)" FAC_ALL_FROM FAC_ALL_FILTER,
	[S_FAC_GET] = "SELECT " FAC_COLS ", f.merged_into, " FAC_PUBLIC
	    FAC_FROM " WHERE f.id = ?",
	[S_FAC_AWARDS] =
	    "SELECT a.verify_code, 'valid', p.id, p.name, a.year, a.level,"
	    " a.decision_no, a.decision_date, NULL, NULL FROM product p"
	    " JOIN award a ON a.product_id = p.id WHERE" OF_FAC("p.facility_id")
	    " UNION ALL SELECT r.code, 'revoked', r.product_id, r.product_name,"
	    " r.year, r.level, r.decision_no, r.decision_date, "
	    SQL_ISO("r.revoked_at") ", r.reason FROM award_revoked r WHERE"
	    OF_FAC("r.facility_id") " ORDER BY 5 DESC, 4, 6, 1",
	[S_FAC_SUPPORT] =
	    "SELECT t.year, t.content_code, t.title, x.amount_vnd, x.paid_on"
	    PAID_JOIN " WHERE" OF_FAC("x.facility_id")
	    " ORDER BY x.paid_on DESC, x.id DESC",
	[S_FAC_APPS] =
	    "SELECT c.id, c.year, c.title, a.status, COUNT(*) FROM application a"
	    " JOIN support_call c ON c.id = a.call_id WHERE" OF_FAC("a.facility_id")
	    " GROUP BY c.id, c.year, c.title, a.status"
	    " ORDER BY c.year DESC, c.id DESC, a.status",
	/* The list in memory: every public facility in the list's order,
	 * with its unit's code and parent and its folded name. What the
	 * list's subqueries ask per facility (its awards, its payments, its
	 * district) is gathered once here, each by a GROUP BY joined on the
	 * facility: no correlated subquery per row (FAC_ALL_FROM). */
	[S_FAC_ALL] = "SELECT " FAC_COLS ", " FAC_ALL_SUMS ", u.code,"
	    " u.parent_code, f.name_fold" FAC_ALL_FROM " WHERE" FAC_ALL_PUBLIC
	    FAC_ORDER,
};
static struct db_set	 fac_set = DB_SET("products/facilities", fac_sql);

/* A facility as the list and its page show it. */
#define FAC_ROW(X) \
	X(id, J_INT) X(name, J_STR) X(kind, J_STR) X(commune_code, J_STR) \
	X(commune_name, J_STR) X(district_code, J_STR) \
	X(district_name, J_STR) X(sample, J_BOOL) X(awards, J_INT) \
	X(support_vnd, J_INT)
struct fac_row { FAC_ROW(ROWS_MEMBER) };
#define FAC_RJCOL(m, t)	JCOL(#m, fac_row, m, t),
static const struct jcol fac_read[] = { FAC_ROW(FAC_RJCOL) };
#define FAC_JSON(X) \
	X("id", id, J_INT) X("name", name, J_STR) X("kind", kind, J_STR) \
	X("commune", commune_code, J_OBJ) \
	X("commune.code", commune_code, J_STR) \
	X("commune.name", commune_name, J_STR) \
	X("district", district_code, J_OBJ) \
	X("district.code", district_code, J_STR) \
	X("district.name", district_name, J_STR) X("sample", sample, J_BOOL)
#define FAC_JCOL(path, m, t)	JCOL(path, fac_row, m, t),
static const struct jcol fac_json[] = { FAC_JSON(FAC_JCOL)
	JCOL("awards", fac_row, awards, J_INT),
	JCOL("support_vnd", fac_row, support_vnd, J_INT) };

/* An award of the facility, live or revoked (migration 067): the columns
 * of S_FAC_AWARDS, in its JSON's order. */
#define FAWARD_ROW(X) \
	X("code", code, J_STR) X("status", status, J_STR) \
	X("product.id", product_id, J_INT) \
	X("product.name", product_name, J_STR) X("year", year, J_INT) \
	X("level", level, J_STR) X("decision_no", decision_no, J_STR) \
	X("decision_date", decision_date, J_STR) \
	X("revoked_at", revoked_at, J_STR) X("reason", reason, J_STR)
#define FAWARD_MEMBER(path, m, t)	ROWS_MEMBER(m, t)
struct faward_row { FAWARD_ROW(FAWARD_MEMBER) };
#define FAWARD_JCOL(path, m, t)	JCOL(path, faward_row, m, t),
static const struct jcol faward_json[] = { FAWARD_ROW(FAWARD_JCOL) };

/* A payment to the facility in a published plan. */
#define FSUPPORT_ROW(X) \
	X(year, J_INT) X(content_code, J_STR) X(activity, J_STR) \
	X(amount_vnd, J_INT) X(date, J_STR)
struct fsupport_row { FSUPPORT_ROW(ROWS_MEMBER) };
#define FSUPPORT_JCOL(m, t)	JCOL(#m, fsupport_row, m, t),
static const struct jcol fsupport_json[] = { FSUPPORT_ROW(FSUPPORT_JCOL) };

/* Its applications: how many to a call with an outcome (S_FAC_APPS). */
#define FAPP_ROW(X) \
	X("call.id", call_id, J_INT) X("call.year", call_year, J_INT) \
	X("call.title", call_title, J_STR) X("status", status, J_STR) \
	X("count", count, J_INT)
#define FAPP_MEMBER(path, m, t)	ROWS_MEMBER(m, t)
#define FAPP_JCOL(path, m, t)	JCOL(path, fapp_row, m, t),
struct fapp_row { FAPP_ROW(FAPP_MEMBER) };
static const struct jcol fapp_read[] = { FAPP_ROW(FAPP_JCOL) };

/* A list's filter: the name's words (and as one pattern), the district. */
struct fac_filter {
	const char	*words[SEARCH_WORDS];	/* search_words(): last ends '%' */
	size_t		 nwords;
	const char	*pattern;	/* NULL: any name */
	const char	*district;	/* NULL: anywhere */
	long long	 limit, offset;
};

/*
 * The list in memory (each worker): every public facility in the list's
 * order with its unit and the words of its folded name, built from
 * S_FAC_ALL again when catalogue_version moved (rows 1 and 2: migrations
 * 061 and 068, moved by triggers in the same transaction as every change
 * the list shows). It answers as S_FAC_LIST and S_FAC_COUNT do: each word
 * of q but the last is a word of name_fold (a run of letters, marks and
 * digits: the REGEXP's look-arounds), the last begins one; both in lower
 * case (name_fold's collation is case-insensitive). KC_PRODUCTS_SQL=1
 * answers from the statements instead: the tests' oracle.
 */
struct fmem_word {
	const char	*s;
	size_t		 len;
};
struct fmem_fac {
	struct fac_row	 row;
	const char	*ucode, *uparent;	/* its unit's code and parent */
	size_t		 w, nw;		/* its words: fmem.words[w .. w + nw) */
};
static struct {
	struct arena		*a;	/* rows, words, version */
	struct fmem_fac		*f;
	size_t			 n;
	struct fmem_word	*words;
	unsigned long long	 version[2];	/* catalogue_versions() */
	int			 built;
} fmem;

/* s (len bytes) in lower case, into a; its length in *out. */
static const char *
fmem_lower(struct arena *a, const char *s, size_t len, size_t *out)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	const utf8proc_uint8_t	*end = p + len;
	utf8proc_uint8_t	*o = arena_alloc(a, len * 4 + 1), *start = o;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;

	while (p < end) {
		if ((n = utf8proc_iterate(p, end - p, &cp)) <= 0) {
			*o++ = *p++;
			continue;
		}
		o += utf8proc_encode_char(utf8proc_tolower(cp), o);
		p += n;
	}
	*out = (size_t)(o - start);
	return (const char *)start;
}

/* The words of a folded name, whole (text_word's runs, uncut), appended
 * to *words (*cap): how many. */
static size_t
fmem_words(struct arena *a, const char *name, struct fmem_word **words,
    size_t *nw, size_t *cap)
{
	const char	*p = name, *start;
	size_t		 len, n = 0;

	while ((start = text_word(&p, &len)) != NULL) {
		if (*nw == *cap) {
			*cap = *cap ? *cap * 2 : 4096;
			if ((*words = realloc(*words, *cap * sizeof(**words)))
			    == NULL)
				abort();
		}
		(*words)[*nw].s = fmem_lower(a, start, (size_t)(p - start),
		    &(*words)[*nw].len);
		(*nw)++;
		n++;
	}
	return n;
}

/* Build the list in memory at versions v, on the build's connection
 * (db_builder(): its longer timeout): 0, or a DB_E* code. */
static int
fmem_build(struct req *r, const unsigned long long v[2])
{
	struct db	*db = db_builder(r->db);
	struct arena	*a;
	struct db_res	*q;
	struct fmem_fac	*f;
	struct fmem_word *words = NULL;
	struct timespec	 t0, t1;
	size_t		 i, nw = 0, cap = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((a = arena_new()) == NULL)
		abort();
	if ((q = db_squery(db, a, &fac_set, S_FAC_ALL, NULL, 0)) == NULL) {
		arena_free(a);
		return db_last_error(db);
	}
	f = calloc(q->rows + 1, sizeof(*f));
	if (f == NULL)
		abort();
	for (i = 0; db_next(q); i++) {
		rows_read(q, &f[i].row, fac_read, NELEM(fac_read));
		f[i].ucode = db_str(q, 10);
		f[i].uparent = db_str(q, 11);
		f[i].w = nw;
		f[i].nw = fmem_words(a, db_str(q, 12), &words, &nw, &cap);
	}
	if (fmem.a != NULL)
		arena_free(fmem.a);
	free(fmem.f);
	free(fmem.words);
	fmem.a = a;
	fmem.f = f;
	fmem.n = i;
	fmem.words = words;
	fmem.version[0] = v[0];
	fmem.version[1] = v[1];
	fmem.built = 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("kc-products: facility list of %zu built in %.0f ms", i,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}

/* The list in memory, current: 0, or a DB_E* code. The version is read
 * before the rows: a change between them builds again next time. */
static int
fmem_current(struct req *r)
{
	unsigned long long	 v[2];
	int			 rc;

	if ((rc = catalogue_versions(r->db, r->a, v)) != 0)
		return rc;
	if (fmem.built && fmem.version[0] == v[0] && fmem.version[1] == v[1])
		return 0;
	return fmem_build(r, v);
}

/* Whether facility f's name has word w (len bytes; prefix: begins one). */
static int
fmem_has(const struct fmem_fac *f, const char *w, size_t len, int prefix)
{
	const struct fmem_word	*x = fmem.words + f->w;
	size_t			 i;

	for (i = 0; i < f->nw; i++)
		if ((prefix ? x[i].len >= len : x[i].len == len) &&
		    memcmp(x[i].s, w, len) == 0)
			return 1;
	return 0;
}

/* Whether f is in filter's words (lower, len) and district. */
static int
fmem_match(const struct fmem_fac *f, const struct fac_filter *flt,
    const char **lower, const size_t *len)
{
	const char	*d = flt->district;
	size_t		 i;

	if (d != NULL && !(f->ucode != NULL && strcmp(f->ucode, d) == 0) &&
	    !(f->uparent != NULL && strcmp(f->uparent, d) == 0))
		return 0;
	for (i = 0; i < flt->nwords; i++)
		if (!fmem_has(f, lower[i], len[i], i + 1 == flt->nwords))
			return 0;
	return 1;
}

/* A page of public facilities from memory, as q_fac_list answers. */
static int
q_fac_list_mem(struct req *r, const struct fac_filter *flt,
    struct fac_row **out, long long *total)
{
	const char	*lower[SEARCH_WORDS];
	size_t		 len[SEARCH_WORDS], i, wl;
	long long	 seen = 0;
	int		 n = 0, rc;

	if ((rc = fmem_current(r)) < 0)
		return rc;
	for (i = 0; i < flt->nwords; i++) {
		wl = strlen(flt->words[i]);
		if (i + 1 == flt->nwords && wl > 0 &&
		    flt->words[i][wl - 1] == '%')
			wl--;
		lower[i] = fmem_lower(r->a, flt->words[i], wl, &len[i]);
	}
	*out = arena_alloc(r->a, ((size_t)flt->limit + 1) * sizeof(**out));
	for (i = 0; i < fmem.n; i++) {
		if (!fmem_match(&fmem.f[i], flt, lower, len))
			continue;
		if (seen >= flt->offset && n < flt->limit)
			(*out)[n++] = fmem.f[i].row;
		seen++;
	}
	*total = seen;
	return n;
}

/*
 * The folded words of q as one REGEXP on name_fold: each word must be a
 * word of the name, the last its beginning (as the product search). A
 * word is made of letters, marks and digits only (text_word), so it needs
 * no escaping. NULL when q has no word.
 */
static const char *
fac_pattern(struct arena *a, const char *const *words, size_t n)
{
	const char	*p = "^";
	size_t		 i, len;

#define NOTW	"[\\p{L}\\p{M}\\p{N}]"
	for (i = 0; i < n; i++) {
		len = strlen(words[i]);
		if (i + 1 == n && len > 0 && words[i][len - 1] == '%')
			len--;
		p = arena_printf(a, "%s(?=.*(?<!" NOTW ")%.*s%s)", p, (int)len,
		    words[i], i + 1 == n ? "" : "(?!" NOTW ")");
	}
#undef NOTW
	return n > 0 ? p : NULL;
}

/* A page of public facilities: how many rows into *out, or a DB_E* code;
 * the matches in *total. */
static int
q_fac_list(struct req *r, const struct fac_filter *f, struct fac_row **out,
    long long *total)
{
	struct db_param	 p[7] = { DB_STR(f->district), DB_STR(f->district),
	    DB_STR(f->district), DB_STR(f->pattern), DB_STR(f->pattern),
	    DB_INT(f->limit), DB_INT(f->offset) };
	struct db_res	*q;
	int		 n;

	if ((n = rows_fetch(r->db, r->a, &fac_set, S_FAC_LIST, p, 7, fac_read,
	    NELEM(fac_read), sizeof(**out), (void **)out)) < 0)
		return n;
	if ((q = db_squery(r->db, r->a, &fac_set, S_FAC_COUNT, p, 5)) == NULL)
		return db_last_error(r->db);
	*total = db_next(q) ? db_int(q, 0) : 0;
	return n;
}

/* One facility: 1 found, 0 not, or a DB_E* code; *merged_into its kept
 * facility (0: none), *public whether it has a public record. */
static int
q_fac_get(struct req *r, long long id, struct fac_row *out,
    long long *merged_into, int *public)
{
	struct db_res	*q;

	q = db_squery(r->db, r->a, &fac_set, S_FAC_GET, DB_ARGS(DB_INT(id)));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q))
		return 0;
	rows_read(q, out, fac_read, 8);
	*merged_into = db_isnull(q, 8) ? 0 : db_int(q, 8);
	*public = db_int(q, 9) != 0;
	return 1;
}

/* The facility's awards, live and revoked, into o. */
static int
q_fac_awards(struct req *r, const struct db_param *p, json_object *o)
{
	struct faward_row	*aw;
	int			 n;

	if ((n = rows_fetch(r->db, r->a, &fac_set, S_FAC_AWARDS, p, 4,
	    faward_json, NELEM(faward_json), sizeof(*aw), (void **)&aw)) < 0)
		return n;
	json_object_object_add(o, "awards", rows_array(aw, sizeof(*aw),
	    (size_t)n, faward_json, NELEM(faward_json)));
	return 0;
}

/* Its payments in published plans and their sum into o. */
static int
q_fac_support(struct req *r, const struct db_param *p, json_object *o)
{
	struct fsupport_row	*s;
	long long		 sum = 0;
	int			 n, i;

	if ((n = rows_fetch(r->db, r->a, &fac_set, S_FAC_SUPPORT, p, 2,
	    fsupport_json, NELEM(fsupport_json), sizeof(*s),
	    (void **)&s)) < 0)
		return n;
	for (i = 0; i < n; i++)
		sum += s[i].amount_vnd;
	json_object_object_add(o, "support", rows_array(s, sizeof(*s),
	    (size_t)n, fsupport_json, NELEM(fsupport_json)));
	json_object_object_add(o, "support_vnd", json_object_new_int64(sum));
	return 0;
}

/* Its applications, counted by call and outcome, into o. */
static int
q_fac_apps(struct req *r, const struct db_param *p, json_object *o)
{
	struct fapp_row	*apps;
	int		 n;

	if ((n = rows_fetch(r->db, r->a, &fac_set, S_FAC_APPS, p, 2, fapp_read,
	    NELEM(fapp_read), sizeof(*apps), (void **)&apps)) < 0)
		return n;
	json_object_object_add(o, "applications", rows_array(apps,
	    sizeof(*apps), (size_t)n, fapp_read, NELEM(fapp_read)));
	return 0;
}

enum { F_Q, F_DISTRICT, F__MAX };
static const struct field list_fields[F__MAX] = {
	{ "q", F_STR, 0, 0, 100, NULL },
	{ "district", F_STR, 0, 1, 10, products_check_code },
};

/*
 * GET /api/facilities[.csv]?q=&district=&page=&per_page= → {"items":
 * [{"id","name","kind","commune","district","sample","awards",
 * "support_vnd"}],"total","page","per_page"}: the facilities with an
 * award or a payment of a published plan, by name. q: the name without
 * diacritics or with, every word required, the last as a beginning;
 * district: a unit's code, or a district's for its communes. The .csv
 * gives every match (up to 10 000). 422 bad filter, 503 database down.
 */
static int
h_facilities_list(struct req *r)
{
	struct value		 v[F__MAX];
	struct fac_filter	 f;
	struct fac_row		*rows;
	const char		*fold;
	long long		 page, per_page, total = 0;
	int			 n, rc;

	if ((rc = req_fields(r, list_fields, F__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	if (v[F_Q].set && (fold = text_fold(r->a, v[F_Q].s, v[F_Q].len)) !=
	    NULL) {
		f.nwords = search_words(r->a, fold, f.words);
		f.pattern = fac_pattern(r->a, f.words, f.nwords);
	}
	f.district = v[F_DISTRICT].set ? v[F_DISTRICT].s : NULL;
	f.limit = r->csv ? CSV_MAX_ROWS : per_page;
	f.offset = r->csv ? 0 : (page - 1) * per_page;
	if ((n = products_from_sql ? q_fac_list(r, &f, &rows, &total) :
	    q_fac_list_mem(r, &f, &rows, &total)) < 0)
		return resp_db_code(r, n);
	r->cache_seconds = 10;
	return resp_list(r, rows_array(rows, sizeof(*rows), (size_t)n,
	    fac_json, NELEM(fac_json)), total, page, per_page, "co-so",
	    datapkg_facilities.cols, datapkg_facilities.ncols);
}

/* One line of a facility's timeline CSV from an item of its answer. */
static json_object *
line(const char *kind, json_object *it, const char *title_key,
    const char *date_key)
{
	static const char *const keep[] = { "year", "level", "decision_no",
	    "code", "status", "amount_vnd", "count" };
	json_object	*o = json_object_new_object(), *v, *t;
	size_t		 i;

	json_object_object_add(o, "kind", json_object_new_string(kind));
	for (i = 0; i < NELEM(keep); i++)
		if (json_object_object_get_ex(it, keep[i], &v))
			json_object_object_add(o, keep[i], json_object_get(v));
	if (!json_object_object_get_ex(it, "year", &v) &&
	    json_object_object_get_ex(it, "call", &t) &&
	    json_object_object_get_ex(t, "year", &v))
		json_object_object_add(o, "year", json_object_get(v));
	if (json_object_object_get_ex(it, title_key, &t) &&
	    (json_object_is_type(t, json_type_object) ?
	    json_object_object_get_ex(t, strcmp(title_key, "call") == 0 ?
	    "title" : "name", &v) : (v = t, 1)))
		json_object_object_add(o, "title", json_object_get(v));
	if (date_key != NULL && json_object_object_get_ex(it, date_key, &v))
		json_object_object_add(o, "date", json_object_get(v));
	return o;
}

/* The timeline CSV's columns: an award (danh_hieu), a payment (ho_tro),
 * applications to a call with one outcome (ho_so). */
static const struct csv_col timeline_cols[] = {
	{ "loai", "kind" }, { "nam", "year" }, { "ngay", "date" },
	{ "noi_dung", "title" }, { "cap", "level" },
	{ "so_quyet_dinh", "decision_no" }, { "ma_xac_minh", "code" },
	{ "trang_thai", "status" }, { "so_tien_vnd", "amount_vnd" },
	{ "so_ho_so", "count" },
};

/* The facility's answer as its timeline CSV, one line per item. */
static int
timeline_csv(struct req *r, long long id, json_object *o)
{
	static const struct { const char *key, *kind, *title, *date; } parts[] = {
		{ "awards", "danh_hieu", "product", "decision_date" },
		{ "support", "ho_tro", "activity", "date" },
		{ "applications", "ho_so", "call", NULL },
	};
	json_object	*items = json_object_new_array(), *a;
	size_t		 i, k;
	int		 rc;

	for (k = 0; k < NELEM(parts); k++)
		if (json_object_object_get_ex(o, parts[k].key, &a))
			for (i = 0; i < json_object_array_length(a); i++)
				json_object_array_add(items, line(parts[k].kind,
				    json_object_array_get_idx(a, i),
				    parts[k].title, parts[k].date));
	rc = resp_csv(r, arena_printf(r->a, "co-so-%lld", id), items,
	    timeline_cols, NELEM(timeline_cols));
	json_object_put(o);
	return rc;
}

/* The facility id, or one that was merged into another: the kept one
 * (*kept) after at most 8 merges. 1 public, 0 not found, -1 DB error. */
static int
fac_find(struct req *r, long long id, struct fac_row *f, long long *kept)
{
	long long	 into = 0;
	int		 pub = 0, rc, hops;

	*kept = 0;
	for (hops = 0; hops < 8; hops++) {
		if ((rc = q_fac_get(r, id, f, &into, &pub)) <= 0)
			return rc < 0 ? -1 : 0;
		if (into == 0)
			return pub;
		*kept = id = into;
	}
	return 0;
}

/*
 * GET /api/facilities/{id}[.csv] → {"id","name","kind","commune",
 * "district","sample","awards":[{"code","status","product":{"id","name"},
 * "year","level","decision_no","decision_date","revoked_at","reason"}],
 * "support":[{"year","content_code","activity","amount_vnd","date"}],
 * "support_vnd","applications":[{"call":{"id","year","title"},"status",
 * "count"}],"data_as_of"}. A facility merged into another: 301 to it.
 * 404 unknown, malformed, or without a public record; 503.
 */
static int
h_facilities_get(struct req *r)
{
	struct fac_row	 f;
	const char	*s = r->param[0];
	char		*end, asof[CLOCK_ISO_VN_LEN];
	json_object	*o;
	long long	 id, kept;
	struct db_param	 p[4];
	int		 rc;

	id = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || id <= 0 || strlen(s) > 18 ||
	    (rc = fac_find(r, id, &f, &kept)) == 0)
		return resp_fail(r, E_NOT_FOUND, "Không có cơ sở này.");
	if (rc < 0)
		return resp_db(r);
	if (kept != 0) {
		resp_add_header(r, "Location", arena_printf(r->a,
		    "/api/facilities/%lld%s", kept, r->csv ? ".csv" : ""));
		o = json_object_new_object();
		json_object_object_add(o, "moved_to", json_object_new_int64(kept));
		return resp_json(r, 301, o);
	}
	o = rows_object(&f, fac_json, NELEM(fac_json) - 2);
	p[0] = p[1] = p[2] = p[3] = DB_INT(id);
	if (q_fac_awards(r, p, o) < 0 || q_fac_support(r, p, o) < 0 ||
	    q_fac_apps(r, p, o) < 0) {
		json_object_put(o);
		return resp_db(r);
	}
	clock_vn_iso(clock_now(), asof);
	json_object_object_add(o, "data_as_of", json_object_new_string(asof));
	r->cache_seconds = 10;
	if (r->csv)
		return timeline_csv(r, id, o);
	return resp_json(r, 200, o);
}

const struct route products_facilities_routes[] = {
	{ M_GET, "/api/facilities", h_facilities_list, R_CSV, 0, 0 },
	{ M_GET, "/api/facilities/{}", h_facilities_get, R_CSV, 0, 0 },
	ROUTES_END
};
