-- Applications by year and status, kept for the dashboard (issue 6,
-- speed). kc-dashboard read them with the year's version on every request
-- by joining support_call and application (one index dive per call); it
-- now reads one short primary-key range of this table instead.
--
-- Triggers keep it in the same transaction as each change to application
-- or to a call's year, whoever makes it. The counts of a year are spread
-- over 16 rows (shard = application id mod 16), summed on reading:
-- applications to different calls do not wait for each other on one hot
-- row until their commit (migration 031 removed the last one). A shard's
-- count may go below zero when an application leaves it for another
-- status; only the sum per year means something.
CREATE TABLE application_count (
	year		SMALLINT NOT NULL,
	shard		TINYINT UNSIGNED NOT NULL,
	submitted	INT NOT NULL DEFAULT 0,
	under_review	INT NOT NULL DEFAULT 0,
	approved	INT NOT NULL DEFAULT 0,
	rejected	INT NOT NULL DEFAULT 0,
	withdrawn	INT NOT NULL DEFAULT 0,
	PRIMARY KEY (year, shard)
) ENGINE=InnoDB;

INSERT INTO application_count (year, shard, submitted, under_review,
    approved, rejected, withdrawn)
	SELECT c.year, a.id % 16, SUM(a.status = 'submitted'),
	    SUM(a.status = 'under_review'), SUM(a.status = 'approved'),
	    SUM(a.status = 'rejected'), SUM(a.status = 'withdrawn')
	FROM application a JOIN support_call c ON c.id = a.call_id
	GROUP BY c.year, a.id % 16;

DELIMITER //

-- Add d (1 or -1) to the count of status st in the year of call cid.
CREATE PROCEDURE application_count_add(cid INT, aid BIGINT,
    st VARCHAR(20), d INT)
BEGIN
	DECLARE y SMALLINT;
	SELECT year INTO y FROM support_call WHERE id = cid;
	INSERT INTO application_count (year, shard, submitted, under_review,
	    approved, rejected, withdrawn)
	VALUES (y, aid % 16, d * (st = 'submitted'), d * (st = 'under_review'),
	    d * (st = 'approved'), d * (st = 'rejected'),
	    d * (st = 'withdrawn'))
	ON DUPLICATE KEY UPDATE submitted = submitted + VALUES(submitted),
	    under_review = under_review + VALUES(under_review),
	    approved = approved + VALUES(approved),
	    rejected = rejected + VALUES(rejected),
	    withdrawn = withdrawn + VALUES(withdrawn);
END//

-- Move the applications of call cid from year y0 to year y1.
CREATE PROCEDURE application_count_move(cid INT, y0 SMALLINT, y1 SMALLINT)
BEGIN
	INSERT INTO application_count (year, shard, submitted, under_review,
	    approved, rejected, withdrawn)
	SELECT y.year, a.id % 16, y.d * SUM(a.status = 'submitted'),
	    y.d * SUM(a.status = 'under_review'),
	    y.d * SUM(a.status = 'approved'),
	    y.d * SUM(a.status = 'rejected'),
	    y.d * SUM(a.status = 'withdrawn')
	FROM application a
	JOIN (SELECT y0 AS year, -1 AS d UNION ALL SELECT y1, 1) y
	WHERE a.call_id = cid
	GROUP BY y.year, y.d, a.id % 16
	ON DUPLICATE KEY UPDATE submitted = submitted + VALUES(submitted),
	    under_review = under_review + VALUES(under_review),
	    approved = approved + VALUES(approved),
	    rejected = rejected + VALUES(rejected),
	    withdrawn = withdrawn + VALUES(withdrawn);
END//

CREATE TRIGGER application_count_ai AFTER INSERT ON application FOR EACH ROW
	CALL application_count_add(NEW.call_id, NEW.id, NEW.status, 1)//
CREATE TRIGGER application_count_au AFTER UPDATE ON application FOR EACH ROW
BEGIN
	IF NEW.status <> OLD.status OR NEW.call_id <> OLD.call_id
	    OR NEW.id <> OLD.id THEN
		CALL application_count_add(OLD.call_id, OLD.id, OLD.status, -1);
		CALL application_count_add(NEW.call_id, NEW.id, NEW.status, 1);
	END IF;
END//
CREATE TRIGGER application_count_ad AFTER DELETE ON application FOR EACH ROW
	CALL application_count_add(OLD.call_id, OLD.id, OLD.status, -1)//

CREATE TRIGGER support_call_count_au AFTER UPDATE ON support_call
FOR EACH ROW
BEGIN
	IF NEW.year <> OLD.year THEN
		CALL application_count_move(NEW.id, OLD.year, NEW.year);
	END IF;
END//

DELIMITER ;
