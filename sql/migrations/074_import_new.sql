-- The rows an import run inserted (issue 20): one row per batch and
-- table, their ids as a JSON array, instead of an import_change row
-- each. A 200 000-row list made 600 000 import_change rows (two index
-- entries each), an eighth of the import's time; now it makes 120 rows.
-- import_change keeps the values a run changed (before_json) and the
-- product groups it made; the rows it inserted before this migration
-- stay there (before_json NULL). The undo (cgi/staff/undo.c) reads both.
CREATE TABLE import_new (
	import_id	BIGINT NOT NULL,
	tbl		ENUM('facility','product','award') NOT NULL,
	first_id	BIGINT NOT NULL,
	ids		LONGTEXT NOT NULL,
	PRIMARY KEY (import_id, tbl, first_id),
	CONSTRAINT ck_import_new_ids CHECK (JSON_VALID(ids))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;
