-- The words of each product's search text, for `q` (issue 3, speed).
-- InnoDB's FULLTEXT index answered `+keo +cu +do*` in 3.2 ms of server
-- time over 100 000 products (it reads every posting of every word, the
-- common ones too); one row per (word, product) lets kc-products start
-- from the rarest word of the query (MariaDB estimates each word's range
-- by index dives) and check the others per candidate: 0.6 ms.
--
-- A word is a run of letters, marks and digits of any script (Unicode
-- categories L, M, N) in product.search_fold (already folded: lower case,
-- no tone marks, đ→d), cut to 64 characters; everything else, “curly
-- quotes” and dashes too, separates. kc-products splits the query and
-- kc-import the names it writes by the same rule (text_word, in C).
-- Triggers keep it in the same transaction as each change of a product,
-- whoever makes it.
CREATE TABLE product_word (
	word		VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
			    NOT NULL,
	product_id	BIGINT NOT NULL,
	PRIMARY KEY (word, product_id),
	KEY ix_product_word_product (product_id, word)
) ENGINE=InnoDB;

-- The words of a search text as a JSON array of strings: every run of
-- other characters becomes one separator, so no quote, backslash or
-- control character is left to escape. (Written with properties: a class
-- of code point ranges up to \x{10FFFF} cost 3 ms to compile per call.)
CREATE FUNCTION product_words_json(t VARCHAR(520)) RETURNS TEXT
    CHARACTER SET utf8mb4 DETERMINISTIC
	RETURN CONCAT('["', REPLACE(TRIM(REGEXP_REPLACE(t,
	    '[^\\p{L}\\p{M}\\p{N}]+', ' ')), ' ', '","'), '"]');

INSERT IGNORE INTO product_word (word, product_id)
	SELECT LEFT(j.w, 64), p.id FROM product p,
	JSON_TABLE(product_words_json(p.search_fold), '$[*]'
	    COLUMNS (w VARCHAR(520) PATH '$')) j
	WHERE j.w <> '';

DELIMITER //

CREATE PROCEDURE product_words_add(pid BIGINT, t VARCHAR(520))
	INSERT IGNORE INTO product_word (word, product_id)
	SELECT LEFT(j.w, 64), pid FROM JSON_TABLE(product_words_json(t),
	    '$[*]' COLUMNS (w VARCHAR(520) PATH '$')) j
	WHERE j.w <> ''//

-- kc-import writes the words of its new products itself, in multi-row
-- statements split by the same rule in C (text_word), and says so for its
-- session with @kc_product_words: splitting every name here cost a
-- 200 000-row import 2-3 s more. Every other writer gets them from here.
CREATE TRIGGER product_word_ai AFTER INSERT ON product FOR EACH ROW
BEGIN
	IF @kc_product_words IS NULL THEN
		CALL product_words_add(NEW.id, NEW.search_fold);
	END IF;
END//
CREATE TRIGGER product_word_au AFTER UPDATE ON product FOR EACH ROW
BEGIN
	IF BINARY NEW.search_fold <> BINARY OLD.search_fold
	    OR NEW.id <> OLD.id THEN
		DELETE FROM product_word WHERE product_id = OLD.id;
		CALL product_words_add(NEW.id, NEW.search_fold);
	END IF;
END//
CREATE TRIGGER product_word_ad AFTER DELETE ON product FOR EACH ROW
	DELETE FROM product_word WHERE product_id = OLD.id//

DELIMITER ;

-- The FULLTEXT index is no longer read; keeping it up to date cost every
-- import.
ALTER TABLE product DROP INDEX ft_product_search;
