/*
 * facility: the identity key of a facility, and the checks of what a
 * facility's form says. See facility.h.
 */
#include <string.h>

#include "arena.h"
#include "clock.h"
#include "db.h"
#include "facility.h"
#include "req.h"
#include "text.h"
#include "valid.h"
#include "values.h"

enum facility_stmt { S_FACILITY_UNIT_TODAY, S_FACILITY__MAX };
static const char *const facility_sql[S_FACILITY__MAX] = {
	/* The unit on a day (today in Vietnam, bound: clock_today_vn). */
	[S_FACILITY_UNIT_TODAY] =
	    "SELECT id FROM admin_unit CROSS JOIN (SELECT CAST(? AS DATE) AS d)"
	    " day_ WHERE code = ? AND level <> 'province'"
	    " AND (valid_from IS NULL OR valid_from <= day_.d)"
	    " AND (valid_to IS NULL OR valid_to >= day_.d)"
	    " AND level = IF(day_.d >= '2025-07-01', 'commune',"
	    " 'district')",
};
static struct db_set facility_set = DB_SET("lib/facility", facility_sql);

/*
 * The identity key of a facility: "tax:<tax code>" when it has a tax code
 * (the caller has validated it: 10 digits, or 10 + "-" + 3 for a branch),
 * else "name:<folded name>|<unit code>", the name folded by text_fold()
 * (case, spaces, diacritics and đ ignored), so that "Cơ sở Mộc Hà" typed
 * with or without diacritics in the same unit is the same facility.
 * Returns a string in the arena, or NULL when there is neither a tax code
 * nor a usable name, or the name is not valid UTF-8.
 */
char *
facility_ident(struct arena *a, const char *tax_code, const char *name,
    const char *unit_code)
{
	char	*fold;

	if (tax_code != NULL && *tax_code != '\0')
		return arena_printf(a, "tax:%s", tax_code);
	if (name == NULL || (fold = text_fold(a, name, strlen(name))) == NULL ||
	    *fold == '\0')
		return NULL;
	return arena_printf(a, "name:%s|%s", fold,
	    unit_code != NULL ? unit_code : "");
}

/*
 * The unit of code a facility's form may name today (the level of the
 * day: districts before 1 July 2025, communes after): 1 and *id, 0 none,
 * or < 0.
 */
int
facility_unit_today(struct req *r, const char *code, long long *id)
{
	struct db_res	*q;
	char		 today[CLOCK_DATE_LEN];

	clock_today_vn(today);
	if ((q = db_squery(r->db, r->a, &facility_set, S_FACILITY_UNIT_TODAY,
	    DB_ARGS(DB_STR(today), DB_STR(code)))) == NULL)
		return db_last_error(r->db);
	if (!db_next(q))
		return 0;
	*id = db_int(q, 0);
	return 1;
}

/* Free text: no markup characters (names, addresses, products, note). */
const char *
facility_check_plain(struct req *r, struct value *v)
{
	(void)r;
	if (strpbrk(v->s, "<>") != NULL)
		return "Không được chứa ký tự < hoặc >";
	return NULL;
}

const char *
facility_check_kind(struct req *r, struct value *v)
{
	(void)r;
	return values_find(values_facility_kinds, v->s) >= 0 ? NULL :
	    "Chọn một loại hình: hộ gia đình (household), hợp tác xã"
	    " (cooperative) hoặc doanh nghiệp (enterprise)";
}

/*
 * A tax code: 10 digits (a branch: + "-" + 3) for an enterprise or a
 * cooperative, or the representative's 12-digit personal identification
 * number for a household business. The latter is personal data: it is
 * stored on the facility and shown to staff only, never in a public
 * answer.
 */
const char *
facility_check_tax(struct req *r, struct value *v)
{
	char		 out[VALID_TAX_MAX];
	enum valid_tax	 why;

	if ((why = valid_tax_at(v->s, clock_year_vn(), out)) !=
	    VALID_TAX_OK)
		return valid_tax_why(why);
	v->s = arena_strdup(r->a, out);
	v->len = strlen(v->s);
	return NULL;
}

const char *
facility_check_phone(struct req *r, struct value *v)
{
	char	 out[VALID_PHONE_MAX];

	if (!valid_phone(v->s, out))
		return "Số điện thoại không hợp lệ (ví dụ 0912 345 678 hoặc"
		    " +84 912 345 678)";
	v->s = arena_strdup(r->a, out);
	v->len = strlen(v->s);
	return NULL;
}

const char *
facility_check_email(struct req *r, struct value *v)
{
	(void)r;
	return valid_email(v->s) ? NULL :
	    "Địa chỉ e-mail không hợp lệ (ví dụ ten@gmail.com)";
}
