/*
 * text: normalisation of Vietnamese text. Everything goes through
 * utf8proc_map_custom() with a small code point mapping (white space to
 * a plain space, đ to d for the search key), then a pass that trims and
 * collapses the spaces.
 */
#include <stdlib.h>
#include <sys/types.h>

#include <utf8proc.h>

#include "arena.h"
#include "text.h"

#define MAP_SPACE	0x01	/* every kind of white space becomes ' ' */
#define MAP_DSTROKE	0x02	/* đ and Đ become d */
#define MAP_DPLAIN	0x04	/* đ becomes d, Đ becomes D */

/*
 * Returns non-zero if the n bytes at s are well-formed UTF-8 without
 * overlong forms, surrogates, code points above U+10FFFF or NUL bytes.
 */
int
text_utf8_valid(const char *s, size_t n)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 len;

	while (n > 0) {
		len = utf8proc_iterate(p, n > 4 ? 4 : (utf8proc_ssize_t)n,
		    &cp);
		if (len < 0 || cp == 0)
			return 0;
		p += len;
		n -= (size_t)len;
	}
	return 1;
}

static int
text_is_space(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return 1;
	default:
		return 0;
	}
}

static utf8proc_int32_t
text_map_cp(utf8proc_int32_t cp, void *data)
{
	int	 flags = *(int *)data;

	if ((flags & MAP_SPACE) && text_is_space(cp))
		return ' ';
	if ((flags & MAP_DSTROKE) && (cp == 0x0110 || cp == 0x0111))
		return 'd';
	if ((flags & MAP_DPLAIN) && (cp == 0x0110 || cp == 0x0111))
		return cp == 0x0110 ? 'D' : 'd';
	return cp;
}

/* Copies s to the arena without leading, trailing or repeated spaces. */
static char *
text_squeeze(struct arena *a, const utf8proc_uint8_t *s, size_t n)
{
	char	*out, *p;
	int	 space = 0;
	size_t	 i;

	out = p = arena_alloc(a, n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == ' ') {
			space = p != out;
			continue;
		}
		if (space)
			*p++ = ' ';
		space = 0;
		*p++ = (char)s[i];
	}
	*p = '\0';
	return out;
}

static char *
text_map(struct arena *a, const char *s, size_t n, utf8proc_option_t opts,
    int flags)
{
	utf8proc_uint8_t	*m;
	utf8proc_ssize_t	 len;
	char			*r;

	if (!text_utf8_valid(s, n))
		return NULL;
	len = utf8proc_map_custom((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)n, &m, opts | UTF8PROC_STABLE | UTF8PROC_COMPOSE,
	    text_map_cp, &flags);
	if (len < 0)
		abort();	/* input is valid: only out of memory is left */
	if (flags & MAP_SPACE)
		r = text_squeeze(a, m, (size_t)len);
	else
		r = arena_strndup(a, (const char *)m, (size_t)len);
	free(m);
	return r;
}

/*
 * Returns the NFC form of s, or NULL if s is not valid UTF-8.
 */
char *
text_nfc(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, 0, 0);
}

/*
 * Returns s in NFC, trimmed, every run of white space (tabs, line
 * breaks, no-break spaces, control characters) made one space and
 * invisible characters (zero-width space, BOM, soft hyphen) removed;
 * NULL if s is not valid UTF-8.
 */
char *
text_clean(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, UTF8PROC_IGNORE, MAP_SPACE);
}

/*
 * Returns the search key of s: cleaned as text_clean(), lower case,
 * without any diacritic, đ as d ("Kẹo cu đơ" gives "keo cu do");
 * punctuation is kept. NULL if s is not valid UTF-8.
 */
char *
text_fold(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, UTF8PROC_IGNORE | UTF8PROC_CASEFOLD |
	    UTF8PROC_STRIPMARK, MAP_SPACE | MAP_DSTROKE);
}

/*
 * Returns s without diacritics, case kept, đ as d and Đ as D ("Được
 * duyệt" gives "Duoc duyet"): Vietnamese as a brand-name SMS carries it
 * (GSM 7-bit). Line breaks are kept. NULL if s is not valid UTF-8.
 */
char *
text_plain(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, UTF8PROC_STRIPMARK, MAP_DPLAIN);
}

/*
 * Returns the identity key of s: cleaned as text_clean() and lower
 * case, diacritics kept ("MẮM" and "mắm" agree, "mắm" and "mâm" do
 * not). NULL if s is not valid UTF-8.
 */
char *
text_key(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, UTF8PROC_IGNORE | UTF8PROC_CASEFOLD,
	    MAP_SPACE);
}

/* Letters, marks and digits of any script (Unicode L*, M*, N*). */
static int
text_word_cp(utf8proc_int32_t cp)
{
	utf8proc_category_t	 c = utf8proc_category(cp);

	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

const char *
text_word(const char **p, size_t *len)
{
	const utf8proc_uint8_t	*s = (const utf8proc_uint8_t *)*p;
	const utf8proc_uint8_t	*start = NULL;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 chars = 0;
	int			 word;

	for (;; s += n) {
		if (*s < 0x80) {	/* ASCII: its letters and digits */
			n = 1;
			if ((cp = *s) == 0)
				break;
			word = (cp >= 'a' && cp <= 'z') ||
			    (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
		} else if ((n = utf8proc_iterate(s, -1, &cp)) <= 0) {
			n = 1;		/* not UTF-8: a separator */
			word = 0;
		} else if (cp == 0)
			break;
		else
			word = text_word_cp(cp);
		if (start == NULL) {
			if (!word)
				continue;
			start = s;
			*len = 0;
		} else if (!word)
			break;
		if (++chars <= TEXT_WORD_CHARS)
			*len = (size_t)(s + n - start);
	}
	*p = (const char *)s;
	return (const char *)start;
}
