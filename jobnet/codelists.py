"""Questions the rules ask of the code lists (specs/codelists.yaml, via generated/codelists.py):
the code lists as the rules see them, as jobnet/errors.py is the error catalogue as the code raises it."""
from __future__ import annotations

from functools import cache

from generated import codelists as kl

FEJLTYPE_BOOKING_UGYLDIG = 2  # BorgerBookingFejlType "Booking kan ikke valideres i DFDG"


@cache
def planner_validation_sets() -> dict[str, set[int]]:
    """The known ids a booking from the planner is checked against (4709, 4805, 4708, 8129, 8130)."""
    return {
        "kendte_samtaletyper": set(kl.SAMTALETYPE),
        "sluttid_samtaletyper": {k for k, v in kl.SAMTALETYPE.items() if v.egenskaber.get("kraever_sluttid")},
        "kendte_moedeformer": set(kl.MOEDEGRUPPETYPE),
        "kendte_samtaleformer": set(kl.SAMTALEFORM),
        "adresse_samtaleformer": {k for k, v in kl.SAMTALEFORM.items() if v.egenskaber.get("kraever_adresse")},
    }


def joint_meeting(moedeform: int) -> bool:
    """A joint (group) meeting: AllowChoiceOfSupervisor always false, LastTimeslot always given."""
    kode = kl.MOEDEGRUPPETYPE.get(moedeform)
    return bool(kode and kode.egenskaber.get("faelles"))


def rehab_allowed(kontaktgruppe: int | None) -> bool:
    gruppe = kl.KONTAKTGRUPPE.get(kontaktgruppe) if kontaktgruppe is not None else None
    return bool(gruppe and gruppe.egenskaber.get("rehab_tilladt"))


def fejlophav_allowed(fejl_ophav: int) -> bool:
    kode = kl.FEJLOPHAV.get(fejl_ophav)
    return bool(kode and kode.egenskaber.get("tilladt_som_fejlophav"))


def fejltype_known(fejlkode: int) -> bool:
    return fejlkode in kl.BORGERBOOKINGFEJLTYPE


def klientkategori(kategori: int) -> kl.Kode | None:
    return kl.KLIENTKATEGORI.get(kategori)


def ledighedsgrad_known(grad: int) -> bool:
    return grad in kl.LEDIGHEDSGRAD


def kontaktgruppe(gruppe: int | None) -> kl.Kode | None:
    return kl.KONTAKTGRUPPE.get(gruppe) if gruppe is not None else None


@cache
def stillingsbetegnelse_uris() -> frozenset[str]:
    return frozenset(str(v.egenskaber["konsept_uri"]) for v in kl.STILLINGSBETEGNELSE.values())
