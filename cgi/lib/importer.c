/*
 * importer: see importer.h. The life of one import, in imp_run():
 * lock → record the run → load the units → records until the header →
 * rows into a batch → flush (classify, upsert facilities, products,
 * awards, look for possible duplicates, write the issues) → the last
 * flush with the audit row → the report.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "arena.h"
#include "award.h"
#include "clock.h"
#include "csvin.h"
#include "db.h"
#include "facility.h"
#include "importer.h"
#include "log.h"
#include "text.h"
#include "valid.h"

/* The issues of a batch travel as one JSON parameter (few, small). */
#define JT_ISSUES \
	"JSON_TABLE(?, '$[*]' COLUMNS(" \
	" kind VARCHAR(10) PATH '$[0]', line INT PATH '$[1]'," \
	" col VARCHAR(40) PATH '$[2]', code VARCHAR(40) PATH '$[3]'," \
	" msg VARCHAR(1000) PATH '$[4]', rec BIGINT PATH '$[5]')) j"

#define IMP_STATEMENTS(X) \
	X(S_LOCK, "SELECT GET_LOCK('kc.import', ?)") \
	X(S_UNLOCK, "SELECT RELEASE_LOCK('kc.import')") \
	X(S_STALE, \
	    "UPDATE import_run SET status = 'interrupted', finished_at =" \
	    " NOW(3) WHERE status = 'running'") \
	X(S_RUN_NEW, \
	    "INSERT INTO import_run (file_name, sha256, source, dry_run," \
	    " strict, user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?)") \
	X(S_RUN_SET, \
	    "UPDATE import_run SET encoding = ?, delimiter = ?," \
	    " header_line = ?, rows_total = ?, rows_inserted = ?," \
	    " rows_updated = ?, rows_unchanged = ?, rows_rejected = ?," \
	    " warnings = ? WHERE id = ?") \
	X(S_RUN_END, \
	    "UPDATE import_run SET status = ?, message = ?, report = ?," \
	    " finished_at = NOW(3) WHERE id = ?") \
	X(S_UNITS, \
	    "SELECT id, code, name, kind, level, YEAR(valid_from)," \
	    " YEAR(valid_to) FROM admin_unit WHERE level <> 'province'" \
	    " ORDER BY id") \
	X(S_GROUP, \
	    "INSERT INTO product_group (name, name_fold, name_key)" \
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)") \
	X(S_DUPS, \
	    "SELECT p.id, MIN(p2.id) FROM product p JOIN product p2" \
	    " ON p2.facility_id = p.facility_id AND p2.name_fold = p.name_fold" \
	    " AND p2.id < p.id WHERE p.id BETWEEN ? AND ? GROUP BY p.id") \
	X(S_AUTOINC, "SELECT @@innodb_autoinc_lock_mode") \
	X(S_WORDS_MINE, "SET @kc_product_words = 'kc-import'") \
	X(S_ISSUES, \
	    "INSERT INTO import_issue (import_id, kind, line, col, code," \
	    " message, record_id) SELECT ?, j.kind, j.line, j.col, j.code," \
	    " j.msg, j.rec FROM " JT_ISSUES) \
	X(S_AUDIT, \
	    "INSERT INTO audit_log (user_id, username, ip, action, entity," \
	    " entity_id, after_json) VALUES (?, ?, ?, 'import', 'import', ?, ?)")

/*
 * The write path: multi-row statements, every value a bound parameter.
 * Each is (head, one tuple per row, tail), prepared on first use in the
 * sizes of imp_sizes[] (rows per statement), so a batch of n rows costs
 * about n / 500 round trips per table. The IN-list lookups use the
 * largest size only, padded with NULL, which matches nothing.
 */
#define F_COLS	"(ident, name, name_fold, tax_code, address, unit_id, sample)"
#define P_COLS	"(facility_id, name, name_fold, name_key, search_fold," \
	" group_id, unit_id, last_year, sample)"
#define A_COLS	"(product_id, year, level, decision_no, decision_date," \
	" unit_id, import_id)"
#define IMP_MULTI(X) \
	X(M_FAC_FIND, \
	    "SELECT id, ident, address, unit_id, sample FROM facility" \
	    " WHERE ident IN (", "?", ")") \
	X(M_PROD_FIND, \
	    "SELECT p.id, p.facility_id, p.name_key, p.group_id, a.id, a.year," \
	    " a.level, a.import_id, a.decision_no, a.decision_date, a.unit_id" \
	    " FROM product p LEFT JOIN award a ON a.product_id = p.id" \
	    " WHERE p.facility_id IN (", "?", ")") \
	X(M_FAC_NEW, "INSERT INTO facility " F_COLS " VALUES ", \
	    "(?, ?, ?, ?, ?, ?, ?)", "") \
	X(M_FAC_SET, "INSERT INTO facility " F_COLS " VALUES ", \
	    "(?, ?, ?, ?, ?, ?, ?)", \
	    " ON DUPLICATE KEY UPDATE address = COALESCE(VALUES(address), address)," \
	    " unit_id = COALESCE(VALUES(unit_id), unit_id)," \
	    " sample = LEAST(sample, VALUES(sample))") \
	X(M_PROD_NEW, "INSERT INTO product " P_COLS " VALUES ", \
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", "") \
	X(M_PROD_SET, "INSERT INTO product " P_COLS " VALUES ", \
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", \
	    " ON DUPLICATE KEY UPDATE" \
	    " group_id = COALESCE(VALUES(group_id), product.group_id)," \
	    " unit_id = IF(VALUES(last_year) >= product.last_year," \
	    "  COALESCE(VALUES(unit_id), product.unit_id), product.unit_id)," \
	    " last_year = GREATEST(product.last_year, VALUES(last_year))," \
	    " search_fold = VALUES(search_fold)," \
	    " sample = LEAST(product.sample, VALUES(sample))," \
	    " updated_at = NOW()") \
	X(M_WORD_NEW, "INSERT IGNORE INTO product_word (word, product_id)" \
	    " VALUES ", "(?, ?)", "") \
	X(M_AWARD_NEW, "INSERT INTO award " A_COLS " VALUES ", \
	    "(?, ?, ?, ?, ?, ?, ?)", "") \
	X(M_AWARD_SET, "INSERT INTO award " A_COLS " VALUES ", \
	    "(?, ?, ?, ?, ?, ?, ?)", \
	    " ON DUPLICATE KEY UPDATE" \
	    " decision_no = COALESCE(VALUES(decision_no), award.decision_no)," \
	    " decision_date = COALESCE(VALUES(decision_date)," \
	    "  award.decision_date)," \
	    " unit_id = COALESCE(VALUES(unit_id), award.unit_id)," \
	    " import_id = VALUES(import_id), updated_at = NOW()")

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
#define AS_MENUM(id, h, t, e)	id,
#define AS_MPART(id, h, t, e)	{ h, t, e },
enum imp_stmt { IMP_STATEMENTS(AS_ENUM) S__MAX };
enum imp_multi { IMP_MULTI(AS_MENUM) M__MAX };
static const char *const imp_plain[] = { IMP_STATEMENTS(AS_TEXT) };
static const char *const imp_mparts[][3] = { IMP_MULTI(AS_MPART) };
static const size_t imp_sizes[] = { 500, 100, 20, 5, 1 };
#define IMP_NSIZES	(sizeof(imp_sizes) / sizeof(imp_sizes[0]))
#define IMP_IN		500	/* values of one IN list */
#define IMP_MSTMT(m, s)	(S__MAX + (int)(m) * (int)IMP_NSIZES + (int)(s))
/* Every text, plain then multi-row: built once, then read-only. */
static const char *imp_sqls[S__MAX + M__MAX * IMP_NSIZES];

#define UNIT_CACHE	512	/* (year, district text) → match */
#define GROUP_CACHE	256	/* group key → id */
#define HEADER_SEARCH	50	/* non-blank records before giving up */
#define IMP_PBUF	(46 * IMP_BATCH)	/* parameters of one batch */

struct bfac;
struct bprod;

/* States of a batch row. */
enum row_state { R_NEW, R_UPDATE, R_SAME, R_SKIP };

struct imp_row {
	size_t		 line;
	const char	*ident, *fname, *ffold, *tax, *addr;
	long long	 unit_id;	/* 0: none */
	const char	*pname, *pfold, *pkey, *sfold;
	long long	 group_id;	/* 0: none */
	int		 year;
	const char	*level;
	const char	*dno;
	char		 ddate[11];	/* "" if none */
	const char	*dupkey;	/* in-batch identity */
	const char	*ucode;		/* the unit code the ident was made with */
	enum row_state	 state;
	int		 new_product;
	struct bfac	*fac;		/* the batch's facility of the row */
	struct bprod	*prod;		/* and product */
	/* The award already stored for the row's key, if any: */
	int		 has_award;
	long long	 aid, a_import, a_unit;
	const char	*a_dno, *a_ddate;
};

/* A facility of the batch: as stored (if it is) and as the rows set it. */
struct bfac {
	const char	*ident;
	long long	 id;		/* 0 until found or inserted */
	int		 exists;
	const char	*db_addr;
	long long	 db_unit;
	int		 db_sample;
	size_t		 first;		/* first writing row */
	int		 touched;	/* a row writes it */
	const char	*addr;		/* last address given, or NULL */
	long long	 unit;		/* last unit given, or 0 */
};

/* A product of the batch (facility, name key). */
struct bprod {
	struct bfac	*fac;
	const char	*pkey;
	long long	 id;
	int		 exists;
	long long	 db_group;
	size_t		 first;
	int		 touched;
	const char	*sfold;		/* a new product: as the rows leave it */
	long long	 grp, unit;
	int		 last_year;
	long long	 dup;		/* an older one with the same fold */
};

/* Open addressing over string keys, in the batch arena. */
struct hmap {
	size_t		 cap;		/* a power of two */
	const char	**keys;
	void		**vals;
};

struct imp_issue {
	int		 error;		/* 1 error, 0 warning */
	size_t		 line;
	const char	*col, *code, *msg;
	long long	 record_id;
};

struct unit_entry {
	int		 used;
	int		 year;
	char		 text[128];
	int		 result;	/* enum award_match */
	long long	 unit_id;
	const char	*code;		/* into the run's unit list */
	char		 ecode[32];
	char		 emsg[320];
};

struct group_entry {
	char		*name;		/* as written (a hit needs no folding) */
	char		*key;
	long long	 id;
};

struct jbuf {
	char		*p;
	size_t		 len, cap;
};

/* A set of award ids (> 0), in the run's arena: open addressing. */
struct idset {
	long long	*k;
	size_t		 n, cap;
};

struct imp {
	struct db		*data;	/* the transaction of the rows */
	struct db		*book;	/* import_run, import_issue: autocommit */
	struct arena		*run;	/* lives for one run */
	struct arena		*batch;	/* lives for one batch */
	struct jbuf		 jb;

	/* One run: */
	const struct imp_opts	*o;
	struct csvin		*in;
	long long		 id;
	int			 sample;
	int			 in_tx;
	int			 strict_failed;
	int			 strict_columns;	/* by a header column */
	struct award_header	 hdr;
	size_t			 header_line;
	struct award_unit	*dunits, *cunits;	/* district, commune level */
	long long		*dids, *cids;
	size_t			 ndunits, ncunits;
	struct unit_entry	 ucache[UNIT_CACHE];
	struct group_entry	 gcache[GROUP_CACHE];
	size_t			 ngroups;
	int			 max_year;
	size_t			 total, inserted, updated, unchanged, rejected;
	size_t			 nwarnings;
	json_object		*errors, *warnings;

	int			 autoinc_rows;	/* ids per insert: 1 if mode 2 */
	struct hmap		 fmap, fidmap, pmap, amap;
	struct idset		 same;	/* awards found unchanged in the run */
	struct bfac		**facs;
	size_t			 nfacs;
	struct db_param		*pbuf;		/* IMP_PBUF, for imp_write() */

	struct imp_row		 rows[IMP_BATCH];
	size_t			 nrows;
	struct imp_issue	 issues[2 * IMP_BATCH + 2];
	size_t			 nissues;
};

static int	imp_differ(const char *, const char *);

/* A string parameter, NULL as SQL NULL (a function: no macro warnings). */
static struct db_param
imp_str(const char *s)
{
	return s != NULL ? DB_STRN(s, strlen(s)) : DB_NULL;
}

/* A growable byte buffer for the batch's JSON text. */
static void
jb_reserve(struct jbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	while (b->len + more + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 1 << 16;
	if ((b->p = realloc(b->p, b->cap)) == NULL)
		abort();
}

static void
jb_raw(struct jbuf *b, const char *s, size_t n)
{
	jb_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
jb_c(struct jbuf *b, char c)
{
	jb_raw(b, &c, 1);
}

static void
jb_int(struct jbuf *b, long long v)
{
	char	 t[32];
	int	 n = snprintf(t, sizeof(t), "%lld", v);

	jb_raw(b, t, (size_t)n);
}

/* A JSON string (valid UTF-8 in), or null for NULL. */
static void
jb_str(struct jbuf *b, const char *s)
{
	const unsigned char	*p;
	char			 t[8];

	if (s == NULL) {
		jb_raw(b, "null", 4);
		return;
	}
	jb_reserve(b, strlen(s) + 2);
	jb_c(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			jb_c(b, '\\');
			jb_c(b, (char)*p);
		} else if (*p < 0x20) {
			snprintf(t, sizeof(t), "\\u%04x", *p);
			jb_raw(b, t, 6);
		} else
			jb_c(b, (char)*p);
	}
	jb_c(b, '"');
}

static void
jb_nint(struct jbuf *b, long long v)
{
	if (v == 0)
		jb_raw(b, "null", 4);
	else
		jb_int(b, v);
}

/*
 * A handle for imports: two database connections (opened on first use)
 * and the buffers of one batch. Release with imp_free().
 */
/* The statement texts, once per process (the sizes of every family). */
static void
imp_build_sqls(void)
{
	static int	 built;
	size_t		 m, k, i, len, n;
	char		*t, *e;

	if (built)
		return;
	for (i = 0; i < S__MAX; i++)
		imp_sqls[i] = imp_plain[i];
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
			imp_sqls[IMP_MSTMT(m, k)] = t;
		}
	built = 1;
}

struct imp *
imp_new(void)
{
	struct imp	*im;

	imp_build_sqls();
	if ((im = calloc(1, sizeof(*im))) == NULL)
		abort();
	im->data = db_new("kc_staff", imp_sqls, S__MAX + M__MAX * IMP_NSIZES);
	im->book = db_new("kc_staff", imp_sqls, S__MAX + M__MAX * IMP_NSIZES);
	im->run = arena_new();
	im->batch = arena_new();
	if ((im->pbuf = malloc(IMP_PBUF * sizeof(*im->pbuf))) == NULL)
		abort();
	return im;
}

void
imp_free(struct imp *im)
{
	if (im == NULL)
		return;
	db_free(im->data);
	db_free(im->book);
	arena_free(im->run);
	arena_free(im->batch);
	free(im->jb.p);
	free(im->pbuf);
	free(im);
}

/* Number of characters (code points) of a UTF-8 string. */
static size_t
imp_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Remember an issue of the current batch; and in the report, up to a cap. */
static void
imp_issue(struct imp *im, int error, size_t line, const char *col,
    const char *code, const char *msg, long long record_id)
{
	struct imp_issue	*is;
	json_object		*o, *list;

	if (im->nissues < sizeof(im->issues) / sizeof(im->issues[0])) {
		is = &im->issues[im->nissues++];
		is->error = error;
		is->line = line;
		is->col = col != NULL ? arena_strdup(im->batch, col) : NULL;
		is->code = arena_strdup(im->batch, code);
		is->msg = arena_strdup(im->batch, msg);
		is->record_id = record_id;
	}
	list = error ? im->errors : im->warnings;
	if (json_object_array_length(list) >= IMP_REPORT_MAX)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "line", json_object_new_int64((long long)line));
	if (error)
		json_object_object_add(o, "column", col != NULL ?
		    json_object_new_string(col) : NULL);
	else if (col != NULL)
		json_object_object_add(o, "column",
		    json_object_new_string(col));
	json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "message", json_object_new_string(msg));
	if (!error)
		json_object_object_add(o, "record_id", record_id != 0 ?
		    json_object_new_int64(record_id) : NULL);
	json_object_array_add(list, o);
}

static void
imp_reject(struct imp *im, size_t line, const char *col, const char *code,
    const char *msg)
{
	im->rejected++;
	im->total++;
	imp_issue(im, 1, line, col, code, msg, 0);
}

/* Load the units once per run, split by level. 0 or a DB_E* code. */
static int
imp_units(struct imp *im)
{
	struct db_res	*q;
	size_t		 n, k;
	struct award_unit *u;

	if ((q = db_query(im->data, im->run, S_UNITS, DB_NOARGS)) == NULL)
		return db_last_error(im->data);
	n = q->rows;
	im->dunits = arena_alloc(im->run, (n + 1) * sizeof(*im->dunits));
	im->cunits = arena_alloc(im->run, (n + 1) * sizeof(*im->cunits));
	im->dids = arena_alloc(im->run, (n + 1) * sizeof(*im->dids));
	im->cids = arena_alloc(im->run, (n + 1) * sizeof(*im->cids));
	im->ndunits = im->ncunits = 0;
	while (db_next(q)) {
		if (strcmp(db_str(q, 4), "district") == 0) {
			k = im->ndunits++;
			u = &im->dunits[k];
			im->dids[k] = db_int(q, 0);
		} else {
			k = im->ncunits++;
			u = &im->cunits[k];
			im->cids[k] = db_int(q, 0);
		}
		u->code = db_str(q, 1);
		u->name = db_str(q, 2);
		u->kind = db_str(q, 3);
		u->valid_from_year = (int)db_int(q, 5);
		u->valid_to_year = (int)db_int(q, 6);
	}
	return 0;
}

/*
 * The unit named by text in year: district-level units first, then (if
 * none is called so) commune-level ones. Results are cached per (year,
 * text). 0 with *unit_id and *code, or -1 with e.
 */
static int
imp_unit(struct imp *im, const char *text, int year, long long *unit_id,
    const char **code, struct award_error *e)
{
	struct unit_entry	*c = NULL;
	enum award_match	 m;
	size_t			 found = 0, len = strlen(text), h = 5381;
	const char		*p;

	if (len < sizeof(c->text)) {
		for (p = text; *p != '\0'; p++)
			h = h * 33 + (unsigned char)*p;
		h = (h * 33 + (size_t)year) % UNIT_CACHE;
		c = &im->ucache[h];
		if (c->used && c->year == year && strcmp(c->text, text) == 0)
			goto hit;
	}
	m = award_unit_match(im->batch, im->dunits, im->ndunits, text, year,
	    &found, e);
	if (m == AWARD_MATCH_ONE) {
		*unit_id = im->dids[found];
		*code = im->dunits[found].code;
	} else if (m == AWARD_MATCH_NONE) {
		m = award_unit_match(im->batch, im->cunits, im->ncunits, text,
		    year, &found, e);
		if (m == AWARD_MATCH_ONE) {
			*unit_id = im->cids[found];
			*code = im->cunits[found].code;
		}
	}
	if (c == NULL)
		return m == AWARD_MATCH_ONE ? 0 : -1;
	c->used = 1;
	c->year = year;
	memcpy(c->text, text, len + 1);
	c->result = m;
	if (m == AWARD_MATCH_ONE) {
		c->unit_id = *unit_id;
		c->code = *code;
	} else {
		snprintf(c->ecode, sizeof(c->ecode), "%s", e->code);
		snprintf(c->emsg, sizeof(c->emsg), "%s", e->message);
	}
hit:
	if (c->result == AWARD_MATCH_ONE) {
		*unit_id = c->unit_id;
		*code = c->code;
		return 0;
	}
	e->code = c->ecode;
	e->message = c->emsg;
	return -1;
}

/* Open the data transaction if it is not open. 0 or DB_E*. */
static int
imp_tx(struct imp *im)
{
	int	 rc;

	if (im->in_tx)
		return 0;
	if ((rc = db_begin(im->data)) < 0)
		return rc;
	im->in_tx = 1;
	return 0;
}

/* The id of a product group, created if new. 0 on a database error. */
static long long
imp_group(struct imp *im, const char *name)
{
	const char	*key, *fold;
	size_t		 i;
	long long	 id;

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
	if (db_exec(im->data, S_GROUP, DB_ARGS(DB_STR(name), DB_STR(fold),
	    DB_STR(key))) < 0)
		return 0;
	id = db_insert_id(im->data);
	if (im->ngroups < GROUP_CACHE) {
		im->gcache[im->ngroups].name = arena_strdup(im->run, name);
		im->gcache[im->ngroups].key = arena_strdup(im->run, key);
		im->gcache[im->ngroups++].id = id;
	}
	return id;
}

/* Does a title line say the file is sample data? */
static int
imp_is_sample(struct imp *im, char *const *f, size_t n)
{
	size_t	 i;
	char	*k;

	for (i = 0; i < n; i++) {
		if ((k = text_fold(im->batch, f[i], strlen(f[i]))) == NULL)
			continue;
		if (strstr(k, "du lieu mau") != NULL ||
		    strstr(k, "sample data") != NULL)
			return 1;
	}
	return 0;
}

/*
 * Check one data record and add it to the batch, or reject it. 0, or a
 * DB_E* code (a product group could not be written).
 */
static int
imp_row(struct imp *im, struct csvin_record *rec)
{
	struct award_row	 ar;
	struct award_error	 e;
	enum award_col		 col;
	struct imp_row		*r, *p;
	const char		*code = NULL;
	char			 tax[VALID_TAX_MAX];
	enum valid_tax		 why;
	long long		 unit_id = 0;
	struct arena		*a = im->batch;

	if (award_row_parse(a, &im->hdr, rec->fields, rec->nfields,
	    im->max_year, &ar, &col, &e) == -1) {
		imp_reject(im, rec->line, award_col_name(col), e.code,
		    e.message);
		return 0;
	}
#define TOO_LONG(v, max, c, what) \
	if ((v) != NULL && imp_chars(v) > (max)) { \
		imp_reject(im, rec->line, award_col_name(c), "too_long", \
		    arena_printf(a, "%s dài quá %d ký tự", what, max)); \
		return 0; \
	}
	TOO_LONG(ar.product, 255, AWARD_COL_PRODUCT, "Tên sản phẩm");
	TOO_LONG(ar.facility, 255, AWARD_COL_FACILITY, "Tên cơ sở");
	TOO_LONG(ar.address, 500, AWARD_COL_ADDRESS, "Địa chỉ");
	TOO_LONG(ar.group, 120, AWARD_COL_GROUP, "Nhóm sản phẩm");
	TOO_LONG(ar.decision_no, 60, AWARD_COL_DECISION_NO, "Số quyết định");
	TOO_LONG(ar.district, 120, AWARD_COL_DISTRICT, "Huyện");
#undef TOO_LONG
	/* A wrong tax code (or household's personal identification
	 * number) does not lose the row: it goes in by name. */
	if (ar.tax_code != NULL && (why = valid_tax_at(ar.tax_code,
	    im->max_year, tax)) != VALID_TAX_OK) {
		im->nwarnings++;
		imp_issue(im, 0, rec->line, award_col_name(AWARD_COL_TAX_CODE),
		    "invalid_tax_code", arena_printf(a, "Mã số thuế “%s”: %s;"
		    " cơ sở được nhận theo tên", ar.tax_code,
		    valid_tax_why(why)), 0);
		ar.tax_code = NULL;
	}
	if (ar.district != NULL && imp_unit(im, ar.district, ar.year,
	    &unit_id, &code, &e) == -1) {
		imp_reject(im, rec->line, award_col_name(AWARD_COL_DISTRICT),
		    e.code, e.message);
		return 0;
	}
	im->total++;
	r = &im->rows[im->nrows++];
	memset(r, 0, sizeof(*r));
	r->line = rec->line;
	r->tax = ar.tax_code != NULL ? arena_strdup(a, tax) : NULL;
	/* Rows of one facility often follow each other: fold it once. */
	if ((p = im->nrows > 1 ? &im->rows[im->nrows - 2] : NULL) != NULL &&
	    strcmp(p->fname, ar.facility) == 0 &&
	    !imp_differ(p->tax, r->tax) && p->ucode == code) {
		r->fname = p->fname;
		r->ffold = p->ffold;
		r->ident = p->ident;
	} else {
		r->fname = arena_strdup(a, ar.facility);
		r->ffold = text_fold(a, ar.facility, strlen(ar.facility));
		r->ident = facility_ident(a, r->tax, ar.facility, code);
	}
	r->ucode = code;
	if (r->ident == NULL) {
		im->nrows--;
		im->total--;
		imp_reject(im, rec->line, award_col_name(AWARD_COL_FACILITY),
		    "invalid", "Tên cơ sở không có chữ hoặc số nào");
		return 0;
	}
	r->addr = ar.address != NULL ? arena_strdup(a, ar.address) : NULL;
	r->unit_id = unit_id;
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

/* Mark the later copies of a key within the batch (first one wins). */
static void
imp_dedupe(struct imp *im)
{
	size_t		 cap = 2 * IMP_BATCH, i, h;
	long		 slot[2 * IMP_BATCH];
	const char	*p;

	for (i = 0; i < cap; i++)
		slot[i] = -1;
	for (i = 0; i < im->nrows; i++) {
		h = 5381;
		for (p = im->rows[i].dupkey; *p != '\0'; p++)
			h = h * 33 + (unsigned char)*p;
		for (h %= cap; slot[h] >= 0; h = (h + 1) % cap) {
			if (strcmp(im->rows[slot[h]].dupkey,
			    im->rows[i].dupkey) == 0) {
				im->rows[i].state = R_SKIP;
				break;
			}
		}
		if (slot[h] < 0)
			slot[h] = (long)i;
	}
}

/* Write the batch's issues (book connection). 0 or DB_E*. */
static int
imp_write_issues(struct imp *im)
{
	struct jbuf		*b = &im->jb;
	struct imp_issue	*is;
	size_t			 i;
	int			 rc;

	if (im->nissues == 0)
		return 0;
	b->len = 0;
	jb_c(b, '[');
	for (i = 0; i < im->nissues; i++) {
		is = &im->issues[i];
		if (i > 0)
			jb_c(b, ',');
		jb_c(b, '[');
		jb_str(b, is->error ? "error" : "warning"); jb_c(b, ',');
		jb_int(b, (long long)is->line); jb_c(b, ',');
		jb_str(b, is->col); jb_c(b, ',');
		jb_str(b, is->code); jb_c(b, ',');
		jb_str(b, is->msg); jb_c(b, ',');
		jb_nint(b, is->record_id);
		jb_c(b, ']');
	}
	jb_c(b, ']');
	rc = db_exec(im->book, S_ISSUES, DB_ARGS(DB_INT(im->id),
	    DB_STRN(b->p, b->len)));
	im->nissues = 0;
	return rc < 0 ? rc : 0;
}

/* The counts, as kept in the audit row and in import_run. */
static json_object *
imp_counts(const struct imp *im)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "import_id", json_object_new_int64(im->id));
	json_object_object_add(o, "rows_total",
	    json_object_new_int64((long long)im->total));
	json_object_object_add(o, "rows_inserted",
	    json_object_new_int64((long long)im->inserted));
	json_object_object_add(o, "rows_updated",
	    json_object_new_int64((long long)im->updated));
	json_object_object_add(o, "rows_unchanged",
	    json_object_new_int64((long long)im->unchanged));
	json_object_object_add(o, "rows_rejected",
	    json_object_new_int64((long long)im->rejected));
	return o;
}

static int
imp_audit(struct imp *im)
{
	json_object	*o = imp_counts(im);
	const char	*s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN);
	char		 id[24];
	int		 rc;

	snprintf(id, sizeof(id), "%lld", im->id);
	rc = db_exec(im->data, S_AUDIT, DB_ARGS(
	    im->o->user_id > 0 ? DB_INT(im->o->user_id) : DB_NULL,
	    imp_str(im->o->username), imp_str(im->o->ip), DB_STR(id),
	    DB_STR(s)));
	json_object_put(o);
	return rc < 0 ? rc : 0;
}

static size_t
ids_slot(const struct idset *s, long long id)
{
	size_t	i = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ULL >> 20)
		    & (s->cap - 1);

	while (s->k[i] != 0 && s->k[i] != id)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int
ids_has(const struct idset *s, long long id)
{
	return s->cap > 0 && s->k[ids_slot(s, id)] == id;
}

/* Adds id; the table doubles (in arena a) past half full. */
static void
ids_add(struct arena *a, struct idset *s, long long id)
{
	struct idset	 old = *s;
	size_t		 i;

	if (2 * (s->n + 1) > s->cap) {
		s->cap = old.cap == 0 ? 1024 : 2 * old.cap;
		s->k = arena_alloc(a, s->cap * sizeof(*s->k));
		memset(s->k, 0, s->cap * sizeof(*s->k));
		for (i = 0; i < old.cap; i++)
			if (old.k[i] != 0)
				s->k[ids_slot(s, old.k[i])] = old.k[i];
	}
	i = ids_slot(s, id);
	if (s->k[i] == 0) {
		s->k[i] = id;
		s->n++;
	}
}

static void
hm_init(struct arena *a, struct hmap *h, size_t n)
{
	for (h->cap = 16; h->cap < 2 * n + 1; h->cap *= 2)
		;
	h->keys = arena_alloc(a, h->cap * sizeof(*h->keys));
	h->vals = arena_alloc(a, h->cap * sizeof(*h->vals));
}

/* The value slot of key: *found says whether it was there; a new key is
 * entered (the map never holds more than the n it was made for). */
static void **
hm_slot(struct hmap *h, const char *key, int *found)
{
	size_t		 i = 5381;
	const char	*p;

	for (p = key; *p != '\0'; p++)
		i = i * 33 + (unsigned char)*p;
	for (i &= h->cap - 1; h->keys[i] != NULL; i = (i + 1) & (h->cap - 1))
		if (strcmp(h->keys[i], key) == 0) {
			*found = 1;
			return &h->vals[i];
		}
	*found = 0;
	h->keys[i] = key;
	return &h->vals[i];
}

static void *
hm_get(struct hmap *h, const char *key)
{
	size_t		 i = 5381;
	const char	*p;

	for (p = key; *p != '\0'; p++)
		i = i * 33 + (unsigned char)*p;
	for (i &= h->cap - 1; h->keys[i] != NULL; i = (i + 1) & (h->cap - 1))
		if (strcmp(h->keys[i], key) == 0)
			return h->vals[i];
	return NULL;
}

static struct db_param
imp_nint(long long v)
{
	return v != 0 ? DB_INT(v) : DB_NULL;
}

/*
 * The 7 parameters of one facility row (M_FAC_NEW and M_FAC_SET share
 * their column order): names and tax code from row r, the rest from f.
 */
static void
fac_params(struct db_param *d, const struct bfac *f, const struct imp_row *r,
    int sample)
{
	d[0] = imp_str(f->ident);
	d[1] = imp_str(r->fname);
	d[2] = imp_str(r->ffold);
	d[3] = imp_str(r->tax);
	d[4] = imp_str(f->addr);
	d[5] = imp_nint(f->unit);
	d[6] = DB_INT(sample);
}

/*
 * The 9 parameters of one product row (M_PROD_NEW and M_PROD_SET share
 * their column order): names from row r, the rest as given.
 */
static void
prod_params(struct db_param *d, long long fac_id, const struct imp_row *r,
    const char *sfold, long long group_id, long long unit_id, int year,
    int sample)
{
	d[0] = DB_INT(fac_id);
	d[1] = imp_str(r->pname);
	d[2] = imp_str(r->pfold);
	d[3] = imp_str(r->pkey);
	d[4] = imp_str(sfold);
	d[5] = imp_nint(group_id);
	d[6] = imp_nint(unit_id);
	d[7] = DB_INT(year);
	d[8] = DB_INT(sample);
}

/*
 * Run multi-row family m over n rows of w parameters each (p), in as few
 * statements as the sizes allow. With ids, the AUTO_INCREMENT id of each
 * inserted row (a multi-row plain INSERT takes consecutive ids under
 * innodb_autoinc_lock_mode 0 or 1, checked at the start of a run).
 * 0 or DB_E*.
 */
static int
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
		rc = db_exec(im->data, IMP_MSTMT(m, s), p + done * w,
		    imp_sizes[s] * w);
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
static int
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
			if ((rc = db_exec(im->data, IMP_MSTMT(m, 0), p,
			    IMP_IN + off)) < 0)
				return rc;
			continue;
		}
		q = db_query(im->data, im->batch, IMP_MSTMT(m, 0), p,
		    IMP_IN + off);
		if (q == NULL)
			return db_last_error(im->data);
		while (db_next(q))
			fn(im, q);
	}
	return 0;
}

/* A facility row of M_FAC_FIND: id, ident, address, unit_id, sample. */
static void
imp_found_fac(struct imp *im, struct db_res *q)
{
	struct bfac	*f = hm_get(&im->fmap, db_str(q, 1));

	if (f == NULL)
		return;
	f->exists = 1;
	f->id = db_int(q, 0);
	f->db_addr = db_str(q, 2);
	f->db_unit = db_int(q, 3);
	f->db_sample = (int)db_int(q, 4);
}

/*
 * A row of M_PROD_FIND: a product of a batch facility and one of its
 * awards (or none). Only the batch's products and award keys matter.
 */
static void
imp_found_prod(struct imp *im, struct db_res *q)
{
	struct bfac	*f = hm_get(&im->fidmap, db_str(q, 1));
	struct bprod	*p;
	struct imp_row	*r;
	const char	*k;

	if (f == NULL)
		return;
	k = arena_printf(im->batch, "%p\x1f%s", (void *)f, db_str(q, 2));
	if ((p = hm_get(&im->pmap, k)) == NULL)
		return;
	p->exists = 1;
	p->id = db_int(q, 0);
	p->db_group = db_int(q, 3);
	if (db_isnull(q, 4))
		return;
	k = arena_printf(im->batch, "%p\x1f%s\x1f%s", (void *)p, db_str(q, 5),
	    db_str(q, 6));
	if ((r = hm_get(&im->amap, k)) == NULL)
		return;
	r->has_award = 1;
	r->aid = db_int(q, 4);
	r->a_import = db_int(q, 7);
	r->a_dno = db_str(q, 8);
	r->a_ddate = db_str(q, 9);
	r->a_unit = db_int(q, 10);
}

/* Differ two optional strings (NULL is a value of its own). */
static int
imp_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/*
 * Classify the batch rows against the database: two lookups (the
 * facilities by ident; the products and awards of those that exist).
 * Sets state, new_product, fac and prod of every row. 0 or DB_E*.
 */
static int
imp_classify(struct imp *im)
{
	struct arena	*a = im->batch;
	struct imp_row	*r;
	struct bfac	*f, **facs;
	struct bprod	*p;
	struct db_param	*keys;
	void		**slot;
	size_t		 i, nf = 0, nk;
	int		 found, rc, changed;

	hm_init(a, &im->fmap, im->nrows);
	hm_init(a, &im->fidmap, im->nrows);
	hm_init(a, &im->pmap, im->nrows);
	hm_init(a, &im->amap, im->nrows);
	facs = arena_alloc(a, (im->nrows + 1) * sizeof(*facs));
	keys = arena_alloc(a, (im->nrows + 1) * sizeof(*keys));
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->state == R_SKIP)
			continue;
		slot = hm_slot(&im->fmap, r->ident, &found);
		if (!found) {
			f = *slot = arena_alloc(a, sizeof(*f));
			f->ident = r->ident;
			facs[nf] = f;
			keys[nf++] = DB_STRN(r->ident, strlen(r->ident));
		}
		r->fac = *slot;
	}
	im->facs = facs;
	im->nfacs = nf;
	if ((rc = imp_in(im, M_FAC_FIND, NULL, keys, nf, imp_found_fac)) < 0)
		return rc;
	for (i = 0, nk = 0; i < nf; i++)
		if (facs[i]->exists) {
			*hm_slot(&im->fidmap, arena_printf(a, "%lld",
			    facs[i]->id), &found) = facs[i];
			keys[nk++] = DB_INT(facs[i]->id);
		}
	/* Products and award keys of the rows (by facility, then name). */
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->state == R_SKIP)
			continue;
		slot = hm_slot(&im->pmap, arena_printf(a, "%p\x1f%s",
		    (void *)r->fac, r->pkey), &found);
		if (!found) {
			p = *slot = arena_alloc(a, sizeof(*p));
			p->fac = r->fac;
			p->pkey = r->pkey;
		}
		r->prod = *slot;
		if (r->fac->exists)
			*hm_slot(&im->amap, arena_printf(a, "%p\x1f%d\x1f%s",
			    (void *)r->prod, r->year, r->level), &found) = r;
	}
	if (nk > 0 && (rc = imp_in(im, M_PROD_FIND, NULL, keys, nk,
	    imp_found_prod)) < 0)
		return rc;
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->state == R_SKIP)
			continue;
		f = r->fac;
		p = r->prod;
		r->new_product = !p->exists;
		if (!r->has_award) {
			r->state = R_NEW;
			continue;
		}
		/* Listed earlier in this file: written by this run, or
		 * found unchanged in an earlier batch. The first one wins. */
		if (r->a_import == im->id || ids_has(&im->same, r->aid)) {
			r->state = R_SKIP;
			continue;
		}
		changed = (r->dno != NULL && imp_differ(r->dno, r->a_dno)) ||
		    (r->ddate[0] != '\0' && imp_differ(r->ddate, r->a_ddate)) ||
		    (r->unit_id != 0 && r->unit_id != r->a_unit) ||
		    (r->group_id != 0 && r->group_id != p->db_group) ||
		    (r->addr != NULL && imp_differ(r->addr, f->db_addr));
		r->state = changed ? R_UPDATE : R_SAME;
		if (!changed)
			ids_add(im->run, &im->same, r->aid);
	}
	return 0;
}

/* A row writes (facility, product, award) when it is new or updated. */
#define WRITES(r)	((r)->state == R_NEW || (r)->state == R_UPDATE)

/*
 * The words of the batch's new products (product_word, migration 024), in
 * multi-row statements, split by text_word() as kc-products splits a
 * search. The table's insert trigger leaves them to this session
 * (S_WORDS_MINE), which spares it splitting every name in SQL; after a
 * reconnect the trigger writes them too and INSERT IGNORE keeps one.
 */
static int
imp_words(struct imp *im, struct bprod **np, size_t nnp)
{
	struct db_param	*p;
	const char	*s, *w;
	size_t		 k, n = 0, len;

	for (k = 0; k < nnp; k++)
		for (s = np[k]->sfold; text_word(&s, &len) != NULL; )
			n++;
	p = arena_alloc(im->batch, (2 * n + 1) * sizeof(*p));
	for (n = 0, k = 0; k < nnp; k++)
		for (s = np[k]->sfold; (w = text_word(&s, &len)) != NULL;
		    n++) {
			p[2 * n] = DB_STRN(w, len);
			p[2 * n + 1] = DB_INT(np[k]->id);
		}
	return imp_multi(im, M_WORD_NEW, p, n, 2, NULL);
}

/*
 * Write the classified batch: new facilities, products and awards with
 * plain multi-row INSERTs (their ids come back in order), changes of
 * stored ones with multi-row upserts (an unchanged award is left as it is,
 * its id kept in im->same for the later batches),
 * then one query for possible duplicates among the new products.
 * 0 or DB_E*.
 */
static int
imp_write(struct imp *im)
{
	struct arena	*a = im->batch;
	struct imp_row	*r;
	struct bfac	*f, **nf;
	struct bprod	*p, **np;
	struct db_param	*pf, *pu, *pp, *pq, *pa, *pb;
	struct db_res	*q;
	long long	*ids, lo = 0, hi = 0, sample = im->sample;
	size_t		 i, k, nnf = 0, nuf = 0, nnp = 0, nup = 0, nna = 0,
			 nua = 0, n = im->nrows;
	int		 rc;

	nf = arena_alloc(a, (n + 1) * sizeof(*nf));
	np = arena_alloc(a, (n + 1) * sizeof(*np));
	ids = arena_alloc(a, (n + 1) * sizeof(*ids));
	/* Parameters: one buffer for the handle's life, not zeroed. */
	pf = im->pbuf;
	pu = pf + 7 * IMP_BATCH;
	pp = pu + 7 * IMP_BATCH;
	pq = pp + 9 * IMP_BATCH;
	pa = pq + 9 * IMP_BATCH;
	pb = pa + 7 * IMP_BATCH;
	/* The rows in order, as the old row-by-row upserts left things. */
	for (i = 0; i < n; i++) {
		r = &im->rows[i];
		if (!WRITES(r))
			continue;
		f = r->fac;
		if (!f->touched) {
			f->touched = 1;
			f->first = i;
			if (!f->exists)
				nf[nnf++] = f;
		}
		if (r->addr != NULL)
			f->addr = r->addr;
		if (r->unit_id != 0)
			f->unit = r->unit_id;
		p = r->prod;
		if (p->exists) {
			/* One upsert row per row, in order (as before). */
			continue;
		}
		if (!p->touched) {
			p->touched = 1;
			p->first = i;
			p->grp = r->group_id;
			p->unit = r->unit_id;
			p->last_year = r->year;
			np[nnp++] = p;
		} else {
			if (r->group_id != 0)
				p->grp = r->group_id;
			if (r->year >= p->last_year && r->unit_id != 0)
				p->unit = r->unit_id;
			if (r->year > p->last_year)
				p->last_year = r->year;
		}
		p->sfold = r->sfold;
	}
	/* Facilities: the new ones, then changes to stored ones. */
	for (k = 0; k < nnf; k++)
		fac_params(&pf[7 * k], nf[k], &im->rows[nf[k]->first], sample);
	if ((rc = imp_multi(im, M_FAC_NEW, pf, nnf, 7, ids)) < 0)
		return rc;
	for (k = 0; k < nnf; k++)
		nf[k]->id = ids[k];
	for (k = 0; k < im->nfacs; k++) {
		f = im->facs[k];
		if (!f->exists || !f->touched)
			continue;
		if (!((f->addr != NULL && imp_differ(f->addr, f->db_addr)) ||
		    (f->unit != 0 && f->unit != f->db_unit) ||
		    sample < f->db_sample))
			continue;
		fac_params(&pu[7 * nuf], f, &im->rows[f->first], sample);
		nuf++;
	}
	if ((rc = imp_multi(im, M_FAC_SET, pu, nuf, 7, NULL)) < 0)
		return rc;
	/* Products: the new ones, then one upsert row per row of a stored one. */
	for (k = 0; k < nnp; k++) {
		p = np[k];
		r = &im->rows[p->first];
		prod_params(&pp[9 * k], p->fac->id, r, p->sfold, p->grp,
		    p->unit, p->last_year, sample);
	}
	if ((rc = imp_multi(im, M_PROD_NEW, pp, nnp, 9, ids)) < 0)
		return rc;
	for (k = 0; k < nnp; k++) {
		np[k]->id = ids[k];
		if (k == 0 || ids[k] < lo)
			lo = ids[k];
		if (k == 0 || ids[k] > hi)
			hi = ids[k];
	}
	if ((rc = imp_words(im, np, nnp)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		r = &im->rows[i];
		if (!WRITES(r) || !r->prod->exists)
			continue;
		prod_params(&pq[9 * nup], r->fac->id, r, r->sfold, r->group_id,
		    r->unit_id, r->year, sample);
		nup++;
	}
	if ((rc = imp_multi(im, M_PROD_SET, pq, nup, 9, NULL)) < 0)
		return rc;
	/* Awards: the new ones, the updated ones. */
	for (i = 0; i < n; i++) {
		struct db_param	*d;

		r = &im->rows[i];
		if (r->state == R_NEW)
			d = &pa[7 * nna++];
		else if (r->state == R_UPDATE)
			d = &pb[7 * nua++];
		else
			continue;
		d[0] = DB_INT(r->prod->id);
		d[1] = DB_INT(r->year);
		d[2] = imp_str(r->level);
		d[3] = imp_str(r->dno);
		d[4] = imp_str(r->ddate[0] != '\0' ? r->ddate : NULL);
		d[5] = imp_nint(r->unit_id);
		d[6] = DB_INT(im->id);
	}
	if ((rc = imp_multi(im, M_AWARD_NEW, pa, nna, 7, NULL)) < 0 ||
	    (rc = imp_multi(im, M_AWARD_SET, pb, nua, 7, NULL)) < 0)
		return rc;
	/* Possible duplicates: a new product equal to an older one of the
	 * same facility once diacritics are ignored. */
	if (nnp == 0)
		return 0;
	hm_init(a, &im->fidmap, nnp);
	for (k = 0; k < nnp; k++) {
		int	 found;

		*hm_slot(&im->fidmap, arena_printf(a, "%lld", np[k]->id),
		    &found) = np[k];
	}
	q = db_query(im->data, a, S_DUPS, DB_ARGS(DB_INT(lo), DB_INT(hi)));
	if (q == NULL)
		return db_last_error(im->data);
	while (db_next(q))
		if ((p = hm_get(&im->fidmap, db_str(q, 0))) != NULL)
			p->dup = db_int(q, 1);
	for (i = 0; i < n; i++) {
		r = &im->rows[i];
		if (r->state != R_NEW || !r->new_product || r->prod->dup == 0)
			continue;
		im->nwarnings++;
		imp_issue(im, 0, r->line, "product", "possible_duplicate",
		    arena_printf(a, "Sản phẩm “%s” có thể trùng với sản phẩm"
		    " #%lld của cùng cơ sở (chỉ khác dấu)", r->pname,
		    r->prod->dup), r->prod->dup);
	}
	return 0;
}

/*
 * Write the batch: classify every row against the database, upsert what
 * is new or changed, leave what is unchanged as it is, warn about possible
 * duplicates. In normal mode the batch is its own transaction (the last
 * one also holds the audit row). 0 or DB_E*.
 */
static int
imp_flush(struct imp *im, int last)
{
	struct db	*db = im->data;
	size_t		 i;
	int		 rc = 0;
	char		 sep[2] = { csvin_delimiter(im->in), '\0' };

	if (im->strict_failed)
		im->nrows = 0;
	if (im->nrows == 0 && !last)
		goto issues;
	if ((rc = imp_tx(im)) < 0)
		return rc;
	if (im->nrows > 0) {
		imp_dedupe(im);
		if ((rc = imp_classify(im)) < 0)
			return rc;
		for (i = 0; i < im->nrows; i++) {
			switch (im->rows[i].state) {
			case R_NEW: im->inserted++; break;
			case R_UPDATE: im->updated++; break;
			default: im->unchanged++; break;
			}
		}
		if ((rc = imp_write(im)) < 0)
			return rc;
	}
	if (last && !im->o->dry_run && !im->strict_failed &&
	    (rc = imp_audit(im)) < 0)
		return rc;
	if (!im->o->dry_run && !im->o->strict) {
		if ((rc = db_commit(db)) < 0)
			return rc;
		im->in_tx = 0;
	}
issues:
	im->nrows = 0;
	if ((rc = imp_write_issues(im)) < 0)
		return rc;
	rc = db_exec(im->book, S_RUN_SET, DB_ARGS(
	    DB_STR(csvin_encoding(im->in)), DB_STR(sep),
	    DB_INT(im->header_line), DB_INT(im->total), DB_INT(im->inserted),
	    DB_INT(im->updated), DB_INT(im->unchanged), DB_INT(im->rejected),
	    DB_INT(im->nwarnings), DB_INT(im->id)));
	arena_reset(im->batch);
	if (im->o->progress != NULL)
		im->o->progress(im->o->progress_arg, im->total,
		    csvin_line(im->in));
	return rc < 0 ? rc : 0;
}

/* The report of API.md, plus status and message. */
static json_object *
imp_report(struct imp *im, const char *name, const char *sha,
    const char *status, const char *message)
{
	json_object	*o = json_object_new_object(), *ign;
	char		 sep[2] = { 0, 0 };
	size_t		 i;

	json_object_object_add(o, "import_id", im->id ?
	    json_object_new_int64(im->id) : NULL);
	json_object_object_add(o, "file", json_object_new_string(name));
	json_object_object_add(o, "sha256", json_object_new_string(sha));
	json_object_object_add(o, "dry_run",
	    json_object_new_boolean(im->o->dry_run));
	json_object_object_add(o, "strict",
	    json_object_new_boolean(im->o->strict));
	json_object_object_add(o, "status", json_object_new_string(status));
	if (message != NULL)
		json_object_object_add(o, "message",
		    json_object_new_string(message));
	json_object_object_add(o, "encoding", im->in != NULL ?
	    json_object_new_string(csvin_encoding(im->in)) : NULL);
	if (im->in != NULL)
		sep[0] = csvin_delimiter(im->in);
	json_object_object_add(o, "delimiter", sep[0] != '\0' ?
	    json_object_new_string(sep) : NULL);
	json_object_object_add(o, "header_line", im->header_line ?
	    json_object_new_int64((long long)im->header_line) : NULL);
	json_object_object_add(o, "sample", json_object_new_boolean(im->sample));
	json_object_object_add(o, "rows_total",
	    json_object_new_int64((long long)im->total));
	json_object_object_add(o, "rows_inserted",
	    json_object_new_int64((long long)im->inserted));
	json_object_object_add(o, "rows_updated",
	    json_object_new_int64((long long)im->updated));
	json_object_object_add(o, "rows_unchanged",
	    json_object_new_int64((long long)im->unchanged));
	json_object_object_add(o, "rows_rejected",
	    json_object_new_int64((long long)im->rejected));
	ign = json_object_new_array();
	for (i = 0; im->header_line && i < im->hdr.nignored; i++)
		json_object_array_add(ign,
		    json_object_new_string(im->hdr.ignored[i]));
	json_object_object_add(o, "ignored_columns", ign);
	json_object_object_add(o, "errors", json_object_get(im->errors));
	json_object_object_add(o, "warnings", json_object_get(im->warnings));
	json_object_object_add(o, "errors_truncated", json_object_new_boolean(
	    im->rejected > IMP_REPORT_MAX));
	json_object_object_add(o, "warnings_total",
	    json_object_new_int64((long long)im->nwarnings));
	return o;
}

/*
 * Warn of each column of the header that was not recognised but looks
 * like a column the file lacks ("Huyện/Xã cũ"): its values are dropped.
 * In strict mode such a file is refused.
 */
static void
imp_columns(struct imp *im)
{
	const struct award_unknown	*u;
	size_t				 i;

	for (i = 0; i < im->hdr.nunknown; i++) {
		u = &im->hdr.unknown[i];
		im->nwarnings++;
		imp_issue(im, 0, im->header_line, award_col_name(u->like),
		    "unrecognised_column", award_unknown_message(im->batch, u),
		    0);
	}
	if (im->o->strict && im->hdr.nunknown > 0)
		im->strict_failed = im->strict_columns = 1;
}

/*
 * Read the records: title lines until the header, then the rows, batch by
 * batch. Returns IMP_DONE, IMP_EFILE (with *msg) or IMP_EDB.
 */
static int
imp_records(struct imp *im, const char **msg)
{
	struct csvin_record	*rec;
	size_t			 seen = 0;
	int			 rc, kind;

	for (;;) {
		rc = csvin_next(im->in, &rec);
		if (rc == CSVIN_END)
			break;
		if (rc == CSVIN_EFIELDS || rc == CSVIN_ETEXT) {
			if (im->header_line == 0)
				continue;
			imp_reject(im, csvin_line(im->in), NULL,
			    csvin_errcode(rc), csvin_strerror(rc));
			continue;
		}
		if (rc != CSVIN_OK) {
			imp_issue(im, 1, csvin_line(im->in), NULL,
			    csvin_errcode(rc), csvin_strerror(rc), 0);
			*msg = csvin_strerror(rc);
			return IMP_EFILE;
		}
		kind = award_line_kind(im->batch, rec->fields, rec->nfields);
		if (kind == AWARD_LINE_BLANK)
			continue;
		if (im->header_line == 0) {
			if (award_header_parse(im->run, rec->fields,
			    rec->nfields, &im->hdr)) {
				im->header_line = rec->line;
				imp_columns(im);
				continue;
			}
			if (imp_is_sample(im, rec->fields, rec->nfields))
				im->sample = 1;
			if (++seen >= HEADER_SEARCH)
				break;
			continue;
		}
		if (kind == AWARD_LINE_FOOTER)
			continue;
		if ((rc = imp_row(im, rec)) < 0)
			return IMP_EDB;
		if (im->o->strict && im->rejected > 0)
			im->strict_failed = 1;
		if (im->nrows == IMP_BATCH || im->nissues >= IMP_BATCH) {
			if (imp_flush(im, 0) < 0)
				return IMP_EDB;
		}
	}
	if (im->header_line == 0) {
		*msg = "Không tìm thấy dòng tiêu đề cột (cần các cột Tên sản"
		    " phẩm, Tên cơ sở, Năm, Cấp công nhận)";
		imp_issue(im, 1, csvin_line(im->in), NULL, "no_header", *msg, 0);
		return IMP_EFILE;
	}
	return imp_flush(im, 1) < 0 ? IMP_EDB : IMP_DONE;
}

/* One import of an opened reader. */
static int
imp_run(struct imp *im, struct csvin *in, int open_rc, const char *name,
    const char *sha, const struct imp_opts *o, struct imp_result *res)
{
	struct db_res	*q;
	const char	*status = "done", *msg = NULL, *rs;
	int		 rc = IMP_DONE, locked = 0;

	memset(res, 0, sizeof(*res));
	im->o = o;
	im->in = in;
	im->id = 0;
	im->sample = im->in_tx = im->strict_failed = im->strict_columns = 0;
	im->header_line = 0;
	memset(&im->hdr, 0, sizeof(im->hdr));
	im->total = im->inserted = im->updated = im->unchanged = 0;
	im->rejected = im->nwarnings = 0;
	im->same = (struct idset){ 0 };
	im->nrows = im->nissues = im->ngroups = 0;
	memset(im->ucache, 0, sizeof(im->ucache));
	im->errors = json_object_new_array();
	im->warnings = json_object_new_array();
	im->max_year = clock_year_vn();	/* "up to the current year" */
	db_request_begin(im->data);
	db_request_begin(im->book);

	q = db_query(im->data, im->run, S_LOCK, DB_ARGS(DB_INT(o->lock_wait)));
	if (q == NULL) {
		rc = IMP_EDB;
		goto out;
	}
	if (!db_next(q) || db_int(q, 0) != 1) {
		rc = IMP_EBUSY;
		msg = "Một lần nhập dữ liệu khác đang chạy; hãy thử lại sau";
		goto out;
	}
	locked = 1;
	if (db_exec(im->data, S_WORDS_MINE, DB_NOARGS) < 0) {
		rc = IMP_EDB;
		goto out;
	}
	/* Under innodb_autoinc_lock_mode 2 a multi-row INSERT may take ids
	 * that are not consecutive: then new rows go in one by one. */
	if ((q = db_query(im->data, im->run, S_AUTOINC, DB_NOARGS)) == NULL) {
		rc = IMP_EDB;
		goto out;
	}
	im->autoinc_rows = db_next(q) && db_int(q, 0) == 2 ? 1 : 0;
	if (db_exec(im->book, S_STALE, DB_NOARGS) < 0 ||
	    db_exec(im->book, S_RUN_NEW, DB_ARGS(DB_STR(name), DB_STR(sha),
	    DB_STR(o->source ? o->source : "cli"), DB_INT(o->dry_run != 0),
	    DB_INT(o->strict != 0), o->user_id > 0 ? DB_INT(o->user_id) :
	    DB_NULL, imp_str(o->username))) < 0) {
		rc = IMP_EDB;
		goto out;
	}
	im->id = db_insert_id(im->book);
	if (in == NULL) {
		rc = IMP_EFILE;
		msg = csvin_strerror(open_rc);
		imp_issue(im, 1, 0, NULL, csvin_errcode(open_rc), msg, 0);
		imp_write_issues(im);
		goto out;
	}
	if (imp_units(im) < 0) {
		rc = IMP_EDB;
		goto out;
	}
	rc = imp_records(im, &msg);
	if (rc == IMP_EFILE)
		imp_write_issues(im);
	if (im->in_tx) {
		if (rc == IMP_DONE && o->strict && !o->dry_run &&
		    !im->strict_failed) {
			if (db_commit(im->data) < 0)
				rc = IMP_EDB;
		} else
			db_rollback(im->data);
		im->in_tx = 0;
	}
	if (rc == IMP_DONE && im->strict_failed) {
		rc = IMP_REJECTED;
		msg = im->strict_columns && im->rejected == 0 ?
		    "Chế độ nghiêm ngặt: tệp có cột không nhận ra (xem cảnh"
		    " báo ở dòng tiêu đề) nên không dòng nào được nhập" :
		    im->strict_columns ? "Chế độ nghiêm ngặt: tệp có cột không"
		    " nhận ra và dòng lỗi nên không dòng nào được nhập" :
		    "Chế độ nghiêm ngặt: tệp có dòng lỗi nên không dòng nào"
		    " được nhập";
		im->inserted = im->updated = im->unchanged = 0;
	}
out:
	if (rc == IMP_EDB && msg == NULL)
		msg = "Lỗi cơ sở dữ liệu; lần nhập dừng lại (chạy lại sẽ"
		    " hoàn tất phần còn lại)";
	switch (rc) {
	case IMP_DONE: status = "done"; break;
	case IMP_REJECTED: status = "rejected"; break;
	default: status = "failed"; break;
	}
	if (im->in_tx) {
		db_rollback(im->data);
		im->in_tx = 0;
	}
	res->status = rc;
	res->import_id = im->id;
	res->report = imp_report(im, name, sha, status, msg);
	res->message = msg;
	if (im->id != 0 && rc != IMP_EDB) {
		rs = json_object_to_json_string_ext(res->report,
		    JSON_C_TO_STRING_PLAIN);
		db_exec(im->book, S_RUN_SET, DB_ARGS(
		    imp_str(in != NULL ? csvin_encoding(in) : NULL),
		    in != NULL ? DB_STRN((const char[]){ csvin_delimiter(in) }, 1)
		    : DB_NULL,
		    DB_INT(im->header_line), DB_INT(im->total),
		    DB_INT(im->inserted), DB_INT(im->updated),
		    DB_INT(im->unchanged), DB_INT(im->rejected),
		    DB_INT(im->nwarnings), DB_INT(im->id)));
		db_exec(im->book, S_RUN_END, DB_ARGS(DB_STR(status),
		    imp_str(msg), DB_STR(rs), DB_INT(im->id)));
	}
	if (locked)
		db_query(im->data, im->batch, S_UNLOCK, DB_NOARGS);
	json_object_put(im->errors);
	json_object_put(im->warnings);
	im->errors = im->warnings = NULL;
	arena_reset(im->batch);
	arena_reset(im->run);
	im->same = (struct idset){ 0 };
	im->in = NULL;
	return rc;
}

static void
imp_hex(char out[65], const unsigned char h[32])
{
	size_t	 i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static struct csvin_opts
imp_csv_opts(const struct imp_opts *o)
{
	struct csvin_opts	 co;

	memset(&co, 0, sizeof(co));
	co.encoding = o->encoding;
	co.max_records = (o->max_rows ? o->max_rows : IMP_MAX_ROWS) +
	    HEADER_SEARCH + 10;
	return co;
}

/*
 * Import the file at path, reported under name (NULL: path). Returns the
 * status, also in res (whose report the caller releases).
 */
int
imp_file(struct imp *im, const char *path, const char *name,
    const struct imp_opts *o, struct imp_result *res)
{
	crypto_hash_sha256_state	 st;
	unsigned char			 h[32], buf[65536];
	char				 sha[65];
	struct csvin_opts		 co = imp_csv_opts(o);
	struct csvin			*in = NULL;
	FILE				*f;
	size_t				 n;
	int				 rc;

	if (name == NULL)
		name = path;
	if ((f = fopen(path, "rb")) == NULL) {
		memset(res, 0, sizeof(*res));
		res->status = IMP_EFILE;
		res->message = "Không đọc được tệp";
		return IMP_EFILE;
	}
	crypto_hash_sha256_init(&st);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		crypto_hash_sha256_update(&st, buf, n);
	fclose(f);
	crypto_hash_sha256_final(&st, h);
	imp_hex(sha, h);
	rc = csvin_open(&in, path, &co);
	rc = imp_run(im, rc == CSVIN_OK ? in : NULL, rc, name, sha, o, res);
	if (in != NULL)
		csvin_close(in);
	return rc;
}

/* Import a file held in memory (an upload), reported under name. */
int
imp_mem(struct imp *im, const void *p, size_t len, const char *name,
    const struct imp_opts *o, struct imp_result *res)
{
	unsigned char		 h[32];
	char			 sha[65];
	struct csvin_opts	 co = imp_csv_opts(o);
	struct csvin		*in = NULL;
	int			 rc;

	crypto_hash_sha256(h, p, len);
	imp_hex(sha, h);
	rc = csvin_open_mem(&in, p, len, &co);
	rc = imp_run(im, rc == CSVIN_OK ? in : NULL, rc, name, sha, o, res);
	if (in != NULL)
		csvin_close(in);
	return rc;
}
