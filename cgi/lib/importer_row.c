/*
 * importer_row: one data record checked and made a row of the batch (see
 * importer_int.h). A record that award cannot parse, with a value too
 * long for its column, or naming a unit that does not match one, is
 * rejected; a wrong tax code only drops the code (a warning). A row's
 * names are folded and keyed as text.h says, and its product group found
 * in a cache or written (in the batch's transaction).
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "award.h"
#include "csvin.h"
#include "db.h"
#include "facility.h"
#include "importer_int.h"
#include "text.h"
#include "valid.h"

enum row_stmt { S_GROUP, S_GROUP_ID, S_ROW__MAX };
static const char *const row_sql[] = {
	[S_GROUP] =
	    "INSERT INTO product_group (name, name_fold, name_key)"
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
	/* A known group's id when an update trigger on product_group (the
	 * catalogue's, migration 061) left no insert id to read back. */
	[S_GROUP_ID] = "SELECT id FROM product_group WHERE name_key = ?",
};
static struct db_set row_set = DB_SET("importer/row", row_sql);

/* What a checked record gives beside award's row. */
struct row_ctx {
	char		 tax[VALID_TAX_MAX];
	long long	 unit_id;	/* 0: none */
	const char	*code;		/* the unit's code, or NULL */
};

/* The id of a product group, created if new. 0 on a database error. */
static long long
imp_group(struct imp *im, const char *name)
{
	const char	*key, *fold;
	struct db_res	*q;
	size_t		 i;
	long long	 id;
	int		 rc;

	for (i = 0; i < im->ngroups; i++)
		if (strcmp(im->gcache[i].name, name) == 0)
			return im->gcache[i].id;
	key = text_key(im->batch, name, strlen(name));
	fold = text_fold(im->batch, name, strlen(name));
	for (i = 0; i < im->ngroups; i++)
		if (strcmp(im->gcache[i].key, key) == 0)
			return im->gcache[i].id;
	if (imp_tx(im) < 0)
		return 0;
	if ((rc = db_sexec(im->data, &row_set, S_GROUP, DB_ARGS(DB_STR(name),
	    DB_STR(fold), DB_STR(key)))) < 0)
		return 0;
	if ((id = db_insert_id(im->data)) == 0) {
		q = db_squery(im->data, im->batch, &row_set, S_GROUP_ID,
		    DB_ARGS(DB_STR(key)));
		if (q == NULL || !db_next(q))
			return 0;
		id = db_int(q, 0);
	}
	/* A new group (one row inserted) is the run's, for its undo. */
	if (rc == 1 && imp_change_group(im, id) < 0)
		return 0;
	if (im->ngroups < GROUP_CACHE) {
		im->gcache[im->ngroups].name = arena_strdup(im->run, name);
		im->gcache[im->ngroups].key = arena_strdup(im->run, key);
		im->gcache[im->ngroups++].id = id;
	}
	return id;
}

/*
 * Check a parsed record: every text within its column's length, the tax
 * code (a wrong one is dropped with a warning), the unit of the district.
 * 1 if the row goes on, 0 if it was rejected.
 */
static int
imp_row_check(struct imp *im, struct csvin_record *rec, struct award_row *ar,
    struct row_ctx *c)
{
	struct award_error	 e;
	enum valid_tax		 why;
	struct arena		*a = im->batch;

#define TOO_LONG(v, max, col, what) \
	if ((v) != NULL && imp_chars(v) > (max)) { \
		imp_reject(im, rec->line, award_col_name(col), "too_long", \
		    arena_printf(a, "%s dài quá %d ký tự", what, max)); \
		return 0; \
	}
	TOO_LONG(ar->product, 255, AWARD_COL_PRODUCT, "Tên sản phẩm");
	TOO_LONG(ar->facility, 255, AWARD_COL_FACILITY, "Tên cơ sở");
	TOO_LONG(ar->address, 500, AWARD_COL_ADDRESS, "Địa chỉ");
	TOO_LONG(ar->group, 120, AWARD_COL_GROUP, "Nhóm sản phẩm");
	TOO_LONG(ar->decision_no, 60, AWARD_COL_DECISION_NO, "Số quyết định");
	TOO_LONG(ar->district, 120, AWARD_COL_DISTRICT, "Huyện");
#undef TOO_LONG
	/* A wrong tax code (or household's personal identification
	 * number) does not lose the row: it goes in by name. */
	if (ar->tax_code != NULL && (why = valid_tax_at(ar->tax_code,
	    im->max_year, c->tax)) != VALID_TAX_OK) {
		im->nwarnings++;
		imp_issue(im, 0, rec->line, award_col_name(AWARD_COL_TAX_CODE),
		    "invalid_tax_code", arena_printf(a, "Mã số thuế “%s”: %s;"
		    " cơ sở được nhận theo tên", ar->tax_code,
		    valid_tax_why(why)), 0);
		ar->tax_code = NULL;
	}
	if (ar->district != NULL && imp_unit(im, ar->district, ar->year,
	    &c->unit_id, &c->code, &e) == -1) {
		imp_reject(im, rec->line, award_col_name(AWARD_COL_DISTRICT),
		    e.code, e.message);
		return 0;
	}
	return 1;
}

/*
 * The facility of row r (names, ident), taken from the row before when
 * it names the same one: rows of one facility often follow each other.
 * 0, or -1 if the name makes no ident.
 */
static int
imp_row_facility(struct imp *im, struct imp_row *r, const char *facility,
    const char *code)
{
	struct imp_row	*p;
	struct arena	*a = im->batch;

	if ((p = im->nrows > 1 ? &im->rows[im->nrows - 2] : NULL) != NULL &&
	    strcmp(p->fname, facility) == 0 &&
	    !imp_differ(p->tax, r->tax) && p->ucode == code) {
		r->fname = p->fname;
		r->ffold = p->ffold;
		r->ident = p->ident;
	} else {
		r->fname = arena_strdup(a, facility);
		r->ffold = text_fold(a, facility, strlen(facility));
		r->ident = facility_ident(a, r->tax, facility, code);
	}
	r->ucode = code;
	return r->ident != NULL ? 0 : -1;
}

/*
 * Check one data record and add it to the batch, or reject it. 0, or a
 * DB_E* code (a product group could not be written).
 */
int
imp_row(struct imp *im, struct csvin_record *rec)
{
	struct award_row	 ar;
	struct award_error	 e;
	enum award_col		 col;
	struct imp_row		*r;
	struct row_ctx		 c = { .unit_id = 0, .code = NULL };
	struct arena		*a = im->batch;

	if (award_row_parse(a, &im->hdr, rec->fields, rec->nfields,
	    im->max_year, &ar, &col, &e) == -1) {
		imp_reject(im, rec->line, award_col_name(col), e.code,
		    e.message);
		return 0;
	}
	if (!imp_row_check(im, rec, &ar, &c))
		return 0;
	im->total++;
	r = &im->rows[im->nrows++];
	memset(r, 0, sizeof(*r));
	r->line = rec->line;
	r->tax = ar.tax_code != NULL ? arena_strdup(a, c.tax) : NULL;
	if (imp_row_facility(im, r, ar.facility, c.code) == -1) {
		im->nrows--;
		im->total--;
		imp_reject(im, rec->line, award_col_name(AWARD_COL_FACILITY),
		    "invalid", "Tên cơ sở không có chữ hoặc số nào");
		return 0;
	}
	r->addr = ar.address != NULL ? arena_strdup(a, ar.address) : NULL;
	r->unit_id = c.unit_id;
	r->pname = arena_strdup(a, ar.product);
	r->pfold = text_fold(a, ar.product, strlen(ar.product));
	r->pkey = text_key(a, ar.product, strlen(ar.product));
	r->sfold = arena_printf(a, "%s %s", r->pfold, r->ffold);
	r->year = ar.year;
	r->level = award_level_code(ar.level);
	r->dno = ar.decision_no != NULL ? arena_strdup(a, ar.decision_no) :
	    NULL;
	if (ar.decision_date.year != 0)
		snprintf(r->ddate, sizeof(r->ddate), "%04d-%02d-%02d",
		    ar.decision_date.year, ar.decision_date.month,
		    ar.decision_date.day);
	r->dupkey = arena_printf(a, "%s\x1f%s\x1f%d\x1f%s", r->ident, r->pkey,
	    r->year, r->level);
	/* A new group is written in the batch's transaction. */
	if (ar.group != NULL && !im->strict_failed &&
	    (r->group_id = imp_group(im, ar.group)) == 0)
		return db_last_error(im->data) < 0 ? db_last_error(im->data) :
		    DB_EFAIL;
	return 0;
}
