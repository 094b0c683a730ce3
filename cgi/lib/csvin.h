/*
 * csvin: a streaming reader of one office CSV file. It detects the
 * encoding (UTF-8 with or without BOM, UTF-16LE/BE with BOM,
 * Windows-1258, TCVN3) and the delimiter (comma, semicolon, tab), decodes
 * in fixed-size chunks and hands out one record at a time, its fields
 * cleaned by text_clean(). Memory does not grow with the file.
 */
#ifndef KC_CSVIN_H
#define KC_CSVIN_H

#include <stddef.h>

#define CSVIN_MAX_FIELD		4096	/* default bytes per field */
#define CSVIN_MAX_FIELDS	64	/* default fields per record */

enum csvin_status {
	CSVIN_OK = 0,		/* a record is returned */
	CSVIN_END,		/* no more records */
	/* This record is skipped; csvin_next() goes on with the next. */
	CSVIN_EFIELDS,		/* more fields than max_fields */
	CSVIN_ETEXT,		/* a field is not valid UTF-8 */
	/* The reader stops; every later csvin_next() says the same. */
	CSVIN_EFIELDLEN,	/* a field longer than max_field */
	CSVIN_ERECORDS,		/* more records than max_records */
	CSVIN_EDECODE,		/* bytes invalid in the file's encoding */
	CSVIN_EIO,		/* the file cannot be read (see errno) */
	/* Only from csvin_open() and csvin_open_mem(). */
	CSVIN_EENCODING,	/* the encoding cannot be told */
	CSVIN_EOPTION		/* unknown encoding name in the options */
};

struct csvin_opts {
	const char	*encoding;	/* NULL to detect, or "utf-8",
					   "utf-16le", "utf-16be",
					   "windows-1258", "tcvn3" */
	size_t		 max_field;	/* 0: CSVIN_MAX_FIELD */
	size_t		 max_fields;	/* 0: CSVIN_MAX_FIELDS */
	size_t		 max_records;	/* 0: no limit */
};

struct csvin_record {
	size_t		  line;		/* 1-based line where it starts */
	size_t		  nfields;
	char		**fields;	/* NFC, cleaned, NUL-terminated */
};

struct csvin;

int		 csvin_open(struct csvin **, const char *,
		    const struct csvin_opts *);
int		 csvin_open_mem(struct csvin **, const void *, size_t,
		    const struct csvin_opts *);
void		 csvin_close(struct csvin *);
int		 csvin_next(struct csvin *, struct csvin_record **);
size_t		 csvin_line(const struct csvin *);
const char	*csvin_encoding(const struct csvin *);
char		 csvin_delimiter(const struct csvin *);
const char	*csvin_errcode(int);
const char	*csvin_strerror(int);

#endif
