/*
 * importer_stage: a batch's rows go to the server in bulk (issue 20): the
 * facility, product and award rows importer_batch.c computed are written
 * as tab-separated text in memory and sent with one LOAD DATA LOCAL
 * INFILE each (db_load(): Connector/C's local-infile handler reads the
 * buffer, never a file) into the session's staging tables, then merged
 * set-wise: one INSERT ... SELECT for the new rows, whose ids come back
 * with their unique keys by RETURNING (no reliance on consecutive
 * AUTO_INCREMENT values, no second read), one INSERT ... SELECT ... ON
 * DUPLICATE KEY UPDATE for the changed ones (in the rows' order, as the
 * multi-row upserts did). What the undo needs: the values before an
 * update into import_change by one INSERT ... SELECT joined on the
 * unique keys; the new rows' ids, gathered from RETURNING, as one
 * import_new row per table and batch (a JSON array, migration 074).
 *
 * The staging tables are TEMPORARY and MEMORY (a primary key on the
 * row's place): the session's own, so concurrent sessions never see each
 * other's rows, a killed import leaves nothing behind, and a cluster
 * (issue 22) replicates only the merged rows. They are emptied at the
 * start of each batch: scratch that no transaction needs to undo, so not
 * InnoDB, whose DELETE and LOAD of them (undo and redo logged) cost a
 * 200 000-row import 16 s. A batch's rows fit in 64 MB (the session's
 * max_heap_table_size); the tables are dropped when the run ends.
 *
 * With @kc_import_bulk set (imp_stage_open), the insert triggers of
 * migrations 065 and 073 leave to the batch what they did per row: one
 * new catalogue version (S_SG_VERSION); the new awards come with codes
 * (imp_stage_code, from libsodium's random source), made again for the
 * few a stored or revoked award holds (imp_stage_recode). The search
 * tables product_word and product_year are gone (migration 066): the
 * catalogue is built in kc-products' memory from product and award.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "importer_int.h"
#include "vcode.h"

/* Each staging table: kind 0 new, 1 changed; seq the row's place. */
static const char *const stage_ddl[] = {
	"SET SESSION max_heap_table_size = 67108864",
	"CREATE TEMPORARY TABLE IF NOT EXISTS imp_sf (kind TINYINT NOT NULL,"
	" seq INT NOT NULL, ident VARCHAR(400) COLLATE utf8mb4_bin NOT NULL,"
	" name VARCHAR(255) NOT NULL, name_fold VARCHAR(255) NOT NULL,"
	" tax_code VARCHAR(14), address VARCHAR(500), unit_id INT,"
	" sample TINYINT NOT NULL, PRIMARY KEY USING BTREE (kind, seq))"
	" ENGINE=MEMORY"
	" DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci",
	"CREATE TEMPORARY TABLE IF NOT EXISTS imp_sp (kind TINYINT NOT NULL,"
	" seq INT NOT NULL, facility_id BIGINT NOT NULL,"
	" name VARCHAR(255) NOT NULL,"
	" name_fold VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,"
	" name_key VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,"
	" search_fold VARCHAR(520) NOT NULL, group_id INT, unit_id INT,"
	" last_year SMALLINT NOT NULL, sample TINYINT NOT NULL,"
	" PRIMARY KEY USING BTREE (kind, seq)) ENGINE=MEMORY"
	" DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci",
	"CREATE TEMPORARY TABLE IF NOT EXISTS imp_sa (kind TINYINT NOT NULL,"
	" seq INT NOT NULL, product_id BIGINT NOT NULL, year SMALLINT NOT NULL,"
	" level VARCHAR(20) NOT NULL, decision_no VARCHAR(60),"
	" decision_date DATE, unit_id INT, import_id BIGINT,"
	" verify_code CHAR(8) CHARACTER SET ascii COLLATE ascii_bin,"
	" PRIMARY KEY USING BTREE (kind, seq)) ENGINE=MEMORY"
	" DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci",
};

/* Per table: emptied, then loaded (fixed texts: LOAD cannot be prepared). */
static const char *const stage_clear[ST__MAX] = {
	[ST_FAC] = "DELETE FROM imp_sf",
	[ST_PROD] = "DELETE FROM imp_sp",
	[ST_AWARD] = "DELETE FROM imp_sa",
};
static const char *const stage_load[ST__MAX] = {
	[ST_FAC] = "LOAD DATA LOCAL INFILE 'imp_sf' INTO TABLE imp_sf"
	    " CHARACTER SET utf8mb4 (kind, seq, ident, name, name_fold,"
	    " tax_code, address, unit_id, sample)",
	[ST_PROD] = "LOAD DATA LOCAL INFILE 'imp_sp' INTO TABLE imp_sp"
	    " CHARACTER SET utf8mb4 (kind, seq, facility_id, name, name_fold,"
	    " name_key, search_fold, group_id, unit_id, last_year, sample)",
	[ST_AWARD] = "LOAD DATA LOCAL INFILE 'imp_sa' INTO TABLE imp_sa"
	    " CHARACTER SET utf8mb4 (kind, seq, product_id, year, level,"
	    " decision_no, decision_date, unit_id, import_id, verify_code)",
};

#define SF_COLS	"ident, name, name_fold, tax_code, address, unit_id, sample"
#define SP_COLS	"facility_id, name, name_fold, name_key, search_fold," \
	" group_id, unit_id, last_year, sample"
#define SA_COLS	"product_id, year, level, decision_no, decision_date," \
	" unit_id, import_id, verify_code"
#define SF_JOIN	" FROM imp_sf s JOIN facility t ON t.ident = s.ident"
#define SP_JOIN	" FROM imp_sp s JOIN product t ON t.facility_id =" \
	" s.facility_id AND t.name_key = s.name_key"
#define SA_JOIN	" FROM imp_sa s JOIN award t ON t.product_id = s.product_id" \
	" AND t.year = s.year AND t.level = s.level"
#define CHG_SET	"INSERT IGNORE INTO import_change (import_id, tbl, row_id," \
	" before_json)"

static const char *const stage_sql[] = {
	/* The new rows, their ids back with their keys (RETURNING: no
	 * second read by the unique keys). */
	[S_SG_FAC_NEW] = "INSERT INTO facility (" SF_COLS ") SELECT " SF_COLS
	    " FROM imp_sf WHERE kind = 0 ORDER BY seq RETURNING id, ident",
	[S_SG_FAC_CHG_SET] = CHG_SET " SELECT ?, 'facility', t.id,"
	    " JSON_OBJECT('address', t.address, 'unit_id', t.unit_id,"
	    " 'sample', t.sample, 'updated_at', t.updated_at)" SF_JOIN
	    " WHERE s.kind = 1",
	[S_SG_FAC_SET] = "INSERT INTO facility (" SF_COLS ") SELECT " SF_COLS
	    " FROM imp_sf WHERE kind = 1 ORDER BY seq ON DUPLICATE KEY UPDATE"
	    " address = COALESCE(VALUES(address), facility.address),"
	    " unit_id = COALESCE(VALUES(unit_id), facility.unit_id),"
	    " sample = LEAST(facility.sample, VALUES(sample))",
	[S_SG_PROD_NEW] = "INSERT INTO product (" SP_COLS ") SELECT " SP_COLS
	    " FROM imp_sp WHERE kind = 0 ORDER BY seq"
	    " RETURNING id, facility_id, name_key",
	[S_SG_PROD_CHG_SET] = CHG_SET " SELECT ?, 'product', t.id,"
	    " JSON_OBJECT('group_id', t.group_id, 'unit_id', t.unit_id,"
	    " 'last_year', t.last_year, 'search_fold', t.search_fold,"
	    " 'sample', t.sample, 'updated_at', t.updated_at)" SP_JOIN
	    " WHERE s.kind = 1",
	[S_SG_PROD_SET] = "INSERT INTO product (" SP_COLS ") SELECT " SP_COLS
	    " FROM imp_sp WHERE kind = 1 ORDER BY seq ON DUPLICATE KEY UPDATE"
	    " group_id = COALESCE(VALUES(group_id), product.group_id),"
	    " unit_id = IF(VALUES(last_year) >= product.last_year,"
	    "  COALESCE(VALUES(unit_id), product.unit_id), product.unit_id),"
	    " last_year = GREATEST(product.last_year, VALUES(last_year)),"
	    " search_fold = VALUES(search_fold),"
	    " sample = LEAST(product.sample, VALUES(sample)),"
	    " updated_at = NOW()",
	[S_SG_AWARD_NEW] = "INSERT INTO award (" SA_COLS ") SELECT " SA_COLS
	    " FROM imp_sa WHERE kind = 0 ORDER BY seq RETURNING id",
	[S_SG_AWARD_CHG_SET] = CHG_SET " SELECT ?, 'award', t.id,"
	    " JSON_OBJECT('decision_no', t.decision_no, 'decision_date',"
	    " t.decision_date, 'unit_id', t.unit_id, 'import_id', t.import_id,"
	    " 'updated_at', t.updated_at)" SA_JOIN " WHERE s.kind = 1",
	[S_SG_AWARD_SET] = "INSERT INTO award (" SA_COLS ") SELECT " SA_COLS
	    " FROM imp_sa WHERE kind = 1 ORDER BY seq ON DUPLICATE KEY UPDATE"
	    " decision_no = COALESCE(VALUES(decision_no), award.decision_no),"
	    " decision_date = COALESCE(VALUES(decision_date),"
	    "  award.decision_date),"
	    " unit_id = COALESCE(VALUES(unit_id), award.unit_id),"
	    " import_id = VALUES(import_id), updated_at = NOW()",
	/* A new award's code (imp_stage_code) that a stored or revoked
	 * award holds: cleared, to be made again (imp_stage_recode). */
	[S_SG_CODES] = "UPDATE imp_sa s SET s.verify_code = NULL WHERE"
	    " s.kind = 0 AND (EXISTS (SELECT 1 FROM award a WHERE"
	    " a.verify_code = s.verify_code) OR EXISTS (SELECT 1 FROM"
	    " award_revoked r WHERE r.code = s.verify_code))",
	[S_SG_CLEARED] = "SELECT seq FROM imp_sa WHERE kind = 0 AND"
	    " verify_code IS NULL",
	[S_SG_RECODE] = "UPDATE imp_sa SET verify_code = ? WHERE kind = 0"
	    " AND seq = ?",
	/* What migration 065's insert triggers leave to the batch. */
	[S_SG_VERSION] = ("UPDATE catalogue_version SET version = UUID_SHORT()"
	    " WHERE id = 1"),
	/* The ids of a table's new rows in the batch (migration 074). */
	[S_SG_NEW_IDS] = "INSERT INTO import_new (import_id, tbl, first_id, ids)"
	    " VALUES (?, ?, ?, ?)",
	[S_SG_BULK] = "SET @kc_import_bulk = 'kc-import'",
	[S_SG_UNBULK] = "SET @kc_import_bulk = NULL",
	[S_SG_DROP] = "DROP TEMPORARY TABLE IF EXISTS imp_sf, imp_sp, imp_sa",
};
static struct db_set stage_set = DB_SET("importer/stage", stage_sql);

/* The session's staging tables, and the triggers' per-row work left to
 * the batches. 0 or DB_E*. */
int
imp_stage_open(struct imp *im)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < sizeof(stage_ddl) / sizeof(stage_ddl[0]); i++)
		if ((rc = db_raw(im->data, stage_ddl[i])) < 0)
			return rc;
	rc = db_sexec(im->data, &stage_set, S_SG_BULK, DB_NOARGS);
	return rc < 0 ? rc : 0;
}

/* The session as other writers leave it (kc-imports keeps its own), the
 * staging tables' memory given back. */
void
imp_stage_close(struct imp *im)
{
	db_sexec(im->data, &stage_set, S_SG_UNBULK, DB_NOARGS);
	db_sexec(im->data, &stage_set, S_SG_DROP, DB_NOARGS);
}

/* One value as LOAD DATA's default format reads it: \N for NULL,
 * backslash escapes for backslash, tab, newline and NUL. */
static void
tsv_put(struct jbuf *b, const struct db_param *v)
{
	const char	*s;
	char		*o;
	size_t		 i;

	if (v->type == DB_T_NULL) {
		imp_reserve(b, 2);
		memcpy(b->p + b->len, "\\N", 2);
		b->len += 2;
		return;
	}
	if (v->type == DB_T_INT) {
		imp_reserve(b, 24);
		b->len += (size_t)snprintf(b->p + b->len, 24, "%lld", v->i);
		return;
	}
	imp_reserve(b, 2 * v->len);
	o = b->p + b->len;
	for (s = v->s, i = 0; i < v->len; i++) {
		switch (s[i]) {
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\0': *o++ = '\\'; *o++ = '0'; break;
		default: *o++ = s[i]; break;
		}
	}
	b->len = (size_t)(o - b->p);
}

static void
tsv_c(struct jbuf *b, char c)
{
	imp_reserve(b, 1);
	b->p[b->len++] = c;
}

/*
 * The verification codes of a batch's new awards (migration 067): made
 * here, 40 random bits each as award_code_new() makes them, since that
 * function, called by the award's BEFORE INSERT trigger for a row without
 * a code, cost a 20 000-award insert 4 of its 4.5 s. imp_stage_codes
 * starts the batch's set (n codes at most), imp_stage_code writes one
 * into out (9 bytes) that no other of the batch has; S_SG_CODES then
 * clears those a stored or revoked award holds, which the trigger fills.
 */
void
imp_stage_codes(struct imp *im, size_t n)
{
	for (im->ncodes = 16; im->ncodes < 2 * n + 1; im->ncodes *= 2)
		;
	im->codes = arena_alloc(im->batch, im->ncodes * sizeof(*im->codes));
	memset(im->codes, 0, im->ncodes * sizeof(*im->codes));
}

void
imp_stage_code(struct imp *im, char *out)
{
	unsigned long long	 v;
	size_t			 i;

	for (;;) {
		v = vcode_new(out);
		for (i = (size_t)(v * 0x9E3779B97F4A7C15ULL >> 20) &
		    (im->ncodes - 1); im->codes[i] != 0 &&
		    im->codes[i] != v + 1; i = (i + 1) & (im->ncodes - 1))
			;
		if (im->codes[i] == 0)
			break;
	}
	im->codes[i] = v + 1;
}

/*
 * The batch's new awards whose code a stored or revoked award holds
 * (S_SG_CODES clears them: about one batch in 200 at a million awards)
 * get new ones, made as the others, until none is taken: 0 or DB_E*.
 * Were any left after four rounds, the trigger of migration 073 would
 * fill them.
 */
int
imp_stage_recode(struct imp *im)
{
	struct db_res	*q;
	char		*code;
	int		 n, round;

	for (round = 0; round < 4; round++) {
		if ((n = db_sexec(im->data, &stage_set, S_SG_CODES,
		    DB_NOARGS)) <= 0)
			return n;
		if ((q = db_squery(im->data, im->batch, &stage_set,
		    S_SG_CLEARED, DB_NOARGS)) == NULL)
			return db_last_error(im->data);
		while (db_next(q)) {
			code = arena_alloc(im->batch, VCODE_LEN + 1);
			imp_stage_code(im, code);
			if ((n = db_sexec(im->data, &stage_set, S_SG_RECODE,
			    DB_ARGS(DB_STR(code), DB_INT(db_int(q, 0))))) < 0)
				return n;
		}
	}
	return 0;
}

/* Start the text of a table's rows. */
void
imp_stage_begin(struct imp *im)
{
	im->tsv.len = 0;
}

/* One row of w values, kind and seq (the row's place) before them. */
void
imp_stage_row(struct imp *im, int kind, size_t seq, const struct db_param *v,
    size_t w)
{
	struct jbuf	*b = &im->tsv;
	size_t		 i;

	imp_reserve(b, 32);
	b->len += (size_t)snprintf(b->p + b->len, 32, "%d\t%zu\t", kind, seq);
	for (i = 0; i < w; i++) {
		if (i > 0)
			tsv_c(b, '\t');
		tsv_put(b, &v[i]);
	}
	tsv_c(b, '\n');
}

/* Empty the staging table and load the rows written since begin. */
int
imp_stage_load(struct imp *im, enum imp_stage t)
{
	long long	 rc;

	if ((rc = db_raw(im->data, stage_clear[t])) < 0)
		return (int)rc;
	if (im->tsv.len == 0)
		return 0;
	rc = db_load(im->data, stage_load[t], im->tsv.p, im->tsv.len);
	return rc < 0 ? (int)rc : 0;
}

/* A merge statement (with the run's id if it takes one). 0 or DB_E*. */
int
imp_stage_exec(struct imp *im, enum stage_stmt s)
{
	int	 rc = db_sexec_id(im->data, &stage_set, (int)s, im->id);

	return rc < 0 ? rc : 0;
}

/*
 * Insert a table's new rows (S_SG_*_NEW): the rows the statement returns
 * (id first), in the batch arena; their ids kept for the run's undo as
 * one import_new row (a JSON array). NULL on error (db_last_error).
 */
struct db_res *
imp_stage_new(struct imp *im, enum stage_stmt s)
{
	static const char *const tbl[] = {
		[S_SG_FAC_NEW] = "facility", [S_SG_PROD_NEW] = "product",
		[S_SG_AWARD_NEW] = "award",
	};
	struct jbuf	*b = &im->chg;
	struct db_res	*q;
	long long	 first = 0;

	q = db_squery(im->data, im->batch, &stage_set, (int)s, DB_NOARGS);
	if (q == NULL || im->o->dry_run || im->id == 0 || q->rows == 0)
		return q;
	b->len = 0;
	while (db_next(q)) {
		if (b->len == 0)
			first = db_int(q, 0);
		imp_reserve(b, 24);
		b->len += (size_t)snprintf(b->p + b->len, 24, "%c%lld",
		    b->len == 0 ? '[' : ',', db_int(q, 0));
	}
	imp_reserve(b, 2);
	memcpy(b->p + b->len, "]", 2);
	if (db_sexec(im->data, &stage_set, S_SG_NEW_IDS, DB_ARGS(DB_INT(im->id),
	    DB_STR(tbl[s]), DB_INT(first), DB_STR(b->p))) < 0)
		return NULL;
	q->cur = 0;
	return q;
}
