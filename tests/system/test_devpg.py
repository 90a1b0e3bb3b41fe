"""The throwaway PostgreSQL server (jobnet/devpg.py) starts from the machine's binaries and from
the ones PyPI's pgserver bundles, as root too (from binaries inside a private folder as well, as in a
fresh clone made in a ``mktemp -d`` directory), and comes back after an abrupt stop."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from jobnet.devpg import Cluster, _reachable, binaries


def select_one(cluster: Cluster, database: str) -> str:
    psql = cluster.bin / "psql"
    done = subprocess.run([str(psql), cluster.url(database), "-tAc", "select 1"], capture_output=True, text=True,
                          check=False)
    return done.stdout.strip()


@pytest.mark.parametrize("source", ["machine", "pypi", "private"])
def test_a_cluster_starts_takes_a_database_and_survives_an_abrupt_restart(source: str) -> None:
    if source == "pypi":
        import pgserver

        bin_dir = Path(pgserver.__file__).parent / "pginstall" / "bin"
    elif source == "private":
        import pgserver

        private = Path(tempfile.mkdtemp(prefix="jobnet-private-"))  # 0700, as mktemp -d makes it
        package = Path(pgserver.__file__).parent
        shutil.copytree(package, private / "pgserver", symlinks=True)
        shutil.copytree(package.parent / "pgserver.libs", private / "pgserver.libs", symlinks=True)
        bin_dir = private / "pgserver" / "pginstall" / "bin"
        assert not _reachable(bin_dir, uid=65534)  # nobody: PostgreSQL's user when the tests run as root
    else:
        bin_dir = binaries()
    cluster = Cluster.temporary()
    cluster.bin = bin_dir
    try:
        cluster.start()
        url = cluster.create_database("jobnet")
        assert url.startswith("postgresql://") and url.endswith("/jobnet")
        assert select_one(cluster, "jobnet") == "1"
        cluster.restart("immediate", down_seconds=0.2)
        assert select_one(cluster, "jobnet") == "1"
        if source == "private" and os.geteuid() == 0:
            assert cluster.bin != bin_dir and _reachable(cluster.bin, uid=65534)
    finally:
        cluster.destroy()
        if source == "private":
            shutil.rmtree(bin_dir.parents[2])
    assert not cluster.directory.exists()
