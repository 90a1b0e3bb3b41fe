"""Profile a server worker under load with py-spy (``--gil``: only the thread that holds the GIL is
sampled, so the figures are on-CPU Python time, not threads waiting) and summarise where the time
goes: the project's own functions (inclusive and self) and the libraries.

Without py-spy (or without permission to attach), ``available()`` is False and the caller skips it.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

OWN = ("jobnet/", "handlers/", "generated/")
LIBRARIES = {
    "pydantic (models)": ("pydantic/",),
    "connexion / starlette / flask / werkzeug / a2wsgi / uvicorn": (
        "connexion/", "starlette/", "flask/", "werkzeug/", "a2wsgi/", "uvicorn/", "anyio/", "jsonschema"),
    "json": ("json/",),
    "zoneinfo / datetime": ("zoneinfo", "_strptime", "datetime"),
    "sqlite3 (SQL)": ("sqlite3",),
}


# The edge middleware measured on its own (issue 14): its frames, and what it calls itself (logging,
# the metrics, the standard library), but not the app below it nor the server's send and receive.
EDGE = {"size guard": "jobnet/edge/guards.py", "access log": "jobnet/edge/accesslog.py",
        "privacy headers": "jobnet/edge/headers.py"}
EDGE_HELPERS = ("jobnet/logs.py", "jobnet/metrics.py")  # what the access log calls (not MetricsEndpoint)
DOWNSTREAM = ("connexion/", "starlette/", "flask/", "werkzeug/", "a2wsgi/", "uvicorn/", "granian/", "anyio/",
              "MetricsEndpoint")
REQUEST_THREAD = ("generated/routes.py",)  # a thread in an operation (not recovery, not an idle pool thread)


def edge_owner(frames: list[str]) -> str | None:
    """The edge middleware a sample's time belongs to: the innermost edge frame, if nothing below
    it is the app or the server (time spent there is theirs, however deep under the edge)."""
    k = next((i for i in range(len(frames) - 1, -1, -1) if any(m in frames[i] for m in EDGE.values())), None)
    if k is None:
        return None
    for f in frames[k + 1:]:
        if any(d in f for d in DOWNSTREAM):
            return None
        if any(o in f for o in OWN) and not any(h in f for h in EDGE_HELPERS) \
                and not any(m in f for m in EDGE.values()):
            return None
    return next(name for name, m in EDGE.items() if m in frames[k])


def py_spy() -> str | None:
    here = Path(sys.executable).with_name("py-spy")
    return str(here) if here.exists() else shutil.which("py-spy")


def start(pid: int, seconds: float, out: Path, rate: int = 250, gil: bool = True) -> subprocess.Popen[bytes] | None:
    """``gil``: on-CPU Python time only; otherwise wall-clock time of every thread, waits included (--idle)."""
    exe = py_spy()
    if exe is None:
        return None
    mode = ["--gil"] if gil else ["--idle"]
    return subprocess.Popen([exe, "record", "--pid", str(pid), "--duration", str(max(1, int(seconds))),
                             "--rate", str(rate), "--format", "raw", "--output", str(out), "--nonblocking", *mode],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(proc: subprocess.Popen[bytes] | None, timeout: float = 60) -> str:
    if proc is None:
        return "py-spy not installed"
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.decode(errors="replace")


def _short(frame: str) -> str:
    """'func (path/to/file.py:12)' → 'func (file.py:12)' keeping the project's folder."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for own in OWN:
        if own in where:
            where = own + where.split(own, 1)[1]
            break
    else:
        where = where.rsplit("/", 2)[-2] + "/" + where.rsplit("/", 1)[-1] if "/" in where else where
    return f"{name} ({where})"


def _function(frame: str) -> str:
    """A frame without its line number, so one function's lines count together."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})"


def summarize(raw: Path, top: int = 25, requests_only: bool = False) -> dict[str, object]:
    """Shares of the samples; ``requests_only`` keeps only the stacks of threads in an operation (a
    wall-clock profile with --idle also samples idle pool threads and the recovery thread's wait,
    which is counted apart: ``recovery_samples``). ``edge``: the share of each edge middleware's own
    time (``edge_owner``)."""
    inclusive: Counter[str] = Counter()
    own_self: Counter[str] = Counter()
    libs: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    edge: Counter[str] = Counter()
    recovery = 0
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, n_text = line.rpartition(" ")
        if not stack or not n_text.isdigit():
            continue
        n = int(n_text)
        if "jobnet/recovery.py" in stack:
            recovery += n
        if requests_only and not any(o in stack for o in REQUEST_THREAD):
            continue
        total += n
        raw_frames = stack.split(";")
        owner = edge_owner(raw_frames)
        if owner is not None:
            edge[owner] += n
        own_line = next((f for f in reversed(raw_frames) if any(o in f for o in OWN)), None)
        if own_line is not None:
            lines[own_line] += n
        frames = [_function(f) for f in raw_frames]
        for f in set(frames):
            if any(o in f for o in OWN):
                inclusive[f] += n
        leaf = frames[-1]
        own_leaf = next((f for f in reversed(frames) if any(o in f for o in OWN)), None)
        lib = next((name for name, keys in LIBRARIES.items() if any(k in leaf for k in keys)), None)
        if lib is None and any(o in leaf for o in OWN):
            lib = "project code (self time)"
        libs[lib or "other (interpreter, stdlib)"] += n
        if own_leaf is not None:
            own_self[own_leaf] += n  # time of a library call counted at the project function that made it
    pct = (lambda n: round(100.0 * n / total, 1)) if total else (lambda n: 0.0)
    return {
        "samples": total,
        "inclusive": [(_short(f), pct(n)) for f, n in inclusive.most_common(top)],
        "self_incl_calls": [(_short(f), pct(n)) for f, n in own_self.most_common(top)],
        "by_library": [(k, pct(n)) for k, n in libs.most_common()],
        "hot_lines": [(_short(f), pct(n)) for f, n in lines.most_common(top)],
        "edge": {name: pct(edge[name]) for name in EDGE},
        "recovery_samples": recovery,
    }


def render(title: str, summary: dict[str, Any], mode: str = "py-spy --gil (on-CPU)") -> str:
    lines = [f"# {title}", "", f"{mode} samples: {summary['samples']}", "",
             "## Where the time goes (leaf frame's library)", ""]
    lines += [f"{p:5.1f} %  {k}" for k, p in summary["by_library"]]
    lines += ["", "## Edge middleware, own time (its frames and what it calls, not the app below it)", ""]
    lines += [f"{p:5.1f} %  {k}" for k, p in summary.get("edge", {}).items()]
    lines += ["", "## Project functions, inclusive", ""]
    lines += [f"{p:5.1f} %  {k}" for k, p in summary["inclusive"]]
    lines += ["", "## Project functions, own time plus the library calls they make directly", ""]
    lines += [f"{p:5.1f} %  {k}" for k, p in summary["self_incl_calls"]]
    lines += ["", "## Innermost project lines (a library or C call made there counts here)", ""]
    lines += [f"{p:5.1f} %  {k}" for k, p in summary["hot_lines"]]
    return "\n".join(lines) + "\n"
