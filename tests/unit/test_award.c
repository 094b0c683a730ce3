/*
 * Unit tests of cgi/lib/award.c: header names, line kinds, values,
 * unit names and the Kỳ Anh ambiguity; then the fixture files read
 * through csvin and award together, as the importer will.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "award.h"
#include "csvin.h"

#include "resp.h"	/* NELEM */
#define FIXTURES	"tests/fixtures/import/"
#ifndef KC_SRCDIR
#define KC_SRCDIR	"."	/* the Makefile gives the checkout */
#endif
#define MAX_YEAR	2025	/* stands for the current year */
#define MAX_SPLIT	16

/* Ha Tinh units from /work/shared/data/admin-units-ha-tinh.csv. */
static const struct award_unit units[] = {
	{ "436", "Thành phố Hà Tĩnh", "city", 0, 2025 },
	{ "437", "Thị xã Hồng Lĩnh", "town", 0, 2025 },
	{ "439", "Huyện Hương Sơn", "district", 0, 2025 },
	{ "440", "Huyện Đức Thọ", "district", 0, 2025 },
	{ "441", "Huyện Vũ Quang", "district", 0, 2025 },
	{ "442", "Huyện Nghi Xuân", "district", 0, 2025 },
	{ "443", "Huyện Can Lộc", "district", 0, 2025 },
	{ "444", "Huyện Hương Khê", "district", 0, 2025 },
	{ "445", "Huyện Thạch Hà", "district", 0, 2025 },
	{ "446", "Huyện Cẩm Xuyên", "district", 0, 2025 },
	{ "447", "Huyện Kỳ Anh", "district", 0, 2025 },
	{ "448", "Huyện Lộc Hà", "district", 0, 0 },
	{ "449", "Thị xã Kỳ Anh", "town", 0, 2025 },
	{ "18073", "Phường Nam Hà", "ward", 0, 2025 },
	{ "18073", "Phường Thành Sen", "ward", 2025, 0 },
	{ "18775", "Xã Kỳ Anh", "commune", 2025, 0 },
};

/* Returns the path of a fixture, under $KC_SRCDIR if set. */
static const char *
fixture(const char *name)
{
	static char	 path[1024];
	const char	*dir = getenv("KC_SRCDIR");

	snprintf(path, sizeof(path), "%s/" FIXTURES "%s",
	    dir != NULL ? dir : KC_SRCDIR, name);
	return path;
}

/* Splits "a|b|c" into fields in the arena; returns how many. */
static size_t
split(struct arena *a, const char *s, char **f)
{
	const char	*p;
	size_t		 n = 0;

	for (;;) {
		assert_true(n < MAX_SPLIT);
		p = strchr(s, '|');
		if (p == NULL) {
			f[n++] = arena_strdup(a, s);
			return n;
		}
		f[n++] = arena_strndup(a, s, (size_t)(p - s));
		s = p + 1;
	}
}

/* Every variant names its column, alone among the required ones. */
static void
test_header_variants(void **state)
{
	static const struct {
		const char	*name;
		int		 col;
	} t[] = {
		{ "Tên sản phẩm", AWARD_COL_PRODUCT },
		{ "TEN SAN PHAM", AWARD_COL_PRODUCT },
		{ "Tên SP", AWARD_COL_PRODUCT },
		{ "Sản phẩm", AWARD_COL_PRODUCT },
		{ "  tên   sản phẩm ", AWARD_COL_PRODUCT },
		{ "Tên cơ sở", AWARD_COL_FACILITY },
		{ "Cơ sở", AWARD_COL_FACILITY },
		{ "Chủ thể", AWARD_COL_FACILITY },
		{ "Đơn vị", AWARD_COL_FACILITY },
		{ "Tên chủ thể", AWARD_COL_FACILITY },
		{ "Cơ sở sản xuất", AWARD_COL_FACILITY },
		{ "CO SO SAN XUAT", AWARD_COL_FACILITY },
		{ "Năm", AWARD_COL_YEAR },
		{ "Năm công nhận", AWARD_COL_YEAR },
		{ "Năm đạt", AWARD_COL_YEAR },
		{ "Năm công nhận (*)", AWARD_COL_YEAR },
		{ "NAM", AWARD_COL_YEAR },
		{ "Cấp công nhận", AWARD_COL_LEVEL },
		{ "Cấp", AWARD_COL_LEVEL },
		{ "Cấp độ", AWARD_COL_LEVEL },
		{ "Cấp công nhận (tỉnh/khu vực/quốc gia)", AWARD_COL_LEVEL },
		{ "Huyện/Thị xã", AWARD_COL_DISTRICT },
		{ "Huyện, thị xã, thành phố", AWARD_COL_DISTRICT },
		{ "Huyện", AWARD_COL_DISTRICT },
		{ "Địa bàn", AWARD_COL_DISTRICT },
		{ "Đơn vị hành chính", AWARD_COL_DISTRICT },
		{ "Mã huyện", AWARD_COL_DISTRICT },
		{ "HUYEN / THI XA", AWARD_COL_DISTRICT },
		{ "Địa chỉ", AWARD_COL_ADDRESS },
		{ "Nhóm sản phẩm", AWARD_COL_GROUP },
		{ "Nhóm", AWARD_COL_GROUP },
		{ "Phân nhóm", AWARD_COL_GROUP },
		{ "Số quyết định", AWARD_COL_DECISION_NO },
		{ "Số QĐ", AWARD_COL_DECISION_NO },
		{ "Quyết định", AWARD_COL_DECISION_NO },
		{ "Ngày quyết định", AWARD_COL_DECISION_DATE },
		{ "Ngày QĐ", AWARD_COL_DECISION_DATE },
		{ "Ngày công nhận", AWARD_COL_DECISION_DATE },
		{ "Mã số thuế", AWARD_COL_TAX_CODE },
		{ "MST", AWARD_COL_TAX_CODE },
	};
	static const char *const base[] = {
		"Tên sản phẩm", "Tên cơ sở", "Năm", "Cấp",
	};
	struct arena		*a = arena_new();
	struct award_header	 h;
	char			*f[5];
	size_t			 i, n, at;
	int			 c;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		for (n = 0; n < NELEM(base); n++)
			f[n] = (char *)base[n];
		at = t[i].col <= AWARD_COL_LEVEL ? (size_t)t[i].col : n++;
		f[at] = (char *)t[i].name;
		assert_int_equal(award_header_parse(a, f, n, &h), 1);
		for (c = 0; c < AWARD_COL__MAX; c++)
			assert_int_equal(h.col[c], c == t[i].col ? (int)at :
			    c <= AWARD_COL_LEVEL ? c : -1);
		assert_int_equal(h.nignored, 0);
	}
	arena_free(a);
}

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
	struct arena		*a = arena_new();
	struct award_header	 h;
	char			*f[MAX_SPLIT], *ign[MAX_SPLIT];
	size_t			 i, j, n, nign;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		n = split(a, t[i].fields, f);
		assert_int_equal(award_header_parse(a, f, n, &h),
		    t[i].header);
		if (!t[i].header)
			continue;
		nign = t[i].ignored[0] == '\0' ? 0 : split(a, t[i].ignored,
		    ign);
		assert_int_equal(h.nignored, nign);
		for (j = 0; j < nign; j++)
			assert_string_equal(h.ignored[j], ign[j]);
	}
	/* The first of two year columns is kept. */
	n = split(a, "Tên sản phẩm|Tên cơ sở|Năm|Năm công nhận|Cấp", f);
	award_header_parse(a, f, n, &h);
	assert_int_equal(h.col[AWARD_COL_YEAR], 2);
	assert_int_equal(h.col[AWARD_COL_LEVEL], 4);
	arena_free(a);
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
	struct arena	*a = arena_new();
	char		*f[MAX_SPLIT];
	size_t		 i, n;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		n = split(a, t[i].fields, f);
		assert_int_equal(award_line_kind(a, f, n), t[i].kind);
	}
	assert_int_equal(award_line_kind(a, f, 0), AWARD_LINE_BLANK);
	arena_free(a);
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
	struct arena		*a = arena_new();
	struct award_date	 d;
	struct award_error	 e;
	size_t			 i;

	(void)state;
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
	arena_free(a);
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
	struct arena		*a = arena_new();
	struct award_error	 e;
	size_t			 i;
	int			 y;

	(void)state;
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
	arena_free(a);
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
	struct arena		*a = arena_new();
	struct award_error	 e;
	enum award_level	 l;
	size_t			 i;

	(void)state;
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
	arena_free(a);
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
	struct arena		*a = arena_new();
	enum award_unit_kind	 kind;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		assert_string_equal(award_unit_key(a, t[i].in, &kind),
		    t[i].key);
		assert_int_equal(kind, t[i].kind);
	}
	assert_null(award_unit_key(a, "\xff", &kind));
	assert_string_equal(award_unit_key(a, "Huyện Đức Thọ", NULL),
	    "duc tho");
	arena_free(a);
}

static void
test_unit_match(void **state)
{
	static const struct {
		const char		*in;
		int			 year;
		enum award_match	 match;
		const char		*code;	/* of units[], if ONE */
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
	struct arena		*a = arena_new();
	struct award_error	 e;
	size_t			 i, found;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		found = SIZE_MAX;
		assert_int_equal(award_unit_match(a, units, NELEM(units),
		    t[i].in, t[i].year, &found, &e), t[i].match);
		switch (t[i].match) {
		case AWARD_MATCH_ONE:
			assert_true(found < NELEM(units));
			assert_string_equal(units[found].code, t[i].code);
			if (t[i].name != NULL)
				assert_string_equal(units[found].name,
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
	arena_free(a);
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
	struct arena		*a = arena_new();
	struct award_header	 h;
	struct award_row	 r;
	struct award_error	 e;
	enum award_col		 col;
	char			*f[MAX_SPLIT];
	size_t			 i, n;

	(void)state;
	n = split(a, header, f);
	assert_int_equal(award_header_parse(a, f, n, &h), 1);
	for (i = 0; i < NELEM(t); i++) {
		n = split(a, t[i].fields, f);
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

	n = split(a, t[0].fields, f);
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

	n = split(a, t[1].fields, f);
	assert_int_equal(award_row_parse(a, &h, f, n, MAX_YEAR, &r, &col,
	    &e), 0);
	assert_null(r.district);
	assert_null(r.decision_no);
	assert_null(r.tax_code);
	assert_int_equal(r.decision_date.year, 0);

	n = split(a, "1|Cam|HTX||||tỉnh|2099", f);
	award_row_parse(a, &h, f, n, MAX_YEAR, &r, &col, &e);
	assert_string_equal(award_col_name(col), "year");
	assert_string_equal(e.message, "Năm 2099 không hợp lệ");
	n = split(a, "1||HTX||||tỉnh|2019", f);
	award_row_parse(a, &h, f, n, MAX_YEAR, &r, &col, &e);
	assert_string_equal(award_col_name(col), "product");
	assert_string_equal(e.message, "Thiếu tên sản phẩm");
	arena_free(a);
}

/*
 * Reads a fixture as the importer will and writes what happens to out:
 * "H<line>" for the header, "<line>" for a good row, "<line>:<column>:
 * <code>" for a rejected one, one per line.
 */
static void
import(const char *file, char *out, size_t size)
{
	struct arena		*a = arena_new();
	struct csvin		*c;
	struct csvin_record	*rec;
	struct award_header	 h;
	struct award_row	 r;
	struct award_error	 e;
	enum award_col		 col;
	size_t			 len = 0, found;
	int			 have_header = 0, ok;

	assert_int_equal(csvin_open(&c, fixture(file), NULL), CSVIN_OK);
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
			ok = award_unit_match(a, units, NELEM(units),
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
	arena_free(a);
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

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		import(t[i].file, out, sizeof(out));
		assert_string_equal(out, t[i].out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_variants),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_line_kind),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_level),
		cmocka_unit_test(test_level_year),
		cmocka_unit_test(test_unit_key),
		cmocka_unit_test(test_unit_match),
		cmocka_unit_test(test_row),
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
