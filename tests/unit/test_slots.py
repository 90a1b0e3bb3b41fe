"""Pure timeslot generation, including both DST changes of 2026 in Copenhagen."""
from __future__ import annotations

import datetime as dt

from jobnet.clock import COPENHAGEN
from jobnet.planner.embedded import slots

UTC = dt.UTC
HVERDAGE = slots.Arbejdstid(frozenset({1, 2, 3, 4, 5}), dt.time(9), dt.time(15))
ALLE_DAGE = slots.Arbejdstid(frozenset(range(1, 8)), dt.time(9), dt.time(15))
LANG_TID_SIDEN = dt.datetime(2000, 1, 1, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def local_hours(starts: list[dt.datetime]) -> list[str]:
    return [s.astimezone(COPENHAGEN).strftime("%H:%M") for s in starts]


def test_a_working_day_in_steps_of_the_duration() -> None:
    starts = slots.day_starts(dt.date(2026, 3, 2), HVERDAGE, 45)
    assert local_hours(starts) == ["09:00", "09:45", "10:30", "11:15", "12:00", "12:45", "13:30", "14:15"]
    assert starts[0] == utc(2026, 3, 2, 8)  # CET


def test_no_slots_on_days_off() -> None:
    assert slots.day_starts(dt.date(2026, 3, 7), HVERDAGE, 45) == []  # Saturday


def test_spring_forward_keeps_nine_oclock_local() -> None:
    before = slots.day_starts(dt.date(2026, 3, 28), ALLE_DAGE, 60)
    change = slots.day_starts(dt.date(2026, 3, 29), ALLE_DAGE, 60)  # clocks go 02:00 -> 03:00
    after = slots.day_starts(dt.date(2026, 3, 30), ALLE_DAGE, 60)
    assert before[0] == utc(2026, 3, 28, 8)
    assert change[0] == utc(2026, 3, 29, 7)
    assert after[0] == utc(2026, 3, 30, 7)
    for day in (before, change, after):
        assert local_hours(day) == ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00"]


def test_fall_back_keeps_nine_oclock_local() -> None:
    before = slots.day_starts(dt.date(2026, 10, 24), ALLE_DAGE, 60)
    change = slots.day_starts(dt.date(2026, 10, 25), ALLE_DAGE, 60)  # clocks go 03:00 -> 02:00
    assert before[0] == utc(2026, 10, 24, 7)
    assert change[0] == utc(2026, 10, 25, 8)
    assert local_hours(change) == ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00"]


def test_the_missing_hour_is_skipped() -> None:
    nat = slots.Arbejdstid(frozenset(range(1, 8)), dt.time(1), dt.time(4))
    starts = slots.day_starts(dt.date(2026, 3, 29), nat, 60)
    assert starts == [utc(2026, 3, 29, 0), utc(2026, 3, 29, 1)]  # 01:00 CET, 03:00 CEST; 02:00 never happens


def test_the_repeated_hour_means_its_first_occurrence() -> None:
    nat = slots.Arbejdstid(frozenset(range(1, 8)), dt.time(1), dt.time(4))
    starts = slots.day_starts(dt.date(2026, 10, 25), nat, 60)
    assert starts == [utc(2026, 10, 24, 23), utc(2026, 10, 25, 0), utc(2026, 10, 25, 2)]


def test_candidates_over_a_week_across_spring_forward() -> None:
    starts = slots.candidate_starts(
        HVERDAGE, 60, utc(2026, 3, 26), utc(2026, 4, 1), foerste=None, sidste=None, efter=LANG_TID_SIDEN
    )
    days = sorted({s.astimezone(COPENHAGEN).date() for s in starts})
    assert days == [dt.date(2026, 3, 26), dt.date(2026, 3, 27), dt.date(2026, 3, 30), dt.date(2026, 3, 31)]
    assert set(local_hours(starts)) == {"09:00", "10:00", "11:00", "12:00", "13:00", "14:00"}


def test_candidates_respect_interval_period_and_now() -> None:
    fra, til = utc(2026, 3, 2), utc(2026, 3, 4)
    alle = slots.candidate_starts(HVERDAGE, 60, fra, til, foerste=None, sidste=None, efter=LANG_TID_SIDEN)
    assert len(alle) == 12
    nu = utc(2026, 3, 2, 9)  # 10:00 local: the 10:00 slot is not strictly after now
    efter_nu = slots.candidate_starts(HVERDAGE, 60, fra, til, foerste=None, sidste=None, efter=nu)
    assert efter_nu[0] == utc(2026, 3, 2, 10)
    periode = slots.candidate_starts(
        HVERDAGE, 60, fra, til, foerste=utc(2026, 3, 2, 11), sidste=utc(2026, 3, 3, 9), efter=LANG_TID_SIDEN
    )
    assert periode[0] == utc(2026, 3, 2, 11) and periode[-1] == utc(2026, 3, 3, 9)
    assert slots.candidate_starts(HVERDAGE, 60, til, fra, foerste=None, sidste=None, efter=LANG_TID_SIDEN) == []


def test_an_open_ended_search_is_capped() -> None:
    starts = slots.candidate_starts(
        ALLE_DAGE, 360, utc(2026, 1, 1), utc(9999, 1, 1), foerste=None, sidste=None, efter=LANG_TID_SIDEN
    )
    assert len(starts) == slots.MAX_DAGE + 1


def free_starts(starts: list[dt.datetime], minutes: int,
                busy: list[tuple[dt.datetime, dt.datetime]]) -> list[dt.datetime]:
    """The starts (in the order given) that slots.blocked_indices leaves free, as the planner uses it
    (issue 13: the module's own free_starts was used by tests only and went)."""
    ordered = sorted(starts)
    blocked = {ordered[i] for i in slots.blocked_indices(ordered, minutes, busy)}
    return [s for s in starts if s not in blocked]


def test_busy_intervals_remove_overlapping_starts_only() -> None:
    starts = slots.day_starts(dt.date(2026, 3, 2), HVERDAGE, 45)
    busy = [(utc(2026, 3, 2, 8, 45), utc(2026, 3, 2, 9, 30))]  # 09:45-10:30 local
    free = free_starts(starts, 45, busy)
    assert utc(2026, 3, 2, 8, 45) not in free
    assert utc(2026, 3, 2, 8) in free and utc(2026, 3, 2, 9, 30) in free  # touching is not overlapping
    odd = [(utc(2026, 3, 2, 8, 30), utc(2026, 3, 2, 8, 50))]  # 09:30-09:50 hits two slots
    assert local_hours(free_starts(starts, 45, odd))[:2] == ["10:30", "11:15"]


# --- issue 5: cached days, binary search over busy times (same answers as the plain versions) ---
def naive_free(starts: list[dt.datetime], minutes: int,
               busy: list[tuple[dt.datetime, dt.datetime]]) -> list[dt.datetime]:
    return [s for s in starts if not slots.overlaps(s, minutes, busy)]


def test_day_starts_are_cached_but_each_caller_gets_its_own_list() -> None:
    first = slots.day_starts(dt.date(2026, 3, 2), HVERDAGE, 45)
    first.clear()  # a caller changing its list must not change the cache
    assert len(slots.day_starts(dt.date(2026, 3, 2), HVERDAGE, 45)) == 8
    assert slots._day_starts(dt.date(2026, 3, 2), HVERDAGE, 45) is slots._day_starts(dt.date(2026, 3, 2), HVERDAGE, 45)


def test_free_starts_match_checking_every_interval() -> None:
    import random

    rng = random.Random(5)
    starts = slots.candidate_starts(ALLE_DAGE, 45, utc(2026, 3, 25), utc(2026, 4, 2), foerste=None, sidste=None,
                                    efter=LANG_TID_SIDEN)  # across the spring DST change
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for _ in range(300):
        busy = []
        for _ in range(rng.randint(0, 12)):  # unsorted, overlapping, touching, empty and multi-day intervals
            b_start = utc(2026, 3, 24) + dt.timedelta(minutes=15 * rng.randint(0, 10 * 96))
            busy.append((b_start, b_start + dt.timedelta(minutes=15 * rng.choice([0, 1, 3, 4, 7, 96, 300]))))
        minutes = rng.choice([15, 45, 60, 90])
        assert free_starts(starts, minutes, busy) == naive_free(starts, minutes, busy)
        shuffled = starts[:]
        rng.shuffle(shuffled)  # any order of starts is kept
        assert free_starts(shuffled, minutes, busy) == naive_free(shuffled, minutes, busy)
        blocked = slots.blocked_indices(starts, minutes, busy)
        assert [s for i, s in enumerate(starts) if i not in blocked] == naive_free(starts, minutes, busy)


def test_candidates_match_filtering_every_start() -> None:
    import random

    rng = random.Random(7)
    for _ in range(200):
        fra = utc(2026, 3, 26) + dt.timedelta(minutes=15 * rng.randint(0, 200))
        til = fra + dt.timedelta(minutes=15 * rng.randint(0, 800))
        foerste = rng.choice([None, fra + dt.timedelta(minutes=15 * rng.randint(-50, 300))])
        sidste = rng.choice([None, fra + dt.timedelta(minutes=15 * rng.randint(0, 900))])
        efter = rng.choice([LANG_TID_SIDEN, fra + dt.timedelta(minutes=15 * rng.randint(-20, 400))])
        got = slots.candidate_starts(HVERDAGE, 45, fra, til, foerste=foerste, sidste=sidste, efter=efter)
        every = [s for d in range(-1, 12) for s in slots.day_starts(dt.date(2026, 3, 25) + dt.timedelta(days=d),
                                                                   HVERDAGE, 45)]
        want = [s for s in every if s >= fra and (foerste is None or s >= foerste) and s < til
                and (sidste is None or s <= sidste) and s > efter]
        assert got == want
