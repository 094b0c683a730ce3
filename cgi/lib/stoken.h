/*
 * stoken: an application's status token, the applicant's secret for the
 * status page: base64url of 32 random bytes (43 characters), stored only
 * as its hex BLAKE2b-256 hash (application.token_hash). Made when an
 * application is received (kc-register) and when staff reissue it
 * (kc-staff).
 */
#ifndef KC_STOKEN_H
#define KC_STOKEN_H

struct arena;

void	stoken_new(struct arena *, const char **token, const char **hash);

#endif
