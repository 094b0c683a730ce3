/*
 * appfile: an application's attachments (the files of the applicant's
 * answers), read one way by kc-register (the status, the download with
 * the status token) and kc-staff (the application's detail, the download).
 * The files themselves are in the store (files.h) by their SHA-256.
 */
#ifndef KC_APPFILE_H
#define KC_APPFILE_H

#include <stddef.h>

#include "rows.h"

struct arena;
struct db;

/* An attachment, as appfile_list() reads it (created_at: ISO 8601 UTC). */
struct app_file {
	long long	 id, event_id;
	const char	*name, *ctype;
	long long	 size;
	const char	*created_at;
};

/* An attachment to serve (appfile_get): its store name, type, name. */
struct app_blob {
	const char	*hash, *ctype, *name;
};

/* Its columns, in the statement's order; ctype shows as "content_type". */
extern const struct jcol	appfile_cols[];
extern const size_t		appfile_ncols;

int	appfile_list(struct db *, struct arena *, long long app_id,
	    struct app_file **);
int	appfile_get(struct db *, struct arena *, long long app_id,
	    long long id, struct app_blob *);

#endif
