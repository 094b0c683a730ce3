/*
 * kc-products, the catalogue from memory (issue 20): every product with
 * its facility, group, district and awards, and the indexes that answer
 * a listing, held by each worker and checked on every request against
 * catalogue_version (migration 061, one primary-key read). catalogue.c
 * builds it and keeps it current; catsearch.c answers from it.
 *
 * Products are numbered by their rank in the listing's order (most
 * recent award first, then name as MariaDB orders it, then id: the rank
 * comes from the server's own ORDER BY, so no collation is re-done here).
 * Every posting list holds ranks in ascending order, so the matches of a
 * search come out already in the listing's order: the page is the
 * offset-th to (offset + limit)-th of them, and the total is counted in
 * the same pass.
 */
#ifndef KC_CATALOGUE_H
#define KC_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct req;

#define CAT_NONE	UINT32_MAX	/* no string, no group, no unit */
#define CAT_YEAR_MIN	2000		/* award.year's check (020) */
#define CAT_YEARS	101

/*
 * A list of ranks, ascending: post[off .. off + len - 1]; or, when len has
 * CAT_BITS (a list longer than np / CAT_DENSE, which a bitmap holds in
 * fewer bytes), a bitmap of np bits at bits[off ..] holding the
 * (len & ~CAT_BITS) ranks whose bits are set.
 */
struct cat_list {
	uint32_t	 off;
	uint32_t	 len;
};

#define CAT_BITS	0x80000000u
#define CAT_DENSE	32
#define CAT_LEN(l)	((l).len & ~CAT_BITS)

/* A key of an index (a word, a prefix, a unit code): its text, its list. */
struct cat_key {
	uint32_t	 str;		/* offset in str */
	struct cat_list	 l;
};

struct cat_product {
	long long	 id;
	uint32_t	 name;		/* offsets in str; CAT_NONE: NULL */
	uint32_t	 group;		/* index in groups, or CAT_NONE */
	uint32_t	 facility;	/* index in facilities */
	uint32_t	 unit;		/* index in units, or CAT_NONE */
	uint32_t	 aw;		/* its awards: aw[aw .. aw + naw - 1] */
	uint32_t	 fw;		/* its words (ids in words, ascending): */
	uint16_t	 naw;		/*   fwd[fw .. fw + nfw - 1] */
	uint16_t	 nfw;
	uint8_t		 sample;
};

/* An award, in the order the list shows them (year, level descending). */
struct cat_award {
	uint32_t	 decision_no;
	uint32_t	 decision_date;	/* YYYY-MM-DD */
	uint32_t	 unit;
	int16_t		 year;
	uint8_t		 level;		/* index in values_award_levels */
};

struct cat_facility {
	long long	 id;
	uint32_t	 name;
	uint32_t	 address;
};

struct cat_group {
	long long	 id;
	uint32_t	 name;
	uint32_t	 order;		/* its place by name (the groups list) */
	struct cat_list	 l;		/* its products */
};

struct cat_unit {
	long long	 id;
	uint32_t	 code;
	uint32_t	 name;
	uint32_t	 parent;	/* parent_code */
	uint32_t	 code_key;	/* index in codes, or CAT_NONE */
	uint32_t	 parent_key;
};

struct catalogue {
	unsigned long long	 version;
	char			*str;		/* every string, NUL-ended */
	size_t			 nstr;
	struct cat_product	*p;		/* by rank */
	size_t			 np;
	struct cat_award	*aw;
	size_t			 naw;
	struct cat_facility	*fac;		/* by id */
	size_t			 nfac;
	struct cat_group	*groups;	/* by id */
	size_t			 ngroups;
	struct cat_unit		*units;		/* by id */
	size_t			 nunits;
	uint32_t		*fwd;		/* the products' word ids */
	size_t			 nfwd;
	uint32_t		*post;		/* every list's ranks */
	size_t			 npost;
	uint64_t		*bits;		/* every bitmap's words */
	size_t			 nbits;
	size_t			 bitwords;	/* words of one: (np + 63) / 64 */
	struct cat_key		*words;		/* by text (bytes) */
	size_t			 nwords;
	struct cat_key		*pre[2];	/* prefixes of 1 and 2 chars */
	size_t			 npre[2];
	uint32_t		*word_pre[2];	/* a word's prefix ids */
	struct cat_key		*codes;		/* unit codes and parents */
	size_t			 ncodes;
	struct cat_list		 years[CAT_YEARS];
	struct cat_list		 levels[8];
	double			 build_ms;	/* how long it took */
};

#define CAT_STR(c, off)	((off) == CAT_NONE ? NULL : (c)->str + (off))

/* catalogue.c */
const struct catalogue	*catalogue_get(struct req *, int *status);
const struct catalogue	*catalogue_build(struct req *, int *status);
void			 catalogue_free(struct catalogue *);
int			 catalogue_versions(struct db *, struct arena *,
			    unsigned long long v[2]);
size_t			 cat_find(const struct catalogue *,
			    const struct cat_key *, size_t, const char *,
			    size_t len, size_t *hi);

#endif
