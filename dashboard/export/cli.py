"""`borderstats export`: the dashboard's charts from the command line, for a job that refreshes a
story's graphics after each ETL refresh. Many charts in one call share one Chromium."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

from . import options, registry, render, service


def list_charts() -> str:
    lines = ["Charts (name: what it shows; page; query parameters, as in the page's URL):", ""]
    for c in registry.CHARTS.values():
        lines.append(f"{c.name}: {c.label}")
        lines.append(f"    page {c.page}; tables: {', '.join(c.tables)}")
        for p in c.params():
            allowed = p.allowed()
            shown = ""
            if allowed is not None and len(allowed) <= 12:
                shown = " one of " + ", ".join(map(str, allowed))
            elif allowed is not None:
                shown = f" ({len(allowed)} values, e.g. {', '.join(map(str, list(allowed)[:4]))})"
            default = ",".join(p.default) if isinstance(p.default, (list, tuple)) else p.default
            lines.append(f"    {p.name} [{p.kind}] {p.label}; default {default!s}{shown}")
    lines += ["", "Sizes: WIDTHxHEIGHT or a preset: " + "; ".join(f"{k} {w}x{h} ({why})"
                                                               for k, (w, h, why) in options.PRESETS.items()),
              "Formats: " + ", ".join(options.FORMATS)]
    return "\n".join(lines)


def run(*, charts: list[str], query: str, formats: str, size: str | None, scale: str | None, out: Path,
        base_url: str, quiet: bool = False) -> int:
    """Write <out>/<chart>.<format> for each chart and format. 0: all written; 1: some images could not
    be made (no Chromium), the rest written; 2: a bad chart, query, size or format (nothing written)."""
    try:
        fmts = options.parse_formats(formats)
        sz = options.parse_size(size, scale)
        q = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        built = [registry.build(name, q, strict=True) for name in charts]
    except (registry.BadRequest, LookupError) as e:  # a bad request, or nothing to draw
        print(f"borderstats export: error: {e}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    renderer = None
    status = 0
    try:
        for b in built:
            for fmt in fmts:
                if fmt in options.IMAGE_FORMATS and renderer is None:
                    try:
                        renderer = render.Renderer()
                    except render.RendererUnavailable as e:
                        print(f"borderstats export: {e}", file=sys.stderr)
                        status = 1
                        fmts = [f for f in fmts if f not in options.IMAGE_FORMATS]
                        if fmt not in fmts:
                            continue
                t0 = time.perf_counter()
                data = service.export_bytes(b, fmt, sz, renderer=renderer, base_url=base_url)
                path = out / service.filename(b, fmt)  # a registry name and a listed format: stays in `out`
                tmp = path.with_suffix(path.suffix + ".part")
                tmp.write_bytes(data)
                tmp.replace(path)
                if not quiet:
                    what = str(sz) if fmt in options.IMAGE_FORMATS else f"{len(data):,} bytes"
                    print(f"{path}  ({what}, {time.perf_counter() - t0:.2f} s)")
    finally:
        if renderer is not None:
            renderer.close()
    return status
