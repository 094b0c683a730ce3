/*
 * Unit tests of cgi/lib/text.c: UTF-8 validity, NFC, cleaning, the
 * search key (fold) and the identity key.
 */
#include "kc_test.h"

#include "text.h"

/* "Kẹo cu đơ" with combining marks (NFD): e + U+0323, o + U+031B. */
#define KEO_NFD		"Ke\xcc\xa3o cu \xc4\x91o\xcc\x9b"
/* "Mắm" as a + U+0306 + U+0301 (Windows-1258 style). */
#define MAM_NFD		"Ma\xcc\x86\xcc\x81m"

static void
test_utf8_valid(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
		int		 valid;
	} t[] = {
		{ "", 0, 1 },
		{ "abc", 3, 1 },
		{ "Kẹo cu đơ", sizeof("Kẹo cu đơ") - 1, 1 },
		{ KEO_NFD, sizeof(KEO_NFD) - 1, 1 },
		{ "\xf0\x9f\x8d\xac", 4, 1 },		/* U+1F36C */
		{ "\xf4\x8f\xbf\xbf", 4, 1 },		/* U+10FFFF */
		{ "\xc0\x80", 2, 0 },			/* overlong NUL */
		{ "\xc1\xbf", 2, 0 },			/* overlong */
		{ "\xe0\x80\xaf", 3, 0 },		/* overlong '/' */
		{ "\xf0\x80\x80\xaf", 4, 0 },		/* overlong '/' */
		{ "\xed\xa0\x80", 3, 0 },		/* surrogate D800 */
		{ "\xed\xbf\xbf", 3, 0 },		/* surrogate DFFF */
		{ "\xf4\x90\x80\x80", 4, 0 },		/* U+110000 */
		{ "\xf8\x88\x80\x80\x80", 5, 0 },	/* 5-byte form */
		{ "\xc3", 1, 0 },			/* cut short */
		{ "\xe1\xba", 2, 0 },			/* cut short */
		{ "\x80", 1, 0 },			/* lone continuation */
		{ "a\xff", 2, 0 },
		{ "a\0b", 3, 0 },			/* NUL byte */
		{ "\xfe\xff", 2, 0 },			/* UTF-16 BOM */
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++)
		assert_int_equal(text_utf8_valid(t[i].s, t[i].n), t[i].valid);
}

/* Each function returns NULL for invalid UTF-8. */
static void
test_invalid_input(void **state)
{
	static const char *const bad[] = {
		"\xc0\x80", "\xed\xa0\x80", "K\xe1\xba", "\xff",
	};
	struct arena	*a = *state;
	size_t		 i;

	for (i = 0; i < NELEM(bad); i++) {
		assert_null(text_nfc(a, bad[i], strlen(bad[i])));
		assert_null(text_clean(a, bad[i], strlen(bad[i])));
		assert_null(text_fold(a, bad[i], strlen(bad[i])));
		assert_null(text_key(a, bad[i], strlen(bad[i])));
	}
	assert_null(text_clean(a, "a\0b", 3));
}

struct pair {
	const char	*in;
	const char	*out;
};

static void
check_pairs(struct arena *a, char *(*fn)(struct arena *, const char *,
    size_t), const struct pair *t, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		assert_string_equal(fn(a, t[i].in, strlen(t[i].in)), t[i].out);
}

static void
test_nfc(void **state)
{
	static const struct pair t[] = {
		{ "", "" },
		{ "Kẹo cu đơ", "Kẹo cu đơ" },
		{ KEO_NFD, "Kẹo cu đơ" },
		{ MAM_NFD, "Mắm" },
		/* Dot below typed before the horn: reordered, composed. */
		{ "o\xcc\xa3\xcc\x9b", "ợ" },
		{ "  two  spaces\t", "  two  spaces\t" },	/* kept */
	};

	check_pairs(*state, text_nfc, t, NELEM(t));
}

static void
test_clean(void **state)
{
	static const struct pair t[] = {
		{ "", "" },
		{ "   ", "" },
		{ "Kẹo cu đơ", "Kẹo cu đơ" },
		{ "  Kẹo   cu\tđơ  ", "Kẹo cu đơ" },
		{ "Kẹo\r\ncu\nđơ", "Kẹo cu đơ" },
		{ "Kẹo\xc2\xa0" "cu\xe2\x80\x83" "đơ", "Kẹo cu đơ" },
		{ "\xe2\x80\x8b" "Kẹo\xe2\x80\x8b cu", "Kẹo cu" },
		{ "\xef\xbb\xbf" "STT", "STT" },
		{ " " KEO_NFD " ", "Kẹo cu đơ" },
		{ "Số QĐ: 12/QĐ-UBND", "Số QĐ: 12/QĐ-UBND" },
	};

	check_pairs(*state, text_clean, t, NELEM(t));
}

static void
test_fold(void **state)
{
	static const struct pair t[] = {
		{ "", "" },
		{ "Kẹo cu đơ", "keo cu do" },
		{ "KEO  CU DO", "keo cu do" },
		{ KEO_NFD, "keo cu do" },
		{ "KẸO CU ĐƠ", "keo cu do" },
		{ "Đ đ Ð", "d d ð" },	/* U+00D0 is Icelandic eth */
		{ MAM_NFD " ruốc", "mam ruoc" },
		{ "Bưởi Phúc Trạch", "buoi phuc trach" },
		{ "Mộc mỹ nghệ Thái Yên", "moc my nghe thai yen" },
		{ "Huyện/Thị xã", "huyen/thi xa" },
		{ "  TP.  Hà Tĩnh ", "tp. ha tinh" },
		{ "Tổng cộng: 12 sản phẩm", "tong cong: 12 san pham" },
	};

	check_pairs(*state, text_fold, t, NELEM(t));
}

static void
test_key(void **state)
{
	static const struct pair t[] = {
		{ "Mắm", "mắm" },
		{ "MẮM", "mắm" },
		{ MAM_NFD, "mắm" },
		{ "Mâm", "mâm" },
		{ "  Kẹo   CU ĐƠ ", "kẹo cu đơ" },
		{ KEO_NFD, "kẹo cu đơ" },
	};
	struct arena	*a = *state;

	check_pairs(a, text_key, t, NELEM(t));
	/* Tone marks make different words. */
	assert_string_not_equal(text_key(a, "Mắm", strlen("Mắm")),
	    text_key(a, "Mâm", strlen("Mâm")));
	assert_string_not_equal(text_key(a, "Kẹo", strlen("Kẹo")),
	    text_key(a, "Keo", strlen("Keo")));
}

/* Words as migration 024 split them in SQL (product_words_json),
 * [^\\p{L}\\p{M}\\p{N}]+ as separators. */
static void
test_word(void **state)
{
	static const struct {
		const char	*in, *out;
	} t[] = {
		{ "keo cu do", "keo|cu|do" },
		{ "  banh-da(vung)  thu_tai 12 ", "banh|da|vung|thu|tai|12" },
		{ "\"quote\"\\back\tslash", "quote|back|slash" },
		{ "mắm “ruốc” 9", "mắm|ruốc|9" },
		{ "dong–hai—x…y «z» 茶 naïve ½①", "dong|hai|x|y|z|茶|naïve|½①" },
		{ "e\xcc\x81t", "e\xcc\x81t" },	/* a combining mark is a letter's */
		{ "a\xff" "b", "a|b" },		/* not UTF-8: a separator */
		{ "!!! ... ---", "" },
		{ "", "" },
	};
	char		 long_in[200], long_out[200], got[256];
	const char	*p, *w;
	size_t		 i, len, n;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		got[0] = '\0';
		for (p = t[i].in; (w = text_word(&p, &len)) != NULL; ) {
			if (got[0] != '\0')
				strcat(got, "|");
			strncat(got, w, len);
		}
		assert_string_equal(got, t[i].out);
	}
	/* Cut to 64 characters, not bytes: 70 × "đ" (2 bytes each) → 64. */
	for (n = 0, i = 0; i < 70; i++, n += 2)
		memcpy(long_in + n, "đ", 2);
	long_in[n] = '\0';
	memcpy(long_out, long_in, 128);
	long_out[128] = '\0';
	p = long_in;
	w = text_word(&p, &len);
	assert_non_null(w);
	assert_int_equal(len, 128);
	assert_memory_equal(w, long_out, 128);
	assert_null(text_word(&p, &len));
}

KC_TEST_MAIN(test_utf8_valid, test_invalid_input, test_nfc, test_clean,
    test_fold, test_key, test_word)
