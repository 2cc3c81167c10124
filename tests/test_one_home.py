"""What the project knows lives in data, once: the dashboard's code types no source's publisher, attribution,
citation or address (they come from the release it shows, which carries the registry's words), and no border
city's INEGI code (the cities, their groups and colours come from places.csv)."""
from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
CODE = {p: p.read_text(encoding="utf-8") for p in sorted((ROOT / "dashboard").rglob("*.py"))}


def registry_words() -> list[tuple[str, str]]:
    """(source id, text) for every publisher, attribution, citation and address in the registry."""
    raw = tomllib.loads((REFERENCE / "sources.toml").read_text(encoding="utf-8"))
    out = []
    for src in raw["source"]:
        for key in ("publisher", "attribution", "landing_page"):
            if src.get(key) and not (key == "landing_page" and not src[key].startswith("http")):  # a repo path
                out.append((src["id"], src[key]))
        # the citation without its {retrieved} placeholder, and each file's address or discovery page
        out.append((src["id"], src["citation"].split("{")[0].strip()))
        for f in src.get("files", []):
            out += [(src["id"], u) for u in (f.get("url"), (f.get("discover") or {}).get("page")) if u]
    return [(sid, text) for sid, text in out if len(text) >= 8]


def test_the_registry_has_words_to_look_for():
    words = registry_words()
    assert len(words) > 30 and any("cbp.gov" in t for _, t in words)


@pytest.mark.parametrize("sid,text", registry_words())
def test_no_registry_words_typed_in_dashboard_code(sid, text):
    found = [str(p.relative_to(ROOT)) for p, code in CODE.items() if text in code]
    assert found == [], f"{sid}: {text!r} is typed in {found}; read it from the release (data_access)"


def test_no_source_host_typed_in_dashboard_code():
    """No publisher's host (cbp.gov, raw.githubusercontent.com, ...) in dashboard code: addresses come from the
    release. (XML namespaces and the project's own example address are not a source's host.)"""
    hosts = {urlsplit(text).netloc.lower() for _, text in registry_words() if text.startswith("http")}
    assert {"www.cbp.gov", "ohss.dhs.gov", "missingmigrants.iom.int"} <= hosts
    found = {str(p.relative_to(ROOT)): sorted(h for h in hosts if h in code.lower())
             for p, code in CODE.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_no_border_city_code_typed_in_dashboard_or_etl_code():
    with (REFERENCE / "places.csv").open(encoding="utf-8") as fh:
        cities = [r["place_id"] for r in csv.DictReader(fh) if r.get("border_order")]
    assert len(cities) == 13
    files = {**CODE, **{p: p.read_text(encoding="utf-8") for p in (ROOT / "etl").rglob("*.py")}}
    found = sorted(f"{p.relative_to(ROOT)}: {c}" for p, code in files.items() for c in cities
                   if re.search(rf"(?<![\d.]){c}(?!\d)", code))
    assert found == []
