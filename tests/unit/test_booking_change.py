"""jobnet.booking.change: the two strategies behind one interface, picked by the job centre's planner."""
from __future__ import annotations

from typing import Any

import pytest

from jobnet.booking.change import Change, EmbeddedChange, RemoteChange, planner_change
from jobnet.context import Kontekst


def _ctx(services: Any) -> Kontekst:
    return Kontekst(services=services, operation="CreateSelvbooking", cpr="0101901234")


@pytest.mark.parametrize("kode, strategy", [("10101", EmbeddedChange), ("40404", RemoteChange),
                                            ("30303", RemoteChange), ("20202", RemoteChange), (None, RemoteChange)])
def test_the_job_centres_planner_picks_the_strategy(demo: Any, services: Any, kode: str | None,
                                                    strategy: type[Change]) -> None:
    with planner_change(_ctx(services), kode) as change:
        assert type(change) is strategy


def test_the_embedded_strategy_is_one_transaction_and_keeps_no_intents(demo: Any, services: Any) -> None:
    ctx = _ctx(services)
    with pytest.raises(RuntimeError), planner_change(ctx, "10101") as change:
        change.at_planner("b-1", "create", "10101", 4819, lambda: None)
        change.register("b-1", lambda tx: tx.audit.record("probe", "booking", "b-1", ctx.operation, {}))
        raise RuntimeError("after the registration: everything is rolled back")
    assert demo.conn.execute("SELECT count(*) FROM audit WHERE action = 'probe'").fetchone() == (0,)
    assert demo.conn.execute("SELECT count(*) FROM planner_intents").fetchone() == (0,)


def test_the_remote_strategy_keeps_an_intent_while_the_outcome_is_unknown(demo: Any, services: Any) -> None:
    from jobnet.errors import PlannerOutcomeUnknown

    ctx = _ctx(services)

    def timeout() -> None:
        raise PlannerOutcomeUnknown(4769)

    with pytest.raises(PlannerOutcomeUnknown), planner_change(ctx, "40404") as change:
        change.at_planner("b-2", "create", "40404", 4819, timeout)
    assert demo.conn.execute("SELECT indkaldelse_id, action FROM planner_intents").fetchall() == [("b-2", "create")]
