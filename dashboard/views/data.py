"""Callbacks of the Data & sources page: table, sort, filter and page -> one page of rows, the URL."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, html, no_update

from dashboard import api, data_access, downloads, i18n, ids, urlstate
from dashboard.i18n import N_, _
from dashboard.aggregates import data as agg

DEFAULT_TABLE = "encounters"


def params() -> list[urlstate.Param]:
    return [
        urlstate.Param("table", "choice", DEFAULT_TABLE, choices=list(data_access.TABLES), label=N_("Table")),
        urlstate.Param("sort", "choice", "", choices=[""] + list(data_access.FIELDS) + downloads.all_name_columns(),
                       label=N_("Sort by")),
        urlstate.Param("order", "choice", "asc", choices=["asc", "desc"], label=N_("Order")),
        urlstate.Param("filter", "choice", "", label=N_("Filter")),
        urlstate.Param("page", "int", 1, minimum=1, maximum=agg.MAX_PAGE, label=N_("Page")),
        urlstate.Param("size", "choice", "25", choices=[str(n) for n in agg.PAGE_SIZES], label=N_("Rows per page")),
    ]


def split_filter(value: str) -> tuple[str, str]:
    col, _x, text = str(value or "").partition(":")
    return col, text


def join_filter(col: str | None, text: str | None) -> str:
    text = agg.clean_filter(text)
    return f"{col}:{text}" if col and text else ""


def parse(query: dict) -> urlstate.Parsed:
    """urlstate.parse, then the checks that depend on the chosen table (sort and filter columns)."""
    parsed = urlstate.parse(query, params())
    s = parsed.state
    columns = downloads.columns(s["table"])  # the contract's, with place names beside place ids
    if s["sort"] and s["sort"] not in columns:
        parsed.notices.append(_("Sort by: the {table} table has no column “{column}”; stored order shown").format(
            table=s["table"], column=s["sort"][:24]))
        s["sort"] = ""
    if s["filter"]:
        col, text = split_filter(s["filter"])
        if col not in columns:
            parsed.notices.append(_("Filter: the {table} table has no column “{column}”; filter ignored").format(
                table=s["table"], column=col[:24]))
            s["filter"] = ""
        elif len(text.strip()) > agg.MAX_FILTER:
            parsed.notices.append(_("Filter: a text of {n} characters was ignored (at most {most})").format(
                n=i18n.number(len(text)), most=agg.MAX_FILTER))
            s["filter"] = ""
        elif text.strip() and not api.TEXT_RE.fullmatch(text.strip()):
            parsed.notices.append(_("Filter: a text with control characters was ignored"))
            s["filter"] = ""
        else:
            s["filter"] = join_filter(col, text)
    return parsed


def rows_table(table: str, p: agg.PageOf, sort: str, order: str) -> html.Div:
    """A plain html.Table of the visible rows (text only)."""
    heads = []
    for c, num in zip(p.columns, p.numeric):
        attrs = {"scope": "col", "className": "num" if num else None}
        if c == sort:
            attrs["aria-sort"] = "ascending" if order == "asc" else "descending"
            label = [c, " ▲" if order == "asc" else " ▼"]
        else:
            label = c
        heads.append(html.Th(label, **attrs))
    body = [html.Tr([html.Td(v, className="num" if num else None) for v, num in zip(r, p.numeric)])
            for r in p.rows]
    if not body:
        body = [html.Tr(html.Td(_("No rows match the filter."), colSpan=max(len(p.columns), 1), className="nodata"))]
    caption = _("{table}: rows {first}–{last} of {matched}").format(
        table=table, first=i18n.number(p.first), last=i18n.number(p.last), matched=i18n.number(p.matched)) \
        if p.matched else _("{table}: no rows").format(table=table)
    return html.Div(html.Table([html.Caption(caption), html.Thead(html.Tr(heads)), html.Tbody(body)],
                               className="data rows"),
                    className="table-wrap", tabIndex="0", role="region", **{"aria-label": caption})


def info_text(p: agg.PageOf) -> str:
    n = i18n.number
    if not p.matched:
        shown = _("No rows")
    elif p.matched != p.total:
        shown = _("Rows {first}–{last} of {matched} matching the filter (the table has {total})").format(
            first=n(p.first), last=n(p.last), matched=n(p.matched), total=n(p.total))
    else:
        shown = _("Rows {first}–{last} of {matched}").format(first=n(p.first), last=n(p.last), matched=n(p.matched))
    if not p.matched and p.matched != p.total:
        shown = _("No rows matching the filter (the table has {total})").format(total=n(p.total))
    return shown + " · " + _("page {page} of {pages}").format(page=n(p.page), pages=n(p.pages))


def download_links(table: str, state: dict | None = None, matched: int | None = None,
                   total: int | None = None) -> list:
    """Links to the rows the page shows (every page of them, filtered and sorted as shown) through the data
    API, and to the whole table; with place names beside place ids."""
    state = state or {}
    params = api.page_params(state.get("sort", ""), state.get("order", "asc"), state.get("filter", ""))
    narrowed = any(k == "filter" for k, _x in params)
    if narrowed:
        what = _("Download the rows shown")
    else:
        what = _("Download the table as sorted") if params else _("Download the whole table")
    count = " " + _("({n} rows)").format(n=i18n.number(matched)) if matched is not None else ""
    out = [html.Span(f"{what}{count}: ")]
    for i, fmt in enumerate(("csv", "xlsx", "json", "parquet")):
        if i:
            out.append(" · ")
        if fmt == "xlsx" and matched is not None and matched > downloads.XLSX_MAX_ROWS:
            out.append(html.Span(_("XLSX: too many rows for Excel (at most {n})").format(
                                     n=i18n.number(downloads.XLSX_MAX_ROWS)),
                                 className="muted"))
        else:
            out.append(html.A(fmt.upper() if fmt != "parquet" else "Parquet", href=api.href(table, fmt, params),
                              download=""))
    if narrowed:
        out += [html.Br(), html.Span(_("The whole table") + (" " + _("({n} rows)").format(n=i18n.number(total))
                                                              if total is not None else "") + ": "),
                html.A("CSV", href=downloads.href(table, "csv"), download=""), " · ",
                html.A("Parquet", href=downloads.href(table, "parquet"), download="")]
    out += [html.Br(), html.Span([_("The same rows by address, for pandas.read_csv or R's read.csv: the "),
                                  html.A(_("data API"), href=f"{api.PREFIX}/openapi.json"),
                                  _(" (OpenAPI description). Place names are added beside place ids.")],
                                 className="muted")]
    return out


def dictionary_view(table: str, release_path: str | None) -> list:
    d = agg.dictionary(agg.datapackage(release_path) if release_path else {}, table, downloads.name_columns(table))
    rows = [html.Tr([html.Td(html.Code(f["name"])), html.Td(f["type"]), html.Td(f["unit"]), html.Td(f["description"]),
                     html.Td(f["constraints"])]) for f in d["fields"]]
    meta = d["description"]
    if d["primary_key"]:
        meta += " " + _("Primary key: {columns}.").format(columns=", ".join(d["primary_key"]))
    return [
        html.H2(_("Data dictionary: {table}").format(table=table)),
        html.P(meta, className="muted"),
        html.Div(html.Table([
            html.Thead(html.Tr([html.Th(h, scope="col") for h in (
                _("Field"), _("Type"), _("Unit"), _("Description"), _("Constraints"))])),
            html.Tbody(rows),
        ], className="data"), className="table-wrap", tabIndex="0", role="region",
            **{"aria-label": _("Fields of {table}").format(table=table)}),
    ]


def view(state: dict) -> tuple:
    """(rows, info, pages, download links, dictionary, clamped page) for a parsed state."""
    data = data_access.current()
    table = state["table"]
    size = int(state["size"])
    if data is None:
        empty = agg.PageOf([], [], [], 0, 0, 1, 1, size, 0, 0)
        return (rows_table(table, empty, "", "asc"), _("No data has been published yet."), 1, download_links(table),
                dictionary_view(table, None), 1)
    df = downloads.served(data, table)  # the release table with place names beside place ids
    key = data.key  # release ids are unique only within one data directory
    agg.warm(key, table, df)
    col, text = split_filter(state["filter"])
    p = agg.page_of(key, table, df, sort=state["sort"], descending=state["order"] == "desc",
                    filter_col=col, filter_text=text, page=int(state["page"]), size=size)
    return (rows_table(table, p, state["sort"], state["order"]), info_text(p), p.pages,
            download_links(table, state, p.matched, p.total), dictionary_view(table, str(data.release.path)), p.page)


def update(table, sort, order, filter_col, filter_text, page, size):
    """The main callback's body: controls -> page of rows, info, pages, downloads, dictionary, query."""
    query = {"table": table or DEFAULT_TABLE, "sort": sort or "", "order": order or "asc",
             "filter": join_filter(filter_col, filter_text), "page": str(page or 1), "size": str(size or "25")}
    if not query["filter"]:
        query.pop("filter")
    parsed = parse(query)
    rows, info, pages, links, dictionary, page_ = view(parsed.state)
    parsed.state["page"] = page_
    return rows, info, pages, links, dictionary, {"q": urlstate.to_query(parsed.state, params()), "initial": False}


def columns_for(table: str | None) -> list[str]:
    return downloads.columns(table or "")


@callback(
    Output(ids.Data.sort, "options"),
    Output(ids.Data.sort, "value"),
    Output(ids.Data.filter_col, "options"),
    Output(ids.Data.filter_col, "value"),
    Input(ids.Data.table, "value"),
    prevent_initial_call=True,
)
def _table_changed(table):
    cols = columns_for(table)
    return sort_options(cols), "", filter_options(cols), ""


def sort_options(cols):
    return [{"label": _("Stored order"), "value": ""}] + [{"label": c, "value": c} for c in cols]


def filter_options(cols):
    return [{"label": _("No filter"), "value": ""}] + [{"label": c, "value": c} for c in cols]


def next_page(trigger, page, pages) -> int:
    page = int(page or 1)
    pages = int(pages or 1)
    if trigger == ids.Data.prev:
        return max(1, min(page, pages) - 1)
    if trigger == ids.Data.next:
        return min(pages, page + 1)
    return 1  # the table, sort, filter or page size changed: back to the first page


@callback(
    Output(ids.Data.page, "value"),
    Input(ids.Data.prev, "n_clicks"),
    Input(ids.Data.next, "n_clicks"),
    Input(ids.Data.table, "value"),
    Input(ids.Data.sort, "value"),
    Input(ids.Data.order, "value"),
    Input(ids.Data.filter_col, "value"),
    Input(ids.Data.filter_text, "value"),
    Input(ids.Data.size, "value"),
    State(ids.Data.page, "value"),
    State(ids.Data.pages, "data"),
    prevent_initial_call=True,
)
def _pager(_prev, _next, _table, _sort, _order, _fcol, _ftext, _size, page, pages):
    new = next_page(ctx.triggered_id, page, pages)
    return no_update if new == page else new


@callback(
    Output(ids.Data.rows, "children"),
    Output(ids.Data.info, "children"),
    Output(ids.Data.pages, "data"),
    Output(ids.Data.downloads, "children"),
    Output(ids.Data.dictionary, "children"),
    Output(ids.Data.query, "data"),
    Input(ids.Data.table, "value"),
    Input(ids.Data.sort, "value"),
    Input(ids.Data.order, "value"),
    Input(ids.Data.filter_col, "value"),
    Input(ids.Data.filter_text, "value"),
    Input(ids.Data.page, "value"),
    Input(ids.Data.size, "value"),
    prevent_initial_call=True,
)
def _update(table, sort, order, filter_col, filter_text, page, size):
    return update(table, sort, order, filter_col, filter_text, page, size)


clientside_callback(
    ClientsideFunction(namespace="borderstats", function_name="pushQuery"),
    Output(ids.Data.sink, "data"),
    Input(ids.Data.query, "data"),
)
