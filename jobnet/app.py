"""The app factory: connexion serves specs/openapi.yaml and routes each operation to handlers/."""
from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio
import connexion
import yaml
from connexion.exceptions import OAuthProblem
from connexion.jsonifier import Jsonifier
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver

import generated.routes
from jobnet.clock import Clock, SystemClock
from jobnet.config import Settings
from jobnet.context import Services
from jobnet.docs import published as docs
from jobnet.edge import auth, errors
from jobnet.edge.accesslog import AccessLog
from jobnet.edge.guards import RequestGuard
from jobnet.edge.headers import PrivacyHeaders
from jobnet.edge.published import Document, PublishedDocuments, openapi_documents, swagger_ui_documents
from jobnet.edge.ratelimit import TokenBucket, WriteLimits
from jobnet.edge.validators import VALIDATOR_MAP_STRICT
from jobnet.health import HealthEndpoints
from jobnet.logs import redact_cpr_in_logs
from jobnet.metrics import READ_SCOPE, Metrics, MetricsEndpoint
from jobnet.recovery import PeriodicRecovery, recover
from jobnet.specfiles import SPECS
from jobnet.store.ratebuckets import shared_buckets

log = logging.getLogger("jobnet.app")


def create_app(settings: Settings | None = None, clock: Clock | None = None,
               services: Services | None = None) -> connexion.FlaskApp:
    settings = settings or Settings.from_env()
    redact_cpr_in_logs()
    if services is None:
        services = default_services(settings, clock or SystemClock())
    app = connexion.FlaskApp(__name__, specification_dir=SPECS, lifespan=_lifespan(services),
                             jsonifier=Jsonifier(json, ensure_ascii=False, separators=(",", ":")))
    trusted = _trusted_callers(settings)
    app.add_api(_specification(trusted), resolver=Resolver(lambda op_id: getattr(generated.routes, op_id)),
                pythonic_params=True, strict_validation=True,
                validate_responses=settings.validate_responses, validator_map=VALIDATOR_MAP_STRICT,
                swagger_ui_options=SwaggerUIOptions(serve_spec=False, swagger_ui=False))
    metrics = services.metrics or Metrics(settings.metrics_dir)
    app.add_middleware(AccessLog, position=MiddlewarePosition.BEFORE_EXCEPTION, key=settings.access_log_key(),
                       metrics=metrics)
    app.add_middleware(PrivacyHeaders, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(RequestGuard, position=MiddlewarePosition.BEFORE_SWAGGER)
    if trusted is not None:
        app.add_middleware(auth.TrustedCallers, position=MiddlewarePosition.BEFORE_SWAGGER, trusted=trusted)
    app.add_middleware(HealthEndpoints, position=MiddlewarePosition.BEFORE_SWAGGER,
                       database=lambda: app.app.extensions["jobnet"].db)
    app.add_middleware(MetricsEndpoint, position=MiddlewarePosition.BEFORE_SWAGGER, metrics=metrics,
                       admits=_metrics_readers(trusted))
    app.add_middleware(PublishedDocuments, position=MiddlewarePosition.BEFORE_SWAGGER,
                       documents=_published(settings), redirects={"/v1/ui": "/v1/ui/", "/v1/docs": "/v1/docs/"})
    errors.register(app, metrics)
    app.app.extensions["jobnet"] = services
    _mount_planner(app, settings, trusted, metrics)
    return app


def _metrics_readers(trusted: auth.TrustedIssuers | None) -> Callable[[bytes | None], bool | None] | None:
    """Who may read /metrics: a bearer token of a trusted issuer with the scope metrics:read (None:
    no valid token, 401; False: the token lacks the scope, 403). Open when authentication is off."""
    if trusted is None:
        return None

    def admits(authorization: bytes | None) -> bool | None:
        kind, _, token = (authorization or b"").decode("latin-1").partition(" ")
        if kind.lower() != "bearer" or not token:
            return None
        try:
            claims = trusted.verify(token.strip())
        except OAuthProblem:
            return None
        return READ_SCOPE in claims.get("scope", "").split()

    return admits


def _lifespan(services: Services) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """At shutdown (after the server has stopped accepting and the requests in flight are done):
    stop the background work, e.g. the periodic recovery, so none is cut off half-way."""

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        yield
        for stop in services.on_shutdown:
            await anyio.to_thread.run_sync(stop)
        log.info("background work stopped")

    return lifespan


def _published(settings: Settings) -> dict[str, Document]:
    """Every document anyone may read without a token, made once (jobnet.edge.published)."""
    from jobnet.planner.soap import contract

    planner = {f"/planner/{name}": Document(path.read_bytes(), "application/xml")
               for name, path in contract.PUBLISHED.items()}
    # soap:address from the configured base URL, never from the Host header of whoever asks
    planner[f"{contract.PATH}?wsdl"] = Document(contract.wsdl(settings.base_url + contract.PATH),
                                                contract.CONTENT_TYPE)
    return {**openapi_documents(SPECS), **swagger_ui_documents("/v1/openapi.json"), **planner,
            **docs.documents()}  # /v1/docs/: ReDoc, the error catalogue, the code lists, the provenance list


def _mount_planner(app: connexion.FlaskApp, settings: Settings, trusted: auth.TrustedIssuers | None,
                   metrics: Metrics) -> None:
    """Issue 3: the embedded planner as ExternalBookingService (SOAP) at /planner/soap; with caller
    authentication on, only the configured planner clients may call it, each within its scope."""
    from jobnet.planner.embedded import EmbeddedPlanner
    from jobnet.planner.soap.server import mount

    def current() -> Services:  # the same services as the REST API, also where a test swaps them
        services: Services = app.app.extensions["jobnet"]
        return services

    def jobcentre_of(cpr: str) -> str | None:
        with current().db.read() as r:
            borger = r.borgere.get(cpr)
        return borger.jobcenter_kode if borger is not None else None

    mount(app.app, lambda client: EmbeddedPlanner(current().db, current().clock, client=client,
                                                  kept_answer=metrics.kept_answer),
          trusted.planner_client if trusted is not None else None, jobcentre_of,
          TokenBucket.parse(settings.rate_planner_client, "off", "planner_client",
                            lambda: shared_buckets(current().db)), metrics)


def _trusted_callers(settings: Settings) -> auth.TrustedIssuers | None:
    """The configured issuers and planner clients; None only when authentication is switched off."""
    if settings.auth_disabled:
        log.warning("JOBNET_AUTH=off: serving WITHOUT caller authentication")
        return None
    if settings.auth_config is None:
        raise RuntimeError("No trusted token issuers: set JOBNET_AUTH_CONFIG (see `make auth`), "
                           "or JOBNET_AUTH=off to serve without caller authentication")
    return auth.TrustedIssuers.load(settings.auth_config)


def _specification(trusted: auth.TrustedIssuers | None) -> dict[str, Any]:
    """The OpenAPI document, without its security requirements when authentication is off."""
    spec: dict[str, Any] = yaml.safe_load((SPECS / "openapi.yaml").read_text(encoding="utf-8"))
    if trusted is not None:
        return spec
    spec.pop("security", None)
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict):
                op.pop("security", None)
    return spec


def default_services(settings: Settings, clock: Clock) -> Services:
    from jobnet.planner import planner_for
    from jobnet.store import Database

    db = Database(settings.database, clock=clock, sealer=settings.sealer(), pool_size=settings.db_pool_size,
                  timeout=settings.db_timeout)
    db.migrate()
    stop_checkpoints = db.engine.checkpoint_in_background()
    limits = WriteLimits(TokenBucket.parse(settings.rate_client, "off", "client", lambda: shared_buckets(db)),
                         TokenBucket.parse(settings.rate_citizen, "off", "citizen", lambda: shared_buckets(db)))
    metrics = Metrics(settings.metrics_dir)
    metrics.pool_source = db.pool_use
    services = Services(db=db, clock=clock, planner_for=lambda jobcenter: planner_for(db, jobcenter, clock, metrics),
                        limits=limits, max_future_bookings=settings.max_future_bookings, metrics=metrics)
    services.on_shutdown.append(stop_checkpoints)
    recover(db, services.planner_for, clock, metrics=metrics)  # planner changes a crashed process left half-made
    if settings.recovery_seconds > 0:
        periodic = PeriodicRecovery(db, services.planner_for, clock, settings.recovery_seconds, metrics).start()
        services.on_shutdown.append(periodic.stop)
    return services
