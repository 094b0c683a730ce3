/*
 * Unit tests of cgi/lib/award.c: header names, line kinds, values,
 * unit names and the Kỳ Anh ambiguity; then the fixture files read
 * through csvin and award together, as the importer will.
 */
#include "kc_test.h"

#include "award.h"
#include "csvin.h"

#include "award_units.h"

#define MAX_YEAR	2025	/* stands for the current year */

/*
 * Whole header lines: found or not, and the columns left out. (Each
 * heading beside the required ones: test_award_header.c.)
 */
static void
test_header(void **state)
{
	static const struct {
		const char	*fields;
		int		 header;
		const char	*ignored;	/* joined by '|' */
	} t[] = {
		{ "STT|Tên sản phẩm|Tên cơ sở|Năm|Cấp", 1, "" },
		{ "TT|Số TT|Tên sản phẩm|Tên cơ sở|Năm|Cấp", 1, "" },
		{ "Cấp|Năm|Cơ sở|Sản phẩm", 1, "" },
		{ "Tên sản phẩm|Tên cơ sở|Năm|Cấp|Ghi chú|Số điện thoại", 1,
		    "Ghi chú|Số điện thoại" },
		{ "Tên sản phẩm|Tên cơ sở|Năm|Năm công nhận|Cấp", 1,
		    "Năm công nhận" },
		{ "Tên sản phẩm||Tên cơ sở|Năm|Cấp|", 1, "" },
		/* Title lines and incomplete headers. */
		{ "DANH SÁCH SẢN PHẨM CNNT TIÊU BIỂU NĂM 2019", 0, "" },
		{ "Tên sản phẩm|Tên cơ sở|Năm", 0, "" },
		{ "1|Kẹo cu đơ|Cơ sở Hương Quê|2019|Cấp tỉnh", 0, "" },
		{ "", 0, "" },
	};
	struct arena		*a = *state;
	struct award_header	 h;
	char			*f[KC_SPLIT_MAX];
	size_t			 i, n;

	for (i = 0; i < NELEM(t); i++) {
		n = kc_split(a, t[i].fields, f);
		assert_int_equal(award_header_parse(a, f, n, &h),
		    t[i].header);
		if (!t[i].header)
			continue;
		kc_assert_list(a, h.ignored, h.nignored, t[i].ignored);
	}
	/* The first of two year columns is kept. */
	n = kc_split(a, "Tên sản phẩm|Tên cơ sở|Năm|Năm công nhận|Cấp", f);
	award_header_parse(a, f, n, &h);
	assert_int_equal(h.col[AWARD_COL_YEAR], 2);
	assert_int_equal(h.col[AWARD_COL_LEVEL], 4);
}

static void
test_line_kind(void **state)
{
	static const struct {
		const char	*fields;
		enum award_line	 kind;
	} t[] = {
		{ "", AWARD_LINE_BLANK },
		{ "||||", AWARD_LINE_BLANK },
		{ "Tổng cộng: 12 sản phẩm||||", AWARD_LINE_FOOTER },
		{ "|TỔNG CỘNG|||12", AWARD_LINE_FOOTER },
		{ "Tong cong 12 san pham", AWARD_LINE_FOOTER },
		{ "Tổng số: 12", AWARD_LINE_FOOTER },
		{ "Cộng: 12 sản phẩm", AWARD_LINE_FOOTER },
		{ "Cộng|||12", AWARD_LINE_FOOTER },
		{ "Tổng 12 sản phẩm", AWARD_LINE_FOOTER },
		{ "1|Kẹo cu đơ|Cơ sở Hương Quê", AWARD_LINE_DATA },
		{ "Công ty TNHH Trầm hương|x", AWARD_LINE_DATA },
		{ "Cộng đồng làng nghề|x", AWARD_LINE_DATA },
		{ "Tổng hợp tác xã|x", AWARD_LINE_DATA },
		{ "Tongcong|x", AWARD_LINE_DATA },
	};
	struct arena	*a = *state;
	char		*f[KC_SPLIT_MAX];
	size_t		 i, n;

	for (i = 0; i < NELEM(t); i++) {
		n = kc_split(a, t[i].fields, f);
		assert_int_equal(award_line_kind(a, f, n), t[i].kind);
	}
	assert_int_equal(award_line_kind(a, f, 0), AWARD_LINE_BLANK);
}

static void
test_date(void **state)
{
	static const struct {
		const char	*in;
		int		 y, m, d;	/* y 0: invalid */
	} t[] = {
		{ "20/11/2019", 2019, 11, 20 },
		{ "5/3/2021", 2021, 3, 5 },
		{ "05/03/21", 2021, 3, 5 },
		{ "5/12/23", 2023, 12, 5 },
		{ "2023-12-05", 2023, 12, 5 },
		{ "2023-1-5", 2023, 1, 5 },
		{ "20-11-2019", 2019, 11, 20 },
		{ "20.11.2019", 2019, 11, 20 },
		{ " 29/2/2024 ", 2024, 2, 29 },
		{ "29/02/2000", 2000, 2, 29 },
		{ "31/12/2019", 2019, 12, 31 },
		{ "31/2/2021", 0, 0, 0 },
		{ "29/2/2023", 0, 0, 0 },
		{ "29/2/1900", 0, 0, 0 },
		{ "31/4/2020", 0, 0, 0 },
		{ "0/1/2020", 0, 0, 0 },
		{ "1/13/2020", 0, 0, 0 },
		{ "1/0/2020", 0, 0, 0 },
		{ "2019-11-20x", 0, 0, 0 },
		{ "20/11-2019", 0, 0, 0 },
		{ "20/11/019", 0, 0, 0 },
		{ "20/11/20190", 0, 0, 0 },
		{ "123/1/2020", 0, 0, 0 },
		{ "1/123/2020", 0, 0, 0 },
		{ "2019-11", 0, 0, 0 },
		{ "11/2019", 0, 0, 0 },
		{ "20 tháng 11 năm 2019", 0, 0, 0 },
		{ "", 0, 0, 0 },
		{ "1/1/1899", 0, 0, 0 },
	};
	struct arena		*a = *state;
	struct award_date	 d;
	struct award_error	 e;
	size_t			 i;

	for (i = 0; i < NELEM(t); i++) {
		if (t[i].y == 0) {
			assert_int_equal(award_parse_date(a, t[i].in, &d, &e),
			    -1);
			assert_string_equal(e.code, "invalid_date");
			continue;
		}
		assert_int_equal(award_parse_date(a, t[i].in, &d, &e), 0);
		assert_int_equal(d.year, t[i].y);
		assert_int_equal(d.month, t[i].m);
		assert_int_equal(d.day, t[i].d);
	}
	award_parse_date(a, "31/2/2021", &d, &e);
	assert_string_equal(e.message, "Ngày “31/2/2021” không hợp lệ");
}

static void
test_year(void **state)
{
	static const struct {
		const char	*in;
		int		 year;
		const char	*code;		/* NULL: valid */
		const char	*message;
	} t[] = {
		{ "2019", 2019, NULL, NULL },
		{ "2000", 2000, NULL, NULL },
		{ " 2025 ", 2025, NULL, NULL },
		{ "2099", 0, "out_of_range", "Năm 2099 không hợp lệ" },
		{ "2026", 0, "out_of_range", "Năm 2026 không hợp lệ" },
		{ "1999", 0, "out_of_range", "Năm 1999 không hợp lệ" },
		{ "0", 0, "out_of_range", "Năm 0 không hợp lệ" },
		{ "99999999999", 0, "out_of_range",
		    "Năm 99999999999 không hợp lệ" },
		{ "năm 2019", 0, "invalid_year", NULL },
		{ "2019.5", 0, "invalid_year", NULL },
		{ "-2019", 0, "invalid_year", NULL },
		{ "20 19", 0, "invalid_year", NULL },
		{ "", 0, "invalid_year", NULL },
	};
	struct arena		*a = *state;
	struct award_error	 e;
	size_t			 i;
	int			 y;

	for (i = 0; i < NELEM(t); i++) {
		if (t[i].code == NULL) {
			assert_int_equal(award_parse_year(a, t[i].in,
			    MAX_YEAR, &y, &e), 0);
			assert_int_equal(y, t[i].year);
			continue;
		}
		assert_int_equal(award_parse_year(a, t[i].in, MAX_YEAR, &y,
		    &e), -1);
		assert_string_equal(e.code, t[i].code);
		if (t[i].message != NULL)
			assert_string_equal(e.message, t[i].message);
	}
}

static void
test_level(void **state)
{
	static const struct {
		const char	*in;
		const char	*code;		/* NULL: invalid */
	} t[] = {
		{ "cấp tỉnh", "province" },
		{ "Cấp tỉnh", "province" },
		{ "CẤP TỈNH", "province" },
		{ "Tinh", "province" },
		{ "tỉnh", "province" },
		{ "Cap tinh", "province" },
		{ "khu vực", "region" },
		{ "Khu vực phía Bắc", "region" },
		{ "cấp khu vực", "region" },
		{ "Khu vuc mien Bac", "region" },
		{ "quốc gia", "national" },
		{ "Cấp QG", "national" },
		{ "Cấp quốc gia", "national" },
		{ "huyện", "district" },
		{ "cấp huyện", "district" },
		{ "xã", "commune" },
		{ "Cấp xã", "commune" },
		{ "Cấp thôn", NULL },
		{ "Cấp", NULL },
		{ "tỉnh Hà Tĩnh", NULL },
		{ "Khu vực phía Nam", NULL },
		{ "", NULL },
		{ "4 sao", NULL },
	};
	struct arena		*a = *state;
	struct award_error	 e;
	enum award_level	 l;
	size_t			 i;

	for (i = 0; i < NELEM(t); i++) {
		if (t[i].code == NULL) {
			assert_int_equal(award_parse_level(a, t[i].in, &l,
			    &e), -1);
			assert_string_equal(e.code, "invalid_level");
			continue;
		}
		assert_int_equal(award_parse_level(a, t[i].in, &l, &e), 0);
		assert_string_equal(award_level_code(l), t[i].code);
	}
}

static void
test_level_year(void **state)
{
	static const struct {
		enum award_level	 level;
		int			 year;
		int			 ok;
	} t[] = {
		{ AWARD_LEVEL_DISTRICT, 2018, 1 },
		{ AWARD_LEVEL_DISTRICT, 2025, 1 },
		{ AWARD_LEVEL_DISTRICT, 2026, 0 },
		{ AWARD_LEVEL_COMMUNE, 2024, 0 },
		{ AWARD_LEVEL_COMMUNE, 2025, 1 },
		{ AWARD_LEVEL_COMMUNE, 2026, 1 },
		{ AWARD_LEVEL_PROVINCE, 2018, 1 },
		{ AWARD_LEVEL_PROVINCE, 2026, 1 },
		{ AWARD_LEVEL_REGION, 2019, 1 },
		{ AWARD_LEVEL_NATIONAL, 2026, 1 },
	};
	struct award_error	 e;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		assert_int_equal(award_check_level_year(t[i].level,
		    t[i].year, &e), t[i].ok ? 0 : -1);
		if (!t[i].ok)
			assert_string_equal(e.code, "level_not_in_year");
	}
}

static void
test_unit_key(void **state)
{
	static const struct {
		const char		*in;
		const char		*key;
		enum award_unit_kind	 kind;
	} t[] = {
		{ "TP. Hà Tĩnh", "ha tinh", AWARD_UNIT_CITY },
		{ "TP Hà Tĩnh", "ha tinh", AWARD_UNIT_CITY },
		{ "TP.Hà Tĩnh", "ha tinh", AWARD_UNIT_CITY },
		{ "Thành phố Hà Tĩnh", "ha tinh", AWARD_UNIT_CITY },
		{ "thanh pho ha tinh", "ha tinh", AWARD_UNIT_CITY },
		{ "Hà Tĩnh", "ha tinh", AWARD_UNIT_ANY },
		{ "huyện Can Lộc", "can loc", AWARD_UNIT_DISTRICT },
		{ "H. Can Lộc", "can loc", AWARD_UNIT_DISTRICT },
		{ "H Can Lộc", "can loc", AWARD_UNIT_DISTRICT },
		{ "Can Loc", "can loc", AWARD_UNIT_ANY },
		{ "  CAN   LỘC ", "can loc", AWARD_UNIT_ANY },
		{ "TX Kỳ Anh", "ky anh", AWARD_UNIT_TOWN },
		{ "TX. Hồng Lĩnh", "hong linh", AWARD_UNIT_TOWN },
		{ "Thị xã Kỳ Anh", "ky anh", AWARD_UNIT_TOWN },
		{ "Huyện Kỳ Anh", "ky anh", AWARD_UNIT_DISTRICT },
		{ "Kỳ Anh", "ky anh", AWARD_UNIT_ANY },
		{ "Xã Kỳ Anh", "ky anh", AWARD_UNIT_COMMUNE },
		{ "Phường Thành Sen", "thanh sen", AWARD_UNIT_WARD },
		{ "P. Thành Sen", "thanh sen", AWARD_UNIT_WARD },
		{ "Thị trấn Nghèn", "nghen", AWARD_UNIT_TOWNSHIP },
		{ "TT Nghèn", "nghen", AWARD_UNIT_TOWNSHIP },
		{ "Xuân Viên", "xuan vien", AWARD_UNIT_ANY },
		{ "Hương Khê", "huong khe", AWARD_UNIT_ANY },
		{ "Huyện", "huyen", AWARD_UNIT_ANY },
		{ "", "", AWARD_UNIT_ANY },
	};
	struct arena		*a = *state;
	enum award_unit_kind	 kind;
	size_t			 i;

	for (i = 0; i < NELEM(t); i++) {
		assert_string_equal(award_unit_key(a, t[i].in, &kind),
		    t[i].key);
		assert_int_equal(kind, t[i].kind);
	}
	assert_null(award_unit_key(a, "\xff", &kind));
	assert_string_equal(award_unit_key(a, "Huyện Đức Thọ", NULL),
	    "duc tho");
}

static void
test_unit_match(void **state)
{
	static const struct {
		const char		*in;
		int			 year;
		enum award_match	 match;
		const char		*code;	/* of ha_tinh_units[], if ONE */
		const char		*name;
	} t[] = {
		{ "TX Kỳ Anh", 2019, AWARD_MATCH_ONE, "449", NULL },
		{ "Thị xã Kỳ Anh", 2019, AWARD_MATCH_ONE, "449", NULL },
		{ "Huyện Kỳ Anh", 2019, AWARD_MATCH_ONE, "447", NULL },
		{ "huyen ky anh", 2019, AWARD_MATCH_ONE, "447", NULL },
		{ "H. Kỳ Anh", 2019, AWARD_MATCH_ONE, "447", NULL },
		{ "Kỳ Anh", 2019, AWARD_MATCH_AMBIGUOUS, NULL, NULL },
		{ "KY ANH", 2019, AWARD_MATCH_AMBIGUOUS, NULL, NULL },
		{ "TP. Hà Tĩnh", 2019, AWARD_MATCH_ONE, "436", NULL },
		{ "Thành phố Hà Tĩnh", 2019, AWARD_MATCH_ONE, "436", NULL },
		{ "thanh pho ha tinh", 2019, AWARD_MATCH_ONE, "436", NULL },
		{ "Hà Tĩnh", 2019, AWARD_MATCH_ONE, "436", NULL },
		{ "huyện Can Lộc", 2019, AWARD_MATCH_ONE, "443", NULL },
		{ "Can Loc", 2019, AWARD_MATCH_ONE, "443", NULL },
		{ "443", 2019, AWARD_MATCH_ONE, "443", NULL },
		{ " 447 ", 2019, AWARD_MATCH_ONE, "447", NULL },
		{ "TX Hồng Lĩnh", 2023, AWARD_MATCH_ONE, "437", NULL },
		{ "Lộc Hà", 2020, AWARD_MATCH_ONE, "448", NULL },
		/* A written prefix must agree with the unit's kind. */
		{ "Huyện Hồng Lĩnh", 2019, AWARD_MATCH_NONE, NULL, NULL },
		{ "TP Kỳ Anh", 2019, AWARD_MATCH_NONE, NULL, NULL },
		/* No guessing at misspellings or other provinces. */
		{ "Can Loc Ha", 2019, AWARD_MATCH_NONE, NULL, NULL },
		{ "Thị xã Cửa Lò", 2019, AWARD_MATCH_NONE, NULL, NULL },
		{ "", 2019, AWARD_MATCH_NONE, NULL, NULL },
		{ "999", 2019, AWARD_MATCH_NONE, NULL, NULL },
		/* Only units valid in the record's year. */
		{ "Can Lộc", 2026, AWARD_MATCH_NONE, NULL, NULL },
		{ "Kỳ Anh", 2026, AWARD_MATCH_ONE, "18775", "Xã Kỳ Anh" },
		{ "Kỳ Anh", 2025, AWARD_MATCH_AMBIGUOUS, NULL, NULL },
		{ "18073", 2020, AWARD_MATCH_ONE, "18073", "Phường Nam Hà" },
		{ "18073", 2026, AWARD_MATCH_ONE, "18073",
		    "Phường Thành Sen" },
		{ "18073", 2025, AWARD_MATCH_AMBIGUOUS, NULL, NULL },
	};
	struct arena		*a = *state;
	struct award_error	 e;
	size_t			 i, found;

	for (i = 0; i < NELEM(t); i++) {
		found = SIZE_MAX;
		assert_int_equal(award_unit_match(a, ha_tinh_units,
		    HA_TINH_NUNITS, t[i].in, t[i].year, &found, &e),
		    t[i].match);
		switch (t[i].match) {
		case AWARD_MATCH_ONE:
			assert_true(found < HA_TINH_NUNITS);
			assert_string_equal(ha_tinh_units[found].code,
			    t[i].code);
			if (t[i].name != NULL)
				assert_string_equal(ha_tinh_units[found].name,
				    t[i].name);
			break;
		case AWARD_MATCH_NONE:
			assert_string_equal(e.code, "unknown_district");
			break;
		case AWARD_MATCH_AMBIGUOUS:
			assert_string_equal(e.code, "ambiguous_district");
			break;
		}
	}
}

static void
test_row(void **state)
{
	static const char header[] = "STT|Tên sản phẩm|Tên cơ sở|Địa chỉ|"
	    "Huyện/Thị xã|Nhóm|Cấp công nhận|Năm|Số QĐ|Ngày QĐ|MST";
	static const struct {
		const char	*fields;
		int		 col;		/* -1: valid */
		const char	*code;
	} t[] = {
		{ "1|Kẹo cu đơ|Cơ sở Hương Quê|Xã Cẩm Nhượng|Huyện Cẩm Xuyên|"
		    "Thực phẩm|Cấp tỉnh|2019|3456/QĐ-UBND|20/11/2019|"
		    "3001234501", -1, NULL },
		{ "2|Cam Khe Mây|HTX Cam Khe Mây||||cấp tỉnh|2021",
		    -1, NULL },
		{ "3||HTX Cam Khe Mây|||||2021", AWARD_COL_PRODUCT,
		    "required" },
		{ "4|Cam|||||tỉnh|2021", AWARD_COL_FACILITY, "required" },
		{ "5|Cam|HTX||||tỉnh|", AWARD_COL_YEAR, "required" },
		{ "6|Cam|HTX|||||2021", AWARD_COL_LEVEL, "required" },
		{ "7|Cam|HTX||||tỉnh|2099", AWARD_COL_YEAR, "out_of_range" },
		{ "8|Cam|HTX||||tỉnh|hai nghìn", AWARD_COL_YEAR,
		    "invalid_year" },
		{ "9|Cam|HTX||||cấp thôn|2021", AWARD_COL_LEVEL,
		    "invalid_level" },
		{ "10|Cam|HTX||||cấp xã|2021", AWARD_COL_LEVEL,
		    "level_not_in_year" },
		{ "11|Cam|HTX||||tỉnh|2021||31/2/2021",
		    AWARD_COL_DECISION_DATE, "invalid_date" },
	};
	struct arena		*a = *state;
	struct award_header	 h;
	struct award_row	 r;
	struct award_error	 e;
	enum award_col		 col;
	char			*f[KC_SPLIT_MAX];
	size_t			 i, n;

	n = kc_split(a, header, f);
	assert_int_equal(award_header_parse(a, f, n, &h), 1);
	for (i = 0; i < NELEM(t); i++) {
		n = kc_split(a, t[i].fields, f);
		if (t[i].col == -1) {
			assert_int_equal(award_row_parse(a, &h, f, n, MAX_YEAR,
			    &r, &col, &e), 0);
			continue;
		}
		assert_int_equal(award_row_parse(a, &h, f, n, MAX_YEAR, &r,
		    &col, &e), -1);
		assert_int_equal(col, t[i].col);
		assert_string_equal(e.code, t[i].code);
	}

	n = kc_split(a, t[0].fields, f);
	assert_int_equal(award_row_parse(a, &h, f, n, MAX_YEAR, &r, &col,
	    &e), 0);
	assert_string_equal(r.product, "Kẹo cu đơ");
	assert_string_equal(r.facility, "Cơ sở Hương Quê");
	assert_string_equal(r.address, "Xã Cẩm Nhượng");
	assert_string_equal(r.district, "Huyện Cẩm Xuyên");
	assert_string_equal(r.group, "Thực phẩm");
	assert_int_equal(r.level, AWARD_LEVEL_PROVINCE);
	assert_int_equal(r.year, 2019);
	assert_string_equal(r.decision_no, "3456/QĐ-UBND");
	assert_int_equal(r.decision_date.year, 2019);
	assert_int_equal(r.decision_date.month, 11);
	assert_int_equal(r.decision_date.day, 20);
	assert_string_equal(r.tax_code, "3001234501");

	n = kc_split(a, t[1].fields, f);
	assert_int_equal(award_row_parse(a, &h, f, n, MAX_YEAR, &r, &col,
	    &e), 0);
	assert_null(r.district);
	assert_null(r.decision_no);
	assert_null(r.tax_code);
	assert_int_equal(r.decision_date.year, 0);

	n = kc_split(a, "1|Cam|HTX||||tỉnh|2099", f);
	award_row_parse(a, &h, f, n, MAX_YEAR, &r, &col, &e);
	assert_string_equal(award_col_name(col), "year");
	assert_string_equal(e.message, "Năm 2099 không hợp lệ");
	n = kc_split(a, "1||HTX||||tỉnh|2019", f);
	award_row_parse(a, &h, f, n, MAX_YEAR, &r, &col, &e);
	assert_string_equal(award_col_name(col), "product");
	assert_string_equal(e.message, "Thiếu tên sản phẩm");
}

/*
 * Reads a fixture as the importer will and writes what happens to out:
 * "H<line>" for the header, "<line>" for a good row, "<line>:<column>:
 * <code>" for a rejected one, one per line.
 */
static void
import(struct arena *a, const char *file, char *out, size_t size)
{
	struct csvin		*c;
	struct csvin_record	*rec;
	struct award_header	 h;
	struct award_row	 r;
	struct award_error	 e;
	enum award_col		 col;
	size_t			 len = 0, found;
	int			 have_header = 0, ok;

	assert_int_equal(csvin_open(&c, kc_fixture(file), NULL), CSVIN_OK);
	while (csvin_next(c, &rec) == CSVIN_OK) {
		arena_reset(a);
		if (award_line_kind(a, rec->fields, rec->nfields) ==
		    AWARD_LINE_BLANK)
			continue;
		if (!have_header) {
			have_header = award_header_parse(a, rec->fields,
			    rec->nfields, &h);
			if (have_header)
				len += snprintf(out + len, size - len,
				    "H%zu\n", rec->line);
			continue;
		}
		if (award_line_kind(a, rec->fields, rec->nfields) ==
		    AWARD_LINE_FOOTER)
			continue;
		ok = award_row_parse(a, &h, rec->fields, rec->nfields,
		    MAX_YEAR, &r, &col, &e) == 0;
		if (ok && r.district != NULL) {
			col = AWARD_COL_DISTRICT;
			ok = award_unit_match(a, ha_tinh_units, HA_TINH_NUNITS,
			    r.district, r.year, &found, &e) ==
			    AWARD_MATCH_ONE;
		}
		if (ok)
			len += snprintf(out + len, size - len, "%zu\n",
			    rec->line);
		else
			len += snprintf(out + len, size - len, "%zu:%s:%s\n",
			    rec->line, award_col_name(col), e.code);
		assert_true(len < size);
	}
	csvin_close(c);
}

static void
test_fixtures(void **state)
{
	static const struct {
		const char	*file;
		const char	*out;
	} t[] = {
		{ "sample-cp1258-semicolon.csv", "H2\n3\n4\n5\n6\n7\n8\n" },
		{ "sample-cp1258-semicolon.utf8.csv",
		    "H2\n3\n4\n5\n6\n7\n8\n" },
		{ "sample-utf16le-tab.csv", "H2\n3\n4\n5\n6\n" },
		{ "sample-utf8bom-titles.csv", "H4\n5\n6\n7\n9\n10\n" },
		{ "sample-multiline-quotes.csv", "H2\n3\n5\n8\n" },
		{ "sample-duplicate.csv", "H2\n3\n4\n5\n6\n7\n" },
		{ "sample-tcvn3.csv", "H2\n3\n4\n5\n6\n" },
		{ "sample-errors.csv",
		    "H2\n"
		    "3\n"
		    "4:year:out_of_range\n"
		    "5:decision_date:invalid_date\n"
		    "6:level:invalid_level\n"
		    "7:district:unknown_district\n"
		    "8:district:ambiguous_district\n"
		    "9:product:required\n" },
	};
	char	 out[1024];
	size_t	 i;

	for (i = 0; i < NELEM(t); i++) {
		import(*state, t[i].file, out, sizeof(out));
		assert_string_equal(out, t[i].out);
	}
}

KC_TEST_MAIN(test_header, test_line_kind, test_date,
    test_year, test_level, test_level_year, test_unit_key,
    test_unit_match, test_row, test_fixtures)
