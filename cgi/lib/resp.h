/*
 * resp: responses. JSON through json-c, CSV through one writer (UTF-8
 * with BOM, RFC 4180 quoting), errors in API.md's shape from one
 * function. Each resp_* call writes the whole response and returns the
 * status so a handler can end with `return resp_json(r, 200, o);`.
 */
#ifndef KC_RESP_H
#define KC_RESP_H

#include <json-c/json.h>

struct arena;
struct req;

/* One CSV column: its header and the JSON path of its value. */
struct csv_col {
	const char	*header;
	const char	*path;	/* "name", "facility.name", "awards.year" */
};

int	resp_json(struct req *, int status, json_object *);
int	resp_json_text(struct req *, int status, const char *);
int	resp_error(struct req *, int status, const char *code,
	    const char *message);
int	resp_invalid(struct req *, json_object *fields);
int	resp_db(struct req *);
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

#endif
