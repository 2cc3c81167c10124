"""Every exportable chart: its name, the page that draws it, and how to build it from a query string."""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any

import plotly.io as pio

from dashboard import data_access, ids, urlstate


@dataclass(frozen=True)
class Chart:
    name: str
    page: str  # the page's path, for "open the full view"
    module: str  # dashboard.views.<module>: state_from_query(), params(), chart_views()
    key: str  # which of chart_views()'s figures
    label: str
    query_store: str  # the page's query store id (the page's current query string)
    tables: tuple[str, ...] = ()  # the published tables its numbers come from (for "full tables" links)
    embed_height: int = 560  # pixels of the iframe the embed code suggests

    def callbacks(self):
        return importlib.import_module(f"dashboard.views.{self.module}")

    def params(self) -> list[urlstate.Param]:
        return self.callbacks().params()


CHARTS: dict[str, Chart] = {c.name: c for c in [
    Chart("compare-mpp", "/compare", "compare", "mpp", "Compare cities: reported MPP figures", ids.Compare.query, ("reported_figures",), embed_height=760),
    Chart("compare-homicides", "/compare", "compare", "homicides", "Compare cities: homicides in a year",
          ids.Compare.query, ("homicides", "population")),
    Chart("compare-monthly", "/compare", "compare", "monthly", "Compare cities: monthly homicides, small multiples",
          ids.Compare.query, ("homicides", "population"), embed_height=760),
    Chart("compare-deaths", "/compare", "compare", "deaths", "Compare cities: migrant deaths nearby",
          ids.Compare.query, ("migrant_deaths",)),
    Chart("compare-encounters", "/compare", "compare", "encounters",
          "Compare cities: Border Patrol encounters in the paired sector", ids.Compare.query, ("encounters",)),
    Chart("encounters", "/encounters", "encounters", "encounters", "Encounters: monthly series with policy events",
          ids.Encounters.query, ("encounters", "policy_events")),
    Chart("map", "/map", "map", "map", "Map: border cities and migrant death incidents", ids.Map.query, ("migrant_deaths", "homicides", "population", "places"), embed_height=720),
    Chart("reported", "/reported", "reported", "reported", "MPP & reported figures: figures per city",
          ids.Reported.query, ("reported_figures", "population"), embed_height=760),
    Chart("violence-homicides", "/violence", "violence", "homicides", "Violence: INEGI homicides",
          ids.Violence.query, ("homicides", "population")),
    Chart("violence-victims", "/violence", "violence", "victims", "Violence: SESNSP victims of one crime subtype",
          ids.Violence.query, ("crime_victims", "population")),
    Chart("violence-subtypes", "/violence", "violence", "subtypes", "Violence: SESNSP victims by crime subtype",
          ids.Violence.query, ("crime_victims", "population"), embed_height=700),
]}


class BadRequest(ValueError):
    """A chart name, format, size or query value that cannot be used: the message says which."""


@dataclass
class Built:
    chart: Chart
    figure: dict  # a plain, JSON-ready copy: safe to change
    alt: str
    query: str  # canonical query string ('?a=1' or '')
    notices: list[str] = field(default_factory=list)
    release: str | None = None

    @property
    def view_path(self) -> str:
        return self.chart.page + self.query

    @property
    def meta(self) -> dict:
        """Title, subtitle, source and notes, as charts.common.finish() set them on the figure."""
        return self.figure.get("layout", {}).get("meta") or {}


def chart(name: str) -> Chart:
    if name not in CHARTS:
        raise BadRequest(f"unknown chart “{urlstate._show(name)}”; charts: {', '.join(CHARTS)}")
    return CHARTS[name]


def build(name: str, query: dict[str, Any], *, strict: bool = True) -> Built:
    """The chart for a query, as its page would draw it. With strict=True a bad query value is an
    error (an export link should not quietly show something else); otherwise it falls back to its
    default with a notice, as the page does."""
    c = chart(name)
    cb = c.callbacks()
    parsed = cb.state_from_query(dict(query))
    if strict and parsed.notices:
        raise BadRequest("; ".join(n.replace("; showing the default", "").replace(" was ignored", "")
                                   .replace(" ignored", "") for n in parsed.notices))
    data = data_access.current()
    views = cb.chart_views(parsed.state) if data is not None else {}
    if c.key not in views:
        raise LookupError(f"{name}: nothing to draw (no release published, or no data for this view)")
    fig, alt = views[c.key]
    # the views are cached and shared between requests: work on a JSON copy, never on them
    figure = json.loads(pio.to_json(fig, validate=False, engine="json"))
    return Built(c, figure, str(alt or ""), urlstate.to_query(parsed.state, c.params()), parsed.notices,
                 data.id if data is not None else None)
