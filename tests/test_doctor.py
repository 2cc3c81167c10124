"""`borderstats doctor` against a local server on 127.0.0.1 that plays each publisher's page structure (the
registry's own addresses and patterns, with `https://` replaced by the server's address), including the moves of
issue 14: OHSS's landing page and Drupal folders, CBP's CDN, CONAPO's live file, Gargiulo's plain CSV."""
from __future__ import annotations

import json
import socket
import time

import pytest

from borderstats.cli import main
from etl import doctor, fetch
from etl.config import reference_dir
from etl.registry import load_registry
from tests.support.http import Reply, Server
from tests.test_fetch import AKAMAI_DENIED, CLOUDFLARE_CHALLENGE

CSV = b"a,b\n1,2\n" * 50
LAST_MODIFIED = "Tue, 16 Sep 2025 14:03:00 GMT"
CBP_PAGE = "/www.cbp.gov/document/stats/southwest-land-border-encounters"
CBP_FILE = "/www.cbp.gov/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv"
OHSS_PAGE = "/ohss.dhs.gov/khsm/encounters"
OHSS_OLD_PAGE = "/ohss.dhs.gov/khsm/cbp-encounters"
OHSS_FILE = "/ohss.dhs.gov/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11_1.xlsx"
CONAPO_LIVE = ("/raw.githubusercontent.com/isaacarroyov/datos_facil_acceso/main/GobiernoMexicano/"
               "conapo_proyecciones/conapo_pob_mun_gender_2015_2030.csv")
IOM_FILE = ("/missingmigrants.iom.int/sites/g/files/tmzbdl601/files/report-migrant-incident/"
            "Missing_Migrants_Global_Figures_allData.csv")
GARGIULO_MUNI = "/raw.githubusercontent.com/thegargiulian/mexico-homicide-rates/main/mexico-muni-month-homicide-rates-2000-2022.csv"
GARGIULO_STATE = "/raw.githubusercontent.com/thegargiulian/mexico-homicide-rates/main/mexico-state-month-homicide-rates-2000-2022.csv"
FAST = fetch.HttpSettings(timeout=2.0, attempts=2, backoff=0.01, sleep=lambda s: None)


def data(body: bytes = CSV, ctype: str = "text/csv") -> Reply:
    return Reply(200, body, {"Content-Type": ctype, "Last-Modified": LAST_MODIFIED})


def page(*hrefs: str) -> list[Reply]:
    links = "".join(f'<li><a href="{h}">{h.rsplit("/", 1)[-1]}</a></li>' for h in hrefs)
    return [Reply(200, f"<!DOCTYPE html><html><head><title>Stats</title></head><body><ul>{links}</ul></body></html>"
                 .encode(), {"Content-Type": "text/html; charset=utf-8"})]


@pytest.fixture
def publisher(tmp_path, monkeypatch):
    """The bundled registry pointed at the local server; each publisher's pages and files as of issue 14."""
    import shutil

    with Server() as srv:
        ref = tmp_path / "reference"
        shutil.copytree(reference_dir(), ref)
        text = (ref / "sources.toml").read_text(encoding="utf-8").replace("https://", srv.url + "/")
        (ref / "sources.toml").write_text(text, encoding="utf-8")
        monkeypatch.setenv("BORDERSTATS_REFERENCE_DIR", str(ref))
        srv.routes[CBP_PAGE] = page(
            "/www.cbp.gov/sites/default/files/2025-08/sbo-encounters-fy22-fy25-jul.csv", CBP_FILE, "/x/report.pdf")
        srv.routes[CBP_FILE] = [data()]
        srv.routes[OHSS_PAGE] = page(
            "/ohss.dhs.gov/sites/default/files/2025-08/KHSM%20Encounters%20%28USBP%29%20fy25m10.xlsx",
            "/ohss.dhs.gov/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11.xlsx",
            "/ohss.dhs.gov/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11_0.xlsx", OHSS_FILE)
        srv.routes[OHSS_FILE] = [data(b"PK\x03\x04" + b"\0" * 400, "application/vnd.openxmlformats-"
                                       "officedocument.spreadsheetml.sheet")]
        srv.routes[CONAPO_LIVE] = [data()]
        srv.routes[IOM_FILE] = [data()]
        srv.routes[GARGIULO_MUNI] = [data()]
        srv.routes[GARGIULO_STATE] = [data()]
        yield srv


def checks(*ids: str, settings=FAST) -> dict[str, doctor.SourceCheck]:
    return {c.source: c for c in doctor.run(load_registry(), list(ids), settings=settings)}


def one(sc: doctor.SourceCheck, key: str) -> doctor.FileCheck:
    (f,) = [f for f in sc.files if f.key == key]
    return f


def test_healthy_publishers_report_file_date_and_size(publisher):
    got = checks("cbp_encounters", "ohss_usbp_encounters", "conapo_population", "inegi_homicides")
    sw = one(got["cbp_encounters"], "southwest")
    assert sw.ok and sw.url == publisher.url + CBP_FILE and sw.page == publisher.url + CBP_PAGE
    assert (sw.last_modified, sw.size, sw.method) == (LAST_MODIFIED, len(CSV), "HEAD")
    assert not got["cbp_encounters"].broken  # its optional nationwide files are missing: reported, not broken
    assert not one(got["cbp_encounters"], "nationwide_aor").ok
    ohss = one(got["ohss_usbp_encounters"], "khsm_usbp")
    assert ohss.ok and ohss.url == publisher.url + OHSS_FILE  # /system/files/, the newest re-upload (_1)
    assert one(got["conapo_population"], "projections").url == publisher.url + CONAPO_LIVE
    assert all(f.ok for f in got["inegi_homicides"].files)
    # HEAD only: nothing was downloaded
    assert ("GET", CBP_FILE) not in publisher.methods and ("HEAD", CBP_FILE) in publisher.methods


def test_cli_prints_what_would_be_fetched_and_exits_0(publisher, capsys):
    assert main(["doctor", "--source", "cbp_encounters", "--timeout", "2"]) == 0
    out = capsys.readouterr().out
    assert "cbp_encounters: ok" in out and CBP_FILE in out and LAST_MODIFIED in out and "bytes" in out
    assert "1 of 1 sources ok" in out


def test_json_output(publisher, capsys):
    assert main(["doctor", "--source", "ohss_usbp_encounters", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["source"] == "ohss_usbp_encounters" and entry["ok"]
    assert entry["files"][0]["url"].endswith("fy25m11_1.xlsx") and entry["files"][0]["last_modified"] == LAST_MODIFIED


def test_ohss_old_landing_page_is_the_fallback(publisher):
    publisher.routes[OHSS_OLD_PAGE] = publisher.routes.pop(OHSS_PAGE)
    f = one(checks("ohss_usbp_encounters")["ohss_usbp_encounters"], "khsm_usbp")
    assert f.ok and f.page == publisher.url + OHSS_OLD_PAGE
    assert any("fallback" in n and "404" in n for n in f.notes)


def test_a_moved_page_a_refusal_and_a_missing_link_are_named(publisher, capsys):
    publisher.routes[OHSS_PAGE] = [Reply(301, b"", {"Location": "/ohss.dhs.gov/data/encounters-2026"})]
    publisher.routes["/ohss.dhs.gov/data/encounters-2026"] = page(OHSS_FILE)
    f = one(checks("ohss_usbp_encounters")["ohss_usbp_encounters"], "khsm_usbp")
    assert f.ok and any("moved" in n and "encounters-2026" in n for n in f.notes)

    publisher.routes[CBP_PAGE] = [Reply(403, AKAMAI_DENIED, {"Content-Type": "text/html"})]
    f = one(checks("cbp_encounters")["cbp_encounters"], "southwest")
    assert not f.ok and f.kind == "refused" and "Access Denied" in f.problem

    publisher.routes[CBP_PAGE] = page("/x/report.pdf")
    f = one(checks("cbp_encounters")["cbp_encounters"], "southwest")
    assert not f.ok and f.kind == "no_link" and "sbo-encounters" in f.problem
    assert main(["doctor", "--source", "cbp_encounters"]) == 1
    out = capsys.readouterr().out
    assert "cbp_encounters: BROKEN" in out and "NO_LINK" in out


def test_a_cdn_refusing_python_requests_passes_the_doctor(publisher):
    def cdn(handler):
        ua = handler.headers.get("User-Agent", "")
        if "python-requests" in ua or not ua.startswith("Mozilla/5.0"):
            return Reply(403, AKAMAI_DENIED, {"Content-Type": "text/html"})
        return data()

    publisher.routes[CBP_FILE] = cdn
    assert one(checks("cbp_encounters")["cbp_encounters"], "southwest").ok
    publisher.routes[CBP_FILE] = [Reply(503, CLOUDFLARE_CHALLENGE, {"Content-Type": "text/html",
                                                                    "cf-mitigated": "challenge"})]
    f = one(checks("cbp_encounters")["cbp_encounters"], "southwest")
    assert f.kind == "refused" and "Cloudflare" in f.problem


def test_head_refused_falls_back_to_a_ranged_get(publisher):
    publisher.no_head.add(IOM_FILE)
    f = one(checks("iom_missing_migrants")["iom_missing_migrants"], "incidents")
    assert f.ok and f.size == len(CSV) and f.method.startswith("GET (bytes 0-")
    get = [h for p, h in publisher.requests if p == IOM_FILE and "Range" in h]
    assert get and get[-1]["Range"] == f"bytes=0-{doctor.PEEK}"


def test_a_cdn_that_refuses_head_only_is_asked_with_a_ranged_get(publisher):
    publisher.routes[CBP_FILE] = lambda h: Reply(403, b"", {}) if h.command == "HEAD" else data()
    f = one(checks("cbp_encounters")["cbp_encounters"], "southwest")
    assert f.ok and f.method.startswith("GET") and f.size == len(CSV) and f.last_modified == LAST_MODIFIED


def test_an_html_page_where_a_csv_should_be_and_a_gone_file(publisher):
    maintenance = b"<!DOCTYPE html><html><head><title>Site maintenance</title></head><body>soon</body></html>"
    publisher.routes[IOM_FILE] = [Reply(200, maintenance, {"Content-Type": "text/html"})]
    f = one(checks("iom_missing_migrants")["iom_missing_migrants"], "incidents")
    assert not f.ok and f.kind == "html" and "Site maintenance" in f.problem
    del publisher.routes[CONAPO_LIVE]  # the live CONAPO file gone
    f = one(checks("conapo_population")["conapo_population"], "projections")
    assert not f.ok and f.kind == "moved" and "404" in f.problem


def test_dns_failure_is_said_within_seconds(publisher, monkeypatch):
    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    ref = reference_dir()
    text = (ref / "sources.toml").read_text(encoding="utf-8").replace(publisher.url + "/missingmigrants.iom.int",
                                                                      "https://missingmigrants.invalid")
    (ref / "sources.toml").write_text(text, encoding="utf-8")
    slow = fetch.HttpSettings(timeout=2.0, attempts=4, backoff=5.0)  # a retried failure would take 35 s
    t0 = time.monotonic()
    f = one(checks("iom_missing_migrants", settings=slow)["iom_missing_migrants"], "incidents")
    assert time.monotonic() - t0 < 3
    assert not f.ok and f.kind == "dns" and "missingmigrants.invalid" in f.problem


def test_mirror_checks_each_source_folder(publisher, tmp_path, capsys):
    mirror = tmp_path / "mirror"
    (mirror / "conapo_population").mkdir(parents=True)
    (mirror / "conapo_population" / "conapo_pob_mun_gender_2015_2030.csv").write_bytes(CSV)
    (mirror / "iom_missing_migrants").mkdir()
    (mirror / "iom_missing_migrants" / "Missing_Migrants_Global_Figures_allData.csv").write_bytes(AKAMAI_DENIED)
    assert main(["doctor", "--mirror", str(mirror), "--source", "conapo_population"]) == 0
    out = capsys.readouterr().out
    assert "conapo_pob_mun_gender_2015_2030.csv" in out and f"{len(CSV):,} bytes" in out
    assert main(["doctor", "--mirror", str(mirror), "--json", "--source", "iom_missing_migrants",
                 "--source", "pcome_remains", "--source", "policy_events"]) == 1
    got = {e["source"]: e for e in json.loads(capsys.readouterr().out)}
    iom = got["iom_missing_migrants"]["files"][0]
    assert iom["kind"] == "refused" and "Access Denied" in iom["problem"]
    assert "no folder" in got["pcome_remains"]["files"][0]["problem"]
    assert got["policy_events"]["ok"] and got["policy_events"]["curated"]  # a curated file of this repository
    assert publisher.methods == []  # nothing went to the network


def test_unknown_source_and_missing_mirror_are_usage_errors(publisher, tmp_path, capsys):
    assert main(["doctor", "--source", "nope"]) == 2
    assert "unknown source 'nope'" in capsys.readouterr().err
    assert main(["doctor", "--mirror", str(tmp_path / "absent")]) == 2
