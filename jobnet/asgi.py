"""The ASGI app ``jobnet.asgi:app`` that ``jobnet serve`` runs in every worker (settings from the
environment and JOBNET_CONFIG; every log record one JSON line on stderr)."""
from jobnet.app import create_app
from jobnet.config import Settings
from jobnet.logs import configure_logging

settings = Settings.from_env()
configure_logging(settings.log_level)
app = create_app(settings)
