"""The first-run refresh, as every page shows it: above the page, which source is being fetched, how far the
refresh is, which sources failed and why; then, once the new release serves, the page again with its charts.

The shell (dashboard/app.py) puts :func:`part` above every page. While a refresh that reports its progress
(etl.progress: the app's own first-run refresh, or `borderstats refresh` run beside it) is going and the release
served holds no publisher's data, a dcc.Interval asks the server once a second (:func:`poll`) for the progress,
drawn with Dash components (text only: an error message is shown as text, never as HTML). When the refresh has
published and this worker serves the new release, the poll says so and assets/app.js reloads the page once;
when it ended without publishing, polling stops and the panel says what failed and what to do.
"""
from __future__ import annotations

import re

from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)

from . import data_access, i18n, ids
from .i18n import N_, _, ngettext

POLL_MS = 1000

STATE_WORDS = {"waiting": N_("waiting"), "fetching": N_("fetching"), "parsing": N_("reading and checking the files"),
               "done": N_("done"), "unchanged": N_("unchanged"), "failed": N_("failed")}


def wanted() -> tuple[bool, dict | None]:
    """(show the panel, the progress): shown while the release served has no publisher's data and a refresh
    reports progress (or this process has just started one)."""
    data = data_access.current()
    if not data_access.first_run_wanted(data):
        return False, None
    found = data_access.refresh_progress()
    return found is not None or data_access.first_run_active(), found


def part() -> html.Div:
    """The panel, its poll, the release the page was drawn from, and the reload signal: above every page."""
    show, found = wanted()
    data = data_access.current()
    polling = show and _keep_polling(found, data)
    return html.Div([
        html.Div(panel(found, served=data.id if data else None) if show else None, id=ids.FirstRun.box, **{"aria-live": "polite"}),
        # the shell's layout is drawn without the reader's language (dashboard/views/shell.py): a panel shown
        # and not polling is asked for once, so that the callback redraws it in the page's language
        dcc.Interval(id=ids.FirstRun.poll, interval=POLL_MS, disabled=not show, max_intervals=-1 if polling else 1),
        dcc.Store(id=ids.FirstRun.seen, data=data.id if data is not None else ""),
        dcc.Store(id=ids.FirstRun.reload, data=False),
        dcc.Store(id=ids.FirstRun.sink),
    ])


def _keep_polling(found: dict | None, data) -> bool:
    """Poll while the refresh runs, and after it published until this worker serves what it published."""
    if found is None:
        return data_access.first_run_active()
    if found.get("running"):
        return True
    return found.get("stage") == "published" and (data is None or found.get("release") != data.id)


@callback(Output(ids.FirstRun.box, "children"), Output(ids.FirstRun.poll, "disabled"),
          Output(ids.FirstRun.reload, "data"),
          Input(ids.FirstRun.poll, "n_intervals"), State(ids.FirstRun.seen, "data"), prevent_initial_call=True)
def poll(_n, seen):
    data = data_access.current()  # also starts the switch to a release just published
    if data is not None and seen and data.id != seen and data.has_publisher_data:
        return panel(data_access.refresh_progress(), loading=True), True, True
    show, found = wanted()
    if not show:
        return None, True, no_update
    return panel(found, served=data.id if data else None), not _keep_polling(found, data), no_update


clientside_callback(ClientsideFunction(namespace="borderstats", function_name="reloadWhen"),
                    Output(ids.FirstRun.sink, "data"), Input(ids.FirstRun.reload, "data"))


# ---- the panel (text only) ------------------------------------------------------------------------------------

def panel(found: dict | None, *, loading: bool = False, served: str | None = None) -> html.Section:
    """The progress in words. `served`: the release this page is drawn from; a refresh that published it
    published no publisher's data (the panel is shown only over such a release), so it is over, not loading."""
    if found is None:
        return _box(_("Fetching the data for the first time"), [html.P(_("Starting…"))], busy=True)
    sources = [s for s in found.get("sources") or [] if isinstance(s, dict) and isinstance(s.get("id"), str)]
    over = sum(1 for s in sources if s.get("state") in ("done", "unchanged", "failed"))
    failed = [s for s in sources if s.get("state") == "failed"]
    stage = found.get("stage")
    hint = data_access.commands.no_network_hint()
    offline = any(hint in str(s.get("error") or "") for s in failed)
    where = (_("from the mirror folder") if found.get("mirror") else _("from the files already downloaded")
             if found.get("offline") else _("from the publishers' websites"))
    n = len(sources)
    if loading or (stage == "published" and found.get("release") != served):
        title, busy = _("New data published: loading it"), True
        lead = [ngettext("{done} of {n} source fetched {where}. The page reloads with the charts in a moment.",
                         "{done} of {n} sources fetched {where}. The page reloads with the charts in a moment.",
                         n).format(done=over - len(failed), n=n, where=where)]
    elif found.get("running"):
        title, busy = _("Fetching the data for the first time") if found.get("origin") == "app" else \
            _("Fetching the data"), True
        failures = (", " + ngettext("{n} failed", "{n} failed", len(failed)).format(n=len(failed))) if failed else ""
        lead = [ngettext("Reading {n} source {where}: {over} of {n} done{failures}. The charts appear when it has "
                         "finished; the page reloads by itself.",
                         "Reading {n} sources {where}: {over} of {n} done{failures}. The charts appear when it has "
                         "finished; the page reloads by itself.", n).format(n=n, where=where, over=over,
                                                                            failures=failures)]
    elif stage == "interrupted":
        title, busy = _("The first data fetch was interrupted"), False
        lead = [ngettext("It stopped after {over} of {n} source.", "It stopped after {over} of {n} sources.",
                         n).format(over=over, n=n), " ", _("Fetch the data with"), " ",
                html.Code(data_access.commands.cli("refresh")), "."]
    else:  # over, and the release served still holds no publisher's data
        title, busy = _("The data could not be fetched"), False
        lead = [ngettext("{failed} of {n} source failed: the pages show the reference data bundled with the "
                         "dashboard only.",
                         "{failed} of {n} sources failed: the pages show the reference data bundled with the "
                         "dashboard only.", n).format(failed=len(failed), n=n)
                if failed else _("No source had new data.")]
    children = [html.P(lead), html.Progress(value=str(over), max=str(max(len(sources), 1)),
                                            className="first-run-bar", **{"aria-label": _("sources done")}),
                html.Ul([_source_item(s, hint) for s in sources], className="first-run-sources")]
    if found.get("error"):
        children.append(html.P([_("The refresh stopped:"), " ", str(found["error"])]))
    if offline and not found.get("running"):
        children.append(html.P([html.Strong(_("No network?")), " ", *_with_code(_offline_advice()), "."],
                               className="first-run-hint"))
    if failed and not found.get("running") and not loading:
        some = len(failed) * 2 <= len(sources)  # name a few; most failed: the whole refresh (the rest is unchanged)
        retry = data_access.commands.cli("refresh", *[a for s in failed if some for a in ("--source", s["id"])])
        children.append(html.P([_("Once that is fixed, fetch the failed sources with"), " ", html.Code(retry),
                                "; ", _("this page shows its progress and then the charts.")]))
    return _box(title, children, busy=busy)


def _box(title: str, children: list, *, busy: bool) -> html.Section:
    return html.Section([html.H2(title), *children], className="first-run" + (" busy" if busy else ""),
                        role="status", **{"aria-busy": "true" if busy else "false"})


def _source_item(s: dict, hint: str) -> html.Li:
    state = str(s.get("state") or "waiting")
    words = _(STATE_WORDS[state]) if state in STATE_WORDS else state
    detail = ""
    if state == "done" and isinstance(s.get("rows"), int):
        detail = ": " + ngettext("{n} row", "{n} rows", s["rows"]).format(n=i18n.number(s["rows"]))
    elif state == "fetching" and isinstance(s.get("bytes"), int) and s["bytes"]:
        total = s.get("total")
        detail = ": " + (_("{done} of {total}").format(done=_mb(s["bytes"]), total=_mb(total))
                         if isinstance(total, int) and total else _mb(s["bytes"]))
    elif state == "failed":
        detail = ": " + _short_error(str(s.get("error") or _("no reason given")), s["id"], hint)
    return html.Li([html.Span(s["id"], className="first-run-id"), " ",
                    html.Span(words + detail, className=f"first-run-state {state}")])


def _short_error(error: str, source_id: str, hint: str) -> str:
    """The error without what the panel says once for all (the no-network advice), without the source id the
    line already starts with and without the address it was fetching (the message names the host when that
    matters; the Data & sources page lists every source's address)."""
    error = error.replace("; " + hint, "").replace(hint, "")
    error = re.sub(rf"^{re.escape(source_id)}: ", "", error)
    return re.sub(r"^https?://\S+: ", "", error)


def _with_code(text: str) -> list:
    """Text whose `quoted` parts are commands: those as code."""
    return [html.Code(part) if i % 2 else part for i, part in enumerate(text.split("`")) if part]


def _mb(n: int) -> str:
    return f"{i18n.number(n / 1e6, 1)} MB"


def _offline_advice() -> str:
    """etl's no-network hint ('without a network, read … with `…`'), as the panel's sentence in the reader's
    language, its commands in backquotes (shown as code)."""
    c = data_access.commands
    return _("Read a folder of downloaded files with `{mirror}` (or start the app with `{app}`), or re-read the "
             "files already downloaded with `{offline}`").format(
        mirror=c.cli("refresh", "--mirror", "DIR"), app=c.app("--mirror", "DIR"), offline=c.cli("refresh", "--offline"))
