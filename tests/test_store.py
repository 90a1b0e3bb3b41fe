"""The store: migrations, connections, units of work, repositories and their audit rows."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from conftest_store import (  # noqa: E402
    ANDEN_CPR,
    CPR,
    JC,
    NOW,
    booking,
    citizen,
    clock,
    db,
    jobcenter,
    seed_dfdg,
)

from jobnet.clock import FixedClock  # noqa: E402
from jobnet.domain import Absence, BookingState, Fejlmelding, Frist, Friststatus, Tilmelding  # noqa: E402
from jobnet.store import Database, NotFound  # noqa: E402

__all__ = ["clock", "db"]  # fixtures


def audit_rows(database: Database, entity: str, entity_id: str) -> list[dict]:
    with database.read() as tx:
        return tx.audit.for_entity(entity, entity_id)


# --- schema and connections -------------------------------------------------------------------
def test_migrations_are_idempotent(tmp_path: Path) -> None:
    database = Database(tmp_path / "x.db")
    every = sorted(p.name for p in (Path(__file__).parents[1] / "jobnet" / "store" / "migrations").glob("*.sql"))
    assert database.migrate() == every
    assert database.migrate() == []
    assert Database(tmp_path / "x.db").migrate() == []
    names = [r[0] for r in database.conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == every
    tables = set(database.db.table_names())
    assert {"citizens", "enrolments", "deadlines", "bookings", "error_reports", "request_ids",
            "job_centres", "audit", "planner_offers", "planner_sessions", "planner_bookings"} <= tables


def test_each_migration_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_first.sql").write_text("CREATE TABLE a (x INTEGER);\n-- a comment; with a semicolon\n")
    (folder / "0002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n")
    monkeypatch.setattr("jobnet.store.database.MIGRATIONS", folder)
    database = Database(tmp_path / "m.db")
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        database.migrate()
    assert set(database.db.table_names()) == {"schema_migrations", "a"}  # b was rolled back with its file
    assert database.conn.execute("SELECT name FROM schema_migrations").fetchall() == [("0001_first.sql",)]
    (folder / "0002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\n")
    assert database.migrate() == ["0002_broken.sql"]


def test_indexes_cover_the_lookups(db: Database) -> None:
    assert "bookings_by_cpr" in {i.name for i in db.db["bookings"].indexes}
    assert "deadlines_by_cpr" in {i.name for i in db.db["deadlines"].indexes}
    assert "enrolments_by_cpr" in {i.name for i in db.db["enrolments"].indexes}


def test_connection_pragmas(db: Database) -> None:
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_one_connection_per_thread(db: Database) -> None:
    mine = db.conn
    theirs: list[sqlite3.Connection] = []

    def other() -> None:
        theirs.append(db.conn)
        assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        db.close()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert theirs and theirs[0] is not mine and db.conn is mine


def test_close_opens_a_fresh_connection_next_time(db: Database) -> None:
    first = db.conn
    db.close()
    assert db.conn is not first


# --- units of work --------------------------------------------------------------------------
def test_a_failed_transaction_leaves_no_change_and_no_audit(db: Database) -> None:
    with pytest.raises(RuntimeError):
        with db.transaction() as tx:
            tx.jobcentre.add(jobcenter())
            tx.borgere.add(citizen())
            raise RuntimeError("boom")
    with db.read() as tx:
        assert tx.borgere.get(CPR) is None
        assert tx.jobcentre.get(JC) is None
    assert db.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0


def test_a_nested_transaction_is_a_savepoint(db: Database) -> None:
    with db.transaction() as tx:
        tx.jobcentre.add(jobcenter())
        with pytest.raises(sqlite3.IntegrityError):
            with db.transaction() as inner:
                inner.borgere.add(citizen())
                inner.borgere.add(citizen())  # duplicate: only the inner part is undone
        tx.borgere.add(citizen(ANDEN_CPR))
    with db.read() as tx:
        assert tx.jobcentre.get(JC) is not None
        assert tx.borgere.get(CPR) is None
        assert tx.borgere.get(ANDEN_CPR) is not None


def test_read_is_read_only(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        with db.read() as tx:
            tx.jobcentre.add(jobcenter())
    with pytest.raises(RuntimeError):
        with db.read():
            with db.transaction():
                pass
    with db.transaction() as tx:  # the connection is writable again afterwards
        tx.jobcentre.add(jobcenter())


def test_read_is_a_consistent_snapshot(db: Database) -> None:
    seed_dfdg(db)

    def writer() -> None:
        with db.transaction() as tx:
            tx.bookinger.add(booking())
        db.close()

    with db.read() as tx:
        assert tx.bookinger.for_borger(CPR) == []
        t = threading.Thread(target=writer)
        t.start()
        t.join()
        assert tx.bookinger.for_borger(CPR) == []  # still the snapshot
    with db.read() as tx:
        assert len(tx.bookinger.for_borger(CPR)) == 1


# --- repositories ---------------------------------------------------------------------------
def test_jobcentre_round_trip(db: Database) -> None:
    soap = dataclasses.replace(jobcenter("30303", "soap"), soap_url="http://127.0.0.1:9/planner",
                               connect_timeout=1.5, read_timeout=2.5, fax="70000000", kvitteringstekst="Tak")
    with db.transaction(actor="admin") as tx:
        tx.jobcentre.add(jobcenter())
        tx.jobcentre.add(soap)
        tx.jobcentre.add(jobcenter("20202", None))
    with db.read() as tx:
        assert tx.jobcentre.get("30303") == soap
        assert tx.jobcentre.get(JC) == jobcenter()
        assert tx.jobcentre.get("20202").planner is None
        assert tx.jobcentre.get("99999") is None
    [row] = audit_rows(db, "jobcenter", "30303")
    assert row["action"] == "create" and row["actor"] == "admin" and row["detail"]["soap_url"].endswith("/planner")


def test_borgere_round_trip_and_update(db: Database) -> None:
    seed_dfdg(db)
    changed = dataclasses.replace(
        citizen(), levende=False, har_jobnet_cv=False, udlandet=True, midlertidig_udenlandsk_adresse=True,
        fravaer=Absence.BLOCKS_ENROLLMENT, kan_selvbooke=False, straksbooking_paakraevet=True,
        profil_komplet=False, kontaktgruppe=None, klientkategori=3,
    )
    with db.transaction(actor="jobnet") as tx:
        tx.borgere.update(changed)
    with db.read() as tx:
        assert tx.borgere.get(CPR) == changed
        assert tx.borgere.get("0000000001") is None
    assert [r["action"] for r in audit_rows(db, "borger", CPR)] == ["create", "update"]
    with pytest.raises(NotFound):
        with db.transaction() as tx:
            tx.borgere.update(citizen("0000000001"))


def test_tilmeldinger_round_trip(db: Database) -> None:
    seed_dfdg(db)
    a = Tilmelding("t1", CPR, dt.date(2026, 1, 1), None, 1, 100)
    b = Tilmelding("t0", CPR, dt.date(2025, 1, 1), dt.date(2025, 6, 30), 2, 50)
    with db.transaction() as tx:
        tx.tilmeldinger.add(a)
        tx.tilmeldinger.add(b)
    with db.read() as tx:
        assert tx.tilmeldinger.for_borger(CPR) == [b, a]
        assert tx.tilmeldinger.for_borger(ANDEN_CPR) == []
    assert audit_rows(db, "tilmelding", "t1")[0]["detail"]["startdato"] == "2026-01-01"


def test_frister_round_trip_and_status(db: Database) -> None:
    seed_dfdg(db)
    frist = Frist("f1", CPR, 7, dt.date(2026, 3, 9), dt.date(2026, 3, 23), straks=True)
    with db.transaction() as tx:
        tx.frister.add(frist)
        tx.bookinger.add(booking())
        tx.frister.set_status("f1", Friststatus.INDFRIET, booking().indkaldelse_id)
    with db.read() as tx:
        [stored] = tx.frister.for_borger(CPR)
    assert stored == dataclasses.replace(frist, status=Friststatus.INDFRIET, indfriet_af=booking().indkaldelse_id)
    assert [r["action"] for r in audit_rows(db, "frist", "f1")] == ["create", "set_status"]
    with pytest.raises(NotFound):
        with db.transaction() as tx:
            tx.frister.set_status("nope", Friststatus.AKTIV, None)


def test_bookinger_round_trip_every_field(db: Database) -> None:
    seed_dfdg(db)
    b = booking()
    with db.transaction() as tx:
        tx.bookinger.add(b)
    with db.read() as tx:
        assert tx.bookinger.get(b.indkaldelse_id) == b
        assert tx.bookinger.get("nope") is None
    stored = db.conn.execute("SELECT moede_start, oprettet FROM bookings").fetchone()
    assert stored == ("2026-03-10T09:00:00+00:00", "2026-03-02T07:00:00+00:00")  # UTC text


def test_bookinger_update_and_live_only(db: Database) -> None:
    seed_dfdg(db)
    first = booking("11111111-1111-4111-8111-111111111111")
    second = booking("33333333-3333-4333-8333-333333333333", start=first.moede_start + dt.timedelta(days=1))
    with db.transaction() as tx:
        tx.bookinger.add(second)
        tx.bookinger.add(first)
    first.state = BookingState.CANCELLED
    first.print_kommentar = "aflyst"
    with db.transaction() as tx:
        tx.bookinger.update(first)
    with db.read() as tx:
        assert [x.indkaldelse_id for x in tx.bookinger.for_borger(CPR)] == [second.indkaldelse_id]
        assert tx.bookinger.for_borger(CPR, live_only=False) == [first, second]
    assert [r["action"] for r in audit_rows(db, "booking", first.indkaldelse_id)] == ["create", "update"]


def test_booking_without_created_time_gets_the_clock(db: Database, clock: FixedClock) -> None:
    seed_dfdg(db)
    with db.transaction() as tx:
        tx.bookinger.add(dataclasses.replace(booking(), oprettet=None, moedested=None))
        assert tx.bookinger.get(booking().indkaldelse_id).oprettet == NOW


def test_fejlmeldinger_add_returns_an_id(db: Database) -> None:
    f = Fejlmelding(3, 32, NOW, moedetilbud_id="x", fejltekst="Tid ikke ledig", cpr=CPR)
    with db.transaction() as tx:
        fid = tx.fejlmeldinger.add(f)
    with db.read() as tx:
        assert tx.fejlmeldinger.get(fid) == f
    assert audit_rows(db, "fejlmelding", fid)[0]["detail"]["fejlkode"] == 3


def test_every_write_is_audited_in_its_transaction(db: Database, clock: FixedClock) -> None:
    seed_dfdg(db)
    rows = db.conn.execute("SELECT at, action, entity, actor FROM audit ORDER BY id").fetchall()
    assert rows == [
        ("2026-03-02T07:00:00+00:00", "create", "jobcenter", "system"),
        ("2026-03-02T07:00:00+00:00", "create", "borger", "system"),
        ("2026-03-02T07:00:00+00:00", "create", "borger", "system"),
    ]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute("DELETE FROM audit")


# --- constraints ------------------------------------------------------------------------------
def test_constraints_refuse_bad_rows(db: Database) -> None:
    seed_dfdg(db)
    bad = [
        lambda tx: tx.borgere.add(citizen("12345")),  # CPR is 10 digits
        lambda tx: tx.borgere.add(citizen("0303803456", kode="99999")),  # unknown job centre
        lambda tx: tx.jobcentre.add(jobcenter("1234")),
        lambda tx: tx.jobcentre.add(dataclasses.replace(jobcenter("50505"), planner="rest")),
        lambda tx: tx.bookinger.add(dataclasses.replace(booking(), ombookingsfrist=None)),  # 8126
        lambda tx: tx.bookinger.add(dataclasses.replace(booking(), aflysning_mulig=False)),  # 8127
        lambda tx: tx.bookinger.add(dataclasses.replace(booking(), samtaletype=17)),  # 8270
        lambda tx: tx.bookinger.add(dataclasses.replace(booking(), moede_slut=NOW)),  # 4792
        lambda tx: tx.bookinger.add(dataclasses.replace(booking(), cpr="0909951234")),  # unknown citizen
        lambda tx: tx.frister.add(Frist("f", CPR, 7, dt.date(2026, 3, 9), dt.date(2026, 3, 1))),
        lambda tx: tx.tilmeldinger.add(Tilmelding("t", CPR, dt.date(2026, 3, 9), dt.date(2026, 3, 1), 1, 1)),
    ]
    for write in bad:
        with pytest.raises(sqlite3.IntegrityError):
            with db.transaction() as tx:
                write(tx)
    assert db.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 3  # only the seed


def test_naive_datetimes_are_refused(db: Database) -> None:
    seed_dfdg(db)
    with pytest.raises(ValueError, match="naive"):
        with db.transaction() as tx:
            tx.bookinger.add(dataclasses.replace(booking(), moede_start=dt.datetime(2026, 3, 10, 10)))


# --- request ids --------------------------------------------------------------------------------
def test_request_ids_are_refused_for_seven_days(db: Database) -> None:
    day = dt.timedelta(days=1)
    second = dt.timedelta(seconds=1)

    def claim(request_id: str, at: dt.datetime) -> bool:
        with db.transaction() as tx:
            return tx.requests.claim(request_id, "CreateSelvbooking", at)

    assert claim("r1", NOW) is True
    assert claim("r1", NOW + second) is False
    assert claim("r1", NOW + 7 * day - second) is False
    assert claim("r2", NOW) is True
    assert claim("r1", NOW + 7 * day + second) is True  # the old claim expired (and was purged)
    assert db.conn.execute("SELECT count(*) FROM request_ids").fetchone()[0] == 1


def test_released_request_id_can_be_claimed_again(db: Database) -> None:
    with db.transaction() as tx:
        assert tx.requests.claim("r1", "DeleteBooking", NOW)
        tx.requests.release("r1")
        assert tx.requests.claim("r1", "DeleteBooking", NOW)
    assert db.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0  # not audited


def test_request_claim_rolls_back_with_its_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError):
        with db.transaction() as tx:
            assert tx.requests.claim("r1", "x", NOW)
            raise RuntimeError
    with db.transaction() as tx:
        assert tx.requests.claim("r1", "x", NOW)
