/*
 * resp: responses. JSON through json-c, CSV through one writer (UTF-8
 * with BOM, RFC 4180 quoting), errors in API.md's shape from one
 * function. Each resp_* call writes the whole response and returns the
 * status so a handler can end with `return resp_json(r, 200, o);`.
 */
#ifndef KC_RESP_H
#define KC_RESP_H

#include <stddef.h>

#include <json-c/json.h>

struct arena;
struct req;

/* One CSV column: its header and the JSON path of its value. */
struct csv_col {
	const char	*header;
	const char	*path;	/* "name", "facility.name", "awards.year" */
};

/*
 * The error codes of API.md with their HTTP status: the one table. A
 * handler answers resp_fail(r, E_NOT_FOUND, "Không tìm thấy …").
 */
#define RESP_ERRORS(X) \
	X(E_BAD_REQUEST,	400, "bad_request") \
	X(E_UNAUTHORIZED,	401, "unauthorized") \
	X(E_SECOND_FACTOR_REQUIRED, 401, "second_factor_required") \
	X(E_SECOND_FACTOR_INVALID, 401, "second_factor_invalid") \
	X(E_FORBIDDEN,		403, "forbidden") \
	X(E_ENROLMENT_REQUIRED,	403, "enrolment_required") \
	X(E_NOT_FOUND,		404, "not_found") \
	X(E_METHOD_NOT_ALLOWED,	405, "method_not_allowed") \
	X(E_CONFLICT,		409, "conflict") \
	X(E_PAYLOAD_TOO_LARGE,	413, "payload_too_large") \
	X(E_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type") \
	X(E_VALIDATION_FAILED,	422, "validation_failed") \
	X(E_RATE_LIMITED,	429, "rate_limited") \
	X(E_INTERNAL,		500, "internal") \
	X(E_UNAVAILABLE,	503, "unavailable")

#define RESP_ERR_ENUM(id, status, code)	id,
enum resp_err { RESP_ERRORS(RESP_ERR_ENUM) E__MAX };
#undef RESP_ERR_ENUM

/* The number of elements of an array. */
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
/* A DATETIME/TIMESTAMP column (UTC) as ISO 8601 text, in SQL. */
#define SQL_ISO(col)	"DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

int	resp_fail(struct req *, enum resp_err, const char *message);
int	resp_err_status(enum resp_err);
const char *resp_err_code(enum resp_err);
json_object *resp_jstr(const char *s);
int	resp_json(struct req *, int status, json_object *);
int	resp_json_text(struct req *, int status, const char *);
int	resp_bytes(struct req *, int status, const char *ctype,
	    const char *data, size_t len);
int	resp_error(struct req *, int status, const char *code,
	    const char *message);
int	resp_invalid(struct req *, json_object *fields);
int	resp_db(struct req *);
int	resp_db_code(struct req *, int);
int	resp_list(struct req *, json_object *items, long long total,
	    long long page, long long per_page, const char *csvname,
	    const struct csv_col *, size_t ncols);
int	resp_csv(struct req *, const char *csvname, json_object *items,
	    const struct csv_col *, size_t ncols);
void	resp_add_header(struct req *, const char *name, const char *value);
char	*resp_csv_field(struct arena *, const char *s);
char	*resp_html_escape(struct arena *, const char *s);
int	resp_html(struct req *, int status, const char *title,
	    const char *css, const char *main_html);
int	resp_found(struct req *, int rc, const char *message);
char	*resp_pct_encode(struct arena *, const char *s);

#endif
