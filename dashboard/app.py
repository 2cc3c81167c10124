"""App factory. Until the dashboard issue lands this is a status page over the current release."""
from __future__ import annotations

from dash import Dash, html

from etl.pipeline import status


def create_app(base=None) -> Dash:
    app = Dash(__name__, title="Border migration statistics", serve_locally=True)
    app.layout = lambda: _layout(base)
    return app


def _layout(base):
    from etl.config import data_dir

    st = status(data_dir(base))
    rel = st["release"]
    rows = [
        {"source": sid, "status": s["status"], "rows": s["rows"], "retrieved_at": s["retrieved_at"] or "",
         "error": s["error"] or ""}
        for sid, s in st["sources"].items()
    ]
    missing = [r["source"] for r in rows if r["status"] in ("missing", "failed")]
    return html.Main([
        html.H1("U.S.–Mexico border migration statistics"),
        html.P("The dashboard is being built. This page shows what data is loaded."),
        html.P(f"Current release: {rel['id']} (published {rel['published_at']})" if rel
               else "No release yet."),
        html.P(f"Sources without data: {', '.join(missing)}. Fetch them with: borderstats refresh"
               if missing else "All sources are loaded."),
        _table(rows, ("source", "status", "rows", "retrieved_at", "error")),
    ], style={"fontFamily": "system-ui, sans-serif", "maxWidth": "60rem", "margin": "2rem auto"})


def _table(rows: list[dict], columns: tuple[str, ...]) -> html.Table:
    """A plain table; cell text is set as text, never as HTML."""
    return html.Table([
        html.Thead(html.Tr([html.Th(c) for c in columns])),
        html.Tbody([html.Tr([html.Td(str(r[c])) for c in columns]) for r in rows]),
    ])
