/*
 * Facility merges: two facilities that are one business become one,
 * reversibly (migration 063). Importer (and admin) write; auditors read.
 *
 *   GET  /api/admin/facility-duplicates          the proposed pairs
 *   POST /api/admin/facilities/{id}/merge        {into}
 *   GET  /api/admin/facility-merges[?facility=]  the merges, newest first
 *   POST /api/admin/facility-merges/{id}/undo
 *
 * The rule that proposes a pair: the same tax code, or the same folded
 * name in the same unit (one of them without a tax code), one of them
 * with products; staff confirm. A merge of facility {id} into `into`
 * moves its products to the kept facility (their search text with the
 * kept one's name), merges each product whose name the kept facility
 * has into that one (a product merge, curate.c), moves its old idents
 * and its products' old names (the aliases the import matches) and
 * makes its own ident an alias, raises the possible-duplicate pairs of
 * the products now side by side, and marks it merged. Everything it
 * changed is kept (facility_merge_row): un-merge puts it back exactly,
 * unless a later change moved those rows (409 with the list). Audited
 * "facility.merge" and "facility.unmerge"; row_edit rows for the undo of
 * an import run.
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

/* One facility as the pages show it, with its live products. */
#define FSIDE(f) \
	"JSON_OBJECT('id', " f ".id, 'name', " f ".name, 'tax_code', " f \
	".tax_code, 'address', " f ".address, 'district', (SELECT u.name" \
	" FROM admin_unit u WHERE u.id = " f ".unit_id), 'merged_into', " f \
	".merged_into, 'products', COALESCE((SELECT JSON_ARRAYAGG(" \
	"JSON_OBJECT('id', p.id, 'name', p.name, 'years', (SELECT" \
	" GROUP_CONCAT(DISTINCT a.year ORDER BY a.year) FROM award a" \
	" WHERE a.product_id = p.id)) ORDER BY p.name, p.id) FROM product p" \
	" WHERE p.facility_id = " f ".id AND p.merged_into IS NULL)," \
	" JSON_ARRAY()))"
#define HAS_PRODUCTS(f) \
	"EXISTS (SELECT 1 FROM product p WHERE p.facility_id = " f ".id)"
#define FROW(t)	"r.merge_id = ? AND r.tbl = '" t "'"

enum fmerge_stmt {
	S_PROPOSE, S_FLOCK, S_FKEEPS, S_FCLASH, S_FM_NEW, S_FALIAS_REC,
	S_FALIAS_OWN, S_FALIAS_DEL, S_FALIAS_ADD, S_PALIAS_REC, S_PALIAS_DEL,
	S_PALIAS_ADD, S_SAME, S_PM_ROW, S_PRODS, S_MOVE, S_PAIRS, S_PAIRS_ADD,
	S_MARK, S_EDITS, S_LIST, S_MLOCK, S_CONFLICTS, S_PMS, S_UN_PAIRS,
	S_UN_MOVE, S_UN_FALIAS_DEL, S_UN_FALIAS_ADD, S_UN_MARK, S_UN_DONE,
	S_FMERGE__MAX
};
static const char *const fmerge_sql[] = {
	[S_PROPOSE] =
	    "SELECT a.id, " FSIDE("a") ", " FSIDE("b") ", 'name' FROM facility a"
	    " JOIN facility b ON b.name_fold = a.name_fold AND b.unit_id ="
	    " a.unit_id AND b.id > a.id AND b.merged_into IS NULL"
	    " WHERE a.merged_into IS NULL AND (a.tax_code IS NULL"
	    " OR b.tax_code IS NULL) AND (" HAS_PRODUCTS("a") " OR "
	    HAS_PRODUCTS("b") ") UNION ALL SELECT a.id, " FSIDE("a") ", "
	    FSIDE("b") ", 'tax_code' FROM facility a JOIN facility b"
	    " ON b.tax_code = a.tax_code AND b.id > a.id"
	    " AND b.merged_into IS NULL WHERE a.merged_into IS NULL"
	    " ORDER BY 1 LIMIT 500",
	[S_FLOCK] =
	    "SELECT f.id, f.tax_code, f.merged_into, " FSIDE("f")
	    " FROM facility f WHERE f.id = ? FOR UPDATE",
	[S_FKEEPS] = "SELECT COUNT(*) FROM facility WHERE merged_into = ?",
	/* Products of the merged facility that cannot go: the kept one
	 * has the name on a merged product, or they keep merged ones. */
	[S_FCLASH] =
	    "SELECT 'product', m.id, CONCAT('sản phẩm #', k.id) FROM product m"
	    " JOIN product k ON k.facility_id = ? AND k.name_key = m.name_key"
	    " WHERE m.facility_id = ? AND m.merged_into IS NULL AND"
	    " (k.merged_into IS NOT NULL OR EXISTS (SELECT 1 FROM product x"
	    " WHERE x.merged_into = m.id)) LIMIT 100",
	[S_FM_NEW] =
	    "INSERT INTO facility_merge (kept_id, merged_id, pm_mark, username,"
	    " merged_updated) SELECT ?, f.id, (SELECT COALESCE(MAX(id), 0) FROM"
	    " product_merge), ?, f.updated_at FROM facility f WHERE f.id = ?",
	[S_FALIAS_REC] =
	    "INSERT INTO facility_merge_row (merge_id, tbl, row_id, prev_id,"
	    " txt) SELECT ?, 'facility_alias', ROW_NUMBER() OVER (ORDER BY"
	    " ident), facility_id, ident FROM facility_alias"
	    " WHERE facility_id = ?",
	[S_FALIAS_OWN] =
	    "INSERT INTO facility_merge_row (merge_id, tbl, row_id, txt)"
	    " SELECT ?, 'facility_alias', 0, f.ident FROM facility f"
	    " WHERE f.id = ? AND NOT EXISTS (SELECT 1 FROM facility_alias al"
	    " WHERE al.ident = f.ident)",
	[S_FALIAS_DEL] = "DELETE FROM facility_alias WHERE facility_id = ?",
	[S_FALIAS_ADD] =
	    "INSERT INTO facility_alias (ident, facility_id) SELECT txt, ?"
	    " FROM facility_merge_row r WHERE " FROW("facility_alias"),
	[S_PALIAS_REC] =
	    "INSERT INTO facility_merge_row (merge_id, tbl, row_id, prev_id,"
	    " txt) SELECT ?, 'product_alias', ROW_NUMBER() OVER (ORDER BY"
	    " al.name_key), al.product_id, al.name_key FROM product_alias al"
	    " WHERE al.facility_id = ? AND NOT EXISTS (SELECT 1 FROM"
	    " product_alias b WHERE b.facility_id = ? AND b.name_key ="
	    " al.name_key) AND NOT EXISTS (SELECT 1 FROM product p WHERE"
	    " p.facility_id = ? AND p.name_key = al.name_key)",
	[S_PALIAS_DEL] =
	    "DELETE al FROM product_alias al JOIN facility_merge_row r ON "
	    FROW("product_alias") " AND r.txt = al.name_key"
	    " WHERE al.facility_id = ?",
	[S_PALIAS_ADD] =
	    "INSERT INTO product_alias (facility_id, name_key, product_id)"
	    " SELECT ?, txt, prev_id FROM facility_merge_row r WHERE "
	    FROW("product_alias"),
	[S_SAME] =
	    "SELECT m.id, k.id FROM product m JOIN product k ON k.facility_id = ?"
	    " AND k.name_key = m.name_key AND k.merged_into IS NULL"
	    " WHERE m.facility_id = ? AND m.merged_into IS NULL ORDER BY m.id"
	    " FOR UPDATE",
	[S_PM_ROW] =
	    "INSERT INTO facility_merge_row (merge_id, tbl, row_id)"
	    " VALUES (?, 'product_merge', ?)",
	[S_PRODS] =
	    "INSERT INTO facility_merge_row (merge_id, tbl, row_id, prev_id,"
	    " row_json) SELECT ?, 'product', p.id, p.facility_id, JSON_OBJECT("
	    "'search_fold', p.search_fold, 'updated_at', p.updated_at)"
	    " FROM product p WHERE p.facility_id = ? AND p.merged_into IS NULL",
	[S_MOVE] =
	    "UPDATE product p JOIN facility_merge_row r ON " FROW("product")
	    " AND r.row_id = p.id JOIN facility k ON k.id = ? SET"
	    " p.facility_id = k.id, p.search_fold = CONCAT(p.name_fold, ' ',"
	    " k.name_fold), p.updated_at = NOW()",
	/* The products now side by side whose names differ by marks. */
	[S_PAIRS] =
	    "INSERT INTO facility_merge_row (merge_id, tbl, row_id, prev_id,"
	    " row_json) SELECT ?, 'dup_pair', ROW_NUMBER() OVER (ORDER BY a.id,"
	    " b.id), a.id, JSON_OBJECT('newer', b.id) FROM product a JOIN"
	    " product b ON b.facility_id = a.facility_id AND b.name_fold ="
	    " a.name_fold AND b.id > a.id AND b.name_key <> a.name_key"
	    " AND b.merged_into IS NULL WHERE a.facility_id = ?"
	    " AND a.merged_into IS NULL AND EXISTS (SELECT 1 FROM"
	    " facility_merge_row r WHERE " FROW("product") " AND r.row_id IN"
	    " (a.id, b.id)) AND NOT EXISTS (SELECT 1 FROM dup_pair d WHERE"
	    " d.facility_id = a.facility_id AND d.key_lo = LEAST(a.name_key,"
	    " b.name_key) AND d.key_hi = GREATEST(a.name_key, b.name_key))",
	[S_PAIRS_ADD] =
	    "INSERT IGNORE INTO dup_pair (facility_id, key_lo, key_hi, older_id,"
	    " newer_id) SELECT a.facility_id, LEAST(a.name_key, b.name_key),"
	    " GREATEST(a.name_key, b.name_key), a.id, b.id FROM"
	    " facility_merge_row r JOIN product a ON a.id = r.prev_id"
	    " JOIN product b ON b.id = JSON_VALUE(r.row_json, '$.newer')"
	    " WHERE " FROW("dup_pair"),
	[S_MARK] = "UPDATE facility SET merged_into = ? WHERE id = ?",
	[S_EDITS] =
	    "INSERT INTO row_edit (tbl, row_id, action, audit_ref)"
	    " SELECT 'facility', kept_id, ?, id FROM facility_merge WHERE id = ?"
	    " UNION ALL SELECT 'facility', merged_id, ?, id FROM facility_merge"
	    " WHERE id = ? UNION ALL SELECT 'product', row_id, ?, merge_id"
	    " FROM facility_merge_row r WHERE " FROW("product"),
	[S_LIST] =
	    "SELECT m.id, m.kept_id, m.merged_id, (SELECT f.name FROM facility f"
	    " WHERE f.id = m.kept_id), (SELECT f.name FROM facility f WHERE"
	    " f.id = m.merged_id), " SQL_ISO("m.at") ", m.username, "
	    SQL_ISO("m.undone_at") ", (SELECT COUNT(*) FROM facility_merge_row"
	    " r WHERE r.merge_id = m.id AND r.tbl = 'product'), (SELECT"
	    " COUNT(*) FROM facility_merge_row r WHERE r.merge_id = m.id"
	    " AND r.tbl = 'product_merge') FROM facility_merge m"
	    " WHERE (? IS NULL OR m.kept_id = ? OR m.merged_id = ?)"
	    " ORDER BY m.id DESC LIMIT 200",
	[S_MLOCK] =
	    "SELECT id, kept_id, merged_id, NULL, undone_at FROM"
	    " facility_merge WHERE id = ? FOR UPDATE",
	/* What moved the merge's rows since: a moved product elsewhere,
	 * merged or corrected, a later merge of either facility. */
	[S_CONFLICTS] =
	    "SELECT 'product', r.row_id, CONCAT('cơ sở #', COALESCE("
	    "p.facility_id, 0)) FROM facility_merge_row r JOIN facility_merge m"
	    " ON m.id = r.merge_id LEFT JOIN product p ON p.id = r.row_id WHERE "
	    FROW("product") " AND (p.id IS NULL OR p.facility_id <> m.kept_id)"
	    " UNION ALL SELECT 'merge', l.id, CONCAT('gộp #', l.id) FROM"
	    " facility_merge m JOIN facility_merge_row r ON r.merge_id = m.id"
	    " AND r.tbl = 'product' JOIN product_merge l ON l.id > m.pm_mark"
	    " AND l.undone_at IS NULL AND r.row_id IN (l.kept_id, l.merged_id)"
	    " WHERE m.id = ?"
	    " UNION ALL SELECT 'facility_merge', l.id, CONCAT('gộp cơ sở #',"
	    " l.id) FROM facility_merge m JOIN facility_merge l ON l.id > m.id"
	    " AND l.undone_at IS NULL AND (l.kept_id IN (m.kept_id, m.merged_id)"
	    " OR l.merged_id IN (m.kept_id, m.merged_id)) WHERE m.id = ?"
	    " UNION ALL SELECT 'product', e.row_id, CONCAT('sửa tay: ',"
	    " e.action, ' #', COALESCE(e.audit_ref, e.id)) FROM facility_merge m"
	    " JOIN facility_merge_row r ON r.merge_id = m.id AND r.tbl ="
	    " 'product' JOIN row_edit e ON e.tbl = 'product' AND e.row_id ="
	    " r.row_id AND e.at > m.at AND e.action = 'correct' WHERE m.id = ?"
	    " LIMIT 100",
	[S_PMS] =
	    "SELECT row_id FROM facility_merge_row r WHERE " FROW("product_merge")
	    " ORDER BY row_id DESC",
	[S_UN_PAIRS] =
	    "DELETE d FROM dup_pair d JOIN facility_merge_row r ON "
	    FROW("dup_pair") " AND d.older_id = r.prev_id AND d.newer_id ="
	    " JSON_VALUE(r.row_json, '$.newer')",
	[S_UN_MOVE] =
	    "UPDATE product p JOIN facility_merge_row r ON " FROW("product")
	    " AND r.row_id = p.id SET p.facility_id = r.prev_id, p.search_fold ="
	    " JSON_VALUE(r.row_json, '$.search_fold'), p.updated_at ="
	    " JSON_VALUE(r.row_json, '$.updated_at')",
	[S_UN_FALIAS_DEL] =
	    "DELETE al FROM facility_alias al JOIN facility_merge_row r ON "
	    FROW("facility_alias") " AND r.txt = al.ident",
	[S_UN_FALIAS_ADD] =
	    "INSERT INTO facility_alias (ident, facility_id) SELECT txt, prev_id"
	    " FROM facility_merge_row r WHERE " FROW("facility_alias")
	    " AND prev_id IS NOT NULL",
	[S_UN_MARK] =
	    "UPDATE facility f JOIN facility_merge m ON m.merged_id = f.id"
	    " SET f.merged_into = NULL, f.updated_at = m.merged_updated"
	    " WHERE m.id = ?",
	[S_UN_DONE] = "UPDATE facility_merge SET undone_at = NOW(3) WHERE id = ?",
};
static struct db_set fmerge_set = DB_SET("staff/fmerge", fmerge_sql);

static const char *const pair_cols[] = { "#key", "$a", "$b", "rule" };
static const char *const list_cols[] = { "#id", "#kept_id", "#merged_id",
	"kept_name", "merged_name", "at", "username", "undone_at",
	"#products_moved", "#products_merged" };
static const char *const conflict_cols[] = { "table", "#id", "by" };

/* A facility locked for a merge, as S_FLOCK selects it; side (JSON) as
 * the queue shows it. */
#define MFAC_COLS(X) \
	X(id, J_INT) X(tax_code, J_STR) X(merged_into, J_ID) X(side, J_JSON)
struct mfac { MFAC_COLS(ROWS_MEMBER) };
#define MFAC_JCOL(m, t)	JCOL(#m, mfac, m, t),
static const struct jcol mfac_cols[] = { MFAC_COLS(MFAC_JCOL) };

/* Run statement s: 0, or < 0. */
static int
x(struct req *r, int s, const struct db_param *p, size_t n)
{
	int	 rc = db_sexec(r->db, &fmerge_set, s, p, n);

	return rc < 0 ? rc : 0;
}
#define X(r, s, ...)	x(r, s, DB_ARGS(__VA_ARGS__))

/* Lock facility id into *out: 1, 0 if there is none, < 0. */
static int
q_fac_lock(struct req *r, long long id, struct mfac *out)
{
	return rows_get(r->db, r->a, &fmerge_set, S_FLOCK,
	    DB_ARGS(DB_INT(id)), mfac_cols, NELEM(mfac_cols), out);
}

/*
 * GET /api/admin/facility-duplicates (importer, auditor) → {items:[{key,
 * a, b, rule}]}: pairs of live facilities by the rule ("name": the same
 * folded name in the same unit; "tax_code"), a and b {id, name,
 * tax_code, address, district, merged_into, products:[{id, name,
 * years}]}, the first 500.
 */
static int
h_proposals(struct req *r)
{
	return staff_items(r, &fmerge_set, S_PROPOSE, DB_NOARGS, pair_cols,
	    NELEM(pair_cols));
}

/* The checks of a merge of m into k, both locked: 0 or the status. */
static int
fmerge_check(struct req *r, struct mfac *m, struct mfac *k)
{
	json_object	*list;
	long long	 n;

	if (m->merged_into != 0 || k->merged_into != 0)
		return staff_fail_conflict(r, "Một trong hai cơ sở đã được gộp"
		    " vào cơ sở khác.");
	if (m->tax_code != NULL && k->tax_code != NULL &&
	    strcmp(m->tax_code, k->tax_code) != 0)
		return staff_fail_conflict(r, arena_printf(r->a, "Hai cơ sở có"
		    " mã số thuế khác nhau (%s, %s): không phải một cơ sở.",
		    m->tax_code, k->tax_code));
	if (staff_count(r, &fmerge_set, S_FKEEPS, DB_ARGS(DB_INT(m->id)),
	    &n) < 0)
		return staff_fail_db(r);
	if (n > 0)
		return staff_fail_conflict(r, "Cơ sở này đang giữ cơ sở khác đã"
		    " gộp vào nó; hãy gộp theo chiều ngược lại.");
	if (staff_rows(r, &fmerge_set, S_FCLASH, DB_ARGS(DB_INT(k->id),
	    DB_INT(m->id)), conflict_cols, NELEM(conflict_cols), &list) < 0)
		return staff_fail_db(r);
	if (json_object_array_length(list) > 0)
		return staff_conflicts_reply(r, "Không gộp được: các sản phẩm"
		    " này trùng tên với sản phẩm đã gộp của cơ sở giữ, hoặc"
		    " đang giữ sản phẩm đã gộp.", list);
	json_object_put(list);
	return 0;
}

/* The products of m named as those of k, merged into them: 0, or < 0. */
static int
fmerge_products(struct req *r, long long id, long long mid, long long kid,
    json_object *ids)
{
	struct db_res	*q;
	long long	 pm;

	if ((q = db_squery(r->db, r->a, &fmerge_set, S_SAME, DB_ARGS(
	    DB_INT(kid), DB_INT(mid)))) == NULL)
		return -1;
	while (db_next(q)) {
		if ((pm = staff_product_merge(r, db_int(q, 0), db_int(q, 1))) < 0
		    || X(r, S_PM_ROW, DB_INT(id), DB_INT(pm)) < 0)
			return -1;
		json_object_array_add(ids, json_object_new_int64(pm));
	}
	return 0;
}

/* The writes of merge id of facility mid into kid: 0, or < 0. */
static int
fmerge_write(struct req *r, long long id, long long mid, long long kid,
    json_object *ids)
{
	const char	*act = "merge_facility";

	if (X(r, S_FALIAS_REC, DB_INT(id), DB_INT(mid)) < 0 ||
	    X(r, S_FALIAS_OWN, DB_INT(id), DB_INT(mid)) < 0 ||
	    X(r, S_FALIAS_DEL, DB_INT(mid)) < 0 ||
	    X(r, S_FALIAS_ADD, DB_INT(kid), DB_INT(id)) < 0 ||
	    X(r, S_PALIAS_REC, DB_INT(id), DB_INT(mid), DB_INT(kid),
	    DB_INT(kid)) < 0 ||
	    X(r, S_PALIAS_DEL, DB_INT(id), DB_INT(mid)) < 0 ||
	    X(r, S_PALIAS_ADD, DB_INT(kid), DB_INT(id)) < 0 ||
	    fmerge_products(r, id, mid, kid, ids) < 0 ||
	    X(r, S_PRODS, DB_INT(id), DB_INT(mid)) < 0 ||
	    X(r, S_MOVE, DB_INT(id), DB_INT(kid)) < 0 ||
	    X(r, S_PAIRS, DB_INT(id), DB_INT(kid), DB_INT(id)) < 0 ||
	    X(r, S_PAIRS_ADD, DB_INT(id)) < 0 ||
	    X(r, S_MARK, DB_INT(kid), DB_INT(mid)) < 0)
		return -1;
	return X(r, S_EDITS, DB_STR(act), DB_INT(id), DB_STR(act), DB_INT(id),
	    DB_STR(act), DB_INT(id));
}

static const struct field merge_fields[] = {
	{ "into", F_INT, F_REQUIRED, 1, 1LL << 53, NULL },
};

/* Both facilities as they are now, as staff_merge_json: 0, or < 0. */
static int
fmerge_after(struct req *r, long long id, long long mid, long long kid,
    json_object **out)
{
	struct mfac	 m, k;

	if (q_fac_lock(r, mid, &m) <= 0 || q_fac_lock(r, kid, &k) <= 0)
		return -1;
	*out = staff_merge_json(id, k.side, m.side);
	return 0;
}

/*
 * POST /api/admin/facilities/{id}/merge {into} (importer): facility {id}
 * merged into `into` (see the top). → 201 {merge_id, kept, merged,
 * product_merges:[ids]}, both facilities after; audited
 * "facility.merge" (both before and after). 404; 409 itself, merged
 * already, two tax codes, {id} keeps a merged facility, or {error,
 * conflicts} for products that cannot go; 422.
 */
static int
h_merge(struct req *r)
{
	struct value	 v[NELEM(merge_fields)];
	struct mfac	 m, k;
	json_object	*after, *ids;
	long long	 mid = staff_param_id(r, 0), kid, id;
	int		 rc;

	if ((rc = req_fields(r, merge_fields, NELEM(merge_fields), v)) != 0)
		return rc;
	if ((kid = v[0].i) == mid)
		return resp_fail(r, E_CONFLICT, "Không thể gộp cơ sở vào chính"
		    " nó.");
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = staff_get_pair(r, &fmerge_set, S_FLOCK, mfac_cols,
	    NELEM(mfac_cols), mid, &m, kid, &k)) <= 0)
		return staff_tx_absent(r, rc);
	ids = json_object_new_array();
	if ((rc = fmerge_check(r, &m, &k)) != 0)
		goto out;
	if (X(r, S_FM_NEW, DB_INT(kid), DB_STR(auth_user(r)->username),
	    DB_INT(mid)) < 0 || (id = db_insert_id(r->db)) <= 0 ||
	    fmerge_write(r, id, mid, kid, ids) < 0 ||
	    fmerge_after(r, id, mid, kid, &after) < 0) {
		rc = staff_fail_db(r);
		goto out;
	}
	json_object_object_add(after, "product_merges", ids);
	return staff_commit_audited(r, "facility.merge", "facility",
	    staff_id_text(r, mid), staff_merge_json(id, k.side, m.side), after,
	    201, after);
out:
	json_object_put(ids);
	return rc;
}

static const struct field list_filter[] = {
	{ "facility", F_INT, 0, 1, 1LL << 53, NULL },
};

/*
 * GET /api/admin/facility-merges[?facility=ID] (importer, auditor) →
 * {items:[{id, kept_id, merged_id, kept_name, merged_name, at, username,
 * undone_at, products_moved, products_merged}]}, newest first.
 */
static int
h_list(struct req *r)
{
	struct value	 v[NELEM(list_filter)];
	struct db_param	 pp;
	int		 rc;

	if ((rc = req_fields(r, list_filter, NELEM(list_filter), v)) != 0)
		return rc;
	pp = staff_pint(&v[0]);
	return staff_items(r, &fmerge_set, S_LIST, DB_ARGS(pp, pp, pp),
	    list_cols, NELEM(list_cols));
}

/*
 * The product merges of facility merge id undone, newest first: 0, 1
 * with the rows in the way in *list, or < 0.
 */
static int
unmerge_products(struct req *r, long long id, json_object **list)
{
	struct db_res	*q;
	int		 rc;

	*list = NULL;
	if ((q = db_squery(r->db, r->a, &fmerge_set, S_PMS,
	    DB_ARGS(DB_INT(id)))) == NULL)
		return -1;
	while (db_next(q))
		if ((rc = staff_product_unmerge(r, db_int(q, 0), list)) != 0)
			return rc;
	return 0;
}

/* The writes of the un-merge of id (mid into kid): 0, or < 0. */
static int
unmerge_write(struct req *r, long long id, long long mid, long long kid)
{
	const char	*act = "unmerge_facility";

	if (X(r, S_UN_PAIRS, DB_INT(id)) < 0 ||
	    X(r, S_UN_MOVE, DB_INT(id)) < 0 ||
	    X(r, S_PALIAS_DEL, DB_INT(id), DB_INT(kid)) < 0 ||
	    X(r, S_PALIAS_ADD, DB_INT(mid), DB_INT(id)) < 0 ||
	    X(r, S_UN_FALIAS_DEL, DB_INT(id)) < 0 ||
	    X(r, S_UN_FALIAS_ADD, DB_INT(id)) < 0 ||
	    X(r, S_UN_MARK, DB_INT(id)) < 0 ||
	    X(r, S_UN_DONE, DB_INT(id)) < 0)
		return -1;
	return X(r, S_EDITS, DB_STR(act), DB_INT(id), DB_STR(act), DB_INT(id),
	    DB_STR(act), DB_INT(id));
}

/*
 * POST /api/admin/facility-merges/{id}/undo (importer): puts back what
 * merge {id} changed (its product merges undone, the products, aliases
 * and the merged facility as they were, the pairs it raised gone). →
 * 200 {merge_id, kept, merged}; audited "facility.unmerge". 404; 409
 * undone already, or {error, conflicts:[{table, id, by}]}.
 */
static int
h_undo(struct req *r)
{
	struct staff_merge g;
	json_object	*list, *after;
	long long	 id = staff_param_id(r, 0), kid, mid;
	int		 rc;

	if ((rc = staff_begin_undo(r, &fmerge_set, S_MLOCK, id, &g)) != 0)
		return rc;
	kid = g.kept_id;
	mid = g.merged_id;
	if (staff_rows(r, &fmerge_set, S_CONFLICTS, DB_ARGS(DB_INT(id),
	    DB_INT(id), DB_INT(id), DB_INT(id)), conflict_cols,
	    NELEM(conflict_cols), &list) < 0)
		return staff_fail_db(r);
	if (json_object_array_length(list) == 0) {
		json_object_put(list);
		if ((rc = unmerge_products(r, id, &list)) < 0)
			return staff_fail_db(r);
	}
	if (list != NULL)
		return staff_conflicts_reply(r, "Không hoàn tác được: các dòng"
		    " này đã đổi sau lần gộp.", list);
	if (unmerge_write(r, id, mid, kid) < 0 ||
	    fmerge_after(r, id, mid, kid, &after) < 0)
		return staff_fail_db(r);
	return staff_commit_audited(r, "facility.unmerge", "facility",
	    staff_id_text(r, mid), NULL, after, 200, after);
}

const struct route staff_fmerge_routes[] = {
	{ M_GET, "/api/admin/facility-duplicates", h_proposals, 0, 0,
	    ROLE_IMPORTER | STAFF_RD },
	{ M_POST, "/api/admin/facilities/{}/merge", h_merge, 0, 0,
	    ROLE_IMPORTER },
	{ M_GET, "/api/admin/facility-merges", h_list, 0, 0,
	    ROLE_IMPORTER | STAFF_RD },
	{ M_POST, "/api/admin/facility-merges/{}/undo", h_undo, 0, 0,
	    ROLE_IMPORTER },
	ROUTES_END
};
