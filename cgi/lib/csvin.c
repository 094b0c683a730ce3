/*
 * csvin: raw bytes are read in chunks of CSVIN_CHUNK into raw[], decoded
 * to UTF-8 into out[] (iconv, or a copy for UTF-8), and out[] is given to
 * libcsv one physical line at a time, so that at most one record ends per
 * call to csv_parse() and the line on which each record starts is known.
 * Field text lives in an arena that is reset at every csvin_next().
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <utf8proc.h>

#include "arena.h"
#include "csvin.h"
#include "text.h"

#define CSVIN_CHUNK	(64 * 1024)
#define CSVIN_SLACK	1024	/* libcsv's buffer beyond max_field */
#define SNIFF_LINES	64	/* lines looked at to find the delimiter */
#define SCORE_MIN	80	/* % of plausible words to accept a decoding */
#define SCORE_GAP	20	/* and this much better than the other one */

struct csvin_enc {
	const char	*name;		/* as reported */
	const char	*iconv;		/* glibc name, NULL for UTF-8 */
	const char	*bom;
	size_t		 bomlen;
};

static const struct csvin_enc encs[] = {
	{ "utf-8", NULL, "\xef\xbb\xbf", 3 },
	{ "utf-16le", "UTF-16LE", "\xff\xfe", 2 },
	{ "utf-16be", "UTF-16BE", "\xfe\xff", 2 },
	{ "windows-1258", "CP1258", NULL, 0 },
	{ "tcvn3", "TCVN5712-1", NULL, 0 },
};
#define ENC_UTF8	(&encs[0])
#define ENC_CP1258	(&encs[3])
#define ENC_TCVN3	(&encs[4])
#define ENC__MAX	(sizeof(encs) / sizeof(encs[0]))

struct csvin {
	FILE			*fp;		/* NULL when reading memory */
	const unsigned char	*mem;
	size_t			 memlen;
	size_t			 mempos;
	const struct csvin_enc	*enc;
	iconv_t			 cd;		/* (iconv_t)-1 for UTF-8 */
	char			 delim;
	struct csv_parser	 parser;
	int			 parser_live;
	struct arena		*arena;
	size_t			 max_field;
	size_t			 max_fields;
	size_t			 max_records;
	size_t			 nrecords;
	int			 eof;		/* source exhausted */
	int			 flushed;	/* iconv state flushed */
	int			 done;		/* csv_fini() called */
	size_t			 line;		/* current physical line */
	int			 prev_cr;
	int			 in_record;
	int			 rec_done;
	int			 rec_err;
	int			 decode_err;	/* after out[] is read */
	int			 err;
	size_t			 err_line;
	struct csvin_record	 rec;
	size_t			 rawlen;
	size_t			 outpos;
	size_t			 outlen;
	unsigned char		 raw[CSVIN_CHUNK];
	char			 out[3 * CSVIN_CHUNK + 16];
};

/* Appends source bytes to raw[] up to its size; sets eof at the end. */
static int
csvin_read(struct csvin *c)
{
	size_t	 want = sizeof(c->raw) - c->rawlen, n;

	if (c->eof || want == 0)
		return 0;
	if (c->fp != NULL) {
		n = fread(c->raw + c->rawlen, 1, want, c->fp);
		if (n < want && ferror(c->fp))
			return CSVIN_EIO;
	} else {
		n = c->memlen - c->mempos < want ? c->memlen - c->mempos :
		    want;
		memcpy(c->raw + c->rawlen, c->mem + c->mempos, n);
		c->mempos += n;
	}
	c->rawlen += n;
	if (n < want)
		c->eof = 1;
	return 0;
}

/*
 * Decodes the pending raw bytes into out[]. Returns 1 if out[] holds
 * text, 0 at the end of the input or on error (c->err set). An error is
 * reported once the text decoded before it has been read.
 */
static int
csvin_decode(struct csvin *c)
{
	char	*in, *o;
	size_t	 inleft, oleft;

	c->outpos = c->outlen = 0;
	for (;;) {
		if (c->decode_err == 0)
			c->decode_err = csvin_read(c);
		if (c->decode_err != 0) {
			c->err = c->decode_err;
			c->err_line = c->line;
			return 0;
		}
		if (c->enc->iconv == NULL) {
			memcpy(c->out, c->raw, c->rawlen);
			c->outlen = c->rawlen;
			c->rawlen = 0;
			return c->outlen > 0;
		}
		in = (char *)c->raw;
		inleft = c->rawlen;
		o = c->out;
		oleft = sizeof(c->out);
		if (iconv(c->cd, &in, &inleft, &o, &oleft) == (size_t)-1 &&
		    (errno == EILSEQ || (errno == EINVAL && c->eof)))
			c->decode_err = CSVIN_EDECODE;
		memmove(c->raw, in, inleft);
		c->rawlen = inleft;
		if (c->eof && c->rawlen == 0 && !c->flushed) {
			iconv(c->cd, NULL, NULL, &o, &oleft);
			c->flushed = 1;
		}
		c->outlen = (size_t)(o - c->out);
		if (c->outlen > 0)
			return 1;
		if (c->eof && c->rawlen == 0)
			return 0;
	}
}

/* Returns the length of the valid UTF-8 prefix allowing a cut tail. */
static size_t
csvin_utf8_cut(const unsigned char *s, size_t n)
{
	size_t	 i, need;

	for (i = n; i > 0 && n - i < 4; i--) {
		if ((s[i - 1] & 0xc0) == 0x80)
			continue;
		need = s[i - 1] >= 0xf0 ? 4 : s[i - 1] >= 0xe0 ? 3 :
		    s[i - 1] >= 0xc0 ? 2 : 1;
		return n - (i - 1) < need ? i - 1 : n;
	}
	return n;
}

static int
csvin_is_vowel(utf8proc_int32_t cp)
{
	return cp < 0x80 && strchr("aeiouyAEIOUY", (int)cp) != NULL;
}

/*
 * Returns 1 if the decomposed word w[0..n) can be Vietnamese (or plain
 * ASCII): Latin base letters or đ, only Vietnamese marks, marks only on
 * vowels, at most one tone mark.
 */
static int
csvin_word_ok(const utf8proc_int32_t *w, size_t n)
{
	size_t	 i;
	int	 tones = 0, on_vowel = 0;

	for (i = 0; i < n; i++) {
		switch (w[i]) {
		case 0x0300: case 0x0301: case 0x0303: case 0x0309:
		case 0x0323:
			tones++;
			/* FALLTHROUGH */
		case 0x0302: case 0x0306: case 0x031b:
			if (!on_vowel)
				return 0;
			break;
		default:
			if (w[i] >= 0x80 && w[i] != 0x0110 && w[i] != 0x0111)
				return 0;
			on_vowel = csvin_is_vowel(w[i]);
		}
	}
	return tones <= 1;
}

/*
 * Decodes a sample from the encoding e into decomposed code points in
 * *cps (malloc'd). Returns how many, or -1 if the bytes are not in e.
 */
static utf8proc_ssize_t
csvin_sample(const struct csvin_enc *e, const unsigned char *s, size_t n,
    int eof, utf8proc_int32_t **cps)
{
	iconv_t			 cd;
	char			*buf, *in = (char *)s, *o;
	size_t			 inleft = n, oleft = 4 * n + 16;
	utf8proc_ssize_t	 cap, ncp = -1;
	int			 fail;

	*cps = NULL;
	if ((cd = iconv_open("UTF-8", e->iconv)) == (iconv_t)-1)
		abort();
	if ((buf = o = malloc(oleft)) == NULL)
		abort();
	fail = iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 &&
	    (errno == EILSEQ || eof);
	iconv(cd, NULL, NULL, &o, &oleft);
	iconv_close(cd);
	if (!fail) {
		/* A character decomposes into at most 1.5 per byte. */
		cap = 2 * (o - buf) + 1;
		if ((*cps = calloc((size_t)cap, sizeof(**cps))) == NULL)
			abort();
		ncp = utf8proc_decompose((utf8proc_uint8_t *)buf, o - buf,
		    *cps, cap, UTF8PROC_DECOMPOSE);
		if (ncp > cap)
			ncp = -1;
	}
	free(buf);
	return ncp;
}

static int
csvin_is_wordchar(utf8proc_int32_t cp)
{
	utf8proc_category_t	 cat = utf8proc_category(cp);

	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

/*
 * Scores a sample read as the encoding e: the share (in %) of its
 * non-ASCII words that can be Vietnamese, each Latin-1 symbol (what
 * TCVN3 letters look like in Windows-1258) counting as a bad word.
 * Returns -1 if the sample is not in that encoding at all.
 */
static int
csvin_score(const struct csvin_enc *e, const unsigned char *s, size_t n,
    int eof)
{
	utf8proc_int32_t	*cps;
	utf8proc_ssize_t	 ncp, i, end;
	size_t			 good = 0, bad = 0;
	int			 ascii;

	if ((ncp = csvin_sample(e, s, n, eof, &cps)) < 0) {
		free(cps);
		return -1;
	}
	for (i = 0; i < ncp; i = end) {
		if (!csvin_is_wordchar(cps[i])) {
			if (cps[i] >= 0xa1 && cps[i] <= 0xbf)
				bad++;
			end = i + 1;
			continue;
		}
		ascii = 1;
		for (end = i; end < ncp && csvin_is_wordchar(cps[end]); end++)
			ascii &= cps[end] < 0x80;
		if (ascii)
			continue;
		if (csvin_word_ok(cps + i, (size_t)(end - i)))
			good++;
		else
			bad++;
	}
	free(cps);
	return good + bad == 0 ? 0 : (int)(100 * good / (good + bad));
}

/*
 * Tells the encoding of a file from its first bytes: a BOM, else valid
 * UTF-8, else whichever of Windows-1258 and TCVN3 reads clearly better
 * as Vietnamese. Returns NULL if it cannot be told.
 */
static const struct csvin_enc *
csvin_detect(const unsigned char *s, size_t n, int eof)
{
	size_t	 i;
	int	 cp, tc;

	for (i = 0; i < ENC__MAX; i++)
		if (encs[i].bom != NULL && n >= encs[i].bomlen &&
		    memcmp(s, encs[i].bom, encs[i].bomlen) == 0)
			return &encs[i];
	if (memchr(s, '\0', n) != NULL)
		return NULL;
	if (text_utf8_valid((const char *)s, eof ? n : csvin_utf8_cut(s, n)))
		return ENC_UTF8;
	cp = csvin_score(ENC_CP1258, s, n, eof);
	tc = csvin_score(ENC_TCVN3, s, n, eof);
	if (cp >= SCORE_MIN && cp >= tc + SCORE_GAP)
		return ENC_CP1258;
	if (tc >= SCORE_MIN && tc >= cp + SCORE_GAP)
		return ENC_TCVN3;
	return NULL;
}

/*
 * Picks the delimiter from the first lines of decoded text: for each
 * candidate, the most common non-zero count per line (outside quotes);
 * the candidate seen that way on the most lines wins, then the one
 * giving the most columns. Comma if none appears.
 */
static char
csvin_sniff(const char *s, size_t n)
{
	static const char	 cand[] = { ',', ';', '\t' };
	size_t			 cnt[SNIFF_LINES][3], nl = 0, i, j, k, d;
	size_t			 best_d = 0, best_lines = 0, best_cols = 0;
	size_t			 lines, cols;
	int			 quoted = 0;

	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n && nl < SNIFF_LINES; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == '\n')
			nl++;
		else if (!quoted)
			for (d = 0; d < 3; d++)
				cnt[nl][d] += s[i] == cand[d];
	}
	if (nl < SNIFF_LINES)
		nl++;
	for (d = 0; d < 3; d++) {
		for (j = 0; j < nl; j++) {
			if (cnt[j][d] == 0)
				continue;
			for (lines = 0, k = 0; k < nl; k++)
				lines += cnt[k][d] == cnt[j][d];
			cols = cnt[j][d];
			if (lines > best_lines ||
			    (lines == best_lines && cols > best_cols)) {
				best_d = d;
				best_lines = lines;
				best_cols = cols;
			}
		}
	}
	return cand[best_d];
}

static void
csvin_field(void *s, size_t len, void *data)
{
	struct csvin	*c = data;
	char		*f;

	if (c->err || c->rec_err)
		return;
	if (len > c->max_field) {
		c->err = CSVIN_EFIELDLEN;
		c->err_line = c->rec.line;
		return;
	}
	if (c->rec.nfields == c->max_fields) {
		c->rec_err = CSVIN_EFIELDS;
		return;
	}
	if ((f = text_clean(c->arena, len > 0 ? s : "", len)) == NULL) {
		c->rec_err = CSVIN_ETEXT;
		return;
	}
	c->rec.fields[c->rec.nfields++] = f;
}

static void
csvin_record(int term, void *data)
{
	struct csvin	*c = data;

	(void)term;
	c->rec_done = 1;
	c->in_record = 0;
}

/* Gives libcsv the decoded text up to and including the next CR or LF. */
static void
csvin_feed(struct csvin *c)
{
	const char	*p = c->out + c->outpos;
	size_t		 n = c->outlen - c->outpos, len, i;

	for (len = 0; len < n && p[len] != '\r' && p[len] != '\n'; len++)
		continue;
	if (len < n)
		len++;
	for (i = 0; i < len && !c->in_record; i++)
		if (p[i] != ' ' && p[i] != '\r' && p[i] != '\n' &&
		    (p[i] != '\t' || c->delim == '\t')) {
			c->in_record = 1;
			c->rec.line = c->line;
		}
	if (csv_parse(&c->parser, p, len, csvin_field, csvin_record, c) != len)
		abort();	/* not strict: only out of memory is left */
	for (i = 0; i < len; i++) {
		if (p[i] == '\r' || (p[i] == '\n' && !c->prev_cr))
			c->line++;
		c->prev_cr = p[i] == '\r';
	}
	c->outpos += len;
	if (!c->err && csv_get_buffer_size(&c->parser) >
	    c->max_field + CSVIN_SLACK) {
		c->err = CSVIN_EFIELDLEN;
		c->err_line = c->rec.line;
	}
}

static int
csvin_start(struct csvin *c, const struct csvin_opts *opts)
{
	size_t	 i;
	int	 rc;

	c->cd = (iconv_t)-1;
	c->line = 1;
	c->max_field = opts != NULL && opts->max_field ? opts->max_field :
	    CSVIN_MAX_FIELD;
	c->max_fields = opts != NULL && opts->max_fields ? opts->max_fields :
	    CSVIN_MAX_FIELDS;
	c->max_records = opts != NULL ? opts->max_records : 0;
	if ((rc = csvin_read(c)) != 0)
		return rc;
	if (opts != NULL && opts->encoding != NULL) {
		for (i = 0; i < ENC__MAX; i++)
			if (strcmp(opts->encoding, encs[i].name) == 0)
				c->enc = &encs[i];
		if (c->enc == NULL)
			return CSVIN_EOPTION;
	} else if ((c->enc = csvin_detect(c->raw, c->rawlen, c->eof)) ==
	    NULL)
		return CSVIN_EENCODING;
	if (c->enc->bom != NULL && c->rawlen >= c->enc->bomlen &&
	    memcmp(c->raw, c->enc->bom, c->enc->bomlen) == 0) {
		c->rawlen -= c->enc->bomlen;
		memmove(c->raw, c->raw + c->enc->bomlen, c->rawlen);
	}
	if (c->enc->iconv != NULL &&
	    (c->cd = iconv_open("UTF-8", c->enc->iconv)) == (iconv_t)-1)
		abort();	/* glibc has every encoding in encs[] */
	csvin_decode(c);
	if (c->err)
		return c->err;
	c->delim = csvin_sniff(c->out, c->outlen);
	if (csv_init(&c->parser, 0) != 0)
		abort();
	c->parser_live = 1;
	csv_set_delim(&c->parser, (unsigned char)c->delim);
	c->arena = arena_new();
	return CSVIN_OK;
}

/*
 * Opens the CSV file at path. Returns CSVIN_OK and the reader in *cp, or
 * CSVIN_EIO (errno set), CSVIN_EENCODING, CSVIN_EDECODE or CSVIN_EOPTION
 * with *cp NULL. opts may be NULL for the defaults.
 */
int
csvin_open(struct csvin **cp, const char *path, const struct csvin_opts *opts)
{
	struct csvin	*c;
	int		 rc;

	*cp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		abort();
	if ((c->fp = fopen(path, "rb")) == NULL) {
		free(c);
		return CSVIN_EIO;
	}
	if ((rc = csvin_start(c, opts)) != CSVIN_OK) {
		csvin_close(c);
		return rc;
	}
	*cp = c;
	return CSVIN_OK;
}

/*
 * As csvin_open(), reading the len bytes at buf, which must stay valid
 * until csvin_close().
 */
int
csvin_open_mem(struct csvin **cp, const void *buf, size_t len,
    const struct csvin_opts *opts)
{
	struct csvin	*c;
	int		 rc;

	*cp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		abort();
	c->mem = buf;
	c->memlen = len;
	if ((rc = csvin_start(c, opts)) != CSVIN_OK) {
		csvin_close(c);
		return rc;
	}
	*cp = c;
	return CSVIN_OK;
}

/*
 * Closes the reader and frees everything it holds, records included.
 * NULL is allowed.
 */
void
csvin_close(struct csvin *c)
{
	if (c == NULL)
		return;
	if (c->parser_live)
		csv_free(&c->parser);
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	if (c->fp != NULL)
		fclose(c->fp);
	arena_free(c->arena);
	free(c);
}

/*
 * Reads the next record (blank lines are skipped; a line of bare
 * delimiters is a record of empty fields). Returns CSVIN_OK with *recp
 * valid until the next call, CSVIN_END, or an error: CSVIN_EFIELDS and
 * CSVIN_ETEXT concern one record (csvin_line() tells which) and the
 * next call goes on; the other errors are final.
 */
int
csvin_next(struct csvin *c, struct csvin_record **recp)
{
	*recp = NULL;
	if (c->err)
		return c->err;
	arena_reset(c->arena);
	c->rec.fields = arena_alloc(c->arena,
	    c->max_fields * sizeof(*c->rec.fields));
	c->rec.nfields = 0;
	c->rec_done = 0;
	c->rec_err = 0;
	while (!c->rec_done) {
		if (c->outpos == c->outlen) {
			if (c->done)
				return CSVIN_END;
			if (!csvin_decode(c)) {
				if (c->err)
					return c->err;
				csv_fini(&c->parser, csvin_field,
				    csvin_record, c);
				c->done = 1;
				continue;
			}
		}
		csvin_feed(c);
		if (c->err)
			return c->err;
	}
	if (c->max_records != 0 && ++c->nrecords > c->max_records) {
		c->err = CSVIN_ERECORDS;
		c->err_line = c->rec.line;
		return c->err;
	}
	if (c->rec_err)
		return c->rec_err;
	*recp = &c->rec;
	return CSVIN_OK;
}

/*
 * Returns the line on which the last record read (or refused) starts,
 * or, after a final error, the line where it was found.
 */
size_t
csvin_line(const struct csvin *c)
{
	return c->err ? c->err_line : c->rec.line;
}

/*
 * Returns the name of the file's encoding: "utf-8", "utf-16le",
 * "utf-16be", "windows-1258" or "tcvn3".
 */
const char *
csvin_encoding(const struct csvin *c)
{
	return c->enc->name;
}

/*
 * Returns the delimiter in use: ',', ';' or '\t'.
 */
char
csvin_delimiter(const struct csvin *c)
{
	return c->delim;
}

static const struct {
	const char	*code;
	const char	*message;
} csvin_errs[] = {
	[CSVIN_OK] = { "ok", "Thành công" },
	[CSVIN_END] = { "end", "Hết tệp" },
	[CSVIN_EFIELDS] = { "too_many_fields", "Dòng có quá nhiều cột" },
	[CSVIN_ETEXT] = { "invalid_text",
	    "Dòng chứa ký tự không hợp lệ" },
	[CSVIN_EFIELDLEN] = { "field_too_long",
	    "Ô dữ liệu quá dài (có thể thiếu dấu ngoặc kép đóng)" },
	[CSVIN_ERECORDS] = { "too_many_rows", "Tệp có quá nhiều dòng" },
	[CSVIN_EDECODE] = { "invalid_encoding",
	    "Tệp chứa byte không hợp lệ trong bảng mã của nó" },
	[CSVIN_EIO] = { "unreadable", "Không đọc được tệp" },
	[CSVIN_EENCODING] = { "unknown_encoding",
	    "Không xác định được bảng mã của tệp; hãy lưu tệp dưới dạng "
	    "CSV UTF-8" },
	[CSVIN_EOPTION] = { "unsupported_encoding",
	    "Bảng mã không được hỗ trợ" },
};

/* Is status one of the table's? */
static int
csvin_known(int status)
{
	return status >= 0 && (size_t)status < sizeof(csvin_errs) /
	    sizeof(csvin_errs[0]);
}

/*
 * Returns the machine code of a csvin status, e.g. "unknown_encoding".
 */
const char *
csvin_errcode(int status)
{
	return csvin_known(status) ? csvin_errs[status].code : "unknown";
}

/*
 * Returns the Vietnamese message for a csvin status.
 */
const char *
csvin_strerror(int status)
{
	return csvin_known(status) ? csvin_errs[status].message :
	    "Lỗi không xác định";
}
