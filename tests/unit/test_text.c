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

/* A code point as UTF-8 at p; returns its length. */
static size_t
put_cp(char *p, unsigned cp)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xc0 | cp >> 6);
		p[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	p[0] = (char)(0xe0 | cp >> 12);
	p[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	p[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* Every way of mapping s, with and without the fast path, agrees. */
static void
same_both_ways(struct arena *a, const char *s, size_t n)
{
	char *(*const fn[])(struct arena *, const char *, size_t) = {
		text_nfc, text_clean, text_fold, text_key, text_plain,
	};
	char	*fast, *slow;
	size_t	 i;

	for (i = 0; i < NELEM(fn); i++) {
		text_set_slow(0);
		fast = fn[i](a, s, n);
		text_set_slow(1);
		slow = fn[i](a, s, n);
		text_set_slow(0);
		if (slow == NULL)
			assert_null(fast);
		else {
			assert_non_null(fast);
			assert_string_equal(fast, slow);
		}
	}
}

/*
 * The fast path (Latin code points from a table utf8proc filled) gives
 * utf8proc's bytes: each code point of its ranges alone, between letters
 * and spaces, and random strings of them mixed with combining marks,
 * other scripts, white space, invisible characters and bad bytes.
 */
static void
test_fast_path(void **state)
{
	static const unsigned pool[] = {
		'a', 'A', 'z', ' ', '\t', '\n', 0x1f, '-', '0', 0xa0, 0xad,
		0xc0, 0xdf, 0xe9, 0x110, 0x111, 0x130, 0x149, 0x17f, 0x1c4,
		0x1f0, 0x24f, 0x250, 0x300, 0x301, 0x303, 0x309, 0x31b, 0x323,
		0x345, 0x3a3, 0x3c2, 0x1e00, 0x1e9e, 0x1ea0, 0x1ec7, 0x1ef9,
		0x1eff, 0x1f00, 0x200b, 0x2028, 0x3000, 0xfeff, 0x8336, 0xac00,
	};
	struct arena	*a = *state;
	char		 buf[64];
	size_t		 n, k;
	unsigned	 cp, seed = 20;
	int		 i, j;

	for (cp = 1; cp < 0x2000; cp++) {
		if (cp >= 0x250 && cp < 0x1e00 && cp % 7 != 0)
			continue;	/* outside the fast ranges: a sample */
		n = put_cp(buf, cp);
		same_both_ways(a, buf, n);
		buf[0] = 'x';
		n = 1 + put_cp(buf + 1, cp);
		buf[n++] = ' ';
		buf[n++] = 'Y';
		same_both_ways(a, buf, n);
	}
	for (i = 0; i < 20000; i++) {
		for (n = 0, j = 0; j < 1 + i % 9; j++) {
			seed = seed * 1103515245u + 12345u;
			k = (seed >> 16) % (NELEM(pool) + 1);
			if (k == NELEM(pool))
				buf[n++] = (char)0xc3;	/* cut short */
			else
				n += put_cp(buf + n, pool[k]);
		}
		same_both_ways(a, buf, n);
	}
	assert_string_equal(text_fold(a, "  KẸO   Cu\u00a0ĐƠ ",
	    strlen("  KẸO   Cu\u00a0ĐƠ ")), "keo cu do");
}

KC_TEST_MAIN(test_utf8_valid, test_invalid_input, test_transforms,
    test_key_tones, test_word, test_fast_path)
