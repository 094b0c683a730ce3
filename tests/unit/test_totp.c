/*
 * totp: RFC 6238's SHA-1 test vectors through liboath, the one-step skew
 * window, replay of a used step, base32 (RFC 4648 vectors), the otpauth
 * URI and its QR code, recovery codes' shape, normal form and hash.
 */
#include "kc_test.h"

#include <json-c/json.h>

#include "totp.h"

/* RFC 6238 appendix B's SHA-1 key. */
static const unsigned char key[] = "12345678901234567890";
#define KEYLEN	20

static void
rfc6238_vectors(void **state)
{
	/* Appendix B, SHA-1, last six of the eight digits. */
	static const struct { time_t t; const char *code; } v[] = {
		{ 59, "287082" }, { 1111111109, "081804" },
		{ 1111111111, "050471" }, { 1234567890, "005924" },
		{ 2000000000, "279037" }, { 20000000000, "353130" },
	};
	char	 out[TOTP_DIGITS + 1];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(out, key, KEYLEN, v[i].t), 0);
		assert_string_equal(out, v[i].code);
		assert_int_equal(totp_check(key, KEYLEN, v[i].t, 0, v[i].code),
		    v[i].t / TOTP_STEP);
	}
}

static void
window_and_replay(void **state)
{
	(void)state;
	/* 287082 is step 1 (30..59): accepted from step 0 to step 2. */
	assert_int_equal(totp_check(key, KEYLEN, 59, 0, "287082"), 1);
	assert_int_equal(totp_check(key, KEYLEN, 15, 0, "287082"), 1);
	assert_int_equal(totp_check(key, KEYLEN, 89, 0, "287082"), 1);
	assert_int_equal(totp_check(key, KEYLEN, 90, 0, "287082"), 0);
	assert_int_equal(totp_check(key, KEYLEN, 1111111109, 0, "287082"), 0);
	/* The step already used, or an earlier one: refused as a replay. */
	assert_int_equal(totp_check(key, KEYLEN, 59, 1, "287082"), -1);
	assert_int_equal(totp_check(key, KEYLEN, 59, 2, "287082"), -1);
	/* Not six digits. */
	assert_int_equal(totp_check(key, KEYLEN, 59, 0, "28708"), 0);
	assert_int_equal(totp_check(key, KEYLEN, 59, 0, "2870820"), 0);
	assert_int_equal(totp_check(key, KEYLEN, 59, 0, "28708a"), 0);
	assert_int_equal(totp_check(key, KEYLEN, 59, 0, ""), 0);
	assert_int_equal(totp_check(key, KEYLEN, 59, 0, NULL), 0);
	/* Another key. */
	assert_int_equal(totp_check((const unsigned char *)"12345678901234567891",
	    KEYLEN, 59, 0, "287082"), 0);
}

static void
base32(void **state)
{
	char		 b[TOTP_B32_LEN + 1];
	unsigned char	 k1[TOTP_SECRET_LEN], k2[TOTP_SECRET_LEN];
	size_t		 n;

	(void)state;
	assert_int_equal(totp_base32(b, (const unsigned char *)"foobar", 6), 0);
	assert_string_equal(b, "MZXW6YTBOI");	/* RFC 4648 section 10 */
	assert_int_equal(totp_base32(b, (const unsigned char *)"f", 1), 0);
	assert_string_equal(b, "MY");
	assert_int_equal(totp_base32(b, key, KEYLEN), 0);
	assert_string_equal(b, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(totp_base32(b, key, 0), -1);
	assert_int_equal(totp_key(k1, &n, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), 0);
	assert_int_equal(n, KEYLEN);
	assert_memory_equal(k1, key, KEYLEN);
	assert_int_equal(totp_key(k1, &n, "not base32!"), -1);
	assert_int_equal(totp_key(k1, &n, ""), -1);
	assert_int_equal(totp_key(k1, &n, NULL), -1);
	totp_new_secret(k1);
	totp_new_secret(k2);
	assert_memory_not_equal(k1, k2, TOTP_SECRET_LEN);
	assert_int_equal(totp_base32(b, k1, sizeof(k1)), 0);
	assert_int_equal(strlen(b), TOTP_B32_LEN);
	assert_int_equal(totp_key(k2, &n, b), 0);
	assert_memory_equal(k1, k2, TOTP_SECRET_LEN);
}

static void
uri_and_qr(void **state)
{
	struct arena	*a = *state;
	const char	*u = totp_uri(a, "thu.ky", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	json_object	*o, *rows, *v;
	size_t		 i, n;

	assert_string_equal(u, "otpauth://totp/Khuyen%20cong%20Ha%20Tinh:thu.ky"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	    "&issuer=Khuyen%20cong%20Ha%20Tinh&algorithm=SHA1&digits=6&period=30");
	o = totp_qr(u);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "size", &v));
	n = (size_t)json_object_get_int(v);
	assert_true(n >= 21 && (n - 21) % 4 == 0);	/* a QR version's width */
	assert_true(json_object_object_get_ex(o, "rows", &rows));
	assert_int_equal(json_object_array_length(rows), n);
	for (i = 0; i < n; i++) {
		const char	*row = json_object_get_string(
		    json_object_array_get_idx(rows, i));

		assert_int_equal(strlen(row), n);
		assert_int_equal(strspn(row, "01"), n);
	}
	/* The finder pattern's top edge: seven dark modules, then light. */
	assert_memory_equal(json_object_get_string(
	    json_object_array_get_idx(rows, 0)), "11111110", 8);
	json_object_put(o);
}

static void
recovery(void **state)
{
	char	 c1[RECOVERY_LEN + 1], c2[RECOVERY_LEN + 1];
	char	 n1[RECOVERY_CHARS + 1], n2[RECOVERY_CHARS + 1];
	char	 h1[RECOVERY_HASH_LEN + 1], h2[RECOVERY_HASH_LEN + 1];
	size_t	 i;

	(void)state;
	recovery_new(c1);
	recovery_new(c2);
	assert_int_equal(strlen(c1), RECOVERY_LEN);
	assert_string_not_equal(c1, c2);
	for (i = 0; i < RECOVERY_LEN; i++)
		assert_true(i % 5 == 4 ? c1[i] == '-' :
		    ((c1[i] >= 'a' && c1[i] <= 'z') || (c1[i] >= '2' && c1[i] <= '7')));
	assert_int_equal(recovery_normalise(n1, c1, strlen(c1)), 0);
	assert_int_equal(strlen(n1), RECOVERY_CHARS);
	assert_int_equal(recovery_normalise(n2, "ABCD EFGH-ijkl mnop", 19), 0);
	assert_string_equal(n2, "ABCDEFGHIJKLMNOP");
	assert_int_equal(recovery_normalise(n2, "abcd-efgh-ijkl-mno", 18), -1);
	assert_int_equal(recovery_normalise(n2, "abcd-efgh-ijkl-mnopq", 20), -1);
	assert_int_equal(recovery_normalise(n2, "abcd-efgh-ijkl-mno1", 19), -1);
	assert_int_equal(recovery_normalise(n2, "", 0), -1);
	recovery_hash(h1, 7, "ABCDEFGHIJKLMNOP");
	recovery_hash(h2, 8, "ABCDEFGHIJKLMNOP");
	assert_int_equal(strlen(h1), RECOVERY_HASH_LEN);
	assert_string_not_equal(h1, h2);	/* bound to the user */
	recovery_hash(h2, 7, "ABCDEFGHIJKLMNOP");
	assert_string_equal(h1, h2);
	assert_null(strstr(h1, "ABCDEFGH"));
}

KC_TEST_MAIN(rfc6238_vectors, window_and_replay, base32, uri_and_qr, recovery)
