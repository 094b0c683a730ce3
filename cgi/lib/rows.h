/*
 * rows: a typed query's row as a JSON object, the one way for every
 * program. A row is a struct a typed query filled; a column list (struct
 * jcol, made with JCOL) names each member of its JSON object in order. A
 * path "a.b" puts the value into the object member a (made by its first
 * column, or by a J_OBJ column before them that makes it null when its
 * member is NULL). The CSV of the same rows comes from resp_list/resp_csv's
 * column list (struct csv_col), which names the same paths: where the
 * CSV's columns are the JSON's (or the first of them) in the same order,
 * one X-macro list makes both (kc-dashboard's places.c, kc-staff's
 * users.c).
 *
 * The same list reads a row: rows_read() puts column i of the current
 * row into column i's member (a statement selects in the list's order),
 * rows_fetch() reads every row of a statement into an array, and
 * rows_get() the one row of a typed query that gets by a key.
 *
 * Kinds of column: text, a number, a number that may be SQL NULL (struct
 * db_nint), an id (0 as null), a flag, a SET's text as an array of its
 * members, and JSON text as the value it spells.
 */
#ifndef KC_ROWS_H
#define KC_ROWS_H

#include <stddef.h>

#include <json-c/json.h>

#include "db.h"

enum jcol_type {
	J_STR,		/* const char *: a string, NULL as null */
	J_INT,		/* long long: a number */
	J_ID,		/* long long: a number, 0 (no row) as null */
	J_BOOL,		/* int: true or false */
	J_NNEG,		/* long long never negative: a negative one as null */
	J_NINT,		/* struct db_nint: a number, or null when not set */
	J_SET,		/* const char *: "a,b" as ["a","b"], NULL as [] */
	J_JSON,		/* const char *: JSON text as its value, NULL as null */
	J_OBJ,		/* const void *: the object of the "path.x" columns
			   after it, or null (and they are left) when NULL */
};

struct jcol {
	const char	*path;
	size_t		 off;		/* of the member in the row */
	enum jcol_type	 type;
};

/*
 * A flat row from one X-macro list of (member, type) columns, each
 * member named as its JSON key:
 *
 *	#define USER_COLS(X) X(id, J_INT) X(username, J_STR)
 *	struct user_row { USER_COLS(ROWS_MEMBER) };
 *	#define USER_JCOL(m, t)	JCOL(#m, user_row, m, t),
 *	static const struct jcol user_json[] = { USER_COLS(USER_JCOL) };
 */
#define ROWS_T_J_STR	const char *
#define ROWS_T_J_INT	long long
#define ROWS_T_J_ID	long long
#define ROWS_T_J_BOOL	int
#define ROWS_T_J_NINT	struct db_nint
#define ROWS_T_J_SET	const char *
#define ROWS_T_J_JSON	const char *
#define ROWS_T_J_OBJ	const void *
#define ROWS_MEMBER(m, t)	ROWS_T_##t m;
/* A CSV column of the same name (struct csv_col). */
#define ROWS_CSV(m, t)		{ #m, #m },

/* One column: JSON path, row struct, member, type. */
#define JCOL(path, st, member, type) \
	{ (path), offsetof(struct st, member), (type) }

struct arena;

void		 rows_read(const struct db_res *, void *row,
		    const struct jcol *, size_t);
int		 rows_fetch(struct db *, struct arena *, struct db_set *,
		    int stmt, const struct db_param *, size_t,
		    const struct jcol *, size_t, size_t size, void **out);
int		 rows_get(struct db *, struct arena *, struct db_set *,
		    int stmt, const struct db_param *, size_t,
		    const struct jcol *, size_t, void *row);
int		 rows_fetch_json(struct db *, struct arena *, struct db_set *,
		    int stmt, const struct db_param *, size_t,
		    const struct jcol *, size_t, size_t size, json_object **);
json_object	*rows_set_json(const char *);
json_object	*rows_add(json_object *, const void *row, const struct jcol *,
		    size_t);
json_object	*rows_object(const void *row, const struct jcol *, size_t);
json_object	*rows_array(const void *rows, size_t size, size_t n,
		    const struct jcol *, size_t);

int		 rows_count(struct db *, struct arena *, struct db_set *,
		    int stmt, const struct db_param *, size_t, long long *n);

/* The member of a J_NNEG column in a ROWS_MEMBER row. */
#define ROWS_T_J_NNEG	long long

#endif
