/*
 * award: the database-free part of the award-list import. It finds the
 * header among a file's first records, classifies lines (blank, footer,
 * data), parses a data row into typed values and matches district names
 * against a list of administrative units.
 *
 * A caller reads records with csvin_next() and, for each one:
 * award_line_kind() BLANK: skip; before the header: award_header_parse(),
 * a record that is not the header is a title line; after it: FOOTER:
 * skip, DATA: award_row_parse(), then award_unit_match() on the district.
 * Errors carry a machine code and a Vietnamese message for the report.
 */
#ifndef KC_AWARD_H
#define KC_AWARD_H

#include <stddef.h>

struct arena;

enum award_col {
	AWARD_COL_PRODUCT,		/* required */
	AWARD_COL_FACILITY,		/* required */
	AWARD_COL_YEAR,			/* required */
	AWARD_COL_LEVEL,		/* required */
	AWARD_COL_DISTRICT,
	AWARD_COL_ADDRESS,
	AWARD_COL_GROUP,
	AWARD_COL_DECISION_NO,
	AWARD_COL_DECISION_DATE,
	AWARD_COL_TAX_CODE,
	AWARD_COL__MAX
};

/* award_heading() of headings that name no column of award_col: */
#define AWARD_HEAD_NONE		(-1)
#define AWARD_HEAD_STT		(-2)	/* a row number: known, not read */
#define AWARD_HEAD_COMMUNE	(-3)	/* "Xã/Phường": the unit column
					   when no district heading */
#define AWARD_HEAD_BLANK	(-4)	/* no letter or digit */

/*
 * A rule of award_heading_in(): the column (or AWARD_HEAD_*) a heading
 * names when its folded words are, left to right, phrases of keys (one at
 * least), of more, or fillers ('|' between phrases); like: phrases of a
 * heading that looks like it; example: a heading that names it.
 */
struct award_head {
	int		 col;
	const char	*keys;
	const char	*more;
	const char	*like;
	const char	*example;
};

/* A heading not recognised that looks like a column the header lacks. */
struct award_unknown {
	const char	*heading;		/* as written */
	enum award_col	 like;
};

struct award_header {
	int		  col[AWARD_COL__MAX];	/* field index, or -1 */
	const char	**ignored;		/* unknown columns as written */
	size_t		  nignored;
	struct award_unknown *unknown;		/* those of them that look */
	size_t		  nunknown;		/* like an absent column */
};

enum award_line {
	AWARD_LINE_DATA,
	AWARD_LINE_BLANK,		/* every field empty */
	AWARD_LINE_FOOTER		/* "Tổng cộng: 12 sản phẩm" */
};

enum award_level {
	AWARD_LEVEL_DISTRICT,		/* cấp huyện, years up to 2025 */
	AWARD_LEVEL_COMMUNE,		/* cấp xã, from 2025 */
	AWARD_LEVEL_PROVINCE,
	AWARD_LEVEL_REGION,
	AWARD_LEVEL_NATIONAL
};

struct award_error {
	const char	*code;		/* "out_of_range", "invalid_date"... */
	const char	*message;	/* Vietnamese, for a person */
};

struct award_date {
	int	 year;			/* 0 when there is no date */
	int	 month;
	int	 day;
};

struct award_row {
	const char		*product;
	const char		*facility;
	int			 year;
	enum award_level	 level;
	const char		*district;	/* optional ones: NULL if */
	const char		*address;	/* absent or empty */
	const char		*group;
	const char		*decision_no;
	struct award_date	 decision_date;
	const char		*tax_code;
};

enum award_unit_kind {
	AWARD_UNIT_ANY,			/* no prefix written */
	AWARD_UNIT_DISTRICT,		/* Huyện, H. */
	AWARD_UNIT_TOWN,		/* Thị xã, TX */
	AWARD_UNIT_CITY,		/* Thành phố, TP */
	AWARD_UNIT_COMMUNE,		/* Xã */
	AWARD_UNIT_WARD,		/* Phường, P. */
	AWARD_UNIT_TOWNSHIP		/* Thị trấn, TT */
};

struct award_unit {
	const char	*code;
	const char	*name;		/* official, e.g. "Huyện Kỳ Anh" */
	const char	*kind;		/* "district", "town", "city"... */
	int		 valid_from_year;	/* 0 = open */
	int		 valid_to_year;		/* 0 = open */
};

enum award_match {
	AWARD_MATCH_ONE,
	AWARD_MATCH_NONE,
	AWARD_MATCH_AMBIGUOUS
};

const char	*award_col_name(enum award_col);
int		 award_heading(struct arena *, const char *);
int		 award_heading_in(struct arena *, const char *,
		    const struct award_head *, size_t);
const char	*award_unknown_message(struct arena *,
		    const struct award_unknown *);
int		 award_header_parse(struct arena *, char *const *, size_t,
		    struct award_header *);
enum award_line	 award_line_kind(struct arena *, char *const *, size_t);
int		 award_row_parse(struct arena *, const struct award_header *,
		    char *const *, size_t, int, struct award_row *,
		    enum award_col *, struct award_error *);
int		 award_parse_date(struct arena *, const char *,
		    struct award_date *, struct award_error *);
int		 award_parse_year(struct arena *, const char *, int, int *,
		    struct award_error *);
int		 award_parse_level(struct arena *, const char *,
		    enum award_level *, struct award_error *);
const char	*award_level_code(enum award_level);
int		 award_check_level_year(enum award_level, int,
		    struct award_error *);
char		*award_unit_key(struct arena *, const char *,
		    enum award_unit_kind *);
enum award_match award_unit_match(struct arena *, const struct award_unit *,
		    size_t, const char *, int, size_t *, struct award_error *);

#endif
