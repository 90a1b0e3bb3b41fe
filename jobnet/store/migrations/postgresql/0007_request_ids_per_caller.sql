-- PostgreSQL twin of sqlite/0007_request_ids_per_caller.sql (issue 9): a request id belongs to its
-- caller, keyed on caller_key (jobnet/store/requests.py) and the id. Shared by every instance on the
-- database, so a repeat sent to another instance is refused too (412 / 8302).
CREATE TABLE request_ids_per_caller (
    caller_key TEXT NOT NULL,
    request_id TEXT NOT NULL,
    operation  TEXT NOT NULL,
    claimed_at TEXT NOT NULL CHECK (claimed_at LIKE '%+00:00'),
    PRIMARY KEY (caller_key, request_id)
);
INSERT INTO request_ids_per_caller (caller_key, request_id, operation, claimed_at)
    SELECT '*', request_id, operation, claimed_at FROM request_ids;
DROP TABLE request_ids;
ALTER TABLE request_ids_per_caller RENAME TO request_ids;
ALTER TABLE request_ids RENAME CONSTRAINT request_ids_per_caller_pkey TO request_ids_pkey;
CREATE INDEX request_ids_by_time ON request_ids (claimed_at);
