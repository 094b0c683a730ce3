/*
 * Lines: the money lines of an activity (allocations, disbursements,
 * settlements), for finance. Their lists come with the activity
 * (activities.c's GET /api/admin/activities/{id}, through staff_lines_add).
 *
 *   POST   /api/admin/activities/{id}/allocations      finance
 *   POST   /api/admin/activities/{id}/disbursements    finance
 *   POST   /api/admin/activities/{id}/settlements      finance
 *   PUT    /api/admin/{allocations|disbursements|settlements}/{id}
 *   DELETE /api/admin/{allocations|disbursements|settlements}/{id}
 *
 * The rules a line must keep (the activity's limits, a disbursement's
 * beneficiary by reference code or facility) are cgi/lib/ledger's, under
 * the activity's row lock. Each change in one transaction with its audit
 * row ("<kind>.create", ".update" with before and after, ".delete" with
 * before only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "ledger.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"

/* Every kind's line has the same columns (struct line_row's). */
#define LINE_NODISB \
	", NULL, NULL, NULL, NULL, NULL, NULL, NULL"
#define DISB_SEL \
	"SELECT d.id, d.activity_id, d.amount_vnd, " SQL_YMD("d.paid_on") \
	", d.voucher_no, d.note, d.facility_id, d.beneficiary," \
	" d.application_id, u.code, a.ref_code, f.name, u.name" \
	" FROM disbursement d" \
	" LEFT JOIN facility f ON f.id = d.facility_id" \
	" LEFT JOIN application a ON a.id = d.application_id" \
	" LEFT JOIN admin_unit u ON u.id = d.unit_id"
/* A line's activity (locked: " FOR UPDATE" after it), a line removed. */
#define LINE_OF(tbl)	"SELECT activity_id FROM " tbl " WHERE id = ?"
#define LINE_DELETE(tbl) "DELETE FROM " tbl " WHERE id = ?"
/*
 * The statements of a kind whose line is an amount on a date with a
 * document number and a note (allocation, settlement): prefix P of its
 * S_* names, its table, the date and the document columns.
 */
#define PLAIN_LINE_SQL(P, tbl, date, doc) \
	[P##_LIST] = PLAIN_SEL(tbl, date, doc) " WHERE activity_id = ?" \
	    " ORDER BY " date ", id", \
	[P##_INSERT] = "INSERT INTO " tbl " (activity_id, amount_vnd, " date \
	    ", " doc ", note) VALUES (?, ?, ?, ?, ?)", \
	[P##_OF] = LINE_OF(tbl), \
	[P##_LOCK] = LINE_OF(tbl) " FOR UPDATE", \
	[P##_ROW] = PLAIN_SEL(tbl, date, doc) " WHERE id = ?", \
	[P##_UPDATE] = "UPDATE " tbl " SET amount_vnd = ?, " date " = ?, " \
	    doc " = ?, note = ? WHERE id = ?", \
	[P##_DELETE] = LINE_DELETE(tbl),
#define PLAIN_SEL(tbl, date, doc) \
	"SELECT id, activity_id, amount_vnd, " SQL_YMD(date) ", " doc \
	", note" LINE_NODISB " FROM " tbl

enum lines_stmt {
	S_ALLOC_LIST, S_ALLOC_INSERT, S_ALLOC_OF, S_ALLOC_LOCK, S_ALLOC_ROW,
	S_ALLOC_UPDATE, S_ALLOC_DELETE,
	S_DISB_LIST, S_DISB_INSERT, S_DISB_OF, S_DISB_LOCK, S_DISB_ROW,
	S_DISB_UPDATE, S_DISB_DELETE,
	S_SETTLE_LIST, S_SETTLE_INSERT, S_SETTLE_OF, S_SETTLE_LOCK,
	S_SETTLE_ROW, S_SETTLE_UPDATE, S_SETTLE_DELETE, S_LINES__MAX
};
static const char *const lines_sql[S_LINES__MAX] = {
	PLAIN_LINE_SQL(S_ALLOC, "allocation", "allocated_on", "decision_no")
	PLAIN_LINE_SQL(S_SETTLE, "settlement", "settled_on", "document_no")
	[S_DISB_LIST] =
	    DISB_SEL " WHERE d.activity_id = ? ORDER BY d.paid_on, d.id",
	[S_DISB_INSERT] =
	    "INSERT INTO disbursement (activity_id, amount_vnd, paid_on,"
	    " voucher_no, facility_id, beneficiary, application_id, unit_id,"
	    " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_DISB_OF] = LINE_OF("disbursement"),
	[S_DISB_LOCK] = LINE_OF("disbursement") " FOR UPDATE",
	[S_DISB_ROW] = DISB_SEL " WHERE d.id = ?",
	[S_DISB_UPDATE] =
	    "UPDATE disbursement SET amount_vnd = ?, paid_on = ?,"
	    " voucher_no = ?, note = ?, facility_id = ?, beneficiary = ?,"
	    " application_id = ?, unit_id = ? WHERE id = ?",
	[S_DISB_DELETE] = LINE_DELETE("disbursement"),
};
static struct db_set lines_set = DB_SET("staff/lines", lines_sql);

/* One line of any kind, as its statements select it. */
struct line_row {
	long long	 id, activity_id, amount_vnd;
	const char	*date, *document_no, *note;
	long long	 facility_id;	/* 0: none */
	const char	*facility_name, *beneficiary;
	long long	 application_id;	/* 0: none */
	const char	*ref_code, *unit_code, *unit_name;
};

/* Each kind's list (in the activity) and its line (API, audit trail). */
#define LC(path, member, type)	JCOL(path, line_row, member, type)
/* The columns every list starts with; a plain kind's (date and document
 * named d and n). */
#define LINE_HEAD \
	LC("id", id, J_INT), LC("activity_id", activity_id, J_INT), \
	LC("amount_vnd", amount_vnd, J_INT)
#define PLAIN_LIST(d, n) \
	{ LINE_HEAD, LC(d, date, J_STR), LC(n, document_no, J_STR), \
	    LC("note", note, J_STR) }
static const struct jcol alloc_list[] =
    PLAIN_LIST("allocated_on", "decision_no");
static const struct jcol settle_list[] =
    PLAIN_LIST("settled_on", "document_no");
static const struct jcol disb_list[] = { LINE_HEAD,
	LC("paid_on", date, J_STR), LC("voucher_no", document_no, J_STR),
	LC("facility_id", facility_id, J_ID),
	LC("facility_name", facility_name, J_STR),
	LC("beneficiary", beneficiary, J_STR),
	LC("application_id", application_id, J_ID),
	LC("unit_code", unit_code, J_STR), LC("unit_name", unit_name, J_STR),
	LC("note", note, J_STR), LC("ref_code", ref_code, J_STR) };
/*
 * A line as its statements select it (*_SEL); as the API shows it, the
 * first six for every kind, the first NLINE for a disbursement.
 */
static const struct jcol line_cols[] = { LINE_HEAD,
	LC("date", date, J_STR), LC("document_no", document_no, J_STR),
	LC("note", note, J_STR), LC("facility_id", facility_id, J_ID),
	LC("beneficiary", beneficiary, J_STR),
	LC("application_id", application_id, J_ID),
	LC("unit_code", unit_code, J_STR), LC("ref_code", ref_code, J_STR),
	LC("facility_name", facility_name, J_STR),
	LC("unit_name", unit_name, J_STR) };
#define NLINE		(NELEM(line_cols) - 2)
#define NLINE_JSON(k)	((k)->kind == LEDGER_DISB ? NLINE : 6)

/*
 * The three kinds of money line: their statements (S_*_LIST first, the
 * rest in the same order for each) and the columns of their lists.
 */
enum { L_LIST, L_INSERT, L_OF, L_LOCK, L_ROW, L_UPDATE, L_DELETE };
struct line_kind {
	const char		*name;		/* in the audit trail */
	const char		*key;		/* the activity's list */
	int			 stmt;		/* its S_*_LIST */
	const struct jcol	*cols;		/* of that list */
	size_t			 ncols;
	enum ledger_kind	 kind;
};
static const struct line_kind line_kinds[LEDGER__MAX] = {
	[LEDGER_ALLOC] = { "allocation", "allocations", S_ALLOC_LIST,
	    alloc_list, NELEM(alloc_list), LEDGER_ALLOC },
	[LEDGER_DISB] = { "disbursement", "disbursements", S_DISB_LIST,
	    disb_list, NELEM(disb_list), LEDGER_DISB },
	[LEDGER_SETTLE] = { "settlement", "settlements", S_SETTLE_LIST,
	    settle_list, NELEM(settle_list), LEDGER_SETTLE },
};

/* A line's input: four for every kind, then disbursements' own. */
enum {
	LF_AMOUNT, LF_DATE, LF_DOCUMENT, LF_NOTE, LF_FACILITY, LF_BENEFICIARY,
	LF_APPLICATION, LF_UNIT, LF_REF, LF__MAX
};

/* The lines of kind k of activity aid, in the arena: the count, or < 0. */
static int
q_lines_list(struct req *r, const struct line_kind *k, long long aid,
    struct line_row **out)
{
	void	*rows;
	int	 n;

	n = rows_fetch(r->db, r->a, &lines_set, k->stmt + L_LIST,
	    DB_ARGS(DB_INT(aid)), line_cols, NELEM(line_cols), sizeof(**out),
	    &rows);
	*out = rows;
	return n;
}

/* Each kind's list of activity id, under its key in o: 0, or < 0. */
int
staff_lines_add(struct req *r, json_object *o, long long id)
{
	const struct line_kind	*k;
	struct line_row		*rows = NULL;
	int			 n;

	for (k = line_kinds; k < line_kinds + LEDGER__MAX; k++) {
		if ((n = q_lines_list(r, k, id, &rows)) < 0)
			return n;
		json_object_object_add(o, k->key, rows_array(rows,
		    sizeof(*rows), (size_t)n, k->cols, k->ncols));
	}
	return 0;
}

/* The activity of line id of kind k (locked: lock): 1, 0 none, < 0. */
static int
q_line_activity(struct req *r, const struct line_kind *k, long long id,
    int lock, long long *aid)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, &lines_set, k->stmt + (lock ? L_LOCK : L_OF),
	    DB_ARGS(DB_INT(id)), &q)) > 0)
		*aid = db_int(q, 0);
	return rc;
}

/* Line id as the API shows it: 1, 0, or < 0. */
static int
q_line_row(struct req *r, const struct line_kind *k, long long id,
    json_object **out)
{
	struct line_row	 l;
	int		 rc;

	*out = NULL;
	if ((rc = rows_get(r->db, r->a, &lines_set, k->stmt + L_ROW,
	    DB_ARGS(DB_INT(id)), line_cols, NELEM(line_cols), &l)) > 0)
		*out = rows_object(&l, line_cols, NLINE_JSON(k));
	return rc;
}

#define OPT_INT(n)	((n) != 0 ? DB_INT(n) : DB_NULL)
#define LINE_ARGS(l) \
	DB_INT((l)->amount_vnd), DB_STR((l)->date), DB_STR(doc)
#define DISB_ARGS(l) \
	OPT_INT((l)->facility_id), DB_STR((l)->beneficiary), \
	OPT_INT((l)->application_id), OPT_INT((l)->unit_id)

/* A new line l of activity aid; its id into *id: 0, or < 0. */
static int
q_line_insert(struct req *r, const struct line_kind *k, long long aid,
    const struct ledger_line *l, const char *doc, const char *note,
    long long *id)
{
	int	 rc;

	if (k->kind == LEDGER_DISB)
		rc = db_sexec(r->db, &lines_set, k->stmt + L_INSERT, DB_ARGS(
		    DB_INT(aid), LINE_ARGS(l), DISB_ARGS(l), DB_STR(note)));
	else
		rc = db_sexec(r->db, &lines_set, k->stmt + L_INSERT, DB_ARGS(
		    DB_INT(aid), LINE_ARGS(l), DB_STR(note)));
	if (rc < 0)
		return rc;
	*id = db_insert_id(r->db);
	return 0;
}

/* Line l->id as l says, or gone when l is NULL: 0, or < 0. */
static int
q_line_change(struct req *r, const struct line_kind *k, long long id,
    const struct ledger_line *l, const char *doc, const char *note)
{
	int	 rc;

	if (l == NULL)
		rc = db_sexec(r->db, &lines_set, k->stmt + L_DELETE,
		    DB_ARGS(DB_INT(id)));
	else if (k->kind == LEDGER_DISB)
		rc = db_sexec(r->db, &lines_set, k->stmt + L_UPDATE, DB_ARGS(
		    LINE_ARGS(l), DB_STR(note), DISB_ARGS(l), DB_INT(id)));
	else
		rc = db_sexec(r->db, &lines_set, k->stmt + L_UPDATE, DB_ARGS(
		    LINE_ARGS(l), DB_STR(note), DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/* A reference code as the office writes it: KC-2026-000123. */
static const char *
check_ref(struct req *r, struct value *v)
{
	char	*s = arena_strdup(r->a, v->s), *p;

	for (p = s; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (!(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '-')
			return "Mã hồ sơ chỉ gồm chữ, số và dấu gạch ngang"
			    " (ví dụ KC-2026-000123)";
	}
	v->s = s;
	return NULL;
}

static const struct field line_fields[LF__MAX] = {
	[LF_AMOUNT] = { "amount_vnd", F_MONEY, F_REQUIRED, 1,
	    1000000000000000LL, NULL },
	[LF_DATE] = { "date", F_DATE, F_REQUIRED, 0, 0, NULL },
	[LF_DOCUMENT] = { "document_no", F_STR, 0, 1, 60, NULL },
	[LF_NOTE] = { "note", F_STR, 0, 1, 500, NULL },
	/* disbursements only: */
	[LF_FACILITY] = { "facility_id", F_INT, 0, 1, 1LL << 53, NULL },
	[LF_BENEFICIARY] = { "beneficiary", F_STR, 0, 2, 255, NULL },
	[LF_APPLICATION] = { "application_id", F_INT, 0, 1, 1LL << 53, NULL },
	[LF_UNIT] = { "unit_code", F_STR, 0, 1, 10, NULL },
	[LF_REF] = { "ref_code", F_STR, 0, 4, 20, check_ref },
};

#define VSTR_OR_NULL(v)	((v).set ? (v).s : NULL)
#define VINT_OR_0(v)	((v).set ? (v).i : 0)

/*
 * The fields of a line of kind k into l (its document number and note
 * into *doc, *note): 0, or the 422 written.
 */
static int
line_fields_read(struct req *r, const struct line_kind *k, long long id,
    struct ledger_line *l, const char **doc, const char **note)
{
	struct value	 v[LF__MAX];
	int		 rc;

	if ((rc = req_fields(r, line_fields, k->kind == LEDGER_DISB ?
	    LF__MAX : LF_FACILITY, v)) != 0)
		return rc;
	memset(l, 0, sizeof(*l));
	l->kind = k->kind;
	l->id = id;
	l->amount_vnd = v[LF_AMOUNT].i;
	l->date = v[LF_DATE].s;
	*doc = VSTR_OR_NULL(v[LF_DOCUMENT]);
	*note = VSTR_OR_NULL(v[LF_NOTE]);
	if (k->kind != LEDGER_DISB)
		return 0;
	l->ref_code = VSTR_OR_NULL(v[LF_REF]);
	l->facility_id = VINT_OR_0(v[LF_FACILITY]);
	l->application_id = VINT_OR_0(v[LF_APPLICATION]);
	l->beneficiary = VSTR_OR_NULL(v[LF_BENEFICIARY]);
	l->unit_code = VSTR_OR_NULL(v[LF_UNIT]);
	return 0;
}

/*
 * Lock activity aid, then check l against its rules (ledger_check), or
 * its line l->id's removal when del: 0, or the status written (404 for
 * an unknown activity, 422 or 409 with the rule's message, 5xx; the
 * transaction rolled back).
 */
static int
line_allowed(struct req *r, long long aid, struct ledger_line *l,
    int del)
{
	struct ledger_activity	 act;
	struct ledger_err	 e;
	int			 rc;

	if ((rc = ledger_lock(r->db, r->a, aid, &act)) <= 0)
		return staff_tx_absent(r, rc);
	rc = del ? ledger_delete_check(r->db, r->a, &act, l->kind, l->id, &e) :
	    ledger_check(r->db, r->a, &act, l, &e);
	if (rc < 0)
		return staff_fail_db(r);
	if (rc == 0)
		return 0;
	if (del)
		return staff_fail_conflict(r, e.message);
	db_rollback(r->db);
	return staff_invalid(r, e.field, e.message);
}

/*
 * The kind of line the route's path names: its last segment (POST
 * /api/admin/activities/{id}/<key>) or the one after /api/admin/ (PUT and
 * DELETE /api/admin/<key>/{id}).
 */
static const struct line_kind *
line_kind_of(const struct req *r)
{
	const char	*last = strrchr(r->path, '/') + 1;
	const char	*first = r->path + strlen("/api/admin/");
	size_t		 i, n;

	for (i = 0; i < LEDGER__MAX - 1; i++) {
		n = strlen(line_kinds[i].key);
		if (strcmp(last, line_kinds[i].key) == 0 ||
		    (strncmp(first, line_kinds[i].key, n) == 0 &&
		    first[n] == '/'))
			break;
	}
	return &line_kinds[i];
}

/*
 * POST /api/admin/activities/{id}/allocations, .../disbursements,
 * .../settlements (finance): {amount_vnd, date, document_no? (decision,
 * voucher or settlement document number), note?}; a disbursement also
 * names its beneficiary: ref_code (an application's KC-…: its facility),
 * facility_id (picked from GET /api/admin/facilities) or beneficiary (a
 * unit that is no facility), and optionally application_id and
 * unit_code (where the money went, a unit valid on that date; by default
 * the facility's). → 201 the line {id, activity_id, amount_vnd, date,
 * document_no, note[, facility_id, beneficiary, application_id,
 * unit_code, ref_code]}; 404 for an unknown activity; 422 (with the
 * limit it would pass and by how much, or why the application does not
 * fit).
 */
static int
h_lines_create(struct req *r)
{
	const struct line_kind	*k = line_kind_of(r);
	struct ledger_line	 l;
	json_object		*after;
	const char		*doc, *note;
	long long		 aid = staff_param_id(r, 0), id;
	int			 rc;

	if ((rc = line_fields_read(r, k, 0, &l, &doc, &note)) != 0)
		return rc;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = line_allowed(r, aid, &l, 0)) != 0)
		return rc;
	if (q_line_insert(r, k, aid, &l, doc, note, &id) < 0 ||
	    q_line_row(r, k, id, &after) <= 0)
		return staff_fail_db(r);
	return staff_commit_audited(r, arena_printf(r->a, "%s.create",
	    k->name), k->name, staff_id_text(r, id), NULL, after, 201, after);
}

/*
 * Inside the transaction: line id's activity, locked before the line
 * (the order every writer of an activity's lines takes), then the line.
 * 1 and *aid, or the status written (404 when there is no such line).
 */
static int
line_lock(struct req *r, const struct line_kind *k, long long id,
    long long *aid)
{
	long long	 again;
	int		 rc;

	if ((rc = q_line_activity(r, k, id, 0, aid)) <= 0)
		return staff_tx_absent(r, rc);
	if ((rc = ledger_lock(r->db, r->a, *aid, &(struct ledger_activity){
	    0, 0, 0 })) <= 0 ||
	    (rc = q_line_activity(r, k, id, 1, &again)) <= 0)
		return staff_tx_absent(r, rc);
	return 1;
}

/*
 * PUT /api/admin/{allocations|disbursements|settlements}/{id} (finance):
 * corrects a line; the same fields as when it was added (the whole line:
 * a field left out becomes empty), the activity stays; the same rules.
 * → 200 the line as POST answers it; 404 unknown line; 422.
 * DELETE /api/admin/{allocations|disbursements|settlements}/{id}
 * (finance) → 200 {"id","deleted":true}; 404; 409 when the removal
 * would leave more disbursed than allocated, or more settled than
 * disbursed (the message says by how much).
 * Each in one transaction with its audit row: "<kind>.update" with
 * before and after, "<kind>.delete" with before only.
 */
static int
h_lines_change(struct req *r)
{
	const struct line_kind	*k = line_kind_of(r);
	int			 del = r->method == M_DELETE;
	struct ledger_line	 l = { .kind = k->kind };
	json_object		*before, *after = NULL;
	const char		*doc = NULL, *note = NULL;
	long long		 id = staff_param_id(r, 0), aid = 0;
	int			 rc;

	if (!del && (rc = line_fields_read(r, k, id, &l, &doc, &note)) != 0)
		return rc;
	if (id == 0)
		return staff_not_found(r);
	l.id = id;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = line_lock(r, k, id, &aid)) != 1 ||
	    (rc = line_allowed(r, aid, &l, del)) != 0)
		return rc;
	if (q_line_row(r, k, id, &before) <= 0)
		return staff_fail_db(r);
	if (q_line_change(r, k, id, del ? NULL : &l, doc, note) < 0 ||
	    (!del && q_line_row(r, k, id, &after) <= 0)) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	return staff_commit_audited(r, arena_printf(r->a, "%s.%s", k->name,
	    del ? "delete" : "update"), k->name, staff_id_text(r, id), before,
	    after, 200, del ? staff_deleted_json("id", id, NULL) : after);
}

const struct route staff_lines_routes[] = {
	{ M_POST, "/api/admin/activities/{}/allocations", h_lines_create, 0,
	    0, ROLE_FINANCE },
	{ M_POST, "/api/admin/activities/{}/disbursements", h_lines_create, 0,
	    0, ROLE_FINANCE },
	{ M_POST, "/api/admin/activities/{}/settlements", h_lines_create, 0,
	    0, ROLE_FINANCE },
	{ M_PUT | M_DELETE, "/api/admin/allocations/{}", h_lines_change, 0, 0,
	    ROLE_FINANCE },
	{ M_PUT | M_DELETE, "/api/admin/disbursements/{}", h_lines_change, 0, 0,
	    ROLE_FINANCE },
	{ M_PUT | M_DELETE, "/api/admin/settlements/{}", h_lines_change, 0, 0,
	    ROLE_FINANCE },
	ROUTES_END
};
