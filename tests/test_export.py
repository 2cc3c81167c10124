"""Exports: sizes and formats, the plotted points as CSV, the HTTP routes, the embed page, the CLI.

Pure pieces on tiny literal figures; the routes and the CLI over a release built from the fixtures;
images through kaleido and the system Chromium (skipped where there is none)."""
from __future__ import annotations

import csv
import io
import re
import struct

import pytest

from dashboard.export import frames, options, registry, render
from dashboard.export.registry import BadRequest
from tests.support.release import fixture_release

CHROMIUM = render.find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: image export cannot run here")


# ---------------------------------------------------------------- sizes and formats

def test_presets_and_explicit_sizes():
    assert options.parse_size(None) == options.Size(1200, 675, 1)
    assert options.parse_size("social") == options.Size(1200, 630, 1)
    assert options.parse_size("square") == options.Size(1080, 1080, 1)
    assert options.parse_size("print").width == 2400
    assert options.parse_size("800x600", "2") == options.Size(800, 600, 2)


@pytest.mark.parametrize("size, scale", [("10x10", None), ("5000x600", None), ("1200", None), ("1e3x600", None),
                                         ("<script>", None), ("1200x675", "9"), ("4000x4000", "2"), ("x" * 5000, None)])
def test_bad_sizes_are_refused_with_a_reason(size, scale):
    with pytest.raises(BadRequest) as e:
        options.parse_size(size, scale)
    assert len(str(e.value)) < 200  # a hostile value is not echoed back whole


def test_formats_come_from_a_list():
    assert options.parse_formats("png,svg,csv,png") == ["png", "svg", "csv"]
    for bad in ("exe", "png,../x", ""):
        with pytest.raises(BadRequest):
            options.parse_formats(bad)


# ---------------------------------------------------------------- plotted points

FIGURE = {
    "data": [
        {"type": "bar", "name": "Homicides", "orientation": "h", "x": [2164.0, 1494.0], "y": ["Tijuana", "Juárez"],
         "text": ["2,164", "1,494"]},
        {"type": "scatter", "mode": "text", "name": "no data", "x": [0], "y": ["Reynosa"],
         "text": ["no data: no population"], "hoverinfo": "skip", "meta": {"export": "missing"}},
        {"type": "scatter", "mode": "text", "x": [2500], "y": ["Tijuana"], "text": ["label"], "hoverinfo": "skip"},
        {"type": "scatter", "name": "Matamoros", "x": [16400, 19000], "y": ["M", "M"], "meta": {"points": 1},
         "text": ["more than 16,400", ""]},
        {"type": "scatter", "name": "Policy events", "x": ["2019-01-28"], "y": [1.0], "text": ["1"],
         "meta": {"export": "label"}},
        {"type": "scattergeo", "name": "Rate &amp; more", "lat": [32.5], "lon": [-117.0], "text": ["Tijuana"],
         "marker": {"color": [120.5]}, "customdata": ["02004"], "meta": {"columns": ["place_id"]}},
    ],
    "layout": {"meta": {"title": "Homicides", "subtitle": "Deaths registered as homicides",
                        "source": "Source: INEGI (retrieved 2026-11-27)", "notes": ["Juárez: about 13,000"]}},
}


def test_plotted_rows_are_the_data_points_only():
    rows = frames.plotted_rows(FIGURE)
    assert [r["series"] for r in rows] == ["Homicides", "Homicides", "no data", "Matamoros", "Policy events",
                                           "Rate & more"]
    assert rows[0] == {"series": "Homicides", "x": 2164.0, "y": "Tijuana", "label": "2,164"}
    assert rows[2]["x"] is None and rows[2]["y"] == "Reynosa" and rows[2]["label"] == "no data: no population"
    assert rows[3]["x"] == 16400  # the arrow's end (19000) is not a value
    assert rows[4] == {"series": "Policy events", "x": "2019-01-28", "y": None, "label": "1"}
    assert rows[5] == {"series": "Rate & more", "lat": 32.5, "lon": -117.0, "value": 120.5, "label": "Tijuana",
                       "place_id": "02004"}


def built_for(figure, alt="Homicides: highest Tijuana (2,164)"):
    return registry.Built(registry.CHARTS["compare-homicides"], figure, alt, "?cities=02004,08037",
                          release="20261127T000000Z-001")


def test_csv_has_the_header_block_and_exactly_the_plotted_points():
    text = frames.to_csv(built_for(FIGURE), base_url="https://example.org")
    head = [line for line in text.splitlines() if line.startswith("# ")]
    assert head[0] == "# Border migration statistics: Homicides"
    assert "# Source: INEGI (retrieved 2026-11-27)" in head
    assert "# Note: Juárez: about 13,000" in head
    assert "# View: https://example.org/compare?cities=02004,08037" in head
    assert any("https://example.org/download/homicides.csv" in line for line in head)
    body = list(csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    assert len(body) == len(frames.plotted_rows(FIGURE))
    assert body[2]["x"] == ""  # no data is empty, never zero


def test_csv_quotes_text_a_spreadsheet_would_run():
    fig = {"data": [{"type": "bar", "name": "=HYPERLINK(\"http://x\")", "x": [1], "y": ["@cmd"]}], "layout": {}}
    text = frames.to_csv(built_for(fig))
    assert "'=HYPERLINK" in text and "'@cmd" in text


def test_export_layout_carries_size_name_and_link_without_changing_the_original():
    fig = {"data": [], "layout": {"annotations": [{"name": "footer", "text": "Source: X"}], "margin": {"b": 76}}}
    out = render.for_export(fig, options.Size(1080, 1080), link="/compare?cities=a<b")
    assert out["layout"]["width"] == 1080 and out["layout"]["height"] == 1080
    foot = out["layout"]["annotations"][0]["text"]
    assert foot.startswith("Source: X<br>Border migration statistics · /compare?cities=a&lt;b")
    assert fig["layout"]["annotations"][0]["text"] == "Source: X"


# ---------------------------------------------------------------- over a release

@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("export")
    app = create_app(fixture_release(root / "data", root / "mirror"))
    return app.server.test_client()


def test_every_chart_builds_from_default_settings(client):
    for name in registry.CHARTS:
        built = registry.build(name, {})
        says_why = any(a.get("text", "").startswith("No data") for a in built.figure["layout"].get("annotations", []))
        assert built.figure["data"] or says_why, name  # a chart with nothing to draw says why
        assert says_why or built.figure["layout"]["meta"]["source"].startswith("Source:"), name
        assert built.alt, name


def test_a_bad_setting_is_an_error_for_exports_and_a_notice_for_embeds(client):
    with pytest.raises(BadRequest):
        registry.build("compare-mpp", {"cities": "99999,<script>"})
    built = registry.build("compare-mpp", {"cities": "99999,<script>"}, strict=False)
    # the defaults it falls back to are written out (places.csv default_compare, in its order): a link that never drifts
    assert built.notices and built.query.startswith("?cities=02004,02002,08037,28027,28022,05025&year=")


@pytest.mark.parametrize("url, fragment", [
    ("/export/nope.png", "unknown chart"),
    ("/export/compare-mpp", "add a format"),
    ("/export/compare-mpp.exe", "format"),
    ("/export/compare-mpp.png?size=20000x20000", "size"),
    ("/export/compare-mpp.png?zoom=0", "zoom"),
    ("/export/compare-mpp.png?scale=2", "unknown setting"),  # scale is a chart setting (Encounters), not the zoom
    ("/export/compare-mpp.csv?cities=" + "9" * 10000, "characters"),
    ("/export/compare-mpp.csv?cities=<script>alert(1)</script>", "Cities"),
    ("/export/compare-homicides.csv?year=1066", "Year"),
    ("/export/..%2F..%2Fetc%2Fpasswd.csv", "unknown chart"),
    ("/embed/nope", "unknown chart"),
    ("/embed/map?height=99999", "height"),
])
def test_bad_requests_get_a_400_with_a_message(client, url, fragment):
    r = client.get(url)
    assert r.status_code == 400, (url, r.status_code)
    assert r.mimetype == "text/plain" and fragment in r.get_data(as_text=True)
    assert r.headers["X-Content-Type-Options"] == "nosniff"  # plain text, never sniffed as HTML
    assert len(r.get_data()) < 400  # a hostile value is quoted in part only


def test_embed_static_files_are_a_fixed_list(client):
    assert client.get("/embed-static/embed.js").status_code == 200
    for bad in ("/embed-static/../routes.py", "/embed-static/routes.py", "/embed-static/%2e%2e/app.py"):
        assert client.get(bad).status_code == 404


def test_csv_export_over_http_matches_the_figure(client):
    r = client.get("/export/compare-homicides.csv?cities=02004,08037,28022&year=2019")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"].startswith('inline; filename="compare-homicides.csv"')
    text = r.get_data(as_text=True)
    body = list(csv.DictReader(io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))))
    built = registry.build("compare-homicides", {"cities": "02004,08037,28022", "year": "2019"})
    points = frames.plotted_rows(built.figure)
    assert [(b["series"], b["y"]) for b in body] == [(p["series"], p["y"]) for p in points]
    assert [float(b["x"]) if b["x"] else None for b in body] == [p["x"] for p in points]
    assert "cities=02004,08037,28022&year=2019" in text


def test_embed_page_escapes_text_and_loads_nothing_from_elsewhere(client):
    r = client.get("/embed/compare-mpp?cities=02004,08037&height=600")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert re.findall(r'src="(?:https?:)?//', html) == []  # scripts and styles from this server only
    assert re.findall(r'<link[^>]+href="(?:https?:)?//', html) == []
    assert '/compare?cities=02004,08037&amp;year=' in html  # the link back to the full view, its year written out
    fake = registry.Built(registry.CHARTS["map"], {"data": [], "layout": {"meta": {
        "title": "<img src=x onerror=alert(1)>", "notes": ["</script><script>alert(2)</script>"]}}}, "a<b", "")
    from dashboard.export.routes import embed_page

    page = embed_page(fake, height=None, base_url="http://h/")
    assert "<img src=x" not in page and "</script><script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_cli_lists_charts_and_writes_csv(client, tmp_path, capsys):
    from borderstats import cli

    data_dir = registry.data_access.data_dir()
    assert cli.main(["export", "--list", "--data-dir", str(data_dir)]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in registry.CHARTS) and "cities [multi]" in listing
    rc = cli.main(["export", "--chart", "compare-deaths,compare-homicides", "--query", "cities=02004,08037",
                   "--format", "csv", "--out", str(tmp_path / "out"), "--data-dir", str(data_dir)])
    assert rc == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["compare-deaths.csv", "compare-homicides.csv"]
    assert cli.main(["export", "--chart", "nope", "--format", "csv", "--out", str(tmp_path / "x"),
                     "--data-dir", str(data_dir)]) == 2
    assert "unknown chart" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_images_have_the_requested_size_and_carry_their_texts(client):
    r = client.get("/export/compare-mpp.png?size=social&zoom=2")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert png_size(r.data) == (2400, 1260)
    assert png_size(client.get("/export/map.png?size=800x500").data) == (800, 500)
    svg = client.get("/export/compare-mpp.svg?cities=02004,08037,02002").get_data(as_text=True)
    built = registry.build("compare-mpp", {"cities": "02004,08037,02002"})
    meta = built.figure["layout"]["meta"]
    assert svg.startswith("<svg")
    texts = " ".join(re.findall(r">([^<>]+)</", svg))
    for needle in (meta["title"], "Source:", "Border migration statistics"):
        assert needle in texts, needle
    qualifier_notes = [n for n in meta["notes"] if n.startswith("As reported:")]
    assert qualifier_notes and ("about" in qualifier_notes[0] or "more than" in qualifier_notes[0])
    assert qualifier_notes[0][:60] in texts.replace("&amp;", "&")
    assert client.get("/export/encounters.pdf").data[:5] == b"%PDF-"


@needs_chromium
def test_cli_renders_images_with_one_browser(client, tmp_path):
    from borderstats import cli

    data_dir = registry.data_access.data_dir()
    rc = cli.main(["export", "--chart", "violence-homicides", "--chart", "encounters", "--format", "png,svg",
                   "--size", "square", "--out", str(tmp_path), "--data-dir", str(data_dir)])
    assert rc == 0
    assert png_size((tmp_path / "encounters.png").read_bytes()) == (1080, 1080)
    assert (tmp_path / "violence-homicides.svg").read_text().startswith("<svg")


def test_the_registry_is_built_from_the_pages_declarations(monkeypatch):
    from dashboard.exportable import Exportable
    from dashboard.views import map as map_views
    from dashboard.views import violence as violence_views

    charts = registry.declared()
    # every chart's page is the path its views module declares, and its figure is one of the views' keys
    assert charts["violence-subtypes"].page == violence_views.PATH == "/violence"
    assert charts["violence-subtypes"].views is violence_views and charts["violence-subtypes"].embed_height == 700
    # a chart declared by a page appears in the registry, with no other list to edit
    extra = Exportable("map-extra", "map", "Map: the same figure once more", ("places",))
    monkeypatch.setattr(map_views, "CHARTS", (*map_views.CHARTS, extra))
    assert registry.declared()["map-extra"].page == "/map"
    # the same name declared twice is an error that names both modules
    monkeypatch.setattr(violence_views, "CHARTS", (*violence_views.CHARTS, Exportable("map", "homicides", "dup")))
    with pytest.raises(ValueError, match="declared twice"):
        registry.declared()


def test_the_export_zoom_never_clashes_with_a_page_setting(client):
    # Encounters' own scale=log is a chart setting; the export's pixel density is zoom
    r = client.get("/export/encounters.csv?scale=log&zoom=2&download=1")
    assert r.status_code == 200, r.get_data(as_text=True)[:200]
    assert client.get("/export/encounters.csv?scale=sqrt").status_code == 400  # still parsed as the page does
    assert "zoom" in client.get("/export/encounters.png?scale=log&zoom=9").get_data(as_text=True)
