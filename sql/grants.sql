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
