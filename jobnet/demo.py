"""Demo data in the loader's format, relative to a given day, and a CLI that loads it.

    python -m jobnet.demo --db var/demo.db [--reset]

Job centre 10101 "Jobcenter Demoby" uses the embedded planner. 20202 has no planner (9018).
30303 points at a SOAP planner where nothing listens (http://127.0.0.1:9/planner/soap: 4769).
40404 "Jobcenter Nyby" is routed over SOAP to this service's own embedded planner, published at
``$JOBNET_PUBLIC_URL/planner/soap``; its caseworkers and offers live in the embedded planner's
tables like 10101's, and citizen 1111701234 self-books through it end to end.

Environment: ``JOBNET_PUBLIC_URL`` (default ``http://127.0.0.1:8080``) is the base URL this
service is reached at; it is read when the demo data are loaded, so set it when serving on another
host or port, e.g. ``JOBNET_PUBLIC_URL=http://127.0.0.1:8081 make run JOBNET_PORT=8081``.
The citizens cover the cases of the service: see ``BORGERE``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from jobnet.clock import COPENHAGEN, SystemClock, local_datetime, today
from jobnet.config import Settings
from jobnet.domain import Samtaleform, Samtaletype
from jobnet.errors import LoadError
from jobnet.loader import load
from jobnet.store import Database
from jobnet.store.engine import is_url

_NS = uuid.UUID("6f1f3f0e-3c1b-4d7e-9a53-0d1f5b7c2a10")


def demo_id(name: str) -> str:
    """A fixed guid per name, so the demo's ids are the same on every load."""
    return str(uuid.uuid5(_NS, name))


JOBCENTER = "10101"
JOBCENTER_UDEN_PLANNER = "20202"
JOBCENTER_SOAP_NEDE = "30303"
JOBCENTER_SOAP = "40404"
PUBLIC_URL = "http://127.0.0.1:8080"  # default of JOBNET_PUBLIC_URL

TILBUD_JOBSAMTALE = demo_id("tilbud/jobsamtale")
TILBUD_INFOMOEDE = demo_id("tilbud/informationsmoede")
TILBUD_OPFOELGNING = demo_id("tilbud/opfoelgningssamtale")
TILBUD_STRAKS_JOBSAMTALE = demo_id("tilbud/straks-jobsamtale")
TILBUD_FAELLES_JOBSAMTALE = demo_id("tilbud/faelles-jobsamtale")

TILBUD_NYBY_JOBSAMTALE = demo_id("tilbud/nyby-jobsamtale")
TILBUD_NYBY_INFOMOEDE = demo_id("tilbud/nyby-informationsmoede")

SELVBOOKER = "0101901234"
INDKALDT = "0202852345"
SKAL_STRAKSBOOKE = "0303803456"
STRAKSBOOKET = "0404754567"
UDEN_PLANNER = "0505701678"
AFDOED = "0606652789"
IKKE_TILMELDT = "0909951234"
OVER_65 = "0808553901"
SOAP_NEDE = "1010601234"
OVER_SOAP = "1111701234"

BOOKING_INDKALDT = demo_id("booking/0202852345")
BOOKING_STRAKS = demo_id("booking/0404754567")

RID = {n: f"CVR:10101000-RID:{1000 + n}" for n in range(1, 5)}
RID_NYBY = {n: f"CVR:40404000-RID:{2000 + n}" for n in (5, 6)}

BORGERE = {
    SELVBOOKER: "may self-book; open Jobsamtale deadline",
    INDKALDT: "summoned to a Jobsamtale in 10 days, not yet accepted",
    SKAL_STRAKSBOOKE: "must book immediately (straks deadline for Jobsamtale)",
    STRAKSBOOKET: "has an immediate booking in 5 days",
    UDEN_PLANNER: "job centre 20202 without a planner",
    AFDOED: "deceased",
    IKKE_TILMELDT: "known person, not enrolled",
    OVER_65: "born 1955, not enrolled",
    SOAP_NEDE: "job centre 30303: SOAP planner not answering",
    OVER_SOAP: "job centre 40404 (SOAP to this service's own planner); open Jobsamtale deadline",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> str:
    """A Copenhagen wall time as ISO-8601 with its local offset."""
    return local_datetime(day, hour, minute).astimezone(COPENHAGEN).isoformat()


def _weekday(day: dt.date) -> dt.date:
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return day




def _jobcentre(base_url: str) -> list[dict[str, Any]]:
    return [
        {"kode": JOBCENTER, "navn": "Jobcenter Demoby", "planner": "embedded", "telefon": "70101010",
         "kvitteringstekst": "Tak for din booking. Husk at medbringe dit CV."},
        {"kode": JOBCENTER_UDEN_PLANNER, "navn": "Jobcenter Udenplan", "planner": None, "telefon": "70202020"},
        {"kode": JOBCENTER_SOAP_NEDE, "navn": "Jobcenter Fjernby", "planner": "soap",
         "soap_url": "http://127.0.0.1:9/planner/soap", "connect_timeout": 1.0, "read_timeout": 2.0,
         "telefon": "70303030"},
        {"kode": JOBCENTER_SOAP, "navn": "Jobcenter Nyby", "planner": "soap",
         "soap_url": f"{base_url}/planner/soap", "connect_timeout": 2.0, "read_timeout": 5.0,
         "telefon": "70404040"},
    ]


def _sagsbehandlere() -> list[dict[str, Any]]:
    navne = {1: ("Anne", "Jensen"), 2: ("Bo", "Nielsen"), 3: ("Camilla", "Hansen"), 4: ("Dennis", "Pedersen")}
    nyby = {5: ("Emil", "Larsen"), 6: ("Freja", "Sørensen")}
    return [
        {"eksternt_id": RID[n], "nummer": n, "jobcenter": JOBCENTER, "fornavn": fornavn, "efternavn": efternavn}
        for n, (fornavn, efternavn) in navne.items()
    ] + [
        {"eksternt_id": RID_NYBY[n], "nummer": n, "jobcenter": JOBCENTER_SOAP, "fornavn": fornavn,
         "efternavn": efternavn}
        for n, (fornavn, efternavn) in nyby.items()
    ]


def _moedetilbud(today_: dt.date) -> list[dict[str, Any]]:
    sted = {"beskrivelse": "Jobcentret, 2. sal, reception",
            "adresse": {"vejnavn": "Rådhuspladsen", "husnummer": "1", "postnummer": "9999", "bynavn": "Demoby"}}
    fra_i_dag = _at(today_, 0)
    infodage = [_weekday(today_ + dt.timedelta(days=d)) for d in (3, 10, 17)]
    return [
        {"moedetilbud_id": TILBUD_JOBSAMTALE, "jobcenter": JOBCENTER, "samtaletype": Samtaletype.JOBSAMTALE,
         "moedeform": 1, "samtaleformer": [Samtaleform.PERSONLIGT, Samtaleform.TELEFONISK, Samtaleform.DIGITALT],
         "varighed_minutter": 45, "moedetitel": "Jobsamtale",
         "moedebeskrivelse": "Vi taler om din jobsøgning og dine næste skridt.",
         "foerste_moedetid": fra_i_dag, "sagsbehandler_kan_vaelges": True, "moedested": sted,
         "ombooking_mulig": True, "ombooking_frist_timer": 24, "aflysning_mulig": True, "aflysning_frist_timer": 24,
         "telefonnummer": "70101010", "digitalt_moedelink": "https://moede.demoby.dk/jobsamtale",
         "sagsbehandlere": [RID[1], RID[2], RID[3]]},
        {"moedetilbud_id": TILBUD_INFOMOEDE, "jobcenter": JOBCENTER, "samtaletype": 9, "moedeform": 2,
         "samtaleformer": [Samtaleform.PERSONLIGT], "varighed_minutter": 90, "moedetitel": "Informationsmøde",
         "moedebeskrivelse": "Fælles informationsmøde om dine rettigheder og pligter.", "moedested": sted,
         "ombooking_mulig": True, "aflysning_mulig": True, "sagsbehandlere": [RID[4]],
         "moedetider": [
             {"start": _at(infodage[0], 10), "antal_pladser": 20, "ledige_pladser": 12},
             {"start": _at(infodage[1], 10), "antal_pladser": 15, "ledige_pladser": 1},
             {"start": _at(infodage[2], 10), "antal_pladser": 20},
         ]},
        {"moedetilbud_id": TILBUD_OPFOELGNING, "jobcenter": JOBCENTER, "samtaletype": Samtaletype.OPFOELGNINGSSAMTALE,
         "moedeform": 1, "samtaleformer": [Samtaleform.PERSONLIGT, Samtaleform.TELEFONISK], "varighed_minutter": 30,
         "moedetitel": "Opfølgningssamtale", "foerste_moedetid": fra_i_dag,
         "sidste_moedetid": _at(today_ + dt.timedelta(days=90), 23, 59), "sagsbehandler_kan_vaelges": False,
         "moedested": sted, "telefonnummer": "70101010", "sagsbehandlere": [RID[2], RID[3], RID[4]]},
        {"moedetilbud_id": TILBUD_STRAKS_JOBSAMTALE, "jobcenter": JOBCENTER, "samtaletype": Samtaletype.JOBSAMTALE,
         "moedeform": 1, "samtaleformer": [Samtaleform.PERSONLIGT, Samtaleform.TELEFONISK], "varighed_minutter": 45,
         "moedetitel": "Jobsamtale (straksbooking)", "foerste_moedetid": fra_i_dag, "straks": True,
         "moedested": sted, "ombooking_mulig": False, "aflysning_mulig": False, "telefonnummer": "70101010",
         "sagsbehandlere": [RID[1], RID[4]]},
        {"moedetilbud_id": TILBUD_FAELLES_JOBSAMTALE, "jobcenter": JOBCENTER,
         "samtaletype": Samtaletype.FAELLES_JOBSAMTALE, "moedeform": 1,
         "samtaleformer": [Samtaleform.PERSONLIGT, Samtaleform.DIGITALT], "varighed_minutter": 60,
         "moedetitel": "Fælles jobsamtale med a-kasse", "foerste_moedetid": fra_i_dag, "moedested": sted,
         "ombooking_mulig": False, "aflysning_mulig": True, "telefonnummer": "70101010",
         "digitalt_moedelink": "https://moede.demoby.dk/faelles", "sagsbehandlere": [RID[1], RID[2]]},
    ]


def _moedetilbud_nyby(today_: dt.date) -> list[dict[str, Any]]:
    """Job centre 40404's offers, served over SOAP by the embedded planner."""
    sted = {"beskrivelse": "Jobcenter Nyby, stueetagen",
            "adresse": {"vejnavn": "Torvet", "husnummer": "4", "postnummer": "9998", "bynavn": "Nyby"}}
    infodage = [_weekday(today_ + dt.timedelta(days=d)) for d in (4, 11)]
    return [
        {"moedetilbud_id": TILBUD_NYBY_JOBSAMTALE, "jobcenter": JOBCENTER_SOAP, "samtaletype": Samtaletype.JOBSAMTALE,
         "moedeform": 1, "samtaleformer": [Samtaleform.PERSONLIGT, Samtaleform.TELEFONISK], "varighed_minutter": 45,
         "moedetitel": "Jobsamtale i Nyby", "moedebeskrivelse": "Vi taler om din jobsøgning.",
         "foerste_moedetid": _at(today_, 0), "sagsbehandler_kan_vaelges": True, "moedested": sted,
         "telefonnummer": "70404040", "sagsbehandlere": [RID_NYBY[5], RID_NYBY[6]]},
        {"moedetilbud_id": TILBUD_NYBY_INFOMOEDE, "jobcenter": JOBCENTER_SOAP, "samtaletype": 9, "moedeform": 2,
         "samtaleformer": [Samtaleform.PERSONLIGT], "varighed_minutter": 60, "moedetitel": "Informationsmøde i Nyby",
         "moedested": sted, "sagsbehandlere": [RID_NYBY[6]],
         "moedetider": [{"start": _at(dag, 13), "antal_pladser": 10} for dag in infodage]},
    ]


def _borgere() -> list[dict[str, Any]]:
    tilmeldt = {"kontaktgruppe": 1, "klientkategori": 1}
    return [
        {"cpr": SELVBOOKER, "jobcenter": JOBCENTER, **tilmeldt},
        {"cpr": INDKALDT, "jobcenter": JOBCENTER, **tilmeldt},
        {"cpr": SKAL_STRAKSBOOKE, "jobcenter": JOBCENTER, "straksbooking_paakraevet": True, **tilmeldt},
        {"cpr": STRAKSBOOKET, "jobcenter": JOBCENTER, **tilmeldt},
        {"cpr": UDEN_PLANNER, "jobcenter": JOBCENTER_UDEN_PLANNER, **tilmeldt},
        {"cpr": AFDOED, "jobcenter": JOBCENTER, "levende": False, **tilmeldt},
        {"cpr": IKKE_TILMELDT, "jobcenter": JOBCENTER, "har_jobnet_cv": True},
        {"cpr": OVER_65, "jobcenter": None, "har_jobnet_cv": True},
        {"cpr": SOAP_NEDE, "jobcenter": JOBCENTER_SOAP_NEDE, **tilmeldt},
        {"cpr": OVER_SOAP, "jobcenter": JOBCENTER_SOAP, **tilmeldt},
    ]


TILMELDTE = (SELVBOOKER, INDKALDT, SKAL_STRAKSBOOKE, STRAKSBOOKET, UDEN_PLANNER, AFDOED,
             SOAP_NEDE, OVER_SOAP)


def demo_data(today: dt.date, base_url: str | None = None,
              planner_client: dict[str, str] | None = None) -> dict[str, Any]:
    """The demo in the loader's format, with every date relative to ``today``; 40404's planner is
    the SOAP endpoint at ``base_url`` (``Settings.base_url``; default: PUBLIC_URL), called with the credentials of
    ``planner_client`` (``{"username", "password"}``; see ``jobnet token init``)."""
    dag = dt.timedelta(days=1)
    jobcentre = _jobcentre((base_url or PUBLIC_URL).rstrip("/"))
    if planner_client is not None:
        for jc in jobcentre:
            if jc["kode"] == JOBCENTER_SOAP:
                jc.update(soap_username=planner_client["username"], soap_password=planner_client["password"])
    return {
        "jobcentre": jobcentre,
        "sagsbehandlere": _sagsbehandlere(),
        "moedetilbud": _moedetilbud(today) + _moedetilbud_nyby(today),
        "borgere": _borgere(),
        "tilmeldinger": [
            {"id": demo_id(f"tilmelding/{cpr}"), "cpr": cpr, "startdato": (today - 30 * dag).isoformat(),
             "klientkategori": 1, "ledighedsgrad": 1}
            for cpr in TILMELDTE
        ],
        "frister": [
            {"id": demo_id("frist/0101901234"), "cpr": SELVBOOKER, "samtaletype": Samtaletype.JOBSAMTALE,
             "fristdato": (today + 7 * dag).isoformat(), "sidste_afholdelsesdato": (today + 21 * dag).isoformat()},
            {"id": demo_id("frist/0303803456"), "cpr": SKAL_STRAKSBOOKE, "samtaletype": Samtaletype.JOBSAMTALE,
             "fristdato": today.isoformat(), "sidste_afholdelsesdato": (today + 14 * dag).isoformat(), "straks": True},
            {"id": demo_id("frist/1111701234"), "cpr": OVER_SOAP, "samtaletype": Samtaletype.JOBSAMTALE,
             "fristdato": (today + 7 * dag).isoformat(), "sidste_afholdelsesdato": (today + 21 * dag).isoformat()},
        ],
        "bookinger": [
            {"indkaldelse_id": BOOKING_INDKALDT, "cpr": INDKALDT, "moedetilbud_id": TILBUD_JOBSAMTALE,
             "moede_start": _at(today + 10 * dag, 10, 30), "sagsbehandler": RID[1],
             "samtaleform": Samtaleform.PERSONLIGT, "selvbooket": False, "borger_skal_acceptere": True,
             "accepteret": False, "ombooking_mulig": True, "aflysning_mulig": False, "oprettet_af": "jobcenter"},
            {"indkaldelse_id": BOOKING_STRAKS, "cpr": STRAKSBOOKET, "moedetilbud_id": TILBUD_STRAKS_JOBSAMTALE,
             "moede_start": _at(today + 5 * dag, 9), "sagsbehandler": RID[4],
             "samtaleform": Samtaleform.PERSONLIGT, "straksbooking": True, "accepteret": True},
        ],
    }


def main(argv: list[str] | None = None, prog: str = "python -m jobnet.demo") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Load the demo data.")
    parser.add_argument("--db", required=True, help="the database: an SQLite file or a postgresql:// URL")
    parser.add_argument("--reset", action="store_true",
                        help="remove everything in the database first (SQLite: the file; PostgreSQL: its schema)")
    parser.add_argument("--planner-client", type=Path, metavar="JSON",
                        help="credentials job centre 40404 calls this service's SOAP planner with "
                             "(var/auth/planner-client.json, made by `jobnet token init`)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    db = Database(args.db if is_url(args.db) else Path(args.db), sealer=settings.sealer())
    try:
        if args.reset:
            db.reset()
        db.migrate()
        client = json.loads(args.planner_client.read_text()) if args.planner_client else None
        counts = load(db, demo_data(today(SystemClock()), settings.base_url, planner_client=client))
    except LoadError as exc:
        print(f"refused: {exc} (already loaded? use --reset)", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(", ".join(f"{name}: {n}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
