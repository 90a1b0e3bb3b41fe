-- Issue 9 (hardening): a request id belongs to its caller. The replay record is keyed on the
-- calling client and citizen (caller_key, jobnet/store/requests.py) and the id, so one caller's id
-- never makes another caller's write "already received". Ids recorded before this migration keep
-- refusing everyone until they expire (caller_key '*').
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
CREATE INDEX request_ids_by_time ON request_ids (claimed_at);
