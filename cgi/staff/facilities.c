/*
 * Facilities: the facilities (cơ sở CN-TTCN) as staff find them, and a
 * facility staff create for a paper application. Finance picks the
 * beneficiary of a disbursement from this search; nobody types an id.
 *
 *   GET  /api/admin/facilities?q=&district=   finance, reviewer, auditor
 *   POST /api/admin/facilities                finance, reviewer
 *
 * q: a facility's name (without diacritics, in any case), the start of
 * its tax code, or the name of its unit; district: a unit's code, which
 * finds the facilities of that unit and of the units under it. A new
 * facility gets the application form's checks (cgi/lib/facility.c) and
 * its identity key; one transaction with its audit row
 * ("facility.create").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "db.h"
#include "facility.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"
#include "text.h"

#define FAC_COLS \
	"f.id, f.name, f.kind, f.tax_code, f.owner_name, f.phone, f.email," \
	" f.address, u.code, u.name, p.code, p.name"
#define FAC_FROM \
	" FROM facility f LEFT JOIN admin_unit u ON u.id = f.unit_id" \
	" LEFT JOIN admin_unit p ON p.id = (SELECT x.id FROM admin_unit x" \
	" WHERE x.code = u.parent_code AND x.level = 'district'" \
	" ORDER BY x.vf_key DESC LIMIT 1)"
/* The search: q as folded name, tax code start, unit name; district. */
#define FAC_WHERE \
	" WHERE (? IS NULL OR f.name_fold LIKE ? ESCAPE '!'" \
	" OR f.tax_code LIKE ? ESCAPE '!' OR u.name LIKE ? ESCAPE '!')" \
	" AND (? IS NULL OR u.code = ? OR u.parent_code = ?)"

enum facilities_stmt {
	S_FAC_SEARCH, S_FAC_COUNT, S_FAC_GET, S_FAC_EXISTING, S_FAC_INSERT,
	S_FAC__MAX
};
static const char *const facilities_sql[S_FAC__MAX] = {
	[S_FAC_SEARCH] =
	    "SELECT " FAC_COLS FAC_FROM FAC_WHERE
	    " ORDER BY f.name_fold, f.id LIMIT ? OFFSET ?",
	[S_FAC_COUNT] = "SELECT COUNT(*)" FAC_FROM FAC_WHERE,
	[S_FAC_GET] = "SELECT " FAC_COLS FAC_FROM " WHERE f.id = ?",
	[S_FAC_EXISTING] =
	    "SELECT id FROM facility WHERE ident = ? OR tax_code = ?"
	    " ORDER BY ident = ? DESC LIMIT 1 FOR UPDATE",
	[S_FAC_INSERT] =
	    "INSERT INTO facility (ident, name, name_fold, kind, tax_code,"
	    " owner_name, phone, email, address, unit_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
};
static struct db_set facilities_set =
    DB_SET("staff/facilities", facilities_sql);

/* A facility as staff see it. */
struct fac_row {
	long long	 id;
	const char	*name, *kind, *tax_code, *owner_name, *phone, *email;
	const char	*address, *unit_code, *unit_name, *district_code;
	const char	*district_name;
};
#define FC(path, member, type)	JCOL(path, fac_row, member, type)
static const struct jcol fac_json[] = { FC("id", id, J_INT),
	FC("name", name, J_STR), FC("kind", kind, J_STR),
	FC("tax_code", tax_code, J_STR), FC("owner_name", owner_name, J_STR),
	FC("phone", phone, J_STR), FC("email", email, J_STR),
	FC("address", address, J_STR), FC("unit_code", unit_code, J_STR),
	FC("unit_name", unit_name, J_STR),
	FC("district_code", district_code, J_STR),
	FC("district_name", district_name, J_STR) };
static const struct csv_col fac_csv[] = {
	{ "id", "id" }, { "name", "name" }, { "kind", "kind" },
	{ "tax_code", "tax_code" }, { "unit_code", "unit_code" },
	{ "unit_name", "unit_name" }, { "district_name", "district_name" },
};

/* A search: the LIKE patterns of q (NULL: none), the district. */
struct fac_search {
	const char	*fold, *tax, *plain;	/* patterns, or all NULL */
	const char	*district;		/* NULL: any */
	long long	 limit, offset;
};
#define SEARCH_ARGS(s) \
	DB_STR((s)->fold), DB_STR((s)->fold), DB_STR((s)->tax), \
	DB_STR((s)->plain), DB_STR((s)->district), DB_STR((s)->district), \
	DB_STR((s)->district)

/* One page of the search s into *out (arena) and *total: the count. */
static int
q_fac_search(struct req *r, const struct fac_search *s,
    struct fac_row **out, long long *total)
{
	void	*rows;
	int	 rc;

	if ((rc = staff_count(r, &facilities_set, S_FAC_COUNT,
	    DB_ARGS(SEARCH_ARGS(s)), total)) < 0)
		return rc;
	rc = rows_fetch(r->db, r->a, &facilities_set, S_FAC_SEARCH,
	    DB_ARGS(SEARCH_ARGS(s), DB_INT(s->limit), DB_INT(s->offset)),
	    fac_json, NELEM(fac_json), sizeof(**out), &rows);
	*out = rows;
	return rc;
}

/* Facility id as JSON: 1, 0, or < 0. */
static int
q_fac_get(struct req *r, long long id, json_object **out)
{
	struct fac_row	 f;
	int		 rc;

	if ((rc = rows_get(r->db, r->a, &facilities_set, S_FAC_GET,
	    DB_ARGS(DB_INT(id)), fac_json, NELEM(fac_json), &f)) > 0)
		*out = rows_object(&f, fac_json, NELEM(fac_json));
	return rc;
}

/* The facility with identity key ident or tax code tax, locked. */
static int
q_fac_existing(struct req *r, const char *ident, const char *tax,
    long long *id)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, &facilities_set, S_FAC_EXISTING, DB_ARGS(
	    DB_STR(ident), DB_STR(tax), DB_STR(ident)), &q)) > 0)
		*id = db_int(q, 0);
	return rc;
}

/* s as a LIKE pattern: '!' escapes, prefix and suffix '%' or "". */
static const char *
like(struct arena *a, const char *s, const char *pre, const char *post)
{
	char	*o = arena_alloc(a, strlen(s) * 2 + 3), *p = o;

	p += strlen(strcpy(p, pre));
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '!')
			*p++ = '!';
		*p++ = *s;
	}
	strcpy(p, post);
	return o;
}

enum { SF_Q, SF_DISTRICT, SF__MAX };
static const struct field search_fields[SF__MAX] = {
	[SF_Q] = { "q", F_STR, 0, 1, 100, NULL },
	[SF_DISTRICT] = { "district", F_STR, 0, 1, 10, NULL },
};

/*
 * GET /api/admin/facilities?q=&district=&page=&per_page= (finance,
 * reviewer, auditor) → {items: [{id, name, kind, tax_code, owner_name,
 * phone, email, address, unit_code, unit_name, district_code,
 * district_name}], total, page, per_page}, by folded name; 422.
 */
static int
h_facilities_list(struct req *r)
{
	struct value		 v[SF__MAX];
	struct fac_search	 s = { NULL, NULL, NULL, NULL, 0, 0 };
	struct fac_row		*rows = NULL;
	const char		*fold;
	long long		 page, per, total;
	int			 rc, n;

	if ((rc = req_fields(r, search_fields, SF__MAX, v)) != 0 ||
	    (rc = req_page(r, &page, &per)) != 0)
		return rc;
	if (v[SF_Q].set &&
	    (fold = text_fold(r->a, v[SF_Q].s, v[SF_Q].len)) != NULL) {
		s.fold = like(r->a, fold, "%", "%");
		s.tax = like(r->a, v[SF_Q].s, "", "%");
		s.plain = like(r->a, v[SF_Q].s, "%", "%");
	}
	s.district = v[SF_DISTRICT].set ? v[SF_DISTRICT].s : NULL;
	s.limit = per;
	s.offset = (page - 1) * per;
	if ((n = q_fac_search(r, &s, &rows, &total)) < 0)
		return resp_db(r);
	return resp_list(r, rows_array(rows, sizeof(*rows), (size_t)n,
	    fac_json, NELEM(fac_json)), total, page, per, "facilities",
	    fac_csv, NELEM(fac_csv));
}

/* A new facility's fields: the application form's, with its checks. */
enum {
	FF_NAME, FF_TAX, FF_OWNER, FF_PHONE, FF_EMAIL, FF_ADDRESS, FF_UNIT,
	FF_KIND, FF__MAX
};
static const struct field fac_fields[FF__MAX] = {
	[FF_NAME] = { "name", F_STR, F_REQUIRED, 2, 255,
	    facility_check_plain },
	[FF_TAX] = { "tax_code", F_STR, 0, 0, 40, facility_check_tax },
	[FF_OWNER] = { "owner_name", F_STR, F_REQUIRED, 2, 120,
	    facility_check_plain },
	[FF_PHONE] = { "phone", F_STR, F_REQUIRED, 0, 40,
	    facility_check_phone },
	[FF_EMAIL] = { "email", F_STR, 0, 0, 254, facility_check_email },
	[FF_ADDRESS] = { "address", F_STR, F_REQUIRED, 5, 500,
	    facility_check_plain },
	[FF_UNIT] = { "unit_code", F_STR, F_REQUIRED, 0, 10, NULL },
	[FF_KIND] = { "kind", F_STR, F_REQUIRED, 0, 20, facility_check_kind },
};

#define FSTR(v)	((v).set ? DB_STRN((v).s, (v).len) : DB_NULL)

/* The new facility of v; its id into *id: 0, or < 0 (DB_EDUP). */
static int
q_fac_insert(struct req *r, const struct value *v, const char *ident,
    long long unit, long long *id)
{
	int	 rc;

	rc = db_sexec(r->db, &facilities_set, S_FAC_INSERT, DB_ARGS(
	    DB_STR(ident), FSTR(v[FF_NAME]), DB_STR(text_fold(r->a,
	    v[FF_NAME].s, v[FF_NAME].len)), FSTR(v[FF_KIND]),
	    FSTR(v[FF_TAX]), FSTR(v[FF_OWNER]), FSTR(v[FF_PHONE]),
	    FSTR(v[FF_EMAIL]), FSTR(v[FF_ADDRESS]), DB_INT(unit)));
	if (rc < 0)
		return rc;
	*id = db_insert_id(r->db);
	return 0;
}

/* Facility id is already there: the 409 that names it. */
static int
fac_exists(struct req *r, long long id)
{
	json_object	*o = NULL, *n, *t;
	const char	*msg;

	if (q_fac_get(r, id, &o) <= 0)
		return staff_fail_db(r);
	json_object_object_get_ex(o, "name", &n);
	json_object_object_get_ex(o, "tax_code", &t);
	msg = arena_printf(r->a, "Cơ sở này đã có trong hệ thống: «%s»%s%s"
	    " (chọn cơ sở đó thay vì tạo mới)", json_object_get_string(n),
	    t != NULL ? ", mã số thuế " : "",
	    t != NULL ? json_object_get_string(t) : "");
	json_object_put(o);
	return staff_fail_conflict(r, msg);
}

/*
 * POST /api/admin/facilities {name, tax_code?, owner_name, phone,
 * email?, address, unit_code, kind} (finance, reviewer): a facility that
 * applied on paper, with the application form's checks → 201 the
 * facility as the search shows it; 409 when it is already there (the
 * same tax code, or the same name in the same unit: which one is said);
 * 422.
 */
static int
h_facilities_create(struct req *r)
{
	struct value	 v[FF__MAX];
	json_object	*after;
	const char	*ident;
	long long	 unit = 0, id;
	int		 rc;

	if ((rc = req_fields(r, fac_fields, FF__MAX, v)) != 0)
		return rc;
	if ((rc = facility_unit_today(r, v[FF_UNIT].s, &unit)) <= 0)
		return rc < 0 ? resp_db(r) : staff_invalid(r, "unit_code",
		    "Mã đơn vị hành chính không tồn tại hoặc không còn hiệu"
		    " lực");
	if ((ident = facility_ident(r->a, v[FF_TAX].set ? v[FF_TAX].s : NULL,
	    v[FF_NAME].s, v[FF_UNIT].s)) == NULL)
		return staff_invalid(r, "name", "Tên cơ sở không hợp lệ");
	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = q_fac_existing(r, ident, v[FF_TAX].set ? v[FF_TAX].s :
	    NULL, &id)) < 0)
		return staff_fail_db(r);
	if (rc > 0)
		return fac_exists(r, id);
	if ((rc = q_fac_insert(r, v, ident, unit, &id)) == DB_EDUP)
		return staff_fail_conflict(r, "Cơ sở này vừa được tạo; hãy"
		    " tìm lại và chọn nó");
	if (rc < 0 || q_fac_get(r, id, &after) <= 0)
		return staff_fail_db(r);
	return staff_commit_audited(r, "facility.create", "facility",
	    staff_id_text(r, id), NULL, after, 201, after);
}

const struct route staff_facilities_routes[] = {
	{ M_GET, "/api/admin/facilities", h_facilities_list, R_CSV, 0,
	    ROLE_FINANCE | ROLE_REVIEWER | STAFF_RD },
	{ M_POST, "/api/admin/facilities", h_facilities_create, 0, 0,
	    ROLE_FINANCE | ROLE_REVIEWER },
	ROUTES_END
};
