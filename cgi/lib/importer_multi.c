/*
 * importer_multi: the importer's IN-list lookups, every value a bound
 * parameter (the families are enum imp_multi of importer_int.h). Each is
 * (head, one key per value, tail), prepared on first use for IMP_IN keys,
 * padded with NULL, which matches nothing. The texts are built once per
 * process (imp_multi_init) into a statement set of their own, indexed by
 * IMP_MSTMT(family, size). The rows themselves go in bulk
 * (importer_stage.c).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "importer_int.h"

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
};
static const size_t imp_sizes[] = { 500 };
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
