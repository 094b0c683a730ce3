/*
 * status: an application's status, by its reference code and its secret
 * status token.
 *
 *   GET  /api/applications/{ref_code}		token in X-Status-Token
 *   POST /api/applications/{ref_code}/status	token in the body
 *   POST /api/applications/status		ref_code and token in the body
 *
 * The POSTs take the token as a form field, so that the status can be
 * looked up without JavaScript (a plain form post gets a page, pages.c)
 * and without the token in a URL or a log.
 */
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "clock.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "review.h"
#include "rows.h"
#include "values.h"

#include "register.h"

/* UTC time as the applicant reads it: Vietnam, UTC+7 all year. */
#define VN_TIME(col) \
	"DATE_FORMAT(" col " + " CLOCK_VN_SQL ", '%d/%m/%Y %H:%i')"

enum status_stmt {
	S_APP_BY_REF,
	S_EVENTS,
	S_STATUS__MAX
};

static const char *const status_sql[S_STATUS__MAX] = {
	[S_APP_BY_REF] =
	    "SELECT a.id, a.ref_code, a.status, a.token_hash, a.requested_vnd,"
	    " a.approved_vnd, " SQL_ISO("a.created_at") ", a.facility_name,"
	    " c.id, c.title, c.kind, " SQL_ISO("a.updated_at") ", "
	    VN_TIME("a.created_at")
	    " FROM application a JOIN support_call c ON c.id = a.call_id"
	    " WHERE a.ref_code = ?",
	[S_EVENTS] =
	    "SELECT status, reason, amount_vnd, " SQL_ISO("at") ", action, "
	    VN_TIME("at") ", id"
	    " FROM application_event WHERE application_id = ?"
	    " ORDER BY at, id",
};

static struct db_set status_set = DB_SET("register/status", status_sql);

/* An application as S_APP_BY_REF selects it. */
#define STATUS_COLS(X) \
	X(id, J_INT) X(ref_code, J_STR) X(status, J_STR) X(token_hash, J_STR) \
	X(requested_vnd, J_INT) X(approved_vnd, J_NINT) X(created_at, J_STR) \
	X(facility_name, J_STR) X(call_id, J_INT) X(call_title, J_STR) \
	X(call_kind, J_STR) X(updated_at, J_STR) X(created_vn, J_STR)
#define STATUS_COL(m, t)	JCOL(#m, reg_status, m, t),
static const struct jcol status_cols[] = { STATUS_COLS(STATUS_COL) };

#define NOT_FOUND_MSG	"Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."

/* The application with code ref: 1 and *out, 0 none, or < 0. */
static int
q_status_by_ref(struct req *r, const char *ref, struct reg_status *out)
{
	return rows_get(r->db, r->a, &status_set, S_APP_BY_REF,
	    DB_ARGS(DB_STR(ref)), status_cols, NELEM(status_cols), out);
}

/* An application and an event of its history as the API shows them. */
#define STATUS_JSON(X) \
	X("ref_code", ref_code, J_STR) X("status", status, J_STR) \
	X("call.id", call_id, J_INT) X("call.title", call_title, J_STR) \
	X("call.kind", call_kind, J_STR) \
	X("facility.name", facility_name, J_STR) \
	X("requested_vnd", requested_vnd, J_INT) \
	X("approved_vnd", approved_vnd, J_NINT) \
	X("created_at", created_at, J_STR) X("updated_at", updated_at, J_STR)
#define STATUS_JCOL(path, m, t)	JCOL(path, reg_status, m, t),
static const struct jcol status_json_cols[] = { STATUS_JSON(STATUS_JCOL) };
#define EVENT_JCOL(m, t)	JCOL(#m, reg_event, m, t),
static const struct jcol event_json_cols[] = { REG_EVENT_ROW(EVENT_JCOL) };
#define NEVENT_JSON	(NELEM(event_json_cols) - 2)	/* not at_vn, id */

/* An attachment as the API shows it. */
static const struct jcol file_json_cols[] = {
	JCOL("id", app_file, id, J_INT),
	JCOL("name", app_file, name, J_STR),
	JCOL("content_type", app_file, ctype, J_STR),
	JCOL("size", app_file, size, J_INT),
};

/* The history of application id, oldest first, as *out: the count, or < 0. */
static int
q_status_events(struct req *r, long long id, struct reg_event **out)
{
	void	*rows;
	int	 n;

	n = rows_fetch(r->db, r->a, &status_set, S_EVENTS,
	    DB_ARGS(DB_INT(id)), event_json_cols, NELEM(event_json_cols),
	    sizeof(**out), &rows);
	*out = rows;
	return n;
}

/* Is s a reference code as we give them out (KC-YYYY-NNNNNN)? */
static int
ref_shaped(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n < 14 || n > 20 || strncmp(s, "KC-", 3) != 0 || s[7] != '-')
		return 0;
	for (i = 3; i < n; i++)
		if (i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/*
 * The application with code ref whose token is token: 1 and *out, 0 when
 * there is none (unknown or malformed code, wrong or empty token: one
 * answer for all), or a DB_E* code. The hashes are compared in constant
 * time, and a hash is computed and compared for unknown codes too.
 */
int
reg_app_lookup(struct req *r, const char *ref, const char *token,
    struct reg_status *out)
{
	static const char	 dummy[REG_HASH_HEX] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	const char		*stored = dummy;
	unsigned char		 h[crypto_generichash_BYTES];
	char			 hx[REG_HASH_HEX];
	int			 found = 0, same, rc;

	if (token == NULL)
		token = "";
	if (ref_shaped(ref)) {
		if ((rc = q_status_by_ref(r, ref, out)) < 0)
			return rc;
		if (rc > 0 && out->token_hash != NULL &&
		    strlen(out->token_hash) == REG_HASH_HEX - 1) {
			stored = out->token_hash;
			found = 1;
		}
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(hx, sizeof(hx), h, sizeof(h));
	same = sodium_memcmp(hx, stored, REG_HASH_HEX - 1) == 0;
	if (!found || !same || *token == '\0')
		return 0;
	return 1;
}

/* The steps the applicant may take now (review.c's table), as JSON. */
static json_object *
actions_json(const char *status)
{
	json_object	*list = json_object_new_array();
	size_t		 act;
	int		 st = values_find(values_app_statuses, status);

	for (act = 0; st >= 0 && act < RA__MAX; act++)
		if (review_may(review_rule((enum app_status)st,
		    (enum review_action)act), REVIEW_BY_APPLICANT))
			json_object_array_add(list, json_object_new_string(
			    review_action_codes[act]));
	return list;
}

/* The found application with its history as JSON, 200. */
static int
status_json(struct req *r, const struct reg_view *v)
{
	const struct reg_status	*s = v->s;
	json_object		*o;

	o = rows_object(s, status_json_cols, NELEM(status_json_cols));
	json_object_object_add(o, "history", rows_array(v->ev, sizeof(*v->ev),
	    v->nev, event_json_cols, NEVENT_JSON));
	json_object_object_add(o, "request", resp_jstr(reg_request(v)));
	json_object_object_add(o, "files", rows_array(v->files,
	    sizeof(*v->files), v->nfiles, file_json_cols,
	    NELEM(file_json_cols)));
	json_object_object_add(o, "actions", actions_json(s->status));
	return resp_json(r, 200, o);
}

/*
 * The message of the request for information the applicant must answer
 * (the last "ask" of the history while the status is needs_info), or
 * NULL.
 */
const char *
reg_request(const struct reg_view *v)
{
	size_t	 i;

	if (strcmp(v->s->status, values_app_statuses[APP_NEEDS_INFO]) != 0)
		return NULL;
	for (i = v->nev; i > 0; i--)
		if (v->ev[i - 1].action != NULL &&
		    strcmp(v->ev[i - 1].action, "ask") == 0)
			return v->ev[i - 1].reason;
	return NULL;
}

/*
 * Look ref up with token and answer its status: JSON, or a page when
 * html (with forms that carry token for the applicant's steps). 404 for
 * a wrong code or token, 503.
 */
int
reg_status_answer(struct req *r, const char *ref, const char *token,
    int html)
{
	struct reg_status	 s;
	struct reg_view		 v;
	int			 rc, n, nf;

	memset(&s, 0, sizeof(s));
	memset(&v, 0, sizeof(v));
	if ((rc = reg_app_lookup(r, ref, token, &s)) < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_fail(r, E_NOT_FOUND, NOT_FOUND_MSG);
	if ((n = q_status_events(r, s.id, &v.ev)) < 0 ||
	    (nf = appfile_list(r->db, r->a, s.id, &v.files)) < 0)
		return resp_db(r);
	v.s = &s;
	v.nev = (size_t)n;
	v.nfiles = (size_t)nf;
	v.token = token;
	if (html) {
		r->html_error = NULL;
		return reg_page_status(r, &v);
	}
	return status_json(r, &v);
}

/*
 * GET /api/applications/{ref_code} with X-Status-Token → 200
 * {ref_code,status,call:{id,title,kind},facility:{name},requested_vnd,
 * approved_vnd,created_at,updated_at,history:[{status,reason,amount_vnd,
 * at}]}. A wrong or missing token is the same 404 as an unknown code.
 * 503 while the database is down.
 */
static int
h_application_get(struct req *r)
{
	return reg_status_answer(r, r->param[0], req_env(r,
	    "HTTP_X_STATUS_TOKEN"), 0);
}

enum { ST_TOKEN, ST_REF, ST__MAX };

static const struct field status_fields[ST__MAX] = {
	{ "token", F_STR, 0, 0, 200, NULL },
	{ "ref_code", F_STR, 0, 0, 40, NULL },
};

/*
 * POST /api/applications/{ref_code}/status, and POST
 * /api/applications/status with ref_code in the body (the status page's
 * form without JavaScript): form or JSON field token (and ref_code) →
 * what the GET answers, as JSON; a plain form post (Accept prefers
 * text/html) gets it as a page. The token is never in a URL. Wrong,
 * missing or foreign token and unknown code: the same 404; 422 for a
 * token over 200 characters; 503 while the database is down.
 */
static int
h_application_status(struct req *r)
{
	struct value	 v[ST__MAX];
	const char	*ref;
	char		*up;
	int		 rc, html = req_wants_html(r);

	if (html)
		r->html_error = reg_page_status_error;
	if ((rc = req_fields(r, status_fields, ST__MAX, v)) != 0)
		return rc;
	if (r->nparam > 0)
		ref = r->param[0];
	else {
		/* Typed by hand: "kc-2026-000123" is the same code. */
		ref = up = arena_strdup(r->a, v[ST_REF].set ? v[ST_REF].s :
		    "");
		for (; *up != '\0'; up++)
			if (*up >= 'a' && *up <= 'z')
				*up -= 'a' - 'A';
	}
	return reg_status_answer(r, ref, v[ST_TOKEN].set ? v[ST_TOKEN].s : "",
	    html);
}

const struct route register_status_routes[] = {
	{ M_POST, "/api/applications/status", h_application_status, 0, 0, 0 },
	{ M_GET, "/api/applications/{}", h_application_get, 0, 0, 0 },
	{ M_POST, "/api/applications/{}/status", h_application_status, 0, 0,
	    0 },
	ROUTES_END
};
