"""A planner with its calls counted and timed (jobnet.metrics): by job centre, operation and outcome
(ok, 4769, 9303, 9329, 9018, or a business fault of the planner's)."""
from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any

from jobnet.errors import Fejl
from jobnet.metrics import Metrics
from jobnet.planner.port import Planner

# the operations of STAR's service (the Planner port); anything else a planner offers (port.PlansBookings)
# is passed on unmeasured: it is no call of that service
OPERATIONS = frozenset(n for n, _ in inspect.getmembers(Planner, inspect.isfunction) if not n.startswith("_"))


class MeteredPlanner:
    """Every method of the Planner port, passed on to ``planner`` and measured."""

    def __init__(self, planner: Planner, jobcentre: str, metrics: Metrics) -> None:
        self._planner, self._jobcentre, self._metrics = planner, jobcentre, metrics

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        method: Callable[..., Any] = getattr(self._planner, operation)
        if operation not in OPERATIONS:
            return method  # the planner's own method, unmeasured

        def measured(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = method(*args, **kwargs)
            except Fejl as exc:
                self._metrics.planner_call(self._jobcentre, operation, exc.fejlkode, time.perf_counter() - started)
                raise
            self._metrics.planner_call(self._jobcentre, operation, None, time.perf_counter() - started)
            return result

        return measured
