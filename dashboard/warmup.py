"""After a release is switched in, each page's default view is drawn once in the background, so the first reader
of a page finds its charts in the cache (and, with Redis, so does every other worker and machine)."""
from __future__ import annotations

import logging

from dashboard import data_access

log = logging.getLogger("borderstats.dashboard")


def default_views(data) -> int:
    """Draw the default view of every page with exportable charts (its `chart_views` for an empty query), for
    the release being served; the number of pages drawn."""
    from dashboard.export import registry

    done = []
    for chart in registry.CHARTS.values():
        module = chart.views
        if module in done:
            continue
        done.append(module)
        if data_access.current() is not data:  # another release came in meanwhile: its own warm-up will draw
            break
        try:
            module.chart_views(module.state_from_query({}).state)
        except Exception:  # noqa: BLE001 (a page that cannot draw its default view still serves; its error is logged)
            log.exception("default view of %s failed for release %s", module.__name__, data.id)
    return len(done)


def install() -> None:
    if default_views not in data_access._after_switch:
        data_access.after_switch(default_views)
