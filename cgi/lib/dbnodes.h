/*
 * dbnodes: where db.c connects and as whom (db_password_read: the
 * account's password file), and a cluster's database servers. KC_DB_HOSTS lists
 * them ("host:port,host:port", tried in this order); db_nodes_synced()
 * tells a Galera node that may serve (wsrep_ready ON, Synced) and, in a
 * program that asked for it with db_nodes_causal(1), makes the session's
 * reads causal (wsrep_sync_wait = 1). db_load_handler(): LOAD DATA LOCAL
 * from memory, never from a file.
 */
#ifndef KC_DBNODES_H
#define KC_DBNODES_H

#include <stddef.h>
#include <mysql.h>

/* Database servers a list (KC_DB_HOSTS) may name. */
#define DB_HOSTS_MAX	8

/* One server of KC_DB_HOSTS. */
struct db_host {
	char		 name[256];
	unsigned int	 port;
};

/* The bytes LOAD DATA LOCAL reads (db_load()); p NULL outside it. */
struct db_loadsrc {
	const char	*p;
	size_t		 len;
};

void	db_load_handler(MYSQL *, struct db_loadsrc *);
void	db_password_read(const char *user, char *out, size_t size);
size_t	db_nodes_read(struct db_host *, size_t max);
int	db_nodes_synced(MYSQL *);
void	db_nodes_causal(int);

#endif
