-- Ha Tinh's administrative units, with their validity: the same code can
-- name different units before and after the 1 July 2025 reform.
-- Source: sql/data/SOURCE.md.
CREATE TABLE admin_unit (
	id		INT AUTO_INCREMENT PRIMARY KEY,
	code		VARCHAR(10) NOT NULL,
	name		VARCHAR(120) NOT NULL,
	kind		ENUM('province','city','town','district','ward','commune',
			     'township') NOT NULL,
	level		ENUM('province','district','commune') AS (CASE
			    WHEN kind = 'province' THEN 'province'
			    WHEN kind IN ('city','town','district') THEN 'district'
			    ELSE 'commune' END) PERSISTENT,
	parent_code	VARCHAR(10) NULL,
	valid_from	DATE NULL,
	valid_to	DATE NULL,
	note		VARCHAR(500) NULL,
	vf_key		DATE AS (COALESCE(valid_from, '1000-01-01')) PERSISTENT,
	UNIQUE KEY uq_admin_unit (code, vf_key),
	KEY ix_admin_unit_level (level, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

CREATE TABLE admin_unit_succession (
	effective	DATE NOT NULL,
	old_code	VARCHAR(10) NOT NULL,
	old_name	VARCHAR(120) NOT NULL,
	old_parent_code	VARCHAR(10) NULL,
	new_code	VARCHAR(10) NOT NULL,
	new_name	VARCHAR(120) NOT NULL,
	kind		VARCHAR(30) NOT NULL,
	PRIMARY KEY (effective, old_code, new_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

LOAD DATA LOCAL INFILE 'data/admin-units-ha-tinh.csv'
	REPLACE INTO TABLE admin_unit CHARACTER SET utf8mb4
	FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'
	LINES TERMINATED BY '\n' IGNORE 1 LINES
	(code, name, kind, @parent, @vfrom, @vto, @note)
	SET parent_code = NULLIF(@parent, ''), valid_from = NULLIF(@vfrom, ''),
	    valid_to = NULLIF(@vto, ''), note = NULLIF(TRIM(TRAILING '\r' FROM @note), '');

LOAD DATA LOCAL INFILE 'data/admin-unit-successions-ha-tinh-2025-07.csv'
	REPLACE INTO TABLE admin_unit_succession CHARACTER SET utf8mb4
	FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'
	LINES TERMINATED BY '\n' IGNORE 1 LINES
	(effective, old_code, old_name, @parent, new_code, new_name, @kind)
	SET old_parent_code = NULLIF(@parent, ''), kind = TRIM(TRAILING '\r' FROM @kind);
