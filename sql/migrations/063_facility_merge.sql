-- Facility merges (issue 19, point 4): two facilities that are one
-- business (the same tax code, or the same folded name in the same
-- unit: proposed, staff confirm) become one, reversibly, as product
-- merges (058) are. facility_merge is one merge; facility_merge_row what
-- it changed, so that un-merge puts back exactly what was there:
--   product        a product moved to the kept facility (prev_id: its
--                  facility before; row_json: search_fold, updated_at);
--   product_merge  a product merge made by it (row_id: product_merge.id)
--                  for a product whose name the kept facility has;
--   facility_alias an old ident moved to the kept facility (txt: the
--                  ident; prev_id: the merged facility) or, prev_id NULL,
--                  the merged facility's own ident made an alias;
--   product_alias  an old product name key moved to the kept facility
--                  (txt: the key; prev_id: the product it names);
--   dup_pair       a possible-duplicate pair the merge raised (prev_id:
--                  the older product; row_json: the newer one).
-- pm_mark: the last product merge before it (later ones of the moved
-- products stand in the way of un-merge); merged_updated: the merged
-- facility's updated_at before it, put back by un-merge.
CREATE TABLE facility_merge (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	kept_id		BIGINT NOT NULL,
	merged_id	BIGINT NOT NULL,
	pm_mark		BIGINT NOT NULL DEFAULT 0,
	merged_updated	TIMESTAMP NULL,
	at		TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	username	VARCHAR(64) NULL,
	undone_at	TIMESTAMP(3) NULL,
	KEY ix_facility_merge_kept (kept_id),
	KEY ix_facility_merge_merged (merged_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

CREATE TABLE facility_merge_row (
	merge_id	BIGINT NOT NULL,
	tbl		ENUM('product','product_merge','facility_alias',
			    'product_alias','dup_pair') NOT NULL,
	row_id		BIGINT NOT NULL,
	prev_id		BIGINT NULL,
	txt		VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
	row_json	LONGTEXT NULL CHECK (row_json IS NULL OR JSON_VALID(row_json)),
	PRIMARY KEY (merge_id, tbl, row_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;
