/*
 * arena: per-request memory. Everything allocated from an arena lives
 * until arena_reset() (top of the request loop) or arena_free().
 * Allocation failure aborts the process: a worker that cannot get memory
 * is restarted by the supervisor, which is safer than half-answering.
 */
#ifndef KC_ARENA_H
#define KC_ARENA_H

#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		 arena_reset(struct arena *);
void		*arena_alloc(struct arena *, size_t);	/* zeroed, 16-aligned */
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

#endif
