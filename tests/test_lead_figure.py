"""The lead-figure rule (dashboard/aggregates/lead.py): tiers, tie-breaks, reasons, and its choices on the real
curated table, where the expected figure ids come from reviewing each publication (issue 12), typed here."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.aggregates import lead
from etl.adapters.reported_figures import parse
from etl.config import reference_dir


def fig(fid, counted_by, report_kind, *, as_of=None, period_end=None, published=None, value=1.0):
    return {"figure_id": fid, "value": value, "qualifier": "exact", "counted_by": counted_by,
            "report_kind": report_kind, "as_of": pd.Timestamp(as_of) if as_of else pd.NaT,
            "period_end": pd.Timestamp(period_end) if period_end else pd.NaT,
            "published": pd.Timestamp(published) if published else pd.NaT, "publisher": f"pub {fid}"}


def order(*rows):
    return list(lead.ranked(pd.DataFrame(list(rows)))["figure_id"])


@pytest.mark.parametrize("stronger,weaker", [
    # each tier beats the next, even when the weaker figure is newer
    (fig("cbp", "dhs_cbp", "primary", as_of="2019-01-01"), fig("trac", "eoir_via_trac", "primary", as_of="2021-01-01")),
    (fig("trac", "eoir_via_trac", "secondary", as_of="2019-01-01"),
     fig("news-cbp", "dhs_cbp", "secondary", as_of="2021-01-01")),
    (fig("news-inm", "inm", "secondary", as_of="2019-01-01"), fig("ngo", "ngo", "primary", as_of="2021-01-01")),
    (fig("ngo", "ngo", "secondary", as_of="2019-01-01"), fig("anon", "unknown", "secondary", as_of="2021-01-01")),
    (fig("anon", "unknown", "secondary"), fig("copy", "dhs_cbp", "republication", as_of="2021-01-01")),
    (fig("mx", "mexican_authority", "primary"), fig("trac", "eoir_via_trac", "primary", as_of="2021-01-01")),
])
def test_a_stronger_tier_leads_whatever_the_dates(stronger, weaker):
    assert order(weaker, stronger) == [stronger["figure_id"], weaker["figure_id"]]


def test_the_tiers_in_words():
    assert [lead.tier(*k) for k in [("dhs_cbp", "primary"), ("eoir_via_trac", "republication"), ("eoir_via_trac", "primary"),
                                    ("municipal_government", "secondary"), ("news_organisation", "primary"),
                                    ("unknown", "secondary"), (None, None), ("ngo", "republication")]] == [1, 6, 2, 3, 4, 5, 5, 6]


def test_newest_as_of_breaks_a_tie_and_an_undated_figure_uses_its_publication_date():
    a = fig("a", "unknown", "secondary", as_of="2019-06-30")
    b = fig("b", "unknown", "secondary", published="2019-12-01")  # undated: its publication date counts
    c = fig("c", "unknown", "secondary", period_end="2019-09-30", published="2020-06-01")  # period end before published
    d = fig("d", "unknown", "secondary")  # no date at all: after the dated ones
    assert order(d, a, c, b) == ["b", "c", "a", "d"]
    r = lead.ranked(pd.DataFrame([d, a, c, b])).set_index("figure_id")
    assert r.at["c", "lead_date"] == pd.Timestamp("2019-09-30") and r.at["c", "lead_date_basis"] == "period ending"
    assert r.at["b", "lead_date_basis"] == "published" and pd.isna(r.at["d", "lead_date"])


def test_every_other_figure_says_why_it_did_not_lead():
    got = lead.choose(pd.DataFrame([fig("old", "ngo", "primary", as_of="2019-01-31"),
                                    fig("new", "ngo", "primary", as_of="2020-03-31"),
                                    fig("copy", "eoir_via_trac", "republication", as_of="2021-01-01"),
                                    fig("none", "ngo", "primary")]))
    assert got.lead["figure_id"] == "new" and got.lead["lead_reason"] == ""
    why = {o["figure_id"]: o["lead_reason"] for o in got.others}
    assert list(why) == ["old", "none", "copy"]
    assert why["old"].startswith("older (as of 2019-01-31) than the lead (as of 2020-03-31)")
    assert why["none"].startswith("undated")
    assert why["copy"] == ("a republication of another report, which ranks below a count or estimate by an NGO, "
                           "advocate or news organisation")


def test_missing_columns_rank_as_a_report_naming_no_counter():
    rows = pd.DataFrame([{"figure_id": "x", "as_of": pd.Timestamp("2019-01-01")},
                         {"figure_id": "y", "as_of": pd.Timestamp("2020-01-01")}])
    assert list(lead.ranked(rows)["figure_id"]) == ["y", "x"]
    assert lead.choose(pd.DataFrame()).lead is None


# ------------------------------------------------------------------ the real curated table

@pytest.fixture
def curated(ctx):
    [parsed] = parse(reference_dir() / "reported_figures.csv", ctx)
    return parsed.frame


def test_on_the_real_table_juarez_leads_with_border_reports_13000(curated):
    rows = curated[(curated["metric"] == "mpp_returned") & (curated["place_id"] == "08037")]
    got = lead.choose(rows)
    # reviewed: Border Report's "some 13,000" names no counter (tier 5); the 18,000 is an advocate's estimate
    # in a copy of Sputnik's story (a republication, tier 6)
    assert got.lead["figure_id"] == "br-2019-mpp-juarez"
    assert [o["figure_id"] for o in got.others] == ["sputnik-2019-12-03-juarez"]
    assert got.others[0]["qualifier"] == "estimate"
    assert got.others[0]["lead_reason"].startswith("a republication")


def test_on_the_real_table_the_border_wide_lead_is_tracs_court_record_count(curated):
    border_wide = curated["place_id"].isna() & curated["place_ids"].isna()
    rows = curated[(curated["metric"] == "mpp_returned") & border_wide]
    got = lead.choose(rows)
    # reviewed: TRAC's own page (court records through November 2019) is the only analysis of official records
    # among the border-wide figures; the others name no counter, newest first
    assert got.lead["figure_id"] == "trac-2019-12-19-total"
    assert [o["figure_id"] for o in got.others] == [
        "aic-mpp2", "hrf-2021-02-19-returned", "aic-2022-01-07-mpp1", "buzzfeed-2019-11-15-total",
        "br-2019-mpp-total"]


def test_the_mpp_pages_list_leads_each_place_with_the_rules_figure(curated, gazetteer):
    """The MPP page's list of reported figures orders each place's figures by the rule and says which leads and why
    the others do not (the same choice as Compare, the Map and the Overview)."""
    from dashboard.aggregates import reported as agg

    places = gazetteer.places.set_index("place_id", drop=False)
    groups = agg.figures_list(curated, places)
    returned = next(g for g in groups if g["metric"] == "mpp_returned")
    items = [f for d in returned["groups"] for f in d["figures"]]
    juarez = [f for f in items if f["figure_id"] in ("br-2019-mpp-juarez", "sputnik-2019-12-03-juarez")]
    by_id = {f["figure_id"]: f for f in juarez}
    assert by_id["br-2019-mpp-juarez"]["lead"] == "Leads for Ciudad Juárez (the rule in About & method)"
    assert by_id["sputnik-2019-12-03-juarez"]["lead"].startswith("Not the lead for Ciudad Juárez: a republication")
    border = {f["figure_id"]: f["lead"] for f in items if f["place"] == "Border-wide"}
    assert border["trac-2019-12-19-total"].startswith("Leads for Border-wide")
    assert all(text.startswith("Not the lead") for fid, text in border.items() if fid != "trac-2019-12-19-total")
    # court-case figures (monthly and cumulative counts) are not ranked against each other
    court = next(g for g in groups if g["metric"] == "mpp_court_cases")
    assert not any(f["lead"] for d in court["groups"] for f in d["figures"])
    # within a definition's group, the lead comes before the figures it outranks
    for d in returned["groups"]:
        ids = [f["figure_id"] for f in d["figures"]]
        if {"trac-2019-12-19-total", "br-2019-mpp-total"} <= set(ids):
            assert ids.index("trac-2019-12-19-total") < ids.index("br-2019-mpp-total")
