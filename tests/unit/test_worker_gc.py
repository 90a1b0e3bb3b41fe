"""A worker of ``jobnet serve`` tunes its collector once the app is made (jobnet.serve.tune_gc)."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from jobnet.serve import GC_THRESHOLDS, tune_gc

ROOT = Path(__file__).resolve().parents[2]


def test_tune_gc_freezes_what_exists_and_raises_the_first_threshold() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLDS and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_worker_module_tunes_the_collector(tmp_path: Path) -> None:
    env = {**os.environ, "JOBNET_DB": str(tmp_path / "jobnet.db"), "JOBNET_AUTH": "off",
           "JOBNET_RECOVERY_SECONDS": "0", "JOBNET_LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-c", "import gc, jobnet.asgi; print(gc.get_threshold(), gc.get_freeze_count())"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    thresholds, frozen = done.stdout.strip().rsplit(" ", 1)
    assert thresholds == str(GC_THRESHOLDS) and int(frozen) > 10_000
