/*
 * applications: a facility applies for support (issue 4).
 *
 *   POST /api/applications	the form, JSON or a plain form post
 *
 * An application is one transaction: the facility (found again by its
 * identity key, else inserted), the application and its first event. Its
 * reference number comes from a sequence just before the transaction (a
 * failed application leaves a gap, never a duplicate); a transaction that
 * meets a deadlock or a lock wait timeout, or fails certification in a
 * Galera cluster, is run again from the start by app.c (with a new
 * number). 201 is written only after COMMIT succeeded, so an acknowledged
 * application is never lost. A call with a capacity takes applications
 * until that many of them are neither rejected nor withdrawn: the call's
 * place row is written and its row locked (FOR UPDATE) at the start of
 * the transaction and the places counted under the lock (reg_call_full),
 * so two last-place applications cannot both pass, on one database node
 * or on two.
 */
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "clock.h"
#include "db.h"
#include "facility.h"
#include "log.h"
#include "notify.h"
#include "req.h"
#include "resp.h"
#include "review.h"
#include "stoken.h"
#include "text.h"
#include "valid.h"
#include "values.h"

#include "register.h"

enum applications_stmt {
	S_FACILITY_ADD,
	S_FACILITY_FIND,
	S_FACILITY_BY_TAX,
	S_REF_NEXT,
	S_APP_ADD,
	S_EVENT_ADD,
	S_APPLICATIONS__MAX
};

static const char *const applications_sql[S_APPLICATIONS__MAX] = {
	[S_FACILITY_ADD] =
	    "INSERT IGNORE INTO facility (ident, name, name_fold, kind,"
	    " tax_code, owner_name, phone, email, address, unit_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_FACILITY_FIND] =
	    "SELECT id FROM facility WHERE ident = ? LOCK IN SHARE MODE",
	[S_FACILITY_BY_TAX] =
	    "SELECT id FROM facility WHERE tax_code = ? LOCK IN SHARE MODE",
	/* Not transactional: taken before the application's transaction,
	 * so no lock on a shared row is held until its COMMIT. */
	[S_REF_NEXT] = "SELECT NEXTVAL(application_ref_seq)",
	[S_APP_ADD] =
	    "INSERT INTO application (ref_code, call_id, facility_id,"
	    " facility_name, owner_name, phone, email, address, unit_id,"
	    " unit_code, requested_vnd, products, note, token_hash)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_EVENT_ADD] =
	    "INSERT INTO application_event (application_id, status)"
	    " VALUES (LAST_INSERT_ID(), 'submitted')",
};

static struct db_set applications_set =
    DB_SET("register/applications", applications_sql);

/* Indexes into apply_fields[]. */
enum { A_CALL, A_NAME, A_TAX, A_OWNER, A_PHONE, A_EMAIL, A_ADDRESS, A_UNIT,
    A_KIND, A_PRODUCTS, A_REQUESTED, A_NOTE, A__MAX };

/* What the field checks of one application learnt from the database. */
struct apply_ctx {
	enum { CALL_UNSEEN, CALL_FOUND, CALL_UNKNOWN, CALL_DBERR } call;
	struct reg_call	 c;
	long long	 unit_id;
	int		 dberr;
};

/* One application on its way in. */
struct apply {
	struct value	 v[A__MAX];
	struct apply_ctx ctx;
	const char	*ident;		/* the facility's identity key */
	const char	*ref;		/* KC-YYYY-NNNNNN */
	const char	*token;		/* given to the applicant once */
	const char	*hash;		/* of token, stored */
	const char	*active;	/* APPLY_TWICE: the active one's ref */
};

/* The result of an application's transaction, besides DB_E* codes. */
enum { APPLY_OK, APPLY_TWICE, APPLY_FULL };

#define VSTR(x)		((x).set ? DB_STRN((x).s, (x).len) : DB_NULL)

/* The next reference number: 1 and *n, or < 0. */
static int
q_ref_next(struct req *r, long long *n)
{
	int	 rc;

	rc = reg_query_int(r, &applications_set, S_REF_NEXT, DB_NOARGS, n);
	return rc == 0 ? DB_EFAIL : rc;
}

/* The facility of ap, unless one with its identity key exists: >= 0. */
static int
q_facility_add(struct req *r, const struct apply *ap)
{
	const struct value	*v = ap->v;
	const char		*fold;

	fold = text_fold(r->a, v[A_NAME].s, v[A_NAME].len);
	return db_sexec(r->db, &applications_set, S_FACILITY_ADD,
	    DB_ARGS(DB_STR(ap->ident), VSTR(v[A_NAME]), DB_STR(fold),
	    VSTR(v[A_KIND]), VSTR(v[A_TAX]), VSTR(v[A_OWNER]),
	    VSTR(v[A_PHONE]), VSTR(v[A_EMAIL]), VSTR(v[A_ADDRESS]),
	    DB_INT(ap->ctx.unit_id)));
}

/*
 * The facility of ap, share-locked: by its identity key, else by its tax
 * code (a facility known under another name). 1 and *id, 0, or < 0.
 */
static int
q_facility_id(struct req *r, const struct apply *ap, long long *id)
{
	struct db_res	*q;

	q = db_squery(r->db, r->a, &applications_set, S_FACILITY_FIND,
	    DB_ARGS(DB_STR(ap->ident)));
	if (q != NULL && q->rows == 0 && ap->v[A_TAX].set)
		q = db_squery(r->db, r->a, &applications_set,
		    S_FACILITY_BY_TAX, DB_ARGS(VSTR(ap->v[A_TAX])));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q))
		return 0;
	*id = db_int(q, 0);
	return 1;
}

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
 * The application of ap by facility_id and its first event (the event's
 * application_id is LAST_INSERT_ID(): the application). 0, or a DB_E*
 * code (DB_EDUP: the facility already applied to this call).
 */
static int
q_app_add(struct req *r, const struct apply *ap, long long facility_id,
    long long *id)
{
	const struct value	*v = ap->v;
	int			 rc;

	rc = db_sexec(r->db, &applications_set, S_APP_ADD,
	    DB_ARGS(DB_STR(ap->ref), DB_INT(v[A_CALL].i), DB_INT(facility_id),
	    VSTR(v[A_NAME]), VSTR(v[A_OWNER]), VSTR(v[A_PHONE]),
	    VSTR(v[A_EMAIL]), VSTR(v[A_ADDRESS]), DB_INT(ap->ctx.unit_id),
	    VSTR(v[A_UNIT]), DB_INT(v[A_REQUESTED].i),
	    DB_STR(products_json(r->a, &v[A_PRODUCTS])), VSTR(v[A_NOTE]),
	    DB_STR(ap->hash)));
	if (rc < 0)
		return rc;
	*id = db_insert_id(r->db);
	rc = db_sexec(r->db, &applications_set, S_EVENT_ADD, DB_NOARGS);
	return rc < 0 ? rc : 0;
}

/* The applicant's receipt by e-mail and SMS, queued (notify.h). */
static int
q_app_notify(struct req *r, const struct apply *ap, long long id)
{
	struct notify_app	 m = {
		.id = id, .ref_code = ap->ref, .facility = ap->v[A_NAME].s,
		.email = ap->v[A_EMAIL].set ? ap->v[A_EMAIL].s : NULL,
		.phone = ap->v[A_PHONE].set ? ap->v[A_PHONE].s : NULL,
		.status = "submitted", .token = ap->token,
	};
	int			 rc = notify_queue(r->db, r->a, NOTIFY_RECEIVED, &m);

	return rc < 0 ? rc : 0;
}

/* The unit must be one the form offers today (GET /api/units). */
static const char *
check_unit(struct req *r, struct value *v)
{
	struct apply_ctx	*ctx = r->check_arg;
	int			 rc;

	if ((rc = facility_unit_today(r, v->s, &ctx->unit_id)) < 0) {
		ctx->dberr = 1;
		return NULL;
	}
	if (rc == 0)
		return "Mã đơn vị hành chính không tồn tại hoặc không còn"
		    " hiệu lực";
	return NULL;
}

/* Look the call up; unknown and closed calls are answered after. */
static const char *
check_call(struct req *r, struct value *v)
{
	struct apply_ctx	*ctx = r->check_arg;
	int			 rc;

	rc = reg_call_get(r, v->i, &ctx->c);
	ctx->call = rc < 0 ? CALL_DBERR : rc == 0 ? CALL_UNKNOWN : CALL_FOUND;
	return NULL;
}

static const char *
check_requested(struct req *r, struct value *v)
{
	struct apply_ctx	*ctx = r->check_arg;

	if (ctx->call == CALL_FOUND && v->i > ctx->c.max_vnd)
		return arena_printf(r->a, "Vượt mức hỗ trợ tối đa của đợt"
		    " này (%s đ)", reg_vnd_text(r->a, ctx->c.max_vnd));
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

/* call_id first: requested_vnd is checked against the call's maximum. */
static const struct field apply_fields[A__MAX] = {
	{ "call_id", F_INT, F_REQUIRED, 1, 2147483647, check_call },
	{ "facility.name", F_STR, F_REQUIRED, 2, 255, facility_check_plain },
	{ "facility.tax_code", F_STR, 0, 0, 40, facility_check_tax },
	{ "facility.owner_name", F_STR, F_REQUIRED, 2, 120,
	    facility_check_plain },
	{ "facility.phone", F_STR, F_REQUIRED, 0, 40, facility_check_phone },
	{ "facility.email", F_STR, 0, 0, 254, facility_check_email },
	{ "facility.address", F_STR, F_REQUIRED, 5, 500,
	    facility_check_plain },
	{ "facility.unit_code", F_STR, F_REQUIRED, 0, 10, check_unit },
	{ "facility.kind", F_STR, F_REQUIRED, 0, 20, facility_check_kind },
	{ "products", F_STRLIST, 0, 0, 200, check_products },
	{ "requested_vnd", F_MONEY, F_REQUIRED, 1, 1000000000000LL,
	    check_requested },
	{ "note", F_TEXT, 0, 0, 2000, facility_check_plain },
};

/*
 * The application's transaction, stored under ap->ref. Returns APPLY_OK,
 * APPLY_TWICE when the facility already applied to this call, APPLY_FULL
 * when the call has no place left, or a DB_E* code (the transaction is
 * rolled back in every case but success).
 */
static int
apply_tx(struct req *r, struct apply *ap)
{
	long long	 facility_id = 0, id = 0;
	int		 rc;

	if ((rc = db_begin(r->db)) < 0)
		return rc;
	/* First, so that last-place applications queue here, before any
	 * other lock (the application's foreign key share-locks the row). */
	if (ap->ctx.c.capacity > 0 &&
	    (rc = reg_call_full(r, ap->v[A_CALL].i)) != 0) {
		if (rc == 1) {
			db_rollback(r->db);
			return APPLY_FULL;
		}
		goto fail;
	}
	if ((rc = q_facility_add(r, ap)) < 0)
		goto fail;
	if ((rc = q_facility_id(r, ap, &facility_id)) <= 0) {
		if (rc == 0)
			log_err("register: facility %s neither inserted nor"
			    " found", ap->ident);
		goto fail;
	}
	if ((rc = q_app_add(r, ap, facility_id, &id)) == DB_EDUP) {
		if (review_active_ref(r->db, r->a, ap->v[A_CALL].i,
		    facility_id, &ap->active) <= 0)
			ap->active = NULL;
		db_rollback(r->db);
		return APPLY_TWICE;
	}
	if (rc < 0 || (rc = q_app_notify(r, ap, id)) < 0 ||
	    (rc = db_commit(r->db)) < 0)
		goto fail;
	return APPLY_OK;
fail:
	db_rollback(r->db);
	return rc < 0 ? rc : DB_EFAIL;
}

/*
 * The form of ap read and checked, the call looked up and open, the
 * facility's identity key made: 0, or the status of the answer written.
 */
static int
apply_read_or_reply(struct req *r, struct apply *ap)
{
	int	 rc;

	rc = req_fields_arg(r, apply_fields, A__MAX, ap->v, &ap->ctx);
	if (rc != 0)
		return rc;
	if (ap->ctx.dberr || ap->ctx.call == CALL_DBERR)
		return resp_db(r);
	if (ap->ctx.call == CALL_UNKNOWN)
		return resp_fail(r, E_NOT_FOUND,
		    "Không tìm thấy đợt hỗ trợ này.");
	if (!ap->ctx.c.open)
		return resp_fail(r, E_CONFLICT,
		    "Đợt hỗ trợ này hiện không nhận hồ sơ (chưa mở hoặc đã"
		    " hết hạn).");
	ap->ident = facility_ident(r->a, ap->v[A_TAX].set ? ap->v[A_TAX].s :
	    NULL, ap->v[A_NAME].s, ap->v[A_UNIT].s);
	if (ap->ident == NULL)
		return resp_fail(r, E_INTERNAL,
		    "Đã có lỗi trong hệ thống. Vui lòng thử lại sau.");
	return 0;
}

/*
 * Store ap: APPLY_OK with its token and reference, APPLY_TWICE,
 * APPLY_FULL, or a DB_E* code. A full call is told at once, without
 * using up a number; the transaction checks again under the call's
 * lock (DB_EBUSY: app.c runs the request again).
 */
static int
apply_store(struct req *r, struct apply *ap)
{
	long long	 n;
	int		 rc;

	if (ap->ctx.c.capacity > 0) {
		if ((rc = reg_call_taken(r, ap->v[A_CALL].i, &n)) < 0)
			return rc;
		if (n >= ap->ctx.c.capacity)
			return APPLY_FULL;
	}
	stoken_new(r->a, &ap->token, &ap->hash);
	if ((rc = q_ref_next(r, &n)) < 0)
		return rc;
	ap->ref = arena_printf(r->a, "KC-%04lld-%06lld", ap->ctx.c.year, n);
	return apply_tx(r, ap);
}

/*
 * POST /api/applications, JSON or form-urlencoded: {call_id, facility:
 * {name, tax_code, owner_name, phone, email, address, unit_code, kind},
 * products[], requested_vnd, note} →
 * 201 {"ref_code","status":"submitted","status_token"} after COMMIT.
 * 422 every invalid field at once; 404 unknown call; 409 call not open
 * now, no place left (capacity), or this facility has an active
 * application to it (named in the message; a rejected or withdrawn one
 * does not count: migration 055's uq_application_live);
 * 503 while the database is down or busy. A plain form post (Accept
 * prefers text/html) gets the same statuses as HTML pages: the receipt
 * with both codes (201) or the errors with their field labels.
 */
static int
h_applications_create(struct req *r)
{
	struct apply	*ap = arena_alloc(r->a, sizeof(*ap));
	json_object	*o;
	int		 rc, html = req_wants_html(r);

	if (html)
		r->html_error = reg_page_apply_error;
	if ((rc = apply_read_or_reply(r, ap)) != 0)
		return rc;
	rc = apply_store(r, ap);
	if (rc == APPLY_TWICE)
		return resp_fail(r, E_CONFLICT, arena_printf(r->a,
		    "Cơ sở này đã nộp hồ sơ cho đợt hỗ trợ này: hồ sơ %s"
		    " đang được xử lý (chưa bị từ chối, chưa rút). Xem hồ sơ"
		    " đó tại trang Tra cứu hồ sơ (/status.html) bằng mã hồ sơ"
		    " và mã tra cứu ghi trên phiếu nhận. Chỉ nộp lại được khi"
		    " hồ sơ đó không được duyệt hoặc đã rút.",
		    ap->active != NULL ? ap->active : "khác"));
	if (rc == APPLY_FULL)
		return resp_fail(r, E_CONFLICT, arena_printf(r->a,
		    "Đợt hỗ trợ đã nhận đủ số hồ sơ (%lld cơ sở). Vui lòng"
		    " chọn đợt hỗ trợ khác.", ap->ctx.c.capacity));
	if (rc < 0)
		return resp_db(r);
	if (html) {
		r->html_error = NULL;
		return reg_page_receipt(r, ap->ref, ap->token, ap->ctx.c.title,
		    ap->v[A_NAME].s, ap->v[A_REQUESTED].i);
	}
	o = json_object_new_object();
	json_object_object_add(o, "ref_code", json_object_new_string(ap->ref));
	json_object_object_add(o, "status",
	    json_object_new_string("submitted"));
	json_object_object_add(o, "status_token",
	    json_object_new_string(ap->token));
	resp_add_header(r, "Location", arena_printf(r->a,
	    "/api/applications/%s", ap->ref));
	return resp_json(r, 201, o);
}

const struct route register_applications_routes[] = {
	{ M_POST, "/api/applications", h_applications_create, 0, 0, 0 },
	ROUTES_END
};
