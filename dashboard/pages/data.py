"""Data & sources: every published table, browsable and downloadable; its dictionary; every source."""
import dash
from dash import dcc, html

from dashboard import components, data_access, ids, urlstate
from dashboard.aggregates import data as agg
from dashboard.views import data as cb
from dashboard import i18n
from dashboard.i18n import N_, _, ngettext

PAGE = N_("Data & sources")
dash.register_page(__name__, path="/data", name=PAGE, title=components.page_title(PAGE), order=6)

INTRO = N_("Every table the dashboard draws from, as published in the current release: browse, sort and filter "
         "it here, and download the rows you see (CSV, XLSX, JSON or Parquet, with place names beside place ids) "
         "or the whole table. Below are the definition of every field and the "
         "provenance of every source — publisher, address, licence, retrieval time, checksum and the status "
         "of the last refresh.")


EDITION_NOTE = N_("all figures revised as a whole")


def edition_notes(switches: list[dict]) -> list:
    """'Edition changed on 2026-11-29: <old> → <new> (dataset): all figures revised as a whole', one per switch,
    as text components (edition names come from the publisher's files)."""
    return [html.P([html.Strong(_("Edition changed")), " ",
                    _("on {date}:").format(date=e.get("released") or "?"), " ",
                    html.Span(str(e.get("old") or "")), " → ", html.Span(str(e.get("new") or "")),
                    " (", html.Code(str(e.get("dataset") or "")), f"): {_(EDITION_NOTE)}."],
                   className="edition-switch") for e in switches]


def sources_table(data) -> html.Div:
    rows = agg.sources_rows(data.sources() if data else {}, data_access.refresh_status())
    switched = agg.editions_by_source(data_access.edition_switches(data), data.datasets() if data else {})
    body = []
    for r in rows:
        status = [_(STATUS_WORDS.get(r["status"], r["status"]))]
        if r["status"] == "stale" and r["age_days"] is not None:
            status.append(": " + ngettext("showing the last good data, retrieved {n} day ago",
                                          "showing the last good data, retrieved {n} days ago",
                                          int(r["age_days"])).format(n=i18n.number(r["age_days"])))
        if r["failing"]:
            status.append(html.Strong(" — " + _("failing ({n} refreshes in a row)").format(
                n=i18n.number(r["consecutive_failures"])), className="warn"))
        elif r["consecutive_failures"]:
            status.append(" (" + ngettext("{n} failed refresh", "{n} failed refreshes",
                                          r["consecutive_failures"]).format(n=r["consecutive_failures"]) + ")")
        if r["error"]:
            status.append(html.Details([html.Summary(_("error")), html.P(r["error"], className="error-text")]))
        body.append(html.Tr([
            html.Td([html.Strong(r["publisher"]), html.Br(), html.Span(r["title"], className="muted"), html.Br(),
                     html.Code(r["source_id"]), *edition_notes(switched.get(r["source_id"], []))]),
            html.Td(components.source_link(_("landing page"), r["url"]) if components.safe_href(r["url"])
                    else html.Span(r["url"])),
            html.Td(r["licence"]),
            html.Td(r["retrieved_at"] or html.Span(_("never"), className="nodata")),
            html.Td(html.Code(r["sha_short"], title=r["sha_full"]) if r["sha_short"] else ""),
            html.Td(i18n.number(r["rows"]), className="num"),
            html.Td(status),
        ], className="failing" if r["failing"] else None))
    heads = [N_("Source"), N_("Address"), N_("Licence"), N_("Retrieved at (UTC)"), "SHA-256", N_("Rows"),
             N_("Status of the last refresh")]
    return html.Div(html.Table([
        html.Thead(html.Tr([html.Th(_(h), scope="col", className="num" if h == "Rows" else None) for h in heads])),
        html.Tbody(body),
    ], className="data sources"), className="table-wrap", tabIndex="0", role="region",
        **{"aria-label": _("Sources")}, id=ids.Data.sources)


def changes_section(data) -> list:
    """The change report of the current release: what a journalist must check before reprinting a number."""
    rep = data.changes if data is not None else None
    if rep is None:
        return [html.P(_("This release has no change report."), className="muted")]
    if rep.get("error"):
        return [html.P(rep["error"], className="muted")]
    intro = (_("Release {release} compared with {previous}.").format(release=rep.get("release"),
                                                                      previous=rep["previous"])
             if rep.get("previous")
             else _("Release {release} is the first one: every row is new.").format(release=rep.get("release")))
    switched = edition_notes([{**e, "released": str(rep.get("published_at") or "")[:10]}
                              for e in rep.get("editions") or ()])
    if not rep.get("tables"):
        return [html.P(intro + " " + _("No figure changed."), className="muted"), *switched]
    heads = [N_("Table"), N_("Rows before"), N_("Rows after"), N_("Added"), N_("Removed"), N_("Changed"),
             N_("New periods"), N_("Revised figures")]
    body = []
    revisions = []
    for name, t in rep["tables"].items():
        p = t.get("new_periods") or []
        periods = ", ".join(p) if len(p) <= 4 else f"{p[0]} … {p[-1]} ({len(p)})"
        body.append(html.Tr([html.Td(html.Code(name))] + [
            html.Td(i18n.number(t[k]), className="num") for k in ("rows_before", "rows_after", "added", "removed", "changed")
        ] + [html.Td(periods), html.Td(i18n.number(t["revisions_total"]), className="num")]))
        revisions += [(name, r) for r in t.get("revisions", [])[:10]]
    out = [html.P(intro, className="muted"), *switched, html.Div(html.Table([
        html.Thead(html.Tr([html.Th(_(h), scope="col") for h in heads])), html.Tbody(body)], className="data"),
        className="table-wrap", tabIndex="0", role="region", **{"aria-label": _("Changes in this release")})]
    if revisions:
        out.append(html.Details([
            html.Summary(_("Revised figures: the largest {n} (old value -> new value)").format(n=len(revisions))),
            html.Ul([html.Li([html.Code(name), " ", data_access.revision_text(r)]) for name, r in revisions]),
        ], open=True))
    out.append(html.P([_("The whole report:"), " ",
                       html.Code("borderstats changes --release " + str(rep.get("release")) + " --json")],
                      className="muted"))
    return out


def revisions_section() -> list:
    """Recent revisions: each revised figure, as first published and now, with the release that revised it."""
    recent = data_access.recent_revisions(RECENT_REVISIONS)
    feed = html.P([_("Follow new releases and revised figures:"), " ",
                   html.A(_("Atom feed"), href="/feed.atom", rel="alternate"), "."], className="muted")
    if recent.empty:
        return [html.P(_("No published figure has been revised since this installation's first release."),
                       className="muted"), feed]
    body = []
    for r in recent.itertuples(index=False):
        what = [html.Code(r.revised_table), " ", data_access.revision_where(r.row_key), " · ", r.value_column]
        body.append(html.Tr([
            html.Td(what),
            html.Td(_number(r.first_value), className="num"),
            html.Td(_number(r.now_value), className="num"),
            html.Td(f"{str(r.released)[:10]} ({r.release_id})" + (
                ", " + _("revised {n} times").format(n=r.revisions) if r.revisions > 1 else "")),
        ]))
    heads = [N_("What"), N_("First published"), N_("Now"), N_("Release date")]
    return [html.Div(html.Table([
        html.Thead(html.Tr([html.Th(_(h), scope="col", className="num" if h in ("First published", "Now") else None)
                            for h in heads])),
        html.Tbody(body)], className="data"), className="table-wrap", tabIndex="0", role="region",
        **{"aria-label": _("Recent revisions")}), feed]


RECENT_REVISIONS = 20
STATUS_WORDS = {"ok": N_("ok"), "unchanged": N_("unchanged"), "stale": N_("stale"), "failed": N_("failed"),
                "missing": N_("missing")}  # etl/schema.py's statuses of a source


def _number(v) -> str:
    if v is None or v != v:
        return _("none")
    return i18n.number(v) if float(v).is_integer() else i18n.number(v, 2)


def layout(**query):
    data = data_access.current()
    parsed = cb.parse(query)
    s = parsed.state
    rows, info, pages, links, dictionary, page = cb.view(s)
    if data is not None and int(s["page"]) != page:
        parsed.notices.append(_("Page: there are {pages} pages; showing page {page}").format(
            pages=i18n.number(pages), page=i18n.number(page)))
    s["page"] = page
    fcol, ftext = cb.split_filter(s["filter"])
    cols = cb.columns_for(s["table"])
    release = (_("Release {release}, published {date}.").format(release=data.id,
                                                                 date=data.manifest.get("published_at", ""))
               if data else "")
    controls = html.Div([
        components.labelled(_("Table"), dcc.Dropdown(
            id=ids.Data.table, options=[{"label": t, "value": t} for t in data_access.TABLES],
            value=s["table"], clearable=False), html_for=ids.Data.table),
        components.labelled(_("Sort by"), dcc.Dropdown(id=ids.Data.sort, options=cb.sort_options(cols), value=s["sort"],
                                                    clearable=False), html_for=ids.Data.sort),
        components.labelled(_("Order"), dcc.RadioItems(
            id=ids.Data.order, options=[{"label": " " + _("ascending"), "value": "asc"}, {"label": " " + _("descending"), "value": "desc"}],
            value=s["order"], inline=True), html_for=ids.Data.order),
        components.labelled(_("Filter column"), dcc.Dropdown(id=ids.Data.filter_col, options=cb.filter_options(cols),
                                                          value=fcol, clearable=False), html_for=ids.Data.filter_col),
        components.labelled(_("…containing the text"), dcc.Input(
            id=ids.Data.filter_text, type="search", value=ftext, maxLength=agg.MAX_FILTER, debounce=True,
            placeholder=_("e.g. Juárez or Tucson"), className="text-input"), html_for=ids.Data.filter_text),
        components.labelled(_("Rows per page"), dcc.Dropdown(
            id=ids.Data.size, options=[{"label": str(n), "value": str(n)} for n in agg.PAGE_SIZES], value=s["size"],
            clearable=False, searchable=False), html_for=ids.Data.size),
    ], className="controls")
    pager = html.Div([
        html.Button(_("← Previous"), id=ids.Data.prev, n_clicks=0, className="btn"),
        components.labelled(_("Page"), dcc.Input(id=ids.Data.page, type="number", min=1, step=1, value=page,
                                              debounce=True, className="page-input"), html_for=ids.Data.page),
        html.Button(_("Next →"), id=ids.Data.next, n_clicks=0, className="btn"),
        html.Span(info, id=ids.Data.info, className="muted", **{"aria-live": "polite"}),
        dcc.Store(id=ids.Data.pages, data=pages),
    ], className="pager")
    return components.page(
        _(PAGE), _(INTRO),
        html.P(release, className="muted"),
        html.H2(_("Browse a table")),
        components.settings(controls),
        html.P(links, id=ids.Data.downloads, className="downloads"),
        pager,
        html.Div(rows, id=ids.Data.rows),
        html.Div(dictionary, id=ids.Data.dictionary),
        html.H2(_("What changed in this release")),
        html.Div(changes_section(data), id=ids.Data.changes),
        html.H2(_("Recent revisions")),
        html.P(_("Publishers revise figures after publishing them. Each revised figure, as first published and "
                 "now (the whole history is the revisions table above)."), className="muted"),
        html.Div(revisions_section(), id=ids.Data.revisions),
        html.H2(_("Sources")),
        html.P(_("Where every table's rows come from. Checksums are of the files as the publisher served them "
                 "(hover for the full SHA-256); a source whose refresh keeps failing keeps its previous rows, "
                 "marked stale."), className="muted"),
        sources_table(data),
        *components.url_sync(ids.Data.query, ids.Data.sink, urlstate.to_query(s, cb.params())),
        notices_=parsed.notices,
    )
