"""Every exception the service raises on purpose, in one tree.

::

    JobnetError                     the root: anything below is raised by this service, not a bug
    ├── Fejl                        a failure with a catalogue code (specs/errors.yaml, generated.errors.Fejlkode);
    │   │                           the edge turns it into the catalogue body and HTTP status
    │   ├── RateLimited             8309, with the seconds until the caller may try again (Retry-After)
    │   ├── DatabaseUnavailable     8311 (503): the database does not answer, or asked for the change to be tried
    │   │                           again (a PostgreSQL restart, a lost connection, a deadlock); nothing was changed
    │   ├── PlannerError            a failure at the planner seam (9018) or a business fault the planner raised
    │   │   └── PlannerOutcomeUnknown   4769, 9303, 9329: the planner may or may not have made the change
    │   │                               (no answer, a fault we cannot read, an answer that breaks the contract)
    │   └── PlannerDataInvalid      booking data the planner handed back broke one of DFDG's rules (our
    │                               check of its answer, so not a PlannerError: its status is the 502 column)
    ├── ContractBreach              a SOAP message that is not XML, not SOAP, or not what the XSD allows
    │                               (the SOAP client turns it into PlannerOutcomeUnknown 9329)
    ├── TooSlow                     a planner's whole answer did not arrive within the route's timeouts (→ 4769)
    ├── LoadError                   a data file was refused (also a ValueError); the message names record and field
    ├── NotFound                    an update addressed a row that does not exist (also a LookupError)
    ├── ConstraintViolation         the database refused a change: a unique index, a CHECK, a foreign key (either
    │                               backend's integrity error, so callers need not know which one runs)
    ├── SealingError                a sealed secret without its key, or with another key (also a RuntimeError)
    ├── PostgresUnavailable         no PostgreSQL server binaries for a throwaway server (jobnet.devpg; a RuntimeError)
    └── ConfigError                 a setting with a wrong value; the message names the setting (a ValueError)

Code that must tell "the planner did not make the change" from "we do not know" catches
``PlannerOutcomeUnknown`` by type; nothing branches on sets of codes.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from generated.errors import Fejlkode

if TYPE_CHECKING:
    from jobnet.domain import Fejlmelding
    from jobnet.planner.port import Planner


class JobnetError(Exception):
    """The root of the tree: raised by this service on purpose."""


class Fejl(JobnetError):
    """A failure with a catalogue error code (fejlkode); texts and status are looked up at the edge."""

    def __init__(self, fejlkode: int, detail: str = "") -> None:
        super().__init__(f"{fejlkode}: {detail}" if detail else str(fejlkode))
        self.fejlkode = fejlkode
        self.detail = detail


class RateLimited(Fejl):
    """8309: the caller's token bucket is empty; ``retry_after`` whole seconds until one is back."""

    def __init__(self, retry_after: float, limit: str = "") -> None:
        super().__init__(Fejlkode.FOR_MANGE_FORESPOERGSLER, "For mange ændringer; prøv igen senere")
        self.retry_after = max(1, math.ceil(retry_after))
        self.limit = limit  # which: client, citizen or planner_client (metrics)


class DatabaseUnavailable(Fejl):
    """8311: the database did not answer (connection refused or lost, no free connection in time) or
    refused the transaction for the moment (deadlock, serialization failure); it was rolled back."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(Fejlkode.DATABASE_UTILGAENGELIG, detail)


class PlannerError(Fejl):
    """A failure at the planner seam (9018 no planner configured) or a business fault the planner
    raised (4767, 4768, 4770, 4819, 8108, 9003, ...): the planner did not make the change."""


class PlannerOutcomeUnknown(PlannerError):
    """No connection or timeout (4769), an unhandled remote fault (9303), an answer that breaks the
    contract (9329): the planner may or may not have made the change, so recovery must find out."""

    CODES = frozenset({Fejlkode.INGEN_KONTAKT_MED_PLANNER, Fejlkode.PLANNERFEJL, Fejlkode.KONTRAKTBRUD})

    def __init__(self, fejlkode: int, detail: str = "") -> None:
        if fejlkode not in self.CODES:
            raise ValueError(f"{fejlkode} is not a code of an unknown planner outcome")
        super().__init__(fejlkode, detail)


class PlannerDataInvalid(Fejl):
    """Booking data handed back by the planner broke one of DFDG's rules (8126-8136, 4792, ...).

    ``report`` is the error report for our records and for ``planner``; it is recorded once the
    change has been undone (jobnet.booking)."""

    def __init__(self, fejlkode: int, detail: str, report: Fejlmelding, planner: Planner) -> None:
        super().__init__(fejlkode, detail)
        self.report = report
        self.planner = planner


class ContractBreach(JobnetError):
    """A message that is not XML, not SOAP, or not what specs/externalbooking.xsd allows."""


class TooSlow(JobnetError):
    """The whole answer did not arrive within the route's connect + read timeout."""


class LoadError(JobnetError, ValueError):
    """The data file was refused; the message names the record and field."""


class NotFound(JobnetError, LookupError):
    """An update or status change addressed a row that does not exist."""


class ConstraintViolation(JobnetError):
    """The database refused a change (unique index, CHECK, foreign key); the statement had no effect."""


class SealingError(JobnetError, RuntimeError):
    """A sealed value without the key to open it, or with another key."""


class PostgresUnavailable(JobnetError, RuntimeError):
    """No PostgreSQL server binaries on this machine, and none from PyPI (jobnet.devpg)."""


class ConfigError(JobnetError, ValueError):
    """A setting with a wrong value (jobnet.config); the message names the setting and what is wrong."""
