"""Layout pieces every page uses: the page frame, notices, chart cards, source links, the URL sync.

All text goes into components as text (Dash escapes it): nothing here renders HTML.
"""
from __future__ import annotations

import re
from typing import Sequence

from dash import dcc, html

from . import data_access

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "width": 1200, "height": 675, "scale": 1},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def safe_href(url: object) -> str | None:
    """Only http(s) addresses become links (never javascript: or data: from a data file)."""
    text = str(url or "").strip()
    return text if re.match(r"^https?://[^\s<>\"']+$", text) else None


def source_link(label: str, url: object) -> html.Span | html.A:
    href = safe_href(url)
    return html.A(label, href=href, target="_blank", rel="noopener noreferrer") if href else html.Span(label)


def notices(items: Sequence[str]) -> html.Div:
    if not items:
        return html.Div(id="page-notices", className="notices", hidden=True)
    return html.Div(
        [html.P("Some settings in the link were not valid and were replaced by defaults:"),
         html.Ul([html.Li(str(n)) for n in items])],
        id="page-notices", className="notices", role="alert",
    )


def missing_banner(data: data_access.ReleaseData | None, needed: Sequence[str] = ()) -> html.Div | None:
    """Which sources this page needs that have no data, and the one command that fetches them."""
    if data is None:
        return html.Div([html.Strong("No data has been published yet. "),
                         "Fetch it with ", html.Code("borderstats refresh"), "."], className="banner", role="status")
    missing = [s for s in (needed or data.sources()) if s in data.missing_sources()]
    if not missing:
        return None
    return html.Div([
        html.Strong("Sources without data: "), ", ".join(missing), ". ",
        "Fetch them with ", html.Code("borderstats refresh" + "".join(f" --source {s}" for s in missing)), ".",
    ], className="banner", role="status")


def page(title: str, intro: str, *children, notices_: Sequence[str] = (), needed: Sequence[str] = ()) -> html.Main:
    data = data_access.current()
    banner = missing_banner(data, needed)
    return html.Main([
        html.H1(title),
        html.P(intro, className="intro"),
        notices(notices_),
        *([banner] if banner is not None else []),
        *children,
    ], className="page")


def chart(graph_id: str, alt_id: str, figure=None, alt: str = "", config: dict | None = None) -> html.Figure:
    """A chart with its text alternative (what it shows, highest and lowest values) below it."""
    return html.Figure([
        dcc.Graph(id=graph_id, figure=figure or {}, config={**GRAPH_CONFIG, **(config or {})}, className="graph"),
        html.Figcaption(alt, id=alt_id, className="alt"),
    ], className="chart")


def url_sync(query_id: str, sink_id: str, query: str) -> list:
    """The page's canonical query string, pushed to the address bar by assets/app.js."""
    return [dcc.Store(id=query_id, data={"q": query, "initial": True}), dcc.Store(id=sink_id)]


def labelled(label: str, control, *, html_for: str | None = None) -> html.Div:
    return html.Div([html.Label(label, htmlFor=html_for), control], className="control")
