-- A household's street address is never public (issue 21): the product
-- list shows its commune (cgi/products/products.h, PRODUCTS_FAC_ADDRESS),
-- which depends on the facility's kind and unit too. Migration 061's
-- trigger moved the catalogue's version on a name or address change only;
-- now also on a change of kind or unit, so the first request after such a
-- correction shows the right place.
DROP TRIGGER catalogue_facility_au;

DELIMITER //
CREATE TRIGGER catalogue_facility_au AFTER UPDATE ON facility FOR EACH ROW
BEGIN
	IF NOT (NEW.id <=> OLD.id AND BINARY NEW.name <=> BINARY OLD.name
	    AND BINARY NEW.address <=> BINARY OLD.address
	    AND NEW.kind <=> OLD.kind AND NEW.unit_id <=> OLD.unit_id) THEN
		UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1;
	END IF;
END//
DELIMITER ;
