"""The borderstats command as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from borderstats.cli import COMMANDS, main


@pytest.mark.parametrize("command", [c if c != "figures" else "figures add" for c in sorted(COMMANDS)])
def test_every_command_explains_itself(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*command.split(), "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert f"borderstats {command}" in out and "--data-dir" in out


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "borderstats.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "refresh" in out.stdout and "ingest" in out.stdout


def test_unknown_source_is_an_error_on_stderr(tmp_path, capsys):
    code = main(["refresh", "--source", "nope", "--data-dir", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 2 and "unknown source 'nope'" in captured.err and captured.out == ""


def test_missing_file_for_ingest(tmp_path, capsys):
    code = main(["ingest", "cbp_encounters", str(tmp_path / "absent.csv"), "--data-dir", str(tmp_path / "d")])
    assert code == 2 and "absent.csv" in capsys.readouterr().err


def test_data_dir_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BORDERSTATS_DATA_DIR", str(tmp_path / "envdata"))
    assert main(["refresh", "--source", "reported_figures"]) == 0
    assert (tmp_path / "envdata" / "warehouse" / "CURRENT").exists()


def test_status_json_shape(tmp_path, capsys):
    main(["refresh", "--source", "reported_figures", "--data-dir", str(tmp_path)])
    capsys.readouterr()
    assert main(["status", "--json", "--data-dir", str(tmp_path)]) == 0
    st = json.loads(capsys.readouterr().out)
    assert set(st["release"]) >= {"id", "path", "published_at"}
    assert (tmp_path / "warehouse" / "releases" / st["release"]["id"]).resolve() == \
        __import__("pathlib").Path(st["release"]["path"]).resolve()
    for sid in ("cbp_encounters", "pcome_remains", "reported_figures"):
        assert set(st["sources"][sid]) >= {"status", "rows", "retrieved_at", "error"}
    assert st["sources"]["cbp_encounters"]["status"] == "missing"


def test_sources_lists_every_registry_id(tmp_path, capsys):
    assert main(["sources", "--json", "--data-dir", str(tmp_path)]) == 0
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)]
    assert ids == ["cbp_encounters", "ohss_usbp_encounters", "usbp_history", "inegi_homicides", "conapo_population",
                   "iom_missing_migrants", "pcome_remains", "sesnsp_state_victims", "cbp_mpp", "reported_figures",
                   "policy_events"]


def test_validate_reports_a_missing_release_then_passes(tmp_path, capsys):
    assert main(["validate", "--data-dir", str(tmp_path)]) == 1
    assert "no current release" in capsys.readouterr().err
    main(["refresh", "--source", "reported_figures", "--data-dir", str(tmp_path)])
    assert main(["validate", "--data-dir", str(tmp_path)]) == 0
