/*
 * libFuzzer target: a JSON request body through req_parse_json (strict,
 * UTF-8 checked, depth-limited) and declared-field validation.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "req.h"

static const struct field fields[] = {
	{ "call_id", F_INT, F_REQUIRED, 1, 1000000000, NULL },
	{ "requested_vnd", F_INT, 0, 0, 1000000000000LL, NULL },
	{ "facility.name", F_STR, F_REQUIRED, 2, 255, NULL },
	{ "facility.unit_code", F_STR, 0, 1, 10, NULL },
	{ "products", F_STRLIST, 0, 0, 0, NULL },
	{ "note", F_TEXT, 0, 0, 2000, NULL },
	{ "date", F_DATE, 0, 0, 0, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	*a;
	struct req		 r;
	struct value		 v[sizeof(fields) / sizeof(fields[0])];

	if (a == NULL)
		a = arena_new();
	memset(&r, 0, sizeof(r));
	r.a = a;
	if (req_parse_json(&r, (const char *)data, size) == 0) {
		req_fields(&r, fields, sizeof(fields) / sizeof(fields[0]), v);
		json_object_put(r.json);
	}
	arena_reset(a);
	return 0;
}
