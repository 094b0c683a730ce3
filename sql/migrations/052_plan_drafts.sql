-- Plans drafted, published and amended (issue 18). A plan starts as a
-- draft (only staff see it; the public side hides drafts from the next
-- round on); publishing checks that its content areas add up to the total
-- and that each area's activities fit the area's amount (cgi/lib/plan.c).
-- A published plan's figures change only through an amendment
-- (plan_amendment: the decision, what changed before/after as JSON, who).
--
-- Plans existing before this migration were published: they stay so.
-- The 2020 plan is no longer inserted by migration 010 (fresh installs);
-- an existing install keeps its rows, which this migration leaves as they
-- are (published; their content areas get no planned amount: NULL, shown
-- as "chưa chia"). `make run` creates the sample plans with
-- `kc-admin plan-load` (sql/demo/*.plan.json).

ALTER TABLE plan
	ADD COLUMN status ENUM('draft','published') NOT NULL DEFAULT 'draft'
	    AFTER sample,
	ADD COLUMN notes TEXT NULL AFTER source,
	ADD COLUMN published_at TIMESTAMP NULL AFTER status,
	-- The approving decision as a PDF (stored under var/, outside the web
	-- root; filled by the upload of a later round).
	ADD COLUMN doc_sha256 CHAR(64) CHARACTER SET ascii NULL,
	ADD COLUMN doc_name VARCHAR(255) NULL,
	ADD COLUMN doc_size INT UNSIGNED NULL,
	ADD COLUMN doc_uploaded_at TIMESTAMP NULL,
	ADD KEY ix_plan_status (status, year);
UPDATE plan SET status = 'published', published_at = created_at;

-- Content-area codes as the decision writes them ("1", "2a", "II"): the
-- CHECK of 010 goes, the column widens here and in activity, which refers
-- to it (MariaDB refuses to change a column of a foreign key, even with
-- FOREIGN_KEY_CHECKS = 0: fk_activity_content goes while both change).
ALTER TABLE activity DROP FOREIGN KEY fk_activity_content;
ALTER TABLE plan_content
	DROP CONSTRAINT ck_plan_content_code,
	MODIFY code VARCHAR(10) NOT NULL,
	ADD COLUMN planned_vnd BIGINT NULL AFTER description,
	ADD COLUMN sort_order INT NOT NULL DEFAULT 0 AFTER planned_vnd,
	ADD CONSTRAINT ck_plan_content_code CHECK (code REGEXP '^[0-9A-Za-z][0-9A-Za-z.-]{0,9}$'),
	ADD CONSTRAINT ck_plan_content_planned CHECK (planned_vnd IS NULL OR planned_vnd >= 0);
ALTER TABLE activity
	MODIFY content_code VARCHAR(10) NOT NULL,
	ADD COLUMN description TEXT NULL AFTER target,
	ADD COLUMN quantity INT UNSIGNED NULL AFTER description,
	ADD COLUMN unit_measure VARCHAR(40) NULL AFTER quantity,
	ADD COLUMN beneficiaries INT UNSIGNED NULL AFTER unit_measure,
	ADD COLUMN period_from DATE NULL AFTER beneficiaries,
	ADD COLUMN period_to DATE NULL AFTER period_from,
	ADD CONSTRAINT ck_activity_period CHECK (period_from IS NULL
	    OR period_to IS NULL OR period_from <= period_to),
	ADD CONSTRAINT fk_activity_content FOREIGN KEY (year, content_code)
	    REFERENCES plan_content (year, code);
UPDATE plan_content SET sort_order = CAST(code AS UNSIGNED);

-- An amendment of a published plan: its decision, why, and the figures
-- it changed ({"total_vnd": [before, after], "contents": {"2": [before,
-- after], ...}} written by plan.c), who made it and when.
CREATE TABLE plan_amendment (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	year		SMALLINT NOT NULL,
	decision_no	VARCHAR(60) NOT NULL,
	decision_date	DATE NOT NULL,
	reason		TEXT NOT NULL,
	changes		LONGTEXT NOT NULL,
	user_id		BIGINT NULL,
	username	VARCHAR(80) NOT NULL,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY ix_plan_amendment_year (year, decision_date),
	CONSTRAINT ck_plan_amendment_changes CHECK (JSON_VALID(changes)),
	CONSTRAINT fk_plan_amendment_plan FOREIGN KEY (year) REFERENCES plan (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Migration 011's procedures held a content code in VARCHAR(2): again
-- with the wider code. Their bodies are otherwise unchanged.
DROP PROCEDURE dash_money;
DROP PROCEDURE dash_rebuild;

DELIMITER //

CREATE PROCEDURE dash_money(act BIGINT, da BIGINT, dd BIGINT, ds BIGINT,
    at TIMESTAMP)
BEGIN
	DECLARE y SMALLINT;
	DECLARE c VARCHAR(10);
	DECLARE u VARCHAR(255);

	SELECT year, content_code, unit_name INTO y, c, u FROM activity
	    WHERE id = act LOCK IN SHARE MODE;
	INSERT INTO activity_money (activity_id, allocated_vnd, disbursed_vnd,
	    settled_vnd) VALUES (act, da, dd, ds)
	ON DUPLICATE KEY UPDATE allocated_vnd = allocated_vnd + da,
	    disbursed_vnd = disbursed_vnd + dd, settled_vnd = settled_vnd + ds;
	CALL dash_group_add(y, 'c', c, 0, 0, da, dd, ds);
	CALL dash_group_add(y, 'u', u, 0, 0, da, dd, ds);
	CALL dash_year_add(y, 0, da, dd, ds, 0, at);
END//

CREATE PROCEDURE dash_rebuild(y SMALLINT)
BEGIN
	DECLARE done INT DEFAULT 0;
	DECLARE xid, xact, xfac BIGINT;
	DECLARE xamt BIGINT;
	DECLARE xday DATE;
	DECLARE xunit INT;
	DECLARE xsample INT;
	DECLARE xcode VARCHAR(10);
	DECLARE xname VARCHAR(255);
	DECLARE xat TIMESTAMP;
	DECLARE acts CURSOR FOR SELECT id, content_code, unit_name,
	    planned_vnd, sample, updated_at FROM activity WHERE year = y;
	DECLARE allocs CURSOR FOR SELECT x.activity_id, x.amount_vnd,
	    x.updated_at FROM allocation x JOIN activity a
	    ON a.id = x.activity_id WHERE a.year = y;
	DECLARE settles CURSOR FOR SELECT x.activity_id, x.amount_vnd,
	    x.updated_at FROM settlement x JOIN activity a
	    ON a.id = x.activity_id WHERE a.year = y;
	DECLARE disbs CURSOR FOR SELECT x.activity_id, x.amount_vnd, x.paid_on,
	    x.facility_id, x.unit_id, x.sample, x.updated_at FROM disbursement x
	    JOIN activity a ON a.id = x.activity_id WHERE a.year = y;
	DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;

	DELETE m FROM activity_money m JOIN activity a ON a.id = m.activity_id
	    WHERE a.year = y;
	DELETE FROM plan_group_money WHERE year = y;
	DELETE FROM disb_group_money WHERE year = y;
	DELETE FROM disb_group_facility WHERE year = y;
	DELETE FROM plan_money WHERE year = y;
	INSERT INTO plan_money (year, updated_at) SELECT year, updated_at
	    FROM plan WHERE year = y;
	INSERT INTO plan_money (year, updated_at) SELECT year, MAX(updated_at)
	    FROM plan_content WHERE year = y GROUP BY year
	ON DUPLICATE KEY UPDATE updated_at = GREATEST(COALESCE(plan_money.updated_at,
	    VALUES(updated_at)), VALUES(updated_at));
	OPEN acts;
	SET done = 0;
	a_loop: LOOP
		FETCH acts INTO xid, xcode, xname, xamt, xsample, xat;
		IF done THEN LEAVE a_loop; END IF;
		INSERT INTO activity_money (activity_id) VALUES (xid);
		CALL dash_group_add(y, 'c', xcode, 1, xamt, 0, 0, 0);
		CALL dash_group_add(y, 'u', xname, 1, xamt, 0, 0, 0);
		CALL dash_year_add(y, xamt, 0, 0, 0, xsample <> 0, xat);
	END LOOP;
	CLOSE acts;
	OPEN allocs;
	SET done = 0;
	l_loop: LOOP
		FETCH allocs INTO xact, xamt, xat;
		IF done THEN LEAVE l_loop; END IF;
		CALL dash_money(xact, xamt, 0, 0, xat);
	END LOOP;
	CLOSE allocs;
	OPEN settles;
	SET done = 0;
	s_loop: LOOP
		FETCH settles INTO xact, xamt, xat;
		IF done THEN LEAVE s_loop; END IF;
		CALL dash_money(xact, 0, 0, xamt, xat);
	END LOOP;
	CLOSE settles;
	OPEN disbs;
	SET done = 0;
	d_loop: LOOP
		FETCH disbs INTO xact, xamt, xday, xfac, xunit, xsample, xat;
		IF done THEN LEAVE d_loop; END IF;
		CALL dash_disb(xact, xamt, xday, xfac, xunit, xsample <> 0, 1, xat);
	END LOOP;
	CLOSE disbs;
END//

-- A plan deleted (a draft, with its activities and content areas gone
-- before it: their triggers took their sums away): its year's sums go,
-- and the year gets a new version so no kept dashboard of it is served.
CREATE TRIGGER plan_dash_ad AFTER DELETE ON plan FOR EACH ROW
BEGIN
	DELETE FROM plan_group_money WHERE year = OLD.year;
	DELETE FROM disb_group_money WHERE year = OLD.year;
	DELETE FROM disb_group_facility WHERE year = OLD.year;
	DELETE FROM plan_money WHERE year = OLD.year;
	INSERT INTO dash_version (year, version) VALUES (OLD.year, UUID_SHORT())
	ON DUPLICATE KEY UPDATE version = VALUES(version);
END//

DELIMITER ;
