"""The figure extractor: number forms, the test sets' precision and recall, the article, bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from borderstats.cli import main
from etl.extractor.extract import PlaceIndex, extract
from etl.extractor.numbers import digits_value, words_value
from etl.extractor.text import fold, html_to_text, sentences
from tests.conftest import SHARED_ARTICLES
from tests.fixtures.extractor.cases import CASES
from tests.fixtures.extractor.heldout import HELDOUT
from tests.support.http import Reply, Server
from tests.support.scoring import score


@pytest.fixture(scope="module")
def places(gazetteer):
    return PlaceIndex(gazetteer)


def run(text, gazetteer, places, published=None):
    return [(c.metric, c.value, c.qualifier, c.place_id) for c in extract(text, gazetteer, places=places, published=published)]


@pytest.mark.parametrize("text,value", [("55,000", 55000), ("13 000", 13000), ("55.000", 55000), ("1.5", 1.5),
                                        ("1,5", 1.5), ("2,475,669", 2475669), ("12", 12)])
def test_digits(text, value):
    assert digits_value(text) == value


@pytest.mark.parametrize("words,value", [("twenty five", 25), ("two hundred", 200), ("a dozen", 12),
                                         ("cincuenta y cinco", 55), ("doscientos", 200), ("three thousand", 3000),
                                         ("veinte", 20)])
def test_words(words, value):
    assert words_value(words.split()) == value


def test_fold_keeps_offsets():
    text = "Ciudad Juárez, Nuevo León, NIÑOS"
    assert len(fold(text)) == len(text) and fold(text) == "ciudad juarez, nuevo leon, ninos"


def test_sentences_respect_abbreviations():
    text = "The U.S. sent 5 people. In Cd. Juárez, 3 more. ¿Cuántos? Muchos."
    parts = [text[s:e] for s, e in sentences(text)]
    assert parts == ["The U.S. sent 5 people.", "In Cd. Juárez, 3 more.", "¿Cuántos?", "Muchos."]


def test_html_to_text_drops_scripts_and_styles():
    html = ("<html><head><title>T</title><script>var n = 99999; alert('x')</script></head><body>"
            "<style>p{margin:0}</style><p>More than 55,000 migrants were returned under MPP.</p>"
            "<script>document.write('44,000 people')</script></body></html>")
    text = html_to_text(html)
    assert "55,000" in text and "99999" not in text and "44,000" not in text and "margin" not in text


def test_development_set_precision_and_recall(gazetteer, places):
    result = score(CASES, lambda t: run(t, gazetteer, places))
    assert result["precision"] >= 0.9 and result["recall"] >= 0.9, result["misses"]


def test_heldout_set_precision_and_recall(gazetteer, places):
    rules = score(HELDOUT, lambda t: [(c.metric, c.value, c.qualifier, c.place_id)
                                      for c in extract(t, gazetteer, places=places, learned=False)])
    assert rules["precision"] >= 0.9 and rules["recall"] >= 0.9, rules["misses"]  # 16 of 17 since issue 16
    # with the learned models, 15 of 17 since the models were trained on the development labels as read again on
    # 2026-12-01 (docs/extractor-evaluation.md): the place model puts "16,000 were sent to Matamoros" at no place
    # (p 0.52), and marks it for review
    result = score(HELDOUT, lambda t: run(t, gazetteer, places))
    assert result["precision"] >= 0.88 and result["recall"] >= 0.88, result["misses"]
    [sent] = [c for c in extract(HELDOUT[1][0], gazetteer, places=places) if c.value == 16000]
    assert sent.place_id == "28022" or "place" in sent.check


def test_every_rule_is_covered_by_the_test_sets():
    texts = " ".join(t for t, _ in CASES + HELDOUT).lower()
    for needle in ("55 mil", "13 000", "1.5 million", "13K", "dozen", "Twenty", "Más de", "alrededor de", "Cerca de",
                   "Al menos", "Casi", "Unos", "At least", "Fewer than", "Less than", "Up to", "Over", "Upward of",
                   "some", "Roughly", "Nearly", "Approximately", "JUAREZ", "Cd. Juárez", "percent", "$", "pesos",
                   "first", "2nd", "555-", "Title 42", "years ago", "-year-old", "Copyright", "Hasta", "Menos de",
                   "space of three days", "In October"):
        assert needle.lower() in texts, needle


def test_quotes_are_exact_spans_of_the_text(gazetteer, places):
    for text, _ in CASES:
        for c in extract(text, gazetteer, places=places):
            assert text[c.start:c.end] == c.quote
            assert len(c.quote) <= 200


def test_month_resolves_with_the_publication_date(gazetteer, places):
    [c] = extract("In October, 21 migrants were kidnapped in Nuevo Laredo.", gazetteer, places=places,
                  published=date(2019, 12, 4))
    assert (c.period_start, c.period_end) == ("2019-10-01", "2019-10-31")
    [c] = extract("In October, 21 migrants were kidnapped in Nuevo Laredo.", gazetteer, places=places,
                  published=date(2020, 3, 1))
    assert c.period_start == "2019-10-01"


def test_duration_is_given_in_days(gazetteer, places):
    [c] = extract("En cuestión de cinco días, 30 vehículos fueron quemados en Reynosa.", gazetteer, places=places)
    assert c.duration_days == 5 and c.period_text


ARTICLE = SHARED_ARTICLES / "border-report-2019-12-mpp-campaign.txt"


def test_the_article_gives_exactly_the_figures_a_careful_reader_finds(gazetteer, places):
    if not ARTICLE.exists():
        pytest.skip("../shared/data/articles is not present")
    text = ARTICLE.read_text(encoding="utf-8")
    found = extract(text, gazetteer, places=places, published=date(2019, 12, 4))
    assert [(c.metric, c.value, c.qualifier, c.place_id) for c in found] == [
        ("mpp_returned", 55000, "more_than", None),
        ("mpp_returned", 13000, "approximately", "08037"),  # stated twice, reported once
        ("people_displaced", 3000, "exact", "08037"),
        ("homicides", 20, "exact", "08037"),
        ("vehicles_burned", 25, "exact", "08037"),
    ]
    assert [c.duration_days for c in found] == [None, None, None, 5, 5]
    for c in found:
        assert text[c.start:c.end] == c.quote


# --------------------------------------------------------------------------- the command


def cli(*args):
    proc = subprocess.run([sys.executable, "-m", "borderstats.cli", *args], capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_extract_json_from_a_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Más de 55 mil migrantes han sido devueltos a México bajo el programa MPP, "
                 "incluidos unos 13 mil en Ciudad Juárez.", encoding="utf-8")
    code, out, err = cli("extract", str(f), "--published", "2019-12-04", "--publisher", "Test")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["value"], r["qualifier"], r["place_id"]) for r in rows] == [(55000, "more_than", None),
                                                                           (13000, "approximately", "08037")]
    assert rows[1]["place"] == "Ciudad Juárez" and rows[0]["publisher"] == "Test" and rows[0]["as_of"] == "2019-12-04"


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"%PDF-1.7\n\x00\x01binary", "binary"),
    (b"\x00\x01\x02\x03" * 100, "not text"),
    (b"<html><head><script>var x=1;</script></head><body></body></html>", "no text"),
])
def test_extract_bad_input_is_a_clear_error(tmp_path, content, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    code, out, err = cli("extract", str(f))
    assert code != 0 and message in err and "Traceback" not in err


def test_extract_refuses_a_10_mb_page(tmp_path):
    f = tmp_path / "big.html"
    f.write_bytes(b"<p>" + b"More than 55,000 migrants were returned under MPP. " * 200_000 + b"</p>")
    code, out, err = cli("extract", str(f))
    assert code != 0 and "MB" in err and "--max-bytes" in err and "Traceback" not in err


def test_extract_reads_windows_1252(tmp_path):
    f = tmp_path / "cp.txt"
    f.write_bytes("Alrededor de 13 mil migrantes han sido enviados a Ciudad Juárez bajo MPP.".encode("cp1252"))
    code, out, err = cli("extract", str(f))
    assert code == 0 and json.loads(out)[0]["place_id"] == "08037"


def test_extract_from_a_url_and_a_failing_url():
    page = ("<!DOCTYPE html><html><head><script>var n = 123456;</script></head><body><article>"
            "<p>Officials said 13 000 migrants were sent back to Tijuana under the Remain in Mexico policy.</p>"
            "</article></body></html>").encode()
    with Server() as srv:
        srv.routes["/story"] = [Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})]
        srv.routes["/broken"] = [Reply(500, b"oops")]
        code, out, err = cli("extract", srv.url + "/story")
        assert code == 0, err
        rows = json.loads(out)
        assert [(r["value"], r["place_id"]) for r in rows] == [(13000, "02004")]
        assert rows[0]["url"] == srv.url + "/story"
        code, out, err = cli("extract", srv.url + "/broken")
        assert code != 0 and "could not fetch" in err and "500" in err and "Traceback" not in err


def test_extract_bad_published_date(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("Twenty people were killed in Reynosa.")
    assert main(["extract", str(f), "--published", "last tuesday"]) == 2
    assert "not a date" in capsys.readouterr().err
