"""One export: a built chart to the bytes of one format (used by the HTTP routes and the CLI)."""
from __future__ import annotations

from . import frames, render
from .options import Size
from .registry import Built


def export_bytes(built: Built, fmt: str, size: Size, *, renderer: render.Renderer | None = None,
                 base_url: str = "") -> bytes:
    if fmt == "csv":
        return frames.to_csv(built, base_url=base_url).encode("utf-8")
    figure = render.for_export(built.figure, size, link=base_url.rstrip("/") + built.view_path)
    return (renderer or render.shared()).render(figure, fmt, size)


def filename(built: Built, fmt: str) -> str:
    """'compare-mpp.png': chart names come from the registry only, never from user text."""
    return f"{built.chart.name}.{fmt}"
