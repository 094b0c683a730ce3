/*
 * Unit tests of cgi/lib/csvin.c: encoding and delimiter detection,
 * RFC 4180 quoting, the line on which each record starts, limits, and
 * the fixture files under tests/fixtures/import/.
 */
#include "kc_test.h"

#include <errno.h>
#include <iconv.h>

#include "csvin.h"

/* Returns utf8 converted to the iconv encoding to, malloc'd. */
static char *
encode(const char *to, const char *utf8, size_t *len)
{
	iconv_t	 cd = iconv_open(to, "UTF-8");
	char	*in = (char *)utf8, *buf, *o;
	size_t	 inleft = strlen(utf8), oleft = 4 * inleft + 16;

	assert_true(cd != (iconv_t)-1);
	buf = o = malloc(oleft);
	assert_non_null(buf);
	assert_int_not_equal(iconv(cd, &in, &inleft, &o, &oleft), (size_t)-1);
	iconv(cd, NULL, NULL, &o, &oleft);
	iconv_close(cd);
	*len = (size_t)(o - buf);
	return buf;
}

/* Prepends the bytes of bom to buf (len bytes), freeing buf. */
static char *
with_bom(const char *bom, size_t bomlen, char *buf, size_t *len)
{
	char	*r = malloc(bomlen + *len);

	assert_non_null(r);
	memcpy(r, bom, bomlen);
	memcpy(r + bomlen, buf, *len);
	free(buf);
	*len += bomlen;
	return r;
}

/*
 * Reads every record of an open reader and writes them to out as
 * "line:field|field|...\n", errors as "line:!code\n".
 */
static void
dump(struct csvin *c, char *out, size_t size)
{
	struct csvin_record	*r;
	size_t			 i, len = 0;
	int			 rc;

	out[0] = '\0';
	while ((rc = csvin_next(c, &r)) != CSVIN_END) {
		if (rc != CSVIN_OK) {
			len += snprintf(out + len, size - len, "%zu:!%s\n",
			    csvin_line(c), csvin_errcode(rc));
			if (rc != CSVIN_EFIELDS && rc != CSVIN_ETEXT)
				break;
			continue;
		}
		len += snprintf(out + len, size - len, "%zu:", r->line);
		for (i = 0; i < r->nfields; i++)
			len += snprintf(out + len, size - len, "%s%s",
			    i ? "|" : "", r->fields[i]);
		len += snprintf(out + len, size - len, "\n");
		assert_true(len < size);
	}
}

/* Dumps the open reader c into out, closes it; returns its delimiter. */
static char
read_all(struct csvin *c, char *out, size_t size)
{
	char	 delim;

	dump(c, out, size);
	delim = csvin_delimiter(c);
	csvin_close(c);
	return delim;
}

/* Opens buf with opts, checks the open status, reads it all into out. */
static char
read_mem(const void *buf, size_t len, const struct csvin_opts *opts,
    char *out, size_t size)
{
	struct csvin	*c;

	assert_int_equal(csvin_open_mem(&c, buf, len, opts), CSVIN_OK);
	return read_all(c, out, size);
}

static char
read_str(const char *s, const struct csvin_opts *opts, char *out,
    size_t size)
{
	return read_mem(s, strlen(s), opts, out, size);
}

/* The same for the fixture file name. */
static void
read_fixture(const char *name, char *out, size_t size)
{
	struct csvin	*c;

	assert_int_equal(csvin_open(&c, kc_fixture(name), NULL), CSVIN_OK);
	read_all(c, out, size);
}

static const char sample[] =
    "Tên sản phẩm;Tên cơ sở;Năm\r\n"
    "Kẹo cu đơ Thiên Cầm;Cơ sở Hương Quê;2019\r\n"
    "Mắm ruốc Thạch Kim;HTX Thạch Kim;2019\r\n"
    "Bưởi Phúc Trạch;HTX Phúc Trạch;2021\r\n";
static const char sample_dump[] =
    "1:Tên sản phẩm|Tên cơ sở|Năm\n"
    "2:Kẹo cu đơ Thiên Cầm|Cơ sở Hương Quê|2019\n"
    "3:Mắm ruốc Thạch Kim|HTX Thạch Kim|2019\n"
    "4:Bưởi Phúc Trạch|HTX Phúc Trạch|2021\n";

/* The same text in every encoding reads the same, NFC. */
static void
test_encodings(void **state)
{
	static const struct {
		const char	*iconv;
		const char	*bom;
		size_t		 bomlen;
		const char	*name;
	} t[] = {
		{ "UTF-8", NULL, 0, "utf-8" },
		{ "UTF-8", "\xef\xbb\xbf", 3, "utf-8" },
		{ "UTF-16LE", "\xff\xfe", 2, "utf-16le" },
		{ "UTF-16BE", "\xfe\xff", 2, "utf-16be" },
		{ "CP1258", NULL, 0, "windows-1258" },
		{ "TCVN5712-1", NULL, 0, "tcvn3" },
	};
	struct csvin	*c;
	char		*buf, out[4096];
	size_t		 i, len;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		buf = encode(t[i].iconv, sample, &len);
		if (t[i].bom != NULL)
			buf = with_bom(t[i].bom, t[i].bomlen, buf, &len);
		assert_int_equal(csvin_open_mem(&c, buf, len, NULL), CSVIN_OK);
		assert_string_equal(csvin_encoding(c), t[i].name);
		assert_int_equal(read_all(c, out, sizeof(out)), ';');
		assert_string_equal(out, sample_dump);
		free(buf);
	}
}

/* Windows-1258 as Word and Excel write it: tone marks combining. */
static void
test_cp1258_combining(void **state)
{
	/* "Mắm;Kẹo" : a-breve E3 + acute EC; e + dot below F2. */
	static const char	 in[] = "M\xe3\xecm;Ke\xf2o\n";
	char			 out[256];
	struct csvin_opts	 o = { .encoding = "windows-1258" };

	(void)state;
	read_mem(in, sizeof(in) - 1, NULL, out, sizeof(out));
	assert_string_equal(out, "1:Mắm|Kẹo\n");
	read_mem(in, sizeof(in) - 1, &o, out, sizeof(out));
	assert_string_equal(out, "1:Mắm|Kẹo\n");
}

/* Bytes that no decoding reads as Vietnamese are refused. */
static void
test_undecidable(void **state)
{
	static const struct csvin_opts bad_opt = { .encoding = "vni" };
	unsigned char	 buf[4096];
	struct csvin	*c;
	uint32_t	 x = 12345;
	size_t		 i, k;

	(void)state;
	for (k = 0; k < 8; k++) {
		for (i = 0; i < sizeof(buf); i++) {
			x = x * 1103515245 + 12345;
			buf[i] = 0x80 | (x >> 16);
			if (i % 7 == 6)
				buf[i] = i % 21 == 20 ? '\n' : ';';
		}
		assert_int_equal(csvin_open_mem(&c, buf, 64 << k > 4096 ?
		    4096 : 64 << k, NULL), CSVIN_EENCODING);
		assert_null(c);
	}
	/* UTF-16 without a BOM cannot be told either. */
	assert_int_equal(csvin_open_mem(&c, "a\0;\0b\0", 6, NULL),
	    CSVIN_EENCODING);
	assert_int_equal(csvin_open_mem(&c, "a;b\n", 4, &bad_opt),
	    CSVIN_EOPTION);
	assert_string_equal(csvin_errcode(CSVIN_EENCODING),
	    "unknown_encoding");
	assert_non_null(strstr(csvin_strerror(CSVIN_EENCODING), "bảng mã"));
}

static void
test_delimiters(void **state)
{
	static const struct {
		const char	*in;
		char		 delim;
		const char	*out;
	} t[] = {
		{ "a,b,c\n1,2,3\n", ',', "1:a|b|c\n2:1|2|3\n" },
		{ "a;b;c\n1;2;3\n", ';', "1:a|b|c\n2:1|2|3\n" },
		{ "a\tb\tc\n1\t2\t3\n", '\t', "1:a|b|c\n2:1|2|3\n" },
		/* Commas inside semicolon fields do not count. */
		{ "a;b;c\nx, y;2;3\nx;2, 5;3\n", ';',
		    "1:a|b|c\n2:x, y|2|3\n3:x|2, 5|3\n" },
		/* Nor do delimiters inside quotes. */
		{ "a,b\n\"1;2;3\",4\n\"5;6\",7\n", ',',
		    "1:a|b\n2:1;2;3|4\n3:5;6|7\n" },
		/* A title line above does not decide. */
		{ "Danh sách, năm 2019\na;b;c\n1;2;3\n4;5;6\n", ';',
		    "1:Danh sách, năm 2019\n2:a|b|c\n3:1|2|3\n4:4|5|6\n" },
		/* A single column: comma. */
		{ "a\nb\n", ',', "1:a\n2:b\n" },
		{ "", ',', "" },
	};
	char	 out[1024];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		assert_int_equal(read_str(t[i].in, NULL, out, sizeof(out)),
		    t[i].delim);
		assert_string_equal(out, t[i].out);
	}
}

/* Quoting, line breaks and the line on which each record starts. */
static void
test_quotes_and_lines(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} t[] = {
		{ "a,b\n", "1:a|b\n" },
		{ "a,b", "1:a|b\n" },			/* no final newline */
		{ "a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n" },
		{ "a,b\rc,d\r", "1:a|b\n2:c|d\n" },	/* old Mac */
		{ "\"x \"\"y\"\"\",z\n", "1:x \"y\"|z\n" },
		{ "\"\"\"\",\"\"\n", "1:\"|\n" },
		{ "\"a\nb\",c\nd,e\n", "1:a b|c\n3:d|e\n" },
		{ "\"a\r\nb\r\nc\",d\r\ne,f\r\n", "1:a b c|d\n4:e|f\n" },
		{ "x,\"1\n2\n\n3\"\n\ny,z\n", "1:x|1 2 3\n6:y|z\n" },
		{ "\n\n  \na,b\n\n\nc,d\n", "4:a|b\n7:c|d\n" },
		{ ",,\n;\n", "1:||\n2:;\n" },
		{ " a , b \n", "1:a|b\n" },
		{ "a,\"b\n", "1:a|b\n" },		/* open quote at EOF */
	};
	char	 out[1024];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		read_str(t[i].in, NULL, out, sizeof(out));
		assert_string_equal(out, t[i].out);
	}
}

/* Lines are counted on the decoded text, also in UTF-16. */
static void
test_lines_utf16(void **state)
{
	static const char in[] =
	    "Tên,Năm\r\n\"Kẹo\r\ncu đơ\",2019\r\n\r\nCam,2020\r\n";
	char	*buf, out[256];
	size_t	 len;

	(void)state;
	buf = with_bom("\xff\xfe", 2, encode("UTF-16LE", in, &len), &len);
	read_mem(buf, len, NULL, out, sizeof(out));
	assert_string_equal(out, "1:Tên|Năm\n2:Kẹo cu đơ|2019\n5:Cam|2020\n");
	free(buf);
}

static void
test_limits(void **state)
{
	static const struct csvin_opts small = {
		.encoding = "utf-8",
		.max_field = 8, .max_fields = 3, .max_records = 4,
	};
	char	 out[1024], *big;
	size_t	 i, len;

	(void)state;
	/* Too many fields and invalid UTF-8 skip one record. */
	read_str("a,b,c\na,b,c,d\nx,\xff,z\ne,f\n", &small, out, sizeof(out));
	assert_string_equal(out,
	    "1:a|b|c\n2:!too_many_fields\n3:!invalid_text\n4:e|f\n");
	/* A field too long stops the reader at its record's line. */
	read_str("a,b\nc,\"123456789\",d\ne,f\n", &small, out, sizeof(out));
	assert_string_equal(out, "1:a|b\n2:!field_too_long\n");
	/* Records beyond max_records. */
	read_str("1\n2\n3\n4\n5\n6\n", &small, out, sizeof(out));
	assert_string_equal(out, "1:1\n2:2\n3:3\n4:4\n5:!too_many_rows\n");
	/* Defaults: 4096 bytes per field. */
	big = malloc(CSVIN_MAX_FIELD + 2);
	assert_non_null(big);
	memset(big, 'x', CSVIN_MAX_FIELD + 1);
	big[CSVIN_MAX_FIELD + 1] = '\n';
	read_mem(big, CSVIN_MAX_FIELD + 2, NULL, out, sizeof(out));
	assert_string_equal(out, "1:!field_too_long\n");
	free(big);
	/* An unclosed quote stops the reader long before the end. */
	len = 1 << 20;
	big = malloc(len);
	assert_non_null(big);
	memcpy(big, "a,b\n\"c,d\n", 9);
	for (i = 9; i < len; i++)
		big[i] = i % 4 == 3 ? '\n' : 'x';
	read_mem(big, len, NULL, out, sizeof(out));
	assert_string_equal(out, "1:a|b\n2:!field_too_long\n");
	free(big);
}

/* Bytes invalid in the encoding stop the reader at their line. */
static void
test_decode_errors(void **state)
{
	static const struct csvin_opts cp = { .encoding = "windows-1258" };
	static const struct csvin_opts u16 = { .encoding = "utf-16le" };
	struct csvin	*c;
	char		 out[256];

	(void)state;
	/* 0x81 is not in Windows-1258. */
	read_str("a;b\nc;\x81\n", &cp, out, sizeof(out));
	assert_string_equal(out, "1:a|b\n2:!invalid_encoding\n");
	/* Half a UTF-16 code unit at the end. */
	read_mem("a\0;\0b\0\n\0c", 9, &u16, out, sizeof(out));
	assert_string_equal(out, "1:a|b\n2:!invalid_encoding\n");
	assert_int_equal(csvin_open(&c, kc_fixture("no-such-file.csv"), NULL),
	    CSVIN_EIO);
	assert_int_equal(errno, ENOENT);
	assert_null(c);
}

/*
 * A file of many chunks: quoted line breaks, CRLF pairs and multi-byte
 * characters fall across chunk boundaries; lines still add up.
 */
static void
test_streaming(void **state)
{
	static const char row[] =
	    "\"Kẹo cu đơ\r\nThiên Cầm\";Cơ sở Hương Quê;2019\r\n";
	static const char *const encs[] = { "UTF-8", "UTF-16LE", "CP1258" };
	const size_t	 nrows = 20000;
	struct csvin	*c;
	struct csvin_record *r;
	char		*text, *buf;
	size_t		 i, k, len, n;
	int		 rc;

	(void)state;
	text = malloc(nrows * sizeof(row));
	assert_non_null(text);
	for (i = 0; i < nrows; i++)
		memcpy(text + i * (sizeof(row) - 1), row, sizeof(row));
	for (k = 0; k < NELEM(encs); k++) {
		buf = encode(encs[k], text, &len);
		if (k == 1)
			buf = with_bom("\xff\xfe", 2, buf, &len);
		assert_int_equal(csvin_open_mem(&c, buf, len, NULL), CSVIN_OK);
		for (n = 0; (rc = csvin_next(c, &r)) == CSVIN_OK; n++) {
			assert_int_equal(r->line, 2 * n + 1);
			assert_int_equal(r->nfields, 3);
			assert_string_equal(r->fields[0],
			    "Kẹo cu đơ Thiên Cầm");
		}
		assert_int_equal(rc, CSVIN_END);
		assert_int_equal(n, nrows);
		csvin_close(c);
		free(buf);
	}
	free(text);
}

/* Every fixture opens with its encoding and delimiter. */
static void
test_fixtures(void **state)
{
	static const struct {
		const char	*file;
		const char	*enc;
		char		 delim;
		size_t		 records;
		size_t		 last_line;
	} t[] = {
		{ "sample-cp1258-semicolon.csv", "windows-1258", ';', 10, 10 },
		{ "sample-cp1258-semicolon.utf8.csv", "utf-8", ';', 10, 10 },
		{ "sample-utf16le-tab.csv", "utf-16le", '\t', 6, 6 },
		{ "sample-utf8bom-titles.csv", "utf-8", ';', 10, 11 },
		{ "sample-multiline-quotes.csv", "utf-8", ',', 5, 8 },
		{ "sample-errors.csv", "utf-8", ',', 9, 9 },
		{ "sample-duplicate.csv", "utf-8", ',', 7, 7 },
		{ "sample-tcvn3.csv", "tcvn3", ',', 6, 6 },
		{ "sample-tcvn3.utf8.csv", "utf-8", ',', 6, 6 },
	};
	struct csvin		*c;
	struct csvin_record	*r;
	size_t			 i, n, last;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		assert_int_equal(csvin_open(&c, kc_fixture(t[i].file), NULL),
		    CSVIN_OK);
		assert_string_equal(csvin_encoding(c), t[i].enc);
		assert_int_equal(csvin_delimiter(c), t[i].delim);
		for (n = last = 0; csvin_next(c, &r) == CSVIN_OK; n++)
			last = r->line;
		assert_int_equal(n, t[i].records);
		assert_int_equal(last, t[i].last_line);
		csvin_close(c);
	}
}

/* The legacy-encoded fixtures read exactly as their UTF-8 sources. */
static void
test_fixtures_match_sources(void **state)
{
	static const char *const t[][2] = {
		{ "sample-cp1258-semicolon.csv",
		    "sample-cp1258-semicolon.utf8.csv" },
		{ "sample-tcvn3.csv", "sample-tcvn3.utf8.csv" },
	};
	char	 a[8192], b[8192];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		read_fixture(t[i][0], a, sizeof(a));
		read_fixture(t[i][1], b, sizeof(b));
		assert_string_equal(a, b);
	}
}

/* Quoted line breaks and doubled quotes in the fixture. */
static void
test_fixture_multiline(void **state)
{
	char	 out[4096];

	(void)state;
	read_fixture("sample-multiline-quotes.csv", out, sizeof(out));
	assert_non_null(strstr(out, "\n3:Mộc mỹ nghệ Thái Yên|"
	    "Cơ sở \"Mộc Thái Yên\"|Xã Thái Yên|Huyện Đức Thọ|2018|"
	    "Cấp tỉnh\n"));
	assert_non_null(strstr(out, "\n5:Kẹo cu đơ \"Thiên Cầm\"|"
	    "HTX Kẹo cu đơ Thiên Cầm|Thôn Trung Nghĩa, xã Cẩm Nhượng|"));
	assert_non_null(strstr(out, "\n8:Cam bù Hương Sơn|"));
}

KC_TEST_MAIN(test_encodings, test_cp1258_combining, test_undecidable,
    test_delimiters, test_quotes_and_lines, test_lines_utf16,
    test_limits, test_decode_errors, test_streaming, test_fixtures,
    test_fixtures_match_sources, test_fixture_multiline)
