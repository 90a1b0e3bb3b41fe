"""The planner port over SOAP: ExternalBookingService (specs/externalbooking.wsdl, .xsd).

- ``client.SoapPlanner``: the Planner port for a job centre routed to a SOAP planner (httpx);
- ``server.mount``: serves a Planner (the embedded one) at ``POST /planner/soap``, its WSDL at
  ``GET /planner/soap?wsdl``, so one installation can be the planner system of another;
- ``faults``: the one place where transport and contract failures become catalogue codes;
- ``contract``: envelopes, XSD validation and the xsdata (de)serialisers;
  ``encode`` / ``decode``: domain ↔ the generated bindings (generated/externalbooking.py).
"""
