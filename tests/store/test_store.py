"""The store: migrations, connections, units of work, repositories and their audit rows."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from jobnet.clock import FixedClock
from jobnet.domain import Absence, BookingState, Fejlmelding, Frist, Friststatus, Tilmelding
from jobnet.errors import ConstraintViolation
from jobnet.store import Database, NotFound
from jobnet.store.engine import MIGRATIONS
from tests.support.backends import empty_location, selected
from tests.support.clock import TODAY
from tests.support.store import (
    ANDEN_CPR,
    CPR,
    JC,
    NOW,
    OLD_DFDG,
    booking,
    citizen,
    clock,
    db,
    jobcenter,
    migrated_until,
    seed_dfdg,
)

__all__ = ["clock", "db"]  # fixtures
DAG = dt.timedelta(days=1)


def audit_rows(database: Database, entity: str, entity_id: str) -> list[dict]:
    with database.read() as tx:
        return tx.audit.for_entity(entity, entity_id)


# --- schema and connections -------------------------------------------------------------------
@pytest.fixture(params=selected())
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A database of each backend without any schema."""
    yield from empty_location(request, tmp_path)


def test_migrations_are_idempotent(empty: Any) -> None:
    database = Database(empty)
    folder = Path(__file__).parents[2] / "jobnet" / "store" / "migrations"
    every = sorted(p.name for p in (folder / database.backend).glob("*.sql"))
    assert every == sorted(p.name for p in (folder / "sqlite").glob("*.sql"))  # one layout: the same names
    assert database.migrate() == every
    assert database.migrate() == []
    again = Database(empty)
    assert again.migrate() == []
    again.dispose()
    names = [r[0] for r in database.conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == every
    tables = set(database.conn.tables())
    assert {"borgere", "tilmeldinger", "frister", "bookinger", "fejlmeldinger", "request_ids",
            "jobcentre", "audit", "planner_moedetilbud", "planner_faellesmoeder", "planner_bookinger"} <= tables
    database.close()


# The tables 0011 renamed (issue 13: the specification's Danish nouns), old name → new name.
RENAMED = {
    "job_centres": "jobcentre", "citizens": "borgere", "enrolments": "tilmeldinger", "bookings": "bookinger",
    "deadlines": "frister", "error_reports": "fejlmeldinger", "planner_caseworkers": "planner_sagsbehandlere",
    "planner_offers": "planner_moedetilbud", "planner_offer_caseworkers": "planner_moedetilbud_sagsbehandlere",
    "planner_sessions": "planner_faellesmoeder", "planner_bookings": "planner_bookinger",
    "planner_error_reports": "planner_fejlmeldinger", "planner_offer_versions": "planner_moedetilbud_versions",
    "planner_caseworker_versions": "planner_sagsbehandler_versions",
}
JOINT, SINGLE = "30000000-0000-4000-8000-000000000001", "30000000-0000-4000-8000-000000000002"
# Rows of an installation at 0010, under the old names, parents first (the foreign keys hold).
ROWS_0010: list[tuple[str, dict[str, Any]]] = [
    ("enrolments", {"id": "t-1", "cpr": CPR, "startdato": "2026-01-05", "slutdato": None, "klientkategori": 1,
                    "ledighedsgrad": 100}),
    ("bookings", {"indkaldelse_id": "b-1", "cpr": CPR, "moedetilbud_id": SINGLE, "jobcenter_kode": JC,
                  "samtaletype": 7, "moedeform": 1, "moede_start": "2026-03-10T09:00:00+00:00",
                  "moede_slut": "2026-03-10T09:45:00+00:00", "moedetitel": "Jobsamtale",
                  "sagsbehandler_eksternt_id": "RID-1", "sagsbehandler_fornavn": "Anne",
                  "sagsbehandler_efternavn": "Jensen", "samtaleform": 1, "organisationskode": 10101,
                  "organisationstype": 2, "state": "active", "selvbooket": 1, "straksbooking": 0,
                  "borger_skal_acceptere": 0, "accepteret": 1, "ombooking_mulig": 0, "aflysning_mulig": 0,
                  "moedepligt": 1, "vis_sagsbehandlernavn": 1, "oprettet_af": "jobnet",
                  "oprettet": "2026-03-02T07:00:00+00:00", "gruppemoede": 0}),
    ("deadlines", {"id": "f-1", "cpr": CPR, "samtaletype": 7, "fristdato": "2026-03-01",
                   "sidste_afholdelsesdato": "2026-03-31", "status": 2, "straks": 0, "indfriet_af": "b-1"}),
    ("error_reports", {"id": "e-1", "fejlkode": 3, "fejl_ophav": 10, "fejl_tidspunkt": "2026-03-02T07:00:00+00:00",
                       "moedetilbud_id": SINGLE, "indkaldelse_id": "b-1", "fejltekst": "Aflyst", "cpr": CPR,
                       "modtaget": "2026-03-02T07:00:01+00:00"}),
    ("planner_caseworkers", {"nummer": 7, "jobcenter_kode": JC, "eksternt_id": "RID-1", "fornavn": "Anne",
                             "efternavn": "Jensen"}),
    *(("planner_offers", {"moedetilbud_id": tilbud, "jobcenter_kode": JC, "samtaletype": 7, "moedeform": form,
                          "samtaleformer": "[1]", "varighed_minutter": 45, "sidste_moedetid": "2026-03-31T20:00:00+00:00",
                          "sagsbehandler_kan_vaelges": 0, "moedetitel": "Jobsamtale", "aktiv": 1, "straks": 0,
                          "ombooking_mulig": 0, "ombooking_frist_timer": 0, "aflysning_mulig": 0,
                          "aflysning_frist_timer": 0, "moedepligt": 1, "borger_skal_acceptere": 0,
                          "borger_ringer_op": 0, "organisationskode": 10101, "organisationstype": 2})
      for tilbud, form in ((JOINT, 2), (SINGLE, 1))),
    *(("planner_offer_caseworkers", {"moedetilbud_id": tilbud, "nummer": 7}) for tilbud in (JOINT, SINGLE)),
    ("planner_sessions", {"id": 5, "moedetilbud_id": JOINT, "start": "2026-03-11T09:00:00+00:00",
                          "antal_pladser": 10, "ledige_pladser": 9}),
    *(("planner_bookings", {"indkaldelse_id": bid, "cpr": CPR, "moedetilbud_id": tilbud, "start": start,
                            "slut": slut, "sagsbehandler_nummer": 7, "session_id": session, "samtaleform": 1,
                            "state": "active", "accepteret": 1, "straks": 0, "selvbooket": 1,
                            "borger_skal_acceptere": 0, "oprettet": "2026-03-02T07:00:00+00:00"})
      for bid, tilbud, start, slut, session in (
          ("b-1", SINGLE, "2026-03-10T09:00:00+00:00", "2026-03-10T09:45:00+00:00", None),
          ("b-2", JOINT, "2026-03-11T09:00:00+00:00", "2026-03-11T09:45:00+00:00", 5))),
    ("planner_error_reports", {"id": "e-2", "fejlkode": 3, "fejl_ophav": 30,
                               "fejl_tidspunkt": "2026-03-02T07:00:00+00:00", "moedetilbud_id": SINGLE,
                               "indkaldelse_id": "b-1", "fejltekst": None, "cpr": CPR,
                               "modtaget": "2026-03-02T07:00:01+00:00"}),
]


def test_a_database_of_0010_upgrades_to_the_danish_table_names(empty: Any, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: an installation at 0010 with rows in every renamed table upgrades through 0011 with
    its rows intact under the new names, the old names gone, and its guards (foreign keys, the
    partial unique index, the version triggers) still on."""
    database = Database(empty)
    folder = migrated_until(database, "0011", tmp_path, monkeypatch)
    for statement in OLD_DFDG:
        database.conn.execute(statement)
    for table, row in ROWS_0010:
        database.conn.insert(table, row)

    def rows(table: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in database.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()]

    before = {old: rows(old) for old in RENAMED}
    assert all(before.values())  # every renamed table has rows (the version tables from their triggers)
    offer_version = before["planner_offer_versions"]

    shutil.copy(MIGRATIONS / database.backend / "0011_danish_table_names.sql", folder)
    assert database.migrate() == ["0011_danish_table_names.sql"]
    tables = set(database.conn.tables())
    assert set(RENAMED.values()) <= tables and not set(RENAMED) & tables
    assert {old: rows(new) for old, new in RENAMED.items()} == before
    assert "borgere_by_jobcenter" in database.conn.indexes("borgere")
    assert "planner_bookinger_one_per_time" in database.conn.indexes("planner_bookinger")
    assert not [i for new in RENAMED.values() for i in database.conn.indexes(new)
                if any(i.startswith(old + "_") for old in RENAMED)]

    with database.read() as tx:  # the repositories read the rows under the new names
        assert tx.borgere.get(CPR) == citizen()
        assert [f.indfriet_af for f in tx.frister.for_borger(CPR)] == ["b-1"]
        assert [t.id for t in tx.tilmeldinger.for_borger(CPR)] == ["t-1"]
        assert tx.bookinger.get("b-1").moedetilbud_id == SINGLE
        assert tx.fejlmeldinger.get("e-1").fejltekst == "Aflyst"
    # the version triggers now move the renamed versions tables
    database.conn.execute("UPDATE planner_moedetilbud SET aktiv = 0 WHERE moedetilbud_id = ?", [JOINT])
    versions = dict(database.conn.execute("SELECT moedetilbud_id, version FROM planner_moedetilbud_versions").fetchall())
    assert versions[JOINT] > dict(offer_version)[JOINT] and versions[SINGLE] == dict(offer_version)[SINGLE]

    def version(table: str, key: str, value: Any) -> int:
        return int(database.conn.execute(f"SELECT version FROM {table} WHERE {key} = ?", [value]).fetchone()[0])

    for change, versions_table, key, value in (  # and those of every other versioned table
            ("UPDATE planner_moedetilbud_sagsbehandlere SET nummer = 7 WHERE moedetilbud_id = ?",
             "planner_moedetilbud_versions", "moedetilbud_id", JOINT),
            ("UPDATE planner_faellesmoeder SET ledige_pladser = 8 WHERE moedetilbud_id = ?",
             "planner_moedetilbud_versions", "moedetilbud_id", JOINT),
            ("UPDATE planner_sagsbehandlere SET fornavn = 'Anna' WHERE nummer = ?",
             "planner_sagsbehandler_versions", "nummer", 7),
            ("UPDATE planner_bookinger SET accepteret = 1 WHERE sagsbehandler_nummer = ?",
             "planner_sagsbehandler_versions", "nummer", 7)):
        was = version(versions_table, key, value)
        database.conn.execute(change, [value])
        assert version(versions_table, key, value) > was, change
    # the foreign keys point at the renamed tables, and the partial unique index still guards a time
    first = dict(reversed(ROWS_0010))  # each table's first row
    with pytest.raises(ConstraintViolation):  # a deadline of a citizen borgere does not hold
        database.conn.insert("frister", {**first["deadlines"], "id": "f-2", "cpr": ANDEN_CPR[:-1] + "9"})
    with pytest.raises(ConstraintViolation):  # caseworker 7 already has b-1 at that time
        database.conn.insert("planner_bookinger", {**first["planner_bookings"], "indkaldelse_id": "b-3"})
    database.close()


def test_instances_starting_together_apply_each_migration_once(empty: Any) -> None:
    """Four processes' worth of Database objects migrate the same database at once (PostgreSQL:
    under the advisory lock; SQLite: each file in BEGIN IMMEDIATE): every file is applied once."""
    applied: list[list[str]] = []
    errors: list[BaseException] = []

    def start() -> None:
        database = Database(empty)
        try:
            applied.append(database.migrate())
        except Exception as exc:  # noqa: BLE001 - any failure of a racing migration fails the test below
            errors.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    every = [name for names in applied for name in names]
    assert sorted(every) == sorted(set(every)) and len(every) >= 9


def test_each_migration_is_one_transaction(empty: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = Database(empty)
    folder = tmp_path / "migrations" / database.backend
    folder.mkdir(parents=True)
    (folder / "0001_first.sql").write_text("CREATE TABLE a (x INTEGER);\n-- a comment; with a semicolon\n")
    (folder / "0002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n")
    monkeypatch.setattr("jobnet.store.engine.MIGRATIONS", folder.parent)
    with pytest.raises(Exception, match="nowhere"):
        database.migrate()
    assert set(database.conn.tables()) == {"schema_migrations", "a"}  # b was rolled back with its file
    assert database.conn.execute("SELECT name FROM schema_migrations").fetchall() == [("0001_first.sql",)]
    (folder / "0002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\n")
    assert database.migrate() == ["0002_broken.sql"]
    database.close()


def test_indexes_cover_the_lookups(db: Database) -> None:
    assert "bookinger_by_cpr" in db.conn.indexes("bookinger")
    assert "frister_by_cpr" in db.conn.indexes("frister")
    assert "tilmeldinger_by_cpr" in db.conn.indexes("tilmeldinger")
    assert "planner_bookinger_one_per_time" in db.conn.indexes("planner_bookinger")


@pytest.mark.backend("sqlite")
def test_connection_pragmas(db: Database) -> None:
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


@pytest.mark.backend("sqlite")
def test_wal_mode_waits_for_a_writer_of_a_new_file(tmp_path: Path) -> None:
    """Another instance is still writing a new file in its first (rollback-journal) transaction:
    SQLite refuses the switch to WAL at once, without its busy handler, so connecting waits for it."""
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE first_write (x INTEGER)")
    threading.Timer(0.3, other.execute, ("COMMIT",)).start()
    database = Database(path)
    try:
        assert database.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        database.dispose()
        other.close()


@pytest.mark.backend("postgresql")
def test_session_limits(db: Database) -> None:
    """A stuck lock or statement ends in a 503, never a hang (jobnet.store.postgres.SESSION_OPTIONS)."""
    with db.read() as tx:
        settings = dict(tx.conn.execute("SELECT name, setting FROM pg_settings WHERE name IN "
                                        "('lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout')"
                                        ).fetchall())
    assert all(int(v) > 0 for v in settings.values()) and len(settings) == 3


@pytest.mark.backend("sqlite")
def test_one_connection_per_thread(db: Database) -> None:
    mine = db.conn
    theirs: list[Any] = []

    def other() -> None:
        theirs.append(db.conn)
        assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        db.close()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert theirs and theirs[0] is not mine and db.conn is mine


@pytest.mark.backend("sqlite")
def test_close_opens_a_fresh_connection_next_time(db: Database) -> None:
    first = db.conn
    db.close()
    assert db.conn is not first


# --- units of work --------------------------------------------------------------------------
def test_a_failed_transaction_leaves_no_change_and_no_audit(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as tx:
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
        with pytest.raises(ConstraintViolation), db.transaction() as inner:
            inner.borgere.add(citizen())
            inner.borgere.add(citizen())  # duplicate: only the inner part is undone
        tx.borgere.add(citizen(ANDEN_CPR))
    with db.read() as tx:
        assert tx.jobcentre.get(JC) is not None
        assert tx.borgere.get(CPR) is None
        assert tx.borgere.get(ANDEN_CPR) is not None


def test_read_is_read_only(db: Database) -> None:
    with pytest.raises(Exception, match=r"readonly|read-only"), db.read() as tx:
        tx.jobcentre.add(jobcenter())
    with pytest.raises(RuntimeError), db.read(), db.transaction():
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
    with pytest.raises(NotFound), db.transaction() as tx:
        tx.borgere.update(citizen("0000000001"))


def test_tilmeldinger_round_trip(db: Database) -> None:
    seed_dfdg(db)
    a = Tilmelding("t1", CPR, TODAY - 60 * DAG, None, 1, 100)
    b = Tilmelding("t0", CPR, TODAY - 425 * DAG, TODAY - 245 * DAG, 2, 50)  # began and ended before a
    with db.transaction() as tx:
        tx.tilmeldinger.add(a)
        tx.tilmeldinger.add(b)
    with db.read() as tx:
        assert tx.tilmeldinger.for_borger(CPR) == [b, a]
        assert tx.tilmeldinger.for_borger(ANDEN_CPR) == []
    assert audit_rows(db, "tilmelding", "t1")[0]["detail"]["startdato"] == (TODAY - 60 * DAG).isoformat()


def test_frister_round_trip_and_status(db: Database) -> None:
    seed_dfdg(db)
    frist = Frist("f1", CPR, 7, TODAY + 7 * DAG, TODAY + 21 * DAG, straks=True)
    with db.transaction() as tx:
        tx.frister.add(frist)
        tx.bookinger.add(booking())
        tx.frister.set_status("f1", Friststatus.INDFRIET, booking().indkaldelse_id)
    with db.read() as tx:
        [stored] = tx.frister.for_borger(CPR)
    assert stored == dataclasses.replace(frist, status=Friststatus.INDFRIET, indfriet_af=booking().indkaldelse_id)
    assert [r["action"] for r in audit_rows(db, "frist", "f1")] == ["create", "set_status"]
    with pytest.raises(NotFound), db.transaction() as tx:
        tx.frister.set_status("nope", Friststatus.AKTIV, None)


def test_bookinger_round_trip_every_field(db: Database) -> None:
    seed_dfdg(db)
    b = booking()
    with db.transaction() as tx:
        tx.bookinger.add(b)
    with db.read() as tx:
        assert tx.bookinger.get(b.indkaldelse_id) == b
        assert tx.bookinger.get("nope") is None
    stored = db.conn.execute("SELECT moede_start, oprettet FROM bookinger").fetchone()
    assert stored == (f"{TODAY + 8 * DAG}T09:00:00+00:00", f"{TODAY}T08:00:00+00:00")  # UTC text (10:00, 09:00 CET)


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
        (f"{TODAY}T08:00:00+00:00", "create", "jobcenter", "system"),  # NOW, 09:00 CET
        (f"{TODAY}T08:00:00+00:00", "create", "borger", "system"),
        (f"{TODAY}T08:00:00+00:00", "create", "borger", "system"),
    ]
    with pytest.raises(ConstraintViolation, match="append-only"):
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
        lambda tx: tx.frister.add(Frist("f", CPR, 7, TODAY + 7 * DAG, TODAY - DAG)),
        lambda tx: tx.tilmeldinger.add(Tilmelding("t", CPR, TODAY + 7 * DAG, TODAY - DAG, 1, 1)),
    ]
    for write in bad:
        with pytest.raises(ConstraintViolation), db.transaction() as tx:
            write(tx)
    assert db.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 3  # only the seed


def test_naive_datetimes_are_refused(db: Database) -> None:
    seed_dfdg(db)
    with pytest.raises(ValueError, match="naive"), db.transaction() as tx:
        tx.bookinger.add(dataclasses.replace(booking(), moede_start=dt.datetime.combine(TODAY + 8 * DAG, dt.time(10))))


# --- request ids --------------------------------------------------------------------------------
CALLER = "caller-a"


def test_a_request_id_belongs_to_its_caller(db: Database) -> None:
    with db.transaction() as tx:
        assert tx.requests.claim(CALLER, "r1", "DeleteBooking", NOW)
        assert tx.requests.claim("caller-b", "r1", "DeleteBooking", NOW)  # another caller's own id
        assert not tx.requests.claim(CALLER, "r1", "DeleteBooking", NOW)
        assert tx.requests.seen(CALLER, "r1", NOW) and not tx.requests.seen("caller-c", "r1", NOW)


def test_a_request_id_from_before_migration_7_refuses_every_caller(db: Database) -> None:
    with db.transaction() as tx:
        tx.conn.execute("INSERT INTO request_ids VALUES ('*', 'old', 'x', ?)", [NOW.isoformat()])
        assert tx.requests.seen("anyone", "old", NOW + dt.timedelta(days=6))
        assert not tx.requests.seen("anyone", "old", NOW + dt.timedelta(days=7, seconds=1))


def test_request_ids_are_refused_for_seven_days(db: Database) -> None:
    day = dt.timedelta(days=1)
    second = dt.timedelta(seconds=1)

    def claim(request_id: str, at: dt.datetime) -> bool:
        with db.transaction() as tx:
            return tx.requests.claim(CALLER, request_id, "CreateSelvbooking", at)

    assert claim("r1", NOW) is True
    assert claim("r1", NOW + second) is False
    assert claim("r1", NOW + 7 * day - second) is False
    assert claim("r2", NOW) is True
    assert claim("r1", NOW + 7 * day + second) is True  # the old claim expired (and was purged)
    assert db.conn.execute("SELECT count(*) FROM request_ids").fetchone()[0] == 1


def test_released_request_id_can_be_claimed_again(db: Database) -> None:
    with db.transaction() as tx:
        assert tx.requests.claim(CALLER, "r1", "DeleteBooking", NOW)
        tx.requests.release(CALLER, "r1")
        assert tx.requests.claim(CALLER, "r1", "DeleteBooking", NOW)
    assert db.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0  # not audited


def test_request_claim_rolls_back_with_its_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as tx:
        assert tx.requests.claim(CALLER, "r1", "x", NOW)
        raise RuntimeError
    with db.transaction() as tx:
        assert tx.requests.claim(CALLER, "r1", "x", NOW)


# --- issue 5: request-id housekeeping, queued writers, bounded busy reads, bulk writes -----------
def test_an_expired_request_id_is_free_even_before_the_purge_runs(db: Database) -> None:
    """The purge runs at most once a minute per process; the 7-day answer never depends on it."""
    day, second = dt.timedelta(days=1), dt.timedelta(seconds=1)

    def claim(request_id: str, at: dt.datetime) -> bool:
        with db.transaction() as tx:
            return tx.requests.claim(CALLER, request_id, "CreateSelvbooking", at)

    later = NOW + 7 * day
    assert claim("r1", NOW - second) is True
    assert claim("warm-up", later - 30 * second) is True  # purges now: nothing has expired yet
    assert not db.purges.due(later)  # the next purge is a minute away ...
    assert claim("r1", later - second - second) is False  # still within 7 days
    assert claim("r1", later - second) is True  # ... but exactly 7 days later the id is free again
    assert claim("r1", later) is False  # and claimed anew
    rows = db.conn.execute("SELECT claimed_at FROM request_ids WHERE request_id = 'r1'").fetchall()
    assert rows == [((later - second).isoformat(),)]


def test_a_large_purge_is_done_in_batches(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from jobnet.store import requests

    monkeypatch.setattr(requests, "PURGE_BATCH", 3)
    with db.transaction() as tx:
        for i in range(7):
            assert tx.requests.claim(CALLER, f"old{i}", "x", NOW)
    later = NOW + dt.timedelta(days=8)
    remaining = []
    for i in range(4):  # each claim removes at most a batch and purges again while rows are left
        with db.transaction() as tx:
            assert tx.requests.claim(CALLER, f"new{i}", "x", later + dt.timedelta(seconds=i))
        remaining.append(db.conn.execute("SELECT count(*) FROM request_ids WHERE request_id LIKE 'old%'")
                         .fetchone()[0])
    assert remaining == [4, 1, 0, 0]


def test_writers_of_one_process_queue_instead_of_failing(tmp_path: Path, clock: FixedClock) -> None:
    """Many threads read-modify-write one row: every transaction waits its turn (no 'database is
    locked', no lost update), the lock file sits beside the database, nesting is still a savepoint."""
    database = Database(tmp_path / "queue.db", clock=clock)
    database.migrate()
    with database.transaction() as tx:
        tx.conn.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        tx.conn.execute("INSERT INTO counter VALUES (0)")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(40):
                with database.transaction() as tx:
                    n = tx.conn.execute("SELECT n FROM counter").fetchone()[0]
                    with database.transaction() as inner:  # a savepoint inside the queued transaction
                        inner.conn.execute("UPDATE counter SET n = ?", [n + 1])
        except BaseException as exc:  # noqa: BLE001 - whatever a thread raises, the test reports it
            errors.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert database.conn.execute("SELECT n FROM counter").fetchone()[0] == 12 * 40
    assert (tmp_path / "queue.db-writelock").exists()


def _count_up(path: str, times: int) -> None:
    database = Database(path)
    for _ in range(times):
        with database.transaction() as tx:
            n = tx.conn.execute("SELECT n FROM counter").fetchone()[0]
            tx.conn.execute("UPDATE counter SET n = ?", [n + 1])
    database.close()


def test_writers_of_several_processes_queue_too(tmp_path: Path) -> None:
    import multiprocessing

    path = str(tmp_path / "procs.db")
    database = Database(path)
    database.migrate()
    with database.transaction() as tx:
        tx.conn.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        tx.conn.execute("INSERT INTO counter VALUES (0)")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_count_up, args=(path, 150)) for _ in range(3)]
    for p in procs:
        p.start()
    _count_up(path, 150)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert database.conn.execute("SELECT n FROM counter").fetchone()[0] == 4 * 150


def test_a_writer_waits_for_the_lock_of_another_process(tmp_path: Path) -> None:
    """While another process holds the lock file, a transaction here waits; it goes on once freed."""
    import fcntl
    import time

    database = Database(tmp_path / "held.db")
    database.migrate()
    fd = os.open(str(tmp_path / "held.db-writelock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as if another process were writing (a separate open file)
    done = threading.Event()

    def write() -> None:
        with database.transaction() as tx:
            tx.jobcentre.add(jobcenter())
        database.close()
        done.set()

    t = threading.Thread(target=write)
    t.start()
    time.sleep(0.3)
    assert not done.is_set()
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    t.join(10)
    assert done.is_set()


def test_busy_reads_a_bounded_window_and_still_finds_long_bookings(db: Database) -> None:
    from jobnet.domain import Moedetilbud, Sagsbehandler
    from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud
    from jobnet.planner.embedded.sql import PlannerRepo

    day = dt.timedelta(days=1)
    tilbud = "50000000-0000-4000-8000-000000000001"
    with db.transaction() as tx:
        repo = PlannerRepo.of(tx)
        a = repo.add_sagsbehandler(PlannerSagsbehandler(0, JC, Sagsbehandler("RID-A", "A", "A")))
        b = repo.add_sagsbehandler(PlannerSagsbehandler(0, JC, Sagsbehandler("RID-B", "B", "B")))
        repo.add_tilbud(PlannerTilbud(Moedetilbud(tilbud, JC, 7, 1, (1,), 45, False, "Samtale")))

        def add(i: int, n: int, start: dt.datetime, length: dt.timedelta, **kw: Any) -> None:
            repo.add_booking(PlannerBooking(f"60000000-0000-4000-8000-{i:012d}", CPR, tilbud, start,
                                            start + length, n, None, 1, **kw))

        add(1, a, NOW + 2 * day, dt.timedelta(minutes=45))
        add(2, a, NOW - 30 * day, 40 * day)  # started a month ago, ends in ten days
        add(3, a, NOW - 60 * day, dt.timedelta(minutes=45))  # history, far away
        add(4, b, NOW + 2 * day, dt.timedelta(minutes=45), state=BookingState.CANCELLED)
        add(5, b, NOW + 3 * day, dt.timedelta(hours=3))
        add(6, a, NOW + dt.timedelta(hours=1), dt.timedelta(hours=23, minutes=30))  # began 23 h before the window
    with db.read() as tx:
        repo = PlannerRepo.of(tx)
        found = repo.busy_many([a, b], NOW + day, NOW + 4 * day)
        assert {n: [(s - NOW, e - s) for s, e in v] for n, v in found.items()} == {
            a: [(-30 * day, 40 * day), (dt.timedelta(hours=1), dt.timedelta(hours=23, minutes=30)),
                (2 * day, dt.timedelta(minutes=45))],
            b: [(3 * day, dt.timedelta(hours=3))],
        }
        assert [s for s, _ in repo.busy(a, NOW + 2 * day, NOW + 2 * day + dt.timedelta(minutes=1),
                                        undtagen="60000000-0000-4000-8000-000000000001")] == [NOW - 30 * day]
        if db.backend == "sqlite":  # PostgreSQL's planner picks by its statistics, so no plan is asserted there
            plans = " ".join(str(r) for r in tx.conn.execute(
                "EXPLAIN QUERY PLAN SELECT sagsbehandler_nummer, start, slut FROM planner_bookinger "
                "WHERE sagsbehandler_nummer IN (?, ?) AND state != 'cancelled' AND +session_id IS NULL "
                "AND start > ? AND start < ? AND slut > ? AND indkaldelse_id IS NOT ?", [a, b, "", "", "", None]))
            assert "planner_bookinger_live" in plans


def test_audit_details_are_the_full_dataclass_as_before(db: Database) -> None:
    """The audit detail is the JSON of dataclasses.asdict (nested records, dates, enums), built
    without the deep copy."""
    import json

    from jobnet.store import codec

    seed_dfdg(db)
    b = booking()
    with db.transaction() as tx:
        tx.bookinger.add(b)
    [row] = audit_rows(db, "booking", b.indkaldelse_id)
    expected = json.loads(json.dumps(dataclasses.asdict(b), default=codec._default, sort_keys=True))
    assert row["detail"] == expected and row["detail"]["sagsbehandler"]["eksternt_id"]


def test_bulk_writes_keep_one_audit_row_per_record_in_order(db: Database) -> None:
    seed_dfdg(db)
    cprs = ["0303803456", "0404754567", "0505701678"]
    with db.transaction() as tx, tx.audit.deferred():
        tx.borgere.add_many([citizen(c) for c in cprs])
        assert db.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 3  # not yet written
        tx.frister.add_many([Frist(f"f{i}", c, 7, TODAY + 7 * DAG, TODAY + 18 * DAG)
                             for i, c in enumerate(cprs)])
    rows = db.conn.execute("SELECT entity, entity_id FROM audit ORDER BY id").fetchall()[3:]
    assert rows == [("borger", c) for c in cprs] + [("frist", f"f{i}") for i in range(3)]
    # a bulk write that fails leaves neither rows nor audit
    with pytest.raises(ConstraintViolation), db.transaction() as tx, tx.audit.deferred():
        tx.borgere.add_many([citizen("0606652789"), citizen(CPR)])
    assert db.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 9
    with db.read() as tx:
        assert tx.borgere.get("0606652789") is None
