"""The required boolean of the booking details that STAR's table leaves without name or description (after
MeetingDescription, before InterviewSupervisor; seed lines 422-425, and in StraksbookOgTilmeld's answer after
"Mødeinformation"), carried as the marked proposal erGruppemoede / IsGroupMeeting (domain.md §8 Q9):

- in both contracts, required, between moedebeskrivelse and afholdendeSagsbehandler, x-kilde forslag;
- the embedded planner sets it for a joint meeting; the register stores it (migration 0009 sets it for
  the bookings registered before from their meeting form); the answers show it;
- a remote planner's value is carried as given, and an answer without it breaks the contract (9329).
"""
from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from jobnet.clock import FixedClock
from jobnet.demo import TILBUD_INFOMOEDE, TILBUD_JOBSAMTALE
from jobnet.errors import ConstraintViolation
from jobnet.loader import load
from jobnet.planner.soap import contract
from jobnet.specfiles import SPECS
from jobnet.store import Database
from jobnet.store.engine import MIGRATIONS
from tests.support.api import fejl
from tests.support.backends import selected
from tests.support.clock import at
from tests.support.soap import (
    FakePlanner,
    Rig,
    fake,  # noqa: F401  (the fixture)
    fjernplan,
    rig,
    tamper,
)
from tests.support.store import NOW, OLD_DFDG, booking, migrated_until, seed_dfdg

BORGER = "0101901234"


def test_both_contracts_have_it_as_a_marked_proposal() -> None:
    spec = yaml.safe_load((SPECS / "openapi.yaml").read_text(encoding="utf-8"))
    detaljer = spec["components"]["schemas"]["BookingDetaljer"]
    names = list(detaljer["properties"])
    assert names[names.index("moedebeskrivelse") + 1: names.index("afholdendeSagsbehandler")] == ["erGruppemoede"]
    prop = detaljer["properties"]["erGruppemoede"]
    assert (prop["type"], prop["xml"]["name"], prop["x-kilde"]) == ("boolean", "IsGroupMeeting", "forslag")
    assert "erGruppemoede" in detaljer["required"] and "Kilde: forslag — " in prop["description"]
    xsd = etree.parse(str(SPECS / "jobnet-booking.xsd"))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    elements = xsd.xpath("//xs:complexType[@name='JobnetBookingDetailsType']/xs:sequence/xs:element", namespaces=ns)
    names = [e.get("name") for e in elements]
    at_ = names.index("IsGroupMeeting")
    assert names[at_ - 1: at_ + 2] == ["MeetingDescription", "IsGroupMeeting", "InterviewSupervisor"]
    assert elements[at_].get("type") == "xs:boolean" and elements[at_].get("minOccurs") is None


def _book(api: Any, tilbud: str, start: str, cpr: str = BORGER) -> Any:
    return api.post(f"/selvbooking/moedetilbud/{tilbud}/booking", cpr,
                    json={"moedeStarttidspunkt": start, "samtaleformType": 1})


def test_a_joint_meeting_is_a_group_meeting_and_an_individual_one_is_not(api: Any, demo: Any) -> None:
    joint = _book(api, TILBUD_INFOMOEDE, api.get(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/moedetider", BORGER,
                                                 params={"startMoedetidsinterval": at(0, 10),
                                                         "slutMoedetidsinterval": at(30, 0)}
                                                 ).json()["moedetidSamling"][0]["starttidspunkt"])
    assert joint.status_code == 201, joint.text
    individual = _book(api, TILBUD_JOBSAMTALE, at(2, 10, 30))
    assert individual.status_code == 201, individual.text
    assert (joint.json()["bookingDetaljer"]["erGruppemoede"], individual.json()["bookingDetaljer"]["erGruppemoede"]) \
        == (True, False)
    shown = {b["indkaldelseId"]: b["erGruppemoede"]
             for b in api.get("/bookinger", BORGER).json()["bookingDetaljerSamling"]}
    assert shown[joint.json()["indkaldelseId"]] is True and shown[individual.json()["indkaldelseId"]] is False
    stored = dict(demo.conn.execute("SELECT indkaldelse_id, gruppemoede FROM bookinger WHERE cpr = ?", [BORGER]))
    assert stored[joint.json()["indkaldelseId"]] == 1 and stored[individual.json()["indkaldelseId"]] == 0


def test_the_register_keeps_it(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    db.migrate()
    seed_dfdg(db)
    group = "33333333-3333-4333-8333-333333333333"
    with db.transaction() as tx:
        tx.bookinger.add(booking())
        tx.bookinger.add(dataclasses.replace(booking(group), gruppemoede=True))
    with db.read() as r:
        assert [r.bookinger.get(b).gruppemoede for b in (booking().indkaldelse_id, group)] == [
            False, True]
    with pytest.raises(ConstraintViolation):
        db.conn.execute("UPDATE bookinger SET gruppemoede = 2")


OLD_BOOKING = (  # a booking as registered before 0009 (and under the table name before 0011)
    "INSERT INTO bookings (indkaldelse_id, cpr, jobcenter_kode, samtaletype, moedeform, moede_start, moedetitel, "
    "sagsbehandler_eksternt_id, sagsbehandler_fornavn, sagsbehandler_efternavn, samtaleform, organisationskode, "
    "organisationstype, state, selvbooket, straksbooking, borger_skal_acceptere, accepteret, ombooking_mulig, "
    "aflysning_mulig, moedepligt, vis_sagsbehandlernavn, oprettet_af, oprettet) "
    f"VALUES (?, '0101901234', '10101', 9, ?, '{booking().moede_start.isoformat()}', 'Møde', 'RID-1', 'A', 'B', 1, 10101, 2, "
    f"'active', 1, 0, 0, 1, 0, 0, 1, 1, 'jobnet', '{NOW.isoformat()}')")


def test_the_migration_sets_it_for_the_bookings_registered_before(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(tmp_path / "old.db")
    folder = migrated_until(db, "0009", tmp_path, monkeypatch)
    for statement in OLD_DFDG:
        db.conn.execute(statement)
    assert "gruppemoede" not in {r[1] for r in db.conn.execute("PRAGMA table_info(bookings)")}
    db.conn.execute(OLD_BOOKING, ["44444444-4444-4444-8444-444444444441", 1])  # individual
    db.conn.execute(OLD_BOOKING, ["44444444-4444-4444-8444-444444444442", 2])  # joint
    shutil.copy(MIGRATIONS / "sqlite" / "0009_booking_group_meeting.sql", folder)
    assert db.migrate() == ["0009_booking_group_meeting.sql"]
    assert db.conn.execute("SELECT moedeform, gruppemoede FROM bookings ORDER BY 1").fetchall() == [(1, 0), (2, 1)]


# --- a remote planner --------------------------------------------------------------------------
CPR = "0107801234"
RID = "CVR:60606000-RID:8001"
SAMTALE = "6f6f6f6f-0000-4000-8000-000000000001"


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake: FakePlanner) -> Iterator[Rig]:
    def data(db: Database, _: FixedClock, base: str) -> None:
        fake.upstream = base + contract.PATH
        load(db, {
            "jobcentre": [fjernplan(fake)],
            "sagsbehandlere": [{"eksternt_id": RID, "nummer": 81, "jobcenter": "60606", "fornavn": "Lis",
                                "efternavn": "Bak"}],
            "moedetilbud": [{"moedetilbud_id": SAMTALE, "jobcenter": "60606", "samtaletype": 12, "samtaleformer": [2],
                             "varighed_minutter": 30, "moedetitel": "Anden samtale", "telefonnummer": "70606060",
                             "foerste_moedetid": "2026-12-01T00:00:00+01:00", "sagsbehandlere": [RID]}],
            "borgere": [{"cpr": CPR, "jobcenter": "60606", "kontaktgruppe": 1, "klientkategori": 1}],
        })
    yield from rig(tmp_path_factory.mktemp("soap-group-meeting"), data, request)


def _book_remote(soap: Rig) -> Any:
    return soap.citizen(CPR).post(f"/selvbooking/moedetilbud/{SAMTALE}/booking",
                                  {"moedeStarttidspunkt": "2026-12-03T10:00:00+01:00", "samtaleformType": 2})


def test_a_remote_planners_value_is_carried_as_given(soap: Rig, fake: FakePlanner) -> None:
    fake.behave(tamper(lambda a: a.replace(b"<jb:IsGroupMeeting>false<", b"<jb:IsGroupMeeting>true<")),
                "CreateBooking")
    created = _book_remote(soap)
    assert created.status_code == 201, created.text
    assert created.json()["bookingDetaljer"]["erGruppemoede"] is True
    fake.reset()
    assert soap.citizen(CPR).get("/bookinger").json()["bookingDetaljerSamling"][0]["erGruppemoede"] is True
    assert soap.citizen(CPR).delete(f"/indkaldelse/{created.json()['indkaldelseId']}").status_code == 204


def test_a_remote_answer_without_it_breaks_the_contract(soap: Rig, fake: FakePlanner) -> None:
    fake.behave(tamper(lambda a: re.sub(rb"<jb:IsGroupMeeting>[^<]*</jb:IsGroupMeeting>", b"", a)), "CreateBooking")
    fejl(_book_remote(soap), 9329, 502)
