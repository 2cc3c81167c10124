"""Layout pieces every page uses: the page frame, notices, chart cards, source links, the URL sync.

All text goes into components as text (Dash escapes it): nothing here renders HTML.
"""
from __future__ import annotations

import re
from typing import Sequence

from dash import dcc, html

from . import NAME, data_access, i18n
from .i18n import N_, _
from .export.options import PRESETS

SITE_NAME = N_("Border migration statistics")  # dashboard.NAME, marked here for the catalogue


def site_name() -> str:
    """The site's name in the reader's language."""
    return _(NAME)


def page_title(name: str):
    """A page's <title> for dash.register_page: a function (Dash calls it when it draws the page, in the reader's
    language) of the page's N_-marked name."""
    def title(**_path_variables) -> str:
        return _("{page} · {site}").format(page=_(name), site=site_name())

    title.page_name = name
    return title


GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "width": 1200, "height": 675, "scale": 1},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def safe_href(url: object) -> str | None:
    """Only http(s) addresses become links (never javascript: or data: from a data file)."""
    text = str(url or "").strip()
    return text if re.fullmatch(r"https?://[^\s<>\"']+", text) else None


def source_link(label: str, url: object) -> html.Span | html.A:
    href = safe_href(url)
    return html.A(label, href=href, target="_blank", rel="noopener noreferrer") if href else html.Span(label)


def notices(items: Sequence[str]) -> html.Div:
    if not items:
        return html.Div(id="page-notices", className="notices", hidden=True)
    return html.Div(
        [html.P(_("Some settings in the link were not valid and were replaced by defaults:")),
         html.Ul([html.Li(str(n)) for n in items])],
        id="page-notices", className="notices", role="alert",
    )


def missing_banner(data: data_access.ReleaseData | None, needed: Sequence[str] = ()) -> html.Div | None:
    """Which sources this page needs that have no data, and the one command that fetches them."""
    if data is None:
        return html.Div([html.Strong(_("No data has been published yet.")), " ",
                         _("Fetch it with"), " ", html.Code(data_access.commands.cli("refresh")), "."],
                        className="banner", role="status")
    missing = [s for s in (needed or data.sources()) if s in data.missing_sources()]
    if not missing:
        return None
    return html.Div([
        html.Strong(_("Sources without data:")), " ", ", ".join(missing), ". ",
        _("Fetch them with"), " ", html.Code(data_access.commands.cli("refresh", *[a for s in missing
                                                                            for a in ("--source", s)])), ".",
    ], className="banner", role="status")


def _first_run_shown(data) -> bool:
    if not data_access.first_run_wanted(data):
        return False
    found = data_access.refresh_progress()
    return data_access.first_run_active() or bool(found and found.get("running"))


def page(title: str, intro: str, *children, notices_: Sequence[str] = (), needed: Sequence[str] = ()) -> html.Main:
    data = data_access.current()
    # during the first-run refresh the panel above the page says what is being fetched (dashboard/first_run.py)
    banner = None if _first_run_shown(data) else missing_banner(data, needed)
    return html.Main([
        html.H1(title),
        html.P(intro, className="intro"),
        notices(notices_),
        *([banner] if banner is not None else []),
        *children,
    ], className="page")


def chart(graph_id: str, alt_id: str, figure=None, alt: str = "", config: dict | None = None,
          export: str | None = None, graph_class: str = "graph") -> html.Figure:
    """A chart with its text alternative (what it shows, highest and lowest values) below it, and
    with `export` (a chart name of dashboard.export.registry) its download and share panel."""
    return html.Figure([
        dcc.Graph(id=graph_id, figure=figure or {}, config={**GRAPH_CONFIG, **(config or {})}, className=graph_class),
        html.Figcaption(alt, id=alt_id, className="alt"),
        *([export_panel(export, alt_id)] if export else []),
    ], className="chart")


EXPORT_SIZE_NAMES = {"default": "", "social": N_("Social card"), "square": N_("Square"), "print": N_("Print")}


def size_label(key: str, width: int, height: int) -> str:
    """'Social card 1200×630' / 'Tarjeta para redes 1200×630'; the default size: its dimensions only."""
    name = EXPORT_SIZE_NAMES.get(key, key)
    return f"{_(name)} {width}×{height}" if name else f"{width}×{height}"


def export_id(chart: str, part: str) -> str:
    return f"export-{chart}-{part}"


def export_panel(chart: str, alt_id: str) -> html.Details:
    """Download (PNG, SVG, PDF, the plotted numbers as CSV), copy a link to this view, embed code, alt
    text. The links follow the page's current settings (callbacks/export.py)."""
    def link(fmt: str, label: str):
        return html.A(label, id=export_id(chart, fmt), href=f"/export/{chart}.{fmt}", className="export-link",
                      download=f"{chart}.{fmt}")

    return html.Details([
        html.Summary(_("Download, share or embed this chart")),
        html.Div([
            html.Fieldset([
                html.Legend(_("Image size")),
                dcc.RadioItems(id=export_id(chart, "size"), value="default", inline=True, className="radio",
                               options=[{"label": size_label(k, w, h), "value": k}
                                        for k, (w, h, _) in PRESETS.items()]),
                dcc.Checklist(id=export_id(chart, "zoom"), options=[{"label": _("2× pixels (PNG)"), "value": "2"}],
                              value=[], className="radio"),
            ], className="control"),
            html.P([link("png", "PNG"), " · ", link("svg", "SVG"), " · ", link("pdf", "PDF"), " · ",
                    link("csv", _("Data behind the chart (CSV)")), " · ",
                    html.A(_("Full tables"), href=i18n.href("/data"), className="export-link")], className="export-links"),
            html.Div([
                html.Label(_("Link to this view"), htmlFor=export_id(chart, "permalink")),
                dcc.Input(id=export_id(chart, "permalink"), type="text", readOnly=True, value="",
                          className="export-text"),
                dcc.Clipboard(target_id=export_id(chart, "permalink"), title=_("Copy the link"),
                              className="export-copy"),
            ], className="control"),
            html.Div([
                html.Label(_("Embed code"), htmlFor=export_id(chart, "embed")),
                dcc.Textarea(id=export_id(chart, "embed"), readOnly=True, value="", rows=3, className="export-text"),
                dcc.Clipboard(target_id=export_id(chart, "embed"), title=_("Copy the embed code"),
                              className="export-copy"),
            ], className="control"),
            html.Div([
                html.Span(_("Alt text (the description under the chart)") + " "),
                dcc.Clipboard(target_id=alt_id, title=_("Copy the alt text"), className="export-copy"),
            ], className="control"),
        ], className="export-body"),
    ], className="export")


def url_sync(query_id: str, sink_id: str, query: str) -> list:
    """The page's canonical query string, pushed to the address bar by assets/app.js."""
    return [dcc.Store(id=query_id, data={"q": query, "initial": True}), dcc.Store(id=sink_id)]


def labelled(label: str, control, *, html_for: str | None = None) -> html.Div:
    return html.Div([html.Label(label, htmlFor=html_for), control], className="control")


def settings(controls) -> html.Details:
    """A page's controls, above its charts. On a desktop they are always shown (the summary is hidden by CSS);
    on a phone assets/app.js folds them on first load, so the chart is on the first screen."""
    return html.Details([html.Summary(_("Settings")), controls], open=True, className="settings")
