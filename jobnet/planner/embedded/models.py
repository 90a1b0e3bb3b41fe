"""Records of the embedded planner's own tables (planner_*; not part of jobnet.domain: only the planner uses them)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jobnet.domain import BookingState, Moedeform, Moedetilbud, Sagsbehandler

MANDAG_TIL_FREDAG = (1, 2, 3, 4, 5)  # ISO weekdays


@dataclass(frozen=True)
class PlannerSagsbehandler:
    nummer: int  # CaseWorkerID; 0 on insert = let the database choose
    jobcenter_kode: str
    sagsbehandler: Sagsbehandler
    arbejdsdage: tuple[int, ...] = MANDAG_TIL_FREDAG
    arbejdstid_fra: dt.time = dt.time(9, 0)  # local time, Europe/Copenhagen
    arbejdstid_til: dt.time = dt.time(15, 0)


@dataclass(frozen=True)
class Tilbudspolitik:
    """What the planner puts on the bookings it creates from an offer."""

    ombooking_mulig: bool = True
    ombooking_frist_timer: int = 24  # rebooking deadline = start - hours
    aflysning_mulig: bool = True
    aflysning_frist_timer: int = 24
    moedepligt: bool = True
    borger_skal_acceptere: bool = False
    telefonnummer: str | None = None
    digitalt_moedelink: str | None = None
    borger_ringer_op: bool = False
    organisationskode: int = 0
    organisationstype: int = 2


@dataclass(frozen=True)
class PlannerTilbud:
    """An interview offer as the planner keeps it: the public part plus policy and filters."""

    tilbud: Moedetilbud  # sagsbehandlere left empty here; the link table holds them
    politik: Tilbudspolitik = Tilbudspolitik()
    aktiv: bool = True
    straks: bool = False  # offered for immediate booking only
    kontaktgrupper: tuple[int, ...] | None = None  # None: every contact group

    @property
    def id(self) -> str:
        return self.tilbud.moedetilbud_id

    @property
    def faelles(self) -> bool:
        return self.tilbud.moedeform == Moedeform.FAELLES

    def tillader(self, kontaktgruppe: int | None) -> bool:
        return self.kontaktgrupper is None or kontaktgruppe in self.kontaktgrupper


@dataclass(frozen=True)
class Session:
    """One joint meeting (fællesmøde) of an offer, with its seats."""

    id: int
    moedetilbud_id: str
    start: dt.datetime
    antal_pladser: int
    ledige_pladser: int


@dataclass(frozen=True)
class PlannerBooking:
    indkaldelse_id: str
    cpr: str
    moedetilbud_id: str
    start: dt.datetime
    slut: dt.datetime
    sagsbehandler_nummer: int
    session_id: int | None
    samtaleform: int
    state: BookingState = BookingState.ACTIVE
    accepteret: bool = False
    straks: bool = False
    selvbooket: bool = True
    borger_skal_acceptere: bool = False
    oprettet: dt.datetime | None = None
    made_by: str | None = None  # the planner client that booked it over SOAP; None: this DFDG

    @property
    def live(self) -> bool:
        return self.state is not BookingState.CANCELLED
