/*
 * kc-imports: the award-list import on the web, for staff with the role
 * importer (or admin; auditors read the history and the reports), and
 * the payments import (kind=payments: disbursements in bulk), for
 * finance (or admin). The same engine as kc-import (cgi/lib/importer),
 * on the worker's connection: the request body is the file, as the
 * office's Excel wrote it.
 *
 *   POST /api/admin/imports[?kind=payments]  import a file
 *   GET  /api/admin/imports[.csv]           the history of imports
 *   GET  /api/admin/imports/{id}            the report of one
 *   GET  /api/admin/imports/{id}/errors[.csv]  its rejected rows, warnings
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "importer.h"
#include "req.h"
#include "resp.h"
#include "rows.h"

#define MAX_UPLOAD	(32u << 20)	/* as nginx's client_max_body_size */
#define ISSUES_CSV_MAX	1000000


/* The imports' statements: import_run and import_issue, read only. */
#define RUN_COLS \
	"id, file_name, sha256, source, dry_run, strict, status," \
	" rows_total, rows_inserted, rows_updated, rows_unchanged," \
	" rows_rejected, warnings, username, " SQL_ISO("started_at") "," \
	" " SQL_ISO("finished_at") ", kind, activity_id"
/* The history of one kind (? NULL: every kind). */
#define RUNS_OF	" FROM import_run WHERE (? IS NULL OR kind = ?)"
enum imports_stmt {
	S_RUNS, S_RUNS_COUNT, S_RUN, S_ISSUES, S_ISSUES_COUNT, S_ACTIVITY,
	S_IMPORTS__MAX
};
static const char *const imports_sql[] = {
	[S_RUNS] = "SELECT " RUN_COLS ", NULL" RUNS_OF
	    " ORDER BY id DESC LIMIT ? OFFSET ?",
	[S_RUNS_COUNT] = "SELECT COUNT(*)" RUNS_OF,
	[S_RUN] = "SELECT " RUN_COLS ", report FROM import_run WHERE id = ?",
	[S_ISSUES] =
	    "SELECT line, kind, col, code, message, record_id FROM import_issue"
	    " WHERE import_id = ? ORDER BY line, id LIMIT ? OFFSET ?",
	[S_ISSUES_COUNT] =
	    "SELECT COUNT(*) FROM import_issue WHERE import_id = ?",
	[S_ACTIVITY] = "SELECT id FROM activity WHERE id = ?",
};
static struct db_set imports_set = DB_SET("imports", imports_sql);

/* An issue of an import (record_id 0: none): its members, JSON path (its
 * CSV's header too) and kind, in the list's and the CSV's order. */
#define ISSUE_COLS(X) \
	X("line", line, J_INT) X("kind", kind, J_STR) X("column", col, J_STR) \
	X("code", code, J_STR) X("message", message, J_STR) \
	X("record_id", record_id, J_ID)
#define ISSUE_MEMBER(path, m, t)	ROWS_MEMBER(m, t)
struct issue_row { ISSUE_COLS(ISSUE_MEMBER) };
#define ISSUE_CSV(path, m, t)	{ path, path },
#define ISSUE_JCOL(path, m, t)	JCOL(path, issue_row, m, t),
static const struct csv_col issue_cols[] = { ISSUE_COLS(ISSUE_CSV) };
static const struct jcol issue_json[] = { ISSUE_COLS(ISSUE_JCOL) };

/*
 * An import_run row as S_RUNS and S_RUN select it and as the history shows
 * it (all but the report, the last): started_at and finished_at ISO 8601
 * or NULL, kind "awards" or "payments", activity_id that of payments'
 * (NULL reads as 0), report JSON text or NULL (S_RUN only).
 */
#define RUN_ROW(X) \
	X("id", id, J_INT) X("file", file, J_STR) X("sha256", sha256, J_STR) \
	X("source", source, J_STR) X("dry_run", dry_run, J_BOOL) \
	X("strict", strict, J_BOOL) X("status", status, J_STR) \
	X("rows_total", total, J_INT) X("rows_inserted", inserted, J_INT) \
	X("rows_updated", updated, J_INT) \
	X("rows_unchanged", unchanged, J_INT) \
	X("rows_rejected", rejected, J_INT) X("warnings", warnings, J_INT) \
	X("user", user, J_STR) X("started_at", started_at, J_STR) \
	X("finished_at", finished_at, J_STR) X("kind", kind, J_STR) \
	X("activity_id", activity_id, J_ID) X("report", report, J_STR)
#define RUN_MEMBER(path, m, t)	ROWS_MEMBER(m, t)
#define RUN_JCOL(path, m, t)	JCOL(path, run_row, m, t),
struct run_row { RUN_ROW(RUN_MEMBER) };
static const struct jcol run_cols[] = { RUN_ROW(RUN_JCOL) };

/* The one number of a COUNT(*) statement into *n. 0 or DB_E*. */
static int
q_count(struct req *r, int stmt, const struct db_param *p, size_t np,
    long long *n)
{
	return rows_count(r->db, r->a, &imports_set, stmt, p, np, n);
}

/*
 * A page of the runs, newest first, into *out (in the arena), and the
 * number of all of them. The rows on the page (>= 0), or DB_E*.
 */
static int
q_runs(struct req *r, const char *kind, long long limit, long long offset,
    struct run_row **out, long long *total)
{
	void	*rows;
	int	 n, rc;

	n = rows_fetch(r->db, r->a, &imports_set, S_RUNS, DB_ARGS(DB_STR(kind),
	    DB_STR(kind), DB_INT(limit), DB_INT(offset)), run_cols,
	    NELEM(run_cols), sizeof(**out), &rows);
	if (n < 0)
		return n;
	if ((rc = q_count(r, S_RUNS_COUNT, DB_ARGS(DB_STR(kind),
	    DB_STR(kind)), total)) < 0)
		return rc;
	*out = rows;
	return n;
}

/* Is there an activity id? > 0 yes, 0 no, DB_E*. */
static int
q_activity(struct req *r, long long id)
{
	struct db_res	*q;

	q = db_squery(r->db, r->a, &imports_set, S_ACTIVITY,
	    DB_ARGS(DB_INT(id)));
	if (q == NULL)
		return db_last_error(r->db);
	return db_next(q) ? 1 : 0;
}

/* Run id into *out: > 0 found, 0 not found, DB_E*. */
static int
q_run(struct req *r, long long id, struct run_row *out)
{
	return rows_get(r->db, r->a, &imports_set, S_RUN, DB_ARGS(DB_INT(id)),
	    run_cols, NELEM(run_cols), out);
}

/*
 * A page of the issues of run id, by line, into *out (in the arena), and
 * the number of all of them. The rows on the page (>= 0), or DB_E*.
 */
static int
q_issues(struct req *r, long long id, long long limit, long long offset,
    struct issue_row **out, long long *total)
{
	void	*rows;
	int	 n, rc;

	n = rows_fetch(r->db, r->a, &imports_set, S_ISSUES,
	    DB_ARGS(DB_INT(id), DB_INT(limit), DB_INT(offset)), issue_json,
	    NELEM(issue_json), sizeof(**out), &rows);
	*out = rows;
	if (n < 0)
		return n;
	if ((rc = q_count(r, S_ISSUES_COUNT, DB_ARGS(DB_INT(id)), total)) < 0)
		return rc;
	return n;
}

/* The {} id of the path: > 0, or 0 if it is not a number. */
static long long
path_id(struct req *r)
{
	const char	*s = r->param[0];
	char		*end;
	long long	 id;

	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return 0;
	id = strtoll(s, &end, 10);
	return *end == '\0' && id > 0 ? id : 0;
}

/*
 * The run of the path into *out, or the reply written: 404 for an
 * unknown id, 503. 0 when found, else the status written.
 */
static int
run_or_reply(struct req *r, long long id, struct run_row *out)
{
	int	 rc;

	if (id == 0)
		return resp_fail(r, E_NOT_FOUND, "Không có lần nhập này.");
	if ((rc = q_run(r, id, out)) < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_fail(r, E_NOT_FOUND, "Không có lần nhập này.");
	return 0;
}

static const char *
check_filename(struct req *r, struct value *v)
{
	(void)r;
	return strpbrk(v->s, "/\\") == NULL ? NULL :
	    "Tên tệp không được chứa dấu / hoặc \\";
}

static const char *
check_kind(struct req *r, struct value *v)
{
	(void)r;
	return strcmp(v->s, "awards") == 0 || strcmp(v->s, "payments") == 0 ?
	    NULL : "Loại tệp là awards (danh sách đạt giải) hoặc payments"
	    " (giải ngân)";
}

enum { F_DRY, F_STRICT, F_FILENAME, F_ENCODING, F_KIND, F_ACTIVITY };
static const struct field upload_fields[] = {
	{ "dry_run", F_BOOL, 0, 0, 0, NULL },
	{ "strict", F_BOOL, 0, 0, 0, NULL },
	{ "filename", F_STR, 0, 1, 200, check_filename },
	{ "encoding", F_STR, 0, 1, 20, NULL },
	{ "kind", F_STR, 0, 1, 10, check_kind },
	{ "activity_id", F_INT, 0, 1, 1LL << 53, NULL },
};

static struct imp	*imp;	/* the import engine, for the worker's life */

/* 422: API.md's error for a file that cannot be read, its report beside. */
static int
unreadable_reply(struct req *r, struct imp_result *res)
{
	json_object	*err = json_object_new_object();
	json_object	*e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_string(
	    resp_err_code(E_VALIDATION_FAILED)));
	json_object_object_add(e, "message", json_object_new_string(
	    arena_printf(r->a, "Không đọc được tệp: %s",
	    res->message != NULL ? res->message : "")));
	json_object_object_add(err, "error", e);
	json_object_object_add(err, "report", res->report);
	return resp_json(r, resp_err_status(E_VALIDATION_FAILED), err);
}

/*
 * The options of an upload (v: upload_fields) into o, the role the kind
 * needs checked: awards for the importer, payments for finance (admin
 * for both), and a payments' activity_id must be an activity. 0, or the
 * status written (403, 422, 503).
 */
static int
upload_opts(struct req *r, const struct value *v, struct imp_opts *o)
{
	const struct auth_user	*u = auth_user(r);
	int			 rc;

	memset(o, 0, sizeof(*o));
	o->kind = v[F_KIND].set && strcmp(v[F_KIND].s, "payments") == 0 ?
	    IMP_PAYMENTS : IMP_AWARDS;
	if (!auth_has(u, o->kind == IMP_PAYMENTS ? ROLE_FINANCE :
	    ROLE_IMPORTER))
		return resp_fail(r, E_FORBIDDEN, o->kind == IMP_PAYMENTS ?
		    "Chỉ cán bộ tài chính nhập được tệp giải ngân." :
		    "Chỉ cán bộ nhập danh sách nhập được danh sách đạt giải.");
	if (v[F_ACTIVITY].set && o->kind != IMP_PAYMENTS)
		return resp_fail(r, E_VALIDATION_FAILED, "activity_id chỉ dùng"
		    " khi nhập tệp giải ngân (kind=payments).");
	if (v[F_ACTIVITY].set) {
		if ((rc = q_activity(r, v[F_ACTIVITY].i)) < 0)
			return resp_db(r);
		if (rc == 0)
			return resp_fail(r, E_VALIDATION_FAILED,
			    "Không có hoạt động này.");
		o->activity_id = v[F_ACTIVITY].i;
	}
	o->dry_run = v[F_DRY].set && v[F_DRY].i;
	o->strict = v[F_STRICT].set && v[F_STRICT].i;
	o->encoding = v[F_ENCODING].set ? v[F_ENCODING].s : NULL;
	o->source = "web";
	o->user_id = u != NULL ? u->id : 0;
	o->username = u != NULL ? u->username : NULL;
	o->ip = r->remote_addr;
	o->lock_wait = 0;
	return 0;
}

/*
 * POST /api/admin/imports?dry_run=1&strict=1&filename=NAME[&encoding=]
 * [&kind=payments[&activity_id=N]]
 * body: the file (up to 32 MB), any content type. Role importer (kind
 * awards, the default) or finance (kind payments).
 * → 201 the report of API.md (Location: /api/admin/imports/{id}); a
 * strict import with a bad row is 201 too, its report's status
 * "rejected" and nothing changed. 400 empty body; 422 bad parameters or
 * a file that cannot be read (encoding, no header, limits; the report is
 * kept); 409 another import is running; 401/403; 413; 503.
 */
static int
h_imports_create(struct req *r)
{
	struct value		 v[NELEM(upload_fields)];
	struct imp_opts		 o;
	struct imp_result	 res;
	const char		*name;
	int			 rc;

	if ((rc = req_fields(r, upload_fields, NELEM(upload_fields), v)) != 0)
		return rc;
	if ((rc = upload_opts(r, v, &o)) != 0)
		return rc;
	if (r->body_len == 0)
		return resp_fail(r, E_BAD_REQUEST,
		    "Chưa có tệp: gửi nội dung tệp CSV trong thân yêu cầu.");
	if (imp == NULL)
		imp = imp_new(r->db);
	name = v[F_FILENAME].set ? v[F_FILENAME].s : "upload.csv";
	switch (imp_mem(imp, r->body, r->body_len, name, &o, &res)) {
	case IMP_DONE:
	case IMP_REJECTED:
		resp_add_header(r, "Location", arena_printf(r->a,
		    "/api/admin/imports/%lld", res.import_id));
		return resp_json(r, 201, res.report);
	case IMP_EFILE:
		return unreadable_reply(r, &res);
	case IMP_EBUSY:
		json_object_put(res.report);
		return resp_fail(r, E_CONFLICT, res.message);
	default:
		json_object_put(res.report);
		return resp_fail(r, E_UNAVAILABLE,
		    "Cơ sở dữ liệu tạm thời không phản hồi; hãy thử lại sau.");
	}
}

static const struct csv_col run_csv[] = {
	{ "id", "id" }, { "file", "file" }, { "status", "status" },
	{ "dry_run", "dry_run" }, { "strict", "strict" },
	{ "rows_total", "rows_total" }, { "rows_inserted", "rows_inserted" },
	{ "rows_updated", "rows_updated" },
	{ "rows_unchanged", "rows_unchanged" },
	{ "rows_rejected", "rows_rejected" }, { "warnings", "warnings" },
	{ "user", "user" }, { "started_at", "started_at" },
	{ "finished_at", "finished_at" }, { "kind", "kind" },
	{ "activity_id", "activity_id" },
};

/* Add the counts of a run to o, as the list and the report name them. */
static void
run_counts(json_object *o, const struct run_row *w)
{
	json_object_object_add(o, "rows_total", json_object_new_int64(w->total));
	json_object_object_add(o, "rows_inserted",
	    json_object_new_int64(w->inserted));
	json_object_object_add(o, "rows_updated",
	    json_object_new_int64(w->updated));
	json_object_object_add(o, "rows_unchanged",
	    json_object_new_int64(w->unchanged));
	json_object_object_add(o, "rows_rejected",
	    json_object_new_int64(w->rejected));
}

/* A run as an item of the history (run_csv picks from it for CSV). */
static json_object *
run_json(const struct run_row *w)
{
	return rows_object(w, run_cols, NELEM(run_cols) - 1);
}

/*
 * GET /api/admin/imports[.csv]?page=&per_page=&kind= → the history of
 * imports (of one kind: awards, payments), newest first: {"items":[{id,
 * file,sha256,source,status,dry_run,strict,rows_*,warnings,user,
 * started_at,finished_at,kind,activity_id}],total,page,per_page}.
 * Roles importer, finance, auditor; 401/403; 503.
 */
static const struct field list_fields[] = {
	{ "kind", F_STR, 0, 1, 10, check_kind },
};

static int
h_imports_list(struct req *r)
{
	struct value	 kind;
	struct run_row	*runs = NULL;
	json_object	*items;
	long long	 page, per_page, total;
	int		 rc, i, n;

	if ((rc = req_page(r, &page, &per_page)) != 0 ||
	    (rc = req_fields(r, list_fields, NELEM(list_fields), &kind)) != 0)
		return rc;
	if ((n = q_runs(r, kind.set ? kind.s : NULL, per_page,
	    (page - 1) * per_page, &runs, &total)) < 0)
		return resp_db(r);
	items = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(items, run_json(&runs[i]));
	return resp_list(r, items, total, page, per_page, "imports", run_csv,
	    NELEM(run_csv));
}

/*
 * GET /api/admin/imports/{id} → the report of that import as API.md
 * shows it (plus status, user, started_at, finished_at). A run still
 * going or interrupted has no report yet: its counts so far. 404 for an
 * unknown id; 401/403; 503.
 */
static int
h_imports_get(struct req *r)
{
	struct run_row	 w;
	json_object	*o = NULL;
	int		 rc;

	if ((rc = run_or_reply(r, path_id(r), &w)) != 0)
		return rc;
	if (w.report != NULL)
		o = json_tokener_parse(w.report);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = json_object_new_object();
		json_object_object_add(o, "import_id",
		    json_object_new_int64(w.id));
		json_object_object_add(o, "file", resp_jstr(w.file));
		json_object_object_add(o, "dry_run",
		    json_object_new_boolean(w.dry_run));
		run_counts(o, &w);
	}
	json_object_object_add(o, "status", resp_jstr(w.status));
	json_object_object_add(o, "user", resp_jstr(w.user));
	json_object_object_add(o, "started_at", resp_jstr(w.started_at));
	json_object_object_add(o, "finished_at", resp_jstr(w.finished_at));
	return resp_json(r, 200, o);
}


/*
 * GET /api/admin/imports/{id}/errors.csv → every rejected row and warning
 * of that import, by line (UTF-8 with BOM); without .csv the same as
 * JSON, paged. 404 for an unknown id; 401/403; 503.
 */
static int
h_imports_errors(struct req *r)
{
	struct run_row	 w;
	struct issue_row *is = NULL;
	json_object	*items;
	long long	 id = path_id(r), page, per_page, total;
	int		 rc, n;

	if (id == 0)
		return resp_fail(r, E_NOT_FOUND, "Không có lần nhập này.");
	if ((rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if ((rc = run_or_reply(r, id, &w)) != 0)
		return rc;
	if (r->csv) {
		page = 1;
		per_page = ISSUES_CSV_MAX;
	}
	if ((n = q_issues(r, id, per_page, (page - 1) * per_page, &is,
	    &total)) < 0)
		return resp_db(r);
	items = rows_array(is, sizeof(*is), (size_t)n, issue_json,
	    NELEM(issue_json));
	return resp_list(r, items, total, page, per_page,
	    arena_printf(r->a, "import-%lld-errors", id), issue_cols,
	    NELEM(issue_cols));
}

static const struct route routes[] = {
	{ M_POST, "/api/admin/imports", h_imports_create, R_RAW, MAX_UPLOAD,
	    ROLE_IMPORTER | ROLE_FINANCE },
	{ M_GET, "/api/admin/imports", h_imports_list, R_CSV, 0,
	    ROLE_IMPORTER | ROLE_FINANCE | ROLE_AUDITOR },
	{ M_GET, "/api/admin/imports/{}", h_imports_get, 0, 0,
	    ROLE_IMPORTER | ROLE_FINANCE | ROLE_AUDITOR },
	{ M_GET, "/api/admin/imports/{}/errors", h_imports_errors, R_CSV, 0,
	    ROLE_IMPORTER | ROLE_FINANCE | ROLE_AUDITOR },
};

int
main(void)
{
	static const struct app app = {
		.name = "kc-imports", .db_user = "kc_staff",
		.routes = routes, .nroutes = NELEM(routes),
		.guard = auth_guard, .causal = 1,
	};
	int	 rc;

	rc = app_main(&app);
	imp_free(imp);
	return rc;
}
