/*
 * valid: pure validators for what facilities type into the application
 * form. Each parses as it checks: on success it writes the one normal
 * form that is stored, so a handler never sees the many ways a person
 * may write the same thing. Only valid_tax_code() reads the clock (the
 * birth year of a personal identification number must not be after
 * clock_year_vn(), Vietnam's year); valid_tax_at() takes the year.
 */
#ifndef KC_VALID_H
#define KC_VALID_H

#include <stddef.h>

#define VALID_TAX_MAX	15	/* "0123456789-001" and its NUL */
#define VALID_PHONE_MAX	16	/* "02393855123" and its NUL */

/* Why a tax code is refused (valid_tax_why()). */
enum valid_tax {
	VALID_TAX_OK = 0,
	VALID_TAX_LENGTH,	/* not 10, 12 or 14 characters */
	VALID_TAX_CHARS,	/* not digits (a branch: 10 digits, '-', 3) */
	VALID_TAX_CHECK,	/* the 10th digit is not the check digit */
	VALID_TAX_PROVINCE,	/* 12 digits: no such province-of-birth code */
	VALID_TAX_CENTURY,	/* 12 digits: a century that has not begun */
	VALID_TAX_FUTURE,	/* 12 digits: a birth year after this one */
};

int		 valid_tax_code(const char *s, char out[VALID_TAX_MAX]);
enum valid_tax	 valid_tax_at(const char *s, int year,
		    char out[VALID_TAX_MAX]);
const char	*valid_tax_why(enum valid_tax);
int	valid_tax_check_digit(const char *digits9);
int	valid_phone(const char *s, char out[VALID_PHONE_MAX]);
int	valid_email(const char *s);

#endif
