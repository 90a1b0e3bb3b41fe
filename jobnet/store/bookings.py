"""The register of bookings (indkaldelser) DFDG keeps for each citizen."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jobnet.clock import Clock
from jobnet.domain import Adresse, Booking, BookingState, Indkalder, Kontaktdetaljer, Moedested, Sagsbehandler
from jobnet.errors import NotFound
from jobnet.store import codec
from jobnet.store.audit import AuditRepo, Repo
from jobnet.store.engine import Connection, Row

_FLAGS = (
    "selvbooket", "straksbooking", "borger_skal_acceptere", "accepteret", "ombooking_mulig",
    "aflysning_mulig", "moedepligt", "vis_sagsbehandlernavn", "gruppemoede",
)


class BookingRepo(Repo):
    def __init__(self, conn: Connection, audit: AuditRepo, actor: str, clock: Clock) -> None:
        super().__init__(conn, audit, actor)
        self._clock = clock

    def get(self, indkaldelse_id: str) -> Booking | None:
        row = self._conn.fetch_one("SELECT * FROM bookinger WHERE indkaldelse_id = ?", [indkaldelse_id])
        return None if row is None else _booking(row)

    def for_borger(self, cpr: str, live_only: bool = True) -> list[Booking]:
        sql = "SELECT * FROM bookinger WHERE cpr = ?"
        if live_only:
            sql += " AND state != 'cancelled'"
        rows = self._conn.fetch_all(sql + " ORDER BY moede_start, indkaldelse_id", [cpr])
        return [_booking(r) for r in rows]

    def add(self, booking: Booking) -> None:
        self._conn.insert("bookinger", self._row(booking))
        self._audit("create", "booking", booking.indkaldelse_id, booking)

    def add_many(self, bookings: Sequence[Booking]) -> None:
        """Like ``add`` for each, with one executemany (bulk loads); one audit row each."""
        self._conn.insert_all("bookinger", [self._row(b) for b in bookings])
        for booking in bookings:
            self._audit("create", "booking", booking.indkaldelse_id, booking)

    def update(self, booking: Booking) -> None:
        values = self._row(booking)
        del values["indkaldelse_id"]
        if self._conn.update("bookinger", "indkaldelse_id", booking.indkaldelse_id, values) != 1:
            raise NotFound(f"booking {booking.indkaldelse_id}")
        self._audit("update", "booking", booking.indkaldelse_id, booking)

    def _row(self, b: Booking) -> dict[str, Any]:
        row: dict[str, Any] = {
            "indkaldelse_id": b.indkaldelse_id,
            "cpr": b.cpr,
            "moedetilbud_id": b.moedetilbud_id,
            "jobcenter_kode": b.jobcenter_kode,
            "samtaletype": b.samtaletype,
            "moedeform": b.moedeform,
            "moede_start": codec.ts(b.moede_start),
            "moede_slut": codec.ts(b.moede_slut),
            "moedetitel": b.moedetitel,
            "moedebeskrivelse": b.moedebeskrivelse,
            "sagsbehandler_eksternt_id": b.sagsbehandler.eksternt_id,
            "sagsbehandler_fornavn": b.sagsbehandler.fornavn,
            "sagsbehandler_mellemnavn": b.sagsbehandler.mellemnavn,
            "sagsbehandler_efternavn": b.sagsbehandler.efternavn,
            "samtaleform": b.kontakt.samtaleform,
            "digitalt_moedelink": b.kontakt.digitalt_moedelink,
            "telefonnummer": b.kontakt.telefonnummer,
            "borger_ringer_op": codec.flag(b.kontakt.borger_ringer_op),
            "organisationskode": b.indkalder.organisationskode,
            "organisationstype": b.indkalder.organisationstype,
            "moedested": moedested_json(b.moedested),
            "state": BookingState(b.state).value,
            "ombookingsfrist": codec.ts(b.ombookingsfrist),
            "aflysningsfrist": codec.ts(b.aflysningsfrist),
            "print_kommentar": b.print_kommentar,
            "oprettet_af": b.oprettet_af,
            # The register always knows when a booking was created.
            "oprettet": codec.ts(b.oprettet or self._clock.now()),
        }
        row.update({name: codec.flag(getattr(b, name)) for name in _FLAGS})
        return row


def moedested_json(m: Moedested | None) -> str | None:
    return None if m is None else codec.to_json(m)


def moedested_from_json(text: str | None) -> Moedested | None:
    data = codec.from_json(text)
    if data is None:
        return None
    adresse = data.get("adresse")
    return Moedested(
        beskrivelse=data.get("beskrivelse"),
        adresse=None if adresse is None else Adresse(**adresse),
    )


def _booking(r: Row) -> Booking:
    return Booking(
        indkaldelse_id=r["indkaldelse_id"],
        cpr=r["cpr"],
        moedetilbud_id=r["moedetilbud_id"],
        jobcenter_kode=r["jobcenter_kode"],
        samtaletype=r["samtaletype"],
        moedeform=r["moedeform"],
        moede_start=codec.instant(r["moede_start"]),
        moede_slut=codec.parse_ts(r["moede_slut"]),
        moedetitel=r["moedetitel"],
        moedebeskrivelse=r["moedebeskrivelse"],
        sagsbehandler=Sagsbehandler(
            eksternt_id=r["sagsbehandler_eksternt_id"],
            fornavn=r["sagsbehandler_fornavn"],
            efternavn=r["sagsbehandler_efternavn"],
            mellemnavn=r["sagsbehandler_mellemnavn"],
        ),
        kontakt=Kontaktdetaljer(
            samtaleform=r["samtaleform"],
            digitalt_moedelink=r["digitalt_moedelink"],
            telefonnummer=r["telefonnummer"],
            borger_ringer_op=codec.parse_flag(r["borger_ringer_op"]),
        ),
        indkalder=Indkalder(r["organisationskode"], r["organisationstype"]),
        moedested=moedested_from_json(r["moedested"]),
        state=BookingState(r["state"]),
        ombookingsfrist=codec.parse_ts(r["ombookingsfrist"]),
        aflysningsfrist=codec.parse_ts(r["aflysningsfrist"]),
        print_kommentar=r["print_kommentar"],
        oprettet_af=r["oprettet_af"],
        oprettet=codec.parse_ts(r["oprettet"]),
        **{name: bool(r[name]) for name in _FLAGS},
    )
