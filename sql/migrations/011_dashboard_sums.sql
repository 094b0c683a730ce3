-- The dashboard's sums, kept up to date (issue 6, speed). Summing the
-- year's rows on every request (a WITH ROLLUP over joins, the groups by
-- unit, district and month, "updated at") cost four round trips and about
-- 2 ms of server time. These tables hold the same sums, maintained by
-- triggers in the same transaction as each change to plan, plan_content,
-- activity, allocation, disbursement and settlement, whoever makes it
-- (kc-staff, an import, a hand-written SQL statement). The dashboard reads
-- them with one statement of primary-key lookups and ranges.
--
-- Every trigger adds or subtracts exact BIGINT deltas (no recomputation
-- from a snapshot, so concurrent changes cannot overwrite each other) and
-- reads the activity it needs with a locking read (the latest committed
-- version). CALL dash_rebuild(year) recomputes a year from the rows (the
-- backfill below uses it; it is also the repair tool).
--
-- Not covered: changing an activity's year, a plan's year or an admin
-- unit's parent after money was recorded (the first two are refused by a
-- trigger; admin units are reference data). The applications by status
-- are counted when read (index ix_application_call_status, migration
-- 031): a counter row per year would make every application of the year
-- wait for the others.

-- Money of one activity.
CREATE TABLE activity_money (
	activity_id	BIGINT NOT NULL PRIMARY KEY,
	allocated_vnd	BIGINT NOT NULL DEFAULT 0,
	disbursed_vnd	BIGINT NOT NULL DEFAULT 0,
	settled_vnd	BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- A plan year: its totals, sample rows (activities and disbursements
-- marked sample) and the latest change of any of its rows.
CREATE TABLE plan_money (
	year		SMALLINT NOT NULL PRIMARY KEY,
	planned_vnd	BIGINT NOT NULL DEFAULT 0,
	allocated_vnd	BIGINT NOT NULL DEFAULT 0,
	disbursed_vnd	BIGINT NOT NULL DEFAULT 0,
	settled_vnd	BIGINT NOT NULL DEFAULT 0,
	sample_rows	INT NOT NULL DEFAULT 0,
	updated_at	TIMESTAMP NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Sums per content area (kind 'c', gkey the code) and per implementing
-- unit (kind 'u', gkey the unit's name, grouped under the same collation
-- as GROUP BY activity.unit_name was). activities = how many activities;
-- a unit's row goes when its last activity does.
CREATE TABLE plan_group_money (
	year		SMALLINT NOT NULL,
	kind		CHAR(1) CHARACTER SET ascii NOT NULL,
	gkey		VARCHAR(255) NOT NULL,
	activities	INT NOT NULL DEFAULT 0,
	planned_vnd	BIGINT NOT NULL DEFAULT 0,
	allocated_vnd	BIGINT NOT NULL DEFAULT 0,
	disbursed_vnd	BIGINT NOT NULL DEFAULT 0,
	settled_vnd	BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (year, kind, gkey)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Disbursements per area (kind 'a': gkey the admin_unit id where the money
-- went, the district for years up to 2025, '' province-wide) and per
-- month (kind 'm': gkey 'YYYY-MM'); facilities = distinct facilities paid,
-- counted with disb_group_facility (payments per facility and group).
CREATE TABLE disb_group_money (
	year		SMALLINT NOT NULL,
	kind		CHAR(1) CHARACTER SET ascii NOT NULL,
	gkey		VARCHAR(12) CHARACTER SET ascii NOT NULL,
	area_id		INT NULL,
	payments	INT NOT NULL DEFAULT 0,
	facilities	INT NOT NULL DEFAULT 0,
	disbursed_vnd	BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (year, kind, gkey)
) ENGINE=InnoDB;

CREATE TABLE disb_group_facility (
	year		SMALLINT NOT NULL,
	kind		CHAR(1) CHARACTER SET ascii NOT NULL,
	gkey		VARCHAR(12) CHARACTER SET ascii NOT NULL,
	facility_id	BIGINT NOT NULL,
	payments	INT NOT NULL DEFAULT 0,
	PRIMARY KEY (year, kind, gkey, facility_id)
) ENGINE=InnoDB;

DELIMITER //

CREATE PROCEDURE dash_year_add(y SMALLINT, dp BIGINT, da BIGINT, dd BIGINT,
    ds BIGINT, dsample INT, at TIMESTAMP)
BEGIN
	INSERT INTO plan_money (year, planned_vnd, allocated_vnd,
	    disbursed_vnd, settled_vnd, sample_rows, updated_at)
	VALUES (y, dp, da, dd, ds, dsample, at)
	ON DUPLICATE KEY UPDATE planned_vnd = planned_vnd + dp,
	    allocated_vnd = allocated_vnd + da,
	    disbursed_vnd = disbursed_vnd + dd,
	    settled_vnd = settled_vnd + ds,
	    sample_rows = sample_rows + dsample,
	    updated_at = GREATEST(COALESCE(updated_at, at), COALESCE(at, updated_at));
END//

CREATE PROCEDURE dash_group_add(y SMALLINT, k CHAR(1), g VARCHAR(255),
    dn INT, dp BIGINT, da BIGINT, dd BIGINT, ds BIGINT)
BEGIN
	INSERT INTO plan_group_money (year, kind, gkey, activities,
	    planned_vnd, allocated_vnd, disbursed_vnd, settled_vnd)
	VALUES (y, k, g, dn, dp, da, dd, ds)
	ON DUPLICATE KEY UPDATE activities = activities + dn,
	    planned_vnd = planned_vnd + dp,
	    allocated_vnd = allocated_vnd + da,
	    disbursed_vnd = disbursed_vnd + dd,
	    settled_vnd = settled_vnd + ds;
	IF dn < 0 THEN
		DELETE FROM plan_group_money WHERE year = y AND kind = k
		    AND gkey = g AND activities <= 0;
	END IF;
END//

-- Money of an activity changed by (da, dd, ds).
CREATE PROCEDURE dash_money(act BIGINT, da BIGINT, dd BIGINT, ds BIGINT,
    at TIMESTAMP)
BEGIN
	DECLARE y SMALLINT;
	DECLARE c VARCHAR(2);
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

-- One payment (sgn 1) or its removal (sgn -1) in one area or month group.
CREATE PROCEDURE dash_disb_group(y SMALLINT, k CHAR(1), g VARCHAR(12),
    area INT, fac BIGINT, amt BIGINT, sgn INT)
BEGIN
	DECLARE n INT DEFAULT 0;
	DECLARE df INT DEFAULT 0;

	IF fac IS NOT NULL THEN
		INSERT INTO disb_group_facility (year, kind, gkey, facility_id,
		    payments) VALUES (y, k, g, fac, sgn)
		ON DUPLICATE KEY UPDATE payments = payments + sgn;
		SELECT payments INTO n FROM disb_group_facility WHERE year = y
		    AND kind = k AND gkey = g AND facility_id = fac;
		IF sgn > 0 AND n = 1 THEN
			SET df = 1;
		ELSEIF sgn < 0 AND n = 0 THEN
			SET df = -1;
			DELETE FROM disb_group_facility WHERE year = y
			    AND kind = k AND gkey = g AND facility_id = fac;
		END IF;
	END IF;
	INSERT INTO disb_group_money (year, kind, gkey, area_id, payments,
	    facilities, disbursed_vnd) VALUES (y, k, g, area, sgn, df, sgn * amt)
	ON DUPLICATE KEY UPDATE payments = payments + sgn,
	    facilities = facilities + df, disbursed_vnd = disbursed_vnd + sgn * amt;
	IF sgn < 0 THEN
		DELETE FROM disb_group_money WHERE year = y AND kind = k
		    AND gkey = g AND payments <= 0;
	END IF;
END//

-- A disbursement added (sgn 1) or taken away (sgn -1).
CREATE PROCEDURE dash_disb(act BIGINT, amt BIGINT, paid DATE, fac BIGINT,
    unit INT, smp INT, sgn INT, at TIMESTAMP)
BEGIN
	DECLARE y SMALLINT;
	DECLARE area INT;

	SELECT year INTO y FROM activity WHERE id = act LOCK IN SHARE MODE;
	SET area = unit;
	IF unit IS NOT NULL AND y <= 2025 THEN
		SET area = COALESCE((SELECT pu.id FROM admin_unit u
		    JOIN admin_unit pu ON pu.level = 'district'
		    AND pu.code = u.parent_code
		    WHERE u.id = unit AND u.level = 'commune'
		    ORDER BY pu.id LIMIT 1), unit);
	END IF;
	CALL dash_disb_group(y, 'a', COALESCE(area, ''), area, fac, amt, sgn);
	CALL dash_disb_group(y, 'm', DATE_FORMAT(paid, '%Y-%m'), NULL, fac,
	    amt, sgn);
	CALL dash_money(act, 0, sgn * amt, 0, at);
	IF smp <> 0 THEN
		CALL dash_year_add(y, 0, 0, 0, 0, sgn, at);
	END IF;
END//

-- Recompute every sum of a year from its rows, through the same
-- procedures as the triggers.
CREATE PROCEDURE dash_rebuild(y SMALLINT)
BEGIN
	DECLARE done INT DEFAULT 0;
	DECLARE xid, xact, xfac BIGINT;
	DECLARE xamt BIGINT;
	DECLARE xday DATE;
	DECLARE xunit INT;
	DECLARE xsample INT;
	DECLARE xcode VARCHAR(2);
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

-- plan and plan_content: "updated at" only. A plan's year is its key:
-- it does not change once the plan has sums.
CREATE TRIGGER plan_dash_ai AFTER INSERT ON plan FOR EACH ROW
	CALL dash_year_add(NEW.year, 0, 0, 0, 0, 0, NEW.updated_at)//
CREATE TRIGGER plan_dash_au AFTER UPDATE ON plan FOR EACH ROW
BEGIN
	IF NEW.year <> OLD.year THEN
		SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT =
		    'plan.year cannot change (dashboard sums, migration 011)';
	END IF;
	CALL dash_year_add(NEW.year, 0, 0, 0, 0, 0, NEW.updated_at);
END//
CREATE TRIGGER plan_content_dash_ai AFTER INSERT ON plan_content FOR EACH ROW
	CALL dash_year_add(NEW.year, 0, 0, 0, 0, 0, NEW.updated_at)//
CREATE TRIGGER plan_content_dash_au AFTER UPDATE ON plan_content FOR EACH ROW
	CALL dash_year_add(NEW.year, 0, 0, 0, 0, 0, NEW.updated_at)//
CREATE TRIGGER plan_content_dash_ad AFTER DELETE ON plan_content FOR EACH ROW
	CALL dash_year_add(OLD.year, 0, 0, 0, 0, 0, CURRENT_TIMESTAMP)//

-- activity: its planned amount, content area and unit; its money moves
-- with it when the content area or the unit changes.
CREATE TRIGGER activity_dash_ai AFTER INSERT ON activity FOR EACH ROW
BEGIN
	INSERT INTO activity_money (activity_id) VALUES (NEW.id);
	CALL dash_group_add(NEW.year, 'c', NEW.content_code, 1,
	    NEW.planned_vnd, 0, 0, 0);
	CALL dash_group_add(NEW.year, 'u', NEW.unit_name, 1,
	    NEW.planned_vnd, 0, 0, 0);
	CALL dash_year_add(NEW.year, NEW.planned_vnd, 0, 0, 0,
	    NEW.sample <> 0, NEW.updated_at);
END//
CREATE TRIGGER activity_dash_au AFTER UPDATE ON activity FOR EACH ROW
BEGIN
	DECLARE ma, md, ms BIGINT DEFAULT 0;

	IF NEW.year <> OLD.year THEN
		SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT =
		    'activity.year cannot change (dashboard sums, migration 011)';
	END IF;
	SELECT allocated_vnd, disbursed_vnd, settled_vnd INTO ma, md, ms
	    FROM activity_money WHERE activity_id = NEW.id FOR UPDATE;
	CALL dash_group_add(OLD.year, 'c', OLD.content_code, -1,
	    -OLD.planned_vnd, -ma, -md, -ms);
	CALL dash_group_add(NEW.year, 'c', NEW.content_code, 1,
	    NEW.planned_vnd, ma, md, ms);
	CALL dash_group_add(OLD.year, 'u', OLD.unit_name, -1,
	    -OLD.planned_vnd, -ma, -md, -ms);
	CALL dash_group_add(NEW.year, 'u', NEW.unit_name, 1,
	    NEW.planned_vnd, ma, md, ms);
	CALL dash_year_add(NEW.year, NEW.planned_vnd - OLD.planned_vnd, 0, 0, 0,
	    (NEW.sample <> 0) - (OLD.sample <> 0), NEW.updated_at);
END//
CREATE TRIGGER activity_dash_ad AFTER DELETE ON activity FOR EACH ROW
BEGIN
	DECLARE ma, md, ms BIGINT DEFAULT 0;

	SELECT allocated_vnd, disbursed_vnd, settled_vnd INTO ma, md, ms
	    FROM activity_money WHERE activity_id = OLD.id FOR UPDATE;
	DELETE FROM activity_money WHERE activity_id = OLD.id;
	CALL dash_group_add(OLD.year, 'c', OLD.content_code, -1,
	    -OLD.planned_vnd, -ma, -md, -ms);
	CALL dash_group_add(OLD.year, 'u', OLD.unit_name, -1,
	    -OLD.planned_vnd, -ma, -md, -ms);
	CALL dash_year_add(OLD.year, -OLD.planned_vnd, -ma, -md, -ms,
	    -(OLD.sample <> 0), CURRENT_TIMESTAMP);
END//

CREATE TRIGGER allocation_dash_ai AFTER INSERT ON allocation FOR EACH ROW
	CALL dash_money(NEW.activity_id, NEW.amount_vnd, 0, 0, NEW.updated_at)//
CREATE TRIGGER allocation_dash_au AFTER UPDATE ON allocation FOR EACH ROW
BEGIN
	CALL dash_money(OLD.activity_id, -OLD.amount_vnd, 0, 0, NEW.updated_at);
	CALL dash_money(NEW.activity_id, NEW.amount_vnd, 0, 0, NEW.updated_at);
END//
CREATE TRIGGER allocation_dash_ad AFTER DELETE ON allocation FOR EACH ROW
	CALL dash_money(OLD.activity_id, -OLD.amount_vnd, 0, 0,
	    CURRENT_TIMESTAMP)//

CREATE TRIGGER settlement_dash_ai AFTER INSERT ON settlement FOR EACH ROW
	CALL dash_money(NEW.activity_id, 0, 0, NEW.amount_vnd, NEW.updated_at)//
CREATE TRIGGER settlement_dash_au AFTER UPDATE ON settlement FOR EACH ROW
BEGIN
	CALL dash_money(OLD.activity_id, 0, 0, -OLD.amount_vnd, NEW.updated_at);
	CALL dash_money(NEW.activity_id, 0, 0, NEW.amount_vnd, NEW.updated_at);
END//
CREATE TRIGGER settlement_dash_ad AFTER DELETE ON settlement FOR EACH ROW
	CALL dash_money(OLD.activity_id, 0, 0, -OLD.amount_vnd,
	    CURRENT_TIMESTAMP)//

CREATE TRIGGER disbursement_dash_ai AFTER INSERT ON disbursement FOR EACH ROW
	CALL dash_disb(NEW.activity_id, NEW.amount_vnd, NEW.paid_on,
	    NEW.facility_id, NEW.unit_id, NEW.sample <> 0, 1, NEW.updated_at)//
CREATE TRIGGER disbursement_dash_au AFTER UPDATE ON disbursement FOR EACH ROW
BEGIN
	CALL dash_disb(OLD.activity_id, OLD.amount_vnd, OLD.paid_on,
	    OLD.facility_id, OLD.unit_id, OLD.sample <> 0, -1, NEW.updated_at);
	CALL dash_disb(NEW.activity_id, NEW.amount_vnd, NEW.paid_on,
	    NEW.facility_id, NEW.unit_id, NEW.sample <> 0, 1, NEW.updated_at);
END//
CREATE TRIGGER disbursement_dash_ad AFTER DELETE ON disbursement FOR EACH ROW
	CALL dash_disb(OLD.activity_id, OLD.amount_vnd, OLD.paid_on,
	    OLD.facility_id, OLD.unit_id, OLD.sample <> 0, -1,
	    CURRENT_TIMESTAMP)//

-- Backfill every existing year.
CREATE PROCEDURE dash_rebuild_all()
BEGIN
	DECLARE done INT DEFAULT 0;
	DECLARE y SMALLINT;
	DECLARE years CURSOR FOR SELECT year FROM plan ORDER BY year;
	DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;

	OPEN years;
	y_loop: LOOP
		FETCH years INTO y;
		IF done THEN LEAVE y_loop; END IF;
		CALL dash_rebuild(y);
	END LOOP;
	CLOSE years;
END//

DELIMITER ;

CALL dash_rebuild_all();
