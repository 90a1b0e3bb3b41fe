"""The embedded planner: the Planner port (jobnet.planner.port) over this service's own SQLite file.

- ``planner``       the port's methods (EmbeddedPlanner), and who may see what (planner clients)
- ``availability``  the free times of an offer and taking one (individual starts, seats)
- ``slots``         working hours laid out as candidate starts, in Copenhagen time, DST-safe
- ``memo``          timeslot answers kept while the data they came from is unchanged
- ``policy``        the booking a booked time becomes (rebooking and cancellation deadlines)
- ``checks``        the offer, form and caseworker checks before an answer or a booking
- ``models``        the records of its planner_* tables;  ``rows``  rows ↔ records;  ``sql``  the SQL
"""
from __future__ import annotations

from jobnet.planner.embedded.planner import EmbeddedPlanner
from jobnet.planner.embedded.policy import booking_fra_tilbud

__all__ = ["EmbeddedPlanner", "booking_fra_tilbud"]
