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

/* One product, as product_json() makes it. */
static void
jb_product(struct jbuf *b, const struct product_row *p)
{
	const struct product_award	*aw;
	size_t				 i;

	JB_LIT(b, "{\"id\":");
	jb_int(b, p->id);
	JB_LIT(b, ",\"name\":");
	jb_str(b, p->name);
	JB_LIT(b, ",\"group\":");
	jb_str(b, p->group);
	JB_LIT(b, ",\"facility\":{\"id\":");
	jb_int(b, p->facility_id);
	JB_LIT(b, ",\"name\":");
	jb_str(b, p->facility_name);
	JB_LIT(b, ",\"address\":");
	jb_str(b, p->facility_address);
	JB_LIT(b, "},\"district\":");
	if (p->district_code == NULL)
		JB_LIT(b, "null");
	else {
		JB_LIT(b, "{\"code\":");
		jb_str(b, p->district_code);
		JB_LIT(b, ",\"name\":");
		jb_str(b, p->district_name);
		JB_LIT(b, "}");
	}
	JB_LIT(b, ",\"awards\":[");
	for (i = 0; i < p->nawards; i++) {
		aw = &p->awards[i];
		if (i > 0)
			JB_LIT(b, ",");
		JB_LIT(b, "{\"year\":");
		jb_int(b, aw->year);
		JB_LIT(b, ",\"level\":");
		jb_str(b, aw->level);
		JB_LIT(b, ",\"decision_no\":");
		jb_str(b, aw->decision_no);
		JB_LIT(b, ",\"decision_date\":");
		jb_str(b, aw->decision_date);
		JB_LIT(b, ",\"district\":");
		jb_str(b, aw->district);
		JB_LIT(b, "}");
	}
	if (p->sample)
		JB_LIT(b, "],\"sample\":true}");
	else
		JB_LIT(b, "],\"sample\":false}");
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
