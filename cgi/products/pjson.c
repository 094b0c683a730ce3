/*
 * kc-products, a page of the listing written straight out as JSON: the
 * same bytes json-c writes for products.c's product_json() under
 * resp_json() (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE:
 * keys in the order added, no blanks, '/' as it is, control characters
 * escaped as json-c does), without an object made and freed per value.
 * The SQL path (KC_PRODUCTS_SQL=1) keeps json-c: the tests compare both
 * (tests/http/catalogue-same.test.mjs).
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "rows.h"

#include "products.h"

/* A text growing in the arena. */
struct jbuf {
	struct arena	*a;
	char		*p;
	size_t		 n, cap;
};

static void
jb_put(struct jbuf *b, const char *s, size_t n)
{
	char	*p;

	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		p = arena_alloc(b->a, b->cap);
		memcpy(p, b->p, b->n);
		b->p = p;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

#define JB_LIT(b, s)	jb_put((b), (s), sizeof(s) - 1)

static void
jb_int(struct jbuf *b, long long v)
{
	char	 t[24];

	jb_put(b, t, (size_t)snprintf(t, sizeof(t), "%lld", v));
}

/* A JSON string as json_escape_str writes it, or null for NULL. */
static void
jb_str(struct jbuf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 run;
	char			 e[7];

	if (s == NULL) {
		JB_LIT(b, "null");
		return;
	}
	JB_LIT(b, "\"");
	while (*p != '\0') {
		for (run = 0; p[run] >= ' ' && p[run] != '"' &&
		    p[run] != '\\'; run++)
			;
		jb_put(b, (const char *)p, run);
		if (p[run] == '\0')
			break;
		p += run;
		e[0] = '\\';
		switch (*p) {
		case '\b': e[1] = 'b'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		case '\f': e[1] = 'f'; break;
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[*p >> 4];
			e[5] = hex[*p & 0xf];
			jb_put(b, e, 6);
			p++;
			continue;
		}
		jb_put(b, e, 2);
		p++;
	}
	JB_LIT(b, "\"");
}

/* "key": for the n bytes of key. */
static void
jb_key(struct jbuf *b, const char *key, size_t n)
{
	JB_LIT(b, "\"");
	jb_put(b, key, n);
	JB_LIT(b, "\":");
}

/* The value of column c of row as col_json (rows.c) makes it. */
static void
jb_val(struct jbuf *b, const void *row, const struct jcol *c)
{
	const char	*p = (const char *)row + c->off;
	long long	 n;

	switch (c->type) {
	case J_INT:
	case J_ID:
	case J_NNEG:
		n = *(const long long *)p;
		if ((c->type == J_ID && n == 0) || (c->type == J_NNEG && n < 0))
			JB_LIT(b, "null");
		else
			jb_int(b, n);
		break;
	case J_BOOL:
		if (*(const int *)p != 0)
			JB_LIT(b, "true");
		else
			JB_LIT(b, "false");
		break;
	default:
		jb_str(b, *(const char *const *)p);
	}
}

/*
 * Columns c[0..n) of row as members of the object being written, as
 * rows_add() adds them: "a.b" as member b of the object a, whose columns
 * follow one another (left out when a J_OBJ column a wrote a null). A
 * comma before each member but the object's first (first set). Kinds:
 * J_INT, J_ID, J_NNEG, J_BOOL, J_STR and J_OBJ (those of a product).
 */
static void
jb_cols(struct jbuf *b, const void *row, const struct jcol *c, size_t n,
    int first)
{
	const char	*dot;
	size_t		 len, open = 0;		/* the open object's name */
	int		 null = 0, inner = 0;

	for (; n > 0; c++, n--) {
		dot = strchr(c->path, '.');
		len = dot != NULL ? (size_t)(dot - c->path) : strlen(c->path);
		if (open > 0 && (dot == NULL || len != open ||
		    strncmp(c->path, c[-1].path, len) != 0)) {
			if (!null)
				JB_LIT(b, "}");
			open = 0;
		}
		if (open == 0) {
			if (!first)
				JB_LIT(b, ",");
			first = 0;
			jb_key(b, c->path, len);
		}
		if (dot == NULL && c->type != J_OBJ) {
			jb_val(b, row, c);
			continue;
		}
		if (open == 0) {
			open = len;
			inner = 0;
			null = c->type == J_OBJ && *(const void *const *)
			    ((const char *)row + c->off) == NULL;
			if (null)
				JB_LIT(b, "null");
			else
				JB_LIT(b, "{");
			if (dot == NULL || null)
				continue;
		} else if (null)
			continue;
		if (inner++ > 0)
			JB_LIT(b, ",");
		jb_key(b, dot + 1, strlen(dot + 1));
		jb_val(b, row, c);
	}
	if (open > 0 && !null)
		JB_LIT(b, "}");
}

/* One product, as product_json() makes it. */
static void
jb_product(struct jbuf *b, const struct product_row *p)
{
	size_t	 i;

	JB_LIT(b, "{");
	jb_cols(b, p, product_cols, nproduct_cols, 1);
	JB_LIT(b, ",\"awards\":[");
	for (i = 0; i < p->nawards; i++) {
		if (i > 0)
			JB_LIT(b, ",");
		JB_LIT(b, "{");
		jb_cols(b, &p->awards[i], award_cols, naward_cols, 1);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "]");
	jb_cols(b, p, product_tail, nproduct_tail, 0);
	JB_LIT(b, "}");
}

/* The listing's answer, {"items":[...],"total","page","per_page"}. */
const char *
products_json_text(struct arena *a, const struct product_list *l,
    long long total, long long page, long long per_page)
{
	struct jbuf	 b = { a, NULL, 0, 0 };
	size_t		 i;

	b.cap = 1024 + l->nrows * 640;
	b.p = arena_alloc(a, b.cap);
	JB_LIT(&b, "{\"items\":[");
	for (i = 0; i < l->nrows; i++) {
		if (i > 0)
			JB_LIT(&b, ",");
		jb_product(&b, &l->rows[i]);
	}
	JB_LIT(&b, "],\"total\":");
	jb_int(&b, total);
	JB_LIT(&b, ",\"page\":");
	jb_int(&b, page);
	JB_LIT(&b, ",\"per_page\":");
	jb_int(&b, per_page);
	JB_LIT(&b, "}");
	return b.p;
}
