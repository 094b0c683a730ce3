-- The version of the product catalogue (issue 20). kc-products keeps, in
-- each worker, the catalogue it built from product, award, facility,
-- product_group and admin_unit, and reads only this row (a primary-key
-- lookup) on each request: it builds again when the version moved, so an
-- answer is never older than the database, in every worker and on every
-- node. Triggers give the catalogue a new version in the same transaction
-- as every change it shows, whoever makes it (an import, a staff edit, a
-- merge or an undo, a hand-written statement): no writer needs to know
-- about the catalogue, and a rolled-back change never moves it.
--
-- UUID_SHORT() rather than version + 1, as dash_version (migration 012):
-- a value never seen before, even after the database is re-created under
-- running programs.
CREATE TABLE catalogue_version (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	version		BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO catalogue_version (id, version) VALUES (1, UUID_SHORT());

-- An UPDATE that changes nothing the catalogue shows runs no statement:
-- the importer's INSERT ... ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)
-- of a known group fires the update trigger, and a statement run there
-- would lose the id it reads back (mysql_insert_id).
DELIMITER //

CREATE TRIGGER catalogue_product_ai AFTER INSERT ON product FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1//
CREATE TRIGGER catalogue_product_au AFTER UPDATE ON product FOR EACH ROW
BEGIN
	IF NOT (NEW.id <=> OLD.id AND BINARY NEW.name <=> BINARY OLD.name
	    AND NEW.group_id <=> OLD.group_id
	    AND NEW.facility_id <=> OLD.facility_id
	    AND NEW.unit_id <=> OLD.unit_id AND NEW.sample <=> OLD.sample
	    AND NEW.last_year <=> OLD.last_year
	    AND NEW.merged_into <=> OLD.merged_into
	    AND BINARY NEW.search_fold <=> BINARY OLD.search_fold) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//
CREATE TRIGGER catalogue_product_ad AFTER DELETE ON product FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1//
CREATE TRIGGER catalogue_award_ai AFTER INSERT ON award FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1//
CREATE TRIGGER catalogue_award_au AFTER UPDATE ON award FOR EACH ROW
BEGIN
	IF NOT (NEW.id <=> OLD.id AND NEW.product_id <=> OLD.product_id
	    AND NEW.year <=> OLD.year AND NEW.level <=> OLD.level
	    AND BINARY NEW.decision_no <=> BINARY OLD.decision_no
	    AND NEW.decision_date <=> OLD.decision_date
	    AND NEW.unit_id <=> OLD.unit_id) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//
CREATE TRIGGER catalogue_award_ad AFTER DELETE ON award FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1//
-- A facility's name and address show with its products; its other
-- columns, and new facilities (registrations), do not move the version.
CREATE TRIGGER catalogue_facility_au AFTER UPDATE ON facility FOR EACH ROW
BEGIN
	IF NOT (NEW.id <=> OLD.id AND BINARY NEW.name <=> BINARY OLD.name
	    AND BINARY NEW.address <=> BINARY OLD.address) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//
CREATE TRIGGER catalogue_facility_ad AFTER DELETE ON facility FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1//
CREATE TRIGGER catalogue_group_au AFTER UPDATE ON product_group FOR EACH ROW
BEGIN
	IF NOT (NEW.id <=> OLD.id AND BINARY NEW.name <=> BINARY OLD.name) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//
CREATE TRIGGER catalogue_group_ad AFTER DELETE ON product_group FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1//
CREATE TRIGGER catalogue_unit_au AFTER UPDATE ON admin_unit FOR EACH ROW
BEGIN
	IF NOT (NEW.id <=> OLD.id AND BINARY NEW.code <=> BINARY OLD.code
	    AND BINARY NEW.name <=> BINARY OLD.name
	    AND BINARY NEW.parent_code <=> BINARY OLD.parent_code) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//
CREATE TRIGGER catalogue_unit_ad AFTER DELETE ON admin_unit FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1//

DELIMITER ;
