-- A planner change in flight: written before the planner is called, removed in the transaction
-- that registers the outcome (or after the compensation). A row left behind by a process that
-- died marks a change to reconcile (jobnet/recovery.py).
CREATE TABLE planner_intents (
    indkaldelse_id TEXT PRIMARY KEY,
    action         TEXT NOT NULL CHECK (action IN ('create', 'reschedule', 'cancel')),
    jobcenter_kode TEXT NOT NULL,
    cpr            TEXT NOT NULL,
    owner_pid      INTEGER NOT NULL,
    started_at     TEXT NOT NULL CHECK (started_at LIKE '%+00:00')
);
