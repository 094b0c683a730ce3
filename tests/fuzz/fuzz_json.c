/*
 * libFuzzer target: a JSON request body through req_parse_json (strict,
 * UTF-8 checked, depth-limited) and declared-field validation.
 */
#include <json-c/json.h>

#include "fuzz.h"

static const struct field fields[] = {
	{ "call_id", F_INT, F_REQUIRED, 1, 1000000000, NULL },
	{ "requested_vnd", F_INT, 0, 0, 1000000000000LL, NULL },
	{ "facility.name", F_STR, F_REQUIRED, 2, 255, NULL },
	{ "facility.unit_code", F_STR, 0, 1, 10, NULL },
	{ "products", F_STRLIST, 0, 0, 0, NULL },
	{ "note", F_TEXT, 0, 0, 2000, NULL },
	{ "date", F_DATE, 0, 0, 0, NULL },
};

static void
put(struct req *r)
{
	json_object_put(r->json);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_request(data, size, req_parse_json, fields, FUZZ_NELEM(fields),
	    put);
	return 0;
}
