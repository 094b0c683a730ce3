-- Payments (disbursements) entered in bulk through the award-list import
-- engine (issue 18). An import run now has a kind: 'awards' (the lists of
-- products and their awards, as before) or 'payments' (disbursements of
-- one activity, activity_id, or of the activities a column names, NULL).
-- A disbursement remembers the import run that wrote it (import_id; NULL
-- for one entered by hand).
--
-- A payment already in the book is recognised by its activity, facility
-- (or beneficiary), date, amount and voucher number, looked up under the
-- activity's row lock (cgi/lib/ledger.c ledger_lock: every writer of an
-- activity's lines takes it first), so two imports, or an import and a
-- hand entry, cannot both add it. ix_disbursement_same serves that lookup.
ALTER TABLE import_run
	ADD COLUMN kind ENUM('awards','payments') NOT NULL DEFAULT 'awards'
	    AFTER id,
	ADD COLUMN activity_id BIGINT NULL AFTER kind;

ALTER TABLE disbursement
	ADD COLUMN import_id BIGINT NULL,
	ADD KEY ix_disbursement_same (activity_id, paid_on, amount_vnd),
	ADD KEY ix_disbursement_import (import_id);
