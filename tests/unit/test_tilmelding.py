"""Unit tests of the enrolment rules of StraksbookOgTilmeld (jobnet/tilmelding.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from jobnet.domain import Absence, Borger, Tilmelding
from jobnet.errors import Fejl
from jobnet.tilmelding import Stillingsoenske, Tilmeldingsoenske, age, birth_date, require_enrolment

TODAY = dt.date(2026, 12, 1)
PERSON = Borger("0909951234", "10101", None, None)
STILLING = Stillingsoenske(esco_koncept_uri="", har_uddannelse=True, senest_aktiv_aar=2025,
                           erfaring_maaneder=24)


@pytest.fixture
def stilling() -> Stillingsoenske:
    from generated.codelists import STILLINGSBETEGNELSE

    uri = next(iter(STILLINGSBETEGNELSE.values())).egenskaber["konsept_uri"]
    return replace(STILLING, esco_koncept_uri=uri)


def oenske(stilling: Stillingsoenske, **changes: Any) -> Tilmeldingsoenske:
    return replace(Tilmeldingsoenske(klientkategori=1, tilmeldingsdato=TODAY, ledighedsgrad=1,
                                     stillinger=(stilling,)), **changes)


def code(borger: Borger, o: Tilmeldingsoenske, tidligere: list[Tilmelding] | None = None) -> int | None:
    try:
        require_enrolment(borger, o, tidligere or [], TODAY)
    except Fejl as exc:
        return exc.fejlkode
    return None


def test_cpr_birth_dates_and_centuries() -> None:
    assert birth_date("0101901234") == dt.date(1990, 1, 1)
    assert birth_date("0101054234") == dt.date(2005, 1, 1)
    assert birth_date("0101585234") == dt.date(1858, 1, 1)
    assert age("0808553901", TODAY) == 71
    with pytest.raises(Fejl) as info:
        birth_date("2902011234")  # 1901 is no leap year
    assert info.value.fejlkode == 1001


def test_a_valid_enrolment_gives_the_category_contact_group(stilling: Stillingsoenske) -> None:
    assert require_enrolment(PERSON, oenske(stilling), [], TODAY) == 1


@pytest.mark.parametrize("borger_changes, expected", [
    ({"levende": False}, 4405), ({"har_jobnet_cv": False}, 4786), ({"profil_komplet": False}, 9344),
    ({"udlandet": True}, 4720), ({"midlertidig_udenlandsk_adresse": True}, 4725),
    ({"fravaer": Absence.CONFLICTS_WITH_CONTACT_GROUP}, 4645), ({"fravaer": Absence.BLOCKS_ENROLLMENT}, 4750),
    ({"cpr": "0000000000"}, 1001),
])
def test_person_rules(stilling: Stillingsoenske, borger_changes: dict, expected: int) -> None:
    assert code(replace(PERSON, **borger_changes), oenske(stilling)) == expected


@pytest.mark.parametrize("changes, expected", [
    ({"klientkategori": 999}, 4313), ({"ledighedsgrad": 999}, 4314), ({"klientkategori": 4}, 4641),
    ({"klientkategori": 2, "ledighedsgrad": 2}, 6014), ({"stillinger": ()}, 7062),
    ({"tilmeldingsdato": TODAY - dt.timedelta(days=11)}, 4338),
    ({"tilmeldingsdato": TODAY + dt.timedelta(days=1)}, 4338),
])
def test_request_rules(stilling: Stillingsoenske, changes: dict, expected: int) -> None:
    assert code(PERSON, oenske(stilling, **changes)) == expected


def test_ten_days_back_is_allowed(stilling: Stillingsoenske) -> None:
    assert code(PERSON, oenske(stilling, tilmeldingsdato=TODAY - dt.timedelta(days=10))) is None


@pytest.mark.parametrize("stilling_changes, expected", [
    ({"senest_aktiv_aar": -1}, 4698), ({"erfaring_maaneder": -5}, 4698), ({"senest_aktiv_aar": 2999}, 4710),
    ({"esco_koncept_uri": "urn:ukendt"}, 8281),
])
def test_profession_rules(stilling: Stillingsoenske, stilling_changes: dict, expected: int) -> None:
    assert code(PERSON, oenske(stilling, stillinger=(replace(stilling, **stilling_changes),))) == expected


def test_the_same_profession_twice_is_invalid(stilling: Stillingsoenske) -> None:
    assert code(PERSON, oenske(stilling, stillinger=(stilling, stilling))) == 4318


def test_overlapping_enrolment(stilling: Stillingsoenske) -> None:
    open_period = Tilmelding("t1", PERSON.cpr, TODAY - dt.timedelta(days=100), None, 1, 1)
    assert code(PERSON, oenske(stilling), [open_period]) == 4316
    closed = replace(open_period, slutdato=TODAY - dt.timedelta(days=30))
    assert code(PERSON, oenske(stilling), [closed]) is None


def test_65_or_older_only_uden_ydelse(stilling: Stillingsoenske) -> None:
    senior = replace(PERSON, cpr="0808553901")
    assert code(senior, oenske(stilling)) == 4763
    from generated.codelists import KLIENTKATEGORI

    uden = next(k for k, v in KLIENTKATEGORI.items() if v.egenskaber.get("uden_ydelse"))
    grad = KLIENTKATEGORI[uden].egenskaber["tilladte_ledighedsgrader"][0]
    assert code(senior, oenske(stilling, klientkategori=uden, ledighedsgrad=grad)) is None


def test_contact_group_age_limits(stilling: Stillingsoenske) -> None:
    young = replace(PERSON, cpr="0101104234")  # born 2010: 16 years old
    assert code(young, oenske(stilling)) == 6033
