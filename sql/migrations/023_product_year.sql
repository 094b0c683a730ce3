-- The products of each award year, in the listing's order (issue 3,
-- speed). A filter on the award year ordered the whole catalogue (most
-- recent award first, then name) and looked for an award of that year in
-- each product: an older year first skipped every newer product, 0.1 to
-- 2 s for one page. This table holds one row per product and year it won
-- an award in, with the product's last_year and name beside it, so that a
-- year's page is the first rows of one index range. Triggers keep it in
-- the same transaction as each change to award or product, whoever makes
-- it (the importer, a hand-written statement).
CREATE TABLE product_year (
	year		SMALLINT NOT NULL,
	product_id	BIGINT NOT NULL,
	last_year	SMALLINT NOT NULL,
	name		VARCHAR(255) NOT NULL,
	PRIMARY KEY (year, product_id),
	KEY ix_product_year_order (year, last_year DESC, name, product_id),
	KEY ix_product_year_product (product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

INSERT INTO product_year (year, product_id, last_year, name)
	SELECT DISTINCT a.year, p.id, p.last_year, p.name
	FROM award a JOIN product p ON p.id = a.product_id;

DELIMITER //

CREATE PROCEDURE product_year_add(y SMALLINT, pid BIGINT)
	INSERT IGNORE INTO product_year (year, product_id, last_year, name)
	SELECT y, p.id, p.last_year, p.name FROM product p WHERE p.id = pid//

CREATE PROCEDURE product_year_drop(y SMALLINT, pid BIGINT)
	DELETE FROM product_year WHERE year = y AND product_id = pid
	AND NOT EXISTS (SELECT 1 FROM award WHERE product_id = pid
	    AND year = y)//

CREATE TRIGGER award_year_ai AFTER INSERT ON award FOR EACH ROW
	CALL product_year_add(NEW.year, NEW.product_id)//
CREATE TRIGGER award_year_au AFTER UPDATE ON award FOR EACH ROW
BEGIN
	IF NEW.year <> OLD.year OR NEW.product_id <> OLD.product_id THEN
		CALL product_year_drop(OLD.year, OLD.product_id);
		CALL product_year_add(NEW.year, NEW.product_id);
	END IF;
END//
CREATE TRIGGER award_year_ad AFTER DELETE ON award FOR EACH ROW
	CALL product_year_drop(OLD.year, OLD.product_id)//

CREATE TRIGGER product_year_au AFTER UPDATE ON product FOR EACH ROW
BEGIN
	IF NEW.last_year <> OLD.last_year OR BINARY NEW.name <> BINARY OLD.name
	    OR NEW.id <> OLD.id THEN
		UPDATE product_year SET product_id = NEW.id,
		    last_year = NEW.last_year, name = NEW.name
		WHERE product_id = OLD.id;
	END IF;
END//

DELIMITER ;
