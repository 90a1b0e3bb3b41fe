"""What the embedded planner checks before it answers or books: the offer, the form, the caseworker."""
from __future__ import annotations

from generated.errors import Fejlkode
from jobnet.domain import BorgerKontekst
from jobnet.errors import PlannerError
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud
from jobnet.planner.embedded.sql import PlannerRepo


def require_bookable(t: PlannerTilbud | None, borger: BorgerKontekst, straks: bool) -> None:
    """8108 unless the offer exists, is active, belongs to the citizen's job centre and contact
    group, and (when not an immediate booking) is not an immediate-booking offer."""
    if (
        t is None
        or not t.aktiv
        or t.tilbud.jobcenter_kode != borger.jobcenter_kode
        or not t.tillader(borger.kontaktgruppe)
        or (t.straks and not straks)  # immediate-booking offers are not self-bookable
    ):
        raise PlannerError(Fejlkode.UKENDT_MOEDETILBUD, "the interview offer is unknown or not active")


def require_samtaleform(t: PlannerTilbud, samtaleform: int | None) -> None:
    if samtaleform is not None and samtaleform not in t.tilbud.samtaleformer:
        raise PlannerError(Fejlkode.UGYLDIG_SAMTALEFORM, "samtaleform not offered")


def choose_samtaleform(t: PlannerTilbud, samtaleform: int | None) -> int:
    """The chosen form; with none chosen, the offer's only form (4708 when there are several)."""
    former = t.tilbud.samtaleformer
    if samtaleform is None:
        if len(former) == 1:
            return former[0]
        raise PlannerError(Fejlkode.UGYLDIG_SAMTALEFORM, "samtaleform must be chosen")
    require_samtaleform(t, samtaleform)
    return samtaleform


def bookable_offer(repo: PlannerRepo, borger: BorgerKontekst, moedetilbud_id: str, straks: bool) -> PlannerTilbud:
    """The offer, if this citizen may book it now (8108 otherwise)."""
    t = repo.tilbud(moedetilbud_id)
    require_bookable(t, borger, straks)
    assert t is not None
    return t


def offer_of(repo: PlannerRepo, pb: PlannerBooking) -> PlannerTilbud:
    t = repo.tilbud(pb.moedetilbud_id)
    if t is None:  # the foreign key makes this impossible
        raise PlannerError(Fejlkode.UKENDT_BOOKING, "the booking's offer vanished")
    return t


def chosen_caseworkers(
    repo: PlannerRepo, t: PlannerTilbud, eksternt_id: str | None
) -> list[PlannerSagsbehandler]:
    """The offer's caseworkers, or only the chosen one (4822 unknown, 9003 not allowed)."""
    linked = repo.sagsbehandlere_for_tilbud(t.id)
    if eksternt_id is None:
        return linked
    valgt = repo.sagsbehandler_by_rid(eksternt_id)
    if valgt is None:
        raise PlannerError(Fejlkode.UKENDT_SAGSBEHANDLER, "unknown caseworker")
    if not t.tilbud.sagsbehandler_kan_vaelges or valgt.nummer not in {c.nummer for c in linked}:
        raise PlannerError(Fejlkode.SAGSBEHANDLER_IKKE_TILLADT, "caseworker not allowed for this offer")
    return [valgt]
