/*
 * Duplicates: the import's possible-duplicate warnings as a queue
 * (dup_pair, migration 058), and the merges of two products, which can be
 * undone. Importer (and admin) write; auditors read.
 *
 *   GET  /api/admin/duplicates?status=open|merged|dismissed
 *   POST /api/admin/duplicates/{id}/dismiss     {reason}
 *   POST /api/admin/products/{id}/merge         {into, pair_id?}
 *   GET  /api/admin/merges[?product=]           the merges, newest first
 *   POST /api/admin/merges/{id}/undo
 *
 * A merge moves the awards of product {id} to product `into` (an award
 * of a year and level the kept one already has is removed, its values
 * kept), marks {id} merged into it (its id then answers with the kept
 * one, and it leaves the listing), keeps its name key as an alias of the
 * kept product for the import's matching, and records in product_merge
 * and product_merge_row everything it changed: un-merge puts it back
 * exactly, unless a later change moved those rows again (409 with the
 * list). Only products of one facility merge (the pair the import warns
 * about); two facilities are merged first (fmerge.c) when they are
 * the same one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"

/* One side of a pair: the product, its facility, district and awards. */
#define PSIDE(p) \
	"JSON_OBJECT('id', " p ".id, 'name', " p ".name, 'facility_id'," \
	" " p ".facility_id, 'facility', (SELECT f.name FROM facility f" \
	" WHERE f.id = " p ".facility_id), 'district', (SELECT u.name" \
	" FROM admin_unit u WHERE u.id = " p ".unit_id), 'merged_into', " \
	p ".merged_into, 'awards', COALESCE((SELECT JSON_ARRAYAGG(" \
	"JSON_OBJECT('id', a.id, 'year', a.year, 'level', a.level," \
	" 'decision_no', a.decision_no, 'decision_date', a.decision_date)" \
	" ORDER BY a.year, a.level) FROM award a WHERE a.product_id = " p \
	".id), JSON_ARRAY()))"
#define KEPT_BEFORE \
	"JSON_OBJECT('last_year', last_year, 'unit_id', unit_id, 'group_id'," \
	" group_id, 'updated_at', updated_at)"
#define JV(j, k)	"JSON_VALUE(" j ", '$." k "')"

enum curate_stmt {
	S_DUPS, S_DUP_LOCK, S_DUP_DISMISS, S_DUP_ROW,
	S_PROD_LOCK, S_PROD_KEPT_OF, S_MERGE_NEW, S_MERGE_REMOVED,
	S_MERGE_DROP, S_MERGE_MOVED, S_MERGE_MOVE, S_MERGE_KEPT,
	S_MERGE_MARK, S_MERGE_ALIAS, S_MERGE_PAIR, S_MERGE_EDITS,
	S_MERGES, S_MLOCK, S_UN_CONFLICTS, S_UN_MOVE, S_UN_RESTORE,
	S_UN_MARK, S_UN_KEPT, S_UN_ALIAS, S_UN_PAIR, S_UN_DONE,
	S_CURATE__MAX
};
static const char *const curate_sql[] = {
	[S_DUPS] =
	    "SELECT d.id, d.status, d.reason, d.import_id, d.decided_by, "
	    SQL_ISO("d.decided_at") ", " PSIDE("o") ", " PSIDE("n")
	    " FROM dup_pair d JOIN product o ON o.id = d.older_id"
	    " JOIN product n ON n.id = d.newer_id WHERE d.status = ?"
	    " AND (d.status <> 'open' OR (o.merged_into IS NULL"
	    " AND n.merged_into IS NULL)) ORDER BY d.id LIMIT 500",
	[S_DUP_LOCK] = "SELECT status FROM dup_pair WHERE id = ? FOR UPDATE",
	[S_DUP_DISMISS] =
	    "UPDATE dup_pair SET status = 'dismissed', reason = ?,"
	    " decided_by = ?, decided_at = NOW() WHERE id = ?",
	[S_DUP_ROW] =
	    "SELECT id, status, reason, older_id, newer_id, decided_by"
	    " FROM dup_pair WHERE id = ?",
	[S_PROD_LOCK] =
	    "SELECT id, facility_id, merged_into, " PSIDE("p")
	    " FROM product p WHERE id = ? FOR UPDATE",
	[S_PROD_KEPT_OF] =
	    "SELECT COUNT(*) FROM product WHERE merged_into = ?",
	[S_MERGE_NEW] =
	    "INSERT INTO product_merge (kept_id, merged_id, pair_id,"
	    " kept_before, username) SELECT id, ?, ?, " KEPT_BEFORE ", ?"
	    " FROM product WHERE id = ?",
	/* Awards of a year and level the kept product has: removed. */
	[S_MERGE_REMOVED] =
	    "INSERT INTO product_merge_row (merge_id, tbl, row_id, prev_id,"
	    " row_json) SELECT ?, 'award_removed', a.id, a.product_id,"
	    " JSON_OBJECT('year', a.year, 'level', a.level, 'decision_no',"
	    " a.decision_no, 'decision_date', a.decision_date, 'unit_id',"
	    " a.unit_id, 'import_id', a.import_id, 'created_at', a.created_at,"
	    " 'updated_at', a.updated_at) FROM award a WHERE a.product_id = ?"
	    " AND EXISTS (SELECT 1 FROM award k WHERE k.product_id = ?"
	    " AND k.year = a.year AND k.level = a.level)",
	[S_MERGE_DROP] =
	    "DELETE a FROM award a JOIN product_merge_row m ON m.row_id = a.id"
	    " AND m.tbl = 'award_removed' AND m.merge_id = ?",
	[S_MERGE_MOVED] =
	    "INSERT INTO product_merge_row (merge_id, tbl, row_id, prev_id)"
	    " SELECT ?, 'award', id, product_id FROM award WHERE product_id = ?",
	[S_MERGE_MOVE] = "UPDATE award SET product_id = ? WHERE product_id = ?",
	/* The kept product as the importer would leave it: the most recent
	 * year, its unit, a group if it had none. */
	[S_MERGE_KEPT] =
	    "UPDATE product k JOIN product m ON m.id = ? SET"
	    " k.unit_id = IF(m.last_year > k.last_year, COALESCE(m.unit_id,"
	    " k.unit_id), k.unit_id), k.last_year = GREATEST(k.last_year,"
	    " m.last_year), k.group_id = COALESCE(k.group_id, m.group_id),"
	    " k.updated_at = NOW() WHERE k.id = ?",
	[S_MERGE_MARK] = "UPDATE product SET merged_into = ? WHERE id = ?",
	[S_MERGE_ALIAS] =
	    "INSERT IGNORE INTO product_alias (facility_id, name_key,"
	    " product_id) SELECT facility_id, name_key, ? FROM product"
	    " WHERE id = ?",
	[S_MERGE_PAIR] =
	    "UPDATE dup_pair SET status = 'merged', decided_by = ?,"
	    " decided_at = NOW() WHERE id = ?",
	[S_MERGE_EDITS] =
	    "INSERT INTO row_edit (tbl, row_id, action, audit_ref)"
	    " SELECT 'product', kept_id, ?, id FROM product_merge WHERE id = ?"
	    " UNION ALL SELECT 'product', merged_id, ?, id FROM product_merge"
	    " WHERE id = ? UNION ALL SELECT 'award', row_id, ?, merge_id"
	    " FROM product_merge_row WHERE merge_id = ?",
	[S_MERGES] =
	    "SELECT m.id, m.kept_id, m.merged_id, m.pair_id, " SQL_ISO("m.at")
	    ", m.username, " SQL_ISO("m.undone_at") ", (SELECT COUNT(*) FROM"
	    " product_merge_row r WHERE r.merge_id = m.id AND r.tbl = 'award')"
	    ", (SELECT COUNT(*) FROM product_merge_row r WHERE r.merge_id ="
	    " m.id AND r.tbl = 'award_removed') FROM product_merge m"
	    " WHERE (? IS NULL OR m.kept_id = ? OR m.merged_id = ?)"
	    " ORDER BY m.id DESC LIMIT 200",
	[S_MLOCK] =
	    "SELECT id, kept_id, merged_id, pair_id, undone_at FROM"
	    " product_merge WHERE id = ? FOR UPDATE",
	/* What moved the merge's rows since: the moved awards elsewhere,
	 * a later merge of the kept product, the kept product merged. */
	[S_UN_CONFLICTS] =
	    "SELECT 'award', r.row_id, CONCAT('sản phẩm #', a.product_id)"
	    " FROM product_merge_row r LEFT JOIN award a ON a.id = r.row_id"
	    " JOIN product_merge m ON m.id = r.merge_id WHERE r.merge_id = ?"
	    " AND r.tbl = 'award' AND (a.id IS NULL OR a.product_id <> m.kept_id)"
	    " UNION ALL SELECT 'merge', l.id, CONCAT('gộp #', l.id) FROM"
	    " product_merge m JOIN product_merge l ON l.id > m.id AND"
	    " l.undone_at IS NULL AND (l.kept_id IN (m.kept_id, m.merged_id)"
	    " OR l.merged_id IN (m.kept_id, m.merged_id)) WHERE m.id = ?"
	    " UNION ALL SELECT 'award_removed', r.row_id, CONCAT('sản phẩm #',"
	    " k.product_id) FROM product_merge_row r JOIN product_merge m ON"
	    " m.id = r.merge_id JOIN award k ON k.product_id = m.merged_id"
	    " AND k.year = " JV("r.row_json", "year") " AND k.level = "
	    JV("r.row_json", "level") " WHERE r.merge_id = ?"
	    " AND r.tbl = 'award_removed' LIMIT 100",
	[S_UN_MOVE] =
	    "UPDATE award a JOIN product_merge_row r ON r.row_id = a.id"
	    " AND r.tbl = 'award' AND r.merge_id = ? SET a.product_id = r.prev_id",
	[S_UN_RESTORE] =
	    "INSERT INTO award (id, product_id, year, level, decision_no,"
	    " decision_date, unit_id, import_id, created_at, updated_at)"
	    " SELECT row_id, prev_id, " JV("row_json", "year") ", "
	    JV("row_json", "level") ", " JV("row_json", "decision_no") ", "
	    JV("row_json", "decision_date") ", " JV("row_json", "unit_id")
	    ", " JV("row_json", "import_id") ", " JV("row_json", "created_at")
	    ", " JV("row_json", "updated_at") " FROM product_merge_row"
	    " WHERE merge_id = ? AND tbl = 'award_removed'",
	[S_UN_MARK] = "UPDATE product SET merged_into = NULL WHERE id = ?",
	[S_UN_KEPT] =
	    "UPDATE product p JOIN product_merge m ON m.kept_id = p.id SET"
	    " p.last_year = " JV("m.kept_before", "last_year") ", p.unit_id = "
	    JV("m.kept_before", "unit_id") ", p.group_id = "
	    JV("m.kept_before", "group_id") ", p.updated_at = "
	    JV("m.kept_before", "updated_at") " WHERE m.id = ?",
	[S_UN_ALIAS] =
	    "DELETE al FROM product_alias al JOIN product p ON p.id = ?"
	    " WHERE al.facility_id = p.facility_id AND al.name_key = p.name_key"
	    " AND al.product_id = ?",
	[S_UN_PAIR] =
	    "UPDATE dup_pair SET status = 'open', decided_by = NULL,"
	    " decided_at = NULL WHERE id = ? AND status = 'merged'",
	[S_UN_DONE] = "UPDATE product_merge SET undone_at = NOW(3) WHERE id = ?",
};
static struct db_set curate_set = DB_SET("staff/curate", curate_sql);

static const char *const dup_cols[] = { "#id", "status", "reason",
	"#import_id", "decided_by", "decided_at", "$older", "$newer" };
static const char *const pair_cols[] = { "#id", "status", "reason",
	"#older_id", "#newer_id", "decided_by" };
static const char *const merge_cols[] = { "#id", "#kept_id", "#merged_id",
	"#pair_id", "at", "username", "undone_at", "#awards_moved",
	"#awards_removed" };

/* A product locked for a merge, as S_PROD_LOCK selects it; side (JSON)
 * as the queue shows it. */
#define MPROD_COLS(X) \
	X(id, J_INT) X(facility_id, J_INT) X(merged_into, J_ID) X(side, J_JSON)
struct mprod { MPROD_COLS(ROWS_MEMBER) };
#define MPROD_JCOL(m, t)	JCOL(#m, mprod, m, t),
static const struct jcol mprod_cols[] = { MPROD_COLS(MPROD_JCOL) };

/* Lock product id into *out: 1, 0 if there is none, < 0. */
static int
q_prod_lock(struct req *r, long long id, struct mprod *out)
{
	return rows_get(r->db, r->a, &curate_set, S_PROD_LOCK,
	    DB_ARGS(DB_INT(id)), mprod_cols, NELEM(mprod_cols), out);
}

/* Run statement s of the set with p: 0, or < 0. */
static int
x(struct req *r, int s, const struct db_param *p, size_t n)
{
	int	 rc = db_sexec(r->db, &curate_set, s, p, n);

	return rc < 0 ? rc : 0;
}
#define X(r, s, ...)	x(r, s, DB_ARGS(__VA_ARGS__))

/* 409 with the rows in the way: {error, conflicts:[{table,id,by}]}. */
int
staff_conflicts_reply(struct req *r, const char *message, json_object *list)
{
	json_object	*o = json_object_new_object();
	json_object	*e = json_object_new_object();

	db_rollback(r->db);
	json_object_object_add(e, "code", json_object_new_string(
	    resp_err_code(E_CONFLICT)));
	json_object_object_add(e, "message", json_object_new_string(message));
	json_object_object_add(o, "error", e);
	json_object_object_add(o, "conflicts", list);
	return resp_json(r, resp_err_status(E_CONFLICT), o);
}

/*
 * GET /api/admin/duplicates?status=open (or merged, dismissed) → {items:
 * [{id, status, reason, import_id, decided_by, decided_at, older, newer}]}
 * where older and newer are the two products side by side {id, name,
 * facility_id, facility, district, merged_into, awards:[{id, year, level,
 * decision_no, decision_date}]}; the open ones whose products are both
 * live, the first 500 by id. Importer, auditor. 422 bad status.
 */
static const char *
check_dup_status(struct req *r, struct value *v)
{
	(void)r;
	return strcmp(v->s, "open") == 0 || strcmp(v->s, "merged") == 0 ||
	    strcmp(v->s, "dismissed") == 0 ? NULL :
	    "Trạng thái là open, merged hoặc dismissed";
}

static const struct field dups_filter[] = {
	{ "status", F_STR, 0, 1, 20, check_dup_status },
};

static int
h_dups_list(struct req *r)
{
	struct value	 v[NELEM(dups_filter)];
	const char	*st;
	int		 rc;

	if ((rc = req_fields(r, dups_filter, NELEM(dups_filter), v)) != 0)
		return rc;
	st = v[0].set ? v[0].s : "open";
	return staff_items(r, &curate_set, S_DUPS, DB_ARGS(DB_STR(st)),
	    dup_cols, NELEM(dup_cols));
}

static const struct field dismiss_fields[] = {
	{ "reason", F_STR, F_REQUIRED, 3, 500, NULL },
};

/*
 * POST /api/admin/duplicates/{id}/dismiss {reason} (importer): the pair
 * is not a duplicate; it stays dismissed when the same rows are imported
 * again. → 200 the pair; 404; 409 not open; 422 no reason.
 */
static int
h_dups_dismiss(struct req *r)
{
	struct value	 v[NELEM(dismiss_fields)];
	struct db_res	*q;
	json_object	*before, *after;
	long long	 id = staff_param_id(r, 0);
	int		 rc;

	if ((rc = req_fields(r, dismiss_fields, NELEM(dismiss_fields), v)) != 0)
		return rc;
	if ((rc = staff_begin_lock(r, &curate_set, S_DUP_LOCK, id, &q)) != 0)
		return rc;
	if (strcmp(db_str(q, 0), "open") != 0)
		return staff_fail_conflict(r, "Cặp này đã được xử lý.");
	if (staff_row(r, &curate_set, S_DUP_ROW, DB_ARGS(DB_INT(id)),
	    pair_cols, NELEM(pair_cols), &before) <= 0)
		return staff_fail_db(r);
	if (X(r, S_DUP_DISMISS, staff_pstr(&v[0]),
	    DB_STR(auth_user(r)->username), DB_INT(id)) < 0 ||
	    staff_row(r, &curate_set, S_DUP_ROW, DB_ARGS(DB_INT(id)),
	    pair_cols, NELEM(pair_cols), &after) <= 0) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	return staff_commit_audited(r, "duplicate.dismiss", "dup_pair",
	    staff_id_text(r, id), before, after, 200, after);
}

static const struct field merge_fields[] = {
	{ "into", F_INT, F_REQUIRED, 1, 1LL << 53, NULL },
	{ "pair_id", F_INT, 0, 1, 1LL << 53, NULL },
};

/*
 * The two products of a merge, locked (lower id first), checked: both
 * live, of one facility, the merged one kept by no other merge. 0, or
 * the status written (the transaction rolled back).
 */
static int
merge_check(struct req *r, long long mid, long long kid, struct mprod *m,
    struct mprod *k)
{
	struct db_res	*q;
	int		 rc;

	if (mid == kid)
		return staff_fail_conflict(r, "Không thể gộp sản phẩm vào"
		    " chính nó.");
	if ((rc = staff_get_pair(r, &curate_set, S_PROD_LOCK, mprod_cols,
	    NELEM(mprod_cols), mid, m, kid, k)) <= 0)
		return staff_tx_absent(r, rc);
	if (m->merged_into != 0 || k->merged_into != 0)
		rc = staff_fail_conflict(r, "Một trong hai sản phẩm đã được gộp"
		    " vào sản phẩm khác.");
	else if (m->facility_id != k->facility_id)
		rc = staff_fail_conflict(r, "Hai sản phẩm thuộc hai cơ sở khác"
		    " nhau: gộp hai cơ sở trước (nếu là một cơ sở).");
	else if (staff_first(r, &curate_set, S_PROD_KEPT_OF,
	    DB_ARGS(DB_INT(mid)), &q) < 0)
		rc = staff_fail_db(r);
	else if (db_int(q, 0) > 0)
		rc = staff_fail_conflict(r, "Sản phẩm này đang giữ sản phẩm"
		    " khác đã gộp vào nó; hãy gộp theo chiều ngược lại.");
	else
		return 0;
	return rc;
}

/* The writes of a merge (id mgid): 0, or < 0. */
static int
merge_write(struct req *r, long long mgid, long long mid, long long kid,
    long long pair)
{
	const char	*act = "merge";

	if (X(r, S_MERGE_REMOVED, DB_INT(mgid), DB_INT(mid), DB_INT(kid)) < 0 ||
	    X(r, S_MERGE_DROP, DB_INT(mgid)) < 0 ||
	    X(r, S_MERGE_MOVED, DB_INT(mgid), DB_INT(mid)) < 0 ||
	    X(r, S_MERGE_MOVE, DB_INT(kid), DB_INT(mid)) < 0 ||
	    X(r, S_MERGE_KEPT, DB_INT(mid), DB_INT(kid)) < 0 ||
	    X(r, S_MERGE_MARK, DB_INT(kid), DB_INT(mid)) < 0 ||
	    X(r, S_MERGE_ALIAS, DB_INT(kid), DB_INT(mid)) < 0 ||
	    (pair != 0 && X(r, S_MERGE_PAIR, DB_STR(auth_user(r)->username),
	    DB_INT(pair)) < 0))
		return -1;
	return X(r, S_MERGE_EDITS, DB_STR(act), DB_INT(mgid), DB_STR(act),
	    DB_INT(mgid), DB_STR(act), DB_INT(mgid));
}

/*
 * POST /api/admin/products/{id}/merge {into, pair_id?} (importer):
 * product {id} is merged into product `into` (see the top). → 201
 * {merge_id, kept, merged} with both products after; audited
 * "product.merge" with both before and after. 404; 409 (merged already,
 * two facilities, itself, or {id} keeps a merged product); 422.
 */
static int
h_products_merge(struct req *r)
{
	struct value	 v[NELEM(merge_fields)];
	struct mprod	 m, k, m2, k2;
	json_object	*after;
	long long	 mid = staff_param_id(r, 0), kid, mgid, pair;
	int		 rc;

	if ((rc = req_fields(r, merge_fields, NELEM(merge_fields), v)) != 0)
		return rc;
	kid = v[0].i;
	pair = v[1].set ? v[1].i : 0;
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = merge_check(r, mid, kid, &m, &k)) != 0)
		return rc;
	if (X(r, S_MERGE_NEW, DB_INT(mid), pair ? DB_INT(pair) : DB_NULL,
	    DB_STR(auth_user(r)->username), DB_INT(kid)) < 0)
		return staff_fail_db(r);
	mgid = db_insert_id(r->db);
	if (merge_write(r, mgid, mid, kid, pair) < 0 ||
	    q_prod_lock(r, mid, &m2) <= 0 || q_prod_lock(r, kid, &k2) <= 0)
		return staff_fail_db(r);
	after = staff_merge_json(mgid, k2.side, m2.side);
	return staff_commit_audited(r, "product.merge", "product",
	    staff_id_text(r, mid), staff_merge_json(mgid, k.side, m.side),
	    after, 201, after);
}

/*
 * GET /api/admin/merges[?product=ID] → {items:[{id, kept_id, merged_id,
 * pair_id, at, username, undone_at, awards_moved, awards_removed}]},
 * newest first (200). Importer, auditor.
 */
static const struct field merges_filter[] = {
	{ "product", F_INT, 0, 1, 1LL << 53, NULL },
};

static int
h_merges_list(struct req *r)
{
	struct value	 v[NELEM(merges_filter)];
	struct db_param	 pp;
	int		 rc;

	if ((rc = req_fields(r, merges_filter, NELEM(merges_filter), v)) != 0)
		return rc;
	pp = staff_pint(&v[0]);
	return staff_items(r, &curate_set, S_MERGES, DB_ARGS(pp, pp, pp),
	    merge_cols, NELEM(merge_cols));
}

/* The rows in the way of an un-merge, as a JSON list (empty: none). */
static int
unmerge_conflicts(struct req *r, long long id, json_object **out)
{
	static const char *const cols[] = { "table", "#id", "by" };

	return staff_rows(r, &curate_set, S_UN_CONFLICTS, DB_ARGS(DB_INT(id),
	    DB_INT(id), DB_INT(id)), cols, NELEM(cols), out);
}

/* The writes of an un-merge of merge id (products kid, mid). */
static int
unmerge_write(struct req *r, long long id, long long kid, long long mid,
    long long pair)
{
	const char	*act = "unmerge";

	if (X(r, S_UN_MOVE, DB_INT(id)) < 0 ||
	    X(r, S_UN_RESTORE, DB_INT(id)) < 0 ||
	    X(r, S_UN_MARK, DB_INT(mid)) < 0 ||
	    X(r, S_UN_KEPT, DB_INT(id)) < 0 ||
	    X(r, S_UN_ALIAS, DB_INT(mid), DB_INT(kid)) < 0 ||
	    (pair != 0 && X(r, S_UN_PAIR, DB_INT(pair)) < 0) ||
	    X(r, S_UN_DONE, DB_INT(id)) < 0)
		return -1;
	return X(r, S_MERGE_EDITS, DB_STR(act), DB_INT(id), DB_STR(act),
	    DB_INT(id), DB_STR(act), DB_INT(id));
}

/*
 * Product mid merged into kid in the caller's transaction, both locked
 * and checked by the caller (a facility merge, fmerge.c, for a product
 * whose name the kept facility has): the merge's id, or < 0.
 */
long long
staff_product_merge(struct req *r, long long mid, long long kid)
{
	long long	 mgid;

	if (X(r, S_MERGE_NEW, DB_INT(mid), DB_NULL,
	    DB_STR(auth_user(r)->username), DB_INT(kid)) < 0)
		return -1;
	mgid = db_insert_id(r->db);
	return merge_write(r, mgid, mid, kid, 0) < 0 ? -1 : mgid;
}

/*
 * Merge id undone in the caller's transaction: 0, 1 with the rows in
 * the way in *list, or < 0.
 */
int
staff_product_unmerge(struct req *r, long long id, json_object **list)
{
	struct db_res	*q;

	*list = NULL;
	if (staff_first(r, &curate_set, S_MLOCK, DB_ARGS(DB_INT(id)), &q) <= 0
	    || unmerge_conflicts(r, id, list) < 0)
		return -1;
	if (json_object_array_length(*list) > 0)
		return 1;
	json_object_put(*list);
	*list = NULL;
	return unmerge_write(r, id, db_int(q, 1), db_int(q, 2), db_int(q, 3));
}

/*
 * POST /api/admin/merges/{id}/undo (importer): puts back what merge {id}
 * changed: the awards to the merged product, the removed ones with their
 * ids and values, the kept product's values, the merged product live,
 * its alias gone, the pair open again. → 200 {merge_id, kept, merged}
 * after; audited "product.unmerge". 404; 409 undone already, or
 * {error, conflicts:[{table, id, by}]} when later changes moved its rows.
 */
static int
h_merges_undo(struct req *r)
{
	struct staff_merge g;
	struct mprod	 m, k;
	json_object	*list;
	long long	 id = staff_param_id(r, 0), kid, mid;
	int		 rc;

	if ((rc = staff_begin_undo(r, &curate_set, S_MLOCK, id, &g)) != 0)
		return rc;
	kid = g.kept_id;
	mid = g.merged_id;
	if (unmerge_conflicts(r, id, &list) < 0)
		return staff_fail_db(r);
	if (json_object_array_length(list) > 0)
		return staff_conflicts_reply(r, "Không hoàn tác được: các dòng"
		    " này đã đổi sau lần gộp.", list);
	json_object_put(list);
	if (unmerge_write(r, id, kid, mid, g.pair_id) < 0 ||
	    q_prod_lock(r, mid, &m) <= 0 || q_prod_lock(r, kid, &k) <= 0)
		return staff_fail_db(r);
	list = staff_merge_json(id, k.side, m.side);
	return staff_commit_audited(r, "product.unmerge", "product",
	    staff_id_text(r, mid), NULL, list, 200, list);
}

const struct route staff_curate_routes[] = {
	{ M_GET, "/api/admin/duplicates", h_dups_list, 0, 0,
	    ROLE_IMPORTER | STAFF_RD },
	{ M_POST, "/api/admin/duplicates/{}/dismiss", h_dups_dismiss, 0, 0,
	    ROLE_IMPORTER },
	{ M_POST, "/api/admin/products/{}/merge", h_products_merge, 0, 0,
	    ROLE_IMPORTER },
	{ M_GET, "/api/admin/merges", h_merges_list, 0, 0,
	    ROLE_IMPORTER | STAFF_RD },
	{ M_POST, "/api/admin/merges/{}/undo", h_merges_undo, 0, 0,
	    ROLE_IMPORTER },
	ROUTES_END
};
