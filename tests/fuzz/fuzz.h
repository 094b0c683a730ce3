/*
 * What the libFuzzer targets (tests/fuzz/fuzz_*.c) share: one arena for
 * the whole run, and the path of a request body or query string through
 * a parser and the declared-field validation, as a handler takes it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "req.h"

#define FUZZ_NELEM(x)	(sizeof(x) / sizeof((x)[0]))
#define FUZZ_FIELDS_MAX	16

/* The run's arena, made on the first call; targets reset it per input. */
static inline struct arena *
fuzz_arena(void)
{
	static struct arena	*a;

	if (a == NULL)
		a = arena_new();
	return a;
}

/*
 * One input through parse (req_parse_query or req_parse_json) on a fresh
 * request and, when it parses, through req_fields with the n declared
 * fields, then through then(r) if not NULL; empties the arena after.
 */
static inline void
fuzz_request(const uint8_t *data, size_t size,
    int (*parse)(struct req *, const char *, size_t),
    const struct field *fields, size_t n, void (*then)(struct req *))
{
	struct req	 r;
	struct value	 v[FUZZ_FIELDS_MAX];

	if (n > FUZZ_FIELDS_MAX)
		__builtin_trap();	/* a target declaring too many */
	memset(&r, 0, sizeof(r));
	r.a = fuzz_arena();
	if (parse(&r, (const char *)data, size) == 0) {
		req_fields(&r, fields, n, v);
		if (then != NULL)
			then(&r);
	}
	arena_reset(r.a);
}

#endif
