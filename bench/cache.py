"""The cache of generated benchmark databases: one file per scale, seed, anchor and schema."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.generate import default_anchor, generate
from bench.population import GENERATOR_VERSION


# --- the cache of generated databases --------------------------------------------------------------
def schema_key() -> str:
    """Changes when the migrations or this generator change, so a stale cache is not reused."""
    from jobnet.store.engine import MIGRATIONS

    h = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    for p in sorted(MIGRATIONS.glob("sqlite/*.sql")):
        h.update(p.name.encode() + p.read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:10]


def cache_path(cache_dir: Path, scale: float, seed: int, anchor: dt.date) -> Path:
    return cache_dir / f"jobnet-s{scale:g}-seed{seed}-{anchor.isoformat()}-{schema_key()}.db"


def cached(cache_dir: Path, scale: float, seed: int, anchor: dt.date | None = None,
           progress: Callable[[str], None] | None = None) -> tuple[Path, dict[str, Any], bool]:
    """The cached database for (scale, seed, anchor week), generated if missing: (path, meta, was_cached)."""
    anchor = anchor or default_anchor()
    path = cache_path(cache_dir, scale, seed, anchor)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text()), True
    tmp = path.with_name(path.name + ".tmp")
    remove_db(tmp)
    meta = generate(tmp, scale, seed, anchor, progress=progress)
    remove_db(tmp, keep_file=True)
    tmp.rename(path)
    meta_path.write_text(json.dumps(meta, indent=2))
    return path, meta, False


def table_digest(db_path: str | Path, tables: tuple[str, ...] = (
        "jobcentre", "borgere", "tilmeldinger", "frister", "bookinger", "planner_sagsbehandlere", "planner_moedetilbud",
        "planner_moedetilbud_sagsbehandlere", "planner_faellesmoeder", "planner_bookinger", "audit")) -> dict[str, str]:
    """A digest of every row of each table, in primary-key order (for the determinism check)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        out = {}
        for table in tables:
            h = hashlib.sha256()
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                h.update(repr(row).encode())
            out[table] = h.hexdigest()
        return out
    finally:
        conn.close()


def remove_db(path: Path, keep_file: bool = False) -> None:
    """A database file (unless ``keep_file``) and the files SQLite and our locks keep beside it."""
    from jobnet.store.locks import LOCK_SUFFIX, MIGRATION_SUFFIX

    for suffix in ("-wal", "-shm", LOCK_SUFFIX, MIGRATION_SUFFIX) + (() if keep_file else ("",)):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
