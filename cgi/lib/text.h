/*
 * text: Vietnamese text handling on utf8proc. Each function takes a byte
 * string with its length (no NUL needed); those that transform it return
 * a new NUL-terminated NFC UTF-8 string from the arena, or NULL when the
 * input is not valid UTF-8.
 */
#ifndef KC_TEXT_H
#define KC_TEXT_H

#include <stddef.h>

struct arena;

int	 text_utf8_valid(const char *, size_t);
char	*text_nfc(struct arena *, const char *, size_t);
char	*text_clean(struct arena *, const char *, size_t);
char	*text_fold(struct arena *, const char *, size_t);
char	*text_key(struct arena *, const char *, size_t);

#endif
