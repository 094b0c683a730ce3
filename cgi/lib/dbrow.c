/*
 * dbrow: reading a query's rows (struct db_res, db.h): the next row and
 * its columns as text, numbers and nullable numbers. No connection here.
 */
#include <stdlib.h>

#include "db.h"

/* The next row of r: 1, or 0 when there is none left. */
int
db_next(struct db_res *r)
{
	if (r == NULL || r->cur >= r->rows)
		return 0;
	r->cur++;
	return 1;
}

/* Column col of the current row (after db_next), NULL for SQL NULL. */
const char *
db_str(const struct db_res *r, size_t col)
{
	if (r->cur == 0 || col >= r->cols)
		return NULL;
	return r->cell[r->cur - 1][col];
}

long long
db_int(const struct db_res *r, size_t col)
{
	const char	*s = db_str(r, col), *d;
	long long	 v = 0;

	if (s == NULL)
		return 0;
	/* Plain digits, as a column of numbers mostly holds (a build reads
	 * millions): added up here; anything else as strtoll reads it. */
	for (d = s; *d >= '0' && *d <= '9' && d - s < 18; d++)
		v = v * 10 + (*d - '0');
	return *d == '\0' && d > s ? v : strtoll(s, NULL, 10);
}

int
db_isnull(const struct db_res *r, size_t col)
{
	return db_str(r, col) == NULL;
}

/* Column col of the current row as a number that may be NULL. */
/* Column col of a never-negative number, -1 for NULL (rows.h's J_NNEG). */
long long
db_nneg(const struct db_res *r, size_t col)
{
	return db_isnull(r, col) ? -1 : db_int(r, col);
}

struct db_nint
db_nint(const struct db_res *r, size_t col)
{
	struct db_nint	 n = { 0, 0 };

	if (!db_isnull(r, col)) {
		n.v = db_int(r, col);
		n.set = 1;
	}
	return n;
}
