/*
 * kc-products, the catalogue's build (catalogue.c reads the tables,
 * catindex.c indexes what was read): what the two share while building.
 */
#ifndef KC_CATBUILD_H
#define KC_CATBUILD_H

#include <stddef.h>
#include <stdint.h>

struct catalogue;
struct cat_product;

/* A product's id and rank, for finding a rank by id. */
struct cat_byid {
	long long	 id;
	uint32_t	 rank;
};

struct cat_build {
	struct catalogue	*c;
	size_t			 strcap, unitcap, groupcap, faccap;
	size_t			 awcap, fwdcap;
	struct cat_byid		*byid;		/* read by rank, then by id */
	size_t			 nbyid, byidcap;
	size_t			 finger;	/* rank_of()'s last find */
	size_t			 nread;		/* products read so far */
	long long		*facid;		/* a product's facility id */
	const long long		*facs;		/* the ids to keep, ascending */
	size_t			 nfacs;
	uint32_t		*awrank;	/* an award's product, as read */
	size_t			 awrankcap;
	/* The strings interned: a hash of their offsets (+ 1, 0: free). */
	uint32_t		*ihash;
	size_t			 ihashcap, ni;
	/* The words met so far: a hash of their ids (+ 1, 0: free). */
	uint32_t		*hash;
	size_t			 hashcap;	/* a power of 2 */
	uint32_t		*wstr;		/* a word id's text */
	uint32_t		*stamp;		/* last product + 1 seen in */
	size_t			 nw, wcap, stampcap;
};

void		*cat_grow(void *, size_t *cap, size_t need, size_t size);
uint32_t	 cat_str(struct cat_build *, const char *);
uint32_t	 cat_istr(struct cat_build *, const char *);
uint32_t	 cat_hash(const char *, size_t);
void		 cat_words_add(struct cat_build *, struct cat_product *,
		    const char *fold);
void		 cat_index(struct cat_build *);
void		 cat_build_done(struct cat_build *);

#endif
