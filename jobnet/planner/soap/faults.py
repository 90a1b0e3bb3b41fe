"""The one place where a SOAP planner's failures become catalogue codes (docs/reference.md §6.5).

| what happened                                                          | code |
|------------------------------------------------------------------------|------|
| no routing: planner "soap" without a URL                               | 9018 |
| nothing listening, connection reset, slower than the timeout           | 4769 |
| HTTP error status without a SOAP fault; a SOAP fault without a known code | 9303 |
| a SOAP fault whose detail holds a known business ErrorCode             | that code |
| a 2xx answer that is not XML, not SOAP, the wrong element, or breaks the XSD | 9329 |
| an answer that cannot be decoded (Content-Encoding) or is larger than 4 MiB | 9329 |
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import httpx
from lxml import etree

from generated.errors import Fejlkode
from jobnet.errors import ContractBreach, PlannerError, PlannerOutcomeUnknown, TooSlow
from jobnet.planner.soap import contract

log = logging.getLogger("jobnet.planner.soap")

# The planner's business faults passed on as they are (docs/reference.md §4, §6.4, §7.2); any other code is 9303.
BUSINESS = frozenset({
    Fejlkode.UGYLDIG_SAMTALEFORM, Fejlkode.OMBOOKINGSTID_OPTAGET, Fejlkode.UKENDT_BOOKING, Fejlkode.INGEN_LEDIGE_TIDER,
    Fejlkode.TID_IKKE_LEDIG, Fejlkode.UKENDT_SAGSBEHANDLER, Fejlkode.ANDEN_BORGERS_BOOKING, Fejlkode.UKENDT_MOEDETILBUD,
    Fejlkode.UDEN_FOR_TILBUDDETS_PERIODE, Fejlkode.SAGSBEHANDLER_IKKE_TILLADT,
})

T = TypeVar("T")
_CPR = re.compile(r"\d{10}")


def no_routing(kode: str) -> PlannerError:
    return PlannerError(Fejlkode.INGEN_PLANNER, f"job centre {kode} is routed to SOAP but has no soap_url")


@contextmanager
def seam() -> Iterator[None]:
    """Around one planner call: transport failures are 4769, contract breaches 9329."""
    try:
        yield
    except httpx.DecodingError as exc:  # e.g. a gzip body that is not gzip
        raise PlannerOutcomeUnknown(Fejlkode.KONTRAKTBRUD,
                                    f"the planner's answer cannot be decoded: {type(exc).__name__}") from None
    except (httpx.RequestError, TooSlow) as exc:  # refused, reset, timed out (httpx.TimeoutException)
        log.warning("SOAP planner unreachable: %s", type(exc).__name__)
        raise PlannerOutcomeUnknown(Fejlkode.INGEN_KONTAKT_MED_PLANNER,
                                    f"the planner could not be reached: {type(exc).__name__}") from None
    except (ContractBreach, ValueError, OverflowError) as exc:  # ValueError: a value the domain cannot hold
        log.warning("SOAP planner broke the contract: %s", _redact(str(exc))[:500])
        raise PlannerOutcomeUnknown(Fejlkode.KONTRAKTBRUD) from None


def answer(status: int, content: bytes, expect: type[T]) -> T:
    """The result element of a planner's HTTP answer, or the PlannerError it amounts to."""
    try:
        element = contract.body_child(content)
    except ContractBreach:
        if not 200 <= status < 300:
            raise PlannerOutcomeUnknown(Fejlkode.PLANNERFEJL, f"HTTP {status} from the planner") from None
        raise
    if element.tag == contract.FAULT:
        raise fault(element)
    if not 200 <= status < 300:
        raise PlannerOutcomeUnknown(Fejlkode.PLANNERFEJL, f"HTTP {status} from the planner")
    return contract.read(element, expect)


def fault(element: etree._Element) -> PlannerError:
    """A soap:Fault: its detail's ErrorCode if that is a known business code, else 9303.
    The planner's own text is logged, not passed on: the citizen gets the catalogue's."""
    faultstring = _redact(element.findtext("faultstring") or "")[:200]
    raw = next((e.text for e in element.iterfind("detail//*") if etree.QName(e).localname == "ErrorCode"), None)
    code = int(raw) if raw and raw.strip().isdigit() else None
    log.warning("SOAP planner fault %s (%s): %s", code, element.findtext("faultcode"), faultstring)
    if code in BUSINESS:
        return PlannerError(code)
    return PlannerOutcomeUnknown(Fejlkode.PLANNERFEJL, f"unhandled planner fault {code}")


def _redact(text: str) -> str:
    """No CPR numbers in the log."""
    return _CPR.sub("**********", text)
