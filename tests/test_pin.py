"""Pinned snapshots: `borderstats export --pin` stores a chart under an immutable content address, served
read-only at /pinned/<hash>/ with the same numbers after a new release revises them."""
from __future__ import annotations

import csv
import gzip
import io
import os
import re
import stat

import pytest

from borderstats.cli import main as cli_main
from dashboard import data_access
from etl import pipeline
from tests.conftest import FIXTURES
from tests.support.release import fixture_mirror

PUBLIC = "https://stats.example.org"
QUERY = "cities=02004,08037&year=2020"
# Tijuana's homicides in 2020 in the fixture INEGI municipal file ("1,234"); the second release revises it to 1,300
BEFORE, AFTER = "1234", "1300"


def _publish(data_dir, mirror, *, revise: bool):
    fixture_mirror(mirror)
    if revise:
        src = FIXTURES / "inegi_homicides" / "muni_month.csv.gz"
        text = gzip.decompress(src.read_bytes()).decode("utf-8")
        assert '2004|2020|1|"1,234"' in text
        text = text.replace('2004|2020|1|"1,234"', '2004|2020|1|"1,300"')
        (mirror / "inegi_homicides" / "muni_month.csv.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    result = pipeline.run(data_dir, mirror=mirror)
    assert result.published, {k: o.error for k, o in result.outcomes.items() if o.error}


def _tijuana_row(csv_text: str) -> dict:
    rows = [r for r in csv.DictReader(io.StringIO(csv_text)) if r.get("place") == "Tijuana"]
    assert len(rows) == 1, csv_text[:500]
    return rows[0]


def _tijuana_value(csv_text: str, column: str = "value") -> str:
    value = _tijuana_row(csv_text)[column]
    return value[:-2] if value.endswith(".0") else value


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from dashboard.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("BORDERSTATS_PUBLIC_URL", PUBLIC)
    root = tmp_path_factory.mktemp("pin")
    data = root / "data"
    _publish(data, root / "mirror1", revise=False)
    app = create_app(data)
    def publish_revision():
        _publish(data, root / "mirror2", revise=True)
        data_access.wait_for_switch()  # the app answers from the first release until the revision is warmed

    yield app.server.test_client(), data, publish_revision
    mp.undo()


def test_a_pinned_chart_keeps_its_numbers_after_a_revision(site, capsys):
    client, data, publish_revision = site
    args = ["export", "--data-dir", str(data), "--chart", "compare-homicides", "--query", QUERY, "--format", "csv",
            "--pin"]
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    m = re.search(re.escape(PUBLIC) + r"/pinned/([0-9a-f]{20})/ ", out)
    assert m and "pinned now" in out, out
    digest = m.group(1)
    folder = data / "pinned" / digest
    assert sorted(p.name for p in folder.iterdir()) == ["compare-homicides.csv", "figure.json", "pin.json"]
    assert not os.stat(folder / "figure.json").st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # read-only
    # the same view of the same release pins to the same address, and is not rewritten
    assert cli_main(args) == 0
    assert f"/pinned/{digest}/ " in (out2 := capsys.readouterr().out) and "already pinned" in out2

    first_release = client.get("/healthz").get_json()["release"]
    publish_revision()
    assert client.get("/healthz").get_json()["release"] != first_release

    live = client.get(f"/export/compare-homicides.csv?{QUERY}").get_data(as_text=True)
    snap = client.get(f"/pinned/{digest}/compare-homicides.csv")
    assert snap.status_code == 200 and snap.mimetype == "text/csv"
    assert "immutable" in snap.headers["Cache-Control"] and snap.headers["X-Release"] == first_release
    assert _tijuana_value(live) == AFTER and _tijuana_value(snap.get_data(as_text=True)) == BEFORE
    # the live CSV says what the revised value was first published as: the snapshot's value
    assert _tijuana_value(live, "first_published") == BEFORE

    page = client.get(f"/pinned/{digest}/", headers={"Host": "evil.example"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "evil.example" not in html
    assert f"Data as of release {first_release}" in html and '<h1 id="embed-title">Homicides in 2020</h1>' in html
    assert f'href="{PUBLIC}/compare?cities=02004,08037&amp;year=2020"' in html and "live view" in html
    assert f'<meta property="og:url" content="{PUBLIC}/pinned/{digest}/">' in html
    # a new pin of the same query now is another snapshot (the revised numbers), at another address
    assert cli_main(args) == 0
    assert f"/pinned/{digest}/ " not in capsys.readouterr().out


@pytest.mark.parametrize("path", ["/pinned/nothere0000000000000/", "/pinned/0123456789abcdef0123/",
                                  "/pinned/..%2F..%2Fetc/passwd", "/pinned/%2E%2E/pin.json"])
def test_unknown_or_hostile_pinned_paths_are_404(site, path):
    client, _, _ = site
    assert client.get(path).status_code == 404


def test_only_listed_files_of_a_snapshot_are_served(site, capsys):
    client, data, _ = site
    assert cli_main(["export", "--data-dir", str(data), "--chart", "map", "--format", "csv", "--pin"]) == 0
    digest = re.search(r"/pinned/([0-9a-f]{20})/", capsys.readouterr().out).group(1)
    (data / "pinned" / digest / "extra.csv").write_text("not listed")
    assert client.get(f"/pinned/{digest}/map.csv").status_code == 200
    assert client.get(f"/pinned/{digest}/pin.json").get_json()["chart"] == "map"
    assert client.get(f"/pinned/{digest}/extra.csv").status_code == 404
    assert client.get(f"/pinned/{digest}/map.png").status_code == 404  # not pinned as an image


def test_a_snapshot_of_a_view_that_follows_the_data_is_fixed(site, capsys):
    client, data, _ = site
    assert cli_main(["export", "--data-dir", str(data), "--chart", "compare-homicides", "--query",
                     "cities=02004,08037&year=latest", "--format", "csv", "--pin"]) == 0
    digest = re.search(r"/pinned/([0-9a-f]{20})/", capsys.readouterr().out).group(1)
    meta = client.get(f"/pinned/{digest}/pin.json").get_json()
    assert re.fullmatch(r"\?cities=02004,08037&year=\d{4}", meta["query"]), meta["query"]
    assert "(fixed by this link)" in client.get(f"/pinned/{digest}/").get_data(as_text=True)


def test_a_snapshot_pinned_in_spanish_opens_in_spanish(site, capsys):
    """`borderstats export --lang es --pin`: the snapshot's page is Spanish (its <html lang>, the release line, the
    link to the live view, which opens the Spanish page); ?lang=en gives the same snapshot with English words."""
    client, data, _ = site
    assert cli_main(["export", "--data-dir", str(data), "--chart", "compare-homicides", "--query",
                     "cities=02004,08037&year=latest", "--format", "csv", "--pin", "--lang", "es"]) == 0
    digest = re.search(r"/pinned/([0-9a-f]{20})/", capsys.readouterr().out).group(1)
    meta = client.get(f"/pinned/{digest}/pin.json").get_json()
    assert re.fullmatch(r"\?cities=02004,08037&year=\d{4}&lang=es", meta["query"]), meta["query"]
    page = client.get(f"/pinned/{digest}/")
    html = page.get_data(as_text=True)
    assert '<html lang="es">' in html and f"Datos de la publicación {meta['release']}: una copia fija" in html
    assert "abrir la vista en vivo (datos de hoy)" in html and "(fijado por este enlace)" in html
    assert f'href="{PUBLIC}/compare?cities=02004,08037&amp;year={meta["query"][-12:-8]}&amp;lang=es"' in html
    english = client.get(f"/pinned/{digest}/?lang=en")
    assert '<html lang="en">' in english.get_data(as_text=True) and "open the live view" in english.get_data(as_text=True)
    assert english.headers["ETag"] != page.headers["ETag"]
