"""deploy/nginx.conf keeps the limits the service itself enforces (issue 9's hardening, issue 10)."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

from jobnet.config import Settings
from jobnet.edge.guards import RequestGuard

CONF = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def directive(name: str) -> str:
    found = re.findall(rf"^\s*{name}\s+([^;]+);", CONF, re.MULTILINE)
    assert len(found) == 1, (name, found)
    return found[0].strip()


def test_header_and_body_timeouts_are_the_services_request_timeout() -> None:
    timeout = f"{Settings().request_timeout:g}s"
    assert directive("client_header_timeout") == timeout
    assert directive("client_body_timeout") == timeout
    assert directive("keepalive_timeout") == f"{Settings().keep_alive:g}s"


def test_body_and_header_sizes_are_the_guards() -> None:
    defaults = inspect.signature(RequestGuard.__init__).parameters
    assert directive("client_max_body_size") == f"{defaults['max_body'].default // 1024}k"
    assert directive("large_client_header_buffers").endswith(f"{defaults['max_headers'].default // 1024}k")


def test_the_balancer_probes_and_never_repeats_a_write() -> None:
    assert "location = /health/ready" in CONF and "location = /health/live" in CONF
    assert "non_idempotent" not in directive("proxy_next_upstream")
