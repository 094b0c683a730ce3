-- What the catalogue no longer needs from the database (issue 20, point
-- 3): kc-products answers listing, search and year filters from its
-- in-memory catalogue (cgi/products/catalogue.c), built from product and
-- award; product_word (migration 024) and product_year (023, 025, 065)
-- were read only by the SQL oracle (KC_PRODUCTS_SQL=1), which now reads
-- the words from product.search_fold by the same rule
-- (product_words_json, kept) and the years from award. Keeping them cost
-- an import most of its index maintenance: a word row per word of every
-- new product, a product_year row per new award, and the triggers of
-- every other writer. Dropped with their triggers and procedures.
DROP TRIGGER IF EXISTS product_word_ai;
DROP TRIGGER IF EXISTS product_word_au;
DROP TRIGGER IF EXISTS product_word_ad;
DROP PROCEDURE IF EXISTS product_words_add;
DROP TABLE IF EXISTS product_word;

DROP TRIGGER IF EXISTS award_year_ai;
DROP TRIGGER IF EXISTS award_year_au;
DROP TRIGGER IF EXISTS award_year_ad;
DROP TRIGGER IF EXISTS product_year_au;
DROP PROCEDURE IF EXISTS product_year_add;
DROP PROCEDURE IF EXISTS product_year_drop;
DROP TABLE IF EXISTS product_year;
