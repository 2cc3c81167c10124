"""Every exportable chart, collected from the declarations of the pages' views modules, and how to build one
from a query string."""
from __future__ import annotations

import importlib
import json
import pkgutil
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import plotly.io as pio

from dashboard import data_access, i18n, urlstate
from dashboard.charts.common import plain
from dashboard.i18n import _

from .options import BadRequest


@dataclass(frozen=True)
class Chart:
    """An exportable chart as its page's views module declares it (dashboard.exportable.Exportable), with the page."""
    name: str
    page: str  # the page's path, for "open the full view"
    views: ModuleType  # dashboard.views.<page>: state_from_query(), params(), chart_views()
    key: str  # which of chart_views()'s figures
    label: str
    query_store: str  # the page's query store id (the page's current query string)
    tables: tuple[str, ...] = ()
    embed_height: int = 560
    settings: tuple[str, ...] | None = None  # the page settings its figure depends on (None: all)

    def params(self) -> list[urlstate.Param]:
        """The page's settings that this chart depends on: its links, footer and sidecar carry these alone."""
        params = self.views.params()
        if self.settings is None:
            return params
        return [p for p in params if p.name in self.settings]


def declared() -> dict[str, Chart]:
    """Every chart a views module declares in its CHARTS, in page order as the modules are named."""
    from dashboard import views

    out: dict[str, Chart] = {}
    for info in pkgutil.iter_modules(views.__path__):
        module = importlib.import_module(f"{views.__name__}.{info.name}")
        for d in getattr(module, "CHARTS", ()):
            if d.name in out:
                raise ValueError(f"chart {d.name!r} is declared twice ({out[d.name].views.__name__}, {module.__name__})")
            out[d.name] = Chart(d.name, module.PATH, module, d.key, d.label, module.QUERY_STORE, tuple(d.tables),
                                d.embed_height, None if d.settings is None else tuple(d.settings))
    return out


CHARTS: dict[str, Chart] = declared()


@dataclass
class Built:
    chart: Chart
    figure: dict  # a plain, JSON-ready copy: safe to change
    alt: str
    query: str  # canonical query string ('?a=1' or '')
    notices: list[str] = field(default_factory=list)
    release: str | None = None
    page_query: str = ""  # the page's canonical query: every setting of the page, not only the chart's

    @property
    def view_path(self) -> str:
        """The page showing this chart as it is: the settings the chart depends on."""
        return self.chart.page + self.query

    @property
    def page_path(self) -> str:
        """The page with every one of its settings (a link to the page as a whole, e.g. its share preview)."""
        return self.chart.page + (self.page_query or self.query)

    @property
    def meta(self) -> dict:
        """Title, subtitle, source and notes, as charts.common.finish() set them on the figure."""
        return self.figure.get("layout", {}).get("meta") or {}


def chart(name: str) -> Chart:
    if name not in CHARTS:
        raise BadRequest(_("unknown chart “{name}”; charts: {charts}").format(name=urlstate._show(name),
                                                                              charts=", ".join(CHARTS)))
    return CHARTS[name]


def build(name: str, query: dict[str, Any], *, strict: bool = True) -> Built:
    """The chart for a query, as its page would draw it. With strict=True a bad query value is an
    error (an export link should not quietly show something else); otherwise it falls back to its
    default with a notice, as the page does."""
    c = chart(name)
    cb = c.views
    parsed = cb.state_from_query(dict(query))
    if strict and parsed.notices:
        raise BadRequest("; ".join(n.replace("; showing the default", "").replace(" was ignored", "")
                                   .replace(" ignored", "") for n in parsed.notices))
    data = data_access.current()
    views = cb.chart_views(parsed.state) if data is not None else {}
    if c.key not in views:
        raise LookupError(_("{chart}: nothing to draw (no release published, or no data for this view)")
                          .format(chart=name))
    fig, alt = views[c.key]
    # the views are cached and shared between requests: work on a JSON copy, never on them
    figure = json.loads(pio.to_json(fig, validate=False, engine="json"))
    params = c.params()
    line = data_line(parsed.state, params)
    if line:
        _add_footer_line(figure, line)
    return Built(c, figure, str(alt or ""), urlstate.to_query(parsed.state, params), parsed.notices,
                 data.id if data is not None else None, urlstate.to_query(parsed.state, cb.params()))


def data_line(state: dict, params: list[urlstate.Param]) -> str:
    """What the link fixes and what follows the data, for the footer: 'Year: 2021 (fixed by this link)' or
    'Year: the latest year in the data (2024 in this release)'; '' when the chart has no such setting."""
    parts = []
    for p in params:
        if not p.latest:
            continue
        value = state.get(p.name, p.default)
        month = p.kind == "month"
        label = _(p.label)
        if value == urlstate.LATEST:
            now = p.default if p.default is not None else (p.resolve(state) if p.resolve else None)
            if now:
                template = (_("{setting}: the latest month in the data ({value} in this release)") if month
                            else _("{setting}: the latest year in the data ({value} in this release)"))
            else:
                template = (_("{setting}: the latest month in the data") if month
                            else _("{setting}: the latest year in the data"))
            parts.append(template.format(setting=label, value=_shown(now, month)))
        else:
            shown = value if value is not None else (p.resolve(state) if p.resolve else None)
            if shown not in (None, ""):
                parts.append(_("{setting}: {value} (fixed by this link)").format(setting=label,
                                                                              value=_shown(shown, month)))
    return "; ".join(parts)


def _shown(value, month: bool) -> str:
    """A setting's value for the footer: a month ('2024-03') as this language writes it ('March 2024', 'marzo de
    2024'); anything else as it is."""
    text = str(value)
    if month and re.fullmatch(r"\d{4}-\d\d", text):
        return i18n.month_year(text + "-01")
    return text


def _add_footer_line(figure: dict, line: str) -> None:
    """The line under the notes and source, in the image footer (and in meta, for the embed page)."""
    layout = figure.setdefault("layout", {})
    layout.setdefault("meta", {})["data_line"] = line
    text = plain(line)
    foot = next((a for a in layout.get("annotations", []) if a.get("name") == "footer"), None)
    margin = layout.setdefault("margin", {})
    if foot is not None:
        foot["text"] = f"{foot.get('text', '')}<br>{text}" if foot.get("text") else text
        margin["b"] = int(margin.get("b", 60)) + 16
    else:
        layout.setdefault("annotations", []).append({
            "text": text, "name": "footer", "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -40,
            "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
            "font": {"size": 11, "color": "#5f6368"}})
        margin["b"] = max(int(margin.get("b", 60)), 76)
