"""Ports on 127.0.0.1 for the servers the tests start."""
from __future__ import annotations

import socket
import subprocess
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(base: str, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Until ``base`` answers /v1/openapi.json; RuntimeError if ``proc`` ends or time runs out first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/v1/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.1)
