"""The enrolment rules of StraksbookOgTilmeld (domain.md §3.14, §6.6), as pure functions."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jobnet import catalogue
from jobnet.clock import local_datetime
from jobnet.domain import Absence, Citizen, Tilmelding
from jobnet.errors import Fejl

MAX_DAGE_TILBAGE = 10
PENSIONSALDER = 65


@dataclass(frozen=True)
class Stillingsoenske:  # ProfessionType
    esco_koncept_uri: str
    har_uddannelse: bool
    senest_aktiv_aar: int
    erfaring_maaneder: int
    alias_id: str | None = None


@dataclass(frozen=True)
class Tilmeldingsoenske:
    klientkategori: int
    tilmeldingsdato: dt.date
    ledighedsgrad: int
    stillinger: Sequence[Stillingsoenske] = ()


def birth_date(cpr: str) -> dt.date:
    """The birth date in a CPR number (century from the 7th digit); 1001 if it is no date."""
    day, month, yy, digit7 = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    if digit7 <= 3:
        century = 1900
    elif digit7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        return dt.date(century + yy, month, day)
    except ValueError:
        raise Fejl(1001) from None


def age(cpr: str, on: dt.date) -> int:
    born = birth_date(cpr)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_person(borger: Citizen) -> None:
    if not borger.levende:
        raise Fejl(4405)
    if not borger.har_jobnet_cv:
        raise Fejl(4786)
    if not borger.profil_komplet:
        raise Fejl(9344)
    if borger.udlandet:
        raise Fejl(4720)
    if borger.midlertidig_udenlandsk_adresse:
        raise Fejl(4725)


def check_enrolment(borger: Citizen, oenske: Tilmeldingsoenske, tidligere: Iterable[Tilmelding],
                    today: dt.date) -> int:
    """Every enrolment rule in the order a caseworker would meet them; returns the contact group
    the enrolment gives the citizen."""
    birth_date(borger.cpr)
    check_person(borger)
    kategori = catalogue.klientkategori(oenske.klientkategori)
    if kategori is None:
        raise Fejl(4313)
    if not catalogue.ledighedsgrad_known(oenske.ledighedsgrad):
        raise Fejl(4314)
    props = kategori.egenskaber
    if not props.get("kan_tilmeldes"):
        raise Fejl(4641)
    if oenske.ledighedsgrad not in (props.get("tilladte_ledighedsgrader") or ()):
        raise Fejl(6014)
    years = age(borger.cpr, today)
    if years >= PENSIONSALDER and not props.get("uden_ydelse"):
        raise Fejl(4763)
    gruppe_id = props.get("kontaktgruppe")
    gruppe = catalogue.kontaktgruppe(gruppe_id)
    if gruppe is not None:
        low, high = gruppe.egenskaber.get("min_alder"), gruppe.egenskaber.get("max_alder")
        if (low is not None and years < low) or (high is not None and years > high):
            raise Fejl(6033)
    check_professions(oenske.stillinger, bool(props.get("kraever_stillingsbetegnelse")), today)
    if not (today - dt.timedelta(days=MAX_DAGE_TILBAGE) <= oenske.tilmeldingsdato <= today):
        raise Fejl(4338)
    for periode in tidligere:
        if periode.slutdato is None or oenske.tilmeldingsdato <= periode.slutdato:
            raise Fejl(4316)
    if borger.fravaer is Absence.CONFLICTS_WITH_CONTACT_GROUP:
        raise Fejl(4645)
    if borger.fravaer is Absence.BLOCKS_ENROLLMENT:
        raise Fejl(4750)
    return int(gruppe_id) if gruppe_id is not None else 0


def check_professions(stillinger: Sequence[Stillingsoenske], required: bool, today: dt.date) -> None:
    if required and not stillinger:
        raise Fejl(7062)
    known = catalogue.stillingsbetegnelse_uris()
    seen: set[str] = set()
    for s in stillinger:
        if s.senest_aktiv_aar < 0 or s.erfaring_maaneder < 0:
            raise Fejl(4698)
        if not 1900 <= s.senest_aktiv_aar <= today.year:
            raise Fejl(4710)
        if s.esco_koncept_uri not in known:
            raise Fejl(8281)
        if s.esco_koncept_uri in seen:
            raise Fejl(4318, "the same profession is given more than once")
        seen.add(s.esco_koncept_uri)


def kategoriseret(tilmeldinger: Iterable[Tilmelding], klientkategori: int | None, today: dt.date,
                  ) -> dt.datetime | None:
    """When the citizen was given their client category (PersonCategory/IncidentDate): the start, at
    midnight in Copenhagen, of the latest current enrolment with that category; None when not known."""
    starts = [t.startdato for t in tilmeldinger if t.klientkategori == klientkategori and t.startdato <= today
              and (t.slutdato is None or t.slutdato >= today)]
    return local_datetime(max(starts), 0) if klientkategori is not None and starts else None
