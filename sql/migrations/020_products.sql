-- Award-winning rural industrial products (sản phẩm CNNT tiêu biểu) and
-- the imports of the office's award lists (issue 3).
--
-- Names keep their spelling as written (NFC). Beside each searchable name:
--   name_fold  text_fold(): lower case, no diacritics, đ→d, spaces
--              collapsed — what a search typed without diacritics matches;
--   name_key   text_key(): NFC, trimmed, spaces collapsed, lower case, tone
--              marks kept ("Mắm" and "Mâm" differ) — the identity of a name,
--              under a binary collation so that no collation merges keys.
-- The unique keys make a re-import idempotent in the database itself.

CREATE TABLE product_group (
	id		INT AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(120) NOT NULL,
	name_fold	VARCHAR(120) NOT NULL,
	name_key	VARCHAR(120) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	UNIQUE KEY uq_product_group_key (name_key),
	KEY ix_product_group_fold (name_fold)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- product: one product of one facility. search_fold is the folded product
-- name and facility name together, FULLTEXT-indexed for `q` (the instance
-- runs with innodb_ft_min_token_size=1 and no stopwords). last_year is the
-- most recent award year, kept by the importer, for the listing's order.
-- unit_id is the unit of its most recent award.
CREATE TABLE product (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	facility_id	BIGINT NOT NULL,
	name		VARCHAR(255) NOT NULL,
	name_fold	VARCHAR(255) NOT NULL,
	name_key	VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	search_fold	VARCHAR(520) NOT NULL,
	group_id	INT NULL,
	unit_id		INT NULL,
	last_year	SMALLINT NOT NULL DEFAULT 0,
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_product_facility_key (facility_id, name_key),
	KEY ix_product_facility_fold (facility_id, name_fold(100)),
	KEY ix_product_order (last_year, name),
	KEY ix_product_group (group_id),
	FULLTEXT KEY ft_product_search (search_fold),
	CONSTRAINT fk_product_facility FOREIGN KEY (facility_id) REFERENCES facility (id),
	CONSTRAINT fk_product_group FOREIGN KEY (group_id) REFERENCES product_group (id),
	CONSTRAINT fk_product_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- award: one recognition of a product, at most one per year and level.
-- unit_id is the administrative unit valid in that year (a district up to
-- 2025, a commune after). import_id is the import that last listed it (so
-- that a row repeated in one file counts once: the first one wins).
CREATE TABLE award (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	product_id	BIGINT NOT NULL,
	year		SMALLINT NOT NULL,
	level		ENUM('commune','district','province','region','national') NOT NULL,
	decision_no	VARCHAR(60) NULL,
	decision_date	DATE NULL,
	unit_id		INT NULL,
	import_id	BIGINT NULL,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_award (product_id, year, level),
	KEY ix_award_year_level (year, level),
	KEY ix_award_unit (unit_id),
	CONSTRAINT ck_award_year CHECK (year BETWEEN 2000 AND 2100),
	CONSTRAINT fk_award_product FOREIGN KEY (product_id) REFERENCES product (id),
	CONSTRAINT fk_award_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- import_run: one import of one file (command line or web). A run that
-- stays 'running' after its process is gone was interrupted; the next
-- import marks it 'interrupted'. report is the JSON report of API.md.
CREATE TABLE import_run (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	file_name	VARCHAR(255) NOT NULL,
	sha256		CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
	source		ENUM('cli','web') NOT NULL,
	dry_run		TINYINT(1) NOT NULL DEFAULT 0,
	strict		TINYINT(1) NOT NULL DEFAULT 0,
	encoding	VARCHAR(20) NULL,
	delimiter	VARCHAR(2) NULL,
	header_line	INT NULL,
	rows_total	INT NOT NULL DEFAULT 0,
	rows_inserted	INT NOT NULL DEFAULT 0,
	rows_updated	INT NOT NULL DEFAULT 0,
	rows_unchanged	INT NOT NULL DEFAULT 0,
	rows_rejected	INT NOT NULL DEFAULT 0,
	warnings	INT NOT NULL DEFAULT 0,
	status		ENUM('running','done','rejected','failed','interrupted')
			    NOT NULL DEFAULT 'running',
	message		VARCHAR(500) NULL,
	report		LONGTEXT NULL CHECK (report IS NULL OR JSON_VALID(report)),
	user_id		BIGINT NULL,
	username	VARCHAR(64) NULL,
	started_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	finished_at	TIMESTAMP(3) NULL,
	KEY ix_import_run_started (started_at),
	KEY ix_import_run_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- import_issue: every rejected row (kind 'error') and every warning of a
-- run, with the 1-based line on which its record starts.
CREATE TABLE import_issue (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	import_id	BIGINT NOT NULL,
	kind		ENUM('error','warning') NOT NULL,
	line		INT NOT NULL,
	col		VARCHAR(40) NULL,
	code		VARCHAR(40) NOT NULL,
	message		VARCHAR(1000) NOT NULL,
	record_id	BIGINT NULL,
	KEY ix_import_issue_run (import_id, kind, line),
	CONSTRAINT fk_import_issue_run FOREIGN KEY (import_id) REFERENCES import_run (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- A plain table for `make bench-import`: LOAD DATA's side of the ratio.
CREATE TABLE bench_award_load (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	product		VARCHAR(255) NOT NULL,
	facility	VARCHAR(255) NOT NULL,
	district	VARCHAR(120) NULL,
	year		SMALLINT NOT NULL,
	level		VARCHAR(40) NOT NULL,
	decision_no	VARCHAR(60) NULL,
	decision_date	VARCHAR(20) NULL,
	grp		VARCHAR(120) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;
