/*
 * log: one switchable indirection for diagnostics. Lines go to stderr
 * (the supervisor or systemd collects them) with the program name and
 * pid. Never log passwords, tokens or request bodies.
 */
#ifndef KC_LOG_H
#define KC_LOG_H

void	log_init(const char *progname);
void	log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
