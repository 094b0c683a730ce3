/*
 * valid: pure validators for what facilities type into the application
 * form. Each parses as it checks: on success it writes the one normal
 * form that is stored, so a handler never sees the many ways a person
 * may write the same thing.
 */
#ifndef KC_VALID_H
#define KC_VALID_H

#include <stddef.h>

#define VALID_TAX_MAX	15	/* "0123456789-001" and its NUL */
#define VALID_PHONE_MAX	16	/* "02393855123" and its NUL */

int	valid_tax_code(const char *s, char out[VALID_TAX_MAX]);
int	valid_tax_check_digit(const char *digits9);
int	valid_phone(const char *s, char out[VALID_PHONE_MAX]);
int	valid_email(const char *s);

#endif
