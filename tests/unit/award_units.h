/*
 * The Hà Tĩnh administrative units the award tests match names against
 * (from /work/shared/data/admin-units-ha-tinh.csv: the districts before
 * 2025-07-01 and a few of the wards and communes after), shared by
 * tests/unit/test_award.c and the fuzz target tests/fuzz/fuzz_import.c.
 */
#ifndef AWARD_UNITS_H
#define AWARD_UNITS_H

#include "award.h"

static const struct award_unit ha_tinh_units[] = {
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
#define HA_TINH_NUNITS	(sizeof(ha_tinh_units) / sizeof(ha_tinh_units[0]))

#endif
