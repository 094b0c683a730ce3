/*
 * steps: the applicant's steps of an application's review, with its
 * reference code and status token (issue 19).
 *
 *   POST /api/applications/{ref_code}/withdraw      token, confirm
 *   POST /api/applications/{ref_code}/answer        token, answer, files
 *   GET  /api/applications/{ref_code}/files/{id}    token in X-Status-Token
 *   POST /api/applications/{ref_code}/files/{id}    token in the body
 *
 * JSON, a form, or (answer) multipart/form-data with up to three files;
 * a plain form post (Accept prefers text/html) gets the status page or a
 * page saying why not. Which step the status allows is review.c's table;
 * review_step() writes the event, the new status and the audit row, and
 * an answer's files are rows of application_file in the same
 * transaction (the files themselves are stored before it, by content).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "appfile.h"
#include "arena.h"
#include "db.h"
#include "files.h"
#include "req.h"
#include "resp.h"
#include "review.h"
#include "values.h"

#include "register.h"

#define ANSWER_FILES	3
/* Three files at most FILES_MAX each, the text and the parts' headers. */
#define ANSWER_BODY	(ANSWER_FILES * FILES_MAX + (64u << 10))

enum steps_stmt { S_FILE_ADD, S_STEPS__MAX };
static const char *const steps_sql[S_STEPS__MAX] = {
	[S_FILE_ADD] =
	    "INSERT INTO application_file (application_id, event_id, name,"
	    " ctype, size, sha256) VALUES (?, ?, ?, ?, ?, ?)",
};
static struct db_set steps_set = DB_SET("register/steps", steps_sql);

/* A file of an answer, checked and stored. */
struct answer_file {
	const char	*name;
	const char	*ctype;
	size_t		 size;
	char		 hash[FILES_HASH_HEX];
};

/* The row of file f of the answer event_id of application id: 0 or < 0. */
static int
q_file_add(struct req *r, long long id, long long event_id,
    const struct answer_file *f)
{
	int	 rc;

	rc = db_sexec(r->db, &steps_set, S_FILE_ADD, DB_ARGS(DB_INT(id),
	    DB_INT(event_id), DB_STR(f->name), DB_STR(f->ctype),
	    DB_INT(f->size), DB_STR(f->hash)));
	return rc < 0 ? rc : 0;
}

enum { SF_TOKEN, SF_ANSWER, SF_CONFIRM, SF__MAX };
static const struct field step_fields[SF__MAX] = {
	[SF_TOKEN] = { "token", F_STR, 0, 0, 200, NULL },
	[SF_ANSWER] = { "answer", F_TEXT, 0, 1, 2000, NULL },
	[SF_CONFIRM] = { "confirm", F_BOOL, 0, 0, 1, NULL },
};

/* A 422 for one field. */
static int
invalid(struct req *r, const char *field, const char *message)
{
	json_object	*f = json_object_new_object();

	json_object_object_add(f, field, json_object_new_string(message));
	return resp_invalid(r, f);
}

/*
 * The files of an answer checked (at most three, each at most 5 MB, a
 * PDF, JPEG or PNG by its content) and stored, into out: 0, or the 422
 * written (nothing stored is referred to), 500.
 */
static int
answer_files(struct req *r, struct answer_file *out)
{
	const struct req_file	*f;
	size_t			 i;

	if (r->nfiles > ANSWER_FILES)
		return invalid(r, "files", "Tối đa 3 tệp cho mỗi lần trả lời.");
	for (i = 0; i < r->nfiles; i++) {
		f = &r->files[i];
		out[i].name = files_clean_name(r->a, f->name);
		out[i].size = f->len;
		if (f->len == 0 || f->len > FILES_MAX)
			return invalid(r, "files", arena_printf(r->a, "Tệp «%s»"
			    " %s.", out[i].name, f->len == 0 ? "trống" :
			    "lớn hơn 5 MB"));
		if ((out[i].ctype = files_sniff(f->data, f->len)) == NULL)
			return invalid(r, "files", arena_printf(r->a, "Tệp «%s»"
			    " không phải PDF, JPEG hoặc PNG (xét theo nội dung"
			    " tệp, không theo tên).", out[i].name));
	}
	for (i = 0; i < r->nfiles; i++)
		if (files_store(r->files[i].data, r->files[i].len,
		    out[i].hash) < 0)
			return resp_fail(r, E_INTERNAL, "Chưa lưu được tệp."
			    " Vui lòng thử lại sau.");
	return 0;
}

/*
 * Step act of the applicant on application {ref_code} (token checked by
 * the caller, in v), with text and the answer's nf files, in one
 * transaction: review_step and the files' rows. The status after (as GET
 * answers it, or its page), or the status written (404, 409, 503).
 */
static int
step_tx(struct req *r, const struct value *v, enum review_action act,
    const char *text, const struct answer_file *files, size_t nf)
{
	const char		*ref = r->param[0];
	struct review_app	 a;
	struct review_input	 in = { .act = act, .text = text,
				    .ip = r->remote_addr };
	long long		 event_id = 0;
	size_t			 i;
	int			 rc;

	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = review_lock_ref(r->db, r->a, ref, &a)) <= 0) {
		db_rollback(r->db);
		return rc == 0 ? resp_fail(r, E_NOT_FOUND, "Không tìm thấy"
		    " hồ sơ.") : resp_db(r);
	}
	if (!review_may(review_rule(a.status, act), REVIEW_BY_APPLICANT)) {
		db_rollback(r->db);
		return resp_fail(r, E_CONFLICT, review_refusal(r->a, a.status,
		    act, REVIEW_BY_APPLICANT));
	}
	rc = review_step(r->db, r->a, &a, &in, &event_id, NULL);
	for (i = 0; rc >= 0 && i < nf; i++)
		rc = q_file_add(r, a.id, event_id, &files[i]);
	if (rc < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return resp_db(r);
	}
	return reg_status_answer(r, ref, v[SF_TOKEN].s, req_wants_html(r));
}

/*
 * The fields of a step and its token checked against ref: 0, or the
 * status written (422, 404: a wrong token is the same 404 as an unknown
 * code, 503).
 */
static int
step_read(struct req *r, struct value *v)
{
	struct reg_status	 s;
	int			 rc;

	if (req_wants_html(r))
		r->html_error = reg_page_step_error;
	if ((rc = req_fields(r, step_fields, SF__MAX, v)) != 0)
		return rc;
	if ((rc = reg_app_lookup(r, r->param[0], v[SF_TOKEN].set ?
	    v[SF_TOKEN].s : "", &s)) < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_fail(r, E_NOT_FOUND, "Không tìm thấy hồ sơ với mã"
		    " hồ sơ và mã tra cứu này.");
	return 0;
}

/*
 * POST /api/applications/{ref_code}/withdraw {token, confirm: true} →
 * the status after (as GET answers it, or its page): withdrawn, which no
 * longer blocks a new application of the facility to the call. 409 once
 * decided or withdrawn (with what is allowed now), 404, 422.
 */
static int
h_step_withdraw(struct req *r)
{
	struct value	 v[SF__MAX];
	int		 rc;

	if ((rc = step_read(r, v)) != 0)
		return rc;
	if (!v[SF_CONFIRM].set || v[SF_CONFIRM].i != 1)
		return invalid(r, "confirm", "Đánh dấu xác nhận rút hồ sơ.");
	return step_tx(r, v, RA_WITHDRAW, NULL, NULL, 0);
}

/*
 * POST /api/applications/{ref_code}/answer, JSON, form or
 * multipart/form-data: {token, answer (1–2 000 characters)} and up to
 * three files (PDF, JPEG or PNG by their content, 5 MB each) → the status
 * after (under review again), or its page. 409 unless information was
 * asked for, 404, 413 past the body's limit, 422.
 */
static int
h_step_answer(struct req *r)
{
	struct value		 v[SF__MAX];
	struct answer_file	 f[ANSWER_FILES];
	int			 rc;

	if ((rc = step_read(r, v)) != 0)
		return rc;
	if (!v[SF_ANSWER].set)
		return invalid(r, "answer", "Ghi nội dung trả lời.");
	if ((rc = answer_files(r, f)) != 0)
		return rc;
	return step_tx(r, v, RA_ANSWER, v[SF_ANSWER].s, f, r->nfiles);
}

/*
 * GET /api/applications/{ref_code}/files/{id} (X-Status-Token) and POST
 * (token in the body, for the page without JavaScript) → the file as a
 * download, to the holder of the token only; 404 otherwise.
 */
static int
h_step_file(struct req *r)
{
	struct value		 v[SF__MAX];
	struct reg_status	 s;
	struct app_blob		 f = { NULL, NULL, NULL };
	const char		*token;
	long long		 fid;
	int			 rc;

	if (r->method == M_POST) {
		if ((rc = req_fields(r, step_fields, SF__MAX, v)) != 0)
			return rc;
		token = v[SF_TOKEN].set ? v[SF_TOKEN].s : "";
	} else
		token = req_env(r, "HTTP_X_STATUS_TOKEN");
	fid = strspn(r->param[1], "0123456789") == strlen(r->param[1]) &&
	    strlen(r->param[1]) < 16 ? atoll(r->param[1]) : 0;
	if ((rc = reg_app_lookup(r, r->param[0], token, &s)) < 0)
		return resp_db(r);
	if (rc > 0 && fid > 0)
		rc = appfile_get(r->db, r->a, s.id, fid, &f);
	if (rc < 0)
		return resp_db(r);
	if (rc == 0 || fid <= 0)
		return resp_fail(r, E_NOT_FOUND, "Không tìm thấy tệp này.");
	return files_serve(r, f.hash, f.ctype, f.name);
}

const struct route register_steps_routes[] = {
	{ M_POST, "/api/applications/{}/withdraw", h_step_withdraw, 0, 0, 0 },
	{ M_POST, "/api/applications/{}/answer", h_step_answer, R_MULTIPART,
	    ANSWER_BODY, 0 },
	{ M_GET | M_POST, "/api/applications/{}/files/{}", h_step_file, 0, 0,
	    0 },
	ROUTES_END
};
