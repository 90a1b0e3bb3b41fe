"""SQL for the embedded planner's tables (planner_*). Writes are audited like every other change."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from jobnet.clock import Clock
from jobnet.domain import BookingState, Fejlmelding
from jobnet.errors import NotFound
from jobnet.planner.embedded import rows as records
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud, Session
from jobnet.store import codec
from jobnet.store.audit import AuditRepo, Repo
from jobnet.store.bookings import moedested_json
from jobnet.store.engine import Connection
from jobnet.store.fejlmeldinger import to_row as fejlmelding_row

if TYPE_CHECKING:
    from jobnet.store.tx import Tx

_POLICY_FLAGS = ("ombooking_mulig", "aflysning_mulig", "moedepligt", "borger_skal_acceptere",
                 "borger_ringer_op")
_POLICY_VALUES = ("ombooking_frist_timer", "aflysning_frist_timer", "telefonnummer",
                  "digitalt_moedelink", "organisationskode", "organisationstype")
_SHORT = dt.timedelta(days=1)  # longer live bookings are found through planner_bookinger_long
_CHUNK = 500  # caseworker numbers per IN (...) list, well below SQLite's limit on parameters


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


class PlannerRepo(Repo):
    def __init__(self, conn: Connection, audit: AuditRepo, actor: str, clock: Clock) -> None:
        super().__init__(conn, audit, actor)
        self._clock = clock

    @classmethod
    def of(cls, tx: Tx) -> PlannerRepo:
        """The planner's tables inside an open unit of work."""
        return cls(tx.conn, tx.audit, tx.actor, tx.clock)

    # --- caseworkers ---------------------------------------------------------------------
    def add_sagsbehandler(self, s: PlannerSagsbehandler) -> int:
        nummer: int = self._conn.insert("planner_sagsbehandlere", key="nummer", values={
            "nummer": s.nummer or None,
            "jobcenter_kode": s.jobcenter_kode,
            "eksternt_id": s.sagsbehandler.eksternt_id,
            "fornavn": s.sagsbehandler.fornavn,
            "mellemnavn": s.sagsbehandler.mellemnavn,
            "efternavn": s.sagsbehandler.efternavn,
            "arbejdsdage": json.dumps(list(s.arbejdsdage)),
            "arbejdstid_fra": s.arbejdstid_fra.strftime("%H:%M"),
            "arbejdstid_til": s.arbejdstid_til.strftime("%H:%M"),
        })
        self._audit("create", "planner_sagsbehandler", str(nummer), dataclasses.replace(s, nummer=nummer))
        return nummer

    def sagsbehandler_by_rid(self, eksternt_id: str) -> PlannerSagsbehandler | None:
        row = self._conn.fetch_one("SELECT * FROM planner_sagsbehandlere WHERE eksternt_id = ?", [eksternt_id])
        return None if row is None else records.caseworker(row)

    def sagsbehandler(self, nummer: int) -> PlannerSagsbehandler | None:
        row = self._conn.fetch_one("SELECT * FROM planner_sagsbehandlere WHERE nummer = ?", [nummer])
        return None if row is None else records.caseworker(row)

    def sagsbehandlere_for_tilbud(self, moedetilbud_id: str) -> list[PlannerSagsbehandler]:
        rows = self._conn.fetch_all(
            "SELECT c.* FROM planner_sagsbehandlere c JOIN planner_moedetilbud_sagsbehandlere l USING (nummer) "
            "WHERE l.moedetilbud_id = ? ORDER BY c.nummer",
            [moedetilbud_id],
        )
        return [records.caseworker(r) for r in rows]

    # --- offers --------------------------------------------------------------------------
    def add_tilbud(self, t: PlannerTilbud) -> None:
        o = t.tilbud
        row: dict[str, Any] = {
            "moedetilbud_id": o.moedetilbud_id,
            "jobcenter_kode": o.jobcenter_kode,
            "samtaletype": o.samtaletype,
            "moedeform": o.moedeform,
            "samtaleformer": json.dumps(list(o.samtaleformer)),
            "varighed_minutter": o.varighed_minutter,
            "foerste_moedetid": codec.ts(o.foerste_moedetid),
            "sidste_moedetid": codec.ts(o.sidste_moedetid),
            "sagsbehandler_kan_vaelges": codec.flag(o.sagsbehandler_kan_vaelges),
            "moedetitel": o.moedetitel,
            "moedebeskrivelse": o.moedebeskrivelse,
            "moedested": moedested_json(o.moedested),
            "aktiv": codec.flag(t.aktiv),
            "straks": codec.flag(t.straks),
            "kontaktgrupper": None if t.kontaktgrupper is None else json.dumps(list(t.kontaktgrupper)),
        }
        row.update({name: codec.flag(getattr(t.politik, name)) for name in _POLICY_FLAGS})
        row.update({name: getattr(t.politik, name) for name in _POLICY_VALUES})
        self._conn.insert("planner_moedetilbud", row)
        self._audit("create", "planner_moedetilbud", o.moedetilbud_id, t)

    def link(self, moedetilbud_id: str, nummer: int) -> None:
        self._conn.insert("planner_moedetilbud_sagsbehandlere", {"moedetilbud_id": moedetilbud_id, "nummer": nummer})
        self._audit("link", "planner_moedetilbud", moedetilbud_id, {"sagsbehandler_nummer": nummer})

    def tilbud(self, moedetilbud_id: str) -> PlannerTilbud | None:
        row = self._conn.fetch_one("SELECT * FROM planner_moedetilbud WHERE moedetilbud_id = ?", [moedetilbud_id])
        return None if row is None else records.offer(row)

    def tilbud_for_jobcenter(self, kode: str, samtaletype: int | None = None) -> list[PlannerTilbud]:
        sql = "SELECT * FROM planner_moedetilbud WHERE jobcenter_kode = ?"
        params: list[Any] = [kode]
        if samtaletype is not None:
            sql += " AND samtaletype = ?"
            params.append(samtaletype)
        sql += " ORDER BY samtaletype, moedetitel, moedetilbud_id"
        return [records.offer(r) for r in self._conn.fetch_all(sql, params)]

    # --- joint-meeting sessions ------------------------------------------------------------
    def add_session(self, moedetilbud_id: str, start: dt.datetime, antal: int, ledige: int) -> int:
        session_id: int = self._conn.insert("planner_faellesmoeder", key="id", values={
            "moedetilbud_id": moedetilbud_id, "start": codec.ts(start),
            "antal_pladser": antal, "ledige_pladser": ledige,
        })
        self._audit("create", "planner_session", str(session_id), {
            "moedetilbud_id": moedetilbud_id, "start": start, "antal_pladser": antal, "ledige_pladser": ledige,
        })
        return session_id

    def sessions(self, moedetilbud_id: str, fra: dt.datetime, til: dt.datetime) -> list[Session]:
        """Sessions of the offer starting in [fra, til)."""
        rows = self._conn.fetch_all(
            "SELECT * FROM planner_faellesmoeder WHERE moedetilbud_id = ? AND start >= ? AND start < ? ORDER BY start",
            [moedetilbud_id, codec.ts(fra), codec.ts(til)],
        )
        return [records.session(r) for r in rows]

    def session_at(self, moedetilbud_id: str, start: dt.datetime) -> Session | None:
        row = self._conn.fetch_one("SELECT * FROM planner_faellesmoeder WHERE moedetilbud_id = ? AND start = ?",
            [moedetilbud_id, codec.ts(start)],
        )
        return None if row is None else records.session(row)

    def _lock_offer_of(self, session_id: int) -> None:
        """Hold the session's offer's version row first (PostgreSQL): a seat change moves that version
        by trigger after it locked the session, so two transactions changing two sessions of one offer
        (a rebooking between them, a booking or a cancellation) would otherwise lock the same two rows in
        opposite orders and deadlock. SQLite's one writer has no such orders."""
        if self._conn.lock_rows:
            self._conn.execute("SELECT version FROM planner_moedetilbud_versions WHERE moedetilbud_id = "
                               f"(SELECT moedetilbud_id FROM planner_faellesmoeder WHERE id = ?){self._conn.lock_rows}",
                               [session_id])

    def take_seat(self, session_id: int) -> bool:
        """Take one seat if one is free; the conditional UPDATE makes this race-free."""
        self._lock_offer_of(session_id)
        cur = self._conn.execute(
            "UPDATE planner_faellesmoeder SET ledige_pladser = ledige_pladser - 1 WHERE id = ? AND ledige_pladser > 0",
            [session_id],
        )
        if cur.rowcount != 1:
            return False
        self._audit("take_seat", "planner_session", str(session_id), {})
        return True

    def free_seat(self, session_id: int) -> None:
        self._lock_offer_of(session_id)
        self._conn.execute(
            "UPDATE planner_faellesmoeder SET ledige_pladser = ledige_pladser + 1 WHERE id = ?", [session_id]
        )
        self._audit("free_seat", "planner_session", str(session_id), {})

    # --- bookings ------------------------------------------------------------------------
    def add_booking(self, b: PlannerBooking) -> None:
        self._conn.insert("planner_bookinger", records.booking_row(b, self._clock.now()))
        self._audit("create", "planner_booking", b.indkaldelse_id, b)

    def add_bookings(self, bookings: Sequence[PlannerBooking]) -> None:
        """Like ``add_booking`` for each, with one executemany (bulk loads); one audit row each."""
        self._conn.insert_all("planner_bookinger", [records.booking_row(b, self._clock.now()) for b in bookings])
        for b in bookings:
            self._audit("create", "planner_booking", b.indkaldelse_id, b)

    def booking(self, indkaldelse_id: str) -> PlannerBooking | None:
        row = self._conn.fetch_one("SELECT * FROM planner_bookinger WHERE indkaldelse_id = ?", [indkaldelse_id])
        return None if row is None else records.planner_booking(row)

    def save_booking(self, b: PlannerBooking, action: str) -> None:
        """Store a changed booking (time, caseworker, seat, form, state, acceptance)."""
        cur = self._conn.execute(
            "UPDATE planner_bookinger SET start = ?, slut = ?, sagsbehandler_nummer = ?, session_id = ?, "
            "samtaleform = ?, state = ?, accepteret = ? WHERE indkaldelse_id = ?",
            [codec.ts(b.start), codec.ts(b.slut), b.sagsbehandler_nummer, b.session_id, b.samtaleform,
             BookingState(b.state).value, codec.flag(b.accepteret), b.indkaldelse_id],
        )
        if cur.rowcount != 1:
            raise NotFound(f"planner booking {b.indkaldelse_id}")
        self._audit(action, "planner_booking", b.indkaldelse_id, b)

    def busy(
        self, nummer: int, fra: dt.datetime, til: dt.datetime, undtagen: str | None = None
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The caseworker's live individual bookings overlapping [fra, til), by start."""
        return self.busy_many([nummer], fra, til, undtagen).get(nummer, [])

    def timeslot_versions(self, moedetilbud_id: str) -> tuple[int | None, int]:
        """The offer's version and the sum of its caseworkers' versions (migration 0006). Every
        version only grows, so the sum changes whenever one of them does."""
        row = self._conn.execute(
            "SELECT (SELECT version FROM planner_moedetilbud_versions WHERE moedetilbud_id = ?), "
            "(SELECT coalesce(sum(v.version), 0) FROM planner_moedetilbud_sagsbehandlere l "
            " JOIN planner_sagsbehandler_versions v ON v.nummer = l.nummer WHERE l.moedetilbud_id = ?)",
            [moedetilbud_id, moedetilbud_id],
        ).fetchone()
        return row[0], row[1]

    def busy_many(
        self, numre: Iterable[int], fra: dt.datetime, til: dt.datetime, undtagen: str | None = None
    ) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
        """Each caseworker's live individual bookings overlapping [fra, til), sorted by start.

        A booking that overlaps the window and lasts at most a day starts after ``fra`` minus a
        day, so only that range of the caseworker's start times is read (not their whole
        history); longer bookings come from the partial index planner_bookinger_long (0005).
        ``+session_id`` keeps SQLite off the index by session: ``session_id IS NULL`` matches
        almost every row, which the planner cannot know without statistics.
        """
        lo, hi, ts_fra = codec.ts(fra - _SHORT), codec.ts(til), codec.ts(fra)
        found: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        for chunk in _chunks(sorted(set(numre))):
            marks = ", ".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT sagsbehandler_nummer, start, slut FROM planner_bookinger "
                f"WHERE sagsbehandler_nummer IN ({marks}) AND state != 'cancelled' AND +session_id IS NULL "
                "AND start > ? AND start < ? AND slut > ? AND indkaldelse_id IS DISTINCT FROM ? "
                "UNION ALL "
                f"SELECT sagsbehandler_nummer, start, slut FROM planner_bookinger "
                f"WHERE sagsbehandler_nummer IN ({marks}) AND state != 'cancelled' "
                f"AND {self._conn.long_booking} AND +session_id IS NULL "
                "AND start <= ? AND slut > ? AND indkaldelse_id IS DISTINCT FROM ?",
                [*chunk, lo, hi, ts_fra, undtagen, *chunk, lo, ts_fra, undtagen],
            ).fetchall()
            for nummer, start, slut in rows:
                found.setdefault(nummer, []).append((codec.instant(start), codec.instant(slut)))
        for intervals in found.values():
            intervals.sort()
        return found

    def live_counts(self, numre: Iterable[int], fra: dt.datetime | None = None) -> dict[int, int]:
        """Live bookings starting at or after ``fra`` (default: now) per caseworker (absent: 0).

        Only the caseworkers' coming load counts, so the whole history is not read; the count is
        answered from the index planner_bookinger_live alone.
        """
        since = codec.ts(fra or self._clock.now())
        counts: dict[int, int] = {}
        for chunk in _chunks(sorted(set(numre))):
            marks = ", ".join("?" * len(chunk))
            counts.update(self._conn.execute(
                f"SELECT sagsbehandler_nummer, count(*) FROM planner_bookinger WHERE sagsbehandler_nummer IN ({marks}) "
                "AND state != 'cancelled' AND start >= ? GROUP BY sagsbehandler_nummer",
                [*chunk, since],
            ).fetchall())
        return counts

    # --- error reports ---------------------------------------------------------------------
    def add_fejlmelding(self, fejlmelding: Fejlmelding) -> str:
        fejlmelding_id = str(uuid.uuid4())
        row = {"id": fejlmelding_id, **fejlmelding_row(fejlmelding), "modtaget": codec.ts(self._clock.now())}
        self._conn.insert("planner_fejlmeldinger", row)
        self._audit("create", "planner_fejlmelding", fejlmelding_id, fejlmelding)
        return fejlmelding_id
