"""Unit tests of the booking rules (jobnet/rules.py): no database, no planner, no HTTP."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from jobnet import codelists, rules
from jobnet.clock import COPENHAGEN
from jobnet.domain import (
    Adresse,
    Booking,
    BookingState,
    Borger,
    Frist,
    Friststatus,
    Indkalder,
    Kontaktdetaljer,
    Moedested,
    Sagsbehandler,
)
from jobnet.errors import Fejl

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=COPENHAGEN)
DAY = dt.timedelta(days=1)


def booking(**changes: Any) -> Booking:
    start = NOW + 5 * DAY
    b = Booking(
        indkaldelse_id="b1", cpr="0101901234", moedetilbud_id=None, jobcenter_kode="10101",
        samtaletype=7, moedeform=1, moede_start=start, moede_slut=start + dt.timedelta(minutes=45),
        moedetitel="Jobsamtale", sagsbehandler=Sagsbehandler("rid-1", "Anne", "Hansen"),
        kontakt=Kontaktdetaljer(samtaleform=1), indkalder=Indkalder(10101, 1),
        moedested=Moedested(adresse=Adresse("Vej", "1", "8000", "Aarhus")),
        ombooking_mulig=True, ombookingsfrist=start - DAY,
        aflysning_mulig=True, aflysningsfrist=start - DAY)
    return replace(b, **changes)


def codes(b: Booking) -> list[int]:
    return rules.planner_booking_violations(b, NOW, **codelists.planner_validation_sets())


def raises(code: int, fn, *args, **kwargs) -> None:
    with pytest.raises(Fejl) as info:
        fn(*args, **kwargs)
    assert info.value.fejlkode == code


def test_a_well_formed_planner_booking_breaks_no_rule() -> None:
    assert codes(booking()) == []


@pytest.mark.parametrize("changes, code", [
    ({"samtaletype": 999}, 4709),
    ({"kontakt": Kontaktdetaljer(samtaleform=999)}, 4708),
    ({"moede_start": NOW - 2 * DAY, "moede_slut": NOW - 2 * DAY, "ombookingsfrist": None,
      "ombooking_mulig": False, "aflysning_mulig": False, "aflysningsfrist": None}, 4783),
    ({"moede_slut": NOW + 4 * DAY}, 4792),
    ({"print_kommentar": "Husk <b>ID</b>"}, 4804),
    ({"moedeform": 999}, 4805),
    ({"ombookingsfrist": None}, 8126),
    ({"aflysning_mulig": False}, 8127),
    ({"aflysningsfrist": None}, 8128),
    ({"moedested": None}, 8129),
    ({"moede_slut": None}, 8130),
    ({"kontakt": Kontaktdetaljer(samtaleform=2, borger_ringer_op=True)}, 8131),
    ({"ombookingsfrist": NOW - 2 * DAY}, 8132),
    ({"aflysningsfrist": NOW - 2 * DAY}, 8133),
    ({"ombookingsfrist": NOW + 6 * DAY}, 8134),
    ({"moede_slut": NOW + 7 * DAY}, 8135),
    ({"aflysningsfrist": NOW + 6 * DAY}, 8136),
    ({"samtaletype": 17}, 8270),
    ({"samtaletype": 18}, 8270),
])
def test_each_planner_data_rule(changes: dict, code: int) -> None:
    assert code in codes(booking(**changes))


def test_plain_text_print_comment_is_fine() -> None:
    assert 4804 not in codes(booking(print_kommentar="Medbring CV, 2 < 3"))


def test_8288_compares_the_meeting_date_with_the_date_limit() -> None:
    frist = Frist("f1", "c", 7, fristdato=(NOW + 7 * DAY).date(), sidste_afholdelsesdato=(NOW + 21 * DAY).date())
    rules.require_within_deadline([frist], 7, NOW + 21 * DAY)  # the last day is allowed
    raises(8288, rules.require_within_deadline, [frist], 7, NOW + 22 * DAY)
    rules.require_within_deadline([frist], 9, NOW + 40 * DAY)  # other interview type
    rules.require_within_deadline([replace(frist, status=Friststatus.INDFRIET)], 7, NOW + 40 * DAY)


def test_deadline_shown_as_overdue_after_fristdato() -> None:
    frist = Frist("f1", "c", 7, fristdato=NOW.date(), sidste_afholdelsesdato=(NOW + 14 * DAY).date())
    assert rules.shown_status(frist, NOW.date()) == Friststatus.AKTIV
    assert rules.shown_status(frist, NOW.date() + DAY) == Friststatus.OVERSKREDET


def test_only_one_future_jobsamtale_and_opfoelgningssamtale() -> None:
    existing = [booking()]
    raises(8273, rules.require_no_other_future, existing, 7, NOW)
    raises(9220, rules.require_no_other_future, [booking(samtaletype=4)], 4, NOW)
    rules.require_no_other_future(existing, 7, NOW, except_id="b1")  # rescheduling itself
    rules.require_no_other_future(existing, 9, NOW)  # other types may repeat
    rules.require_no_other_future([booking(state=BookingState.CANCELLED)], 7, NOW)
    rules.require_no_other_future([booking(moede_start=NOW - DAY)], 7, NOW)  # past meetings


def test_rescheduling_rules() -> None:
    raises(9130, rules.require_reschedulable, booking(straksbooking=True), NOW)
    raises(4812, rules.require_reschedulable, booking(ombooking_mulig=False), NOW)
    raises(4812, rules.require_reschedulable, booking(), NOW + 4 * DAY + dt.timedelta(hours=1))
    raises(4783, rules.require_reschedulable, booking(moede_start=NOW - DAY), NOW)
    rules.require_reschedulable(booking(), NOW)


def test_cancelling_rules() -> None:
    raises(9130, rules.require_cancellable, booking(straksbooking=True), NOW)
    raises(4820, rules.require_cancellable, booking(aflysning_mulig=False, aflysningsfrist=None), NOW)
    raises(4820, rules.require_cancellable, booking(), NOW + 4 * DAY + dt.timedelta(hours=1))
    raises(4650, rules.require_cancellable, booking(moede_start=NOW - DAY), NOW)
    rules.require_cancellable(booking(), NOW)


def test_ownership_and_life() -> None:
    raises(8107, rules.require_owner, booking(), "0202852345")
    rules.require_owner(booking(), "0101901234")
    raises(4405, rules.require_alive, Borger("0606652789", "10101", 1, 1, levende=False))


def test_contact_group_and_rehab_interviews() -> None:
    raises(9121, rules.require_contact_group_allows, 21, False)
    rules.require_contact_group_allows(21, True)
    rules.require_contact_group_allows(7, False)


def test_search_interval_cap() -> None:
    rules.require_interval(NOW, NOW + 93 * DAY, 93)
    raises(1014, rules.require_interval, NOW, NOW + 94 * DAY, 93)
    raises(1014, rules.require_interval, NOW, NOW, 93)
