/*
 * money: the parser of typed amounts (see money.h for what it takes).
 * The text is folded first (lower case, no diacritics: "Tỷ đồng" reads
 * "ty dong"), then read as parts: a number and an optional unit word
 * (tỷ, triệu, nghìn), the units strictly decreasing, and at the end an
 * optional currency word (đ, đồng, VND).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "money.h"
#include "text.h"

#define E_FORM	"Không đọc được số tiền: viết như 2.080.000.000, " \
		"2.080.000.000 đ, 2,08 tỷ hoặc 150 triệu"
#define E_PART	"Số tiền phải là số đồng chẵn, không có phần lẻ của đồng"
#define E_GROUP	"Sau dấu phân cách hàng nghìn phải có đúng 3 chữ số " \
		"(ví dụ 2.080.000.000)"
#define E_BIG	"Số tiền quá lớn"
#define E_NEG	"Số tiền không được âm"
#define E_ORDER	"Các đơn vị phải theo thứ tự giảm dần, ví dụ 2 tỷ 80 triệu"

static const struct unit {
	const char	*word;
	long long	 mult;
} units[] = {
	{ "ty", 1000000000LL }, { "ti", 1000000000LL },
	{ "trieu", 1000000LL }, { "tr", 1000000LL },
	{ "nghin", 1000LL }, { "ngan", 1000LL }, { "k", 1000LL },
	{ "dong", 0 }, { "d", 0 }, { "vnd", 0 },
};

/* The unit word at p (letters only, len n): its multiplier, 0 for a
 * currency word, -1 if unknown. */
static long long
unit_of(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].word) == n &&
		    memcmp(units[i].word, p, n) == 0)
			return units[i].mult;
	return -1;
}

/* Checks thousands groups: s (digits and sep only) is 1-3 digits, then
 * groups of exactly three after each sep. Copies the digits to d. */
static int
groups_ok(const char *s, size_t n, char sep, char *d, size_t *dn)
{
	size_t	 i, run = 0, first = 1;

	*dn = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == sep) {
			if (run == 0 || run > 3 || (!first && run != 3))
				return 0;
			first = 0;
			run = 0;
			continue;
		}
		d[(*dn)++] = s[i];
		run++;
	}
	return run > 0 && (first ? 1 : run == 3);
}

/* Count of c in s[0..n). */
static size_t
count(const char *s, size_t n, char c)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* Position of the last c in s[0..n), or n. */
static size_t
last_of(const char *s, size_t n, char c)
{
	size_t	 i, at = n;

	for (i = 0; i < n; i++)
		if (s[i] == c)
			at = i;
	return at;
}

/*
 * Decides the role of the separators of one number: *sep the thousands
 * separator (0 none), *dec the decimal one (0 none). The decimal mark is
 * the later kind when both appear (1.500.000,00; 1,500,000.00); a lone
 * mark not followed by exactly three digits is decimal (2,08 tỷ; 2.5
 * tỷ); a lone mark before three digits is a vi-VN thousands dot only in
 * a plain amount (150.000 đ), otherwise it could be read both ways.
 */
static const char *
marks(struct arena *a, const char *s, size_t n, long long mult, char *sep,
    char *dec)
{
	size_t	 dots = count(s, n, '.'), commas = count(s, n, ',');
	size_t	 at;

	*sep = *dec = 0;
	if (count(s, n, ' ') > 0) {
		*sep = ' ';
		return dots + commas > 0 ? E_FORM : NULL;
	}
	if (dots > 0 && commas > 0) {
		*dec = last_of(s, n, '.') > last_of(s, n, ',') ? '.' : ',';
		*sep = *dec == '.' ? ',' : '.';
		return count(s, n, *dec) == 1 ? NULL : E_FORM;
	}
	if (dots + commas > 1) {
		*sep = dots > 0 ? '.' : ',';
		return NULL;
	}
	if (dots + commas == 0)
		return NULL;
	at = last_of(s, n, dots ? '.' : ',');
	if (n - at - 1 != 3)
		*dec = s[at];
	else if (s[at] == '.' && mult == 1)
		*sep = '.';
	else
		return arena_printf(a, "Không rõ «%.*s»: dấu «%c» trước 3 chữ "
		    "số có thể là phân cách hàng nghìn hoặc dấu thập phân; hãy "
		    "viết đủ số đồng, ví dụ 2.080.000.000", (int)n, s, s[at]);
	return NULL;
}

/* One number (digits, '.', ',', ' ') times mult (a power of ten) into *v. */
static const char *
number(struct arena *a, const char *s, size_t n, long long mult,
    long long *v)
{
	char		 digits[64], sep, dec;
	size_t		 intlen = n, dn = 0, fn = 0, i;
	const char	*err;
	long long	 iv = 0, fv = 0, p10 = 1;

	if (n >= sizeof(digits))
		return E_BIG;
	if ((err = marks(a, s, n, mult, &sep, &dec)) != NULL)
		return err;
	if (dec) {
		intlen = last_of(s, n, dec);
		for (i = intlen + 1; i < n; i++, fn++) {
			if (fn == 12)
				return E_PART;
			fv = fv * 10 + (s[i] - '0');
			p10 *= 10;
		}
		if (fn == 0 || intlen == 0)
			return E_FORM;
	}
	if (sep && !groups_ok(s, intlen, sep, digits, &dn))
		return E_GROUP;
	if (!sep)
		memcpy(digits, s, (dn = intlen));
	for (i = 0; i < dn; i++) {
		if (iv > MONEY_MAX)
			return E_BIG;
		iv = iv * 10 + (digits[i] - '0');
	}
	if (iv > MONEY_MAX / mult)
		return E_BIG;
	if (mult >= p10)
		fv *= mult / p10;
	else if (fv % (p10 / mult) != 0)
		return E_PART;
	else
		fv /= p10 / mult;
	*v = iv * mult + fv;
	return *v > MONEY_MAX ? E_BIG : NULL;
}

/* The number at *p: digits with '.', ',' and single spaces between digits. */
static size_t
number_len(const char *p)
{
	size_t	 n = 0;

	while (isdigit((unsigned char)p[n]) || p[n] == '.' || p[n] == ',' ||
	    (p[n] == ' ' && n > 0 && isdigit((unsigned char)p[n - 1]) &&
	    isdigit((unsigned char)p[n + 1])))
		n++;
	return n;
}

static const char *
skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static size_t
word_len(const char *p)
{
	size_t	 n = 0;

	while (isalpha((unsigned char)p[n]))
		n++;
	return n;
}

/*
 * Parts, each a number and its unit, the units decreasing; a part with
 * no unit or with the currency word is the last; after a unit part, an
 * optional currency word ends the amount.
 */
int
money_parse(struct arena *a, const char *s, size_t len, long long *out,
    const char **why)
{
	const char	*f, *p, *w;
	long long	 total = 0, v, mult, prev = MONEY_MAX + 1;
	size_t		 n, wn;

	*why = NULL;
	if ((f = text_fold(a, s, len)) == NULL)
		goto bad;
	if (*(p = skip_spaces(f)) == '\0')
		return -1;
	if (*p == '-') {
		*why = E_NEG;
		return -1;
	}
	for (;;) {
		if ((n = number_len(p)) == 0)
			goto bad;
		w = skip_spaces(p + n);
		wn = word_len(w);
		if ((mult = wn > 0 ? unit_of(w, wn) : 1) < 0)
			goto bad;
		if ((mult == 0 ? 1 : mult) >= prev) {
			*why = E_ORDER;
			return -1;
		}
		prev = mult == 0 ? 1 : mult;
		if ((*why = number(a, p, n, prev, &v)) != NULL)
			return -1;
		if ((total += v) > MONEY_MAX) {
			*why = E_BIG;
			return -1;
		}
		p = skip_spaces(w + wn);
		if (prev == 1 || *p == '\0' || isalpha((unsigned char)*p))
			break;
	}
	if (prev > 1 && (wn = word_len(p)) > 0) {
		if (unit_of(p, wn) != 0)
			goto bad;
		p = skip_spaces(p + wn);
	}
	if (*p != '\0')
		goto bad;
	*out = total;
	return 0;
bad:
	*why = E_FORM;
	return -1;
}

char *
money_format(char *buf, size_t size, long long n)
{
	char		 d[32], *o = buf;
	size_t		 i, len;
	int		 neg = n < 0;
	unsigned long long u = neg ? -(unsigned long long)n :
	    (unsigned long long)n;

	len = (size_t)snprintf(d, sizeof(d), "%llu", u);
	if (size < len + len / 3 + 8) {
		*buf = '\0';
		return buf;
	}
	if (neg)
		*o++ = '-';
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			*o++ = '.';
		*o++ = d[i];
	}
	memcpy(o, " đ", sizeof(" đ"));
	return buf;
}
