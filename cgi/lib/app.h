/*
 * app: the life of a FastCGI worker. app_main() accepts requests on the
 * socket it inherited (fd 0, from spawn-fcgi or systemd), matches the
 * route table, answers 404/405/413/415/400 itself, reads and parses the
 * body, and calls the handler, which returns the HTTP status it wrote.
 * The request arena is reset and the JSON body released after each
 * request, so the loop does not grow.
 */
#ifndef KC_APP_H
#define KC_APP_H

#include <stddef.h>

struct req;

#define R_CSV		0x1	/* also answers at PATH.csv */
#define R_RAW		0x2	/* body is taken as is (file upload) */
#define R_MULTIPART	0x8	/* also takes multipart/form-data: its
				   files in r->files (req_parse_multipart) */
#define R_ENROL		0x4	/* open to a session that may only enrol a
				   second factor (auth_guard) */

struct route {
	unsigned int	 methods;	/* M_GET | M_POST ... */
	const char	*pattern;	/* "/api/products/{}" */
	int		(*fn)(struct req *);
	unsigned int	 flags;
	size_t		 max_body;	/* 0: the default, 64 KiB */
	unsigned int	 roles;		/* for the program's guard; 0: public */
};

/* The end of a resource's route table (see struct app's tables). */
#define ROUTES_END	{ 0, NULL, NULL, 0, 0, 0 }

/*
 * A program. Its routes are routes[0..nroutes-1] and then, in order, the
 * tables of tables[] (NULL-terminated), each a resource's own table ended
 * by ROUTES_END: a program made of one file per resource lists their
 * tables here. sqls is the program's default statement set (db.h), for a
 * program whose statements are not yet in sets of their own.
 */
struct app {
	const char		 *name;		/* program name, for logs */
	const char		 *db_user;	/* default database account */
	const char *const	 *sqls;
	size_t			  nsqls;
	const struct route	 *routes;
	size_t			  nroutes;
	const struct route *const *tables;
	/* In a cluster, reads see every earlier commit (dbnodes.c). */
	int			  causal;
	/* Optional: runs before a handler with roles; returns 0 or a status. */
	int			(*guard)(struct req *, const struct route *);
};

int	app_main(const struct app *);

#endif
