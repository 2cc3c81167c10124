"""The curated reported figures: the bundled table, its validation, and `borderstats figures add`."""
from __future__ import annotations

import csv
import json
import shutil

import pandas as pd
import pytest

from etl.adapters.reported_figures import METRICS, parse
from borderstats.cli import main
from etl.config import reference_dir
from etl.errors import SourceError

REFERENCE = reference_dir()

CURATED = reference_dir() / "reported_figures.csv"


def curated_rows():
    with open(CURATED, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_bundled_table_is_valid_and_every_figure_has_a_source(ctx):
    [parsed] = parse(CURATED, ctx)
    df = parsed.frame
    assert len(df) >= 25
    assert df["url"].str.startswith("http").all() and (df["publisher"].str.len() > 3).all()
    assert (df["definition"].str.len() > 20).all()
    assert (df["quote"].str.len() <= 200).all()  # a quote is the shortest span that carries the number
    assert not df["figure_id"].duplicated().any()
    # every quote carries its number as written
    for row in df.itertuples():
        digits = f"{int(row.value):,}"
        assert digits in row.quote or digits.replace(",", "") in row.quote or str(int(row.value)) in row.quote, row.figure_id


def test_the_article_figures_are_curated():
    rows = curated_rows()
    article = [r for r in rows if "border-wide-campaign" in r["url"]]
    got = sorted((r["metric"], float(r["value"]), r["qualifier"], r["place_id"]) for r in article)
    assert got == sorted([
        ("mpp_returned", 55000.0, "more_than", ""), ("mpp_returned", 13000.0, "approximately", "08037"),
        ("people_displaced", 3000.0, "exact", "08037"), ("homicides", 20.0, "exact", "08037"),
        ("vehicles_burned", 25.0, "exact", "08037"),
    ])


def test_definitions_keep_metrics_apart():
    rows = curated_rows()
    assert {r["metric"] for r in rows} <= set(METRICS)
    # court cases by hearing location are never given a Mexican city: they are counted at U.S. courts and ports
    for r in rows:
        if r["metric"] == "mpp_court_cases" and r["place_id"]:
            assert r["place_id"].startswith("US-POE-"), r["figure_id"]


@pytest.mark.parametrize("column,value,message", [
    ("qualifier", "roughly", "not one of"),
    ("metric", "murders", "not one of"),
    ("place_id", "99999", "not in the gazetteer"),
    ("url", "", "is empty"),
    ("value", "-5", "negative"),
    ("value", "0", "positive"),
    ("period_start", "2020-13-01", "not a date"),
    ("counted_by", "the government", "not one of"),
    ("counted_by", "", "not one of"),
    ("report_kind", "copy", "not one of"),
])
def test_a_bad_row_names_its_line(tmp_path, ctx, column, value, message):
    rows = curated_rows()
    rows[2][column] = value
    path = tmp_path / "reported_figures.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(SourceError) as exc:
        parse(path, ctx)
    assert exc.value.line == 4 and message in str(exc.value)
    assert exc.value.column == column


def test_reversed_period_is_an_error(tmp_path, ctx):
    rows = curated_rows()
    rows[0]["period_start"], rows[0]["period_end"] = "2020-01-01", "2019-01-01"
    path = tmp_path / "r.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(SourceError, match="after period_end"):
        parse(path, ctx)


CANDIDATE = {
    "metric": "mpp_returned", "value": 16000, "qualifier": "approximately", "place": "Matamoros",
    "quote": "roughly 16,000 were sent to Matamoros", "url": "https://example.org/story",
    "publisher": "Example News", "published": "2020-01-15",
    "definition": "people returned to Matamoros under MPP, as reported by Example News",
    "counted_by": "unknown", "report_kind": "secondary",
}


@pytest.fixture
def curated_copy(tmp_path):
    path = tmp_path / "reported_figures.csv"
    shutil.copy(CURATED, path)
    return path


def write_json(tmp_path, obj):
    p = tmp_path / "cands.json"
    p.write_text(json.dumps(obj), encoding="utf-8")
    return p


def test_figures_add_appends_then_deduplicates(tmp_path, curated_copy, capsys):
    before = len(curated_rows())
    cands = write_json(tmp_path, [CANDIDATE])
    assert main(["figures", "add", str(cands), "--file", str(curated_copy)]) == 0
    rows = list(csv.DictReader(open(curated_copy, encoding="utf-8")))
    assert len(rows) == before + 1
    assert rows[-1]["place_id"] == "28022" and rows[-1]["figure_id"].startswith("fig-")
    assert main(["figures", "add", str(cands), "--file", str(curated_copy)]) == 0
    assert "skipped (already present)" in capsys.readouterr().err
    assert len(list(csv.DictReader(open(curated_copy, encoding="utf-8")))) == before + 1


@pytest.mark.parametrize("change,message", [
    ({"definition": ""}, "missing definition"),
    ({"place": "Atlantis"}, "not in the gazetteer"),
    ({"qualifier": "lots"}, "not one of"),
    ({"counted_by": "a friend"}, "not one of"),
    ({"report_kind": "rumour"}, "not one of"),
    ({"url": None}, "missing url"),
])
def test_figures_add_rejects_bad_candidates_and_writes_nothing(tmp_path, curated_copy, capsys, change, message):
    original = curated_copy.read_bytes()
    cands = write_json(tmp_path, [CANDIDATE, {**CANDIDATE, "value": 17000, **change}])
    assert main(["figures", "add", str(cands), "--file", str(curated_copy)]) == 2
    err = capsys.readouterr().err
    assert "candidate #2" in err and message in err
    assert curated_copy.read_bytes() == original


def test_figures_add_of_extract_output_needs_a_definition(tmp_path, curated_copy, capsys):
    art = tmp_path / "a.txt"
    art.write_text("Al menos 12 migrantes fueron asesinados en Matamoros.", encoding="utf-8")
    assert main(["extract", str(art), "--url", "https://example.org/a", "--publisher", "Ejemplo"]) == 0
    cands = json.loads(capsys.readouterr().out)
    path = write_json(tmp_path, cands)
    assert main(["figures", "add", str(path), "--file", str(curated_copy)]) == 2
    assert "missing definition" in capsys.readouterr().err
    cands[0]["definition"] = "migrants killed in Matamoros, as reported by Ejemplo"
    path = write_json(tmp_path, cands)
    assert main(["figures", "add", str(path), "--file", str(curated_copy)]) == 2
    assert "missing counted_by, report_kind" in capsys.readouterr().err
    cands[0].update(counted_by="news_organisation", report_kind="primary")
    path = write_json(tmp_path, cands)
    assert main(["figures", "add", str(path), "--file", str(curated_copy)]) == 0


def test_figures_add_bad_json(tmp_path, curated_copy, capsys):
    p = tmp_path / "c.json"
    p.write_text("{not json")
    assert main(["figures", "add", str(p), "--file", str(curated_copy)]) == 2
    assert "not a JSON list" in capsys.readouterr().err


def test_a_figure_for_several_cities_together_is_neither_border_wide_nor_one_city(tmp_path, ctx):
    """Human Rights Watch's 15,079 people returned to Juárez, Tijuana and Mexicali together (the Mexican
    government's count): the bundled table says so in place_ids, and the dashboard labels it as the three cities."""
    from dashboard.aggregates import overview, reported as agg_reported

    (p,) = parse(REFERENCE / "reported_figures.csv", ctx)
    df = p.frame.set_index("figure_id", drop=False)
    hrw = df.loc["hrw-2019-07-02-three-cities"]
    assert hrw["value"] == 15079 and pd.isna(hrw["place_id"]) and hrw["place_ids"] == "08037;02004;02002"
    places = pd.read_csv(REFERENCE / "places.csv", dtype=str).set_index("place_id", drop=False)
    label = agg_reported.place_label(hrw["place_id"], places, hrw["place_ids"])
    assert label == "Ciudad Juárez, Tijuana and Mexicali (together)"
    frame = p.frame.reset_index(drop=True)
    assert "hrw-2019-07-02-three-cities" not in set(agg_reported.filter_figures(frame, place="border")["figure_id"])
    assert "hrw-2019-07-02-three-cities" in set(agg_reported.filter_figures(frame, place="02002")["figure_id"])
    # the Overview's border-wide headline never leads with it
    assert overview.mpp_total(frame).value != "15,079"


@pytest.mark.parametrize("place_id,place_ids,message", [
    ("08037", "08037;02004", "either one place"),
    ("", "08037", "two or more"),
    ("", "08037;08037", "two or more"),
    ("", "08037;99999", "not in the gazetteer"),
])
def test_bad_place_ids_name_the_line(tmp_path, ctx, place_id, place_ids, message):
    text = (REFERENCE / "reported_figures.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = next(csv.DictReader([text[0], text[1]]))
    row.update(place_id=place_id, place_ids=place_ids)
    out = tmp_path / "f.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerow(row)
    with pytest.raises(SourceError, match=message) as e:
        parse(out, ctx)
    assert e.value.line == 2 and e.value.column in ("place_ids", "place_id")


def test_a_file_written_before_place_ids_still_reads(tmp_path, ctx):
    src = list(csv.DictReader((REFERENCE / "reported_figures.csv").open(encoding="utf-8")))
    cols = [c for c in src[0] if c != "place_ids"]
    out = tmp_path / "old.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(src[:3])
    (p,) = parse(out, ctx)
    assert len(p.frame) == 3 and p.frame["place_ids"].isna().all()
