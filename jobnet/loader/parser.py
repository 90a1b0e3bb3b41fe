"""Checks the data file against itself and the database, record by record, and hands each checked
section to the writer (jobnet/loader/writer.py): nothing is kept unless the whole file passes."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Container
from typing import Any

from jobnet import rules
from jobnet.domain import Absence, Borger, Frist, Moedetilbud, Tilmelding
from jobnet.errors import LoadError
from jobnet.loader.bookings import BookingSections
from jobnet.loader.fields import CPR, GUID, JOBCENTER, MISSING, SECTIONS, SOAP_URL, TELEFON, Felter
from jobnet.loader.records import ParsedBooking, Tilbud, parse_moedested, parse_password, parse_person
from jobnet.planner.embedded.models import MANDAG_TIL_FREDAG, PlannerSagsbehandler, PlannerTilbud, Tilbudspolitik
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import PLANNER_EMBEDDED, PLANNER_SOAP, Jobcenter, Tx


class Parser(BookingSections):
    """Checks the file against itself and the database; ``writer`` writes what was checked. Large
    sections are passed on every ``BATCH`` records, so only their keys stay in memory."""

    BATCH = 1000

    def __init__(self, tx: Tx, progress: Callable[[int], None] | None = None, writer: Any = None) -> None:
        self.tx = tx
        self.progress = progress
        self.writer = writer
        self.repo = PlannerRepo.of(tx)
        self.now = tx.clock.now()
        self.jobcentre: dict[str, Jobcenter] = {}
        self.sagsbehandlere: dict[str, PlannerSagsbehandler] = {}
        self.tilbud: dict[str, Tilbud] = {}
        self.borgere: dict[str, Borger] = {}
        self.tilmeldinger: list[Tilmelding] = []
        self.frister: list[Frist] = []
        self.bookinger: dict[str, ParsedBooking] = {}
        # pending records above are handed to the writer in batches; the file's keys stay
        self.borger_keys: set[str] = set()
        self.booking_ids: set[str] = set()
        self._booking_count = 0
        self._seats: dict[tuple[str, dt.datetime], list[Any]] = {}  # live bookings per session, last where
        self.file_seats: dict[tuple[str, dt.datetime], int] = {}  # the same, counted ahead for the file's sessions
        # Lookups made once per file (the database does not change while a file is checked):
        self._stored_offers: dict[str, tuple[PlannerTilbud, list[str]] | None] = {}
        self._stored_caseworkers: dict[str, PlannerSagsbehandler | None] = {}
        self._stored_jobcentre: dict[str, Jobcenter | None] = {}
        # Live individual bookings of the file per caseworker RID, by start: (start, end, index, where).
        self._busy: dict[str, list[tuple[dt.datetime, dt.datetime, int, str]]] = {}

    def parse(self, source: Any) -> None:
        """Check every record of ``source`` (jobnet.loader.source), section by section in the order
        below, whatever the file's order; the writer gets each section as it is checked."""
        for name in source.sections():
            if name not in SECTIONS:
                raise LoadError(f"{name}: unknown section (expected {', '.join(SECTIONS)})")
        order: list[tuple[str, Callable[[Felter], None]]] = [
            ("jobcentre", self._jobcenter), ("sagsbehandlere", self._sagsbehandler),
            ("moedetilbud", self._tilbud), ("borgere", self._borger),
            ("tilmeldinger", self._tilmelding), ("bookinger", self._booking),
            ("frister", self._frist),
        ]
        checked = 0
        pending = {"borgere": self.borgere, "tilmeldinger": self.tilmeldinger, "bookinger": self.bookinger,
                   "frister": self.frister}
        for section, parse_one in order:
            for i, record in enumerate(source.records(section)):
                f = Felter(f"{section}[{i}]", record)
                parse_one(f)
                f.done()
                checked += 1
                if self.progress is not None and checked % 1000 == 0:
                    self.progress(checked)
                if self.writer is not None and len(pending.get(section, ())) >= self.BATCH:
                    self.writer.flush(self, section)
            if section == "moedetilbud":
                self.file_seats = self._count_file_seats(source)
            if self.writer is not None:
                self.writer.end_section(self, section)
        if self.progress is not None:
            self.progress(checked)
        self._require_free_seats()
        for key, taken in self.file_seats.items():  # what the sessions were written with
            if self._seats.get(key, [0])[0] != taken:
                raise LoadError(f"bookinger: the seats taken at {key[1].isoformat()} could not be counted ahead")
        if self.writer is not None:
            self.writer.finish(self)

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

    def borger(self, f: Felter, name: str = "cpr") -> Borger:
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

    def _unique(self, f: Felter, name: str, key: str, seen: Container[str], in_db: bool) -> None:
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
            soap_password=parse_password(f),
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
            sagsbehandler=parse_person(f, rid),
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
            ombooking_mulig=f.boolean("ombooking_mulig", samtaletype not in rules.REBOOKING_EXCLUDED),
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
        if politik.ombooking_mulig and samtaletype in rules.REBOOKING_EXCLUDED:
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
            moedested=parse_moedested(f.mapping("moedested")),
        )
        self.tilbud[tid] = Tilbud(f.where, PlannerTilbud(
            tilbud=tilbud, politik=politik, aktiv=f.boolean("aktiv", True), straks=f.boolean("straks", False),
            kontaktgrupper=None if grupper is MISSING else f.integers("kontaktgrupper"),
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

    def _borger(self, f: Felter) -> None:
        cpr = f.text("cpr", pattern=CPR, hint="a CPR number of 10 digits")
        self._unique(f, "cpr", cpr, self.borger_keys, self.tx.borgere.get(cpr) is not None)
        self.borger_keys.add(cpr)
        kode = f.text("jobcenter", False, JOBCENTER, "a job centre code of 5 digits")
        if kode is not None:
            self.jobcenter(f, "jobcenter", kode)
        self.borgere[cpr] = Borger(
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
        if indfriet_af and indfriet_af not in self.booking_ids and self.tx.bookinger.get(indfriet_af) is None:
            f.fail("indfriet_af", f"unknown booking {indfriet_af}")
        self.frister.append(Frist(
            id=f.text("id", False, GUID, "a guid") or str(uuid.uuid4()),
            cpr=self.borger(f).cpr, samtaletype=f.integer("samtaletype"), fristdato=fristdato,
            sidste_afholdelsesdato=sidste, status=f.integer("status", False, default=1),
            straks=f.boolean("straks", False), indfriet_af=indfriet_af,
        ))
