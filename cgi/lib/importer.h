/*
 * importer: the database side of the award-list import, shared by the
 * command line (kc-import) and the web (kc-imports). It streams the
 * records of one file from csvin, finds the header and parses rows with
 * award, matches districts against the units valid in the row's year,
 * and writes facilities, products and awards in batches: a batch is
 * classified with two IN-list lookups, then written with multi-row
 * statements of up to 500 rows (plain INSERTs for new rows, upserts for
 * changed ones, an UPDATE by id for unchanged awards), every value bound,
 * so a batch of 5 000 rows costs a few dozen round trips, never one per
 * row.
 *
 * Semantics (API.md "Award-list import"):
 *  - a row is (facility, product, year, level); names compared by
 *    text_key (case and spaces ignored, tone marks kept). The unique keys
 *    of migration 020 enforce it in the database.
 *  - a row already there counts as unchanged, the same key with new
 *    optional values as updated; a key repeated in one file counts once,
 *    the first occurrence wins (award.import_id records which import last
 *    listed an award).
 *  - a new product that equals an existing one of the same facility when
 *    diacritics are ignored goes in with a possible_duplicate warning.
 *  - normal mode commits batch by batch, so killing the process at any
 *    moment leaves committed batches that a re-run finds unchanged and
 *    finishes; dry run and strict mode run in one transaction that is
 *    rolled back (dry run, or strict with a rejected row) or committed.
 *  - imports run one at a time (a database lock); a run left 'running' by
 *    a killed process is marked 'interrupted' by the next.
 *  - the rows go through the program's connection (given to imp_new());
 *    the import_run row and the import_issue rows are written on a second
 *    connection of the handle's, so they survive a rolled-back dry run;
 *    the audit_log row goes in the transaction of the last batch.
 * A file of payments (o->kind IMP_PAYMENTS) goes through the same run
 * (lock, record, dry run, strict, report), its rows through
 * importer_pay.c: see there and API.md "Payments import".
 * Memory does not grow with the file: one batch at a time, bounded caches,
 * and at most IMP_REPORT_MAX errors and warnings in the returned report
 * (all of them are in import_issue).
 */
#ifndef KC_IMPORTER_H
#define KC_IMPORTER_H

#include <stddef.h>

#include <json-c/json.h>

#define IMP_BATCH		5000	/* rows per batch */
#define IMP_REPORT_MAX		1000	/* errors (and warnings) in a report */
#define IMP_MAX_ROWS		2000000	/* records in one file */

enum imp_status {
	IMP_DONE = 0,		/* processed (rejected rows included) */
	IMP_REJECTED,		/* strict mode: a row was bad, nothing changed */
	IMP_EFILE,		/* unreadable: encoding, header, limits */
	IMP_EBUSY,		/* another import is running */
	IMP_EDB			/* the database failed or is down */
};

/* What a file lists (import_run.kind). */
enum imp_kind {
	IMP_AWARDS = 0,		/* products and their awards */
	IMP_PAYMENTS		/* disbursements (importer_pay.c) */
};

struct imp_opts {
	enum imp_kind	 kind;
	long long	 activity_id;	/* payments: of this activity; 0: the
					   file names each line's */
	const char	*encoding;	/* NULL: detect */
	int		 dry_run;
	int		 strict;
	const char	*source;	/* "cli" or "web" */
	long long	 user_id;	/* 0: none (command line) */
	const char	*username;
	const char	*ip;
	int		 lock_wait;	/* seconds to wait for a running import */
	size_t		 max_rows;	/* 0: IMP_MAX_ROWS */
	/* Called after every batch: data records so far, current line. */
	void		(*progress)(void *, size_t rows, size_t line);
	void		*progress_arg;
};

struct imp_result {
	enum imp_status	 status;
	long long	 import_id;	/* 0 if no run was recorded */
	json_object	*report;	/* API.md's report; caller puts it */
	const char	*message;	/* Vietnamese, static or in report */
};

struct db;
struct imp;

struct imp	*imp_new(struct db *);
void		 imp_free(struct imp *);
int		 imp_file(struct imp *, const char *path, const char *name,
		    const struct imp_opts *, struct imp_result *);
int		 imp_mem(struct imp *, const void *, size_t, const char *name,
		    const struct imp_opts *, struct imp_result *);

#endif
