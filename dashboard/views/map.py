"""Map page callbacks: the controls redraw the map and the city table; a click on a city opens Compare."""
from __future__ import annotations

import dash
import pandas as pd
from dash import ClientsideFunction, Input, Output, callback, clientside_callback, dcc, html

from dashboard.exportable import Exportable
from dashboard import cache, data_access, i18n, ids, tidy, urlstate
from dashboard.i18n import N_, _
from dashboard.aggregates import map as agg
from dashboard.aggregates import revised
from dashboard.charts import common
from dashboard.charts import map as charts
from dashboard.datasets import (
    MPP_SOURCE,
    CONAPO_POPULATION,
    CONAPO_PROJECTIONS,
    DEATH_DATASETS,
    DEATH_SOURCES,
    INEGI_HOMICIDES,
    INEGI_MUNICIPAL,
    REPORTED_FIGURES,
)

YEAR_MIN, YEAR_MAX = 1980, 2035

TITLES = {  # marked for the catalogue, translated where shown
    "population": N_("The border cities by population"),
    "homicides": N_("Homicides in the border cities"),
    "homicide_rate": N_("Homicide rates in the border cities"),
    "mpp_returned": N_("People returned to the border cities under MPP"),
    "mpp_enrolled_official": N_("MPP enrolments processed at each city's paired sector (CBP)"),
    "deaths_50km": N_("Migrant deaths near the border cities"),
}


def params() -> list[urlstate.Param]:
    return [
        urlstate.Param("metric", "choice", "homicide_rate", choices=list(agg.METRICS), label=N_("Size and colour by")),
        urlstate.Param("layer", "choice", "iom", choices=list(agg.LAYERS), label=N_("Migrant deaths layer")),
        urlstate.Param("from", "int", None, minimum=YEAR_MIN, maximum=YEAR_MAX, label=N_("Deaths from (year)"),
                       pin=True, resolve=lambda s: deaths_span(s)[0]),
        urlstate.Param("to", "int", None, minimum=YEAR_MIN, maximum=YEAR_MAX, label=N_("Deaths to (year)"),
                       pin=True, latest=True, resolve=lambda s: deaths_span(s)[1]),
    ]


def deaths_span(state: dict) -> tuple[int | None, int | None]:
    """The first and last year of the state's deaths layer: what an open end of the range shows now."""
    data = data_access.current()
    if data is None or state.get("layer") not in DEATH_DATASETS:
        return None, None
    return agg.year_span(data.table("migrant_deaths"), state["layer"])


def compare_defaults() -> tuple[str, ...]:
    """The Compare page's default cities (the places table's default_compare)."""
    return data_access.default_cities()


def compare_href(place_id: str, defaults=None) -> str:
    """/compare?cities=<that city>,<Compare's defaults except it> (2 to 6 cities; the other border cities,
    west to east, make up a list of fewer than 2)."""
    defaults = tuple(defaults or compare_defaults())
    cities = [place_id] + [c for c in defaults if c != place_id]
    for c in data_access.border_cities():
        if len(cities) >= 2:
            break
        if c not in cities:
            cities.append(c)
    return "/compare?cities=" + ",".join(cities[:6])


@data_access.per_release(maxsize=1)
def _base(release_id: str) -> dict[str, pd.DataFrame]:
    """The rows of the big tables that concern the border cities, once per release."""
    data = data_access.held(release_id)
    hom, pop = data.table("homicides"), data.table("population")
    border = list(data.border_cities())
    hom = hom[hom["place_id"].isin(border)] if not hom.empty else hom
    pop = pop[pop["place_id"].isin(border)] if not pop.empty else pop
    deaths = data.table("migrant_deaths")
    marks = {c: data_access.revised_rows(data, "migrant_deaths", c) for c in ("dead", "missing")}
    return {  # with what revised figures were first published as (aggregates.revised), when any was
        "homicides": _marked(hom, data_access.revised_rows(data, "homicides", "count"), "count"),
        "population": _marked(pop, data_access.revised_rows(data, "population", "population"), "population"),
        "migrant_deaths": revised.attach_sum(deaths, marks, "people")
        if not deaths.empty and any(not m.empty for m in marks.values()) else deaths,
    }


def _marked(rows: pd.DataFrame, marks: pd.DataFrame, column: str) -> pd.DataFrame:
    return rows if marks.empty or rows.empty else revised.attach(rows, marks, column)


@data_access.per_release(maxsize=16)
def _cities(release_id: str, layer: str, years: tuple, lang: str = "en") -> tuple[pd.DataFrame, dict]:
    """`lang`: the frame holds reasons and hover text in words, so each language has its own entry."""
    data = data_access.held(release_id)
    base = _base(release_id)
    return agg.city_frame(data.places.reset_index(drop=True), base["homicides"], base["population"],
                          data.table("reported_figures"), base["migrant_deaths"], layer=layer, years=years,
                          enrollments=data.table("mpp_enrollments"))


@data_access.per_release(maxsize=16)
def _points(release_id: str, layer: str, years: tuple) -> tuple[pd.DataFrame, int]:
    return agg.death_points(data_access.held(release_id).table("migrant_deaths"), layer, years)


@data_access.per_release(maxsize=1)
def year_options(release_id: str) -> list[int]:
    deaths = data_access.held(release_id).table("migrant_deaths")
    spans = [agg.year_span(deaths, layer) for layer in DEATH_DATASETS]
    lo = min((s[0] for s in spans if s[0] is not None), default=None)
    hi = max((s[1] for s in spans if s[1] is not None), default=None)
    return list(range(lo, hi + 1)) if lo is not None else []


@data_access.on_warm
def _warm(data) -> None:
    """A new release's border-city rows, the default layer's cities and the year choices, before it is served."""
    _base(data.key)
    year_options(data.key)
    for layer in agg.LAYERS:
        _cities(data.key, layer, (None, None), i18n.DEFAULT)


def _period(years: tuple, span: tuple) -> str:
    lo = years[0] if years[0] is not None else span[0]
    hi = years[1] if years[1] is not None else span[1]
    if lo is None and hi is None:
        return _("all years")
    return f"{lo}–{hi}" if lo != hi else str(lo)


def state_from_query(query: dict) -> urlstate.Parsed:
    """The page's state for a link's query (what the page and its exports show), with notices."""
    return urlstate.parse(query, params(), ranges=[("from", "to")])


def view(state: dict) -> dict:
    """Everything the page shows for a state: figure, alt text, the values by city (cached per release)."""
    data = data_access.current()
    years = (state.get("from"), None if state.get("to") == urlstate.LATEST else state.get("to"))
    if years[0] is not None and years[1] is not None and years[0] > years[1]:
        years = (years[1], years[0])
    return _view(data.key if data else None, state["metric"], state["layer"], years)


def chart_views(state: dict) -> dict[str, tuple]:
    """{chart key: (figure, text alternative)} for a parsed state: what the page draws, for its exports."""
    out = view(state)
    return {"map": (out["figure"], out["alt"])}


MEASURES = {  # metric -> (measure, unit, definition, dataset ids); unit and definition translated where used
    "population": ("population", N_("residents"), N_("CONAPO mid-year population"), (CONAPO_PROJECTIONS,)),
    "homicides": ("homicides", N_("homicides"), N_("deaths registered as homicides in INEGI death records, last "
                                                   "year with all 12 months"), (INEGI_MUNICIPAL,)),
    "homicide_rate": ("homicide_rate", N_("homicides per 100,000 residents"),
                      N_("homicides in INEGI death records per 100,000 residents (CONAPO mid-year population), "
                         "last year with all 12 months"), (INEGI_MUNICIPAL, CONAPO_PROJECTIONS)),
    "mpp_returned": ("mpp_returned", N_("people"), N_("people sent to wait in the city under MPP, as reported (the "
                                                      "figure that leads by the rule in About & method)"),
                     (REPORTED_FIGURES,)),
    "mpp_enrolled_official": ("mpp_enrolled_official", N_("people enrolled in MPP"),
                              N_("people CBP enrolled in MPP at the Border Patrol sector paired with the city, over "
                                 "the months CBP published: processed at the sector, not people in the city"),
                              ("mpp_enrollments",)),
    "deaths_50km": ("migrant_deaths_nearby", N_("people"), N_("dead and missing (IOM) or remains (Pima County) "
                                                              "whose nearest border city is this one, within 50 km"),
                    ()),
}


def chart_tables(state: dict, only: str | None = None) -> dict[str, pd.DataFrame]:
    """{chart key: tidy rows of the plotted values (dashboard.tidy)} for a parsed state, as chart_views draws them:
    one row per city marker, then one row per value of each incident point."""
    data = data_access.current()
    if data is None:
        return {}
    metric, layer = state["metric"], state["layer"]
    years = (state.get("from"), state.get("to"))
    if years[0] is not None and years[1] is not None and years[0] > years[1]:
        years = (years[1], years[0])
    cities, meta = _cities(data.key, layer, years, i18n.lang())
    values = agg.metric_values(cities, metric, meta)
    dlayer = meta["deaths_layer"]
    span = agg.year_span(data.table("migrant_deaths"), dlayer)
    lo, hi = (years[0] if years[0] is not None else span[0]), (years[1] if years[1] is not None else span[1])
    measure, unit, definition, datasets = MEASURES[metric]
    unit, definition = _(unit), _(definition)
    pairs = {"population": [CONAPO_POPULATION], "homicides": [INEGI_HOMICIDES],
             "homicide_rate": [INEGI_HOMICIDES, CONAPO_POPULATION], "mpp_returned": [REPORTED_FIGURES],
             "mpp_enrolled_official": [MPP_SOURCE],
             "deaths_50km": [DEATH_SOURCES[dlayer]]}[metric]
    if metric == "deaths_50km":
        datasets = (DEATH_DATASETS[dlayer],)
    hy, py = meta.get("homicide_year"), meta.get("population_year")
    rows = []
    for v, c in zip(values.to_dict("records"), cities.to_dict("records")):
        if metric == "population":
            period = tidy.year(py) if py else {}
        elif metric in ("homicides", "homicide_rate"):
            period = tidy.year(hy) if hy else {}
        elif metric == "mpp_returned":
            period = {"period": tidy.date(c["mpp_when"]), "period_end": tidy.date(c["mpp_when"])}
        elif metric == "mpp_enrolled_official":
            period = {"period": c["off_span"]} if isinstance(c["off_span"], str) and c["off_span"] else {}
        else:
            period = {"period": f"{lo}–{hi}" if lo != hi else str(lo), "period_start": f"{lo}-01-01",
                      "period_end": f"{hi}-12-31"} if lo is not None and hi is not None else {}
        mpp = metric == "mpp_returned"
        rows.append({
            "place_id": v["place_id"], "place": v["name"], **period, "measure": measure,
            "value": None if tidy.missing(v["value"]) else (round(v["value"], 2) if metric == "homicide_rate"
                                                            else v["value"]),
            "unit": unit, "qualifier": (c["mpp_qualifier"] if mpp and isinstance(c["mpp_qualifier"], str)
                                        else "exact"),
            "definition": (c["mpp_definition"] if mpp and isinstance(c["mpp_definition"], str) else definition),
            "dataset": "; ".join(datasets),
            "source": tidy.sources(([(str(c["mpp_publisher"]), None)] if mpp and isinstance(c["mpp_publisher"], str)
                                    else []) + [data.source_pair(s) for s in pairs]),
            "source_url": c["mpp_url"] if mpp and isinstance(c["mpp_url"], str) else "",
            "category": c["off_sector_name"] if metric == "mpp_enrolled_official" else "",
            "lat": v["lat"], "lon": v["lon"], "note": v["reason"] if tidy.missing(v["value"]) else (
                _("Other reported figures: {figures}").format(figures=c["mpp_others"])
                if mpp and isinstance(c["mpp_others"], str)
                and c["mpp_others"] else (v["shown"] if metric == "mpp_enrolled_official" else "")),
            **tidy.revised(v["first_published"], v["revised_in"], 2 if metric == "homicide_rate" else 0),
        })
    points, _x = _points(data.key, layer, years) if layer in DEATH_DATASETS else (None, 0)
    if points is not None and not points.empty:
        dataset, source = DEATH_DATASETS[layer], tidy.sources([data.source_pair(DEATH_SOURCES[layer])])
        kinds = ([("dead", _("people"), "dead"), ("missing", _("people"), "missing")] if layer == "iom"
                 else [("dead", _("remains recovered"), "remains")])
        for p in points.itertuples(index=False):
            when = p.date if p.date[:1].isdigit() else ""
            for col, what, name in kinds:
                rows.append({"period": when or _("date unknown"), "period_start": when, "period_end": when,
                             "measure": name, "value": getattr(p, col), "unit": what, "qualifier": "exact",
                             "category": p.cause, "definition": _("{layer}: one incident ({what})").format(
                                 layer=_(agg.LAYERS[layer]), what=name),
                             "dataset": dataset, "source": source, "lat": round(float(p.lat), 3),
                             "lon": round(float(p.lon), 3)})
    return {"map": tidy.frame(rows)}


@cache.answer
def _view(release_id: str | None, metric: str, layer: str, years: tuple) -> dict:
    """The figure, text alternative and values of a view (cache.answer keeps one per language)."""
    data = data_access.held(release_id) if release_id else None
    label = _(agg.METRICS[metric])
    title = _(TITLES[metric])
    if data is None:
        fig = common.empty(title, "", _("no data has been published yet"))
        return {"figure": fig, "alt": _("No data has been published yet."), "rows": pd.DataFrame(),
                "values": pd.DataFrame()}
    cities, meta = _cities(data.key, layer, years, i18n.lang())
    values = agg.metric_values(cities, metric, meta)
    deaths = data.table("migrant_deaths")
    dlayer = meta["deaths_layer"]
    span = agg.year_span(deaths, dlayer)
    period = _period(years, span)
    points, unlocated = _points(data.key, layer, years) if layer in DEATH_DATASETS else (None, 0)

    hy, py = meta.get("homicide_year"), meta.get("population_year")
    sources: list[tuple[str, str | None]] = []
    notes: list[str] = []
    if metric == "population":
        subtitle = _("CONAPO mid-year population, {year}").format(year=py) if py else \
            _("CONAPO mid-year population")
        sources.append(data.source_pair(CONAPO_POPULATION))
    elif metric == "homicides":
        subtitle = (_("Homicides in INEGI death records, {year} (the last year with all 12 months)").format(year=hy)
                    if hy else _("Homicides in INEGI death records (the last year with all 12 months)"))
        sources.append(data.source_pair(INEGI_HOMICIDES))
    elif metric == "homicide_rate":
        subtitle = _("Homicides in INEGI death records per 100,000 residents (CONAPO mid-year population)") \
            + (f", {hy}" if hy else "")
        sources += [data.source_pair(INEGI_HOMICIDES), data.source_pair(CONAPO_POPULATION)]
    elif metric == "mpp_returned":
        subtitle = _("People sent to wait in each city under MPP, as reported (per city, the figure that leads by "
                     "who counted it, then date; with its qualifier); not an official series")
        pubs = [p for p in cities["mpp_publisher"].dropna().unique()]
        sources += [(str(p), None) for p in pubs]
        sources.append(data.source_pair(REPORTED_FIGURES))
        notes.append(_("Court cases by hearing location and other definitions are not used here."))
        if cities["mpp_others"].fillna("").astype(bool).any():
            notes.append(_("Other reported figures for a city, and why each did not lead, are in Compare cities "
                           "and the export's notes."))
    elif metric == "mpp_enrolled_official":
        span = next((x for x in cities["off_span"] if isinstance(x, str) and x), "")
        subtitle = (_("People CBP enrolled in MPP at the Border Patrol sector paired with each city, {span}: "
                      "processed at the sector, not people in the city").format(span=span) if span else
                    _("People CBP enrolled in MPP at the Border Patrol sector paired with each city: processed at "
                      "the sector, not people in the city"))
        sources.append(data.source_pair(MPP_SOURCE))
        notes.append(_("A sector covers more than its paired city: cities that share a sector show the same "
                       "count, labelled 'shared with', and must not be added; a field office covers several ports. "
                       "The paired field office's count is in the hover and the table."))
    else:
        subtitle = (_("Dead and missing migrants in IOM incidents whose nearest border city is this one, within "
                      "50 km, {period}") if dlayer == "iom" else
                    _("Migrant remains recovered by the Pima County medical examiner whose nearest border city is "
                      "this one, within 50 km, {period}")).format(period=period)
        sid = DEATH_SOURCES[dlayer]
        sources.append(data.source_pair(sid))
    if layer in DEATH_DATASETS:
        sid = DEATH_SOURCES[layer]
        sources.append(data.source_pair(sid))
        subtitle += "; " + _("points: {layer} incidents, {period}").format(layer=_(agg.LAYERS[layer]), period=period)
        notes.append(_("IOM and the Pima County medical examiner count many of the same deaths: "
                       "one layer at a time, never added together."))
        if unlocated:
            notes.append(_("{n} incidents without coordinates are not drawn.").format(n=i18n.number(unlocated)))
    hover = [charts.city_hover(row, meta) for _x, row in cities.iterrows()]
    fig = charts.map_figure(values, metric_label=label, hover=hover, points=points, layer=layer,
                            layer_label=_(agg.LAYERS[layer]), title=title, subtitle=subtitle,
                            source=common.source_line(sources), notes=notes,
                            credit=data.attribution(DEATH_SOURCES[layer]) if layer in DEATH_SOURCES else "")
    period_text = {"population": str(py or ""), "homicides": str(hy or ""), "homicide_rate": str(hy or ""),
                   "deaths_50km": period}.get(metric, "")
    named = values
    if metric == "mpp_enrolled_official":  # the count is the sector's: say so, the city is only its pair
        named = values.assign(name=[_("{sector} (paired with {city})").format(sector=s, city=n)
                                    if isinstance(s, str) and s else n
                                    for n, s in zip(values["name"], cities["off_sector_name"])])
    alt = charts.alt_text(named, label, period_text, 0 if points is None else len(points), _(agg.LAYERS[layer]))
    return {"figure": fig, "alt": alt, "values": values}


def table(values: pd.DataFrame, metric: str) -> html.Table:
    """The cities as a table: the chart's values in text, and a keyboard-reachable link to Compare."""
    label = _(agg.METRICS[metric])
    head = html.Thead(html.Tr([html.Th(_("City")), html.Th(_("State")), html.Th(label, className="num"),
                               html.Th(_("Compare"))]))
    rows = []
    for _x, r in values.iterrows():
        shown = r["shown"] if pd.notna(r["value"]) else _("no data ({reason})").format(reason=r["reason"])
        rows.append(html.Tr([
            html.Td(str(r["name"])), html.Td(str(r["admin1"])),
            html.Td(str(shown), className="num" + ("" if pd.notna(r["value"]) else " nodata")),
            html.Td(dcc.Link(_("Compare {city}").format(city=r["name"]),
                             href=in_language(compare_href(str(r["place_id"]))))),
        ]))
    return html.Table([html.Caption(_("The map's values by city")), head, html.Tbody(rows)], className="data")


@callback(
    Output(ids.Map.graph, "figure"), Output(ids.Map.alt, "children"), Output(ids.Map.table, "children"),
    Output(ids.Map.query, "data"),
    Input(ids.Map.metric, "value"), Input(ids.Map.layer, "value"),
    Input(ids.Map.from_, "value"), Input(ids.Map.to, "value"),
)
def update(metric, layer, year_from, year_to):
    ps = params()
    state = urlstate.state_from_controls(ps, [metric, layer, year_from, year_to])
    state = clean(state, ps)
    out = view(state)
    tbl = table(out["values"], state["metric"]) if not out["values"].empty else \
        html.P(_("No data."), className="nodata")
    return out["figure"], out["alt"], tbl, {"q": urlstate.to_query(state, ps), "initial": False}


def clean(state: dict, ps: list[urlstate.Param]) -> dict:
    """Controls can only send allowed values, but a callback can be called with anything: re-check."""
    out = {}
    for p in ps:
        v = state.get(p.name, p.default)
        if v is None:
            out[p.name] = p.default
            continue
        value, notice = urlstate.parse_value(p, str(v))
        out[p.name] = value if notice is None else p.default
    if out["from"] is not None and out["to"] not in (None, urlstate.LATEST) and out["from"] > out["to"]:
        out["from"], out["to"] = out["to"], out["from"]
    return out


@callback(Output(ids.Map.nav, "href"), Input(ids.Map.graph, "clickData"), prevent_initial_call=True)
def open_compare(click):
    return compare_link(click)


def compare_link(click) -> str:
    """The Compare link for a click on a city marker (no_update for a click on an incident point)."""
    try:
        pid = str(click["points"][0]["customdata"])
    except (TypeError, KeyError, IndexError):
        return dash.no_update
    if pid not in data_access.border_cities():
        return dash.no_update
    return in_language(compare_href(pid))


def in_language(href: str) -> str:
    """A link on this site ('/compare?cities=…') in the reader's language (lang= added when not the default)."""
    path, _x, query = href.partition("?")
    return i18n.href(path, "?" + query if query else "")


clientside_callback(ClientsideFunction(namespace="borderstats", function_name="pushQuery"),
                    Output(ids.Map.sink, "data"), Input(ids.Map.query, "data"))


# ---- the page and the charts that can leave it (collected by dashboard/export/registry.py) ----------------
PATH = "/map"
QUERY_STORE = ids.Map.query
CHARTS = (
    Exportable("map", "map", N_("Map: border cities and migrant death incidents"),
               ("migrant_deaths", "homicides", "population", "places"), embed_height=720),
)
