"""MPP & reported figures page: filters, grouping by definition, the chart's qualifiers, the callback, the layout."""
import json

import pandas as pd
import pytest

from dashboard.aggregates import reported as agg
from dashboard.charts import reported as charts
from tests.support.dashpages import page_layout, text_of



def figures() -> pd.DataFrame:
    rows = [
        dict(figure_id="a", metric="mpp_returned", value=55000.0, qualifier="more_than", place_id=None,
             period_start="2019-01-01", period_end=None, as_of=None, definition="sent to Mexico, border-wide",
             publisher="Border Report", title="T", url="https://example.org/a", published="2019-12-04",
             quote="More than 55,000 migrants", notes=None),
        dict(figure_id="b", metric="mpp_returned", value=13000.0, qualifier="approximately", place_id="08037",
             period_start="2019-01-01", period_end=None, as_of=None, definition="sent to Ciudad Juárez",
             publisher="Border Report", title="T", url="javascript:alert(1)", published=None,
             quote="some 13,000 in <b>Juarez</b>", notes="stated twice"),
        dict(figure_id="c", metric="mpp_court_cases", value=1634.0, qualifier="exact", place_id="US-POE-2504",
             period_start="2019-07-01", period_end="2019-07-31", as_of=None, definition="new court cases, TRAC",
             publisher="TRAC", title="T", url="https://trac.syr.edu/x", published="2019-08-26",
             quote="1,634 at San Ysidro", notes=None),
        dict(figure_id="d", metric="violent_attacks", value=1544.0, qualifier="at_least", place_id=None,
             period_start="2019-01-01", period_end="2021-02-19", as_of="2021-02-19",
             definition="attacks tracked by HRF", publisher="Human Rights First", title="T",
             url="https://hrf.org", published=None, quote="at least 1,544 publicly reported cases", notes=None),
        dict(figure_id="e", metric="mpp_returned", value=18000.0, qualifier="exact", place_id="08037",
             period_start=None, period_end="2019-12-03", as_of="2019-12-03", definition="waiting in Juárez (Sputnik)",
             publisher="Sputnik", title="T", url="https://sputnik.example", published="2019-12-03",
             quote="18,000 migrants", notes=None),
    ]
    df = pd.DataFrame(rows)
    for c in ("period_start", "period_end", "as_of", "published"):
        df[c] = pd.to_datetime(df[c])
    return df


def places() -> pd.DataFrame:
    return pd.DataFrame([
        dict(place_id="08037", name="Ciudad Juárez", kind="municipality"),
        dict(place_id="US-POE-2504", name="San Ysidro", kind="port"),
    ]).set_index("place_id", drop=False)


def population() -> pd.DataFrame:
    return pd.DataFrame([dict(place_id="08037", year=2019, population=1_500_000),
                         dict(place_id="08037", year=2020, population=1_520_000)])


def test_filters_are_plain_substrings_and_exact_choices():
    df = figures()
    assert list(agg.filter_figures(df, metric="mpp_returned")["figure_id"]) == ["a", "b", "e"]
    assert list(agg.filter_figures(df, place="08037")["figure_id"]) == ["b", "e"]
    assert list(agg.filter_figures(df, place=agg.BORDER_WIDE)["figure_id"]) == ["a", "d"]
    assert list(agg.filter_figures(df, publisher="TRAC")["figure_id"]) == ["c"]
    assert list(agg.filter_figures(df, q="JUAREZ")["figure_id"]) == ["b", "e"]  # quote or definition, any case
    assert agg.filter_figures(df, q=".*").empty  # never a regular expression
    assert list(agg.filter_figures(df, q="(sputnik")["figure_id"]) == ["e"]  # "(" is just a character
    assert len(agg.clean_query("x" * 500)) == agg.MAX_QUERY


def test_list_groups_by_metric_then_definition_with_words_and_quotes():
    groups = agg.figures_list(figures(), places())
    assert [g["metric"] for g in groups] == ["mpp_returned", "mpp_court_cases", "violent_attacks"]
    returned = groups[0]
    assert [d["definition"] for d in returned["groups"]] == [
        "sent to Mexico, border-wide", "sent to Ciudad Juárez", "waiting in Juárez (Sputnik)"]
    first = returned["groups"][0]["figures"][0]
    assert first["value"] == "more than 55,000" and first["place"] == "Border-wide"
    b = returned["groups"][1]["figures"][0]
    assert b["value"] == "about 13,000" and b["published"] == "publication date not known"
    court = groups[1]["groups"][0]["figures"][0]
    assert court["place"] == "San Ysidro (U.S. port)" and court["when"] == "2019-07-01 to 2019-07-31"
    assert b["counted"] == ""  # a frame without the provenance columns says nothing about them


def test_each_figure_says_who_counted_and_what_the_page_is():
    df = figures().assign(counted_by=["unknown", "unknown", "eoir_via_trac", "ngo", "ngo"],
                          report_kind=["secondary", "secondary", "republication", "primary", "republication"])
    df.loc[df["figure_id"] == "e", "qualifier"] = "estimate"
    items = {f["figure_id"]: f for g in agg.figures_list(df, places()) for d in g["groups"] for f in d["figures"]}
    assert items["c"]["counted"] == ("Counted by TRAC from immigration court (EOIR) records; "
                                     "a copy of another report")
    assert items["a"]["counted"] == "The report does not say who counted; a report of another's figure"
    assert items["e"]["value"] == "an estimate of 18,000"


def test_chart_keeps_definitions_apart_and_draws_bounds_as_bounds():
    rows, dropped = agg.chart_rows(figures(), places())
    assert dropped == 0 and len(rows) == 5
    fig = charts.figures_chart(rows)
    assert fig.layout.meta["title"] == charts.TITLE
    assert "Border Report" in fig.layout.meta["source"] and "TRAC" in fig.layout.meta["source"]
    assert "retrieved" not in fig.layout.meta["source"] and "as published" in fig.layout.meta["source"]
    assert "never added" in fig.layout.meta["subtitle"]
    markers = [t for t in fig.data if t.mode == "markers+text"]
    # one marker per figure, no trace mixes metrics (panels = axes)
    assert sum(len(t.x) for t in markers) == 5
    assert len({t.yaxis for t in fig.data}) == 3
    labels = [x for t in markers for x in t.text]
    assert "more than 55,000" in labels and "about 13,000" in labels and "at least 1,544" in labels
    assert not any("~" in x for x in labels)
    lower = [t for t in markers if t.legendgroup == "lower"]
    assert lower and all(t.marker.symbol == "triangle-right" for t in lower)
    arrows = [t for t in fig.data if t.mode == "lines+markers"]
    assert len(arrows) == 2 and all(t.x[1] > t.x[0] for t in arrows)  # open-ended to the right
    # text from data is escaped for plotly
    assert "<b>Juarez</b>" not in json.dumps(fig.to_plotly_json(), default=str)
    assert len(fig.to_json()) < 300_000


def test_chart_with_no_data_says_why():
    rows, _ = agg.chart_rows(figures().iloc[0:0], places())
    fig = charts.figures_chart(rows)
    assert "No data" in fig.layout.annotations[0].text
    assert charts.alt_text(rows).endswith("no figure matches the filters.")


def test_per_capita_uses_population_and_leaves_out_places_without_it():
    rows, dropped = agg.chart_rows(figures(), places(), population(), per_capita=True)
    assert dropped == 3  # border-wide x2 and a U.S. port
    juarez = rows.set_index("figure_id")
    assert juarez.loc["e", "value"] == pytest.approx(18000 / 1_500_000 * 100_000)  # 2019 population
    assert juarez.loc["b", "label"].startswith("~")
    fig = charts.figures_chart(rows, per_capita=True, dropped=dropped)
    assert any("not shown per capita" in n for n in fig.layout.meta["notes"])


def test_alt_text_names_highest_and_lowest():
    rows, _ = agg.chart_rows(figures(), places())
    alt = charts.alt_text(rows)
    assert "5 reported figures in 3 panels" in alt
    assert "highest Ciudad Juárez, 18,000" not in alt  # 55,000 border-wide is the highest
    assert "highest Border-wide, more than 55,000; lowest Ciudad Juárez, about 13,000" in alt


def test_choices_from_the_figures_present():
    c = agg.choices(figures(), places())
    assert ("mpp_returned", "People returned to Mexico under MPP") in c["metric"]
    assert c["place"][0][0] == agg.BORDER_WIDE
    assert ("TRAC", "TRAC") in c["publisher"]


# ---------------------------------------------------------------- the app (bundled data only)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app

    return create_app(tmp_path_factory.mktemp("reported") / "data")



def test_layout_with_good_and_hostile_queries(app):
    text = text_of(page_layout("/reported"))
    assert "more than 55,000" in text and "rep-graph" in text and "page-notices" in text
    good = text_of(page_layout("/reported", metric="mpp_returned", place="08037", q="juarez"))
    assert "Some settings" not in good
    for query in [dict(metric="<script>alert(1)</script>"), dict(place="x" * 10_000), dict(q="y" * 150),
                  dict(publisher="nobody"), dict(percap="maybe"), dict(bogus="1")]:
        hostile = page_layout("/reported", **query)
        t = text_of(hostile)
        assert "Some settings in the link were not valid" in t, query
    # the hostile value is quoted (shortened) as text in the notice, and the control falls back to "all"
    hostile = page_layout("/reported", metric="<script>alert(1)</script>")
    assert '"id": "rep-metric", "value": ""' in text_of(hostile).replace('"value": "", "clearable"', '"value": ""') \
        or '"value": ""' in text_of(hostile)


def test_callback_returns_figure_list_and_canonical_query(app):
    from dashboard.views import reported as cb

    fig, alt, count, children, store, mfig, malt = cb.update("mpp_returned", "", "", "  more   than ", True)
    assert store == {"q": "?metric=mpp_returned&q=more+than&percap=1", "initial": False}
    assert "reported figures" in count
    fig, alt, count, children, store, mfig, malt = cb.update("", "", "", "", False)
    assert store["q"] == "" and fig.layout.meta["title"] == charts.TITLE
    assert "Definition" in text_of(children[0])
    # a link from data that is not http(s) is not a link
    assert "javascript:" not in json.dumps([text_of(c) for c in children])


def test_spanish_count_list_and_notices(app):
    from dashboard import i18n
    from dashboard.views import reported as cb

    with i18n.using("es"):
        fig, alt, count, children, store, mfig, malt = cb.update("", "", "", "", False)
        parsed = cb.state_from_query({"q": "x" * 200, "bogus": "1"})
    total = len(cb.data_access.current().table("reported_figures"))
    assert count == f"{total:,} de {total:,} cifras reportadas"
    assert "Definición: " in text_of(children[0]) and "Definition" not in text_of(children[0])
    assert "leer el informe" in text_of(children[0])
    assert "Búsqueda: se ignoró un texto de 200 caracteres (máximo 100)" in parsed.notices
    assert store["q"] == "?lang=es"
    fig, alt, count, *_ = cb.update("", "", "", "", False)  # English again: its own cached answer
    assert count == f"{total} of {total} reported figures"
