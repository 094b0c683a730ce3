-- A version of each year's dashboard figures (issue 6, speed). Every change
-- that migration 011's triggers see ends in dash_year_add; from now on it
-- also gives the year a new version, in the same transaction. kc-dashboard
-- keeps the dashboard it built for a (year, version) and reads only the
-- version (a primary-key lookup) while it stays the same: a change shows
-- on the next request, rolled-back changes never do.
--
-- UUID_SHORT() rather than version + 1: a value never seen before, even
-- after this table is emptied or the database re-created under running
-- programs, so a kept dashboard cannot be taken for a new one by chance.
-- Applications are not versioned (a hot row per year would make every
-- application wait for the others); their counts are read with the version.
CREATE TABLE dash_version (
	year		SMALLINT NOT NULL PRIMARY KEY,
	version		BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO dash_version (year, version) SELECT year, UUID_SHORT() FROM plan;

DROP PROCEDURE dash_year_add;

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
	INSERT INTO dash_version (year, version) VALUES (y, UUID_SHORT())
	ON DUPLICATE KEY UPDATE version = VALUES(version);
END//

DELIMITER ;
