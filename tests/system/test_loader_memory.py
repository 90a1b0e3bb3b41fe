"""A large data file loads in bounded memory (issue 13, item 5): the loader reads YAML as a stream and
writes as it checks, so its peak memory does not grow with the file (a 50 MB file took about 1 GB)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITIZENS = 60_000


def _big_file(path: Path) -> int:
    with path.open("w", encoding="utf-8") as f:
        f.write('jobcentre:\n  - {kode: "50505", navn: Jobcenter Stor, planner: null}\nborgere:\n')
        for i in range(CITIZENS):
            f.write(f'  - {{cpr: "{i:010d}", jobcenter: "50505", kontaktgruppe: 1, klientkategori: 1, '
                    f'har_jobnet_cv: true, udlandet: false, kan_selvbooke: true, profil_komplet: true}}\n')
        f.write("frister:\n")
        for i in range(CITIZENS):
            f.write(f'  - {{cpr: "{i:010d}", samtaletype: 7, fristdato: "2027-01-15", '
                    f'sidste_afholdelsesdato: "2027-01-29", status: 1, straks: false}}\n')
    return path.stat().st_size


def test_a_large_file_loads_in_bounded_memory(tmp_path: Path) -> None:
    size = _big_file(tmp_path / "big.yaml")
    assert size > 15_000_000
    # VmHWM, not ru_maxrss: the latter keeps the high-water mark of the (large) test process the child
    # was forked from, across exec
    code = ("import re, sys; from jobnet.loader.cli import main; rc = main(sys.argv[1:]); "
            "status = open('/proc/self/status').read(); "
            "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "big.yaml"), "--db", str(tmp_path / "j.db")],
                          check=False, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    counts, peak_mb = done.stdout.strip().splitlines()
    assert f"borgere: {CITIZENS}" in counts and f"frister: {CITIZENS}" in counts
    print(f"\n{size / 1e6:.0f} MB data file loaded with a peak of {peak_mb} MB")
    assert int(peak_mb) < 160, peak_mb  # yaml.safe_load of this file alone peaks at about 1.2 GB
