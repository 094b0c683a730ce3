/*
 * app: the FastCGI accept loop and the route table. See app.h.
 *
 * The life of a request, in order: accept → method and path → route
 * (404 / 405) → body within its limit (413), of a known type (415),
 * well-formed (400) → guard (401 / 403) → handler → finish → free.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <fcgiapp.h>
#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "dbnodes.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "text.h"

#define DEFAULT_MAX_BODY	(64 * 1024)

static volatile sig_atomic_t	stopping;

/*
 * SIGTERM: finish the request in hand, then leave. libfcgi retries an
 * accept() interrupted by a signal unless told that shutdown is pending.
 */
static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static enum req_method
method_of(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return M_GET;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	if (strcmp(m, "PUT") == 0)
		return M_PUT;
	if (strcmp(m, "PATCH") == 0)
		return M_PATCH;
	if (strcmp(m, "DELETE") == 0)
		return M_DELETE;
	return M_OTHER;
}

/*
 * Does path match pattern? "{}" matches one non-empty segment, captured
 * into r->param. 1 if it matches.
 */
static int
route_match(struct req *r, const char *pat, const char *path)
{
	size_t	 n;

	r->nparam = 0;
	while (*pat != '\0' && *path != '\0') {
		if (pat[0] == '{' && pat[1] == '}') {
			n = strcspn(path, "/");
			if (n == 0 || r->nparam == REQ_MAX_PARAMS)
				return 0;
			r->param[r->nparam++] = arena_strndup(r->a, path, n);
			path += n;
			pat += 2;
		} else if (*pat++ != *path++)
			return 0;
	}
	return *pat == '\0' && *path == '\0';
}

static const char *
allow_header(struct arena *a, unsigned int m)
{
	return arena_printf(a, "%s%s%s%s%s",
	    m & M_GET ? "GET, HEAD, " : "", m & M_POST ? "POST, " : "",
	    m & M_PUT ? "PUT, " : "", m & M_PATCH ? "PATCH, " : "",
	    m & M_DELETE ? "DELETE, " : "");
}

/*
 * Look for the request's route among rt[0..n-1] (n SIZE_MAX: up to the
 * ROUTES_END entry): 1 and *out when found, else 0, with the methods of
 * routes whose path matched added to *allowed.
 */
static int
route_scan(struct req *r, const struct route *rt, size_t n,
    const struct route **out, unsigned int *allowed)
{
	size_t	 i;

	for (i = 0; i < n && rt[i].pattern != NULL; i++) {
		if (r->csv && !(rt[i].flags & R_CSV))
			continue;
		if (!route_match(r, rt[i].pattern, r->path))
			continue;
		if (rt[i].methods & r->method) {
			*out = &rt[i];
			return 1;
		}
		*allowed |= rt[i].methods;
	}
	return 0;
}

/* Find the route; 0 and *out, or the 404/405 status already written. */
static int
route_find(struct req *r, const struct app *app, const struct route **out)
{
	unsigned int	 allowed = 0;
	size_t		 i;
	const char	*allow;

	if (route_scan(r, app->routes, app->nroutes, out, &allowed))
		return 0;
	for (i = 0; app->tables != NULL && app->tables[i] != NULL; i++)
		if (route_scan(r, app->tables[i], SIZE_MAX, out, &allowed))
			return 0;
	if (allowed == 0)
		return resp_fail(r, E_NOT_FOUND,
		    "Không tìm thấy địa chỉ này.");
	allow = allow_header(r->a, allowed);
	resp_add_header(r, "Allow", arena_strndup(r->a, allow,
	    strlen(allow) - 2));
	return resp_fail(r, E_METHOD_NOT_ALLOWED,
	    "Phương thức HTTP này không được hỗ trợ tại địa chỉ này.");
}

/* Read the body within the route's limit; 0 or a status. */
static int
read_body(struct req *r, const struct route *rt)
{
	size_t		 max = rt->max_body ? rt->max_body : DEFAULT_MAX_BODY;
	const char	*cl = req_env(r, "CONTENT_LENGTH");
	char		*buf;
	long long	 want;
	int		 got;

	want = cl != NULL && *cl != '\0' ? strtoll(cl, NULL, 10) : 0;
	if (want < 0)
		want = 0;
	if ((unsigned long long)want > max)
		return resp_fail(r, E_PAYLOAD_TOO_LARGE,
		    "Dữ liệu gửi lên quá lớn.");
	buf = arena_alloc(r->a, max + 2);
	got = FCGX_GetStr(buf, (int)max + 1, r->fx->in);
	if (got < 0)
		got = 0;
	if ((size_t)got > max)
		return resp_fail(r, E_PAYLOAD_TOO_LARGE,
		    "Dữ liệu gửi lên quá lớn.");
	buf[got] = '\0';
	r->body = buf;
	r->body_len = (size_t)got;
	return 0;
}

/* Parse the body by its type into r->json or r->args; 0 or a status. */
static int
parse_body(struct req *r, const struct route *rt)
{
	if (r->method != M_POST && r->method != M_PUT && r->method != M_PATCH)
		return 0;
	if (rt->flags & R_RAW)
		return 0;
	if (r->body_len == 0 && r->ctype == NULL)
		return 0;
	if (r->ctype != NULL && strcmp(r->ctype, "application/json") == 0) {
		if (req_parse_json(r, r->body, r->body_len) < 0)
			return resp_fail(r, E_BAD_REQUEST,
			    "Nội dung JSON không hợp lệ.");
		return 0;
	}
	if (r->ctype != NULL &&
	    strcmp(r->ctype, "application/x-www-form-urlencoded") == 0) {
		if (req_parse_query(r, r->body, r->body_len) < 0)
			return resp_fail(r, E_BAD_REQUEST,
			    "Quá nhiều trường dữ liệu.");
		return 0;
	}
	if (r->ctype != NULL && (rt->flags & R_MULTIPART) &&
	    strcmp(r->ctype, "multipart/form-data") == 0) {
		if (req_parse_multipart(r, req_env(r, "CONTENT_TYPE"), r->body,
		    r->body_len) < 0)
			return resp_fail(r, E_BAD_REQUEST,
			    "Nội dung multipart/form-data không hợp lệ hoặc"
			    " có quá nhiều trường, quá nhiều tệp.");
		return 0;
	}
	return resp_fail(r, E_UNSUPPORTED_MEDIA_TYPE,
	    "Kiểu dữ liệu gửi lên không được hỗ trợ (dùng JSON hoặc form).");
}

/* Fill method, path (without .csv), query and content type. 0 or status. */
static int
parse_head(struct req *r)
{
	const char	*path, *qs, *ct;
	size_t		 n;

	r->method = method_of(req_env(r, "REQUEST_METHOD"));
	path = req_env(r, "DOCUMENT_URI");
	if (path == NULL)
		path = req_env(r, "SCRIPT_NAME");
	if (path == NULL || (n = strlen(path)) > 1024 ||
	    !text_utf8_valid(path, n))
		return resp_fail(r, E_BAD_REQUEST,
		    "Địa chỉ không hợp lệ.");
	if (n > 4 && strcmp(path + n - 4, ".csv") == 0) {
		r->csv = 1;
		n -= 4;
	}
	r->path = arena_strndup(r->a, path, n);
	qs = req_env(r, "QUERY_STRING");
	r->query = qs != NULL ? qs : "";
	if (strlen(r->query) > 8192 ||
	    req_parse_query(r, r->query, strlen(r->query)) < 0)
		return resp_fail(r, E_BAD_REQUEST,
		    "Chuỗi truy vấn quá dài.");
	if ((ct = req_env(r, "CONTENT_TYPE")) != NULL && *ct != '\0') {
		n = strcspn(ct, "; ");
		r->ctype = arena_strndup(r->a, ct, n);
		for (char *p = (char *)r->ctype; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 'a' - 'A';
	}
	r->remote_addr = req_env(r, "REMOTE_ADDR");
	return 0;
}

/*
 * Times a handler runs when its transaction meets a deadlock or a lock
 * wait, or (in a Galera cluster) fails certification, before its 503;
 * between runs a pause of up to APP_TX_PAUSE_MS times the runs so far, at
 * random, so that transactions that conflicted do not meet again. Hot
 * rows (application_count's shards, a call's place row) make conflicts
 * across nodes common under load.
 */
#define APP_TX_TRIES	8
#define APP_TX_PAUSE_MS	10

/*
 * One request from accept to the handler's answer. The one retry path of
 * every program: a handler whose transaction was rolled back for a
 * deadlock or a failed certification, with nothing committed and nothing
 * written yet (resp_db() then writes nothing and sets r->retry), runs
 * again from the start, up to APP_TX_TRIES times: the user gets the
 * answer of the run that went through, never a 500 for it.
 */
static void
serve(struct req *r, const struct app *app)
{
	const struct route	*rt = NULL;
	struct timespec		 pause = { 0, 0 };
	int			 tries;

	if (parse_head(r) != 0 || route_find(r, app, &rt) != 0 ||
	    read_body(r, rt) != 0 || parse_body(r, rt) != 0)
		return;
	db_request_begin(r->db);
	if (rt->roles != 0 && app->guard != NULL && app->guard(r, rt) != 0)
		return;
	for (tries = 1; ; tries++) {
		r->retry_left = APP_TX_TRIES - tries;
		rt->fn(r);
		if (!r->retry)
			break;
		log_info("%s %s: transaction tried again (%d)", app->name,
		    r->path, tries);
		db_rollback(r->db);
		db_request_begin(r->db);
		pause.tv_nsec = (long)randombytes_uniform(APP_TX_PAUSE_MS *
		    (uint32_t)tries * 1000) * 1000;
		nanosleep(&pause, NULL);
		r->retry = 0;
		r->status = 0;
		r->cache_seconds = 0;
		r->extra_headers = NULL;
		r->html_error = NULL;
		r->check_arg = NULL;
	}
	if (r->status == 0) {
		log_err("%s %s: handler wrote no response", app->name, r->path);
		resp_fail(r, E_INTERNAL, "Đã có lỗi trong hệ thống.");
	}
}

/*
 * Serve requests until SIGTERM or the socket closes. Returns the exit
 * status for main().
 */
int
app_main(const struct app *app)
{
	FCGX_Request	 fx;
	struct req	*r;
	struct arena	*a;
	struct db	*db;
	struct sigaction sa;

	log_init(app->name);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fx, 0, 0) != 0) {
		log_err("cannot initialise FastCGI");
		return 1;
	}
	a = arena_new();
	db_nodes_causal(app->causal);
	db = db_new(app->db_user, app->sqls, app->nsqls);
	r = malloc(sizeof(*r));
	if (r == NULL)
		abort();
	while (!stopping && FCGX_Accept_r(&fx) >= 0) {
		memset(r, 0, sizeof(*r));
		r->fx = &fx;
		r->a = a;
		r->db = db;
		serve(r, app);
		json_object_put(r->json);
		FCGX_Finish_r(&fx);
		arena_reset(a);
	}
	free(r);
	db_free(db);
	arena_free(a);
	FCGX_Free(&fx, 1);
	return 0;
}
