/*
 * totp: the parts of staff sign-in's second factor that need no database.
 *
 * Codes are RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits) computed
 * and checked by liboath; a code is accepted for the current step or one
 * step either side (clock skew), and only for a step later than the last
 * one accepted for that user, so no code signs in twice. The secret is
 * shown once, as base32 text and as a QR code of its otpauth:// URI made
 * by libqrencode. Recovery codes are 80 random bits (libsodium's CSPRNG)
 * written as 16 base32 letters in four groups; the database keeps their
 * BLAKE2b hash only.
 */
#ifndef KC_TOTP_H
#define KC_TOTP_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

struct arena;

#define TOTP_SECRET_LEN	20	/* 160-bit key (RFC 4226's advice) */
#define TOTP_STEP	30	/* seconds */
#define TOTP_DIGITS	6
#define TOTP_WINDOW	1	/* steps of skew accepted either side */
#define TOTP_B32_LEN	32	/* base32 of a 20-byte key, no padding */
#define TOTP_ISSUER	"Khuyen cong Ha Tinh"

#define RECOVERY_COUNT	10
#define RECOVERY_BYTES	10	/* 80 bits */
#define RECOVERY_CHARS	16	/* base32 letters */
#define RECOVERY_LEN	19	/* xxxx-xxxx-xxxx-xxxx */
#define RECOVERY_HASH_LEN 64	/* hex BLAKE2b-256 */

int	 totp_init(void);
void	 totp_new_secret(unsigned char key[TOTP_SECRET_LEN]);
int	 totp_base32(char out[TOTP_B32_LEN + 1], const unsigned char *key,
	    size_t len);
int	 totp_key(unsigned char key[TOTP_SECRET_LEN], size_t *len,
	    const char *b32);
int	 totp_code(char out[TOTP_DIGITS + 1], const unsigned char *key,
	    size_t len, time_t now);
long long totp_check(const unsigned char *key, size_t len, time_t now,
	    long long last_step, const char *code);
const char *totp_uri(struct arena *, const char *account, const char *b32);
json_object *totp_qr(const char *text);

void	 recovery_new(char out[RECOVERY_LEN + 1]);
int	 recovery_normalise(char out[RECOVERY_CHARS + 1], const char *in,
	    size_t len);
void	 recovery_hash(char out[RECOVERY_HASH_LEN + 1], long long user_id,
	    const char norm[RECOVERY_CHARS + 1]);

#endif
