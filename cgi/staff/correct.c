/*
 * Corrections: staff correct a product's, a facility's or an award's
 * fields by hand, with their history (issue 19, point 4). Importer (and
 * admin) write; auditors read.
 *
 *   GET   /api/admin/products/{id}      a product with its facility, awards
 *   PATCH /api/admin/products/{id}      {name?, group?}
 *   PATCH /api/admin/facilities/{id}    {name?, unit_code?, address?,
 *                                        tax_code?}
 *   PATCH /api/admin/awards/{id}        {year?, level?, decision_no?,
 *                                        decision_date?}
 *   GET   /api/admin/history?entity=product|facility|award&id=
 *
 * Only the fields given change. A correction that would make the row
 * the same as another (a product name of the facility, a facility's tax
 * code or name in its unit, an award's year and level of the product)
 * is refused with 409 naming that row. A renamed product keeps its old
 * name key as an alias (product_alias), a facility whose identity
 * changed its old ident (facility_alias), as a merge does: the file
 * imported again finds the corrected row. Every correction is one
 * transaction with its audit row ("product.correct", "facility.correct",
 * "award.correct", before and after) and its row_edit rows, so that the
 * undo of an earlier import run reports it as a conflict (undo.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "facility.h"
#include "req.h"
#include "resp.h"
#include "staff.h"
#include "text.h"
#include "values.h"

/* An award with its verification code and its QR labels (issue 21). */
#define AWARD_JSON(a) \
	"JSON_OBJECT('id', " a ".id, 'product_id', " a ".product_id," \
	" 'year', " a ".year, 'level', " a ".level, 'decision_no', " a \
	".decision_no, 'decision_date', " a ".decision_date, 'code', " a \
	".verify_code, 'qr_png', CONCAT('/api/awards/', " a ".verify_code," \
	" '/qr.png'), 'qr_svg', CONCAT('/api/awards/', " a ".verify_code," \
	" '/qr.svg'))"
#define FAC_JSON(f) \
	"JSON_OBJECT('id', " f ".id, 'name', " f ".name, 'tax_code', " f \
	".tax_code, 'address', " f ".address, 'unit_code', (SELECT u.code" \
	" FROM admin_unit u WHERE u.id = " f ".unit_id), 'unit_name'," \
	" (SELECT u.name FROM admin_unit u WHERE u.id = " f ".unit_id)," \
	" 'merged_into', " f ".merged_into)"

enum correct_stmt {
	S_P_GET, S_P_LOCK, S_P_CLASH, S_P_ALIAS_CLASH, S_P_ALIAS_OLD,
	S_ALIAS_SELF, S_P_NAME, S_G_ADD, S_G_ID, S_P_GROUP, S_EDIT,
	S_EDIT_PRODS, S_F_GET, S_F_LOCK, S_F_UNIT, S_F_CLASH,
	S_F_ALIAS_CLASH, S_F_ALIAS_OLD, S_F_ALIAS_SELF, S_F_SET, S_F_SEARCH,
	S_A_GET, S_A_LOCK, S_A_CLASH, S_A_SET, S_A_LAST, S_HIST,
	S_CORRECT__MAX
};
static const char *const correct_sql[] = {
	[S_P_GET] =
	    "SELECT JSON_OBJECT('id', p.id, 'name', p.name, 'group', (SELECT"
	    " g.name FROM product_group g WHERE g.id = p.group_id),"
	    " 'merged_into', p.merged_into, 'last_year', p.last_year,"
	    " 'facility', " FAC_JSON("f") ", 'awards', COALESCE((SELECT"
	    " JSON_ARRAYAGG(" AWARD_JSON("a") " ORDER BY a.year, a.level)"
	    " FROM award a WHERE a.product_id = p.id), JSON_ARRAY()))"
	    " FROM product p JOIN facility f ON f.id = p.facility_id"
	    " WHERE p.id = ?",
	[S_P_LOCK] =
	    "SELECT id, facility_id, name_key, merged_into FROM product"
	    " WHERE id = ? FOR UPDATE",
	[S_P_CLASH] =
	    "SELECT id, name, merged_into FROM product WHERE facility_id = ?"
	    " AND name_key = ? AND id <> ? LIMIT 1",
	[S_P_ALIAS_CLASH] =
	    "SELECT al.product_id, p.name FROM product_alias al JOIN product p"
	    " ON p.id = al.product_id WHERE al.facility_id = ?"
	    " AND al.name_key = ? AND al.product_id <> ?",
	[S_P_ALIAS_OLD] =
	    "INSERT IGNORE INTO product_alias (facility_id, name_key,"
	    " product_id) SELECT facility_id, name_key, id FROM product"
	    " WHERE id = ?",
	[S_ALIAS_SELF] =
	    "DELETE FROM product_alias WHERE facility_id = ? AND name_key = ?"
	    " AND product_id = ?",
	[S_P_NAME] =
	    "UPDATE product p JOIN facility f ON f.id = p.facility_id"
	    " SET p.name = ?, p.name_fold = ?, p.name_key = ?,"
	    " p.search_fold = CONCAT(?, ' ', f.name_fold), p.updated_at = NOW()"
	    " WHERE p.id = ?",
	[S_G_ADD] =
	    "INSERT IGNORE INTO product_group (name, name_fold, name_key)"
	    " VALUES (?, ?, ?)",
	[S_G_ID] = "SELECT id FROM product_group WHERE name_key = ?",
	[S_P_GROUP] =
	    "UPDATE product SET group_id = ?, updated_at = NOW() WHERE id = ?"
	    " AND NOT group_id <=> ?",
	[S_EDIT] =
	    "INSERT INTO row_edit (tbl, row_id, action) VALUES (?, ?, 'correct')",
	[S_EDIT_PRODS] =
	    "INSERT INTO row_edit (tbl, row_id, action) SELECT 'product', id,"
	    " 'correct' FROM product WHERE facility_id = ?"
	    " AND merged_into IS NULL",
	[S_F_GET] = "SELECT " FAC_JSON("f") " FROM facility f WHERE f.id = ?",
	[S_F_LOCK] =
	    "SELECT f.id, f.name, f.tax_code, u.code, f.ident, f.merged_into,"
	    " f.address, f.unit_id, f.name_fold FROM facility f"
	    " LEFT JOIN admin_unit u ON u.id = f.unit_id WHERE f.id = ?"
	    " FOR UPDATE",
	[S_F_UNIT] =
	    "SELECT id FROM admin_unit WHERE code = ? ORDER BY vf_key DESC"
	    " LIMIT 1",
	[S_F_CLASH] =
	    "SELECT id, name, tax_code <=> ? FROM facility WHERE id <> ?"
	    " AND (ident = ? OR tax_code = ?) ORDER BY tax_code <=> ? DESC"
	    " LIMIT 1",
	[S_F_ALIAS_CLASH] =
	    "SELECT al.facility_id, f.name FROM facility_alias al JOIN"
	    " facility f ON f.id = al.facility_id WHERE al.ident = ?"
	    " AND al.facility_id <> ?",
	[S_F_ALIAS_OLD] =
	    "INSERT IGNORE INTO facility_alias (ident, facility_id)"
	    " SELECT ident, id FROM facility WHERE id = ?",
	[S_F_ALIAS_SELF] =
	    "DELETE FROM facility_alias WHERE ident = ? AND facility_id = ?",
	[S_F_SET] =
	    "UPDATE facility SET name = ?, name_fold = ?, ident = ?,"
	    " tax_code = ?, address = ?, unit_id = ? WHERE id = ?",
	[S_F_SEARCH] =
	    "UPDATE product SET search_fold = CONCAT(name_fold, ' ', ?),"
	    " updated_at = NOW() WHERE facility_id = ? AND merged_into IS NULL",
	[S_A_GET] = "SELECT " AWARD_JSON("a") " FROM award a WHERE a.id = ?",
	[S_A_LOCK] =
	    "SELECT a.id, a.product_id, a.year, a.level, a.decision_no,"
	    " a.decision_date FROM award a WHERE a.id = ? FOR UPDATE",
	[S_A_CLASH] =
	    "SELECT id FROM award WHERE product_id = ? AND year = ?"
	    " AND level = ? AND id <> ?",
	[S_A_SET] =
	    "UPDATE award SET year = ?, level = ?, decision_no = ?,"
	    " decision_date = ?, updated_at = NOW() WHERE id = ?",
	[S_A_LAST] =
	    "UPDATE product SET last_year = (SELECT MAX(year) FROM award"
	    " WHERE product_id = ?) WHERE id = ?",
	/* A product's history holds its awards' too. */
	[S_HIST] =
	    "SELECT id, " SQL_ISO("at") ", username, action, entity,"
	    " entity_id, before_json, after_json FROM audit_log"
	    " WHERE (entity = ? AND entity_id = ?) OR (? = 'product'"
	    " AND entity = 'award' AND entity_id IN (SELECT CAST(id AS CHAR)"
	    " FROM award WHERE product_id = ?)) ORDER BY id DESC LIMIT 200",
};
static struct db_set correct_set = DB_SET("staff/correct", correct_sql);

static const char *const json_col[] = { "$x" };
#define LEVEL_LABEL(id, code, label)	label,
static const char *const level_labels[] = { AWARD_LEVELS(LEVEL_LABEL) };
#undef LEVEL_LABEL
static const char *const hist_cols[] = { "#id", "at", "username", "action",
	"entity", "entity_id", "$before", "$after" };

/* Run statement s: the rows it changed, or < 0. */
static int
x(struct req *r, int s, const struct db_param *p, size_t n)
{
	return db_sexec(r->db, &correct_set, s, p, n);
}
#define X(r, s, ...)	x(r, s, DB_ARGS(__VA_ARGS__))

/* Whether the body gives field name as "" or null: to clear it. */
static int
cleared(const struct req *r, const char *name)
{
	json_object	*j;

	if (r->json == NULL || !json_object_object_get_ex(r->json, name, &j))
		return 0;
	return j == NULL || (json_object_is_type(j, json_type_string) &&
	    json_object_get_string(j)[strspn(json_object_get_string(j),
	    " \t")] == '\0');
}

/* A 422 for field inside the transaction: rolled back. */
static int
invalid(struct req *r, const char *field, const char *message)
{
	db_rollback(r->db);
	return staff_invalid(r, field, message);
}

/* Row id of statement s (a JSON_OBJECT) into *out: 1, 0, or < 0. */
static int
q_json(struct req *r, int s, long long id, json_object **out)
{
	json_object	*o;
	int		 rc;

	*out = NULL;
	if ((rc = staff_row(r, &correct_set, s, DB_ARGS(DB_INT(id)), json_col,
	    1, &o)) <= 0)
		return rc;
	json_object_object_get_ex(o, "x", out);
	json_object_get(*out);
	json_object_put(o);
	return 1;
}

/* The row (entity) after the change, audited with before; commit. */
static int
commit(struct req *r, int s, const char *entity, long long id,
    json_object *before)
{
	json_object	*after;

	if (q_json(r, s, id, &after) <= 0) {
		json_object_put(before);
		return staff_fail_db(r);
	}
	return staff_commit_audited(r, arena_printf(r->a, "%s.correct",
	    entity), entity, staff_id_text(r, id), before, after, 200, after);
}

/*
 * GET /api/admin/products/{id} (importer, auditor) → {id, name, group,
 * merged_into, last_year, facility:{id, name, tax_code, address,
 * unit_code, unit_name, merged_into}, awards:[{id, product_id, year,
 * level, decision_no, decision_date, code, qr_png, qr_svg}]}: code the
 * verification code, qr_* its labels' paths (issue 21); 404.
 */
static int
h_product_get(struct req *r)
{
	json_object	*o;
	int		 rc;

	if ((rc = q_json(r, S_P_GET, staff_param_id(r, 0), &o)) <= 0)
		return staff_absent(r, rc);
	return resp_json(r, 200, o);
}

/* The other product of the facility named key, or its alias: 409. */
static int
product_clash(struct req *r, long long fac, const char *key, long long id)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, &correct_set, S_P_CLASH, DB_ARGS(DB_INT(fac),
	    DB_STR(key), DB_INT(id)), &q)) < 0)
		return staff_fail_db(r);
	if (rc > 0)
		return staff_fail_conflict(r, arena_printf(r->a, "Cơ sở này đã"
		    " có sản phẩm «%s» (#%lld%s): gộp hai sản phẩm thay vì đổi"
		    " tên.", db_str(q, 1), db_int(q, 0), db_isnull(q, 2) ? "" :
		    ", đã gộp"));
	if ((rc = staff_first(r, &correct_set, S_P_ALIAS_CLASH, DB_ARGS(
	    DB_INT(fac), DB_STR(key), DB_INT(id)), &q)) < 0)
		return staff_fail_db(r);
	if (rc > 0)
		return staff_fail_conflict(r, arena_printf(r->a, "Tên này là"
		    " tên cũ của sản phẩm «%s» (#%lld) của cơ sở.",
		    db_str(q, 1), db_int(q, 0)));
	return 0;
}

/* The new name v of product id (facility fac, key old): 0 or status. */
static int
product_rename(struct req *r, long long id, long long fac, const char *old,
    const struct value *v)
{
	const char	*key = text_key(r->a, v->s, v->len);
	const char	*fold = text_fold(r->a, v->s, v->len);
	int		 rc;

	if (key == NULL || fold == NULL || *fold == '\0')
		return invalid(r, "name", "Tên sản phẩm không có chữ hoặc"
		    " số nào");
	if (strcmp(key, old) != 0) {
		if ((rc = product_clash(r, fac, key, id)) != 0)
			return rc;
		if (X(r, S_P_ALIAS_OLD, DB_INT(id)) < 0 ||
		    X(r, S_ALIAS_SELF, DB_INT(fac), DB_STR(key), DB_INT(id)) < 0)
			return staff_fail_db(r);
	}
	if (X(r, S_P_NAME, DB_STRN(v->s, v->len), DB_STR(fold), DB_STR(key),
	    DB_STR(fold), DB_INT(id)) < 0)
		return staff_fail_db(r);
	return 0;
}

/* The group named v (made when new) of product id: 0 or status. */
static int
product_group(struct req *r, long long id, const struct value *v)
{
	struct db_res	*q;
	const char	*key, *fold;
	struct db_param	 g = DB_NULL;

	if (v->set) {
		key = text_key(r->a, v->s, v->len);
		fold = text_fold(r->a, v->s, v->len);
		if (key == NULL || fold == NULL || *fold == '\0')
			return invalid(r, "group", "Tên nhóm không có chữ"
			    " hoặc số nào");
		if (X(r, S_G_ADD, DB_STRN(v->s, v->len), DB_STR(fold),
		    DB_STR(key)) < 0 || staff_first(r, &correct_set, S_G_ID,
		    DB_ARGS(DB_STR(key)), &q) <= 0)
			return staff_fail_db(r);
		g = DB_INT(db_int(q, 0));
	}
	return X(r, S_P_GROUP, g, DB_INT(id), g) < 0 ? staff_fail_db(r) : 0;
}

/*
 * One kind of correction: its segment of the path, its fields and their
 * check before the transaction (0 or the status written; NULL: none),
 * the statements that lock its row and read it as JSON, its entity, and
 * its writes (row id locked in q, fields v): 0, or the status written
 * (rolled back).
 */
struct correction {
	const char		 *segment;
	const struct field	 *fields;
	size_t			  nfields;
	int			(*check)(struct req *, struct value *);
	int			  lock, get;
	const char		 *entity;
	int			(*write)(struct req *, long long,
				    struct db_res *, struct value *);
};
#define CORRECT_FIELDS_MAX	4

/*
 * The correction k of row {id} by the fields v, in one transaction with
 * its audit row (before and after as k->get reads them) → 200 the row
 * after; 404; the write's refusal.
 */
static int
correct_run(struct req *r, const struct correction *k, struct value *v)
{
	struct db_res	*q;
	json_object	*before;
	long long	 id = staff_param_id(r, 0);
	int		 rc;

	if ((rc = staff_begin_lock(r, &correct_set, k->lock, id, &q)) != 0)
		return rc;
	if (q_json(r, k->get, id, &before) <= 0)
		return staff_fail_db(r);
	if ((rc = k->write(r, id, q, v)) != 0) {
		json_object_put(before);
		return rc;
	}
	return commit(r, k->get, k->entity, id, before);
}

static const struct field product_fields[] = {
	{ "name", F_STR, 0, 2, 255, facility_check_plain },
	{ "group", F_STR, 0, 0, 120, facility_check_plain },
};

/* The writes of a product's correction (locked in q): 0, or status. */
static int
product_write(struct req *r, long long id, struct db_res *q, struct value *v)
{
	int	 rc;

	if (!db_isnull(q, 3))
		return staff_fail_conflict(r, "Sản phẩm này đã được gộp vào sản"
		    " phẩm khác: sửa sản phẩm được giữ.");
	if ((v[0].set && (rc = product_rename(r, id, db_int(q, 1),
	    db_str(q, 2), &v[0])) != 0) || ((v[1].set || cleared(r, "group"))
	    && (rc = product_group(r, id, &v[1])) != 0))
		return rc;
	if (X(r, S_EDIT, DB_STR("product"), DB_INT(id)) < 0)
		return staff_fail_db(r);
	return 0;
}

/* A facility as it is and as it is to be. */
struct fac_fix {
	const char	*name, *fold, *tax, *ucode, *ident, *address;
	long long	 unit_id;
};

/* The facility that f would be the same as: 409 naming it, or 0. */
static int
facility_clash(struct req *r, long long id, const struct fac_fix *f)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, &correct_set, S_F_CLASH, DB_ARGS(
	    DB_STR(f->tax), DB_INT(id), DB_STR(f->ident), DB_STR(f->tax),
	    DB_STR(f->tax)), &q)) < 0)
		return staff_fail_db(r);
	if (rc > 0)
		return staff_fail_conflict(r, arena_printf(r->a, "Đã có cơ sở"
		    " «%s» (#%lld) %s: gộp hai cơ sở thay vì sửa.", db_str(q, 1),
		    db_int(q, 0), db_int(q, 2) == 1 ? "cùng mã số thuế" :
		    "cùng tên trong cùng đơn vị hành chính"));
	if ((rc = staff_first(r, &correct_set, S_F_ALIAS_CLASH, DB_ARGS(
	    DB_STR(f->ident), DB_INT(id)), &q)) < 0)
		return staff_fail_db(r);
	if (rc > 0)
		return staff_fail_conflict(r, arena_printf(r->a, "Tên và đơn vị"
		    " này là tên cũ của cơ sở «%s» (#%lld).", db_str(q, 1),
		    db_int(q, 0)));
	return 0;
}

enum { FX_NAME, FX_UNIT, FX_ADDRESS, FX_TAX, FX__MAX };
static const struct field facility_fields[FX__MAX] = {
	[FX_NAME] = { "name", F_STR, 0, 2, 255, facility_check_plain },
	[FX_UNIT] = { "unit_code", F_STR, 0, 1, 10, NULL },
	[FX_ADDRESS] = { "address", F_STR, 0, 0, 500, facility_check_plain },
	[FX_TAX] = { "tax_code", F_STR, 0, 0, 40, NULL },
};

/* The locked facility of q and the fields v into *f: 0, or status. */
static int
facility_fix(struct req *r, struct db_res *q, struct value *v,
    struct fac_fix *f)
{
	struct db_res	*u;
	int		 rc;

	f->name = v[FX_NAME].set ? v[FX_NAME].s : db_str(q, 1);
	f->tax = v[FX_TAX].set ? v[FX_TAX].s : cleared(r, "tax_code") ? NULL :
	    db_str(q, 2);
	f->ucode = v[FX_UNIT].set ? v[FX_UNIT].s : db_str(q, 3);
	f->address = v[FX_ADDRESS].set ? v[FX_ADDRESS].s :
	    cleared(r, "address") ? NULL : db_str(q, 6);
	f->unit_id = db_isnull(q, 7) ? 0 : db_int(q, 7);
	f->fold = v[FX_NAME].set ? text_fold(r->a, f->name, strlen(f->name)) :
	    db_str(q, 8);
	if (v[FX_UNIT].set) {
		if ((rc = staff_first(r, &correct_set, S_F_UNIT, DB_ARGS(
		    DB_STR(f->ucode)), &u)) < 0)
			return staff_fail_db(r);
		if (rc == 0)
			return invalid(r, "unit_code", "Mã đơn vị hành chính"
			    " không tồn tại");
		f->unit_id = db_int(u, 0);
	}
	/* The identity changes only with the name, unit or tax code. */
	f->ident = !v[FX_NAME].set && !v[FX_UNIT].set && !v[FX_TAX].set &&
	    !cleared(r, "tax_code") ?
	    db_str(q, 4) : facility_ident(r->a, f->tax, f->name, f->ucode);
	if (f->ident == NULL || f->fold == NULL || *f->fold == '\0')
		return invalid(r, "name", "Tên cơ sở không có chữ hoặc số nào");
	return 0;
}

/* The writes of a facility's correction f: 0, or status. */
static int
facility_apply(struct req *r, long long id, struct db_res *q,
    const struct fac_fix *f)
{
	int	 rc;

	if (strcmp(f->ident, db_str(q, 4)) != 0) {
		if ((rc = facility_clash(r, id, f)) != 0)
			return rc;
		if (X(r, S_F_ALIAS_OLD, DB_INT(id)) < 0 ||
		    X(r, S_F_ALIAS_SELF, DB_STR(f->ident), DB_INT(id)) < 0)
			return staff_fail_db(r);
	} else if (f->tax != NULL && (rc = facility_clash(r, id, f)) != 0)
		return rc;
	if (X(r, S_F_SET, DB_STR(f->name), DB_STR(f->fold), DB_STR(f->ident),
	    DB_STR(f->tax), DB_STR(f->address), f->unit_id ?
	    DB_INT(f->unit_id) : DB_NULL, DB_INT(id)) < 0 ||
	    X(r, S_EDIT, DB_STR("facility"), DB_INT(id)) < 0)
		return staff_fail_db(r);
	/* Its products are found by its name too (search_fold). */
	if (strcmp(f->fold, db_str(q, 8)) != 0 &&
	    (X(r, S_F_SEARCH, DB_STR(f->fold), DB_INT(id)) < 0 ||
	    X(r, S_EDIT_PRODS, DB_INT(id)) < 0))
		return staff_fail_db(r);
	return 0;
}

/* The correction of the facility locked in q by v: 0, or status. */
static int
facility_write(struct req *r, long long id, struct db_res *q,
    struct value *v)
{
	struct fac_fix	 f;
	int		 rc;

	if (!db_isnull(q, 5))
		return staff_fail_conflict(r, "Cơ sở này đã được gộp vào cơ sở"
		    " khác: sửa cơ sở được giữ.");
	if ((rc = facility_fix(r, q, v, &f)) != 0)
		return rc;
	return facility_apply(r, id, q, &f);
}

static const char *
check_level(struct req *r, struct value *v)
{
	(void)r;
	return values_find(values_award_levels, v->s) >= 0 ? NULL :
	    "Cấp là commune, district, province, region hoặc national";
}

static const char *
check_date(struct req *r, struct value *v)
{
	int	 y, m, d, n = 0;

	(void)r;
	return sscanf(v->s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 &&
	    n == 10 && (size_t)n == v->len && m >= 1 && m <= 12 && d >= 1 &&
	    d <= (m == 2 ? (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ?
	    29 : 28) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31) ?
	    NULL : "Ngày theo dạng YYYY-MM-DD";
}

enum { AX_YEAR, AX_LEVEL, AX_DNO, AX_DATE, AX__MAX };
static const struct field award_fields[AX__MAX] = {
	[AX_YEAR] = { "year", F_INT, 0, 2000, 2100, NULL },
	[AX_LEVEL] = { "level", F_STR, 0, 1, 20, check_level },
	[AX_DNO] = { "decision_no", F_STR, 0, 0, 60, facility_check_plain },
	[AX_DATE] = { "decision_date", F_STR, 0, 0, 10, check_date },
};

#define OR_NULL(v, name, i) \
	((v).set ? DB_STRN((v).s, (v).len) : cleared(r, name) || \
	db_isnull(q, i) ? DB_NULL : DB_STR(db_str(q, i)))

/* The writes of an award's correction (locked in q): 0, or status. */
static int
award_write(struct req *r, long long id, struct db_res *q, struct value *v)
{
	struct db_res	*c;
	long long	 pid = db_int(q, 1);
	long long	 year = v[AX_YEAR].set ? v[AX_YEAR].i : db_int(q, 2);
	const char	*level = v[AX_LEVEL].set ? v[AX_LEVEL].s : db_str(q, 3);
	int		 rc;

	if ((rc = staff_first(r, &correct_set, S_A_CLASH, DB_ARGS(DB_INT(pid),
	    DB_INT(year), DB_STR(level), DB_INT(id)), &c)) < 0)
		return staff_fail_db(r);
	if (rc > 0)
		return staff_fail_conflict(r, arena_printf(r->a, "Sản phẩm đã có"
		    " giải năm %lld %s (#%lld).", year, level_labels[values_find(
		    values_award_levels, level)], db_int(c, 0)));
	if (X(r, S_A_SET, DB_INT(year), DB_STR(level), OR_NULL(v[AX_DNO],
	    "decision_no", 4), OR_NULL(v[AX_DATE], "decision_date", 5), DB_INT(id)) < 0 ||
	    X(r, S_EDIT, DB_STR("award"), DB_INT(id)) < 0 ||
	    (rc = X(r, S_A_LAST, DB_INT(pid), DB_INT(pid))) < 0 ||
	    (rc > 0 && X(r, S_EDIT, DB_STR("product"), DB_INT(pid)) < 0))
		return staff_fail_db(r);
	return 0;
}

static const char *
check_entity(struct req *r, struct value *v)
{
	(void)r;
	return strcmp(v->s, "product") == 0 || strcmp(v->s, "facility") == 0 ||
	    strcmp(v->s, "award") == 0 ? NULL :
	    "Loại là product, facility hoặc award";
}

/* A facility's tax code, checked before the transaction: 0, or 422. */
static int
facility_check(struct req *r, struct value *v)
{
	const char	*why;

	if (v[FX_TAX].set &&
	    (why = facility_check_tax(r, &v[FX_TAX])) != NULL)
		return staff_invalid(r, "tax_code", why);
	return 0;
}

static const struct correction corrections[] = {
	{ "products/", product_fields, NELEM(product_fields), NULL,
	    S_P_LOCK, S_P_GET, "product", product_write },
	{ "facilities/", facility_fields, FX__MAX, facility_check,
	    S_F_LOCK, S_F_GET, "facility", facility_write },
	{ "awards/", award_fields, AX__MAX, NULL,
	    S_A_LOCK, S_A_GET, "award", award_write },
};

/*
 * PATCH /api/admin/products/{id} {name?, group?} (importer): the name
 * (its old key kept as an alias), the group by name (made when new; ""
 * none). → 200 the product as GET shows it; audited "product.correct".
 * 404; 409 merged, or the name of another product of the facility (or an
 * old name of one); 422.
 *
 * PATCH /api/admin/facilities/{id} {name?, unit_code?, address?,
 * tax_code?} (importer): "" clears the address or tax code. The old
 * identity (tax code, or folded name and unit) is kept as an alias. →
 * 200 {id, name, tax_code, address, unit_code, unit_name, merged_into};
 * audited "facility.correct". 404; 409 merged, or the tax code or the
 * name in the unit of another facility (named); 422.
 *
 * PATCH /api/admin/awards/{id} {year?, level?, decision_no?,
 * decision_date?} (importer): "" clears the decision's number or date.
 * → 200 {id, product_id, year, level, decision_no, decision_date}; the
 * product's most recent year follows. Audited "award.correct". 404; 409
 * the product has an award of that year and level (named); 422.
 */
static int
h_patch(struct req *r)
{
	const struct correction	*k = corrections;
	const char		*seg = r->path + strlen("/api/admin/");
	struct value		 v[CORRECT_FIELDS_MAX];
	int			 rc;

	while (k < corrections + NELEM(corrections) - 1 &&
	    strncmp(seg, k->segment, strlen(k->segment)) != 0)
		k++;
	if ((rc = req_fields(r, k->fields, k->nfields, v)) != 0 ||
	    (k->check != NULL && (rc = k->check(r, v)) != 0))
		return rc;
	return correct_run(r, k, v);
}

static const struct field hist_fields[] = {
	{ "entity", F_STR, F_REQUIRED, 1, 20, check_entity },
	{ "id", F_INT, F_REQUIRED, 1, 1LL << 53, NULL },
};

/*
 * GET /api/admin/history?entity=product|facility|award&id= (importer,
 * auditor) → {items:[{id, at, username, action, entity, entity_id,
 * before, after}]}: the audit rows of that row (a product's: its awards'
 * too), newest first, at most 200. 422.
 */
static int
h_history(struct req *r)
{
	struct value	 v[NELEM(hist_fields)];
	const char	*id;
	int		 rc;

	if ((rc = req_fields(r, hist_fields, NELEM(hist_fields), v)) != 0)
		return rc;
	id = staff_id_text(r, v[1].i);
	return staff_items(r, &correct_set, S_HIST, DB_ARGS(DB_STR(v[0].s),
	    DB_STR(id), DB_STR(v[0].s), DB_INT(v[1].i)), hist_cols,
	    NELEM(hist_cols));
}

const struct route staff_correct_routes[] = {
	{ M_GET, "/api/admin/products/{}", h_product_get, 0, 0,
	    ROLE_IMPORTER | STAFF_RD },
	{ M_PATCH, "/api/admin/products/{}", h_patch, 0, 0,
	    ROLE_IMPORTER },
	{ M_PATCH, "/api/admin/facilities/{}", h_patch, 0, 0,
	    ROLE_IMPORTER },
	{ M_PATCH, "/api/admin/awards/{}", h_patch, 0, 0,
	    ROLE_IMPORTER },
	{ M_GET, "/api/admin/history", h_history, 0, 0,
	    ROLE_IMPORTER | STAFF_RD },
	ROUTES_END
};
