/*
 * rows: a typed query's row as a JSON object. See rows.h.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "db.h"
#include "resp.h"
#include "rows.h"

/*
 * The current row of q into row: column i into the member of c[i], as
 * its type says (a number, a flag, or the text).
 */
void
rows_read(const struct db_res *q, void *row, const struct jcol *c, size_t n)
{
	char	*p;
	size_t	 i;

	for (i = 0; i < n; i++) {
		p = (char *)row + c[i].off;
		switch (c[i].type) {
		case J_INT:
		case J_ID:
			*(long long *)p = db_int(q, i);
			break;
		case J_NNEG:
			*(long long *)p = db_nneg(q, i);
			break;
		case J_NINT:
			*(struct db_nint *)p = db_nint(q, i);
			break;
		case J_BOOL:
			*(int *)p = db_int(q, i) != 0;
			break;
		default:
			*(const char **)p = db_str(q, i);
		}
	}
}

/*
 * Every row of statement stmt of set, read by the columns c[0..n) into
 * structs of size bytes, as an array in the arena a (*out, one spare
 * zeroed struct at its end): the count, or < 0 (a DB_E* code).
 */
int
rows_fetch(struct db *db, struct arena *a, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, const struct jcol *c, size_t n,
    size_t size, void **out)
{
	struct db_res	*q;
	char		*row;
	int		 rc;

	*out = NULL;
	if ((q = db_squery(db, a, set, stmt, p, np)) == NULL)
		return (rc = db_last_error(db)) < 0 ? rc : DB_EFAIL;
	*out = row = arena_alloc(a, (q->rows + 1) * size);
	for (; db_next(q); row += size)
		rows_read(q, row, c, n);
	return (int)q->rows;
}

/*
 * The one row of statement stmt of set, read by the columns c[0..n) into
 * row: 1, 0 when there is none (row left as it was), or < 0 (a DB_E*
 * code). A typed query's "get by key".
 */
int
rows_get(struct db *db, struct arena *a, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, const struct jcol *c, size_t n,
    void *row)
{
	struct db_res	*q;
	int		 rc;

	if ((q = db_squery(db, a, set, stmt, p, np)) == NULL)
		return (rc = db_last_error(db)) < 0 ? rc : DB_EFAIL;
	if (!db_next(q))
		return 0;
	rows_read(q, row, c, n);
	return 1;
}

/*
 * rows_fetch(), the rows then as a JSON array by the same columns into
 * *out (NULL on error): the count, or < 0.
 */
int
rows_fetch_json(struct db *db, struct arena *a, struct db_set *set,
    int stmt, const struct db_param *p, size_t np, const struct jcol *c,
    size_t n, size_t size, json_object **out)
{
	void	*rows;
	int	 rc;

	*out = NULL;
	if ((rc = rows_fetch(db, a, set, stmt, p, np, c, n, size, &rows)) >= 0)
		*out = rows_array(rows, size, (size_t)rc, c, n);
	return rc;
}

/* A SET column's text ("a,b") as a JSON array of its members. */
json_object *
rows_set_json(const char *s)
{
	json_object	*arr = json_object_new_array();
	const char	*p, *e;

	for (p = s; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		json_object_array_add(arr,
		    json_object_new_string_len(p, (int)(e - p)));
	}
	return arr;
}

/* The value of column c of row. */
static json_object *
col_json(const void *row, const struct jcol *c)
{
	const char	*p = (const char *)row + c->off, *s;
	const struct db_nint *ni;
	long long	 n;

	switch (c->type) {
	case J_STR:
		return resp_jstr(*(const char *const *)p);
	case J_INT:
		return json_object_new_int64(*(const long long *)p);
	case J_ID:
		n = *(const long long *)p;
		return n != 0 ? json_object_new_int64(n) : NULL;
	case J_BOOL:
		return json_object_new_boolean(*(const int *)p != 0);
	case J_NNEG:
		n = *(const long long *)p;
		return n >= 0 ? json_object_new_int64(n) : NULL;
	case J_NINT:
		ni = (const struct db_nint *)p;
		return ni->set ? json_object_new_int64(ni->v) : NULL;
	case J_SET:
		return rows_set_json(*(const char *const *)p);
	case J_JSON:
		s = *(const char *const *)p;
		return s != NULL ? json_tokener_parse(s) : NULL;
	case J_OBJ:
		return *(const void *const *)p != NULL ?
		    json_object_new_object() : NULL;
	}
	return NULL;
}

/*
 * Columns c[0..n) of row added to the object o: each column's value
 * under its path, "a.b" into the object a (made when first named; left
 * out when a J_OBJ column made a null). Returns o.
 */
json_object *
rows_add(json_object *o, const void *row, const struct jcol *c, size_t n)
{
	json_object	*into, *sub;
	const char	*key, *dot;
	char		 name[64];

	for (; n > 0; c++, n--) {
		into = o;
		key = c->path;
		if ((dot = strchr(key, '.')) != NULL) {
			snprintf(name, sizeof(name), "%.*s", (int)(dot - key),
			    key);
			if (!json_object_object_get_ex(o, name, &sub)) {
				sub = json_object_new_object();
				json_object_object_add(o, name, sub);
			} else if (sub == NULL)
				continue;
			into = sub;
			key = dot + 1;
		}
		json_object_object_add(into, key, col_json(row, c));
	}
	return o;
}

/* Row as the object of columns c[0..n) (rows_add()). */
json_object *
rows_object(const void *row, const struct jcol *c, size_t n)
{
	return rows_add(json_object_new_object(), row, c, n);
}

/* The n rows of an array (each size bytes) as a list of objects. */
json_object *
rows_array(const void *rows, size_t size, size_t n, const struct jcol *c,
    size_t nc)
{
	json_object	*list = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		json_object_array_add(list, rows_object((const char *)rows +
		    i * size, c, nc));
	return list;
}

/*
 * The one number statement stmt of set selects (a COUNT or a SUM) into
 * *n, 0 when it selects no row: 0, or < 0 (a DB_E* code).
 */
int
rows_count(struct db *db, struct arena *a, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, long long *n)
{
	struct db_res	*q;
	int		 rc;

	if ((q = db_squery(db, a, set, stmt, p, np)) == NULL)
		return (rc = db_last_error(db)) < 0 ? rc : DB_EFAIL;
	*n = db_next(q) ? db_int(q, 0) : 0;
	return 0;
}
