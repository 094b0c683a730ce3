/*
 * Unit tests of cgi/lib/resp.c's HTML side: the escaping function every
 * server-written page uses, and the HTML error hook (r->html_error) that
 * resp_error() and resp_invalid() call instead of writing JSON.
 */
#include "kc_test.h"

#include <json-c/json.h>

#include "req.h"

static struct arena *a;	/* the whole run's: KC_TEST_MAIN_ARENA */

static void
test_html_escape(void **state)
{
	static const struct kc_pair cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "Kẹo cu đơ", "Kẹo cu đơ" },
		{ "<script>alert(1)</script>",
		    "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "a & b", "a &amp; b" },
		{ "&amp;", "&amp;amp;" },
		{ "\"x\" onmouseover='y'",
		    "&quot;x&quot; onmouseover=&#39;y&#39;" },
		{ "<<>>", "&lt;&lt;&gt;&gt;" },
		{ "'\"'\"", "&#39;&quot;&#39;&quot;" },
		{ "KC-2026-000123", "KC-2026-000123" },
	};

	(void)state;
	kc_assert_pairs(a, resp_html_escape, cases, NELEM(cases));
	assert_string_equal(resp_html_escape(a, NULL), "");
}

/* What the hook saw. */
static int		 seen_calls, seen_status, seen_fields;
static const char	*seen_message;

static int
hook(struct req *r, int status, const char *message, json_object *fields)
{
	seen_calls++;
	seen_status = status;
	seen_message = message;
	seen_fields = fields != NULL ?
	    (int)json_object_object_length(fields) : -1;
	/* The hook is cleared before it runs: an error here is JSON. */
	assert_null(r->html_error);
	r->status = status;
	return status;
}

static void
test_html_error_hook(void **state)
{
	struct req	 r;
	json_object	*f;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.html_error = hook;
	seen_calls = 0;
	assert_int_equal(resp_error(&r, 404, "not_found", "Không thấy"), 404);
	assert_int_equal(seen_calls, 1);
	assert_int_equal(seen_status, 404);
	assert_string_equal(seen_message, "Không thấy");
	assert_int_equal(seen_fields, -1);
	assert_null(r.html_error);

	/* Once only: the next error is JSON again (the hook is not called). */
	assert_int_equal(resp_error(&r, 409, "conflict", "x"), 409);
	assert_int_equal(seen_calls, 1);
	assert_int_equal(r.status, 409);

	r.html_error = hook;
	f = json_object_new_object();
	json_object_object_add(f, "facility.phone",
	    json_object_new_string("Sai"));
	json_object_object_add(f, "call_id", json_object_new_string("Thiếu"));
	assert_int_equal(resp_invalid(&r, f), 422);
	assert_int_equal(seen_calls, 2);
	assert_int_equal(seen_status, 422);
	assert_int_equal(seen_fields, 2);
}

static void
test_html_page(void **state)
{
	struct req	 r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.cache_seconds = 30;
	assert_int_equal(resp_html(&r, 201, "<b>tiêu đề</b>", NULL,
	    "<p>x</p>"), 201);
	assert_int_equal(r.status, 201);
	assert_int_equal(r.cache_seconds, 0);
}

KC_TEST_MAIN_ARENA(a, test_html_escape, test_html_error_hook, test_html_page)
