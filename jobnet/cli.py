"""``jobnet``: the one command of the service.

    jobnet serve                      serve the API and the SOAP endpoint (jobnet.serve)
    jobnet migrate                    apply the database migrations
    jobnet load FILE                  load a data file (docs/datafile.md)
    jobnet demo [--reset]             load the demo data (relative to today)
    jobnet token init|mint ...        the local demo issuer: key pair, planner client, secret key; tokens
    jobnet backup --to FILE           an online backup of the database
    jobnet restore --from FILE        put a backup in place (service stopped)
    jobnet recover                    reconcile planner changes left half-made
    jobnet config                     the effective settings, secrets masked
    jobnet scaleout                   a local PostgreSQL, the demo data, several instances (make run-pg)

Every command takes its settings from the environment and ``JOBNET_CONFIG`` (jobnet.config);
``--db`` defaults to ``JOBNET_DB``. ``jobnet COMMAND --help`` tells more.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from jobnet.config import Settings
from jobnet.errors import ConfigError

Command = Callable[[list[str], Settings], int]


def _with_db(argv: list[str], settings: Settings) -> list[str]:
    """``argv`` with ``--db JOBNET_DB`` unless it names a database itself (or asks for help)."""
    if any(a == "--db" or a.startswith("--db=") for a in argv) or "-h" in argv or "--help" in argv:
        return argv
    return [*argv, "--db", str(settings.database)]


def _serve(argv: list[str], settings: Settings) -> int:
    argparse.ArgumentParser(prog="jobnet serve", description="Serve the API (settings from the environment: "
                            "`jobnet config`).").parse_args(argv)
    from jobnet.serve import main

    return main()


def _migrate(argv: list[str], settings: Settings) -> int:
    parser = argparse.ArgumentParser(prog="jobnet migrate", description="Apply the pending database migrations.")
    parser.add_argument("--db", default=str(settings.database), help="the database (default: JOBNET_DB)")
    args = parser.parse_args(argv)
    from jobnet.store import Database

    db = Database(args.db, sealer=settings.sealer())
    try:
        applied = db.migrate()
    finally:
        db.dispose()
    print(f"applied {len(applied)} migration(s){': ' + ', '.join(applied) if applied else ''}")
    return 0


def _load(argv: list[str], settings: Settings) -> int:
    from jobnet.loader.cli import main

    return main(_with_db(argv, settings), prog="jobnet load")


def _demo(argv: list[str], settings: Settings) -> int:
    from jobnet.demo import main

    return main(_with_db(argv, settings), prog="jobnet demo")


def _token(argv: list[str], settings: Settings) -> int:
    from jobnet.tokens import main

    return main(argv, prog="jobnet token")


def _backup(argv: list[str], settings: Settings) -> int:
    from jobnet.store.backup import main

    return main(["backup", *_with_db(argv, settings)], prog="jobnet")


def _restore(argv: list[str], settings: Settings) -> int:
    from jobnet.store.backup import main

    return main(["restore", *_with_db(argv, settings)], prog="jobnet")


def _recover(argv: list[str], settings: Settings) -> int:
    from jobnet.recovery import main

    return main(_with_db(argv, settings), prog="jobnet recover")


def _config(argv: list[str], settings: Settings) -> int:
    argparse.ArgumentParser(prog="jobnet config", description="Print the effective settings (defaults, "
                            "JOBNET_CONFIG's TOML file, the environment), secrets masked.").parse_args(argv)
    width = max(len(env) for env, _, _ in settings.describe())
    for env, value, _ in settings.describe():
        print(f"{env:<{width}}  {value}")
    return 0


def _scaleout(argv: list[str], settings: Settings) -> int:
    from jobnet.scaleout import main

    return main(argv, prog="jobnet scaleout")


COMMANDS: dict[str, tuple[Command, str]] = {
    "serve": (_serve, "serve the API and the SOAP endpoint"),
    "migrate": (_migrate, "apply the database migrations"),
    "load": (_load, "load a data file (docs/datafile.md)"),
    "demo": (_demo, "load the demo data"),
    "token": (_token, "the local demo issuer (init) and its access tokens (mint)"),
    "backup": (_backup, "an online backup of the database"),
    "restore": (_restore, "put a backup in place (service stopped)"),
    "recover": (_recover, "reconcile planner changes left half-made"),
    "config": (_config, "the effective settings, secrets masked"),
    "scaleout": (_scaleout, "a local PostgreSQL, the demo data and several instances (make run-pg)"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jobnet", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, text) in COMMANDS.items():
        sub.add_parser(name, help=text, add_help=False)
    args, rest = parser.parse_known_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"jobnet: {exc}", file=sys.stderr)
        return 2
    command, _ = COMMANDS[args.command]
    return command(rest, settings)


if __name__ == "__main__":
    sys.exit(main())
