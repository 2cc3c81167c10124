"""Overview headlines on tiny frames: values, as-of dates, and 'no data' with a reason."""
import pandas as pd

from dashboard.aggregates import overview as agg
from tests.support.places import border_rows

MPP = {r["place_id"]: r["short_name"] for r in border_rows() if r["mpp_city"] == "true"}


def homicides(months):
    return pd.DataFrame({"dataset": "inegi_municipal_month", "place_id": "02004",
                         "month": pd.to_datetime(months), "count": 10})


def test_city_homicides_uses_the_last_full_year():
    months = [f"2020-{m:02d}-01" for m in range(1, 13)] + ["2021-01-01"]
    h = agg.city_homicides_last_year(homicides(months), MPP)
    assert h.as_of == "2020" and h.value == "120" and h.missing is None


def test_city_homicides_count_only_the_mpp_cities_and_name_them():
    months = [f"2020-{m:02d}-01" for m in range(1, 13)]
    tecate = homicides(months).assign(place_id="02003")  # a border city that received no one under MPP
    h = agg.city_homicides_last_year(pd.concat([homicides(months), tecate]), MPP)
    assert h.value == "120" and "Tecate" not in h.detail
    assert all(name in h.detail for name in ("Tijuana", "Mexicali", "Ciudad Juárez", "Nuevo Laredo", "Matamoros",
                                             "Piedras Negras", "Nogales"))


def test_city_homicides_without_a_full_year_says_so():
    h = agg.city_homicides_last_year(homicides(["2021-01-01", "2021-02-01"]), MPP)
    assert h.value == "no data" and "no full calendar year" in h.missing


def test_southwest_latest_month_and_change():
    enc = pd.DataFrame({"dataset": "cbp_southwest", "month": pd.to_datetime(["2025-07-01", "2025-08-01"]),
                        "count": [100, 150]})
    h = agg.southwest_latest(enc, ("The publisher", "https://example.org/sw"))
    assert h.value == "150" and h.as_of == "August 2025" and "+50.0%" in h.detail
    assert (h.source, h.url) == ("The publisher", "https://example.org/sw")  # as the release names it


def test_missing_sources_give_no_data_with_a_reason():
    empty = pd.DataFrame()
    for h in (agg.mpp_total(empty), agg.southwest_latest(empty), agg.city_homicides_last_year(empty, MPP),
              agg.border_deaths_last_year(empty)):
        assert h.value == "no data" and h.missing


def test_mpp_reinstatement_date_comes_from_the_policy_events_table():
    """The reinstatement is the policy event 'mpp-reinstated' of data/reference/policy_events.csv (December 6,
    2021); the figures for MPP as reinstated (from December 2021, per data/reference/reported_figures.csv)
    are reported apart from the border-wide total of the first MPP."""
    from etl.config import reference_dir

    events = pd.read_csv(reference_dir() / "policy_events.csv", parse_dates=["date"])
    reinstated = agg.event_date(events)
    assert reinstated == pd.Timestamp("2021-12-06")
    assert agg.event_date(events, "no-such-event") is None and agg.event_date(pd.DataFrame()) is None
    reported = pd.read_csv(reference_dir() / "reported_figures.csv", dtype={"place_id": str},
                           parse_dates=["period_start", "period_end", "as_of", "published"])
    h = agg.mpp_total(reported, reinstated)
    # the lead-figure rule: TRAC's count from immigration court records (trac-2019-12-19-total, an analysis of
    # official records) leads the first MPP's border-wide figures, none of which is an official count; Human
    # Rights First's later "more than 68,000" names no counter, so it ranks below
    assert h.value == "more than 56,000" and (h.as_of, h.dated) == ("2019-11-30", "as of 2019-11-30")
    assert h.url == "https://trac.syr.edu/whatsnew/email.191219.html"
    assert "It leads 4 other reported figures as an analysis of official records" in h.detail
    assert "Under MPP as reinstated (Dec 2021–Aug 2022): 7,505." in h.detail  # aic-mpp2
    unaware = agg.mpp_total(reported)  # no event date: nothing is set apart, and the rule still picks TRAC's
    assert unaware.value == "more than 56,000" and "Under MPP as reinstated" not in unaware.detail
    # its small chart: one dot per dated border-wide figure of the first MPP, the lead filled; undated in words
    t = h.trend
    assert t.kind == "dots" and t.x == ("2019-11-15", "2019-11-30", "2021-01-20", "2021-02-19")
    assert t.lead == (False, True, False, False)
    assert t.undrawn == "Undated, so not drawn: more than 55,000."


def real_reported():
    from etl.config import reference_dir
    return pd.read_csv(reference_dir() / "reported_figures.csv", dtype={"place_id": str},
                       parse_dates=["period_start", "period_end", "as_of", "published"])


def test_the_missions_pair_is_shown_as_reported_figures():
    """"About 13,000 in Ciudad Juárez" and "more than 55,000 sent to Mexico" (br-2019-mpp-juarez and
    br-2019-mpp-total, one Border Report article): the city's own card, chosen by the rule among the city's
    figures, with the same report's border-wide figure beside it, each qualifier in words."""
    names = {r["place_id"]: r["name"] for r in border_rows() if r["mpp_city"] == "true"}
    cards = agg.city_mpp(real_reported(), names)
    assert [c.label for c in cards] == ["People sent to Ciudad Juárez under MPP (reported)"]
    [j] = cards
    assert j.value == "about 13,000" and (j.as_of, j.dated) == ("", "undated")
    assert "The same report: more than 55,000 sent to Mexico under MPP, border-wide." in j.detail
    assert j.url.startswith("https://www.borderreport.com/news/border-wide-campaign")
    assert "It leads 1 other reported figure as a report that names no counter" in j.detail
    # the advocate's estimate is drawn (dated), the lead is undated and said in words
    assert j.trend.y == (18000.0,) and j.trend.qualifiers == ("estimate",) and j.trend.lead == (False,)
    assert j.trend.undrawn == "Undated, so not drawn: about 13,000."
    assert agg.city_mpp(pd.DataFrame(), names) == []


def test_each_card_has_the_series_behind_its_number():
    months = pd.date_range("2019-01-01", "2025-08-01", freq="MS")
    enc = pd.DataFrame({"dataset": "cbp_southwest", "month": months, "count": range(1, len(months) + 1)})
    t = agg.southwest_latest(enc).trend
    assert t.x[0] == "2020-09-01" and t.x[-1] == "2025-08-01" and len(t.x) == 60  # the last five years
    assert t.y[-1] == len(months) and t.tick_labels[-1] == "Aug 2025"
    months = [f"{y}-{m:02d}-01" for y in range(2014, 2021) for m in range(1, 13)] + ["2021-01-01"]
    h = agg.city_homicides_last_year(homicides(months), MPP)
    assert h.trend.x == (2016, 2017, 2018, 2019, 2020) and h.trend.y == (120.0,) * 5
    deaths = pd.DataFrame({"dataset": "iom_us_mexico_border", "date": pd.to_datetime(["2018-05-01", "2020-03-01",
                                                                                      "2020-12-31"]),
                           "dead": [2, 3, 4], "missing": [1, 0, 1]})
    d = agg.border_deaths_last_year(deaths).trend
    assert d.x == (2018, 2019, 2020) and d.y == (3.0, 0.0, 8.0)  # a year with no record counts none, not skipped


def test_the_small_chart_is_static_and_says_what_it_shows():
    from dashboard.charts import sparkline
    t = agg.Trend("Encounters by month", "line", ("2025-06-01", "2025-07-01", "2025-08-01"), (100.0, 300.0, 150.0),
                  ("Jun 2025", "Jul 2025", "Aug 2025"))
    fig = sparkline.figure(t)
    assert "title" not in fig["layout"] and fig["layout"]["height"] <= 100
    assert fig["layout"]["xaxis"]["ticktext"] == ["Jun 2025", "Aug 2025"]
    assert sparkline.text(t) == ("Encounters by month, Jun 2025 to Aug 2025: 100 at the start, 150 in Aug 2025; "
                                 "highest 300 (Jul 2025), lowest 100 (Jun 2025).")
    dots = agg.Trend("Figures", "dots", ("2019-12-03",), (18000.0,), ("Dec 2019",), ("estimate",), (False,),
                     "Undated, so not drawn: about 13,000.")
    assert sparkline.text(dots) == ("Figures: an estimate of 18,000 (Dec 2019). "
                                    "Undated, so not drawn: about 13,000.")
    assert sparkline.figure(None)["data"] == [] and sparkline.text(None) == "Trend: no series to draw."
