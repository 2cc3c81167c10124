"""About & method: definitions, caveats, citations with retrieval dates, licences — as plain components."""

import csv
import re
from pathlib import Path

import dash
import pytest
from babel.messages.pofile import read_po

from dashboard import i18n, ids
from tests.support.dashpages import page_layout, text_of



@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from tests.support.release import fixture_release

    root = tmp_path_factory.mktemp("about")
    return create_app(fixture_release(root / "data", root / "mirror"))


def test_about_page_content(app):
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    text = text_of(entry["layout"]())
    for needle in ["MPP", "Title 42", "Expulsions", "Apprehensions", "death certificates", "SESNSP",
                   "nearest 10", "October to September", "TRAC", "INM", "Pima County", "CONAPO",
                   "How to cite", "Data licences", "Public domain", "CC BY 4.0"]:
        assert needle in text, needle
    assert "{retrieved}" not in text
    assert "not yet retrieved" in text  # sources without data in this release
    assert "reported figures table (each figure cites its own report)" in text
    assert "Markdown" not in text and "dangerously" not in text
    # the lead-figure rule, its six tiers in order, and the tie-break
    assert "Which reported figure leads" in text
    tiers = ["An official count in the counter", "An analysis of official records", "A report naming an official",
             "A count or estimate by an NGO", "A report that names no counter", "A republication of another report"]
    at = [text.index(t) for t in tiers]
    assert at == sorted(at)
    assert "Within a tier the newest figure leads" in text
    # unknown query values do no harm (the page has no settings)
    assert text_of(entry["layout"](x="<script>")) == text


def test_about_says_how_far_each_dataset_reaches_from_the_release(app):
    """The coverage comes from the release: the municipal homicides fixture's last row is its truth."""
    import gzip

    import pandas as pd

    from etl.registry import load_registry
    from tests.conftest import FIXTURES

    with gzip.open(FIXTURES / "inegi_homicides" / "muni_month.csv.gz", "rt", encoding="utf-8") as fh:
        rows = pd.read_csv(fh, sep="|", dtype=str)
    rows[["year", "month"]] = rows[["year", "month"]].astype(int)
    last = rows.sort_values(["year", "month"]).iloc[-1]
    first = rows.sort_values(["year", "month"]).iloc[0]
    label = load_registry().datasets()["inegi_municipal_month"].label
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    text = text_of(entry["layout"]())
    assert f'"{label}"' in text
    assert f"{int(first['year'])}-{int(first['month']):02d} to {int(last['year'])}-{int(last['month']):02d}" in text
    assert "INEGI death certificates, compiled by Gargiulo et al." in text  # the attribution, from the release
    # MPP's dates from the policy events (data/reference/policy_events.csv: 2019-01-29, 2021-01-21, 2021-12-06,
    # 2022-08-08)
    assert ("in force from January 2019 until new enrollments were suspended in January 2021, and reinstated by "
            "court order from December 2021 to August 2022") in text


def test_curated_sources_cite_publication_dates_not_the_refresh_date(app):
    """Reported figures and policy events are curated here: the day a release read the file is not when anyone
    retrieved their figures (issue 11). Their citations give the figures' publication dates, read here straight
    from the curated CSVs, and never "retrieved <date>"; a publisher's file keeps its retrieval date."""
    import csv

    from dashboard import data_access
    from etl.config import reference_dir

    data = data_access.current()
    cites = {c["id"]: c for c in data.citations()}
    for sid, name in (("reported_figures", "reported_figures.csv"), ("policy_events", "policy_events.csv")):
        refreshed = data.sources()[sid]["retrieved_at"][:10]
        assert refreshed, sid  # the release did read the file on a day: that day must not be in the citation
        with open(reference_dir() / name, encoding="utf-8", newline="") as fh:
            dates = sorted(r["published"] for r in csv.DictReader(fh) if r["published"])
        text = cites[sid]["citation"]
        assert "retrieved" not in text and refreshed not in text.replace(dates[0], "").replace(dates[-1], ""), text
        assert f"as published, {dates[0]} to {dates[-1]}" in text, text
    cbp = cites["cbp_encounters"]["citation"]
    assert "retrieved " in cbp and "{retrieved}" not in cbp
    # and on the page
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    page = text_of(entry["layout"]())
    assert cites["reported_figures"]["citation"] in page and cites["policy_events"]["citation"] in page


def test_a_curated_citation_never_takes_the_refresh_date_even_if_its_text_asks_for_it(app, monkeypatch):
    from dashboard import data_access

    data = data_access.current()
    sources = {k: dict(v) for k, v in data.sources().items()}
    sources["reported_figures"]["citation"] = "Reported figures table, retrieved {retrieved}."
    monkeypatch.setattr(type(data), "sources", lambda self: sources)
    text = next(c["citation"] for c in data.citations() if c["id"] == "reported_figures")
    assert "retrieved" not in text and "{" not in text and text.startswith("Reported figures table.")


# ---- the pages in Spanish (issue 15) ---------------------------------------------------------------------------
# Every page's own words, its controls, the export panel, the first-run panel, the not-found page, page titles and
# share previews come from the pages catalogue (dashboard/locale/es/pages.po); dates are written as Mexican
# newspapers write them. English stays the default (the tests above and the other page tests). In this module to
# share its app (a release of the fixtures).

ROOT = Path(__file__).resolve().parents[1]
PATHS = ("/encounters", "/compare", "/map", "/reported", "/violence", "/data", "/about")

OWN = ("pages/", "components.py", "first_run.py", "app.py", "sharemeta.py")  # the code whose words pages.po holds


def english_sentences() -> list[str]:
    """The pages catalogue's English messages of three words or more whose Spanish differs: none of them may be
    left on a Spanish page (read from the catalogue file, not from the code under test). A sentence that other
    code (a chart, a view) also writes is left to that code's own catalogue and tests."""
    with open(ROOT / "dashboard" / "locale" / "es" / "pages.po", "rb") as f:
        cat = read_po(f, locale="es")
    elsewhere = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "dashboard").rglob("*.py")
                          if not str(p.relative_to(ROOT / "dashboard")).startswith(OWN))
    out = []
    for m in cat:
        if isinstance(m.id, str) and m.id and m.string and m.string != m.id:
            english = m.id.split("{")[0].strip()  # the words before a placeholder
            if len(english.split()) >= 3 and f'"{m.id}"' not in elsewhere:
                out.append(english)
    return out


def shown(component) -> str:
    """A layout's text without its class names (a class name is no word the reader sees)."""
    return re.sub(r'"className": "[^"]*"', "", text_of(component))


@pytest.fixture(scope="module")
def pages(app):
    """{path: {language: the page's text}}, each page drawn once per language (not the Overview: drawing its cards
    takes longer than all the others together; its own words are tested on their own below)."""
    out = {}
    for path in PATHS:
        out[path] = {}
        for language in ("es", "en"):
            with i18n.using(language):
                out[path][language] = shown(page_layout(path))
    return out


def test_no_english_sentence_of_the_pages_is_left_on_a_spanish_page(pages):
    sentences = english_sentences()
    for path, text in pages.items():
        left = [s for s in sentences if s in text["es"]]
        assert not left, (path, left)
        assert any(s in text["en"] for s in sentences), path  # the English page does say them: the check can fail


def test_each_page_heads_and_labels_in_spanish(pages):
    expected = {
        "/encounters": ["Encuentros en la frontera", "Desglosar por", "Cambios de política en esta gráfica",
                        "Sobre estas cifras"],
        "/compare": ["Comparar ciudades fronterizas", "Ciudades (de 2 a 6)", "Por cada 100 mil habitantes",
                     "Las cifras lado a lado", "Último año con datos"],
        "/map": ["Mapa", "Tamaño y color de las ciudades según", "Capa de muertes de migrantes"],
        "/reported": ["MPP y cifras reportadas", "«Quédate en México»", "Inscripciones oficiales en el MPP por mes (CBP)",
                      "Todos los lugares"],
        "/violence": ["Violencia", "Subtipo de delito (SESNSP)", "Dos fuentes, dos definiciones:"],
        "/data": ["Datos y fuentes", "Consultar una tabla", "Estado de la última actualización", "← Anterior"],
        "/about": ["Acerca del tablero y método", "Cómo citar", "Advertencias", "Licencias de los datos"],
    }
    for path, words in expected.items():
        for w in words:
            assert w in pages[path]["es"], (path, w)
    # the export panel under every chart
    text = pages["/compare"]["es"]
    for w in ("Descargar, compartir o insertar esta gráfica", "Tarjeta para redes 1200×630", "Código para insertar",
              "Datos de la gráfica (CSV)", "Copiar el enlace"):
        assert w in text, w
    assert "/data?lang=es" in text  # the panel's link to the full tables keeps the language


def test_the_overview_in_spanish(app, monkeypatch):
    from dashboard import data_access
    from dashboard.aggregates.overview import Headline

    # the page's module as Dash Pages loaded it (importing it again would register the page twice)
    card_of = next(p for p in dash.page_registry.values() if p["path"] == "/")["layout"].__globals__["card"]
    h = Headline(label="x", value="1,167", detail="", as_of="septiembre de 2020", source="", url=None)
    with i18n.using("es"):
        card = shown(card_of(h))
    assert "Con corte a septiembre de 2020 · " in card and '"fuente"' in card  # a source without a name
    monkeypatch.setattr(data_access, "current", lambda: None)
    with i18n.using("es"):
        empty = shown(page_layout("/"))
    assert "Estadísticas de migración en la frontera México–Estados Unidos" in empty
    assert "Todavía no hay datos." in empty and "Todavía no se han publicado datos." in empty


def test_the_violence_months_are_abbreviated_as_in_spanish(app):
    with i18n.using("es"):
        layout = page_layout("/violence")
    options = {o["value"]: o["label"] for o in find(layout, ids.Violence.from_).options}
    # written out by hand: es-MX abbreviations, no full stop
    assert options["2020-01"] == "ene 2020" and options["2019-09"] == "sep 2019" and options["2019-12"] == "dic 2019"
    with i18n.using("en"):
        options = {o["value"]: o["label"] for o in find(page_layout("/violence"), ids.Violence.from_).options}
    assert options["2020-01"] == "Jan 2020"


def test_the_mpp_dates_on_about_are_spanish_months(pages):
    """The dates of data/reference/policy_events.csv, each month written out in Spanish by hand."""
    with open(ROOT / "data" / "reference" / "policy_events.csv", encoding="utf-8", newline="") as f:
        dates = {r["event_id"]: r["date"] for r in csv.DictReader(f)}
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]

    def spanish(day: str) -> str:
        y, m, _ = day.split("-")
        return f"{months[int(m) - 1]} de {y}"

    from dashboard.datasets import MPP_ENDED_EVENT, MPP_FIRST_RETURN_EVENT, MPP_REINSTATED_EVENT, MPP_SUSPENDED_EVENT

    first, suspended, reinstated, ended = (spanish(dates[e]) for e in (
        MPP_FIRST_RETURN_EVENT, MPP_SUSPENDED_EVENT, MPP_REINSTATED_EVENT, MPP_ENDED_EVENT))
    text = pages["/about"]["es"]
    assert (f"vigente desde {first} hasta que se suspendieron las nuevas inscripciones en {suspended}, y "
            f"restablecida por orden judicial de {reinstated} a {ended}") in text
    assert "enero de 2019" in text  # the first return (2019-01-29), as the English test reads it too


def test_page_titles_and_share_previews_in_the_language_of_the_address(app):
    client = app.server.test_client()
    from tests.test_share import metas

    es = client.get("/about?lang=es").get_data(as_text=True)
    assert "<title>Acerca del tablero y método · Estadísticas de migración en la frontera</title>" in es
    m = metas(es).tags
    assert m["og:title"] == "Acerca del tablero y método · Estadísticas de migración en la frontera"
    assert m["og:description"].startswith("Estadísticas de migración en la frontera México–Estados Unidos lado a lado")
    en = client.get("/about?lang=en").get_data(as_text=True)
    assert "<title>About &amp; method · Border migration statistics</title>" in en
    assert metas(en).tags["og:title"] == "About & method · Border migration statistics"  # the name once, not twice
    # Dash draws the title in the browser from the same function, in the language of the callback
    import dash

    page = next(p for p in dash.page_registry.values() if p["path"] == "/compare")
    with i18n.using("es"):
        assert page["title"]() == "Comparar ciudades · Estadísticas de migración en la frontera"
    assert page["title"]() == "Compare cities · Border migration statistics"


def test_the_not_found_page_in_spanish(app):
    client = app.server.test_client()
    r = client.get("/no-such-page?lang=es")
    body = r.get_data(as_text=True)
    assert r.status_code == 404 and '<html lang="es">' in body
    assert "<h1>Página no encontrada</h1>" in body and "Ir al panorama" in body
    assert '<a class="nav-link" href="/compare?lang=es">Comparar ciudades</a>' in body
    assert "Page not found" not in body and "Compare cities" not in body
    en = client.get("/no-such-page").get_data(as_text=True)
    assert "<h1>Page not found</h1>" in en and '<a class="nav-link" href="/compare">Compare cities</a>' in en


def test_the_first_run_panel_in_spanish():
    from dashboard import first_run
    from etl import commands

    found = {"stage": "finished", "running": False, "mirror": False, "sources": [
        {"id": "cbp_encounters", "state": "failed", "error": "cbp_encounters: no network; " + commands.no_network_hint()},
        {"id": "iom_missing_migrants", "state": "failed", "error": "line 4: bad"},
        {"id": "reported_figures", "state": "done", "rows": 1499}, {"id": "policy_events", "state": "done", "rows": 1},
        {"id": "usbp_history", "state": "unchanged"}]}
    with i18n.using("es"):
        text = shown(first_run.panel(found))
    failed = sum(1 for s in found["sources"] if s["state"] == "failed")
    assert f"Fallaron {failed} de {len(found['sources'])} fuentes" in text
    assert "1,499 filas" in text and "1 fila" in text and "sin cambios" in text
    # the no-network advice in Spanish, its commands as typed
    assert "¿Sin conexión a internet?" in text and "Lea una carpeta de archivos descargados con" in text
    for command in (commands.cli("refresh", "--mirror", "DIR"), commands.app("--mirror", "DIR"),
                    commands.cli("refresh", "--offline")):
        assert text.count(command) == 1, command
    assert not re.search(r"\b(sources|failed|rows|without a network)\b", text), text
    running = {"stage": "fetching", "running": True, "mirror": True, "sources": [
        {"id": "cbp_encounters", "state": "done", "rows": 7},
        {"id": "inegi_homicides", "state": "fetching", "bytes": 2_500_000, "total": 10_000_000},
        {"id": "conapo_population", "state": "waiting"}]}
    with i18n.using("es"):
        text = text_of(first_run.panel(running))
    assert "Leyendo 3 fuentes de la carpeta espejo: 1 de 3 listas" in text
    assert "2.5 MB de 10.0 MB" in text and "en espera" in text


def find(component, id_):
    """The component with this id in a layout."""
    if getattr(component, "id", None) == id_:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            hit = find(child, id_)
            if hit is not None:
                return hit
    return None
