"""Violence page callbacks: INEGI homicides and SESNSP victims, never as one series."""
from __future__ import annotations


import pandas as pd
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback

from dashboard.exportable import Exportable
from dashboard import cache, data_access, i18n, ids, tidy, urlstate
from dashboard.i18n import N_, _
from dashboard.aggregates import revised
from dashboard.aggregates import violence as agg
from dashboard.charts import common
from dashboard.charts import violence as charts
from dashboard.datasets import CONAPO_POPULATION, CONAPO_PROJECTIONS, INEGI_HOMICIDES, SESNSP_VICTIMS

# option labels, marked for the catalogue: translate where shown (_(label), or options())
LEVELS = {"municipality": N_("Border municipalities"), "state": N_("States")}
MEASURES = {"rate": N_("Per 100,000 residents"), "count": N_("Counts")}
FREQS = {"year": N_("Annual"), "month": N_("Monthly")}
SEXES = {"all": N_("All"), "Hombre": N_("Men"), "Mujer": N_("Women"), "No identificado": N_("Not identified")}
DEFAULT_SUBTYPE = "Homicidio doloso"
FALLBACK_SUBTYPES = ["Homicidio doloso", "Homicidio culposo", "Feminicidio", "Lesiones dolosas", "Secuestro",
                     "Extorsión"]
DEFINITIONS = N_("INEGI counts deaths registered as homicides (death certificates); SESNSP counts victims in "
                 "investigations opened by state prosecutors. Different definitions: never one series.")
def options(labels: dict) -> list[dict]:
    """A control's options from one of the dicts above, in the reader's language."""
    return [{"label": _(label), "value": value} for value, label in labels.items()]


def subtype_options() -> list[dict]:
    """The crime subtype control's options: SESNSP's names as published, with the English label beside them on
    English pages (aggregates.violence.subtype_label; the value is always the published name)."""
    return [{"label": agg.subtype_label(s), "value": s} for s in subtype_choices()]


def subtype_choices() -> list[str]:
    data = data_access.current()
    if data is None:
        return FALLBACK_SUBTYPES
    found = agg.subtypes(_victims(data.key))
    return found or FALLBACK_SUBTYPES


def valid_places(level: str) -> tuple[str, ...]:
    """The border cities (west to east, from the places table) or the states."""
    return agg.valid_places(level, data_access.border_cities())


def default_places(level: str) -> list[str]:
    """The MPP receiving cities (from the places table) or the border states."""
    return agg.default_places(level, data_access.mpp_cities())


def last_month() -> str | None:
    """The last month of the page's data (INEGI homicides, SESNSP victims): what an open end shows now."""
    data = data_access.current()
    if data is None:
        return None
    ends = [t["month"].max() for t in (_homicide_base(data.key), _victims(data.key))
            if not t.empty and "month" in t and t["month"].notna().any()]
    return max(ends).strftime("%Y-%m") if ends else None


def place_choices() -> list[str]:
    return list(valid_places("municipality")) + list(valid_places("state"))


def params() -> list[urlstate.Param]:
    return [
        urlstate.Param("level", "choice", "municipality", choices=list(LEVELS), label=N_("Level")),
        urlstate.Param("places", "multi", default_places("municipality"), choices=place_choices,
                       min_items=1, max_items=8, label=N_("Places"), pin=True),
        urlstate.Param("measure", "choice", "rate", choices=list(MEASURES), label=N_("Measure")),
        urlstate.Param("from", "month", "2015-01", label=N_("From")),
        urlstate.Param("to", "month", None, label=N_("To"), pin=True, latest=True, resolve=lambda s: last_month()),
        urlstate.Param("freq", "choice", "year", choices=list(FREQS), label=N_("Monthly or annual")),
        urlstate.Param("subtype", "choice", DEFAULT_SUBTYPE, choices=subtype_choices, label=N_("Crime subtype (SESNSP)")),
        urlstate.Param("sex", "choice", "all", choices=list(SEXES), label=N_("Sex of victims (SESNSP)")),
    ]


def fit_places(state: dict) -> tuple[dict, str | None]:
    """Places that belong to the level (cities for municipalities, states for states), else the default."""
    level = state["level"]
    allowed = set(valid_places(level))
    kept = [p for p in state["places"] if p in allowed]
    if kept:
        return {**state, "places": kept}, None
    if state["places"] == default_places("municipality") and level == "state":
        return {**state, "places": default_places("state")}, None
    notice = _("Places: none of them is a municipality; showing the default") if level == "municipality" else \
        _("Places: none of them is a state; showing the default")
    return {**state, "places": default_places(level)}, notice


def state_from_query(query: dict) -> urlstate.Parsed:
    """The page's state for a link's query (what the page and its exports show), with notices."""
    parsed = urlstate.parse(query, params(), ranges=[("from", "to")])
    state, notice = fit_places(parsed.state)
    return urlstate.Parsed(state, parsed.notices + ([notice] if notice else []))


def place_options(level: str) -> list[dict]:
    data = data_access.current()
    return [{"label": data.short_name(p) if data else p, "value": p} for p in valid_places(level)]


@data_access.per_release(maxsize=1)
def _victims(release_id: str) -> pd.DataFrame:
    data = data_access.held(release_id)
    return agg.prepare_victims(_marked(data, "crime_victims", "victims", data.table("crime_victims")))


@data_access.per_release(maxsize=1)
def _homicide_base(release_id: str) -> pd.DataFrame:
    """The homicide rows this page can show: border municipalities (municipal file) and the state file."""
    data = data_access.held(release_id)
    h = data.table("homicides")
    if h.empty:
        return h
    keep = ((h["dataset"] == agg.MUNI_DATASET) & h["place_id"].isin(list(data.border_cities()))) | \
        (h["dataset"] == agg.STATE_DATASET)
    return _marked(data, "homicides", "count", h[keep]).reset_index(drop=True)


def _marked(data, table: str, column: str, rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` of the release's table with what their values were first published as, when any of that table's
    values was revised (aggregates.revised); as they are otherwise."""
    marks = data_access.revised_rows(data, table, column)
    return rows if marks.empty else revised.attach(rows, marks, column)


@data_access.per_release(maxsize=32)
def _homicides(release_id: str, level: str, places: tuple) -> pd.DataFrame:
    return agg.homicide_counts(_homicide_base(release_id), level, places)


@data_access.per_release(maxsize=32)
def _population(release_id: str, level: str, places: tuple) -> pd.DataFrame:
    data = data_access.held(release_id)
    return agg.place_population(_marked(data, "population", "population", data.table("population")), level, places)


@data_access.on_warm
def _warm(data) -> None:
    """A new release's victims and homicide rows, prepared before it is served."""
    _victims(data.key)
    _homicide_base(data.key)


def view(state: dict) -> dict:
    """The three figures and their text alternatives for a state."""
    data = data_access.current()
    if data is None:
        fig = common.empty(_("Violence"), "", _("no data has been published yet"))
        return {"figures": [fig, fig, fig], "alts": [_("No data has been published yet.")] * 3}
    end = None if state["to"] == urlstate.LATEST else state["to"]  # follows the data: an open end
    return _view(data.key, state["level"], tuple(state["places"]), state["measure"], state["from"], end,
                 state["freq"], state["subtype"], state["sex"])


def chart_views(state: dict) -> dict[str, tuple]:
    """{chart key: (figure, text alternative)} for a parsed state: what the page draws, for its exports."""
    out = view(clean(state, params()))
    return dict(zip(("homicides", "victims", "subtypes"), zip(out["figures"], out["alts"])))


def chart_tables(state: dict, only: str | None = None) -> dict[str, pd.DataFrame]:
    """{chart key: tidy rows of the plotted values (dashboard.tidy)} for a parsed state, as chart_views draws them
    (only: that chart's rows alone)."""
    state = clean(state, params())
    data = data_access.current()
    if data is None:
        return {}
    release_id, level, places, measure, freq = data.key, state["level"], tuple(state["places"]), state["measure"], \
        state["freq"]
    start, end = agg.month_ts(state["from"]), agg.month_ts(state["to"])
    rate, per = _words(measure, freq)
    conapo = [data.source_pair(CONAPO_POPULATION)] if rate else []

    def period(t) -> dict:
        return tidy.year(pd.Timestamp(t).year) if freq == "year" else tidy.month(t)

    def value(v):
        return None if tidy.missing(v) else round(float(v), 2)  # as plotted

    out = {}
    if only in (None, "homicides"):
        hom, _x = agg.series(_homicides(release_id, level, places), _population(release_id, level, places),
                            measure=measure, freq=freq, start=start, end=end)
        dataset = agg.MUNI_DATASET if level == "municipality" else agg.STATE_DATASET
        out["homicides"] = tidy.frame({
            "place_id": r["place_id"], "place": data.short_name(r["place_id"]), **period(r["period"]),
            "measure": "homicide_rate" if rate else "homicides", "value": value(r["value"]),
            "unit": _("homicides per 100,000 residents") if rate else _("homicides"), "qualifier": "exact",
            "definition": _("deaths registered as homicides by INEGI (death certificates), {per}").format(per=per),
            "dataset": dataset + (f"; {CONAPO_PROJECTIONS}" if rate else ""),
            "source": tidy.sources([data.source_pair(INEGI_HOMICIDES)] + conapo),
            "note": _("no CONAPO population for the year") if tidy.missing(r["value"]) else "",
            **tidy.revised(r.get("first_published"), r.get("revised_in"), 2),
        } for r in hom.to_dict("records"))
    states = _states(level, places)
    spop = _population(release_id, "state", tuple(states))
    subtype, sex = state["subtype"], state["sex"]
    sex_text = "" if sex == "all" else "; " + _("victims' sex: {sex}").format(sex=_(SEXES[sex]).lower())
    sesnsp = tidy.sources([data.source_pair(SESNSP_VICTIMS)] + conapo)
    sesnsp_dataset = "; ".join(d for d, e in data.datasets("crime_victims").items()
                               if e.get("source_id") in (None, SESNSP_VICTIMS)) or SESNSP_VICTIMS
    if only in (None, "victims"):
        vic, _x = agg.series(agg.victim_counts(_victims(release_id), states, subtype, sex), spop, measure=measure,
                            freq=freq, start=start, end=end)
        out["victims"] = tidy.frame({
            "place_id": r["place_id"], "place": data.place_name(r["place_id"]), **period(r["period"]),
            "measure": "victims_rate" if rate else "victims", "value": value(r["value"]),
            "unit": _("victims per 100,000 residents") if rate else _("victims"), "qualifier": "exact",
            "category": subtype,
            "definition": _("victims in investigations opened by state prosecutors (SESNSP), {per}").format(per=per)
            + sex_text,
            "dataset": sesnsp_dataset + (f"; {CONAPO_PROJECTIONS}" if rate else ""), "source": sesnsp,
            "note": _("no CONAPO population for the year") if tidy.missing(r["value"]) else "",
            **tidy.revised(r.get("first_published"), r.get("revised_in"), 2),
        } for r in vic.to_dict("records"))
    if only in (None, "subtypes"):
        victims_all = _victims(release_id)
        bars = agg.by_subtype(victims_all, spop, states, sex, measure=measure, start=start, end=end)
        span = {}
        if not victims_all.empty:
            lo, hi = victims_all["month"].min(), victims_all["month"].max()
            lo, hi = max(lo, start) if start is not None else lo, min(hi, end) if end is not None else hi
            span = tidy.months(lo, hi) if lo <= hi else {}
        out["subtypes"] = tidy.frame({
            "place_id": r["place_id"], "place": data.place_name(r["place_id"]), **span,
            "measure": "victims_rate" if rate else "victims", "value": value(r["value"]),
            "unit": _("victims per 100,000 residents (mean of the years' populations)") if rate else _("victims"),
            "qualifier": "exact", "category": r["subtype"],
            "definition": _("victims in investigations opened by state prosecutors (SESNSP) over the period")
            + sex_text,
            "dataset": sesnsp_dataset + (f"; {CONAPO_PROJECTIONS}" if rate else ""), "source": sesnsp,
            "note": _("no CONAPO population for the period") if tidy.missing(r["value"]) else "",
            **tidy.revised(r.get("first_published"), r.get("revised_in"), 2),
        } for r in bars.to_dict("records"))
    return out


def _view(release_id, level, places, measure, start_text, end_text, freq, subtype, sex) -> dict:
    """Each chart is cached on what it depends on (and, by cache.answer, on the language), so changing one control
    rebuilds only its charts."""
    hom_fig, hom_alt = _homicides_chart(release_id, level, places, measure, start_text, end_text, freq)
    vic_fig, vic_alt = _victims_chart(release_id, level, places, measure, start_text, end_text, freq, subtype, sex)
    bars_fig, bars_alt = _subtypes_chart(release_id, level, places, measure, start_text, end_text, sex)
    return {"figures": [hom_fig, vic_fig, bars_fig], "alts": [hom_alt, vic_alt, bars_alt]}


def _words(measure: str, freq: str | None) -> tuple[bool, str]:
    rate = measure == "rate"
    if rate:
        return rate, _("per 100,000 residents, per month") if freq == "month" else \
            _("per 100,000 residents, per year")
    return rate, _("per month") if freq == "month" else _("per year")


def _states(level: str, places: tuple) -> list[str]:
    return list(places) if level == "state" else agg.states_of(places)


BY_STATE_ONLY = N_("SESNSP publishes these victim counts by state only: shown for the states of the chosen cities.")


def _sesnsp_sources(data, rate: bool) -> str:
    return data.source_line([SESNSP_VICTIMS] + ([CONAPO_POPULATION] if rate else []))


@cache.answer
def _homicides_chart(release_id, level, places, measure, start_text, end_text, freq):
    """INEGI homicides by place."""
    data = data_access.held(release_id)
    start, end = agg.month_ts(start_text), agg.month_ts(end_text)
    names = {p: data.short_name(p) for p in places}
    rate, per = _words(measure, freq)
    pop_note = (_("state population = the sum of its municipalities' CONAPO mid-year population that year")
                if level == "state" else _("CONAPO mid-year population"))
    counts = _homicides(release_id, level, places)
    population = _population(release_id, level, places)
    hom, notes = agg.series(counts, population, measure=measure, freq=freq, start=start, end=end)
    if level == "municipality":
        title = _("Homicides in the border municipalities, per 100,000 residents") if rate else \
            _("Homicides in the border municipalities")
    else:
        title = _("Homicides in the states, per 100,000 residents") if rate else _("Homicides in the states")
    subtitle = _("Deaths registered as homicides by INEGI (death certificates), {per}").format(per=per) \
        + (f"; {pop_note}" if rate else "")
    colours = data.colours() if level == "municipality" else None  # states keep the palette
    fig = charts.trend(hom, names, title=title, subtitle=subtitle,
                       source=data.source_line([INEGI_HOMICIDES] + ([CONAPO_POPULATION] if rate else [])),
                       y_title=_("homicides per 100,000") if rate else _("homicides"), notes=notes,
                       colours=colours, reason=_("no INEGI homicides for these places in the chosen range"))
    return fig, charts.alt_trend(hom, names, _("INEGI homicides {per}").format(per=per), agg.period_text(hom, freq),
                                 freq)


@cache.answer
def _victims_chart(release_id, level, places, measure, start_text, end_text, freq, subtype, sex):
    """SESNSP victims of one subtype, by state."""
    data = data_access.held(release_id)
    start, end = agg.month_ts(start_text), agg.month_ts(end_text)
    rate, per = _words(measure, freq)
    states = _states(level, places)
    snames = {p: data.place_name(p) for p in states}
    vcounts = agg.victim_counts(_victims(release_id), states, subtype, sex)
    spop = _population(release_id, "state", tuple(states))
    vic, vnotes = agg.series(vcounts, spop, measure=measure, freq=freq, start=start, end=end)
    sex_text = "" if sex == "all" else f", {_(SEXES[sex]).lower()}"
    vnotes = ([_(BY_STATE_ONLY)] if level == "municipality" else []) + list(vnotes) + [_(DEFINITIONS)]
    vtitle = _("Victims of {subtype} reported to prosecutors (SESNSP), by state").format(
        subtype=agg.subtype_label(subtype).lower())
    vsub = (_("Victims in SESNSP investigations{sex}, {per}").format(sex=sex_text, per=per)
            + ("; " + _("state population = the sum of its municipalities' CONAPO population that year")
               if rate else ""))
    fig = charts.trend(vic, snames, title=vtitle, subtitle=vsub, source=_sesnsp_sources(data, rate),
                       y_title=_("victims per 100,000") if rate else _("victims"), notes=vnotes,
                       reason=_("no SESNSP victims for these states in the chosen range"))
    alt = charts.alt_trend(vic, snames, _("SESNSP victims of {subtype}{sex} {per}").format(
        subtype=agg.subtype_label(subtype).lower(), sex=sex_text, per=per), agg.period_text(vic, freq), freq)
    return fig, alt


@cache.answer
def _subtypes_chart(release_id, level, places, measure, start_text, end_text, sex):
    """SESNSP victims by subtype over the period, by state."""
    data = data_access.held(release_id)
    start, end = agg.month_ts(start_text), agg.month_ts(end_text)
    rate = measure == "rate"
    states = _states(level, places)
    snames = {p: data.place_name(p) for p in states}
    victims = _victims(release_id)
    spop = _population(release_id, "state", tuple(states))
    bars = agg.by_subtype(victims, spop, states, sex, measure=measure, start=start, end=end)
    span = ""
    if not victims.empty:
        lo, hi = victims["month"].min(), victims["month"].max()
        lo, hi = max(lo, start) if start is not None else lo, min(hi, end) if end is not None else hi
        span = f"{i18n.month_abbr(lo)}–{i18n.month_abbr(hi)}" if lo <= hi else ""
    sex_text = "" if sex == "all" else f", {_(SEXES[sex]).lower()}"
    bsub = (_("Victims in SESNSP investigations{sex}, {span}, per 100,000 residents (mean of the years' populations)")
            if rate else _("Victims in SESNSP investigations{sex}, {span}, total")).format(sex=sex_text, span=span)
    fig = charts.subtype_bars(bars, snames, title=_("Victims by crime subtype (SESNSP), by state"), subtitle=bsub,
                              source=_sesnsp_sources(data, rate),
                              x_title=_("victims per 100,000") if rate else _("victims"),
                              notes=[_(DEFINITIONS)] + ([_(BY_STATE_ONLY)] if level == "municipality" else []))
    return fig, charts.alt_bars(bars, snames, _("SESNSP victims by crime subtype{sex}").format(sex=sex_text), span)


def clean(state: dict, ps: list[urlstate.Param]) -> dict:
    """Re-check what the controls sent (a callback can be called with anything)."""
    out = {}
    for p in ps:
        v = state.get(p.name, p.default)
        if v is None or v == p.default:
            out[p.name] = p.default
            continue
        raw = ",".join(v) if p.kind == "multi" and isinstance(v, (list, tuple)) else str(v)
        value, notice = urlstate.parse_value(p, raw)
        out[p.name] = value if notice is None or p.kind == "multi" else p.default
    if out["from"] and out["to"] and out["to"] != urlstate.LATEST and out["from"] > out["to"]:
        out["from"], out["to"] = out["to"], out["from"]
    out, _x = fit_places(out)
    return out


INPUTS = [ids.Violence.level, ids.Violence.places, ids.Violence.measure, ids.Violence.from_, ids.Violence.to,
          ids.Violence.freq, ids.Violence.subtype, ids.Violence.sex]


@callback(
    Output(ids.Violence.homicides, "figure"), Output(ids.Violence.homicides_alt, "children"),
    Output(ids.Violence.victims, "figure"), Output(ids.Violence.victims_alt, "children"),
    Output(ids.Violence.subtypes, "figure"), Output(ids.Violence.subtypes_alt, "children"),
    Output(ids.Violence.query, "data"),
    *[Input(i, "value") for i in INPUTS],
)
def update(level, places, measure, start, end, freq, subtype, sex):
    ps = params()
    state = clean(urlstate.state_from_controls(ps, [level, places, measure, start, end, freq, subtype, sex]), ps)
    out = view(state)
    (f1, f2, f3), (a1, a2, a3) = out["figures"], out["alts"]
    return f1, a1, f2, a2, f3, a3, {"q": urlstate.to_query(state, ps), "initial": False}


@callback(
    Output(ids.Violence.places, "options"), Output(ids.Violence.places, "value"),
    Input(ids.Violence.level, "value"), State(ids.Violence.places, "value"),
    prevent_initial_call=True,
)
def level_changed(level, places):
    level = level if level in LEVELS else "municipality"
    allowed = set(valid_places(level))
    kept = [p for p in (places or []) if p in allowed]
    return place_options(level), kept or default_places(level)


clientside_callback(ClientsideFunction(namespace="borderstats", function_name="pushQuery"),
                    Output(ids.Violence.sink, "data"), Input(ids.Violence.query, "data"))


# ---- the page and the charts that can leave it (collected by dashboard/export/registry.py) ----------------
PATH = "/violence"
QUERY_STORE = ids.Violence.query
CHARTS = (
    Exportable("violence-homicides", "homicides", N_("Violence: INEGI homicides"),
               ("homicides", "population")),
    Exportable("violence-victims", "victims", N_("Violence: SESNSP victims of one crime subtype"),
               ("crime_victims", "population")),
    Exportable("violence-subtypes", "subtypes", N_("Violence: SESNSP victims by crime subtype"),
               ("crime_victims", "population"), embed_height=700),
)
