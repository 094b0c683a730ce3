-- The review steps of an application (issue 19, points 1 and 2).
--
-- A new status, needs_info: the reviewer asked for more information and
-- waits for the applicant's answer. The order of the ENUMs is values.h's
-- (APP_STATUSES): submitted, under_review, needs_info, approved, rejected,
-- withdrawn.
ALTER TABLE application
	MODIFY status ENUM('submitted','under_review','needs_info','approved',
	    'rejected','withdrawn') NOT NULL DEFAULT 'submitted';

-- Every step is a row of application_event: its action (NULL for the
-- rows written before this migration and for the first, 'submitted'),
-- the new status, the reason, message or answer (up to 2 000
-- characters), the amount of an approval, and who: a staff user (actor),
-- or the applicant holding the status token (actor NULL).
ALTER TABLE application_event
	MODIFY status ENUM('submitted','under_review','needs_info','approved',
	    'rejected','withdrawn') NOT NULL,
	MODIFY reason VARCHAR(2000) NULL,
	ADD COLUMN action VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin
	    NULL AFTER status;

-- One ACTIVE application per facility and call (point 2): a rejected or
-- withdrawn one no longer blocks a new application. live is 1 while the
-- application takes a place (every status but rejected and withdrawn:
-- as the calls' capacity counts them) and NULL after; a UNIQUE key allows
-- any number of NULLs, so the rule holds under concurrency in the index
-- itself, whoever writes the row.
ALTER TABLE application
	ADD COLUMN live TINYINT AS (IF(status IN ('rejected', 'withdrawn'),
	    NULL, 1)) STORED,
	ADD UNIQUE KEY uq_application_live (call_id, facility_id, live),
	DROP KEY uq_application_call_facility,
	ADD KEY ix_application_call_facility (call_id, facility_id);

-- The attachments of the applicant's answers: PDF, JPEG or PNG (by their
-- content), at most 5 MB each, at most three per answer. The file itself
-- is $KC_VAR/files/<sha256> (cgi/lib/files.c), outside the web root; name
-- is the name the applicant's computer gave it, shown and offered as the
-- download's name, never used as a path.
CREATE TABLE application_file (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	application_id	BIGINT NOT NULL,
	event_id	BIGINT NOT NULL,
	name		VARCHAR(255) NOT NULL,
	ctype		ENUM('application/pdf','image/jpeg','image/png') NOT NULL,
	size		INT NOT NULL,
	sha256		CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	created_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY ix_file_application (application_id, id),
	CONSTRAINT ck_file_size CHECK (size > 0 AND size <= 5242880),
	CONSTRAINT fk_file_application FOREIGN KEY (application_id)
	    REFERENCES application (id),
	CONSTRAINT fk_file_event FOREIGN KEY (event_id)
	    REFERENCES application_event (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- The kept counts by year and status (032) count needs_info too.
ALTER TABLE application_count
	ADD COLUMN needs_info INT NOT NULL DEFAULT 0 AFTER under_review;

DROP PROCEDURE application_count_add;
DROP PROCEDURE application_count_move;

DELIMITER //

-- Add d (1 or -1) to the count of status st in the year of call cid.
CREATE PROCEDURE application_count_add(cid INT, aid BIGINT,
    st VARCHAR(20), d INT)
BEGIN
	DECLARE y SMALLINT;
	SELECT year INTO y FROM support_call WHERE id = cid;
	INSERT INTO application_count (year, shard, submitted, under_review,
	    needs_info, approved, rejected, withdrawn)
	VALUES (y, aid % 16, d * (st = 'submitted'), d * (st = 'under_review'),
	    d * (st = 'needs_info'), d * (st = 'approved'),
	    d * (st = 'rejected'), d * (st = 'withdrawn'))
	ON DUPLICATE KEY UPDATE submitted = submitted + VALUES(submitted),
	    under_review = under_review + VALUES(under_review),
	    needs_info = needs_info + VALUES(needs_info),
	    approved = approved + VALUES(approved),
	    rejected = rejected + VALUES(rejected),
	    withdrawn = withdrawn + VALUES(withdrawn);
END//

-- Move the applications of call cid from year y0 to year y1.
CREATE PROCEDURE application_count_move(cid INT, y0 SMALLINT, y1 SMALLINT)
BEGIN
	INSERT INTO application_count (year, shard, submitted, under_review,
	    needs_info, approved, rejected, withdrawn)
	SELECT y.year, a.id % 16, y.d * SUM(a.status = 'submitted'),
	    y.d * SUM(a.status = 'under_review'),
	    y.d * SUM(a.status = 'needs_info'),
	    y.d * SUM(a.status = 'approved'),
	    y.d * SUM(a.status = 'rejected'),
	    y.d * SUM(a.status = 'withdrawn')
	FROM application a
	JOIN (SELECT y0 AS year, -1 AS d UNION ALL SELECT y1, 1) y
	WHERE a.call_id = cid
	GROUP BY y.year, y.d, a.id % 16
	ON DUPLICATE KEY UPDATE submitted = submitted + VALUES(submitted),
	    under_review = under_review + VALUES(under_review),
	    needs_info = needs_info + VALUES(needs_info),
	    approved = approved + VALUES(approved),
	    rejected = rejected + VALUES(rejected),
	    withdrawn = withdrawn + VALUES(withdrawn);
END//

DELIMITER ;
