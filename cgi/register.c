/*
 * kc-register: facilities apply for support (issue 4). The open and past
 * calls, one application form (JSON or a plain form post), and the status
 * of an application by its reference code and secret token.
 *
 * An application is one transaction: the facility (found again by its
 * identity key, else inserted), the application and its first event. Its
 * reference number comes from a sequence just before the transaction (a
 * failed application leaves a gap, never a duplicate). 201 is written
 * only after COMMIT succeeded, so an acknowledged application is never
 * lost. A call with a capacity takes applications until that many of
 * them are neither rejected nor withdrawn: the call's row is locked
 * (FOR UPDATE) at the start of the transaction and the places counted
 * under the lock, so two last-place applications cannot both pass.
 *
 * A plain form post (no JavaScript; Accept prefers text/html) is answered
 * with small server-written pages (resp_html, every value escaped): the
 * receipt with the codes (201), or the errors with their field labels
 * (422/409/404/503). POST .../status takes the token as a form field, so
 * that the status can be looked up without JavaScript and without the
 * token in a URL or a log.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "clock.h"
#include "db.h"
#include "facility.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "text.h"
#include "valid.h"

#define ISO(col)	"DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
/*
 * Now (clock_now(), bound as its first parameter) as now_.t: a call is
 * open from opens_at up to, not including, closes_at (UTC instants; a
 * call closing on 30/11 ends at 01/12 00:00 in Vietnam, 30/11 17:00Z).
 */
#define NOW_JOIN	" CROSS JOIN (SELECT CAST(? AS DATETIME) AS t) now_"
#define OPEN_NOW	"(opens_at <= now_.t AND closes_at > now_.t)"
#define CALL_WHERE \
	NOW_JOIN " WHERE (? IS NULL OR year = ?) AND (? IS NULL OR kind = ?)" \
	" AND (? IS NULL OR " OPEN_NOW " = ?)"

/* Places left: capacity less the live (not rejected or withdrawn) ones. */
#define LIVE		"status NOT IN ('rejected', 'withdrawn')"
#define REMAINING \
	"IF(capacity IS NULL, NULL, GREATEST(0, capacity - (SELECT COUNT(*)" \
	" FROM application a WHERE a.call_id = support_call.id AND a." LIVE \
	")))"
/* UTC time as the applicant reads it: Vietnam, UTC+7 all year. */
#define VN_TIME(col) \
	"DATE_FORMAT(" col " + " CLOCK_VN_SQL ", '%d/%m/%Y %H:%i')"

#define STATEMENTS(X) \
	X(S_CALLS, \
	    "SELECT id, year, kind, title, description, " ISO("opens_at") "," \
	    " " ISO("closes_at") ", capacity, max_support_vnd, activity_id," \
	    " sample, " OPEN_NOW ", " REMAINING ", " CLOCK_VN_DAY("opens_at") \
	    ", " CLOCK_VN_LAST_DAY("closes_at") " FROM support_call" CALL_WHERE \
	    " ORDER BY " OPEN_NOW " DESC, closes_at DESC, id DESC" \
	    " LIMIT ? OFFSET ?") \
	X(S_CALLS_COUNT, \
	    "SELECT COUNT(*) FROM support_call" CALL_WHERE) \
	X(S_CALL_GET, \
	    "SELECT id, year, max_support_vnd, " OPEN_NOW ", capacity, title" \
	    " FROM support_call" NOW_JOIN " WHERE id = ?") \
	/* In the application's transaction, for a call with a capacity. */ \
	X(S_CALL_LOCK, \
	    "SELECT capacity FROM support_call WHERE id = ? FOR UPDATE") \
	X(S_CALL_TAKEN, \
	    "SELECT COUNT(*) FROM application WHERE call_id = ? AND " LIVE) \
	/* The unit on a day (today in Vietnam, bound: clock_today_vn). */ \
	X(S_UNIT_TODAY, \
	    "SELECT id FROM admin_unit CROSS JOIN (SELECT CAST(? AS DATE) AS d)" \
	    " day_ WHERE code = ? AND level <> 'province'" \
	    " AND (valid_from IS NULL OR valid_from <= day_.d)" \
	    " AND (valid_to IS NULL OR valid_to >= day_.d)" \
	    " AND level = IF(day_.d >= '2025-07-01', 'commune'," \
	    " 'district')") \
	X(S_FACILITY_ADD, \
	    "INSERT IGNORE INTO facility (ident, name, name_fold, kind," \
	    " tax_code, owner_name, phone, email, address, unit_id)" \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	X(S_FACILITY_FIND, \
	    "SELECT id FROM facility WHERE ident = ? LOCK IN SHARE MODE") \
	X(S_FACILITY_BY_TAX, \
	    "SELECT id FROM facility WHERE tax_code = ? LOCK IN SHARE MODE") \
	/* Not transactional: taken before the application's transaction, \
	 * so no lock on a shared row is held until its COMMIT. */ \
	X(S_REF_NEXT, "SELECT NEXTVAL(application_ref_seq)") \
	X(S_APP_ADD, \
	    "INSERT INTO application (ref_code, call_id, facility_id," \
	    " facility_name, owner_name, phone, email, address, unit_id," \
	    " unit_code, requested_vnd, products, note, token_hash)" \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	X(S_EVENT_ADD, \
	    "INSERT INTO application_event (application_id, status)" \
	    " VALUES (LAST_INSERT_ID(), 'submitted')") \
	X(S_APP_BY_REF, \
	    "SELECT a.id, a.ref_code, a.status, a.token_hash, a.requested_vnd," \
	    " a.approved_vnd, " ISO("a.created_at") ", a.facility_name," \
	    " c.id, c.title, c.kind, " ISO("a.updated_at") ", " \
	    VN_TIME("a.created_at") \
	    " FROM application a JOIN support_call c ON c.id = a.call_id" \
	    " WHERE a.ref_code = ?") \
	X(S_EVENTS, \
	    "SELECT status, reason, amount_vnd, " ISO("at") ", " VN_TIME("at") \
	    " FROM application_event WHERE application_id = ?" \
	    " ORDER BY at, id")

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
enum stmt { STATEMENTS(AS_ENUM) S__MAX };
static const char *const sqls[] = { STATEMENTS(AS_TEXT) };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define TOKEN_BYTES	32
#define HASH_HEX	(2 * crypto_generichash_BYTES + 1)
#define TX_TRIES	4

static const char *const kinds[] = {
	"trade_fair", "brand_registration", "label_printing", "demo_model",
	"training",
};
static const char *const facility_kinds[] = {
	"household", "cooperative", "enterprise",
};

/* What the field checks of one application learnt from the database. */
struct apply_ctx {
	enum { CALL_UNSEEN, CALL_FOUND, CALL_UNKNOWN, CALL_DBERR } call;
	long long	 call_year;
	long long	 call_max;
	long long	 call_capacity;	/* 0: no capacity */
	const char	*call_title;
	int		 call_open;
	long long	 unit_id;
	int		 dberr;
};

static json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static json_object *
jint(const struct db_res *q, size_t col)
{
	return db_isnull(q, col) ? NULL : json_object_new_int64(db_int(q, col));
}

static int
one_of(const char *s, const char *const *set, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* 15000000 → "15.000.000" (vi-VN grouping). */
static char *
vnd_text(struct arena *a, long long n)
{
	char	 d[32], *o;
	int	 len, i, k = 0;

	len = snprintf(d, sizeof(d), "%lld", n < 0 ? 0 : n);
	o = arena_alloc(a, (size_t)len * 2 + 1);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			o[k++] = '.';
		o[k++] = d[i];
	}
	o[k] = '\0';
	return o;
}

/* Free text: no markup characters (names, addresses, products, note). */
static const char *
check_plain(struct req *r, struct value *v)
{
	(void)r;
	if (strpbrk(v->s, "<>") != NULL)
		return "Không được chứa ký tự < hoặc >";
	return NULL;
}

static const char *
check_kind(struct req *r, struct value *v)
{
	(void)r;
	return one_of(v->s, kinds, NELEM(kinds)) ? NULL :
	    "Loại hỗ trợ không hợp lệ";
}

static const char *
check_facility_kind(struct req *r, struct value *v)
{
	(void)r;
	return one_of(v->s, facility_kinds, NELEM(facility_kinds)) ? NULL :
	    "Chọn một loại hình: hộ gia đình (household), hợp tác xã"
	    " (cooperative) hoặc doanh nghiệp (enterprise)";
}

/*
 * A tax code: 10 digits (a branch: + "-" + 3) for an enterprise or a
 * cooperative, or the representative's 12-digit personal identification
 * number for a household business. The latter is personal data: it is
 * stored on the facility and shown to staff only, never in a public
 * answer.
 */
static const char *
check_tax(struct req *r, struct value *v)
{
	char		 out[VALID_TAX_MAX];
	enum valid_tax	 why;

	if ((why = valid_tax_at(v->s, clock_year_vn(), out)) !=
	    VALID_TAX_OK)
		return valid_tax_why(why);
	v->s = arena_strdup(r->a, out);
	v->len = strlen(v->s);
	return NULL;
}

static const char *
check_phone(struct req *r, struct value *v)
{
	char	 out[VALID_PHONE_MAX];

	if (!valid_phone(v->s, out))
		return "Số điện thoại không hợp lệ (ví dụ 0912 345 678 hoặc"
		    " +84 912 345 678)";
	v->s = arena_strdup(r->a, out);
	v->len = strlen(v->s);
	return NULL;
}

static const char *
check_email(struct req *r, struct value *v)
{
	(void)r;
	return valid_email(v->s) ? NULL :
	    "Địa chỉ e-mail không hợp lệ (ví dụ ten@gmail.com)";
}

/* The unit must be one the form offers today (GET /api/units). */
static const char *
check_unit(struct req *r, struct value *v)
{
	struct apply_ctx	*ctx = r->user;
	struct db_res		*q;
	char			 today[CLOCK_DATE_LEN];

	clock_today_vn(today);
	q = db_query(r->db, r->a, S_UNIT_TODAY, DB_ARGS(DB_STR(today),
	    DB_STR(v->s)));
	if (q == NULL) {
		ctx->dberr = 1;
		return NULL;
	}
	if (!db_next(q))
		return "Mã đơn vị hành chính không tồn tại hoặc không còn"
		    " hiệu lực";
	ctx->unit_id = db_int(q, 0);
	return NULL;
}

/* Look the call up; unknown and closed calls are answered after. */
static const char *
check_call(struct req *r, struct value *v)
{
	struct apply_ctx	*ctx = r->user;
	struct db_res		*q;
	char			 now[CLOCK_SQL_LEN];

	clock_now_sql(now);
	q = db_query(r->db, r->a, S_CALL_GET, DB_ARGS(DB_STR(now),
	    DB_INT(v->i)));
	if (q == NULL)
		ctx->call = CALL_DBERR;
	else if (!db_next(q))
		ctx->call = CALL_UNKNOWN;
	else {
		ctx->call = CALL_FOUND;
		ctx->call_year = db_int(q, 1);
		ctx->call_max = db_int(q, 2);
		ctx->call_open = db_int(q, 3) != 0;
		ctx->call_capacity = db_isnull(q, 4) ? 0 : db_int(q, 4);
		ctx->call_title = db_str(q, 5);
	}
	return NULL;
}

static const char *
check_requested(struct req *r, struct value *v)
{
	struct apply_ctx	*ctx = r->user;

	if (ctx->call == CALL_FOUND && v->i > ctx->call_max)
		return arena_printf(r->a, "Vượt mức hỗ trợ tối đa của đợt"
		    " này (%s đ)", vnd_text(r->a, ctx->call_max));
	return NULL;
}

static const char *
check_products(struct req *r, struct value *v)
{
	size_t	 i;

	if (v->nlist > 20)
		return "Tối đa 20 sản phẩm";
	for (i = 0; i < v->nlist; i++)
		if (strpbrk(v->list[i], "<>") != NULL)
			return arena_printf(r->a, "Mục %zu: không được chứa"
			    " ký tự < hoặc >", i + 1);
	return NULL;
}

static const struct field call_fields[] = {
	{ "year", F_INT, 0, REQ_YEAR_MIN, REQ_YEAR_MAX, NULL },
	{ "kind", F_STR, 0, 1, 40, check_kind },
	{ "open", F_BOOL, 0, 0, 1, NULL },
};

static const struct csv_col call_cols[] = {
	{ "id", "id" }, { "year", "year" }, { "kind", "kind" },
	{ "title", "title" }, { "opens_at", "opens_at" },
	{ "closes_at", "closes_at" }, { "open", "open" },
	{ "max_support_vnd", "max_support_vnd" }, { "capacity", "capacity" },
	{ "remaining", "remaining" },
	{ "activity_id", "activity_id" }, { "sample", "sample" },
	{ "description", "description" },
	{ "opens_on", "opens_on" }, { "closes_on", "closes_on" },
};

/*
 * GET /api/calls[.csv]?year=&kind=&open=&page=&per_page= → the calls for
 * support, open ones first, then the most recently closed:
 * {"items":[{id,year,kind,title,description,opens_at,closes_at,opens_on,
 * closes_on,open,capacity,remaining,max_support_vnd,activity_id,sample}],
 * total,page,per_page}; remaining is the places left (null: no capacity);
 * opens_on and closes_on are the first and last days (in Vietnam) on
 * which the call takes applications.
 * 422 for a bad filter, 503 while the database is down.
 */
static int
h_calls_list(struct req *r)
{
	struct value	 v[NELEM(call_fields)];
	struct db_res	*q, *n;
	json_object	*items, *it;
	struct db_param	 yr, kd, op;
	char		 now[CLOCK_SQL_LEN];
	long long	 page, per_page;
	int		 rc;

	if ((rc = req_fields(r, call_fields, NELEM(call_fields), v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if (r->csv) {
		page = 1;
		per_page = 100000;
	}
	yr = v[0].set ? DB_INT(v[0].i) : DB_NULL;
	kd = v[1].set ? DB_STR(v[1].s) : DB_NULL;
	op = v[2].set ? DB_INT(v[2].i) : DB_NULL;
	clock_now_sql(now);
	n = db_query(r->db, r->a, S_CALLS_COUNT, DB_ARGS(DB_STR(now), yr, yr,
	    kd, kd, op, op));
	if (n == NULL || !db_next(n))
		return resp_db(r);
	q = db_query(r->db, r->a, S_CALLS, DB_ARGS(DB_STR(now), yr, yr, kd,
	    kd, op, op,
	    DB_INT(per_page), DB_INT((page - 1) * per_page)));
	if (q == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "id", jint(q, 0));
		json_object_object_add(it, "year", jint(q, 1));
		json_object_object_add(it, "kind", jstr(db_str(q, 2)));
		json_object_object_add(it, "title", jstr(db_str(q, 3)));
		json_object_object_add(it, "description", jstr(db_str(q, 4)));
		json_object_object_add(it, "opens_at", jstr(db_str(q, 5)));
		json_object_object_add(it, "closes_at", jstr(db_str(q, 6)));
		json_object_object_add(it, "opens_on", jstr(db_str(q, 13)));
		json_object_object_add(it, "closes_on", jstr(db_str(q, 14)));
		json_object_object_add(it, "open",
		    json_object_new_boolean(db_int(q, 11) != 0));
		json_object_object_add(it, "capacity", jint(q, 7));
		json_object_object_add(it, "remaining", jint(q, 12));
		json_object_object_add(it, "max_support_vnd", jint(q, 8));
		json_object_object_add(it, "activity_id", jint(q, 9));
		json_object_object_add(it, "sample",
		    json_object_new_boolean(db_int(q, 10) != 0));
		json_object_array_add(items, it);
	}
	r->cache_seconds = 5;
	return resp_list(r, items, db_int(n, 0), page, per_page, "calls",
	    call_cols, NELEM(call_cols));
}

/* Indexes into apply_fields[]. */
enum { A_CALL, A_NAME, A_TAX, A_OWNER, A_PHONE, A_EMAIL, A_ADDRESS, A_UNIT,
    A_KIND, A_PRODUCTS, A_REQUESTED, A_NOTE, A__MAX };

/* call_id first: requested_vnd is checked against the call's maximum. */
static const struct field apply_fields[A__MAX] = {
	{ "call_id", F_INT, F_REQUIRED, 1, 2147483647, check_call },
	{ "facility.name", F_STR, F_REQUIRED, 2, 255, check_plain },
	{ "facility.tax_code", F_STR, 0, 0, 40, check_tax },
	{ "facility.owner_name", F_STR, F_REQUIRED, 2, 120, check_plain },
	{ "facility.phone", F_STR, F_REQUIRED, 0, 40, check_phone },
	{ "facility.email", F_STR, 0, 0, 254, check_email },
	{ "facility.address", F_STR, F_REQUIRED, 5, 500, check_plain },
	{ "facility.unit_code", F_STR, F_REQUIRED, 0, 10, check_unit },
	{ "facility.kind", F_STR, F_REQUIRED, 0, 20, check_facility_kind },
	{ "products", F_STRLIST, 0, 0, 200, check_products },
	{ "requested_vnd", F_INT, F_REQUIRED, 1, 1000000000000LL,
	    check_requested },
	{ "note", F_TEXT, 0, 0, 2000, check_plain },
};

#define VSTR(x)		((x).set ? DB_STRN((x).s, (x).len) : DB_NULL)

/* The products as a JSON array text, in the arena. */
static const char *
products_json(struct arena *a, const struct value *v)
{
	json_object	*arr = json_object_new_array();
	const char	*s;
	size_t		 i;

	for (i = 0; i < v->nlist; i++)
		json_object_array_add(arr, json_object_new_string(v->list[i]));
	s = arena_strdup(a, json_object_to_json_string_ext(arr,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return s;
}

/*
 * Has the call no place left? Run inside the transaction: locks the
 * call's row until COMMIT, then counts the live applications (a read
 * after the lock sees every application committed before it). 1 full,
 * 0 not, or a DB_E* code.
 */
static int
call_full(struct req *r, long long call_id)
{
	struct db_res	*q;
	long long	 cap;

	q = db_query(r->db, r->a, S_CALL_LOCK, DB_ARGS(DB_INT(call_id)));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q) || db_isnull(q, 0))
		return 0;
	cap = db_int(q, 0);
	q = db_query(r->db, r->a, S_CALL_TAKEN, DB_ARGS(DB_INT(call_id)));
	if (q == NULL || !db_next(q))
		return q == NULL ? db_last_error(r->db) : DB_EFAIL;
	return db_int(q, 0) >= cap;
}

/*
 * The application's transaction, stored under reference code ref. Returns
 * 0, 1 when the facility already applied to this call, 2 when the call
 * has no place left, or a DB_E* code (the transaction is rolled back in
 * every case but success).
 */
static int
apply_tx(struct req *r, const struct value *v, const struct apply_ctx *ctx,
    const char *ident, const char *hash, const char *ref)
{
	struct db_res	*q;
	long long	 facility_id;
	const char	*fold = text_fold(r->a, v[A_NAME].s, v[A_NAME].len);
	int		 rc;

	if ((rc = db_begin(r->db)) < 0)
		return rc;
	/* First, so that last-place applications queue here, before any
	 * other lock (the application's foreign key share-locks the row). */
	if (ctx->call_capacity > 0 &&
	    (rc = call_full(r, v[A_CALL].i)) != 0) {
		if (rc == 1) {
			db_rollback(r->db);
			return 2;
		}
		goto fail;
	}
	rc = db_exec(r->db, S_FACILITY_ADD, DB_ARGS(DB_STR(ident),
	    VSTR(v[A_NAME]), DB_STR(fold), VSTR(v[A_KIND]), VSTR(v[A_TAX]),
	    VSTR(v[A_OWNER]), VSTR(v[A_PHONE]), VSTR(v[A_EMAIL]),
	    VSTR(v[A_ADDRESS]), DB_INT(ctx->unit_id)));
	if (rc < 0)
		goto fail;
	q = db_query(r->db, r->a, S_FACILITY_FIND, DB_ARGS(DB_STR(ident)));
	if (q != NULL && q->rows == 0 && v[A_TAX].set)
		q = db_query(r->db, r->a, S_FACILITY_BY_TAX,
		    DB_ARGS(VSTR(v[A_TAX])));
	if (q == NULL || !db_next(q)) {
		if (q != NULL)
			log_err("register: facility %s neither inserted nor"
			    " found", ident);
		rc = q != NULL ? DB_EFAIL : db_last_error(r->db);
		goto fail;
	}
	facility_id = db_int(q, 0);
	rc = db_exec(r->db, S_APP_ADD, DB_ARGS(DB_STR(ref),
	    DB_INT(v[A_CALL].i), DB_INT(facility_id), VSTR(v[A_NAME]),
	    VSTR(v[A_OWNER]), VSTR(v[A_PHONE]), VSTR(v[A_EMAIL]),
	    VSTR(v[A_ADDRESS]), DB_INT(ctx->unit_id), VSTR(v[A_UNIT]),
	    DB_INT(v[A_REQUESTED].i), DB_STR(products_json(r->a,
	    &v[A_PRODUCTS])), VSTR(v[A_NOTE]), DB_STR(hash)));
	if (rc == DB_EDUP) {
		db_rollback(r->db);
		return 1;
	}
	if (rc < 0)
		goto fail;
	/* The event's application_id is LAST_INSERT_ID(): the application. */
	if ((rc = db_exec(r->db, S_EVENT_ADD, DB_NOARGS)) < 0)
		goto fail;
	if ((rc = db_commit(r->db)) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return rc < 0 ? rc : DB_EFAIL;
}

/* A new status token (base64url of 32 random bytes) and its hex hash. */
static void
token_new(struct arena *a, const char **token, const char **hash)
{
	unsigned char	 raw[TOKEN_BYTES], h[crypto_generichash_BYTES];
	size_t		 tlen = sodium_base64_ENCODED_LEN(TOKEN_BYTES,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char		*t = arena_alloc(a, tlen), *hx = arena_alloc(a, HASH_HEX);

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(t, tlen, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	crypto_generichash(h, sizeof(h), (const unsigned char *)t, strlen(t),
	    NULL, 0);
	sodium_bin2hex(hx, HASH_HEX, h, sizeof(h));
	*token = t;
	*hash = hx;
}

/*
 * Server-written pages, for browsers without JavaScript (a plain form
 * post). Every value goes through resp_html_escape() (H()).
 */
#define H(s)		resp_html_escape(r->a, (s))
#define PAGE_CSS	"/css/register.css"

/* The form's labels of the fields, for error pages. */
static const struct {
	const char	*name, *label;
} labels[] = {
	{ "call_id", "Đợt hỗ trợ" },
	{ "facility.name", "Tên cơ sở" },
	{ "facility.tax_code", "Mã số thuế hoặc số định danh cá nhân" },
	{ "facility.owner_name", "Người đại diện" },
	{ "facility.phone", "Số điện thoại" },
	{ "facility.email", "E-mail" },
	{ "facility.address", "Địa chỉ" },
	{ "facility.unit_code", "Xã, phường" },
	{ "facility.kind", "Loại hình" },
	{ "products", "Sản phẩm" },
	{ "requested_vnd", "Số tiền đề nghị hỗ trợ" },
	{ "note", "Ghi chú" },
	{ "ref_code", "Mã hồ sơ" },
	{ "token", "Mã tra cứu" },
};

static const char *
label_of(const char *name)
{
	size_t	 i;

	for (i = 0; i < NELEM(labels); i++)
		if (strcmp(labels[i].name, name) == 0)
			return labels[i].label;
	return name;
}

static const char *
kind_text(const char *kind)
{
	static const char *const texts[] = {
		"Hội chợ, triển lãm", "Đăng ký nhãn hiệu, thương hiệu",
		"Thiết kế, in nhãn mác, bao bì", "Mô hình trình diễn kỹ thuật",
		"Đào tạo, tập huấn",
	};
	size_t	 i;

	for (i = 0; kind != NULL && i < NELEM(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return texts[i];
	return kind != NULL ? kind : "";
}

static const char *
status_text(const char *st)
{
	static const char *const names[] = {
		"submitted", "under_review", "approved", "rejected", "withdrawn",
	};
	static const char *const texts[] = {
		"Đã nộp", "Đang xem xét", "Được duyệt", "Không được duyệt",
		"Đã rút",
	};
	size_t	 i;

	for (i = 0; st != NULL && i < NELEM(names); i++)
		if (strcmp(st, names[i]) == 0)
			return texts[i];
	return st != NULL ? st : "";
}

/*
 * What the person typed into the form field name ("a.b" is also sent as
 * "a[b]"; a repeated key is joined with "; "), at most 200 characters;
 * NULL when nothing was typed. Not escaped.
 */
static const char *
typed_value(struct req *r, const char *name)
{
	const char	*dot = strchr(name, '.'), *acc = NULL, *k;
	const char	*bname = NULL;
	size_t		 i, n, chars;

	if (dot != NULL)
		bname = arena_printf(r->a, "%.*s[%s]", (int)(dot - name), name,
		    dot + 1);
	for (i = 0; i < r->nargs; i++) {
		k = r->args[i].key;
		if (r->args[i].len == 0 || (strcmp(k, name) != 0 &&
		    (bname == NULL || strcmp(k, bname) != 0)))
			continue;
		acc = acc == NULL ? r->args[i].val :
		    arena_printf(r->a, "%s; %s", acc, r->args[i].val);
	}
	if (acc == NULL)
		return NULL;
	n = strlen(acc);
	if (!text_utf8_valid(acc, n))
		return "(không phải văn bản UTF-8 hợp lệ)";
	for (i = 0, chars = 0; i < n; i++)
		if (((unsigned char)acc[i] & 0xC0) != 0x80 && ++chars > 200)
			return arena_printf(r->a, "%.*s…", (int)i, acc);
	return acc;
}

/* The page of a failed plain form post: 422 with its fields, or another. */
static int
apply_html_error(struct req *r, int status, const char *message,
    json_object *fields)
{
	const char	*h, *typed;

	h = arena_printf(r->a, "<div class=\"error-box\" role=\"alert\">"
	    "<p>%s</p>", H(message));
	if (fields != NULL) {
		h = arena_printf(r->a, "%s<ul>", h);
		json_object_object_foreach(fields, key, val) {
			typed = typed_value(r, key);
			h = arena_printf(r->a, "%s<li><strong>%s</strong>: %s%s%s"
			    "%s</li>", h, H(label_of(key)),
			    H(json_object_get_string(val)),
			    typed != NULL ? "<br>Đã nhập: «" : "",
			    typed != NULL ? H(typed) : "",
			    typed != NULL ? "»" : "");
		}
		h = arena_printf(r->a, "%s</ul>", h);
	}
	h = arena_printf(r->a, "%s</div>\n<p>Dùng nút <strong>Quay lại</strong>"
	    " (Back) của trình duyệt để trở về mẫu đơn và sửa: những gì đã"
	    " điền vẫn còn đó. Hồ sơ chưa được lưu.</p>\n<p><a"
	    " href=\"/register.html\">Mở lại mẫu đơn đăng ký</a> · <a"
	    " href=\"/status.html\">Tra cứu hồ sơ đã nộp</a></p>", h);
	return resp_html(r, status, "Hồ sơ chưa được gửi", PAGE_CSS, h);
}

/*
 * The receipt of a plain form post (201): the codes, the call and the
 * facility, and a button that looks the status up by POST (the token in
 * the body, never in a URL).
 */
static int
apply_html_receipt(struct req *r, const struct value *v,
    const struct apply_ctx *ctx, const char *ref, const char *token)
{
	const char	*h;

	h = arena_printf(r->a, "<section class=\"receipt ok-box\""
	    " aria-label=\"Phiếu nhận hồ sơ\">\n<p>Hồ sơ đã được lưu. Hãy"
	    " <strong>ghi lại hoặc in</strong> hai mã dưới đây (chức năng In"
	    " hoặc Lưu trang của trình duyệt): cần cả hai để tra cứu kết quả."
	    " Mã tra cứu không thể cấp lại.</p>\n<dl>\n"
	    "<dt>Mã hồ sơ</dt><dd><span id=\"r-ref\" class=\"secret\">%s"
	    "</span></dd>\n"
	    "<dt>Mã tra cứu</dt><dd><span id=\"r-token\" class=\"secret\">%s"
	    "</span></dd>\n"
	    "<dt>Đợt hỗ trợ</dt><dd id=\"r-call\">%s</dd>\n"
	    "<dt>Cơ sở</dt><dd id=\"r-facility\">%s</dd>\n"
	    "<dt>Số tiền đề nghị</dt><dd>%s đ</dd>\n</dl>\n</section>\n",
	    H(ref), H(token), H(ctx->call_title), H(v[A_NAME].s),
	    vnd_text(r->a, v[A_REQUESTED].i));
	h = arena_printf(r->a, "%s<form class=\"no-print\" method=\"post\""
	    " action=\"/api/applications/%s/status\" accept-charset=\"utf-8\">"
	    "<input type=\"hidden\" name=\"token\" value=\"%s\">"
	    "<button type=\"submit\">Xem trạng thái hồ sơ</button></form>\n",
	    h, H(ref), H(token));
	resp_add_header(r, "Location", arena_printf(r->a,
	    "/api/applications/%s", ref));
	return resp_html(r, 201, "Đã nhận hồ sơ", PAGE_CSS, h);
}

/*
 * POST /api/applications, JSON or form-urlencoded: {call_id, facility:
 * {name, tax_code, owner_name, phone, email, address, unit_code, kind},
 * products[], requested_vnd, note} →
 * 201 {"ref_code","status":"submitted","status_token"} after COMMIT.
 * 422 every invalid field at once; 404 unknown call; 409 call not open
 * now, no place left (capacity), or this facility already applied to it;
 * 503 while the database is down or busy. A plain form post (Accept
 * prefers text/html) gets the same statuses as HTML pages: the receipt
 * with both codes (201) or the errors with their field labels.
 */
static int
h_applications_create(struct req *r)
{
	struct value		 v[A__MAX];
	struct apply_ctx	 ctx;
	struct db_res		*q;
	const char		*ident, *token, *hash, *ref;
	json_object		*o;
	int			 rc, tries, html = req_wants_html(r);

	if (html)
		r->html_error = apply_html_error;
	memset(&ctx, 0, sizeof(ctx));
	r->user = &ctx;
	rc = req_fields(r, apply_fields, A__MAX, v);
	r->user = NULL;
	if (rc != 0)
		return rc;
	if (ctx.dberr || ctx.call == CALL_DBERR)
		return resp_db(r);
	if (ctx.call == CALL_UNKNOWN)
		return resp_error(r, 404, "not_found",
		    "Không tìm thấy đợt hỗ trợ này.");
	if (!ctx.call_open)
		return resp_error(r, 409, "conflict",
		    "Đợt hỗ trợ này hiện không nhận hồ sơ (chưa mở hoặc đã"
		    " hết hạn).");
	ident = facility_ident(r->a, v[A_TAX].set ? v[A_TAX].s : NULL,
	    v[A_NAME].s, v[A_UNIT].s);
	if (ident == NULL)
		return resp_error(r, 500, "internal",
		    "Đã có lỗi trong hệ thống. Vui lòng thử lại sau.");
	/* A full call is told at once, without using up a number; the
	 * transaction checks again under the call's lock. */
	rc = 0;
	if (ctx.call_capacity > 0) {
		q = db_query(r->db, r->a, S_CALL_TAKEN,
		    DB_ARGS(DB_INT(v[A_CALL].i)));
		if (q == NULL || !db_next(q))
			return resp_db(r);
		rc = db_int(q, 0) >= ctx.call_capacity ? 2 : 0;
	}
	if (rc == 0) {
		token_new(r->a, &token, &hash);
		if ((q = db_query(r->db, r->a, S_REF_NEXT, DB_NOARGS)) ==
		    NULL || !db_next(q))
			return resp_db(r);
		ref = arena_printf(r->a, "KC-%04lld-%06lld", ctx.call_year,
		    db_int(q, 0));
		for (tries = 0; tries < TX_TRIES; tries++)
			if ((rc = apply_tx(r, v, &ctx, ident, hash, ref)) !=
			    DB_EBUSY)
				break;
	}
	if (rc == 1)
		return resp_error(r, 409, "conflict",
		    "Cơ sở này đã nộp hồ sơ cho đợt hỗ trợ này. Vui lòng tra"
		    " cứu hồ sơ đã nộp bằng mã hồ sơ và mã tra cứu.");
	if (rc == 2)
		return resp_error(r, 409, "conflict", arena_printf(r->a,
		    "Đợt hỗ trợ đã nhận đủ số hồ sơ (%lld cơ sở). Vui lòng"
		    " chọn đợt hỗ trợ khác.", ctx.call_capacity));
	if (rc < 0)
		return resp_db(r);
	if (html) {
		r->html_error = NULL;
		return apply_html_receipt(r, v, &ctx, ref, token);
	}
	o = json_object_new_object();
	json_object_object_add(o, "ref_code", json_object_new_string(ref));
	json_object_object_add(o, "status",
	    json_object_new_string("submitted"));
	json_object_object_add(o, "status_token",
	    json_object_new_string(token));
	resp_add_header(r, "Location", arena_printf(r->a,
	    "/api/applications/%s", ref));
	return resp_json(r, 201, o);
}

/* Is s a reference code as we give them out (KC-YYYY-NNNNNN)? */
static int
ref_shaped(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n < 14 || n > 20 || strncmp(s, "KC-", 3) != 0 || s[7] != '-')
		return 0;
	for (i = 3; i < n; i++)
		if (i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/*
 * The application with code ref whose token is token: 1 and *out (on
 * its row), 0 when there is none (unknown or malformed code, wrong or
 * empty token: one answer for all), or a DB_E* code. The hashes are
 * compared in constant time, and a hash is computed and compared for
 * unknown codes too.
 */
static int
app_lookup(struct req *r, const char *ref, const char *token,
    struct db_res **out)
{
	static const char	 dummy[HASH_HEX] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	const char		*stored = dummy;
	unsigned char		 h[crypto_generichash_BYTES];
	char			 hx[HASH_HEX];
	struct db_res		*q = NULL;
	int			 found = 0, same;

	if (token == NULL)
		token = "";
	if (ref_shaped(ref)) {
		q = db_query(r->db, r->a, S_APP_BY_REF, DB_ARGS(DB_STR(ref)));
		if (q == NULL)
			return db_last_error(r->db);
		if (db_next(q) && db_str(q, 3) != NULL &&
		    strlen(db_str(q, 3)) == HASH_HEX - 1) {
			stored = db_str(q, 3);
			found = 1;
		}
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(hx, sizeof(hx), h, sizeof(h));
	same = sodium_memcmp(hx, stored, HASH_HEX - 1) == 0;
	if (!found || !same || *token == '\0')
		return 0;
	*out = q;
	return 1;
}

/* The found application (q) with its history (ev) as JSON, 200. */
static int
status_json(struct req *r, struct db_res *q, struct db_res *ev)
{
	json_object	*o, *c, *f, *hist, *e;

	o = json_object_new_object();
	json_object_object_add(o, "ref_code", jstr(db_str(q, 1)));
	json_object_object_add(o, "status", jstr(db_str(q, 2)));
	c = json_object_new_object();
	json_object_object_add(c, "id", jint(q, 8));
	json_object_object_add(c, "title", jstr(db_str(q, 9)));
	json_object_object_add(c, "kind", jstr(db_str(q, 10)));
	json_object_object_add(o, "call", c);
	f = json_object_new_object();
	json_object_object_add(f, "name", jstr(db_str(q, 7)));
	json_object_object_add(o, "facility", f);
	json_object_object_add(o, "requested_vnd", jint(q, 4));
	json_object_object_add(o, "approved_vnd", jint(q, 5));
	json_object_object_add(o, "created_at", jstr(db_str(q, 6)));
	json_object_object_add(o, "updated_at", jstr(db_str(q, 11)));
	hist = json_object_new_array();
	while (db_next(ev)) {
		e = json_object_new_object();
		json_object_object_add(e, "status", jstr(db_str(ev, 0)));
		json_object_object_add(e, "reason", jstr(db_str(ev, 1)));
		json_object_object_add(e, "amount_vnd", jint(ev, 2));
		json_object_object_add(e, "at", jstr(db_str(ev, 3)));
		json_object_array_add(hist, e);
	}
	json_object_object_add(o, "history", hist);
	return resp_json(r, 200, o);
}

/* The same as a page, 200. */
static int
status_html(struct req *r, struct db_res *q, struct db_res *ev)
{
	const char	*h;

	h = arena_printf(r->a, "<section class=\"status\" aria-label=\"Hồ"
	    " sơ\">\n<dl>\n"
	    "<dt>Trạng thái</dt><dd><span id=\"s-status\""
	    " class=\"status-badge\">%s</span></dd>\n"
	    "<dt>Cơ sở</dt><dd id=\"s-facility\">%s</dd>\n"
	    "<dt>Đợt hỗ trợ</dt><dd id=\"s-call\">%s (%s)</dd>\n"
	    "<dt>Số tiền đề nghị</dt><dd id=\"s-requested\">%s đ</dd>\n"
	    "<dt>Số tiền được duyệt</dt><dd id=\"s-approved\">%s</dd>\n"
	    "<dt>Ngày nộp</dt><dd id=\"s-created\">%s</dd>\n</dl>\n"
	    "<h2>Quá trình xử lý</h2>\n<ol id=\"s-history\""
	    " class=\"history\">\n",
	    H(status_text(db_str(q, 2))), H(db_str(q, 7)), H(db_str(q, 9)),
	    H(kind_text(db_str(q, 10))), vnd_text(r->a, db_int(q, 4)),
	    db_isnull(q, 5) ? "Chưa có" : arena_printf(r->a, "%s đ",
	    vnd_text(r->a, db_int(q, 5))), H(db_str(q, 12)));
	while (db_next(ev)) {
		h = arena_printf(r->a, "%s<li><strong>%s</strong> — %s", h,
		    H(status_text(db_str(ev, 0))), H(db_str(ev, 4)));
		if (!db_isnull(ev, 2))
			h = arena_printf(r->a, "%s<div>Số tiền: %s đ</div>", h,
			    vnd_text(r->a, db_int(ev, 2)));
		if (db_str(ev, 1) != NULL && *db_str(ev, 1) != '\0')
			h = arena_printf(r->a, "%s<div>Lý do: %s</div>", h,
			    H(db_str(ev, 1)));
		h = arena_printf(r->a, "%s</li>\n", h);
	}
	h = arena_printf(r->a, "%s</ol>\n</section>\n<p class=\"no-print\">"
	    "<a href=\"/status.html\">Tra cứu hồ sơ khác</a></p>", h);
	return resp_html(r, 200, arena_printf(r->a, "Hồ sơ %s",
	    db_str(q, 1)), PAGE_CSS, h);
}

/* The page of a failed status lookup (404, 422 or 503). */
static int
status_html_error(struct req *r, int status, const char *message,
    json_object *fields)
{
	const char	*h;

	h = arena_printf(r->a, "<div class=\"error-box\" role=\"alert\">"
	    "<p>%s</p>", H(message));
	if (fields != NULL) {
		h = arena_printf(r->a, "%s<ul>", h);
		json_object_object_foreach(fields, key, val)
			h = arena_printf(r->a, "%s<li><strong>%s</strong>: %s"
			    "</li>", h, H(label_of(key)),
			    H(json_object_get_string(val)));
		h = arena_printf(r->a, "%s</ul>", h);
	}
	h = arena_printf(r->a, "%s</div>\n<p>Kiểm tra lại mã hồ sơ (dạng"
	    " KC-2026-000123) và mã tra cứu ghi trên phiếu nhận hồ sơ.</p>\n"
	    "<p><a href=\"/status.html\">Quay lại trang tra cứu</a></p>", h);
	return resp_html(r, status, status == 404 ? "Không tìm thấy hồ sơ" :
	    "Chưa tra cứu được hồ sơ", PAGE_CSS, h);
}

#define NOT_FOUND_MSG	"Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."

/* Look up and answer: JSON, or a page when html. */
static int
status_answer(struct req *r, const char *ref, const char *token, int html)
{
	struct db_res	*q = NULL, *ev;
	int		 rc;

	if ((rc = app_lookup(r, ref, token, &q)) < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_error(r, 404, "not_found", NOT_FOUND_MSG);
	ev = db_query(r->db, r->a, S_EVENTS, DB_ARGS(DB_INT(db_int(q, 0))));
	if (ev == NULL)
		return resp_db(r);
	if (html) {
		r->html_error = NULL;
		return status_html(r, q, ev);
	}
	return status_json(r, q, ev);
}

/*
 * GET /api/applications/{ref_code} with X-Status-Token → 200
 * {ref_code,status,call:{id,title,kind},facility:{name},requested_vnd,
 * approved_vnd,created_at,updated_at,history:[{status,reason,amount_vnd,
 * at}]}. A wrong or missing token is the same 404 as an unknown code.
 * 503 while the database is down.
 */
static int
h_application_get(struct req *r)
{
	return status_answer(r, r->param[0], req_env(r,
	    "HTTP_X_STATUS_TOKEN"), 0);
}

static const struct field status_fields[] = {
	{ "token", F_STR, 0, 0, 200, NULL },
	{ "ref_code", F_STR, 0, 0, 40, NULL },
};

/*
 * POST /api/applications/{ref_code}/status, and POST
 * /api/applications/status with ref_code in the body (the status page's
 * form without JavaScript): form or JSON field token (and ref_code) →
 * what the GET answers, as JSON; a plain form post (Accept prefers
 * text/html) gets it as a page. The token is never in a URL. Wrong,
 * missing or foreign token and unknown code: the same 404; 422 for a
 * token over 200 characters; 503 while the database is down.
 */
static int
h_application_status(struct req *r)
{
	struct value	 v[NELEM(status_fields)];
	const char	*ref;
	char		*up;
	int		 rc, html = req_wants_html(r);

	if (html)
		r->html_error = status_html_error;
	if ((rc = req_fields(r, status_fields, NELEM(status_fields), v)) != 0)
		return rc;
	if (r->nparam > 0)
		ref = r->param[0];
	else {
		/* Typed by hand: "kc-2026-000123" is the same code. */
		ref = up = arena_strdup(r->a, v[1].set ? v[1].s : "");
		for (; *up != '\0'; up++)
			if (*up >= 'a' && *up <= 'z')
				*up -= 'a' - 'A';
	}
	return status_answer(r, ref, v[0].set ? v[0].s : "", html);
}

static const struct route routes[] = {
	{ M_GET, "/api/calls", h_calls_list, R_CSV, 0, 0 },
	{ M_POST, "/api/applications", h_applications_create, 0, 0, 0 },
	{ M_POST, "/api/applications/status", h_application_status, 0, 0, 0 },
	{ M_GET, "/api/applications/{}", h_application_get, 0, 0, 0 },
	{ M_POST, "/api/applications/{}/status", h_application_status, 0, 0,
	    0 },
};

int
main(void)
{
	static const struct app app = {
		.name = "kc-register", .db_user = "kc_public",
		.sqls = sqls, .nsqls = S__MAX,
		.routes = routes, .nroutes = NELEM(routes),
	};

	if (sodium_init() < 0)
		return 1;
	return app_main(&app);
}
