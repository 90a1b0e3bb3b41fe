"""The hardening checks of tests/system/test_server_limits.py against the service under granian, so
the README's claim about it can be checked again (issue 14: a server is adopted only if they hold):

    python -m bench.server_limits        # one line per check: PASS, FAIL or ERROR, and why

granian runs with what it has of jobnet serve's limits: a header read timeout (2 s, as the test
uses), one worker, HTTP/1, no websockets. It prints; it never fails a build.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.support.net import free_port
from tests.system import test_server_limits as checks

ROOT = Path(__file__).resolve().parents[1]


def _idle_keep_alive(base: str) -> None:
    s = checks.connect(base, b"GET /v1/openapi.yaml HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        s.settimeout(5)
        assert s.recv(64).startswith(b"HTTP/1.1 200")
        assert checks.closed_by_server(s, 6), "an idle keep-alive connection stays open"
    finally:
        s.close()


def _connection_cap(base: str) -> None:
    held = [checks.connect(base) for _ in range(40)]
    try:
        time.sleep(0.3)
        extra = checks.connect(base)
        closed = checks.closed_by_server(extra, 1)
        extra.close()
        assert closed, "no connection cap: one more connection stays open"
    finally:
        for s in held:
            s.close()


CHECKS: list[tuple[str, Callable[[str], None]]] = [
    ("300 sockets stall in their headers, a normal call succeeds",
     checks.test_while_300_sockets_stall_in_their_headers_a_normal_call_succeeds),
    ("a connection that never sends anything is closed", checks.test_a_connection_that_never_sends_anything_is_closed),
    ("an idle keep-alive connection is closed", _idle_keep_alive),
    ("a body that stops arriving is dropped", checks.test_a_body_that_stops_arriving_is_dropped),
    ("a body longer than its Content-Length is cut at it",
     checks.test_a_body_longer_than_its_content_length_reaches_the_app_cut_at_that_length),
    ("beyond a connection cap a new connection is closed", _connection_cap),
]


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="granian-limits-"))
    db, port = tmp / "jobnet.db", free_port()
    env = {**os.environ, "JOBNET_DB": str(db), "JOBNET_AUTH": "off", "JOBNET_RECOVERY_SECONDS": "0"}
    subprocess.run([sys.executable, "-m", "jobnet.demo", "--db", str(db), "--reset"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("granian")), "--interface", "asgi", "--host",
                             "127.0.0.1", "--port", str(port), "--workers", "1", "--http", "1", "--no-ws",
                             "--http1-header-read-timeout", str(checks.TIMEOUT_S * 1000), "jobnet.asgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/v1/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        for name, check in CHECKS:
            try:
                check(base)
                print(f"PASS  {name}")
            except AssertionError as exc:
                print(f"FAIL  {name}: {str(exc)[:160]}")
            except Exception as exc:  # noqa: BLE001 (reported: a check that cannot even run is a failure too)
                print(f"ERROR {name}: {type(exc).__name__} {str(exc)[:160]}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
