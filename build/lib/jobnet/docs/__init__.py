"""The published pages of the contract: ReDoc at /v1/docs/, the error catalogue, the code lists and
the provenance list (HTML and JSON), all made from specs/ when the app starts."""
