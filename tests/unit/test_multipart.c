/*
 * Unit tests of cgi/lib/multipart.c (multipart/form-data bodies) and of
 * the content sniffing and name cleaning of cgi/lib/files.c.
 */
#include "kc_test.h"

#include "files.h"
#include "multipart.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define CRLF		"\r\n"

static int
parse(struct arena *a, const char *body, size_t len, const char *b,
    struct mp_part *p, size_t max, size_t *n)
{
	return mp_parse(a, body, len, b, p, max, n);
}

static void
test_boundary(void **state)
{
	struct arena	*a = *state;

	assert_string_equal(mp_boundary(a,
	    "multipart/form-data; boundary=----WebKitFormBoundaryX1"),
	    "----WebKitFormBoundaryX1");
	assert_string_equal(mp_boundary(a,
	    "multipart/form-data; charset=utf-8; BOUNDARY=\"a b\""), "a b");
	assert_null(mp_boundary(a, "multipart/form-data"));
	assert_null(mp_boundary(a, "multipart/form-data; boundary="));
	assert_null(mp_boundary(a, "multipart/form-data; boundary=\"abc"));
	assert_null(mp_boundary(a, "multipart/form-data; boundary=a<b"));
	assert_null(mp_boundary(a, "multipart/form-data; boundary="
	    "12345678901234567890123456789012345678901234567890"
	    "123456789012345678901"));
}

static void
test_parse(void **state)
{
	static const char body[] =
	    "--XyZ" CRLF
	    "Content-Disposition: form-data; name=\"text\"" CRLF CRLF
	    "Xin chào" CRLF
	    "--XyZ" CRLF
	    "content-disposition: form-data; name=\"files\"; filename=\"a.pdf\""
	    CRLF "Content-Type: Application/PDF" CRLF CRLF
	    "%PDF-1.4\0\r\n--X binary" CRLF
	    "--XyZ--" CRLF;
	struct arena	*a = *state;
	struct mp_part	 p[4];
	size_t		 n;

	assert_int_equal(parse(a, body, sizeof(body) - 1, "XyZ", p, 4, &n),
	    MP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "text");
	assert_null(p[0].filename);
	assert_int_equal(p[0].len, strlen("Xin chào"));
	assert_memory_equal(p[0].data, "Xin chào", p[0].len);
	assert_string_equal(p[1].name, "files");
	assert_string_equal(p[1].filename, "a.pdf");
	assert_string_equal(p[1].ctype, "application/pdf");
	assert_int_equal(p[1].len, 21);
	assert_memory_equal(p[1].data, "%PDF-1.4\0\r\n--X binary", 21);
	assert_int_equal(parse(a, body, sizeof(body) - 1, "XyZ", p, 1, &n),
	    MP_EMANY);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"--B",
		"--B" CRLF,
		"preamble" CRLF "--B" CRLF "Content-Disposition: form-data;"
		    " name=\"x\"" CRLF CRLF "1" CRLF "--B--",
		"--B" CRLF "Content-Disposition: form-data; name=\"x\"" CRLF
		    CRLF "no closing delimiter",
		"--B" CRLF "Content-Disposition: form-data" CRLF CRLF "1" CRLF
		    "--B--",
		"--B" CRLF "Content-Disposition: attachment; name=\"x\"" CRLF
		    CRLF "1" CRLF "--B--",
		"--B" CRLF "Content-Disposition: form-data; name=x" CRLF CRLF
		    "1" CRLF "--B--",
		"--B" CRLF "Content-Disposition: form-data; name=\"x" CRLF CRLF
		    "1" CRLF "--B--",
		"--B" CRLF "Content-Disposition: form-data; name=\"x\";"
		    " filename=\"a\tb\"" CRLF CRLF "1" CRLF "--B--",
		"--B" "junk" CRLF,
	};
	struct arena	*a = *state;
	struct mp_part	 p[4];
	size_t		 i, n;
	char		 big[3 * MP_HEAD_MAX];

	for (i = 0; i < NELEM(bad); i++)
		assert_int_equal(parse(a, bad[i], strlen(bad[i]), "B", p, 4,
		    &n), MP_EBAD);
	assert_int_equal(parse(a, "--B--", 5, NULL, p, 4, &n), MP_EBAD);
	/* Headers longer than MP_HEAD_MAX. */
	n = (size_t)snprintf(big, sizeof(big), "--B" CRLF "Content-Disposition:"
	    " form-data; name=\"x\"" CRLF "X-Pad: %0*d" CRLF CRLF "1" CRLF
	    "--B--", MP_HEAD_MAX, 0);
	assert_int_equal(parse(a, big, n, "B", p, 4, &n), MP_EBAD);
	/* An empty body with only the closing delimiter: no parts. */
	assert_int_equal(parse(a, "--B--" CRLF, 7, "B", p, 4, &n), MP_OK);
	assert_int_equal(n, 0);
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_string_equal(files_sniff("%PDF-1.7\n", 9), "application/pdf");
	assert_string_equal(files_sniff("\xFF\xD8\xFF\xE0xx", 6),
	    "image/jpeg");
	assert_string_equal(files_sniff("\x89PNG\r\n\x1A\n\0\0", 10),
	    "image/png");
	assert_null(files_sniff("MZ\x90\0\x03", 5));
	assert_null(files_sniff("%PDF-", 5));
	assert_null(files_sniff("<html>", 6));
	assert_null(files_sniff("", 0));
}

static void
test_names(void **state)
{
	struct arena	*a = *state;

	assert_string_equal(files_clean_name(a, "C:\\Users\\x\\Giấy phép.pdf"),
	    "Giấy phép.pdf");
	assert_string_equal(files_clean_name(a, "../../etc/passwd"), "passwd");
	assert_string_equal(files_clean_name(a, "a\r\nb.png"), "ab.png");
	assert_string_equal(files_clean_name(a, ""), "tep");
	assert_string_equal(files_clean_name(a, NULL), "tep");
	assert_true(files_hash_ok("0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef"));
	assert_false(files_hash_ok("../x"));
	assert_false(files_hash_ok("0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef"));
}

KC_TEST_MAIN(test_boundary, test_parse, test_malformed, test_sniff, test_names)
