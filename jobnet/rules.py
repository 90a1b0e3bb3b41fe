"""The booking rules of STAR's spec (docs/reference.md §6), as pure functions that raise ``Fejl``.

Nothing here touches the database, the planner or HTTP: handlers load the facts and call these.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from generated.errors import Fejlkode
from jobnet.clock import local_date
from jobnet.domain import Booking, BookingState, Borger, Frist, Friststatus, Samtaletype
from jobnet.errors import Fejl

# Meetings of these interview types cannot be rebooked (8270; the loader's rule too).
REBOOKING_EXCLUDED = frozenset({Samtaletype.FAELLES_JOBSAMTALE, Samtaletype.FAELLES_SAMTALE_18})

# --- the citizen ----------------------------------------------------------------------------


def require_alive(borger: Borger) -> None:
    if not borger.levende:
        raise Fejl(Fejlkode.PERSON_DOED)


def require_owner(booking: Booking, cpr: str) -> None:
    """A booking id of another citizen is 8107, before anything else is done with it."""
    if booking.cpr != cpr:
        raise Fejl(Fejlkode.ANDEN_BORGERS_BOOKING)


# --- searches -------------------------------------------------------------------------------


def require_interval(start: dt.datetime, slut: dt.datetime, max_days: int) -> None:
    # in UTC: Python compares two datetimes of the same zone by wall clock, wrong across DST
    start, slut = start.astimezone(dt.UTC), slut.astimezone(dt.UTC)
    if slut <= start:
        raise Fejl(Fejlkode.VALIDERING, "slutMoedetidsinterval must be after startMoedetidsinterval")
    if slut - start > dt.timedelta(days=max_days):
        raise Fejl(Fejlkode.VALIDERING, f"the interval may be at most {max_days} days")


# --- the booking time ----------------------------------------------------------------------


def require_not_before_today(start: dt.datetime, now: dt.datetime) -> None:
    """4783: a booking time before today's date is refused before the planner is asked."""
    if local_date(start) < local_date(now):
        raise Fejl(Fejlkode.MOEDETID_FOER_I_DAG)


# --- deadlines (frister), §6.1 ----------------------------------------------------------------


def open_deadline(frister: Iterable[Frist], samtaletype: int) -> Frist | None:
    return next((f for f in frister if f.samtaletype == samtaletype and f.status == Friststatus.AKTIV),
                None)


def require_within_deadline(frister: Iterable[Frist], samtaletype: int, start: dt.datetime) -> None:
    """8288: the meeting must be held by SidsteAfholdelsesdato of an open deadline of its type (§8 Q2)."""
    frist = open_deadline(frister, samtaletype)
    if frist is not None and local_date(start) > frist.sidste_afholdelsesdato:
        raise Fejl(Fejlkode.EFTER_FRISTEN)


def shown_status(frist: Frist, today: dt.date) -> int:
    """An open deadline whose Fristdato has passed is reported as overskredet."""
    if frist.status == Friststatus.AKTIV and today > frist.fristdato:
        return Friststatus.OVERSKREDET
    return frist.status


def fulfilled_deadline(frister: Iterable[Frist], booking: Booking) -> Frist | None:
    """The open deadline this booking fulfils: same interview type, held by the date limit."""
    frist = open_deadline(frister, booking.samtaletype)
    if frist is not None and local_date(booking.moede_start) <= frist.sidste_afholdelsesdato:
        return frist
    return None


# --- one future Jobsamtale / Opfølgningssamtale, §6.1.4 --------------------------------------

_ONE_FUTURE = {Samtaletype.JOBSAMTALE: Fejlkode.HAR_FREMTIDIG_JOBSAMTALE,
               Samtaletype.OPFOELGNINGSSAMTALE: Fejlkode.HAR_FREMTIDIG_OPFOELGNINGSSAMTALE}


def require_no_other_future(bookinger: Iterable[Booking], samtaletype: int, now: dt.datetime,
                            except_id: str | None = None) -> None:
    code = _ONE_FUTURE.get(samtaletype)
    if code is None:
        return
    for b in bookinger:
        if (b.live and b.indkaldelse_id != except_id and b.samtaletype == samtaletype
                and b.moede_start > now):
            raise Fejl(code)


def require_below_cap(bookinger: Iterable[Booking], now: dt.datetime, cap: int) -> None:
    """8310: an abuse limit on how many future bookings one citizen can hold at a time."""
    if sum(1 for b in bookinger if b.live and b.moede_start > now) >= cap:
        raise Fejl(Fejlkode.FOR_MANGE_BOOKINGER)


def require_contact_group_allows(samtaletype: int, rehab_tilladt: bool) -> None:
    """9121: an interview in the rehabilitation team needs a contact group that allows it."""
    if samtaletype == Samtaletype.REHAB_TEAM and not rehab_tilladt:
        raise Fejl(Fejlkode.REHAB_IKKE_TILLADT)


# --- rebooking, cancelling, §6.2-6.3 -----------------------------------------------------------


def require_reschedulable(booking: Booking, now: dt.datetime) -> None:
    if booking.straksbooking:
        raise Fejl(Fejlkode.STRAKSBOOKING_KAN_IKKE_AENDRES)
    if booking.state is BookingState.CANCELLED:
        raise Fejl(Fejlkode.UKENDT_BOOKING, "the booking is cancelled")
    if booking.moede_start < now:
        raise Fejl(Fejlkode.MOEDETID_FOER_I_DAG)
    if not booking.ombooking_mulig or (booking.ombookingsfrist is not None and now > booking.ombookingsfrist):
        raise Fejl(Fejlkode.SELVBOOKING_IKKE_TILLADT)


def require_cancellable(booking: Booking, now: dt.datetime) -> None:
    if booking.straksbooking:
        raise Fejl(Fejlkode.STRAKSBOOKING_KAN_IKKE_AENDRES)
    if booking.state is BookingState.CANCELLED:
        raise Fejl(Fejlkode.UKENDT_BOOKING, "the booking is already cancelled")
    if booking.moede_start < now:
        raise Fejl(Fejlkode.STARTDATO_I_FORTIDEN)
    if not booking.aflysning_mulig or (booking.aflysningsfrist is not None and now > booking.aflysningsfrist):
        raise Fejl(Fejlkode.AFLYSNING_IKKE_TILLADT)


def require_live(booking: Booking) -> None:
    if booking.state is BookingState.CANCELLED:
        raise Fejl(Fejlkode.UKENDT_BOOKING, "the booking is cancelled")


# --- the booking the planner hands back, §6.3.2 ---------------------------------------------

_HTML = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")
_PHONE = re.compile(r"^(\+)?[0-9]{3,20}$")


def planner_booking_violations(b: Booking, now: dt.datetime, *, kendte_samtaletyper: set[int],
                               sluttid_samtaletyper: set[int], kendte_moedeformer: set[int],
                               kendte_samtaleformer: set[int], adresse_samtaleformer: set[int]) -> list[int]:
    """Every DFDG rule the planner's booking breaks, in catalogue order (empty: it may be registered)."""
    today = local_date(now)
    codes: list[int] = []
    if b.samtaletype not in kendte_samtaletyper:
        codes.append(Fejlkode.UGYLDIG_SAMTALETYPE)
    if b.kontakt.samtaleform not in kendte_samtaleformer:
        codes.append(Fejlkode.UGYLDIG_SAMTALEFORM)
    if local_date(b.moede_start) < today:
        codes.append(Fejlkode.MOEDETID_FOER_I_DAG)
    if b.moede_slut is not None and b.moede_slut < b.moede_start:
        codes.append(Fejlkode.SLUT_FOER_START)
    if b.print_kommentar and _HTML.search(b.print_kommentar):
        codes.append(Fejlkode.HTML_I_PRINTKOMMENTAR)
    if b.moedeform not in kendte_moedeformer:
        codes.append(Fejlkode.UGYLDIG_MOEDEFORM)
    if b.ombooking_mulig and b.ombookingsfrist is None:
        codes.append(Fejlkode.OMBOOKINGSFRIST_MANGLER)
    if not b.aflysning_mulig and b.aflysningsfrist is not None:
        codes.append(Fejlkode.AFLYSNINGSFRIST_UDEN_AFLYSNING)
    if b.aflysning_mulig and b.aflysningsfrist is None:
        codes.append(Fejlkode.AFLYSNINGSFRIST_MANGLER)
    if b.kontakt.samtaleform in adresse_samtaleformer and (b.moedested is None or b.moedested.adresse is None):
        codes.append(Fejlkode.ADRESSE_MANGLER)
    if b.moede_slut is None and b.samtaletype in sluttid_samtaletyper:  # the booking details carry no duration
        codes.append(Fejlkode.SLUTTID_MANGLER)
    if b.kontakt.borger_ringer_op and not (b.kontakt.telefonnummer and _PHONE.match(b.kontakt.telefonnummer)):
        codes.append(Fejlkode.TELEFONNUMMER_MANGLER)
    if b.ombookingsfrist is not None and local_date(b.ombookingsfrist) < today:
        codes.append(Fejlkode.OMBOOKINGSFRIST_FOER_I_DAG)
    if b.aflysningsfrist is not None and local_date(b.aflysningsfrist) < today:
        codes.append(Fejlkode.AFLYSNINGSFRIST_FOER_I_DAG)
    if b.ombookingsfrist is not None and b.ombookingsfrist > b.moede_start:
        codes.append(Fejlkode.OMBOOKINGSFRIST_EFTER_START)
    if b.moede_slut is not None and b.moede_slut - b.moede_start > dt.timedelta(days=1):
        codes.append(Fejlkode.VARIGHED_OVER_EN_DAG)
    if b.aflysningsfrist is not None and b.aflysningsfrist > b.moede_start:
        codes.append(Fejlkode.AFLYSNINGSFRIST_EFTER_START)
    if b.ombooking_mulig and b.samtaletype in REBOOKING_EXCLUDED:
        codes.append(Fejlkode.OMBOOKING_IKKE_UDELUKKET)
    return codes
