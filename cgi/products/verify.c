/*
 * kc-products, the award verification resource (issue 21, migration
 * 067): each award's code, its public page, its QR label, and the list of
 * every award with its code (open data). A code is read as typed (vcode.h:
 * any case, O as 0, I and L as 1, hyphens ignored). nginx limits the
 * lookups by code per address as it limits the other public forms.
 *
 *   GET /api/awards[.csv]?year=&page=&per_page=
 *   GET /api/awards/{code}		one award: valid, or revoked
 *   GET /api/awards/{code}/qr.png	its label: QR of the page's address
 *   GET /api/awards/{code}/qr.svg	and the code under it
 *   GET /xac-minh/{code}, /xac-minh?code=	the page (HTML)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "clock.h"
#include "conf.h"
#include "datapkg.h"
#include "db.h"
#include "qr.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "values.h"
#include "vcode.h"

#include "products.h"

#define CSV_MAX_ROWS	100000

/* A live award, then a revoked one, in the same columns. */
#define LIVE_COLS \
	"SELECT a.verify_code, 'valid', a.year, a.level, a.decision_no," \
	" a.decision_date, p.id, p.name, f.id, f.name, NULL, NULL, NULL" \
	" FROM award a JOIN product p ON p.id = a.product_id" \
	" JOIN facility f ON f.id = p.facility_id"
#define REVOKED_COLS \
	"SELECT r.code, 'revoked', r.year, r.level, r.decision_no," \
	" r.decision_date, r.product_id, r.product_name, r.facility_id," \
	" r.facility_name, " SQL_ISO("r.revoked_at") ", " \
	CLOCK_VN_DAY("r.revoked_at") ", r.reason FROM award_revoked r"

enum verify_stmt { S_V_GET, S_V_LIST, S_V_COUNT, S_V__MAX };
static const char *const verify_sql[S_V__MAX] = {
	[S_V_GET] = LIVE_COLS " WHERE a.verify_code = ? UNION ALL "
	    REVOKED_COLS " WHERE r.code = ?",
	[S_V_LIST] = LIVE_COLS " WHERE (? IS NULL OR a.year = ?) UNION ALL "
	    REVOKED_COLS " WHERE (? IS NULL OR r.year = ?)"
	    " ORDER BY 3 DESC, 1 LIMIT ? OFFSET ?",
	[S_V_COUNT] = "SELECT (SELECT COUNT(*) FROM award a WHERE ? IS NULL"
	    " OR a.year = ?) + (SELECT COUNT(*) FROM award_revoked r WHERE"
	    " ? IS NULL OR r.year = ?)",
};
static struct db_set	 verify_set = DB_SET("products/verify", verify_sql);

/* An award: S_V_GET's and S_V_LIST's columns, in its JSON's order. */
#define VAWARD_ROW(X) \
	X("code", code, J_STR) X("status", status, J_STR) \
	X("year", year, J_INT) X("level", level, J_STR) \
	X("decision_no", decision_no, J_STR) \
	X("decision_date", decision_date, J_STR) \
	X("product.id", product_id, J_ID) \
	X("product.name", product_name, J_STR) \
	X("facility.id", facility_id, J_ID) \
	X("facility.name", facility_name, J_STR) \
	X("revoked_at", revoked_at, J_STR) X("revoked_on", revoked_on, J_STR) \
	X("reason", reason, J_STR)
#define VAWARD_MEMBER(path, m, t)	ROWS_MEMBER(m, t)
struct vaward_row {
	VAWARD_ROW(VAWARD_MEMBER)
	const char	*url;	/* the page's address (KC_PUBLIC_URL) */
};
#define VAWARD_JCOL(path, m, t)	JCOL(path, vaward_row, m, t),
/* The award's JSON: the statements' columns (VAWARD_READ), then url. */
static const struct jcol vaward_json[] = {
	VAWARD_ROW(VAWARD_JCOL)
	JCOL("url", vaward_row, url, J_STR),
};
#define VAWARD_READ	vaward_json, (NELEM(vaward_json) - 1)

/* The page of a code under the site's public address. */
static const char *
verify_url(struct arena *a, const char *code)
{
	const char	*base = conf_get("KC_PUBLIC_URL", "http://localhost:8080");
	size_t		 n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(a, "%.*s/xac-minh/%s", (int)n, base, code);
}

/* The award of a stored code: 1 found, 0 not, or a DB_E* code. */
static int
q_award_by_code(struct req *r, const char *code, struct vaward_row *out)
{
	int	 rc;

	if ((rc = rows_get(r->db, r->a, &verify_set, S_V_GET,
	    DB_ARGS(DB_STR(code), DB_STR(code)), VAWARD_READ, out)) > 0)
		out->url = verify_url(r->a, out->code);
	return rc;
}

/* A page of every award with its code: the rows, or a DB_E* code. */
static int
q_awards_list(struct req *r, long long year, long long limit,
    long long offset, struct vaward_row **out, long long *total)
{
	struct db_param	 p[6] = { year > 0 ? DB_INT(year) : DB_NULL,
	    year > 0 ? DB_INT(year) : DB_NULL, year > 0 ? DB_INT(year) :
	    DB_NULL, year > 0 ? DB_INT(year) : DB_NULL, DB_INT(limit),
	    DB_INT(offset) };
	int		 n, i, rc;

	if ((n = rows_fetch(r->db, r->a, &verify_set, S_V_LIST, p, 6,
	    VAWARD_READ, sizeof(**out), (void **)out)) < 0)
		return n;
	for (i = 0; i < n; i++)
		(*out)[i].url = verify_url(r->a, (*out)[i].code);
	if ((rc = rows_count(r->db, r->a, &verify_set, S_V_COUNT, p, 4,
	    total)) < 0)
		return rc;
	return n;
}

#define NOT_FOUND_MSG \
	"Không tìm thấy danh hiệu nào có mã xác minh này. Hãy kiểm tra lại" \
	" mã in trên nhãn (8 ký tự, ví dụ 7K3M-9QTZ); nếu mã đúng mà vẫn" \
	" không thấy, danh hiệu đó không có trong danh sách của tỉnh."

/*
 * The award of the code typed in s, written into *out: 0, or the status
 * of the error answer written (404 malformed or unknown, 503).
 */
static int
award_or_reply(struct req *r, const char *s, struct vaward_row *out)
{
	char	 code[VCODE_LEN + 1];

	if (vcode_norm(s, strlen(s), code) != 0)
		return resp_fail(r, E_NOT_FOUND, NOT_FOUND_MSG);
	return resp_found(r, q_award_by_code(r, code, out), NOT_FOUND_MSG);
}

enum { F_YEAR, F__MAX };
static const struct field list_fields[F__MAX] = {
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
};

/*
 * GET /api/awards[.csv]?year=&page=&per_page= → {"items":[award...],
 * "total","page","per_page"}: every award with its verification code,
 * the revoked ones too, latest year first. 422 bad year, 503.
 */
static int
h_awards_list(struct req *r)
{
	struct value		 v[F__MAX];
	struct vaward_row	*rows;
	long long		 page, per_page, total = 0;
	int			 n, rc;

	if ((rc = req_fields(r, list_fields, F__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if ((n = q_awards_list(r, v[F_YEAR].set ? v[F_YEAR].i : 0,
	    r->csv ? CSV_MAX_ROWS : per_page, r->csv ? 0 : (page - 1) *
	    per_page, &rows, &total)) < 0)
		return resp_db(r);
	r->cache_seconds = 10;
	return resp_list(r, rows_array(rows, sizeof(*rows), (size_t)n,
	    vaward_json, NELEM(vaward_json)), total, page, per_page,
	    "danh-hieu-ma-xac-minh", datapkg_awards.cols, datapkg_awards.ncols);
}

/*
 * GET /api/awards/{code} → {"code","status":"valid"|"revoked","year",
 * "level","decision_no","decision_date","product":{"id","name"},
 * "facility":{"id","name"},"revoked_at","revoked_on","reason","url"}.
 * 404 with a Vietnamese message for a code that is not one or unknown.
 */
static int
h_awards_get(struct req *r)
{
	struct vaward_row	 a;
	int			 rc;

	if ((rc = award_or_reply(r, r->param[0], &a)) != 0)
		return rc;
	r->cache_seconds = 10;
	return resp_json(r, 200, rows_object(&a, vaward_json,
	    NELEM(vaward_json)));
}

/* GET /api/awards/{code}/qr.png|svg: the label to print, as a download. */
static int
qr_reply(struct req *r, int svg)
{
	struct vaward_row	 a;
	char			 caption[VCODE_LEN + 2];
	const char		*data;
	size_t			 len = 0;
	int			 rc;

	if ((rc = award_or_reply(r, r->param[0], &a)) != 0)
		return rc;
	vcode_print(a.code, caption);
	data = svg ? qr_svg(r->a, a.url, caption) :
	    (const char *)qr_png(r->a, a.url, caption, &len);
	if (data == NULL)
		return resp_fail(r, E_INTERNAL, "Không tạo được mã QR.");
	resp_add_header(r, "Content-Disposition", arena_printf(r->a,
	    "attachment; filename=\"xac-minh-%s.%s\"", a.code,
	    svg ? "svg" : "png"));
	r->cache_seconds = 60;
	return resp_bytes(r, 200, svg ? "image/svg+xml" : "image/png", data,
	    svg ? strlen(data) : len);
}

static int
h_awards_qr_png(struct req *r)
{
	return qr_reply(r, 0);
}

static int
h_awards_qr_svg(struct req *r)
{
	return qr_reply(r, 1);
}

/* A date YYYY-MM-DD as 27/11/2026 (NULL or other text as is). */
static const char *
vn_date(struct arena *a, const char *s)
{
	if (s == NULL || strlen(s) != 10)
		return s != NULL ? s : "—";
	return arena_printf(a, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
}

/* A level's Vietnamese name (values.h). */
static const char *
level_label(const char *code)
{
#define LEVEL_LABEL(id, c, label) \
	if (strcmp(code, c) == 0) \
		return label;
	AWARD_LEVELS(LEVEL_LABEL)
#undef LEVEL_LABEL
	return code;
}

/* The facts of an award as the page's list: label, value (escaped). */
static const char *
facts_html(struct req *r, const struct vaward_row *a)
{
	char		 printed[VCODE_LEN + 2];

	vcode_print(a->code, printed);
	return arena_printf(r->a, "<dl class=\"facts\">"
	    "<dt>Mã xác minh</dt><dd><code>%s</code></dd>"
	    "<dt>Sản phẩm</dt><dd><a href=\"/products.html?id=%lld\">%s</a></dd>"
	    "<dt>Cơ sở</dt><dd><a href=\"/co-so.html?id=%lld\">%s</a></dd>"
	    "<dt>Cấp công nhận</dt><dd>%s</dd><dt>Năm</dt><dd>%lld</dd>"
	    "<dt>Quyết định</dt><dd>%s, ngày %s</dd></dl>", printed,
	    a->product_id, resp_html_escape(r->a, a->product_name),
	    a->facility_id, resp_html_escape(r->a, a->facility_name),
	    resp_html_escape(r->a, level_label(a->level)), a->year,
	    resp_html_escape(r->a, a->decision_no != NULL ? a->decision_no :
	    "không ghi số"), vn_date(r->a, a->decision_date));
}

/* The 404 page: the message and the form to type the code again. */
static int
page_not_found(struct req *r, int status, const char *message,
    json_object *fields)
{
	(void)fields;
	return resp_html(r, status, "Không tìm thấy mã xác minh", NULL,
	    arena_printf(r->a, "<p class=\"error-box\" role=\"alert\">%s</p>"
	    "<form action=\"/xac-minh\" method=\"get\"><label for=\"code\">"
	    "Mã xác minh</label> <input id=\"code\" name=\"code\""
	    " maxlength=\"20\" autocomplete=\"off\"> <button>Kiểm tra</button>"
	    "</form>", resp_html_escape(r->a, message)));
}

/*
 * GET /xac-minh/{code}, GET /xac-minh?code= → the award's page (HTML):
 * «Danh hiệu hợp lệ» with its facts and its label to download, or
 * «Danh hiệu đã bị thu hồi» with the date and the reason; 404 page.
 */
static int
h_verify_page(struct req *r)
{
	static const struct field f[] = {
		{ "code", F_STR, 0, 0, 40, NULL },
	};
	struct value		 v[1];
	struct vaward_row	 a;
	const char		*s, *body;
	int			 rc;

	r->html_error = page_not_found;
	if (r->nparam == 0 && (rc = req_fields(r, f, 1, v)) != 0)
		return rc;
	s = r->nparam > 0 ? r->param[0] : v[0].set ? v[0].s : "";
	if ((rc = award_or_reply(r, s, &a)) != 0)
		return rc;
	if (strcmp(a.status, "valid") == 0)
		body = arena_printf(r->a, "<p class=\"verify valid\""
		    " role=\"status\"><strong>Danh hiệu hợp lệ.</strong> Sản phẩm"
		    " có trong danh sách sản phẩm CNNT tiêu biểu của tỉnh.</p>%s"
		    "<p>Nhãn mã QR để in: <a href=\"/api/awards/%s/qr.png\""
		    " download>PNG</a> · <a href=\"/api/awards/%s/qr.svg\""
		    " download>SVG</a></p>", facts_html(r, &a), a.code, a.code);
	else
		body = arena_printf(r->a, "<p class=\"verify revoked\""
		    " role=\"status\"><strong>Danh hiệu đã bị thu hồi</strong>"
		    " ngày %s. Lý do: %s</p>%s", vn_date(r->a, a.revoked_on),
		    resp_html_escape(r->a, a.reason), facts_html(r, &a));
	return resp_html(r, 200, strcmp(a.status, "valid") == 0 ?
	    "Xác minh danh hiệu: hợp lệ" : "Xác minh danh hiệu: đã thu hồi",
	    NULL, body);
}

const struct route products_verify_routes[] = {
	{ M_GET, "/api/awards", h_awards_list, R_CSV, 0, 0 },
	{ M_GET, "/api/awards/{}", h_awards_get, 0, 0, 0 },
	{ M_GET, "/api/awards/{}/qr.png", h_awards_qr_png, 0, 0, 0 },
	{ M_GET, "/api/awards/{}/qr.svg", h_awards_qr_svg, 0, 0, 0 },
	{ M_GET, "/xac-minh", h_verify_page, 0, 0, 0 },
	{ M_GET, "/xac-minh/{}", h_verify_page, 0, 0, 0 },
	ROUTES_END
};
