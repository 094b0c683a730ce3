-- Reference numbers without a hot row (issue 4, speed): application_seq
-- was bumped inside each application's transaction, so applications of
-- one year waited for each other from the bump to the commit. The number
-- now comes from a SEQUENCE, taken before the transaction: NEXTVAL takes
-- no row lock that lives until COMMIT and is not rolled back, so a
-- rejected or failed application leaves a gap (acceptable); uniqueness
-- holds across years (KC-<call year>-<number>, numbers never repeat) and
-- the UNIQUE key on application.ref_code still guards it.
-- The sequence starts above every number given out by application_seq,
-- so that no old reference code can be given out again.
-- INCREMENT BY 0: the step of the server's auto_increment_increment and
-- offset (1 and 1 on one server), as a Galera cluster requires (069).
CREATE SEQUENCE application_ref_seq START WITH 1 INCREMENT BY 0 CACHE 100
    ENGINE=InnoDB;

SET @kc_ref_start = (SELECT COALESCE(MAX(last_no), 0) FROM application_seq);
SET @kc_ref_sql = CONCAT('SELECT SETVAL(application_ref_seq, ', @kc_ref_start, ')');
PREPARE kc_ref_stmt FROM @kc_ref_sql;
EXECUTE kc_ref_stmt;
DEALLOCATE PREPARE kc_ref_stmt;

-- The dashboard counts the applications of a year's calls by status from
-- this index alone (kc-dashboard, S_DASH).
ALTER TABLE application ADD KEY ix_application_call_status (call_id, status);
