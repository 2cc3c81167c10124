"""Map: the 13 Mexican border cities by a chosen metric, and migrant death incidents as points."""
import dash
from dash import dcc, html

from dashboard import components, data_access, ids, urlstate
from dashboard.aggregates import map as agg
from dashboard.views import map as cb
from dashboard.i18n import N_, _
from dashboard.datasets import CONAPO_POPULATION, INEGI_HOMICIDES, IOM_SOURCE, PCOME_SOURCE, REPORTED_FIGURES

PAGE = N_("Map")
dash.register_page(__name__, path=cb.PATH, name=PAGE, title=components.page_title(PAGE), order=3)

NEEDED = (INEGI_HOMICIDES, CONAPO_POPULATION, IOM_SOURCE, PCOME_SOURCE, REPORTED_FIGURES)
INTRO = N_("The Mexican border cities, each sized and coloured by the measure you choose, with the places where "
         "migrants died or went missing. Hover over a city for all its figures and their sources; click a "
         "city (or use the table below the map) to open it in Compare cities.")


def topojson_url() -> str:
    try:
        return dash.get_asset_url("geo/")
    except Exception:  # outside a request (tests): the default asset path
        return "/assets/geo/"


def layout(**query):
    ps = cb.params()
    parsed = cb.state_from_query(query)
    state = parsed.state
    data = data_access.current()
    if data is None:
        return components.page(_(PAGE), _(INTRO), notices_=parsed.notices, needed=NEEDED)
    years = cb.year_options(data.key)
    year_opts = [{"label": str(y), "value": y} for y in years]
    controls = html.Div([
        components.labelled(_("Size and colour cities by"), dcc.Dropdown(
            id=ids.Map.metric, options=[{"label": _(v), "value": k} for k, v in agg.METRICS.items()],
            value=state["metric"], clearable=False), html_for=ids.Map.metric),
        components.labelled(_("Migrant deaths layer"), dcc.RadioItems(
            id=ids.Map.layer, options=[{"label": _(v), "value": k} for k, v in agg.LAYERS.items()],
            value=state["layer"], inputClassName="radio", labelStyle={"display": "block"}), html_for=ids.Map.layer),
        components.labelled(_("Deaths from (year)"), dcc.Dropdown(
            id=ids.Map.from_, options=year_opts, value=state["from"], placeholder=_("first year"),
            clearable=True), html_for=ids.Map.from_),
        components.labelled(_("Deaths to (year)"), dcc.Dropdown(
            id=ids.Map.to, options=year_opts + [{"label": _("Latest year (follows the data)"), "value": urlstate.LATEST}],
            value=state["to"], placeholder=_("last year in the data"),
            clearable=True), html_for=ids.Map.to),
    ], className="controls")
    graph = components.chart(ids.Map.graph, ids.Map.alt, config={"topojsonURL": topojson_url(), "scrollZoom": False},
                             export="map", graph_class="graph map-graph")
    return components.page(
        _(PAGE), _(INTRO),
        components.settings(controls),
        graph,
        html.P(_("IOM's incidents and the Pima County medical examiner's records overlap (IOM counts many of the "
                 "same deaths in Arizona), so the map shows one of them at a time and never adds them. Deaths "
                 "“within 50 km” are incidents whose nearest border city is that city, at most 50 km away."),
               className="intro"),
        html.Div(id=ids.Map.table, className="table-wrap"),
        dcc.Location(id=ids.Map.nav, refresh="callback-nav"),
        *components.url_sync(ids.Map.query, ids.Map.sink, urlstate.to_query(state, ps)),
        notices_=parsed.notices, needed=NEEDED,
    )
