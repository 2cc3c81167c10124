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
    h = agg.southwest_latest(enc, "2026-11-27")
    assert h.value == "150" and h.as_of == "August 2025" and "+50.0%" in h.detail


def test_missing_sources_give_no_data_with_a_reason():
    empty = pd.DataFrame()
    for h in (agg.mpp_total(empty), agg.southwest_latest(empty, None), agg.city_homicides_last_year(empty, MPP),
              agg.border_deaths_last_year(empty)):
        assert h.value == "no data" and h.missing
