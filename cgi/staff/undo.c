/*
 * Undo of an import run, from what the importer kept per run: the rows
 * it inserted (import_new, migration 074: a JSON array of ids per batch
 * and table; import_change rows with before_json NULL before it, and for
 * product groups) and the values of the rows it updated before it did
 * (import_change, migration 058).
 *
 *   POST /api/admin/import-runs/{id}/undo      importer
 *
 * Under the importer's lock, in one transaction: the awards, products
 * and facilities the run updated get their values back, those it
 * inserted (and the product groups it made) are removed, with the
 * open duplicate pairs it raised. Refused (409 with the list) when a
 * later run changed the same rows, a staff member edited or merged them
 * since the run started, or rows the run did not insert hang on rows it
 * did. The undo is audited ("import.undo") and written into the run's
 * report (report.undo); a run is undone once.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "implock.h"
#include "req.h"
#include "resp.h"
#include "staff.h"

#define JV(k)		"JSON_VALUE(c.before_json, '$." k "')"
/* The rows of table t the run updated (their values before), but not
 * those it inserted in an earlier batch (removed below). */
#define CHG(t) \
	" JOIN import_change c ON c.import_id = ? AND c.tbl = '" t "'" \
	" AND c.row_id = x.id AND c.before_json IS NOT NULL" \
	" AND NOT EXISTS (SELECT 1 FROM undo_new u WHERE u.tbl = '" t "'" \
	" AND u.row_id = x.id)"
/* The rows of table t the run inserted (undo_new, gathered first). */
#define NEW(t)		" JOIN undo_new c ON c.tbl = '" t "' AND c.row_id = x.id"
/* Rows the run did not insert, hanging on a row it did. */
#define HANGS(child, col, t, ct, what) \
	" UNION ALL SELECT '" t "', c.row_id, CONCAT('" what " #', ch.id)" \
	" FROM undo_new c JOIN " child " ch ON ch." col " = c.row_id" \
	" WHERE c.tbl = '" t "' AND NOT EXISTS (SELECT 1 FROM undo_new c3" \
	" WHERE c3.tbl = '" ct "' AND c3.row_id = ch.id)"
/* The run's rows (FROM: inserted, or updated) a later run changed, then
 * those a staff member edited since the run started. */
#define LATER(from) \
	" SELECT c.tbl, c.row_id, CONCAT('lần nhập #', c2.import_id)" from \
	" JOIN import_change c2 ON c2.tbl = c.tbl AND c2.row_id = c.row_id" \
	" AND c2.import_id > ? JOIN import_run r2 ON r2.id = c2.import_id" \
	" AND r2.undone_at IS NULL"
#define EDITED(from) \
	" SELECT c.tbl, c.row_id, CONCAT('sửa tay: ', e.action, ' #'," \
	" COALESCE(e.audit_ref, e.id))" from " JOIN import_run r ON r.id = ?" \
	" JOIN row_edit e ON e.tbl = c.tbl AND e.row_id = c.row_id" \
	" AND e.at >= r.started_at"
#define RUN_NEW		" FROM undo_new c"
#define RUN_CHG		" FROM (SELECT tbl, row_id FROM import_change" \
	" WHERE import_id = ? AND before_json IS NOT NULL) c"

enum undo_stmt {
	S_RUN, S_NEW_DROP, S_NEW_MAKE, S_NEW_FILL, S_CONFLICTS,
	S_AWARD_SET, S_AWARD_DEL, S_PROD_SET, S_PROD_DEL, S_FAC_SET,
	S_FAC_DEL, S_GROUP_DEL, S_PAIR_DEL, S_MARK, S_UNDO__MAX
};
static const char *const undo_sql[] = {
	[S_RUN] =
	    "SELECT id, status, dry_run, undone_at FROM import_run"
	    " WHERE id = ? FOR UPDATE",
	/* The rows the run inserted, one per row: a temporary table of the
	 * session's (no commit, nothing replicated). */
	[S_NEW_DROP] = "DROP TEMPORARY TABLE IF EXISTS undo_new",
	[S_NEW_MAKE] =
	    "CREATE TEMPORARY TABLE undo_new (tbl ENUM('facility','product',"
	    "'award','group') NOT NULL, row_id BIGINT NOT NULL,"
	    " PRIMARY KEY (tbl, row_id)) ENGINE=InnoDB",
	[S_NEW_FILL] =
	    "INSERT IGNORE INTO undo_new (tbl, row_id) SELECT n.tbl, j.id"
	    " FROM import_new n, JSON_TABLE(n.ids, '$[*]' COLUMNS"
	    " (id BIGINT PATH '$')) j WHERE n.import_id = ?"
	    " UNION ALL SELECT tbl, row_id FROM import_change"
	    " WHERE import_id = ? AND before_json IS NULL",
	[S_CONFLICTS] =
	    LATER(RUN_NEW) " UNION" LATER(RUN_CHG) " UNION" EDITED(RUN_NEW)
	    " UNION" EDITED(RUN_CHG)
	    HANGS("award", "product_id", "product", "award", "giải")
	    HANGS("product", "facility_id", "facility", "product", "sản phẩm")
	    HANGS("product", "group_id", "group", "product", "sản phẩm")
	    " LIMIT 100",
	[S_AWARD_SET] =
	    "UPDATE award x" CHG("award") " SET x.decision_no = "
	    JV("decision_no") ", x.decision_date = " JV("decision_date")
	    ", x.unit_id = " JV("unit_id") ", x.import_id = " JV("import_id")
	    ", x.updated_at = " JV("updated_at"),
	[S_AWARD_DEL] = "DELETE x FROM award x" NEW("award"),
	[S_PROD_SET] =
	    "UPDATE product x" CHG("product") " SET x.group_id = "
	    JV("group_id") ", x.unit_id = " JV("unit_id") ", x.last_year = "
	    JV("last_year") ", x.search_fold = " JV("search_fold")
	    ", x.sample = " JV("sample") ", x.updated_at = " JV("updated_at"),
	[S_PROD_DEL] = "DELETE x FROM product x" NEW("product"),
	[S_FAC_SET] =
	    "UPDATE facility x" CHG("facility") " SET x.address = "
	    JV("address") ", x.unit_id = " JV("unit_id") ", x.sample = "
	    JV("sample") ", x.updated_at = " JV("updated_at"),
	[S_FAC_DEL] = "DELETE x FROM facility x" NEW("facility"),
	[S_GROUP_DEL] = "DELETE x FROM product_group x" NEW("group"),
	[S_PAIR_DEL] =
	    "DELETE FROM dup_pair WHERE import_id = ? AND status = 'open'",
	[S_MARK] =
	    "UPDATE import_run SET undone_at = NOW(3), undone_by = ?,"
	    " report = JSON_SET(COALESCE(report, '{}'), '$.undo', JSON_OBJECT("
	    "'at', DATE_FORMAT(NOW(3), '%Y-%m-%dT%H:%i:%s.%fZ'), 'by', ?,"
	    " 'restored', JSON_OBJECT('awards', ?, 'products', ?,"
	    " 'facilities', ?), 'removed', JSON_OBJECT('awards', ?,"
	    " 'products', ?, 'facilities', ?, 'groups', ?)))"
	    " WHERE id = ?",
};
static struct db_set undo_set = DB_SET("staff/undo", undo_sql);

/* The undo's statements in order: [0..2] restore, [3..6] remove. */
static const int undo_steps[] = {
	S_AWARD_SET, S_PROD_SET, S_FAC_SET, S_AWARD_DEL, S_PROD_DEL,
	S_FAC_DEL, S_GROUP_DEL
};

/* The rows the run inserted into undo_new, one each. 0 or < 0. */
static int
undo_gather(struct req *r, long long id)
{
	int	 rc;

	if ((rc = db_sexec(r->db, &undo_set, S_NEW_DROP, DB_NOARGS)) < 0 ||
	    (rc = db_sexec(r->db, &undo_set, S_NEW_MAKE, DB_NOARGS)) < 0)
		return rc;
	rc = db_sexec(r->db, &undo_set, S_NEW_FILL, DB_ARGS(DB_INT(id),
	    DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/*
 * The run's refusal, if any, into the reply: 0 when it may be undone,
 * else the status written (rolled back).
 */
static int
undo_check(struct req *r, long long id)
{
	static const char *const cols[] = { "table", "#id", "by" };
	struct db_res	*q;
	json_object	*list;
	int		 rc;

	if ((rc = staff_first(r, &undo_set, S_RUN, DB_ARGS(DB_INT(id)),
	    &q)) <= 0)
		return staff_tx_absent(r, rc);
	if (!db_isnull(q, 3))
		return staff_fail_conflict(r, "Lần nhập này đã được hoàn tác.");
	if (db_int(q, 2) != 0)
		return staff_fail_conflict(r, "Lần nhập thử không thay đổi gì"
		    " để hoàn tác.");
	if (strcmp(db_str(q, 1), "running") == 0)
		return staff_fail_conflict(r, "Lần nhập này đang chạy.");
	if (undo_gather(r, id) < 0 || staff_rows(r, &undo_set, S_CONFLICTS,
	    DB_ARGS(DB_INT(id), DB_INT(id), DB_INT(id), DB_INT(id),
	    DB_INT(id), DB_INT(id)), cols, NELEM(cols), &list) < 0)
		return staff_fail_db(r);
	if (json_object_array_length(list) > 0)
		return staff_conflicts_reply(r, "Không hoàn tác được: các dòng"
		    " này đã được lần nhập sau hoặc cán bộ sửa.", list);
	json_object_put(list);
	return 0;
}

/* The writes, their counts into n[]: 0, or < 0. */
static int
undo_write(struct req *r, long long id, long long *n)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < NELEM(undo_steps); i++) {
		/* The removals read undo_new alone: no parameter. */
		rc = db_sexec_id(r->db, &undo_set, undo_steps[i], id);
		if (rc < 0)
			return rc;
		n[i] = rc;
	}
	if ((rc = db_sexec(r->db, &undo_set, S_PAIR_DEL,
	    DB_ARGS(DB_INT(id)))) < 0)
		return rc;
	rc = db_sexec(r->db, &undo_set, S_MARK, DB_ARGS(
	    DB_STR(auth_user(r)->username), DB_STR(auth_user(r)->username),
	    DB_INT(n[0]), DB_INT(n[1]), DB_INT(n[2]), DB_INT(n[3]),
	    DB_INT(n[4]), DB_INT(n[5]), DB_INT(n[6]), DB_INT(id)));
	return rc < 0 ? rc : 0;
}

/* The counts as the audit row and the answer show them. */
static json_object *
undo_json(long long id, const long long *n)
{
	static const char *const names[] = { "awards", "products",
		"facilities", "awards", "products", "facilities", "groups" };
	json_object	*o = json_object_new_object();
	json_object	*re = json_object_new_object();
	json_object	*rm = json_object_new_object();
	size_t		 i;

	for (i = 0; i < NELEM(names); i++)
		json_object_object_add(i < 3 ? re : rm, names[i],
		    json_object_new_int64(n[i]));
	json_object_object_add(o, "import_id", json_object_new_int64(id));
	json_object_object_add(o, "restored", re);
	json_object_object_add(o, "removed", rm);
	return o;
}

/*
 * POST /api/admin/import-runs/{id}/undo (importer) → 200 {import_id,
 * restored:{awards,products,facilities}, removed:{awards,products,
 * facilities,groups}}. 404 unknown run; 409 undone already, a dry run,
 * running, another import running, or {error, conflicts:[{table, id,
 * by}]} (at most 100).
 */
static int
h_runs_undo(struct req *r)
{
	struct implock	 lock;
	long long	 id = staff_param_id(r, 0), n[NELEM(undo_steps)];
	json_object	*after;
	int		 rc;

	if ((rc = implock_take(r->db, &lock, 0)) < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_fail(r, E_CONFLICT, "Một lần nhập dữ liệu đang"
		    " chạy; hãy thử lại sau.");
	if (db_begin(r->db) < 0)
		rc = resp_db(r);
	else if ((rc = undo_check(r, id)) == 0) {
		if (undo_write(r, id, n) < 0)
			rc = db_last_error(r->db) == DB_EFAIL ?
			    staff_fail_conflict(r, "Không hoàn tác được: có"
			    " dòng khác đang dùng các dòng của lần nhập này.") :
			    staff_fail_db(r);
		else {
			after = undo_json(id, n);
			rc = staff_commit_audited(r, "import.undo", "import",
			    staff_id_text(r, id), NULL, after, 200, after);
		}
	}
	db_sexec(r->db, &undo_set, S_NEW_DROP, DB_NOARGS);
	implock_give(r->db, &lock);
	return rc;
}

const struct route staff_undo_routes[] = {
	{ M_POST, "/api/admin/import-runs/{}/undo", h_runs_undo, 0, 0,
	    ROLE_IMPORTER },
	ROUTES_END
};
