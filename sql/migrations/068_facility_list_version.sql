-- The public facilities list from memory (issue 21, cgi/products/facilities.c).
-- Each kc-products worker keeps the list of public facilities (those with
-- an award, or a payment of a published plan) and builds it again when
-- catalogue_version moved: row 1 (migration 061: products, awards, a
-- facility's name and address, groups, units) and row 2, here, for what
-- only the facilities list shows: payments, the plans' status, an
-- activity's year, a facility's folded name, kind, unit, sample flag and
-- merge, a unit's kind (its level) and new units (a district's code a
-- commune names). Separate from row 1 so that a payment entered does not
-- make every worker build the product catalogue again. As in 061, an
-- update that changes nothing the list shows runs no statement, and the
-- row moves in the same transaction as the change, whoever writes it.
-- A new facility is not public until an award or a payment names it: its
-- insert does not move the version.
INSERT INTO catalogue_version (id, version) VALUES (2, UUID_SHORT());

DELIMITER //

CREATE TRIGGER faclist_facility_au AFTER UPDATE ON facility FOR EACH ROW
BEGIN
	IF NOT (BINARY NEW.name_fold <=> BINARY OLD.name_fold
	    AND NEW.kind <=> OLD.kind AND NEW.unit_id <=> OLD.unit_id
	    AND NEW.sample <=> OLD.sample
	    AND NEW.merged_into <=> OLD.merged_into) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//
CREATE TRIGGER faclist_disbursement_ai AFTER INSERT ON disbursement FOR EACH ROW
BEGIN
	IF NEW.facility_id IS NOT NULL THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//
CREATE TRIGGER faclist_disbursement_au AFTER UPDATE ON disbursement FOR EACH ROW
BEGIN
	IF NOT (NEW.facility_id <=> OLD.facility_id
	    AND NEW.activity_id <=> OLD.activity_id
	    AND NEW.amount_vnd <=> OLD.amount_vnd) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//
CREATE TRIGGER faclist_disbursement_ad AFTER DELETE ON disbursement FOR EACH ROW
BEGIN
	IF OLD.facility_id IS NOT NULL THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//
CREATE TRIGGER faclist_activity_au AFTER UPDATE ON activity FOR EACH ROW
BEGIN
	IF NOT (NEW.id <=> OLD.id AND NEW.year <=> OLD.year) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//
CREATE TRIGGER faclist_activity_ad AFTER DELETE ON activity FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2//
CREATE TRIGGER faclist_plan_ai AFTER INSERT ON plan FOR EACH ROW
BEGIN
	IF NEW.status = 'published' THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//
CREATE TRIGGER faclist_plan_au AFTER UPDATE ON plan FOR EACH ROW
BEGIN
	IF NOT (NEW.year <=> OLD.year AND NEW.status <=> OLD.status) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//
CREATE TRIGGER faclist_plan_ad AFTER DELETE ON plan FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2//
CREATE TRIGGER faclist_unit_ai AFTER INSERT ON admin_unit FOR EACH ROW
	UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2//
CREATE TRIGGER faclist_unit_au AFTER UPDATE ON admin_unit FOR EACH ROW
BEGIN
	IF NOT (NEW.kind <=> OLD.kind) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 2;
	END IF;
END//

DELIMITER ;
