/*
 * dbnodes: where db.c connects and as whom: the account's password file,
 * the database servers of a cluster (KC_DB_HOSTS) and whether one is a
 * synced Galera node; and what LOAD DATA LOCAL reads on a connection.
 * See dbnodes.h.
 */
#include <errmsg.h>
#include <errno.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dbnodes.h"
#include "log.h"

/*
 * The password of database account user into out (size bytes), from
 * KC_DB_PASSWORD_FILE or $KC_VAR/secrets/<user>.pw, its line end cut;
 * empty when there is no such file (logged).
 */
void
db_password_read(const char *user, char *out, size_t size)
{
	char		 path[4096];
	const char	*file;
	FILE		*f;
	size_t		 n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/secrets/%s.pw", conf_var(), user);
	file = conf_get("KC_DB_PASSWORD_FILE", path);
	if ((f = fopen(file, "r")) == NULL) {
		log_info("db: no password file %s (%s)", file, strerror(errno));
		return;
	}
	n = fread(out, 1, size - 1, f);
	fclose(f);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	out[n] = '\0';
}

/*
 * KC_DB_HOSTS: "host:port,host:port,..." (a cluster's nodes, tried in
 * this order). Unset: KC_DB_HOST/KC_DB_PORT or the socket, as before.
 */
size_t
db_nodes_read(struct db_host *hosts, size_t max)
{
	const char	*s = conf_get("KC_DB_HOSTS", NULL), *c;
	size_t		 n, nh = 0;
	long		 port;

	while (s != NULL && *s != '\0' && nh < max) {
		n = strcspn(s, ",");
		c = memchr(s, ':', n);
		port = c != NULL ? strtol(c + 1, NULL, 10) : 3306;
		if (c == NULL)
			c = s + n;
		if (c > s && (size_t)(c - s) < sizeof(hosts[0].name) &&
		    port > 0 && port < 65536) {
			memcpy(hosts[nh].name, s, (size_t)(c - s));
			hosts[nh].name[c - s] = '\0';
			hosts[nh++].port = (unsigned int)port;
		} else
			log_err("db: KC_DB_HOSTS: bad entry %.*s", (int)n, s);
		s += n;
		if (*s == ',')
			s++;
	}
	return nh;
}

/* Causal reads asked for (db_nodes_causal): one program per process. */
static int	 nodes_causal;

/*
 * A program whose users read what they have just written (kc-register,
 * kc-staff, kc-imports: app.causal) asks for causal reads in a cluster:
 * each SELECT on a node waits until the node has applied every
 * transaction committed anywhere before it began (wsrep_sync_wait = 1),
 * so that a request balanced onto another node than the write's sees it
 * (a session just opened, an application just sent, a review just saved).
 * The public read programs do without: their answers are micro-cached
 * for seconds anyway, and the wait would cost them under write load.
 */
void
db_nodes_causal(int on)
{
	nodes_causal = on;
}

/*
 * Is the server behind my a cluster node that is synced (wsrep_ready ON,
 * wsrep_local_state 4)? A node that is joining, donating or cut off from
 * the primary component is not used. For a program that asked for causal
 * reads, the session is made so (a node that refuses is not used either).
 * 1 yes, 0 no.
 */
int
db_nodes_synced(MYSQL *my)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	int		 ready = 0, synced = 0;

	if (mysql_query(my, "SHOW GLOBAL STATUS WHERE Variable_name IN"
	    " ('wsrep_ready', 'wsrep_local_state')") != 0 ||
	    (res = mysql_store_result(my)) == NULL)
		return 0;
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL)
			continue;
		if (strcmp(row[0], "wsrep_ready") == 0)
			ready = strcmp(row[1], "ON") == 0;
		else if (strcmp(row[0], "wsrep_local_state") == 0)
			synced = strcmp(row[1], "4") == 0;
	}
	mysql_free_result(res);
	if (!ready || !synced)
		return 0;
	if (nodes_causal &&
	    mysql_query(my, "SET SESSION wsrep_sync_wait = 1") != 0) {
		log_err("db: wsrep_sync_wait: %s", mysql_error(my));
		return 0;
	}
	return 1;
}

/*
 * LOAD DATA LOCAL INFILE from memory (db_load()): whatever file name the
 * server asks for, the handler gives db_load()'s bytes and never opens a
 * file, so a connection that allows LOCAL reads nothing from the disk.
 */
struct db_loading {
	const char	*p;
	size_t		 left;
};

static int
db_load_init(void **h, const char *name, void *arg)
{
	struct db_loadsrc	*src = arg;
	struct db_loading	*l;

	(void)name;
	if ((l = malloc(sizeof(*l))) == NULL)
		abort();
	l->p = src->p;
	l->left = src->p != NULL ? src->len : 0;
	*h = l;
	return src->p == NULL;
}

static int
db_load_read(void *h, char *buf, unsigned int len)
{
	struct db_loading	*l = h;
	size_t			 n = l->left < len ? l->left : len;

	memcpy(buf, l->p, n);
	l->p += n;
	l->left -= n;
	return (int)n;
}

static void
db_load_end(void *h)
{
	free(h);
}

static int
db_load_error(void *h, char *buf, unsigned int len)
{
	(void)h;
	snprintf(buf, len, "no data: LOAD DATA LOCAL outside db_load()");
	return CR_UNKNOWN_ERROR;
}

/* LOAD DATA LOCAL on my reads src's bytes (db_load()), never a file. */
void
db_load_handler(MYSQL *my, struct db_loadsrc *src)
{
	mysql_set_local_infile_handler(my, db_load_init, db_load_read,
	    db_load_end, db_load_error, src);
}
