/*
 * ledger: the rules of an activity's money lines. See ledger.h.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "ledger.h"
#include "money.h"
#include "resp.h"
#include "rows.h"

enum ledger_stmt {
	S_LEDGER_ACTIVITY, S_LEDGER_SUM_ALLOC, S_LEDGER_SUM_DISB,
	S_LEDGER_SUM_SETTLE, S_LEDGER_APP_BY_REF, S_LEDGER_APP_BY_ID,
	S_LEDGER_FACILITY, S_LEDGER_UNIT_ON, S_LEDGER__MAX
};
/* Each kind's sum: all its lines, and line ? alone (0: none). */
#define LEDGER_SUM(table) \
	"SELECT COALESCE(SUM(amount_vnd), 0)," \
	" COALESCE(SUM(IF(id = ?, amount_vnd, 0)), 0) FROM " table \
	" WHERE activity_id = ? LOCK IN SHARE MODE"
#define LEDGER_APP \
	"SELECT a.id, a.ref_code, a.facility_id, f.name, c.year, c.title" \
	" FROM application a JOIN support_call c ON c.id = a.call_id" \
	" JOIN facility f ON f.id = a.facility_id"
static const char *const ledger_sql[S_LEDGER__MAX] = {
	[S_LEDGER_ACTIVITY] =
	    "SELECT id, year, planned_vnd FROM activity WHERE id = ?"
	    " FOR UPDATE",
	[S_LEDGER_SUM_ALLOC] = LEDGER_SUM("allocation"),
	[S_LEDGER_SUM_DISB] = LEDGER_SUM("disbursement"),
	[S_LEDGER_SUM_SETTLE] = LEDGER_SUM("settlement"),
	[S_LEDGER_APP_BY_REF] = LEDGER_APP " WHERE a.ref_code = ?",
	[S_LEDGER_APP_BY_ID] = LEDGER_APP " WHERE a.id = ?",
	[S_LEDGER_FACILITY] =
	    "SELECT COALESCE(unit_id, 0) FROM facility WHERE id = ?",
	[S_LEDGER_UNIT_ON] =
	    "SELECT id FROM admin_unit WHERE code = ? AND level <> 'province'"
	    " AND (valid_from IS NULL OR valid_from <= ?)"
	    " AND (valid_to IS NULL OR valid_to >= ?) LIMIT 1",
};
static struct db_set ledger_set = DB_SET("lib/ledger", ledger_sql);

static const struct jcol activity_cols[] = {
	JCOL("id", ledger_activity, id, J_INT),
	JCOL("year", ledger_activity, year, J_INT),
	JCOL("planned_vnd", ledger_activity, planned_vnd, J_INT),
};
/* The first column of a row as an id. */
static const struct jcol id_col[] = { { "id", 0, J_INT } };

/* The sums of an activity's lines of each kind, without the line. */
struct ledger_sums {
	long long	 other[LEDGER__MAX];	/* every line but the one */
	long long	 old;			/* the line's present amount */
};

/* n as "2.080.000.000 đ", in the arena. */
static char *
vnd(struct arena *a, long long n)
{
	char	 buf[40];

	return arena_strdup(a, money_format(buf, sizeof(buf), n));
}

/* Activity id, locked for the transaction: 1, 0 none, or < 0. */
int
ledger_lock(struct db *db, struct arena *a, long long id,
    struct ledger_activity *out)
{
	return rows_get(db, a, &ledger_set, S_LEDGER_ACTIVITY,
	    DB_ARGS(DB_INT(id)), activity_cols, NELEM(activity_cols), out);
}

/* The sums of act's lines, line id (of kind k) apart: 0, or < 0. */
static int
q_sums(struct db *db, struct arena *a, const struct ledger_activity *act,
    enum ledger_kind k, long long id, struct ledger_sums *s)
{
	struct db_res	*q;
	int		 i;

	s->old = 0;
	for (i = 0; i < LEDGER__MAX; i++) {
		if ((q = db_squery(db, a, &ledger_set, S_LEDGER_SUM_ALLOC + i,
		    DB_ARGS(DB_INT(i == (int)k ? id : 0), DB_INT(act->id)))) ==
		    NULL)
			return db_last_error(db);
		if (!db_next(q))
			return DB_EFAIL;
		s->other[i] = db_int(q, 0) - db_int(q, 1);
		if (i == (int)k)
			s->old = db_int(q, 1);
	}
	return 0;
}

/* An application as a disbursement checks it (LEDGER_APP's columns). */
#define LEDGER_APP_COLS(X) \
	X(id, J_INT) X(ref_code, J_STR) X(facility_id, J_INT) \
	X(facility_name, J_STR) X(year, J_INT) X(call_title, J_STR)
struct ledger_app { LEDGER_APP_COLS(ROWS_MEMBER) };
#define LEDGER_APP_JCOL(m, t)	JCOL(#m, ledger_app, m, t),
static const struct jcol app_cols[] = { LEDGER_APP_COLS(LEDGER_APP_JCOL) };

/* The application by reference code or id: 1, 0 none, or < 0. */
static int
q_app(struct db *db, struct arena *a, const char *ref, long long id,
    struct ledger_app *out)
{
	struct db_param	 p = ref != NULL ? DB_STR(ref) : DB_INT(id);

	return rows_get(db, a, &ledger_set, ref != NULL ?
	    S_LEDGER_APP_BY_REF : S_LEDGER_APP_BY_ID, &p, 1, app_cols,
	    NELEM(app_cols), out);
}

/* Facility id's unit (0: none) into *unit: 1, 0 none, or < 0. */
static int
q_facility(struct db *db, struct arena *a, long long id, long long *unit)
{
	return rows_get(db, a, &ledger_set, S_LEDGER_FACILITY,
	    DB_ARGS(DB_INT(id)), id_col, NELEM(id_col), unit);
}

/* The unit of code valid on day (below a province): 1, 0, < 0. */
static int
q_unit_on(struct db *db, struct arena *a, const char *code, const char *day,
    long long *id)
{
	return rows_get(db, a, &ledger_set, S_LEDGER_UNIT_ON,
	    DB_ARGS(DB_STR(code), DB_STR(day), DB_STR(day)), id_col,
	    NELEM(id_col), id);
}

/* Refuse with field and message: 1. */
static int
refuse(struct ledger_err *e, const char *field, const char *message)
{
	e->field = field;
	e->message = message;
	return 1;
}

/*
 * The application of l (by reference code, else by id): it must exist,
 * belong to l's facility (which it gives when none was named) and to a
 * call of act's plan year. 0, 1 refused, or < 0.
 */
static int
check_app(struct db *db, struct arena *a, const struct ledger_activity *act,
    struct ledger_line *l, struct ledger_err *e)
{
	struct ledger_app	 ap = { 0, NULL, 0, NULL, 0, NULL };
	const char		*field = l->ref_code != NULL ? "ref_code" :
				    "application_id";
	int			 rc;

	if ((rc = q_app(db, a, l->ref_code, l->application_id, &ap)) < 0)
		return rc;
	if (rc == 0)
		return refuse(e, field, l->ref_code != NULL ?
		    arena_printf(a, "Không có hồ sơ nào mang mã %s",
		    l->ref_code) : "Không có hồ sơ này");
	if (l->ref_code != NULL && l->application_id != 0 &&
	    l->application_id != ap.id)
		return refuse(e, "application_id", arena_printf(a,
		    "Mã hồ sơ %s không khớp với hồ sơ đã chọn", ap.ref_code));
	if (l->facility_id != 0 && l->facility_id != ap.facility_id)
		return refuse(e, field, arena_printf(a, "Hồ sơ %s là của cơ"
		    " sở «%s», không phải của cơ sở thụ hưởng đã chọn",
		    ap.ref_code, ap.facility_name));
	if (ap.year != act->year)
		return refuse(e, field, arena_printf(a, "Hồ sơ %s thuộc đợt"
		    " hỗ trợ «%s» năm %lld, không thuộc kế hoạch năm %lld của"
		    " hoạt động này", ap.ref_code, ap.call_title, ap.year,
		    act->year));
	l->application_id = ap.id;
	l->facility_id = ap.facility_id;
	return 0;
}

/*
 * A disbursement's beneficiary and unit: an application (its facility),
 * a facility, or a beneficiary's name; the unit stated (valid on the
 * day) or the facility's. 0, 1 refused, or < 0.
 */
static int
check_beneficiary(struct db *db, struct arena *a,
    const struct ledger_activity *act, struct ledger_line *l,
    struct ledger_err *e)
{
	long long	 unit = 0;
	int		 rc;

	l->unit_id = 0;
	if (l->ref_code == NULL && l->facility_id == 0 &&
	    l->application_id == 0 && l->beneficiary == NULL)
		return refuse(e, "beneficiary", "Cần mã hồ sơ (KC-…), cơ sở"
		    " thụ hưởng hoặc tên đơn vị thụ hưởng");
	if ((l->ref_code != NULL || l->application_id != 0) &&
	    (rc = check_app(db, a, act, l, e)) != 0)
		return rc;
	if (l->facility_id != 0 &&
	    (rc = q_facility(db, a, l->facility_id, &unit)) <= 0)
		return rc < 0 ? rc : refuse(e, "facility_id",
		    "Không có cơ sở này");
	if (l->unit_code == NULL) {
		l->unit_id = unit;
		return 0;
	}
	if ((rc = q_unit_on(db, a, l->unit_code, l->date, &l->unit_id)) <= 0)
		return rc < 0 ? rc : refuse(e, "unit_code",
		    "Không có đơn vị hành chính này vào ngày chi");
	return 0;
}

/* Refused: what would be more than its limit, and by how much. */
static int
over(struct arena *a, struct ledger_err *e, const char *field,
    const char *what, long long n, const char *limit, long long max)
{
	return refuse(e, field, arena_printf(a, "%s sẽ là %s, vượt %s (%s)"
	    " %s.", what, vnd(a, n), limit, vnd(a, max), vnd(a, n - max)));
}

/* Refused: what would be left less than what depends on it. */
static int
under(struct arena *a, struct ledger_err *e, int del, const char *what,
    long long n, const char *need, long long min)
{
	return refuse(e, del ? "id" : "amount_vnd", arena_printf(a,
	    "%s thì %s chỉ còn %s, ít hơn %s (%s) %s.", del ?
	    "Xoá dòng này" : "Sửa như vậy", what, vnd(a, n), need,
	    vnd(a, min), vnd(a, min - n)));
}

/*
 * The limits of line kind k becoming amount (0: deleted), the other
 * lines' sums s: 0, or 1 refused with its reason. A limit is checked
 * only when the change moves towards it.
 */
static int
check_limits(struct arena *a, const struct ledger_activity *act,
    enum ledger_kind k, long long amount, const struct ledger_sums *s,
    struct ledger_err *e)
{
	long long	 t[LEDGER__MAX];
	int		 more = amount > s->old, del = amount == 0;
	const char	*field = del ? "id" : "amount_vnd";

	memcpy(t, s->other, sizeof(t));
	t[k] += amount;
	if (k == LEDGER_ALLOC && more && t[k] > act->planned_vnd)
		return over(a, e, field, "Tổng kinh phí giao", t[k],
		    "kinh phí kế hoạch của hoạt động", act->planned_vnd);
	if (k == LEDGER_DISB && more && t[k] > t[LEDGER_ALLOC])
		return over(a, e, field, "Tổng giải ngân", t[k],
		    "kinh phí đã giao", t[LEDGER_ALLOC]);
	if (k == LEDGER_SETTLE && more && t[k] > t[LEDGER_DISB])
		return over(a, e, field, "Tổng quyết toán", t[k],
		    "số đã giải ngân", t[LEDGER_DISB]);
	if (k == LEDGER_ALLOC && !more && t[LEDGER_DISB] > t[k])
		return under(a, e, del, "kinh phí đã giao", t[k],
		    "số đã giải ngân", t[LEDGER_DISB]);
	if (k == LEDGER_DISB && !more && t[LEDGER_SETTLE] > t[k])
		return under(a, e, del, "số đã giải ngân", t[k],
		    "số đã quyết toán", t[LEDGER_SETTLE]);
	return 0;
}

/*
 * May line l be written (added, or line l->id corrected) to activity act,
 * locked by ledger_lock() in this transaction? 0 yes (a disbursement's
 * facility, application and unit filled in), 1 no (e says why), < 0 a
 * database error.
 */
int
ledger_check(struct db *db, struct arena *a, const struct ledger_activity *act,
    struct ledger_line *l, struct ledger_err *e)
{
	struct ledger_sums	 s;
	int			 rc;

	if (l->amount_vnd <= 0)
		return refuse(e, "amount_vnd",
		    "Số tiền phải là số đồng nguyên dương");
	if (l->kind == LEDGER_DISB &&
	    (rc = check_beneficiary(db, a, act, l, e)) != 0)
		return rc;
	if ((rc = q_sums(db, a, act, l->kind, l->id, &s)) < 0)
		return rc;
	return check_limits(a, act, l->kind, l->amount_vnd, &s, e);
}

/* May line id of kind k go from activity act? As ledger_check(). */
int
ledger_delete_check(struct db *db, struct arena *a,
    const struct ledger_activity *act, enum ledger_kind k, long long id,
    struct ledger_err *e)
{
	struct ledger_sums	 s;
	int			 rc;

	if ((rc = q_sums(db, a, act, k, id, &s)) < 0)
		return rc;
	return check_limits(a, act, k, 0, &s, e);
}
