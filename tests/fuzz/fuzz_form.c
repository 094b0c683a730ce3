/*
 * libFuzzer target: a query string or form body through the argument
 * parser and declared-field validation (numbers, text, dates, lists,
 * bracketed names), as every handler receives it, then paging.
 */
#include "fuzz.h"

static const struct field fields[] = {
	{ "year", F_INT, F_REQUIRED, 2000, 2100, NULL },
	{ "q", F_STR, 0, 1, 200, NULL },
	{ "note", F_TEXT, 0, 0, 2000, NULL },
	{ "date", F_DATE, 0, 0, 0, NULL },
	{ "on", F_BOOL, 0, 0, 0, NULL },
	{ "facility.name", F_STR, F_REQUIRED, 2, 255, NULL },
	{ "products", F_STRLIST, 0, 0, 0, NULL },
};

static void
page(struct req *r)
{
	long long	 page, per;

	req_page(r, &page, &per);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_request(data, size, req_parse_query, fields, FUZZ_NELEM(fields),
	    page);
	return 0;
}
