"""CONAPO's switch from its 2015-based projections to the 2023 revision, on the Data & sources page (issue 14,
sections 2 and 4): beside the source, the old and the new edition, the date and "all figures revised as a whole";
and the figures revised one by one after it in the recent revisions."""
from __future__ import annotations

import pytest

from borderstats.cli import main
from etl import changes
from etl.warehouse import Warehouse
from tests.conftest import FIXTURES
from tests.support.dashpages import page_layout, text_of


def data_page():
    """The Data & sources page's module, as Dash Pages loaded it (importing it again would register it again)."""
    import sys

    import dash

    return sys.modules[next(p["module"] for p in dash.page_registry.values() if p["path"] == "/data")]


def words(component) -> str:
    """The text a component tree shows, in order."""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return "".join(words(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else words(children)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """Three releases: the 2015-based wide projections; the 2023 revision's long file (Tijuana's 2020 total
    revised); the same edition again with Juárez's 2020 total revised."""
    from dashboard import data_access
    from dashboard.app import create_app

    tmp = tmp_path_factory.mktemp("editions")
    data_dir = tmp / "data"
    assert main(["ingest", "conapo_population", str(FIXTURES / "conapo_population" / "projections.csv"),
                 "--data-dir", str(data_dir)]) == 0
    long_text = (FIXTURES / "conapo_population" / "projections_long.csv").read_text(encoding="utf-8")
    revised = long_text.replace("Tijuana,02004,Hombres,900000", "Tijuana,02004,Hombres,910000").replace(
        "Tijuana,02004,Total,1789531", "Tijuana,02004,Total,1799531")
    live = tmp / "conapo_pob_mun_gender_2015_2030.csv"
    live.write_text(revised, encoding="utf-8")
    assert main(["ingest", "conapo_population", str(live), "--data-dir", str(data_dir)]) == 0
    live.write_text(revised.replace("Juárez,08037,Total,1464930", "Juárez,08037,Total,1464931").replace(
        "Juárez,08037,Mujeres,734930", "Juárez,08037,Mujeres,734931"), encoding="utf-8")
    assert main(["ingest", "conapo_population", str(live), "--data-dir", str(data_dir)]) == 0
    a = create_app(data_dir, bootstrap=False)
    data_access.wait_for_switch()
    return a


def test_the_data_page_says_beside_the_source_that_the_edition_changed(app):
    from dashboard import data_access

    page = data_page()
    _, second, third = Warehouse(data_access.data_dir()).releases()
    (switch,) = changes.load(second)["editions"]  # the truth: the change report of the release that switched
    assert "editions" not in (changes.load(third) or {})
    data = data_access.current()
    assert data.id == third.id
    sources = words(page.sources_table(data))
    said = (f"Edition changed on {second.manifest['published_at'][:10]}: {switch['old']} → {switch['new']} "
            f"({switch['dataset']}): all figures revised as a whole.")
    assert said in sources  # the old edition, then the new one, in CONAPO's row
    assert sources.index(said) > sources.index("conapo_population")
    # shown once, although the current release's own change report has no edition switch
    assert sources.count("Edition changed") == 1
    whole = text_of(page_layout("/data"))
    assert whole.count("Edition changed") == 1  # the current change report (the third release) says nothing of it


def test_the_switching_release_says_it_in_its_change_report(app):
    from dashboard import data_access

    page = data_page()
    second = Warehouse(data_access.data_dir()).releases()[1]

    class Held:  # the change report of the release that switched, as ReleaseData.changes gives it
        changes = __import__("etl.changes", fromlist=["load"]).load(second)

    (switch,) = Held.changes["editions"]
    text = words(page.changes_section(Held()))
    assert (f"Edition changed on {second.manifest['published_at'][:10]}: {switch['old']} → {switch['new']}"
            in text) and "all figures revised as a whole" in text
