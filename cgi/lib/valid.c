/*
 * valid: tax codes, phone numbers and e-mail addresses. See valid.h.
 */
#include <ctype.h>
#include <string.h>

#include "valid.h"

/*
 * The check digit (the 10th) of a Vietnamese tax code (mã số thuế) from
 * its first nine digits: weights 31 29 23 19 17 13 7 5 3, check =
 * 10 - (sum mod 11). Returns 0..9, or -1 when the rule gives 10 (no code
 * is issued with such a prefix) or the input is not nine digits.
 */
int
valid_tax_check_digit(const char *d)
{
	static const int	 w[9] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };
	int			 i, sum = 0, c;

	for (i = 0; i < 9; i++) {
		if (!isdigit((unsigned char)d[i]))
			return -1;
		sum += (d[i] - '0') * w[i];
	}
	c = 10 - sum % 11;
	return c <= 9 ? c : -1;
}

/*
 * Is s a tax code: 10 digits, or 10 digits, '-' and 3 digits for a
 * branch (đơn vị phụ thuộc), the 10th digit being the check digit? Spaces
 * around are ignored. On success writes the code to out and returns 1.
 */
int
valid_tax_code(const char *s, char out[VALID_TAX_MAX])
{
	size_t	 n, i;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n != 10 && n != 14)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 10) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	if (valid_tax_check_digit(s) != s[9] - '0')
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

/*
 * Is s a Vietnamese phone number? Accepts spaces, dots, dashes and
 * brackets between digits, and the country code as "+84", "84" or
 * "0084": "0912 345 678", "+84 912345678", "84912345678". Mobile numbers
 * have 10 digits (03x, 05x, 07x, 08x, 09x), landlines 11 (02xx area code,
 * Ha Tinh's is 0239). On success writes the national form ("0912345678")
 * to out and returns 1.
 */
int
valid_phone(const char *s, char out[VALID_PHONE_MAX])
{
	char	 d[32];
	size_t	 n = 0, off = 0;
	int	 plus = 0;

	for (; *s != '\0'; s++) {
		if (*s == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (strchr(" .-()", *s) != NULL)
			continue;
		if (!isdigit((unsigned char)*s) || n + 1 >= sizeof(d))
			return 0;
		d[n++] = *s;
	}
	d[n] = '\0';
	if (plus && strncmp(d, "84", 2) != 0)
		return 0;		/* another country */
	if (strncmp(d, "0084", 4) == 0)
		off = 4;
	else if (strncmp(d, "84", 2) == 0 && (n == 11 || n == 12))
		off = 2;
	else if (plus)
		return 0;
	if (off > 0 && d[off] == '0')
		return 0;		/* "+84 0912..." is a typing mistake */
	out[0] = '0';
	if (off > 0) {
		memcpy(out + 1, d + off, n - off + 1);
		n = n - off + 1;
	} else if (d[0] == '0')
		memcpy(out, d, n + 1);
	else
		return 0;
	if (n == 10 && strchr("35789", out[1]) != NULL)
		return 1;
	if (n == 11 && out[1] == '2')
		return 1;
	return 0;
}

static int
email_atext(int c)
{
	return isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/*
 * Is s a plausible e-mail address (the shape of RFC 5321's, ASCII only):
 * a local part of 1-64 characters of letters, digits and !#$%&'*+/=?^_`{|}~-
 * in dot-separated runs, '@', a domain of at least two dot-separated
 * labels of letters, digits and inner hyphens, the last one letters only;
 * 254 characters at most. 1 if so.
 */
int
valid_email(const char *s)
{
	const char	*at, *p, *label;
	size_t		 n = strlen(s), llen;

	if (n == 0 || n > 254 || (at = strchr(s, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	llen = (size_t)(at - s);
	if (llen == 0 || llen > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++) {
		if (*p == '.' && p[1] == '.')
			return 0;
		if (*p != '.' && !email_atext((unsigned char)*p))
			return 0;
	}
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || label[0] == '-' ||
			    p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	}
	if (label == at + 1 || p - label < 2)
		return 0;		/* one label, or a 1-letter TLD */
	for (p = label; *p != '\0'; p++)
		if (!isalpha((unsigned char)*p))
			return 0;
	return 1;
}
