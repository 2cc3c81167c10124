"""WCAG 1.4.1 (issue 15, Access): the lines of a multi-place chart are told apart by more than their colour. Each
place's line has its own dash pattern and marker shape, which the legend repeats."""
import pandas as pd

from dashboard.charts import violence


def test_each_place_line_has_its_own_dash_and_marker():
    places = [f"p{i}" for i in range(7)]  # seven: the most border cities the violence page draws at once
    frame = pd.DataFrame([{"place_id": p, "period": pd.Timestamp(f"{y}-01-01"), "value": 10.0 + i + y % 3}
                          for i, p in enumerate(places) for y in range(2015, 2022)])
    colours = {p: "#0067A5" for p in places}  # one colour for all: the lines must still differ
    fig = violence.trend(frame, {p: p.upper() for p in places}, title="t", subtitle="s", source="src",
                         y_title="per 100,000", colours=colours)
    lines = [t for t in fig.data if t.name in {p.upper() for p in places}]
    assert len(lines) == len(places)
    assert len({(t.line.dash, t.marker.symbol) for t in lines}) == len(places)
    assert all(t.line.color == "#0067A5" for t in lines)  # the places table's colours are kept

