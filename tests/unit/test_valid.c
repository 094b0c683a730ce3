/*
 * Unit tests of cgi/lib/valid.c: tax codes (with the check digit), phone
 * numbers and their normal form, e-mail addresses. Tables of valid and
 * invalid inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "valid.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The rule: weights 31 29 23 19 17 13 7 5 3 on the first nine digits,
 * check = 10 - (sum mod 11). 0100109106: 0*31 + 1*29 + 0*23 + 0*19 +
 * 1*17 + 0*13 + 9*7 + 1*5 + 0*3 = 114; 114 mod 11 = 4; 10 - 4 = 6.
 */
static void
test_tax_check_digit(void **state)
{
	static const struct {
		const char	*nine;
		int		 check;
	} t[] = {
		{ "010010910", 6 },
		{ "010023358", 3 },
		{ "300012345", 5 },
		{ "300123456", 7 },
		{ "300098765", 6 },
		{ "310000000", 9 },
		{ "300000002", -1 },	/* the rule gives 10: never issued */
		{ "30000000a", -1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++)
		assert_int_equal(valid_tax_check_digit(t[i].nine), t[i].check);
}

static void
test_tax_code(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: invalid */
	} t[] = {
		{ "0100109106", "0100109106" },
		{ "0100233583", "0100233583" },
		{ "3000123455", "3000123455" },
		{ "3001234567", "3001234567" },
		{ " 3000987656 ", "3000987656" },
		{ "0100109106-001", "0100109106-001" },	/* a branch */
		{ "3000123455-012", "3000123455-012" },
		{ "0100109107", NULL },		/* wrong check digit */
		{ "3000123454", NULL },
		{ "3000000020", NULL },		/* check would be 10 */
		{ "010010910", NULL },		/* 9 digits */
		{ "01001091066", NULL },	/* 11 digits */
		{ "0100109106-01", NULL },
		{ "0100109106-0011", NULL },
		{ "0100109106 001", NULL },
		{ "0100109106_001", NULL },
		{ "01001O9106", NULL },		/* letter O */
		{ "", NULL },
		{ "'; DROP TABLE", NULL },
		{ "0100109106-abc", NULL },
	};
	char	 out[VALID_TAX_MAX];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		memset(out, 0, sizeof(out));
		if (t[i].out == NULL)
			assert_false(valid_tax_code(t[i].in, out));
		else {
			assert_true(valid_tax_code(t[i].in, out));
			assert_string_equal(out, t[i].out);
		}
	}
}

static void
test_phone(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: invalid */
	} t[] = {
		{ "0912345678", "0912345678" },
		{ "0912 345 678", "0912345678" },
		{ "+84 912345678", "0912345678" },
		{ "+84912345678", "0912345678" },
		{ "84912345678", "0912345678" },
		{ "0084 912 345 678", "0912345678" },
		{ "091.234.5678", "0912345678" },
		{ "091-234-5678", "0912345678" },
		{ "(+84) 386 123 456", "0386123456" },
		{ "0386123456", "0386123456" },
		{ "0523456789", "0523456789" },
		{ "0779999999", "0779999999" },
		{ "0845123456", "0845123456" },	/* 08x, not country code */
		{ "0239 3855 123", "02393855123" },	/* Ha Tinh landline */
		{ "+84 239 3855 123", "02393855123" },
		{ "842393855123", "02393855123" },
		{ "091234567", NULL },		/* 9 digits */
		{ "09123456789", NULL },	/* 11 digits, mobile prefix */
		{ "0112345678", NULL },		/* no such prefix */
		{ "0612345678", NULL },
		{ "+1 912345678", NULL },	/* another country */
		{ "+84 0912345678", NULL },
		{ "912345678", NULL },		/* no leading 0 */
		{ "0912a45678", NULL },
		{ "", NULL },
		{ "+", NULL },
		{ "0912345678 OR 1=1", NULL },
		{ "0912345678012345678901234567890123", NULL },
	};
	char	 out[VALID_PHONE_MAX];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		memset(out, 0, sizeof(out));
		if (t[i].out == NULL) {
			if (valid_phone(t[i].in, out))
				fail_msg("accepted %s as %s", t[i].in, out);
		} else {
			if (!valid_phone(t[i].in, out))
				fail_msg("refused %s", t[i].in);
			assert_string_equal(out, t[i].out);
		}
	}
}

static void
test_email(void **state)
{
	static const char *const good[] = {
		"a@b.vn",
		"coso.mocha@gmail.com",
		"nguyen_van-a+kc@so-cong-thuong.hatinh.gov.vn",
		"x1@mail.example.com",
		"o'brien@example.org",
	};
	static const char *const bad[] = {
		"",
		"plain",
		"@example.com",
		"a@",
		"a@b",			/* one label */
		"a@b.c",		/* one-letter TLD */
		"a@@b.vn",
		"a@b@c.vn",
		".a@b.vn",
		"a.@b.vn",
		"a..b@c.vn",
		"a b@c.vn",
		"a@-b.vn",
		"a@b-.vn",
		"a@b..vn",
		"a@b.v1",
		"ngườidùng@b.vn",	/* not ASCII */
		"<script>@x.vn",
		"a@b.vn; DROP TABLE application",
	};
	char	 longlocal[80], longaddr[300];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(good); i++)
		if (!valid_email(good[i]))
			fail_msg("refused %s", good[i]);
	for (i = 0; i < NELEM(bad); i++)
		if (valid_email(bad[i]))
			fail_msg("accepted %s", bad[i]);
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@b.vn");
	assert_false(valid_email(longlocal));
	memset(longaddr, 'a', 60);
	longaddr[60] = '@';
	for (i = 61; i < 290; i += 10)
		memcpy(longaddr + i, "abcdefghi.", 10);
	strcpy(longaddr + 290, "vn");
	assert_false(valid_email(longaddr));	/* over 254 */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tax_check_digit),
		cmocka_unit_test(test_tax_code),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
