"""The ASGI app ``jobnet.asgi:app`` that ``jobnet serve`` runs in every worker (settings from the
environment and JOBNET_CONFIG; every log record one JSON line on stderr; the collector tuned for a
long-lived worker, jobnet.serve.tune_gc)."""
from jobnet.app import create_app
from jobnet.config import Settings
from jobnet.logs import configure_logging
from jobnet.serve import tune_gc

settings = Settings.from_env()
configure_logging(settings.log_level)
app = create_app(settings)
tune_gc()
