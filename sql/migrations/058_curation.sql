-- Clean award lists (issue 19, point 4): the possible-duplicate queue,
-- merges that can be undone, corrections with their old spellings kept
-- as aliases for the import's matching, and the before-values of every
-- import run so that a run can be undone.

-- A product merged into another stays (its id answers with the kept
-- one); the listing shows live products only.
ALTER TABLE product ADD COLUMN merged_into BIGINT NULL AFTER sample,
	ADD CONSTRAINT fk_product_merged FOREIGN KEY (merged_into)
	    REFERENCES product (id);
ALTER TABLE facility ADD COLUMN merged_into BIGINT NULL AFTER sample,
	ADD CONSTRAINT fk_facility_merged FOREIGN KEY (merged_into)
	    REFERENCES facility (id);

-- dup_pair: one pair of products of one facility whose names differ only
-- by diacritics, as the import warned (possible_duplicate). Its identity
-- is the facility and the two name keys (lower one first), not the
-- product ids: the same rows imported again after an undo give new ids
-- but the same pair, so a dismissed pair stays dismissed.
CREATE TABLE dup_pair (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	facility_id	BIGINT NOT NULL,
	key_lo		VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	key_hi		VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	older_id	BIGINT NOT NULL,
	newer_id	BIGINT NOT NULL,
	import_id	BIGINT NULL,
	status		ENUM('open','merged','dismissed') NOT NULL DEFAULT 'open',
	reason		VARCHAR(500) NULL,
	decided_by	VARCHAR(64) NULL,
	decided_at	TIMESTAMP NULL,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_dup_pair (facility_id, key_lo, key_hi),
	KEY ix_dup_pair_status (status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- product_merge: one merge, with what it changed so that un-merge puts
-- back exactly what was there: the kept product's values before
-- (kept_before), the facility merged too (if any) and its values.
CREATE TABLE product_merge (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	kept_id		BIGINT NOT NULL,
	merged_id	BIGINT NOT NULL,
	pair_id		BIGINT NULL,
	kept_before	LONGTEXT NOT NULL CHECK (JSON_VALID(kept_before)),
	facility_kept	BIGINT NULL,
	facility_merged	BIGINT NULL,
	at		TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	username	VARCHAR(64) NULL,
	undone_at	TIMESTAMP(3) NULL,
	KEY ix_product_merge_kept (kept_id),
	KEY ix_product_merge_merged (merged_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- The rows a merge moved or removed: an award moved to the kept product
-- (prev_id: its product before), an award removed because the kept
-- product already had one of that year and level (row: all its values),
-- a product moved to the kept facility (prev_id: its facility before,
-- row: its search text before).
CREATE TABLE product_merge_row (
	merge_id	BIGINT NOT NULL,
	tbl		ENUM('award','award_removed','product') NOT NULL,
	row_id		BIGINT NOT NULL,
	prev_id		BIGINT NULL,
	row_json	LONGTEXT NULL CHECK (row_json IS NULL OR JSON_VALID(row_json)),
	PRIMARY KEY (merge_id, tbl, row_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Old spellings: a product renamed by staff keeps its old name key here,
-- a facility its old ident (a facility without a tax code is known by
-- its folded name and unit); the import matches them as the current one.
CREATE TABLE product_alias (
	facility_id	BIGINT NOT NULL,
	name_key	VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	product_id	BIGINT NOT NULL,
	PRIMARY KEY (facility_id, name_key),
	KEY ix_product_alias_product (product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;
CREATE TABLE facility_alias (
	ident		VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	facility_id	BIGINT NOT NULL,
	PRIMARY KEY (ident),
	KEY ix_facility_alias_facility (facility_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- row_edit: every row a staff member changed by hand (a correction, a
-- merge, an un-merge), for the undo of an import run: a run whose rows
-- were edited after it started is not undone.
CREATE TABLE row_edit (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	tbl		ENUM('facility','product','award','group') NOT NULL,
	row_id		BIGINT NOT NULL,
	action		VARCHAR(40) NOT NULL,
	audit_ref	VARCHAR(64) NULL,
	at		TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY ix_row_edit_row (tbl, row_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- import_change: what an import run changed, written by the importer in
-- the transaction of each batch. before_json NULL: the run inserted the
-- row; else the row's values before the run changed it (the first
-- change of the run wins: INSERT IGNORE).
CREATE TABLE import_change (
	import_id	BIGINT NOT NULL,
	tbl		ENUM('facility','product','award','group') NOT NULL,
	row_id		BIGINT NOT NULL,
	before_json	LONGTEXT NULL,
	PRIMARY KEY (import_id, tbl, row_id),
	KEY ix_import_change_row (tbl, row_id, import_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

ALTER TABLE import_run ADD COLUMN undone_at TIMESTAMP(3) NULL,
	ADD COLUMN undone_by VARCHAR(64) NULL;
