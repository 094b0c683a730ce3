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
char	*text_plain(struct arena *, const char *, size_t);
void	 text_set_slow(int);

/*
 * The words of a folded text as the product search sees them (the rule of
 * migration 024): runs of letters, marks and digits of any script (Unicode
 * categories L, M, N; everything else, “curly quotes” and dashes too, is a
 * separator), each cut to TEXT_WORD_CHARS characters. text_word() returns the next
 * word at or after *p with its length in *len, and moves *p past it; NULL
 * when no word is left.
 */
#define TEXT_WORD_CHARS	64
const char	*text_word(const char **p, size_t *len);

#endif
