-- What each program's database account may do, applied after every
-- migration run (GRANT is idempotent). kc_public serves the public
-- programs: read what is public, insert applications. kc_staff serves the
-- staff console and the importer. Neither may UPDATE or DELETE audit_log.
-- Each migration that adds a table adds its lines here.
GRANT SELECT ON kc.admin_unit TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT ON kc.admin_unit_succession TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT ON kc.schema_migration TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.facility TO 'kc_staff'@'localhost';
GRANT SELECT (id, name, name_fold, kind, address, unit_id, sample, ident, tax_code), INSERT ON kc.facility TO 'kc_public'@'localhost';
GRANT SELECT, INSERT ON kc.audit_log TO 'kc_staff'@'localhost';
-- Staff accounts and sessions (050): only the staff programs and tools.
-- Users are disabled, never deleted; the audit trail keeps their names.
GRANT SELECT, INSERT, UPDATE ON kc.staff_user TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON kc.staff_session TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON kc.staff_login_throttle TO 'kc_staff'@'localhost';
-- Recovery codes of the second factor (051).
GRANT SELECT, INSERT, UPDATE, DELETE ON kc.staff_recovery_code TO 'kc_staff'@'localhost';
-- Calls and applications (030): the public program lists calls, inserts
-- applications with their first event and numbers them; it may read an
-- application's status but not its contact details. Staff review them.
GRANT SELECT ON kc.support_call TO 'kc_public'@'localhost';
GRANT SELECT (id, ref_code, call_id, facility_id, facility_name, unit_code, requested_vnd, approved_vnd, status, token_hash, created_at, updated_at), INSERT ON kc.application TO 'kc_public'@'localhost';
GRANT SELECT, INSERT ON kc.application_event TO 'kc_public'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.application_seq TO 'kc_public'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.support_call TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.application TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.application_event TO 'kc_staff'@'localhost';
GRANT SELECT ON kc.application_seq TO 'kc_staff'@'localhost';
-- Plans and their money (migration 010, issue 6): public read; staff enter.
GRANT SELECT ON kc.plan TO 'kc_public'@'localhost';
GRANT SELECT ON kc.plan_content TO 'kc_public'@'localhost';
GRANT SELECT ON kc.activity TO 'kc_public'@'localhost';
GRANT SELECT ON kc.allocation TO 'kc_public'@'localhost';
GRANT SELECT ON kc.disbursement TO 'kc_public'@'localhost';
GRANT SELECT ON kc.settlement TO 'kc_public'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.plan TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.plan_content TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.activity TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON kc.allocation TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON kc.disbursement TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON kc.settlement TO 'kc_staff'@'localhost';
-- Products, awards and imports (020, issue 3).
GRANT SELECT ON kc.product_group TO 'kc_public'@'localhost';
GRANT SELECT ON kc.product TO 'kc_public'@'localhost';
GRANT SELECT ON kc.award TO 'kc_public'@'localhost';
-- The catalogue's version (061, issue 20): kc-products reads it per request.
GRANT SELECT ON kc.catalogue_version TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.product_group TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.product TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.award TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.import_run TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.import_issue TO 'kc_staff'@'localhost';
-- One import at a time across the cluster (070): the importer and undo.
GRANT SELECT, UPDATE ON kc.import_lock TO 'kc_staff'@'localhost';
-- Reference numbers (031): kc-register takes NEXTVAL of the sequence.
GRANT SELECT, INSERT ON kc.application_ref_seq TO 'kc_public'@'localhost';
GRANT SELECT ON kc.application_ref_seq TO 'kc_staff'@'localhost';
-- Dashboard sums (011): kept by triggers (whose definer is the account
-- that ran the migrations); the programs only read them.
GRANT SELECT ON kc.activity_money TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT ON kc.plan_money TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT ON kc.dash_version TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT ON kc.plan_group_money TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT ON kc.disb_group_money TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
GRANT SELECT ON kc.disb_group_facility TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
-- Applications by year and status (032), kept by triggers.
GRANT SELECT ON kc.application_count TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
-- Clean award lists (058, issue 19): the duplicates queue, merges,
-- aliases, hand edits, and the import's before-values; an import run
-- undone deletes what it inserted.
GRANT SELECT, INSERT, UPDATE, DELETE ON kc.dup_pair TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.product_merge TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.product_merge_row TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, DELETE ON kc.product_alias TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT, DELETE ON kc.facility_alias TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.row_edit TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.import_change TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.import_new TO 'kc_staff'@'localhost';
GRANT DELETE ON kc.award TO 'kc_staff'@'localhost';
GRANT DELETE ON kc.product TO 'kc_staff'@'localhost';
GRANT DELETE ON kc.facility TO 'kc_staff'@'localhost';
GRANT DELETE ON kc.product_group TO 'kc_staff'@'localhost';
-- Drafts and amendments (052, issue 18): staff delete a draft and its
-- parts (plan.c refuses it for a published plan), record amendments.
GRANT DELETE ON kc.plan TO 'kc_staff'@'localhost';
GRANT DELETE ON kc.plan_content TO 'kc_staff'@'localhost';
GRANT DELETE ON kc.activity TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.plan_amendment TO 'kc_staff'@'localhost';
GRANT SELECT ON kc.plan_amendment TO 'kc_public'@'localhost';
-- Review steps (055): the applicant, holding the status token, withdraws
-- or answers a request for information through kc-register (a new event,
-- the new status and the attachments' rows in one transaction; the audit
-- row of such a step is written by migration 056's trigger, so kc_public
-- still cannot write audit_log itself); staff read the attachments.
GRANT SELECT (live), UPDATE (status, approved_vnd) ON kc.application TO 'kc_public'@'localhost';
GRANT SELECT, INSERT ON kc.application_file TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
-- Notifications (057): the public program queues the messages of an
-- application it receives; the staff program queues those of a decision
-- or a reissued token, lists the outbox and retries failed rows; the
-- sender (kc-notify, account kc_staff) claims and marks rows.
GRANT INSERT ON kc.notify_outbox TO 'kc_public'@'localhost';
GRANT SELECT, INSERT, UPDATE ON kc.notify_outbox TO 'kc_staff'@'localhost';
-- The import's bulk path (065, issue 20): its session's staging tables
-- (temporary: nothing to share, replicate or leave behind), and the
-- catalogue version the insert triggers leave to it once per batch.
GRANT CREATE TEMPORARY TABLES ON kc.* TO 'kc_staff'@'localhost';
GRANT UPDATE ON kc.catalogue_version TO 'kc_staff'@'localhost';
-- Award verification (067, issue 21): codes of removed awards, public.
GRANT SELECT ON kc.award_revoked TO 'kc_public'@'localhost', 'kc_staff'@'localhost';
-- The public facility pages (issue 21) send a merged facility to the kept one.
GRANT SELECT (merged_into) ON kc.facility TO 'kc_public'@'localhost';
-- Facility merges (063, issue 19): a merge and what it changed; the
-- merge raises possible-duplicate pairs of the kept facility.
GRANT SELECT, INSERT, UPDATE ON kc.facility_merge TO 'kc_staff'@'localhost';
GRANT SELECT, INSERT ON kc.facility_merge_row TO 'kc_staff'@'localhost';
-- A call's place row (069): written by every application to a call with
-- a capacity, so that cluster nodes certify them against each other.
GRANT SELECT, INSERT, UPDATE ON kc.call_place TO 'kc_public'@'localhost';
GRANT SELECT ON kc.call_place TO 'kc_staff'@'localhost';
