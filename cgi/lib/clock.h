/*
 * clock: the one place where the programs read the time, and where
 * Vietnam's calendar day is worked out. Hà Tĩnh keeps Asia/Ho_Chi_Minh
 * time, UTC+7 all year (no daylight saving since 1975), so the offset is a
 * constant and no time-zone database is needed, in C or in MariaDB.
 *
 * Every calendar-day rule reads it: the units valid today, the years an
 * import accepts ("up to the current year"), whether a call is open, the
 * days staff give a call. Instants stay UTC everywhere (the database
 * sessions run at +00:00, the API speaks ISO 8601 UTC); only a day is
 * Vietnam's.
 *
 * Test hook: when the environment (never a request) has KC_CLOCK_FILE,
 * clock_now() reads that file on every call; a file holding an integer
 * epoch (seconds since 1970 UTC) fixes the time at that second, a missing
 * or empty file means the real time. Production never sets it.
 */
#ifndef KC_CLOCK_H
#define KC_CLOCK_H

#include <time.h>

#define CLOCK_VN_OFFSET	(7 * 3600)	/* seconds east of UTC */
/* The same offset for SQL, and a UTC DATETIME column's Vietnamese day. */
#define CLOCK_VN_SQL	"INTERVAL 7 HOUR"
#define CLOCK_VN_DAY(col) \
	"DATE_FORMAT(" col " + " CLOCK_VN_SQL ", '%Y-%m-%d')"
/* The last Vietnamese day before an exclusive end (a call's closes_at). */
#define CLOCK_VN_LAST_DAY(col) \
	"DATE_FORMAT(" col " + " CLOCK_VN_SQL " - INTERVAL 1 SECOND," \
	" '%Y-%m-%d')"

#define CLOCK_DATE_LEN	11	/* "YYYY-MM-DD" and its NUL */
#define CLOCK_SQL_LEN	20	/* "YYYY-MM-DD HH:MM:SS" and its NUL */
#define CLOCK_ISO_VN_LEN 26	/* "YYYY-MM-DDTHH:MM:SS+07:00" and its NUL */

time_t	clock_now(void);
void	clock_vn_date(time_t, char out[CLOCK_DATE_LEN]);
int	clock_vn_year(time_t);
void	clock_today_vn(char out[CLOCK_DATE_LEN]);
int	clock_year_vn(void);
int	clock_vn_day_left(time_t);
void	clock_sql(time_t, char out[CLOCK_SQL_LEN]);
void	clock_now_sql(char out[CLOCK_SQL_LEN]);
/* t in Vietnam's time with its offset: a public dataset's "data as of". */
void	clock_vn_iso(time_t, char out[CLOCK_ISO_VN_LEN]);
int	clock_vn_day_start(int y, int m, int d, time_t *t);
int	clock_parse(const char *s, int end_of_day, time_t *t);

#endif
