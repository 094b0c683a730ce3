/*
 * Unit tests of cgi/lib/vcode.c (an award's verification code as typed:
 * case, 0/O, 1/I/L, hyphens and spaces) and cgi/lib/qr.c (the label's
 * PNG decodes back to the address, through zbarimg of Debian's
 * zbar-tools; the SVG holds the same symbol and the caption).
 */
#include "kc_test.h"

#include <unistd.h>

#include "qr.h"
#include "vcode.h"

static void
test_norm(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: not a code */
	} t[] = {
		{ "7K3M9QTZ", "7K3M9QTZ" },
		{ "7k3m9qtz", "7K3M9QTZ" },
		{ "7K3M-9QTZ", "7K3M9QTZ" },
		{ " 7k3m 9qtz ", "7K3M9QTZ" },
		{ "O0OOIiLl", "00001111" },
		{ "oOiIlL10", "00111110" },
		{ "ABCDEFGH", "ABCDEFGH" },
		{ "ABCDEFG", NULL },		/* too short */
		{ "ABCDEFGHJ", NULL },		/* too long */
		{ "ABCDEFGU", NULL },		/* U is not in the alphabet */
		{ "ABCD_EFG", NULL },
		{ "ABCDÉFGH", NULL },
		{ "", NULL },
		{ "--------", NULL },
	};
	char	 out[VCODE_LEN + 1];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		int rc = vcode_norm(t[i].in, strlen(t[i].in), out);
		if (t[i].out == NULL) {
			assert_int_equal(rc, -1);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(out, t[i].out);
		}
	}
}

static void
test_print(void **state)
{
	char	 out[VCODE_LEN + 2];

	(void)state;
	vcode_print("7K3M9QTZ", out);
	assert_string_equal(out, "7K3M-9QTZ");
}

/* New codes: 8 characters of the alphabet, read back as themselves, the
 * 40 bits they stand for returned, and 4 096 of them all different. */
static void
test_new(void **state)
{
	static unsigned long long	 seen[4096];
	char				 code[VCODE_LEN + 1], back[VCODE_LEN + 1];
	unsigned long long		 v, w;
	size_t				 i, j;
	int				 k;

	(void)state;
	for (i = 0; i < 4096; i++) {
		v = vcode_new(code);
		assert_int_equal(strlen(code), VCODE_LEN);
		assert_int_equal(strspn(code, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
		    VCODE_LEN);
		assert_int_equal(vcode_norm(code, VCODE_LEN, back), 0);
		assert_string_equal(back, code);
		assert_true(v < 1ULL << 40);
		for (w = 0, k = 0; k < VCODE_LEN; k++)
			w = w << 5 | (unsigned long long)(strchr(
			    "0123456789ABCDEFGHJKMNPQRSTVWXYZ", code[k]) -
			    "0123456789ABCDEFGHJKMNPQRSTVWXYZ");
		assert_true(w == v);
		for (j = 0; j < i; j++)
			assert_true(seen[j] != v);
		seen[i] = v;
	}
}

/* The PNG label decodes to the address it was made of. */
static void
test_qr_png_decodes(void **state)
{
	const char	*url = "http://127.0.0.1:8080/xac-minh/7K3M9QTZ";
	struct arena	*a = *state;
	unsigned char	*png;
	size_t		 len;
	char		 path[] = "/tmp/kc-qr-XXXXXX.png", cmd[128], got[256];
	FILE		*f;
	int		 fd;

	png = qr_png(a, url, "7K3M-9QTZ", &len);
	assert_non_null(png);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_true((fd = mkstemps(path, 4)) >= 0);
	assert_int_equal(write(fd, png, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "zbarimg -q --raw %s 2>/dev/null", path);
	assert_non_null(f = popen(cmd, "r"));
	memset(got, 0, sizeof(got));
	assert_non_null(fgets(got, sizeof(got), f));
	assert_int_equal(pclose(f), 0);
	unlink(path);
	got[strcspn(got, "\n")] = '\0';
	assert_string_equal(got, url);
}

static void
test_qr_svg(void **state)
{
	struct arena	*a = *state;
	char		*svg;

	svg = qr_svg(a, "http://x/xac-minh/7K3M9QTZ", "7K3M-9QTZ <&>");
	assert_non_null(svg);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, ">7K3M-9QTZ &lt;&amp;&gt;</text>"));
	/* the three finder patterns' corners are black */
	assert_non_null(strstr(svg, "<rect x=\"4\" y=\"4\" width=\"1\""));
}

KC_TEST_MAIN(test_norm, test_print, test_new, test_qr_png_decodes, test_qr_svg)
