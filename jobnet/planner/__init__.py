"""Planner adapters behind the port in ``jobnet.planner.port``, chosen per job centre."""
from __future__ import annotations

from generated.errors import Fejlkode
from jobnet.clock import Clock
from jobnet.errors import PlannerError
from jobnet.planner.port import Planner
from jobnet.store import PLANNER_EMBEDDED, PLANNER_SOAP, Database, Jobcenter


def planner_for(db: Database, jobcenter: Jobcenter, clock: Clock) -> Planner:
    """The planner that serves ``jobcenter`` (9018 when none is configured)."""
    if jobcenter.planner == PLANNER_EMBEDDED:
        from jobnet.planner.embedded import EmbeddedPlanner  # here, so port users need not load it

        return EmbeddedPlanner(db, clock)
    if jobcenter.planner == PLANNER_SOAP:
        from jobnet.planner.soap.client import Route, SoapPlanner

        return SoapPlanner(Route.of(jobcenter))  # 9018 without a soap_url
    raise PlannerError(Fejlkode.INGEN_PLANNER, f"no planner configured for job centre {jobcenter.kode}")


__all__ = ["Planner", "planner_for"]
