"""Helpers for testing Dash pages without a browser."""
from __future__ import annotations

import json

import dash


def page_layout(path: str, **query):
    """The layout a registered page gives for this URL query (as Dash Pages would call it)."""
    entry = next(p for p in dash.page_registry.values() if p["path"] == path)
    return entry["layout"](**query)


def text_of(component) -> str:
    """A component tree as JSON text, to search for what the page shows."""
    return json.dumps(component.to_plotly_json(), ensure_ascii=False,
                      default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o))
