"""Persistence: SQLite with the standard sqlite3 module (hand-written SQL, jobnet/store/sql.py; sqlite-utils
only for introspection, Database.db), file-backed, WAL, one connection per thread.

    db = Database("var/jobnet.db"); db.migrate()
    with db.transaction(actor="jobnet") as tx:      # BEGIN IMMEDIATE … COMMIT / ROLLBACK
        tx.borgere.add(citizen)                       # every write is audited in the same tx
    with db.read() as tx:                             # consistent read-only snapshot
        tx.bookinger.for_borger(cpr)
"""
from jobnet.errors import NotFound
from jobnet.store.database import Database
from jobnet.store.jobcentre import PLANNER_EMBEDDED, PLANNER_SOAP, Jobcenter
from jobnet.store.tx import Tx

__all__ = ["PLANNER_EMBEDDED", "PLANNER_SOAP", "Database", "Jobcenter", "NotFound", "Tx"]
