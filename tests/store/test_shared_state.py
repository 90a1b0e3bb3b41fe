"""State that instances on one database share (issue 10): request ids, write-rate buckets. Each
"instance" here is a Database object of its own on the same data, as another process would have."""
from __future__ import annotations

import datetime as dt
import functools
import threading
from typing import Any

import pytest

from jobnet.edge.ratelimit import TokenBucket
from jobnet.errors import RateLimited
from jobnet.store import Database
from jobnet.store.ratebuckets import SharedBuckets, shared_buckets
from tests.support.store import NOW, clock, db

__all__ = ["clock", "db"]  # fixtures


def instances(db: Database, n: int) -> list[Database]:
    return [Database(db.location, clock=db.clock) for _ in range(n)]


def test_a_request_id_claimed_through_one_instance_is_refused_by_the_others(db: Database) -> None:
    a, b = instances(db, 2)
    with a.transaction() as tx:
        assert tx.requests.claim("client", "req-1", "CreateSelvbooking", NOW)
    with b.transaction() as tx:
        assert not tx.requests.claim("client", "req-1", "CreateSelvbooking", NOW + dt.timedelta(seconds=1))
    with b.read() as r:
        assert r.requests.seen("client", "req-1", NOW)
    a.dispose()
    b.dispose()


def test_copies_of_one_request_id_sent_to_several_instances_at_once_win_once(db: Database) -> None:
    many = instances(db, 4)
    barrier = threading.Barrier(len(many))
    won: list[bool] = []

    def claim(database: Database) -> None:
        barrier.wait()
        with database.transaction() as tx:
            won.append(tx.requests.claim("client", "req-2", "CreateSelvbooking", NOW))
        database.close()

    threads = [threading.Thread(target=claim, args=(d,)) for d in many]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for d in many:
        d.dispose()
    assert sorted(won) == [False, False, False, True]


@pytest.mark.backend("postgresql")
def test_a_write_rate_limit_holds_across_instances(db: Database) -> None:
    """Five writes a minute for one citizen, spent through three instances: the sixth is refused
    wherever it arrives, with the seconds until a token is back."""
    many = instances(db, 3)
    buckets: list[Any] = [TokenBucket(5, 60, "citizen", functools.partial(shared_buckets, d)) for d in many]
    for i in range(5):
        buckets[i % 3].take("0101901234")
    for bucket in buckets:
        with pytest.raises(RateLimited) as refused:
            bucket.take("0101901234")
        assert 1 <= refused.value.retry_after <= 12
    buckets[0].take("0202852345")  # another citizen has a bucket of its own
    for d in many:
        d.dispose()


@pytest.mark.backend("postgresql")
def test_a_shared_bucket_refills_with_the_database_servers_time(db: Database) -> None:
    buckets = SharedBuckets(db.engine.connection())
    assert buckets.take("citizen", "x", 1, 0.2) is None
    wait = buckets.take("citizen", "x", 1, 0.2)
    assert wait is not None and 0 < wait <= 0.2
    import time

    time.sleep(0.25)
    assert buckets.take("citizen", "x", 1, 0.2) is None


@pytest.mark.backend("sqlite")
def test_sqlite_counts_in_the_process(db: Database) -> None:
    """On SQLite (one host) the workers count in memory: no bucket rows are written."""
    assert shared_buckets(db) is None
