-- Plans and their money (issue 6): a yearly local industrial-promotion
-- plan (kế hoạch khuyến công địa phương), its content areas (nội dung
-- 1..4), the activities of each content area, and the money that moves
-- for an activity: allocation (kinh phí giao cho đơn vị thực hiện),
-- disbursement (giải ngân, each payment with its voucher and beneficiary)
-- and settlement (quyết toán). Money is BIGINT đồng. Rows marked
-- sample = 1 are demo data (sql/demo/), shown as such on the dashboard.
-- Every figure on the dashboard is a SUM over these rows, done in SQL.

CREATE TABLE plan (
	year		SMALLINT NOT NULL PRIMARY KEY,
	title		VARCHAR(500) NOT NULL,
	total_vnd	BIGINT NOT NULL,
	decision_no	VARCHAR(60) NULL,	-- approving decision, when known
	decision_date	DATE NULL,
	approved_by	VARCHAR(255) NULL,
	source		VARCHAR(500) NULL,	-- where the figures were published
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	CONSTRAINT ck_plan_year CHECK (year BETWEEN 2000 AND 2999),
	CONSTRAINT ck_plan_total CHECK (total_vnd >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

CREATE TABLE plan_content (
	year		SMALLINT NOT NULL,
	code		VARCHAR(2) NOT NULL,
	title		VARCHAR(500) NOT NULL,
	description	TEXT NULL,
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	PRIMARY KEY (year, code),
	CONSTRAINT ck_plan_content_code CHECK (code IN ('1', '2', '3', '4')),
	CONSTRAINT fk_plan_content_plan FOREIGN KEY (year) REFERENCES plan (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

CREATE TABLE activity (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	year		SMALLINT NOT NULL,
	content_code	VARCHAR(2) NOT NULL,
	title		VARCHAR(500) NOT NULL,
	unit_name	VARCHAR(255) NOT NULL,	-- implementing unit (đơn vị thực hiện)
	planned_vnd	BIGINT NOT NULL DEFAULT 0,
	target		VARCHAR(255) NULL,	-- as written: "3–4 cơ sở"
	status		ENUM('planned','in_progress','done','cancelled') NOT NULL
			    DEFAULT 'planned',
	progress	TINYINT UNSIGNED NOT NULL DEFAULT 0,	-- percent
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	KEY ix_activity_year (year, content_code),
	CONSTRAINT ck_activity_planned CHECK (planned_vnd >= 0),
	CONSTRAINT ck_activity_progress CHECK (progress <= 100),
	CONSTRAINT fk_activity_content FOREIGN KEY (year, content_code)
	    REFERENCES plan_content (year, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Money given to the implementing unit for an activity.
CREATE TABLE allocation (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	activity_id	BIGINT NOT NULL,
	amount_vnd	BIGINT NOT NULL,
	allocated_on	DATE NOT NULL,
	decision_no	VARCHAR(60) NULL,
	note		VARCHAR(500) NULL,
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	KEY ix_allocation_activity (activity_id),
	CONSTRAINT ck_allocation_amount CHECK (amount_vnd > 0),
	CONSTRAINT fk_allocation_activity FOREIGN KEY (activity_id)
	    REFERENCES activity (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- One payment. The beneficiary is a facility (facility_id) or, for money
-- that did not go to a facility (a training course, a conference), the
-- unit named in `beneficiary`. unit_id is where the money went: the
-- district-level unit valid in the plan year for years up to 2025, the
-- commune-level unit after; NULL for province-wide spending.
-- application_id links the application it answers (no foreign key: that
-- table comes with the calls, migration 030+).
CREATE TABLE disbursement (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	activity_id	BIGINT NOT NULL,
	amount_vnd	BIGINT NOT NULL,
	paid_on		DATE NOT NULL,
	voucher_no	VARCHAR(60) NULL,
	facility_id	BIGINT NULL,
	beneficiary	VARCHAR(255) NULL,
	application_id	BIGINT NULL,
	unit_id		INT NULL,
	note		VARCHAR(500) NULL,
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	KEY ix_disbursement_activity (activity_id, paid_on),
	KEY ix_disbursement_facility (facility_id),
	KEY ix_disbursement_application (application_id),
	CONSTRAINT ck_disbursement_amount CHECK (amount_vnd > 0),
	CONSTRAINT fk_disbursement_activity FOREIGN KEY (activity_id)
	    REFERENCES activity (id),
	CONSTRAINT fk_disbursement_facility FOREIGN KEY (facility_id)
	    REFERENCES facility (id),
	CONSTRAINT fk_disbursement_unit FOREIGN KEY (unit_id)
	    REFERENCES admin_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Settled (quyết toán) money of an activity.
CREATE TABLE settlement (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	activity_id	BIGINT NOT NULL,
	amount_vnd	BIGINT NOT NULL,
	settled_on	DATE NOT NULL,
	document_no	VARCHAR(60) NULL,
	note		VARCHAR(500) NULL,
	sample		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	KEY ix_settlement_activity (activity_id),
	CONSTRAINT ck_settlement_amount CHECK (amount_vnd > 0),
	CONSTRAINT fk_settlement_activity FOREIGN KEY (activity_id)
	    REFERENCES activity (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- The 2020 plan (/work/shared/data/plan-2020.md) was inserted here until
-- issue 18. It is now made the way an office makes a plan: `make run`'s
-- sample loader creates it through cgi/lib/plan.c (kc-admin plan-load
-- sql/demo/2020.plan.json) and publishes it. Installs that ran this
-- migration before keep their rows (migration 052 marks them published).
