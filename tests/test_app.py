"""The app without a browser: bootstrap from bundled data, the shell, page layouts, no CDN."""


from dashboard import data_access
from dashboard.app import create_app
from tests.support.dashpages import page_layout, text_of



def test_no_release_yet_publishes_the_bundled_data(tmp_path):
    app = create_app(tmp_path)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    release = client.get("/healthz").get_json()["release"]
    assert release and (tmp_path / "warehouse" / "releases" / release / "reported_figures.parquet").exists()
    text = text_of(page_layout("/"))
    assert "Sources without data" in text and ".venv/bin/borderstats refresh --source " in text
    assert "--source cbp_encounters" in text
    assert "more than" in text  # the MPP headline comes from the bundled reported figures


def test_without_bootstrap_every_page_says_there_is_no_data(tmp_path):
    create_app(tmp_path / "empty", bootstrap=False)
    assert data_access.current() is None
    assert "No data has been published yet" in text_of(page_layout("/"))


def test_assets_are_served_locally(tmp_path):
    html = create_app(tmp_path).server.test_client().get("/").get_data(as_text=True)
    assert "cdn" not in html.lower() and "unpkg" not in html.lower() and "googleapis" not in html.lower()
