/*
 * importer: see importer.h and, for its files, importer_int.h. The life
 * of one import, in imp_run(): lock → record the run → load the units →
 * records until the header → rows into a batch → flush (classify, upsert
 * facilities, products, awards, look for possible duplicates, write the
 * issues) → the last flush with the audit row → the report.
 *
 * Two connections. The rows and the audit row go through the
 * program's own (struct imp .data: the worker's in kc-imports, the
 * tool's in kc-import), in one transaction per batch (or per run: dry
 * run, strict). The run's record (import_run, import_issue) goes through
 * a second one the handle opens (.book), because it must stay outside
 * the rows' transaction: see importer_book.c; so does the claim that
 * one import runs at a time (implock.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "auth.h"
#include "award.h"
#include "clock.h"
#include "csvin.h"
#include "db.h"
#include "importer_int.h"
#include "implock.h"
#include "text.h"

/* The run's statements on the data connection: the session. */
enum imp_stmt {
	S_ALIASES, S_IMP__MAX
};
static const char *const imp_sql[] = {
	[S_ALIASES] = ("SELECT EXISTS (SELECT 1 FROM product_alias)"
	    " OR EXISTS (SELECT 1 FROM facility_alias)"),
};
static struct db_set imp_set = DB_SET("importer", imp_sql);

/* The counts, as kept in the audit row. */
static json_object *
imp_counts(const struct imp *im)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "import_id", json_object_new_int64(im->id));
	imp_json_counts(o, im);
	return o;
}

/*
 * The audit row of the run, on the data connection, in the transaction of
 * the last batch, through auth's one function: 0 or DB_E*.
 */
int
imp_audit(struct imp *im)
{
	struct auth_user	 u;
	json_object		*o = imp_counts(im);
	char			 id[24];
	int			 rc;

	memset(&u, 0, sizeof(u));
	u.id = im->o->user_id;
	u.username = im->o->username;
	snprintf(id, sizeof(id), "%lld", im->id);
	rc = audit_write_db(im->data, &u, im->o->ip, "import", "import", id,
	    NULL, o);
	json_object_put(o);
	return rc;
}


/*
 * A handle for imports on the program's connection db (kept by
 * reference: it must outlive the handle), with a second connection of
 * its own for the run's record (opened on first use; importer_book.c
 * says why) and the buffers of one batch. Release with imp_free().
 */
struct imp *
imp_new(struct db *db)
{
	struct imp	*im;

	imp_multi_init();
	if ((im = calloc(1, sizeof(*im))) == NULL)
		abort();
	im->data = db;
	db_allow_load(db);	/* the batches' LOAD DATA (importer_stage.c) */
	im->book = db_new("kc_staff", NULL, 0);
	im->run = arena_new();
	im->batch = arena_new();
	return im;
}

/* Release the handle and its own connection (not the program's). */
void
imp_free(struct imp *im)
{
	if (im == NULL)
		return;
	db_free(im->book);
	arena_free(im->run);
	arena_free(im->batch);
	free(im->jb.p);
	free(im->tsv.p);
	free(im->chg.p);
	free(im);
}

/* Open the data transaction if it is not open. 0 or DB_E*. */
int
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
 * Write the batch (imp_batch(): classify every row against the database,
 * upsert what is new or changed, leave what is unchanged as it is, warn
 * about possible duplicates). In normal mode the batch is its own
 * transaction (the last one also holds the audit row). Then the batch's
 * issues and the counts go to the book. 0 or DB_E*.
 */
static int
imp_flush(struct imp *im, int last)
{
	int	 rc = 0;

	if (im->strict_failed)
		im->nrows = 0;
	if (im->nrows == 0 && !last)
		goto issues;
	if ((rc = imp_tx(im)) < 0)
		return rc;
	if (im->nrows > 0 && (rc = imp_batch(im)) < 0)
		return rc;
	if (last && !im->o->dry_run && !im->strict_failed &&
	    (rc = imp_audit(im)) < 0)
		return rc;
	if (!im->o->dry_run && !im->o->strict) {
		if ((rc = db_commit(im->data)) < 0)
			return rc;
		im->in_tx = 0;
	}
issues:
	im->nrows = 0;
	if ((rc = imp_book_issues(im)) < 0)
		return rc;
	rc = imp_book_counts(im);
	arena_reset(im->batch);
	if (im->o->progress != NULL)
		im->o->progress(im->o->progress_arg, im->total,
		    csvin_line(im->in));
	return rc;
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
 * The next record of the file (csvin_next()'s status): a record of bad
 * fields or text is passed over before the header and rejected after it,
 * both files' way (awards and payments).
 */
int
imp_next(struct imp *im, struct csvin_record **rec)
{
	int	 rc;

	while ((rc = csvin_next(im->in, rec)) == CSVIN_EFIELDS ||
	    rc == CSVIN_ETEXT) {
		if (im->header_line != 0)
			imp_reject(im, csvin_line(im->in), NULL,
			    csvin_errcode(rc), csvin_strerror(rc));
	}
	return rc;
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

	while ((rc = imp_next(im, &rec)) != CSVIN_END) {
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

/* Ready the handle for a run of o over the reader in (NULL: unreadable). */
static void
imp_run_reset(struct imp *im, struct csvin *in, const struct imp_opts *o)
{
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
}

/*
 * Take the import lock (*locked), set the data session up (its product
 * words, its staging tables), mark a run a killed process left
 * 'running' as 'interrupted' and record this one (im->id). IMP_DONE,
 * IMP_EBUSY with *msg, or IMP_EDB.
 */
static int
imp_run_open(struct imp *im, const char *name, const char *sha, int *locked,
    const char **msg)
{
	const struct imp_opts	*o = im->o;
	struct db_res		*q;

	/* The claim goes through the book's connection, in autocommit
	 * (implock.h), and is renewed with the run's counts. */
	if (implock_take(im->book, &im->lock, o->lock_wait) < 0)
		return IMP_EDB;
	if (im->lock.token[0] == '\0') {
		*msg = "Một lần nhập dữ liệu khác đang chạy; hãy thử lại sau";
		return IMP_EBUSY;
	}
	*locked = 1;
	/* The batches' staging tables (importer_stage.c). */
	if (imp_stage_open(im) < 0)
		return IMP_EDB;
	/* Old spellings to match (migration 058): looked up only when
	 * staff have renamed or merged something. */
	q = db_squery(im->data, im->run, &imp_set, S_ALIASES, DB_NOARGS);
	if (q == NULL)
		return IMP_EDB;
	im->aliases = db_next(q) && db_int(q, 0) != 0;
	if (imp_book_open(im, name, sha) < 0)
		return IMP_EDB;
	return IMP_DONE;
}

/*
 * After the records: end the transaction a dry or strict run left open
 * (commit a strict run without a bad row, roll back the rest), and give a
 * strict run with a bad row or column its verdict. The status, *msg.
 */
static int
imp_run_settle(struct imp *im, int rc, const char **msg)
{
	const struct imp_opts	*o = im->o;

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
		*msg = im->strict_columns && im->rejected == 0 ?
		    "Chế độ nghiêm ngặt: tệp có cột không nhận ra (xem cảnh"
		    " báo ở dòng tiêu đề) nên không dòng nào được nhập" :
		    im->strict_columns ? "Chế độ nghiêm ngặt: tệp có cột không"
		    " nhận ra và dòng lỗi nên không dòng nào được nhập" :
		    "Chế độ nghiêm ngặt: tệp có dòng lỗi nên không dòng nào"
		    " được nhập";
		im->inserted = im->updated = im->unchanged = 0;
	}
	return rc;
}

/*
 * The end of every run: roll back what is still open, the report into
 * res, the run's row finished (unless the database failed), the lock
 * released, the run's memory freed.
 */
static void
imp_run_close(struct imp *im, int rc, const char *msg, int locked,
    const char *name, const char *sha, struct imp_result *res)
{
	const char	*status;

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
	if (im->id != 0 && rc != IMP_EDB)
		imp_book_end(im, status, msg, res->report);
	if (locked) {
		imp_stage_close(im);
		implock_give(im->book, &im->lock);
	}
	json_object_put(im->errors);
	json_object_put(im->warnings);
	im->errors = im->warnings = NULL;
	arena_reset(im->batch);
	arena_reset(im->run);
	im->same = (struct idset){ 0 };
	im->in = NULL;
}

/*
 * One import of an opened reader (in NULL: open_rc says why it could not
 * be opened). The status, also in res.
 */
static int
imp_run(struct imp *im, struct csvin *in, int open_rc, const char *name,
    const char *sha, const struct imp_opts *o, struct imp_result *res)
{
	const char	*msg = NULL;
	int		 rc, locked = 0;

	memset(res, 0, sizeof(*res));
	imp_run_reset(im, in, o);
	if ((rc = imp_run_open(im, name, sha, &locked, &msg)) != IMP_DONE)
		goto out;
	if (in == NULL) {
		rc = IMP_EFILE;
		msg = csvin_strerror(open_rc);
		imp_issue(im, 1, 0, NULL, csvin_errcode(open_rc), msg, 0);
		imp_book_issues(im);
		goto out;
	}
	if (imp_units(im) < 0) {
		rc = IMP_EDB;
		goto out;
	}
	rc = o->kind == IMP_PAYMENTS ? imp_pay_records(im, &msg) :
	    imp_records(im, &msg);
	if (rc == IMP_EFILE)
		imp_book_issues(im);
	rc = imp_run_settle(im, rc, &msg);
out:
	imp_run_close(im, rc, msg, locked, name, sha, res);
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
