"""What the national-scale benchmark data look like: sizes, shares and names (bench/teams.py builds it)."""
from __future__ import annotations

import datetime as dt
import uuid

GENERATOR_VERSION = 1
BASE = {"job_centres": 94, "caseworkers": 3000, "citizens": 150_000}
TEAM = 30  # caseworkers per team; the probe offer is the first team's Jobsamtale of centre 0
HISTORY_DAYS = 182  # 26 weeks of past bookings
HORIZON_DAYS = 91  # bookable times for 13 weeks ahead
BOOKINGS_PER_CITIZEN = (0, 1, 2, 3, 4)
BOOKINGS_WEIGHTS = (0.12, 0.24, 0.30, 0.20, 0.14)  # mean 2.0: about 300,000 at scale 1
FUTURE_SHARE = 0.35
SEATS = 25
UTC = dt.UTC
_NS = uuid.UUID("0b7c1c8e-5a7d-4c1e-9d0a-6a1b2c3d4e5f")

KOMMUNER = (
    "København", "Aarhus", "Aalborg", "Odense", "Vejle", "Esbjerg", "Frederiksberg", "Randers", "Viborg",
    "Silkeborg", "Kolding", "Horsens", "Herning", "Roskilde", "Næstved", "Slagelse", "Gentofte", "Sønderborg",
    "Holbæk", "Gladsaxe", "Hjørring", "Skanderborg", "Helsingør", "Køge", "Guldborgsund", "Frederikshavn",
    "Holstebro", "Svendborg", "Aabenraa", "Lyngby-Taarbæk", "Ringkøbing-Skjern", "Haderslev", "Rudersdal",
    "Hvidovre", "Høje-Taastrup", "Faaborg-Midtfyn", "Fredericia", "Hillerød", "Favrskov", "Varde", "Ballerup",
    "Syddjurs", "Kalundborg", "Greve", "Frederikssund", "Vordingborg", "Mariagerfjord", "Furesø", "Tårnby",
    "Thisted", "Egedal", "Skive", "Odsherred", "Hedensted", "Lolland", "Halsnæs", "Vejen", "Norddjurs",
    "Gribskov", "Middelfart", "Ringsted", "Assens", "Fredensborg", "Brønderslev", "Faxe", "Tønder",
    "Ikast-Brande", "Billund", "Sorø", "Jammerbugt", "Nyborg", "Albertslund", "Herlev", "Rebild", "Stevns",
    "Kerteminde", "Odder", "Glostrup", "Struer", "Vesthimmerland", "Allerød", "Lejre", "Lemvig", "Brøndby",
    "Ishøj", "Morsø", "Vallensbæk", "Nordfyn", "Dragør", "Langeland", "Solrød", "Bornholm", "Ærø", "Samsø",
)
FORNAVNE = ("Anne", "Bo", "Camilla", "Dennis", "Emma", "Frederik", "Gitte", "Henrik", "Ida", "Jens", "Karen",
            "Lars", "Mette", "Niels", "Oliver", "Pia", "Rasmus", "Signe", "Thomas", "Ulla", "Viggo", "Maja",
            "Søren", "Line", "Mads", "Louise", "Peter", "Hanne", "Kasper", "Julie")
EFTERNAVNE = ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
              "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
              "Johansen", "Møller", "Mortensen", "Knudsen")
# Working-time profiles: ISO weekdays, from, to, share of caseworkers.
PROFILES = (
    ((1, 2, 3, 4, 5), "09:00", "15:00", 0.6),
    ((1, 2, 3, 4, 5), "08:00", "15:30", 0.2),
    ((1, 2, 3, 4), "09:00", "14:00", 0.1),
    ((1, 2, 3, 5), "10:00", "16:00", 0.1),
)
KONTAKTGRUPPER = ((1, 1, 0.85), (2, 2, 0.10), (12, 3, 0.05))  # kontaktgruppe, klientkategori, share
KINDS = (("jobsamtale", 0.50), ("opfoelgning", 0.20), ("info", 0.15), ("faelles", 0.10), ("straks", 0.05))
