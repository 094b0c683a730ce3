/*
 * Unit tests of cgi/lib/clock.c: Vietnam's day across the UTC boundary,
 * the year's boundary and a leap day; the test hook (KC_CLOCK_FILE); the
 * times staff give a call (a day is Vietnam's, an instant is UTC).
 */
#include "kc_test.h"

#include <unistd.h>

#include "clock.h"

/* An instant from its UTC reading (the test's own arithmetic). */
static time_t
utc(int y, int m, int d, int hh, int mi, int ss)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	return timegm(&tm);
}

static void
test_vn_date(void **state)
{
	static const struct {
		int		 y, m, d, hh, mi, ss;	/* UTC */
		const char	*vn;
		int		 year;
	} t[] = {
		{ 2026, 11, 30, 16, 59, 59, "2026-11-30", 2026 },
		{ 2026, 11, 30, 17, 0, 0, "2026-12-01", 2026 },
		{ 2026, 11, 30, 17, 30, 0, "2026-12-01", 2026 },
		{ 2026, 11, 30, 0, 0, 0, "2026-11-30", 2026 },
		{ 2026, 12, 31, 16, 59, 59, "2026-12-31", 2026 },
		{ 2026, 12, 31, 17, 0, 0, "2027-01-01", 2027 },
		{ 2026, 12, 31, 17, 30, 0, "2027-01-01", 2027 },
		{ 2028, 2, 28, 17, 0, 0, "2028-02-29", 2028 },	/* leap day */
		{ 2028, 2, 29, 17, 0, 0, "2028-03-01", 2028 },
		{ 2027, 2, 28, 17, 0, 0, "2027-03-01", 2027 },	/* no leap */
		{ 2100, 2, 28, 17, 0, 0, "2100-03-01", 2100 },	/* no leap */
		{ 2000, 2, 28, 17, 0, 0, "2000-02-29", 2000 },	/* leap */
		{ 2025, 6, 30, 17, 0, 0, "2025-07-01", 2025 },	/* the reform */
	};
	char	 out[CLOCK_DATE_LEN];
	size_t	 i;
	time_t	 x;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		x = utc(t[i].y, t[i].m, t[i].d, t[i].hh, t[i].mi, t[i].ss);
		clock_vn_date(x, out);
		assert_string_equal(out, t[i].vn);
		assert_int_equal(clock_vn_year(x), t[i].year);
	}
}

static void
test_day_start(void **state)
{
	time_t	 t;

	(void)state;
	assert_int_equal(clock_vn_day_start(2026, 12, 1, &t), 0);
	assert_true(t == utc(2026, 11, 30, 17, 0, 0));
	assert_int_equal(clock_vn_day_start(2028, 2, 29, &t), 0);
	assert_true(t == utc(2028, 2, 28, 17, 0, 0));
	assert_int_equal(clock_vn_day_start(2027, 2, 29, &t), -1);
	assert_int_equal(clock_vn_day_start(2026, 4, 31, &t), -1);
	assert_int_equal(clock_vn_day_start(2026, 13, 1, &t), -1);
	assert_int_equal(clock_vn_day_start(2026, 0, 1, &t), -1);
	assert_int_equal(clock_vn_day_start(2026, 1, 0, &t), -1);
}

static void
test_parse(void **state)
{
	static const struct {
		const char	*in;
		int		 end;
		int		 ok;
		int		 y, m, d, hh, mi, ss;	/* UTC */
	} t[] = {
		/* A day is Vietnam's: 30/11 opens 29/11 17:00Z ... */
		{ "2026-11-30", 0, 1, 2026, 11, 29, 17, 0, 0 },
		/* ... and, as a closing day, takes 30/11 until 23:59:59. */
		{ "2026-11-30", 1, 1, 2026, 11, 30, 17, 0, 0 },
		{ "2026-12-31", 1, 1, 2026, 12, 31, 17, 0, 0 },
		{ "2028-02-29", 1, 1, 2028, 2, 29, 17, 0, 0 },
		{ "2027-02-29", 1, 0, 0, 0, 0, 0, 0, 0 },
		/* An instant is what it says; no zone means UTC. */
		{ "2026-11-30T16:59:59Z", 1, 1, 2026, 11, 30, 16, 59, 59 },
		{ "2026-11-30T16:59:59.250Z", 0, 1, 2026, 11, 30, 16, 59, 59 },
		{ "2026-11-30T16:59", 0, 1, 2026, 11, 30, 16, 59, 0 },
		{ "2026-11-30 16:59:59", 0, 1, 2026, 11, 30, 16, 59, 59 },
		{ "2026-12-01T00:00+07:00", 0, 1, 2026, 11, 30, 17, 0, 0 },
		{ "2026-11-30T12:00-05:30", 0, 1, 2026, 11, 30, 17, 30, 0 },
		{ "2026-11-30T24:00Z", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2026-11-30T23:60Z", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2026-11-30T23:59:60Z", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2026-11-30T23:59ZZ", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2026-11-30T23:59+7", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2026-11-30T23", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2026-11-30X", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "30/11/2026", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "9999-12-31T23:59-14:00", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "1969-12-31", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2026-1-30", 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "", 0, 0, 0, 0, 0, 0, 0, 0 },
	};
	size_t	 i;
	time_t	 x;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		x = 0;
		if (!t[i].ok) {
			assert_int_equal(clock_parse(t[i].in, t[i].end, &x), -1);
			continue;
		}
		assert_int_equal(clock_parse(t[i].in, t[i].end, &x), 0);
		assert_true(x == utc(t[i].y, t[i].m, t[i].d, t[i].hh, t[i].mi,
		    t[i].ss));
	}
}

static void
test_day_left(void **state)
{
	(void)state;
	assert_int_equal(clock_vn_day_left(utc(2026, 11, 30, 16, 59, 59)), 1);
	assert_int_equal(clock_vn_day_left(utc(2026, 11, 30, 17, 0, 0)),
	    86400);
	assert_int_equal(clock_vn_day_left(utc(2026, 11, 30, 17, 30, 0)),
	    86400 - 1800);
	assert_int_equal(clock_vn_day_left(utc(2026, 11, 30, 0, 0, 0)),
	    17 * 3600);
}

static void
test_sql(void **state)
{
	char	 out[CLOCK_SQL_LEN];

	(void)state;
	clock_sql(utc(2026, 11, 30, 16, 59, 59), out);
	assert_string_equal(out, "2026-11-30 16:59:59");
}

/* The hook: a file with an epoch sets the clock, read on every call. */
static void
test_hook(void **state)
{
	char	 path[] = "/tmp/kc-clock-XXXXXX", day[CLOCK_DATE_LEN];
	int	 fd;
	FILE	*f;
	time_t	 before;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(setenv("KC_CLOCK_FILE", path, 1), 0);

	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%lld\n", (long long)utc(2026, 12, 31, 17, 30, 0));
	fclose(f);
	assert_true(clock_now() == utc(2026, 12, 31, 17, 30, 0));
	clock_today_vn(day);
	assert_string_equal(day, "2027-01-01");
	assert_int_equal(clock_year_vn(), 2027);

	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%lld", (long long)utc(2026, 12, 31, 16, 59, 59));
	fclose(f);
	clock_today_vn(day);
	assert_string_equal(day, "2026-12-31");
	assert_int_equal(clock_year_vn(), 2026);

	/* Malformed, beyond the year 9998, missing: the real time. */
	before = time(NULL);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "soon");
	fclose(f);
	assert_true(clock_now() >= before && clock_now() <= time(NULL));
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "253370764800");
	fclose(f);
	assert_true(clock_now() >= before && clock_now() <= time(NULL));
	unlink(path);
	assert_true(clock_now() >= before && clock_now() <= time(NULL));
	unsetenv("KC_CLOCK_FILE");
	assert_true(clock_now() >= before && clock_now() <= time(NULL));
}

KC_TEST_MAIN(test_vn_date, test_day_start, test_parse, test_day_left, test_sql,
    test_hook)
