"""Load a data file into the store (DFDG's tables) and the embedded planner's tables.

The format is published in docs/datafile.md (an example: examples/datafile.yaml).
``load(db, data)`` checks the whole file before it writes anything; the first problem refuses it
with a ``LoadError`` naming the record and the field; a valid file is written in one transaction.

- ``fields``   typed access to one record (``Felter``) and the patterns it checks against
- ``parser``   the sections, checked against each other and the database (``Parser``)
- ``bookings`` the booking section: defaults from the offer, free caseworkers, seats
- ``records``  records as domain objects (people, places, bookings)
- ``writer``   ``load``: check, then write in one transaction
- ``cli``      ``python -m jobnet.loader FILE --db PATH`` and ``read_file``
"""
from __future__ import annotations

from jobnet.loader.cli import main, read_file
from jobnet.loader.fields import SECTIONS
from jobnet.loader.writer import load

__all__ = ["SECTIONS", "load", "main", "read_file"]
