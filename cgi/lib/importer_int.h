/*
 * importer_int: what the importer's files share, and nothing else
 * includes (the public interface is importer.h). The modules:
 *
 *   importer.c        the run: the lock, records until the header,
 *                     batch by batch in transactions, the audit row
 *   importer_book.c   the run's record on the second connection: the
 *                     import_run row, the issues, and the report
 *   importer_row.c    a data record checked and made a row of the batch
 *                     (names folded, its product group found or made)
 *   importer_units.c  the administrative units of the run and the
 *                     matching of a row's district text against them
 *   importer_batch.c  a batch classified against the database and
 *                     written with the multi-row statements
 *   importer_multi.c  the IN-list lookups (and the payments' and
 *                     import_change's multi-row statements)
 *   importer_stage.c  the batch's rows loaded in bulk into staging
 *                     tables and merged set-wise
 *   importer_pay.c    a file of payments: its header, each line checked
 *                     by the ledger's rules and written (not batched)
 */
#ifndef KC_IMPORTER_INT_H
#define KC_IMPORTER_INT_H

#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "award.h"
#include "implock.h"
#include "db.h"
#include "importer.h"

#define UNIT_CACHE	512	/* (year, district text) → match */
#define GROUP_CACHE	256	/* group key → id */
#define HEADER_SEARCH	50	/* non-blank records before giving up */
#define IMP_IN		500	/* values of one IN list */

struct arena;
struct csvin;
struct csvin_record;
struct bfac;
struct bprod;

/* The columns of a payments file (importer_pay.c). */
enum pay_col {
	PAY_DATE, PAY_AMOUNT, PAY_DOC, PAY_REF, PAY_FACILITY, PAY_TAX,
	PAY_DISTRICT, PAY_ACTIVITY, PAY_NOTE, PAY_COL__MAX
};

/* The IN-list lookup families (importer_multi.c). */
enum imp_multi {
	M_FAC_FIND,		/* facilities by ident: an IN list */
	M_FAC_ALIAS,		/* and by an old ident */
	M_PROD_FIND,		/* products and awards by facility: IN */
	M_PROD_ALIAS,		/* and by an old name key */
	M__MAX
};

/* The tables importer_stage.c loads, and its statements. */
enum imp_stage { ST_FAC, ST_PROD, ST_AWARD, ST__MAX };
enum stage_stmt {
	S_SG_FAC_NEW, S_SG_FAC_CHG_SET, S_SG_FAC_SET,
	S_SG_PROD_NEW, S_SG_PROD_CHG_SET, S_SG_PROD_SET,
	S_SG_AWARD_NEW, S_SG_AWARD_CHG_SET, S_SG_AWARD_SET,
	S_SG_CODES, S_SG_CLEARED, S_SG_RECODE, S_SG_VERSION, S_SG_NEW_IDS,
	S_SG_BULK,
	S_SG_UNBULK, S_SG_DROP,
	S_SG__MAX
};

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
	const char	*db_ident;	/* found by an old ident: the current */
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
	const char	*db_key, *db_fold;	/* found by an old key */
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
	struct db		*data;	/* the program's: the rows' transaction */
	struct db		*book;	/* import_run, import_issue: autocommit */
	struct implock		 lock;	/* its claim, on book (implock.h) */
	struct arena		*run;	/* lives for one run */
	struct arena		*batch;	/* lives for one batch */
	struct jbuf		 jb;
	struct jbuf		 tsv;	/* rows for LOAD DATA (stage) */
	struct jbuf		 chg;	/* a table's new ids (import_new) */
	unsigned long long	*codes;	/* the batch's award codes (stage) */
	size_t			 ncodes;	/* slots of codes */

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

	int			 aliases;	/* product or facility aliases */
	struct hmap		 fmap, fidmap, pmap, amap;
	struct idset		 same;	/* awards found unchanged in the run */
	struct bfac		**facs;
	size_t			 nfacs;

	int			 pay_col[PAY_COL__MAX];	/* payments' header */

	struct imp_row		 rows[IMP_BATCH];
	size_t			 nrows;
	struct imp_issue	 issues[2 * IMP_BATCH + 2];
	size_t			 nissues;
};

/* A string parameter, NULL as SQL NULL (a function: no macro warnings). */
static inline struct db_param
imp_str(const char *s)
{
	return s != NULL ? DB_STRN(s, strlen(s)) : DB_NULL;
}

/* An id parameter, 0 as SQL NULL. */
static inline struct db_param
imp_nint(long long v)
{
	return v != 0 ? DB_INT(v) : DB_NULL;
}

/* Differ two optional strings (NULL is a value of its own). */
static inline int
imp_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* The characters (code points) of a UTF-8 string. */
static inline size_t
imp_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* importer.c */
int	imp_next(struct imp *, struct csvin_record **);
int	imp_tx(struct imp *);
int	imp_audit(struct imp *);

/* importer_pay.c */
int	imp_pay_records(struct imp *, const char **msg);

/* importer_book.c */
void	imp_reserve(struct jbuf *, size_t more);
void	imp_issue(struct imp *, int error, size_t line, const char *col,
	    const char *code, const char *msg, long long record_id);
void	imp_reject(struct imp *, size_t line, const char *col,
	    const char *code, const char *msg);
int	imp_book_open(struct imp *, const char *name, const char *sha);
int	imp_book_issues(struct imp *);
int	imp_book_counts(struct imp *);
void	imp_book_end(struct imp *, const char *status, const char *msg,
	    json_object *report);
void	imp_json_counts(json_object *, const struct imp *);
json_object *imp_report(struct imp *, const char *name, const char *sha,
	    const char *status, const char *message);

/* importer_row.c */
int	imp_row(struct imp *, struct csvin_record *);

/* importer_units.c */
int	imp_units(struct imp *);
int	imp_unit(struct imp *, const char *text, int year, long long *unit_id,
	    const char **code, struct award_error *);

/* importer_multi.c */
void	imp_multi_init(void);
int	imp_in(struct imp *, enum imp_multi, const struct db_param *lead,
	    const struct db_param *keys, size_t n,
	    void (*fn)(struct imp *, struct db_res *));

/* importer_change.c */
int	imp_change_group(struct imp *, long long id);

/* importer_stage.c */
int	imp_stage_open(struct imp *);
void	imp_stage_close(struct imp *);
void	imp_stage_begin(struct imp *);
void	imp_stage_row(struct imp *, int kind, size_t seq,
	    const struct db_param *, size_t w);
int	imp_stage_load(struct imp *, enum imp_stage);
int	imp_stage_exec(struct imp *, enum stage_stmt);
void	imp_stage_codes(struct imp *, size_t n);
void	imp_stage_code(struct imp *, char *out);
int	imp_stage_recode(struct imp *);
struct db_res *imp_stage_new(struct imp *, enum stage_stmt);

/* importer_batch.c */
int	imp_batch(struct imp *);

#endif
