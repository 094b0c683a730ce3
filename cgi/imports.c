/*
 * kc-imports: the award-list import on the web, for staff with the role
 * importer (or admin). The same engine as kc-import (cgi/lib/importer):
 * the request body is the file, as the office's Excel wrote it.
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
#include "text.h"

#define MAX_UPLOAD	(32u << 20)	/* as nginx's client_max_body_size */

#define STATEMENTS(X) \
	X(S_RUNS, \
	    "SELECT id, file_name, sha256, source, dry_run, strict, status," \
	    " rows_total, rows_inserted, rows_updated, rows_unchanged," \
	    " rows_rejected, warnings, username," \
	    " DATE_FORMAT(started_at, '%Y-%m-%dT%H:%i:%sZ')," \
	    " DATE_FORMAT(finished_at, '%Y-%m-%dT%H:%i:%sZ')" \
	    " FROM import_run ORDER BY id DESC LIMIT ? OFFSET ?") \
	X(S_RUNS_COUNT, "SELECT COUNT(*) FROM import_run") \
	X(S_RUN, \
	    "SELECT id, file_name, status, report, username," \
	    " DATE_FORMAT(started_at, '%Y-%m-%dT%H:%i:%sZ')," \
	    " DATE_FORMAT(finished_at, '%Y-%m-%dT%H:%i:%sZ'), rows_total," \
	    " rows_inserted, rows_updated, rows_unchanged, rows_rejected," \
	    " dry_run, strict FROM import_run WHERE id = ?") \
	X(S_ISSUES, \
	    "SELECT line, kind, col, code, message, record_id FROM import_issue" \
	    " WHERE import_id = ? ORDER BY line, id LIMIT ? OFFSET ?") \
	X(S_ISSUES_COUNT, "SELECT COUNT(*) FROM import_issue WHERE import_id = ?")

#define AS_ENUM(id, sql)	id,
#define AS_TEXT(id, sql)	sql,
enum stmt { STATEMENTS(AS_ENUM) S__MAX };
static const char *const sqls[] = { STATEMENTS(AS_TEXT) };

#define ISSUES_CSV_MAX	1000000

static struct imp	*imp;	/* the import engine, for the worker's life */

static json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static json_object *
jint(const char *s)
{
	return s != NULL ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
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

static const char *
check_filename(struct req *r, struct value *v)
{
	(void)r;
	return strpbrk(v->s, "/\\") == NULL ? NULL :
	    "Tên tệp không được chứa dấu / hoặc \\";
}

enum { F_DRY, F_STRICT, F_FILENAME, F_ENCODING };
static const struct field upload_fields[] = {
	{ "dry_run", F_BOOL, 0, 0, 0, NULL },
	{ "strict", F_BOOL, 0, 0, 0, NULL },
	{ "filename", F_STR, 0, 1, 200, check_filename },
	{ "encoding", F_STR, 0, 1, 20, NULL },
};

/*
 * POST /api/admin/imports?dry_run=1&strict=1&filename=NAME[&encoding=]
 * body: the file (up to 32 MB), any content type. Role importer.
 * → 201 the report of API.md (Location: /api/admin/imports/{id}); a
 * strict import with a bad row is 201 too, its report's status
 * "rejected" and nothing changed. 400 empty body; 422 bad parameters or
 * a file that cannot be read (encoding, no header, limits; the report is
 * kept); 409 another import is running; 401/403; 413; 503.
 */
static int
h_imports_create(struct req *r)
{
	const struct auth_user	*u = auth_user(r);
	struct value		 v[4];
	struct imp_opts		 o;
	struct imp_result	 res;
	json_object		*err, *e;
	const char		*name;
	int			 rc;

	if ((rc = req_fields(r, upload_fields, 4, v)) != 0)
		return rc;
	if (r->body_len == 0)
		return resp_error(r, 400, "bad_request",
		    "Chưa có tệp: gửi nội dung tệp CSV trong thân yêu cầu.");
	if (imp == NULL)
		imp = imp_new();
	memset(&o, 0, sizeof(o));
	o.dry_run = v[F_DRY].set && v[F_DRY].i;
	o.strict = v[F_STRICT].set && v[F_STRICT].i;
	o.encoding = v[F_ENCODING].set ? v[F_ENCODING].s : NULL;
	o.source = "web";
	o.user_id = u != NULL ? u->id : 0;
	o.username = u != NULL ? u->username : NULL;
	o.ip = r->remote_addr;
	o.lock_wait = 0;
	name = v[F_FILENAME].set ? v[F_FILENAME].s : "upload.csv";
	rc = imp_mem(imp, r->body, r->body_len, name, &o, &res);
	switch (rc) {
	case IMP_DONE:
	case IMP_REJECTED:
		resp_add_header(r, "Location", arena_printf(r->a,
		    "/api/admin/imports/%lld", res.import_id));
		return resp_json(r, 201, res.report);
	case IMP_EFILE:
		/* API.md's error, with the kept report beside it. */
		err = json_object_new_object();
		e = json_object_new_object();
		json_object_object_add(e, "code",
		    json_object_new_string("validation_failed"));
		json_object_object_add(e, "message", json_object_new_string(
		    arena_printf(r->a, "Không đọc được tệp: %s",
		    res.message != NULL ? res.message : "")));
		json_object_object_add(err, "error", e);
		json_object_object_add(err, "report", res.report);
		return resp_json(r, 422, err);
	case IMP_EBUSY:
		json_object_put(res.report);
		return resp_error(r, 409, "conflict", res.message);
	default:
		json_object_put(res.report);
		return resp_error(r, 503, "unavailable",
		    "Cơ sở dữ liệu tạm thời không phản hồi; hãy thử lại sau.");
	}
}

static const struct csv_col run_cols[] = {
	{ "id", "id" }, { "file", "file" }, { "status", "status" },
	{ "dry_run", "dry_run" }, { "strict", "strict" },
	{ "rows_total", "rows_total" }, { "rows_inserted", "rows_inserted" },
	{ "rows_updated", "rows_updated" },
	{ "rows_unchanged", "rows_unchanged" },
	{ "rows_rejected", "rows_rejected" }, { "warnings", "warnings" },
	{ "user", "user" }, { "started_at", "started_at" },
	{ "finished_at", "finished_at" },
};

/*
 * GET /api/admin/imports[.csv]?page=&per_page= → the history of imports,
 * newest first: {"items":[{id,file,sha256,source,status,dry_run,strict,
 * rows_*,warnings,user,started_at,finished_at}],total,page,per_page}.
 * Role importer; 401/403; 503.
 */
static int
h_imports_list(struct req *r)
{
	struct db_res	*q, *c;
	json_object	*items, *it;
	long long	 page, per_page;
	int		 rc;

	if ((rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if ((q = db_query(r->db, r->a, S_RUNS, DB_ARGS(DB_INT(per_page),
	    DB_INT((page - 1) * per_page)))) == NULL ||
	    (c = db_query(r->db, r->a, S_RUNS_COUNT, DB_NOARGS)) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "id", jint(db_str(q, 0)));
		json_object_object_add(it, "file", jstr(db_str(q, 1)));
		json_object_object_add(it, "sha256", jstr(db_str(q, 2)));
		json_object_object_add(it, "source", jstr(db_str(q, 3)));
		json_object_object_add(it, "dry_run",
		    json_object_new_boolean(db_int(q, 4) != 0));
		json_object_object_add(it, "strict",
		    json_object_new_boolean(db_int(q, 5) != 0));
		json_object_object_add(it, "status", jstr(db_str(q, 6)));
		json_object_object_add(it, "rows_total", jint(db_str(q, 7)));
		json_object_object_add(it, "rows_inserted", jint(db_str(q, 8)));
		json_object_object_add(it, "rows_updated", jint(db_str(q, 9)));
		json_object_object_add(it, "rows_unchanged",
		    jint(db_str(q, 10)));
		json_object_object_add(it, "rows_rejected",
		    jint(db_str(q, 11)));
		json_object_object_add(it, "warnings", jint(db_str(q, 12)));
		json_object_object_add(it, "user", jstr(db_str(q, 13)));
		json_object_object_add(it, "started_at", jstr(db_str(q, 14)));
		json_object_object_add(it, "finished_at", jstr(db_str(q, 15)));
		json_object_array_add(items, it);
	}
	return resp_list(r, items, db_next(c) ? db_int(c, 0) : 0, page,
	    per_page, "imports", run_cols, sizeof(run_cols) /
	    sizeof(run_cols[0]));
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
	struct db_res	*q;
	json_object	*o = NULL;
	long long	 id = path_id(r);

	if (id == 0)
		return resp_error(r, 404, "not_found", "Không có lần nhập này.");
	if ((q = db_query(r->db, r->a, S_RUN, DB_ARGS(DB_INT(id)))) == NULL)
		return resp_db(r);
	if (!db_next(q))
		return resp_error(r, 404, "not_found", "Không có lần nhập này.");
	if (db_str(q, 3) != NULL)
		o = json_tokener_parse(db_str(q, 3));
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = json_object_new_object();
		json_object_object_add(o, "import_id", jint(db_str(q, 0)));
		json_object_object_add(o, "file", jstr(db_str(q, 1)));
		json_object_object_add(o, "dry_run",
		    json_object_new_boolean(db_int(q, 12) != 0));
		json_object_object_add(o, "rows_total", jint(db_str(q, 7)));
		json_object_object_add(o, "rows_inserted", jint(db_str(q, 8)));
		json_object_object_add(o, "rows_updated", jint(db_str(q, 9)));
		json_object_object_add(o, "rows_unchanged",
		    jint(db_str(q, 10)));
		json_object_object_add(o, "rows_rejected",
		    jint(db_str(q, 11)));
	}
	json_object_object_add(o, "status", jstr(db_str(q, 2)));
	json_object_object_add(o, "user", jstr(db_str(q, 4)));
	json_object_object_add(o, "started_at", jstr(db_str(q, 5)));
	json_object_object_add(o, "finished_at", jstr(db_str(q, 6)));
	return resp_json(r, 200, o);
}

static const struct csv_col issue_cols[] = {
	{ "line", "line" }, { "kind", "kind" }, { "column", "column" },
	{ "code", "code" }, { "message", "message" },
	{ "record_id", "record_id" },
};

/*
 * GET /api/admin/imports/{id}/errors.csv → every rejected row and warning
 * of that import, by line (UTF-8 with BOM); without .csv the same as
 * JSON, paged. 404 for an unknown id; 401/403; 503.
 */
static int
h_imports_errors(struct req *r)
{
	struct db_res	*q, *c;
	json_object	*items, *it;
	long long	 id = path_id(r), page, per_page;
	int		 rc;

	if (id == 0)
		return resp_error(r, 404, "not_found", "Không có lần nhập này.");
	if ((rc = req_page(r, &page, &per_page)) != 0)
		return rc;
	if ((q = db_query(r->db, r->a, S_RUN, DB_ARGS(DB_INT(id)))) == NULL)
		return resp_db(r);
	if (!db_next(q))
		return resp_error(r, 404, "not_found", "Không có lần nhập này.");
	if (r->csv) {
		page = 1;
		per_page = ISSUES_CSV_MAX;
	}
	if ((q = db_query(r->db, r->a, S_ISSUES, DB_ARGS(DB_INT(id),
	    DB_INT(per_page), DB_INT((page - 1) * per_page)))) == NULL ||
	    (c = db_query(r->db, r->a, S_ISSUES_COUNT,
	    DB_ARGS(DB_INT(id)))) == NULL)
		return resp_db(r);
	items = json_object_new_array();
	while (db_next(q)) {
		it = json_object_new_object();
		json_object_object_add(it, "line", jint(db_str(q, 0)));
		json_object_object_add(it, "kind", jstr(db_str(q, 1)));
		json_object_object_add(it, "column", jstr(db_str(q, 2)));
		json_object_object_add(it, "code", jstr(db_str(q, 3)));
		json_object_object_add(it, "message", jstr(db_str(q, 4)));
		json_object_object_add(it, "record_id", jint(db_str(q, 5)));
		json_object_array_add(items, it);
	}
	return resp_list(r, items, db_next(c) ? db_int(c, 0) : 0, page,
	    per_page, arena_printf(r->a, "import-%lld-errors", id), issue_cols,
	    sizeof(issue_cols) / sizeof(issue_cols[0]));
}

static const struct route routes[] = {
	{ M_POST, "/api/admin/imports", h_imports_create, R_RAW, MAX_UPLOAD,
	    ROLE_IMPORTER },
	{ M_GET, "/api/admin/imports", h_imports_list, R_CSV, 0,
	    ROLE_IMPORTER },
	{ M_GET, "/api/admin/imports/{}", h_imports_get, 0, 0,
	    ROLE_IMPORTER },
	{ M_GET, "/api/admin/imports/{}/errors", h_imports_errors, R_CSV, 0,
	    ROLE_IMPORTER },
};

int
main(void)
{
	static const struct app app = {
		.name = "kc-imports", .db_user = "kc_staff",
		.sqls = sqls, .nsqls = S__MAX,
		.routes = routes, .nroutes = NELEM(routes),
		.guard = auth_guard,
	};
	int	 rc;

	rc = app_main(&app);
	imp_free(imp);
	return rc;
}
