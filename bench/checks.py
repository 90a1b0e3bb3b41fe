"""Read-only questions to a benchmark database: the citizens the driver may use, and after a run
whether the calendars are still consistent (no double-booked caseworker, seats add up, the
register agrees with the planner, at most one future Jobsamtale per citizen)."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

UTC = dt.UTC


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def fresh_citizens(path: Path, today: dt.date, now: dt.datetime, limit: int,
                   jobcentre: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """(cpr, job centre, last day of the open Jobsamtale deadline) of citizens who may book a
    Jobsamtale now: alive, may self-book, an open (non-immediate) deadline at least 3 days ahead,
    no live future Jobsamtale. Ordered by CPR, which the generator scatters over the centres."""
    where_jc = f"AND c.jobcenter_kode IN ({','.join('?' * len(jobcentre))})" if jobcentre else ""
    sql = f"""
        SELECT c.cpr, c.jobcenter_kode, max(d.sidste_afholdelsesdato)
        FROM borgere c JOIN frister d ON d.cpr = c.cpr
        WHERE d.samtaletype = 7 AND d.status = 1 AND d.straks = 0 AND d.sidste_afholdelsesdato >= ?
          AND c.levende = 1 AND c.kan_selvbooke = 1 {where_jc}
          AND NOT EXISTS (SELECT 1 FROM bookinger b WHERE b.cpr = c.cpr AND b.samtaletype = 7
                          AND b.state != 'cancelled' AND b.moede_start > ?)
          AND NOT EXISTS (SELECT 1 FROM frister s WHERE s.cpr = c.cpr AND s.straks = 1 AND s.status = 1)
        GROUP BY c.cpr ORDER BY c.cpr LIMIT ?"""
    params: list[Any] = [(today + dt.timedelta(days=3)).isoformat(), *(jobcentre or ()),
                         now.astimezone(UTC).isoformat(), limit]
    with connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql, params)]


def citizens_of(path: Path, jobcenter: str, limit: int = 200) -> list[str]:
    with connect(path) as conn:
        return [r[0] for r in conn.execute(
            "SELECT cpr FROM borgere WHERE jobcenter_kode = ? AND levende = 1 ORDER BY cpr LIMIT ?",
            [jobcenter, limit])]


def bookable_offers(path: Path, jobcentre: tuple[str, ...]) -> list[tuple[str, str]]:
    """(offer, job centre) of the active self-bookable Jobsamtale offers with caseworker choice."""
    with connect(path) as conn:
        return [tuple(r) for r in conn.execute(
            f"SELECT moedetilbud_id, jobcenter_kode FROM planner_moedetilbud WHERE samtaletype = 7 AND aktiv = 1 "
            f"AND straks = 0 AND sagsbehandler_kan_vaelges = 1 "
            f"AND jobcenter_kode IN ({','.join('?' * len(jobcentre))}) "
            f"ORDER BY jobcenter_kode, moedetilbud_id", list(jobcentre))]


def largest_centres(path: Path, n: int) -> tuple[str, ...]:
    with connect(path) as conn:
        return tuple(r[0] for r in conn.execute(
            "SELECT jobcenter_kode FROM planner_sagsbehandlere GROUP BY jobcenter_kode "
            "ORDER BY count(*) DESC, jobcenter_kode LIMIT ?", [n]))


def consistency(path: Path, since: dt.datetime, now: dt.datetime | None = None) -> dict[str, int]:
    """Zero everywhere means consistent; ``new_bookings`` counts register rows made since ``since``;
    "future" is after ``now`` (default: the current time)."""
    queries = {
        # two live individual bookings of one caseworker that overlap in time
        "double_booked_caseworker_times": """
            SELECT count(*) FROM (
              SELECT start, max(slut) OVER (PARTITION BY sagsbehandler_nummer ORDER BY start, indkaldelse_id
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
              FROM planner_bookinger WHERE state != 'cancelled' AND session_id IS NULL)
            WHERE prev_end > start""",
        # seats: taken seats must equal the live bookings on the session, never below zero
        "sessions_with_wrong_seats": """
            SELECT count(*) FROM planner_faellesmoeder s
            WHERE s.ledige_pladser < 0 OR s.antal_pladser - s.ledige_pladser !=
                  (SELECT count(*) FROM planner_bookinger b WHERE b.session_id = s.id AND b.state != 'cancelled')""",
        # the register and the embedded planner must agree on every live booking's time
        "register_without_planner_booking": """
            SELECT count(*) FROM bookinger b JOIN jobcentre j ON j.kode = b.jobcenter_kode
            WHERE j.planner = 'embedded' AND b.state != 'cancelled' AND NOT EXISTS (
              SELECT 1 FROM planner_bookinger p WHERE p.indkaldelse_id = b.indkaldelse_id
              AND p.state != 'cancelled' AND p.start = b.moede_start)""",
        "planner_without_register_booking": """
            SELECT count(*) FROM planner_bookinger p WHERE p.state != 'cancelled' AND NOT EXISTS (
              SELECT 1 FROM bookinger b WHERE b.indkaldelse_id = p.indkaldelse_id AND b.state != 'cancelled')""",
        # 8273: at most one live future Jobsamtale per citizen
        "citizens_with_two_future_jobsamtaler": """
            SELECT count(*) FROM (SELECT cpr FROM bookinger WHERE samtaletype = 7 AND state != 'cancelled'
                                  AND moede_start > :now GROUP BY cpr HAVING count(*) > 1)""",
        "new_bookings": "SELECT count(*) FROM bookinger WHERE oprettet >= :since",
    }
    params = {"since": since.astimezone(UTC).isoformat(),
              "now": (now or dt.datetime.now(UTC)).astimezone(UTC).isoformat()}
    out = {}
    with connect(path) as conn:
        for name, sql in queries.items():
            out[name] = int(conn.execute(sql, params).fetchone()[0])
    return out


def counts(path: Path) -> dict[str, int]:
    tables = ("jobcentre", "planner_sagsbehandlere", "planner_moedetilbud", "planner_faellesmoeder", "borgere",
              "tilmeldinger", "frister", "bookinger", "planner_bookinger", "audit")
    with connect(path) as conn:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
