/*
 * stoken: status tokens. See stoken.h.
 */
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "stoken.h"

#define TOKEN_BYTES	32

/* A new status token and its hex hash, both in the arena. */
void
stoken_new(struct arena *a, const char **token, const char **hash)
{
	unsigned char	 raw[TOKEN_BYTES], h[crypto_generichash_BYTES];
	size_t		 tlen = sodium_base64_ENCODED_LEN(TOKEN_BYTES,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char		*t = arena_alloc(a, tlen);
	char		*hx = arena_alloc(a, 2 * sizeof(h) + 1);

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(t, tlen, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	crypto_generichash(h, sizeof(h), (const unsigned char *)t, strlen(t),
	    NULL, 0);
	sodium_bin2hex(hx, 2 * sizeof(h) + 1, h, sizeof(h));
	*token = t;
	*hash = hx;
}
