"""The throwaway PostgreSQL server (jobnet/devpg.py) starts from the machine's binaries and from
the ones PyPI's pgserver bundles, as root too, and comes back after an abrupt stop."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jobnet.devpg import Cluster, binaries


def select_one(cluster: Cluster, database: str) -> str:
    psql = cluster.bin / "psql"
    done = subprocess.run([str(psql), cluster.url(database), "-tAc", "select 1"], capture_output=True, text=True,
                          check=False)
    return done.stdout.strip()


@pytest.mark.parametrize("source", ["machine", "pypi"])
def test_a_cluster_starts_takes_a_database_and_survives_an_abrupt_restart(source: str) -> None:
    if source == "pypi":
        import pgserver

        bin_dir = Path(pgserver.__file__).parent / "pginstall" / "bin"
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
    finally:
        cluster.destroy()
    assert not cluster.directory.exists()


def test_binaries_in_a_private_folder_are_run_from_a_reachable_copy(tmp_path: Path) -> None:
    """As root the server runs as postgres or nobody, who cannot enter a private folder (a clone in
    ``mktemp -d``, whose virtualenv holds pgserver): the installation is copied where they can."""
    import os
    import shutil

    import pgserver

    if os.geteuid() != 0:
        pytest.skip("only root hands the server to another user")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    site = Path(pgserver.__file__).parent.parent
    shutil.copytree(site / "pgserver" / "pginstall", private / "pgserver" / "pginstall", symlinks=True)
    for libs in site.glob("pgserver*.libs"):
        shutil.copytree(libs, private / libs.name, symlinks=True)
    cluster = Cluster.temporary()
    cluster.bin = private / "pgserver" / "pginstall" / "bin"
    try:
        cluster.start()
        assert not cluster.bin.is_relative_to(private)
        assert select_one(cluster, cluster.create_database("jobnet").rsplit("/", 1)[1]) == "1"
    finally:
        cluster.destroy()
