"""A throwaway PostgreSQL server on 127.0.0.1: for the tests, a local scaled-out demo and the bench.

    with Cluster(Path("/tmp/pg")) as pg:      # initdb, start on a free port (trust auth, loopback only)
        url = pg.create_database("jobnet")    # postgresql://jobnet@127.0.0.1:<port>/jobnet

The server binaries are the first found of: ``JOBNET_PG_BIN`` (a directory), the machine's
(``initdb`` on PATH, else the newest ``/usr/lib/postgresql/<version>/bin``), and the ones the
``pgserver`` package from PyPI bundles, so nothing needs to be installed by hand. PostgreSQL refuses
to run as root: as root, the server runs as the ``postgres`` user where there is one, else as
``nobody``, so ``directory`` must be one that user can reach (``Cluster.temporary()`` makes one).
Its data directory, socket and log live in ``directory``; ``stop`` leaves them, ``destroy`` removes
them. Durability is switched off (fsync): this server is for throwaway data.
"""
from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from jobnet.errors import PostgresUnavailable

SUPERUSER = "jobnet"


def binaries(configured: Path | None = None) -> Path:
    """The directory with ``initdb``, ``pg_ctl`` and ``postgres`` (``configured``: Settings.pg_bin)."""
    candidates: list[Path] = [configured] if configured is not None else []
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name), reverse=True)
    candidates += debian
    try:
        import pgserver  # PostgreSQL's binaries as a wheel

        candidates.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    for directory in candidates:
        if all((directory / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return directory
    raise PostgresUnavailable("no PostgreSQL server binaries: install Debian's postgresql or `pip install pgserver`, "
                              "or set JOBNET_PG_BIN")


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    directory: Path
    port: int = field(default_factory=free_port)
    bin: Path = field(default_factory=binaries)
    settings: dict[str, str] = field(default_factory=lambda: {"fsync": "off", "synchronous_commit": "off",
                                                              "full_page_writes": "off", "max_connections": "200"})

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> Cluster:
        self.bin = self._reachable(self.bin)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._own(self.directory)
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
                      "--no-sync", "--locale", "C")
        options = " ".join([f"-p {self.port}", f"-k {self.directory}", "-c listen_addresses=127.0.0.1",
                            *(f"-c {k}={v}" for k, v in self.settings.items())])
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "server.log"),
                  "-w", "-t", "60", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """``mode``: fast (roll back and disconnect), immediate (as if the machine lost power)."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def restart(self, mode: str = "fast", down_seconds: float = 0.0) -> None:
        """Stop, stay down ``down_seconds``, start again on the same port."""
        self.stop(mode)
        time.sleep(down_seconds)
        self.start()

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, name: str) -> str:
        """A new, empty database (dropped first if it exists); returns its URL."""
        for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
            self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-d", "postgres",
                      "-v", "ON_ERROR_STOP=1", "-q", "-c", sql)
        return self.url(name)

    @classmethod
    def temporary(cls, prefix: str = "jobnet-pg-") -> Cluster:
        """A cluster in a new directory of the system's temporary folder (a directory the server's
        user can reach: pytest's own temporary folders are private to root)."""
        return cls(Path(tempfile.mkdtemp(prefix=prefix)))

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # --- running the tools (as a user other than root) ------------------------------------
    def _account(self) -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise PostgresUnavailable("running as root, and neither a postgres nor a nobody user to run PostgreSQL as")

    def _reachable(self, directory: Path) -> Path:
        """``directory`` if the server's user can reach it, else a copy of its installation in the
        system's temporary folder (as root, binaries under a private folder, e.g. PyPI's pgserver in
        a virtualenv of a clone in a ``mktemp -d`` directory, cannot be run as postgres or nobody)."""
        if self._account() is None or all(p.stat().st_mode & 0o001 for p in [directory, *directory.parents]):
            return directory
        install = directory.parent  # pginstall/: bin/, lib/, share/
        base = install.parent.parent  # pgserver's wheel: site-packages/pgserver/pginstall, its libraries in
        inside = install.relative_to(base)  # site-packages/pgserver.libs ($ORIGIN/../../../pgserver.libs)
        server = (directory / "postgres").stat()  # one copy per build of the server, wherever it lies
        digest = hashlib.sha256(f"{server.st_size}:{server.st_mtime_ns}".encode()).hexdigest()[:12]
        copy = Path(tempfile.gettempdir()) / f"jobnet-pgbin-{digest}"
        if not (copy / inside / directory.name / "postgres").exists():
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(install, copy / inside, symlinks=True)
            for libs in base.glob("*.libs"):
                shutil.copytree(libs, copy / libs.name, symlinks=True)
            for path in [copy, *copy.rglob("*")]:
                if not path.is_symlink():
                    path.chmod(path.stat().st_mode | 0o005)  # others may read and run (enter) it
        return copy / inside / directory.name

    def _own(self, path: Path) -> None:
        account = self._account()
        if account is not None:
            os.chown(path, account.pw_uid, account.pw_gid)

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        account = self._account()
        program = self.bin / tool if (self.bin / tool).exists() else Path(shutil.which(tool) or tool)

        def drop() -> None:
            if account is not None:
                os.setgid(account.pw_gid)
                os.setuid(account.pw_uid)

        done = subprocess.run([str(program), *args], capture_output=True, text=True, preexec_fn=drop, check=False,
                              cwd=self.directory, env={**os.environ, "LC_ALL": "C"})
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
        return done
