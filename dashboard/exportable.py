"""How a page declares the charts that can leave it (as PNG, SVG, PDF, CSV or an embed).

Each page's views module (dashboard/views/<page>.py) declares its exportable charts next to the code that draws
them, with the page's path and query store::

    PATH = "/violence"
    QUERY_STORE = ids.Violence.query
    CHARTS = (Exportable("violence-homicides", "homicides", "Violence: INEGI homicides", ("homicides",)),)

A chart that draws from only some of its page's settings names them (`settings`): its links, footer and CSV
sidecar then carry those alone (the MPP figures of Compare do not depend on the year, so their footer says no
"Year: …"). Without `settings` a chart depends on every setting of its page.

and `dashboard/export/registry.py` collects every declaration; nothing else lists the charts.

A label is English, marked for the catalogue where it is declared (``N_("Violence: INEGI homicides")``): show it
with :meth:`Exportable.title`, which translates it into the reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n import _


@dataclass(frozen=True)
class Exportable:
    name: str  # the chart's public name, in /export/<name>.png and /embed/<name>
    key: str  # which of the views module's chart_views() figures
    label: str
    tables: tuple[str, ...] = ()  # the published tables its numbers come from (for "full tables" links)
    embed_height: int = 560  # pixels of the iframe the embed code suggests
    settings: tuple[str, ...] | None = None  # the page settings the chart depends on (None: all of them)

    def title(self) -> str:
        """The label in the reader's language (what the export panel, embeds and image headers show)."""
        return _(self.label)
