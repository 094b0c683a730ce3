-- Facilities (cơ sở CN-TTCN), shared by award-winning products and
-- applications for support: one facility, one row. `ident` finds it again:
-- 'tax:<tax code>' when it has one, else 'name:<folded name>|<unit code>'
-- (built in C by the facility code of cgi/lib).
CREATE TABLE facility (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	ident		VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	name		VARCHAR(255) NOT NULL,
	name_fold	VARCHAR(255) NOT NULL,
	kind		ENUM('household','cooperative','enterprise') NULL,
	tax_code	VARCHAR(14) NULL,
	owner_name	VARCHAR(120) NULL,
	phone		VARCHAR(20) NULL,
	email		VARCHAR(254) NULL,
	address		VARCHAR(500) NULL,
	unit_id		INT NULL,
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_facility_ident (ident),
	UNIQUE KEY uq_facility_tax (tax_code),
	KEY ix_facility_fold (name_fold),
	CONSTRAINT fk_facility_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Append-only audit trail: every change made by staff or an import is
-- written here in the same transaction as the change. No program's
-- account may UPDATE or DELETE it (see grants.sql).
CREATE TABLE audit_log (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	at		TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	user_id		BIGINT NULL,
	username	VARCHAR(64) NULL,
	ip		VARCHAR(45) NULL,
	action		VARCHAR(40) NOT NULL,
	entity		VARCHAR(40) NOT NULL,
	entity_id	VARCHAR(64) NULL,
	before_json	LONGTEXT NULL CHECK (before_json IS NULL OR JSON_VALID(before_json)),
	after_json	LONGTEXT NULL CHECK (after_json IS NULL OR JSON_VALID(after_json)),
	KEY ix_audit_entity (entity, entity_id),
	KEY ix_audit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;
