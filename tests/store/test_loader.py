"""The data-file loader: whole-file validation, one transaction, planner bookings, CLI."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from jobnet.domain import Bookingoenske, BookingState, BorgerKontekst
from jobnet.errors import LoadError, PlannerError
from jobnet.loader import load, main
from jobnet.planner.embedded import EmbeddedPlanner
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database
from tests.support.clock import weekday
from tests.support.store import NOW, clock, db

__all__ = ["clock", "db"]  # fixtures
ROOT = Path(__file__).resolve().parents[2]

IND = "20000000-0000-4000-8000-000000000001"
FAELLES = "20000000-0000-4000-8000-000000000002"
B1 = "30000000-0000-4000-8000-000000000001"
B2 = "30000000-0000-4000-8000-000000000002"
B3 = "30000000-0000-4000-8000-000000000003"


# The file's calendar, by weekday around START (Tuesday 1 December 2026, 09:00; CET, UTC+1): the joint
# meetings on the Wednesdays of START's week and the next, the bookings in the next weeks.
ONSDAG, TORSDAG = weekday(3), weekday(4)  # this week: tomorrow and the day after
UGE = dt.timedelta(weeks=1)


def day(isoweekday: int, weeks: int = 0) -> str:
    """A date of the file: YYYY-MM-DD."""
    return weekday(isoweekday, weeks).isoformat()


def local(on: dt.date, hour: int, minute: int = 0, offset: str = "+01:00") -> str:
    """A date-time of the file: Copenhagen wall time in winter (CET), with its offset."""
    return f"{on.isoformat()}T{hour:02d}:{minute:02d}:00{offset}"


def utc(on: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(on, dt.time(hour, minute), dt.UTC)


def data() -> dict[str, Any]:
    return {
        "jobcentre": [
            {"kode": "10101", "navn": "Jobcenter Test", "planner": "embedded"},
            {"kode": "20202", "navn": "Jobcenter Uden", "planner": None},
        ],
        "sagsbehandlere": [
            {"eksternt_id": "RID-A", "jobcenter": "10101", "fornavn": "Anne", "efternavn": "Jensen"},
            {"eksternt_id": "RID-B", "jobcenter": "10101", "fornavn": "Bo", "efternavn": "Nielsen",
             "arbejdsdage": [1, 2, 3], "arbejdstid_fra": "08:00", "arbejdstid_til": "12:00"},
        ],
        "moedetilbud": [
            {"moedetilbud_id": IND, "jobcenter": "10101", "samtaletype": 7, "samtaleformer": [1, 2],
             "varighed_minutter": 45, "moedetitel": "Jobsamtale", "sagsbehandler_kan_vaelges": True,
             "telefonnummer": "70101010", "sagsbehandlere": ["RID-A", "RID-B"],
             "moedested": {"beskrivelse": "Reception", "adresse": {"vejnavn": "Torvet", "husnummer": "1",
                                                                   "postnummer": "9999", "bynavn": "By"}}},
            {"moedetilbud_id": FAELLES, "jobcenter": "10101", "samtaletype": 9, "moedeform": 2,
             "samtaleformer": [1], "varighed_minutter": 90, "moedetitel": "Informationsmøde",
             "sagsbehandlere": ["RID-B"],
             "moedetider": [{"start": local(ONSDAG, 10), "antal_pladser": 3},
                            {"start": local(ONSDAG + UGE, 10), "antal_pladser": 5, "ledige_pladser": 1}]},
        ],
        "borgere": [
            {"cpr": "0101901234", "jobcenter": "10101", "kontaktgruppe": 1, "klientkategori": 1},
            {"cpr": "0505701678", "jobcenter": "20202", "kontaktgruppe": 1, "klientkategori": 1},
            {"cpr": "0808553901", "jobcenter": None, "fravaer": "blocks_enrollment"},
        ],
        "tilmeldinger": [{"cpr": "0101901234", "startdato": day(7, -5), "klientkategori": 1, "ledighedsgrad": 1}],
        "frister": [{"cpr": "0101901234", "samtaletype": 7, "fristdato": day(1, 1),
                     "sidste_afholdelsesdato": day(1, 3), "indfriet_af": B1}],
        "bookinger": [
            {"indkaldelse_id": B1, "cpr": "0101901234", "moedetilbud_id": IND,
             "moede_start": local(weekday(2, 1), 10, 30), "sagsbehandler": "RID-A", "samtaleform": 2,
             "selvbooket": False, "borger_skal_acceptere": True},
            {"indkaldelse_id": B2, "cpr": "0101901234", "moedetilbud_id": FAELLES,
             "moede_start": local(ONSDAG, 10), "sagsbehandler": "RID-B"},
            {"indkaldelse_id": B3, "cpr": "0505701678", "jobcenter": "20202", "samtaletype": 4, "moedeform": 1,
             "moedetitel": "Opfølgning", "samtaleform": 1, "moede_start": local(weekday(4, 1), 9),
             "sagsbehandler": {"eksternt_id": "RID-Q", "fornavn": "Quinn", "efternavn": "Q"},
             "aflysning_mulig": True, "aflysningsfrist": local(weekday(3, 1), 9)},
        ],
    }


def count(database: Database, table: str) -> int:
    return database.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_valid_file_is_loaded(db: Database) -> None:
    counts = load(db, data())
    assert counts == {"jobcentre": 2, "sagsbehandlere": 2, "moedetilbud": 2, "moedetider": 2, "borgere": 3,
                      "tilmeldinger": 1, "frister": 1, "bookinger": 3}
    with db.read() as tx:
        summons = tx.bookinger.get(B1)
        assert summons is not None and not summons.selvbooket and not summons.accepteret
        assert summons.borger_skal_acceptere and summons.oprettet_af == "jobcenter"
        assert summons.moede_slut - summons.moede_start == dt.timedelta(minutes=45)
        assert summons.ombookingsfrist == summons.moede_start - dt.timedelta(hours=24)
        assert summons.moedested is not None and summons.moedested.adresse.bynavn == "By"
        assert summons.kontakt.telefonnummer == "70101010"
        other = tx.bookinger.get(B3)
        assert other.aflysning_mulig and other.ombooking_mulig is False and other.indkalder.organisationstype == 2
        [frist] = tx.frister.for_borger("0101901234")
        assert frist.indfriet_af == B1
        assert tx.borgere.get("0808553901").jobcenter_kode is None
        repo = PlannerRepo.of(tx)
        assert repo.session_at(FAELLES, utc(ONSDAG, 9)).ledige_pladser == 2
        assert repo.session_at(FAELLES, utc(ONSDAG + UGE, 9)).ledige_pladser == 1
        assert repo.booking(B3) is None  # not an embedded job centre
        assert repo.sagsbehandler_by_rid("RID-B").arbejdsdage == (1, 2, 3)
    assert db.conn.execute("SELECT DISTINCT actor FROM audit").fetchall() == [("loader",)]


def test_loaded_bookings_can_be_moved_and_cancelled_at_the_planner(db: Database, clock: Any) -> None:
    load(db, data())
    planner = EmbeddedPlanner(db, clock)
    borger = BorgerKontekst("0101901234", "10101", 1, 1)
    new = utc(weekday(2, 1), 10, 15)  # 11:15 local
    moved = planner.reschedule_booking(borger, B1, Bookingoenske(new))
    assert moved.moede_start == new and moved.state is BookingState.RESCHEDULED and not moved.selvbooket
    planner.cancel_booking(borger, B2)
    with db.read() as tx:
        assert PlannerRepo.of(tx).session_at(FAELLES, utc(ONSDAG, 9)).ledige_pladser == 3


def patch(path: str, value: Any) -> dict[str, Any]:
    """data() with one field set (value None deletes it); path like 'moedetilbud.0.varighed_minutter'."""
    d = copy.deepcopy(data())
    *parents, last = path.split(".")
    node: Any = d
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is None:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return d


@pytest.mark.parametrize("path, value, message", [
    ("moedetilbud.1.varighed_minutter", 0, "moedetilbud[1].varighed_minutter: must be a positive integer"),
    ("moedetilbud.0.varighed_minutter", "45", "moedetilbud[0].varighed_minutter: must be a positive integer"),
    ("borgere.2.cpr", "08085539", "borgere[2].cpr: must be a CPR number of 10 digits"),
    ("jobcentre.0.kode", 10101, "jobcentre[0].kode: must be a job centre code of 5 digits"),
    ("jobcentre.1.planner", "rest", "jobcentre[1].planner: must be one of embedded, soap"),
    ("moedetilbud.0.moedetilbud_id", "not-a-guid", "moedetilbud[0].moedetilbud_id: must be a guid"),
    ("moedetilbud.0.sagsbehandlere", ["RID-Z"], "moedetilbud[0].sagsbehandlere[0]: unknown caseworker RID-Z"),
    ("moedetilbud.0.moedested.adresse.postnummer", "99", "moedetilbud[0].moedested.adresse.postnummer: must be"),
    ("moedetilbud.1.moedetider", None, "moedetilbud[1].moedetider: a joint meeting needs at least one session"),
    ("moedetilbud.1.moedetider.0.ledige_pladser", 4, "moedetilbud[1].moedetider[0].ledige_pladser: must be"),
    ("moedetilbud.1.ombooking_mulig", "ja", "moedetilbud[1].ombooking_mulig: must be true or false"),
    ("moedetilbud.0.samtaleformer", [1, 8], "moedetilbud[0].digitalt_moedelink: is required"),
    ("sagsbehandlere.1.arbejdstid_til", "07:00", "sagsbehandlere[1].arbejdstid_til: must be after"),
    ("sagsbehandlere.1.arbejdstid_fra", "8:00", 'sagsbehandlere[1].arbejdstid_fra: must be a clock time "HH:MM"'),
    ("sagsbehandlere.1.eksternt_id", "RID-A", "sagsbehandlere[1].eksternt_id: RID-A appears twice in the file"),
    ("borgere.0.jobcenter", "30303", "borgere[0].jobcenter: unknown job centre 30303"),
    ("borgere.0.levende", "yes", "borgere[0].levende: must be true or false"),
    ("borgere.0.kontaktgrupe", 1, "borgere[0].kontaktgrupe: unknown field"),
    ("tilmeldinger.0.cpr", "0909951234", "tilmeldinger[0].cpr: unknown citizen"),
    ("tilmeldinger.0.startdato", "1. marts", "tilmeldinger[0].startdato: must be a date YYYY-MM-DD"),
    ("frister.0.sidste_afholdelsesdato", day(7, -1), "frister[0].sidste_afholdelsesdato: must not be before"),
    ("frister.0.indfriet_af", B1.replace("1", "9"), "frister[0].indfriet_af: unknown booking"),
    ("bookinger.0.moede_start", local(weekday(2, 1), 10, 30, offset=""), "bookinger[0].moede_start: must be an ISO-8601 date-time"),
    ("bookinger.0.sagsbehandler", "RID-Z", "bookinger[0].sagsbehandler: unknown caseworker RID-Z"),
    ("bookinger.0.moedetilbud_id", None, "bookinger[0].moedetilbud_id: a booking of an embedded job centre"),
    ("bookinger.0.samtaleform", 8, "bookinger[0].samtaleform: is not offered by the offer"),
    ("bookinger.1.moede_start", local(TORSDAG, 10), "bookinger[1].moede_start: the joint offer has no"),
    ("bookinger.1.cpr", "0101901234x", "bookinger[1].cpr: must be a CPR number"),
    ("bookinger.2.samtaletype", None, "bookinger[2].samtaletype: is required"),
    ("bookinger.2.aflysning_mulig", False, "bookinger[2].aflysningsfrist: must be absent"),
    ("bookinger.2.ombooking_mulig", True, "bookinger[2].ombookingsfrist: is required when ombooking_mulig"),
    ("bookinger.2.aflysningsfrist", local(weekday(5, 1), 9), "bookinger[2].aflysningsfrist: must not be after"),
    ("bookinger.2.moede_slut", local(weekday(4, 1), 8), "bookinger[2].moede_slut: must not be before"),
])
def test_a_bad_record_refuses_the_whole_file(db: Database, path: str, value: Any, message: str) -> None:
    with pytest.raises(LoadError) as info:
        load(db, patch(path, value))
    assert str(info.value).startswith(message), str(info.value)
    for table in ("jobcentre", "borgere", "bookinger", "planner_moedetilbud", "planner_bookinger", "audit"):
        assert count(db, table) == 0


def test_types_17_and_18_cannot_be_rebooked(db: Database) -> None:
    d = patch("moedetilbud.0.ombooking_mulig", True)
    d["moedetilbud"][0]["samtaletype"] = 18
    with pytest.raises(LoadError, match=r"^moedetilbud\[0\].ombooking_mulig: must be false for samtaletype 17"):
        load(db, d)
    assert load(db, patch("moedetilbud.0.samtaletype", 17))["moedetilbud"] == 2  # the default follows the rule
    with db.read() as tx:
        assert tx.bookinger.get(B1).ombooking_mulig is False


def test_two_bookings_of_one_caseworker_at_once_are_refused(db: Database) -> None:
    d = data()
    d["bookinger"].append({**d["bookinger"][0], "indkaldelse_id": B1.replace("1", "4")})
    with pytest.raises(LoadError, match=r"bookinger\[3\].moede_start: the caseworker already has bookinger\[0\]"):
        load(db, d)


def test_seats_must_fit_the_bookings(db: Database) -> None:
    d = patch("moedetilbud.1.moedetider.0.ledige_pladser", 3)  # 3 free + 1 booked > 3 seats
    with pytest.raises(LoadError, match=r"bookinger\[1\].moede_start: the session at moedetilbud\[1\]"):
        load(db, d)


def test_a_second_load_of_the_same_rows_is_refused(db: Database) -> None:
    load(db, data())
    before = count(db, "audit")
    with pytest.raises(LoadError, match=r"jobcentre\[0\].kode: 10101 is already in the database"):
        load(db, data())
    assert count(db, "audit") == before


def test_a_later_file_may_refer_to_rows_already_loaded(db: Database) -> None:
    load(db, data())
    more: dict[str, Any] = {
        "borgere": [{"cpr": "0202852345", "jobcenter": "10101", "kontaktgruppe": 1}],
        "bookinger": [{"indkaldelse_id": B1.replace("1", "5"), "cpr": "0202852345", "moedetilbud_id": FAELLES,
                       "moede_start": local(ONSDAG + UGE, 10), "sagsbehandler": "RID-B"}],
    }
    assert load(db, more)["bookinger"] == 1
    with db.read() as tx:
        assert PlannerRepo.of(tx).session_at(FAELLES, utc(ONSDAG + UGE, 9)).ledige_pladser == 0
    full = {"bookinger": [{**more["bookinger"][0], "indkaldelse_id": B1.replace("1", "6")}]}
    with pytest.raises(LoadError, match="no free seat"):
        load(db, full)


@pytest.mark.parametrize("bad, message", [
    ([], "the file must be a mapping"),
    ({"kunder": []}, "kunder: unknown section"),
    ({"borgere": {"cpr": "0101901234"}}, "borgere: must be a list"),
    ({"borgere": ["0101901234"]}, "borgere[0]: must be a mapping"),
])
def test_bad_file_shapes(db: Database, bad: Any, message: str) -> None:
    with pytest.raises(LoadError) as info:
        load(db, bad)
    assert str(info.value).startswith(message)


def test_yaml_dates_and_times_are_accepted(db: Database) -> None:
    startdato, moede_start = day(7, -5), local(weekday(2, 1), 10, 30)  # tilmeldinger[0]'s, bookinger[0]'s
    text = yaml.safe_dump(data(), allow_unicode=True).replace(f"'{startdato}'", startdato)
    parsed = yaml.safe_load(text.replace(f"'{moede_start}'", moede_start))
    assert isinstance(parsed["tilmeldinger"][0]["startdato"], dt.date)
    assert isinstance(parsed["bookinger"][0]["moede_start"], dt.datetime)
    assert load(db, parsed)["bookinger"] == 3


def test_cli_loads_yaml_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data.yaml").write_text(yaml.safe_dump(data(), allow_unicode=True), encoding="utf-8")
    assert main([str(tmp_path / "data.yaml"), "--db", str(tmp_path / "a.db")]) == 0
    assert "bookinger: 3" in capsys.readouterr().out
    (tmp_path / "data.json").write_text(json.dumps(data()), encoding="utf-8")
    assert main([str(tmp_path / "data.json"), "--db", str(tmp_path / "b.db")]) == 0
    assert main([str(tmp_path / "data.json"), "--db", str(tmp_path / "b.db")]) == 1
    assert "refused: jobcentre[0].kode: 10101 is already in the database" in capsys.readouterr().err


def test_the_load_time_is_the_clock(db: Database) -> None:
    load(db, data())
    with db.read() as tx:
        assert tx.bookinger.get(B2).oprettet == NOW


def test_planner_errors_are_untouched_by_loading(db: Database, clock: Any) -> None:
    load(db, data())
    planner = EmbeddedPlanner(db, clock)
    with pytest.raises(PlannerError) as info:
        planner.cancel_booking(BorgerKontekst("0505701678", "20202", 1, 1), B3)
    assert info.value.fejlkode == 4768  # the 20202 booking lives only in the register


# --- issue 5: overlaps found per caseworker, lookups once per file, bulk writes ------------------
def bid(n: int) -> str:
    return f"70000000-0000-4000-8000-{n:012d}"


def individual(n: int, start: str, rid: str = "RID-A", **extra: Any) -> dict[str, Any]:
    return {"indkaldelse_id": bid(n), "cpr": "0101901234", "moedetilbud_id": IND, "moede_start": start,
            "sagsbehandler": rid, "samtaleform": 1, **extra}


def test_the_first_overlapping_booking_of_the_file_is_named(db: Database) -> None:
    """A long booking that overlaps several earlier ones names the first of them in the file, as
    comparing it with every earlier booking would; cancelled, other caseworkers' and touching
    bookings do not count."""
    tirsdag = weekday(2, 2)
    d = data()
    d["bookinger"] = [
        individual(1, local(tirsdag, 11)),
        individual(2, local(tirsdag, 9), state="cancelled"),
        individual(3, local(tirsdag, 9), rid="RID-B"),
        individual(4, local(tirsdag, 9, 45)),
        individual(5, local(tirsdag, 9)),  # ends 09:45 exactly when bookinger[3] begins
        individual(6, local(tirsdag, 8), moede_slut=local(tirsdag, 12)),
    ]
    d["frister"] = []
    with pytest.raises(LoadError, match=r"^bookinger\[5\].moede_start: the caseworker already has bookinger\[0\]"):
        load(db, d)
    d["bookinger"].pop()
    assert load(db, d)["bookinger"] == 5


def test_a_long_booking_in_the_database_blocks_the_file(db: Database) -> None:
    d = data()
    d["bookinger"] = [individual(1, local(weekday(1, 2), 9), moede_slut=local(weekday(5, 2), 15))]  # Monday to Friday
    d["frister"] = []
    load(db, d)
    later = {"bookinger": [individual(2, local(weekday(4, 2), 10, 30))]}
    with pytest.raises(LoadError, match="already has a booking at this time in the database"):
        load(db, later)
    assert load(db, {"bookinger": [individual(3, local(weekday(4, 2), 10, 30), rid="RID-B")]})["bookinger"] == 1


def test_every_loaded_record_has_its_own_audit_row(db: Database) -> None:
    load(db, data())
    rows = db.conn.execute("SELECT entity, count(*) FROM audit GROUP BY entity ORDER BY entity").fetchall()
    assert dict(rows) == {"booking": 3, "borger": 3, "frist": 1, "jobcenter": 2, "planner_booking": 2,
                          "planner_moedetilbud": 5, "planner_sagsbehandler": 2, "planner_session": 2,
                          "tilmelding": 1}  # planner_moedetilbud: 2 offers + 3 caseworker links
    with db.read() as tx:
        [row] = tx.audit.for_entity("booking", B1)
        assert row["detail"]["indkaldelse_id"] == B1 and row["detail"]["sagsbehandler"]["eksternt_id"] == "RID-A"


def test_offers_and_caseworkers_in_the_database_are_read_once_per_file(db: Database,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    load(db, data())
    calls: dict[str, int] = {}
    for name in ("tilbud", "sagsbehandlere_for_tilbud", "sagsbehandler_by_rid"):
        original = getattr(PlannerRepo, name)

        def counted(self: Any, *args: Any, _name: str = name, _original: Any = original) -> Any:
            calls[_name] = calls.get(_name, 0) + 1
            return _original(self, *args)

        monkeypatch.setattr(PlannerRepo, name, counted)
    more = {"bookinger": [individual(10 + i, local(weekday(1 + i, 2), 9)) for i in range(4)]}  # Monday to Thursday
    assert load(db, more)["bookinger"] == 4
    assert calls == {"tilbud": 1, "sagsbehandlere_for_tilbud": 1, "sagsbehandler_by_rid": 1}


# --- issue 13: the published format, one-line refusals, progress ------------------------------


def test_the_example_data_file_loads(db: Database) -> None:
    from jobnet.loader import read_file

    counts = load(db, read_file(ROOT / "examples" / "datafile.yaml"))
    assert counts == {"jobcentre": 1, "sagsbehandlere": 1, "moedetilbud": 2, "moedetider": 2, "borgere": 1,
                      "tilmeldinger": 1, "frister": 1, "bookinger": 1}
    with db.read() as tx:
        assert PlannerRepo.of(tx).session_at("5e5e5e5e-5050-4000-8000-000000000002",
                                             dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC)).ledige_pladser == 19


@pytest.mark.parametrize("content, says", [
    (None, "no such file"), (b"", "the file is empty"), (b"  \n# only a comment\n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"), (b"\xff\xfe j\x00", "not a text file"),
    (b"jobcentre: [\n", "not valid YAML"), (b"- a list\n", "must be a mapping of sections"),
])
def test_a_missing_empty_or_binary_file_is_one_line(tmp_path: Path, content: bytes | None, says: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "data.yaml"
    if content is not None:
        path.write_bytes(content)
    assert main([str(path), "--db", str(tmp_path / "j.db")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("refused: ") and says in err and err.count("\n") == 1, err


def test_progress_is_shown_on_a_terminal_only(tmp_path: Path) -> None:
    import io

    from jobnet.loader.cli import Progress

    out = io.StringIO()
    shown = Progress(out)
    shown(1000)
    shown(2500)
    shown.end()
    assert out.getvalue().startswith("\r1,000 records checked, ") and "\r2,500 records checked, " in out.getvalue()
    assert out.getvalue().endswith(" records/s\n")
    quiet = io.StringIO()
    Progress(quiet).end()  # nothing reported: nothing written
    assert quiet.getvalue() == ""
