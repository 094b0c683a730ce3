/*
 * Unit tests of the column headings of cgi/lib/award.c: tables of
 * headings as offices write them and the column each names (with and
 * without diacritics, any case, '/', ',', '-' or spaces between the
 * parts), headings that name no column, and the headings a header
 * leaves out that look like a column it lacks (the import's
 * unrecognised_column warning).
 */
#include "kc_test.h"

#include "award.h"

static const struct {
	const char	*heading;
	int		 col;
} headings[] = {
	/* The district column, as the office's lists head it. */
	{ "Huyện/TX", AWARD_COL_DISTRICT },
	{ "Huyen/TX", AWARD_COL_DISTRICT },
	{ "huyện/tx", AWARD_COL_DISTRICT },
	{ "HUYỆN - TX", AWARD_COL_DISTRICT },
	{ "Huyện/TP/TX", AWARD_COL_DISTRICT },
	{ "Huyen, TP, TX", AWARD_COL_DISTRICT },
	{ "Huyện, thị xã", AWARD_COL_DISTRICT },
	{ "Huyện, thị xã, thành phố", AWARD_COL_DISTRICT },
	{ "huyen thi xa thanh pho", AWARD_COL_DISTRICT },
	{ "Huyện/Thị xã", AWARD_COL_DISTRICT },
	{ "HUYEN / THI XA", AWARD_COL_DISTRICT },
	{ "Huyện/thị xã/thành phố", AWARD_COL_DISTRICT },
	{ "Quận/Huyện", AWARD_COL_DISTRICT },
	{ "Địa bàn (huyện)", AWARD_COL_DISTRICT },
	{ "Dia ban (huyen)", AWARD_COL_DISTRICT },
	{ "Địa bàn", AWARD_COL_DISTRICT },
	{ "Đơn vị hành chính", AWARD_COL_DISTRICT },
	{ "DON VI HANH CHINH", AWARD_COL_DISTRICT },
	{ "H/TX/TP", AWARD_COL_DISTRICT },
	{ "H-TX-TP", AWARD_COL_DISTRICT },
	{ "Huyện", AWARD_COL_DISTRICT },
	{ "Mã huyện", AWARD_COL_DISTRICT },
	{ "Tên huyện", AWARD_COL_DISTRICT },
	{ "Huyện/Xã", AWARD_COL_DISTRICT },
	{ "Mã ĐVHC", AWARD_COL_DISTRICT },
	{ "Thị xã/Thành phố", AWARD_COL_DISTRICT },
	/* A commune heading: the unit column when no district one. */
	{ "Xã/Phường", AWARD_HEAD_COMMUNE },
	{ "Xã, phường, thị trấn", AWARD_HEAD_COMMUNE },
	{ "Xa/Phuong/TT", AWARD_HEAD_COMMUNE },
	/* Every other column. */
	{ "Tên sản phẩm", AWARD_COL_PRODUCT },
	{ "TEN SAN PHAM", AWARD_COL_PRODUCT },
	{ "Tên SP", AWARD_COL_PRODUCT },
	{ "Sản phẩm", AWARD_COL_PRODUCT },
	{ "  tên   sản phẩm ", AWARD_COL_PRODUCT },
	{ "Tên sản phẩm OCOP", AWARD_COL_PRODUCT },
	{ "Tên sản phẩm CNNT tiêu biểu", AWARD_COL_PRODUCT },
	{ "Tên sản phẩm (ghi đầy đủ)", AWARD_COL_PRODUCT },
	{ "Tên cơ sở", AWARD_COL_FACILITY },
	{ "Cơ sở", AWARD_COL_FACILITY },
	{ "Chủ thể", AWARD_COL_FACILITY },
	{ "Đơn vị", AWARD_COL_FACILITY },
	{ "Tên chủ thể", AWARD_COL_FACILITY },
	{ "Cơ sở sản xuất", AWARD_COL_FACILITY },
	{ "CO SO SAN XUAT", AWARD_COL_FACILITY },
	{ "Chủ thể/Cơ sở", AWARD_COL_FACILITY },
	{ "Tên doanh nghiệp/HTX", AWARD_COL_FACILITY },
	{ "Tổ chức, cá nhân", AWARD_COL_FACILITY },
	{ "Đơn vị sản xuất", AWARD_COL_FACILITY },
	{ "Năm", AWARD_COL_YEAR },
	{ "NAM", AWARD_COL_YEAR },
	{ "Năm công nhận", AWARD_COL_YEAR },
	{ "Năm đạt", AWARD_COL_YEAR },
	{ "Năm công nhận (*)", AWARD_COL_YEAR },
	{ "Nam-cong-nhan", AWARD_COL_YEAR },
	{ "Cấp công nhận", AWARD_COL_LEVEL },
	{ "Cấp", AWARD_COL_LEVEL },
	{ "Cấp độ", AWARD_COL_LEVEL },
	{ "Cấp công nhận (tỉnh/khu vực/quốc gia)", AWARD_COL_LEVEL },
	{ "CAP CONG NHAN", AWARD_COL_LEVEL },
	{ "Địa chỉ", AWARD_COL_ADDRESS },
	{ "Dia chi co so", AWARD_COL_ADDRESS },
	{ "Địa chỉ (thôn, xã)", AWARD_COL_ADDRESS },
	{ "Nhóm sản phẩm", AWARD_COL_GROUP },
	{ "Nhóm", AWARD_COL_GROUP },
	{ "Phân nhóm", AWARD_COL_GROUP },
	{ "Nhóm/ngành", AWARD_COL_GROUP },
	{ "Ngành hàng", AWARD_COL_GROUP },
	{ "Số quyết định", AWARD_COL_DECISION_NO },
	{ "Số QĐ", AWARD_COL_DECISION_NO },
	{ "So QD", AWARD_COL_DECISION_NO },
	{ "Quyết định", AWARD_COL_DECISION_NO },
	{ "Số QĐ công nhận", AWARD_COL_DECISION_NO },
	{ "Ngày quyết định", AWARD_COL_DECISION_DATE },
	{ "Ngày QĐ", AWARD_COL_DECISION_DATE },
	{ "Ngày công nhận", AWARD_COL_DECISION_DATE },
	{ "Ngày, tháng, năm QĐ", AWARD_COL_DECISION_DATE },
	{ "Ngày ký", AWARD_COL_DECISION_DATE },
	{ "Mã số thuế", AWARD_COL_TAX_CODE },
	{ "MST", AWARD_COL_TAX_CODE },
	{ "MST/CCCD", AWARD_COL_TAX_CODE },
	{ "Mã số doanh nghiệp", AWARD_COL_TAX_CODE },
	{ "STT", AWARD_HEAD_STT },
	{ "TT", AWARD_HEAD_STT },
	{ "Số TT", AWARD_HEAD_STT },
	{ "Số thứ tự", AWARD_HEAD_STT },
	/* Headings that name no column. */
	{ "Ghi chú", AWARD_HEAD_NONE },
	{ "Số điện thoại", AWARD_HEAD_NONE },
	{ "Đơn vị tính", AWARD_HEAD_NONE },
	{ "Hạng sao", AWARD_HEAD_NONE },
	{ "Cơ quan quản lý", AWARD_HEAD_NONE },
	{ "Huyện cũ (trước 2025)", AWARD_HEAD_NONE },
	{ "Năm sinh", AWARD_HEAD_NONE },
	{ "Cấp tỉnh", AWARD_HEAD_NONE },
	{ "Cơ sở Hương Quê", AWARD_HEAD_NONE },
	{ "DANH SÁCH SẢN PHẨM CNNT TIÊU BIỂU NĂM 2019", AWARD_HEAD_NONE },
	{ "", AWARD_HEAD_BLANK },
	{ "(*)", AWARD_HEAD_BLANK },
	{ " - ", AWARD_HEAD_BLANK },
};

/* Each heading names its column. */
static void
test_heading(void **state)
{
	struct arena	*a = *state;
	size_t		 i;

	for (i = 0; i < NELEM(headings); i++) {
		if (award_heading(a, headings[i].heading) != headings[i].col)
			fail_msg("“%s”: %d, want %d", headings[i].heading,
			    award_heading(a, headings[i].heading),
			    headings[i].col);
	}
}

/* In a header beside the required columns, each heading takes its place. */
static void
test_header_places(void **state)
{
	static const char *const base[] = {
		"Tên sản phẩm", "Tên cơ sở", "Năm", "Cấp",
	};
	struct arena		*a = *state;
	struct award_header	 h;
	char			*f[5];
	size_t			 i, n, at;
	int			 c, col;

	for (i = 0; i < NELEM(headings); i++) {
		col = headings[i].col;
		for (n = 0; n < NELEM(base); n++)
			f[n] = (char *)base[n];
		at = col >= 0 && col <= AWARD_COL_LEVEL ? (size_t)col : n++;
		f[at] = (char *)headings[i].heading;
		assert_int_equal(award_header_parse(a, f, n, &h), 1);
		if (col == AWARD_HEAD_COMMUNE)
			col = AWARD_COL_DISTRICT;
		for (c = 0; c < AWARD_COL__MAX; c++)
			assert_int_equal(h.col[c], c == col ? (int)at :
			    c <= AWARD_COL_LEVEL ? c : -1);
		assert_int_equal(h.nignored, col == AWARD_HEAD_NONE);
	}
}

/*
 * Headers: the columns left out, and which of them look like a column
 * the header lacks ("heading>column", joined by '|').
 */
static void
test_header_unknown(void **state)
{
	static const struct {
		const char	*fields;
		const char	*ignored;
		const char	*unknown;
	} t[] = {
		{ "Tên sản phẩm|Tên cơ sở|Năm|Cấp|Ghi chú|Số điện thoại",
		    "Ghi chú|Số điện thoại", "" },
		{ "Tên sản phẩm|Tên cơ sở|Năm|Cấp|Huyện cũ (trước 2025)",
		    "Huyện cũ (trước 2025)",
		    "Huyện cũ (trước 2025)>district" },
		{ "Tên sản phẩm|Tên cơ sở|Huyện|Năm|Cấp|Huyện cũ",
		    "Huyện cũ", "" },
		{ "Tên sản phẩm|Tên cơ sở|Năm|Cấp|Đơn vị HC|Địa chỉ liên lạc"
		    " khác|Số hiệu QĐ UBND tỉnh|Ngày QĐ/CN|Nhóm SP chính|MST cũ",
		    "Đơn vị HC|Địa chỉ liên lạc khác|Số hiệu QĐ UBND tỉnh|"
		    "Ngày QĐ/CN|Nhóm SP chính|MST cũ",
		    "Địa chỉ liên lạc khác>address|Số hiệu QĐ UBND tỉnh>"
		    "decision_no|Ngày QĐ/CN>decision_date|Nhóm SP chính>group|"
		    "MST cũ>tax_code" },
		{ "Tên sản phẩm|Tên cơ sở|Năm|Cấp|Năm sinh|Cơ quan quản lý",
		    "Năm sinh|Cơ quan quản lý", "" },
		/* Xã/Phường is the unit column only without a district one. */
		{ "Tên sản phẩm|Tên cơ sở|Xã|Huyện|Năm|Cấp", "Xã", "" },
		{ "Tên sản phẩm|Tên cơ sở|Xã/Phường|Năm|Cấp", "", "" },
		{ "Tên sản phẩm|Tên cơ sở|Xã mới|Năm|Cấp", "Xã mới",
		    "Xã mới>district" },
		{ "STT|Tên sản phẩm|Tên cơ sở|Năm|Năm công nhận|Cấp|",
		    "Năm công nhận", "" },
	};
	struct arena		*a = *state;
	struct award_header	 h;
	char			*f[KC_SPLIT_MAX];
	const char		*got[KC_SPLIT_MAX];
	size_t			 i, j, n;

	for (i = 0; i < NELEM(t); i++) {
		n = kc_split(a, t[i].fields, f);
		assert_int_equal(award_header_parse(a, f, n, &h), 1);
		kc_assert_list(a, h.ignored, h.nignored, t[i].ignored);
		for (j = 0; j < h.nunknown && j < KC_SPLIT_MAX; j++)
			got[j] = arena_printf(a, "%s>%s", h.unknown[j].heading,
			    award_col_name(h.unknown[j].like));
		kc_assert_list(a, got, h.nunknown, t[i].unknown);
	}
}

/* The report's message names the heading and the column it looks like. */
static void
test_unknown_message(void **state)
{
	struct arena		*a = *state;
	struct award_unknown	 u = { "Huyện cũ", AWARD_COL_DISTRICT };
	char			 longh[600];
	const char		*m;

	m = award_unknown_message(a, &u);
	assert_non_null(strstr(m, "“Huyện cũ”"));
	assert_non_null(strstr(m, "cột huyện"));
	assert_non_null(strstr(m, "“Huyện/Thị xã”"));
	/* A long heading is cut at a character boundary. */
	memset(longh, 0, sizeof(longh));
	while (strlen(longh) + 3 < sizeof(longh) - 1)
		strcat(longh, "ệ");
	u.heading = longh;
	m = award_unknown_message(a, &u);
	assert_true(strlen(m) < 400);
	assert_non_null(strstr(m, "ệ…”"));
}

KC_TEST_MAIN(test_heading, test_header_places, test_header_unknown,
    test_unknown_message)
