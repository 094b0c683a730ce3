/*
 * libFuzzer target: a query string or form body through the argument
 * parser and declared-field validation (numbers, text, dates, lists,
 * bracketed names), as every handler receives it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "req.h"

static const struct field fields[] = {
	{ "year", F_INT, F_REQUIRED, 2000, 2100, NULL },
	{ "q", F_STR, 0, 1, 200, NULL },
	{ "note", F_TEXT, 0, 0, 2000, NULL },
	{ "date", F_DATE, 0, 0, 0, NULL },
	{ "on", F_BOOL, 0, 0, 0, NULL },
	{ "facility.name", F_STR, F_REQUIRED, 2, 255, NULL },
	{ "products", F_STRLIST, 0, 0, 0, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	*a;
	struct req		 r;
	struct value		 v[sizeof(fields) / sizeof(fields[0])];
	long long		 page, per;

	if (a == NULL)
		a = arena_new();
	memset(&r, 0, sizeof(r));
	r.a = a;
	if (req_parse_query(&r, (const char *)data, size) == 0) {
		req_fields(&r, fields, sizeof(fields) / sizeof(fields[0]), v);
		req_page(&r, &page, &per);
	}
	arena_reset(a);
	return 0;
}
