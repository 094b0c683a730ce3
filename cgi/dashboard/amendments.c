/*
 * amendments: the amendments of a published plan (migration 052), each
 * with its decision, its reason and the figures it changed, before and
 * after, in đồng. The figures the dashboard shows are the amended ones
 * (an amendment changes the plan's rows); this is the record of how they
 * came to be. A draft's year answers 404, as a year without a plan.
 *
 *	GET /api/dashboard/amendments[.csv]?year=
 */
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "datapkg.h"
#include "db.h"
#include "req.h"
#include "resp.h"

#include "dashboard.h"

enum amend_stmt { S_AMEND_LIST, S_AMEND_TITLES, S_AMEND__MAX };

static const char *const amend_sql[] = {
	/* The year's amendments, oldest decision first; one row of NULLs
	 * for a published plan without any, none for no published plan. */
	[S_AMEND_LIST] =
	    "SELECT a.id, a.decision_no, a.decision_date, a.reason, a.changes"
	    " FROM plan p LEFT JOIN plan_amendment a ON a.year = p.year"
	    " WHERE p.year = ? AND " SQL_PUBLISHED("p")
	    " ORDER BY a.decision_date, a.id",
	/* The names of the year's content areas, in the decision's order. */
	[S_AMEND_TITLES] =
	    "SELECT code, title FROM plan_content WHERE year = ?"
	    " ORDER BY sort_order, code",
};

static struct db_set amend_set = DB_SET("dashboard/amendments", amend_sql);

/*
 * An amendment as S_AMEND_LIST reads it (id 0: the row of NULLs of a plan
 * without any), its members named as its JSON's keys: changes, the last,
 * is its JSON text (plan.c writes it), added to the answer apart.
 */
#define AMEND_ROW(X) \
	X(id, J_INT) X(decision_no, J_STR) X(decision_date, J_STR) \
	X(reason, J_STR) X(changes, J_STR)
struct amend_row { AMEND_ROW(ROWS_MEMBER) };

/* A content area's code and name (S_AMEND_TITLES). */
#define AMEND_TITLE(X)	X(code, J_STR) X(title, J_STR)
struct amend_title { AMEND_TITLE(ROWS_MEMBER) };

/*
 * One figure an amendment changed, with its amendment a (the CSV's line):
 * figure "total" or "content" (code, title); before and change not set
 * for an area the amendment added (no amount before). Its members with
 * their JSON path: the amendment's (the CSV's), then the figure's (the
 * CSV's and an amendment's changes in the answer).
 */
#define LINE_AMEND(X) \
	X("year", year, J_INT) X("amendment_id", id, J_INT) \
	X("decision_no", decision_no, J_STR) \
	X("decision_date", decision_date, J_STR) X("reason", reason, J_STR)
#define LINE_CHANGE(X) \
	X("figure", figure, J_STR) X("content_code", code, J_STR) \
	X("content_title", title, J_STR) X("before_vnd", before, J_NINT) \
	X("after_vnd", after, J_INT) X("change_vnd", change, J_NINT)
#define LINE_MEMBER(path, m, t)	ROWS_MEMBER(m, t)
struct amend_line {
	const struct amend_row *a;
	LINE_AMEND(LINE_MEMBER)
	LINE_CHANGE(LINE_MEMBER)
};

#define AMEND_JCOL(m, t)	JCOL(#m, amend_row, m, t),
#define TITLE_JCOL(m, t)	JCOL(#m, amend_title, m, t),
static const struct jcol amend_read[] = { AMEND_ROW(AMEND_JCOL) };
static const struct jcol title_read[] = { AMEND_TITLE(TITLE_JCOL) };

/*
 * The amendments of year's published plan into *out (arena). <0 a DB_E*
 * code, 0 no published plan, else 1 + the number of amendments.
 */
static int
q_amend_list(struct req *r, long long year, struct amend_row **out,
    size_t *n)
{
	struct amend_row	*a;
	void			*rows;
	int			 i, nr;

	*n = 0;
	nr = rows_fetch(r->db, r->a, &amend_set, S_AMEND_LIST,
	    DB_ARGS(DB_INT(year)), amend_read, NELEM(amend_read), sizeof(*a),
	    &rows);
	if (nr <= 0)
		return nr;
	*out = a = rows;
	for (i = 0; i < nr; i++)
		if (a[i].id != 0)
			a[(*n)++] = a[i];
	return 1 + (int)*n;
}

/* The content areas of year into *out (arena). <0, or their number. */
static int
q_amend_titles(struct req *r, long long year, struct amend_title **out)
{
	void	*rows;
	int	 n;

	n = rows_fetch(r->db, r->a, &amend_set, S_AMEND_TITLES,
	    DB_ARGS(DB_INT(year)), title_read, NELEM(title_read), sizeof(**out),
	    &rows);
	*out = rows;
	return n;
}

#define LINE_JCOL(path, m, t)	JCOL(path, amend_line, m, t),
static const struct jcol change_json[] = { LINE_CHANGE(LINE_JCOL) };
/* A line of the CSV (datapkg_amends' paths). */
static const struct jcol line_json[] = {
	LINE_AMEND(LINE_JCOL)
	LINE_CHANGE(LINE_JCOL)
};

/* The [before, after] pair v into l (before null: not set). 0, or -1 if v is
 * not such a pair. */
static int
pair_get(json_object *v, struct amend_line *l)
{
	json_object	*b, *a;

	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 2)
		return -1;
	b = json_object_array_get_idx(v, 0);
	a = json_object_array_get_idx(v, 1);
	if (!json_object_is_type(a, json_type_int) || (b != NULL &&
	    !json_object_is_type(b, json_type_int)))
		return -1;
	l->after = json_object_get_int64(a);
	l->before.set = l->change.set = b != NULL;
	l->before.v = b != NULL ? json_object_get_int64(b) : 0;
	l->change.v = l->after - l->before.v;
	return 0;
}

/* Line *l of amendment a for a figure and code (NULL: the total). */
static void
line_set(struct amend_line *l, long long year, const struct amend_row *a,
    const char *figure, const char *code, const char *title)
{
	l->year = year;
	l->a = a;
	l->id = a->id;
	l->decision_no = a->decision_no;
	l->decision_date = a->decision_date;
	l->reason = a->reason;
	l->figure = figure;
	l->code = code;
	l->title = title;
}

/*
 * The figures amendment a changed, as lines into out (room for all, *n
 * counts them): the total first, then the content areas in the
 * decision's order (t, nt), then areas no longer listed, as written.
 */
static void
amend_lines(struct arena *ar, long long year, const struct amend_row *a,
    const struct amend_title *t, size_t nt, struct amend_line *out,
    size_t *n)
{
	json_object	*ch, *v, *cs;
	size_t		 i;

	if (a->changes == NULL || (ch = json_tokener_parse(a->changes)) == NULL)
		return;
	if (json_object_object_get_ex(ch, "total_vnd", &v) &&
	    pair_get(v, &out[*n]) == 0)
		line_set(&out[(*n)++], year, a, "total", NULL, NULL);
	if (json_object_object_get_ex(ch, "contents", &cs) &&
	    json_object_is_type(cs, json_type_object)) {
		for (i = 0; i < nt; i++)
			if (json_object_object_get_ex(cs, t[i].code, &v) &&
			    pair_get(v, &out[*n]) == 0)
				line_set(&out[(*n)++], year, a, "content",
				    t[i].code, t[i].title);
		json_object_object_foreach(cs, code, val) {
			for (i = 0; i < nt; i++)
				if (strcmp(t[i].code, code) == 0)
					break;
			if (i == nt && pair_get(val, &out[*n]) == 0)
				line_set(&out[(*n)++], year, a, "content",
				    arena_strdup(ar, code), NULL);
		}
	}
	json_object_put(ch);
}

/* Room for the lines of amendments a (n of them): one per figure. */
static size_t
amend_room(const struct amend_row *a, size_t n, size_t ntitles)
{
	size_t	 i, room = 0;

	for (i = 0; i < n; i++)
		room += 1 + ntitles + (a[i].changes != NULL ?
		    strlen(a[i].changes) / 8 : 0);
	return room + 1;
}

/* The amendments with their changes (lines l, nl, in amendments' order)
 * as the answer's items. */
static json_object *
amend_items(const struct amend_row *a, size_t n, const struct amend_line *l,
    size_t nl)
{
	json_object	*items = json_object_new_array(), *o;
	size_t		 i, j = 0, k;

	for (i = 0; i < n; i++) {
		/* Its columns but changes, then the lines of its changes. */
		o = rows_object(&a[i], amend_read, NELEM(amend_read) - 1);
		for (k = j; k < nl && l[k].a == &a[i]; k++)
			;
		json_object_object_add(o, "changes", rows_array(&l[j],
		    sizeof(*l), k - j, change_json, NELEM(change_json)));
		json_object_array_add(items, o);
		j = k;
	}
	return items;
}

/*
 * GET /api/dashboard/amendments?year=YYYY → the amendments of the year's
 * published plan (the latest published plan's when year is absent),
 * oldest decision first: {"items":[{id,decision_no,decision_date,reason,
 * changes:[{figure,content_code,content_title,before_vnd,after_vnd,
 * change_vnd}]}],total,page,per_page}. The CSV has one line per changed
 * figure (datapkg_amends). 404 no published plan that year, 422, 503.
 */
static int
h_amendments_list(struct req *r)
{
	struct amend_row	*a = NULL;
	struct amend_title	*t = NULL;
	struct amend_line	*l;
	size_t			 n, nl = 0, i;
	long long		 year;
	int			 rc, nt = 0;

	if ((rc = plans_year(r, &year)) != 0)
		return rc;
	if ((rc = q_amend_list(r, year, &a, &n)) > 0 &&
	    (nt = q_amend_titles(r, year, &t)) < 0)
		rc = nt;
	if ((rc = resp_found(r, rc, NO_PLAN_MSG)) != 0)
		return rc;
	l = arena_alloc(r->a, amend_room(a, n, (size_t)nt) * sizeof(*l));
	for (i = 0; i < n; i++)
		amend_lines(r->a, year, &a[i], t, (size_t)nt, l, &nl);
	r->cache_seconds = PUBLIC_CACHE;
	if (r->csv)
		return resp_csv(r, arena_printf(r->a, "dieu-chinh-%lld", year),
		    rows_array(l, sizeof(*l), nl, line_json, NELEM(line_json)),
		    datapkg_amends.cols, datapkg_amends.ncols);
	return resp_list(r, amend_items(a, n, l, nl), (long long)n, 1,
	    (long long)n, NULL, NULL, 0);
}

const struct route dashboard_amend_routes[] = {
	{ M_GET, "/api/dashboard/amendments", h_amendments_list, R_CSV, 0, 0 },
	ROUTES_END
};
