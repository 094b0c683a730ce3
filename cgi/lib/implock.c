/*
 * implock: one import at a time across the cluster; see implock.h and
 * migration 070.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "db.h"
#include "implock.h"

/* Which server and account a connection is on (the cluster's servers
 * differ by host or port). */
#define NODE	"CONCAT(@@hostname, ':', @@port, ' ', CURRENT_USER())"

enum implock_stmt { S_TAKE, S_RENEW, S_GIVE, S_IMPLOCK__MAX };
static const char *const implock_sql[] = {
	[S_TAKE] =
	    "UPDATE import_lock SET token = ?, lapses_at = NOW(3) + INTERVAL"
	    " ? SECOND, conn_id = CONNECTION_ID(), node = " NODE
	    " WHERE id = 1 AND (token IS NULL OR lapses_at < NOW(3)"
	    " OR (node = " NODE " AND conn_id NOT IN"
	    " (SELECT ID FROM information_schema.PROCESSLIST)))",
	[S_RENEW] =
	    "UPDATE import_lock SET lapses_at = NOW(3) + INTERVAL ? SECOND,"
	    " conn_id = CONNECTION_ID(), node = " NODE
	    " WHERE id = 1 AND token = ?",
	[S_GIVE] =
	    ("UPDATE import_lock SET token = NULL, lapses_at = NULL,"
	    " conn_id = NULL, node = NULL WHERE id = 1 AND token = ?"),
};
static struct db_set implock_set = DB_SET("implock", implock_sql);

static time_t
mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int
implock_take(struct db *db, struct implock *l, int wait)
{
	unsigned char	 r[16];
	time_t		 end = mono() + (wait > 0 ? wait : 0);
	int		 rc;

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(l->token, sizeof(l->token), r, sizeof(r));
	for (;;) {
		rc = db_sexec(db, &implock_set, S_TAKE, DB_ARGS(
		    DB_STR(l->token), DB_INT(IMPLOCK_LEASE)));
		if (rc == 1) {
			l->renewed = mono();
			return 1;
		}
		/* A claim on another node at the same moment: certification
		 * let that one through. */
		if (rc < 0 && rc != DB_EBUSY) {
			l->token[0] = '\0';
			return rc;
		}
		if (mono() >= end)
			break;
		usleep(250000);
	}
	l->token[0] = '\0';
	return 0;
}

int
implock_renew(struct db *db, struct implock *l)
{
	time_t	 now = mono();
	int	 rc;

	if (l->token[0] == '\0' || now - l->renewed < IMPLOCK_RENEW)
		return 0;
	rc = db_sexec(db, &implock_set, S_RENEW, DB_ARGS(
	    DB_INT(IMPLOCK_LEASE), DB_STR(l->token)));
	if (rc < 0)
		return rc;
	if (rc == 0) {
		l->token[0] = '\0';
		return DB_EFAIL;	/* lapsed and taken by another */
	}
	l->renewed = now;
	return 0;
}

void
implock_give(struct db *db, struct implock *l)
{
	if (l->token[0] == '\0')
		return;
	db_sexec(db, &implock_set, S_GIVE, DB_ARGS(DB_STR(l->token)));
	l->token[0] = '\0';
}
