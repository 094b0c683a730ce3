/*
 * rows: a typed query's row as a JSON object. See rows.h.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "resp.h"
#include "rows.h"

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
