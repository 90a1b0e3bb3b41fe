"""Persistence behind one interface (jobnet.store.engine) with two adapters: SQLite through sqlite3 and
sqlite-utils (jobnet.store.sqlite: a file, WAL, one connection per thread), PostgreSQL through psycopg 3
and psycopg-pool (jobnet.store.postgres). ``JOBNET_DB`` picks one: a file path or a postgresql:// URL.

    db = Database("var/jobnet.db"); db.migrate()     # or Database("postgresql://jobnet@db/jobnet")
    with db.transaction(actor="jobnet") as tx:      # BEGIN IMMEDIATE (PostgreSQL: BEGIN) … COMMIT / ROLLBACK
        tx.borgere.add(citizen)                       # every write is audited in the same tx
    with db.read() as tx:                             # consistent read-only snapshot
        tx.bookinger.for_borger(cpr)
"""
from jobnet.errors import NotFound
from jobnet.store.database import Database
from jobnet.store.jobcentre import PLANNER_EMBEDDED, PLANNER_SOAP, Jobcenter
from jobnet.store.tx import Tx

__all__ = ["PLANNER_EMBEDDED", "PLANNER_SOAP", "Database", "Jobcenter", "NotFound", "Tx"]
