/*
 * importer_pay: a file of payments (disbursements, giải ngân) through the
 * award-list import engine (see importer.h and importer_int.h): the same
 * reader (encodings, delimiter), the same run (lock, import_run and its
 * issues, dry run, strict mode, the report), its own header and rows.
 *
 * The header is found among the first records by meaning, as award.c
 * reads award lists (award_heading_in() with the rules below): «Ngày
 * chi», «Số tiền», «Số chứng từ», «Mã hồ sơ», «Tên cơ sở», «Mã số thuế»,
 * «Huyện», «Hoạt động»/«Mã hoạt động», «Ghi chú», with or without
 * diacritics. It needs a date, an amount and a way to the facility.
 *
 * Each line, in order: its values (a date d/m/yyyy, yyyy-mm-dd or an
 * Excel serial number; an amount as money_parse() reads it), its activity
 * (the one chosen for the file, or the line's «Hoạt động»: a number or
 * the activity's exact title), its facility (an application's reference
 * code gives it, with the application; else the tax code; else the
 * exact name in the district), then, under the activity's row lock
 * (ledger_lock), the payment already in the book with the same activity,
 * facility, date, amount and voucher number (then the line changes
 * nothing: a warning "already_recorded" with its id), or ledger_check()
 * (the activity's limits, the application's facility and plan year) and
 * the insert with its audit row. A line refused is an error of the
 * report with its column and the Vietnamese reason.
 *
 * Transactions: a line is its own transaction (its lock, its row and its
 * audit row, as one disbursement entered by hand), the run's audit row
 * goes with the last; a dry run, or a strict one, is one transaction,
 * rolled back (dry, or strict with a refused line) or committed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "auth.h"
#include "award.h"
#include "csvin.h"
#include "db.h"
#include "importer_int.h"
#include "ledger.h"
#include "money.h"
#include "resp.h"
#include "text.h"
#include "valid.h"

#define PAY_COMMIT_EVERY	500	/* lines between writes of the issues */

enum pay_stmt {
	S_PAY_ACT_TITLE, S_PAY_FAC_TAX, S_PAY_FAC_NAME, S_PAY_SAME,
	S_PAY_INSERT, S_PAY__MAX
};
static const char *const pay_sql[S_PAY__MAX] = {
	[S_PAY_ACT_TITLE] =
	    "SELECT id FROM activity WHERE title = ? ORDER BY id LIMIT 2",
	[S_PAY_FAC_TAX] = "SELECT id FROM facility WHERE tax_code = ?",
	[S_PAY_FAC_NAME] =
	    "SELECT id FROM facility WHERE name_fold = ? AND unit_id = ?"
	    " ORDER BY id LIMIT 2",
	/* The facility: the line's, else its application's. */
	[S_PAY_SAME] =
	    "SELECT d.id FROM disbursement d WHERE d.activity_id = ?"
	    " AND d.paid_on = ? AND d.amount_vnd = ? AND d.voucher_no <=> ?"
	    " AND d.facility_id = COALESCE(?, (SELECT a.facility_id FROM"
	    " application a WHERE a.ref_code = ?)) ORDER BY d.id LIMIT 1",
	[S_PAY_INSERT] =
	    "INSERT INTO disbursement (activity_id, amount_vnd, paid_on,"
	    " voucher_no, facility_id, application_id, unit_id, note,"
	    " import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
};
static struct db_set pay_set = DB_SET("importer/pay", pay_sql);

/* The report's names of the columns (import_issue.col). */
static const char *const pay_col_names[PAY_COL__MAX] = {
	[PAY_DATE] = "date", [PAY_AMOUNT] = "amount_vnd",
	[PAY_DOC] = "document_no", [PAY_REF] = "ref_code",
	[PAY_FACILITY] = "facility", [PAY_TAX] = "tax_code",
	[PAY_DISTRICT] = "district", [PAY_ACTIVITY] = "activity",
	[PAY_NOTE] = "note",
};

/* Headings by meaning (award.c's rules; the first that fits wins). */
static const struct award_head pay_heads[] = {
	{ PAY_DATE, "ngay", "chi|giai ngan|thanh toan|chung tu|chuyen tien|"
	    "thang|nam|cap", NULL, "Ngày chi" },
	{ PAY_AMOUNT, "so tien|tien|thanh tien|kinh phi|gia tri",
	    "giai ngan|chi|thanh toan|ho tro|da chi|dong|vnd|d", NULL,
	    "Số tiền" },
	{ PAY_TAX, "ma so thue|mst|ma so doanh nghiep|msdn|cccd|can cuoc|"
	    "dinh danh", "so|ma|ca nhan|cong dan", NULL, "Mã số thuế" },
	{ PAY_DOC, "chung tu|ct|phieu chi|unc|uy nhiem chi|so phieu",
	    "so|so hieu|ma", NULL, "Số chứng từ" },
	{ PAY_REF, "ho so|hs", "ma|so", NULL, "Mã hồ sơ" },
	{ PAY_ACTIVITY, "hoat dong", "ma|so|ten|noi dung", NULL,
	    "Hoạt động" },
	{ PAY_DISTRICT, "huyen|quan|thi xa|thanh pho|h|q|tx|tp|dia ban|"
	    "dia phuong|don vi hanh chinh|dvhc|xa|phuong|thi tran",
	    "ten|ma|tt|p", NULL, "Huyện" },
	{ PAY_FACILITY, "co so|chu the|don vi|doanh nghiep|htx|hop tac xa|"
	    "to hop tac|ho kinh doanh|ho san xuat|thu huong|nguoi nhan",
	    "ten|san xuat|kinh doanh|thu huong|nhan", NULL, "Tên cơ sở" },
	{ PAY_NOTE, "ghi chu|dien giai|noi dung|ly do", "chi|thanh toan",
	    NULL, "Ghi chú" },
	{ AWARD_HEAD_STT, "stt|tt|so tt|so thu tu|thu tu", "", NULL, NULL },
};

/* One line on its way in. */
struct pay_line {
	size_t			 line;
	long long		 activity_id;
	char			 date[11];	/* YYYY-MM-DD */
	const char		*doc, *note, *ref, *tax, *name, *district;
	int			 year;
	struct ledger_line	 l;
};

/*
 * Reads the n fields of a record as the header: 1 if it names a date, an
 * amount and one way to the facility (im->pay_col, the other columns in
 * im->hdr.ignored), else 0 (a title line).
 */
static int
pay_header(struct imp *im, char *const *f, size_t n)
{
	struct award_header	*h = &im->hdr;
	int			*c = im->pay_col, col;
	size_t			 i;

	for (i = 0; i < PAY_COL__MAX; i++)
		c[i] = -1;
	h->ignored = arena_alloc(im->run, (n + 1) * sizeof(*h->ignored));
	h->nignored = h->nunknown = 0;
	for (i = 0; i < n; i++) {
		col = award_heading_in(im->batch, f[i], pay_heads,
		    NELEM(pay_heads));
		if (col >= 0 && c[col] == -1)
			c[col] = (int)i;
		else if (col != AWARD_HEAD_BLANK && col != AWARD_HEAD_STT)
			h->ignored[h->nignored++] = arena_strdup(im->run, f[i]);
	}
	return c[PAY_DATE] != -1 && c[PAY_AMOUNT] != -1 &&
	    (c[PAY_REF] != -1 || c[PAY_TAX] != -1 || c[PAY_FACILITY] != -1);
}

/* The line's field of column col, or NULL if absent or empty. */
static const char *
pay_field(const struct imp *im, const struct csvin_record *rec, int col)
{
	int	 i = im->pay_col[col];

	if (i < 0 || (size_t)i >= rec->nfields || rec->fields[i][0] == '\0')
		return NULL;
	return rec->fields[i];
}

/* Refuse line pl: its column, code and message. Returns 1. */
static int
pay_refuse(struct imp *im, const struct pay_line *pl, int col,
    const char *code, const char *msg)
{
	imp_reject(im, pl->line, col >= 0 ? pay_col_names[col] : NULL, code,
	    msg);
	if (im->o->strict)
		im->strict_failed = 1;
	return 1;
}

/*
 * A date as the office writes it (award_parse_date(): 27/11/2020,
 * 2020-11-27) or as Excel stores it when the cell lost its format (days
 * since 30/12/1899: 44162 is 27/11/2020), from 2000 to 2099, into out.
 * 0, or -1 with *why.
 */
static int
pay_date(struct imp *im, const char *s, char out[11], const char **why)
{
	struct award_date	 d;
	struct award_error	 e;
	long long		 z, era, doe, yoe, doy, mp, n;
	size_t			 len = strlen(s);

	if (len >= 5 && len <= 6 && strspn(s, "0123456789") == len) {
		n = atoll(s);
		/* 36526: 1/1/2000; 73050: 31/12/2099 (H. Hinnant's civil
		 * from days, from the Unix epoch). */
		if (n < 36526 || n > 73050)
			goto bad;
		z = n - 25569 + 719468;
		era = z / 146097;
		doe = z - era * 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
		d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
		d.year = (int)(yoe + era * 400 + (d.month <= 2));
	} else if (award_parse_date(im->batch, s, &d, &e) == -1)
		goto bad;
	if (d.year < 2000 || d.year > 2099)
		goto bad;
	snprintf(out, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
	return 0;
bad:
	*why = arena_printf(im->batch, "Ngày chi “%s” không hợp lệ (viết"
	    " 27/11/2020 hoặc 2020-11-27)", s);
	return -1;
}

/* A reference code in capitals (KC-2020-000123), or NULL if malformed. */
static const char *
pay_ref(struct imp *im, const char *s)
{
	char	*r = arena_strdup(im->batch, s), *p;

	if (strlen(r) > 20)
		return NULL;
	for (p = r; *p != '\0'; p++) {
		*p = (char)toupper((unsigned char)*p);
		if (!isalnum((unsigned char)*p) && *p != '-')
			return NULL;
	}
	return r;
}

/*
 * The values of a record into pl: date, amount, document number, note,
 * reference code, tax code (normalised), name, district. 0, or 1 refused.
 */
static int
pay_values(struct imp *im, const struct csvin_record *rec,
    struct pay_line *pl)
{
	const char	*s, *why = NULL;
	char		 tax[VALID_TAX_MAX];
	enum valid_tax	 vt;

	if ((s = pay_field(im, rec, PAY_DATE)) == NULL)
		return pay_refuse(im, pl, PAY_DATE, "required",
		    "Thiếu ngày chi");
	if (pay_date(im, s, pl->date, &why) == -1)
		return pay_refuse(im, pl, PAY_DATE, "invalid_date", why);
	pl->year = atoi(pl->date);
	if ((s = pay_field(im, rec, PAY_AMOUNT)) == NULL ||
	    money_parse(im->batch, s, strlen(s), &pl->l.amount_vnd,
	    &why) == -1)
		return pay_refuse(im, pl, PAY_AMOUNT, s == NULL || why == NULL ?
		    "required" : "invalid_amount", s == NULL || why == NULL ?
		    "Thiếu số tiền" : arena_printf(im->batch, "Số tiền “%s”:"
		    " %s", s, why));
	if ((pl->doc = pay_field(im, rec, PAY_DOC)) != NULL &&
	    imp_chars(pl->doc) > 60)
		return pay_refuse(im, pl, PAY_DOC, "too_long",
		    "Số chứng từ dài quá 60 ký tự");
	if ((pl->note = pay_field(im, rec, PAY_NOTE)) != NULL &&
	    imp_chars(pl->note) > 500)
		return pay_refuse(im, pl, PAY_NOTE, "too_long",
		    "Ghi chú dài quá 500 ký tự");
	if ((s = pay_field(im, rec, PAY_REF)) != NULL &&
	    (pl->ref = pay_ref(im, s)) == NULL)
		return pay_refuse(im, pl, PAY_REF, "invalid", arena_printf(
		    im->batch, "Mã hồ sơ “%s” không hợp lệ (ví dụ"
		    " KC-2020-000123)", s));
	if ((s = pay_field(im, rec, PAY_TAX)) != NULL) {
		if ((vt = valid_tax_at(s, pl->year, tax)) != VALID_TAX_OK)
			return pay_refuse(im, pl, PAY_TAX, "invalid_tax_code",
			    arena_printf(im->batch, "Mã số thuế “%s”: %s", s,
			    valid_tax_why(vt)));
		pl->tax = arena_strdup(im->batch, tax);
	}
	pl->name = pay_field(im, rec, PAY_FACILITY);
	pl->district = pay_field(im, rec, PAY_DISTRICT);
	if (pl->ref == NULL && pl->tax == NULL && pl->name == NULL)
		return pay_refuse(im, pl, PAY_FACILITY, "required", "Cần mã hồ"
		    " sơ (KC-…), mã số thuế hoặc tên cơ sở và huyện");
	return 0;
}

/* The ids a one-column statement gives (at most 2) into ids: the count,
 * or < 0. */
static int
pay_ids(struct imp *im, int stmt, const struct db_param *p, size_t np,
    long long ids[2])
{
	struct db_res	*q;
	int		 n = 0;

	if ((q = db_squery(im->data, im->batch, &pay_set, stmt, p, np)) ==
	    NULL)
		return db_last_error(im->data);
	while (db_next(q))
		if (n < 2)
			ids[n++] = db_int(q, 0);
	return n;
}

/*
 * The line's activity: the file's (o->activity_id), or the one its
 * «Hoạt động» names by number or by exact title; a line naming another
 * than the file's is refused. 0, 1 refused, or < 0.
 */
static int
pay_activity(struct imp *im, const struct csvin_record *rec,
    struct pay_line *pl)
{
	const char	*s = pay_field(im, rec, PAY_ACTIVITY), *t;
	long long	 ids[2], want = im->o->activity_id;
	int		 n;

	pl->activity_id = want;
	if (s == NULL)
		return want > 0 ? 0 : pay_refuse(im, pl, PAY_ACTIVITY,
		    "required", "Thiếu hoạt động (số hoặc tên hoạt động)");
	t = s + (*s == '#');
	if (*t != '\0' && strlen(t) <= 15 && strspn(t, "0123456789") ==
	    strlen(t)) {
		ids[0] = atoll(t);
		n = 1;
	} else if ((n = pay_ids(im, S_PAY_ACT_TITLE, DB_ARGS(DB_STR(s)),
	    ids)) < 0)
		return n;
	if (n == 0)
		return pay_refuse(im, pl, PAY_ACTIVITY, "unknown_activity",
		    arena_printf(im->batch, "Không có hoạt động “%s”", s));
	if (n > 1)
		return pay_refuse(im, pl, PAY_ACTIVITY, "ambiguous_activity",
		    arena_printf(im->batch, "Nhiều hoạt động tên “%s”; hãy"
		    " ghi số hoạt động", s));
	if (want > 0 && ids[0] != want)
		return pay_refuse(im, pl, PAY_ACTIVITY, "other_activity",
		    arena_printf(im->batch, "Dòng này ghi hoạt động “%s”, không"
		    " phải hoạt động số %lld đang nhập", s, want));
	pl->activity_id = ids[0];
	return 0;
}

/*
 * The line's facility (l.facility_id) by tax code, else by exact name
 * (folded) in its district, and the unit of its district (l.unit_code).
 * A line with a reference code needs neither: its application names the
 * facility, and a facility found here must be that one (ledger_check).
 * 0, 1 refused, or < 0.
 */
static int
pay_facility(struct imp *im, struct pay_line *pl)
{
	struct award_error	 e;
	const char		*code = NULL, *fold;
	long long		 ids[2], unit = 0;
	int			 n;

	if (pl->district != NULL && imp_unit(im, pl->district, pl->year,
	    &unit, &code, &e) == -1)
		return pay_refuse(im, pl, PAY_DISTRICT, e.code, e.message);
	pl->l.unit_code = code;
	if (pl->tax != NULL) {
		if ((n = pay_ids(im, S_PAY_FAC_TAX, DB_ARGS(DB_STR(pl->tax)),
		    ids)) < 0)
			return n;
		if (n == 0)
			return pay_refuse(im, pl, PAY_TAX, "unknown_facility",
			    arena_printf(im->batch, "Không có cơ sở nào mang"
			    " mã số thuế %s", pl->tax));
		pl->l.facility_id = ids[0];
		return 0;
	}
	if (pl->name == NULL || (unit == 0 && pl->ref != NULL))
		return 0;
	if (unit == 0)
		return pay_refuse(im, pl, PAY_DISTRICT, "required", "Cần huyện"
		    " để nhận ra cơ sở theo tên (hoặc ghi mã số thuế, mã hồ"
		    " sơ)");
	fold = text_fold(im->batch, pl->name, strlen(pl->name));
	if (fold == NULL || (n = pay_ids(im, S_PAY_FAC_NAME, DB_ARGS(
	    DB_STR(fold), DB_INT(unit)), ids)) == 0)
		return pl->ref != NULL ? 0 : pay_refuse(im, pl, PAY_FACILITY,
		    "unknown_facility", arena_printf(im->batch, "Không có cơ"
		    " sở “%s” ở %s", pl->name, pl->district));
	if (n < 0)
		return n;
	if (n > 1)
		return pl->ref != NULL ? 0 : pay_refuse(im, pl, PAY_FACILITY,
		    "ambiguous_facility", arena_printf(im->batch, "Có nhiều cơ"
		    " sở “%s” ở %s; hãy ghi mã số thuế hoặc mã hồ sơ",
		    pl->name, pl->district));
	pl->l.facility_id = ids[0];
	return 0;
}

/* The column of the report for a field ledger_check() names. */
static int
pay_ledger_col(const char *field)
{
	if (field == NULL || strcmp(field, "amount_vnd") == 0)
		return PAY_AMOUNT;
	if (strcmp(field, "ref_code") == 0 ||
	    strcmp(field, "application_id") == 0)
		return PAY_REF;
	if (strcmp(field, "unit_code") == 0)
		return PAY_DISTRICT;
	return PAY_FACILITY;
}

#define PAY_OPT(n)	((n) != 0 ? DB_INT(n) : DB_NULL)

/* The line as written, for its audit row. */
static json_object *
pay_after(struct imp *im, const struct pay_line *pl, long long id)
{
	json_object	*o = json_object_new_object();

#define ADD(k, v)	json_object_object_add(o, k, v)
#define OPTS(s)		((s) != NULL ? json_object_new_string(s) : NULL)
#define OPTI(n)		((n) != 0 ? json_object_new_int64(n) : NULL)
	ADD("id", json_object_new_int64(id));
	ADD("activity_id", json_object_new_int64(pl->activity_id));
	ADD("amount_vnd", json_object_new_int64(pl->l.amount_vnd));
	ADD("date", json_object_new_string(pl->date));
	ADD("document_no", OPTS(pl->doc));
	ADD("note", OPTS(pl->note));
	ADD("facility_id", OPTI(pl->l.facility_id));
	ADD("application_id", OPTI(pl->l.application_id));
	ADD("unit_id", OPTI(pl->l.unit_id));
	ADD("ref_code", OPTS(pl->ref));
	ADD("import_id", json_object_new_int64(im->id));
#undef ADD
#undef OPTS
#undef OPTI
	return o;
}

/* Insert line pl and its audit row "disbursement.create": 0, or < 0. */
static int
pay_insert(struct imp *im, const struct pay_line *pl)
{
	struct auth_user	 u;
	json_object		*after;
	long long		 id;
	int			 rc;

	if ((rc = db_sexec(im->data, &pay_set, S_PAY_INSERT, DB_ARGS(
	    DB_INT(pl->activity_id), DB_INT(pl->l.amount_vnd),
	    DB_STR(pl->date), DB_STR(pl->doc), PAY_OPT(pl->l.facility_id),
	    PAY_OPT(pl->l.application_id), PAY_OPT(pl->l.unit_id),
	    DB_STR(pl->note), DB_INT(im->id)))) < 0)
		return rc;
	id = db_insert_id(im->data);
	memset(&u, 0, sizeof(u));
	u.id = im->o->user_id;
	u.username = im->o->username;
	after = pay_after(im, pl, id);
	rc = audit_write_db(im->data, &u, im->o->ip, "disbursement.create",
	    "disbursement", arena_printf(im->batch, "%lld", id), NULL, after);
	json_object_put(after);
	return rc;
}

/*
 * Under the activity's lock: the same payment already in the book (a
 * warning, nothing written), else the ledger's rules, then the insert.
 * 0 written or found, 1 refused, or < 0.
 */
static int
pay_write(struct imp *im, struct pay_line *pl)
{
	struct ledger_activity	 act;
	struct ledger_err	 e;
	long long		 ids[2];
	int			 rc, n;

	if ((rc = imp_tx(im)) < 0)
		return rc;
	if ((rc = ledger_lock(im->data, im->batch, pl->activity_id, &act)) <= 0)
		return rc < 0 ? rc : pay_refuse(im, pl, PAY_ACTIVITY,
		    "unknown_activity", arena_printf(im->batch, "Không có hoạt"
		    " động số %lld", pl->activity_id));
	if ((n = pay_ids(im, S_PAY_SAME, DB_ARGS(DB_INT(pl->activity_id),
	    DB_STR(pl->date), DB_INT(pl->l.amount_vnd), DB_STR(pl->doc),
	    PAY_OPT(pl->l.facility_id), DB_STR(pl->ref)), ids)) < 0)
		return n;
	if (n > 0) {
		im->unchanged++;
		im->nwarnings++;
		imp_issue(im, 0, pl->line, NULL, "already_recorded",
		    arena_printf(im->batch, "Khoản giải ngân này đã có trong sổ"
		    " (số %lld: cùng hoạt động, cơ sở, ngày, số tiền và số"
		    " chứng từ); không ghi lại", ids[0]), ids[0]);
		return 0;
	}
	pl->l.kind = LEDGER_DISB;
	pl->l.date = pl->date;
	pl->l.ref_code = pl->ref;
	if ((rc = ledger_check(im->data, im->batch, &act, &pl->l, &e)) != 0)
		return rc < 0 ? rc : pay_refuse(im, pl, pay_ledger_col(e.field),
		    "refused", e.message);
	if ((rc = pay_insert(im, pl)) < 0)
		return rc;
	im->inserted++;
	return 0;
}

/*
 * One data record: checked, then written (or found already written).
 * Outside a dry or strict run, the line's transaction ends here. 0, or
 * < 0 when the database failed.
 */
static int
pay_row(struct imp *im, const struct csvin_record *rec)
{
	struct pay_line	 pl;
	int		 rc;

	memset(&pl, 0, sizeof(pl));
	pl.line = rec->line;
	if ((rc = pay_values(im, rec, &pl)) != 0 ||
	    (rc = pay_activity(im, rec, &pl)) != 0 ||
	    (rc = pay_facility(im, &pl)) != 0)
		return rc < 0 ? rc : 0;
	im->total++;
	rc = pay_write(im, &pl);
	if (rc == 1)
		im->total--;	/* pay_refuse() counted it */
	if (rc < 0 || im->o->dry_run || im->o->strict || !im->in_tx)
		return rc < 0 ? rc : 0;
	if (rc == 0 && (rc = db_commit(im->data)) < 0)
		return rc;
	if (rc == 1)
		db_rollback(im->data);
	im->in_tx = 0;
	return 0;
}

/*
 * The end of the lines (last) or a pause between them: the run's audit
 * row and commit (a real run), then the issues and counts to the book.
 * 0 or DB_E*.
 */
static int
pay_flush(struct imp *im, int last)
{
	int	 rc;

	if (last && !im->o->dry_run && !im->strict_failed) {
		if ((rc = imp_tx(im)) < 0 || (rc = imp_audit(im)) < 0)
			return rc;
		if (!im->o->strict) {
			if ((rc = db_commit(im->data)) < 0)
				return rc;
			im->in_tx = 0;
		}
	}
	if ((rc = imp_book_issues(im)) < 0 || (rc = imp_book_counts(im)) < 0)
		return rc;
	arena_reset(im->batch);	/* a line's values live for the line */
	if (im->o->progress != NULL)
		im->o->progress(im->o->progress_arg, im->total,
		    csvin_line(im->in));
	return 0;
}

/* A file-level failure: the issue, and IMP_EFILE with *msg. */
static int
pay_efile(struct imp *im, const char *code, const char *m, const char **msg)
{
	*msg = m;
	imp_issue(im, 1, csvin_line(im->in), NULL, code, m, 0);
	return IMP_EFILE;
}

/*
 * The records of a payments file: title lines until the header, then
 * the lines. As imp_records() for awards: IMP_DONE, IMP_EFILE with *msg,
 * or IMP_EDB.
 */
int
imp_pay_records(struct imp *im, const char **msg)
{
	struct csvin_record	*rec;
	size_t			 seen = 0, since = 0;
	int			 rc, kind;

	while ((rc = imp_next(im, &rec)) != CSVIN_END) {
		if (rc != CSVIN_OK)
			return pay_efile(im, csvin_errcode(rc),
			    csvin_strerror(rc), msg);
		kind = award_line_kind(im->batch, rec->fields, rec->nfields);
		if (kind == AWARD_LINE_BLANK)
			continue;
		if (im->header_line == 0) {
			if (pay_header(im, rec->fields, rec->nfields))
				im->header_line = rec->line;
			else if (++seen >= HEADER_SEARCH)
				break;
			if (im->header_line != 0 && im->o->activity_id == 0 &&
			    im->pay_col[PAY_ACTIVITY] == -1)
				return pay_efile(im, "no_activity", "Tệp không"
				    " có cột Hoạt động và chưa chọn hoạt động:"
				    " hãy chọn hoạt động cho cả tệp hoặc thêm"
				    " cột «Hoạt động»", msg);
			continue;
		}
		if (kind == AWARD_LINE_FOOTER)
			continue;
		if (pay_row(im, rec) < 0)
			return IMP_EDB;
		if (++since >= PAY_COMMIT_EVERY && pay_flush(im, 0) == 0)
			since = 0;
	}
	if (im->header_line == 0)
		return pay_efile(im, "no_header", "Không tìm thấy dòng tiêu đề"
		    " cột (cần các cột Ngày chi, Số tiền và Mã hồ sơ, Mã số"
		    " thuế hoặc Tên cơ sở)", msg);
	return pay_flush(im, 1) < 0 ? IMP_EDB : IMP_DONE;
}
