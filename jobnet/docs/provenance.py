"""What is STAR's and what this implementation chose: every x-kilde of specs/openapi.yaml and the
kilde of every error code (specs/errors.yaml) and code-list value (specs/codelists.yaml)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import yaml

from jobnet.specfiles import SPECS

KILDER = ("star", "forslag", "udvidelse")
_GRUND = re.compile(r"Kilde: (?:forslag|udvidelse) — (.*?)(?= Begrænsning \w+ \(|$)", re.S)


@dataclass(frozen=True)
class Post:
    art: str  # operation, parameter, egenskab, begrænsning, fejlkode, kodelisteværdi
    navn: str
    kilde: str
    grund: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)


def _load(name: str) -> Any:
    return yaml.safe_load((SPECS / name).read_text(encoding="utf-8"))


def _grund(description: object) -> str:
    found = _GRUND.search(" ".join(str(description or "").split()))
    return found.group(1).strip() if found else ""


def _constraint_reason(description: object, keyword: str) -> str:
    text = " ".join(str(description or "").split())
    found = re.search(rf"Begrænsning {keyword} \(\w+\): (.*?)(?= Begrænsning \w+ \(|$)", text)
    return found.group(1).strip() if found else ""


def _marked(art: str, navn: str, node: dict[str, Any]) -> list[Post]:
    posts = [Post(art, navn, node["x-kilde"], _grund(node.get("description")))]
    for keyword, kilde in (node.get("x-kilde-begraensninger") or {}).items():
        posts.append(Post("begrænsning", f"{navn} ({keyword})", kilde,
                          _constraint_reason(node.get("description"), keyword)))
    return posts


@cache
def entries() -> tuple[Post, ...]:
    spec = _load("openapi.yaml")
    posts: list[Post] = []
    for item in spec["paths"].values():
        for op in item.values():
            posts += _marked("operation", op["operationId"], op)
    for param in spec["components"]["parameters"].values():
        posts += _marked("parameter", f"{param['in']} {param['name']}", param)
    for schema_name, schema in spec["components"]["schemas"].items():
        for prop_name, prop in (schema.get("properties") or {}).items():
            posts += _marked("egenskab", f"{schema_name}.{prop_name}", prop)
    for e in _load("errors.yaml")["errors"]:
        posts.append(Post("fejlkode", str(e["fejlkode"]), e["kilde"], e.get("kilde_grund", "")))
    for list_name, spec_list in _load("codelists.yaml")["codelists"].items():
        for v in spec_list["values"]:
            grund = "" if v["kilde"] == "star" else (
                "id og navn er opfundet her (placeholder)" if v["placeholder"]
                else f"fra en anden STAR-kilde end specifikationen: {v.get('kildehenvisning', '')}")
            posts.append(Post("kodelisteværdi", f"{list_name} {v['id']} {v['navn']}", v["kilde"], grund))
    return tuple(posts)


def counts() -> dict[str, dict[str, int]]:
    """Per kind of thing: how many are star, forslag and udvidelse."""
    table: dict[str, dict[str, int]] = {}
    for post in entries():
        row = table.setdefault(post.art, dict.fromkeys(KILDER, 0))
        row[post.kilde] += 1
    return table
