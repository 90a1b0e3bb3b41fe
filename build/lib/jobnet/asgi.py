"""The production entry point: ``uvicorn jobnet.asgi:app`` (settings from the environment).

The service's own access log (one JSON line per request, no CPR numbers) goes to stderr;
run uvicorn with ``--no-access-log`` so its plain access log does not duplicate it."""
import logging
import sys

from jobnet.app import create_app

_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("%(message)s"))
_jobnet = logging.getLogger("jobnet")
_jobnet.addHandler(_handler)
_jobnet.setLevel(logging.INFO)
_jobnet.propagate = False

app = create_app()
