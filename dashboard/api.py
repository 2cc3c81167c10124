"""A small read-only data API over the current release: the Data page's filters as query parameters.

    GET /api/v1/tables/<table>.<csv|json|parquet|xlsx>?<column>=<value>&filter=<column>:<text>
        &from=<period>&to=<period>&sort=[-]<column>&limit=<n>&offset=<n>
    GET /api/v1/tables          the tables, their columns and period column (JSON)
    GET /api/v1/openapi.json    an OpenAPI 3 description of all of it

Tables and columns come from the table contract (``data_access.TABLES``) plus the place-name columns
of the served table (``downloads.columns``). Every parameter name and value is checked by a full match
before it is used; anything unknown or malformed answers 400 with a message that says what is allowed.
Selection reuses the Data page's own filter and sort (``dashboard.aggregates.data``), so a download
link from the page returns exactly the rows the page shows, in the same order. Nothing here writes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from flask import Response, jsonify, request, stream_with_context

from . import data_access, downloads, publicurl
from .aggregates import data as agg

PREFIX = "/api/v1"
ENDPOINT = "borderstats_api_table"
FORMATS = ("csv", "json", "parquet", "xlsx")
RESERVED = ("filter", "from", "to", "sort", "limit", "offset")
MAX_LIMIT = 1_000_000
MAX_OFFSET = 10_000_000
MAX_VALUES = 50  # repeated values of one parameter
MAX_QUERY = 4_000  # characters of the whole query string
MAX_VALUE = agg.MAX_FILTER  # characters of one value (100)

NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
# values, each matched in full: text (a filter's text, a label) is any printable characters but no control
# characters (a filter is a literal substring, never a pattern); ids, numbers, dates and booleans have their form
TEXT_RE = re.compile(rf"[^\x00-\x1f\x7f-\x9f]{{1,{MAX_VALUE}}}")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
VALUE_FORMS = {
    "id": (ID_RE, "an id (letters, digits, _ . -)"),
    "integer": (re.compile(r"-?\d{1,15}"), "a whole number"),
    "number": (re.compile(r"-?\d{1,15}(\.\d{1,15})?"), "a number"),
    "date": (re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), "a date (YYYY-MM-DD)"),
    "boolean": (re.compile(r"true|false"), "true or false"),
    "datetime": (re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?"),
                 "a date and time (ISO 8601)"),
    "text": (TEXT_RE, f"text of at most {MAX_VALUE} characters without control characters"),
}
PERIOD_RE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")
INT_RE = re.compile(r"0|[1-9]\d{0,7}")
SORT_RE = re.compile(r"-?[a-z][a-z0-9_]{0,39}")

# The column `from` and `to` apply to, per table (None: the table has no single period column).
PERIOD_COLUMNS = {
    "encounters": "month", "homicides": "month", "crime_victims": "month",
    "population": "year", "apprehensions_annual": "fiscal_year", "sector_deaths": "fiscal_year",
    "migrant_deaths": "date", "policy_events": "date",
    "mpp_enrollments": "month", "mpp_enrollment_totals": "month", "mpp_reapprehensions": "month",
    "mpp_fear_referrals": "month",
    "places": None, "reported_figures": None, "sources": None, "revisions": None,
}


class ApiError(ValueError):
    pass


def value_form(column: str) -> str:
    """The form a column's values take (a key of VALUE_FORMS), from the table contract."""
    f = data_access.FIELDS.get(column)
    if f is None:  # a place name the API adds
        return "text"
    if f.type == "string":
        return "id" if column.endswith("_id") or column == "dataset" else "text"
    return f.type if f.type in VALUE_FORMS else "text"


@dataclass
class Query:
    table: str
    fmt: str
    equals: list[tuple[str, list[str]]] = field(default_factory=list)
    contains: list[tuple[str, str]] = field(default_factory=list)
    start: object = None  # first period (date or year), inclusive
    end: object = None  # last period, inclusive
    sort: str = ""
    descending: bool = False
    limit: int | None = None
    offset: int = 0
    given: list[tuple[str, str]] = field(default_factory=list)  # the parameters as validated, in order


def _show(value: str) -> str:
    """A bad value quoted in a message: whitespace shown as escapes, at most 40 characters."""
    text = json.dumps(str(value), ensure_ascii=True)[1:-1]
    return text[:40] + "…" if len(text) > 40 else text


def _period(table: str, raw: str, name: str, *, end: bool):
    col = PERIOD_COLUMNS.get(table)
    if col is None:
        raise ApiError(f"{name}: the {table} table has no period column; filter on a column instead")
    m = PERIOD_RE.fullmatch(raw)
    if not m:
        raise ApiError(f"{name}: “{_show(raw)}” is not a period (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if not 1900 <= year <= 2100:
        raise ApiError(f"{name}: the year {year} is outside 1900–2100")
    if data_access.FIELDS[col].type == "integer":
        if month:
            raise ApiError(f"{name}: the {table} table's period is the {col.replace('_', ' ')}; give a year (YYYY)")
        return year
    if day:
        try:
            return pd.Timestamp(dt.date(year, int(month), int(day)))
        except ValueError:
            raise ApiError(f"{name}: “{_show(raw)}” is not a date") from None
    if month:
        first = pd.Timestamp(year=year, month=int(month), day=1)
        return (first + pd.offsets.MonthEnd(0)) if end else first
    return pd.Timestamp(year=year, month=12, day=31) if end else pd.Timestamp(year=year, month=1, day=1)


def parse_query(table: str, fmt: str, args) -> Query:
    """Validate a request's parameters (a werkzeug MultiDict or a plain dict of str or list) into a Query."""
    if table not in data_access.TABLES:
        raise ApiError(f"unknown table “{_show(table)}”; tables: {', '.join(data_access.TABLES)}")
    if fmt not in FORMATS:
        raise ApiError(f"unknown format “{_show(fmt)}”; formats: {', '.join(FORMATS)}")
    cols = downloads.columns(table)
    q = Query(table, fmt)
    items = list(args.items(multi=True)) if hasattr(args, "items") and hasattr(args, "getlist") else [
        (k, v) for k, vs in dict(args).items() for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
    seen: dict[str, int] = {}
    for key, raw in items:
        key, raw = str(key), str(raw)
        if not NAME_RE.fullmatch(key) or (key not in RESERVED and key not in cols):
            raise ApiError(f"unknown parameter “{_show(key)}”; the {table} table takes {', '.join(RESERVED)} "
                           f"and its columns: {', '.join(cols)}")
        seen[key] = seen.get(key, 0) + 1
        once = key in ("from", "to", "sort", "limit", "offset")
        if once and seen[key] > 1:
            raise ApiError(f"{key}: give it once")
        if seen[key] > MAX_VALUES:
            raise ApiError(f"{key}: at most {MAX_VALUES} values")
        if key == "filter":
            col, colon, text = raw.partition(":")
            if len(text.strip()) > MAX_VALUE:
                raise ApiError(f"filter: a text of {len(text):,} characters (at most {MAX_VALUE})")
            text = agg.clean_filter(text)
            if not colon or col not in cols:
                raise ApiError(f"filter: “{_show(raw)}” is not column:text with a column of {table} "
                               f"({', '.join(cols)})")
            if not TEXT_RE.fullmatch(text):
                raise ApiError(f"filter: the text “{_show(text)}” is empty or holds control characters")
            q.contains.append((col, text))
        elif key in ("from", "to"):
            value = _period(table, raw, key, end=key == "to")
            if key == "from":
                q.start = value
            else:
                q.end = value
        elif key == "sort":
            if not SORT_RE.fullmatch(raw) or raw.lstrip("-") not in cols:
                raise ApiError(f"sort: “{_show(raw)}” is not a column of {table}, or -column for descending "
                               f"({', '.join(cols)})")
            q.sort, q.descending = raw.lstrip("-"), raw.startswith("-")
        elif key in ("limit", "offset"):
            top = MAX_LIMIT if key == "limit" else MAX_OFFSET
            if not INT_RE.fullmatch(raw) or int(raw) > top or (key == "limit" and int(raw) < 1):
                raise ApiError(f"{key}: “{_show(raw)}” is not a whole number from {1 if key == 'limit' else 0} "
                               f"to {top:,}")
            if key == "limit":
                q.limit = int(raw)
            else:
                q.offset = int(raw)
        else:  # a column: rows whose value (as the CSV writes it) is one of the given values
            regex, what = VALUE_FORMS[value_form(key)]
            if len(raw) > MAX_VALUE or not regex.fullmatch(raw):
                raise ApiError(f"{key}: “{_show(raw)}” is not {what}")
            found = next((vs for c, vs in q.equals if c == key), None)
            if found is None:
                q.equals.append((key, [raw]))
            else:
                found.append(raw)
        q.given.append((key, raw))
    if q.start is not None and q.end is not None and q.start > q.end:
        raise ApiError("from: the period starts after it ends (from is later than to)")
    return q


def select(key: str, table: str, df: pd.DataFrame, q: Query) -> np.ndarray | None:
    """Row positions of `df` the query selects, in order (None: every row in stored order). Uses the Data
    page's own per-release caches, so the page and the API agree row for row."""
    n = len(df)
    ref, fid = agg._Ref(df), id(df)
    mask: np.ndarray | None = None

    def both(m):
        nonlocal mask
        mask = m if mask is None else (mask & m)

    for col, values in q.equals:
        c = agg._column(key, table, col, fid, ref)
        wanted = np.flatnonzero(np.isin(np.asarray(c.texts, dtype=object), values))
        both(np.isin(c.codes, wanted))
    for col, text in q.contains:
        m = np.zeros(n, dtype=bool)
        m[agg._match(key, table, col, text, fid, ref)] = True
        both(m)
    period = PERIOD_COLUMNS.get(table)
    if period and (q.start is not None or q.end is not None):
        s = df[period]
        m = s.notna().to_numpy(dtype=bool, copy=True)
        if q.start is not None:
            m &= (s >= q.start).to_numpy(dtype=bool, na_value=False)
        if q.end is not None:
            m &= (s <= q.end).to_numpy(dtype=bool, na_value=False)
        both(m)
    if q.sort:
        order = agg._order(key, table, q.sort, q.descending, fid, ref)
        positions = order if mask is None else order[mask[order]]
    else:
        positions = None if mask is None else np.flatnonzero(mask)
    if q.offset or q.limit is not None:
        stop = None if q.limit is None else q.offset + q.limit
        positions = (np.arange(n) if positions is None else positions)[q.offset:stop]
    return positions


# ------------------------------------------------------------------ addresses


def href(table: str, fmt: str, params: list[tuple[str, str]] | dict | None = None) -> str:
    items = list(params.items()) if isinstance(params, dict) else list(params or [])
    query = urlencode([(k, v) for k, v in items if v not in (None, "")], safe=":,")
    return f"{PREFIX}/tables/{table}.{fmt}" + (f"?{query}" if query else "")


def page_params(sort: str, order: str, filter_: str) -> list[tuple[str, str]]:
    """The Data page's state (sort column, order, 'column:text' filter) as API parameters."""
    out = []
    if filter_:
        out.append(("filter", filter_))
    if sort:
        out.append(("sort", ("-" if order == "desc" else "") + sort))
    return out


# ------------------------------------------------------------------ responses


def error(status: int, message: str) -> Response:
    response = jsonify({"error": message, "status": status, "documentation": f"{PREFIX}/openapi.json"})
    response.status_code = status
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def respond(table: str, fmt: str, args, *, whole: bool = False) -> Response:
    """The rows a request selects, in the requested format (or a 400/404/503 with a message)."""
    if table not in data_access.TABLES or fmt not in FORMATS:
        return error(404, f"no such table or format; tables: {', '.join(data_access.TABLES)}; "
                          f"formats: {', '.join(FORMATS)}")
    if len(request.query_string or b"") > MAX_QUERY and not whole:
        return error(400, f"the query is longer than {MAX_QUERY:,} characters")
    try:
        q = parse_query(table, fmt, args)
    except ApiError as exc:
        return error(400, str(exc))
    data = data_access.current()
    if data is None:
        return error(503, "no data has been published yet")
    df = downloads.served(data, table)
    if df.columns.empty:  # a release without this table
        df = pd.DataFrame({c: pd.Series(dtype="string") for c in downloads.columns(table)})
    positions = select(data.key, table, df, q)
    rows = len(df) if positions is None else len(positions)
    if fmt == "xlsx" and rows > downloads.XLSX_MAX_ROWS:
        return error(400, f"{rows:,} rows match, more than an Excel sheet holds ({downloads.XLSX_MAX_ROWS:,} "
                          "rows and a header); narrow the filter, set a limit, or download CSV or Parquet")
    etag = hashlib.sha256(json.dumps([data.key, table, fmt, q.given]).encode()).hexdigest()[:32]
    if request.if_none_match and etag in request.if_none_match:
        response = Response(status=304)
        response.set_etag(etag)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response
    name = downloads.filename(data.id, table, fmt, selected=bool(q.given))
    if fmt == "csv":
        response = Response(stream_with_context(downloads.csv_stream(df, positions)),
                            content_type=downloads.FORMATS["csv"])
    elif fmt == "json":
        response = Response(stream_with_context(downloads.json_stream(df, positions)),
                            content_type=downloads.FORMATS["json"])
    elif fmt == "parquet":
        response = Response(downloads.parquet_bytes(df, positions), content_type=downloads.FORMATS["parquet"])
    else:
        about = [("table", table), ("release", data.id), ("published", data.manifest.get("published_at", "")),
                 ("rows", f"{rows}"), ("query", request.full_path if q.given else href(table, fmt))]
        about += [(name, f"the name of the place in {id_col}, from the release's places table")
                  for id_col, name in downloads.name_columns(table).items()]
        about.append(("documentation", f"{PREFIX}/openapi.json"))
        response = Response(stream_with_context(downloads.xlsx_stream(
            df, positions, downloads.sources_of(data, df, positions), about)), content_type=downloads.FORMATS["xlsx"])
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["X-Borderstats-Release"] = data.id
    response.headers["X-Borderstats-Rows"] = str(rows)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Link"] = f'<{PREFIX}/openapi.json>; rel="describedby"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # public, read-only data: notebooks in a browser may read it
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(etag)
    return response


def index() -> dict:
    data = data_access.current()
    return {
        "release": data.id if data else None,
        "openapi": f"{PREFIX}/openapi.json",
        "tables": [{
            "name": t, "description": spec.description, "columns": downloads.columns(t),
            "period_column": PERIOD_COLUMNS.get(t), "primary_key": list(spec.primary_key),
            "formats": {f: href(t, f) for f in FORMATS},
        } for t, spec in data_access.TABLES.items()],
    }


# ------------------------------------------------------------------ OpenAPI


def _column_description(table: str, col: str) -> str:
    names = {v: k for k, v in downloads.name_columns(table).items()}
    if col in names:
        return (f"Name of the place in `{names[col]}`, from the release's places table (added to the published "
                "table by the API).")
    f = data_access.FIELDS.get(col)
    return f.description if f else ""


def openapi() -> dict:
    """The OpenAPI 3.0 description of the API: one path per table, every parameter."""
    error_schema = {"$ref": "#/components/schemas/Error"}
    paths = {}
    for table, spec in data_access.TABLES.items():
        cols = downloads.columns(table)
        period = PERIOD_COLUMNS.get(table)
        params = [{
            "name": "format", "in": "path", "required": True, "schema": {"type": "string", "enum": list(FORMATS)},
            "description": "csv (streamed; UTF-8, ISO dates, empty for missing), json (an array of row objects), "
                           "parquet, or xlsx (a 'rows' sheet, a 'sources' sheet and an 'about' sheet; at most "
                           f"{downloads.XLSX_MAX_ROWS:,} rows).",
        }, {
            "name": "filter", "in": "query", "required": False, "style": "form", "explode": True,
            "schema": {"type": "array", "maxItems": MAX_VALUES,
                       "items": {"type": "string", "pattern": "^(" + "|".join(cols) + "):" + TEXT_RE.pattern + "$"}},
            "description": "`column:text`: rows whose column contains the text, ignoring case (a plain "
                           "substring, never a pattern): the Data page's filter. Repeat to combine (and).",
        }]
        if period:
            kind = "YYYY" if data_access.FIELDS[period].type == "integer" else "YYYY, YYYY-MM or YYYY-MM-DD"
            for name, what in (("from", "first"), ("to", "last")):
                params.append({"name": name, "in": "query", "required": False,
                               "schema": {"type": "string", "pattern": "^" + (
                                   r"\d{4}$" if kind == "YYYY" else PERIOD_RE.pattern + "$")},
                               "description": f"The {what} period ({kind}) of `{period}`, inclusive."})
        params += [
            {"name": "sort", "in": "query", "required": False,
             "schema": {"type": "string", "enum": [s for c in cols for s in (c, "-" + c)]},
             "description": "Sort by a column, `-column` for descending; missing values last either way; "
                            "stable. Without it, the release's stored order."},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
             "description": "At most this many rows (after filtering and sorting). Without it, every row."},
            {"name": "offset", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
             "description": "Skip this many rows first."},
        ]
        for c in cols:
            params.append({"name": c, "in": "query", "required": False, "style": "form", "explode": True,
                           "schema": {"type": "array", "maxItems": MAX_VALUES, "items": {
                               "type": "string", "maxLength": MAX_VALUE,
                               "pattern": "^" + VALUE_FORMS[value_form(c)][0].pattern + "$"}},
                           "description": "Rows whose value, as the CSV writes it, is exactly one of these "
                                          "(repeat the parameter for several). " + _column_description(table, c)})
        paths[f"{PREFIX}/tables/{table}.{{format}}"] = {"get": {
            "operationId": f"get_{table}",
            "summary": f"Rows of the {table} table",
            "description": spec.description + (f" Period column: `{period}`." if period else "")
                           + " Columns: " + ", ".join(f"`{c}`" for c in cols) + ".",
            "tags": ["tables"],
            "parameters": params,
            "responses": {
                "200": {"description": "The selected rows. Headers: X-Borderstats-Rows (how many), "
                                       "X-Borderstats-Release (which release).",
                        "content": {"text/csv": {"schema": {"type": "string"}},
                                    "application/json": {"schema": {"type": "array", "items": {
                                        "type": "object", "properties": {c: {} for c in cols}}}},
                                    "application/vnd.apache.parquet": {"schema": {"type": "string",
                                                                                  "format": "binary"}},
                                    downloads.FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}}}},
                "400": {"description": "A parameter is unknown or not valid; the message says which.",
                        "content": {"application/json": {"schema": error_schema}}},
                "404": {"description": "No such table or format.",
                        "content": {"application/json": {"schema": error_schema}}},
                "503": {"description": "No data has been published yet.",
                        "content": {"application/json": {"schema": error_schema}}},
            },
        }}
    paths[f"{PREFIX}/tables"] = {"get": {
        "operationId": "list_tables", "summary": "The tables, their columns, period column and addresses",
        "tags": ["tables"],
        "responses": {"200": {"description": "The tables.", "content": {"application/json": {
            "schema": {"type": "object"}}}}}}}
    paths[f"{PREFIX}/openapi.json"] = {"get": {
        "operationId": "openapi", "summary": "This description", "tags": ["meta"],
        "responses": {"200": {"description": "OpenAPI 3.0 document.", "content": {"application/json": {
            "schema": {"type": "object"}}}}}}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "borderstats data API",
            "version": "1",
            "description": "Read-only access to the tables of the current release, filtered and sorted as on the "
                           "Data & sources page. Every table carries place names beside place ids. Only GET; "
                           "unknown or malformed parameters answer 400 with a message.",
            "license": {"name": "Each source's own licence: see the sources table and the XLSX 'sources' sheet"},
        },
        "servers": [{"url": publicurl.base_url()}],  # the configured public URL, never the Host header
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object", "required": ["error", "status"],
            "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                           "documentation": {"type": "string"}}}}},
    }


# ------------------------------------------------------------------ routes


def parse_download(name: str) -> tuple[str, str] | None:
    """'encounters.csv' -> ('encounters', 'csv'); None for anything that is not a known table and format."""
    table, dot, fmt = str(name).rpartition(".")
    if not dot or table not in data_access.TABLES or fmt not in downloads.WHOLE_FORMATS:
        return None
    return table, fmt


def register(server) -> None:
    """Add the API's routes and /download/<table>.<csv|parquet> (the whole table) to the Flask server
    (idempotent)."""
    if ENDPOINT in server.view_functions:
        return

    def download(name: str):
        parsed = parse_download(name)
        if parsed is None:
            return error(404, "no such download: /download/<table>.csv or .parquet; tables: "
                              + ", ".join(data_access.TABLES))
        return respond(*parsed, {}, whole=True)

    def table_route(name: str):
        table, dot, fmt = str(name).rpartition(".")
        if not dot or "/" in table:
            return error(404, f"not a table address: {PREFIX}/tables/<table>.<{'|'.join(FORMATS)}>")
        return respond(table, fmt, request.args)

    def openapi_route():
        response = jsonify(openapi())
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    def index_route():
        return jsonify(index())

    server.add_url_rule(f"{PREFIX}/tables/<path:name>", ENDPOINT, table_route, methods=["GET", "HEAD"])
    server.add_url_rule(f"{PREFIX}/openapi.json", "borderstats_api_openapi", openapi_route, methods=["GET", "HEAD"])
    server.add_url_rule(f"{PREFIX}/tables", "borderstats_api_index", index_route, methods=["GET", "HEAD"])
    server.add_url_rule("/download/<path:name>", "borderstats_download", download, methods=["GET", "HEAD"])
