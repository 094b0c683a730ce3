/*
 * text: normalisation of Vietnamese text. Everything goes through
 * utf8proc_map_custom() with a small code point mapping (white space to
 * a plain space, đ to d for the search key), then a pass that trims and
 * collapses the spaces.
 *
 * Text made only of Latin letters (U+0000-U+024F, U+1E00-U+1EFF: all of
 * Vietnamese, precomposed) takes a fast path: each code point's mapping
 * is looked up in a table that utf8proc itself filled, once per way, on
 * first use. In those ranges no two adjacent code points compose or
 * reorder under NFC (the second of a composition is always a combining
 * mark, outside them), so the result is the same bytes as utf8proc's on
 * the whole string; anything else (a combining mark, another script)
 * goes the whole way through utf8proc. utf8proc was two thirds of
 * kc-import's own time on a Vietnamese list (issue 20).
 */
#include <stdlib.h>
#include <string.h>
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

/* The ways text is mapped, each with its fast path's table. */
enum text_way { W_NFC, W_CLEAN, W_FOLD, W_PLAIN, W_KEY, W__MAX };
static const struct {
	utf8proc_option_t	 opts;
	int			 flags;
} text_ways[W__MAX] = {
	[W_NFC] = { 0, 0 },
	[W_CLEAN] = { UTF8PROC_IGNORE, MAP_SPACE },
	[W_FOLD] = { UTF8PROC_IGNORE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
	    MAP_SPACE | MAP_DSTROKE },
	[W_PLAIN] = { UTF8PROC_STRIPMARK, MAP_DPLAIN },
	[W_KEY] = { UTF8PROC_IGNORE | UTF8PROC_CASEFOLD, MAP_SPACE },
};

/* The fast path's code points: Latin (Basic to Extended-B), then Latin
 * Extended Additional (Vietnamese) at FAST_LO2, in one table. */
#define FAST_HI1	0x0250
#define FAST_LO2	0x1E00
#define FAST_HI2	0x1F00
#define FAST_N		(FAST_HI1 + FAST_HI2 - FAST_LO2)
#define FAST_OUT	11	/* a code point's mapping: at most 3 x 3 bytes */

struct text_fast {
	unsigned char	 len[FAST_N];
	char		 out[FAST_N][FAST_OUT];
};
static struct text_fast	*text_fast[W__MAX];
static int		 text_fast_off;

/* utf8proc's mapping of the n bytes at s, the way w (malloc'd). */
static utf8proc_ssize_t
text_map_slow(const char *s, size_t n, enum text_way w, utf8proc_uint8_t **m)
{
	int	 flags = text_ways[w].flags;

	return utf8proc_map_custom((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)n, m, text_ways[w].opts | UTF8PROC_STABLE |
	    UTF8PROC_COMPOSE, text_map_cp, &flags);
}

/* The table of the way w, filled by utf8proc on first use. */
static const struct text_fast *
text_fast_table(enum text_way w)
{
	struct text_fast	*t;
	utf8proc_uint8_t	 u[4], *m;
	utf8proc_ssize_t	 len, k;
	size_t			 i;

	if (text_fast[w] != NULL)
		return text_fast[w];
	if ((t = calloc(1, sizeof(*t))) == NULL)
		abort();
	for (i = 0; i < FAST_N; i++) {
		k = utf8proc_encode_char((utf8proc_int32_t)(i < FAST_HI1 ? i :
		    i - FAST_HI1 + FAST_LO2), u);
		if ((len = text_map_slow((const char *)u, (size_t)k, w,
		    &m)) < 0 || len > FAST_OUT)
			abort();	/* no Latin letter maps to more */
		memcpy(t->out[i], m, (size_t)len);
		t->len[i] = (unsigned char)len;
		free(m);
	}
	return text_fast[w] = t;
}

/* The table slot of code point cp, or -1 outside the fast path. */
static int
text_fast_slot(utf8proc_int32_t cp)
{
	if (cp >= 0 && cp < FAST_HI1)
		return (int)cp;
	if (cp >= FAST_LO2 && cp < FAST_HI2)
		return (int)(cp - FAST_LO2 + FAST_HI1);
	return -1;
}

/*
 * The fast path: the n bytes at s mapped the way w into *out (malloc'd,
 * at most FAST_OUT bytes per input byte); -1 if a code point is outside
 * the fast ranges (or the text is not UTF-8), for utf8proc to do.
 */
static ssize_t
text_map_fast(const char *s, size_t n, enum text_way w, char **out)
{
	const struct text_fast	*t;
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 k;
	char			*o;
	size_t			 i, len = 0;
	int			 slot;

	if (text_fast_off)
		return -1;
	t = text_fast_table(w);
	if ((o = malloc(n * FAST_OUT + 1)) == NULL)
		abort();
	for (i = 0; i < n; i += (size_t)k) {
		if (p[i] < 0x80) {
			cp = p[i];
			k = 1;
		} else if ((k = utf8proc_iterate(p + i, (utf8proc_ssize_t)
		    (n - i > 4 ? 4 : n - i), &cp)) < 0)
			cp = -1;
		if (cp <= 0 || (slot = text_fast_slot(cp)) < 0) {
			free(o);
			return -1;
		}
		memcpy(o + len, t->out[slot], t->len[slot]);
		len += t->len[slot];
	}
	o[len] = '\0';
	*out = o;
	return (ssize_t)len;
}

/* Turns the fast path off (1) or on (0): the unit test's comparison. */
void
text_set_slow(int on)
{
	text_fast_off = on;
}

static char *
text_map(struct arena *a, const char *s, size_t n, enum text_way w)
{
	utf8proc_uint8_t	*m;
	utf8proc_ssize_t	 len;
	ssize_t			 flen;
	char			*r, *f;

	if ((flen = text_map_fast(s, n, w, &f)) >= 0) {
		m = (utf8proc_uint8_t *)f;
		len = flen;
	} else {
		if (!text_utf8_valid(s, n))
			return NULL;
		/* input is valid: only out of memory is left */
		if ((len = text_map_slow(s, n, w, &m)) < 0)
			abort();
	}
	if (text_ways[w].flags & MAP_SPACE)
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
	return text_map(a, s, n, W_NFC);
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
	return text_map(a, s, n, W_CLEAN);
}

/*
 * Returns the search key of s: cleaned as text_clean(), lower case,
 * without any diacritic, đ as d ("Kẹo cu đơ" gives "keo cu do");
 * punctuation is kept. NULL if s is not valid UTF-8.
 */
char *
text_fold(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, W_FOLD);
}

/*
 * Returns s without diacritics, case kept, đ as d and Đ as D ("Được
 * duyệt" gives "Duoc duyet"): Vietnamese as a brand-name SMS carries it
 * (GSM 7-bit). Line breaks are kept. NULL if s is not valid UTF-8.
 */
char *
text_plain(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, W_PLAIN);
}

/*
 * Returns the identity key of s: cleaned as text_clean() and lower
 * case, diacritics kept ("MẮM" and "mắm" agree, "mắm" and "mâm" do
 * not). NULL if s is not valid UTF-8.
 */
char *
text_key(struct arena *a, const char *s, size_t n)
{
	return text_map(a, s, n, W_KEY);
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
