"""Helpers shared by the tests; test modules import these, never each other.

- ``clock``     the suite's one now (START), ``at()``, ``window()`` / ``search_window()``, ``weekday()``,
                ``next_spring_forward()`` / ``next_fall_back()``
- ``api``       the API client with the service's conventions, ``fejl()``, ``state()``, ``count()``
- ``store``     builders of store records, the store tests' fixtures (``clock`` at START, ``db``), the tests' sealing key
- ``planner``   the embedded planner's test calendar in START's week, its ``planner`` fixture and helpers
- ``net``       ``free_port()``
- ``soap``      this service served on 127.0.0.1 (``Rig``) and a misbehaving planner (``FakePlanner``)
- ``loadgen``   the load driver of the reliability tests and the stateful fuzzing
- ``hostile``   hostile requests generated from the contract
- ``st_checks`` Schemathesis checks of the catalogue bodies
"""
