/*
 * Unit tests of cgi/lib/valid.c: tax codes (with the check digit) and
 * households' 12-digit personal identification numbers, phone numbers
 * and their normal form, e-mail addresses. Tables of valid and invalid
 * inputs.
 */
#include "kc_test.h"

#include <time.h>

#include "idcode.h"
#include "clock.h"
#include "valid.h"

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

/* An input and its normal form (NULL: refused). */
struct norm {
	const char	*in;
	const char	*out;
};

/* Each of the n inputs of t is refused, or accepted as its normal form. */
static void
check_norms(int (*fn)(const char *, char *), const struct norm *t, size_t n)
{
	char	 out[VALID_TAX_MAX + VALID_PHONE_MAX];
	size_t	 i;

	for (i = 0; i < n; i++) {
		memset(out, 0, sizeof(out));
		if (t[i].out == NULL) {
			if (fn(t[i].in, out))
				fail_msg("accepted %s as %s", t[i].in, out);
		} else {
			if (!fn(t[i].in, out))
				fail_msg("refused %s", t[i].in);
			assert_string_equal(out, t[i].out);
		}
	}
}

static void
test_tax_code(void **state)
{
	static const struct norm t[] = {
		{ "0100109106", "0100109106" },
		{ "0100233583", "0100233583" },
		{ "3000123455", "3000123455" },
		{ "3001234567", "3001234567" },
		{ " 3000987656 ", "3000987656" },
		{ "0100109106-001", "0100109106-001" },	/* a branch */
		{ "3000123455-012", "3000123455-012" },
		/* 12 digits: a household's personal identification number */
		{ "042090123456", "042090123456" },	/* Hà Tĩnh, 1990 */
		{ " 001185000123 ", "001185000123" },	/* Hà Nội, 1985 */
		{ "079203004567", "079203004567" },	/* TP HCM, 2003 */
		{ "096300000001", "096300000001" },	/* Cà Mau, 2000 */
		{ "003090123456", NULL },	/* no province has 003 */
		{ "042490123456", NULL },	/* born 2190 */
		{ "042299123456", NULL },	/* born 2099 */
		{ "04209012345", NULL },	/* 11 digits */
		{ "0420901234567", NULL },	/* 13 digits */
		{ "042 090 123 456", NULL },
		{ "04209012345a", NULL },
		{ "04209-123456", NULL },
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

	(void)state;
	check_norms(valid_tax_code, t, NELEM(t));
}

/*
 * Each rule, as of a given year, and the reason given: the forms and
 * their lengths, the check digit, and a personal identification number's
 * province, century and birth year (Thông tư 07/2016/TT-BCA).
 */
static void
test_tax_why(void **state)
{
	static const struct {
		const char	*in;
		int		 year;
		enum valid_tax	 why;
	} t[] = {
		{ "0100109106", 2025, VALID_TAX_OK },
		{ "0100109106-001", 2025, VALID_TAX_OK },
		{ "0100109107", 2025, VALID_TAX_CHECK },
		{ "3000000020", 2025, VALID_TAX_CHECK },
		{ "0100109106-0a1", 2025, VALID_TAX_CHARS },
		{ "01001O9106", 2025, VALID_TAX_CHARS },
		{ "0100109106 001", 2025, VALID_TAX_CHARS },
		{ "01001-9106", 2025, VALID_TAX_CHARS },	/* "-" misplaced */
		{ "010010910612-", 2025, VALID_TAX_LENGTH },
		{ "", 2025, VALID_TAX_LENGTH },
		{ "010010910", 2025, VALID_TAX_LENGTH },
		{ "01001091066", 2025, VALID_TAX_LENGTH },
		{ "0100109106-01", 2025, VALID_TAX_LENGTH },
		{ "0420901234567", 2025, VALID_TAX_LENGTH },
		{ "042090123456", 2025, VALID_TAX_OK },
		{ "042190123456", 2025, VALID_TAX_OK },	/* female */
		{ "042225000001", 2025, VALID_TAX_OK },	/* born this year */
		{ "042326000001", 2025, VALID_TAX_FUTURE },
		{ "042326000001", 2026, VALID_TAX_OK },
		{ "042299000001", 2025, VALID_TAX_FUTURE },
		{ "042299000001", 2099, VALID_TAX_OK },
		{ "042400000001", 2025, VALID_TAX_CENTURY },
		{ "042500000001", 2099, VALID_TAX_CENTURY },
		{ "042400000001", 2100, VALID_TAX_OK },	/* 2100s: 4/5 */
		{ "042600000001", 2199, VALID_TAX_CENTURY },
		{ "042700000001", 2200, VALID_TAX_OK },	/* 2200s: 6/7 */
		{ "042900000001", 2299, VALID_TAX_CENTURY },
		{ "042800000001", 2300, VALID_TAX_OK },	/* 2300s: 8/9 */
		{ "042099000001", 2025, VALID_TAX_OK },	/* 1999 */
		{ "042100000001", 2025, VALID_TAX_OK },	/* 1900 */
		{ "000090123456", 2025, VALID_TAX_PROVINCE },
		{ "003090123456", 2025, VALID_TAX_PROVINCE },
		{ "041090123456", 2025, VALID_TAX_PROVINCE },
		{ "097090123456", 2025, VALID_TAX_PROVINCE },
		{ "999090123456", 2025, VALID_TAX_PROVINCE },
		{ "001090123456", 2025, VALID_TAX_OK },	/* Hà Nội */
		{ "096090123456", 2025, VALID_TAX_OK },	/* Cà Mau */
	};
	char	 out[VALID_TAX_MAX];
	size_t	 i;
	int	 w;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		w = (int)valid_tax_at(t[i].in, t[i].year, out);
		if (w != (int)t[i].why)
			fail_msg("%s in %d: %d, not %d", t[i].in, t[i].year, w,
			    (int)t[i].why);
	}
	/* A message of its own for each reason, none for success. */
	assert_string_equal(valid_tax_why(VALID_TAX_OK), "");
	for (w = VALID_TAX_LENGTH; w <= VALID_TAX_FUTURE; w++) {
		assert_true(strlen(valid_tax_why((enum valid_tax)w)) > 20);
		for (i = VALID_TAX_LENGTH; (int)i < w; i++)
			assert_string_not_equal(valid_tax_why((enum valid_tax)w),
			    valid_tax_why((enum valid_tax)i));
	}
	assert_non_null(strstr(valid_tax_why(VALID_TAX_PROVINCE), "tỉnh"));
	assert_non_null(strstr(valid_tax_why(VALID_TAX_FUTURE), "năm sinh"));
	assert_non_null(strstr(valid_tax_why(VALID_TAX_CHECK), "kiểm tra"));
	assert_non_null(strstr(valid_tax_why(VALID_TAX_LENGTH), "12 chữ số"));
	assert_non_null(strstr(valid_tax_why(VALID_TAX_CENTURY), "thế kỷ"));
}

/* valid_tax_code() takes this year: born this year, yes; next year, no. */
static void
test_tax_this_year(void **state)
{
	time_t		 now = time(NULL) + 7 * 3600;	/* Vietnam, UTC+7 */
	struct tm	 tm;
	int		 y;
	char		 in[64], out[VALID_TAX_MAX];

	(void)state;
	gmtime_r(&now, &tm);
	y = tm.tm_year + 1900;
	assert_int_equal(clock_year_vn(), y);
	snprintf(in, sizeof(in), "042%d%02d123456", (y - 1900) / 100 * 2,
	    y % 100);
	assert_true(valid_tax_code(in, out));
	assert_string_equal(out, in);
	snprintf(in, sizeof(in), "042%d%02d123456", (y + 1 - 1900) / 100 * 2,
	    (y + 1) % 100);
	assert_false(valid_tax_code(in, out));
}

/* The Ministry of Public Security's list: 63 provinces, 001 to 096. */
static void
test_idcode(void **state)
{
	static const int	 used[] = { 1, 2, 4, 6, 8, 10, 11, 12, 14, 15,
		17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
		40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
		67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91,
		92, 93, 94, 95, 96 };
	size_t			 i, n = 0;
	int			 c;

	(void)state;
	assert_int_equal(NELEM(used), 63);
	for (c = 0; c < 1000; c++) {
		for (i = 0; i < NELEM(used) && used[i] != c; i++)
			;
		if (i < NELEM(used)) {
			assert_non_null(idcode_province(c));
			n++;
		} else
			assert_null(idcode_province(c));
	}
	assert_int_equal(n, 63);
	assert_string_equal(idcode_province(42), "Hà Tĩnh");
	assert_string_equal(idcode_province(1), "Hà Nội");
	assert_string_equal(idcode_province(96), "Cà Mau");
}

static void
test_phone(void **state)
{
	static const struct norm t[] = {
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

	(void)state;
	check_norms(valid_phone, t, NELEM(t));
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

KC_TEST_MAIN(test_tax_check_digit, test_tax_code, test_tax_why,
    test_tax_this_year, test_idcode, test_phone, test_email)
