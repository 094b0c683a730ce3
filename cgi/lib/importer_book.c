/*
 * importer_book: the record of a run (see importer_int.h): its
 * import_run row, its import_issue rows, and the report of API.md.
 *
 * All of it goes through the handle's second connection (struct imp
 * .book, in autocommit), never the program's (.data), because it must not
 * share the rows' transaction: a dry run, or a strict run that is rolled
 * back, keeps its record and its issues; a run killed in the middle of a
 * batch stays 'running' with the counts of its committed batches, and the
 * next run marks it 'interrupted'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "csvin.h"
#include "db.h"
#include "importer_int.h"

/* The issues of a batch travel as one JSON parameter (few, small). */
#define JT_ISSUES \
	"JSON_TABLE(?, '$[*]' COLUMNS(" \
	" kind VARCHAR(10) PATH '$[0]', line INT PATH '$[1]'," \
	" col VARCHAR(40) PATH '$[2]', code VARCHAR(40) PATH '$[3]'," \
	" msg VARCHAR(1000) PATH '$[4]', rec BIGINT PATH '$[5]')) j"

enum book_stmt {
	S_STALE, S_RUN_NEW, S_RUN_SET, S_RUN_END, S_ISSUES, S_BOOK__MAX
};
static const char *const book_sql[] = {
	[S_STALE] =
	    "UPDATE import_run SET status = 'interrupted', finished_at ="
	    " NOW(3) WHERE status = 'running'",
	[S_RUN_NEW] =
	    "INSERT INTO import_run (file_name, sha256, source, dry_run,"
	    " strict, user_id, username, kind, activity_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_RUN_SET] =
	    "UPDATE import_run SET encoding = ?, delimiter = ?,"
	    " header_line = ?, rows_total = ?, rows_inserted = ?,"
	    " rows_updated = ?, rows_unchanged = ?, rows_rejected = ?,"
	    " warnings = ? WHERE id = ?",
	[S_RUN_END] =
	    "UPDATE import_run SET status = ?, message = ?, report = ?,"
	    " finished_at = NOW(3) WHERE id = ?",
	[S_ISSUES] =
	    "INSERT INTO import_issue (import_id, kind, line, col, code,"
	    " message, record_id) SELECT ?, j.kind, j.line, j.col, j.code,"
	    " j.msg, j.rec FROM " JT_ISSUES,
};
static struct db_set book_set = DB_SET("importer/book", book_sql);

/* Room for more bytes (and a NUL) in a growable buffer: the batch's JSON
 * text here, its LOAD DATA text in importer_stage.c. */
void
imp_reserve(struct jbuf *b, size_t more)
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
	imp_reserve(b, n);
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
	imp_reserve(b, strlen(s) + 2);
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

/* Remember an issue of the current batch; and in the report, up to a cap. */
void
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

/* Reject a record: counted, an error of the batch and of the report. */
void
imp_reject(struct imp *im, size_t line, const char *col, const char *code,
    const char *msg)
{
	im->rejected++;
	im->total++;
	imp_issue(im, 1, line, col, code, msg, 0);
}

/* Write the batch's issues (book connection). 0 or DB_E*. */
int
imp_book_issues(struct imp *im)
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
	rc = db_sexec(im->book, &book_set, S_ISSUES, DB_ARGS(DB_INT(im->id),
	    DB_STRN(b->p, b->len)));
	im->nissues = 0;
	return rc < 0 ? rc : 0;
}

/* The run's counts so far into its import_run row (book), and the run's
 * claim renewed when due (implock.h). 0 or DB_E*. */
int
imp_book_counts(struct imp *im)
{
	char	 delim = im->in != NULL ? csvin_delimiter(im->in) : '\0';
	int	 rc;

	rc = db_sexec(im->book, &book_set, S_RUN_SET, DB_ARGS(
	    imp_str(im->in != NULL ? csvin_encoding(im->in) : NULL),
	    im->in != NULL ? DB_STRN(&delim, 1) : DB_NULL,
	    DB_INT(im->header_line), DB_INT(im->total), DB_INT(im->inserted),
	    DB_INT(im->updated), DB_INT(im->unchanged), DB_INT(im->rejected),
	    DB_INT(im->nwarnings), DB_INT(im->id)));
	if (rc >= 0)
		rc = implock_renew(im->book, &im->lock);
	return rc < 0 ? rc : 0;
}

/* The run's counts into o: rows_total, _inserted, _updated, _unchanged,
 * _rejected (the report's and the audit row's names, in that order). */
void
imp_json_counts(json_object *o, const struct imp *im)
{
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
}

/* The report of API.md, plus status and message. */
json_object *
imp_report(struct imp *im, const char *name, const char *sha,
    const char *status, const char *message)
{
	json_object	*o = json_object_new_object(), *ign;
	char		 sep[2] = { 0, 0 };
	size_t		 i;

	json_object_object_add(o, "import_id", im->id ?
	    json_object_new_int64(im->id) : NULL);
	json_object_object_add(o, "file", json_object_new_string(name));
	if (im->o->kind == IMP_PAYMENTS) {	/* awards' reports as before */
		json_object_object_add(o, "kind",
		    json_object_new_string("payments"));
		json_object_object_add(o, "activity_id", im->o->activity_id > 0 ?
		    json_object_new_int64(im->o->activity_id) : NULL);
	}
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
	imp_json_counts(o, im);
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
 * Mark a run a killed process left 'running' as 'interrupted' and record
 * this one (im->id) for the file name with hash sha. 0 or DB_E*.
 */
int
imp_book_open(struct imp *im, const char *name, const char *sha)
{
	const struct imp_opts	*o = im->o;
	int			 rc;

	if ((rc = db_sexec(im->book, &book_set, S_STALE, DB_NOARGS)) < 0 ||
	    (rc = db_sexec(im->book, &book_set, S_RUN_NEW, DB_ARGS(
	    DB_STR(name), DB_STR(sha), DB_STR(o->source ? o->source : "cli"),
	    DB_INT(o->dry_run != 0), DB_INT(o->strict != 0),
	    o->user_id > 0 ? DB_INT(o->user_id) : DB_NULL,
	    imp_str(o->username),
	    DB_STR(o->kind == IMP_PAYMENTS ? "payments" : "awards"),
	    o->activity_id > 0 ? DB_INT(o->activity_id) : DB_NULL))) < 0)
		return rc;
	im->id = db_insert_id(im->book);
	return 0;
}

/* The run's row finished: its counts, status, message and report. */
void
imp_book_end(struct imp *im, const char *status, const char *msg,
    json_object *report)
{
	const char	*rs = json_object_to_json_string_ext(report,
	    JSON_C_TO_STRING_PLAIN);

	imp_book_counts(im);
	db_sexec(im->book, &book_set, S_RUN_END, DB_ARGS(DB_STR(status),
	    imp_str(msg), DB_STR(rs), DB_INT(im->id)));
}
