/*
 * conf: configuration from the environment, with defaults that point every
 * program run from the checkout at the private instance under var/.
 *
 *   KC_VAR              state folder (default: <checkout>/var)
 *   KC_DB_SOCKET        MariaDB unix socket (default: $KC_VAR/run/mysqld.sock)
 *   KC_DB_HOST, KC_DB_PORT   TCP instead of the socket, when KC_DB_HOST is set
 *   KC_DB_USER          database user (default: the program's own, see db_new)
 *   KC_DB_PASSWORD_FILE file holding the password (default: $KC_VAR/secrets/<user>.pw)
 *   KC_DB_NAME          database name (default: kc)
 *   KC_DB_READ_TIMEOUT  seconds a query may take before the API answers 503 (default 5)
 *   KC_CATALOGUE_BUILD_TIMEOUT  seconds a build's reads may take (kc-products'
 *                       catalogue and facility list, read whole on their own
 *                       connection when the catalogue's version moved; default 120)
 *   KC_COOKIE_SECURE    1 to mark session cookies Secure (behind HTTPS)
 *   KC_CLOCK_FILE       tests only: a file holding the epoch the programs take
 *                       for now (see clock.h); never set in production
 */
#ifndef KC_CONF_H
#define KC_CONF_H

const char	*conf_get(const char *name, const char *def);
long		 conf_int(const char *name, long def, long min, long max);
const char	*conf_var(void);

#endif
