/*
 * calls: the calls for support (support_call).
 *
 *   GET /api/calls[.csv]	the public list, open calls first
 *
 * and the typed queries an application needs (register.h): a call by its
 * id, the places it has taken, and, in the application's transaction,
 * whether it is full with its row locked.
 */
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "clock.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "values.h"

#include "register.h"

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

enum calls_stmt {
	S_CALLS_LIST,
	S_CALLS_COUNT,
	S_CALL_GET,
	S_CALL_PLACE,
	S_CALL_LOCK,
	S_CALL_TAKEN,
	S_CALLS__MAX
};

static const char *const calls_sql[S_CALLS__MAX] = {
	[S_CALLS_LIST] =
	    /* The columns in call_json's order. */
	    "SELECT id, year, kind, title, description, " SQL_ISO("opens_at")
	    ", " SQL_ISO("closes_at") ", " CLOCK_VN_DAY("opens_at") ", "
	    CLOCK_VN_LAST_DAY("closes_at") ", " OPEN_NOW ", capacity, "
	    REMAINING ", max_support_vnd, activity_id, sample"
	    " FROM support_call" CALL_WHERE
	    " ORDER BY " OPEN_NOW " DESC, closes_at DESC, id DESC"
	    " LIMIT ? OFFSET ?",
	[S_CALLS_COUNT] =
	    "SELECT COUNT(*) FROM support_call" CALL_WHERE,
	[S_CALL_GET] =
	    "SELECT id, year, max_support_vnd, " OPEN_NOW ", capacity, title"
	    " FROM support_call" NOW_JOIN " WHERE id = ?",
	/* In the application's transaction, for a call with a capacity:
	 * a write every such transaction makes to one row of the call
	 * (migration 069), so that in a Galera cluster two of them on
	 * different nodes conflict at certification (a row lock holds on
	 * one node only), then the call's row locked for its capacity. */
	[S_CALL_PLACE] =
	    "INSERT INTO call_place (call_id, writes) VALUES (?, 1)"
	    " ON DUPLICATE KEY UPDATE writes = writes + 1",
	[S_CALL_LOCK] =
	    "SELECT capacity FROM support_call WHERE id = ? FOR UPDATE",
	[S_CALL_TAKEN] =
	    "SELECT COUNT(*) FROM application WHERE call_id = ? AND " LIVE,
};

static struct db_set calls_set = DB_SET("register/calls", calls_sql);

/* The filters of the list, and the instant that says which are open. */
struct call_filter {
	struct db_nint	 year;
	const char	*kind;		/* NULL: any */
	struct db_nint	 open;
	char		 now[CLOCK_SQL_LEN];
};

/* A call as the list reads it and shows it (its CSV: call_cols). */
#define CALL_ROW(X) \
	X(id, J_INT) X(year, J_INT) X(kind, J_STR) X(title, J_STR) \
	X(description, J_STR) X(opens_at, J_STR) X(closes_at, J_STR) \
	X(opens_on, J_STR) X(closes_on, J_STR) X(open, J_BOOL) \
	X(capacity, J_NINT) X(remaining, J_NINT) \
	X(max_support_vnd, J_INT) X(activity_id, J_NINT) X(sample, J_BOOL)
#define CALL_JCOL(m, t)	JCOL(#m, call_row, m, t),

struct call_row { CALL_ROW(ROWS_MEMBER) };
static const struct jcol call_json[] = { CALL_ROW(CALL_JCOL) };

#define NINT(n)		((n).set ? DB_INT((n).v) : DB_NULL)
/* The parameters of CALL_WHERE for filter f. */
#define WHERE_ARGS(f) \
	DB_STR((f)->now), NINT((f)->year), NINT((f)->year), \
	DB_STR((f)->kind), DB_STR((f)->kind), NINT((f)->open), NINT((f)->open)

/* The number of calls filter f lets through: 1 and *total, or < 0. */
static int
q_calls_count(struct req *r, const struct call_filter *f, long long *total)
{
	int	 rc;

	rc = reg_query_int(r, &calls_set, S_CALLS_COUNT,
	    DB_ARGS(WHERE_ARGS(f)), total);
	return rc == 0 ? DB_EFAIL : rc;
}

/*
 * A page of the calls filter f lets through, as *rows (in the arena):
 * the number of rows, or < 0.
 */
static int
q_calls_page(struct req *r, const struct call_filter *f, long long limit,
    long long offset, struct call_row **rows)
{
	void	*out;
	int	 n;

	n = rows_fetch(r->db, r->a, &calls_set, S_CALLS_LIST,
	    DB_ARGS(WHERE_ARGS(f), DB_INT(limit), DB_INT(offset)), call_json,
	    NELEM(call_json), sizeof(**rows), &out);
	*rows = out;
	return n;
}

/*
 * Call id as an application sees it, with now: 1 and *out, 0 when there
 * is no such call, or < 0.
 */
int
reg_call_get(struct req *r, long long id, struct reg_call *out)
{
	struct db_res	*q;
	char		 now[CLOCK_SQL_LEN];

	clock_now_sql(now);
	q = db_squery(r->db, r->a, &calls_set, S_CALL_GET,
	    DB_ARGS(DB_STR(now), DB_INT(id)));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q))
		return 0;
	out->year = db_int(q, 1);
	out->max_vnd = db_int(q, 2);
	out->open = db_int(q, 3) != 0;
	out->capacity = db_isnull(q, 4) ? 0 : db_int(q, 4);
	out->title = db_str(q, 5);
	return 1;
}

/* The live applications of call id: 1 and *taken, or < 0. */
int
reg_call_taken(struct req *r, long long id, long long *taken)
{
	int	 rc;

	rc = reg_query_int(r, &calls_set, S_CALL_TAKEN, DB_ARGS(DB_INT(id)),
	    taken);
	return rc == 0 ? DB_EFAIL : rc;
}

/*
 * Has call id no place left? Run inside the transaction: writes the
 * call's place row (a conflict across cluster nodes: the later commit
 * fails certification and its request runs again), locks the call's
 * row until COMMIT, then counts the live applications (a read after the
 * locks sees every application committed before it). 1 full, 0 not, or
 * a DB_E* code.
 */
int
reg_call_full(struct req *r, long long id)
{
	struct db_res	*q;
	long long	 cap, taken;
	int		 rc;

	if ((rc = db_sexec(r->db, &calls_set, S_CALL_PLACE,
	    DB_ARGS(DB_INT(id)))) < 0)
		return rc;
	q = db_squery(r->db, r->a, &calls_set, S_CALL_LOCK,
	    DB_ARGS(DB_INT(id)));
	if (q == NULL)
		return db_last_error(r->db);
	if (!db_next(q) || db_isnull(q, 0))
		return 0;
	cap = db_int(q, 0);
	if ((rc = reg_call_taken(r, id, &taken)) < 0)
		return rc;
	return taken >= cap;
}

static const char *
check_kind(struct req *r, struct value *v)
{
	(void)r;
	return values_find(values_call_kinds, v->s) >= 0 ? NULL :
	    "Loại hỗ trợ không hợp lệ";
}

enum { C_YEAR, C_KIND, C_OPEN, C__MAX };

static const struct field call_fields[C__MAX] = {
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
	struct value		 v[C__MAX];
	struct call_filter	 f;
	struct call_row		*rows = NULL;
	json_object		*items;
	long long		 page, per_page, total = 0;
	int			 rc, n;

	if ((rc = req_fields(r, call_fields, C__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if (r->csv) {
		page = 1;
		per_page = 100000;
	}
	f.year = (struct db_nint){ v[C_YEAR].i, v[C_YEAR].set };
	f.kind = v[C_KIND].set ? v[C_KIND].s : NULL;
	f.open = (struct db_nint){ v[C_OPEN].i, v[C_OPEN].set };
	clock_now_sql(f.now);
	if (q_calls_count(r, &f, &total) < 0 ||
	    (n = q_calls_page(r, &f, per_page, (page - 1) * per_page,
	    &rows)) < 0)
		return resp_db(r);
	items = rows_array(rows, sizeof(*rows), (size_t)n, call_json,
	    NELEM(call_json));
	r->cache_seconds = 5;
	return resp_list(r, items, total, page, per_page, "calls",
	    call_cols, NELEM(call_cols));
}

const struct route register_calls_routes[] = {
	{ M_GET, "/api/calls", h_calls_list, R_CSV, 0, 0 },
	ROUTES_END
};
