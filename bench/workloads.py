"""The workloads of the load driver; each runs in one client thread (bench/driver.py runs them)."""
from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from typing import Any

import httpx

from bench.measure import CPR, Log, Stop, window
from jobnet.clock import COPENHAGEN


# --- the workloads (each runs in one client thread) --------------------------------------------
def _search(spec: dict[str, Any], i: int, client: httpx.Client, log: Log, stop: Stop) -> None:
    cprs = spec["cprs"]
    n = i
    while stop.go():
        log.call(client, spec["op"], "GET", spec["path"], params=spec["params"],
                 headers={CPR: cprs[n % len(cprs)]})
        n += spec["clients"]


def _post(spec: dict[str, Any], i: int, client: httpx.Client, log: Log, stop: Stop) -> None:
    """One POST with a JSON body over and over, a fresh request id each (the bare write's ceiling)."""
    cprs = spec["cprs"]
    n = i
    while stop.go():
        log.call(client, spec["op"], "POST", spec["path"], json=spec["body"],
                 headers={CPR: cprs[n % len(cprs)], "x-requestId": str(uuid.uuid4())})
        n += spec["clients"]


PUBLISHED = ("/v1/openapi.json", "/v1/ui/", "/v1/ui/swagger-ui-bundle.js", "/v1/openapi.yaml")


def _published(spec: dict[str, Any], i: int, client: httpx.Client, log: Log, stop: Stop) -> None:
    cprs = spec["cprs"]
    n = i
    while stop.go():
        if i < spec["readers"]:
            log.call(client, "borgerstatus", "GET", "/v1/borgerstatus", headers={CPR: cprs[n % len(cprs)]})
        else:
            paths = spec.get("paths") or PUBLISHED
            log.call(client, "flood", "GET", paths[n % len(paths)])
        n += spec["clients"]


def _times(response: httpx.Response | None) -> list[dict[str, Any]]:
    if response is None or response.status_code != 200:
        return []
    return list(response.json().get("moedetidSamling") or [])


def _start(t: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(t["starttidspunkt"])


def eligible_times(times: list[dict[str, Any]], last_day: dt.date | None, earliest: dt.datetime,
              ) -> list[dict[str, Any]]:
    return [t for t in times if _start(t) >= earliest
            and (last_day is None or _start(t).astimezone(COPENHAGEN).date() <= last_day)]


def _write(log: Log, client: httpx.Client, op: str, url: str, body: dict[str, Any]) -> httpx.Response | None:
    return log.call(client, op, "POST", url, json=body, headers={"x-requestId": str(uuid.uuid4())})


def _sessions(spec: dict[str, Any], i: int, client: httpx.Client, log: Log, stop: Stop) -> None:
    rng = random.Random(f"{spec['seed']}:{i}")
    citizens = spec["citizens"][i::spec["clients"]]
    for cpr in citizens:
        if not stop.go():
            return
        client.headers[CPR] = cpr
        _one_session(spec, rng, client, log)


def _one_session(spec: dict[str, Any], rng: random.Random, client: httpx.Client, log: Log) -> None:
    status = log.call(client, "borgerstatus", "GET", "/v1/borgerstatus")
    last_day = None
    if status is not None and status.status_code == 200:
        for frist in status.json().get("frister") or []:
            if frist.get("samtaleType") == 7 and frist.get("friststatusType") in (1, 3):
                last_day = dt.date.fromisoformat(frist["sidsteAfholdelsesdato"])
    offers = log.call(client, "moedetilbud", "GET", "/v1/selvbooking/moedetilbud")
    if offers is None or offers.status_code != 200:
        return
    choices = [o for o in offers.json().get("moedetilbudSamling") or []
               if o.get("samtaleType") == 7 and o.get("sagsbehandlerKanVaelges")]
    if not choices:
        return
    offer = rng.choice(choices)["moedetilbudId"]
    w = window()
    times = _times(log.call(client, "moedetider", "GET", f"/v1/selvbooking/moedetilbud/{offer}/moedetider", params=w))
    if rng.random() < 0.1:
        log.call(client, "bookinger", "GET", "/v1/bookinger")
    now = dt.datetime.now(COPENHAGEN)
    eligible = eligible_times(times, last_day, now + dt.timedelta(hours=26))  # movable: 24 h rebooking deadline
    booking_id = None
    for _ in range(2):  # one retry when someone else took the time
        if not eligible:
            return
        t = rng.choice(eligible[:40])
        created = _write(log, client, "booking", f"/v1/selvbooking/moedetilbud/{offer}/booking",
                        {"moedeStarttidspunkt": t["starttidspunkt"],
                         "samtaleformType": rng.choice(t["samtaleformSamling"])})
        if created is not None and created.status_code == 201:
            booking_id = created.json()["indkaldelseId"]
            current = t["starttidspunkt"]
            break
        eligible.remove(t)
    if booking_id is None:
        return
    r = rng.random()
    if r < 0.2:
        moved = _times(log.call(client, "ombooking_moedetider", "GET",
                                f"/v1/indkaldelse/{booking_id}/ombooking/moedetider", params=w))
        targets = [t for t in eligible_times(moved, last_day, now + dt.timedelta(hours=26))
                   if t["starttidspunkt"] != current]
        if targets:
            t = rng.choice(targets[:40])
            _write(log, client, "ombook", f"/v1/indkaldelse/{booking_id}/action/ombook",
                  {"moedeStarttidspunkt": t["starttidspunkt"], "samtaleformType": rng.choice(t["samtaleformSamling"])})
    elif r < 0.3:
        log.call(client, "aflys", "DELETE", f"/v1/indkaldelse/{booking_id}",
                 headers={"x-requestId": str(uuid.uuid4())})


def plan_bookings(spec: dict[str, Any], client: httpx.Client) -> list[tuple[str, str, dict[str, Any]]]:
    """Before the clock starts: each offer's free times once, then (citizen, offer, body) for every
    citizen, times drawn at random from the first 60 eligible ones so that clients collide."""
    rng = random.Random(f"{spec['seed']}:plan")
    w = window()
    free: dict[str, list[tuple[str, list[dict[str, Any]], dict[int, str]]]] = defaultdict(list)
    for offer, jobcenter, cpr in spec["offers"]:
        r = client.get(f"/v1/selvbooking/moedetilbud/{offer}/moedetider", params=w, headers={CPR: cpr})
        if r.status_code == 200:
            body = r.json()
            rids = {b["sagsbehandlerNummer"]: b["sagsbehandler"]["sagsbehandlerEksterntId"]
                    for b in body.get("bookbarSagsbehandlerSamling") or []}
            free[jobcenter].append((offer, body.get("moedetidSamling") or [], rids))
    earliest = dt.datetime.now(COPENHAGEN) + dt.timedelta(hours=2)
    plan = []
    for cpr, jobcenter, last_day in spec["citizens"]:
        if not free.get(jobcenter):
            continue
        offer, times, rids = rng.choice(free[jobcenter])
        eligible = eligible_times(times, dt.date.fromisoformat(last_day), earliest)[:60]
        if not eligible:
            continue
        t = rng.choice(eligible)
        body = {"moedeStarttidspunkt": t["starttidspunkt"], "samtaleformType": rng.choice(t["samtaleformSamling"])}
        if rng.random() < 0.5 and t.get("sagsbehandlerNummerSamling"):
            body["sagsbehandlerEksterntId"] = rids[rng.choice(t["sagsbehandlerNummerSamling"])]
        plan.append((cpr, offer, body))
    return plan


def _bookings(spec: dict[str, Any], i: int, client: httpx.Client, log: Log, stop: Stop) -> None:
    for cpr, offer, body in spec["plan"][i::spec["clients"]]:
        if not stop.go():
            return
        log.call(client, "booking", "POST", f"/v1/selvbooking/moedetilbud/{offer}/booking", json=body,
                 headers={CPR: cpr, "x-requestId": str(uuid.uuid4())})
    log.out_of_plan = True  # this client stopped before the deadline: the rate is a lower bound


WORKLOADS = {"search": _search, "post": _post, "sessions": _sessions, "bookings": _bookings, "published": _published}
