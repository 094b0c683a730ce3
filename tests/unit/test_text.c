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

/* A transform of text.c (and its name) and what it makes of an input. */
#define T(fn)	fn, #fn
static const struct {
	char		*(*fn)(struct arena *, const char *, size_t);
	const char	*name;
	const char	*in;
	const char	*out;
} pairs[] = {
	{ T(text_nfc), "", "" },
	{ T(text_nfc), "Kẹo cu đơ", "Kẹo cu đơ" },
	{ T(text_nfc), KEO_NFD, "Kẹo cu đơ" },
	{ T(text_nfc), MAM_NFD, "Mắm" },
	/* Dot below typed before the horn: reordered, composed. */
	{ T(text_nfc), "o\xcc\xa3\xcc\x9b", "ợ" },
	{ T(text_nfc), "  two  spaces\t", "  two  spaces\t" },	/* kept */
	{ T(text_clean), "", "" },
	{ T(text_clean), "   ", "" },
	{ T(text_clean), "Kẹo cu đơ", "Kẹo cu đơ" },
	{ T(text_clean), "  Kẹo   cu\tđơ  ", "Kẹo cu đơ" },
	{ T(text_clean), "Kẹo\r\ncu\nđơ", "Kẹo cu đơ" },
	{ T(text_clean), "Kẹo\xc2\xa0" "cu\xe2\x80\x83" "đơ", "Kẹo cu đơ" },
	{ T(text_clean), "\xe2\x80\x8b" "Kẹo\xe2\x80\x8b cu", "Kẹo cu" },
	{ T(text_clean), "\xef\xbb\xbf" "STT", "STT" },
	{ T(text_clean), " " KEO_NFD " ", "Kẹo cu đơ" },
	{ T(text_clean), "Số QĐ: 12/QĐ-UBND", "Số QĐ: 12/QĐ-UBND" },
	{ T(text_fold), "", "" },
	{ T(text_fold), "Kẹo cu đơ", "keo cu do" },
	{ T(text_fold), "KEO  CU DO", "keo cu do" },
	{ T(text_fold), KEO_NFD, "keo cu do" },
	{ T(text_fold), "KẸO CU ĐƠ", "keo cu do" },
	{ T(text_fold), "Đ đ Ð", "d d ð" },	/* U+00D0 is Icelandic eth */
	{ T(text_fold), MAM_NFD " ruốc", "mam ruoc" },
	{ T(text_fold), "Bưởi Phúc Trạch", "buoi phuc trach" },
	{ T(text_fold), "Mộc mỹ nghệ Thái Yên", "moc my nghe thai yen" },
	{ T(text_fold), "Huyện/Thị xã", "huyen/thi xa" },
	{ T(text_fold), "  TP.  Hà Tĩnh ", "tp. ha tinh" },
	{ T(text_fold), "Tổng cộng: 12 sản phẩm", "tong cong: 12 san pham" },
	{ T(text_key), "Mắm", "mắm" },
	{ T(text_key), "MẮM", "mắm" },
	{ T(text_key), MAM_NFD, "mắm" },
	{ T(text_key), "Mâm", "mâm" },
	{ T(text_key), "  Kẹo   CU ĐƠ ", "kẹo cu đơ" },
	{ T(text_key), KEO_NFD, "kẹo cu đơ" },
};

/* Each row of pairs: the transform gives its output. */
static void
test_transforms(void **state)
{
	struct arena	*a = *state;
	const char	*got;
	size_t		 i;

	for (i = 0; i < NELEM(pairs); i++) {
		got = pairs[i].fn(a, pairs[i].in, strlen(pairs[i].in));
		if (got == NULL || strcmp(got, pairs[i].out) != 0)
			fail_msg("%s(“%s”): “%s”, want “%s”", pairs[i].name,
			    pairs[i].in, got == NULL ? "(null)" : got,
			    pairs[i].out);
	}
}

/* Tone marks make different words. */
static void
test_key_tones(void **state)
{
	struct arena	*a = *state;

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

KC_TEST_MAIN(test_utf8_valid, test_invalid_input, test_transforms,
    test_key_tones, test_word)
