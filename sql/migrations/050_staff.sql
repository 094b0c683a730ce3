-- Staff accounts and their sessions (issue 5). No account ships: the
-- first admin is created with `kc-admin user add NAME --role admin`.
--
-- roles is a SET whose bit values are the ROLE_* bits of cgi/lib/auth.h
-- (admin 1, reviewer 2, finance 4, importer 8, auditor 16): `roles + 0`
-- reads the mask, and an integer written into it sets the same bits.
CREATE TABLE staff_user (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	username	VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	display_name	VARCHAR(120) NOT NULL,
	password_hash	VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	roles		SET('admin','reviewer','finance','importer','auditor') NOT NULL DEFAULT '',
	disabled	TINYINT(1) NOT NULL DEFAULT 0,
	-- Failed logins in a row, and the time before which a login for this
	-- account is refused. Unknown user names are counted the same way in
	-- staff_login_throttle, so throttling never tells whether an account
	-- exists; these two columns mirror it for the account's own view.
	failed_logins	INT NOT NULL DEFAULT 0,
	throttle_until	TIMESTAMP(3) NULL,
	last_login_at	TIMESTAMP(3) NULL,
	password_changed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	created_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
			    ON UPDATE CURRENT_TIMESTAMP(3),
	UNIQUE KEY uq_staff_user_name (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;

-- Failed logins per submitted user name, whether or not the account
-- exists (same answer, same slow-down for both).
CREATE TABLE staff_login_throttle (
	username	VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
	failures	INT NOT NULL DEFAULT 0,
	throttle_until	TIMESTAMP(3) NULL,
	last_failure_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;

-- One row per login. The random token lives only in the browser's cookie;
-- the table keeps its BLAKE2b hash (hex). A session ends at logout
-- (ended_at), when idle past idle_expires_at, or at expires_at whatever
-- happens.
CREATE TABLE staff_session (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	token_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	user_id		BIGINT NOT NULL,
	csrf_token	CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	created_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	last_seen_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	idle_expires_at	TIMESTAMP(3) NOT NULL,
	expires_at	TIMESTAMP(3) NOT NULL,
	ended_at	TIMESTAMP(3) NULL,
	ip		VARCHAR(45) NULL,
	UNIQUE KEY uq_staff_session_token (token_hash),
	KEY ix_staff_session_user (user_id),
	CONSTRAINT fk_staff_session_user FOREIGN KEY (user_id)
	    REFERENCES staff_user (id)
) ENGINE=InnoDB;
