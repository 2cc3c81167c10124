"""The placeholder app: serves with no release, names the missing sources and the command to fetch them."""
import json

from dashboard.app import create_app
from etl import pipeline


def layout_text(data_dir) -> str:
    client = create_app(data_dir).server.test_client()
    assert client.get("/").status_code == 200
    resp = client.get("/_dash-layout")
    assert resp.status_code == 200
    return json.dumps(resp.get_json())


def test_no_release_yet(tmp_path):
    text = layout_text(tmp_path)
    assert "No release yet" in text and "borderstats refresh" in text


def test_status_after_a_refresh(tmp_path):
    pipeline.run(tmp_path, source_ids=["reported_figures"])
    text = layout_text(tmp_path)
    assert "Current release" in text and "cbp_encounters" in text and "missing" in text


def test_assets_are_served_locally(tmp_path):
    html = create_app(tmp_path).server.test_client().get("/").get_data(as_text=True)
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
