/*
 * multipart: multipart/form-data bodies. See multipart.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "multipart.h"

/* A boundary's characters (RFC 2046 bchars). */
static int
bchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL;
}

/*
 * The boundary parameter of a Content-Type header (quoted or not), or
 * NULL when it is missing or not a boundary RFC 2046 allows.
 */
const char *
mp_boundary(struct arena *a, const char *ct)
{
	const char	*p, *end;
	size_t		 n, i;

	if (ct == NULL)
		return NULL;
	for (p = ct; (p = strchr(p, ';')) != NULL; ) {
		p++;
		p += strspn(p, " \t");
		if (strncasecmp(p, "boundary=", 9) == 0)
			break;
	}
	if (p == NULL)
		return NULL;
	p += 9;
	if (*p == '"') {
		p++;
		if ((end = strchr(p, '"')) == NULL)
			return NULL;
	} else
		end = p + strcspn(p, "; \t");
	n = (size_t)(end - p);
	if (n < 1 || n > 70 || p[n - 1] == ' ')
		return NULL;
	for (i = 0; i < n; i++)
		if (!bchar(p[i]))
			return NULL;
	return arena_strndup(a, p, n);
}

/*
 * The value of parameter key (name= or filename=) of a
 * Content-Disposition line s..end into *out (the arena): 1, 0 when it is
 * not there, -1 when malformed (unquoted, unclosed, a control character,
 * too long).
 */
static int
disp_param(struct arena *a, const char *s, const char *end, const char *key,
    const char **out)
{
	size_t		 klen = strlen(key);
	const char	*p, *q;

	for (p = s; p < end; p++) {
		if (*p != ';')
			continue;
		q = p + 1;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if ((size_t)(end - q) <= klen + 1 ||
		    strncasecmp(q, key, klen) != 0 || q[klen] != '=')
			continue;
		q += klen + 1;
		if (*q != '"')
			return -1;
		for (p = ++q; p < end && *p != '"'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return -1;
		if (p >= end || (size_t)(p - q) > MP_NAME_MAX)
			return -1;
		*out = arena_strndup(a, q, (size_t)(p - q));
		return 1;
	}
	return 0;
}

/* One header line s..end of a part into pt: 0, or -1. */
static int
part_header(struct arena *a, const char *s, const char *end,
    struct mp_part *pt)
{
	const char	*v;
	char		*c;
	size_t		 n;

	if ((size_t)(end - s) > 20 &&
	    strncasecmp(s, "Content-Disposition:", 20) == 0) {
		v = s + 20;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		if ((size_t)(end - v) < 9 || strncasecmp(v, "form-data", 9) != 0)
			return -1;
		if (disp_param(a, v, end, "name", &pt->name) != 1 ||
		    disp_param(a, v, end, "filename", &pt->filename) < 0)
			return -1;
		return 0;
	}
	if ((size_t)(end - s) > 13 && strncasecmp(s, "Content-Type:", 13) == 0) {
		v = s + 13;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		for (n = 0; v + n < end && v[n] != ';' && v[n] != ' '; n++)
			;
		pt->ctype = c = arena_strndup(a, v, n);
		for (; *c != '\0'; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c += 'a' - 'A';
	}
	return 0;
}

/* The header block s..end (without its blank line) into pt: 0 or -1. */
static int
part_headers(struct arena *a, const char *s, const char *end,
    struct mp_part *pt)
{
	const char	*eol;

	memset(pt, 0, sizeof(*pt));
	while (s < end) {
		eol = memmem(s, (size_t)(end - s), "\r\n", 2);
		if (eol == NULL)
			eol = end;
		if (memchr(s, '\0', (size_t)(eol - s)) != NULL ||
		    part_header(a, s, eol, pt) < 0)
			return -1;
		s = eol + 2;
	}
	return pt->name != NULL ? 0 : -1;
}

/*
 * Split body (len bytes) at boundary into parts[0..max): MP_OK and *n,
 * MP_EBAD when it is not a whole multipart body (no closing delimiter,
 * a part without a name, headers too long), MP_EMANY past max parts.
 */
int
mp_parse(struct arena *a, const char *body, size_t len, const char *boundary,
    struct mp_part *parts, size_t max, size_t *n)
{
	const char	*end = body + len, *p, *h, *next;
	char		 delim[80];
	size_t		 dlen;

	*n = 0;
	if (boundary == NULL || strlen(boundary) > 70)
		return MP_EBAD;
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	/* The first delimiter opens the body (no preamble is sent). */
	if (len < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0)
		return MP_EBAD;
	p = body + dlen - 2;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return MP_OK;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return MP_EBAD;
		p += 2;
		h = memmem(p, (size_t)(end - p) < MP_HEAD_MAX + 4 ?
		    (size_t)(end - p) : MP_HEAD_MAX + 4, "\r\n\r\n", 4);
		if (h == NULL)
			return MP_EBAD;
		if (*n >= max)
			return MP_EMANY;
		if (part_headers(a, p, h, &parts[*n]) < 0)
			return MP_EBAD;
		p = h + 4;
		if ((next = memmem(p, (size_t)(end - p), delim, dlen)) == NULL)
			return MP_EBAD;
		parts[*n].data = p;
		parts[(*n)++].len = (size_t)(next - p);
		p = next + dlen;
	}
}
