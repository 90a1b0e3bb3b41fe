"""``python -m jobnet.loader FILE --db PATH``: read the file, load it, say what happened in one line."""
from __future__ import annotations

import argparse
import codecs
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import yaml

from jobnet.errors import LoadError
from jobnet.loader.writer import load
from jobnet.store import Database


def check_file(path: Path) -> None:
    """A missing, unreadable, binary or empty file is a one-line LoadError (read in chunks)."""
    decoder, blank = codecs.getincrementaldecoder("utf-8")(), True
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                if b"\0" in chunk:
                    raise LoadError(f"{path}: not a text file (it holds NUL bytes)")
                blank = blank and not decoder.decode(chunk).strip()
            decoder.decode(b"", final=True)
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise LoadError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read ({exc.strerror})") from None
    if blank:
        raise LoadError(f"{path}: the file is empty")


def read_file(path: str | Path) -> dict[str, Any]:
    """The file's sections, whole in memory (``load`` reads a YAML file as a stream instead)."""
    path = Path(path)
    check_file(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise LoadError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: "
                        + " ".join(str(exc).split())) from None
    if data is None:
        raise LoadError(f"{path}: the file is empty")
    if not isinstance(data, dict):
        raise LoadError(f"{path}: the file must be a mapping of sections")
    return data


class Progress:
    """Records checked and records per second, on one line of a terminal (nothing elsewhere)."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.started, self.shown = out, time.monotonic(), False

    def __call__(self, records: int) -> None:
        seconds = max(time.monotonic() - self.started, 1e-6)
        self.out.write(f"\r{records:,} records checked, {records / seconds:,.0f} records/s")
        self.out.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            self.out.write("\n")


def main(argv: list[str] | None = None, prog: str = "python -m jobnet.loader") -> int:
    parser = argparse.ArgumentParser(prog=prog,
                                     description="Load a data file (docs/datafile.md) into the database.")
    parser.add_argument("file", help="data file (.yaml, .yml or .json)")
    parser.add_argument("--db", required=True,
                        help="the database: an SQLite file (created if missing) or a postgresql:// URL")
    args = parser.parse_args(argv)
    from jobnet.config import Settings

    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    db = Database(args.db, sealer=Settings.from_env().sealer())
    try:
        check_file(Path(args.file))
        db.migrate()
        counts = load(db, Path(args.file), progress)
    except LoadError as exc:
        if progress is not None:
            progress.end()
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    if progress is not None:
        progress.end()
    print(", ".join(f"{name}: {n}" for name, n in counts.items()))
    return 0
