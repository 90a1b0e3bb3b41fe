"""Domain entities, in the spec's words (Danish names, English XSD names in comments).

Instants are timezone-aware ``datetime`` in UTC; dates are judged in Europe/Copenhagen
(see ``jobnet.clock``). Code-list ids are plain ints; their names live in ``specs/codelists.yaml``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


# --- code-list ids used by rules (docs/reference.md §5, §8 Q10/Q11) -------------------------------
class Samtaletype:  # InterviewTypeIdentifier
    OPFOELGNINGSSAMTALE = 4
    JOBSAMTALE = 7
    FAELLES_JOBSAMTALE = 17
    FAELLES_SAMTALE_18 = 18
    REHAB_TEAM = 21  # placeholder id: "Samtale i rehabiliteringsteam" (id not found, see codelists.yaml)


class Moedeform:  # InterviewFormTypeIdentifier (placeholder ids)
    INDIVIDUELT = 1
    FAELLES = 2


class Samtaleform:  # InterviewContactTypeIdentifier (only 6 and 8 are sourced)
    PERSONLIGT = 1
    TELEFONISK = 2
    MOEDE_PAA_ARBEJDE = 6
    DIGITALT = 8


class Friststatus:  # InterviewDeadlineStatusTypeIdentifier (placeholder ids)
    AKTIV = 1
    INDFRIET = 2
    OVERSKREDET = 3
    ANNULLERET = 4


class FejlOphav:  # ClientSystemTypeIdentifier
    DFDG = 30
    JOBNET = 32


class BookingState(str, Enum):
    ACTIVE = "active"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class Absence(str, Enum):
    NONE = "none"
    CONFLICTS_WITH_CONTACT_GROUP = "conflicts_with_contact_group"  # 4645
    BLOCKS_ENROLLMENT = "blocks_enrollment"  # 4750


# --- citizen side (owned by this service, "DFDG") -----------------------------------------
@dataclass(frozen=True)
class Borger:
    cpr: str
    jobcenter_kode: str | None  # None: not attached to a job centre (not enrolled)
    kontaktgruppe: int | None
    klientkategori: int | None
    levende: bool = True
    har_jobnet_cv: bool = True
    udlandet: bool = False  # abroad (4720)
    midlertidig_udenlandsk_adresse: bool = False  # 4725
    fravaer: Absence = Absence.NONE
    kan_selvbooke: bool = True
    straksbooking_paakraevet: bool = False
    profil_komplet: bool = True  # 9344 when False


@dataclass(frozen=True)
class Tilmelding:  # enrolment period (UnemploymentEnrollment)
    id: str
    cpr: str
    startdato: dt.date
    slutdato: dt.date | None
    klientkategori: int
    ledighedsgrad: int


@dataclass(frozen=True)
class Frist:  # InterviewDeadlineType
    id: str
    cpr: str
    samtaletype: int
    fristdato: dt.date  # InterviewDeadlineDate: book by this day
    sidste_afholdelsesdato: dt.date  # InterviewDateLimit: hold the meeting by this day
    status: int = Friststatus.AKTIV
    straks: bool = False  # this deadline is the cause of an immediate-booking requirement
    indfriet_af: str | None = None  # booking id that fulfilled it


@dataclass(frozen=True)
class Sagsbehandler:  # CaseWorkerStructureType
    eksternt_id: str  # CaseWorkerIdentifier (RID)
    fornavn: str
    efternavn: str
    mellemnavn: str | None = None


@dataclass(frozen=True)
class Adresse:  # AddressPostalType (short form)
    vejnavn: str
    husnummer: str
    postnummer: str
    bynavn: str
    etage: str | None = None
    side_doer: str | None = None
    landekode: str | None = None


@dataclass(frozen=True)
class Moedested:  # InterviewLocationDetailType
    beskrivelse: str | None = None
    adresse: Adresse | None = None


@dataclass(frozen=True)
class Kontaktdetaljer:  # InterviewContactDetailType
    samtaleform: int
    digitalt_moedelink: str | None = None
    telefonnummer: str | None = None
    borger_ringer_op: bool | None = None


@dataclass(frozen=True)
class Indkalder:  # BookingOriginatorType
    organisationskode: int
    organisationstype: int


@dataclass
class Booking:  # an "indkaldelse" in the register; JobnetBookingDetailsType when shown
    indkaldelse_id: str
    cpr: str
    moedetilbud_id: str | None
    jobcenter_kode: str
    samtaletype: int
    moedeform: int
    moede_start: dt.datetime
    moede_slut: dt.datetime | None
    moedetitel: str
    sagsbehandler: Sagsbehandler
    kontakt: Kontaktdetaljer
    indkalder: Indkalder
    moedebeskrivelse: str | None = None
    moedested: Moedested | None = None
    state: BookingState = BookingState.ACTIVE
    selvbooket: bool = True
    straksbooking: bool = False
    borger_skal_acceptere: bool = False
    accepteret: bool = False
    ombooking_mulig: bool = False
    ombookingsfrist: dt.datetime | None = None
    aflysning_mulig: bool = False
    aflysningsfrist: dt.datetime | None = None
    moedepligt: bool = True
    vis_sagsbehandlernavn: bool = True
    gruppemoede: bool = False  # IsGroupMeeting: STAR's unnamed boolean, proposed (domain.md §8 Q9)
    print_kommentar: str | None = None
    oprettet_af: str = "jobnet"  # who created it: jobnet (citizen), jobcenter, star
    oprettet: dt.datetime | None = None

    @property
    def live(self) -> bool:
        return self.state is not BookingState.CANCELLED


# --- planner side (owned by the job centre's planner; the embedded planner keeps it here too) --
@dataclass(frozen=True)
class Moedetilbud:  # InterviewOptionType
    moedetilbud_id: str
    jobcenter_kode: str
    samtaletype: int
    moedeform: int
    samtaleformer: tuple[int, ...]
    varighed_minutter: int
    sagsbehandler_kan_vaelges: bool
    moedetitel: str
    foerste_moedetid: dt.datetime | None = None
    sidste_moedetid: dt.datetime | None = None
    moedebeskrivelse: str | None = None
    moedested: Moedested | None = None
    sagsbehandlere: tuple[Sagsbehandler, ...] = ()


@dataclass(frozen=True)
class BookbarSagsbehandler:  # CaseWorkerToBookType (Supervisor 1) / CaseWorkerToBookManyType (Supervisor 0-*)
    """A caseworker number the times refer to, with its supervisors: exactly one in a self-booking search
    (GetSelvbookingMoedetider), any number in the rebooking and immediate-booking searches (STAR's tables)."""

    nummer: int  # CaseWorkerID, referenced by each timeslot
    sagsbehandlere: tuple[Sagsbehandler, ...]

    @classmethod
    def en(cls, nummer: int, sagsbehandler: Sagsbehandler) -> BookbarSagsbehandler:
        return cls(nummer, (sagsbehandler,))

    @property
    def sagsbehandler(self) -> Sagsbehandler:
        """The one supervisor (a self-booking search has exactly one; ValueError otherwise)."""
        if len(self.sagsbehandlere) != 1:
            raise ValueError(f"caseworker {self.nummer} has {len(self.sagsbehandlere)} supervisors, not one")
        return self.sagsbehandlere[0]


@dataclass(frozen=True)
class Moedetid:  # BookingTimeslotType
    starttidspunkt: dt.datetime
    samtaleformer: tuple[int, ...]
    ombooking_mulig: bool
    aflysning_mulig: bool
    sagsbehandler_numre: tuple[int, ...]
    maksimalt_antal: int | None = None
    ledige_pladser: int | None = None
    moedetilbud: Moedetilbud | None = None  # set for immediate-booking times (docs/reference.md §8 Q7)


@dataclass(frozen=True)
class Moedetider:
    """Result of a timeslot search: caseworkers that can be booked and the times."""

    sagsbehandlere: tuple[BookbarSagsbehandler, ...] = ()
    tider: tuple[Moedetid, ...] = ()
    samtaletype: int | None = None  # GetOmbookingMoedetider returns the interview type too
    # Renderings of this (immutable) answer, made once when a kept answer is reused (planner/embedded/memo.py).
    gengivelser: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class BorgerKontekst:
    """What DFDG tells the planner about the citizen (GetSelfbookInterviewOptionsRequest, §7.1)."""

    cpr: str
    jobcenter_kode: str
    kontaktgruppe: int | None
    klientkategori: int | None
    bookinger: tuple[str, ...] = field(default=())  # ids of the citizen's live bookings
    kategoriseret: dt.datetime | None = None  # IncidentDate: when the citizen got klientkategori (if known)


@dataclass(frozen=True)
class Bookingoenske:
    """A citizen's choice of time: the request part shared by create, immediate and reschedule."""

    moede_start: dt.datetime
    samtaleform: int | None = None
    sagsbehandler_eksternt_id: str | None = None


@dataclass(frozen=True)
class Fejlmelding:  # CreateFejlmeldingRequest
    fejlkode: int
    fejl_ophav: int
    fejl_tidspunkt: dt.datetime
    moedetilbud_id: str | None = None
    indkaldelse_id: str | None = None
    fejltekst: str | None = None
    cpr: str | None = None
    jobcenter_kode: str | None = None  # the citizen's job centre, whose offers the report may name
