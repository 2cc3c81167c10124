"""The first run (issue 14, section 1), without a browser: the progress file a refresh writes, when the app starts
a refresh of its own, the panel every page shows, and how messages name commands (tests/browser/test_first_run.py
drives the whole of it in Chromium)."""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import data_access
from etl import commands, fetch, pipeline, progress
from etl.errors import FetchError
from etl.warehouse import Warehouse
from tests.conftest import FIXTURES
from tests.support.dashpages import text_of

ROOT = Path(__file__).resolve().parents[1]
CBP = FIXTURES / "cbp_encounters" / "southwest.csv"


def cbp_mirror(root: Path, *, bad_line: int | None = None) -> Path:
    """A mirror with the CBP fixture only; with `bad_line`, that line's count written as a word."""
    folder = root / "mirror" / "cbp_encounters"
    folder.mkdir(parents=True)
    lines = CBP.read_text(encoding="utf-8").splitlines(keepends=True)
    if bad_line is not None:
        lines[bad_line - 1] = re.sub(r",\d+(\r?\n)$", r",lots\1", lines[bad_line - 1])
    (folder / CBP.name).write_text("".join(lines), encoding="utf-8")
    return folder.parent


# ---- the progress file ---------------------------------------------------------------------------------------

def test_the_progress_file_says_each_source_and_how_the_run_ended(tmp_path):
    data = tmp_path / "data"
    result = pipeline.run(data, source_ids=["cbp_encounters", "ohss_usbp_encounters"], mirror=cbp_mirror(tmp_path),
                          observer=progress.Progress(data, origin="app", mirror=True))
    found = progress.read(data)
    states = {s["id"]: s for s in found["sources"]}
    rows = len(CBP.read_text(encoding="utf-8").splitlines()) - 1  # the file's lines less its header
    assert states["cbp_encounters"] == {"id": "cbp_encounters", "state": "done", "rows": rows}
    assert states["ohss_usbp_encounters"]["state"] == "failed"
    assert "no folder" in states["ohss_usbp_encounters"]["error"]
    assert found["stage"] == "published" and found["release"] == result.release.id and found["exit_code"] == 1
    assert found["running"] is False and found["pid"] == os.getpid() and found["origin"] == "app"
    assert found["started_at"] <= found["finished_at"]
    # written as a whole each time (a temporary file renamed over it): nothing left beside it
    assert [p.name for p in progress.path(data).parent.glob("*progress*")] == ["refresh-progress.json"]


def test_a_file_that_fails_is_named_with_its_line_and_column(tmp_path):
    data = tmp_path / "data"
    pipeline.run(data, source_ids=["cbp_encounters"], mirror=cbp_mirror(tmp_path, bad_line=3),
                 observer=progress.Progress(data))
    found = progress.read(data)
    (entry,) = found["sources"]
    assert entry["state"] == "failed"
    assert entry["where"] == {"source": "cbp_encounters", "file": CBP.name, "line": 3, "column": "Encounter Count"}
    assert "line 3" in entry["error"]
    assert found["stage"] == "finished" and found["release"] is None and found["exit_code"] == 2


def test_a_refresh_whose_process_is_gone_reads_as_interrupted(tmp_path):
    data = tmp_path / "data"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    obs = progress.Progress(data)
    obs.begin(["cbp_encounters"])
    assert progress.read(data)["running"] is True  # this process: alive
    state = json.loads(progress.path(data).read_text())
    state["pid"] = int(gone.stdout)
    progress.path(data).write_text(json.dumps(state))
    found = progress.read(data)
    assert found["running"] is False and found["stage"] == "interrupted"


def test_no_progress_file_or_a_broken_one_reads_as_none(tmp_path):
    assert progress.read(tmp_path) is None
    progress.path(tmp_path).parent.mkdir(parents=True)
    progress.path(tmp_path).write_text("{half")
    assert progress.read(tmp_path) is None


# ---- when the app starts a refresh ---------------------------------------------------------------------------

@pytest.fixture
def bundled(tmp_path):
    """A data folder with the release an app publishes on its first start (the bundled reference data only)."""
    data_access.configure(tmp_path / "data")
    assert data_access.ensure_release() is not None
    return tmp_path


def test_no_publisher_data_starts_the_refresh_and_it_publishes(bundled):
    assert data_access.first_run_wanted()
    thread = data_access.start_first_run(cbp_mirror(bundled))
    assert thread is not None
    thread.join(60)
    data = data_access.wait_for_switch(30)
    assert data.has_publisher_data and data.sources()["cbp_encounters"]["rows"] > 0
    assert data_access.refresh_progress()["stage"] == "published"
    assert not data_access.first_run_wanted()
    assert data_access.start_first_run(cbp_mirror(bundled / "again")) is None  # the data is there now


def test_no_fetch_turns_it_off(monkeypatch):
    monkeypatch.setenv(data_access.ENV_NO_FETCH, "1")
    assert data_access.fetch_on_start() is False
    assert data_access.fetch_on_start(True) is True  # an explicit choice wins
    monkeypatch.setenv(data_access.ENV_NO_FETCH, "0")
    assert data_access.fetch_on_start() is True
    monkeypatch.delenv(data_access.ENV_NO_FETCH)
    assert data_access.fetch_on_start() is True
    monkeypatch.setenv(data_access.ENV_MIRROR, "/srv/files")
    assert data_access.mirror_on_start() == Path("/srv/files")


def test_the_app_under_no_fetch_starts_no_refresh(tmp_path, monkeypatch):
    from dashboard.app import create_app

    monkeypatch.setenv(data_access.ENV_NO_FETCH, "1")
    create_app(tmp_path / "data", mirror=cbp_mirror(tmp_path))
    assert data_access.first_run_wanted() and not data_access.first_run_active()
    assert data_access.refresh_progress() is None


def test_a_held_lock_means_another_refresh_runs_and_none_is_started(bundled):
    wh = Warehouse(bundled / "data")
    before = wh.current().id
    holder = subprocess.Popen(
        [sys.executable, "-c", ("import sys, time\nfrom etl.warehouse import Warehouse\n"
                                f"with Warehouse({str(bundled / 'data')!r}).lock():\n"
                                "    print('held', flush=True)\n    time.sleep(30)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        assert holder.stdout.readline().strip() == "held"
        thread = data_access.start_first_run(cbp_mirror(bundled))
        thread.join(30)
        assert not thread.is_alive()
        assert wh.current().id == before  # nothing published by this process
        assert data_access.refresh_progress() is None  # and it wrote no progress: the lock holder's is the one
    finally:
        holder.kill()
        holder.wait()


def test_a_refresh_already_reporting_progress_is_not_started_twice(bundled):
    progress.Progress(bundled / "data").begin(["cbp_encounters"])  # this process: alive, not over
    mirror = cbp_mirror(bundled)
    assert data_access.start_first_run(mirror) is None
    finished = progress.Progress(bundled / "data")
    finished.begin(["cbp_encounters"])
    finished.finish(release=None, published=False, exit_code=2)  # ended a moment ago (another worker's)
    assert data_access.start_first_run(mirror) is None


def test_a_refresh_interrupted_by_a_stop_is_started_again(bundled):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    stopped = progress.Progress(bundled / "data")
    stopped.state["pid"] = int(gone.stdout)  # the app that ran it was stopped mid-way
    stopped.begin(["cbp_encounters"])
    assert progress.read(bundled / "data")["stage"] == "interrupted"
    thread = data_access.start_first_run(cbp_mirror(bundled))
    assert thread is not None
    thread.join(60)
    assert data_access.refresh_progress()["stage"] == "published"


# ---- the panel -------------------------------------------------------------------------------------------------

def test_the_panel_says_which_source_failed_why_and_what_to_do_without_a_network():
    from dashboard import first_run

    dns = FetchError("could not resolve the host name 'example.org' (DNS): no network, or the address is wrong; "
                     + commands.no_network_hint(), source="cbp_encounters", kind="dns")
    found = {"stage": "finished", "running": False, "mirror": False, "sources": [
        {"id": "cbp_encounters", "state": "failed", "error": str(dns)},
        {"id": "iom_missing_migrants", "state": "failed", "error": "iom_missing_migrants: <b>bad</b> line 4"},
        {"id": "reported_figures", "state": "done", "rows": 31}, {"id": "policy_events", "state": "done", "rows": 14},
        {"id": "usbp_history", "state": "unchanged"}]}
    text = text_of(first_run.panel(found))
    assert "2 of 5 sources failed" in text and "31 rows" in text
    assert "could not resolve the host name 'example.org'" in text
    assert text.count(commands.cli("refresh", "--mirror", "DIR")) == 1  # the advice once, not once per source
    assert commands.cli("refresh", "--offline") in text and commands.app("--mirror", "DIR") in text
    assert commands.cli("refresh", "--source", "cbp_encounters", "--source", "iom_missing_migrants") in text
    assert "<b>bad</b> line 4" in text  # an error's text stays text (Dash escapes it), never markup
    most = {**found, "sources": found["sources"][:3]}  # most sources failed: the whole refresh again
    assert f'"{commands.cli("refresh")}"' in text_of(first_run.panel(most))


def test_the_panel_while_running_says_how_far():
    from dashboard import first_run

    found = {"stage": "fetching", "running": True, "mirror": True, "sources": [
        {"id": "cbp_encounters", "state": "done", "rows": 7},
        {"id": "inegi_homicides", "state": "fetching", "bytes": 2_500_000, "total": 10_000_000},
        {"id": "conapo_population", "state": "waiting"}]}
    text = text_of(first_run.panel(found))
    assert "Reading 3 sources from the mirror folder: 1 of 3 done" in text
    assert "2.5 MB of 10.0 MB" in text and "waiting" in text


# ---- how messages name commands ------------------------------------------------------------------------------

def test_the_no_network_error_names_the_commands_as_typed_after_the_readme(monkeypatch):
    import requests

    def no_dns(*a, **k):
        raise requests.ConnectionError("Failed to resolve 'www.example.org' ([Errno -3] Temporary failure in "
                                       "name resolution) NameResolutionError")

    monkeypatch.setattr(requests.Session, "request", no_dns)
    settings = fetch.HttpSettings(sleep=lambda s: pytest.fail("a failed name look-up is not retried"))
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch._request(fetch.session(settings), "https://www.example.org/x.csv", settings, source="cbp_encounters")
    assert time.monotonic() - started < 1
    message = str(info.value)
    assert ".venv/bin/borderstats refresh --mirror DIR" in message
    assert ".venv/bin/borderstats refresh --offline" in message
    assert ".venv/bin/python app.py --mirror DIR" in message



def test_a_host_that_did_not_resolve_is_not_asked_again_in_the_same_run(monkeypatch):
    import requests

    asked: list[str] = []

    def no_dns(self, method, url, **kw):
        asked.append(url)
        raise requests.ConnectionError("NameResolutionError: Temporary failure in name resolution")

    monkeypatch.setattr(requests.Session, "request", no_dns)
    settings = fetch.HttpSettings()
    for name in ("a.csv", "b.csv"):
        with pytest.raises(FetchError) as info:
            fetch._request(fetch.session(settings), f"https://www.example.org/{name}", settings, source="s")
        assert info.value.kind == "dns" and "'www.example.org'" in str(info.value)
    assert asked == ["https://www.example.org/a.csv"]  # the second file failed without another look-up
    settings.dns_failures["www.example.org"] = (time.monotonic() - fetch.DNS_MEMORY - 1, "old")
    with pytest.raises(FetchError):
        fetch._request(fetch.session(settings), "https://www.example.org/c.csv", settings, source="s")
    assert len(asked) == 2  # a minute later (a scheduler's next run) it asks again


def test_the_readme_sets_up_the_commands_the_messages_name():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{commands.APP}" in readme and f"{commands.CLI} refresh" in readme
    assert ".venv/bin/pip install" in readme  # the set-up that puts both where the messages say


def message_strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that are not docstrings, with their line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_message_names_a_bare_command():
    """A message that tells a user to run `borderstats ...` or `python app.py` names it as etl/commands.py does."""
    bare = re.compile(r"(?<![/\w.])(borderstats (refresh|ingest|status|doctor|export)\b|python app\.py)")
    found = [f"{path.relative_to(ROOT)}:{line}: {text[:80]!r}"
             for pkg in ("etl", "dashboard", "borderstats") for path in sorted((ROOT / pkg).rglob("*.py"))
             for line, text in message_strings(path)
             if bare.search(text) and not re.match(r"borderstats \w+: ", text)]  # "borderstats doctor: error: ..."
    assert found == []


def test_the_banner_names_the_command_with_its_prefix(bundled):
    from dashboard import components

    text = text_of(components.missing_banner(data_access.current(), ["cbp_encounters"]))
    assert commands.cli("refresh", "--source", "cbp_encounters") in text


@pytest.fixture(autouse=True)
def _own_data_access():
    """data_access is process-wide: leave it as found."""
    before = dict(data_access._settings)
    yield
    thread = data_access._first_run["thread"]
    if thread is not None:
        thread.join(30)
    data_access._first_run["thread"] = None
    data_access._settings.update(before)

