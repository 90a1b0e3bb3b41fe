"""A YAML data file is read as a stream (jobnet.loader.source): loading it gives exactly what loading
the same sections from memory gives, in any section order, with anchors, and refuses the same way."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from jobnet.errors import LoadError
from jobnet.loader import load
from jobnet.store import Database
from tests.support.clock import TODAY
from tests.support.store import SEALER, clock, db  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    tables = [r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name != 'audit' ORDER BY name")]
    dump = {t: db.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    dump["audit"] = db.conn.execute("SELECT action, entity, entity_id, actor, detail FROM audit ORDER BY id").fetchall()
    return dump


def _fresh(tmp_path: Path, name: str, clock: Any) -> Database:
    database = Database(tmp_path / f"{name}.db", clock=clock, sealer=SEALER)
    database.migrate()
    return database


@pytest.mark.parametrize("reorder", [False, True])
def test_a_streamed_file_loads_exactly_as_the_same_sections_in_memory(tmp_path: Path, clock: Any,
                                                                      reorder: bool) -> None:
    data = yaml.safe_load((ROOT / "examples" / "datafile.yaml").read_text(encoding="utf-8"))
    for i, record in enumerate(data["tilmeldinger"] + data["frister"]):  # ids, not random ones, to compare
        record["id"] = f"5e5e5e5e-0000-4000-8000-{i:012d}"
    if reorder:  # the loader's order is not the file's: frister first, jobcentre last
        data = {k: data[k] for k in ("frister", "bookinger", "borgere", "tilmeldinger", "moedetilbud",
                                     "sagsbehandlere", "jobcentre")}
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    streamed, whole = _fresh(tmp_path, "streamed", clock), _fresh(tmp_path, "whole", clock)
    assert load(streamed, path) == load(whole, data)
    assert _dump(streamed) == _dump(whole)


def test_anchors_aliases_and_yaml_scalars_are_read_as_safe_load_reads_them(tmp_path: Path, db: Database) -> None:
    frist, sidste = TODAY + dt.timedelta(days=45), TODAY + dt.timedelta(days=59)  # plain YAML dates, unquoted
    path = tmp_path / "data.yaml"
    path.write_text('''
jobcentre:
  - &centre {kode: "50505", navn: Jobcenter Eksempelby, planner: null, telefon: "70505050"}
borgere:
  - {cpr: "0505051234", jobcenter: "50505", kontaktgruppe: 1, levende: yes, udlandet: false}
  - {cpr: "0505051235", jobcenter: "50505", kontaktgruppe: 0x1, klientkategori: 1}
frister:
  - {cpr: "0505051234", samtaletype: 7, fristdato: FRIST, sidste_afholdelsesdato: SIDSTE}
'''.replace("FRIST", frist.isoformat()).replace("SIDSTE", sidste.isoformat()), encoding="utf-8")
    assert load(db, path)["borgere"] == 2
    with db.read() as tx:
        assert tx.borgere.get("0505051235").kontaktgruppe == 1 and tx.borgere.get("0505051234").levende is True
        assert tx.frister.for_borger("0505051234")[0].fristdato == frist


@pytest.mark.parametrize("text, says", [
    ("jobcentre: {kode: '50505'}\n", "jobcentre: must be a list"),
    ("naboer: []\n", "naboer: unknown section"),
    ("borgere:\n  - {cpr: '0505051234', ukendt: 1}\n", "borgere[0].ukendt: unknown field"),
    ("borgere:\n  - *nothing\n", "not valid YAML"),
    ("borgere: [\n", "not valid YAML"),
])
def test_a_streamed_file_is_refused_as_a_whole_one(tmp_path: Path, db: Database, text: str, says: str) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=re.escape(says)):
        load(db, path)
    assert db.conn.execute("SELECT count(*) FROM borgere").fetchone() == (0,)
