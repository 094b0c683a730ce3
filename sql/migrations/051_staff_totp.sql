-- A second factor at staff sign-in (issue 16 point 8): time-based one-time
-- passwords (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and ten
-- one-time recovery codes per user. admin and finance must have one; the
-- other roles may enrol.
--
-- totp_secret is the 20-byte key in base32 (as the authenticator app was
-- given it), written once at enrolment and never answered again by any
-- endpoint. totp_last_step is the time step of the
-- last code accepted: a code is taken only for a later step, so one code
-- never signs in twice.
ALTER TABLE staff_user
	ADD COLUMN totp_secret VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER roles,
	ADD COLUMN totp_enabled_at TIMESTAMP(3) NULL AFTER totp_secret,
	ADD COLUMN totp_last_step BIGINT NULL AFTER totp_enabled_at;

-- A session for a user who must have a second factor and has none yet can
-- only enrol one (enrol_only). While it enrols, the secret it was shown
-- waits on the session (totp_pending) until a code from it is confirmed.
ALTER TABLE staff_session
	ADD COLUMN enrol_only TINYINT(1) NOT NULL DEFAULT 0 AFTER csrf_token,
	ADD COLUMN totp_pending VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER enrol_only;

-- Recovery codes: 80 random bits each, kept as hex BLAKE2b-256 of
-- "<user id>:<code>" (like session tokens: a random secret of that size
-- needs no slow hash). used_at is set once, by the sign-in that used it.
CREATE TABLE staff_recovery_code (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	user_id		BIGINT NOT NULL,
	code_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	created_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	used_at		TIMESTAMP(3) NULL,
	UNIQUE KEY uq_staff_recovery_code (user_id, code_hash),
	CONSTRAINT fk_staff_recovery_user FOREIGN KEY (user_id)
	    REFERENCES staff_user (id)
) ENGINE=InnoDB;
