"""Records of the data file as domain objects: people, places, and bookings with their defaults."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from jobnet import rules
from jobnet.domain import (
    Adresse,
    Booking,
    BookingState,
    Borger,
    Indkalder,
    Kontaktdetaljer,
    Moedeform,
    Moedested,
    Sagsbehandler,
)
from jobnet.loader.fields import JOBCENTER, POSTNUMMER, TELEFON, Felter
from jobnet.planner.embedded import booking_fra_tilbud
from jobnet.planner.embedded.models import PlannerBooking, PlannerTilbud


@dataclass
class Tilbud:
    where: str
    tilbud: PlannerTilbud
    rids: list[str]
    # session start -> (antal_pladser, ledige_pladser or None, where in the file)
    sessioner: dict[dt.datetime, tuple[int, int | None, str]] = field(default_factory=dict)


@dataclass
class ParsedBooking:
    where: str
    booking: Booking
    planner: PlannerBooking | None = None  # set for bookings of embedded job centres
    rid: str | None = None


def parse_password(f: Felter) -> str | None:
    """The SOAP planner's basic-auth password: only together with a username."""
    password: str | None = f.text("soap_password", required=False)
    if password is not None and not f.has("soap_username"):
        f.fail("soap_password", "needs soap_username")
    return password


def parse_person(f: Felter, eksternt_id: str) -> Sagsbehandler:
    return Sagsbehandler(
        eksternt_id=eksternt_id,
        fornavn=f.text("fornavn", max_len=50),
        efternavn=f.text("efternavn", max_len=40),
        mellemnavn=f.text("mellemnavn", False, max_len=40),
    )


def parse_moedested(f: Felter | None) -> Moedested | None:
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


def booking_record(
    f: Felter, bid: str, borger: Borger, start: dt.datetime, tilbud_id: str | None,
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
    return override(f, base, t, now)


def override(f: Felter, b: Booking, t: PlannerTilbud | None, now: dt.datetime) -> Booking:
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
    if ombooking and samtaletype in rules.REBOOKING_EXCLUDED:
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
    moedested = parse_moedested(f.mapping("moedested")) if f.has("moedested") else b.moedested
    moedeform = f.integer("moedeform", False, 1, default=b.moedeform)
    return dataclasses.replace(
        b,
        jobcenter_kode=kode,
        samtaletype=samtaletype,
        moedeform=moedeform,
        gruppemoede=f.boolean("gruppemoede", moedeform == Moedeform.FAELLES),
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
