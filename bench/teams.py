"""One team's chunk of benchmark data in the loader's format (bench/generate.py plans the teams)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from typing import Any

from bench.population import (
    _NS,
    BOOKINGS_PER_CITIZEN,
    BOOKINGS_WEIGHTS,
    EFTERNAVNE,
    FORNAVNE,
    FUTURE_SHARE,
    HISTORY_DAYS,
    HORIZON_DAYS,
    KINDS,
    KONTAKTGRUPPER,
    PROFILES,
    SEATS,
    UTC,
)
from jobnet.clock import COPENHAGEN, local_date
from jobnet.planner.embedded import slots


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


def offer_id(seed: int, kode: str, team: int, kind: str) -> str:
    return str(uuid.uuid5(_NS, f"{seed}/{kode}/{team}/{kind}"))


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
        self.now = local(anchor, 0, 0)
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
        foerste = local(self.history_start, 0, 0)
        sidste = local(self.horizon_end, 23, 59)
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
                start = local(day, 10, 0)
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


def local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN).astimezone(UTC)


def team_chunk(seed: int, team: Team, anchor: dt.date) -> dict[str, list[dict[str, Any]]]:
    return _TeamGen(seed, team, anchor).build()
