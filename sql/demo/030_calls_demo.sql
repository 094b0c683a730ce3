-- Sample calls for support (issue 4), so that the application form can be
-- tried at once. Idempotent: a call is added only if no sample call has
-- its title. Every row is marked sample = 1. Times are UTC; a call's year
-- is Vietnam's (UTC+7).
--   * a trade fair call, open from 30 days ago for ten years (stays open);
--   * a label printing call, open, closing in 60 days (re-opened when the
--     demo is loaded again after it closed);
--   * a brand registration call that has closed;
--   * a demonstration model call that opens next month.
INSERT INTO support_call (year, kind, title, description, opens_at, closes_at,
    capacity, max_support_vnd, sample)
SELECT YEAR(c.year_at + INTERVAL 7 HOUR), c.kind, c.title, c.description,
    c.opens_at, c.closes_at, c.capacity, c.max_support_vnd, 1
FROM (
	SELECT UTC_TIMESTAMP() AS year_at, 'trade_fair' AS kind,
	    '[Mẫu] Hỗ trợ tham gia Hội chợ hàng công nghiệp nông thôn tiêu biểu khu vực phía Bắc' AS title,
	    'Dữ liệu mẫu. Hỗ trợ chi phí thuê gian hàng, vận chuyển sản phẩm trưng bày cho cơ sở công nghiệp nông thôn tham gia hội chợ.' AS description,
	    UTC_TIMESTAMP() - INTERVAL 30 DAY AS opens_at,
	    UTC_TIMESTAMP() + INTERVAL 10 YEAR AS closes_at,
	    20 AS capacity, 15000000 AS max_support_vnd
	UNION ALL SELECT UTC_TIMESTAMP(), 'label_printing',
	    '[Mẫu] Hỗ trợ thiết kế, in ấn nhãn mác bao bì sản phẩm',
	    'Dữ liệu mẫu. Hỗ trợ tối đa 50% chi phí thiết kế và in nhãn, bao bì cho sản phẩm của cơ sở.',
	    UTC_TIMESTAMP() - INTERVAL 7 DAY, UTC_TIMESTAMP() + INTERVAL 60 DAY,
	    NULL, 10000000
	UNION ALL SELECT UTC_TIMESTAMP(), 'brand_registration',
	    '[Mẫu] Hỗ trợ đăng ký nhãn hiệu, xây dựng thương hiệu (đã kết thúc)',
	    'Dữ liệu mẫu. Đợt hỗ trợ đã hết hạn nhận hồ sơ.',
	    UTC_TIMESTAMP() - INTERVAL 120 DAY, UTC_TIMESTAMP() - INTERVAL 30 DAY,
	    10, 20000000
	UNION ALL SELECT UTC_TIMESTAMP() + INTERVAL 30 DAY, 'demo_model',
	    '[Mẫu] Hỗ trợ xây dựng mô hình trình diễn kỹ thuật (sắp mở)',
	    'Dữ liệu mẫu. Hỗ trợ xây dựng mô hình trình diễn kỹ thuật để phổ biến công nghệ mới.',
	    UTC_TIMESTAMP() + INTERVAL 30 DAY, UTC_TIMESTAMP() + INTERVAL 120 DAY,
	    3, 300000000
) c
WHERE NOT EXISTS (SELECT 1 FROM support_call s WHERE s.sample = 1
    AND s.title = c.title);

-- The label printing call re-opened when the demo is loaded again after
-- it closed.
UPDATE support_call SET closes_at = UTC_TIMESTAMP() + INTERVAL 60 DAY
WHERE sample = 1 AND title = '[Mẫu] Hỗ trợ thiết kế, in ấn nhãn mác bao bì sản phẩm'
    AND closes_at < UTC_TIMESTAMP();
