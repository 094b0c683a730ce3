/*
 * kc-products, a product row: the columns of the listing's SELECT (P_SEL
 * in search.c) as a struct product_row, its awards read from the JSON
 * array the statement builds (JSON_ARRAYAGG of JSON_OBJECT).
 *
 * That array is read by a scanner of its one shape, an array of flat
 * objects whose values are strings, whole numbers or null: no json-c
 * objects are made and dropped for each row. Any other shape, and any
 * string with a \u escape, is read by json-c instead, with the same
 * result.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "db.h"
#include "resp.h"
#include "rows.h"

#include "products.h"

#define AWARDS_MAX	64	/* awards the scanner takes; more: json-c */

/*
 * A product's members: before its awards (the district null without a
 * code), an award's, and after the awards. P_SEL's columns are the head's
 * and the tail's (the district's object aside), then the awards' array.
 */
#define PRODUCT_FACILITY(X) \
	X("id", id, J_INT) X("name", name, J_STR) X("group", group, J_STR) \
	X("facility.id", facility_id, J_INT) \
	X("facility.name", facility_name, J_STR) \
	X("facility.address", facility_address, J_STR)
#define PRODUCT_DISTRICT(X) \
	X("district.code", district_code, J_STR) \
	X("district.name", district_name, J_STR)
#define PRODUCT_TAIL(X)	X("sample", sample, J_BOOL)
#define PRODUCT_JCOL(path, m, t)	JCOL(path, product_row, m, t),
#define AWARD_JCOL(m, t)		JCOL(#m, product_award, m, t),

const struct jcol product_cols[] = {
	PRODUCT_FACILITY(PRODUCT_JCOL)
	JCOL("district", product_row, district_code, J_OBJ),
	PRODUCT_DISTRICT(PRODUCT_JCOL)
};
const struct jcol award_cols[] = { PRODUCT_AWARD_ROW(AWARD_JCOL) };
const struct jcol product_tail[] = { PRODUCT_TAIL(PRODUCT_JCOL) };
const size_t nproduct_cols = NELEM(product_cols);
const size_t naward_cols = NELEM(award_cols);
const size_t nproduct_tail = NELEM(product_tail);

/* P_SEL's columns but the awards'. */
static const struct jcol product_read[] = {
	PRODUCT_FACILITY(PRODUCT_JCOL)
	PRODUCT_DISTRICT(PRODUCT_JCOL)
	PRODUCT_TAIL(PRODUCT_JCOL)
};

/* The scanner's position: text left, and the arena for strings. */
struct scan {
	const char	*p;
	struct arena	*a;
};

static void
scan_ws(struct scan *s)
{
	while (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' ||
	    *s->p == '\t')
		s->p++;
}

/* Is the next character c (after blanks)? Then past it: 1, else 0. */
static int
scan_char(struct scan *s, char c)
{
	scan_ws(s);
	if (*s->p != c)
		return 0;
	s->p++;
	return 1;
}

/*
 * A JSON string into the arena (*out), or null (*out NULL). 0, or -1 for
 * anything else (a \u escape too: json-c reads those).
 */
static int
scan_str(struct scan *s, const char **out)
{
	static const char	 esc[] = "\"\\/bfnrt";
	static const char	 val[] = "\"\\/\b\f\n\r\t";
	const char		*p, *e;
	char			*o;

	scan_ws(s);
	if (strncmp(s->p, "null", 4) == 0) {
		s->p += 4;
		*out = NULL;
		return 0;
	}
	if (*s->p != '"')
		return -1;
	for (p = s->p + 1; *p != '"'; p++)
		if (*p == '\0' || (*p == '\\' && *++p == '\0'))
			return -1;
	*out = o = arena_alloc(s->a, (size_t)(p - s->p));
	for (p = s->p + 1; *p != '"'; p++) {
		if (*p != '\\')
			*o++ = *p;
		else if ((e = strchr(esc, *++p)) != NULL)
			*o++ = val[e - esc];
		else
			return -1;
	}
	*o = '\0';
	s->p = p + 1;
	return 0;
}

/* One award object into *aw: 0, or -1 for another shape. */
static int
scan_award(struct scan *s, struct product_award *aw)
{
	const char	*key;
	char		*end;

	memset(aw, 0, sizeof(*aw));
	if (!scan_char(s, '{'))
		return -1;
	do {
		if (scan_str(s, &key) != 0 || key == NULL || !scan_char(s, ':'))
			return -1;
		scan_ws(s);
		if (strcmp(key, "year") == 0) {
			aw->year = strtoll(s->p, &end, 10);
			if (end == s->p || (*s->p != '-' &&
			    (*s->p < '0' || *s->p > '9')))
				return -1;
			s->p = end;
		} else if (scan_str(s, strcmp(key, "level") == 0 ? &aw->level :
		    strcmp(key, "decision_no") == 0 ? &aw->decision_no :
		    strcmp(key, "decision_date") == 0 ? &aw->decision_date :
		    strcmp(key, "district") == 0 ? &aw->district : &key) != 0 ||
		    key == NULL)
			return -1;
	} while (scan_char(s, ','));
	return scan_char(s, '}') ? 0 : -1;
}

/* The awards' array by the scanner: 0, or -1 for another shape. */
static int
awards_scan(struct arena *a, const char *text, struct product_row *p)
{
	struct product_award	 aw[AWARDS_MAX];
	struct scan		 s = { text, a };
	size_t			 n = 0;

	if (!scan_char(&s, '['))
		return -1;
	if (!scan_char(&s, ']')) {
		do {
			if (n == AWARDS_MAX || scan_award(&s, &aw[n++]) != 0)
				return -1;
		} while (scan_char(&s, ','));
		if (!scan_char(&s, ']'))
			return -1;
	}
	scan_ws(&s);
	if (*s.p != '\0')
		return -1;
	p->awards = arena_alloc(a, (n + 1) * sizeof(*p->awards));
	memcpy(p->awards, aw, n * sizeof(*aw));
	p->nawards = n;
	return 0;
}

/* Member key of an award object as a string in the arena; NULL if none. */
static const char *
award_str(struct arena *a, json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return arena_strndup(a, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v));
}

/* The awards' array by json-c, for the shapes the scanner does not take. */
static void
awards_parse(struct arena *a, const char *text, struct product_row *p)
{
	json_object		*arr, *o;
	struct product_award	*aw;
	size_t			 i, n;

	p->awards = NULL;
	p->nawards = 0;
	if ((arr = json_tokener_parse(text)) == NULL)
		return;
	if (json_object_is_type(arr, json_type_array) &&
	    (n = json_object_array_length(arr)) > 0) {
		p->awards = arena_alloc(a, n * sizeof(*p->awards));
		for (i = 0; i < n; i++) {
			o = json_object_array_get_idx(arr, i);
			aw = &p->awards[i];
			aw->year = json_object_get_int64(
			    json_object_object_get(o, "year"));
			aw->level = award_str(a, o, "level");
			aw->decision_no = award_str(a, o, "decision_no");
			aw->decision_date = award_str(a, o, "decision_date");
			aw->district = award_str(a, o, "district");
		}
		p->nawards = n;
	}
	json_object_put(arr);
}

/* The current row of a result of P_SEL's columns as a product. */
void
product_row_read(struct arena *a, const struct db_res *q,
    struct product_row *p)
{
	rows_read(q, p, product_read, NELEM(product_read));
	p->awards = NULL;
	p->nawards = 0;
	if (db_str(q, 9) != NULL && awards_scan(a, db_str(q, 9), p) != 0)
		awards_parse(a, db_str(q, 9), p);
}
