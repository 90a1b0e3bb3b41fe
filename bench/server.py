"""Start and stop a real server process (uvicorn, a worker per core) on 127.0.0.1, and watch the
memory of its worker processes through /proc."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            found += [int(p) for p in text.split()]
    except OSError:
        pass
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used (from /proc/stat)."""
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] if len(f) > 7 else 0)) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass
class Server:
    """A running uvicorn master with its workers; ``peak_rss_mb`` is sampled every 0.2 s."""

    app: str
    workers: int
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    peak_rss_kb: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _sampler: threading.Thread | None = None
    log: Path | None = None
    tail: str = ""
    production: bool = False  # the service's own production command (python -m jobnet.serve)
    server: str = "uvicorn"  # or "granian": the same app under granian (bench/servers.py compares them)

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def command(self) -> list[str]:
        if self.server == "granian":  # the settings jobnet.serve gives uvicorn, as far as granian has them
            return [str(Path(sys.executable).with_name("granian")), "--interface", "asgi", "--host", HOST,
                    "--port", str(self.port), "--workers", str(self.workers), "--no-access-log",
                    "--log-level", "warning", "--http", "1", "--no-ws",
                    "--http1-header-read-timeout", "15000", self.app]
        if self.production:
            self.env.update(JOBNET_HOST=HOST, JOBNET_PORT=str(self.port), JOBNET_WORKERS=str(self.workers))
            return [sys.executable, "-m", "jobnet.serve"]
        return [sys.executable, "-m", "uvicorn", self.app, "--host", HOST, "--port", str(self.port),
                "--workers", str(self.workers), "--log-level", "warning", "--no-access-log"]

    def start(self, ready_path: str, timeout: float = 60.0) -> None:
        fd, name = tempfile.mkstemp(prefix="bench-server-", suffix=".log")
        os.close(fd)
        self.log = Path(name)
        with self.log.open("wb") as log:  # a file, never a pipe: a full pipe would stall the server
            self.proc = subprocess.Popen(self.command(), cwd=ROOT, env={**os.environ, **self.env},
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        ok = 0
        while ok < 2 * self.workers:  # a few answers, so every worker has had time to come up
            if self.proc.poll() is not None:
                err = self.log_tail()
                self.stop()
                raise RuntimeError(f"{self.app} exited with {self.proc.returncode}: {err[-2000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.app} did not answer on {self.base} within {timeout:.0f} s")
            try:
                if httpx.get(self.base + ready_path, timeout=2).status_code < 500:
                    ok += 1
                    continue
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.2)
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def worker_pids(self) -> list[int]:
        """The worker processes (uvicorn's spawned children), not multiprocessing helpers."""
        if self.proc is None:
            return []
        kids = _children(self.proc.pid)
        workers = [p for p in kids if "resource_tracker" not in _cmdline(p)]
        return workers if self.workers > 1 else [self.proc.pid]

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.2)

    def sample(self) -> None:
        for pid in self.worker_pids():
            rss = max(_status_kb(pid, "VmRSS"), _status_kb(pid, "VmHWM"))
            self.peak_rss_kb[pid] = max(self.peak_rss_kb.get(pid, 0), rss)

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers together."""
        pids = set(self.worker_pids()) | ({self.proc.pid} if self.proc else set())
        return sum(cpu_seconds(p) for p in pids)

    def memory(self) -> dict[str, float]:
        """Peak resident memory per worker (MB): the maximum over samples and the kernel's VmHWM."""
        self.sample()
        peaks = [kb / 1024 for kb in self.peak_rss_kb.values()]
        return {"workers": len(peaks), "peak_rss_mb_max": round(max(peaks, default=0.0), 1),
                "peak_rss_mb_sum": round(sum(peaks), 1)}

    def stop(self) -> None:
        try:
            self._terminate()
        finally:
            if self.log is not None and self.log.exists():  # keep the tail, drop the file
                self.tail = self.log.read_text(errors="replace")[-8000:]
                self.log.unlink()

    def _terminate(self) -> None:
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join(timeout=2)
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for pid in self.worker_pids():
                with suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's output (stdout and stderr)."""
        if self.log is not None and self.log.exists():
            return self.log.read_text(errors="replace")[-chars:]
        return self.tail[-chars:]


@contextmanager
def running(app: str, env: dict[str, str], workers: int = 2, ready_path: str = "/v1/openapi.json") -> Iterator[Server]:
    server = Server(app=app, workers=workers, env=env)
    server.start(ready_path)
    try:
        yield server
    finally:
        server.stop()


# The conditions of the first measurement (issue 5): no caller authentication and no write limits
# (both came later); the driver sends no tokens, and its booking phase writes far more than one
# client's limit on purpose.
UNGUARDED = {"JOBNET_AUTH": "off", "JOBNET_RATE_CLIENT": "off", "JOBNET_RATE_CITIZEN": "off"}


def jobnet_server(db: Path, workers: int = 2) -> Server:
    """The production command: ``python -m jobnet.serve`` with JOBNET_DB, a worker per core."""
    return Server(app="jobnet.asgi:app", workers=workers, production=True,
                  env={"JOBNET_DB": str(db), "JOBNET_VALIDATE_RESPONSES": "0", **UNGUARDED})


def bare_server(payload: Path, workers: int = 2, server: str = "uvicorn") -> Server:
    return Server(app="bench.bare_app:app", workers=workers, env={"BENCH_BARE_PAYLOAD": str(payload)}, server=server)


def granian_server(db: Path, workers: int = 2) -> Server:
    """The service's app (jobnet.asgi:app) under granian, otherwise as ``jobnet_server``."""
    return Server(app="jobnet.asgi:app", workers=workers, server="granian",
                  env={"JOBNET_DB": str(db), "JOBNET_VALIDATE_RESPONSES": "0", **UNGUARDED})
