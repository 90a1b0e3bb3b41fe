"""The enrolment rules of StraksbookOgTilmeld (docs/reference.md §3.14, §6.6), as pure functions."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generated.errors import Fejlkode
from jobnet import codelists
from jobnet.clock import local_datetime
from jobnet.domain import Absence, Borger, Tilmelding
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
        raise Fejl(Fejlkode.UGYLDIGT_PERSONNUMMER) from None


def age(cpr: str, on: dt.date) -> int:
    born = birth_date(cpr)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def require_enrollable_person(borger: Borger) -> None:
    if not borger.levende:
        raise Fejl(Fejlkode.PERSON_DOED)
    if not borger.har_jobnet_cv:
        raise Fejl(Fejlkode.INTET_CV)
    if not borger.profil_komplet:
        raise Fejl(Fejlkode.PROFIL_KAN_IKKE_HENTES)
    if borger.udlandet:
        raise Fejl(Fejlkode.PERSON_I_UDLANDET)
    if borger.midlertidig_udenlandsk_adresse:
        raise Fejl(Fejlkode.MIDLERTIDIG_UDENLANDSK_ADRESSE)


def require_enrolment(borger: Borger, oenske: Tilmeldingsoenske, tidligere: Iterable[Tilmelding],
                    today: dt.date) -> int:
    """Every enrolment rule in the order a caseworker would meet them; returns the contact group
    the enrolment gives the citizen."""
    birth_date(borger.cpr)
    require_enrollable_person(borger)
    kategori = codelists.klientkategori(oenske.klientkategori)
    if kategori is None:
        raise Fejl(Fejlkode.UGYLDIG_KLIENTKATEGORI)
    if not codelists.ledighedsgrad_known(oenske.ledighedsgrad):
        raise Fejl(Fejlkode.UGYLDIG_LEDIGHEDSGRAD)
    props = kategori.egenskaber
    if not props.get("kan_tilmeldes"):
        raise Fejl(Fejlkode.KATEGORI_KAN_IKKE_TILMELDES)
    if oenske.ledighedsgrad not in (props.get("tilladte_ledighedsgrader") or ()):
        raise Fejl(Fejlkode.UGYLDIG_KATEGORI_OG_LEDIGHEDSGRAD)
    years = age(borger.cpr, today)
    if years >= PENSIONSALDER and not props.get("uden_ydelse"):
        raise Fejl(Fejlkode.OVER_65_KUN_UDEN_YDELSE)
    gruppe_id = props.get("kontaktgruppe")
    gruppe = codelists.kontaktgruppe(gruppe_id)
    if gruppe is not None:
        low, high = gruppe.egenskaber.get("min_alder"), gruppe.egenskaber.get("max_alder")
        if (low is not None and years < low) or (high is not None and years > high):
            raise Fejl(Fejlkode.KONTAKTGRUPPE_PASSER_IKKE_TIL_ALDER)
    require_professions(oenske.stillinger, bool(props.get("kraever_stillingsbetegnelse")), today)
    if not (today - dt.timedelta(days=MAX_DAGE_TILBAGE) <= oenske.tilmeldingsdato <= today):
        raise Fejl(Fejlkode.UGYLDIG_TILMELDINGSDATO)
    for periode in tidligere:
        if periode.slutdato is None or oenske.tilmeldingsdato <= periode.slutdato:
            raise Fejl(Fejlkode.TILMELDING_OVERLAPPER)
    if borger.fravaer is Absence.CONFLICTS_WITH_CONTACT_GROUP:
        raise Fejl(Fejlkode.FRAVAER_I_KONFLIKT_MED_KONTAKTGRUPPE)
    if borger.fravaer is Absence.BLOCKS_ENROLLMENT:
        raise Fejl(Fejlkode.FRAVAER_FORHINDRER_TILMELDING)
    return int(gruppe_id) if gruppe_id is not None else 0


def require_professions(stillinger: Sequence[Stillingsoenske], required: bool, today: dt.date) -> None:
    if required and not stillinger:
        raise Fejl(Fejlkode.STILLINGSBETEGNELSE_PAAKRAEVET)
    known = codelists.stillingsbetegnelse_uris()
    seen: set[str] = set()
    for s in stillinger:
        if s.senest_aktiv_aar < 0 or s.erfaring_maaneder < 0:
            raise Fejl(Fejlkode.NEGATIV_PARAMETER)
        if not 1900 <= s.senest_aktiv_aar <= today.year:
            raise Fejl(Fejlkode.UGYLDIGT_SENEST_AKTIV_AAR)
        if s.esco_koncept_uri not in known:
            raise Fejl(Fejlkode.UKENDT_STILLINGSBETEGNELSE)
        if s.esco_koncept_uri in seen:
            raise Fejl(Fejlkode.UGYLDIG_STILLINGSBETEGNELSE, "the same profession is given more than once")
        seen.add(s.esco_koncept_uri)


def kategoriseret(tilmeldinger: Iterable[Tilmelding], klientkategori: int | None, today: dt.date,
                  ) -> dt.datetime | None:
    """When the citizen was given their client category (PersonCategory/IncidentDate): the start, at
    midnight in Copenhagen, of the latest current enrolment with that category; None when not known."""
    starts = [t.startdato for t in tilmeldinger if t.klientkategori == klientkategori and t.startdato <= today
              and (t.slutdato is None or t.slutdato >= today)]
    return local_datetime(max(starts), 0) if klientkategori is not None and starts else None
