/*
 * kc-products, the catalogue's indexes, made once what catalogue.c read
 * is in memory (catalogue.h):
 *   - the words of each product's search text (product.search_fold split
 *     by text_word, as migration 024 splits them), sorted by
 *     their bytes (utf8mb4_bin's order), each with the list of its
 *     products;
 *   - the prefixes of one and of two characters of those words, each with
 *     the list of the products having a word that begins so (a search
 *     typed as you go: "k", "ke");
 *   - per award year, per level, per unit code (an award's unit or its
 *     parent: the district filter) and per group, their products.
 * Every list is made in two passes over the products in rank order (count,
 * then fill), so each is in ascending rank order without sorting.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "values.h"

#include "catalogue.h"
#include "catbuild.h"

/* The id of word s (n bytes), added if new. */
static uint32_t
word_id(struct cat_build *b, const char *s, size_t n)
{
	char		 w[TEXT_WORD_CHARS * 4 + 1];
	uint32_t	 h, *slot, id;
	size_t		 i, cap;
	const char	*t;

	if (b->nw * 2 >= b->hashcap) {
		cap = b->hashcap > 0 ? b->hashcap * 2 : 4096;
		free(b->hash);
		if ((b->hash = calloc(cap, sizeof(*b->hash))) == NULL)
			abort();
		b->hashcap = cap;
		for (id = 0; id < b->nw; id++) {
			t = b->c->str + b->wstr[id];
			h = cat_hash(t, strlen(t));
			for (i = h & (cap - 1); b->hash[i] != 0;
			    i = (i + 1) & (cap - 1))
				;
			b->hash[i] = id + 1;
		}
	}
	h = cat_hash(s, n);
	for (i = h & (b->hashcap - 1); *(slot = &b->hash[i]) != 0;
	    i = (i + 1) & (b->hashcap - 1)) {
		t = b->c->str + b->wstr[*slot - 1];
		if (strncmp(t, s, n) == 0 && t[n] == '\0')
			return *slot - 1;
	}
	if (n >= sizeof(w))
		n = sizeof(w) - 1;
	memcpy(w, s, n);
	w[n] = '\0';
	b->wstr = cat_grow(b->wstr, &b->wcap, b->nw + 1, sizeof(*b->wstr));
	b->wstr[b->nw] = cat_str(b, w);
	*slot = (uint32_t)++b->nw;
	return *slot - 1;
}

/* The words of product p (the last one read) from its folded text. */
void
cat_words_add(struct cat_build *b, struct cat_product *p, const char *fold)
{
	struct catalogue	*c = b->c;
	const char		*w;
	size_t			 len, old;
	uint32_t		 id;

	p->fw = (uint32_t)c->nfwd;
	while ((w = text_word(&fold, &len)) != NULL) {
		id = word_id(b, w, len);
		old = b->stampcap;
		b->stamp = cat_grow(b->stamp, &b->stampcap, b->nw,
		    sizeof(*b->stamp));
		if (b->stampcap > old)
			memset(b->stamp + old, 0,
			    (b->stampcap - old) * sizeof(*b->stamp));
		if (b->stamp[id] == b->nread || p->nfw == UINT16_MAX)
			continue;
		b->stamp[id] = (uint32_t)b->nread;
		c->fwd = cat_grow(c->fwd, &b->fwdcap, c->nfwd + 1,
		    sizeof(*c->fwd));
		c->fwd[c->nfwd++] = id;
		p->nfw++;
	}
}

static const char	*sort_str;	/* the strings sort_cmp compares */
static const uint32_t	*sort_off;	/* a word id's offset in sort_str */

static int
sort_cmp(const void *x, const void *y)
{
	return strcmp(sort_str + sort_off[*(const uint32_t *)x],
	    sort_str + sort_off[*(const uint32_t *)y]);
}

static void
u32_sort(uint32_t *v, size_t n)
{
	size_t		 i, k;
	uint32_t	 t;

	for (i = 1; i < n; i++) {
		for (t = v[i], k = i; k > 0 && v[k - 1] > t; k--)
			v[k] = v[k - 1];
		v[k] = t;
	}
}

/* The words by their bytes; the products' word ids renumbered so. */
static void
words_sort(struct cat_build *b)
{
	struct catalogue	*c = b->c;
	uint32_t		*perm, *to;
	size_t			 i;

	if ((c->words = calloc(b->nw + 1, sizeof(*c->words))) == NULL ||
	    (perm = calloc(b->nw + 1, sizeof(*perm))) == NULL ||
	    (to = calloc(b->nw + 1, sizeof(*to))) == NULL)
		abort();
	for (i = 0; i < b->nw; i++)
		perm[i] = (uint32_t)i;
	sort_str = c->str;
	sort_off = b->wstr;
	qsort(perm, b->nw, sizeof(*perm), sort_cmp);
	for (i = 0; i < b->nw; i++) {
		c->words[i].str = b->wstr[perm[i]];
		to[perm[i]] = (uint32_t)i;
	}
	c->nwords = b->nw;
	for (i = 0; i < c->nfwd; i++)
		c->fwd[i] = to[c->fwd[i]];
	for (i = 0; i < c->np; i++)	/* a few each: an insertion sort */
		u32_sort(c->fwd + c->p[i].fw, c->p[i].nfw);
	free(perm);
	free(to);
}

/* Bytes of the first n characters of UTF-8 s; 0 if it has fewer. */
static size_t
chars_len(const char *s, size_t n)
{
	size_t	 i = 0;

	while (n-- > 0) {
		if (s[i] == '\0')
			return 0;
		for (i++; (s[i] & 0xc0) == 0x80; i++)
			;
	}
	return i;
}

/* The prefixes of one and two characters of the sorted words. */
static void
prefixes_make(struct cat_build *b)
{
	struct catalogue	*c = b->c;
	size_t			 i, k, n, last;
	char			 buf[16];
	const char		*w;

	for (k = 0; k < 2; k++) {
		if ((c->pre[k] = calloc(c->nwords + 1, sizeof(*c->pre[k]))) ==
		    NULL || (c->word_pre[k] = calloc(c->nwords + 1,
		    sizeof(*c->word_pre[k]))) == NULL)
			abort();
		last = 0;
		for (i = 0; i < c->nwords; i++) {
			w = c->str + c->words[i].str;
			c->word_pre[k][i] = CAT_NONE;
			if ((n = chars_len(w, k + 1)) == 0 || n >= sizeof(buf))
				continue;
			if (c->npre[k] == 0 || strncmp(c->str +
			    c->pre[k][last].str, w, n) != 0 ||
			    c->str[c->pre[k][last].str + n] != '\0') {
				memcpy(buf, w, n);
				buf[n] = '\0';
				last = c->npre[k]++;
				c->pre[k][last].str = cat_str(b, buf);
			}
			c->word_pre[k][i] = (uint32_t)last;
		}
	}
}

static int
code_cmp(const void *x, const void *y)
{
	return strcmp(sort_str + ((const struct cat_key *)x)->str,
	    sort_str + ((const struct cat_key *)y)->str);
}

/* The unit codes (codes and parents), sorted, and each unit's keys. */
static void
codes_make(struct catalogue *c)
{
	size_t		 i, n = 0, hi;
	uint32_t	 s;

	if ((c->codes = calloc(2 * c->nunits + 1, sizeof(*c->codes))) ==
	    NULL)
		abort();
	for (i = 0; i < c->nunits; i++) {
		if (c->units[i].code != CAT_NONE)
			c->codes[n++].str = c->units[i].code;
		if (c->units[i].parent != CAT_NONE)
			c->codes[n++].str = c->units[i].parent;
	}
	sort_str = c->str;
	qsort(c->codes, n, sizeof(*c->codes), code_cmp);
	for (c->ncodes = 0, i = 0; i < n; i++)
		if (c->ncodes == 0 || strcmp(c->str + c->codes[i].str,
		    c->str + c->codes[c->ncodes - 1].str) != 0)
			c->codes[c->ncodes++] = c->codes[i];
	for (i = 0; i < c->nunits; i++) {
		s = c->units[i].code;
		c->units[i].code_key = s == CAT_NONE ? CAT_NONE :
		    (uint32_t)cat_find(c, c->codes, c->ncodes, c->str + s,
		    strlen(c->str + s), &hi);
		s = c->units[i].parent;
		c->units[i].parent_key = s == CAT_NONE ? CAT_NONE :
		    (uint32_t)cat_find(c, c->codes, c->ncodes, c->str + s,
		    strlen(c->str + s), &hi);
	}
}

/* The keys of a product in one index (which: of its kind), distinct,
 * into out: how many. */
typedef size_t	(*keys_fn)(const struct catalogue *,
		    const struct cat_product *, int which, uint32_t *out);

static size_t
keys_words(const struct catalogue *c, const struct cat_product *p,
    int which, uint32_t *out)
{
	(void)which;
	memcpy(out, c->fwd + p->fw, p->nfw * sizeof(*out));
	return p->nfw;
}

/* Prefixes of k + 1 characters: the words are in order, so their
 * prefixes are too. */
static size_t
keys_pre(const struct catalogue *c, const struct cat_product *p, int k,
    uint32_t *out)
{
	size_t		 i, n = 0;
	uint32_t	 v;

	for (i = 0; i < p->nfw; i++) {
		v = c->word_pre[k][c->fwd[p->fw + i]];
		if (v != CAT_NONE && (n == 0 || out[n - 1] != v))
			out[n++] = v;
	}
	return n;
}

/* Award years (from CAT_YEAR_MIN), levels, unit codes (what: KEYS_*):
 * distinct. */
enum { KEYS_YEARS, KEYS_LEVELS, KEYS_CODES };

static size_t
keys_awards(const struct catalogue *c, const struct cat_product *p, int what,
    uint32_t *out)
{
	const struct cat_award	*a = c->aw + p->aw;
	size_t			 i, j, n = 0;
	uint32_t		 v[2];
	int			 k, nv;

	for (i = 0; i < p->naw; i++) {
		nv = 0;
		if (what == KEYS_YEARS)
			v[nv++] = (uint32_t)(a[i].year - CAT_YEAR_MIN);
		else if (what == KEYS_LEVELS)
			v[nv++] = a[i].level;
		else if (a[i].unit != CAT_NONE) {
			v[nv++] = c->units[a[i].unit].code_key;
			v[nv++] = c->units[a[i].unit].parent_key;
		}
		for (k = 0; k < nv; k++) {
			for (j = 0; j < n && out[j] != v[k]; j++)
				;
			if (j == n && v[k] != CAT_NONE)
				out[n++] = v[k];
		}
	}
	return n;
}

static size_t
keys_groups(const struct catalogue *c, const struct cat_product *p,
    int which, uint32_t *out)
{
	(void)c;
	(void)which;
	out[0] = p->group;
	return p->group != CAT_NONE;
}

/*
 * The lists of an index of nkeys keys into out[] (in post[], or in bits[]
 * for a list longer than np / CAT_DENSE): the products counted per key,
 * then placed, in rank order. post and bits grow to their exact size.
 */
static void
lists_make(struct cat_build *b, size_t nkeys, keys_fn keys, int which,
    struct cat_list *out, uint32_t *buf)
{
	struct catalogue	*c = b->c;
	size_t			 i, j, n, total = 0, maps = 0;
	struct cat_list		*l;

	memset(out, 0, nkeys * sizeof(*out));
	for (i = 0; i < c->np; i++)
		for (n = keys(c, &c->p[i], which, buf), j = 0; j < n; j++)
			out[buf[j]].len++;
	for (i = 0; i < nkeys; i++) {
		if (out[i].len > c->np / CAT_DENSE) {
			out[i].off = (uint32_t)(c->nbits + maps++ * c->bitwords);
			out[i].len |= CAT_BITS;
			continue;
		}
		out[i].off = (uint32_t)(c->npost + total);
		total += out[i].len;
		out[i].len = 0;
	}
	if ((c->post = realloc(c->post, (c->npost + total + 1) *
	    sizeof(*c->post))) == NULL || (c->bits = realloc(c->bits,
	    (c->nbits + maps * c->bitwords + 1) * sizeof(*c->bits))) == NULL)
		abort();
	memset(c->bits + c->nbits, 0, maps * c->bitwords * sizeof(*c->bits));
	for (i = 0; i < c->np; i++)
		for (n = keys(c, &c->p[i], which, buf), j = 0; j < n; j++) {
			l = &out[buf[j]];
			if (l->len & CAT_BITS)
				c->bits[l->off + i / 64] |= 1ull << (i % 64);
			else
				c->post[l->off + l->len++] = (uint32_t)i;
		}
	c->npost += total;
	c->nbits += maps * c->bitwords;
}

/*
 * The lists of n keys into their places: key i's into the struct cat_list
 * at byte off of the i-th element (of size bytes) of arr: a dictionary's
 * cat_key, a group.
 */
static void
key_lists(struct cat_build *b, void *arr, size_t off, size_t size, size_t n,
    keys_fn keys, int which, uint32_t *buf)
{
	struct cat_list	*l;
	size_t		 i;

	if ((l = calloc(n + 1, sizeof(*l))) == NULL)
		abort();
	lists_make(b, n, keys, which, l, buf);
	for (i = 0; i < n; i++)
		memcpy((char *)arr + i * size + off, &l[i], sizeof(*l));
	free(l);
}
#define KEY_LISTS(b, arr, type, n, keys, which, buf) \
	key_lists((b), (arr), offsetof(type, l), sizeof(type), (n), (keys), \
	    (which), (buf))

/* Index what was read (catalogue.h). */
void
cat_index(struct cat_build *b)
{
	struct catalogue	*c = b->c;
	uint32_t		*buf;
	size_t			 i, max = 2 * CAT_YEARS + 16;

	for (i = 0; i < c->np; i++) {
		if (max < 2u * c->p[i].nfw)
			max = 2u * c->p[i].nfw;
		if (max < 2u * c->p[i].naw)
			max = 2u * c->p[i].naw;
	}
	if ((buf = calloc(max + 1, sizeof(*buf))) == NULL)
		abort();
	c->bitwords = (c->np + 63) / 64;
	words_sort(b);
	prefixes_make(b);
	codes_make(c);
	KEY_LISTS(b, c->words, struct cat_key, c->nwords, keys_words, 0, buf);
	KEY_LISTS(b, c->pre[0], struct cat_key, c->npre[0], keys_pre, 0, buf);
	KEY_LISTS(b, c->pre[1], struct cat_key, c->npre[1], keys_pre, 1, buf);
	KEY_LISTS(b, c->codes, struct cat_key, c->ncodes, keys_awards,
	    KEYS_CODES, buf);
	KEY_LISTS(b, c->groups, struct cat_group, c->ngroups, keys_groups, 0,
	    buf);
	lists_make(b, CAT_YEARS, keys_awards, KEYS_YEARS, c->years, buf);
	lists_make(b, LEVEL__MAX, keys_awards, KEYS_LEVELS, c->levels, buf);
	free(buf);
}

/* Free what only the build needed. */
void
cat_build_done(struct cat_build *b)
{
	free(b->byid);
	free(b->awrank);
	free(b->facid);
	free(b->ihash);
	free(b->hash);
	free(b->wstr);
	free(b->stamp);
	b->byid = NULL;
	b->facid = NULL;
	b->awrank = b->ihash = NULL;
	b->hash = b->wstr = b->stamp = NULL;
}
