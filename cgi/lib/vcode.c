/*
 * vcode: an award's verification code, read as typed. See vcode.h.
 */
#include <string.h>

#include <sodium.h>

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

unsigned long long
vcode_new(char out[VCODE_LEN + 1])
{
	static const char	 abc[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char		 r[5];
	unsigned long long	 v = 0;
	int			 k;

	randombytes_buf(r, sizeof(r));
	for (k = 0; k < 5; k++)
		v = v << 8 | r[k];
	for (k = 0; k < VCODE_LEN; k++)
		out[k] = abc[(v >> (35 - 5 * k)) & 31];
	out[VCODE_LEN] = '\0';
	return v;
}
