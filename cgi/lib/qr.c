/*
 * qr: a QR code of a text as a printable label, PNG or SVG. See qr.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "arena.h"
#include "qr.h"
#include "resp.h"

#define QUIET		4	/* modules of white around the symbol */
#define GLYPH_W		5
#define GLYPH_H		7
#define TEXT_SCALE	4	/* pixels of a font dot in the PNG */

/* 5x7 glyphs, one byte a row, the leftmost dot the bit 0x10. */
static const struct {
	char		c;
	unsigned char	rows[GLYPH_H];
} font[] = {
	{ '0', { 0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E } },
	{ '1', { 0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E } },
	{ '2', { 0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F } },
	{ '3', { 0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E } },
	{ '4', { 0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02 } },
	{ '5', { 0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E } },
	{ '6', { 0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E } },
	{ '7', { 0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 } },
	{ '8', { 0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E } },
	{ '9', { 0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C } },
	{ 'A', { 0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11 } },
	{ 'B', { 0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E } },
	{ 'C', { 0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E } },
	{ 'D', { 0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C } },
	{ 'E', { 0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F } },
	{ 'F', { 0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10 } },
	{ 'G', { 0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F } },
	{ 'H', { 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11 } },
	{ 'I', { 0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E } },
	{ 'J', { 0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C } },
	{ 'K', { 0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11 } },
	{ 'L', { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F } },
	{ 'M', { 0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11 } },
	{ 'N', { 0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11 } },
	{ 'O', { 0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E } },
	{ 'P', { 0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10 } },
	{ 'Q', { 0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D } },
	{ 'R', { 0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11 } },
	{ 'S', { 0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E } },
	{ 'T', { 0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04 } },
	{ 'U', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E } },
	{ 'V', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04 } },
	{ 'W', { 0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A } },
	{ 'X', { 0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11 } },
	{ 'Y', { 0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04 } },
	{ 'Z', { 0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F } },
	{ '-', { 0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00 } },
};

static const unsigned char *
glyph(char c)
{
	size_t	 i;

	for (i = 0; i < NELEM(font); i++)
		if (font[i].c == c)
			return font[i].rows;
	return NULL;
}

/* The symbol of text (8-bit bytes, error correction M), or NULL. */
static QRcode *
symbol(const char *text)
{
	return QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
}

/* A grey image being drawn: 0 black, 255 white. */
struct canvas {
	unsigned char	*px;
	size_t		 w, h;
};

static void
fill(struct canvas *c, size_t x, size_t y, size_t w, size_t h)
{
	size_t	 i;

	for (i = y; i < y + h && i < c->h; i++)
		memset(c->px + i * c->w + x, 0, x + w <= c->w ? w : c->w - x);
}

/* The caption centred at row y, each font dot s pixels. */
static void
draw_text(struct canvas *c, const char *s, size_t y, size_t s_px)
{
	size_t			 n = strlen(s), x0, i, row, col;
	const unsigned char	*g;

	if (n * (GLYPH_W + 1) * s_px > c->w)
		return;
	x0 = (c->w - n * (GLYPH_W + 1) * s_px + s_px) / 2;
	for (i = 0; i < n; i++) {
		if ((g = glyph(s[i])) == NULL)
			continue;
		for (row = 0; row < GLYPH_H; row++)
			for (col = 0; col < GLYPH_W; col++)
				if (g[row] & (0x10 >> col))
					fill(c, x0 + (i * (GLYPH_W + 1) + col) *
					    s_px, y + row * s_px, s_px, s_px);
	}
}

/* libpng's writer into a growing buffer. */
struct pngbuf {
	unsigned char	*p;
	size_t		 len, cap;
	int		 failed;
};

static void
png_put(png_structp png, png_bytep data, png_size_t n)
{
	struct pngbuf	*b = png_get_io_ptr(png);
	unsigned char	*np;

	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		if ((np = realloc(b->p, b->cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void
png_flush_none(png_structp png)
{
	(void)png;
}

/* The canvas as PNG bytes (malloc'd into *b), 0 or -1. */
static int
png_encode(const struct canvas *c, struct pngbuf *b)
{
	png_structp	 png;
	png_infop	 info;
	size_t		 y;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png == NULL)
		return -1;
	if ((info = png_create_info_struct(png)) == NULL ||
	    setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_set_write_fn(png, b, png_put, png_flush_none);
	png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8,
	    PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* 300 dots per inch: a module of 8 px is 0.68 mm on the label. */
	png_set_pHYs(png, info, 11811, 11811, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (y = 0; y < c->h; y++)
		png_write_row(png, c->px + y * c->w);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return b->failed ? -1 : 0;
}

unsigned char *
qr_png(struct arena *a, const char *text, const char *caption, size_t *len)
{
	QRcode		*q;
	struct canvas	 c;
	struct pngbuf	 b = { NULL, 0, 0, 0 };
	unsigned char	*out = NULL;
	size_t		 side, x, y, m = QR_MODULE_PX;

	if ((q = symbol(text)) == NULL)
		return NULL;
	side = (size_t)q->width + 2 * QUIET;
	c.w = side * m;
	c.h = c.w + (GLYPH_H + 3) * TEXT_SCALE;
	c.px = arena_alloc(a, c.w * c.h);
	memset(c.px, 255, c.w * c.h);
	for (y = 0; y < (size_t)q->width; y++)
		for (x = 0; x < (size_t)q->width; x++)
			if (q->data[y * (size_t)q->width + x] & 1)
				fill(&c, (x + QUIET) * m, (y + QUIET) * m, m, m);
	QRcode_free(q);
	draw_text(&c, caption, c.w, TEXT_SCALE);
	if (png_encode(&c, &b) == 0) {
		out = arena_alloc(a, b.len);
		memcpy(out, b.p, b.len);
		*len = b.len;
	}
	free(b.p);
	return out;
}

char *
qr_svg(struct arena *a, const char *text, const char *caption)
{
	QRcode		*q;
	char		*svg, *p;
	size_t		 side, x, y, n, cap;

	if ((q = symbol(text)) == NULL)
		return NULL;
	side = (size_t)q->width + 2 * QUIET;
	n = (size_t)q->width;
	cap = 600 + n * n * 40 + strlen(caption) * 6;
	p = svg = arena_alloc(a, cap);
	p += snprintf(p, cap, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %zu %zu\""
	    " width=\"%zumm\" height=\"%zumm\" shape-rendering=\"crispEdges\">"
	    "\n<rect width=\"%zu\" height=\"%zu\" fill=\"#fff\"/>\n<g fill=\"#000\">",
	    side, side + 3, side * 7 / 10, (side + 3) * 7 / 10, side, side + 3);
	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++)
			if (q->data[y * n + x] & 1)
				p += snprintf(p, cap - (size_t)(p - svg),
				    "<rect x=\"%zu\" y=\"%zu\" width=\"1\""
				    " height=\"1\"/>", x + QUIET, y + QUIET);
	QRcode_free(q);
	snprintf(p, cap - (size_t)(p - svg), "</g>\n<text x=\"%zu\" y=\"%zu\""
	    " font-family=\"monospace\" font-size=\"3\" text-anchor=\"middle\">"
	    "%s</text>\n</svg>\n", side / 2, side + 2,
	    resp_html_escape(a, caption));
	return svg;
}
