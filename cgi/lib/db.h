/*
 * db: MariaDB access for one worker. Statements come in sets: each module
 * (auth, the importer, each resource of a program) lists its own once, an
 * enum beside an array of SQL texts, and wraps them in a struct db_set
 * (DB_SET). Any number of sets share the worker's one connection; each
 * statement is prepared on first use per connection and re-prepared after
 * a reconnect. Every parameter is bound with its length. Results are
 * copied into the request arena, so a result never has to be freed and
 * statements can be nested freely.
 *
 * The set a program gives db_new() is its default set, which db_query()
 * and db_exec() index; db_squery() and db_sexec() name the set.
 *
 * Return convention: >= 0 success (affected rows or row count), < 0 one of
 * the DB_E* codes. A lost server marks the connection down; the next call
 * reconnects. While the server cannot be reached, calls fail fast with
 * DB_EDOWN, which handlers answer as 503.
 */
#ifndef KC_DB_H
#define KC_DB_H

#include <stddef.h>
#include <string.h>

struct arena;
struct db;

enum db_err {
	DB_EFAIL = -1,		/* a bug or a constraint: logged, 500 */
	DB_EDUP = -2,		/* unique key violated: usually 409 */
	DB_EDOWN = -3,		/* server unreachable: 503 */
	DB_EBUSY = -4,		/* lock wait timeout, deadlock or failed
				   certification: the request is retried
				   (app.c), then 503 */
};

enum db_ptype { DB_T_NULL, DB_T_INT, DB_T_STR };

struct db_param {
	enum db_ptype	 type;
	long long	 i;
	const char	*s;
	size_t		 len;
};

#define DB_NULL		((struct db_param){ DB_T_NULL, 0, NULL, 0 })
#define DB_INT(v)	((struct db_param){ DB_T_INT, (long long)(v), NULL, 0 })
#define DB_STRN(v, n)	((struct db_param){ DB_T_STR, 0, (v), (n) })
#define DB_STR(v)	((v) == NULL ? DB_NULL : DB_STRN((v), strlen(v)))
/* Parameter list: DB_ARGS(DB_INT(1), DB_STR(s)) expands to array, count. */
#define DB_ARGS(...)	(const struct db_param[]){ __VA_ARGS__ }, \
	(sizeof((const struct db_param[]){ __VA_ARGS__ }) / sizeof(struct db_param))
#define DB_NOARGS	NULL, 0

/* A number that may be SQL NULL (set 0): db_nint(), rows.h's J_NINT. */
struct db_nint {
	long long	 v;
	int		 set;
};

struct db_res {
	size_t		  rows;
	size_t		  cols;
	char		***cell;	/* cell[row][col], NULL for SQL NULL */
	size_t		 **len;		/* len[row][col] */
	size_t		  cur;		/* next row for db_next() */
};

/*
 * A module's statements: sql[0..n-1], indexed by the module's enum. slot
 * is db's own (which of a connection's statement tables is this set's),
 * given on the set's first use in the process: declare sets static and
 * not const, with DB_SET.
 */
struct db_set {
	const char		 *name;		/* for the log: "auth" */
	const char *const	 *sql;
	size_t			  n;
	int			  slot;
};
#define DB_SET(name, sqls) \
	{ (name), (sqls), sizeof(sqls) / sizeof((sqls)[0]), -1 }
#define DB_SETS_MAX	48	/* sets one process may use */

struct db	*db_new(const char *default_user, const char *const *sqls,
		    size_t nsqls);
void		 db_free(struct db *);
struct db	*db_builder(struct db *);
void		 db_request_begin(struct db *);
int		 db_retryable(const struct db *);
int		 db_connect(struct db *);
int		 db_probe(struct db *);
int		 db_exec(struct db *, int stmt, const struct db_param *, size_t);
long long	 db_insert_id(struct db *);
struct db_res	*db_query(struct db *, struct arena *, int stmt,
		    const struct db_param *, size_t);
struct db_res	*db_squery(struct db *, struct arena *, struct db_set *,
		    int stmt, const struct db_param *, size_t);
int		 db_sexec(struct db *, struct db_set *, int stmt,
		    const struct db_param *, size_t);
int		 db_seach(struct db *, struct db_set *, int stmt,
		    const struct db_param *, size_t,
		    int (*fn)(void *, struct db_res *), void *);
int		 db_teach(struct db *, const char *sql,
		    int (*fn)(void *, struct db_res *), void *);
int		 db_last_error(const struct db *);
int		 db_begin(struct db *);
int		 db_commit(struct db *);
void		 db_rollback(struct db *);
int		 db_raw(struct db *, const char *sql);
void		 db_allow_load(struct db *);
long long	 db_load(struct db *, const char *sql, const char *,
		    size_t);

/* Row access on a result: db_next() moves to the next row (1) or ends (0). */
int		 db_next(struct db_res *);
const char	*db_str(const struct db_res *, size_t col);
long long	 db_int(const struct db_res *, size_t col);
int		 db_isnull(const struct db_res *, size_t col);
struct db_nint	 db_nint(const struct db_res *, size_t col);
long long	 db_nneg(const struct db_res *, size_t col);	/* NULL: -1 */

/*
 * db_sexec() of statement i with id bound to its one parameter, or with
 * none if the statement takes none (a step of a fixed sequence, some of
 * whose statements name the row and some do not).
 */
static inline int
db_sexec_id(struct db *db, struct db_set *set, int i, long long id)
{
	if (strchr(set->sql[i], '?') == NULL)
		return db_sexec(db, set, i, DB_NOARGS);
	return db_sexec(db, set, i, DB_ARGS(DB_INT(id)));
}

#endif
