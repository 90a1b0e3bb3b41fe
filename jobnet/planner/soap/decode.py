"""The generated ExternalBookingService bindings → domain (results by the client, requests by the server).

Only what the XSD cannot say is checked here (a ContractBreach, 9329 at the client): every
instant must carry its offset, a booking must say how the meeting is held, an offer's last time is
not before its first, and a joint meeting (fællesmøde) never lets the citizen choose the caseworker
and always has a last time (equal to its first for a meeting on one day; STAR's InterviewOptionType).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from xsdata.models.datatype import XmlDateTime

from generated import externalbooking as g
from jobnet import codelists
from jobnet.clock import FIRST_YEAR, LAST_YEAR
from jobnet.domain import (
    Adresse,
    BookbarSagsbehandler,
    Booking,
    BookingState,
    BorgerKontekst,
    Fejlmelding,
    Indkalder,
    Kontaktdetaljer,
    Moedested,
    Moedetid,
    Moedetider,
    Moedetilbud,
    Sagsbehandler,
)
from jobnet.errors import ContractBreach

UTC = dt.UTC


def instant(value: XmlDateTime) -> dt.datetime:
    if value.offset is None:
        raise ContractBreach(f"dateTime {value} has no offset")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:  # before any arithmetic: the ends of the calendar overflow
        raise ContractBreach(f"dateTime {value} is not in the years {FIRST_YEAR}-{LAST_YEAR}")
    return value.to_datetime().astimezone(UTC)


def _maybe(value: XmlDateTime | None) -> dt.datetime | None:
    return None if value is None else instant(value)


# --- requests ----------------------------------------------------------------------------------
def citizen(r: Any) -> BorgerKontekst:
    """The citizen context of any request (HasExternalOperatorReferral, deprecated, is not read)."""
    category = r.person_category
    kategori = category.person_category_type_identifier if category else None
    bookinger = tuple(r.booking_identifier_collection.booking_identifier) if r.booking_identifier_collection else ()
    return BorgerKontekst(cpr=r.person_civil_registration_identifier, jobcenter_kode=r.job_center_code,
                          kontaktgruppe=r.contact_group_type_identifier, klientkategori=kategori,
                          bookinger=bookinger, kategoriseret=_maybe(category.incident_date) if category else None)


def fejlmelding(r: g.CreateFejlmelding) -> Fejlmelding:
    return Fejlmelding(fejlkode=r.error_type_identifier, fejl_ophav=r.error_origin_system_type_identifier,
                       fejl_tidspunkt=instant(r.error_date_time), moedetilbud_id=r.interview_option_id,
                       indkaldelse_id=r.booking_identifier, fejltekst=r.error_text,
                       cpr=r.person_civil_registration_identifier)


# --- results -----------------------------------------------------------------------------------
def caseworker(c: g.CaseWorkerStructureType) -> Sagsbehandler:
    return Sagsbehandler(eksternt_id=c.case_worker_identifier, fornavn=c.case_worker_given_name,
                         efternavn=c.case_worker_surname, mellemnavn=c.case_worker_middle_name)


def supervisors(c: g.SupervisorCollectionType | None) -> tuple[Sagsbehandler, ...]:
    return tuple(caseworker(s) for s in c.supervisor) if c else ()


def _location(d: Any) -> Moedested | None:
    if d is None:
        return None
    a = d.address_postal
    adresse = None if a is None else Adresse(
        vejnavn=a.street_name, husnummer=a.street_building_identifier, postnummer=a.post_code_identifier,
        bynavn=a.district_name, etage=a.floor_identifier, side_doer=a.suite_identifier,
        landekode=a.country_identification_code)
    return Moedested(beskrivelse=d.interview_location_description, adresse=adresse)


def offer(o: g.InterviewOptionType, jobcenter_kode: str) -> Moedetilbud:
    foerste, sidste = _maybe(o.first_timeslot), _maybe(o.last_timeslot)
    if foerste is not None and sidste is not None and sidste < foerste:
        raise ContractBreach(f"offer {o.interview_option_id}: LastTimeslot is before FirstTimeslot")
    if codelists.joint_meeting(o.interview_form_type_identifier):
        if o.allow_choice_of_supervisor:  # "For fællesmøder altid false"
            raise ContractBreach(f"joint meeting {o.interview_option_id}: AllowChoiceOfSupervisor must be false")
        if sidste is None:  # "For fællesmøder vil der altid være angivet en dato/tid"
            raise ContractBreach(f"joint meeting {o.interview_option_id}: LastTimeslot must be given")
    return Moedetilbud(
        moedetilbud_id=o.interview_option_id, jobcenter_kode=jobcenter_kode,
        samtaletype=o.interview_type_identifier, moedeform=o.interview_form_type_identifier,
        samtaleformer=tuple(o.interview_contact_type_identifier_collection.interview_contact_type_identifier),
        varighed_minutter=o.meeting_duration_minutes, sagsbehandler_kan_vaelges=o.allow_choice_of_supervisor,
        moedetitel=o.meeting_title, foerste_moedetid=foerste, sidste_moedetid=sidste,
        moedebeskrivelse=o.meeting_description, moedested=_location(o.interview_location_detail),
        sagsbehandlere=supervisors(o.supervisor_collection))


def offers(r: g.GetSelfbookInterviewOptionsResult, jobcenter_kode: str) -> list[Moedetilbud]:
    found = r.jobnet_interview_option_collection
    return [offer(o, jobcenter_kode) for o in found.interview_option] if found else []


def timeslot(t: g.BookingTimeslotType, tilbud: Moedetilbud | None = None) -> Moedetid:
    return Moedetid(
        starttidspunkt=instant(t.start_time),
        samtaleformer=tuple(t.interview_contact_type_identifier_collection.interview_contact_type_identifier),
        ombooking_mulig=t.rebooking_possible, aflysning_mulig=t.cancellation_possible,
        sagsbehandler_numre=tuple(t.case_worker_idcollection.case_worker_id),
        maksimalt_antal=t.total_no_of_seats, ledige_pladser=t.available_no_of_seats, moedetilbud=tilbud)


def _bookable(c: g.CaseWorkerToBookCollectionType | g.CaseWorkerToBookManyCollectionType | None,
              ) -> tuple[BookbarSagsbehandler, ...]:
    """Supervisor is one element in a self-booking search, 0-* in the rebooking and immediate-booking ones."""
    def supervisors_of(b: g.CaseWorkerToBookType | g.CaseWorkerToBookManyType) -> tuple[Sagsbehandler, ...]:
        found = b.supervisor
        return tuple(caseworker(s) for s in found) if isinstance(found, list) else (caseworker(found),)
    return tuple(BookbarSagsbehandler(b.case_worker_id, supervisors_of(b)) for b in c.case_worker_to_book) if c else ()


def timeslots(r: Any, samtaletype: int | None = None) -> Moedetider:
    """GetSelfbookTimeslotsResult or GetRescheduleTimeslotsResult (which also names the interview type)."""
    slots = r.booking_timeslot_collection
    return Moedetider(sagsbehandlere=_bookable(r.case_worker_to_book_collection),
                      tider=tuple(timeslot(t) for t in slots.booking_timeslot) if slots else (),
                      samtaletype=samtaletype)


def immediate_timeslots(r: g.GetImmediateBookingTimeslotsResult, jobcenter_kode: str) -> Moedetider:
    slots = r.immediate_booking_timeslot_collection
    tider = tuple(timeslot(s.booking_timeslot, offer(s.interview_option, jobcenter_kode))
                  for s in slots.immediate_booking_timeslot) if slots else ()
    return Moedetider(sagsbehandlere=_bookable(r.case_worker_to_book_collection), tider=tider)


def booking(d: g.PlannerBookingDetailsType, borger: BorgerKontekst, state: BookingState) -> Booking:
    """The planner's booking; who it is for and where comes from the request (DFDG's own data)."""
    k = d.interview_contact_detail
    if k is None:
        raise ContractBreach("the booking has no InterviewContactDetail (how the meeting is held)")
    return Booking(
        indkaldelse_id=d.booking_identifier, cpr=borger.cpr, moedetilbud_id=d.interview_option_id,
        jobcenter_kode=borger.jobcenter_kode, samtaletype=d.interview_type_identifier,
        moedeform=d.interview_form_type_identifier, moede_start=instant(d.booking_start_time),
        moede_slut=_maybe(d.booking_end_time), moedetitel=d.meeting_title, moedebeskrivelse=d.meeting_description,
        moedested=_location(d.interview_location_detail), sagsbehandler=caseworker(d.interview_supervisor),
        kontakt=Kontaktdetaljer(samtaleform=k.interview_contact_type_identifier,
                                digitalt_moedelink=k.digital_contact_identifier,
                                telefonnummer=k.telephone_number_identifier, borger_ringer_op=k.citizen_initiates_call),
        indkalder=Indkalder(d.booking_originator.organisation_code, d.booking_originator.organisation_type_identifier),
        state=state, selvbooket=d.self_booked, straksbooking=d.immediate_booking,
        borger_skal_acceptere=d.citizen_should_accept_booking, accepteret=d.accepted_booking,
        ombooking_mulig=d.re_booking_possible, ombookingsfrist=_maybe(d.re_booking_deadline),
        aflysning_mulig=d.cancellation_possible, aflysningsfrist=_maybe(d.cancellation_deadline),
        moedepligt=d.compulsory_attendance, vis_sagsbehandlernavn=d.show_interview_supervisor_name,
        gruppemoede=d.is_group_meeting,
        oprettet_af="jobnet" if d.self_booked else "jobcenter", oprettet=_maybe(d.creation_date_time))
