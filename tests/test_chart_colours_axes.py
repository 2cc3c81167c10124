"""Item 5 of issue 11 on the figures' JSON: a palette that does not repeat for up to 21 series, and log axes
labelled 1k, 2k, 5k, 10k… (each label says the value it stands at)."""
from __future__ import annotations

import math
import re

import pandas as pd
import plotly.io as pio

from dashboard.aggregates import encounters as agg
from dashboard.charts import common
from dashboard.charts import encounters as charts
from dashboard.charts import reported as rep_charts


def _series(groups: int, months: int = 24, base: int = 900) -> agg.Series:
    """Monthly counts for `groups` series spanning 900 to about 90,000 (two decades)."""
    rows = []
    for g in range(groups):
        for m in range(months):
            rows.append({"month": pd.Timestamp(2020, 1, 1) + pd.DateOffset(months=m), "group": f"Sector {g + 1}",
                         "count": float(base * (1 + g) * (1 + 4 * m / months))})
    return agg.Series(pd.DataFrame(rows), "sector", "2020-01", f"{2020 + (months - 1) // 12}-{(months - 1) % 12 + 1:02d}")


def _value(text: str) -> float:
    """'2k' -> 2000, '1.5M' -> 1500000: read back the way a reader reads it."""
    m = re.fullmatch(r"([0-9.]+)([kMB]?)", text)
    assert m, text
    return float(m.group(1)) * {"": 1, "k": 1e3, "M": 1e6, "B": 1e9}[m.group(2)]


def test_palette_has_21_distinct_colours():
    assert len(common.COLORS) >= 21
    assert len({c.lower() for c in common.COLORS}) == len(common.COLORS)
    assert "#ffffff" not in {c.lower() for c in common.COLORS}  # invisible on the white background


def test_21_series_never_share_a_colour():
    fig = charts.encounters_chart(_series(21), dataset="ohss_usbp_monthly_sector", mode="lines", scale="linear")
    data = pio.from_json(fig.to_json()).data
    colours = [t.line.color for t in data if t.name and t.name.startswith("Sector")]
    assert len(colours) == 21
    assert len(set(colours)) == 21, colours


def test_log_axis_labels_are_1k_2k_5k_10k():
    for mode in ("lines", "stacked"):
        fig = charts.encounters_chart(_series(3), dataset="ohss_usbp_monthly_sector", mode=mode, scale="log")
        y = fig.to_plotly_json()["layout"]["yaxis"]
        assert y["type"] == "log"
        vals, text = list(y["tickvals"]), list(y["ticktext"])
        assert len(vals) == len(text) >= 3
        assert [_value(t) for t in text] == [float(v) for v in vals]  # each label says its value
        for v in vals:  # 1, 2 or 5 times a power of ten
            mant = v / 10 ** math.floor(math.log10(v) + 1e-9)
            assert round(mant, 6) in (1, 2, 5), v
        # the ticks cover the data: the lowest count (900) and the highest (lines: 3 * 900 * ~5)
        assert vals[0] <= 1000 and vals[-1] >= 10_000
        assert vals == sorted(vals)
    assert {"1k", "2k", "5k", "10k"} <= set(text)


def test_log_ticks_thin_to_powers_of_ten_on_a_wide_span_and_read_small_values():
    wide = common.log_ticks(3, 2_000_000)
    assert wide["ticktext"] == ["10", "100", "1k", "10k", "100k", "1M"]
    small = common.log_ticks(0.15, 4)
    assert small["ticktext"] == ["0.2", "0.5", "1", "2"]


def test_reported_chart_log_axes_have_explicit_labels():
    rows = pd.DataFrame([
        {"metric": "mpp_returned", "metric_label": "People returned", "value": v, "qualifier": q, "label": lab,
         "place": "Border-wide", "definition": "d", "quote": "", "publisher": "P", "date": "2020-01-01",
         "place_id": "", "reported_date": "2020-01-01"}
        for v, q, lab in [(1450, "exact", "1,450"), (26_432, "exact", "26,432"), (16_300, "more than", "more than 16,300")]
    ])
    try:
        fig = rep_charts.figures_chart(rows)
    except KeyError as exc:  # the builder's input columns changed: say which
        raise AssertionError(f"figures_chart needs column {exc}") from exc
    x = fig.to_plotly_json()["layout"]["xaxis"]
    assert x["type"] == "log"
    assert [_value(t) for t in x["ticktext"]] == [float(v) for v in x["tickvals"]]
    lo, hi = x["range"]
    assert all(10 ** lo <= v <= 10 ** hi for v in x["tickvals"])
    assert "1k" in x["ticktext"] and "10k" in x["ticktext"]
