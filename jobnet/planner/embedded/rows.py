"""The embedded planner's rows as records and back (the SQL itself is in sql.py)."""
from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from jobnet.domain import BookingState, Moedetilbud, Sagsbehandler
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud, Session, Tilbudspolitik
from jobnet.store import codec
from jobnet.store.bookings import moedested_from_json
from jobnet.store.engine import Row


def caseworker(r: Row) -> PlannerSagsbehandler:
    return caseworker_of(r["nummer"], r["jobcenter_kode"], r["eksternt_id"], r["fornavn"], r["efternavn"],
                         r["mellemnavn"], r["arbejdsdage"], r["arbejdstid_fra"], r["arbejdstid_til"])


@functools.lru_cache(maxsize=1 << 14)
def caseworker_of(nummer: int, jobcenter_kode: str, eksternt_id: str, fornavn: str, efternavn: str,
                   mellemnavn: str | None, arbejdsdage: str, fra: str, til: str) -> PlannerSagsbehandler:
    """A caseworker row as a record; the same row values give the same (immutable) record, so it
    is parsed once per process (an offer's 30 caseworkers are read on every search and booking)."""
    return PlannerSagsbehandler(
        nummer=nummer,
        jobcenter_kode=jobcenter_kode,
        sagsbehandler=Sagsbehandler(
            eksternt_id=eksternt_id, fornavn=fornavn, efternavn=efternavn, mellemnavn=mellemnavn,
        ),
        arbejdsdage=tuple(json.loads(arbejdsdage)),
        arbejdstid_fra=dt.time.fromisoformat(fra),
        arbejdstid_til=dt.time.fromisoformat(til),
    )


def offer(r: Row) -> PlannerTilbud:
    politik = Tilbudspolitik(
        ombooking_mulig=bool(r["ombooking_mulig"]),
        ombooking_frist_timer=r["ombooking_frist_timer"],
        aflysning_mulig=bool(r["aflysning_mulig"]),
        aflysning_frist_timer=r["aflysning_frist_timer"],
        moedepligt=bool(r["moedepligt"]),
        borger_skal_acceptere=bool(r["borger_skal_acceptere"]),
        telefonnummer=r["telefonnummer"],
        digitalt_moedelink=r["digitalt_moedelink"],
        borger_ringer_op=bool(r["borger_ringer_op"]),
        organisationskode=r["organisationskode"],
        organisationstype=r["organisationstype"],
    )
    tilbud = Moedetilbud(
        moedetilbud_id=r["moedetilbud_id"],
        jobcenter_kode=r["jobcenter_kode"],
        samtaletype=r["samtaletype"],
        moedeform=r["moedeform"],
        samtaleformer=tuple(json.loads(r["samtaleformer"])),
        varighed_minutter=r["varighed_minutter"],
        sagsbehandler_kan_vaelges=bool(r["sagsbehandler_kan_vaelges"]),
        moedetitel=r["moedetitel"],
        foerste_moedetid=codec.parse_ts(r["foerste_moedetid"]),
        sidste_moedetid=codec.parse_ts(r["sidste_moedetid"]),
        moedebeskrivelse=r["moedebeskrivelse"],
        moedested=moedested_from_json(r["moedested"]),
    )
    grupper = codec.from_json(r["kontaktgrupper"])
    return PlannerTilbud(
        tilbud=tilbud, politik=politik, aktiv=bool(r["aktiv"]), straks=bool(r["straks"]),
        kontaktgrupper=None if grupper is None else tuple(grupper),
    )


def session(r: Row) -> Session:
    return Session(
        id=r["id"], moedetilbud_id=r["moedetilbud_id"], start=codec.instant(r["start"]),
        antal_pladser=r["antal_pladser"], ledige_pladser=r["ledige_pladser"],
    )


def planner_booking(r: Row) -> PlannerBooking:
    return PlannerBooking(
        indkaldelse_id=r["indkaldelse_id"],
        cpr=r["cpr"],
        moedetilbud_id=r["moedetilbud_id"],
        start=codec.instant(r["start"]),
        slut=codec.instant(r["slut"]),
        sagsbehandler_nummer=r["sagsbehandler_nummer"],
        session_id=r["session_id"],
        samtaleform=r["samtaleform"],
        state=BookingState(r["state"]),
        accepteret=bool(r["accepteret"]),
        straks=bool(r["straks"]),
        selvbooket=bool(r["selvbooket"]),
        borger_skal_acceptere=bool(r["borger_skal_acceptere"]),
        oprettet=codec.parse_ts(r["oprettet"]),
        made_by=r["made_by"],
    )


def booking_row(b: PlannerBooking, now: dt.datetime) -> dict[str, Any]:
    return {
        "indkaldelse_id": b.indkaldelse_id,
        "cpr": b.cpr,
        "moedetilbud_id": b.moedetilbud_id,
        "start": codec.ts(b.start),
        "slut": codec.ts(b.slut),
        "sagsbehandler_nummer": b.sagsbehandler_nummer,
        "session_id": b.session_id,
        "samtaleform": b.samtaleform,
        "state": BookingState(b.state).value,
        "accepteret": codec.flag(b.accepteret),
        "straks": codec.flag(b.straks),
        "selvbooket": codec.flag(b.selvbooket),
        "borger_skal_acceptere": codec.flag(b.borger_skal_acceptere),
        "made_by": b.made_by,
        "oprettet": codec.ts(b.oprettet or now),
    }
