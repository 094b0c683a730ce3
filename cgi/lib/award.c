/*
 * award: header names, line kinds, values and unit names of award lists.
 * Names are compared on their text_fold() keys, so case, diacritics, đ
 * and extra spaces never matter; values that cannot be read exactly are
 * refused, never guessed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "award.h"
#include "resp.h"
#include "text.h"
#include "values.h"

#define YEAR_MIN	2000
#define YEAR_REFORM	2025	/* district awards end, commune ones begin */

static const char *const award_col_names[AWARD_COL__MAX] = {
	"product", "facility", "year", "level", "district", "address",
	"group", "decision_no", "decision_date", "tax_code",
};

static const char *const award_col_labels[AWARD_COL__MAX] = {
	"tên sản phẩm", "tên cơ sở", "năm công nhận", "cấp công nhận",
	"huyện", "địa chỉ", "nhóm sản phẩm", "số quyết định",
	"ngày quyết định", "mã số thuế",
};

/*
 * Column headings, read by meaning. A heading is folded (no diacritics,
 * any case, đ as d) and cut into words at anything that is not a letter
 * or a digit, so "Huyện/TX", "huyen - tx" and "HUYỆN, TX" are all the
 * words huyen tx. A heading names a column when its words are, left to
 * right, phrases of that column (the longest phrase first): its key
 * phrases, of which there must be one, the words that may go with them,
 * and the fillers every column allows. So "Huyện/TP/TX" is huyen|tp|tx,
 * "Địa bàn (huyện)" dia ban|huyen, "Đơn vị hành chính" one key phrase,
 * while "Đơn vị tính" (tinh) and "Ghi chú" name no column. Words in
 * parentheses may also be left out: "Cấp công nhận (tỉnh/khu vực)".
 * The first rule that fits wins. A heading that names no column but
 * holds one of a column's "like" phrases looks like that column.
 */
#define HEAD_FILLERS	"va|hoac|cua|ocop"

static const struct award_head award_heads[] = {
	{ AWARD_COL_PRODUCT, "san pham|sp",
	    "ten|cnnt|cong nghiep nong thon|tieu bieu|chu luc",
	    "san pham|sp", "Tên sản phẩm" },
	{ AWARD_COL_FACILITY, "co so|chu the|don vi|doanh nghiep|htx|"
	    "hop tac xa|to hop tac|ho kinh doanh|ho san xuat|to chuc|ca nhan",
	    "ten|san xuat|kinh doanh",
	    "co so|chu the|doanh nghiep|htx", "Tên cơ sở" },
	{ AWARD_COL_YEAR, "nam",
	    "cong nhan|dat|danh gia|xep hang|phan hang",
	    "nam", "Năm công nhận" },
	{ AWARD_COL_LEVEL, "cap",
	    "cong nhan|do|danh gia|xep hang|phan hang",
	    "cap", "Cấp công nhận" },
	{ AWARD_COL_DISTRICT, "huyen|quan|thi xa|thanh pho|h|q|tx|tp|"
	    "dia ban|dia phuong|don vi hanh chinh|dvhc",
	    "ten|ma|xa|phuong|thi tran|tt|p",
	    "huyen|thi xa|thanh pho|tx|tp|dia ban|hanh chinh|dvhc|xa|phuong|"
	    "thi tran", "Huyện/Thị xã" },
	{ AWARD_HEAD_COMMUNE, "xa|phuong|thi tran", "ten|ma|tt|p",
	    NULL, NULL },
	{ AWARD_COL_ADDRESS, "dia chi", "co so|chu the|tru so|lien he",
	    "dia chi", "Địa chỉ" },
	{ AWARD_COL_GROUP, "nhom|nganh hang|phan nhom",
	    "san pham|nganh|phan",
	    "nhom|nganh", "Nhóm sản phẩm" },
	{ AWARD_COL_DECISION_NO, "quyet dinh|qd",
	    "so|so hieu|cong nhan|ubnd",
	    "quyet dinh|qd", "Số quyết định" },
	{ AWARD_COL_DECISION_DATE, "ngay",
	    "quyet dinh|qd|cong nhan|ky|ban hanh|thang|nam",
	    "ngay qd|ngay quyet dinh|ngay cong nhan|ngay ky|ngay ban hanh|"
	    "ngay thang", "Ngày quyết định" },
	{ AWARD_COL_TAX_CODE, "ma so thue|mst|ma so doanh nghiep|msdn|cccd|"
	    "can cuoc|dinh danh",
	    "so|ma|ca nhan|cong dan",
	    "thue|mst|cccd|dinh danh", "Mã số thuế" },
	{ AWARD_HEAD_STT, "stt|tt|so tt|so thu tu|thu tu", "", NULL, NULL },
};

#define HEAD_WORDS	24	/* a longer heading names no column */

/* The words of a folded heading; paren: inside parentheses. */
struct award_words {
	size_t		 n;
	const char	*w[HEAD_WORDS];
	size_t		 len[HEAD_WORDS];
	int		 paren[HEAD_WORDS];
	int		 more;		/* words left out after these */
};

static const struct {
	const char		*key;
	enum award_level	 level;
} award_levels[] = {
	{ "huyen", AWARD_LEVEL_DISTRICT },
	{ "xa", AWARD_LEVEL_COMMUNE },
	{ "tinh", AWARD_LEVEL_PROVINCE },
	{ "khu vuc", AWARD_LEVEL_REGION },
	{ "khu vuc phia bac", AWARD_LEVEL_REGION },
	{ "khu vuc mien bac", AWARD_LEVEL_REGION },
	{ "quoc gia", AWARD_LEVEL_NATIONAL },
	{ "qg", AWARD_LEVEL_NATIONAL },
};

/*
 * award's levels as values.h's (AWARD_LEVELS: the codes stored and
 * answered). The two enums are in different orders: mapped, not reordered.
 */
static const enum award_level_code award_level_values[] = {
	[AWARD_LEVEL_DISTRICT] = LEVEL_DISTRICT,
	[AWARD_LEVEL_COMMUNE] = LEVEL_COMMUNE,
	[AWARD_LEVEL_PROVINCE] = LEVEL_PROVINCE,
	[AWARD_LEVEL_REGION] = LEVEL_REGION,
	[AWARD_LEVEL_NATIONAL] = LEVEL_NATIONAL,
};

/* Written prefixes of unit names, folded; longer ones first. */
static const struct {
	const char		*prefix;
	enum award_unit_kind	 kind;
} award_prefixes[] = {
	{ "thanh pho", AWARD_UNIT_CITY },
	{ "thi tran", AWARD_UNIT_TOWNSHIP },
	{ "thi xa", AWARD_UNIT_TOWN },
	{ "phuong", AWARD_UNIT_WARD },
	{ "huyen", AWARD_UNIT_DISTRICT },
	{ "tp", AWARD_UNIT_CITY },
	{ "tt", AWARD_UNIT_TOWNSHIP },
	{ "tx", AWARD_UNIT_TOWN },
	{ "xa", AWARD_UNIT_COMMUNE },
	{ "h", AWARD_UNIT_DISTRICT },
	{ "p", AWARD_UNIT_WARD },
};

/* The kind column of the reference data. */
static const char *const award_unit_kinds[] = {
	[AWARD_UNIT_ANY] = "",
	[AWARD_UNIT_DISTRICT] = "district",
	[AWARD_UNIT_TOWN] = "town",
	[AWARD_UNIT_CITY] = "city",
	[AWARD_UNIT_COMMUNE] = "commune",
	[AWARD_UNIT_WARD] = "ward",
	[AWARD_UNIT_TOWNSHIP] = "township",
};

static void
award_fail(struct award_error *e, const char *code, const char *message)
{
	e->code = code;
	e->message = message;
}

/*
 * Returns the name of a column as the import report spells it:
 * "product", "facility", "year", "level", "district"...
 */
const char *
award_col_name(enum award_col col)
{
	return award_col_names[col];
}

/*
 * Cuts a heading into folded words, marking those inside parentheses;
 * past HEAD_WORDS words, sets w->more and keeps the first ones. None if
 * s is not UTF-8.
 */
static void
award_words(struct arena *a, const char *s, struct award_words *w)
{
	const char	*k, *p, *q, *word;
	size_t		 len;
	int		 depth = 0;

	w->n = 0;
	w->more = 0;
	if ((k = text_fold(a, s, strlen(s))) == NULL)
		return;
	for (p = k; ; p = word + len) {
		q = p;
		if ((word = text_word(&q, &len)) == NULL)
			return;
		for (; p < word; p++)
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth > 0)
				depth--;
		if (w->n == HEAD_WORDS) {
			w->more = 1;
			return;
		}
		w->w[w->n] = word;
		w->len[w->n] = len;
		w->paren[w->n++] = depth > 0;
	}
}

/*
 * Returns how many words from the i-th the longest phrase of list
 * ("huyen|thi xa") covers, 0 if none does.
 */
static size_t
award_phrase(const struct award_words *w, size_t i, const char *list)
{
	const char	*p, *end;
	size_t		 best = 0, j, n;

	for (p = list; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "|");
		for (j = i; p < end && j < w->n; j++) {
			n = strcspn(p, " |");
			if (n != w->len[j] || strncmp(p, w->w[j], n) != 0)
				break;
			p += n + (p[n] == ' ');
		}
		if (p >= end && j - i > best)
			best = j - i;
		p = end;
	}
	return best;
}

/* Are the words (those outside parentheses if outer) phrases of r? */
static int
award_head_fits(const struct award_words *all, int outer,
    const struct award_head *r)
{
	struct award_words	 w;
	size_t			 i, k, m;
	int			 key = 0;

	w.n = 0;
	if (all->more)
		return 0;
	for (i = 0; i < all->n; i++)
		if (!outer || !all->paren[i]) {
			w.w[w.n] = all->w[i];
			w.len[w.n++] = all->len[i];
		}
	if (w.n == 0 || (outer && w.n == all->n))
		return 0;
	for (i = 0; i < w.n; i += k > m ? k : m) {
		k = award_phrase(&w, i, r->keys);
		m = award_phrase(&w, i, r->more);
		if (award_phrase(&w, i, HEAD_FILLERS) > m)
			m = award_phrase(&w, i, HEAD_FILLERS);
		if (k == 0 && m == 0)
			return 0;
		if (k >= m)
			key = 1;
	}
	return key;
}

/*
 * Returns the column a heading names (enum award_col), AWARD_HEAD_STT,
 * AWARD_HEAD_COMMUNE, AWARD_HEAD_NONE, or AWARD_HEAD_BLANK if it has no
 * letter or digit.
 */
int
award_heading(struct arena *a, const char *s)
{
	return award_heading_in(a, s, award_heads, NELEM(award_heads));
}

/*
 * award_heading() with another list of n rules (another kind of file:
 * the payments of importer_pay.c): the col of the first rule that fits,
 * AWARD_HEAD_NONE, or AWARD_HEAD_BLANK.
 */
int
award_heading_in(struct arena *a, const char *s, const struct award_head *r,
    size_t n)
{
	struct award_words	 w;
	size_t			 i;
	int			 outer;

	award_words(a, s, &w);
	if (w.n == 0)
		return AWARD_HEAD_BLANK;
	for (outer = 0; outer < 2; outer++)
		for (i = 0; i < n; i++)
			if (award_head_fits(&w, outer, &r[i]))
				return r[i].col;
	return AWARD_HEAD_NONE;
}

/*
 * Returns the column absent from h (col[] -1) that heading s looks like:
 * the one whose "like" phrase comes first in it; -1 if none.
 */
static int
award_heading_like(struct arena *a, const char *s,
    const struct award_header *h)
{
	struct award_words	 w;
	size_t			 i, j;

	award_words(a, s, &w);
	for (i = 0; i < w.n; i++)
		for (j = 0; j < NELEM(award_heads); j++)
			if (award_heads[j].like != NULL &&
			    h->col[award_heads[j].col] == -1 &&
			    award_phrase(&w, i, award_heads[j].like) > 0)
				return award_heads[j].col;
	return -1;
}

/* Returns s cut to at most max bytes, at a character boundary, with "…". */
static const char *
award_cut(struct arena *a, const char *s, size_t max)
{
	size_t	 n = strlen(s);

	if (n <= max)
		return s;
	for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
		continue;
	return arena_printf(a, "%.*s…", (int)n, s);
}

/*
 * Returns the report's message for a heading that was not recognised
 * but looks like a known column: it names both, says the column's
 * values are not imported and how to head it.
 */
const char *
award_unknown_message(struct arena *a, const struct award_unknown *u)
{
	const char	*example = "";
	size_t		 i;

	for (i = 0; i < NELEM(award_heads); i++)
		if (award_heads[i].col == (int)u->like)
			example = award_heads[i].example;
	return arena_printf(a, "Không nhận ra cột “%s” (giống cột %s): cột "
	    "này bị bỏ qua, giá trị của nó không được nhập. Nếu đó là cột %s,"
	    " hãy đặt tên cột là “%s”", award_cut(a, u->heading, 120),
	    award_col_labels[u->like], award_col_labels[u->like], example);
}

/*
 * Reads the n fields of a record as a header. Fills h (column map, the
 * unknown columns as written, copied to the arena, and those of them
 * that look like a column h lacks) and returns 1 if the record names
 * the four required columns, 0 otherwise (a title line). A column named
 * twice keeps its first place; the later one is listed as ignored. A
 * commune heading ("Xã/Phường") is the unit column if no heading names
 * the district.
 */
int
award_header_parse(struct arena *a, char *const *f, size_t n,
    struct award_header *h)
{
	size_t	 i;
	int	*col, like, commune = -1;

	for (i = 0; i < AWARD_COL__MAX; i++)
		h->col[i] = -1;
	h->ignored = arena_alloc(a, (n + 1) * sizeof(*h->ignored));
	h->unknown = arena_alloc(a, (n + 1) * sizeof(*h->unknown));
	h->nignored = h->nunknown = 0;
	col = arena_alloc(a, (n + 1) * sizeof(*col));
	for (i = 0; i < n; i++) {
		col[i] = award_heading(a, f[i]);
		if (col[i] == AWARD_HEAD_COMMUNE && commune == -1)
			commune = (int)i;
		else if (col[i] >= 0 && h->col[col[i]] == -1)
			h->col[col[i]] = (int)i;
		else
			continue;
		col[i] = AWARD_HEAD_BLANK;	/* used */
	}
	if (h->col[AWARD_COL_DISTRICT] == -1)
		h->col[AWARD_COL_DISTRICT] = commune;
	else if (commune != -1)
		col[commune] = AWARD_HEAD_COMMUNE;
	for (i = 0; i < n; i++) {
		if (col[i] == AWARD_HEAD_BLANK || col[i] == AWARD_HEAD_STT)
			continue;
		h->ignored[h->nignored++] = arena_strdup(a, f[i]);
		if (col[i] == AWARD_HEAD_NONE &&
		    (like = award_heading_like(a, f[i], h)) >= 0) {
			h->unknown[h->nunknown].heading =
			    h->ignored[h->nignored - 1];
			h->unknown[h->nunknown++].like = like;
		}
	}
	return h->col[AWARD_COL_PRODUCT] != -1 &&
	    h->col[AWARD_COL_FACILITY] != -1 &&
	    h->col[AWARD_COL_YEAR] != -1 && h->col[AWARD_COL_LEVEL] != -1;
}

/* Returns what follows word at the start of s, or NULL. */
static const char *
award_word(const char *s, const char *word)
{
	size_t	 len = strlen(word);

	if (strncmp(s, word, len) != 0 || islower((unsigned char)s[len]))
		return NULL;
	return s + len;
}

/*
 * Tells a data line from a blank one (every field empty) and a footer:
 * its first non-empty field starts with "Tổng cộng", "Tổng số", or is
 * "Cộng" or "Tổng" alone or before a colon or a number.
 */
enum award_line
award_line_kind(struct arena *a, char *const *f, size_t n)
{
	const char	*k, *p;
	size_t		 i;

	for (i = 0; i < n && f[i][0] == '\0'; i++)
		continue;
	if (i == n)
		return AWARD_LINE_BLANK;
	if ((k = text_fold(a, f[i], strlen(f[i]))) == NULL)
		return AWARD_LINE_DATA;
	if (award_word(k, "tong cong") != NULL ||
	    award_word(k, "tong so") != NULL)
		return AWARD_LINE_FOOTER;
	if ((p = award_word(k, "cong")) != NULL ||
	    (p = award_word(k, "tong")) != NULL) {
		p += strspn(p, " ");
		if (*p == '\0' || *p == ':' || isdigit((unsigned char)*p))
			return AWARD_LINE_FOOTER;
	}
	return AWARD_LINE_DATA;
}

/* Returns the field of column col, or NULL if absent or empty. */
static const char *
award_field(const struct award_header *h, char *const *f, size_t n,
    enum award_col col)
{
	int	 i = h->col[col];

	if (i < 0 || (size_t)i >= n || f[i][0] == '\0')
		return NULL;
	return f[i];
}

/*
 * Parses a data row (fields as csvin gives them) by the header h into
 * r, whose strings point into f; award years go up to max_year. Returns 0, or -1 with the column in
 * *col and the reason in e: "required", "invalid_year", "out_of_range",
 * "invalid_level", "level_not_in_year", "invalid_date". The district is
 * left as written, for award_unit_match().
 */
int
award_row_parse(struct arena *a, const struct award_header *h,
    char *const *f, size_t n, int max_year, struct award_row *r,
    enum award_col *col, struct award_error *e)
{
	const char	*v[AWARD_COL__MAX];
	int		 c;

	for (c = 0; c < AWARD_COL__MAX; c++)
		v[c] = award_field(h, f, n, c);
	memset(r, 0, sizeof(*r));
	for (c = AWARD_COL_PRODUCT; c <= AWARD_COL_LEVEL; c++) {
		if (v[c] == NULL) {
			*col = c;
			award_fail(e, "required", arena_printf(a, "Thiếu %s",
			    award_col_labels[c]));
			return -1;
		}
	}
	*col = AWARD_COL_YEAR;
	if (award_parse_year(a, v[AWARD_COL_YEAR], max_year, &r->year,
	    e) == -1)
		return -1;
	*col = AWARD_COL_LEVEL;
	if (award_parse_level(a, v[AWARD_COL_LEVEL], &r->level, e) == -1 ||
	    award_check_level_year(r->level, r->year, e) == -1)
		return -1;
	*col = AWARD_COL_DECISION_DATE;
	if (v[AWARD_COL_DECISION_DATE] != NULL &&
	    award_parse_date(a, v[AWARD_COL_DECISION_DATE],
	    &r->decision_date, e) == -1)
		return -1;
	r->product = v[AWARD_COL_PRODUCT];
	r->facility = v[AWARD_COL_FACILITY];
	r->district = v[AWARD_COL_DISTRICT];
	r->address = v[AWARD_COL_ADDRESS];
	r->group = v[AWARD_COL_GROUP];
	r->decision_no = v[AWARD_COL_DECISION_NO];
	r->tax_code = v[AWARD_COL_TAX_CODE];
	return 0;
}

/* Reads 1 to max digits at *pp into *v; returns how many. */
static int
award_digits(const char **pp, int max, int *v)
{
	int	 n;

	*v = 0;
	for (n = 0; n < max && isdigit((unsigned char)**pp); n++, (*pp)++)
		*v = *v * 10 + (**pp - '0');
	return n;
}

static int
award_mdays(int y, int m)
{
	static const int	 days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/*
 * Parses a date written day first, d/m/yyyy or d/m/yy (20yy), with '/',
 * '-' or '.' between the parts, or year first, yyyy-mm-dd. Returns 0
 * with the date in d, or -1 with "invalid_date" in e (also for a date
 * that does not exist, such as 31/2/2021).
 */
int
award_parse_date(struct arena *a, const char *s, struct award_date *d,
    struct award_error *e)
{
	const char	*p = s + strspn(s, " ");
	int		 g1, g2, g3, n1, n3, y, m, day;
	char		 sep;

	n1 = award_digits(&p, 4, &g1);
	sep = *p;
	if (n1 == 0 || sep == '\0' || strchr("/-.", sep) == NULL)
		goto bad;
	p++;
	if (award_digits(&p, 2, &g2) == 0 || *p++ != sep)
		goto bad;
	n3 = award_digits(&p, 4, &g3);
	if (p[strspn(p, " ")] != '\0')
		goto bad;
	if (n1 == 4 && (n3 == 1 || n3 == 2)) {
		y = g1;
		m = g2;
		day = g3;
	} else if (n1 <= 2 && (n3 == 2 || n3 == 4)) {
		day = g1;
		m = g2;
		y = n3 == 2 ? 2000 + g3 : g3;
	} else
		goto bad;
	if (y < 1900 || m < 1 || m > 12 || day < 1 ||
	    day > award_mdays(y, m))
		goto bad;
	d->year = y;
	d->month = m;
	d->day = day;
	return 0;
bad:
	award_fail(e, "invalid_date", arena_printf(a,
	    "Ngày “%s” không hợp lệ", s));
	return -1;
}

/*
 * Parses an award year from 2000 to max_year (the current year).
 * Returns 0 with *year, or -1 with "invalid_year" (not a number) or
 * "out_of_range" in e.
 */
int
award_parse_year(struct arena *a, const char *s, int max_year, int *year,
    struct award_error *e)
{
	const char	*p = s + strspn(s, " ");
	size_t		 len = strspn(p, "0123456789");

	if (len == 0 || p[len + strspn(p + len, " ")] != '\0') {
		award_fail(e, "invalid_year", arena_printf(a,
		    "Năm “%s” không hợp lệ", s));
		return -1;
	}
	if (len > 4) {
		award_fail(e, "out_of_range", arena_printf(a,
		    "Năm %.*s không hợp lệ", (int)len, p));
		return -1;
	}
	*year = atoi(p);
	if (*year < YEAR_MIN || *year > max_year) {
		award_fail(e, "out_of_range", arena_printf(a,
		    "Năm %d không hợp lệ", *year));
		return -1;
	}
	return 0;
}

/*
 * Parses an award level written in Vietnamese, with or without
 * diacritics and the word "Cấp": "cấp tỉnh", "Tinh", "khu vực",
 * "Khu vực phía Bắc", "Cấp QG", "huyện", "xã". Returns 0 with *level,
 * or -1 with "invalid_level" in e.
 */
int
award_parse_level(struct arena *a, const char *s, enum award_level *level,
    struct award_error *e)
{
	const char	*k, *p;
	size_t		 i;

	if ((k = text_fold(a, s, strlen(s))) != NULL) {
		if ((p = award_word(k, "cap")) != NULL)
			k = p + strspn(p, " .:");
		for (i = 0; i < NELEM(award_levels); i++) {
			if (strcmp(k, award_levels[i].key) == 0) {
				*level = award_levels[i].level;
				return 0;
			}
		}
	}
	award_fail(e, "invalid_level", arena_printf(a,
	    "Cấp công nhận “%s” không hợp lệ", s));
	return -1;
}

/*
 * Returns the level code of the API: "district", "commune", "province",
 * "region" or "national".
 */
const char *
award_level_code(enum award_level level)
{
	return values_award_levels[award_level_values[level]];
}

/*
 * Checks a level against the award year: district awards exist up to
 * 2025, commune awards from 2025 (the rules of 1 July 2025). Returns 0,
 * or -1 with "level_not_in_year" in e.
 */
int
award_check_level_year(enum award_level level, int year,
    struct award_error *e)
{
	if (level == AWARD_LEVEL_DISTRICT && year > YEAR_REFORM) {
		award_fail(e, "level_not_in_year",
		    "Cấp huyện chỉ có đến năm 2025");
		return -1;
	}
	if (level == AWARD_LEVEL_COMMUNE && year < YEAR_REFORM) {
		award_fail(e, "level_not_in_year",
		    "Cấp xã chỉ có từ năm 2025");
		return -1;
	}
	return 0;
}

/*
 * Returns the matching key of a unit name: folded, without a written
 * prefix (Huyện/H., Thị xã/TX, Thành phố/TP, Xã, Phường/P., Thị
 * trấn/TT), whose kind goes to *kind (AWARD_UNIT_ANY if none; kind may
 * be NULL). "TP. Hà Tĩnh" and "thanh pho ha tinh" give "ha tinh". NULL
 * if s is not valid UTF-8.
 */
char *
award_unit_key(struct arena *a, const char *s, enum award_unit_kind *kind)
{
	char	*k, *p;
	size_t	 i, len;

	if (kind != NULL)
		*kind = AWARD_UNIT_ANY;
	if ((k = text_fold(a, s, strlen(s))) == NULL)
		return NULL;
	for (i = 0; i < NELEM(award_prefixes); i++) {
		len = strlen(award_prefixes[i].prefix);
		if (strncmp(k, award_prefixes[i].prefix, len) != 0 ||
		    (k[len] != ' ' && k[len] != '.'))
			continue;
		p = k + len + strspn(k + len, " .");
		if (*p == '\0')
			break;
		if (kind != NULL)
			*kind = award_prefixes[i].kind;
		return p;
	}
	return k;
}

/* Returns 1 if the unit u is called key, of kind (or any kind). */
static int
award_unit_is(struct arena *a, const struct award_unit *u, const char *key,
    enum award_unit_kind kind)
{
	const char	*k;

	if (kind != AWARD_UNIT_ANY && strcmp(u->kind,
	    award_unit_kinds[kind]) != 0)
		return 0;
	return (k = award_unit_key(a, u->name, NULL)) != NULL &&
	    strcmp(k, key) == 0;
}

/*
 * Finds the unit named by text among the n units valid in year: by code
 * if text is all digits, else by award_unit_key() (a written prefix must
 * agree with the unit's kind). Returns AWARD_MATCH_ONE with its index in
 * *found, or AWARD_MATCH_NONE / AWARD_MATCH_AMBIGUOUS with
 * "unknown_district" / "ambiguous_district" in e: a bare "Kỳ Anh" names
 * both Huyện Kỳ Anh and Thị xã Kỳ Anh.
 */
enum award_match
award_unit_match(struct arena *a, const struct award_unit *u, size_t n,
    const char *text, int year, size_t *found, struct award_error *e)
{
	enum award_unit_kind	 kind = AWARD_UNIT_ANY;
	const char		*t, *key;
	size_t			 i, count = 0;
	int			 bycode;

	if ((t = text_clean(a, text, strlen(text))) == NULL)
		t = "";
	bycode = *t != '\0' && t[strspn(t, "0123456789")] == '\0';
	key = bycode ? t : award_unit_key(a, t, &kind);
	for (i = 0; i < n; i++) {
		if ((u[i].valid_from_year != 0 &&
		    year < u[i].valid_from_year) ||
		    (u[i].valid_to_year != 0 && year > u[i].valid_to_year))
			continue;
		if (bycode ? strcmp(u[i].code, t) == 0 :
		    award_unit_is(a, &u[i], key, kind)) {
			if (count++ == 0)
				*found = i;
		}
	}
	if (count == 1)
		return AWARD_MATCH_ONE;
	if (count == 0) {
		award_fail(e, "unknown_district", arena_printf(a,
		    "Không có đơn vị hành chính “%s” trong năm %d", t, year));
		return AWARD_MATCH_NONE;
	}
	award_fail(e, "ambiguous_district", arena_printf(a,
	    "“%s” chỉ nhiều đơn vị hành chính trong năm %d; hãy ghi rõ "
	    "(ví dụ Huyện Kỳ Anh, Thị xã Kỳ Anh) hoặc ghi mã", t, year));
	return AWARD_MATCH_AMBIGUOUS;
}
