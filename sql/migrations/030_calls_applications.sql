-- Calls for support and the applications facilities send to them
-- (issue 4). Times are UTC (the programs' sessions run at +00:00).
--
-- support_call: one call (đợt hỗ trợ) of a plan year. activity_id is the
-- plan's activity (table activity, migration 010) that pays for it; it is
-- kept without a foreign key so that calls do not depend on the order in
-- which plan lines are entered.
CREATE TABLE support_call (
	id		INT AUTO_INCREMENT PRIMARY KEY,
	year		SMALLINT NOT NULL,
	kind		ENUM('trade_fair','brand_registration','label_printing',
			     'demo_model','training') NOT NULL,
	title		VARCHAR(255) NOT NULL,
	description	TEXT NULL,
	opens_at	DATETIME NOT NULL,
	closes_at	DATETIME NOT NULL,
	capacity	INT NULL,
	max_support_vnd	BIGINT NOT NULL,
	activity_id	BIGINT NULL,
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	CONSTRAINT ck_call_window CHECK (closes_at > opens_at),
	CONSTRAINT ck_call_max CHECK (max_support_vnd > 0),
	CONSTRAINT ck_call_capacity CHECK (capacity IS NULL OR capacity > 0),
	KEY ix_call_closes (closes_at),
	KEY ix_call_year (year, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- application: one facility's application to one call. ref_code is the
-- human-friendly reference (KC-<call year>-<6-digit sequence of that
-- year>); token_hash is the hex BLAKE2b-256 (libsodium generichash) of the
-- random status token, which itself is never stored. The contact details
-- and the unit are kept as written on the day of the application.
CREATE TABLE application (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	ref_code	VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	call_id		INT NOT NULL,
	facility_id	BIGINT NOT NULL,
	facility_name	VARCHAR(255) NOT NULL,
	owner_name	VARCHAR(120) NULL,
	phone		VARCHAR(20) NOT NULL,
	email		VARCHAR(254) NULL,
	address		VARCHAR(500) NULL,
	unit_id		INT NOT NULL,
	unit_code	VARCHAR(10) NOT NULL,
	requested_vnd	BIGINT NOT NULL,
	approved_vnd	BIGINT NULL,
	products	TEXT NOT NULL CHECK (JSON_VALID(products)),
	note		TEXT NULL,
	status		ENUM('submitted','under_review','approved','rejected',
			     'withdrawn') NOT NULL DEFAULT 'submitted',
	token_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_application_ref (ref_code),
	UNIQUE KEY uq_application_call_facility (call_id, facility_id),
	KEY ix_application_status (status),
	KEY ix_application_facility (facility_id),
	CONSTRAINT ck_application_requested CHECK (requested_vnd >= 0),
	CONSTRAINT ck_application_approved CHECK (approved_vnd IS NULL OR approved_vnd >= 0),
	CONSTRAINT fk_application_call FOREIGN KEY (call_id) REFERENCES support_call (id),
	CONSTRAINT fk_application_facility FOREIGN KEY (facility_id) REFERENCES facility (id),
	CONSTRAINT fk_application_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- application_event: the history of an application, one row per change
-- of status (the first is 'submitted'), with the reason of a decision,
-- the amount it concerns and the staff user who made it (NULL for the
-- applicant's own submission).
CREATE TABLE application_event (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	application_id	BIGINT NOT NULL,
	status		ENUM('submitted','under_review','approved','rejected',
			     'withdrawn') NOT NULL,
	reason		VARCHAR(1000) NULL,
	amount_vnd	BIGINT NULL,
	actor		BIGINT NULL,
	at		TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY ix_event_application (application_id, at),
	CONSTRAINT fk_event_application FOREIGN KEY (application_id)
	    REFERENCES application (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- application_seq: the last reference number given out per year. Bumped
-- with LAST_INSERT_ID(expr) inside the application's transaction, so
-- numbers are unique under concurrency and a rolled-back application
-- leaves no gap.
CREATE TABLE application_seq (
	year		SMALLINT PRIMARY KEY,
	last_no		INT NOT NULL
) ENGINE=InnoDB;
