/*
 * vcode: an award's verification code (migration 067): 8 characters of
 * Crockford's base32 alphabet, 0-9 A-Z without I L O U. What people type
 * is read as Crockford reads it: any case, O as 0, I and L as 1, hyphens
 * and spaces ignored (ABCD-EFGH, abcd efgh).
 */
#ifndef KC_VCODE_H
#define KC_VCODE_H

#include <stddef.h>

#define VCODE_LEN	8

/*
 * The code typed in s (len bytes) in its stored form into out (NUL-ended):
 * 0 when it reads as a code, -1 when it does not (a letter U or one
 * outside the alphabet, too few or too many characters).
 */
int	vcode_norm(const char *s, size_t len, char out[VCODE_LEN + 1]);

/* A stored code as printed, its halves joined by a hyphen: ABCD-EFGH. */
void	vcode_print(const char *code, char out[VCODE_LEN + 2]);

/*
 * A new code into out: 40 bits from libsodium's random source
 * (randombytes_buf: the kernel's getrandom), as 8 characters. Returns the
 * 40 bits, for telling codes apart without comparing strings. Whether a
 * stored award holds it already is the caller's to check (the trigger of
 * migration 067 fills any code left NULL).
 */
unsigned long long vcode_new(char out[VCODE_LEN + 1]);

#endif
