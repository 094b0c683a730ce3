/*
 * db: see db.h. One MYSQL connection per worker plus a lazily opened
 * probe connection with short timeouts for /api/health.
 */
#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "dbnodes.h"
#include "log.h"

/* After this many idle seconds, ping before trusting the connection. */
#define DB_IDLE_PING	30
struct db {
	MYSQL			 *my;
	MYSQL			 *probe;
	struct db_set		 *dflt;		/* the program's default set */
	MYSQL_STMT		**stmts[DB_SETS_MAX];	/* by set slot */
	char			  user[80];
	char			  password[256];
	int			  last_error;
	int			  executed;	/* statements run this request */
	int			  committed;	/* commits done this request */
	time_t			  last_used;
	int			  load;		/* LOAD DATA LOCAL from memory */
	struct db_loadsrc	  load_src;	/* db_load()'s bytes */
	struct db_host		  hosts[DB_HOSTS_MAX];	/* KC_DB_HOSTS */
	size_t			  nhosts;
	size_t			  cur;		/* the server to try first */
	unsigned int		  rw_to;	/* 0: KC_DB_READ_TIMEOUT */
	struct db		 *builder;	/* db_builder()'s, or NULL */
};

/* The sets this process has used, by slot (see db_slot()). */
static struct db_set	*db_sets[DB_SETS_MAX];
static int		 db_nsets;

/*
 * The slot of a set: given on its first use in the process. Too many sets
 * is a bug of the program (DB_SETS_MAX), not of a request.
 */
static int
db_slot(struct db_set *set)
{
	if (set->slot >= 0)
		return set->slot;
	if (db_nsets == DB_SETS_MAX)
		abort();
	db_sets[db_nsets] = set;
	return set->slot = db_nsets++;
}

/*
 * A handle whose default set is sqls[0..nsqls-1] (kept by reference: a
 * static array; NULL, 0 for none). default_user is the database account
 * the program uses unless KC_DB_USER says otherwise. Nothing connects yet.
 */
struct db *
db_new(const char *default_user, const char *const *sqls, size_t nsqls)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		abort();
	if ((db->dflt = calloc(1, sizeof(*db->dflt))) == NULL)
		abort();
	db->dflt->name = "program";
	db->dflt->sql = sqls;
	db->dflt->n = nsqls;
	db->dflt->slot = -1;
	snprintf(db->user, sizeof(db->user), "%s",
	    conf_get("KC_DB_USER", default_user));
	db_password_read(db->user, db->password, sizeof(db->password));
	db->nhosts = db_nodes_read(db->hosts, DB_HOSTS_MAX);
	return db;
}

static void
db_disconnect(struct db *db)
{
	size_t	 i;
	int	 k;

	for (k = 0; k < DB_SETS_MAX; k++) {
		if (db->stmts[k] == NULL)
			continue;
		for (i = 0; i < db_sets[k]->n; i++) {
			if (db->stmts[k][i] != NULL)
				mysql_stmt_close(db->stmts[k][i]);
			db->stmts[k][i] = NULL;
		}
	}
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
}

/* Close everything and release the handle. */
void
db_free(struct db *db)
{
	int	 k;

	if (db == NULL)
		return;
	db_disconnect(db);
	db_free(db->builder);
	if (db->probe != NULL)
		mysql_close(db->probe);
	for (k = 0; k < DB_SETS_MAX; k++)
		free(db->stmts[k]);
	free(db->dflt);
	explicit_bzero(db->password, sizeof(db->password));
	free(db);
}

/* A connection to host (NULL: KC_DB_HOST or the socket), or NULL. */
static MYSQL *
db_open_one(struct db *db, const struct db_host *h, unsigned int connect_to,
    unsigned int rw_to)
{
	MYSQL		*my;
	const char	*host, *sock, *name;
	char		 defsock[4096];
	unsigned int	 port;
	my_bool		 no = 0;
	unsigned int	 one = 1;

	if ((my = mysql_init(NULL)) == NULL)
		abort();
	snprintf(defsock, sizeof(defsock), "%s/run/mysqld.sock", conf_var());
	host = h != NULL ? h->name : conf_get("KC_DB_HOST", NULL);
	sock = conf_get("KC_DB_SOCKET", defsock);
	name = conf_get("KC_DB_NAME", "kc");
	port = h != NULL ? h->port :
	    (unsigned int)conf_int("KC_DB_PORT", 3306, 1, 65535);
	mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &connect_to);
	mysql_optionsv(my, MYSQL_OPT_READ_TIMEOUT, &rw_to);
	mysql_optionsv(my, MYSQL_OPT_WRITE_TIMEOUT, &rw_to);
	mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_optionsv(my, MYSQL_OPT_RECONNECT, &no);
	if (db->load)
		mysql_optionsv(my, MYSQL_OPT_LOCAL_INFILE, &one);
	mysql_optionsv(my, MYSQL_INIT_COMMAND,
	    "SET NAMES utf8mb4 COLLATE utf8mb4_uca1400_ai_ci,"
	    " time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,"
	    "NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
	    "NO_ENGINE_SUBSTITUTION'");
	if (mysql_real_connect(my, host, db->user, db->password, name,
	    host != NULL ? port : 0, host != NULL ? NULL : sock,
	    CLIENT_FOUND_ROWS) == NULL) {
		log_err("db: connect as %s%s%s: %s", db->user,
		    h != NULL ? " to " : "", h != NULL ? h->name : "",
		    mysql_error(my));
		mysql_close(my);
		return NULL;
	}
	if (h != NULL && !db_nodes_synced(my)) {
		log_err("db: %s:%u is not a synced cluster node, skipped",
		    h->name, h->port);
		mysql_close(my);
		return NULL;
	}
	if (db->load)
		db_load_handler(my, &db->load_src);
	return my;
}

/*
 * A connection: to the one server configured, or to the first server of
 * KC_DB_HOSTS, from the current one on, that accepts and is synced (the
 * current one becomes that server). NULL when none does.
 */
static MYSQL *
db_open(struct db *db, unsigned int connect_to, unsigned int rw_to)
{
	MYSQL	*my;
	size_t	 k, i;

	if (db->nhosts == 0)
		return db_open_one(db, NULL, connect_to, rw_to);
	for (k = 0; k < db->nhosts; k++) {
		i = (db->cur + k) % db->nhosts;
		if ((my = db_open_one(db, &db->hosts[i], connect_to,
		    rw_to)) != NULL) {
			db->cur = i;
			return my;
		}
	}
	return NULL;
}

/* Mark the start of a request: a lost connection may be retried once. */
void
db_request_begin(struct db *db)
{
	db->executed = 0;
	db->committed = 0;
	db->last_error = 0;
}

/*
 * May the request's work be done again from the start? Its last failure
 * was a deadlock or a lock wait (in a cluster: a transaction that failed
 * certification, at any statement or at COMMIT; it was rolled back) and
 * nothing was committed in this request.
 */
int
db_retryable(const struct db *db)
{
	return db->last_error == DB_EBUSY && db->committed == 0;
}

/*
 * Make sure the worker holds a live connection: 0, or DB_EDOWN.
 * An idle connection is pinged first, so a server restart is noticed
 * before a statement fails on it.
 */
int
db_connect(struct db *db)
{
	time_t	 now = time(NULL);

	if (db->my != NULL && now - db->last_used > DB_IDLE_PING &&
	    mysql_ping(db->my) != 0)
		db_disconnect(db);
	if (db->my == NULL) {
		db->my = db_open(db, 1, db->rw_to > 0 ? db->rw_to :
		    (unsigned int)conf_int("KC_DB_READ_TIMEOUT", 5, 1, 3600));
		if (db->my == NULL)
			return db->last_error = DB_EDOWN;
	}
	db->last_used = now;
	return 0;
}

/*
 * db's companion for builds (a catalogue read whole): the same account,
 * its own connection (Connector/C fixes the read timeout on connecting)
 * whose reads wait KC_CATALOGUE_BUILD_TIMEOUT seconds. Freed with db.
 */
struct db *
db_builder(struct db *db)
{
	if (db->builder == NULL) {
		db->builder = db_new(db->user, NULL, 0);
		db->builder->rw_to = (unsigned int)conf_int(
		    "KC_CATALOGUE_BUILD_TIMEOUT", 120, 1, 3600);
	}
	db_request_begin(db->builder);
	return db->builder;
}

/*
 * Is the database answering? A separate connection with one-second
 * timeouts, so that a frozen server gives an answer within two seconds.
 * 0 when it answers, DB_EDOWN when not.
 */
int
db_probe(struct db *db)
{
	if (db->probe != NULL) {
		if (mysql_ping(db->probe) == 0)
			return 0;
		/* Reconnect on the next probe: one timeout per answer. */
		mysql_close(db->probe);
		db->probe = NULL;
		return DB_EDOWN;
	}
	if ((db->probe = db_open(db, 1, 1)) == NULL)
		return DB_EDOWN;
	return 0;
}

static int
db_classify(struct db *db, unsigned int err, const char *msg,
    const struct db_set *set, int stmt)
{
	const char	*sn = set != NULL ? set->name : "raw";

	switch (err) {
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
		return db->last_error = DB_EDUP;
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_LOCK_DEADLOCK:
		log_err("db: statement %s/%d: %s", sn, stmt, msg);
		return db->last_error = DB_EBUSY;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case 4031:	/* ER_CLIENT_INTERACTION_TIMEOUT */
	/* A cluster node that left the primary component: "WSREP has not
	 * yet prepared node for application use". */
	case ER_UNKNOWN_COM_ERROR:
		log_err("db: connection lost (%u: %s)", err, msg);
		db_disconnect(db);
		/* In a cluster, the next connection tries the next node. */
		if (db->nhosts > 0)
			db->cur = (db->cur + 1) % db->nhosts;
		return db->last_error = DB_EDOWN;
	default:
		log_err("db: statement %s/%d failed (%u): %s", sn, stmt,
		    err, msg);
		return db->last_error = DB_EFAIL;
	}
}

/* Statement i of a set, prepared on this connection if it is not yet. */
static MYSQL_STMT *
db_stmt(struct db *db, struct db_set *set, int i)
{
	MYSQL_STMT	*st, **tab;
	my_bool		 yes = 1;
	int		 k = db_slot(set);

	if (i < 0 || (size_t)i >= set->n)
		abort();
	if (db_connect(db) < 0)
		return NULL;
	if (db->stmts[k] == NULL &&
	    (db->stmts[k] = calloc(set->n ? set->n : 1, sizeof(*tab))) == NULL)
		abort();
	tab = db->stmts[k];
	if (tab[i] != NULL)
		return tab[i];
	if ((st = mysql_stmt_init(db->my)) == NULL)
		abort();
	if (mysql_stmt_prepare(st, set->sql[i], strlen(set->sql[i])) != 0) {
		db_classify(db, mysql_stmt_errno(st), mysql_stmt_error(st),
		    set, i);
		mysql_stmt_close(st);
		return NULL;
	}
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &yes);
	return tab[i] = st;
}

/*
 * Bind and execute statement i. The number of parameters must match the
 * statement's placeholders (a mismatch is a bug: DB_EFAIL, logged).
 */
static int
db_run(struct db *db, struct db_set *set, int i, const struct db_param *p,
    size_t n, MYSQL_STMT **out)
{
	MYSQL_STMT	*st;
	MYSQL_BIND	 bs[64], *b = bs;
	size_t		 k;
	int		 tries, rc;

	/* Multi-row statements (the importer's) bind more than 64. */
	if (n > 64 && (b = calloc(n, sizeof(*b))) == NULL)
		abort();
	for (tries = 0; tries < 2; tries++) {
		if ((st = db_stmt(db, set, i)) == NULL) {
			/* Prepared on a connection found dead: once more. */
			if (db->last_error == DB_EDOWN && db->executed == 0)
				continue;
			goto out;
		}
		if (mysql_stmt_param_count(st) != n) {
			log_err("db: statement %s/%d wants %lu parameters,"
			    " got %lu", set->name, i,
			    mysql_stmt_param_count(st), (unsigned long)n);
			db->last_error = DB_EFAIL;
			goto out;
		}
		memset(b, 0, (n > 64 ? n : 64) * sizeof(*b));
		for (k = 0; k < n; k++) {
			switch (p[k].type) {
			case DB_T_NULL:
				b[k].buffer_type = MYSQL_TYPE_NULL;
				break;
			case DB_T_INT:
				b[k].buffer_type = MYSQL_TYPE_LONGLONG;
				b[k].buffer = (void *)&p[k].i;
				break;
			case DB_T_STR:
				b[k].buffer_type = MYSQL_TYPE_STRING;
				b[k].buffer = (void *)p[k].s;
				b[k].buffer_length = p[k].len;
				b[k].length = (unsigned long *)&b[k].buffer_length;
				break;
			}
		}
		if (n > 0 && mysql_stmt_bind_param(st, b) != 0) {
			db_classify(db, mysql_stmt_errno(st),
			    mysql_stmt_error(st), set, i);
			goto out;
		}
		if (mysql_stmt_execute(st) == 0) {
			db->executed++;
			*out = st;
			if (b != bs)
				free(b);
			return 0;
		}
		rc = db_classify(db, mysql_stmt_errno(st),
		    mysql_stmt_error(st), set, i);
		/* A connection found dead before anything ran: retry once. */
		if (rc != DB_EDOWN || db->executed > 0)
			goto out;
	}
out:
	if (b != bs)
		free(b);
	return db->last_error;
}

/*
 * Execute statement i of a set that returns no rows: affected rows, or
 * DB_E*.
 */
int
db_sexec(struct db *db, struct db_set *set, int i, const struct db_param *p,
    size_t n)
{
	MYSQL_STMT	*st;
	int		 rc;

	if ((rc = db_run(db, set, i, p, n, &st)) < 0)
		return rc;
	return (int)mysql_stmt_affected_rows(st);
}

/* db_sexec() on the program's default set. */
int
db_exec(struct db *db, int i, const struct db_param *p, size_t n)
{
	return db_sexec(db, db->dflt, i, p, n);
}

/* The AUTO_INCREMENT value of the last insert on this connection. */
long long
db_insert_id(struct db *db)
{
	return db->my != NULL ? (long long)mysql_insert_id(db->my) : 0;
}

/* db_squery() on the program's default set. */
struct db_res *
db_query(struct db *db, struct arena *a, int i, const struct db_param *p,
    size_t n)
{
	return db_squery(db, a, db->dflt, i, p, n);
}

/* The result buffers of one statement's columns (see db_fetch). */
struct db_bufs {
	MYSQL_BIND	*b;
	unsigned long	*lens;
	my_bool		*nulls;
	char		**bufs;
	size_t		 ncols;
};

/*
 * Buffers for each column of meta, large enough for its longest value:
 * the longest stored (max_length), or for a result read row by row
 * (stream) the column's declared length, up to DB_STREAM_CELL.
 */
#define DB_STREAM_CELL	(1u << 20)
static void
db_bufs_new(struct db_bufs *bb, MYSQL_RES *meta, int stream)
{
	MYSQL_FIELD	*f = mysql_fetch_fields(meta);
	size_t		 c, sz;
	unsigned long	 max;

	bb->ncols = mysql_num_fields(meta);
	bb->b = calloc(bb->ncols + 1, sizeof(*bb->b));
	bb->lens = calloc(bb->ncols + 1, sizeof(*bb->lens));
	bb->nulls = calloc(bb->ncols + 1, sizeof(*bb->nulls));
	bb->bufs = calloc(bb->ncols + 1, sizeof(*bb->bufs));
	if (bb->b == NULL || bb->lens == NULL || bb->nulls == NULL ||
	    bb->bufs == NULL)
		abort();
	for (c = 0; c < bb->ncols; c++) {
		max = stream ? (f[c].length < DB_STREAM_CELL ? f[c].length :
		    DB_STREAM_CELL) : f[c].max_length;
		sz = (max > 64 ? max : 64) + 1;
		if ((bb->bufs[c] = malloc(sz)) == NULL)
			abort();
		bb->b[c].buffer_type = MYSQL_TYPE_STRING;
		bb->b[c].buffer = bb->bufs[c];
		bb->b[c].buffer_length = sz;
		bb->b[c].length = &bb->lens[c];
		bb->b[c].is_null = &bb->nulls[c];
	}
}

static void
db_bufs_free(struct db_bufs *bb)
{
	size_t	 c;

	for (c = 0; c < bb->ncols; c++)
		free(bb->bufs[c]);
	free(bb->bufs);
	free(bb->b);
	free(bb->lens);
	free(bb->nulls);
}

/*
 * Copy every row of an executed, stored statement into r (its rows and
 * cols set) in the arena: 0, or a DB_E* code.
 */
static int
db_fetch(struct db *db, struct arena *a, struct db_set *set, int i,
    MYSQL_STMT *st, struct db_bufs *bb, struct db_res *r)
{
	size_t	 c, row;
	int	 rc;

	if (r->cols > 0 && mysql_stmt_bind_result(st, bb->b) != 0)
		return db_classify(db, mysql_stmt_errno(st),
		    mysql_stmt_error(st), set, i);
	for (row = 0; row < r->rows; row++) {
		rc = mysql_stmt_fetch(st);
		if (rc == MYSQL_NO_DATA)
			break;
		if (rc != 0 && rc != MYSQL_DATA_TRUNCATED)
			return db_classify(db, mysql_stmt_errno(st),
			    mysql_stmt_error(st), set, i);
		r->cell[row] = arena_alloc(a, (r->cols + 1) * sizeof(char *));
		r->len[row] = arena_alloc(a, (r->cols + 1) * sizeof(size_t));
		for (c = 0; c < r->cols; c++) {
			if (bb->nulls[c])
				continue;
			if (bb->lens[c] >= bb->b[c].buffer_length) {
				log_err("db: statement %s/%d column %lu"
				    " truncated", set->name, i,
				    (unsigned long)c);
				bb->lens[c] = bb->b[c].buffer_length - 1;
			}
			r->cell[row][c] = arena_strndup(a, bb->bufs[c],
			    bb->lens[c]);
			r->len[row][c] = bb->lens[c];
		}
	}
	r->rows = row;
	r->cur = 0;
	return 0;
}

/*
 * Execute statement i of a set, which returns rows; all rows are copied
 * into the arena. NULL on error (db_last_error() tells which).
 */
struct db_res *
db_squery(struct db *db, struct arena *a, struct db_set *set, int i,
    const struct db_param *p, size_t n)
{
	MYSQL_STMT	*st;
	MYSQL_RES	*meta;
	struct db_bufs	 bb;
	struct db_res	*r;

	if (db_run(db, set, i, p, n, &st) < 0)
		return NULL;
	if ((meta = mysql_stmt_result_metadata(st)) == NULL) {
		log_err("db: statement %s/%d returns no rows", set->name, i);
		db->last_error = DB_EFAIL;
		return NULL;
	}
	if (mysql_stmt_store_result(st) != 0) {
		db_classify(db, mysql_stmt_errno(st), mysql_stmt_error(st),
		    set, i);
		mysql_free_result(meta);
		return NULL;
	}
	r = arena_alloc(a, sizeof(*r));
	r->cols = mysql_num_fields(meta);
	r->rows = (size_t)mysql_stmt_num_rows(st);
	r->cell = arena_alloc(a, (r->rows + 1) * sizeof(*r->cell));
	r->len = arena_alloc(a, (r->rows + 1) * sizeof(*r->len));
	db_bufs_new(&bb, meta, 0);
	if (db_fetch(db, a, set, i, st, &bb, r) < 0)
		r = NULL;
	mysql_stmt_free_result(st);
	mysql_free_result(meta);
	db_bufs_free(&bb);
	return r;
}

/*
 * Execute statement i of a set and hand its rows to fn one at a time, as
 * they come from the server (not stored: a whole table may be read in
 * little memory). fn sees a result of that one row (db_str, db_int; the
 * strings live until it returns) and returns 0 to go on, anything else
 * to stop. 0, fn's value, or a DB_E* code. Nothing else may run on the
 * connection meanwhile.
 */
int
db_seach(struct db *db, struct db_set *set, int i, const struct db_param *p,
    size_t n, int (*fn)(void *, struct db_res *), void *arg)
{
	MYSQL_STMT	*st;
	MYSQL_RES	*meta;
	struct db_bufs	 bb;
	struct db_res	 r;
	char		**cell;
	size_t		 c, *len;
	int		 rc = 0, f;

	if (db_run(db, set, i, p, n, &st) < 0)
		return db->last_error;
	if ((meta = mysql_stmt_result_metadata(st)) == NULL) {
		log_err("db: statement %s/%d returns no rows", set->name, i);
		return db->last_error = DB_EFAIL;
	}
	db_bufs_new(&bb, meta, 1);
	if ((cell = calloc(bb.ncols + 1, sizeof(*cell))) == NULL ||
	    (len = calloc(bb.ncols + 1, sizeof(*len))) == NULL)
		abort();
	r = (struct db_res){ 1, bb.ncols, &cell, &len, 1 };
	if (bb.ncols > 0 && mysql_stmt_bind_result(st, bb.b) != 0)
		rc = db_classify(db, mysql_stmt_errno(st),
		    mysql_stmt_error(st), set, i);
	while (rc == 0 && (f = mysql_stmt_fetch(st)) != MYSQL_NO_DATA) {
		if (f != 0 && f != MYSQL_DATA_TRUNCATED) {
			rc = db_classify(db, mysql_stmt_errno(st),
			    mysql_stmt_error(st), set, i);
			break;
		}
		for (c = 0; c < bb.ncols; c++) {
			if (bb.lens[c] >= bb.b[c].buffer_length) {
				log_err("db: statement %s/%d column %lu"
				    " truncated", set->name, i,
				    (unsigned long)c);
				bb.lens[c] = bb.b[c].buffer_length - 1;
			}
			bb.bufs[c][bb.lens[c]] = '\0';
			cell[c] = bb.nulls[c] ? NULL : bb.bufs[c];
			len[c] = bb.lens[c];
		}
		r.cur = 1;
		rc = fn(arg, &r);
	}
	mysql_stmt_free_result(st);
	mysql_stmt_reset(st);
	mysql_free_result(meta);
	db_bufs_free(&bb);
	free(cell);
	free(len);
	return rc;
}

/*
 * Each row of a fixed SQL text with no parameters (a whole table's read:
 * kc-products' builds), streamed in the text protocol: the cells point
 * into the packet, nothing converted per column. As db_seach otherwise.
 */
int
db_teach(struct db *db, const char *sql, int (*fn)(void *, struct db_res *),
    void *arg)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	unsigned long	*lens;
	struct db_res	 r;
	size_t		*len, c;
	int		 rc;

	if ((rc = db_raw(db, sql)) != 0)
		return rc;
	if ((res = mysql_use_result(db->my)) == NULL)
		return db_classify(db, mysql_errno(db->my),
		    mysql_error(db->my), NULL, -1);
	r = (struct db_res){ 1, mysql_num_fields(res), NULL, &len, 1 };
	if ((len = calloc(r.cols + 1, sizeof(*len))) == NULL)
		abort();
	while (rc == 0 && (row = mysql_fetch_row(res)) != NULL) {
		lens = mysql_fetch_lengths(res);
		for (c = 0; c < r.cols; c++)
			len[c] = lens[c];
		r.cell = &row;
		r.cur = 1;
		rc = fn(arg, &r);
	}
	if (rc == 0 && mysql_errno(db->my) != 0)
		rc = db_classify(db, mysql_errno(db->my), mysql_error(db->my),
		    NULL, -1);
	mysql_free_result(res);
	free(len);
	return rc;
}

/* The DB_E* code of the last failure in this request (0 if none). */
int
db_last_error(const struct db *db)
{
	return db->last_error;
}

/*
 * Run a fixed SQL text with no parameters (transactions, SET ...). Like a
 * statement, a connection found dead before anything ran in this request
 * (the server restarted since) is opened again and the text run once more.
 */
int
db_raw(struct db *db, const char *sql)
{
	int	 tries, rc = 0;

	for (tries = 0; tries < 2; tries++) {
		if (db_connect(db) < 0)
			return db->last_error;
		if (mysql_real_query(db->my, sql, strlen(sql)) == 0) {
			db->executed++;
			return 0;
		}
		rc = db_classify(db, mysql_errno(db->my), mysql_error(db->my),
		    NULL, -1);
		if (rc != DB_EDOWN || db->executed > 0)
			break;
	}
	return rc;
}

/*
 * Let the connection run LOAD DATA LOCAL INFILE from memory (db_load()):
 * a client capability of the handshake, so a live connection is closed
 * and the next statement connects again with it. Call between requests.
 */
void
db_allow_load(struct db *db)
{
	if (db->load)
		return;
	db->load = 1;
	if (db->my != NULL)
		db_disconnect(db);
}

/*
 * Run sql, a LOAD DATA LOCAL INFILE statement (fixed text: it cannot be
 * prepared), with the len bytes at p as the file's content, on a
 * connection db_allow_load() readied. Rows loaded, or DB_E*.
 */
long long
db_load(struct db *db, const char *sql, const char *p, size_t len)
{
	int	 rc;

	if (!db->load)
		return DB_EFAIL;
	db->load_src.p = p;
	db->load_src.len = len;
	rc = db_raw(db, sql);
	db->load_src.p = NULL;
	if (rc < 0)
		return rc;
	return (long long)mysql_affected_rows(db->my);
}

int
db_begin(struct db *db)
{
	return db_raw(db, "START TRANSACTION");
}

int
db_commit(struct db *db)
{
	int	 rc;

	if ((rc = db_raw(db, "COMMIT")) == 0)
		db->committed++;
	return rc;
}

/* Roll back; a failure here only matters if the connection is gone. */
void
db_rollback(struct db *db)
{
	if (db->my != NULL && mysql_rollback(db->my) != 0)
		db_classify(db, mysql_errno(db->my), mysql_error(db->my),
		    NULL, -1);
}
