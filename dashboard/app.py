"""The Dash app: a shell (navigation, page container) around Dash Pages in dashboard/pages/."""
from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, dcc, html
from flask import jsonify

from . import NAME, data_access

HERE = Path(__file__).resolve().parent


def create_app(data_dir=None, *, bootstrap: bool = True) -> Dash:
    """The app over the data directory's current release. With `bootstrap` and no release yet,
    publish one from the bundled reference data first."""
    data_access.configure(data_dir)
    if bootstrap:
        data_access.ensure_release()
        data_access.warm_in_background()
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        serve_locally=True,
        title=NAME,
        update_title=None,
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX
    app.layout = shell
    server = app.server
    from . import api

    api.register(server)  # /api/v1/... (the data API) and /download/<table>.<csv|parquet>
    from .export import panel as _export_panel  # noqa: F401  (registers the export panels' callbacks)
    from .export import routes as export_routes

    export_routes.register(server)

    @server.route("/healthz")
    def healthz():
        data = data_access.current()
        return jsonify({"release": data.id if data else None})

    return app


# plotly.js comes from assets/vendor/plotly-borderstats.min.js, a partial bundle with only the trace
# types the charts use (1.4 MB, ~170 ms to evaluate here, against 4.8 MB and ~870 ms for the full
# bundle Dash would fetch). It is an ordinary asset script, so window.Plotly exists before the
# renderer starts and dcc.Graph never asks for the full bundle. The graph and dropdown chunks are
# fetched only once a callback answers; preloading them lets the download overlap the callbacks.
PRELOAD = "".join(
    f'<link rel="preload" as="script" href="/_dash-component-suites/{path}">'
    for path in ("dash/dcc/async-graph.js", "dash/dcc/async-dropdown.js")
)
INDEX = f"""<!DOCTYPE html>
<html lang="en">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {PRELOAD}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {{%scripts%}}
            {{%renderer%}}
        </footer>
    </body>
</html>"""


def shell():
    pages = [p for p in dash.page_registry.values() if not p.get("hidden")]
    pages.sort(key=lambda p: p.get("order", 99))
    return html.Div([
        html.A("Skip to content", href="#content", className="skip"),
        html.Header([
            html.Div(NAME, className="brand"),
            html.Nav([dcc.Link(p["name"], href=p["relative_path"], className="nav-link") for p in pages],
                     **{"aria-label": "Pages"}),
        ], className="top"),
        html.Div(dash.page_container, id="content"),
        html.Footer([
            "Open data, open code. Every number names its source; see ",
            dcc.Link("Data & sources", href="/data"), " and ", dcc.Link("About & method", href="/about"), ".",
        ], className="foot"),
    ])
