"""Domain entities → the generated API models. Times are shown in Copenhagen local time."""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, overload

from pydantic import BaseModel

from generated import models as m
from jobnet.clock import COPENHAGEN
from jobnet.context import Json
from jobnet.domain import (
    Adresse,
    BookbarSagsbehandler,
    Booking,
    Frist,
    Moedested,
    Moedetid,
    Moedetider,
    Moedetilbud,
    Sagsbehandler,
)


@overload
def local(instant: dt.datetime) -> dt.datetime: ...
@overload
def local(instant: None) -> None: ...
@overload
def local(instant: dt.datetime | None) -> dt.datetime | None: ...
def local(instant: dt.datetime | None) -> dt.datetime | None:
    """An instant as Copenhagen wall time with its offset (the spec's date-times are shown so)."""
    return instant.astimezone(COPENHAGEN) if instant is not None else None


def sagsbehandler(s: Sagsbehandler) -> m.Sagsbehandler:
    return m.Sagsbehandler(fornavn=s.fornavn, mellemnavn=s.mellemnavn, efternavn=s.efternavn,
                           sagsbehandler_eksternt_id=s.eksternt_id)


def adresse(a: Adresse) -> m.Adresse:
    return m.Adresse(vejnavn=a.vejnavn, husnummer=a.husnummer, etage=a.etage, side_doer=a.side_doer,
                     postnummer=a.postnummer, bynavn=a.bynavn, landekode=a.landekode)


def moedested(s: Moedested | None) -> m.Moedested | None:
    if s is None:
        return None
    return m.Moedested(moedested_beskrivelse=s.beskrivelse, adresse=adresse(s.adresse) if s.adresse else None)


def moedested_fuld(s: Moedested | None) -> m.MoedestedFuld | None:
    if s is None:
        return None
    a = s.adresse
    fuld = None if a is None else m.AdresseFuld(
        vejnavn=a.vejnavn, husnummer=a.husnummer, etage=a.etage, side_doer=a.side_doer,
        postnummer=a.postnummer, bynavn=a.bynavn, landekode=a.landekode)
    return m.MoedestedFuld(moedested_beskrivelse=s.beskrivelse, adresse=fuld)


def frist(f: Frist, status: int) -> m.Frist:
    return m.Frist(friststatus_type=status, samtale_type=f.samtaletype, fristdato=f.fristdato,
                   sidste_afholdelsesdato=f.sidste_afholdelsesdato)


def moedetilbud(t: Moedetilbud) -> m.Moedetilbud:
    return m.Moedetilbud(
        moedetilbud_id=t.moedetilbud_id, samtale_type=t.samtaletype, moede_gruppe_type=t.moedeform,
        samtaleform_samling=[m.SamtaleformSamlingItem(f) for f in t.samtaleformer], moedested=moedested(t.moedested),
        varighed_minutter=t.varighed_minutter, foerste_moedetid=local(t.foerste_moedetid),
        sidste_moedetid=local(t.sidste_moedetid), sagsbehandler_kan_vaelges=t.sagsbehandler_kan_vaelges,
        moedetitel=t.moedetitel, moedebeskrivelse=t.moedebeskrivelse,
        sagsbehandler_samling=[sagsbehandler(s) for s in t.sagsbehandlere] or None)


def _tid_fields(t: Moedetid) -> dict[str, Any]:
    return {"starttidspunkt": local(t.starttidspunkt), "samtaleform_samling": list(t.samtaleformer),
            "ombooking_mulig": t.ombooking_mulig, "aflysning_mulig": t.aflysning_mulig,
            "maksimalt_moededeltagerantal": t.maksimalt_antal, "ledige_pladser": t.ledige_pladser,
            "sagsbehandler_nummer_samling": list(t.sagsbehandler_numre)}


M = TypeVar("M", bound=BaseModel)
_setattr = object.__setattr__


def _trusted(cls: type[M], sample: dict[str, Any]) -> Callable[..., M]:
    """A constructor of ``cls`` for values that are already right (the service's own data).

    It builds what ``cls.model_construct(**values)`` builds when every field is given by its
    name, without model_construct's per-field alias and default lookups, which cost more than
    validation itself (a 31-day search answers ~500 times). Checked once against model_construct
    on ``sample``; if this pydantic builds instances differently, model_construct is used.
    """
    names = tuple(cls.model_fields)

    def build(**values: Any) -> M:
        obj = cls.__new__(cls)
        _setattr(obj, "__dict__", values)
        _setattr(obj, "__pydantic_fields_set__", set(values))
        _setattr(obj, "__pydantic_extra__", None)
        _setattr(obj, "__pydantic_private__", None)
        return obj

    def state(obj: BaseModel) -> tuple[Any, ...]:
        return (obj.__dict__, obj.__pydantic_fields_set__, obj.__pydantic_extra__, obj.__pydantic_private__,
                obj.model_dump(mode="json", by_alias=True, exclude_none=True))

    plain = (set(sample) == set(names) and not cls.__pydantic_root_model__
             and not cls.__pydantic_post_init__ and cls.model_config.get("extra") != "allow")
    try:
        same = plain and state(build(**sample)) == state(cls.model_construct(**sample))
    except Exception:  # noqa: BLE001 (any difference: take the documented way)
        same = False
    return build if same else cls.model_construct


@functools.lru_cache(maxsize=1 << 16)
def _samtaleform(value: int) -> m.SamtaleformSamlingItem1:
    return m.SamtaleformSamlingItem1.model_construct(root=value)


@functools.lru_cache(maxsize=1 << 16)
def _sagsbehandler_nummer(value: int) -> m.SagsbehandlerNummerSamlingItem:
    return m.SagsbehandlerNummerSamlingItem.model_construct(root=value)


_moedetid = _trusted(m.Moedetid, {
    "starttidspunkt": dt.datetime(2026, 1, 5, 9, tzinfo=COPENHAGEN), "samtaleform_samling": [_samtaleform(1)],
    "ombooking_mulig": True, "aflysning_mulig": False, "maksimalt_moededeltagerantal": 25, "ledige_pladser": None,
    "sagsbehandler_nummer_samling": [_sagsbehandler_nummer(1)]})


Lister = dict[tuple[str, tuple[int, ...]], list[Any]]


def moedetid(t: Moedetid, _lister: Lister | None = None) -> m.Moedetid:
    """A time of the service's own planner data, built without validation (the values are right
    by construction; the API tests validate every answer against the spec). ``_lister`` shares
    equal code lists between the times of one answer (they are never changed)."""
    lister: Lister = {} if _lister is None else _lister
    former = lister.get(("samtaleform", t.samtaleformer))
    if former is None:
        former = lister[("samtaleform", t.samtaleformer)] = [_samtaleform(f) for f in t.samtaleformer]
    numre = lister.get(("sagsbehandler", t.sagsbehandler_numre))
    if numre is None:
        numre = lister[("sagsbehandler", t.sagsbehandler_numre)] = [
            _sagsbehandler_nummer(n) for n in t.sagsbehandler_numre]
    return _moedetid(
        starttidspunkt=t.starttidspunkt.astimezone(COPENHAGEN), samtaleform_samling=former,
        ombooking_mulig=t.ombooking_mulig, aflysning_mulig=t.aflysning_mulig,
        maksimalt_moededeltagerantal=t.maksimalt_antal, ledige_pladser=t.ledige_pladser,
        sagsbehandler_nummer_samling=numre)


def straks_moedetid(t: Moedetid) -> m.StraksbookingMoedetid:
    tilbud = t.moedetilbud
    assert tilbud is not None, "an immediate-booking time always carries its offer"
    return m.StraksbookingMoedetid(
        **_tid_fields(t), moedetilbud_id=tilbud.moedetilbud_id, moedetitel=tilbud.moedetitel,
        moedebeskrivelse=tilbud.moedebeskrivelse, varighed_minutter=tilbud.varighed_minutter,
        samtale_type=tilbud.samtaletype, moede_gruppe_type=tilbud.moedeform,
        moedested=moedested(tilbud.moedested), sagsbehandler_kan_vaelges=tilbud.sagsbehandler_kan_vaelges)


def bookbare(items: Iterable[BookbarSagsbehandler]) -> list[m.BookbarSagsbehandler] | None:
    """A self-booking search's caseworkers: exactly one supervisor each (STAR's GetSelvbookingMoedetider)."""
    return [m.BookbarSagsbehandler(sagsbehandler_nummer=b.nummer, sagsbehandler=sagsbehandler(b.sagsbehandler))
            for b in items] or None


def bookbare_flere(items: Iterable[BookbarSagsbehandler]) -> list[m.BookbarSagsbehandlerFlere] | None:
    """A rebooking or immediate-booking search's caseworkers: 0-* supervisors each (STAR's tables)."""
    return [m.BookbarSagsbehandlerFlere(sagsbehandler_nummer=b.nummer,
                                        sagsbehandlere=[sagsbehandler(s) for s in b.sagsbehandlere] or None)
            for b in items] or None


def json(model: BaseModel) -> Json:
    """The answer as the API sends it: by the spec's names, without absent elements."""
    return Json(model.model_dump_json(by_alias=True, exclude_none=True).encode())


def moedetider_json(tider: Moedetider) -> Json:
    """GetSelvbookingMoedetider's answer, serialized once per (kept) answer."""
    found = tider.gengivelser.get("json")
    if found is None:
        found = tider.gengivelser["json"] = json(moedetider_response(tider))
    return found


def moedetider_response(tider: Moedetider) -> m.GetSelvbookingMoedetiderResponse:
    lister: Lister = {}
    return m.GetSelvbookingMoedetiderResponse(
        bookbar_sagsbehandler_samling=bookbare(tider.sagsbehandlere),
        moedetid_samling=[moedetid(t, lister) for t in tider.tider] or None)


def ombooking_moedetider_response(tider: Moedetider, samtaletype: int) -> m.GetOmbookingMoedetiderResponse:
    lister: Lister = {}
    return m.GetOmbookingMoedetiderResponse(
        bookbar_sagsbehandler_samling=bookbare_flere(tider.sagsbehandlere),
        moedetid_samling=[moedetid(t, lister) for t in tider.tider] or None, samtale_type=samtaletype)


def booking_detaljer(b: Booking) -> m.BookingDetaljer:
    k = b.kontakt
    return m.BookingDetaljer(
        indkaldelse_id=b.indkaldelse_id,
        indkalder=m.Indkalder(organisationskode=b.indkalder.organisationskode,
                              organisationstype=b.indkalder.organisationstype),
        borger_skal_acceptere=b.borger_skal_acceptere, accepteret=b.accepteret,
        ombooking_mulig=b.ombooking_mulig, ombookingsfrist=local(b.ombookingsfrist),
        aflysning_mulig=b.aflysning_mulig, aflysningsfrist=local(b.aflysningsfrist),
        selvbooket=b.selvbooket, moedepligt=b.moedepligt,
        moede_starttidspunkt=local(b.moede_start), moede_sluttidspunkt=local(b.moede_slut),
        samtale_type=b.samtaletype, moede_gruppe_type=b.moedeform, moedetitel=b.moedetitel,
        moedebeskrivelse=b.moedebeskrivelse, er_gruppemoede=b.gruppemoede,
        afholdende_sagsbehandler=sagsbehandler(b.sagsbehandler),
        moedested=moedested_fuld(b.moedested),
        kontaktdetaljer=m.Kontaktdetaljer(digitalt_moedelink=k.digitalt_moedelink, telefonnummer=k.telefonnummer,
                                          borger_ringer_op=k.borger_ringer_op, samtaleform_type=k.samtaleform),
        vis_sagsbehandlernavn=b.vis_sagsbehandlernavn)
