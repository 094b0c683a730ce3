/*
 * beneficiaries: who received support in a plan year, in order of payment.
 *
 *	GET /api/beneficiaries[.csv]?year=&district=&q=&page=&per_page=
 */
#include <json-c/json.h>

#include "arena.h"
#include "datapkg.h"
#include "db.h"
#include "req.h"
#include "resp.h"

#include "dashboard.h"

/* Who received money in a plan year: district (or unit) code, then a
 * text matching the beneficiary or the activity (accents ignored). */
#define BENEF_WHERE \
	" FROM disbursement d JOIN activity a ON a.id = d.activity_id" \
	" JOIN plan_content c ON c.year = a.year AND c.code = a.content_code" \
	" LEFT JOIN facility f ON f.id = d.facility_id" \
	" LEFT JOIN admin_unit u ON u.id = d.unit_id" \
	" LEFT JOIN admin_unit pu ON a.year <= 2025 AND u.level = 'commune'" \
	"  AND pu.level = 'district' AND pu.code = u.parent_code" \
	" WHERE a.year = ?" \
	" AND (d.facility_id IS NOT NULL OR d.beneficiary IS NOT NULL)" \
	" AND (? IS NULL OR COALESCE(pu.code, u.code) = ?)" \
	" AND (? IS NULL OR COALESCE(f.name, d.beneficiary) LIKE ?" \
	"  OR a.title LIKE ?)"

enum benef_stmt { S_BENEF, S_BENEF_COUNT, S_BENEF__MAX };

static const char *const benef_sql[] = {
	[S_BENEF] =
	    "SELECT d.id, f.id, COALESCE(f.name, d.beneficiary),"
	    " COALESCE(pu.code, u.code), COALESCE(pu.name, u.name),"
	    " a.title, c.code, d.amount_vnd, d.paid_on, d.voucher_no, d.sample"
	    BENEF_WHERE
	    " ORDER BY d.paid_on, d.id LIMIT ? OFFSET ?",
	[S_BENEF_COUNT] = "SELECT COUNT(*)" BENEF_WHERE,
};

static struct db_set benef_set = DB_SET("dashboard/beneficiaries",
    benef_sql);

/* Which beneficiaries: a plan year, a unit code and a LIKE pattern (NULL:
 * any), and the page. */
struct benef_filter {
	long long	 year;
	const char	*district;
	size_t		 district_len;
	const char	*pattern;
	long long	 limit;
	long long	 offset;
};

/* A payment to a beneficiary (facility_id 0: not a registered facility):
 * S_BENEF's columns, in the list's order (its CSV: datapkg_benef). */
#define BENEF_ROW(X) \
	X("id", id, J_INT) X("facility.id", facility_id, J_ID) \
	X("facility.name", facility, J_STR) \
	X("district.code", district_code, J_STR) \
	X("district.name", district, J_STR) X("activity", activity, J_STR) \
	X("content_code", content_code, J_STR) \
	X("amount_vnd", amount_vnd, J_INT) X("date", date, J_STR) \
	X("voucher_no", voucher_no, J_STR) X("sample", sample, J_BOOL)
#define BENEF_MEMBER(path, m, t)	ROWS_MEMBER(m, t)
#define BENEF_JCOL(path, m, t)		JCOL(path, benef_row, m, t),
struct benef_row { BENEF_ROW(BENEF_MEMBER) };
static const struct jcol benef_json[] = { BENEF_ROW(BENEF_JCOL) };

/* The parameters of BENEF_WHERE for filter f, as the six of a list. */
#define BENEF_ARGS(f, dist, pat) \
	DB_INT((f)->year), (dist), (dist), (pat), (pat), (pat)

/*
 * The number of beneficiaries f matches into *total, and their rows of
 * f's page into *out (arena). <0 a DB_E* code, else the number of rows.
 */
static int
q_benef_list(struct req *r, const struct benef_filter *f, long long *total,
    struct benef_row **out)
{
	struct db_res	*q;
	struct db_param	 dist, pat;
	void		*rows;
	int		 n;

	*total = 0;
	*out = NULL;
	dist = f->district != NULL ? DB_STRN(f->district, f->district_len) :
	    DB_NULL;
	pat = DB_STR(f->pattern);
	q = db_squery(r->db, r->a, &benef_set, S_BENEF_COUNT,
	    DB_ARGS(BENEF_ARGS(f, dist, pat)));
	if (q == NULL || !db_next(q))
		return q == NULL ? db_last_error(r->db) : DB_EFAIL;
	*total = db_int(q, 0);
	n = rows_fetch(r->db, r->a, &benef_set, S_BENEF,
	    DB_ARGS(BENEF_ARGS(f, dist, pat), DB_INT(f->limit),
	    DB_INT(f->offset)), benef_json, NELEM(benef_json), sizeof(**out),
	    &rows);
	*out = rows;
	return n;
}

static const struct field benef_fields[] = {
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "district", F_STR, 0, 1, 10, NULL },
	{ "q", F_STR, 0, 0, 100, NULL },
};

/* "%text%" for LIKE, with the wildcards of text escaped. */
static char *
like_pattern(struct arena *a, const char *s, size_t n)
{
	char	*o = arena_alloc(a, 2 * n + 3);
	size_t	 i, k = 0;

	o[k++] = '%';
	for (i = 0; i < n; i++) {
		if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
			o[k++] = '\\';
		o[k++] = s[i];
	}
	o[k++] = '%';
	o[k] = '\0';
	return o;
}

/*
 * GET /api/beneficiaries[.csv]?year=&district=&q=&page=&per_page= → who
 * received support in a plan year (the latest plan's when year is
 * absent, as for the dashboard), in order of payment:
 * {"items":[{id,facility:{id,name},district:{code,name},activity,
 * content_code,amount_vnd,date,voucher_no,sample}],total,page,per_page}.
 * district: a unit code (the district for years up to 2025); q: part of
 * the beneficiary's or the activity's name, accents ignored. The CSV
 * holds every matching row. 404 unknown year, 422 bad input, 503.
 */
static int
h_beneficiaries_list(struct req *r)
{
	struct value		 v[3];
	struct benef_filter	 f = { 0 };
	struct benef_row	*b;
	struct plan_row		 plan;
	long long		 page, per_page, total;
	int			 rc;

	if ((rc = req_fields(r, benef_fields, 3, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if (v[0].set)
		f.year = v[0].i;
	else if ((rc = plans_latest(r, &f.year)) != 0)
		return rc;
	if ((rc = plans_get(r, f.year, &plan)) != 0)
		return rc;
	if (v[1].set && v[1].len > 0) {
		f.district = v[1].s;
		f.district_len = v[1].len;
	}
	if (v[2].set && v[2].len > 0)
		f.pattern = like_pattern(r->a, v[2].s, v[2].len);
	f.limit = r->csv ? 1000000 : per_page;
	f.offset = r->csv ? 0 : (page - 1) * per_page;
	if ((rc = q_benef_list(r, &f, &total, &b)) < 0)
		return resp_db(r);
	r->cache_seconds = PUBLIC_CACHE;
	return resp_list(r, rows_array(b, sizeof(*b), (size_t)rc, benef_json,
	    NELEM(benef_json)), total, page, per_page,
	    arena_printf(r->a, "nguoi-thu-huong-%lld", f.year),
	    datapkg_benef.cols, datapkg_benef.ncols);
}

const struct route dashboard_benef_routes[] = {
	{ M_GET, "/api/beneficiaries", h_beneficiaries_list, R_CSV, 0, 0 },
	ROUTES_END
};
