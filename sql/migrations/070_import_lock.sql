-- One import at a time across a Galera cluster (issue 22). GET_LOCK is
-- local to one server and Galera does not replicate it: two application
-- nodes on two database nodes could each import at once. An import (and
-- an undo of one) now claims this row in a short transaction of its own
-- (cgi/lib/implock.c): token is the claim's, lapses_at when it lapses unless
-- renewed (the import renews it while it runs; a killed one's claim
-- lapses), conn_id and node say which connection holds it (server and
-- account), so that on the same server a claim whose connection is gone
-- is taken over at once, as GET_LOCK's was. The row is written by
-- certification like any other: two claims on two nodes at once, one
-- wins and the other finds the row taken.
CREATE TABLE import_lock (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	token		CHAR(32) NULL,
	lapses_at	DATETIME(3) NULL,
	conn_id		BIGINT UNSIGNED NULL,
	node		VARCHAR(200) NULL,
	CONSTRAINT ck_import_lock_one CHECK (id = 1)
) ENGINE=InnoDB;
INSERT INTO import_lock (id) VALUES (1);
