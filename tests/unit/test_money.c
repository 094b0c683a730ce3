/*
 * Unit tests of cgi/lib/money.c: the amounts people type, accepted with
 * their value, and those refused, each with the reason it gives.
 */
#include "kc_test.h"

#include "money.h"

static const struct ok {
	const char	*in;
	long long	 want;
} oks[] = {
	{ "2080000000", 2080000000LL },
	{ "2.080.000.000", 2080000000LL },
	{ "2.080.000.000 đ", 2080000000LL },
	{ "2.080.000.000đ", 2080000000LL },
	{ "2.080.000.000 đồng", 2080000000LL },
	{ "2.080.000.000 VNĐ", 2080000000LL },
	{ "2.080.000.000 vnd", 2080000000LL },
	{ "  2 080 000 000  ", 2080000000LL },
	{ "2,080,000,000", 2080000000LL },
	{ "1.500.000,00", 1500000LL },
	{ "1,500,000.00", 1500000LL },
	{ "150.000", 150000LL },
	{ "150.00", 150LL },
	{ "2,08 tỷ", 2080000000LL },
	{ "2,08 Tỷ đồng", 2080000000LL },
	{ "2,08 TỶ", 2080000000LL },
	{ "2.08 tỷ", 2080000000LL },
	{ "2,08 ty", 2080000000LL },
	{ "2,08 tỉ", 2080000000LL },
	{ "2.5 tỷ", 2500000000LL },
	{ "150 triệu", 150000000LL },
	{ "150 trieu", 150000000LL },
	{ "150tr", 150000000LL },
	{ "1,5 triệu đ", 1500000LL },
	{ "200 nghìn", 200000LL },
	{ "200 ngàn", 200000LL },
	{ "200k", 200000LL },
	{ "2 tỷ 80 triệu", 2080000000LL },
	{ "1 triệu 500 nghìn đồng", 1500000LL },
	{ "2 tỷ 80 triệu 500", 2080000500LL },
	{ "0", 0 },
	{ "1000000000000000", 1000000000000000LL },
	{ "0,000000001 tỷ", 1 },
	{ "2\xc2\xa0" "080\xc2\xa0" "000", 2080000LL },	/* no-break spaces */
};

static const struct bad {
	const char	*in;
	const char	*why;		/* a part of the message */
} bads[] = {
	{ "abc", "Không đọc được" },
	{ "đồng", "Không đọc được" },
	{ "12 abc", "Không đọc được" },
	{ "-5", "âm" },
	{ "2,5", "phần lẻ" },
	{ "150.5", "phần lẻ" },
	{ "2,5 đ", "phần lẻ" },
	{ "0,0000000005 tỷ", "phần lẻ" },
	{ "150,000", "Không rõ" },
	{ "1.500 tỷ", "Không rõ" },
	{ "1,500 triệu", "Không rõ" },
	{ "2.08.000", "3 chữ số" },
	{ "2,08,000", "3 chữ số" },
	{ "1..000", "3 chữ số" },
	{ "2 08 000", "3 chữ số" },
	{ "80 triệu 2 tỷ", "giảm dần" },
	{ "2 tỷ 3 tỷ", "giảm dần" },
	{ "2 tỷ tỷ", "Không đọc được" },
	{ "5 đ đ", "Không đọc được" },
	{ "1.000,5,0", "Không đọc được" },
	{ "1 000.000", "Không đọc được" },
	{ ".", "Không đọc được" },
	{ ",5 tỷ", "Không đọc được" },
	{ "1000000000000001", "quá lớn" },
	{ "99999999999999999999999999", "quá lớn" },
	{ "2000000 tỷ", "quá lớn" },
	{ "\xff\xfe", "Không đọc được" },
};

static void
test_money_accepted(void **state)
{
	struct arena	*a = *state;
	const char	*why;
	long long	 v;
	size_t		 i;

	for (i = 0; i < NELEM(oks); i++) {
		v = -1;
		if (money_parse(a, oks[i].in, strlen(oks[i].in), &v, &why) != 0)
			fail_msg("«%s» refused: %s", oks[i].in,
			    why ? why : "(empty)");
		if (v != oks[i].want)
			fail_msg("«%s» gave %lld, want %lld", oks[i].in, v,
			    oks[i].want);
	}
}

static void
test_money_refused(void **state)
{
	struct arena	*a = *state;
	const char	*why;
	long long	 v = 7;
	size_t		 i;

	for (i = 0; i < NELEM(bads); i++) {
		if (money_parse(a, bads[i].in, strlen(bads[i].in), &v,
		    &why) == 0)
			fail_msg("«%s» accepted as %lld", bads[i].in, v);
		if (why == NULL || strstr(why, bads[i].why) == NULL)
			fail_msg("«%s»: «%s», want «%s»", bads[i].in,
			    why ? why : "(null)", bads[i].why);
	}
	assert_int_equal(v, 7);
}

static void
test_money_empty(void **state)
{
	struct arena	*a = *state;
	const char	*why = "x";
	long long	 v;

	assert_int_equal(money_parse(a, "   ", 3, &v, &why), -1);
	assert_null(why);
	assert_int_equal(money_parse(a, "", 0, &v, &why), -1);
	assert_null(why);
}

static void
test_money_format(void **state)
{
	char	 b[40];

	(void)state;
	assert_string_equal(money_format(b, sizeof(b), 2080000000LL),
	    "2.080.000.000 đ");
	assert_string_equal(money_format(b, sizeof(b), 0), "0 đ");
	assert_string_equal(money_format(b, sizeof(b), 999), "999 đ");
	assert_string_equal(money_format(b, sizeof(b), 1000), "1.000 đ");
	assert_string_equal(money_format(b, sizeof(b), -1500000),
	    "-1.500.000 đ");
}

KC_TEST_MAIN(test_money_accepted, test_money_refused, test_money_empty,
    test_money_format)
