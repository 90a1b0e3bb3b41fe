"""The error catalogue, the code lists and the provenance list as HTML pages and JSON, made from
specs/ once (pure functions of the catalogues; routes.py serves them)."""
from __future__ import annotations

import html
import json
from typing import Any

from jobnet.docs.provenance import KILDER, _load, counts, entries

STYLE = ("body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}table{border-collapse:collapse;"
         "width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}"
         "th{background:#eee}nav a{margin-right:1rem}code{font-size:.9em}")
NAV = ('<nav><a href="./">API (ReDoc)</a><a href="fejlkatalog.html">Fejlkatalog</a>'
       '<a href="kodelister.html">Kodelister</a><a href="kilder.html">Kilder</a>'
       '<a href="../openapi.yaml">openapi.yaml</a><a href="../ui/">Swagger UI</a></nav>')


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="da"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f'<body>{NAV}<h1>{_e(title)}</h1>{body}</body></html>')


def _table(head: list[str], rows: list[list[str]], row_ids: list[str] | None = None) -> str:
    cells = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(f'<tr{f" id={chr(34)}{_e(row_ids[i])}{chr(34)}" if row_ids else ""}>'
                   + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for i, row in enumerate(rows))
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def catalogue() -> list[dict[str, Any]]:
    return sorted(_load("errors.yaml")["errors"], key=lambda e: e["fejlkode"])


def catalogue_json() -> bytes:
    return json.dumps({"fejlkoder": catalogue()}, ensure_ascii=False, indent=1).encode()


def catalogue_html() -> str:
    rows, ids = [], []
    for e in catalogue():
        dansk = _e(e["fejltekst"]) + (" <em>(oversat)</em>" if e.get("fejltekst_oversat") else "")
        for op, text in (e.get("fejltekster_pr_operation") or {}).items():
            dansk += f"<br><small>{_e(op)}: {_e(text)}</small>"
        status = str(e["http_status"]) + (f" ({e['http_status_plannerdata']} på plannerdata)"
                                          if e.get("http_status_plannerdata") else "")
        kilde = _e(e["kilde"]) + (f": {_e(e['kilde_grund'])}" if e.get("kilde_grund") else "")
        ops = ", ".join(f'<a href="./#operation/{_e(o)}">{_e(o)}</a>' for o in e.get("operationer") or []) or "alle"
        rows.append([f"<code>{e['fejlkode']}</code>", _e(status), dansk, _e(e["fejltekst_en"]), _e(e["beskrivelse"]),
                     ops, kilde])
        ids.append(f"fejlkode-{e['fejlkode']}")
    intro = ("<p>Hvert fejlsvar har kroppen <code>{fejlkode, fejltekst, beskrivelse}</code>: fejltekst er dansk, "
             "beskrivelse engelsk. Oversatte danske tekster er markeret. Som JSON: "
             '<a href="fejlkatalog.json">fejlkatalog.json</a>.</p>')
    return _page("Fejlkatalog", intro + _table(
        ["Fejlkode", "HTTP", "Fejltekst (dansk)", "Fejltekst (engelsk, GL)", "Beskrivelse", "Operationer", "Kilde"],
        rows, ids))


def codelists() -> dict[str, Any]:
    found: dict[str, Any] = _load("codelists.yaml")["codelists"]
    return found


def codelists_json() -> bytes:
    return json.dumps({"kodelister": codelists()}, ensure_ascii=False, indent=1).encode()


def codelists_html() -> str:
    parts = [('<p>Pladsholdere (id eller navn er ikke fundet i nogen kilde) er markeret. Som JSON: '
             '<a href="kodelister.json">kodelister.json</a>.</p>')]
    for name, spec in codelists().items():
        rows = [[f"<code>{v['id']}</code>", _e(v["navn"]), _e(v.get("beskrivelse")),
                 "ja" if v["placeholder"] else "nej", _e(v["kilde"]), _e(v.get("kildehenvisning"))]
                for v in spec["values"]]
        parts.append(f'<h2 id="{_e(name)}">{_e(name)} <small>({_e(spec["xsd_identifier"])})</small></h2>'
                     f"<p>{_e(spec.get('note') or spec.get('kildehenvisning'))}</p>"
                     + _table(["Id", "Navn", "Beskrivelse", "Pladsholder", "Kilde", "Kildehenvisning"], rows))
    return _page("Kodelister", "".join(parts))


def provenance_json() -> bytes:
    return json.dumps({"optaelling": counts(), "poster": [p.as_json() for p in entries()]},
                      ensure_ascii=False, indent=1).encode()


def provenance_html() -> str:
    table = counts()
    summary = _table(["Art", *KILDER], [[_e(art), *(str(row[k]) for k in KILDER)] for art, row in table.items()])
    rows = [[_e(p.art), f"<code>{_e(p.navn)}</code>", _e(p.kilde), _e(p.grund)]
            for p in entries() if p.kilde != "star"]
    intro = ("<p><b>star</b>: står sådan i STAR's specifikation. <b>forslag</b>: STAR's specifikation har "
             "elementet, men navnet, nummeret eller værdien er tabt eller uafklaret og foreslået her. "
             "<b>udvidelse</b>: ikke i STAR's specifikation; tilføjet af denne implementering. HTTP-metoder og "
             "stier er forslag for alle operationer (ingen kilde giver dem). Som JSON: "
             '<a href="kilder.json">kilder.json</a>.</p>')
    return _page("Kilder: hvad er STAR's, og hvad er valgt her",
                 intro + "<h2>Optælling</h2>" + summary + "<h2>Alt der ikke er STAR's</h2>"
                 + _table(["Art", "Navn", "Kilde", "Grund"], rows))


def redoc_html() -> str:
    return ('<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Jobnet selvbooking – API</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<style>{STYLE} body{{margin:0;max-width:none}} nav{{padding:.6rem 1rem;border-bottom:1px solid #ccc}}'
            '</style></head><body>' + NAV + '<div id="redoc"></div><script src="redoc.standalone.js"></script>'
            "<script>Redoc.init('../openapi.json', {expandResponses: '200,201'}, document.getElementById('redoc'))"
            "</script></body></html>")
