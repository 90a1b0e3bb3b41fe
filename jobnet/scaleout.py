"""The scaled-out layout on one machine (``make run-pg``): a local PostgreSQL (jobnet.devpg), the
demo data in it, and several instances of the production command on consecutive ports.

    jobnet scaleout --instances 2 --port 8080

The server's files stay in ``--dir`` (default: jobnet-run-pg in the system's temporary folder)
between runs; the demo data are loaded anew each time, as ``make run`` does for SQLite. Ctrl-C
stops the instances, then the server. In production each instance runs ``jobnet serve`` on its own
host with ``JOBNET_DB=postgresql://…`` and a reverse proxy in front (deploy/nginx.conf).
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from jobnet.devpg import Cluster


def wait_ready(base: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Until ``base``/health/ready answers 200; RuntimeError if ``proc`` ends or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the instance on {base} ended with {proc.returncode}")
        time.sleep(0.2)
    raise RuntimeError(f"the instance on {base} did not become ready")


def start_instances(url: str, host: str, ports: list[int], env: dict[str, str] | None = None,
                    ) -> list[subprocess.Popen[bytes]]:
    """One ``jobnet serve`` (python -m jobnet.serve) per port on the database ``url``, each ready."""
    procs = []
    for port in ports:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "jobnet.serve"],
            env={**os.environ, **(env or {}), "JOBNET_DB": url, "JOBNET_HOST": host, "JOBNET_PORT": str(port)}))
    for proc, port in zip(procs, ports, strict=True):
        wait_ready(f"http://{host}:{port}", proc)
    return procs


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str] | None = None, prog: str = "python -m jobnet.scaleout") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="the first instance's port; the others follow")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "jobnet-run-pg",
                        help="the PostgreSQL server's files (a directory its user can reach: as root the server runs "
                             "as postgres or nobody, who cannot enter the private var/)")
    parser.add_argument("--planner-client", type=Path, metavar="JSON",
                        help="the demo planner client's credentials (var/auth/planner-client.json)")
    args = parser.parse_args(argv)
    cluster = Cluster(args.dir.resolve())
    cluster.start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        url = cluster.create_database("jobnet")
        first = f"http://{args.host}:{args.port}"
        demo = [sys.executable, "-m", "jobnet.demo", "--db", url, "--reset"]
        if args.planner_client:
            demo += ["--planner-client", str(args.planner_client)]
        subprocess.run(demo, check=True, env={**os.environ, "JOBNET_PUBLIC_URL": first})
        ports = [args.port + i for i in range(args.instances)]
        procs = start_instances(url, args.host, ports, {"JOBNET_PUBLIC_URL": first})
        print(f"PostgreSQL: {url} (files in {args.dir})")
        for port in ports:
            print(f"instance: http://{args.host}:{port}/v1/ui/  (ready: /health/ready)")
        print("Ctrl-C stops the instances and the server")
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 1  # an instance ended by itself
    except KeyboardInterrupt:
        return 0
    finally:
        stop(procs)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
