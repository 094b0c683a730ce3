-- A Galera cluster (issue 22). A row lock (SELECT ... FOR UPDATE) holds
-- on one node only: two nodes could each accept the last place of a
-- call. Every application to a call with a capacity now also writes the
-- call's row here in its transaction (kc-register's reg_call_full), so
-- that two of them committed on different nodes touch one row and the
-- later fails certification (error 1213) and is run again, when it sees
-- the call full. The count itself is still the live applications.
CREATE TABLE call_place (
	call_id		INT NOT NULL PRIMARY KEY,
	writes		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	CONSTRAINT fk_call_place_call FOREIGN KEY (call_id)
	    REFERENCES support_call (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- A sequence in Galera must step by the cluster's auto-increment
-- settings (INCREMENT BY 0: each node its own offset, so two nodes never
-- give out one number). On one server (increment 1, offset 1) it gives
-- the same numbers as before. Migration 031 creates it so on a new
-- database; this changes an existing one.
ALTER SEQUENCE application_ref_seq INCREMENT BY 0;
