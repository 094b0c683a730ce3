/*
 * What the unit tests (tests/unit/test_*.c, cmocka) share: the headers
 * cmocka needs, a main() made from the list of a file's tests (each run
 * with an arena of its own as its state), the path of an import fixture,
 * lists written as "a|b|c" in test tables, and tables of inputs and
 * outputs of a function.
 *
 *	static void
 *	test_x(void **state)
 *	{
 *		struct arena	*a = *state;	// freed after the test
 *		...
 *	}
 *	KC_TEST_MAIN(test_x, test_y)
 *
 * KC_TEST_MAIN_ARENA(a, test_x, ...) also gives the file's global arena
 * a (struct arena *) for the whole run.
 */
#ifndef KC_TEST_H
#define KC_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "resp.h"	/* NELEM */

#ifndef KC_SRCDIR
#define KC_SRCDIR	"."	/* the Makefile gives the checkout */
#endif
#define KC_FIXTURES	"tests/fixtures/import/"
#define KC_SPLIT_MAX	16	/* fields of a "a|b|c" list at the most */
#define KC_TESTS_MAX	64	/* tests of a file at the most */

/* A test's state: an arena of its own, made before and freed after it. */
static inline int
kc_arena_up(void **state)
{
	*state = arena_new();
	return *state == NULL ? -1 : 0;
}

static inline int
kc_arena_down(void **state)
{
	arena_free(*state);
	return 0;
}

/*
 * Runs the n tests fns, named in names as the list is written in the
 * source ("test_a, test_b"), each with an arena of its own as its state;
 * with group not NULL, *group is an arena for the whole run. Returns
 * what main returns: the number of failed tests.
 */
static inline int
kc_run(const char *names, void (*const *fns)(void **), size_t n,
    struct arena **group)
{
	struct CMUnitTest	 t[KC_TESTS_MAX];
	char			 buf[4096], *save = NULL, *name;
	size_t			 i;
	int			 rc;

	if (n > KC_TESTS_MAX || strlen(names) >= sizeof(buf)) {
		fprintf(stderr, "kc_run: too many tests\n");
		return 1;
	}
	strcpy(buf, names);
	name = strtok_r(buf, ", \t\n", &save);
	for (i = 0; i < n; i++) {
		t[i] = (struct CMUnitTest){ name, fns[i], kc_arena_up,
		    kc_arena_down, NULL };
		name = strtok_r(NULL, ", \t\n", &save);
	}
	if (group != NULL)
		*group = arena_new();
	rc = _cmocka_run_group_tests("tests", t, n, NULL, NULL);
	if (group != NULL)
		arena_free(*group);
	return rc;
}

#define KC_TEST_MAIN_(group, ...)					\
int									\
main(void)								\
{									\
	static void (*const fns[])(void **) = { __VA_ARGS__ };		\
									\
	return kc_run(#__VA_ARGS__, fns, NELEM(fns), group);		\
}
#define KC_TEST_MAIN(...)		KC_TEST_MAIN_(NULL, __VA_ARGS__)
#define KC_TEST_MAIN_ARENA(a, ...)	KC_TEST_MAIN_(&(a), __VA_ARGS__)

/* Returns the path of an import fixture, under $KC_SRCDIR if set. */
static inline const char *
kc_fixture(const char *name)
{
	static char	 path[1024];
	const char	*dir = getenv("KC_SRCDIR");

	snprintf(path, sizeof(path), "%s/" KC_FIXTURES "%s",
	    dir != NULL ? dir : KC_SRCDIR, name);
	return path;
}

/* Splits "a|b|c" into fields in the arena; returns how many ("": one). */
static inline size_t
kc_split(struct arena *a, const char *s, char **f)
{
	const char	*p;
	size_t		 n = 0;

	for (;;) {
		assert_true(n < KC_SPLIT_MAX);
		if ((p = strchr(s, '|')) == NULL) {
			f[n++] = arena_strdup(a, s);
			return n;
		}
		f[n++] = arena_strndup(a, s, (size_t)(p - s));
		s = p + 1;
	}
}

/*
 * The n strings got are the list want, "a|b|c" ("": none); a failure
 * names the list.
 */
static inline void
kc_assert_list(struct arena *a, const char **got, size_t n,
    const char *want)
{
	char	*w[KC_SPLIT_MAX];
	size_t	 i, nw;

	nw = want[0] == '\0' ? 0 : kc_split(a, want, w);
	if (n != nw)
		fail_msg("%zu items, want %zu: “%s”", n, nw, want);
	for (i = 0; i < nw; i++)
		if (strcmp(got[i], w[i]) != 0)
			fail_msg("item %zu “%s”, want “%s” of “%s”", i,
			    got[i], w[i], want);
}

/* An input and what a function makes of it. */
struct kc_pair {
	const char	*in;
	const char	*out;
};

/* Each input of the n pairs t, through fn in the arena a, gives its output. */
static inline void
kc_assert_pairs(struct arena *a, char *(*fn)(struct arena *, const char *),
    const struct kc_pair *t, size_t n)
{
	const char	*got;
	size_t		 i;

	for (i = 0; i < n; i++) {
		got = fn(a, t[i].in);
		if (got == NULL || strcmp(got, t[i].out) != 0)
			fail_msg("“%s”: “%s”, want “%s”", t[i].in,
			    got == NULL ? "(null)" : got, t[i].out);
	}
}

#endif
