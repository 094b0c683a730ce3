/*
 * vcode: an award's verification code, read as typed. See vcode.h.
 */
#include <string.h>

#include "vcode.h"

/* The stored character that c (typed) stands for, '\0' for a separator,
 * -1 for none. */
static int
vcode_char(unsigned char c)
{
	if (c == '-' || c == ' ')
		return '\0';
	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'U'))
		return c;
	return -1;
}

int
vcode_norm(const char *s, size_t len, char out[VCODE_LEN + 1])
{
	size_t	 i, n = 0;
	int	 c;

	for (i = 0; i < len; i++) {
		if ((c = vcode_char((unsigned char)s[i])) < 0)
			return -1;
		if (c == '\0')
			continue;
		if (n == VCODE_LEN)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == VCODE_LEN ? 0 : -1;
}

void
vcode_print(const char *code, char out[VCODE_LEN + 2])
{
	memcpy(out, code, VCODE_LEN / 2);
	out[VCODE_LEN / 2] = '-';
	memcpy(out + VCODE_LEN / 2 + 1, code + VCODE_LEN / 2, VCODE_LEN / 2);
	out[VCODE_LEN + 1] = '\0';
}
