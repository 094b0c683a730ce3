/*
 * implock: one import (or undo of one) at a time, across the servers of a
 * Galera cluster (migration 070). GET_LOCK is one server's and Galera
 * does not replicate it; this is a claim on the one row of import_lock,
 * written in a statement of its own (autocommit: call it outside any
 * transaction), so that certification settles two claims on two nodes.
 *
 * A claim lapses IMPLOCK_LEASE seconds after it was taken or last
 * renewed (implock_renew, at most every IMPLOCK_RENEW seconds): a killed
 * import's claim lapses. On the server and account of the claim's
 * connection, a claim whose connection is gone is taken over at once,
 * as GET_LOCK's was on one server.
 */
#ifndef KC_IMPLOCK_H
#define KC_IMPLOCK_H

#include <time.h>

struct db;

#define IMPLOCK_LEASE	120	/* seconds */
#define IMPLOCK_RENEW	10

struct implock {
	char	 token[33];	/* "" when not held */
	time_t	 renewed;	/* monotonic seconds */
};

/* Claim, waiting up to wait seconds: 1 claimed, 0 held by another,
 * DB_E*. */
int	implock_take(struct db *, struct implock *, int wait);
/* Renew a held claim if due: 0, DB_EFAIL when it was lost, DB_E*. */
int	implock_renew(struct db *, struct implock *);
/* Give a held claim up (nothing when not held). */
void	implock_give(struct db *, struct implock *);

#endif
