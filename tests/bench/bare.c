/*
 * The issues' yardstick, built only for `make bench`: a bare libfcgi +
 * Connector/C + json-c program answering one indexed query with JSON:
 * ?year=Y the plan of a year (a primary-key lookup, issue 6), ?rows=N the
 * first N products (a 50-row query, issue 3: id and name of each, one
 * primary-key range). None of the project's library: no routing, limits,
 * arena or logging. Served on
 * /_bench/bare by the private stack only, so that the bench can show what
 * the machine allows (requests/s and p99 at 32 connections) beside what the
 * programs do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <json-c/json.h>
#include <mysql.h>

static const char SQL[] =
    "SELECT year, title, total_vnd FROM plan WHERE year = ?";
static const char SQL_ROWS[] =
    "SELECT id, name FROM product ORDER BY id LIMIT ?";
static void
connect_db(MYSQL *my)
{
	const char	*var = getenv("KC_VAR");
	char		 sock[512], pwfile[512], pw[256] = "";
	FILE		*f;

	snprintf(sock, sizeof(sock), "%s/run/mysqld.sock", var ? var : "var");
	snprintf(pwfile, sizeof(pwfile), "%s/secrets/kc_public.pw",
	    var ? var : "var");
	if ((f = fopen(pwfile, "r")) != NULL) {
		if (fgets(pw, sizeof(pw), f) != NULL)
			pw[strcspn(pw, "\r\n")] = '\0';
		fclose(f);
	}
	if (mysql_real_connect(my, NULL, "kc_public", pw, "kc", 0, sock, 0) ==
	    NULL) {
		fprintf(stderr, "bench-bare: %s\n", mysql_error(my));
		exit(1);
	}
}

static MYSQL_STMT *
prepare(MYSQL *my, const char *sql, size_t len)
{
	MYSQL_STMT	*st;

	if ((st = mysql_stmt_init(my)) == NULL ||
	    mysql_stmt_prepare(st, sql, len) != 0) {
		fprintf(stderr, "bench-bare: %s\n", mysql_error(my));
		exit(1);
	}
	return st;
}

/* One integer column or parameter. */
static void
bind_int(MYSQL_BIND *b, long long *v)
{
	memset(b, 0, sizeof(*b));
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = v;
}

/* One text column (len receives its length) or parameter (len NULL: size). */
static void
bind_text(MYSQL_BIND *b, char *buf, unsigned long size, unsigned long *len)
{
	memset(b, 0, sizeof(*b));
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = buf;
	b->buffer_length = size;
	b->length = len;
}

/*
 * {"items":[{"id":…,"name":…}…]} from an (id, name) statement run with
 * the parameters in; -1 if it failed.
 */
static int
items(MYSQL_STMT *st, MYSQL_BIND *in, json_object *o)
{
	MYSQL_BIND	 out[2];
	long long	 id;
	char		 name[1024];
	unsigned long	 nlen;
	json_object	*items, *it;
	int		 rc;

	bind_int(&out[0], &id);
	bind_text(&out[1], name, sizeof(name) - 1, &nlen);
	if (mysql_stmt_bind_param(st, in) != 0 ||
	    mysql_stmt_execute(st) != 0 ||
	    mysql_stmt_bind_result(st, out) != 0)
		return -1;
	items = json_object_new_array();
	while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		name[nlen < sizeof(name) ? nlen : sizeof(name) - 1] = 0;
		it = json_object_new_object();
		json_object_object_add(it, "id", json_object_new_int64(id));
		json_object_object_add(it, "name",
		    json_object_new_string(name));
		json_object_array_add(items, it);
	}
	mysql_stmt_free_result(st);
	json_object_object_add(o, "items", items);
	return rc == MYSQL_NO_DATA ? 0 : -1;
}

/* ?rows=N: the first N products. */
static int
rows(MYSQL_STMT *st, long long n, json_object *o)
{
	MYSQL_BIND	 in;

	bind_int(&in, &n);
	return items(st, &in, o);
}

/* ?year=Y: {"year":…,"title":…,"total_vnd":…}, the plan of a year. */
static int
plan(MYSQL_STMT *st, long long year, json_object *o)
{
	MYSQL_BIND	 in, out[3];
	long long	 y, total;
	char		 title[512];
	unsigned long	 tlen;
	int		 rc;

	bind_int(&in, &year);
	bind_int(&out[0], &y);
	bind_text(&out[1], title, sizeof(title) - 1, &tlen);
	bind_int(&out[2], &total);
	if (mysql_stmt_bind_param(st, &in) != 0 ||
	    mysql_stmt_execute(st) != 0 ||
	    mysql_stmt_bind_result(st, out) != 0)
		return -1;
	rc = mysql_stmt_fetch(st);
	if (rc == 0 || rc == MYSQL_DATA_TRUNCATED) {
		title[tlen < sizeof(title) ? tlen : sizeof(title) - 1] = 0;
		json_object_object_add(o, "year", json_object_new_int64(y));
		json_object_object_add(o, "title",
		    json_object_new_string(title));
		json_object_object_add(o, "total_vnd",
		    json_object_new_int64(total));
	}
	mysql_stmt_free_result(st);
	return rc == 1 ? -1 : 0;
}

/*
 * A failed statement (the server gone, say) is answered 503 and ends the
 * process, so that multiwatch starts it again with a new connection and
 * the bench never measures answers made without the query.
 */
int
main(void)
{
	FCGX_Request	 fx;
	MYSQL		*my = mysql_init(NULL);
	MYSQL_STMT	*st, *sr;
	int		 rc = 0;

	connect_db(my);
	st = prepare(my, SQL, sizeof(SQL) - 1);
	sr = prepare(my, SQL_ROWS, sizeof(SQL_ROWS) - 1);
	FCGX_Init();
	FCGX_InitRequest(&fx, 0, 0);
	while (FCGX_Accept_r(&fx) >= 0) {
		const char	*qs = FCGX_GetParam("QUERY_STRING", fx.envp);
		json_object	*o = json_object_new_object();

		if (qs != NULL && strncmp(qs, "rows=", 5) == 0)
			rc = rows(sr, atoll(qs + 5), o);
		else
			rc = plan(st, qs && strncmp(qs, "year=", 5) == 0 ?
			    atoll(qs + 5) : 0, o);
		if (rc == 0)
			FCGX_FPrintF(fx.out, "Content-Type: application/json"
			    "\r\n\r\n%s", json_object_to_json_string_ext(o,
			    JSON_C_TO_STRING_PLAIN));
		else
			FCGX_FPrintF(fx.out, "Status: 503 Service Unavailable"
			    "\r\nContent-Type: text/plain\r\n\r\n%s\n",
			    mysql_error(my));
		json_object_put(o);
		FCGX_Finish_r(&fx);
		if (rc != 0) {
			fprintf(stderr, "bench-bare: %s\n", mysql_error(my));
			break;
		}
	}
	mysql_stmt_close(st);
	mysql_stmt_close(sr);
	mysql_close(my);
	return rc != 0;
}
