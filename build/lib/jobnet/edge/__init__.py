"""The HTTP edge: connexion glue, the error body, request context. Nothing else knows HTTP."""
