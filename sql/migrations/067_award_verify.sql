-- Award verification (issue 21, point 2): every award has a short code
-- that a buyer types or scans (/xac-minh/{code}), and an award that staff
-- removed keeps its code here, answered as revoked with the date and the
-- reason, so a label printed before still says the truth.
--
-- The code: 8 characters of Crockford's base32 (0-9 A-Z without I L O U),
-- 40 random bits from RANDOM_BYTES() (the server's TLS library's CSPRNG),
-- unique among live and revoked awards. It is given in the database, by a
-- BEFORE INSERT trigger, so every writer (the importer's multi-row inserts,
-- a merge's undo, hand-written SQL) gets one without knowing about it; the
-- awards already there get theirs below. An award put back with its id
-- (undo of a merge) takes its old code back and stops being revoked.
ALTER TABLE award ADD COLUMN verify_code CHAR(8) CHARACTER SET ascii
	COLLATE ascii_bin NULL AFTER import_id,
	ADD UNIQUE KEY uq_award_verify (verify_code);

CREATE TABLE award_revoked (
	code		CHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
			    PRIMARY KEY,
	award_id	BIGINT NOT NULL,
	product_id	BIGINT NULL,
	product_name	VARCHAR(255) NULL,
	facility_id	BIGINT NULL,
	facility_name	VARCHAR(255) NULL,
	year		SMALLINT NOT NULL,
	level		ENUM('commune','district','province','region','national')
			    NOT NULL,
	decision_no	VARCHAR(60) NULL,
	decision_date	DATE NULL,
	merge_id	BIGINT NULL,	-- the product merge that removed it
	kept_id		BIGINT NULL,	-- the product kept by that merge
	reason		VARCHAR(300) NOT NULL,
	revoked_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY ix_award_revoked_award (award_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

DELIMITER //

CREATE FUNCTION award_code_new() RETURNS CHAR(8) CHARACTER SET ascii
    NOT DETERMINISTIC READS SQL DATA
BEGIN
	DECLARE n BIGINT UNSIGNED;
	DECLARE c VARCHAR(8) CHARACTER SET ascii;
	DECLARE i INT;
	LOOP
		SET n = CONV(HEX(RANDOM_BYTES(5)), 16, 10);
		SET c = '';
		SET i = 0;
		WHILE i < 8 DO
			SET c = CONCAT(c, SUBSTRING(
			    '0123456789ABCDEFGHJKMNPQRSTVWXYZ',
			    ((n >> (35 - 5 * i)) & 31) + 1, 1));
			SET i = i + 1;
		END WHILE;
		IF NOT EXISTS (SELECT 1 FROM award WHERE verify_code = c) AND
		    NOT EXISTS (SELECT 1 FROM award_revoked WHERE code = c) THEN
			RETURN c;
		END IF;
	END LOOP;
END//

CREATE TRIGGER award_verify_bi BEFORE INSERT ON award FOR EACH ROW
BEGIN
	IF NEW.verify_code IS NULL AND NEW.id IS NOT NULL AND NEW.id > 0 THEN
		SET NEW.verify_code = (SELECT code FROM award_revoked
		    WHERE award_id = NEW.id ORDER BY revoked_at DESC LIMIT 1);
	END IF;
	IF NEW.verify_code IS NULL THEN
		SET NEW.verify_code = award_code_new();
	END IF;
END//

CREATE TRIGGER award_verify_ai AFTER INSERT ON award FOR EACH ROW
	DELETE FROM award_revoked WHERE code = NEW.verify_code//

-- Removed: by a merge of its product (curate.c records the award in
-- product_merge_row before deleting it), or by staff otherwise (an import
-- run undone, a hand edit).
CREATE TRIGGER award_verify_ad AFTER DELETE ON award FOR EACH ROW
BEGIN
	DECLARE mid, kid BIGINT DEFAULT NULL;
	DECLARE kname VARCHAR(255) DEFAULT NULL;
	IF OLD.verify_code IS NOT NULL THEN
		SELECT m.id, m.kept_id, k.name INTO mid, kid, kname
		    FROM product_merge_row r
		    JOIN product_merge m ON m.id = r.merge_id
		    LEFT JOIN product k ON k.id = m.kept_id
		    WHERE r.tbl = 'award_removed' AND r.row_id = OLD.id
		    AND m.undone_at IS NULL ORDER BY m.id DESC LIMIT 1;
		REPLACE INTO award_revoked (code, award_id, product_id,
		    product_name, facility_id, facility_name, year, level,
		    decision_no, decision_date, merge_id, kept_id, reason)
		SELECT OLD.verify_code, OLD.id, OLD.product_id, p.name,
		    p.facility_id, f.name, OLD.year, OLD.level, OLD.decision_no,
		    OLD.decision_date, mid, kid, IF(mid IS NULL,
		    'Cán bộ đã xóa danh hiệu này khỏi danh sách sản phẩm được công nhận.',
		    CONCAT('Sản phẩm đã được gộp vào «', COALESCE(kname, ''),
		    '», sản phẩm đã có danh hiệu cùng năm và cùng cấp.'))
		FROM (SELECT 1) x LEFT JOIN product p ON p.id = OLD.product_id
		LEFT JOIN facility f ON f.id = p.facility_id;
	END IF;
END//

DELIMITER ;

UPDATE award SET verify_code = award_code_new() WHERE verify_code IS NULL;
