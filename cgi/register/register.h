/*
 * kc-register: what its resource files share. The resources are the
 * calls (calls.c), the application form (applications.c) and the status
 * of an application (status.c); pages.c writes the HTML answers of plain
 * form posts. main.c lists the route tables.
 */
#ifndef KC_REGISTER_H
#define KC_REGISTER_H

#include <stddef.h>

#include <json-c/json.h>
#include <sodium.h>

#include "app.h"
#include "appfile.h"
#include "db.h"
#include "req.h"
#include "rows.h"

struct arena;
struct req;

/* A status token's hash as hex text, with its NUL. */
#define REG_HASH_HEX	(2 * crypto_generichash_BYTES + 1)

/*
 * The first column of the first row of statement stmt of set, a number:
 * 1 and *out, 0 when there is no row, or < 0 (typed queries only).
 */
static inline int
reg_query_int(struct req *r, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, long long *out)
{
	struct db_res	*q;

	if ((q = db_squery(r->db, r->a, set, stmt, p, np)) == NULL)
		return db_last_error(r->db);
	if (!db_next(q))
		return 0;
	*out = db_int(q, 0);
	return 1;
}

/* A call as an application sees it (calls.c). */
struct reg_call {
	long long	 year;
	long long	 max_vnd;
	long long	 capacity;	/* 0: no capacity */
	const char	*title;
	int		 open;		/* takes applications now */
};

int	reg_call_get(struct req *, long long id, struct reg_call *);
int	reg_call_taken(struct req *, long long id, long long *taken);
int	reg_call_full(struct req *, long long id);

/* An application with its call, as its status shows it (status.c). */
struct reg_status {
	long long	 id;
	const char	*ref_code;
	const char	*status;
	const char	*token_hash;
	long long	 requested_vnd;
	struct db_nint	 approved_vnd;
	const char	*created_at;	/* ISO 8601 UTC */
	const char	*created_vn;	/* dd/mm/yyyy hh:mm in Vietnam */
	const char	*updated_at;
	const char	*facility_name;
	long long	 call_id;
	const char	*call_title;
	const char	*call_kind;
};

/* One step of an application's history. */
/*
 * As S_EVENTS reads it; the status shows the columns up to action (at:
 * ISO 8601 UTC); at_vn (dd/mm/yyyy hh:mm in Vietnam) and id are read for
 * the page and the attachments, not shown. action: review.h's code, NULL
 * for the submission.
 */
#define REG_EVENT_ROW(X) \
	X(status, J_STR) X(reason, J_STR) X(amount_vnd, J_NINT) X(at, J_STR) \
	X(action, J_STR) X(at_vn, J_STR) X(id, J_INT)
struct reg_event { REG_EVENT_ROW(ROWS_MEMBER) };

/* An application as its status page shows it. */
struct reg_view {
	const struct reg_status	*s;
	struct reg_event	*ev;
	size_t			 nev;
	struct app_file		*files;
	size_t			 nfiles;
	const char		*token;		/* for the page's forms */
};

int	reg_app_lookup(struct req *, const char *ref, const char *token,
	    struct reg_status *);
int	reg_status_answer(struct req *, const char *ref, const char *token,
	    int html);
const char *reg_request(const struct reg_view *);

/* The pages of plain form posts (pages.c). */
int	reg_page_apply_error(struct req *, int status, const char *message,
	    json_object *fields);
int	reg_page_receipt(struct req *, const char *ref, const char *token,
	    const char *call_title, const char *facility, long long requested);
int	reg_page_status(struct req *, const struct reg_view *);
int	reg_page_step_error(struct req *, int status, const char *message,
	    json_object *fields);
int	reg_page_status_error(struct req *, int status, const char *message,
	    json_object *fields);
char	*reg_vnd_text(struct arena *, long long);

extern const struct route register_calls_routes[];
extern const struct route register_applications_routes[];
extern const struct route register_status_routes[];
extern const struct route register_steps_routes[];

#endif
