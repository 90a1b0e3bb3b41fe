"""Property tests (Hypothesis) of the time, CPR and date rules.

The oracles here do not ask zoneinfo: Copenhagen time is computed from the EU rule itself (summer
time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, +2;
otherwise +1), and CPR dates from the CPR office's table of the 7th digit. Every test is
derandomized and keeps no example database, so CI sees the same examples on every run.
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from jobnet import rules
from jobnet.clock import COPENHAGEN, FixedClock, local_date, local_datetime, today
from jobnet.context import Services
from jobnet.demo import BORGERE
from jobnet.domain import Frist, Friststatus, Samtaletype
from jobnet.errors import Fejl
from jobnet.planner.embedded import slots
from jobnet.tilmelding import age, birth_date
from tests.support.api import fejl

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
FIRST, LAST = dt.date(2020, 1, 1), dt.date(2035, 12, 31)

PURE = settings(max_examples=300, deadline=None, derandomize=True, database=None)
HTTP = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --- the oracle: Copenhagen time by the EU rule ---------------------------------------------------


def last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=last.isoweekday() % 7)


def summer_time(instant: dt.datetime) -> bool:
    utc = instant.astimezone(UTC)
    begins = dt.datetime.combine(last_sunday(utc.year, 3), dt.time(1), tzinfo=UTC)
    ends = dt.datetime.combine(last_sunday(utc.year, 10), dt.time(1), tzinfo=UTC)
    return begins <= utc < ends


def wall(instant: dt.datetime) -> dt.datetime:
    """The Copenhagen wall clock at an instant (naive)."""
    utc = instant.astimezone(UTC)
    return (utc + (2 if summer_time(utc) else 1) * HOUR).replace(tzinfo=None)


def instant_of(wall_time: dt.datetime) -> dt.datetime | None:
    """The first instant the Copenhagen wall clock shows ``wall_time``; None in the spring gap."""
    shown = [utc for utc in ((wall_time - 2 * HOUR).replace(tzinfo=UTC), (wall_time - HOUR).replace(tzinfo=UTC))
             if wall(utc) == wall_time]
    return min(shown) if shown else None


def dst_days(year: int) -> tuple[dt.date, dt.date]:
    return last_sunday(year, 3), last_sunday(year, 10)


def test_the_oracle_agrees_with_the_known_changes() -> None:
    assert dst_days(2026) == (dt.date(2026, 3, 29), dt.date(2026, 10, 25))
    assert dst_days(2035) == (dt.date(2035, 3, 25), dt.date(2035, 10, 28))
    assert instant_of(dt.datetime(2026, 3, 29, 2, 30)) is None
    assert instant_of(dt.datetime(2026, 10, 25, 2, 30)) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# --- strategies -----------------------------------------------------------------------------------

years = st.integers(FIRST.year, LAST.year)
# Days around the changes (the Saturday, the Sunday, the Monday) come up as often as any other day.
change_days = st.builds(lambda y, which, shift: dst_days(y)[which] + shift * DAY,
                        years, st.integers(0, 1), st.integers(-1, 1))
days = st.booleans().flatmap(lambda near: change_days if near else st.dates(FIRST, LAST))  # half and half
minutes_of_day = st.integers(0, 24 * 60 - 1)
instants = st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2035, 12, 31, 23, 59, 59), timezones=st.just(UTC))
# ... and instants within a day of a change (the repeated hour, the missing one, the midnights around).
near_change = st.builds(lambda y, which, seconds: dt.datetime.combine(dst_days(y)[which], dt.time(1), tzinfo=UTC)
                        + dt.timedelta(seconds=seconds), years, st.integers(0, 1),
                        st.integers(-26 * 3600, 26 * 3600))
any_instant = st.one_of(instants, near_change)
offsets = st.integers(-12 * 4, 14 * 4).map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q)))
zones = st.one_of(st.just(UTC), st.just(COPENHAGEN), offsets, st.sampled_from(
    [dt.timezone(dt.timedelta(hours=1)), dt.timezone(dt.timedelta(hours=2))]))


def hm(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


# --- timeslots across the DST changes -------------------------------------------------------------


def expected_slots(day: dt.date, fra: dt.time, til: dt.time, minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """(wall time, instant): fra, fra + d, ... on the wall clock while the meeting ends by til,
    leaving out the wall times that do not exist that day, and (across the spring gap, where a
    wall step is an hour short in real time) a start that would overlap the one kept before it or
    end after til in real time."""
    found: list[tuple[dt.datetime, dt.datetime]] = []
    step = dt.timedelta(minutes=minutes)
    w, end = dt.datetime.combine(day, fra), dt.datetime.combine(day, til)
    while w + step <= end:
        at = instant_of(w)
        if at is not None and (not found or found[-1][1] + step <= at) and wall(at + step) <= end:
            found.append((w, at))
        w += step
    return found


def check_day(day: dt.date, fra: dt.time, til: dt.time, minutes: int, dage: frozenset[int]) -> None:
    starts = slots.day_starts(day, slots.Arbejdstid(dage, fra, til), minutes)
    if day.isoweekday() not in dage:
        assert starts == []
        return
    expected = expected_slots(day, fra, til, minutes)
    assert starts == [at for _, at in expected]
    varighed = dt.timedelta(minutes=minutes)
    for start, (wall_time, _) in zip(starts, expected, strict=False):
        assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(0)
        assert start.astimezone(COPENHAGEN).replace(tzinfo=None) == wall_time  # 09:00 stays 09:00
        assert local_date(start) == day
        assert wall(start + varighed) <= dt.datetime.combine(day, til)  # over when the working day is
    for earlier, later in itertools.pairwise(starts):
        assert earlier < later
        assert earlier + varighed <= later  # a caseworker's meetings never overlap


def straddles_the_spring_gap(day: dt.date, fra: dt.time, til: dt.time) -> bool:
    return day == dst_days(day.year)[0] and fra < dt.time(2) < til


windows = st.integers(0, 24 * 60 - 2).flatmap(
    lambda fra: st.integers(fra + 1, 24 * 60 - 1).map(lambda til: (hm(fra), hm(til))))
durations = st.integers(10, 240)
weekdays = st.one_of(st.just(frozenset(range(1, 8))), st.frozensets(st.integers(1, 7), min_size=1))


@settings(PURE, max_examples=200)
@given(day=days, window=windows, minutes=durations, dage=weekdays)
@example(day=dt.date(2026, 3, 29), window=(dt.time(9), dt.time(15)), minutes=45, dage=frozenset(range(1, 8)))
@example(day=dt.date(2026, 10, 25), window=(dt.time(9), dt.time(15)), minutes=45, dage=frozenset(range(1, 8)))
@example(day=dt.date(2035, 3, 25), window=(dt.time(2), dt.time(5)), minutes=20, dage=frozenset(range(1, 8)))
@example(day=dt.date(2035, 10, 28), window=(dt.time(0), dt.time(23, 59)), minutes=30, dage=frozenset(range(1, 8)))
def test_slots_keep_their_wall_clock_times_across_dst(day: dt.date, window: tuple[dt.time, dt.time], minutes: int,
                                                      dage: frozenset[int]) -> None:
    """Any working hours that do not run across the missing hour of the spring change (so every
    real working day, and the repeated hour of the autumn change included)."""
    fra, til = window
    if straddles_the_spring_gap(day, fra, til):
        day -= 7 * DAY  # the same window a week earlier; the straddling case is the test below
    change = {dst_days(day.year)[0]: "spring change", dst_days(day.year)[1]: "autumn change"}.get(day, "other day")
    event(change + (", 02:00-03:00 in the window" if fra < dt.time(3) and til > dt.time(2) else ""))
    check_day(day, fra, til, minutes, dage)


@PURE
@given(year=years, fra=st.integers(0, 119).map(hm), til=st.integers(121, 24 * 60 - 1).map(hm), minutes=durations)
@example(year=2026, fra=dt.time(0), til=dt.time(6), minutes=90)
def test_slots_of_working_hours_across_the_spring_gap_never_overlap(year: int, fra: dt.time, til: dt.time,
                                                                   minutes: int) -> None:
    check_day(dst_days(year)[0], fra, til, minutes, frozenset(range(1, 8)))


# --- clock ----------------------------------------------------------------------------------------


@PURE
@given(instant=any_instant, zone=zones)
def test_local_date_is_the_copenhagen_date(instant: dt.datetime, zone: Any) -> None:
    assert local_date(instant.astimezone(zone)) == wall(instant).date()


@PURE
@given(day=days, minute=minutes_of_day)
@example(day=dt.date(2026, 3, 29), minute=0)
@example(day=dt.date(2026, 3, 29), minute=23 * 60 + 59)
@example(day=dt.date(2026, 3, 29), minute=2 * 60 + 30)
@example(day=dt.date(2026, 10, 25), minute=2 * 60 + 30)
@example(day=dt.date(2026, 10, 25), minute=23 * 60 + 59)
def test_local_datetime_round_trips(day: dt.date, minute: int) -> None:
    shown = dt.datetime.combine(day, hm(minute))
    instant = local_datetime(day, shown.hour, shown.minute)
    assert instant.utcoffset() == dt.timedelta(0)
    assert local_date(instant) == day
    expected = instant_of(shown)
    if expected is not None:  # an ambiguous time is its first occurrence
        assert instant == expected
        assert instant.astimezone(COPENHAGEN).replace(tzinfo=None) == shown
    else:  # 02:xx on the spring change does not exist: it is read on the offset before it, 03:xx
        assert instant.astimezone(COPENHAGEN).replace(tzinfo=None) == shown + HOUR


@PURE
@given(instant=any_instant)
def test_an_instant_round_trips_through_its_local_date_and_wall_time(instant: dt.datetime) -> None:
    instant = instant.replace(second=0, microsecond=0)
    shown = wall(instant)
    back = local_datetime(local_date(instant), shown.hour, shown.minute)
    if instant_of(shown) == instant:
        assert back == instant
    else:  # the second time the autumn change's repeated hour is shown: the first is meant
        assert back == instant - HOUR and wall(back) == shown


@PURE
@given(instant=any_instant, zone=zones)
def test_a_fixed_clocks_today_is_the_copenhagen_date(instant: dt.datetime, zone: Any) -> None:
    clock = FixedClock(instant.astimezone(zone))
    assert clock.now() == instant and clock.now().utcoffset() == dt.timedelta(0)
    assert today(clock) == wall(instant).date()
    clock.advance(DAY)
    assert today(clock) == wall(instant + DAY).date()


def test_a_fixed_clock_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError):
        FixedClock(dt.datetime(2026, 3, 29, 2, 30))


# --- CPR ------------------------------------------------------------------------------------------

SPEC = yaml.safe_load((Path(__file__).parents[2] / "specs" / "openapi.yaml").read_text(encoding="utf-8"))
CPR = SPEC["components"]["parameters"]["CivilRegistrationIdentifier"]["schema"]["pattern"]

# The CPR office's table: the 7th digit and the two-digit year give the century.
CENTURY = {**{d: ((99, 1900),) for d in (0, 1, 2, 3)},
           **{d: ((36, 2000), (99, 1900)) for d in (4, 9)},
           **{d: ((57, 2000), (99, 1800)) for d in (5, 6, 7, 8)}}


def year_of(yy: int, digit7: int) -> int:
    return next(century for upto, century in CENTURY[digit7] if yy <= upto) + yy


def exists(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def matches(value: str) -> bool:
    return re.search(CPR, value) is not None and "\n" not in value


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in ([v] if k == "pattern" and isinstance(v, str) else _patterns(v))]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


def test_the_spec_has_one_cpr_pattern_for_the_header_and_the_body() -> None:
    cpr_like = [p for p in _patterns(SPEC) if "0000000000" in p]
    assert len(cpr_like) >= 2 and set(cpr_like) == {CPR}


def _cpr(month: int, day: int, yy: int, digit7: int, rest: int) -> str:
    return f"{day:02d}{month:02d}{yy:02d}{digit7}{rest:03d}"


def _days_the_pattern_allows(month: int) -> int:
    return 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31


two_digit_years = st.one_of(st.integers(0, 99), st.sampled_from([0, 36, 37, 57, 58, 99]))  # the century edges
any_date_cpr = st.integers(1, 12).flatmap(lambda month: st.builds(
    _cpr, st.just(month), st.integers(1, _days_the_pattern_allows(month)), two_digit_years, st.integers(0, 9),
    st.integers(0, 999)))
leap_day_cpr = st.builds(_cpr, st.just(2), st.just(29), two_digit_years, st.integers(0, 9), st.integers(0, 999))
pattern_cprs = st.one_of(st.from_regex(CPR, fullmatch=True), any_date_cpr, leap_day_cpr)


@PURE
@given(cpr=pattern_cprs)
@example(cpr="0000000000")  # the pattern's odd one out
@example(cpr="2902001234")  # 1900: no leap year
@example(cpr="2902004234")  # 2000: a leap year
@example(cpr="2902005234")  # 2000
@example(cpr="2902585234")  # 1858: no leap year
@example(cpr="2902605234")  # 1860
@example(cpr="3112369999")  # 2036
@example(cpr="0101379999")  # 1937
@example(cpr="3112575999")  # 2057
@example(cpr="0101585000")  # 1858
def test_every_pattern_valid_cpr_is_its_birth_date_or_1001(cpr: str) -> None:
    assert matches(cpr)
    day, month, yy, digit7 = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    year = year_of(yy, digit7)
    event(f"{year // 100}xx" + ("" if exists(year, month, day) else ", no such date"))
    if exists(year, month, day):
        assert birth_date(cpr) == dt.date(year, month, day)
    else:
        with pytest.raises(Fejl) as info:
            birth_date(cpr)
        assert info.value.fejlkode == 1001


@pytest.mark.parametrize("digit7", range(10))
def test_the_century_of_every_7th_digit_and_year(digit7: int) -> None:
    """Not a sample: all 100 two-digit years for each 7th digit, on 1 January and 29 February."""
    for yy in range(100):
        year = year_of(yy, digit7)
        assert birth_date(_cpr(1, 1, yy, digit7, 0)) == dt.date(year, 1, 1)
        if calendar.isleap(year):
            assert birth_date(_cpr(2, 29, yy, digit7, 0)) == dt.date(year, 2, 29)
        else:
            with pytest.raises(Fejl) as info:
                birth_date(_cpr(2, 29, yy, digit7, 0))
            assert info.value.fejlkode == 1001


def birthday(born: dt.date, year: int) -> dt.date:
    """The day one is a year older in ``year``: 1 March for 29 February in a common year."""
    return dt.date(year, born.month, born.day) if exists(year, born.month, born.day) else dt.date(year, 3, 1)


def _exists(cpr: str) -> bool:
    return exists(year_of(int(cpr[4:6]), int(cpr[6])), int(cpr[2:4]), int(cpr[0:2]))


def _digits7_for(year: int) -> list[int]:
    return [d for d in range(10) if year_of(year % 100, d) == year]


LEAP_YEARS = [y for y in range(1858, 2058) if calendar.isleap(y)]
born_on_a_leap_day = st.sampled_from(LEAP_YEARS).flatmap(lambda y: st.builds(
    _cpr, st.just(2), st.just(29), st.just(y % 100), st.sampled_from(_digits7_for(y)), st.integers(0, 999)))
existing_cprs = st.one_of(any_date_cpr.filter(_exists), born_on_a_leap_day)


@PURE
@given(cpr=existing_cprs, first=st.integers(0, 120 * 366), later=st.integers(0, 3 * 366))
@example(cpr="2902004234", first=365, later=2)  # 28 Feb 2001 -> 2 Mar 2001
@example(cpr="2902004234", first=4 * 365, later=2)  # 28 Feb 2004 -> 1 Mar 2004 (the 29th in between)
def test_age_grows_by_one_exactly_on_each_birthday(cpr: str, first: int, later: int) -> None:
    born = birth_date(cpr)
    assert age(cpr, born) == 0
    on = born + first * DAY
    assert age(cpr, on) <= age(cpr, on + later * DAY)  # monotonic
    for d in (on + i * DAY for i in range(later)):
        step = age(cpr, d + DAY) - age(cpr, d)
        assert step == (1 if d + DAY == birthday(born, (d + DAY).year) else 0), (d, step)
    assert age(cpr, on) == on.year - born.year - (on < birthday(born, on.year))


@PURE
@given(cpr=born_on_a_leap_day, n=st.integers(1, 100))
def test_a_29_february_child_is_n_on_the_nth_birthday_and_not_the_day_before(cpr: str, n: int) -> None:
    born = birth_date(cpr)
    nth = birthday(born, born.year + n)
    assert age(cpr, nth) == n and age(cpr, nth - DAY) == n - 1


# --- the edge validates the CPR header with the spec's pattern ------------------------------------

near_misses = st.builds(lambda dd, mm, tail: f"{dd:02d}{mm:02d}{tail}", st.integers(0, 99), st.integers(0, 99),
                        st.text("0123456789", min_size=5, max_size=7))
junk = st.text("0123456789-x+.", max_size=12)
headers = st.integers(0, 2).flatmap(lambda kind: (pattern_cprs, near_misses, junk)[kind])  # a third each


@HTTP
@given(cpr=headers)
@example(cpr="0000000000")
@example(cpr="2902011234")  # pattern-valid, no such date: still just an unknown citizen
@example(cpr="3002901234")
@example(cpr="")
def test_the_cpr_header_is_checked_against_the_specs_pattern(api: Any, demo: Any, cpr: str) -> None:
    r = api.get("/borgerstatus", cpr)
    event(f"HTTP {r.status_code}")
    if not matches(cpr):
        fejl(r, 1014, 400)
    elif cpr in BORGERE:
        assert r.status_code == 200, r.text
    else:
        fejl(r, 1010, 404)


# --- search intervals -----------------------------------------------------------------------------

MAX_DAYS = 93
lengths = st.one_of(
    st.timedeltas(-200 * DAY, 200 * DAY),
    st.builds(lambda days, us: days * DAY + dt.timedelta(microseconds=us),
              st.sampled_from([0, 1, 92, 93, 94]), st.integers(-2, 2)),
)
edge_offsets = st.one_of(st.just(UTC), offsets)  # how instants arrive: parsed RFC 3339 (fixed offsets) or UTC


def accepts_interval(start: dt.datetime, slut: dt.datetime) -> bool:
    try:
        rules.require_interval(start, slut, MAX_DAYS)
    except Fejl as exc:
        assert exc.fejlkode == 1014
        return False
    return True


def test_the_service_caps_searches_at_93_days() -> None:
    assert Services.__dataclass_fields__["max_search_days"].default == MAX_DAYS


@PURE
@given(start=any_instant, length=lengths, start_zone=edge_offsets, slut_zone=edge_offsets)
def test_an_interval_is_accepted_exactly_when_0_lt_length_le_93_days(start: dt.datetime, length: dt.timedelta,
                                                                     start_zone: Any, slut_zone: Any) -> None:
    slut = start + length
    event("too long" if length > MAX_DAYS * DAY else "not after the start" if length <= dt.timedelta(0) else "ok")
    assert accepts_interval(start.astimezone(start_zone), slut.astimezone(slut_zone)) == (
        dt.timedelta(0) < length <= MAX_DAYS * DAY)


@PURE
@given(start=any_instant, length=lengths)
@example(start=dt.datetime(2026, 2, 28, 23, 0, tzinfo=UTC), length=93 * DAY - 30 * dt.timedelta(minutes=1))
@example(start=dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), length=-50 * dt.timedelta(minutes=1))
def test_an_interval_in_copenhagen_time_is_measured_in_elapsed_time(start: dt.datetime,
                                                                    length: dt.timedelta) -> None:
    slut = start + length
    assert accepts_interval(start.astimezone(COPENHAGEN), slut.astimezone(COPENHAGEN)) == (
        dt.timedelta(0) < length <= MAX_DAYS * DAY)


# --- 8288: held by the deadline's date limit ------------------------------------------------------


def frist(limit: dt.date, samtaletype: int = Samtaletype.JOBSAMTALE, status: int = Friststatus.AKTIV) -> Frist:
    return Frist(id="f1", cpr="0101901234", samtaletype=samtaletype, fristdato=limit - 7 * DAY,
                 sidste_afholdelsesdato=limit, status=status)


def held_in_time(frister: list[Frist], start: dt.datetime) -> bool:
    try:
        rules.require_within_deadline(frister, Samtaletype.JOBSAMTALE, start)
    except Fejl as exc:
        assert exc.fejlkode == 8288
        return False
    return True


# Meetings at the local midnights around the limit (00:00, 23:59) and anywhere near it.
local_edges = st.builds(lambda shift, minute: (shift, minute), st.integers(-1, 1),
                        st.sampled_from([0, 1, 23 * 60 + 59, 2 * 60, 2 * 60 + 30, 3 * 60]))


@PURE
@given(limit=days, edge=local_edges, seconds=st.integers(-3 * 86400, 3 * 86400), use_edge=st.booleans(),
       zone=zones)
@example(limit=dt.date(2026, 3, 29), edge=(0, 23 * 60 + 59), seconds=0, use_edge=True, zone=UTC)
@example(limit=dt.date(2026, 3, 29), edge=(1, 0), seconds=0, use_edge=True, zone=UTC)
@example(limit=dt.date(2026, 10, 25), edge=(0, 23 * 60 + 59), seconds=0, use_edge=True, zone=UTC)
@example(limit=dt.date(2026, 10, 25), edge=(1, 0), seconds=0, use_edge=True, zone=UTC)
@example(limit=dt.date(2026, 3, 28), edge=(1, 0), seconds=0, use_edge=True, zone=UTC)
@example(limit=dt.date(2026, 10, 24), edge=(1, 0), seconds=0, use_edge=True, zone=UTC)
def test_8288_exactly_when_the_copenhagen_date_is_after_the_limit(limit: dt.date, edge: tuple[int, int],
                                                                  seconds: int, use_edge: bool, zone: Any) -> None:
    if use_edge:
        shift, minute = edge
        start = local_datetime(limit + shift * DAY, minute // 60, minute % 60)
    else:
        start = local_datetime(limit, 12) + dt.timedelta(seconds=seconds)
    held = wall(start).date() <= limit
    event("held in time" if held else "8288")
    assert held_in_time([frist(limit)], start.astimezone(zone)) == held
    # only an open deadline of the meeting's own interview type counts
    assert held_in_time([frist(limit, samtaletype=Samtaletype.OPFOELGNINGSSAMTALE)], start)
    assert held_in_time([frist(limit, status=Friststatus.INDFRIET)], start)
    assert held_in_time([], start)
