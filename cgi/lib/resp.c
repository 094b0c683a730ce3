/*
 * resp: writing responses. See resp.h.
 */
#include <stdio.h>
#include <string.h>

#include <fcgiapp.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "req.h"
#include "resp.h"

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* Queue a header for the response (before the resp_* call that writes). */
void
resp_add_header(struct req *r, const char *name, const char *value)
{
	r->extra_headers = arena_printf(r->a, "%s%s: %s\r\n",
	    r->extra_headers != NULL ? r->extra_headers : "", name, value);
}

/*
 * Output goes through these two, so that a request without a FastCGI
 * stream (unit tests, fuzzing) is answered into nowhere.
 */
static void
putn(struct req *r, const char *s, size_t n)
{
	if (r->fx != NULL && n > 0)
		FCGX_PutStr(s, (int)n, r->fx->out);
}

static void
puts_(struct req *r, const char *s)
{
	putn(r, s, strlen(s));
}

/*
 * The status line and headers. len is the body's length when the whole
 * body is known (JSON), -1 when it is written as it goes (CSV, HTML
 * pages). With a length nginx passes the answer on as it is, in one write,
 * instead of in chunks with a closing chunk written apart.
 */
static void
head(struct req *r, int status, const char *ctype, long long len)
{
	r->status = status;
	puts_(r, arena_printf(r->a, "Status: %d %s\r\nContent-Type: %s\r\n",
	    status, reason(status), ctype));
	if (len >= 0)
		puts_(r, arena_printf(r->a, "Content-Length: %lld\r\n", len));
	if (r->cache_seconds > 0 && status == 200)
		puts_(r, arena_printf(r->a,
		    "Cache-Control: public, max-age=%d\r\n", r->cache_seconds));
	else
		puts_(r, "Cache-Control: no-store\r\n");
	if (r->extra_headers != NULL)
		puts_(r, r->extra_headers);
	puts_(r, "\r\n");
}

/* Write o as the JSON body with the given status; o is released. */
int
resp_json(struct req *r, int status, json_object *o)
{
	size_t		 len;
	const char	*s;

	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	head(r, status, "application/json; charset=utf-8", (long long)len);
	putn(r, s, len);
	json_object_put(o);
	return status;
}

/* A JSON answer already written out (the caller keeps s). */
int
resp_json_text(struct req *r, int status, const char *s)
{
	size_t	 len = strlen(s);

	head(r, status, "application/json; charset=utf-8", (long long)len);
	putn(r, s, len);
	return status;
}

/* A body of len bytes of type ctype, written as it is (a file). */
int
resp_bytes(struct req *r, int status, const char *ctype, const char *data,
    size_t len)
{
	head(r, status, ctype, (long long)len);
	putn(r, data, len);
	return status;
}

/*
 * The handler's HTML error page, when it asked for one (r->html_error);
 * cleared first, so that the page's own failure cannot come back here.
 */
static int
html_error(struct req *r, int status, const char *message,
    json_object *fields)
{
	int	(*fn)(struct req *, int, const char *, json_object *);

	fn = r->html_error;
	r->html_error = NULL;
	return fn(r, status, message, fields);
}

/* API.md's error shape: {"error":{"code":..,"message":..}}. */
int
resp_error(struct req *r, int status, const char *code, const char *message)
{
	json_object	*o, *e;

	if (r->html_error != NULL)
		return html_error(r, status, message, NULL);
	o = json_object_new_object();
	e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(message));
	json_object_object_add(o, "error", e);
	return resp_json(r, status, o);
}

#define RESP_ERR_STATUS(id, status, code)	status,
#define RESP_ERR_CODE(id, status, code)		code,
static const int resp_err_statuses[] = { RESP_ERRORS(RESP_ERR_STATUS) };
static const char *const resp_err_codes[] = { RESP_ERRORS(RESP_ERR_CODE) };

/* The HTTP status and the API code of an error of the table. */
int
resp_err_status(enum resp_err e)
{
	return resp_err_statuses[e];
}

const char *
resp_err_code(enum resp_err e)
{
	return resp_err_codes[e];
}

/* An error of the table with its message: resp_error() with its status. */
int
resp_fail(struct req *r, enum resp_err e, const char *message)
{
	return resp_error(r, resp_err_statuses[e], resp_err_codes[e],
	    message);
}

/* A JSON string, or JSON null for NULL (a SQL NULL column). */
json_object *
resp_jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* 422 validation_failed with every failing field (fields is released). */
int
resp_invalid(struct req *r, json_object *fields)
{
	json_object	*o, *e;
	int		 status;

	if (r->html_error != NULL) {
		status = html_error(r, 422, "Dữ liệu chưa hợp lệ, vui lòng"
		    " kiểm tra các mục dưới đây.", fields);
		json_object_put(fields);
		return status;
	}
	o = json_object_new_object();
	e = json_object_new_object();
	json_object_object_add(e, "code",
	    json_object_new_string("validation_failed"));
	json_object_object_add(e, "message", json_object_new_string(
	    "Dữ liệu chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu."));
	json_object_object_add(e, "fields", fields);
	json_object_object_add(o, "error", e);
	return resp_json(r, 422, o);
}

/*
 * The answer to a failed database call (never echoes the SQL error). A
 * deadlock or failed certification that may be retried (db_retryable(),
 * nothing written yet) is not answered: r->retry asks app.c to run the
 * handler again.
 */
int
resp_db(struct req *r)
{
	return resp_db_code(r, db_last_error(r->db));
}

/* The same, for a DB_E* code of another handle (db_builder()'s). */
int
resp_db_code(struct req *r, int code)
{
	switch (code) {
	case DB_EBUSY:
		if (r->retry_left > 0 && r->status == 0 &&
		    db_retryable(r->db)) {
			r->retry = 1;
			return 503;
		}
		/* FALLTHROUGH */
	case DB_EDOWN:
		resp_add_header(r, "Retry-After", "5");
		return resp_fail(r, E_UNAVAILABLE,
		    "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. "
		    "Vui lòng thử lại sau ít phút.");
	case DB_EDUP:
		return resp_fail(r, E_CONFLICT, "Dữ liệu đã tồn tại.");
	default:
		return resp_fail(r, E_INTERNAL,
		    "Đã có lỗi trong hệ thống. Vui lòng thử lại sau.");
	}
}

/*
 * One CSV field, quoted when needed. A text starting with = + - @ or a
 * control character gets a leading apostrophe so that a spreadsheet does
 * not run it as a formula (numbers are written as they are).
 */
char *
resp_csv_field(struct arena *a, const char *s)
{
	size_t		 n = strlen(s), i, k = 0;
	int		 quote, guard;
	char		*o;

	guard = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r');
	quote = guard || strpbrk(s, ",\"\r\n;") != NULL ||
	    (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
	o = arena_alloc(a, 2 * n + 4);
	if (quote)
		o[k++] = '"';
	if (guard)
		o[k++] = '\'';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			o[k++] = '"';
		o[k++] = s[i];
	}
	if (quote)
		o[k++] = '"';
	o[k] = '\0';
	return o;
}

/* The text of the value at path in item; arrays are joined with "; ". */
static const char *
csv_value(struct arena *a, json_object *item, const char *path, int *isnum)
{
	const char	*dot = strchr(path, '.');
	char		*key;
	json_object	*v;
	const char	*acc = NULL, *s;
	size_t		 i;

	key = arena_strndup(a, path, dot ? (size_t)(dot - path) : strlen(path));
	if (item == NULL || !json_object_is_type(item, json_type_object) ||
	    !json_object_object_get_ex(item, key, &v) || v == NULL)
		return "";
	if (json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);

			s = dot != NULL ? csv_value(a, e, dot + 1, isnum) :
			    json_object_get_string(e);
			acc = acc == NULL ? s : arena_printf(a, "%s; %s", acc, s);
		}
		*isnum = 0;
		return acc != NULL ? acc : "";
	}
	if (dot != NULL)
		return csv_value(a, v, dot + 1, isnum);
	*isnum = json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_boolean);
	return json_object_get_string(v);
}

/*
 * The items as a CSV download: UTF-8 with BOM, header row first, one
 * row per item; items is released.
 */
int
resp_csv(struct req *r, const char *csvname, json_object *items,
    const struct csv_col *cols, size_t ncols)
{
	size_t		 i, c;
	int		 isnum;
	const char	*v;

	resp_add_header(r, "Content-Disposition", arena_printf(r->a,
	    "attachment; filename=\"%s.csv\"", csvname));
	head(r, 200, "text/csv; charset=utf-8", -1);
	puts_(r, "\xEF\xBB\xBF");
	for (c = 0; c < ncols; c++) {
		puts_(r, resp_csv_field(r->a, cols[c].header));
		puts_(r, c + 1 < ncols ? "," : "\r\n");
	}
	for (i = 0; i < json_object_array_length(items); i++) {
		json_object	*it = json_object_array_get_idx(items, i);

		for (c = 0; c < ncols; c++) {
			isnum = 0;
			v = csv_value(r->a, it, cols[c].path, &isnum);
			puts_(r, isnum ? v : resp_csv_field(r->a, v));
			puts_(r, c + 1 < ncols ? "," : "\r\n");
		}
	}
	json_object_put(items);
	return 200;
}

/*
 * A list in API.md's shape, {"items","total","page","per_page"}, or as
 * CSV when the request path ended in ".csv". items is released.
 */
int
resp_list(struct req *r, json_object *items, long long total, long long page,
    long long per_page, const char *csvname, const struct csv_col *cols,
    size_t ncols)
{
	json_object	*o;

	if (r->csv && cols != NULL)
		return resp_csv(r, csvname, items, cols, ncols);
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "total", json_object_new_int64(total));
	json_object_object_add(o, "page", json_object_new_int64(page));
	json_object_object_add(o, "per_page", json_object_new_int64(per_page));
	return resp_json(r, 200, o);
}

/*
 * s with the five HTML-significant characters & < > " ' written as
 * entities, in the arena: safe in element text and in quoted attribute
 * values. NULL is taken as "".
 */
char *
resp_html_escape(struct arena *a, const char *s)
{
	size_t		 n, i, k = 0;
	const char	*ent;
	char		*o;

	if (s == NULL)
		s = "";
	n = strlen(s);
	o = arena_alloc(a, 6 * n + 1);
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: ent = NULL; break;
		}
		if (ent == NULL)
			o[k++] = s[i];
		else {
			memcpy(o + k, ent, strlen(ent));
			k += strlen(ent);
		}
	}
	o[k] = '\0';
	return o;
}

/*
 * A whole page of the site written by a program (for browsers without
 * JavaScript): Vietnamese, the site's header and stylesheet (and css,
 * another stylesheet path, unless NULL), title (escaped here) as <title>
 * and <h1>, then main_html, which the caller built from resp_html_escape()d
 * values. Never cached.
 */
int
resp_html(struct req *r, int status, const char *title, const char *css,
    const char *main_html)
{
	const char	*t = resp_html_escape(r->a, title);

	r->cache_seconds = 0;
	head(r, status, "text/html; charset=utf-8", -1);
	puts_(r, "<!doctype html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width,"
	    " initial-scale=1\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n");
	puts_(r, arena_printf(r->a, "<title>%s — Khuyến công Hà Tĩnh</title>\n"
	    "<link rel=\"stylesheet\" href=\"/css/site.css\">\n", t));
	if (css != NULL)
		puts_(r, arena_printf(r->a, "<link rel=\"stylesheet\""
		    " href=\"%s\">\n", resp_html_escape(r->a, css)));
	puts_(r, "</head>\n<body>\n"
	    "<a class=\"skip\" href=\"#main\">Bỏ qua điều hướng</a>"
	    "<header class=\"site\"><a class=\"title\" href=\"/\">Khuyến công"
	    " Hà Tĩnh</a><nav aria-label=\"Chính\"><ul>"
	    "<li><a href=\"/\">Tổng quan ngân sách</a></li>"
	    "<li><a href=\"/products.html\">Sản phẩm CNNT tiêu biểu</a></li>"
	    "<li><a href=\"/register.html\">Đăng ký hỗ trợ</a></li>"
	    "<li><a href=\"/status.html\">Tra cứu hồ sơ</a></li>"
	    "<li><a href=\"/admin/\">Cán bộ</a></li></ul></nav></header>"
	    "<main id=\"main\">\n");
	puts_(r, arena_printf(r->a, "<h1>%s</h1>\n", t));
	puts_(r, main_html);
	puts_(r, "\n</main>\n</body>\n</html>\n");
	return status;
}

/*
 * A typed query's result rc (<0 an error, 0 not found, >0 found) as a
 * handler goes on: 0 when found, else the status of the reply written
 * (resp_db(), or 404 with message).
 */
int
resp_found(struct req *r, int rc, const char *message)
{
	if (rc < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_fail(r, E_NOT_FOUND, message);
	return 0;
}

/*
 * s percent-encoded as a header parameter's value (RFC 8187 attr-char:
 * letters, digits and "-._~" as they are, every other byte %XX), into a.
 */
char *
resp_pct_encode(struct arena *a, const char *s)
{
	static const char	 hexd[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*out, *q;

	out = q = arena_alloc(a, 3 * strlen(s) + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || strchr("-._~", *p) != NULL)
			*q++ = (char)*p;
		else {
			*q++ = '%';
			*q++ = hexd[*p >> 4];
			*q++ = hexd[*p & 15];
		}
	*q = '\0';
	return out;
}
