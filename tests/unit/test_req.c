/*
 * Unit tests of cgi/lib/req.c and resp.c's CSV field writer: query
 * parsing, declared-field validation, dates, paging.
 */
#include "kc_test.h"

#include <json-c/json.h>

#include "req.h"

static struct arena *a;	/* the whole run's: KC_TEST_MAIN_ARENA */

static void
setup_req(struct req *r, const char *qs)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	assert_int_equal(req_parse_query(r, qs, strlen(qs)), 0);
}

/* The first parsed argument called name, or NULL. */
static const char *
arg(const struct req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nargs; i++)
		if (strcmp(r->args[i].key, name) == 0)
			return r->args[i].val;
	return NULL;
}

static void
test_query_parsing(void **state)
{
	struct req	 r;

	(void)state;
	setup_req(&r, "q=k%E1%BA%B9o+cu+%C4%91%C6%A1&year=2019&empty=&flag&a=1&a=2&bad=%zz%4");
	assert_string_equal(arg(&r, "q"), "kẹo cu đơ");
	assert_string_equal(arg(&r, "year"), "2019");
	assert_string_equal(arg(&r, "empty"), "");
	assert_string_equal(arg(&r, "flag"), "");
	assert_string_equal(arg(&r, "a"), "1");
	assert_string_equal(arg(&r, "bad"), "%zz%4");
	assert_null(arg(&r, "missing"));
}

static void
test_query_too_many(void **state)
{
	struct req	 r;
	char		 qs[REQ_MAX_ARGS * 4 + 16];
	size_t		 i, n = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.a = a;
	for (i = 0; i <= REQ_MAX_ARGS; i++)
		n += (size_t)snprintf(qs + n, sizeof(qs) - n, "a=%zu&", i % 10);
	assert_int_equal(req_parse_query(&r, qs, n), -1);
}

static void
test_dates(void **state)
{
	static const struct { const char *s; int ok; } cases[] = {
		{ "2020-02-29", 1 }, { "2021-02-29", 0 }, { "2021-02-28", 1 },
		{ "1900-02-29", 0 }, { "2000-02-29", 1 }, { "2021-04-31", 0 },
		{ "2021-13-01", 0 }, { "2021-00-10", 0 }, { "2021-1-01", 0 },
		{ "21-01-01", 0 }, { "2021/01/01", 0 }, { "2021-01-01x", 0 },
		{ "", 0 }, { "2026-11-27", 1 }, { "abcd-ef-gh", 0 },
	};
	size_t	 i;
	int	 y, m, d;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(req_valid_date(cases[i].s, &y, &m, &d),
		    cases[i].ok);
}

static const struct field fields[] = {
	{ "year", F_INT, F_REQUIRED, 2000, 2100, NULL },
	{ "name", F_STR, F_REQUIRED, 2, 10, NULL },
	{ "date", F_DATE, 0, 0, 0, NULL },
	{ "on", F_BOOL, 0, 0, 0, NULL },
	{ "facility.name", F_STR, 0, 1, 20, NULL },
};

/* Validate qs against fields: the status and, on 422, the fields JSON. */
static int
run_fields(const char *qs, struct value *v)
{
	struct req	 r;

	setup_req(&r, qs);
	/* No FastCGI request: resp_* cannot write; only valid input here. */
	return req_fields(&r, fields, sizeof(fields) / sizeof(fields[0]), v);
}

static void
test_fields_valid(void **state)
{
	struct value	 v[5];

	(void)state;
	assert_int_equal(run_fields("year=2020&name=%20%20Ke%CC%A3o%20%20cu%20&"
	    "date=2020-02-29&on=true&facility%5Bname%5D=C%C6%A1%20s%E1%BB%9F", v), 0);
	assert_int_equal(v[0].i, 2020);
	/* NFC (e + combining dot below → ẹ), trimmed, spaces collapsed. */
	assert_string_equal(v[1].s, "Kẹo cu");
	assert_string_equal(v[2].s, "2020-02-29");
	assert_int_equal(v[2].i, 20200229);
	assert_int_equal(v[3].i, 1);
	assert_string_equal(v[4].s, "Cơ sở");
	assert_int_equal(run_fields("year=2000&name=ab", v), 0);
	assert_false(v[2].set);
	assert_false(v[4].set);
}

static void
test_json_fields(void **state)
{
	struct req	 r;
	struct value	 v[5];

	(void)state;
	setup_req(&r, "");
	r.json = json_tokener_parse("{\"year\": 2024, \"name\": \"Mắm\","
	    " \"facility\": {\"name\": \"Cơ sở A\"}, \"on\": false}");
	assert_non_null(r.json);
	assert_int_equal(req_fields(&r, fields, 5, v), 0);
	assert_int_equal(v[0].i, 2024);
	assert_string_equal(v[1].s, "Mắm");
	assert_int_equal(v[3].i, 0);
	assert_string_equal(v[4].s, "Cơ sở A");
	json_object_put(r.json);
}

static void
test_optional_list(void **state)
{
	static const struct field lf[] = {
		{ "roles", F_STRLIST, 0, 1, 0, NULL },
	};
	struct req	 r;
	struct value	 v[1];

	(void)state;
	setup_req(&r, "");
	assert_int_equal(req_fields(&r, lf, 1, v), 0);
	assert_false(v[0].set);
	setup_req(&r, "roles=admin&roles=auditor");
	assert_int_equal(req_fields(&r, lf, 1, v), 0);
	assert_int_equal(v[0].nlist, 2);
	assert_string_equal(v[0].list[1], "auditor");
	/* Invalid input is answered 422 (written nowhere: no stream). */
	setup_req(&r, "roles=%ff");
	assert_int_equal(req_fields(&r, lf, 1, v), 422);
}

static void
test_invalid_fields(void **state)
{
	struct value	 v[5];

	(void)state;
	assert_int_equal(run_fields("year=1999&name=a", v), 422);
	assert_int_equal(run_fields("year=20x0&name=abc", v), 422);
	assert_int_equal(run_fields("name=abc", v), 422);
	assert_int_equal(run_fields("year=2020&name=abcdefghijkl", v), 422);
	assert_int_equal(run_fields("year=2020&name=abc&date=2021-02-29", v), 422);
	assert_int_equal(run_fields("year=2020&name=abc&on=maybe", v), 422);
	assert_int_equal(run_fields("year=2020&name=%C0%AF", v), 422);
	assert_int_equal(run_fields("year=99999999999999999999&name=abc", v), 422);
}

static void
test_page_defaults(void **state)
{
	struct req	 r;
	long long	 page, per;

	(void)state;
	setup_req(&r, "");
	assert_int_equal(req_page(&r, &page, &per), 0);
	assert_int_equal(page, 1);
	assert_int_equal(per, 20);
	setup_req(&r, "page=3&per_page=500");
	assert_int_equal(req_page(&r, &page, &per), 0);
	assert_int_equal(page, 3);
	assert_int_equal(per, 100);
}

static void
test_csv_field(void **state)
{
	static const struct kc_pair cases[] = {
		{ "plain", "plain" },
		{ "Kẹo cu đơ", "Kẹo cu đơ" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
		{ "+84912", "\"'+84912\"" },
		{ "@SUM", "\"'@SUM\"" },
		{ " padded ", "\" padded \"" },
		{ "", "" },
	};

	(void)state;
	kc_assert_pairs(a, resp_csv_field, cases, NELEM(cases));
}

static void
test_arena(void **state)
{
	char	*p;
	size_t	 i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		p = arena_alloc(a, 1000);
		assert_true(((uintptr_t)p & 15) == 0);
		assert_int_equal(p[999], 0);
	}
	p = arena_alloc(a, 1 << 20);
	p[(1 << 20) - 1] = 'x';
	assert_string_equal(arena_printf(a, "%s-%d", "kc", 42), "kc-42");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	arena_reset(a);
	assert_non_null(arena_alloc(a, 10));
}

KC_TEST_MAIN_ARENA(a, test_query_parsing, test_query_too_many, test_dates,
    test_fields_valid, test_json_fields, test_optional_list,
    test_invalid_fields, test_page_defaults, test_csv_field,
    test_arena)
