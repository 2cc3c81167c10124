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
    assert h.value == "more than 68,000"  # hrf-2021-02-19-returned: the latest figure of the first MPP
    assert "Under MPP as reinstated (Dec 2021–Aug 2022): 7,505." in h.detail  # aic-mpp2
    unaware = agg.mpp_total(reported)  # no event date: nothing is set apart, the latest figure wins
    assert unaware.value == "7,505" and "Under MPP as reinstated" not in unaware.detail
