-- Issue 3, speed (make bench, make bench-import).
--
-- Filters on awards without q count from the award index alone:
-- (year, level, product_id) serves year and year+level, (level,
-- product_id) serves level; (year, level) is a prefix of the first and
-- goes.
--
-- product.name_fold holds text_fold() output (lower case, no
-- diacritics, spaces collapsed) and is only compared for equality (the
-- importer's possible-duplicate check): a binary collation gives the same
-- answers there and costs far less per insert than a UCA collation.
ALTER TABLE award DROP INDEX ix_award_year_level,
	ADD INDEX ix_award_year_level_product (year, level, product_id),
	ADD INDEX ix_award_level_product (level, product_id);
ALTER TABLE product MODIFY name_fold VARCHAR(255) CHARACTER SET utf8mb4
	COLLATE utf8mb4_bin NOT NULL;
