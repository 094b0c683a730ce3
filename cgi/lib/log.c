#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char	*prog = "kc";
static int		 quiet;

/* Remember the program name; KC_LOG_QUIET=1 silences info lines. */
void
log_init(const char *progname)
{
	const char	*q = getenv("KC_LOG_QUIET");

	prog = progname;
	quiet = q != NULL && *q == '1';
}

static void
log_v(const char *level, const char *fmt, va_list ap)
{
	char		 ts[32];
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s[%ld] %s: ", ts, prog, (long)getpid(), level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Log an error (always printed). */
void
log_err(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_v("error", fmt, ap);
	va_end(ap);
}

/* Log an informational line, unless KC_LOG_QUIET=1. */
void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	log_v("info", fmt, ap);
	va_end(ap);
}
