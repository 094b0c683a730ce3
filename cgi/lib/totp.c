/*
 * totp: TOTP codes (liboath), their QR code (libqrencode) and recovery
 * codes (libsodium). See totp.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include "arena.h"
#include "totp.h"

/* liboath and libsodium once per process: 0, or -1. */
int
totp_init(void)
{
	static int	 done;

	if (done)
		return 0;
	if (oath_init() != OATH_OK || sodium_init() < 0)
		return -1;
	done = 1;
	return 0;
}

/* A fresh key from the system's CSPRNG. */
void
totp_new_secret(unsigned char key[TOTP_SECRET_LEN])
{
	if (totp_init() < 0)
		abort();
	randombytes_buf(key, TOTP_SECRET_LEN);
}

/* Base32 (RFC 4648) of a key of up to 20 bytes, padding dropped: 0, -1. */
int
totp_base32(char out[TOTP_B32_LEN + 1], const unsigned char *key, size_t len)
{
	char	*b = NULL, *eq;
	size_t	 n = 0;

	if (len == 0 || len > TOTP_SECRET_LEN || totp_init() < 0 ||
	    oath_base32_encode((const char *)key, len, &b, &n) != OATH_OK)
		return -1;
	if ((eq = memchr(b, '=', n)) != NULL)
		n = (size_t)(eq - b);
	memcpy(out, b, n);
	out[n] = '\0';
	sodium_memzero(b, n);
	free(b);
	return 0;
}

/* The key written in base32 (as stored): 0, or -1 if it is not one. */
int
totp_key(unsigned char key[TOTP_SECRET_LEN], size_t *len, const char *b32)
{
	char	*b = NULL;
	size_t	 n = 0;

	*len = 0;
	if (b32 == NULL || *b32 == '\0' || strlen(b32) > TOTP_B32_LEN ||
	    totp_init() < 0 ||
	    oath_base32_decode(b32, strlen(b32), &b, &n) != OATH_OK)
		return -1;
	if (n == 0 || n > TOTP_SECRET_LEN) {
		free(b);
		return -1;
	}
	memcpy(key, b, n);
	*len = n;
	sodium_memzero(b, n);
	free(b);
	return 0;
}

/* The code of time now (tests and tools): 0, or -1. */
int
totp_code(char out[TOTP_DIGITS + 1], const unsigned char *key, size_t len,
    time_t now)
{
	if (totp_init() < 0)
		return -1;
	return oath_totp_generate((const char *)key, len, now, TOTP_STEP, 0,
	    TOTP_DIGITS, out) == OATH_OK ? 0 : -1;
}

/*
 * Check code (exactly six digits) against key at time now, one step of
 * skew either side. The time step it matched when that step is later
 * than last_step (0: none yet); 0 when it matches no step of the window
 * or is not six digits; -1 when it matches a step already used.
 */
long long
totp_check(const unsigned char *key, size_t len, time_t now,
    long long last_step, const char *code)
{
	uint64_t	 step = 0;
	int		 pos = 0, rc;
	size_t		 i;

	if (code == NULL || strlen(code) != TOTP_DIGITS || key == NULL ||
	    len == 0 || totp_init() < 0)
		return 0;
	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	rc = oath_totp_validate4((const char *)key, len, now, TOTP_STEP, 0,
	    TOTP_WINDOW, &pos, &step, 0, code);
	if (rc < 0)
		return 0;
	if ((long long)step <= last_step)
		return -1;
	return (long long)step;
}

/* otpauth://totp/ISSUER:ACCOUNT?secret=..&issuer=.. (account: a-z0-9._-) */
const char *
totp_uri(struct arena *a, const char *account, const char *b32)
{
	char		 issuer[64];
	const char	*s;
	size_t		 n = 0;

	for (s = TOTP_ISSUER; *s != '\0' && n + 4 < sizeof(issuer); s++) {
		if (*s == ' ') {
			memcpy(issuer + n, "%20", 3);
			n += 3;
		} else
			issuer[n++] = *s;
	}
	issuer[n] = '\0';
	return arena_printf(a, "otpauth://totp/%s:%s?secret=%s&issuer=%s"
	    "&algorithm=SHA1&digits=%d&period=%d", issuer, account, b32,
	    issuer, TOTP_DIGITS, TOTP_STEP);
}

/*
 * The QR code of text (error correction M) as {"size":N,"rows":[N
 * strings of N '0'/'1', '1' dark]}, for the page to draw; NULL on error.
 */
json_object *
totp_qr(const char *text)
{
	QRcode		*qr;
	json_object	*o, *rows;
	char		*line;
	int		 x, y;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return NULL;
	if ((line = malloc((size_t)qr->width + 1)) == NULL) {
		QRcode_free(qr);
		return NULL;
	}
	o = json_object_new_object();
	rows = json_object_new_array();
	for (y = 0; y < qr->width; y++) {
		for (x = 0; x < qr->width; x++)
			line[x] = (qr->data[y * qr->width + x] & 1) ? '1' : '0';
		line[qr->width] = '\0';
		json_object_array_add(rows, json_object_new_string(line));
	}
	json_object_object_add(o, "size", json_object_new_int(qr->width));
	json_object_object_add(o, "rows", rows);
	free(line);
	QRcode_free(qr);
	return o;
}

/* A fresh recovery code, "abcd-efgh-ijkl-mnop" (lower-case base32). */
void
recovery_new(char out[RECOVERY_LEN + 1])
{
	unsigned char	 raw[RECOVERY_BYTES];
	char		 b[TOTP_B32_LEN + 1];
	size_t		 i, n = 0;

	if (totp_init() < 0)
		abort();
	randombytes_buf(raw, sizeof(raw));
	if (totp_base32(b, raw, sizeof(raw)) < 0 ||
	    strlen(b) != RECOVERY_CHARS)
		abort();
	for (i = 0; i < RECOVERY_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[n++] = '-';
		out[n++] = (char)(b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i]);
	}
	out[n] = '\0';
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(b, sizeof(b));
}

/*
 * A recovery code as typed (any case, '-' or spaces between groups) in
 * its canonical form: 16 upper-case base32 letters. 0, or -1 when it is
 * not the shape of one.
 */
int
recovery_normalise(char out[RECOVERY_CHARS + 1], const char *in, size_t len)
{
	size_t	 i, n = 0;
	char	 c;

	for (i = 0; i < len; i++) {
		c = in[i];
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) ||
		    n == RECOVERY_CHARS)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == RECOVERY_CHARS ? 0 : -1;
}

/* What the database keeps: hex BLAKE2b-256 of "<user id>:<code>". */
void
recovery_hash(char out[RECOVERY_HASH_LEN + 1], long long user_id,
    const char norm[RECOVERY_CHARS + 1])
{
	char		 buf[64];
	unsigned char	 h[32];
	int		 n;

	n = snprintf(buf, sizeof(buf), "%lld:%s", user_id, norm);
	crypto_generichash(h, sizeof(h), (const unsigned char *)buf,
	    (size_t)n, NULL, 0);
	sodium_bin2hex(out, RECOVERY_HASH_LEN + 1, h, sizeof(h));
	sodium_memzero(buf, sizeof(buf));
}
