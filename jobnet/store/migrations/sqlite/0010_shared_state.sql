-- Issue 10 (several instances): state every instance on one database shares.
--
-- Write-rate buckets (jobnet/store/ratebuckets.py): one row per limit and key, the tokens left and
-- when they were counted (seconds since the epoch). Used with PostgreSQL, where instances share the
-- database; an SQLite installation is one host, and its workers count in memory (README).
CREATE TABLE rate_buckets (
    name   TEXT NOT NULL,
    key    TEXT NOT NULL,
    tokens REAL NOT NULL,
    at     REAL NOT NULL,
    granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
    PRIMARY KEY (name, key)
);
CREATE INDEX rate_buckets_by_time ON rate_buckets (at);

-- Planner intents name the host of the process that made them (its pid alone says nothing on another
-- host), and a recovering instance claims one before it reconciles it (jobnet/recovery.py), so no
-- intent is recovered twice; a claim older than recovery.STALE may be taken over (the claimer died).
ALTER TABLE planner_intents ADD COLUMN owner_host TEXT NOT NULL DEFAULT '';
ALTER TABLE planner_intents ADD COLUMN claimed_by TEXT;
ALTER TABLE planner_intents ADD COLUMN claimed_at TEXT CHECK (claimed_at LIKE '%+00:00');
