-- The audit row of the applicant's own steps (issue 19): withdraw and
-- answer are taken by kc-register, whose account may not write audit_log
-- (grants.sql; tests/http/staff-access.test.mjs). This trigger, running
-- with its definer's rights, writes it in the same transaction as the
-- step's application_event row: an event with an action and no staff
-- actor is the applicant's. review_step (cgi/lib/review.c) inserts the
-- event BEFORE it changes the application's status, so the application
-- read here is still as it was: the audit's "before".
DELIMITER //

CREATE TRIGGER application_event_applicant_audit AFTER INSERT
ON application_event FOR EACH ROW
BEGIN
	IF NEW.actor IS NULL AND NEW.action IS NOT NULL THEN
		INSERT INTO audit_log (user_id, username, ip, action, entity,
		    entity_id, before_json, after_json)
		SELECT NULL, '(người nộp hồ sơ)', NULL,
		    CONCAT('application.', NEW.action), 'application',
		    CAST(a.id AS CHAR),
		    JSON_OBJECT('ref_code', a.ref_code, 'status', a.status,
			'approved_vnd', a.approved_vnd),
		    JSON_OBJECT('ref_code', a.ref_code, 'status', NEW.status,
			'approved_vnd', NEW.amount_vnd, 'reason', NEW.reason)
		FROM application a WHERE a.id = NEW.application_id;
	END IF;
END//

DELIMITER ;
