/*
 * money: amounts of đồng as people type them. One parser for every money
 * field of the API (F_MONEY in req.h), the importers and the tools, so a
 * page may send what was typed and get one answer everywhere.
 *
 * Accepted (case and diacritics do not matter; spaces around the parts
 * are free):
 *   2080000000   2.080.000.000   2 080 000 000   2,080,000,000
 *   2.080.000.000 đ   2.080.000.000 đồng   2.080.000.000 VND   1.500.000,00
 *   2,08 tỷ   2.5 tỷ   150 triệu   150 tr   200 nghìn   2 tỷ 80 triệu
 * Refused, each with its Vietnamese reason: what is not a number, a
 * negative amount, a part of a đồng (2,5 đ; 1,0000000005 tỷ), a thousands
 * group that is not three digits (2.08.000), what could be read two ways
 * (150,000 — a vi-VN decimal comma or an en-US thousands comma?; 1.500
 * tỷ — 1 500 tỷ or 1,5 tỷ?), units out of order (80 triệu 2 tỷ) and
 * amounts above MONEY_MAX.
 */
#ifndef KC_MONEY_H
#define KC_MONEY_H

#include <stddef.h>

struct arena;

/* 10^15 đồng (a million tỷ): far above any plan, far below LLONG_MAX. */
#define MONEY_MAX	1000000000000000LL

/*
 * Parses the len bytes at s into *out. Returns 0 and sets *out, or -1
 * with *why a Vietnamese message (static or from the arena). Text that
 * holds nothing (only spaces) is -1 with *why NULL: the caller decides
 * whether the field was required.
 */
int	 money_parse(struct arena *, const char *s, size_t len,
	    long long *out, const char **why);

/* n as the pages write it: "2.080.000.000 đ" (buf of at least 32). */
char	*money_format(char *buf, size_t size, long long n);

#endif
