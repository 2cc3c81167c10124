"""One export: a built chart to the bytes of one format (used by the HTTP routes and the CLI).

Formats: the images (png, svg, pdf), csv (the tidy numbers) and json (the CSV's sidecar: title, notes,
source, links, release). Every absolute link uses the public base URL (dashboard.publicurl) unless
`base_url` is given.
"""
from __future__ import annotations

from dashboard import publicurl

from . import frames, render
from .options import Size
from .registry import Built


def export_bytes(built: Built, fmt: str, size: Size, *, renderer: render.Renderer | None = None,
                 base_url: str = "") -> bytes:
    base = (base_url or publicurl.base_url()).rstrip("/")
    if fmt == "csv":
        return frames.to_csv(built, base_url=base).encode("utf-8")
    if fmt == "json":
        return frames.to_json(built, base_url=base).encode("utf-8")
    figure = render.for_export(built.figure, size, link=publicurl.absolute(built.view_path, base))
    return (renderer or render.shared()).render(figure, fmt, size)


def filename(built: Built, fmt: str) -> str:
    """'compare-mpp.png' (and 'compare-mpp.json' for the CSV's sidecar): chart names come from the registry only,
    never from user text."""
    return f"{built.chart.name}.{fmt}"
