/*
 * qr: a QR code of a text (libqrencode) as a label to print: the symbol
 * with its quiet zone, and a caption under it (the verification code,
 * drawn in a 5x7 font of 0-9, A-Z and '-'; other characters are blank).
 * PNG (libpng, 8-bit grey) or SVG, both black on white.
 */
#ifndef KC_QR_H
#define KC_QR_H

#include <stddef.h>

struct arena;

#define QR_MODULE_PX	8	/* a module of the PNG, in pixels */

/* The PNG of text's symbol with caption: its bytes in the arena and their
 * number in *len; NULL when the text cannot be encoded. */
unsigned char	*qr_png(struct arena *, const char *text, const char *caption,
		    size_t *len);
/* The same as an SVG document (NUL-ended, in the arena), or NULL. */
char		*qr_svg(struct arena *, const char *text, const char *caption);

#endif
