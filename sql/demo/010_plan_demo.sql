-- Sample money for the dashboard (issue 6), loaded by `nginx/stack.sh demo`
-- at every `make run`: allocations, disbursements and settlements of the
-- 2020 and 2021 plans, and the facilities they paid. The plans, their
-- content areas and activities are made before this file, through
-- cgi/lib/plan.c, by `kc-admin plan-load sql/demo/2020.plan.json
-- sql/demo/2021.plan.json` (issue 18); the lines here find their activity
-- by its natural key (year, title). EVERY row here is sample = 1 and is
-- shown as "Dữ liệu mẫu": the published 2020 plan gives only the total and
-- the four content areas, not how the money was split or spent.
-- Idempotent: fixed ids of the lines and natural keys, ON DUPLICATE KEY
-- UPDATE (no change), so a second load changes nothing. (Still SQL: the
-- money lines go through the console's code in a later round.)

-- Facilities (ident 'name:<folded name>|<unit code>', as cgi/lib builds it).
INSERT INTO facility (ident, name, name_fold, kind, address, unit_id, sample)
SELECT f.ident, f.name, f.fold, f.kind, f.address, u.id, 1
FROM (
	SELECT 'name:co so san xuat keo cu do huong thao|436' AS ident, 'Cơ sở sản xuất kẹo cu đơ Hương Thảo' AS name, 'co so san xuat keo cu do huong thao' AS fold, 'household' AS kind, 'Phường Bắc Hà, Thành phố Hà Tĩnh' AS address, '436' AS code
	UNION ALL SELECT 'name:hop tac xa may tre dan thach dong|445', 'Hợp tác xã mây tre đan Thạch Đồng', 'hop tac xa may tre dan thach dong', 'cooperative', 'Huyện Thạch Hà', '445'
	UNION ALL SELECT 'name:co so nuoc mam hoa ngan|442', 'Cơ sở nước mắm Hoa Ngân', 'co so nuoc mam hoa ngan', 'household', 'Huyện Nghi Xuân', '442'
	UNION ALL SELECT 'name:co so che bien che huong son xanh|439', 'Cơ sở chế biến chè Hương Sơn Xanh', 'co so che bien che huong son xanh', 'household', 'Huyện Hương Sơn', '439'
	UNION ALL SELECT 'name:hop tac xa moc my nghe thai yen|440', 'Hợp tác xã mộc mỹ nghệ Thái Yên', 'hop tac xa moc my nghe thai yen', 'cooperative', 'Huyện Đức Thọ', '440'
	UNION ALL SELECT 'name:co so banh da vung can loc|443', 'Cơ sở bánh đa vừng Can Lộc', 'co so banh da vung can loc', 'household', 'Huyện Can Lộc', '443'
	UNION ALL SELECT 'name:co so cam say vu quang|441', 'Cơ sở cam sấy Vũ Quang', 'co so cam say vu quang', 'household', 'Huyện Vũ Quang', '441'
	UNION ALL SELECT 'name:hop tac xa ren trung luong|437', 'Hợp tác xã rèn Trung Lương', 'hop tac xa ren trung luong', 'cooperative', 'Thị xã Hồng Lĩnh', '437'
	UNION ALL SELECT 'name:co so dau lac cam xuyen|446', 'Cơ sở dầu lạc Cẩm Xuyên', 'co so dau lac cam xuyen', 'household', 'Huyện Cẩm Xuyên', '446'
	UNION ALL SELECT 'name:cong ty tnhh che bien hai san ky ninh|449', 'Công ty TNHH chế biến hải sản Kỳ Ninh', 'cong ty tnhh che bien hai san ky ninh', 'enterprise', 'Thị xã Kỳ Anh', '449'
) f JOIN admin_unit u ON u.code = f.code AND u.level = 'district'
ON DUPLICATE KEY UPDATE facility.id = facility.id;

-- The sample activities (kc-admin plan-load) by the keys the lines below
-- use: k (the ids they had when this file inserted them), year, title.
CREATE TEMPORARY TABLE demo_act (k INT PRIMARY KEY, id BIGINT NOT NULL)
SELECT m.k, a.id FROM (
	SELECT 0 AS k, 0 AS y, '' AS t UNION ALL SELECT * FROM (VALUES
	(9001, 2020, 'Tập huấn xây dựng thương hiệu, nhãn hiệu sản phẩm công nghiệp nông thôn'),
	(9002, 2020, 'Phổ biến chính sách mới về phát triển công nghiệp'),
	(9003, 2020, 'Tham gia bình chọn sản phẩm CNNT tiêu biểu cấp khu vực phía Bắc'),
	(9004, 2020, 'Hỗ trợ cơ sở CNNT tham gia hội chợ, triển lãm'),
	(9005, 2020, 'Hỗ trợ đăng ký nhãn hiệu'),
	(9006, 2020, 'Hỗ trợ thiết kế, in nhãn mác sản phẩm đạt giải CNNT tiêu biểu năm 2018, 2019'),
	(9007, 2020, 'Mô hình trình diễn kỹ thuật, ứng dụng máy móc thiết bị tiên tiến vào sản xuất'),
	(9008, 2020, 'Hội thảo chuyên đề, hội nghị tổng kết'),
	(9009, 2020, 'Xây dựng kế hoạch khuyến công giai đoạn 2021–2025'),
	(9010, 2020, 'Quản lý, kiểm tra, giám sát chương trình khuyến công'),
	(9101, 2021, 'Tập huấn khởi sự doanh nghiệp CN-TTCN'),
	(9102, 2021, 'Hỗ trợ cơ sở CNNT tham gia hội chợ, triển lãm'),
	(9103, 2021, 'Hỗ trợ đăng ký nhãn hiệu'),
	(9104, 2021, 'Mô hình trình diễn kỹ thuật'),
	(9105, 2021, 'Hội nghị tổng kết, kiểm tra giám sát')) v
) m JOIN activity a ON a.year = m.y AND a.title = m.t AND a.sample = 1;

-- Allocations: each activity's planned money, given at the start of the year.
INSERT INTO allocation (id, activity_id, amount_vnd, allocated_on, note, sample)
SELECT m.k, a.id, a.planned_vnd, CONCAT(a.year, '-02-20'), 'Dữ liệu mẫu', 1
FROM demo_act m JOIN activity a ON a.id = m.id
ON DUPLICATE KEY UPDATE allocation.id = allocation.id;

-- Disbursements. unit: the district-level unit of the facility (2020, 2021).
-- A line of a sample activity no longer found (renamed by staff) is left out.
INSERT INTO disbursement (id, activity_id, amount_vnd, paid_on, voucher_no, facility_id, beneficiary, unit_id, sample)
SELECT d.id, m.id, d.amount, d.paid_on, d.voucher,
    (SELECT id FROM facility WHERE ident = d.fac), d.benef,
    (SELECT id FROM admin_unit WHERE code = d.unit AND level = 'district'), 1
FROM (
	SELECT 90001 AS id, 9001 AS act, 90000000 AS amount, '2020-06-15' AS paid_on, 'MAU-2020-001' AS voucher, NULL AS fac, 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Tĩnh' AS benef, NULL AS unit
	UNION ALL SELECT 90002, 9001, 85000000, '2020-09-10', 'MAU-2020-002', NULL, 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Tĩnh', NULL
	UNION ALL SELECT 90003, 9002, 68000000, '2020-07-20', 'MAU-2020-003', NULL, 'Sở Công Thương Hà Tĩnh', NULL
	UNION ALL SELECT 90004, 9003, 45000000, '2020-08-05', 'MAU-2020-004', NULL, 'Sở Công Thương Hà Tĩnh', NULL
	UNION ALL SELECT 90005, 9003, 40000000, '2020-10-12', 'MAU-2020-005', NULL, 'Sở Công Thương Hà Tĩnh', NULL
	UNION ALL SELECT 90006, 9004, 25000000, '2020-05-20', 'MAU-2020-006', 'name:co so san xuat keo cu do huong thao|436', NULL, '436'
	UNION ALL SELECT 90007, 9004, 25000000, '2020-05-20', 'MAU-2020-007', 'name:co so nuoc mam hoa ngan|442', NULL, '442'
	UNION ALL SELECT 90008, 9004, 30000000, '2020-09-25', 'MAU-2020-008', 'name:co so che bien che huong son xanh|439', NULL, '439'
	UNION ALL SELECT 90009, 9004, 20000000, '2020-09-25', 'MAU-2020-009', 'name:co so banh da vung can loc|443', NULL, '443'
	UNION ALL SELECT 90010, 9004, 20000000, '2020-11-16', 'MAU-2020-010', 'name:co so dau lac cam xuyen|446', NULL, '446'
	UNION ALL SELECT 90011, 9004, 20000000, '2020-11-16', 'MAU-2020-011', 'name:cong ty tnhh che bien hai san ky ninh|449', NULL, '449'
	UNION ALL SELECT 90012, 9005, 20000000, '2020-06-30', 'MAU-2020-012', 'name:hop tac xa may tre dan thach dong|445', NULL, '445'
	UNION ALL SELECT 90013, 9005, 20000000, '2020-07-15', 'MAU-2020-013', 'name:hop tac xa moc my nghe thai yen|440', NULL, '440'
	UNION ALL SELECT 90014, 9005, 20000000, '2020-08-20', 'MAU-2020-014', 'name:co so cam say vu quang|441', NULL, '441'
	UNION ALL SELECT 90015, 9005, 20000000, '2020-10-01', 'MAU-2020-015', 'name:hop tac xa ren trung luong|437', NULL, '437'
	UNION ALL SELECT 90016, 9006, 15000000, '2020-10-20', 'MAU-2020-016', 'name:co so san xuat keo cu do huong thao|436', NULL, '436'
	UNION ALL SELECT 90017, 9006, 15000000, '2020-10-20', 'MAU-2020-017', 'name:co so nuoc mam hoa ngan|442', NULL, '442'
	UNION ALL SELECT 90018, 9006, 15000000, '2020-11-05', 'MAU-2020-018', 'name:co so banh da vung can loc|443', NULL, '443'
	UNION ALL SELECT 90019, 9006, 15000000, '2020-11-05', 'MAU-2020-019', 'name:co so cam say vu quang|441', NULL, '441'
	UNION ALL SELECT 90020, 9006, 15000000, '2020-12-01', 'MAU-2020-020', 'name:co so dau lac cam xuyen|446', NULL, '446'
	UNION ALL SELECT 90021, 9007, 250000000, '2020-09-30', 'MAU-2020-021', 'name:hop tac xa moc my nghe thai yen|440', NULL, '440'
	UNION ALL SELECT 90022, 9007, 240000000, '2020-11-20', 'MAU-2020-022', 'name:hop tac xa may tre dan thach dong|445', NULL, '445'
	UNION ALL SELECT 90023, 9007, 230000000, '2020-12-15', 'MAU-2020-023', 'name:co so che bien che huong son xanh|439', NULL, '439'
	UNION ALL SELECT 90024, 9008, 55000000, '2020-12-10', 'MAU-2020-024', NULL, 'Sở Công Thương Hà Tĩnh', NULL
	UNION ALL SELECT 90025, 9009, 60000000, '2020-11-30', 'MAU-2020-025', NULL, 'Sở Công Thương Hà Tĩnh', NULL
	UNION ALL SELECT 90026, 9010, 30000000, '2020-04-10', 'MAU-2020-026', NULL, 'Sở Công Thương Hà Tĩnh', NULL
	UNION ALL SELECT 90027, 9010, 35000000, '2020-12-20', 'MAU-2020-027', NULL, 'Sở Công Thương Hà Tĩnh', NULL
	UNION ALL SELECT 91001, 9101, 150000000, '2021-05-12', 'MAU-2021-001', NULL, 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Tĩnh', NULL
	UNION ALL SELECT 91002, 9102, 30000000, '2021-04-22', 'MAU-2021-002', 'name:co so san xuat keo cu do huong thao|436', NULL, '436'
	UNION ALL SELECT 91003, 9102, 30000000, '2021-04-22', 'MAU-2021-003', 'name:cong ty tnhh che bien hai san ky ninh|449', NULL, '449'
	UNION ALL SELECT 91004, 9102, 25000000, '2021-08-18', 'MAU-2021-004', 'name:hop tac xa ren trung luong|437', NULL, '437'
	UNION ALL SELECT 91005, 9104, 300000000, '2021-10-05', 'MAU-2021-005', 'name:co so nuoc mam hoa ngan|442', NULL, '442'
	UNION ALL SELECT 91006, 9105, 80000000, '2021-12-15', 'MAU-2021-006', NULL, 'Sở Công Thương Hà Tĩnh', NULL
) d JOIN demo_act m ON m.k = d.act
ON DUPLICATE KEY UPDATE disbursement.id = disbursement.id;

-- Settlement of the finished activities.
INSERT INTO settlement (id, activity_id, amount_vnd, settled_on, note, sample)
SELECT s.id, m.id, s.amount, s.day, 'Dữ liệu mẫu', 1
FROM (
	SELECT 9001 AS id, 175000000 AS amount, '2020-12-31' AS day
	UNION ALL SELECT 9002, 68000000, '2020-12-31'
	UNION ALL SELECT 9007, 720000000, '2020-12-31'
	UNION ALL SELECT 9009, 60000000, '2020-12-31'
	UNION ALL SELECT 9101, 150000000, '2021-12-31'
) s JOIN demo_act m ON m.k = s.id
ON DUPLICATE KEY UPDATE settlement.id = settlement.id;

DROP TEMPORARY TABLE demo_act;
