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


def test_first_requests_at_once_set_dash_up_one_at_a_time(tmp_path, monkeypatch):
    """Dash sets itself up on a worker's first requests (its before-request hooks). Two first requests at once
    ran the setups together: the pages router added its callback while the other request iterated the callbacks,
    and an export answered 500 ("dictionary changed size during iteration", plotly/dash#2925). Here the first
    request's loop over the callbacks is slowed down and the other requests are sent while it runs: each must
    wait for it and be answered 200."""
    import threading
    import time

    from dash import _validate

    real, iterating = _validate.validate_background_callbacks, threading.Event()

    def slow(callback_map):
        iterating.set()
        for _callback in callback_map.values():
            time.sleep(0.01)  # the window in which another request's setup would change the map
        return real(callback_map)

    monkeypatch.setattr(_validate, "validate_background_callbacks", slow)
    app = create_app(tmp_path, fetch=False)
    statuses = []

    def request(path: str) -> None:
        statuses.append(app.server.test_client().get(path).status_code)

    first = threading.Thread(target=request, args=("/healthz",))
    first.start()
    assert iterating.wait(60)
    others = [threading.Thread(target=request, args=(p,)) for p in ("/_dash-layout", "/healthz", "/_dash-dependencies")]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join(60)
    assert statuses == [200] * 4
