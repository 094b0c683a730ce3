/*
 * req: one HTTP request as a handler sees it. Input is declared: a
 * handler lists its fields (struct field) and req_fields() checks and
 * parses them into typed values (struct value) before the handler reads
 * anything. Query string, form body and JSON body land in the same slots:
 * "facility.name" names {"facility":{"name":..}} in JSON and the form key
 * "facility.name" or "facility[name]".
 */
#ifndef KC_REQ_H
#define KC_REQ_H

#include <stddef.h>

#include <fcgiapp.h>
#include <json-c/json.h>

struct arena;
struct db;

enum req_method {
	M_GET = 1, M_POST = 2, M_PUT = 4, M_PATCH = 8, M_DELETE = 16,
	M_OTHER = 32
};

struct req_kv {
	const char	*key;
	const char	*val;
	size_t		 len;
};

#define REQ_MAX_PARAMS	4
#define REQ_MAX_ARGS	128
#define REQ_JSON_DEPTH	16
#define REQ_MAX_FILES	8	/* file parts of a multipart body */

/* A file of a multipart/form-data body (into the body, len bytes). */
struct req_file {
	const char	*field;		/* the form field's name */
	const char	*name;		/* the name the client gave it */
	const char	*data;
	size_t		 len;
};

struct auth_user;

struct req {
	FCGX_Request	*fx;
	struct arena	*a;
	struct db	*db;
	enum req_method	 method;
	const char	*path;		/* decoded, without a ".csv" suffix */
	int		 csv;		/* the path ended in ".csv" */
	const char	*query;
	const char	*ctype;		/* Content-Type, lower case, no params */
	const char	*remote_addr;
	const char	*body;		/* NUL-terminated copy, body_len bytes */
	size_t		 body_len;
	json_object	*json;		/* parsed JSON body (owned here) */
	struct req_kv	 args[REQ_MAX_ARGS];	/* query + form arguments */
	size_t		 nargs;
	struct req_file	 files[REQ_MAX_FILES];	/* multipart file parts */
	size_t		 nfiles;
	const char	*param[REQ_MAX_PARAMS];	/* {} segments of the route */
	size_t		 nparam;
	int		 status;	/* set once a response is written */
	int		 cache_seconds;	/* > 0: public, cacheable for that long */
	const char	*extra_headers;	/* "Name: value\r\n..." or NULL */
	const struct auth_user *user;	/* the signed-in staff member (auth_guard) */
	void		*check_arg;	/* req_fields_arg()'s arg, for the checks */
	int		 retry_left;	/* runs of the handler still allowed */
	int		 retry;		/* resp_db(): run the handler again */
	/*
	 * Optional, set by a handler for a plain form post: resp_error()
	 * and resp_invalid() call it (once) to write an HTML page instead
	 * of API.md's JSON. fields is NULL or the failing fields (owned by
	 * the caller). Returns the status written.
	 */
	int		(*html_error)(struct req *, int status,
			    const char *message, json_object *fields);
};

enum field_type {
	F_INT,		/* whole number within [min, max] */
	F_STR,		/* one line of text, [min, max] characters, NFC-cleaned */
	F_TEXT,		/* multi-line text, [min, max] characters, NFC */
	F_DATE,		/* YYYY-MM-DD, a real calendar date */
	F_BOOL,		/* true/false, 1/0 */
	F_STRLIST,	/* JSON array of strings or a repeated form key */
	F_MONEY,	/* đồng within [min, max]: a JSON integer, or the text
			   as typed (money.h: 2.080.000.000 đ, 2,08 tỷ...) */
};

#define F_REQUIRED	0x1

/*
 * The years that every year of the API takes (plans and their activities,
 * calls, the dashboard and its tables, beneficiaries, the data package,
 * products): those of the plan table (migration 010). A year outside
 * them is a 422 with the same message everywhere.
 */
#define REQ_YEAR_MIN	2000
#define REQ_YEAR_MAX	2999

struct value;
struct field {
	const char	*name;
	enum field_type	 type;
	unsigned int	 flags;
	long long	 min, max;
	/*
	 * Optional further check: NULL if fine, else a Vietnamese message.
	 * What the checks of one call share is req_fields_arg()'s arg, in
	 * r->check_arg.
	 */
	const char	*(*check)(struct req *, struct value *);
};

struct value {
	int		  set;
	long long	  i;
	const char	 *s;
	size_t		  len;
	const char	**list;
	size_t		  nlist;
};

const char	*req_env(const struct req *, const char *name);
const char	*req_cookie(struct req *, const char *name);
int		 req_fields(struct req *, const struct field *, size_t,
		    struct value *);
int		 req_fields_arg(struct req *, const struct field *, size_t,
		    struct value *, void *arg);
int		 req_page(struct req *, long long *page, long long *per_page);
int		 req_wants_html(const struct req *);
int		 req_parse_query(struct req *, const char *qs, size_t len);
int		 req_parse_json(struct req *, const char *body, size_t len);
int		 req_parse_multipart(struct req *, const char *ctype_header,
		    const char *body, size_t len);
int		 req_valid_date(const char *s, int *y, int *m, int *d);

#endif
