"""Compare cities: URL parameters and the one callback that draws the page (thin: it calls `render`).

Per-release aggregates are computed once per release (`base()`, cached by release id) and
whole views are cached by (release id, state), so a callback only does small-frame work.

Links from the Map page: ``/compare?city=<id>`` puts that city first, followed by the
default cities (six in all); ``/compare?city=<id>&cities=<a>,<b>`` puts it in front of the
given list. A one-city ``?cities=<id>`` is treated the same way, with a notice.
"""
from __future__ import annotations

import dash
import pandas as pd
from dash import (
    ClientsideFunction,
    Input,
    Output,
    callback,
    clientside_callback,
    html,
    no_update,
)

from dashboard.exportable import Exportable
from dashboard import cache, data_access, i18n, ids, tidy, urlstate
from dashboard.i18n import N_, _, ngettext
from dashboard.aggregates import compare as agg
from dashboard.aggregates import revised
from dashboard.aggregates import reported as reported_agg
from dashboard.aggregates import mpp as mpp_agg
from dashboard.charts import common
from dashboard.charts import compare as charts
from dashboard.charts import mpp as mpp_charts
from dashboard.datasets import (
    MPP_SOURCE,
    CONAPO_POPULATION,
    CONAPO_PROJECTIONS,
    DEATH_DATASETS,
    DEATH_SOURCES,
    INEGI_HOMICIDES,
    INEGI_MUNICIPAL,
    IOM_SOURCE,
    OHSS_ENCOUNTERS,
    OHSS_SECTOR,
    PCOME_SOURCE,
    REPORTED_FIGURES,
)

NEEDED = (MPP_SOURCE, REPORTED_FIGURES, INEGI_HOMICIDES, CONAPO_POPULATION, IOM_SOURCE, PCOME_SOURCE, OHSS_ENCOUNTERS)
# option labels, marked for the catalogue: translate where shown (_(label))
DEATHS = {"iom": N_("IOM Missing Migrants (dead and missing)"), "pcome": N_("Pima County medical examiner (remains)")}
AXES = {"shared": N_("Shared"), "independent": N_("Independent")}
ORDERS = {"desc": N_("Highest first"), "asc": N_("Lowest first")}


def options(labels: dict) -> list[dict]:
    """A radio's or dropdown's options from one of the dicts above, in the reader's language."""
    return [{"label": _(label), "value": value} for value, label in labels.items()]


def _and(names) -> str:
    """'A and B' / 'A y B', 'A, B, and C' / 'A, B y C' (Babel's lists)."""
    from babel.lists import format_list

    names = [str(n) for n in names]
    return format_list(names, locale=i18n.LOCALES[i18n.lang()]) if names else ""


# ---------------------------------------------------------------- per-release data

def release_key(data) -> str:
    """Cache key of a release, unique across data directories (ids are only unique within one)."""
    return data.key


@data_access.per_release(maxsize=1)
def _base_for(release_id: str) -> agg.Base:
    data = data_access.held(release_id)
    marks = {(t, c): data_access.revised_rows(data, t, c) for t, c in (
        ("migrant_deaths", "dead"), ("migrant_deaths", "missing"), ("population", "population"),
        ("homicides", "count"), ("encounters", "count"))}
    return agg.prepare(data.places.reset_index(drop=True), data.table("population"), data.table("homicides"),
                       data.table("migrant_deaths"), data.table("encounters"), data.table("reported_figures"),
                       marks=marks)


data_access.on_warm(lambda data: _base_for(data.key))  # a new release's base is ready before it is served


def base() -> agg.Base | None:
    data = data_access.current()
    return _base_for(release_key(data)) if data is not None else None


def _colours(b: agg.Base) -> dict[str, str]:
    """Each border city's one colour (the places table's)."""
    return b.cities["colour"].to_dict() if "colour" in b.cities else {}


def params() -> list[urlstate.Param]:
    b = base()
    years = [str(y) for y in b.years] if b else []
    return [
        urlstate.Param("cities", "multi", list(data_access.default_cities()), choices=data_access.border_cities,
                       min_items=agg.MIN_CITIES, max_items=agg.MAX_CITIES, label=N_("Cities"), pin=True),
        urlstate.Param("year", "choice", str(b.default_year) if b else "", choices=years, label=N_("Year"), pin=True,
                       latest=True),
        urlstate.Param("km", "int", 50, minimum=10, maximum=300, label=N_("Distance (km)")),
        urlstate.Param("deaths", "choice", "iom", choices=list(DEATHS), label=N_("Deaths dataset")),
        urlstate.Param("axis", "choice", "shared", choices=list(AXES), label=N_("Y axis")),
        urlstate.Param("percap", "bool", False, label=N_("Per 100,000 residents")),
        urlstate.Param("sort", "choice", "homicide_rate", choices=list(agg.SORT_KEYS), label=N_("Sort by")),
        urlstate.Param("order", "choice", "desc", choices=list(ORDERS), label=N_("Order")),
    ]


def merge_city(query: dict) -> tuple[dict, list[str]]:
    """The Map page's click-through: `city=<id>` (or a one-city `cities`) becomes a full list of cities.

    Returns the query to parse and any notices. Values too long or unknown are left to urlstate,
    which replaces them by defaults with a notice."""
    query = dict(query)
    notices = []

    def last(v):
        return (v[-1] if v else "") if isinstance(v, list) else str(v)

    border = data_access.border_cities()
    city = query.pop("city", None)
    if city is not None:
        city = last(city)
        if city not in border:
            notices.append(_("City: unknown value “{value}” was ignored").format(
                value=city[:24] + ("…" if len(city) > 24 else "")))
            city = None
    raw = query.get("cities")
    given = []
    if raw is not None:
        text = last(raw)
        if len(text) <= urlstate.MAX_VALUE_CHARS:
            given = [x for x in dict.fromkeys(text.split(",")) if x in border]
        if city is None and len(given) == 1:
            city = given[0]
            notices.append(_("Cities: at least {n} needed; the default cities were added to the one in the link")
                           .format(n=agg.MIN_CITIES))
            given = []
    if city is not None:
        rest = given if len(given) >= 1 else list(data_access.default_cities())
        query["cities"] = ",".join([city] + [c for c in rest if c != city][: agg.MAX_CITIES - 1])
    return query, notices


def state_from_query(query: dict) -> urlstate.Parsed:
    """The page's state for a link's query (what the page and its exports show), with notices."""
    query, early = merge_city(query)
    parsed = urlstate.parse(query, params())
    return urlstate.Parsed(parsed.state, early + parsed.notices)


def _source(data, source_id: str) -> tuple[str, str | None]:
    """(attribution, retrieval date) of a source, as the release names it."""
    return data.source_pair(source_id) if data is not None else (source_id, None)


# ---------------------------------------------------------------- the view

def _num(v, digits=0) -> str:
    return f"{v:,.{digits}f}" if digits else common.fmt(round(v))


def _missing(value) -> bool:
    return value is None or pd.isna(value)


def _cell(value, text: str | None = None, reason: str | None = None, extra: str | None = None):
    if _missing(value):
        return html.Td(_("no data — {reason}").format(reason=reason) if reason else _("no data"),
                       className="num nodata")
    parts = [text]
    if extra:
        parts.append(html.Br())
        parts.append(html.Small(extra))
    return html.Td(parts, className="num")


def table(rows, state: dict, year: int, km: int, enrolled: dict | None = None) -> html.Table:
    """`enrolled`: {city id: (text, reason)} of the official enrolments at its paired sector and field office."""
    pop_year = rows["population_year"].iloc[0] if not rows.empty else None
    heads = [
        ("city", _("City")),
        ("population", _("Population {year} (CONAPO)").format(year=pop_year or "").replace("  ", " ")),
        ("returned", _("MPP returned (the reported figure that leads)")),
        ("returned_per_1000", _("Returned per 1,000 residents")),
        ("homicides", _("Homicides {year}").format(year=year)),
        ("homicide_rate", _("Homicides per 100,000, {year}").format(year=year)),
        ("deaths", (_("Migrant deaths within {km} km, {year} (IOM)") if state["deaths"] == "iom" else
                    _("Migrant deaths within {km} km, {year} (Pima County)")).format(km=km, year=year)),
        ("encounters", _("Paired Border Patrol sector: encounters FY{year} (rounded)").format(year=year)),
    ]
    enrolled = enrolled or {}
    if enrolled:
        heads.append(("enrolled", _("MPP enrolments processed at the paired sector / field office (CBP, official)")))
    th = []
    for key, label in heads:
        attrs = {"scope": "col", "className": "" if key == "city" else "num"}
        if key == state["sort"]:
            attrs["aria-sort"] = "descending" if state["order"] == "desc" else "ascending"
            label += " ▼" if state["order"] == "desc" else " ▲"
        th.append(html.Th(label, **attrs))
    body = []
    for _x, r in rows.iterrows():
        nan = _missing
        body.append(html.Tr([
            html.Th(r["city"], scope="row"),
            _cell(r["population"], _num(r["population"]) if not nan(r["population"]) else "", r["population_reason"]),
            _cell(r["returned"], r["returned_text"], r["returned_reason"], r["returned_source"] or None),
            _cell(r["returned_per_1000"], r["returned_per_1000_text"],
                  None if nan(r["returned"]) else r["returned_reason"]),
            _cell(r["homicides"], _num(r["homicides"]) if not nan(r["homicides"]) else "", r["homicides_reason"],
                  _("partial: {what}").format(what=r["homicides_partial"])
                  if isinstance(r["homicides_partial"], str) else None),
            _cell(r["homicide_rate"], _num(r["homicide_rate"], 1) if not nan(r["homicide_rate"]) else "",
                  r["homicides_reason"]),
            _cell(r["deaths"], _num(r["deaths"]) if not nan(r["deaths"]) else "", r["deaths_reason"],
                  _("partial year: {what}").format(what=r["deaths_partial"])
                  if isinstance(r["deaths_partial"], str) else None),
            _cell(r["encounters"], "≈ " + _num(r["encounters"]) if not nan(r["encounters"]) else "",
                  r["encounters_reason"],
                  _("{name} sector").format(name=r["sector"]) + (
                      "; " + _("partial: {what}").format(what=r["encounters_partial"])
                      if isinstance(r["encounters_partial"], str) else "")),
            *([_cell(1 if enrolled.get(r["place_id"], ("", ""))[0] else None, *enrolled.get(
                r["place_id"], ("", _("no paired sector or field office"))))] if enrolled else []),
        ]))
    return html.Table([html.Caption(
        _("The chosen cities side by side, sorted by {key} ({order}); “no data” rows go last.").format(
            key=_(agg.SORT_KEYS[state["sort"]][0]).lower(), order=_(ORDERS[state["order"]]).lower())),
        html.Thead(html.Tr(th)), html.Tbody(body)], className="data")


def _shared_sector_note(rows) -> list[str]:
    notes = []
    for sector, group in rows.groupby("sector"):
        if sector and len(group) > 1:
            notes.append(_("{cities} share the {sector} sector: the same number is shown for each and must not "
                           "be added.").format(cities=_and(group["name"]), sector=sector))
    return notes


SOURCES = {"reported": REPORTED_FIGURES, "inegi": INEGI_HOMICIDES, "conapo": CONAPO_POPULATION,
           "ohss": OHSS_ENCOUNTERS, **DEATH_SOURCES}


def _src(key: str) -> tuple[str, str | None]:
    return _source(data_access.current(), SOURCES[key])


# Each chart is cached by the release and only the settings it depends on, so changing one control
# rebuilds one or two charts. Cached values are plain dicts and strings (figure JSON); do not mutate.

@data_access.per_release(maxsize=256)
def _rows(release_id: str, cities: tuple, year: int, km: int, deaths: str, lang: str = "en"):
    """`lang`: the rows carry reasons in words (no data, partial), so each language has its own entry."""
    return agg.city_rows(_base_for(release_id), list(cities), year, km, deaths)


EL_PASO_COURT = ("Ciudad Juárez", "Nogales")  # the cities whose returnees the El Paso immigration court heard


def _el_paso_court_cities(b: agg.Base) -> list[str]:
    return [pid for pid, name in b.cities["name"].items() if name in EL_PASO_COURT] if not b.cities.empty else []


@cache.answer
def _mpp(release_id: str, cities: tuple) -> tuple[dict, str]:
    b = _base_for(release_id)
    figs = agg.mpp_figures(b, list(cities))
    missing = agg.cities_without_figures(b, list(cities))
    unattributed = []
    if not b.unattributed.empty and set(_el_paso_court_cities(b)) & set(cities):
        n = len(b.unattributed)
        unattributed.append(ngettext(
            "Not attributed to a city: {n} court-case figure at the El Paso immigration court, which heard people "
            "returned to Ciudad Juárez and, from January 2020, to Nogales:",
            "Not attributed to a city: {n} court-case figures at the El Paso immigration court, which heard people "
            "returned to Ciudad Juárez and, from January 2020, to Nogales:", n).format(n=n))
        unattributed += [f"– {item}" for item in _unattributed_items(b.unattributed)]  # listed in the chart itself
    publishers = [(p, None) for p in dict.fromkeys(agg.short_publisher(x) for x in figs["publisher"])] \
        if not figs.empty else []
    fig = charts.mpp_chart(figs, charts.city_colors(cities, _colours(b)),
                           source=common.source_line(publishers + [_src("reported")]),
                           missing=missing, unattributed=unattributed, as_dict=True)
    return fig, charts.mpp_alt(figs, missing)


@cache.answer
def _homicides(release_id: str, cities: tuple, year: int, percap: bool) -> tuple[dict, str]:
    rows = _rows(release_id, cities, year, 50, "iom", i18n.lang())
    if percap:
        hv, hlabel, hdigits = "homicide_rate", _("Homicides per 100,000 residents"), 1
        hsub = _("Homicides recorded in INEGI death certificates in {year}, per 100,000 residents (CONAPO, {year})"
                 ).format(year=year)
    else:
        hv, hlabel, hdigits = "homicides", _("Homicides"), 0
        hsub = _("Homicides recorded in INEGI death certificates in {year}, by municipality").format(year=year)
    fig = charts.city_bars(rows, hv, "homicides_reason", title=_("Homicides in {year}").format(year=year),
                           subtitle=hsub,
                           source=common.source_line([_src("inegi")] + ([_src("conapo")] if percap else [])),
                           colors=charts.city_colors(cities, _colours(_base_for(release_id))),
                           partial="homicides_partial", digits=hdigits, revised=hv,
                           value_label=hlabel, as_dict=True)
    return fig, charts.bars_alt(rows, hv, hlabel, _("in {year}").format(year=year))


@cache.answer
def _deaths(release_id: str, cities: tuple, year: int, km: int, deaths: str) -> tuple[dict, str]:
    b = _base_for(release_id)
    rows = _rows(release_id, cities, year, km, deaths, i18n.lang())
    if deaths == "iom":
        subtitle = _("Dead and missing migrants in IOM incidents within {km} km of each city, {year}")
    else:
        subtitle = _("Migrant remains recovered by the Pima County medical examiner within {km} km of each city, "
                     "{year}")
    notes = [_("Straight-line distance from each city centre; a place near two neighbouring cities counts for both, "
               "so the cities' numbers must not be added."),
             _("IOM and Pima County count many of the same deaths: the two datasets are never added.")]
    no_coords = b.deaths[deaths].no_coords if deaths in b.deaths else 0
    if no_coords:
        notes.append(ngettext("{n} record without coordinates cannot be placed and is left out.",
                              "{n} records without coordinates cannot be placed and are left out.",
                              no_coords).format(n=i18n.number(no_coords)))
    fig = charts.city_bars(rows, "deaths", "deaths_reason",
                           title=_("Migrant deaths within {km} km, {year}").format(km=km, year=year),
                           subtitle=subtitle.format(km=km, year=year),
                           source=common.source_line([_src(deaths)]), colors=charts.city_colors(cities, _colours(b)),
                           notes=notes, revised="deaths",
                           partial="deaths_partial", value_label=_("People"), as_dict=True)
    return fig, charts.bars_alt(rows, "deaths", _("Migrant deaths within {km} km").format(km=km),
                                _("in {year}").format(year=year))


@cache.answer
def _encounters(release_id: str, cities: tuple, year: int) -> tuple[dict, str]:
    rows = _rows(release_id, cities, year, 50, "iom", i18n.lang())
    notes = [_("OHSS publishes rounded values; the yearly sums are approximate (≈)."),
             _("Each city is shown with the Border Patrol sector across the border from it.")] \
        + _shared_sector_note(rows)
    labelled = rows.assign(city=[f"{c} → {s}" if s else c for c, s in zip(rows["city"], rows["sector"])]) \
        if not rows.empty else rows
    fig = charts.city_bars(labelled, "encounters", "encounters_reason",
                           title=_("Border Patrol encounters in the paired sector, FY{year}").format(year=year),
                           subtitle=_("U.S. Border Patrol encounters in the sector paired with each city, fiscal "
                                      "year {year} ({start} – {end})").format(
                               year=year, start=i18n.month_year(f"{year - 1}-10-01"),
                               end=i18n.month_year(f"{year}-09-01")),
                           source=common.source_line([_src("ohss")]),
                           colors=charts.city_colors(cities, _colours(_base_for(release_id))), notes=notes,
                           prefix="≈ ", partial="encounters_partial", value_label=_("Encounters"),
                           revised="encounters",
                           as_dict=True)
    named = rows.assign(name=[_("{city} ({sector} sector)").format(city=n, sector=s)
                              for n, s in zip(rows["name"], rows["sector"])]) if not rows.empty else rows
    return fig, charts.bars_alt(named, "encounters", _("Border Patrol encounters"),
                                _("in FY{year}").format(year=year))


@cache.answer
def _enrolled(release_id: str, cities: tuple) -> tuple[dict, str, dict]:
    """The official enrolments at each city's paired sector and field office: (figure, alt, {city: (cell text,
    reason)}) for the chart and the table."""
    data = data_access.current()
    panels, cells = enrolled_panels(data, cities), {}
    for p in panels:
        bits = [_("{n} at {area}").format(n=i18n.number(int(s.sum())), area=label)
                for label, s in p["series"] if not s.empty]
        months = [m for _x, s in p["series"] for m in s.index]
        span = mpp_agg.span_words((min(months), max(months))) if months else ""
        cells[p["id"]] = ("; ".join(bits) + (f" ({span})" if span else ""), p["reason"] or _("no CBP table"))
    notes = [(_("{cities} share the {name} sector: the same count is shown for each and must not be added.")
              if a.startswith("US-SEC") else
              _("{cities} share the {name} field office: the same count is shown for each and must not be added."))
             .format(cities=_and(data.place_name(c) for c in cs), name=data.place_name(a))
             for a, cs in mpp_agg.shared_areas(data.places, cities).items()]
    fig = mpp_charts.paired_panels(panels, source=data.source_line([MPP_SOURCE]) if MPP_SOURCE in data.sources()
                                   else "", notes=notes)
    return fig.to_plotly_json(), mpp_charts.paired_alt(panels), cells


def enrolled_panels(data, cities) -> list[dict]:
    """One panel per city: its paired sector's and field office's monthly enrolments, labelled."""
    enr, marks = data.table("mpp_enrollments"), data_access.revised_rows(data, "mpp_enrollments", "count")
    if not marks.empty and not enr.empty:  # what revised counts were first published as (aggregates.revised)
        enr = revised.attach(enr, marks, "count")
    panels = []
    for c in cities:
        series, changed = [], {}
        for area, kind in zip(mpp_agg.paired(data.places, c), (N_("{name} sector"), N_("{name} field office"))):
            if area:
                label = _(kind).format(name=data.place_name(area))
                series.append((label, mpp_agg.area_monthly(enr, area)))
                changed[label] = mpp_agg.area_revisions(enr, area)
        reason = "" if any(not s.empty for _x, s in series) else (
            _("no paired sector or field office") if not series else
            _("no CBP enrolment table for its paired areas"))
        panels.append({"id": c, "city": data.place_name(c), "series": series, "reason": reason, "revised": changed})
    return panels


@cache.answer
def _monthly(release_id: str, cities: tuple, axis: str, percap: bool, year: int) -> tuple[dict, str]:
    b = _base_for(release_id)
    monthly = agg.monthly_homicides(b, list(cities), percap)
    names = [(c, b.cities.at[c, "name"]) for c in cities]
    reasons = {}
    if percap:
        span = b.pop_span
        reasons = {c: _("no CONAPO population (CONAPO covers {span})").format(span=span) if span
                   else _("no CONAPO population") for c in cities}
    shade = year if b.homicides_last is not None and year <= b.homicides_last.year else None
    fig = charts.small_multiples(monthly, names, charts.city_colors(cities, _colours(b)), axis=axis, percap=percap,
                                 year=shade,
                                 source=common.source_line([_src("inegi")] + ([_src("conapo")] if percap else [])),
                                 reasons=reasons, as_dict=True)
    return fig, charts.monthly_alt(monthly, names, percap)


def views(release_id: str, state: dict) -> dict:
    """Every figure, text alternative and the table of one state (cached per chart)."""
    b = _base_for(release_id)
    cities = tuple(c for c in state["cities"] if c in b.cities.index)
    year, km = int(state["year"]), int(state["km"])
    percap = bool(state["percap"])
    out = {}
    out["mpp"], out["mpp_alt"] = _mpp(release_id, cities)
    out["homicides"], out["homicides_alt"] = _homicides(release_id, cities, year, percap)
    out["deaths"], out["deaths_alt"] = _deaths(release_id, cities, year, km, state["deaths"])
    out["encounters"], out["encounters_alt"] = _encounters(release_id, cities, year)
    out["monthly"], out["monthly_alt"] = _monthly(release_id, cities, state["axis"], percap, year)
    out["enrolled"], out["enrolled_alt"], cells = _enrolled(release_id, cities)
    rows = _rows(release_id, cities, year, km, state["deaths"], i18n.lang())
    has_table = "mpp_enrollments" in data_access.current().tables
    out["table"] = table(agg.sort_rows(rows, state["sort"], state["order"]), state, year, km,
                         cells if has_table else None)
    out["unattributed"] = _unattributed_list(b.unattributed)
    return out


def chart_views(state: dict) -> dict[str, tuple]:
    """{chart key: (figure, text alternative)} for a parsed state: what the page draws, for its exports."""
    state, _x = clean_state([state[name] for name in ("cities", "year", "km", "deaths", "axis", "percap", "sort",
                                                     "order")])
    data = data_access.current()
    if data is None or len(state["cities"]) < agg.MIN_CITIES:
        return {}
    b = _base_for(release_key(data))
    year = state["year"] if state["year"].isdigit() else str(b.default_year)
    v = views(release_key(data), dict(state, year=year))
    return {key: (v[key], v[f"{key}_alt"]) for key in ("mpp", "enrolled", "homicides", "monthly", "deaths",
                                                       "encounters")}


def _unattributed_items(loose) -> list[str]:
    """'1,103: MPP court cases … (TRAC, 2019-07-31)': each figure placed in no city, qualifier in words."""
    return [f"{common.qualified(f['value'], f['qualifier'])}: {reported_agg.definition_words(f)} "
            f"({f['publisher']}{', ' + f['when'].date().isoformat() if f['when'] is not None and f['when'] == f['when'] else ''})"
            for _x, f in loose.iterrows()]


def chart_tables(state: dict, only: str | None = None) -> dict[str, pd.DataFrame]:
    """{chart key: tidy rows of the plotted values (dashboard.tidy)} for a parsed state, as chart_views draws them
    (only: that chart's rows alone)."""
    state, _x = clean_state([state[name] for name in ("cities", "year", "km", "deaths", "axis", "percap", "sort",
                                                     "order")])
    data = data_access.current()
    if data is None or len(state["cities"]) < agg.MIN_CITIES:
        return {}
    release_id = release_key(data)
    b = _base_for(release_id)
    cities = tuple(c for c in state["cities"] if c in b.cities.index)
    year = int(state["year"]) if state["year"].isdigit() else b.default_year
    km, deaths, percap = int(state["km"]), state["deaths"], bool(state["percap"])
    inegi, conapo = _src("inegi"), _src("conapo")
    out = {}
    hv = "homicide_rate" if percap else "homicides"
    if only in (None, "mpp"):
        out["mpp"] = _mpp_rows(release_id, cities)
    if only in (None, "enrolled"):
        out["enrolled"] = _enrolled_rows(release_id, cities)
    if only in (None, "homicides"):
        out["homicides"] = _homicide_rows(release_id, cities, year, percap, hv, inegi, conapo)
    if only in (None, "monthly"):
        out["monthly"] = _monthly_rows(release_id, cities, percap, hv, inegi, conapo)
    if only in (None, "deaths"):
        out["deaths"] = _death_rows(release_id, cities, year, km, deaths)
    if only in (None, "encounters"):
        out["encounters"] = _encounter_rows(release_id, cities, year)
    return out


@cache.answer
def _mpp_rows(release_id: str, cities: tuple) -> pd.DataFrame:
    b = _base_for(release_id)
    # MPP: one row per reported figure drawn, with its qualifier; each kind of figure its own measure
    figs = agg.mpp_figures(b, list(cities))
    figs = figs[figs["metric"].isin(list(charts.METRIC_TITLES))] if not figs.empty else figs
    return tidy.frame({
        "place_id": f["city_id"], "place": f["city"],
        **({"period": f"{tidy.date(f['period_start'])} to {tidy.date(f['period_end'])}",
            "period_start": tidy.date(f["period_start"]), "period_end": tidy.date(f["period_end"])}
           if not tidy.missing(f["period_start"]) and not tidy.missing(f["period_end"])
           else {"period": tidy.date(f["when"]), "period_end": tidy.date(f["when"])}),
        "measure": f["metric"], "value": f["value"],
        "unit": _("court cases") if f["metric"] in ("mpp_court_cases", "mpp_pending_cases") else _("people"),
        "qualifier": f["qualifier"] or "exact", "definition": f["definition"], "dataset": REPORTED_FIGURES,
        "source": tidy.sources([(f["publisher"], None), _src("reported")]), "source_url": f["url"],
        "note": "; ".join(x for x in [f"figure_id {f['figure_id']}",
                                      _("counted at the U.S. hearing location ({place})").format(place=f["hearing"])
                                      if f["hearing"] else ""] if x),
    } for f in figs.to_dict("records"))


@cache.answer
def _enrolled_rows(release_id: str, cities: tuple) -> pd.DataFrame:
    """One row per plotted point: a city's paired sector or field office, a month, CBP's count there."""
    data = data_access.held(release_id)
    retrieved = (data.attribution(MPP_SOURCE), data.retrieved(MPP_SOURCE))
    rows = mpp_agg.one_dataset_per_month(data.table("mpp_enrollments"))
    out = []
    for p in enrolled_panels(data, cities):
        for (label, s), area in zip(p["series"], [a for a in mpp_agg.paired(data.places, p["id"]) if a]):
            changed = p["revised"].get(label, {})
            for month, value in s.items():
                ds = rows[(rows["place_id"] == area) & (rows["month"] == month)]["dataset"].iloc[0]
                point = changed.get(month)
                out.append({**tidy.month(month), "place_id": p["id"], "place": p["city"],
                            "measure": "mpp_enrolled_official", "value": int(value),
                            "unit": _("people enrolled in MPP"), "qualifier": "exact",
                            "category": f"{area} ({label})",
                            "definition": _("enrolments processed at {area} (paired with {city}), not people in the "
                                            "city").format(area=label, city=p["city"]),
                            "dataset": ds, "source": tidy.sources([retrieved]),
                            "note": "", **tidy.revised(point.first if point else None,
                                                       point.revised_in if point else "")})
    return tidy.frame(out)


@cache.answer
def _homicide_rows(release_id: str, cities: tuple, year: int, percap: bool, hv: str, inegi, conapo) -> pd.DataFrame:
    # homicides (or the rate) in the year, one row per city; no data is a row with an empty value and the reason
    rows = _rows(release_id, cities, year, 50, "iom", i18n.lang())
    return tidy.frame({
        "place_id": r["place_id"], "place": r["name"], **tidy.year(year), "measure": hv,
        "value": None if tidy.missing(r[hv]) else (round(r[hv], 2) if percap else r[hv]),
        "unit": _("homicides per 100,000 residents") if percap else _("homicides"), "qualifier": "exact",
        "definition": _("deaths registered as homicides in INEGI death certificates, by municipality of occurrence, "
                        "per 100,000 residents (CONAPO mid-year population of the year)") if percap else
        _("deaths registered as homicides in INEGI death certificates, by municipality of occurrence"),
        "dataset": INEGI_MUNICIPAL + (f"; {CONAPO_PROJECTIONS}" if percap else ""),
        "source": tidy.sources([inegi] + ([conapo] if percap else [])),
        "note": r["homicides_reason"] if tidy.missing(r[hv]) else
        (_("partial: {what}").format(what=r["homicides_partial"]) if isinstance(r["homicides_partial"], str)
         else ""),
        **tidy.revised(r.get(f"{hv}_first"), r.get(f"{hv}_revised_in"), 2 if percap else 0),
    } for r in rows.to_dict("records"))


@cache.answer
def _monthly_rows(release_id: str, cities: tuple, percap: bool, hv: str, inegi, conapo) -> pd.DataFrame:
    # monthly homicides, small multiples
    monthly = agg.monthly_homicides(_base_for(release_id), list(cities), percap)
    return tidy.frame({
        "place_id": r["place_id"], "place": r["city"], **tidy.month(r["month"]), "measure": hv,
        "value": None if tidy.missing(r["value"]) else (round(r["value"], 2) if percap else r["value"]),
        "unit": _("homicides per 100,000 residents") if percap else _("homicides"), "qualifier": "exact",
        "definition": _("deaths registered as homicides in INEGI death certificates in the month, by municipality, "
                        "per 100,000 residents (CONAPO mid-year population of the year)") if percap else
        _("deaths registered as homicides in INEGI death certificates in the month, by municipality"),
        "dataset": INEGI_MUNICIPAL + (f"; {CONAPO_PROJECTIONS}" if percap else ""),
        "source": tidy.sources([inegi] + ([conapo] if percap else [])),
        "note": _("no CONAPO population for the year") if tidy.missing(r["value"]) else "",
        **tidy.revised(r["first_published"], r["revised_in"], 2 if percap else 0),
    } for r in monthly.to_dict("records"))


@cache.answer
def _death_rows(release_id: str, cities: tuple, year: int, km: int, deaths: str) -> pd.DataFrame:
    # migrant deaths near each city, one dataset
    rows = _rows(release_id, cities, year, km, deaths, i18n.lang())
    return tidy.frame({
        "place_id": r["place_id"], "place": r["name"], **tidy.year(year), "measure": "migrant_deaths_nearby",
        "value": None if tidy.missing(r["deaths"]) else r["deaths"],
        "unit": _("people (dead and missing)") if deaths == "iom" else _("remains recovered"), "qualifier": "exact",
        "definition": _("{dataset} within {km} km (straight line) of the city centre; a place near two cities counts "
                        "for both").format(dataset=_(DEATHS[deaths]), km=km),
        "dataset": DEATH_DATASETS[deaths], "source": tidy.sources([_src(deaths)]),
        "note": r["deaths_reason"] if tidy.missing(r["deaths"]) else
        (_("partial year: {what}").format(what=r["deaths_partial"]) if isinstance(r["deaths_partial"], str)
         else ""),
        **tidy.revised(r.get("deaths_first"), r.get("deaths_revised_in")),
    } for r in rows.to_dict("records"))


@cache.answer
def _encounter_rows(release_id: str, cities: tuple, year: int) -> pd.DataFrame:
    # encounters in the Border Patrol sector paired with each city (OHSS rounds: the sums are approximate)
    rows = _rows(release_id, cities, year, 50, "iom", i18n.lang())
    return tidy.frame({
        "place_id": r["place_id"], "place": r["name"], **tidy.fiscal_year(year), "measure": "encounters",
        "value": None if tidy.missing(r["encounters"]) else r["encounters"], "unit": _("encounters"),
        "qualifier": "approximately", "category": _("{name} sector").format(name=r["sector"]) if r["sector"] else "",
        "definition": _("U.S. Border Patrol encounters in the sector paired with the city, fiscal year; cities "
                        "that share a sector show the same number, never to be added"),
        "dataset": OHSS_SECTOR, "source": tidy.sources([_src("ohss")]),
        "note": r["encounters_reason"] if tidy.missing(r["encounters"]) else
        "; ".join(x for x in [_("sums of rounded monthly values"),
                              _("partial: {what}").format(what=r["encounters_partial"])
                              if isinstance(r["encounters_partial"], str) else ""] if x),
        **tidy.revised(r.get("encounters_first"), r.get("encounters_revised_in")),
    } for r in rows.to_dict("records"))


def _unattributed_list(loose):
    if loose.empty:
        return None
    items = [html.Li(text) for text in _unattributed_items(loose)]
    return html.Details([html.Summary(ngettext("{n} court-case figure not attributed to any city",
                                               "{n} court-case figures not attributed to any city",
                                               len(items)).format(n=len(items))),
                         html.Ul(items)], className="notes")


def clean_state(values: list) -> tuple[dict, list[str]]:
    """The state from the controls, repaired where a control reports something out of bounds."""
    ps = params()
    state = urlstate.state_from_controls(ps, values)
    problems = []
    by = {p.name: p for p in ps}
    for name in ("year", "deaths", "axis", "sort", "order"):
        allowed = by[name].allowed()
        if by[name].latest and state[name] == urlstate.LATEST:
            continue
        if allowed is not None and str(state[name]) not in allowed:
            state[name] = by[name].default
    state["year"] = str(state["year"])
    try:
        km = round(float(state["km"]))
    except (TypeError, ValueError):
        km = 50
    state["km"] = min(300, max(10, km))
    border = data_access.border_cities()
    cities = [c for c in dict.fromkeys(state["cities"] or []) if c in border]
    if len(cities) > agg.MAX_CITIES:
        problems.append(_("At most {n} cities: only the first {n} are kept.").format(n=agg.MAX_CITIES))
        cities = cities[: agg.MAX_CITIES]
    state["cities"] = cities
    return state, problems


def render(cities, year, km, deaths, axis, percap, sort, order, *, initial: bool = False) -> tuple:
    """Everything the callback returns, in its output order."""
    state, problems = clean_state([cities, year, km, deaths, axis, percap, sort, order])
    data = data_access.current()
    keep = no_update
    if len(state["cities"]) < agg.MIN_CITIES:
        status = html.P(_("Choose at least {low} cities (up to {high}) to compare.").format(
                            low=agg.MIN_CITIES, high=agg.MAX_CITIES),
                        className="banner", role="status")
        return (no_update, status) + (no_update,) * 14 + (no_update,)
    if data is None:
        return (no_update, _("No data has been published yet.")) + (no_update,) * 14 + (no_update,)
    b = _base_for(release_key(data))
    try:
        year_i = int(state["year"])
    except ValueError:
        year_i = b.default_year
    v = views(release_key(data), dict(state, year=str(year_i)))
    status = html.P(" ".join(problems), className="banner", role="status") if problems else None
    if problems:
        keep = state["cities"]
    query = {"q": urlstate.to_query(state, params()), "initial": initial}
    return (keep, status, v["mpp"], v["mpp_alt"], v["homicides"], v["homicides_alt"], v["deaths"], v["deaths_alt"],
            v["encounters"], v["encounters_alt"], v["monthly"], v["monthly_alt"], v["table"], v["unattributed"],
            v["enrolled"], v["enrolled_alt"], query)


C = ids.Compare
CONTROLS = [C.cities, C.year, C.km, C.deaths, C.axis, C.percap, C.sort, C.order]


@callback(
    Output(C.cities, "value"), Output(C.status, "children"),
    Output(C.mpp, "figure"), Output(C.mpp_alt, "children"),
    Output(C.homicides, "figure"), Output(C.homicides_alt, "children"),
    Output(C.deaths_graph, "figure"), Output(C.deaths_alt, "children"),
    Output(C.encounters, "figure"), Output(C.encounters_alt, "children"),
    Output(C.monthly, "figure"), Output(C.monthly_alt, "children"),
    Output(C.table, "children"), Output(C.unattributed, "children"),
    Output(C.enrolled, "figure"), Output(C.enrolled_alt, "children"),
    Output(C.query, "data"),
    *[Input(c, "value") for c in CONTROLS],
)
def update(cities, year, km, deaths, axis, percap, sort, order):
    return render(cities, year, km, deaths, axis, percap, sort, order, initial=dash.ctx.triggered_id is None)


clientside_callback(
    ClientsideFunction(namespace="borderstats", function_name="pushQuery"),
    Output(C.sink, "data"), Input(C.query, "data"),
)


# ---- the page and the charts that can leave it (collected by dashboard/export/registry.py) ----------------
PATH = "/compare"
QUERY_STORE = ids.Compare.query
CHARTS = (  # each with the settings its figure depends on (chart_tables() shows which each uses)
    Exportable("compare-mpp", "mpp", N_("Compare cities: reported MPP figures"),
               ("reported_figures",), embed_height=1220, settings=("cities",)),
    Exportable("compare-enrolled", "enrolled", N_("Compare cities: official MPP enrolments at the paired sector and "
               "field office (CBP)"), ("mpp_enrollments", "places"), embed_height=1300, settings=("cities",)),
    Exportable("compare-homicides", "homicides", N_("Compare cities: homicides in a year"),
               ("homicides", "population"), settings=("cities", "year", "percap")),
    Exportable("compare-monthly", "monthly", N_("Compare cities: monthly homicides, small multiples"),
               ("homicides", "population"), embed_height=760, settings=("cities", "year", "axis", "percap")),
    Exportable("compare-deaths", "deaths", N_("Compare cities: migrant deaths nearby"),
               ("migrant_deaths",), settings=("cities", "year", "km", "deaths")),
    Exportable("compare-encounters", "encounters", N_("Compare cities: Border Patrol encounters in the paired sector"),
               ("encounters",), settings=("cities", "year")),
)
