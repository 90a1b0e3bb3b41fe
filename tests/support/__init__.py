"""Helpers shared by the tests; test modules import these, never each other.

- ``clock``     the suite's one now (START), ``at()``, ``window()`` / ``search_window()``
- ``api``       the API client with the service's conventions, ``fejl()``, ``state()``, ``count()``
- ``store``     builders of store records, the store tests' fixed calendar (STORE_NOW), the tests' sealing key
- ``net``       ``free_port()``
- ``soap``      this service served on 127.0.0.1 (``Rig``) and a misbehaving planner (``FakePlanner``)
- ``loadgen``   the load driver of the reliability tests and the stateful fuzzing
- ``hostile``   hostile requests generated from the contract
- ``st_checks`` Schemathesis checks of the catalogue bodies
"""
