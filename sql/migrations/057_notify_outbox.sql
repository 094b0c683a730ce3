-- Notifications to applicants (issue 19, point 3): an outbox. A change
-- that tells the applicant something (an application received, a new
-- status, a reissued status token) writes its messages here in its own
-- transaction (cgi/lib/notify.c), so a message exists exactly when the
-- change was committed; the sender (kc-notify) delivers them.
--
-- One row per message and channel. message_id is the row's Message-ID
-- header for e-mail and the Idempotency-Key for the SMS gateway: a row
-- delivered again after a crash carries the same one, so the relay or
-- the gateway (and the applicant's mail program) can tell a repeat.
--
-- A sender claims due rows (claimed_by, claim_until: a lease, so two
-- senders never take the same row, and a killed sender's rows come back
-- when the lease lapses), delivers them, and marks each sent after the
-- relay's or the gateway's acceptance, or queued again with a later
-- next_attempt_at, or failed once retry_from is older than the give-up
-- time. retry_from is created_at until staff retry a failed row.
--
-- secret: the status token a message carries (e-mail of a receipt or of
-- a reissued token only), put into the body's {token} at delivery and
-- cleared once the row is sent or failed; the API never shows it.
CREATE TABLE notify_outbox (
	id		BIGINT AUTO_INCREMENT PRIMARY KEY,
	application_id	BIGINT NOT NULL,
	event		ENUM('received','status','token') NOT NULL,
	channel		ENUM('email','sms') NOT NULL,
	recipient	VARCHAR(254) NOT NULL,
	subject		VARCHAR(255) NULL,
	body		TEXT NOT NULL,
	secret		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
	message_id	VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	status		ENUM('queued','sent','failed') NOT NULL DEFAULT 'queued',
	attempts	INT NOT NULL DEFAULT 0,
	next_attempt_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	claimed_by	VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NULL,
	claim_until	TIMESTAMP(3) NULL,
	last_error	VARCHAR(500) NULL,
	created_at	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	retry_from	TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	sent_at		TIMESTAMP(3) NULL,
	UNIQUE KEY uq_outbox_message (message_id),
	KEY ix_outbox_due (status, next_attempt_at),
	KEY ix_outbox_claim (claimed_by),
	KEY ix_outbox_application (application_id, id),
	CONSTRAINT fk_outbox_application FOREIGN KEY (application_id)
	    REFERENCES application (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;
