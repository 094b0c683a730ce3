/*
 * importer_multi: the importer's write path, multi-row statements with
 * every value a bound parameter (the families are enum imp_multi of
 * importer_int.h). Each is (head, one tuple per row, tail), prepared on
 * first use in the sizes of imp_sizes[] (rows per statement), so a batch
 * of n rows costs about n / 500 round trips per table. The IN-list
 * lookups use the largest size only, padded with NULL, which matches
 * nothing. The texts of every size are built once per process
 * (imp_multi_init) into a statement set of their own, indexed by
 * IMP_MSTMT(family, size).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "importer_int.h"

/*
 * The families: (head, one row's tuple, tail). A plain INSERT and its
 * upsert share the head and the tuple (the same columns, in the order
 * fac_params() and prod_params() of importer_batch.c fill).
 */
#define F_HEAD	"INSERT INTO facility (ident, name, name_fold, tax_code," \
	" address, unit_id, sample) VALUES "
#define F_ROW	"(?, ?, ?, ?, ?, ?, ?)"
#define P_HEAD	"INSERT INTO product (facility_id, name, name_fold, name_key," \
	" search_fold, group_id, unit_id, last_year, sample) VALUES "
#define P_ROW	"(?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define A_HEAD	"INSERT INTO award (product_id, year, level, decision_no," \
	" decision_date, unit_id, import_id) VALUES "
#define A_ROW	"(?, ?, ?, ?, ?, ?, ?)"
static const char *const imp_mparts[M__MAX][3] = {
	[M_FAC_FIND] = {
	    "SELECT id, ident, address, unit_id, sample, ident FROM facility"
	    " WHERE merged_into IS NULL AND ident IN (", "?", ")" },
	/* The old idents of facilities renamed or merged (migration 058). */
	[M_FAC_ALIAS] = {
	    "SELECT f.id, al.ident, f.address, f.unit_id, f.sample, f.ident"
	    " FROM facility_alias al JOIN facility f ON f.id = al.facility_id"
	    " WHERE f.merged_into IS NULL AND al.ident IN (", "?", ")" },
	[M_PROD_FIND] = {
	    "SELECT p.id, p.facility_id, p.name_key, p.group_id, a.id, a.year,"
	    " a.level, a.import_id, a.decision_no, a.decision_date, a.unit_id,"
	    " p.name_key, p.name_fold"
	    " FROM product p LEFT JOIN award a ON a.product_id = p.id"
	    " WHERE p.merged_into IS NULL AND p.facility_id IN (", "?", ")" },
	/* The old name keys of products renamed or merged (058). */
	[M_PROD_ALIAS] = {
	    "SELECT p.id, p.facility_id, al.name_key, p.group_id, a.id, a.year,"
	    " a.level, a.import_id, a.decision_no, a.decision_date, a.unit_id,"
	    " p.name_key, p.name_fold"
	    " FROM product_alias al JOIN product p ON p.id = al.product_id"
	    " LEFT JOIN award a ON a.product_id = p.id"
	    " WHERE p.merged_into IS NULL AND al.facility_id IN (", "?", ")" },
	[M_FAC_NEW] = { F_HEAD, F_ROW, "" },
	[M_FAC_SET] = { F_HEAD, F_ROW,
	    " ON DUPLICATE KEY UPDATE address = COALESCE(VALUES(address), address),"
	    " unit_id = COALESCE(VALUES(unit_id), unit_id),"
	    " sample = LEAST(sample, VALUES(sample))" },
	[M_PROD_NEW] = { P_HEAD, P_ROW, "" },
	[M_PROD_SET] = { P_HEAD, P_ROW,
	    " ON DUPLICATE KEY UPDATE"
	    " group_id = COALESCE(VALUES(group_id), product.group_id),"
	    " unit_id = IF(VALUES(last_year) >= product.last_year,"
	    "  COALESCE(VALUES(unit_id), product.unit_id), product.unit_id),"
	    " last_year = GREATEST(product.last_year, VALUES(last_year)),"
	    " search_fold = VALUES(search_fold),"
	    " sample = LEAST(product.sample, VALUES(sample)),"
	    " updated_at = NOW()" },
	[M_WORD_NEW] = {
	    "INSERT IGNORE INTO product_word (word, product_id) VALUES ",
	    "(?, ?)", "" },
	[M_AWARD_NEW] = { A_HEAD, A_ROW, "" },
	/* What the run changed (import_change, 058): the rows it inserted,
	 * and the values of the rows it updates before it does. */
	[M_CHG_NEW] = {
	    "INSERT IGNORE INTO import_change (import_id, tbl, row_id) VALUES ",
	    "(?, ?, ?)", "" },
	[M_CHG_FAC] = {
	    "INSERT IGNORE INTO import_change (import_id, tbl, row_id,"
	    " before_json) SELECT ?, 'facility', id, JSON_OBJECT('address',"
	    " address, 'unit_id', unit_id, 'sample', sample, 'updated_at',"
	    " updated_at) FROM facility WHERE id IN (", "?", ")" },
	[M_CHG_PROD] = {
	    "INSERT IGNORE INTO import_change (import_id, tbl, row_id,"
	    " before_json) SELECT ?, 'product', id, JSON_OBJECT('group_id',"
	    " group_id, 'unit_id', unit_id, 'last_year', last_year,"
	    " 'search_fold', search_fold, 'sample', sample, 'updated_at',"
	    " updated_at) FROM product WHERE id IN (", "?", ")" },
	[M_CHG_AWARD] = {
	    "INSERT IGNORE INTO import_change (import_id, tbl, row_id,"
	    " before_json) SELECT ?, 'award', id, JSON_OBJECT('decision_no',"
	    " decision_no, 'decision_date', decision_date, 'unit_id', unit_id,"
	    " 'import_id', import_id, 'updated_at', updated_at)"
	    " FROM award WHERE id IN (", "?", ")" },
	[M_AWARD_SET] = { A_HEAD, A_ROW,
	    " ON DUPLICATE KEY UPDATE"
	    " decision_no = COALESCE(VALUES(decision_no), award.decision_no),"
	    " decision_date = COALESCE(VALUES(decision_date),"
	    "  award.decision_date),"
	    " unit_id = COALESCE(VALUES(unit_id), award.unit_id),"
	    " import_id = VALUES(import_id), updated_at = NOW()" },
};
static const size_t imp_sizes[] = { 500, 100, 20, 5, 1 };
#define IMP_NSIZES	(sizeof(imp_sizes) / sizeof(imp_sizes[0]))
#define IMP_MSTMT(m, s)	((int)(m) * (int)IMP_NSIZES + (int)(s))
/* Every multi-row text: built once, then read-only. */
static const char *imp_msqls[M__MAX * IMP_NSIZES];
static struct db_set imp_mset = DB_SET("importer/multi", imp_msqls);

/* The multi-row texts, once per process (the sizes of every family). */
void
imp_multi_init(void)
{
	static int	 built;
	size_t		 m, k, i, len, n;
	char		*t, *e;

	if (built)
		return;
	for (m = 0; m < M__MAX; m++)
		for (k = 0; k < IMP_NSIZES; k++) {
			n = imp_sizes[k];
			len = strlen(imp_mparts[m][0]) + strlen(imp_mparts[m][2]) +
			    n * (strlen(imp_mparts[m][1]) + 2) + 1;
			if ((t = malloc(len)) == NULL)
				abort();
			e = stpcpy(t, imp_mparts[m][0]);
			for (i = 0; i < n; i++) {
				if (i > 0)
					e = stpcpy(e, ", ");
				e = stpcpy(e, imp_mparts[m][1]);
			}
			stpcpy(e, imp_mparts[m][2]);
			imp_msqls[IMP_MSTMT(m, k)] = t;
		}
	built = 1;
}

/*
 * Run multi-row family m over n rows of w parameters each (p), in as few
 * statements as the sizes allow. With ids, the AUTO_INCREMENT id of each
 * inserted row (a multi-row plain INSERT takes consecutive ids under
 * innodb_autoinc_lock_mode 0 or 1, checked at the start of a run).
 * 0 or DB_E*.
 */
int
imp_multi(struct imp *im, enum imp_multi m, const struct db_param *p,
    size_t n, size_t w, long long *ids)
{
	size_t		 done = 0, s, k;
	long long	 first;
	int		 rc;

	while (done < n) {
		for (s = 0; imp_sizes[s] > n - done ||
		    (ids != NULL && im->autoinc_rows == 1 && imp_sizes[s] > 1);
		    s++)
			;
		rc = db_sexec(im->data, &imp_mset, IMP_MSTMT(m, s),
		    p + done * w, imp_sizes[s] * w);
		if (rc < 0)
			return rc;
		if (ids != NULL) {
			if ((size_t)rc != imp_sizes[s])
				return DB_EFAIL;
			first = db_insert_id(im->data);
			for (k = 0; k < imp_sizes[s]; k++)
				ids[done + k] = first + (long long)k;
		}
		done += imp_sizes[s];
	}
	return 0;
}

/*
 * Look up n keys (strings or ints) with IN-list family m, IMP_IN at a
 * time; lead, if set, goes before the list. Calls fn for every result row.
 * 0 or DB_E*.
 */
int
imp_in(struct imp *im, enum imp_multi m, const struct db_param *lead,
    const struct db_param *keys, size_t n,
    void (*fn)(struct imp *, struct db_res *))
{
	struct db_param	 p[IMP_IN + 1];
	struct db_res	*q;
	size_t		 done, k, off = lead != NULL;
	int		 rc;

	if (lead != NULL)
		p[0] = *lead;
	for (done = 0; done < n; done += IMP_IN) {
		for (k = 0; k < IMP_IN; k++)
			p[off + k] = done + k < n ? keys[done + k] : DB_NULL;
		if (fn == NULL) {
			if ((rc = db_sexec(im->data, &imp_mset,
			    IMP_MSTMT(m, 0), p, IMP_IN + off)) < 0)
				return rc;
			continue;
		}
		q = db_squery(im->data, im->batch, &imp_mset, IMP_MSTMT(m, 0),
		    p, IMP_IN + off);
		if (q == NULL)
			return db_last_error(im->data);
		while (db_next(q))
			fn(im, q);
	}
	return 0;
}
