"""National-scale benchmark data, loaded through the loader the demo uses (``jobnet.loader.load``).

    python -m bench.generate --scale 1 --seed 1 --db PATH [--anchor YYYY-MM-DD]

At scale 1: 94 job centres, 3,000 caseworkers, 150,000 citizens with deadlines and enrolments,
about 300,000 bookings (26 weeks of history and 13 weeks ahead), offers of every kind and
bookable times for 13 weeks after the anchor day. A scale factor multiplies every count (0.1×,
1×, 10×, or 0.002× for a smoke test); the density per caseworker stays the same, and above 1× the
94 centres' sizes repeat (10× is ten countries of Denmark's shape), so a request costs the same work
at every scale and only the size of the tables grows.

Shape. Each job centre's caseworkers form teams of at most 30 (the first team of the largest
centre always has exactly 30: the probe offer of the targets). Each team has a full set of offers:
an individual Jobsamtale with caseworker choice (45 min, contact types 1/2/8), an Opfølgningssamtale
without choice for contact groups 1 and 2 (30 min), a Fælles jobsamtale (17, 60 min, no rebooking),
an immediate-booking Jobsamtale, and a joint Informationsmøde (90 min, 25 seats, Tuesday and
Thursday 10:00); the first team also has an inactive offer. Caseworkers work one of four
working-time profiles. Citizens are spread over the centres by size; each has an enrolment, a
Jobsamtale deadline (fulfilled by their future Jobsamtale if they have one, otherwise open; 1 %
immediate), 20 % also an Opfølgningssamtale deadline, and 0-4 bookings (past 65 %, future 35 %;
8 % cancelled, 6 % rescheduled; 25 % summons that must be accepted).

Consistency. Individual bookings lie on the planner's slot grid inside the caseworker's working
hours and never overlap a live booking of the same caseworker (any offer, any duration); joint
bookings take seats of existing sessions and never more than the session has; a citizen never has
two live future bookings of type 7 or of type 4 (8273/9220). The loader checks overlaps and seats
again and refuses the chunk otherwise.

Determinism. Every value comes from ``random.Random`` seeded with (seed, centre, team) and the
anchor day; the loader runs with a ``FixedClock`` at the anchor, so the same seed, scale and anchor
give the same rows (audit timestamps included). The anchor defaults to the Monday of the current
week (Copenhagen), so a cached database stays usable for that week.

Loading. ``load(db, data)`` validates a whole file and writes it in one transaction. The data are
loaded per team (a team's caseworkers, offers, its citizens and their bookings: about 1,500
citizens and 3,000 bookings at any scale), the job centre itself with its first team; before
issue 5 this kept the loader's once quadratic overlap check cheap. Chunks are produced in a second
process while the main process loads, which keeps both cores busy.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import math
import multiprocessing as mp
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jobnet.clock import COPENHAGEN, FixedClock, local_date
from jobnet.loader import load
from jobnet.planner.embedded import slots
from jobnet.store import Database

GENERATOR_VERSION = 1
BASE = {"job_centres": 94, "caseworkers": 3000, "citizens": 150_000}
TEAM = 30  # caseworkers per team; the probe offer is the first team's Jobsamtale of centre 0
HISTORY_DAYS = 182  # 26 weeks of past bookings
HORIZON_DAYS = 91  # bookable times for 13 weeks ahead
BOOKINGS_PER_CITIZEN = (0, 1, 2, 3, 4)
BOOKINGS_WEIGHTS = (0.12, 0.24, 0.30, 0.20, 0.14)  # mean 2.0: about 300,000 at scale 1
FUTURE_SHARE = 0.35
SEATS = 25
UTC = dt.UTC
_NS = uuid.UUID("0b7c1c8e-5a7d-4c1e-9d0a-6a1b2c3d4e5f")

KOMMUNER = (
    "København", "Aarhus", "Aalborg", "Odense", "Vejle", "Esbjerg", "Frederiksberg", "Randers", "Viborg",
    "Silkeborg", "Kolding", "Horsens", "Herning", "Roskilde", "Næstved", "Slagelse", "Gentofte", "Sønderborg",
    "Holbæk", "Gladsaxe", "Hjørring", "Skanderborg", "Helsingør", "Køge", "Guldborgsund", "Frederikshavn",
    "Holstebro", "Svendborg", "Aabenraa", "Lyngby-Taarbæk", "Ringkøbing-Skjern", "Haderslev", "Rudersdal",
    "Hvidovre", "Høje-Taastrup", "Faaborg-Midtfyn", "Fredericia", "Hillerød", "Favrskov", "Varde", "Ballerup",
    "Syddjurs", "Kalundborg", "Greve", "Frederikssund", "Vordingborg", "Mariagerfjord", "Furesø", "Tårnby",
    "Thisted", "Egedal", "Skive", "Odsherred", "Hedensted", "Lolland", "Halsnæs", "Vejen", "Norddjurs",
    "Gribskov", "Middelfart", "Ringsted", "Assens", "Fredensborg", "Brønderslev", "Faxe", "Tønder",
    "Ikast-Brande", "Billund", "Sorø", "Jammerbugt", "Nyborg", "Albertslund", "Herlev", "Rebild", "Stevns",
    "Kerteminde", "Odder", "Glostrup", "Struer", "Vesthimmerland", "Allerød", "Lejre", "Lemvig", "Brøndby",
    "Ishøj", "Morsø", "Vallensbæk", "Nordfyn", "Dragør", "Langeland", "Solrød", "Bornholm", "Ærø", "Samsø",
)
FORNAVNE = ("Anne", "Bo", "Camilla", "Dennis", "Emma", "Frederik", "Gitte", "Henrik", "Ida", "Jens", "Karen",
            "Lars", "Mette", "Niels", "Oliver", "Pia", "Rasmus", "Signe", "Thomas", "Ulla", "Viggo", "Maja",
            "Søren", "Line", "Mads", "Louise", "Peter", "Hanne", "Kasper", "Julie")
EFTERNAVNE = ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
              "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
              "Johansen", "Møller", "Mortensen", "Knudsen")
# Working-time profiles: ISO weekdays, from, to, share of caseworkers.
PROFILES = (
    ((1, 2, 3, 4, 5), "09:00", "15:00", 0.6),
    ((1, 2, 3, 4, 5), "08:00", "15:30", 0.2),
    ((1, 2, 3, 4), "09:00", "14:00", 0.1),
    ((1, 2, 3, 5), "10:00", "16:00", 0.1),
)
KONTAKTGRUPPER = ((1, 1, 0.85), (2, 2, 0.10), (12, 3, 0.05))  # kontaktgruppe, klientkategori, share
KINDS = (("jobsamtale", 0.50), ("opfoelgning", 0.20), ("info", 0.15), ("faelles", 0.10), ("straks", 0.05))


# --- the plan: sizes of centres and teams, no randomness -----------------------------------------
@dataclasses.dataclass(frozen=True)
class Team:
    centre: int  # index of the job centre
    index: int  # team number inside the centre
    kode: str
    navn: str
    first_nummer: int  # CaseWorkerIDs first_nummer .. first_nummer + caseworkers - 1
    caseworkers: int
    first_citizen: int  # global citizen index of the team's first citizen
    citizens: int


def _spread(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: total - sum(out)]:
        out[i] += 1
    return out


def plan(scale: float) -> list[Team]:
    """Job centres sized like Danish municipalities (Zipf 0.9 over 94, repeated above 1×), split into
    teams of at most 30."""
    n_jc = max(1, round(BASE["job_centres"] * scale))
    n_cw = max(TEAM, round(BASE["caseworkers"] * scale))
    n_cit = max(10, round(BASE["citizens"] * scale))
    # Denmark's 94 centres, tiled: 10× is ten such countries, not centres ten times as big, so a
    # request's work stays the same and only the tables grow (a Zipf over 940 centres made the
    # largest six times bigger: its citizens were offered 486 meetings instead of 81).
    weights = [(i % BASE["job_centres"] + 1) ** -0.9 for i in range(n_jc)]
    per_centre = [max(4, n) for n in _spread(n_cw, weights)]
    per_centre[0] = max(TEAM, per_centre[0])  # the probe offer needs 30 caseworkers
    citizens = _spread(n_cit, [float(n) for n in per_centre])
    teams: list[Team] = []
    nummer, citizen = 1, 0
    for c, (n, cit) in enumerate(zip(per_centre, citizens, strict=True)):
        kode = f"{11000 + 10 * c:05d}"
        navn = KOMMUNER[c % len(KOMMUNER)] + ("" if c < len(KOMMUNER) else f" {c // len(KOMMUNER) + 1}")
        sizes = [TEAM] * (n // TEAM) + ([n % TEAM] if n % TEAM else [])
        for t, (size, team_cit) in enumerate(zip(sizes, _spread(cit, [float(s) for s in sizes]), strict=True)):
            teams.append(Team(c, t, kode, navn, nummer, size, citizen, team_cit))
            nummer += size
            citizen += team_cit
    return teams


def default_anchor(today: dt.date | None = None) -> dt.date:
    """The Monday of this week in Copenhagen."""
    day = today or dt.datetime.now(COPENHAGEN).date()
    return day - dt.timedelta(days=day.weekday())


def offer_id(seed: int, kode: str, team: int, kind: str) -> str:
    return str(uuid.uuid5(_NS, f"{seed}/{kode}/{team}/{kind}"))


def probe(seed: int, scale: float) -> dict[str, Any]:
    """The offer the timeslot target is measured on: centre 0, team 0, its Jobsamtale (30 caseworkers)."""
    first = plan(scale)[0]
    return {"jobcenter": first.kode, "moedetilbud_id": offer_id(seed, first.kode, 0, "jobsamtale"),
            "caseworkers": first.caseworkers}


def cpr_for(index: int) -> str:
    """A unique, valid-looking CPR number for citizen ``index`` (a bijection into 1960-2005 × 0000-9999)."""
    days = (dt.date(2005, 12, 31) - dt.date(1960, 1, 1)).days + 1
    space = days * 10_000
    k = (index * 2_654_435_761 + 12_345) % space  # the multiplier is prime and does not divide space
    born = dt.date(1960, 1, 1) + dt.timedelta(days=k // 10_000)
    return f"{born:%d%m%y}{k % 10_000:04d}"


# --- one team's chunk in the loader's format -----------------------------------------------------
class _TeamGen:
    def __init__(self, seed: int, team: Team, anchor: dt.date) -> None:
        self.seed = seed
        self.team = team
        self.anchor = anchor
        self.rng = random.Random(f"jobnet-bench:{seed}:{team.centre}:{team.index}")
        self.now = _local(anchor, 0, 0)
        self.history_start = anchor - dt.timedelta(days=HISTORY_DAYS)
        self.horizon_end = anchor + dt.timedelta(days=HORIZON_DAYS)
        self.busy: dict[int, dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]] = {}
        self.seats: dict[tuple[str, dt.datetime], int] = {}
        self.starts_cache: dict[tuple[Any, ...], list[dt.datetime]] = {}

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def pick(self, choices: Any) -> Any:
        r, acc = self.rng.random(), 0.0
        for *value, weight in choices:
            acc += weight
            if r < acc:
                return value[0] if len(value) == 1 else tuple(value)
        return choices[-1][0] if len(choices[-1]) == 2 else tuple(choices[-1][:-1])

    def build(self) -> dict[str, list[dict[str, Any]]]:
        t = self.team
        data: dict[str, list[dict[str, Any]]] = {k: [] for k in (
            "jobcentre", "sagsbehandlere", "moedetilbud", "borgere", "tilmeldinger", "frister", "bookinger")}
        if t.index == 0:
            data["jobcentre"].append({
                "kode": t.kode, "navn": f"Jobcenter {t.navn}", "planner": "embedded",
                "telefon": f"7{int(t.kode):07d}",
                "kvitteringstekst": "Tak for din booking. Husk at medbringe dit CV."})
        self.caseworkers = [self._caseworker(t.first_nummer + i) for i in range(t.caseworkers)]
        data["sagsbehandlere"] = [c["record"] for c in self.caseworkers]
        self.offers = self._offers()
        data["moedetilbud"] = [o["record"] for o in self.offers.values()]
        for i in range(t.citizens):
            self._citizen(t.first_citizen + i, data)
        return data

    def _caseworker(self, nummer: int) -> dict[str, Any]:
        dage, fra, til = self.pick(PROFILES)
        rid = f"CVR:{self.team.kode}000-RID:{nummer}"
        record = {"eksternt_id": rid, "nummer": nummer, "jobcenter": self.team.kode,
                  "fornavn": self.rng.choice(FORNAVNE), "efternavn": self.rng.choice(EFTERNAVNE),
                  "arbejdsdage": list(dage), "arbejdstid_fra": fra, "arbejdstid_til": til}
        if self.rng.random() < 0.2:
            record["mellemnavn"] = self.rng.choice(EFTERNAVNE)
        arbejdstid = slots.Arbejdstid(frozenset(dage), dt.time.fromisoformat(fra), dt.time.fromisoformat(til))
        return {"record": record, "rid": rid, "nummer": nummer, "arbejdstid": arbejdstid}

    def _offers(self) -> dict[str, dict[str, Any]]:
        t, seed = self.team, self.seed
        cws = self.caseworkers
        sted = {"beskrivelse": f"Jobcenter {t.navn}, team {t.index + 1}",
                "adresse": {"vejnavn": "Jobcentervej", "husnummer": str(t.index + 1),
                            "postnummer": f"{1000 + t.centre % 8999:04d}", "bynavn": t.navn[:20]}}
        foerste = _local(self.history_start, 0, 0)
        sidste = _local(self.horizon_end, 23, 59)
        tlf = f"7{int(t.kode):07d}"
        link = f"https://moede.jobcenter-{t.kode}.dk/team{t.index + 1}"
        common = {"jobcenter": t.kode, "moedested": sted, "foerste_moedetid": foerste, "sidste_moedetid": sidste,
                  "telefonnummer": tlf}
        specs: dict[str, dict[str, Any]] = {
            "jobsamtale": {**common, "samtaletype": 7, "moedeform": 1, "samtaleformer": [1, 2, 8],
                           "varighed_minutter": 45, "moedetitel": "Jobsamtale",
                           "moedebeskrivelse": "Vi taler om din jobsøgning og dine næste skridt.",
                           "sagsbehandler_kan_vaelges": True, "digitalt_moedelink": link,
                           "sagsbehandlere": [c["rid"] for c in cws]},
            "opfoelgning": {**common, "samtaletype": 4, "moedeform": 1, "samtaleformer": [1, 2],
                            "varighed_minutter": 30, "moedetitel": "Opfølgningssamtale",
                            "kontaktgrupper": [1, 2], "sagsbehandlere": [c["rid"] for c in cws]},
            "faelles": {**common, "samtaletype": 17, "moedeform": 1, "samtaleformer": [1, 8],
                        "varighed_minutter": 60, "moedetitel": "Fælles jobsamtale med a-kasse",
                        "ombooking_mulig": False, "digitalt_moedelink": link,
                        "sagsbehandlere": [c["rid"] for c in cws[:10]]},
            "straks": {**common, "samtaletype": 7, "moedeform": 1, "samtaleformer": [1, 2],
                       "varighed_minutter": 45, "moedetitel": "Jobsamtale (straksbooking)", "straks": True,
                       "ombooking_mulig": False, "aflysning_mulig": False,
                       "sagsbehandlere": [c["rid"] for c in cws[:5]]},
        }
        sessions = []
        day = self.history_start
        while day <= self.horizon_end:
            if day.isoweekday() in (2, 4):
                start = _local(day, 10, 0)
                sessions.append({"start": start, "antal_pladser": SEATS})
                self.seats[("info", start)] = SEATS
            day += dt.timedelta(days=1)
        specs["info"] = {"jobcenter": t.kode, "samtaletype": 9, "moedeform": 2, "samtaleformer": [1],
                         "varighed_minutter": 90, "moedetitel": "Informationsmøde",
                         "moedebeskrivelse": "Fælles informationsmøde om dine rettigheder og pligter.",
                         "moedested": sted, "sagsbehandlere": [cws[-1]["rid"]], "moedetider": sessions}
        if t.index == 0:
            specs["udgaaet"] = {**common, "samtaletype": 7, "moedeform": 1, "samtaleformer": [1],
                                "varighed_minutter": 60, "moedetitel": "Jobsamtale (udgået)", "aktiv": False,
                                "sagsbehandlere": [c["rid"] for c in cws[:3]]}
        offers = {}
        for kind, spec in specs.items():
            oid = offer_id(seed, t.kode, t.index, kind)
            rids = spec["sagsbehandlere"]
            offers[kind] = {"id": oid, "record": {"moedetilbud_id": oid, **spec},
                            "caseworkers": [c for c in cws if c["rid"] in rids],
                            "type": spec["samtaletype"], "minutes": spec["varighed_minutter"],
                            "forms": spec["samtaleformer"]}
        return offers

    def _citizen(self, index: int, data: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        cpr = cpr_for(index)
        kg, kk = self.pick(KONTAKTGRUPPER)
        deadlines = [7] + ([4] if rng.random() < 0.2 else [])
        straks = rng.random() < 0.01
        data["borgere"].append({
            "cpr": cpr, "jobcenter": self.team.kode, "kontaktgruppe": kg, "klientkategori": kk,
            "levende": rng.random() >= 0.002, "kan_selvbooke": rng.random() >= 0.02,
            "straksbooking_paakraevet": straks})
        data["tilmeldinger"].append({
            "id": self.uid(), "cpr": cpr, "startdato": self.anchor - dt.timedelta(days=rng.randint(14, 700)),
            "klientkategori": kk, "ledighedsgrad": 1})
        future_live: dict[int, dict[str, Any]] = {}
        for _ in range(self.pick(tuple(zip(BOOKINGS_PER_CITIZEN, BOOKINGS_WEIGHTS, strict=True)))):
            kind = self.pick(KINDS)
            if kind == "opfoelgning" and kg not in (1, 2):
                kind = "jobsamtale"  # the offer is for contact groups 1 and 2 only
            offer = self.offers[kind]
            r = rng.random()
            state = "cancelled" if r < 0.08 else "rescheduled" if r < 0.14 else "active"
            future = rng.random() < FUTURE_SHARE
            if future and state != "cancelled" and offer["type"] in future_live:
                future = False  # 8273 / 9220: one future Jobsamtale / Opfølgningssamtale
            booking = self._booking(cpr, kind, offer, future, state)
            if booking is None:
                continue
            data["bookinger"].append(booking)
            if future and state != "cancelled" and offer["type"] in (4, 7):
                future_live[offer["type"]] = booking
        for samtaletype in deadlines:
            self._deadline(cpr, samtaletype, future_live.get(samtaletype), straks and samtaletype == 7, data)

    def _booking(self, cpr: str, kind: str, offer: dict[str, Any], future: bool,
                 state: str) -> dict[str, Any] | None:
        rng = self.rng
        live = state != "cancelled"
        if offer["record"]["moedeform"] == 2:
            seat = self._seat(future, live)
            if seat is None:
                return None
            start, rid, form = seat, offer["caseworkers"][0]["rid"], 1
        else:
            slot = self._slot(offer, future, live)
            if slot is None:
                return None
            start, rid = slot
            form = rng.choice(offer["forms"])
        summons = kind in ("jobsamtale", "opfoelgning") and rng.random() < 0.25
        booking: dict[str, Any] = {
            "indkaldelse_id": self.uid(), "cpr": cpr, "moedetilbud_id": offer["id"], "moede_start": start,
            "sagsbehandler": rid, "samtaleform": form, "state": state,
            "oprettet": min(start - dt.timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600)), self.now),
        }
        if kind == "straks":
            booking.update(straksbooking=True, accepteret=True)
        elif summons:
            booking.update(selvbooket=False, borger_skal_acceptere=True,
                           accepteret=not future or rng.random() < 0.5)
        else:
            booking.update(accepteret=True)
        return booking

    def _starts(self, cw: dict[str, Any], minutes: int, day: dt.date) -> list[dt.datetime]:
        key = (cw["arbejdstid"], minutes, day)
        found = self.starts_cache.get(key)
        if found is None:
            found = self.starts_cache[key] = slots.day_starts(day, cw["arbejdstid"], minutes)
        return found

    def _slot(self, offer: dict[str, Any], future: bool, live: bool) -> tuple[dt.datetime, str] | None:
        """A start on the planner's grid where the chosen caseworker is free (for a live booking)."""
        rng = self.rng
        minutes = offer["minutes"]
        for _ in range(12):
            cw = rng.choice(offer["caseworkers"])
            day = (self.anchor + dt.timedelta(days=rng.randint(0, HORIZON_DAYS)) if future
                   else self.history_start + dt.timedelta(days=rng.randint(0, HISTORY_DAYS - 1)))
            starts = self._starts(cw, minutes, day)
            if not starts:
                continue
            start = rng.choice(starts)
            slut = start + dt.timedelta(minutes=minutes)
            if not live:
                return start, cw["rid"]
            taken = self.busy.setdefault(cw["nummer"], {}).setdefault(day, [])
            if any(s < slut and start < e for s, e in taken):
                continue
            taken.append((start, slut))
            return start, cw["rid"]
        return None

    def _seat(self, future: bool, live: bool) -> dt.datetime | None:
        rng = self.rng
        sessions = [s for (_, s) in self.seats if (s >= self.now) == future]
        for _ in range(6):
            if not sessions:
                return None
            start = rng.choice(sessions)
            if not live:
                return start
            if self.seats[("info", start)] > 0:
                self.seats[("info", start)] -= 1
                return start
        return None

    def _deadline(self, cpr: str, samtaletype: int, booking: dict[str, Any] | None, straks: bool,
                  data: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        record: dict[str, Any] = {"id": self.uid(), "cpr": cpr, "samtaletype": samtaletype}
        if booking is not None:  # fulfilled by the future booking of its type
            day = local_date(booking["moede_start"])
            record.update(fristdato=day - dt.timedelta(days=rng.randint(0, 10)),
                          sidste_afholdelsesdato=day + dt.timedelta(days=rng.randint(0, 7)),
                          status=2, indfriet_af=booking["indkaldelse_id"])
        else:
            fristdato = self.anchor + dt.timedelta(days=rng.randint(-10, 28))
            record.update(fristdato=fristdato, sidste_afholdelsesdato=fristdato + dt.timedelta(days=rng.randint(7, 21)),
                          status=1, straks=straks)
        data["frister"].append(record)


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN).astimezone(UTC)


def team_chunk(seed: int, team: Team, anchor: dt.date) -> dict[str, list[dict[str, Any]]]:
    return _TeamGen(seed, team, anchor).build()


# --- producing and loading -----------------------------------------------------------------------
def _produce(seed: int, teams: list[Team], anchor: dt.date, queue: Any) -> None:
    for team in teams:
        queue.put(team_chunk(seed, team, anchor))
    queue.put(None)


def chunks(seed: int, teams: list[Team], anchor: dt.date, parallel: bool = True) -> Iterator[dict[str, Any]]:
    """The teams' chunks in order; built in a child process when ``parallel``."""
    if not parallel:
        for team in teams:
            yield team_chunk(seed, team, anchor)
        return
    ctx = mp.get_context("spawn")
    queue = ctx.Queue(maxsize=4)
    proc = ctx.Process(target=_produce, args=(seed, teams, anchor, queue), daemon=True)
    proc.start()
    try:
        while (chunk := queue.get(timeout=600)) is not None:
            yield chunk
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=10)


def generate(db_path: str | Path, scale: float, seed: int, anchor: dt.date | None = None, *,
             parallel: bool = True, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Create ``db_path`` (must not exist), migrate it and load the data; returns the metadata."""
    anchor = anchor or default_anchor()
    path = Path(db_path)
    if path.exists():
        raise FileExistsError(f"{path} exists; generate into a new file")
    path.parent.mkdir(parents=True, exist_ok=True)
    teams = plan(scale)
    started = time.perf_counter()
    db = Database(path, clock=FixedClock(_local(anchor, 0, 0)))
    counts: dict[str, int] = {}
    try:
        db.migrate()
        conn = db.conn  # bulk-load settings of this connection only; the file stays in WAL mode
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        last = time.perf_counter()
        for i, chunk in enumerate(chunks(seed, teams, anchor, parallel)):
            for name, n in load(db, chunk).items():
                counts[name] = counts.get(name, 0) + n
            if progress and (time.perf_counter() - last > 10 or i == len(teams) - 1):
                last = time.perf_counter()
                progress(f"  scale {scale:g}: {i + 1}/{len(teams)} teams, {counts.get('bookinger', 0):,} bookings, "
                         f"{last - started:.0f} s")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    seconds = time.perf_counter() - started
    meta = {"scale": scale, "seed": seed, "anchor": anchor.isoformat(), "generator_version": GENERATOR_VERSION,
            "counts": counts, "job_centres": len({t.kode for t in teams}), "teams": len(teams),
            "load_seconds": round(seconds, 1), "db_bytes": path.stat().st_size, "probe": probe(seed, scale)}
    return meta


# --- the cache of generated databases --------------------------------------------------------------
def schema_key() -> str:
    """Changes when the migrations or this generator change, so a stale cache is not reused."""
    from jobnet.store.database import MIGRATIONS

    h = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    for p in sorted(MIGRATIONS.glob("*.sql")):
        h.update(p.name.encode() + p.read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:10]


def cache_path(cache_dir: Path, scale: float, seed: int, anchor: dt.date) -> Path:
    return cache_dir / f"jobnet-s{scale:g}-seed{seed}-{anchor.isoformat()}-{schema_key()}.db"


def cached(cache_dir: Path, scale: float, seed: int, anchor: dt.date | None = None,
           progress: Callable[[str], None] | None = None) -> tuple[Path, dict[str, Any], bool]:
    """The cached database for (scale, seed, anchor week), generated if missing: (path, meta, was_cached)."""
    anchor = anchor or default_anchor()
    path = cache_path(cache_dir, scale, seed, anchor)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text()), True
    tmp = path.with_name(path.name + ".tmp")
    for suffix in ("", "-wal", "-shm", "-writelock"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    meta = generate(tmp, scale, seed, anchor, progress=progress)
    for suffix in ("-wal", "-shm", "-writelock"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.rename(path)
    meta_path.write_text(json.dumps(meta, indent=2))
    return path, meta, False


def table_digest(db_path: str | Path, tables: tuple[str, ...] = (
        "job_centres", "citizens", "enrolments", "deadlines", "bookings", "planner_caseworkers", "planner_offers",
        "planner_offer_caseworkers", "planner_sessions", "planner_bookings", "audit")) -> dict[str, str]:
    """A digest of every row of each table, in primary-key order (for the determinism check)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        out = {}
        for table in tables:
            h = hashlib.sha256()
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                h.update(repr(row).encode())
            out[table] = h.hexdigest()
        return out
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale (default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True, help="SQLite file to create (must not exist)")
    parser.add_argument("--anchor", type=dt.date.fromisoformat, default=None,
                        help="the day the data are relative to (default: Monday of this week)")
    parser.add_argument("--serial", action="store_true", help="build chunks in this process (no helper)")
    args = parser.parse_args(argv)
    meta = generate(args.db, args.scale, args.seed, args.anchor, parallel=not args.serial,
                    progress=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
