"""The database pool's use as a metric (issue 11: "database pool use where there is a pool"):
PostgreSQL's pool by state in jobnet_db_pool_connections; SQLite has no pool and no such samples."""
from __future__ import annotations

import time
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from jobnet.metrics import Metrics


def pool_samples(metrics: Metrics) -> dict[str, float]:
    return {s.labels["state"]: s.value for family in text_string_to_metric_families(metrics.exposition().decode())
            for s in family.samples if s.name == "jobnet_db_pool_connections"}


def test_the_pool_gauge_shows_the_connections_of_this_process(db: Any) -> None:
    metrics = Metrics(None)
    metrics.pool_source = db.pool_use
    db.conn.fetch_all("SELECT 1 AS one")  # a statement on its own: a pooled connection taken and given back
    samples = pool_samples(metrics)
    if db.backend == "sqlite":
        assert db.pool_use() is None and samples == {}
        return
    assert set(samples) == {"in_use", "idle", "waiting"}
    # The pool counts a connection it is still opening in the background (to its minimum size) as
    # not available, so "in use" may show it for a moment; once the pool has settled it is 0.
    deadline = time.monotonic() + 10
    while samples["in_use"] != 0 and time.monotonic() < deadline:
        time.sleep(0.05)
        samples = pool_samples(metrics)
    assert samples["idle"] >= 1 and samples["in_use"] == 0 and samples["waiting"] == 0


def test_answers_refresh_the_gauge_at_most_once_a_second(db: Any) -> None:
    metrics = Metrics(None)
    calls: list[int] = []

    def source() -> dict[str, int] | None:
        calls.append(1)
        return db.pool_use()

    metrics.pool_source = source
    for _ in range(50):
        metrics.answered("GetBorgerstatus", 200, 0.001)
    assert len(calls) == 1
