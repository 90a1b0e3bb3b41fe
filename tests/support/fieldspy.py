"""What the loader reads of each record, field by field, with the constraints it checks: recorded by
wrapping jobnet.loader.fields.Felter, to compare with specs/datafile.schema.json."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jobnet.loader.fields import Felter

_INDEX = re.compile(r"\[\d+\]")
METHODS = ("text", "integer", "number", "boolean", "choice", "instant", "date", "clock_time", "integers",
           "mapping", "records", "raw")
_DEFAULTS = {  # the parameters of each Felter method, in order, with their defaults
    "text": (("required", True), ("pattern", None), ("hint", ""), ("max_len", None), ("default", None)),
    "integer": (("required", True), ("minimum", 0), ("maximum", None), ("default", None)),
    "number": (("default", None),), "boolean": (("default", None),),
    "choice": (("choices", None), ("default", None)), "instant": (("required", True),),
    "date": (("required", True),), "clock_time": (("default", None),),
    "integers": (("required", True), ("default", None), ("minimum", 0), ("maximum", None)),
    "mapping": (), "records": (), "raw": (("required", True),),
}


def record_type(where: str) -> str:
    """``bookinger[3].moedested.adresse`` -> ``bookinger.moedested.adresse``."""
    return _INDEX.sub("", where)


@contextmanager
def spy() -> Iterator[list[tuple[str, str, str, dict[str, Any]]]]:
    """Every read as (record type, field, method, its arguments by name)."""
    calls: list[tuple[str, str, str, dict[str, Any]]] = []
    originals = {m: getattr(Felter, m) for m in METHODS}

    def wrap(method: str) -> Any:
        original = originals[method]

        def spied(self: Felter, name: str, *args: Any, **kwargs: Any) -> Any:
            params = dict(_DEFAULTS[method])
            params.update(zip((p for p, _ in _DEFAULTS[method]), args, strict=False))
            params.update(kwargs)
            if method != "raw" or not calls or calls[-1][:2] != (record_type(self.where), name):
                calls.append((record_type(self.where), name, method, params))
            return original(self, name, *args, **kwargs)
        return spied

    try:
        for m in METHODS:
            setattr(Felter, m, wrap(m))
        yield calls
    finally:
        for m, original in originals.items():
            setattr(Felter, m, original)


# A data file that takes the loader's branches the demo data and examples/datafile.yaml do not
# (a SOAP job centre with credentials, a booking without an offer, every optional field).
ALL_BRANCHES: dict[str, list[dict[str, Any]]] = {  # what the demo and the example do not take
    "jobcentre": [{"kode": "70707", "navn": "Jobcenter Fjern", "planner": "soap", "soap_url": "https://p.example/soap",
                   "connect_timeout": 2.5, "read_timeout": 5, "soap_username": "dfdg", "soap_password": "x", "fax": "70707071",
                   "kvitteringstekst": "Tak", "organisationskode": 70707}],
    "sagsbehandlere": [{"eksternt_id": "RID-77", "jobcenter": "70707", "fornavn": "A", "mellemnavn": "B", "efternavn": "C", "nummer": 9001}],
    "moedetilbud": [{"moedetilbud_id": "77777777-0000-4000-8000-000000000001", "jobcenter": "70707", "samtaletype": 7,
                     "samtaleformer": [1, 8], "varighed_minutter": 30, "moedetitel": "T", "digitalt_moedelink": "https://m",
                     "moedebeskrivelse": "d", "foerste_moedetid": "2026-12-01T08:00:00+01:00", "sidste_moedetid": "2027-12-01T08:00:00+01:00",
                     "aktiv": True, "straks": False, "kontaktgrupper": [1, 2], "ombooking_mulig": True, "ombooking_frist_timer": 12,
                     "aflysning_mulig": True, "aflysning_frist_timer": 12, "moedepligt": True, "borger_skal_acceptere": False,
                     "telefonnummer": "+4570707070", "borger_ringer_op": True, "organisationskode": 1, "organisationstype": 2,
                     "sagsbehandler_kan_vaelges": True, "moedested": {"beskrivelse": "x", "adresse": {"vejnavn": "V", "husnummer": "1",
                     "postnummer": "7070", "bynavn": "B", "etage": "2", "side_doer": "tv", "landekode": "DK"}},
                     "sagsbehandlere": ["RID-77"]}],
    "borgere": [{"cpr": "0707071234", "jobcenter": "70707", "kontaktgruppe": 1, "klientkategori": 1, "levende": True,
                 "har_jobnet_cv": True, "udlandet": False, "midlertidig_udenlandsk_adresse": False, "fravaer": "none",
                 "kan_selvbooke": True, "straksbooking_paakraevet": False, "profil_komplet": True}],
    "tilmeldinger": [{"id": "77777777-0000-4000-8000-0000000000a1", "cpr": "0707071234", "startdato": "2026-11-01",
                      "slutdato": "2026-11-20", "klientkategori": 1, "ledighedsgrad": 1}],
    "bookinger": [{"indkaldelse_id": "77777777-0000-4000-8000-0000000000b1", "cpr": "0707071234", "jobcenter": "70707",
                   "samtaletype": 7, "moedeform": 1, "moede_start": "2026-12-10T10:00:00+01:00", "moede_slut": "2026-12-10T10:30:00+01:00",
                   "moedetitel": "T", "moedebeskrivelse": "d", "samtaleform": 2, "telefonnummer": "70707070", "digitalt_moedelink": "https://m",
                   "borger_ringer_op": True, "organisationskode": 1, "organisationstype": 2, "state": "active", "selvbooket": True,
                   "straksbooking": False, "borger_skal_acceptere": False, "accepteret": True, "ombooking_mulig": True,
                   "ombookingsfrist": "2026-12-09T10:00:00+01:00", "aflysning_mulig": True, "aflysningsfrist": "2026-12-09T10:00:00+01:00",
                   "moedepligt": True, "vis_sagsbehandlernavn": True, "print_kommentar": "p", "oprettet_af": "jobcenter",
                   "oprettet": "2026-11-30T10:00:00+01:00",
                   "moedested": {"beskrivelse": "x", "adresse": {"vejnavn": "V", "husnummer": "1", "postnummer": "7070", "bynavn": "B"}},
                   "sagsbehandler": {"eksternt_id": "RID-X", "fornavn": "A", "mellemnavn": "M", "efternavn": "C"}}],
    "frister": [{"id": "77777777-0000-4000-8000-0000000000c1", "cpr": "0707071234", "samtaletype": 7, "fristdato": "2026-12-08",
                 "sidste_afholdelsesdato": "2026-12-22", "status": 2, "straks": False, "indfriet_af": "77777777-0000-4000-8000-0000000000b1"}],
}
