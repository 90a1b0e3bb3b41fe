"""Load a data file into the store (DFDG's tables) and the embedded planner's tables.

The format is published in docs/datafile.md (an example: examples/datafile.yaml).
``load(db, data_or_path)`` checks record by record and writes as it goes, in one transaction: the
first problem refuses the whole file (nothing is kept) with a ``LoadError`` naming the record and
the field. A YAML file is read as a stream, so a large one loads in bounded memory.

- ``fields``   typed access to one record (``Felter``) and the patterns it checks against
- ``parser``   the sections, checked against each other and the database (``Parser``)
- ``bookings`` the booking section: defaults from the offer, free caseworkers, seats
- ``records``  records as domain objects (people, places, bookings)
- ``source``   the records of a file one at a time (YAML as libyaml events), or of a mapping
- ``writer``   ``load``: write what was checked, as it is checked, in one transaction
- ``cli``      ``python -m jobnet.loader FILE --db PATH`` and ``read_file``
"""
from __future__ import annotations

from jobnet.loader.cli import main, read_file
from jobnet.loader.fields import SECTIONS
from jobnet.loader.writer import load

__all__ = ["SECTIONS", "load", "main", "read_file"]
