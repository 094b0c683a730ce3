/*
 * Unit tests of cgi/lib/rows.c: a row read by its column list from a
 * result (rows_read), and the JSON the same list makes of it (each kind
 * of column, nested paths, a J_OBJ that is null, rows_add after).
 */
#include "kc_test.h"

#include <json-c/json.h>

#include "db.h"
#include "rows.h"

#define T_ROW(X) \
	X(id, J_INT) X(name, J_STR) X(cap, J_NINT) X(open, J_BOOL) \
	X(roles, J_SET) X(after, J_JSON)
#define T_JCOL(m, t)	JCOL(#m, t_row, m, t),

struct t_row { T_ROW(ROWS_MEMBER) };
static const struct jcol t_cols[] = { T_ROW(T_JCOL) };

/* A result of one row of cells (NULL: SQL NULL), at that row. */
static void
one_row(struct db_res *q, char **cells, size_t n)
{
	static char	**rows[1];

	rows[0] = cells;
	memset(q, 0, sizeof(*q));
	q->rows = 1;
	q->cols = n;
	q->cell = rows;
	q->cur = 1;
}

static void
check_json(json_object *o, const char *want)
{
	assert_string_equal(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), want);
	json_object_put(o);
}

static void
test_read_and_json(void **state)
{
	char		*set[] = { "7", "Kẹo", "0", "1", "admin,finance",
			    "{\"a\":[1,2]}" };
	char		*nul[] = { "8", NULL, NULL, NULL, NULL, NULL };
	struct db_res	 q;
	struct t_row	 r;

	(void)state;
	one_row(&q, set, NELEM(set));
	rows_read(&q, &r, t_cols, NELEM(t_cols));
	assert_int_equal(r.id, 7);
	assert_true(r.cap.set);
	assert_int_equal(r.cap.v, 0);
	check_json(rows_object(&r, t_cols, NELEM(t_cols)),
	    "{\"id\":7,\"name\":\"Kẹo\",\"cap\":0,\"open\":true,"
	    "\"roles\":[\"admin\",\"finance\"],\"after\":{\"a\":[1,2]}}");
	one_row(&q, nul, NELEM(nul));
	rows_read(&q, &r, t_cols, NELEM(t_cols));
	assert_false(r.cap.set);
	check_json(rows_object(&r, t_cols, NELEM(t_cols)),
	    "{\"id\":8,\"name\":null,\"cap\":null,\"open\":false,"
	    "\"roles\":[],\"after\":null}");
}

struct n_row {
	long long	 id;
	const char	*code;
	const char	*name;
	int		 sample;
};

static const struct jcol n_head[] = {
	JCOL("id", n_row, id, J_INT),
	JCOL("district", n_row, code, J_OBJ),
	JCOL("district.code", n_row, code, J_STR),
	JCOL("district.name", n_row, name, J_STR),
};
static const struct jcol n_tail[] = { JCOL("sample", n_row, sample, J_BOOL) };

static void
test_nested(void **state)
{
	struct n_row	 with = { 1, "436", "Hương Sơn", 1 };
	struct n_row	 none = { 2, NULL, "x", 0 };
	json_object	*o;

	(void)state;
	o = rows_object(&with, n_head, NELEM(n_head));
	check_json(rows_add(o, &with, n_tail, NELEM(n_tail)),
	    "{\"id\":1,\"district\":{\"code\":\"436\",\"name\":\"Hương Sơn\"},"
	    "\"sample\":true}");
	o = rows_object(&none, n_head, NELEM(n_head));
	check_json(rows_add(o, &none, n_tail, NELEM(n_tail)),
	    "{\"id\":2,\"district\":null,\"sample\":false}");
}

KC_TEST_MAIN(test_read_and_json, test_nested)
