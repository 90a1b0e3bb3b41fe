"""Load a data file into the store (DFDG's tables) and the embedded planner's tables.

Usage: ``python -m jobnet.loader FILE --db PATH`` (creates and migrates the database first).
``load(db, data)`` checks the whole file before it writes anything. The first problem refuses
the whole file with a ``LoadError`` that names the record and the field, e.g.
``moedetilbud[2].varighed_minutter: must be a positive integer`` (indexes count from 0).
If the file is valid, everything is written in one transaction.

File format (YAML or JSON, same structure)
------------------------------------------
A mapping with up to seven sections, each a list of records. Sections may refer to each
other and to rows already in the database. Instants are ISO-8601 with an offset
(``2026-03-02T10:30:00+01:00``). Dates are ``YYYY-MM-DD``. Clock times are ``"HH:MM"``
(Europe/Copenhagen). In YAML, quote codes, CPR numbers and clock times: ``"10101"``,
``"0101901234"``, ``"09:00"``. ``?`` marks an optional field; its default is after ``=``.

jobcentre:       kode ("NNNNN"), navn, planner? (embedded | soap | null = not configured),
                 soap_url? (http:// or https://; planner soap without it answers 9018),
                 connect_timeout?=3.0, read_timeout?=10.0 (seconds; the SOAP planner's whole
                 answer must arrive within connect + read), soap_username?, soap_password?
                 (HTTP basic; the password needs the username), telefon?, fax?,
                 kvitteringstekst?, organisationskode?=int(kode)
sagsbehandlere:  eksternt_id (RID, 1-255 chars), jobcenter, fornavn, mellemnavn?, efternavn,
                 nummer? (CaseWorkerID, positive; assigned if missing),
                 arbejdsdage?=[1,2,3,4,5] (ISO weekdays, Monday = 1),
                 arbejdstid_fra?="09:00", arbejdstid_til?="15:00"
moedetilbud:     moedetilbud_id (guid), jobcenter, samtaletype, moedeform?=1 (1 individual,
                 2 joint), samtaleformer ([int, ...]), varighed_minutter, moedetitel,
                 moedebeskrivelse?, foerste_moedetid?, sidste_moedetid?,
                 sagsbehandler_kan_vaelges?=false,
                 moedested? {beskrivelse?, adresse? {vejnavn, husnummer, postnummer, bynavn,
                 etage?, side_doer?, landekode?}}, aktiv?=true, straks?=false (only for
                 immediate booking), kontaktgrupper?=null (list of allowed contact groups;
                 null = all), sagsbehandlere ([RID, ...], at least one),
                 policy for the bookings it creates: ombooking_mulig?=true (false for types
                 17 and 18), ombooking_frist_timer?=24, aflysning_mulig?=true,
                 aflysning_frist_timer?=24, moedepligt?=true, borger_skal_acceptere?=false,
                 telefonnummer?, digitalt_moedelink? (required with samtaleform 8),
                 borger_ringer_op?=false, organisationskode?=the job centre's,
                 organisationstype?=2.
                 Joint offers only: moedetider: [{start, antal_pladser, ledige_pladser?}].
                 If ledige_pladser is missing, it is antal_pladser minus the live bookings
                 of this file on that session. If it is given, it is the final number.
                 foerste/sidste_moedetid default to the first and last session.
borgere:         cpr (10 digits), jobcenter? (null = not attached), kontaktgruppe?,
                 klientkategori?, levende?=true, har_jobnet_cv?=true, udlandet?=false,
                 midlertidig_udenlandsk_adresse?=false,
                 fravaer?=none (none | conflicts_with_contact_group | blocks_enrollment),
                 kan_selvbooke?=true, straksbooking_paakraevet?=false, profil_komplet?=true
tilmeldinger:    id? (guid), cpr, startdato, slutdato?, klientkategori, ledighedsgrad
frister:         id? (guid), cpr, samtaletype, fristdato, sidste_afholdelsesdato,
                 status?=1, straks?=false, indfriet_af? (indkaldelse_id)
bookinger:       indkaldelse_id (guid), cpr, moede_start, sagsbehandler (a RID from
                 sagsbehandlere, or {eksternt_id, fornavn, mellemnavn?, efternavn}),
                 moedetilbud_id?, and any other field of a booking: jobcenter, samtaletype,
                 moedeform, moede_slut, moedetitel, moedebeskrivelse, moedested, samtaleform,
                 telefonnummer, digitalt_moedelink, borger_ringer_op, organisationskode,
                 organisationstype, state (active | rescheduled | cancelled), selvbooket,
                 straksbooking, borger_skal_acceptere, accepteret, ombooking_mulig,
                 ombookingsfrist, aflysning_mulig, aflysningsfrist, moedepligt,
                 vis_sagsbehandlernavn, print_kommentar, oprettet_af, oprettet.
                 With a moedetilbud_id of this file or the database, the missing fields come
                 from the offer, the same way the embedded planner fills a new booking.
                 Without one, jobcenter (default: the citizen's), samtaletype, moedeform,
                 moedetitel and samtaleform are required.
                 A booking of an embedded job centre must name an offer of that centre and one
                 of the offer's caseworkers by RID. It is also created in the planner with the
                 same indkaldelse_id, so it can be cancelled and rescheduled there. On a joint
                 offer it takes a seat of the session at moede_start.
"""
from __future__ import annotations

import argparse
import bisect
import dataclasses
import datetime as dt
import json
import re
import sqlite3
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from jobnet.domain import (
    Absence,
    Adresse,
    Booking,
    BookingState,
    Citizen,
    Frist,
    Indkalder,
    Kontaktdetaljer,
    Moedested,
    Moedetilbud,
    Sagsbehandler,
    Tilmelding,
)
from jobnet.errors import LoadError
from jobnet.planner.embedded import booking_fra_tilbud
from jobnet.planner.embedded.models import (
    MANDAG_TIL_FREDAG,
    PlannerBooking,
    PlannerSagsbehandler,
    PlannerTilbud,
    Tilbudspolitik,
)
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import PLANNER_EMBEDDED, PLANNER_SOAP, Database, Jobcenter, Tx

SECTIONS = ("jobcentre", "sagsbehandlere", "moedetilbud", "borgere", "tilmeldinger", "frister", "bookinger")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
CPR = re.compile(r"^[0-9]{10}$")
JOBCENTER = re.compile(r"^[0-9]{5}$")
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
TELEFON = re.compile(r"^\+?[0-9]{3,20}$")
POSTNUMMER = re.compile(r"^[0-9]{4}$")
SOAP_URL = re.compile(r"^https?://[^\s]+$")
_MISSING: Any = object()


# --- reading one record -----------------------------------------------------------------------
class Felter:
    """Typed access to one record's fields; every problem becomes a LoadError naming the field."""

    def __init__(self, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise LoadError(f"{where}: must be a mapping")
        self.where = where
        self._data: dict[str, Any] = data
        self._read: set[str] = set()

    def fail(self, name: str, message: str) -> NoReturn:
        raise LoadError(f"{self.where}.{name}: {message}")

    def has(self, name: str) -> bool:
        return self._data.get(name) is not None

    def raw(self, name: str, required: bool) -> Any:
        self._read.add(name)
        value = self._data.get(name)
        if value is None:
            if required:
                self.fail(name, "is required")
            return _MISSING
        return value

    def text(self, name: str, required: bool = True, pattern: re.Pattern[str] | None = None,
             hint: str = "", max_len: int | None = None, default: str | None = None) -> Any:
        value = self.raw(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or (pattern and not pattern.match(value)):
            self.fail(name, f"must be {hint or 'a string'}")
        if max_len is not None and not 1 <= len(value) <= max_len:
            self.fail(name, f"must be 1 to {max_len} characters")
        if not value:
            self.fail(name, "must not be empty")
        return value

    def integer(self, name: str, required: bool = True, minimum: int | None = 0,
                maximum: int | None = None, default: int | None = None) -> Any:
        value = self.raw(name, required)
        if value is _MISSING:
            return default
        ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            kind = {None: "an integer", 0: "a non-negative integer", 1: "a positive integer"}.get(
                minimum, f"an integer >= {minimum}")
            self.fail(name, f"must be {kind}" + (f" <= {maximum}" if maximum is not None else ""))
        return value

    def number(self, name: str, default: float) -> float:
        value = self.raw(name, False)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            self.fail(name, "must be a positive number")
        return float(value)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str | None) -> Any:
        value = self.raw(name, False)
        if value is _MISSING:
            return default
        if value not in choices:
            self.fail(name, f"must be one of {', '.join(choices)}")
        return value

    def instant(self, name: str, required: bool = True) -> Any:
        value = self.raw(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                self.fail(name, "must be an ISO-8601 date-time with an offset")
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            self.fail(name, "must be an ISO-8601 date-time with an offset")
        return value.astimezone(dt.UTC)

    def date(self, name: str, required: bool = True) -> Any:
        value = self.raw(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                self.fail(name, "must be a date YYYY-MM-DD")
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.fail(name, "must be a date YYYY-MM-DD")
        return value

    def clock_time(self, name: str, default: dt.time) -> dt.time:
        value = self.raw(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or not HHMM.match(value):
            self.fail(name, 'must be a clock time "HH:MM"')
        return dt.time.fromisoformat(value)

    def integers(self, name: str, required: bool = True, default: Any = None,
                 minimum: int = 0, maximum: int | None = None) -> Any:
        value = self.raw(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, list) or not value or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= minimum
            and (maximum is None or v <= maximum) for v in value
        ):
            bound = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
            self.fail(name, f"must be a non-empty list of integers {bound}")
        return tuple(value)

    def mapping(self, name: str) -> Felter | None:
        value = self.raw(name, False)
        return None if value is _MISSING else Felter(f"{self.where}.{name}", value)

    def records(self, name: str) -> list[Felter]:
        value = self.raw(name, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.fail(name, "must be a list")
        return [Felter(f"{self.where}.{name}[{i}]", v) for i, v in enumerate(value)]

    def done(self) -> None:
        unknown = sorted(set(self._data) - self._read)
        if unknown:
            self.fail(unknown[0], "unknown field")


# --- parsed records ----------------------------------------------------------------------------
@dataclass
class _Tilbud:
    where: str
    tilbud: PlannerTilbud
    rids: list[str]
    # session start -> (antal_pladser, ledige_pladser or None, where in the file)
    sessioner: dict[dt.datetime, tuple[int, int | None, str]] = field(default_factory=dict)


@dataclass
class _Booking:
    where: str
    booking: Booking
    planner: PlannerBooking | None = None  # set for bookings of embedded job centres
    rid: str | None = None


class _Parser:
    """Checks the whole file against itself and the database; writes nothing."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.repo = PlannerRepo.of(tx)
        self.now = tx.clock.now()
        self.jobcentre: dict[str, Jobcenter] = {}
        self.sagsbehandlere: dict[str, PlannerSagsbehandler] = {}
        self.tilbud: dict[str, _Tilbud] = {}
        self.borgere: dict[str, Citizen] = {}
        self.tilmeldinger: list[Tilmelding] = []
        self.frister: list[Frist] = []
        self.bookinger: dict[str, _Booking] = {}
        # Lookups made once per file (the database does not change while a file is checked):
        self._stored_offers: dict[str, tuple[PlannerTilbud, list[str]] | None] = {}
        self._stored_caseworkers: dict[str, PlannerSagsbehandler | None] = {}
        self._stored_jobcentre: dict[str, Jobcenter | None] = {}
        # Live individual bookings of the file per caseworker RID, by start: (start, end, index, where).
        self._busy: dict[str, list[tuple[dt.datetime, dt.datetime, int, str]]] = {}
        self._taken: dict[tuple[str, dt.datetime], int] | None = None  # filled after parsing

    def parse(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise LoadError("the file must be a mapping of sections")
        for name in data:
            if name not in SECTIONS:
                raise LoadError(f"{name}: unknown section (expected {', '.join(SECTIONS)})")
        order: list[tuple[str, Callable[[Felter], None]]] = [
            ("jobcentre", self._jobcenter), ("sagsbehandlere", self._sagsbehandler),
            ("moedetilbud", self._tilbud), ("borgere", self._borger),
            ("tilmeldinger", self._tilmelding), ("bookinger", self._booking),
            ("frister", self._frist),
        ]
        for section, parse_one in order:
            records = data.get(section) or []
            if not isinstance(records, list):
                raise LoadError(f"{section}: must be a list")
            for i, record in enumerate(records):
                f = Felter(f"{section}[{i}]", record)
                parse_one(f)
                f.done()
        self._check_seats()

    # --- lookups over the file and the database ---
    def jobcenter(self, f: Felter, name: str, kode: str) -> Jobcenter:
        found = self.jobcentre.get(kode) or self.stored_jobcenter(kode)
        if found is None:
            f.fail(name, f"unknown job centre {kode}")
        return found

    def sagsbehandler(self, f: Felter, name: str, rid: str) -> PlannerSagsbehandler:
        found = self.sagsbehandlere.get(rid) or self.stored_caseworker(rid)
        if found is None:
            f.fail(name, f"unknown caseworker {rid}")
        return found

    def borger(self, f: Felter, name: str = "cpr") -> Citizen:
        cpr = f.text(name, pattern=CPR, hint="a CPR number of 10 digits")
        found = self.borgere.get(cpr) or self.tx.borgere.get(cpr)
        if found is None:
            f.fail(name, "unknown citizen (not in borgere)")
        return found

    def offer(self, moedetilbud_id: str) -> tuple[PlannerTilbud, list[str]] | None:
        if moedetilbud_id in self.tilbud:
            parsed = self.tilbud[moedetilbud_id]
            return parsed.tilbud, parsed.rids
        if moedetilbud_id not in self._stored_offers:
            stored = self.repo.tilbud(moedetilbud_id)
            self._stored_offers[moedetilbud_id] = None if stored is None else (
                stored, [c.sagsbehandler.eksternt_id for c in self.repo.sagsbehandlere_for_tilbud(moedetilbud_id)])
        return self._stored_offers[moedetilbud_id]

    def stored_jobcenter(self, kode: str) -> Jobcenter | None:
        if kode not in self._stored_jobcentre:
            self._stored_jobcentre[kode] = self.tx.jobcentre.get(kode)
        return self._stored_jobcentre[kode]

    def stored_caseworker(self, rid: str) -> PlannerSagsbehandler | None:
        if rid not in self._stored_caseworkers:
            self._stored_caseworkers[rid] = self.repo.sagsbehandler_by_rid(rid)
        return self._stored_caseworkers[rid]

    def _unique(self, f: Felter, name: str, key: str, seen: dict[str, Any], in_db: bool) -> None:
        if key in seen:
            f.fail(name, f"{key} appears twice in the file")
        if in_db:
            f.fail(name, f"{key} is already in the database")

    # --- sections ---
    def _jobcenter(self, f: Felter) -> None:
        kode = f.text("kode", pattern=JOBCENTER, hint="a job centre code of 5 digits")
        self._unique(f, "kode", kode, self.jobcentre, self.tx.jobcentre.get(kode) is not None)
        self.jobcentre[kode] = Jobcenter(
            kode=kode,
            navn=f.text("navn", max_len=200),
            planner=f.choice("planner", (PLANNER_EMBEDDED, PLANNER_SOAP), None),
            soap_url=f.text("soap_url", False, SOAP_URL, "an http:// or https:// URL"),
            connect_timeout=f.number("connect_timeout", 3.0),
            read_timeout=f.number("read_timeout", 10.0),
            soap_username=f.text("soap_username", False, max_len=255),
            soap_password=_password(f),
            telefon=f.text("telefon", required=False),
            fax=f.text("fax", required=False),
            kvitteringstekst=f.text("kvitteringstekst", required=False),
            organisationskode=f.integer("organisationskode", False, 0, 99_999_999, default=int(kode)),
        )

    def _sagsbehandler(self, f: Felter) -> None:
        rid = f.text("eksternt_id", max_len=255)
        self._unique(f, "eksternt_id", rid, self.sagsbehandlere, self.repo.sagsbehandler_by_rid(rid) is not None)
        nummer = f.integer("nummer", False, 1, default=0)
        if nummer and (any(s.nummer == nummer for s in self.sagsbehandlere.values())
                       or self.repo.sagsbehandler(nummer) is not None):
            f.fail("nummer", f"{nummer} is already used")
        kode = f.text("jobcenter", pattern=JOBCENTER, hint="a job centre code of 5 digits")
        self.jobcenter(f, "jobcenter", kode)
        fra = f.clock_time("arbejdstid_fra", dt.time(9))
        til = f.clock_time("arbejdstid_til", dt.time(15))
        if til <= fra:
            f.fail("arbejdstid_til", "must be after arbejdstid_fra")
        self.sagsbehandlere[rid] = PlannerSagsbehandler(
            nummer=nummer,
            jobcenter_kode=kode,
            sagsbehandler=_person(f, rid),
            arbejdsdage=f.integers("arbejdsdage", False, MANDAG_TIL_FREDAG, minimum=1, maximum=7),
            arbejdstid_fra=fra,
            arbejdstid_til=til,
        )

    def _tilbud(self, f: Felter) -> None:
        tid = f.text("moedetilbud_id", pattern=GUID, hint="a guid")
        self._unique(f, "moedetilbud_id", tid, self.tilbud, self.repo.tilbud(tid) is not None)
        kode = f.text("jobcenter", pattern=JOBCENTER, hint="a job centre code of 5 digits")
        jobcenter = self.jobcenter(f, "jobcenter", kode)
        samtaletype = f.integer("samtaletype")
        moedeform = f.integer("moedeform", False, 1, 2, default=1)
        samtaleformer = f.integers("samtaleformer")
        varighed = f.integer("varighed_minutter", minimum=1, maximum=1440)
        kan_vaelges = f.boolean("sagsbehandler_kan_vaelges", False)
        if moedeform == 2 and kan_vaelges:
            f.fail("sagsbehandler_kan_vaelges", "must be false for a joint meeting")
        politik = Tilbudspolitik(
            ombooking_mulig=f.boolean("ombooking_mulig", samtaletype not in (17, 18)),
            ombooking_frist_timer=f.integer("ombooking_frist_timer", False, default=24),
            aflysning_mulig=f.boolean("aflysning_mulig", True),
            aflysning_frist_timer=f.integer("aflysning_frist_timer", False, default=24),
            moedepligt=f.boolean("moedepligt", True),
            borger_skal_acceptere=f.boolean("borger_skal_acceptere", False),
            telefonnummer=f.text("telefonnummer", False, TELEFON, "a phone number (+)digits"),
            digitalt_moedelink=f.text("digitalt_moedelink", False, max_len=255),
            borger_ringer_op=f.boolean("borger_ringer_op", False),
            organisationskode=f.integer("organisationskode", False, 0, 99_999_999,
                                        default=jobcenter.organisationskode),
            organisationstype=f.integer("organisationstype", False, default=2),
        )
        if politik.ombooking_mulig and samtaletype in (17, 18):
            f.fail("ombooking_mulig", "must be false for samtaletype 17 and 18")
        if 8 in samtaleformer and not politik.digitalt_moedelink:
            f.fail("digitalt_moedelink", "is required when samtaleformer has 8 (digital meeting)")
        if politik.borger_ringer_op and not politik.telefonnummer:
            f.fail("telefonnummer", "is required when borger_ringer_op is true")
        rids = self._tilbud_sagsbehandlere(f, kode)
        sessioner = self._sessioner(f, moedeform)
        foerste = f.instant("foerste_moedetid", False) or (min(sessioner) if sessioner else None)
        sidste = f.instant("sidste_moedetid", False) or (max(sessioner) if sessioner else None)
        if foerste and sidste and sidste < foerste:
            f.fail("sidste_moedetid", "must not be before foerste_moedetid")
        for start, (_, _, where) in sessioner.items():
            if (foerste and start < foerste) or (sidste and start > sidste):
                raise LoadError(f"{where}.start: outside foerste_moedetid..sidste_moedetid")
        grupper = f.raw("kontaktgrupper", False)
        tilbud = Moedetilbud(
            moedetilbud_id=tid, jobcenter_kode=kode, samtaletype=samtaletype, moedeform=moedeform,
            samtaleformer=samtaleformer, varighed_minutter=varighed, sagsbehandler_kan_vaelges=kan_vaelges,
            moedetitel=f.text("moedetitel", max_len=100),
            foerste_moedetid=foerste, sidste_moedetid=sidste,
            moedebeskrivelse=f.text("moedebeskrivelse", False, max_len=500),
            moedested=_moedested(f.mapping("moedested")),
        )
        self.tilbud[tid] = _Tilbud(f.where, PlannerTilbud(
            tilbud=tilbud, politik=politik, aktiv=f.boolean("aktiv", True), straks=f.boolean("straks", False),
            kontaktgrupper=None if grupper is _MISSING else f.integers("kontaktgrupper"),
        ), rids, sessioner)

    def _tilbud_sagsbehandlere(self, f: Felter, kode: str) -> list[str]:
        rids = f.raw("sagsbehandlere", True)
        if not isinstance(rids, list) or not rids or not all(isinstance(r, str) for r in rids):
            f.fail("sagsbehandlere", "must be a non-empty list of caseworker RIDs")
        if len(set(rids)) != len(rids):
            f.fail("sagsbehandlere", "lists a caseworker twice")
        for i, rid in enumerate(rids):
            if self.sagsbehandler(f, f"sagsbehandlere[{i}]", rid).jobcenter_kode != kode:
                f.fail(f"sagsbehandlere[{i}]", f"caseworker {rid} belongs to another job centre")
        return rids

    def _sessioner(self, f: Felter, moedeform: int) -> dict[dt.datetime, tuple[int, int | None, str]]:
        records = f.records("moedetider")
        if moedeform == 1 and records:
            f.fail("moedetider", "only joint meetings (moedeform 2) have moedetider")
        if moedeform == 2 and not records:
            f.fail("moedetider", "a joint meeting needs at least one session")
        sessioner: dict[dt.datetime, tuple[int, int | None, str]] = {}
        for s in records:
            start = s.instant("start")
            if start in sessioner:
                s.fail("start", "two sessions at the same time")
            antal = s.integer("antal_pladser", minimum=1)
            ledige = s.integer("ledige_pladser", False, 0, antal)
            s.done()
            sessioner[start] = (antal, ledige, s.where)
        return sessioner

    def _borger(self, f: Felter) -> None:
        cpr = f.text("cpr", pattern=CPR, hint="a CPR number of 10 digits")
        self._unique(f, "cpr", cpr, self.borgere, self.tx.borgere.get(cpr) is not None)
        kode = f.text("jobcenter", False, JOBCENTER, "a job centre code of 5 digits")
        if kode is not None:
            self.jobcenter(f, "jobcenter", kode)
        self.borgere[cpr] = Citizen(
            cpr=cpr,
            jobcenter_kode=kode,
            kontaktgruppe=f.integer("kontaktgruppe", False),
            klientkategori=f.integer("klientkategori", False),
            levende=f.boolean("levende", True),
            har_jobnet_cv=f.boolean("har_jobnet_cv", True),
            udlandet=f.boolean("udlandet", False),
            midlertidig_udenlandsk_adresse=f.boolean("midlertidig_udenlandsk_adresse", False),
            fravaer=Absence(f.choice("fravaer", tuple(a.value for a in Absence), Absence.NONE.value)),
            kan_selvbooke=f.boolean("kan_selvbooke", True),
            straksbooking_paakraevet=f.boolean("straksbooking_paakraevet", False),
            profil_komplet=f.boolean("profil_komplet", True),
        )

    def _tilmelding(self, f: Felter) -> None:
        start, slut = f.date("startdato"), f.date("slutdato", False)
        if slut is not None and slut < start:
            f.fail("slutdato", "must not be before startdato")
        self.tilmeldinger.append(Tilmelding(
            id=f.text("id", False, GUID, "a guid") or str(uuid.uuid4()),
            cpr=self.borger(f).cpr, startdato=start, slutdato=slut,
            klientkategori=f.integer("klientkategori"), ledighedsgrad=f.integer("ledighedsgrad"),
        ))

    def _frist(self, f: Felter) -> None:
        fristdato, sidste = f.date("fristdato"), f.date("sidste_afholdelsesdato")
        if sidste < fristdato:
            f.fail("sidste_afholdelsesdato", "must not be before fristdato")
        indfriet_af = f.text("indfriet_af", False, GUID, "a guid")
        if indfriet_af and indfriet_af not in self.bookinger and self.tx.bookinger.get(indfriet_af) is None:
            f.fail("indfriet_af", f"unknown booking {indfriet_af}")
        self.frister.append(Frist(
            id=f.text("id", False, GUID, "a guid") or str(uuid.uuid4()),
            cpr=self.borger(f).cpr, samtaletype=f.integer("samtaletype"), fristdato=fristdato,
            sidste_afholdelsesdato=sidste, status=f.integer("status", False, default=1),
            straks=f.boolean("straks", False), indfriet_af=indfriet_af,
        ))

    def _booking(self, f: Felter) -> None:
        bid = f.text("indkaldelse_id", pattern=GUID, hint="a guid")
        self._unique(f, "indkaldelse_id", bid, self.bookinger, self.tx.bookinger.get(bid) is not None)
        borger = self.borger(f)
        start = f.instant("moede_start")
        tilbud_id = f.text("moedetilbud_id", False, GUID, "a guid")
        found = self.offer(tilbud_id) if tilbud_id else None
        if found is None:
            kode = f.text("jobcenter", False, JOBCENTER, "a job centre code of 5 digits") or borger.jobcenter_kode
            if kode and self.jobcenter(f, "jobcenter", kode).planner == PLANNER_EMBEDDED:
                f.fail("moedetilbud_id",
                       "a booking of an embedded job centre needs an offer of this file or the database")
        rid, sagsbehandler = self._booking_sagsbehandler(f)
        booking = _booking_record(f, bid, borger, start, tilbud_id, found[0] if found else None,
                                  sagsbehandler, self.now)
        jobcenter = self.jobcenter(f, "jobcenter", booking.jobcenter_kode)
        parsed = _Booking(f.where, booking, rid=rid)
        if jobcenter.planner == PLANNER_EMBEDDED:
            parsed.planner = self._planner_booking(f, parsed, found)
        self.bookinger[bid] = parsed

    def _booking_sagsbehandler(self, f: Felter) -> tuple[str | None, Sagsbehandler]:
        value = f.raw("sagsbehandler", True)
        if isinstance(value, str):
            return value, self.sagsbehandler(f, "sagsbehandler", value).sagsbehandler
        inner = f.mapping("sagsbehandler")
        assert inner is not None
        person = _person(inner, inner.text("eksternt_id", max_len=255))
        inner.done()
        return None, person

    def _planner_booking(
        self, f: Felter, parsed: _Booking, found: tuple[PlannerTilbud, list[str]] | None
    ) -> PlannerBooking:
        b = parsed.booking
        assert found is not None  # checked in _booking
        t, rids = found
        if t.tilbud.jobcenter_kode != b.jobcenter_kode:
            f.fail("moedetilbud_id", "the offer belongs to another job centre")
        if parsed.rid is None or parsed.rid not in rids:
            f.fail("sagsbehandler", "must be the RID of one of the offer's caseworkers")
        if b.kontakt.samtaleform not in t.tilbud.samtaleformer:
            f.fail("samtaleform", "is not offered by the offer")
        if t.faelles and not self._session_exists(t.id, b.moede_start):
            f.fail("moede_start", "the joint offer has no session at this time")
        slut = b.moede_slut or b.moede_start + dt.timedelta(minutes=t.tilbud.varighed_minutter)
        if slut <= b.moede_start:
            f.fail("moede_slut", "must be after moede_start")
        pb = PlannerBooking(
            indkaldelse_id=b.indkaldelse_id, cpr=b.cpr, moedetilbud_id=t.id, start=b.moede_start, slut=slut,
            sagsbehandler_nummer=0, session_id=None, samtaleform=b.kontakt.samtaleform, state=b.state,
            accepteret=b.accepteret, straks=b.straksbooking, selvbooket=b.selvbooket,
            borger_skal_acceptere=b.borger_skal_acceptere, oprettet=b.oprettet,
        )
        if pb.live and not t.faelles:
            self._check_overlap(f, parsed.rid, pb)
        return pb

    def _session_exists(self, tilbud_id: str, start: dt.datetime) -> bool:
        if tilbud_id in self.tilbud:
            return start in self.tilbud[tilbud_id].sessioner
        return self.repo.session_at(tilbud_id, start) is not None

    def _check_overlap(self, f: Felter, rid: str, pb: PlannerBooking) -> None:
        """The caseworker must be free: no earlier live individual booking of the file and none in
        the database overlaps ``pb``. The file's bookings of a caseworker never overlap each other
        (each was checked on arrival), so sorted by start their ends are sorted too: the overlaps
        are the run that ends with the last booking starting before ``pb`` ends."""
        mine = self._busy.setdefault(rid, [])
        i = bisect.bisect_left(mine, (pb.slut,))  # the bookings that start before pb ends
        hits = []
        while i > 0 and mine[i - 1][1] > pb.start:
            i -= 1
            hits.append(mine[i])
        if hits:  # the first of them in the file, as a plain scan of the file would find
            f.fail("moede_start", f"the caseworker already has {min(hits, key=lambda h: h[2])[3]} at this time")
        stored = self.stored_caseworker(rid)
        if stored and self.repo.busy(stored.nummer, pb.start, pb.slut):
            f.fail("moede_start", "the caseworker already has a booking at this time in the database")
        bisect.insort(mine, (pb.start, pb.slut, len(self.bookinger), f.where))

    def faelles(self, tilbud_id: str) -> bool:
        found = self.offer(tilbud_id)
        return bool(found and found[0].faelles)

    def _check_seats(self) -> None:
        """Seats taken by the file's bookings must fit each session."""
        taken: dict[tuple[str, dt.datetime], list[_Booking]] = {}
        for b in self.bookinger.values():
            if b.planner and b.planner.live and self.faelles(b.planner.moedetilbud_id):
                taken.setdefault((b.planner.moedetilbud_id, b.planner.start), []).append(b)
        for (tilbud_id, start), bookings in taken.items():
            if tilbud_id in self.tilbud:
                antal, ledige, where = self.tilbud[tilbud_id].sessioner[start]
                if len(bookings) + (ledige or 0) > antal:
                    raise LoadError(f"{bookings[-1].where}.moede_start: the session at {where} has no free seat")
            else:
                session = self.repo.session_at(tilbud_id, start)
                if session is None or session.ledige_pladser < len(bookings):
                    raise LoadError(f"{bookings[-1].where}.moede_start: the session has no free seat")

    def nummer(self, rid: str, written: dict[str, int]) -> int:
        """The CaseWorkerID of a caseworker just written or already in the database."""
        if rid in written:
            return written[rid]
        stored = self.stored_caseworker(rid)
        assert stored is not None  # checked while parsing
        return stored.nummer

    def taken(self, tilbud_id: str, start: dt.datetime) -> int:
        """Live bookings of the file at a session (counted for all sessions at the first call)."""
        if self._taken is None:
            self._taken = {}
            for b in self.bookinger.values():
                if b.planner and b.planner.live:
                    key = (b.planner.moedetilbud_id, b.planner.start)
                    self._taken[key] = self._taken.get(key, 0) + 1
        return self._taken.get((tilbud_id, start), 0)


def _password(f: Felter) -> str | None:
    """The SOAP planner's basic-auth password: only together with a username."""
    password: str | None = f.text("soap_password", required=False)
    if password is not None and not f.has("soap_username"):
        f.fail("soap_password", "needs soap_username")
    return password


def _person(f: Felter, eksternt_id: str) -> Sagsbehandler:
    return Sagsbehandler(
        eksternt_id=eksternt_id,
        fornavn=f.text("fornavn", max_len=50),
        efternavn=f.text("efternavn", max_len=40),
        mellemnavn=f.text("mellemnavn", False, max_len=40),
    )


def _moedested(f: Felter | None) -> Moedested | None:
    if f is None:
        return None
    a = f.mapping("adresse")
    adresse = None
    if a is not None:
        adresse = Adresse(
            vejnavn=a.text("vejnavn", max_len=40), husnummer=a.text("husnummer", max_len=4),
            postnummer=a.text("postnummer", pattern=POSTNUMMER, hint="a post code of 4 digits"),
            bynavn=a.text("bynavn", max_len=20), etage=a.text("etage", False, max_len=2),
            side_doer=a.text("side_doer", False, max_len=4), landekode=a.text("landekode", False, max_len=4),
        )
        a.done()
    moedested = Moedested(beskrivelse=f.text("beskrivelse", False, max_len=200), adresse=adresse)
    f.done()
    return moedested


def _booking_record(
    f: Felter, bid: str, borger: Citizen, start: dt.datetime, tilbud_id: str | None,
    t: PlannerTilbud | None, sagsbehandler: Sagsbehandler, now: dt.datetime,
) -> Booking:
    """A register booking: the record's fields over defaults taken from the offer (if any)."""
    straks = f.boolean("straksbooking", False)
    selvbooket = f.boolean("selvbooket", True)
    state = BookingState(f.choice("state", tuple(s.value for s in BookingState), "active"))
    oprettet = f.instant("oprettet", False) or now
    if t is not None:
        form = f.integer("samtaleform", False, default=t.tilbud.samtaleformer[0])
        skal = f.boolean("borger_skal_acceptere", t.politik.borger_skal_acceptere)
        pb = PlannerBooking(
            indkaldelse_id=bid, cpr=borger.cpr, moedetilbud_id=t.id, start=start,
            slut=start + dt.timedelta(minutes=t.tilbud.varighed_minutter), sagsbehandler_nummer=0,
            session_id=None, samtaleform=form, state=state, accepteret=not skal, straks=straks,
            selvbooket=selvbooket, borger_skal_acceptere=skal, oprettet=oprettet,
        )
        base = booking_fra_tilbud(t, pb, sagsbehandler, now)
    else:
        kode = f.text("jobcenter", False, JOBCENTER, "a job centre code of 5 digits") or borger.jobcenter_kode
        if kode is None:
            f.fail("jobcenter", "is required (the citizen has no job centre)")
        skal = f.boolean("borger_skal_acceptere", False)
        base = Booking(
            indkaldelse_id=bid, cpr=borger.cpr, moedetilbud_id=tilbud_id, jobcenter_kode=kode,
            samtaletype=f.integer("samtaletype"), moedeform=f.integer("moedeform", minimum=1),
            moede_start=start, moede_slut=None, moedetitel=f.text("moedetitel", max_len=100),
            sagsbehandler=sagsbehandler, kontakt=Kontaktdetaljer(samtaleform=f.integer("samtaleform")),
            indkalder=Indkalder(0, 2), state=state, selvbooket=selvbooket, straksbooking=straks,
            borger_skal_acceptere=skal, accepteret=not skal, oprettet=oprettet,
        )
    return _override(f, base, t, now)


def _override(f: Felter, b: Booking, t: PlannerTilbud | None, now: dt.datetime) -> Booking:
    kode = f.text("jobcenter", False, JOBCENTER, "a job centre code of 5 digits") or b.jobcenter_kode
    start = b.moede_start
    slut = f.instant("moede_slut", False) or b.moede_slut
    if slut is not None and slut < start:
        f.fail("moede_slut", "must not be before moede_start")
    samtaletype = f.integer("samtaletype", False, default=b.samtaletype)
    kontakt = Kontaktdetaljer(
        samtaleform=b.kontakt.samtaleform,
        digitalt_moedelink=f.text("digitalt_moedelink", False, max_len=255) or b.kontakt.digitalt_moedelink,
        telefonnummer=f.text("telefonnummer", False, TELEFON, "a phone number (+)digits") or b.kontakt.telefonnummer,
        borger_ringer_op=f.boolean("borger_ringer_op", False)
        if f.has("borger_ringer_op") else b.kontakt.borger_ringer_op,
    )
    ombooking = f.boolean("ombooking_mulig", b.ombooking_mulig)
    ombookingsfrist = f.instant("ombookingsfrist", False) or (b.ombookingsfrist if ombooking else None)
    if ombooking and ombookingsfrist is None:
        if t is None:
            f.fail("ombookingsfrist", "is required when ombooking_mulig is true")
        ombookingsfrist = start - dt.timedelta(hours=t.politik.ombooking_frist_timer)
    if ombooking and samtaletype in (17, 18):
        f.fail("ombooking_mulig", "must be false for samtaletype 17 and 18")
    aflysning = f.boolean("aflysning_mulig", b.aflysning_mulig)
    aflysningsfrist = f.instant("aflysningsfrist", False)
    if aflysningsfrist is not None and not aflysning:
        f.fail("aflysningsfrist", "must be absent when aflysning_mulig is false")
    aflysningsfrist = aflysningsfrist or (b.aflysningsfrist if aflysning else None)
    if aflysning and aflysningsfrist is None:
        if t is None:
            f.fail("aflysningsfrist", "is required when aflysning_mulig is true")
        aflysningsfrist = start - dt.timedelta(hours=t.politik.aflysning_frist_timer)
    for name, frist in (("ombookingsfrist", ombookingsfrist), ("aflysningsfrist", aflysningsfrist)):
        if frist is not None and frist > start:
            f.fail(name, "must not be after moede_start")
    selvbooket = b.selvbooket
    moedested = _moedested(f.mapping("moedested")) if f.has("moedested") else b.moedested
    return dataclasses.replace(
        b,
        jobcenter_kode=kode,
        samtaletype=samtaletype,
        moedeform=f.integer("moedeform", False, 1, default=b.moedeform),
        moede_slut=slut,
        moedetitel=f.text("moedetitel", False, max_len=100) or b.moedetitel,
        moedebeskrivelse=f.text("moedebeskrivelse", False, max_len=500) or b.moedebeskrivelse,
        moedested=moedested,
        kontakt=kontakt,
        indkalder=Indkalder(
            f.integer("organisationskode", False, 0, 99_999_999, default=b.indkalder.organisationskode),
            f.integer("organisationstype", False, default=b.indkalder.organisationstype),
        ),
        accepteret=f.boolean("accepteret", b.accepteret),
        ombooking_mulig=ombooking,
        ombookingsfrist=ombookingsfrist,
        aflysning_mulig=aflysning,
        aflysningsfrist=aflysningsfrist,
        moedepligt=f.boolean("moedepligt", b.moedepligt),
        vis_sagsbehandlernavn=f.boolean("vis_sagsbehandlernavn", b.vis_sagsbehandlernavn),
        print_kommentar=f.text("print_kommentar", False),
        oprettet_af=f.text("oprettet_af", False) or ("jobnet" if selvbooket else "jobcenter"),
    )


# --- writing ----------------------------------------------------------------------------------
def _write(tx: Tx, p: _Parser) -> dict[str, int]:
    """Write the checked file: the large sections with one executemany per table, and one audit
    row per record as always, inserted together at the end of the file (same transaction)."""
    repo = p.repo
    with tx.audit.deferred():
        for jobcenter in p.jobcentre.values():
            tx.jobcentre.add(jobcenter)
        numre = {rid: repo.add_sagsbehandler(s) for rid, s in p.sagsbehandlere.items()}
        sessions = 0
        session_ids: dict[tuple[str, dt.datetime], int] = {}
        for t in p.tilbud.values():
            repo.add_tilbud(t.tilbud)
            for rid in t.rids:
                repo.link(t.tilbud.id, p.nummer(rid, numre))
            for start, (antal, ledige, _) in t.sessioner.items():
                free = antal - p.taken(t.tilbud.id, start) if ledige is None else ledige
                session_ids[(t.tilbud.id, start)] = repo.add_session(t.tilbud.id, start, antal, free)
                sessions += 1
        tx.borgere.add_many(list(p.borgere.values()))
        tx.tilmeldinger.add_many(p.tilmeldinger)
        bookinger = list(p.bookinger.values())
        tx.bookinger.add_many([b.booking for b in bookinger])
        repo.add_bookings([_planner_booking(repo, p, b, numre, session_ids)
                           for b in bookinger if b.planner is not None])
        tx.frister.add_many(p.frister)
    return {
        "jobcentre": len(p.jobcentre), "sagsbehandlere": len(p.sagsbehandlere), "moedetilbud": len(p.tilbud),
        "moedetider": sessions, "borgere": len(p.borgere), "tilmeldinger": len(p.tilmeldinger),
        "frister": len(p.frister), "bookinger": len(p.bookinger),
    }


def _planner_booking(
    repo: PlannerRepo, p: _Parser, b: _Booking, numre: dict[str, int],
    session_ids: dict[tuple[str, dt.datetime], int],
) -> PlannerBooking:
    """The planner booking to write for ``b``; on a session already in the database it takes a seat."""
    assert b.planner is not None and b.rid is not None
    pb = b.planner
    nummer = p.nummer(b.rid, numre)
    session_id = None
    if p.faelles(pb.moedetilbud_id):
        session_id = session_ids.get((pb.moedetilbud_id, pb.start))
        if session_id is None:  # a session already in the database: take a seat the normal way
            stored = repo.session_at(pb.moedetilbud_id, pb.start)
            assert stored is not None
            session_id = stored.id
            if pb.live and not repo.take_seat(session_id):
                raise LoadError(f"{b.where}.moede_start: the session has no free seat")
    return dataclasses.replace(pb, sagsbehandler_nummer=nummer, session_id=session_id)


def load(db: Database, data: dict[str, Any]) -> dict[str, int]:
    """Check the whole file, then write it in one transaction; returns counts per section."""
    with db.transaction(actor="loader") as tx:
        parser = _Parser(tx)
        parser.parse(data)
        try:
            return _write(tx, parser)
        except sqlite3.IntegrityError as exc:  # a rule only the database knows; nothing is kept
            raise LoadError(f"the database refused the file: {exc}") from exc


def read_file(path: str | Path) -> dict[str, Any]:
    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    return data or {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jobnet.loader", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="data file (.yaml, .yml or .json)")
    parser.add_argument("--db", required=True, help="SQLite database file (created if missing)")
    args = parser.parse_args(argv)
    from jobnet.config import Settings

    db = Database(args.db, sealer=Settings.from_env().sealer())
    try:
        db.migrate()
        counts = load(db, read_file(args.file))
    except (LoadError, yaml.YAMLError, json.JSONDecodeError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(", ".join(f"{name}: {n}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
