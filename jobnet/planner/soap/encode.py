"""Domain → the generated ExternalBookingService bindings (requests by the client, results by the server)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from xsdata.models.datatype import XmlDateTime

from generated import externalbooking as g
from jobnet.domain import (
    BookbarSagsbehandler,
    Booking,
    BorgerKontekst,
    Fejlmelding,
    Moedested,
    Moedetid,
    Moedetider,
    Moedetilbud,
    Sagsbehandler,
)

ERROR_TEXT_MAX = 500


def instant(value: dt.datetime) -> XmlDateTime:
    if value.tzinfo is None:
        raise ValueError("a naive datetime cannot be sent to a planner")
    return XmlDateTime.from_datetime(value.astimezone(dt.UTC))


def _maybe(value: dt.datetime | None) -> XmlDateTime | None:
    return None if value is None else instant(value)


# --- requests ----------------------------------------------------------------------------------
def citizen(b: BorgerKontekst) -> dict[str, Any]:
    """The CitizenContext group every request but GetSelfbookInterviewOptions starts with (docs/reference.md §7.1)."""
    return {
        "person_civil_registration_identifier": b.cpr,
        "job_center_code": b.jobcenter_kode,
        "contact_group_type_identifier": b.kontaktgruppe,
        "person_category": None if b.klientkategori is None else g.CitizenPersonCategoryType(
            person_category_type_identifier=b.klientkategori, incident_date=_maybe(b.kategoriseret)),
        "booking_identifier_collection": g.BookingIdentifierCollectionType(booking_identifier=list(b.bookinger))
        if b.bookinger else None,
    }


def interview_options(b: BorgerKontekst) -> g.GetSelfbookInterviewOptions:
    """STAR's GetSelfbookInterviewOptionsRequest (v3): PersonCategory needs its IncidentDate, so without
    one it is left out; the deprecated HasExternalOperatorReferral is always false."""
    category = None if b.kategoriseret is None else g.PersonCategoryType(
        person_category_type_identifier=b.klientkategori, incident_date=instant(b.kategoriseret))
    return g.GetSelfbookInterviewOptions(**{**citizen(b), "person_category": category},
                                         has_external_operator_referral=False)


def search(start: dt.datetime, slut: dt.datetime, samtaleform: int | None, rid: str | None) -> dict[str, Any]:
    return {"booking_option_interval_start_time": instant(start), "booking_option_interval_end_time": instant(slut),
            "interview_contact_type_identifier": samtaleform, "case_worker_identifier": rid}


def choice(moede_start: dt.datetime, samtaleform: int | None, rid: str | None) -> dict[str, Any]:
    return {"booking_start_time": instant(moede_start), "interview_contact_type_identifier": samtaleform,
            "case_worker_identifier": rid}


def fejlmelding(f: Fejlmelding) -> g.CreateFejlmelding:
    return g.CreateFejlmelding(
        interview_option_id=f.moedetilbud_id, booking_identifier=f.indkaldelse_id, error_type_identifier=f.fejlkode,
        error_text=None if f.fejltekst is None else f.fejltekst[:ERROR_TEXT_MAX],
        error_origin_system_type_identifier=f.fejl_ophav, error_date_time=instant(f.fejl_tidspunkt),
        person_civil_registration_identifier=f.cpr)


# --- results -----------------------------------------------------------------------------------
def caseworker(s: Sagsbehandler) -> g.CaseWorkerStructureType:
    return g.CaseWorkerStructureType(case_worker_given_name=s.fornavn, case_worker_middle_name=s.mellemnavn,
                                     case_worker_surname=s.efternavn, case_worker_identifier=s.eksternt_id)


def supervisors(items: tuple[Sagsbehandler, ...] | list[Sagsbehandler]) -> g.SupervisorCollectionType | None:
    return g.SupervisorCollectionType(supervisor=[caseworker(s) for s in items]) if items else None


def _forms(former: tuple[int, ...]) -> g.InterviewContactTypeIdentifierCollectionType:
    return g.InterviewContactTypeIdentifierCollectionType(interview_contact_type_identifier=list(former))


def _location(m: Moedested | None, detail: type[Any], address: type[Any]) -> Any:
    if m is None:
        return None
    a = m.adresse
    postal = None if a is None else address(
        street_name=a.vejnavn, street_building_identifier=a.husnummer, floor_identifier=a.etage,
        suite_identifier=a.side_doer, post_code_identifier=a.postnummer, district_name=a.bynavn,
        country_identification_code=a.landekode)
    return detail(interview_location_description=m.beskrivelse, address_postal=postal)


def offer(t: Moedetilbud) -> g.InterviewOptionType:
    return g.InterviewOptionType(
        interview_option_id=t.moedetilbud_id, interview_type_identifier=t.samtaletype,
        interview_form_type_identifier=t.moedeform,
        interview_contact_type_identifier_collection=_forms(t.samtaleformer),
        interview_location_detail=_location(t.moedested, g.InterviewLocationDetailType, g.AddressPostalType),
        meeting_duration_minutes=t.varighed_minutter, first_timeslot=_maybe(t.foerste_moedetid),
        last_timeslot=_maybe(t.sidste_moedetid), allow_choice_of_supervisor=t.sagsbehandler_kan_vaelges,
        meeting_title=t.moedetitel, meeting_description=t.moedebeskrivelse,
        supervisor_collection=supervisors(t.sagsbehandlere))


def offers(items: list[Moedetilbud]) -> g.GetSelfbookInterviewOptionsResult:
    collection = g.JobnetInterviewOptionCollectionType(interview_option=[offer(t) for t in items]) if items else None
    return g.GetSelfbookInterviewOptionsResult(jobnet_interview_option_collection=collection)


def timeslot(m: Moedetid) -> g.BookingTimeslotType:
    return g.BookingTimeslotType(
        start_time=instant(m.starttidspunkt), interview_contact_type_identifier_collection=_forms(m.samtaleformer),
        rebooking_possible=m.ombooking_mulig, cancellation_possible=m.aflysning_mulig,
        total_no_of_seats=m.maksimalt_antal, available_no_of_seats=m.ledige_pladser,
        case_worker_idcollection=g.CaseWorkerIdtype(case_worker_id=list(m.sagsbehandler_numre)))


def bookable(items: tuple[BookbarSagsbehandler, ...]) -> g.CaseWorkerToBookCollectionType | None:
    """A self-booking search's caseworkers: exactly one supervisor each (CaseWorkerToBookType)."""
    return g.CaseWorkerToBookCollectionType(case_worker_to_book=[
        g.CaseWorkerToBookType(case_worker_id=b.nummer, supervisor=caseworker(b.sagsbehandler)) for b in items
    ]) if items else None


def bookable_many(items: tuple[BookbarSagsbehandler, ...]) -> g.CaseWorkerToBookManyCollectionType | None:
    """A rebooking or immediate-booking search's caseworkers: 0-* supervisors each (CaseWorkerToBookManyType)."""
    return g.CaseWorkerToBookManyCollectionType(case_worker_to_book=[
        g.CaseWorkerToBookManyType(case_worker_id=b.nummer, supervisor=[caseworker(s) for s in b.sagsbehandlere])
        for b in items
    ]) if items else None


def timeslots(t: Moedetider, many: bool = False) -> dict[str, Any]:
    """The fields of GetSelfbookTimeslotsResult (and, ``many``, of GetRescheduleTimeslotsResult, with its type)."""
    slots = g.BookingTimeslotCollectionType(booking_timeslot=[timeslot(m) for m in t.tider]) if t.tider else None
    return {"case_worker_to_book_collection": (bookable_many if many else bookable)(t.sagsbehandlere),
            "booking_timeslot_collection": slots}


def immediate_timeslots(t: Moedetider) -> g.GetImmediateBookingTimeslotsResult:
    items = [g.PlannerImmediateBookingTimeslotType(booking_timeslot=timeslot(m), interview_option=offer(_offer_of(m)))
             for m in t.tider]
    return g.GetImmediateBookingTimeslotsResult(
        case_worker_to_book_collection=bookable_many(t.sagsbehandlere),
        immediate_booking_timeslot_collection=g.PlannerImmediateBookingTimeslotCollectionType(
            immediate_booking_timeslot=items) if items else None)


def _offer_of(m: Moedetid) -> Moedetilbud:
    if m.moedetilbud is None:
        raise ValueError("an immediate-booking time without its offer")
    return m.moedetilbud


def booking(b: Booking) -> g.PlannerBookingDetailsType:
    k = b.kontakt
    if b.moedetilbud_id is None:
        raise ValueError("a planner booking without its offer")
    return g.PlannerBookingDetailsType(
        booking_identifier=b.indkaldelse_id,
        booking_originator=g.BookingOriginatorType(organisation_code=b.indkalder.organisationskode,
                                                   organisation_type_identifier=b.indkalder.organisationstype),
        citizen_should_accept_booking=b.borger_skal_acceptere, accepted_booking=b.accepteret,
        re_booking_possible=b.ombooking_mulig, re_booking_deadline=_maybe(b.ombookingsfrist),
        cancellation_possible=b.aflysning_mulig, cancellation_deadline=_maybe(b.aflysningsfrist),
        self_booked=b.selvbooket, compulsory_attendance=b.moedepligt,
        booking_start_time=instant(b.moede_start), booking_end_time=_maybe(b.moede_slut),
        interview_type_identifier=b.samtaletype, interview_form_type_identifier=b.moedeform,
        meeting_title=b.moedetitel, meeting_description=b.moedebeskrivelse, is_group_meeting=b.gruppemoede,
        interview_supervisor=caseworker(b.sagsbehandler),
        interview_location_detail=_location(b.moedested, g.InterviewLocationDetailFullType, g.AddressPostalFullType),
        interview_contact_detail=g.InterviewContactDetailType(
            digital_contact_identifier=k.digitalt_moedelink, telephone_number_identifier=k.telefonnummer,
            citizen_initiates_call=k.borger_ringer_op, interview_contact_type_identifier=k.samtaleform),
        show_interview_supervisor_name=b.vis_sagsbehandlernavn,
        interview_option_id=b.moedetilbud_id, immediate_booking=b.straksbooking,
        creation_date_time=_maybe(b.oprettet))
