/*
 * multipart: a multipart/form-data body (RFC 7578) split into its parts.
 * The parts point into the body (no copy); names are copied into the
 * arena. Fuzz-minded limits: the boundary is 1..70 characters, a part's
 * headers at most MP_HEAD_MAX bytes, at most max parts; anything else is
 * refused whole (MP_EBAD) rather than half read.
 */
#ifndef KC_MULTIPART_H
#define KC_MULTIPART_H

#include <stddef.h>

struct arena;

#define MP_HEAD_MAX	2048	/* bytes of one part's header block */
#define MP_NAME_MAX	255	/* bytes of a field or file name */

struct mp_part {
	const char	*name;		/* the form field's name */
	const char	*filename;	/* NULL: a text field, not a file */
	const char	*ctype;		/* the part's Content-Type, or NULL */
	const char	*data;		/* into the body, len bytes */
	size_t		 len;
};

enum { MP_OK = 0, MP_EBAD = -1, MP_EMANY = -2 };

const char	*mp_boundary(struct arena *, const char *content_type);
int		 mp_parse(struct arena *, const char *body, size_t len,
		    const char *boundary, struct mp_part *, size_t max,
		    size_t *n);

#endif
