"""Planner adapters behind the port in ``jobnet.planner.port``, chosen per job centre."""
from __future__ import annotations

from typing import TYPE_CHECKING

from generated.errors import Fejlkode
from jobnet.clock import Clock
from jobnet.errors import PlannerError
from jobnet.planner.port import Planner
from jobnet.store import PLANNER_EMBEDDED, PLANNER_SOAP, Database, Jobcenter

if TYPE_CHECKING:
    from jobnet.metrics import Metrics


def planner_for(db: Database, jobcenter: Jobcenter, clock: Clock, metrics: Metrics | None = None) -> Planner:
    """The planner that serves ``jobcenter`` (9018 when none is configured); with ``metrics``, its
    calls are counted and timed (jobnet.planner.metered), kept answers and booking plans counted."""
    planner: Planner
    if jobcenter.planner == PLANNER_EMBEDDED:
        from jobnet.planner.embedded import EmbeddedPlanner  # here, so port users need not load it

        planner = EmbeddedPlanner(db, clock, kept_answer=metrics.kept_answer if metrics else None,
                                  booking_plan=metrics.booking_plan if metrics else None)
    elif jobcenter.planner == PLANNER_SOAP:
        from jobnet.planner.soap.client import Route, SoapPlanner

        planner = SoapPlanner(Route.of(jobcenter))  # 9018 without a soap_url
    else:
        raise PlannerError(Fejlkode.INGEN_PLANNER, f"no planner configured for job centre {jobcenter.kode}")
    if metrics is None:
        return planner
    from jobnet.planner.metered import MeteredPlanner

    return MeteredPlanner(planner, jobcenter.kode, metrics)  # the port's methods, by delegation


__all__ = ["Planner", "planner_for"]
