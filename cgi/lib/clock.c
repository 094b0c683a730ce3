/*
 * clock: the time the programs go by, and Vietnam's calendar day (see
 * clock.h). No time-zone database: Vietnam is UTC+7 all year.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"

#define CLOCK_MAX	253370764800LL	/* 9999-01-01T00:00:00Z */

/*
 * The time: the epoch in the file KC_CLOCK_FILE names, when the
 * environment sets it and the file holds one (test hook, read on every
 * call so a test can move the clock of running workers); otherwise the
 * system's.
 */
time_t
clock_now(void)
{
	const char	*path = getenv("KC_CLOCK_FILE");
	char		 buf[32], *end;
	long long	 v;
	size_t		 n;
	FILE		*f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "r")) == NULL)
		return time(NULL);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	v = strtoll(buf, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
		end++;
	if (end == buf || *end != '\0' || v < 0 || v >= CLOCK_MAX)
		return time(NULL);
	return (time_t)v;
}

/* t in Vietnam by strftime's fmt into out (size bytes; "" when it does
 * not fit: not a four-digit year, never from clock_now()). */
static void
vn_format(time_t t, const char *fmt, char *out, size_t size)
{
	time_t		 vn = t + CLOCK_VN_OFFSET;
	struct tm	 tm;

	gmtime_r(&vn, &tm);
	if (strftime(out, size, fmt, &tm) == 0)
		out[0] = '\0';
}

/* The Vietnamese calendar day of t, as "YYYY-MM-DD". */
void
clock_vn_date(time_t t, char out[CLOCK_DATE_LEN])
{
	vn_format(t, "%Y-%m-%d", out, CLOCK_DATE_LEN);
}

/* t as Vietnam reads it, with the offset: 2026-11-27T14:05:00+07:00. */
void
clock_vn_iso(time_t t, char out[CLOCK_ISO_VN_LEN])
{
	vn_format(t, "%Y-%m-%dT%H:%M:%S+07:00", out, CLOCK_ISO_VN_LEN);
}

/* The year of t in Vietnam. */
int
clock_vn_year(time_t t)
{
	time_t		 vn = t + CLOCK_VN_OFFSET;
	struct tm	 tm;

	gmtime_r(&vn, &tm);
	return tm.tm_year + 1900;
}

/* Today in Vietnam, "YYYY-MM-DD". */
void
clock_today_vn(char out[CLOCK_DATE_LEN])
{
	clock_vn_date(clock_now(), out);
}

/* The current year in Vietnam. */
int
clock_year_vn(void)
{
	return clock_vn_year(clock_now());
}

/* Seconds from t to the next midnight in Vietnam (1 to 86400). */
int
clock_vn_day_left(time_t t)
{
	long long	 vn = (long long)t + CLOCK_VN_OFFSET;
	long long	 into = ((vn % 86400) + 86400) % 86400;

	return (int)(86400 - into);
}

/* t as a UTC DATETIME literal for a bound SQL parameter. */
void
clock_sql(time_t t, char out[CLOCK_SQL_LEN])
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	if (strftime(out, CLOCK_SQL_LEN, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		out[0] = '\0';	/* not a four-digit year: never from clock_now() */
}

/* Now, as clock_sql() writes it. */
void
clock_now_sql(char out[CLOCK_SQL_LEN])
{
	clock_sql(clock_now(), out);
}

static int
days_in_month(int y, int m)
{
	static const int	 days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* 00:00 in Vietnam of the day y-m-d, as an instant: 0, or -1 if no day. */
int
clock_vn_day_start(int y, int m, int d, time_t *t)
{
	struct tm	 tm;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*t = timegm(&tm) - CLOCK_VN_OFFSET;
	return 0;
}

/* n decimal digits at s → *v; 0, or -1. */
static int
digits(const char *s, int n, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "±HH:MM", "Z" or "" at s → seconds east of UTC; 0, or -1. */
static int
zone(const char *s, int *east)
{
	int	 hh, mm;

	*east = 0;
	if (*s == '\0' || strcmp(s, "Z") == 0)
		return 0;
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':' ||
	    digits(s + 1, 2, &hh) || digits(s + 4, 2, &mm) || hh > 14 ||
	    mm > 59)
		return -1;
	*east = (hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
	return 0;
}

/*
 * A time as staff give it: "YYYY-MM-DD" is a Vietnamese calendar day, its
 * first second (or, with end_of_day, the first second of the next day: an
 * end that excludes it, so that the whole day is in); or an instant
 * "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" followed by "Z", "±HH:MM" or nothing
 * (UTC). Years 1970 to 9998 (a DATETIME holds the result). 0 and *t, or
 * -1.
 */
int
clock_parse(const char *s, int end_of_day, time_t *t)
{
	int	 y, m, d, hh, mi, ss = 0, east;
	size_t	 n = strlen(s);

	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || y > 9998 ||
	    clock_vn_day_start(y, m, d, t) != 0)
		return -1;
	if (n == 10) {
		if (end_of_day)
			*t += 24 * 3600;
		return 0;
	}
	s += 10;
	if ((*s != 'T' && *s != ' ') || digits(s + 1, 2, &hh) || s[3] != ':' ||
	    digits(s + 4, 2, &mi) || hh > 23 || mi > 59)
		return -1;
	s += 6;
	if (*s == ':') {
		if (digits(s + 1, 2, &ss) || ss > 59)
			return -1;
		s += 3;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
	}
	if (zone(s, &east) != 0)
		return -1;
	*t += CLOCK_VN_OFFSET + hh * 3600 + mi * 60 + ss - east;
	return 0;
}
