-- The import writes in bulk (issue 20, point 3): a batch's new products
-- and awards go in with one INSERT ... SELECT from its staging tables
-- each, and a trigger statement per inserted row cost more than the rows
-- themselves (a third of a 20 000-row import). The importer says so for
-- its session with @kc_import_bulk and does, once per batch and in the
-- batch's transaction, what these triggers do per row: the new awards'
-- product_year rows (one INSERT IGNORE ... SELECT) and one new catalogue
-- version. Every other writer (staff, hand-written SQL, an importer
-- reconnected without the variable: INSERT IGNORE keeps one row) still
-- goes through them. The update and delete triggers stay as they are.
DROP TRIGGER award_year_ai;
DROP TRIGGER catalogue_award_ai;
DROP TRIGGER catalogue_product_ai;

DELIMITER //

CREATE TRIGGER award_year_ai AFTER INSERT ON award FOR EACH ROW
BEGIN
	IF @kc_import_bulk IS NULL THEN
		INSERT IGNORE INTO product_year (year, product_id, last_year,
		    name)
		SELECT NEW.year, p.id, p.last_year, p.name FROM product p
		WHERE p.id = NEW.product_id;
	END IF;
END//
CREATE TRIGGER catalogue_award_ai AFTER INSERT ON award FOR EACH ROW
BEGIN
	IF @kc_import_bulk IS NULL THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//
CREATE TRIGGER catalogue_product_ai AFTER INSERT ON product FOR EACH ROW
BEGIN
	IF @kc_import_bulk IS NULL THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//

DELIMITER ;
