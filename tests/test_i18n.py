"""Languages (issue 15): the catalogues hold every message of the code, in both languages; a request is answered
in the language its address, its callback body or (for a page) the browser asks for; numbers and dates by locale
with Babel; links keep the language."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dashboard import i18n

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import i18n as catalogues  # noqa: E402  (tools/i18n.py)


def test_every_message_of_the_code_is_translated_in_both_catalogues():
    assert catalogues.extract(), "no messages found: the extractor sees nothing"
    assert catalogues.problems() == []


def test_no_compiled_catalogue_is_committed():
    assert not list((ROOT / "dashboard" / "locale").rglob("*.mo"))


def test_numbers_and_dates_by_locale():
    assert i18n.number(37118) == "37,118" and i18n.month_year("2021-01-01") == "January 2021"
    with i18n.using("es"):
        assert i18n.number(37118) == "37,118"  # es-MX prints thousands with a comma, as Mexican newspapers do
        assert i18n.number(1499.25, 1) == "1,499.2"
        assert i18n.month_year("2021-01-01") == "enero de 2021"
        assert i18n.day("2021-01-05") == "5 de enero de 2021"
        assert i18n.month_abbr("2021-09-01") == "sep 2021"
        assert i18n._("Skip to content") == "Ir al contenido"
    assert i18n._("Skip to content") == "Skip to content"


def test_links_keep_the_language():
    assert i18n.with_lang("?year=2021") == "?year=2021" and i18n.with_lang("") == ""
    with i18n.using("es"):
        assert i18n.with_lang("?year=2021&lang=en") == "?year=2021&lang=es"
        assert i18n.href("/compare") == "/compare?lang=es"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from tests.support.dashapp import fixture_app

    return fixture_app(tmp_path_factory.mktemp("i18n")).server.test_client()


def test_a_page_is_in_the_language_of_its_address_or_else_the_browsers(client):
    es = client.get("/compare?lang=es")
    assert es.status_code == 200 and b'<html lang="es">' in es.data and "Accept-Language" not in es.headers.get("Vary", "")
    en = client.get("/compare?lang=en", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert b'<html lang="en">' in en.data
    browser = client.get("/compare", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert b'<html lang="es">' in browser.data and "Accept-Language" in browser.headers["Vary"]
    other = client.get("/compare", headers={"Accept-Language": "fr-FR"})
    assert b'<html lang="en">' in other.data
    # the stored page of one language is never the other's
    again = client.get("/compare", headers={"Accept-Language": "en-US"})
    assert b'<html lang="en">' in again.data
    assert client.get("/compare?lang=xx").status_code == 200  # an unknown language: the default, no error


def frame_body(lang):
    out = [{"id": i, "property": "children"} for i in ("shell-nav", "shell-lang", "shell-foot", "shell-skip",
                                                       "shell-brand")]
    out += [{"id": "shell-nav", "property": "aria-label"}, {"id": "shell-lang", "property": "aria-label"}]
    body = {"output": "..shell-nav.children...shell-lang.children...shell-foot.children...shell-skip.children..."
                      "shell-brand.children...shell-nav.aria-label...shell-lang.aria-label..",
            "outputs": out, "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/compare"},
                                       {"id": "_pages_location", "property": "search", "value": "?year=2021"}],
            "changedPropIds": []}
    if lang:
        body["lang"] = lang
    return json.dumps(body)


def test_a_callback_answers_in_the_language_its_body_says(client):
    es = client.post("/_dash-update-component", data=frame_body("es"), content_type="application/json")
    assert es.status_code == 200
    text = json.dumps(es.get_json(), ensure_ascii=False)  # Dash writes "/" as \\u002f: compare the decoded answer
    assert "Ir al contenido" in text and "/data?lang=es" in text
    assert "Estadísticas de migración en la frontera" in text and '"aria-label": "Idioma"' in text
    assert "/compare?year=2021" in text  # the switch back to English keeps the settings, without lang=
    en = client.post("/_dash-update-component", data=frame_body(None), content_type="application/json")
    text = json.dumps(en.get_json())
    assert "Skip to content" in text and "/compare?year=2021&lang=es" in text and "/data?lang" not in text
    bad = client.post("/_dash-update-component", data=frame_body("fr"), content_type="application/json")
    assert bad.status_code == 400


def test_a_cached_answer_is_kept_per_language(client):
    """The views' answers are cached per release (dashboard/cache.py): the Spanish one is never the English one
    asked first, nor the other way round."""
    from dashboard.views import encounters

    state = encounters.state_from_query({}).state
    first_en = encounters.chart_views(state)
    with i18n.using("es"):
        es = encounters.chart_views(state)
    again_en = encounters.chart_views(state)
    (key,) = [k for k in first_en if k in es]
    title = lambda views: views[key][0].layout.title.text  # noqa: E731
    assert title(first_en) == title(again_en) and title(es) != title(first_en)
    with i18n.using("es"):
        assert title(encounters.chart_views(state)) == title(es)


def test_source_lines_name_the_sources_in_spanish(client):
    """A Spanish chart's source line names its source in Spanish (the registry's attribution_es), never the English
    description ("INEGI death certificates, compiled by …"); curated files say "tal como se publicaron"."""
    from dashboard import data_access
    from etl.registry import load_registry

    data = data_access.current()
    registry = load_registry().sources
    missing = [sid for sid in data.sources() if not registry[sid].attribution_es]
    assert missing == [], "sources without a Spanish attribution"
    english = data.attribution("inegi_homicides")
    with i18n.using("es"):
        assert data.attribution("inegi_homicides") == registry["inegi_homicides"].attribution_es != english
        assert data.source_pair("reported_figures")[0].endswith(", tal como se publicaron")
        png = client.get("/export/compare-homicides.json?cities=02004,08037&year=2020&lang=es").get_json()
    assert registry["inegi_homicides"].attribution_es in json.dumps(png, ensure_ascii=False)
    assert english not in json.dumps(png, ensure_ascii=False)
