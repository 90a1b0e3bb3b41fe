"""Local token tooling: a demo issuer key pair and access tokens signed with it.

    jobnet token init --dir var/auth          # key pair + issuers.json + planner-client.json
                                              # + secret.key (each kept if present)
    jobnet token mint --dir var/auth [--scope "booking:read booking:write"] [--org STAR]
                      [--sub jobnet] [--ttl 3600]

Point the service at the issuers file with JOBNET_AUTH_CONFIG=var/auth/issuers.json.
``planner-client.json`` holds the demo planner client (username and a random password) that may call
this installation's SOAP planner endpoint; the issuers file keeps only its salted hash.
``secret.key`` seals the planner route passwords in the database (JOBNET_SECRET_KEY_FILE).
For local use and tests only: production issuers are configured with their public keys alone.
"""
from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from jobnet.edge.auth import hash_secret
from jobnet.store.files import private_dir
from jobnet.store.sealing import Sealer

DEMO_ISSUER = "https://idp.demo.jobnet.local"
AUDIENCE = "jobnet-selvbooking"
ALL_SCOPES = "booking:read booking:write"
DEMO_PLANNER_CLIENT = "dfdg-demo"
DEMO_PLANNER_JOBCENTRE = "40404"  # the demo's job centre routed over SOAP to this service (jobnet.demo)


def init(directory: Path, issuer: str = DEMO_ISSUER) -> Path:
    """Create the key pair, the demo planner client and the issuers file unless they exist;
    returns the issuers file."""
    private_dir(directory)
    Sealer.create_key_file(directory / "secret.key")
    private_path, config_path = directory / "issuer-private.pem", directory / "issuers.json"
    if not private_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
        private_path.chmod(0o600)
    client = planner_client(directory)
    config = json.loads(config_path.read_text()) if config_path.exists() else {}
    if not config:
        private = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        config = {"audience": AUDIENCE, "issuers": {issuer: public}}
    clients = config.setdefault("planner_clients", {})
    if not isinstance(clients.get(client["username"]), dict):  # none, or an earlier version's bare hash
        clients[client["username"]] = {"secret": hash_secret(client["password"]),
                                       "jobcentre": [DEMO_PLANNER_JOBCENTRE]}
        config_path.write_text(json.dumps(config, indent=2))
    return config_path


def planner_client(directory: Path) -> dict[str, str]:
    """The demo planner client's credentials (``planner-client.json``), made on first use."""
    path = directory / "planner-client.json"
    if not path.exists():
        path.write_text(json.dumps({"username": DEMO_PLANNER_CLIENT, "password": secrets.token_urlsafe(32)}))
        path.chmod(0o600)
    return dict(json.loads(path.read_text()))


def mint(directory: Path, scope: str = ALL_SCOPES, org: str | None = "STAR", sub: str = "jobnet",
         ttl: int = 3600, issuer: str = DEMO_ISSUER, audience: str = AUDIENCE) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": sub, "iat": now, "exp": now + ttl, "scope": scope}
    if org:
        claims["org"] = org
    return jwt.encode(claims, (directory / "issuer-private.pem").read_bytes(), algorithm="RS256")


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    i = sub.add_parser("init")
    i.add_argument("--dir", type=Path, default=Path("var/auth"))
    m = sub.add_parser("mint")
    m.add_argument("--dir", type=Path, default=Path("var/auth"))
    m.add_argument("--scope", default=ALL_SCOPES)
    m.add_argument("--org", default="STAR")
    m.add_argument("--sub", default="jobnet")
    m.add_argument("--ttl", type=int, default=3600)
    args = parser.parse_args(argv)
    if args.command == "init":
        print(init(args.dir))
    else:
        print(mint(args.dir, args.scope, args.org or None, args.sub, args.ttl))
    return 0


if __name__ == "__main__":
    sys.exit(main())
