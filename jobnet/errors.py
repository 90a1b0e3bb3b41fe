"""The one exception tree of the service.

Every business failure is a ``Fejl`` carrying a code from the error catalogue
(``specs/errors.yaml``); texts and HTTP status are looked up there, at the edge.
"""
from __future__ import annotations


class Fejl(Exception):
    """A failure with a catalogue error code (fejlkode)."""

    def __init__(self, fejlkode: int, detail: str = "") -> None:
        super().__init__(f"{fejlkode}: {detail}" if detail else str(fejlkode))
        self.fejlkode = fejlkode
        self.detail = detail


class PlannerError(Fejl):
    """A failure at the planner seam (4769, 9018, 9303, 9329) or a business fault the planner raised."""


class PlannerDataInvalid(Fejl):
    """Booking data handed back by the planner broke one of DFDG's rules (8126-8136, 4792, ...).

    ``report`` is the error report (a Fejlmelding) for our records and for ``planner``; it is
    recorded once the change has been undone (handlers._common.planner_change)."""

    def __init__(self, fejlkode: int, detail: str, report: object, planner: object) -> None:
        super().__init__(fejlkode, detail)
        self.report = report
        self.planner = planner
