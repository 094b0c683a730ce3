#include <stdio.h>
#include <stdlib.h>

#include "conf.h"

#ifndef KC_SRCDIR
#define KC_SRCDIR "."
#endif

/* The value of an environment variable, or def when unset or empty. */
const char *
conf_get(const char *name, const char *def)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/* An integer setting within [min, max]; def when unset or malformed. */
long
conf_int(const char *name, long def, long min, long max)
{
	const char	*v = getenv(name);
	char		*end;
	long		 n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < min || n > max)
		return def;
	return n;
}

/* The state folder: $KC_VAR, else the checkout's var/ (fixed at build). */
const char *
conf_var(void)
{
	return conf_get("KC_VAR", KC_SRCDIR "/var");
}
