"""`borderstats export`: the dashboard's charts from the command line, for a job that refreshes a
story's graphics after each ETL refresh. Many charts in one call share one Chromium."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

from dashboard import publicurl

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


def run(*, charts: list[str] | None = None, query: str = "", jobs: list[tuple[str, str]] | None = None,
        formats: str, size: str | None, scale: str | None, out: Path, base_url: str = "",
        quiet: bool = False) -> int:
    """Write <out>/<chart>.<format> for each chart and format (with csv, also <chart>.json, the CSV's sidecar).
    `jobs`: (chart, query) pairs, each chart with its own query; or `charts` sharing one `query`.
    Links in images and sidecars use `base_url`, else BORDERSTATS_PUBLIC_URL (dashboard.publicurl).
    0: all written; 1: some images could not be made (no Chromium), the rest written; 2: a bad chart, query,
    size or format (nothing written); the message names the chart that refused a setting."""
    jobs = list(jobs) if jobs is not None else [(name, query) for name in charts or []]
    base = (base_url or publicurl.base_url()).rstrip("/")
    try:
        fmts = options.parse_formats(formats)
        sz = options.parse_size(size, scale)
        built = []
        for name, q in jobs:
            try:
                built.append(registry.build(name, dict(parse_qsl(q.lstrip("?"), keep_blank_values=True)),
                                            strict=True))
            except registry.BadRequest as e:
                if name not in registry.CHARTS:
                    raise
                raise registry.BadRequest(f"chart {name} refused the query “{q[:120]}”: {e}") from e
    except (registry.BadRequest, LookupError) as e:  # a bad request, or nothing to draw
        print(f"borderstats export: error: {e}", file=sys.stderr)
        return 2
    if "csv" in fmts:
        fmts = [f for f in fmts] + ["json"]  # the CSV's sidecar: title, notes, source, links, release
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
                data = service.export_bytes(b, fmt, sz, renderer=renderer, base_url=base)
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


def pair_queries(plan: list[tuple[str, str]], everything: list[str] | None = None) -> list[tuple[str, str]]:
    """(chart, query) pairs from the --chart and --query options in the order given.

    No --query or a single one: every chart gets it (the same view for all). Several: each --query is for the
    chart(s) of the --chart just before it, and a --chart without its own --query gets none (its defaults).
    `everything` (--all): every chart, with at most one --query."""
    def names(text: str) -> list[str]:
        return [n.strip() for n in text.split(",") if n.strip()]

    queries = [v for kind, v in plan if kind == "query"]
    if everything is not None:
        if len(queries) > 1:
            raise registry.BadRequest("--all takes one --query at most (it applies to every chart)")
        return [(n, queries[0] if queries else "") for n in everything]
    if len(queries) <= 1:
        q = queries[0] if queries else ""
        return [(n, q) for kind, v in plan if kind == "chart" for n in names(v)]
    jobs: list[tuple[str, str]] = []
    pending: list[str] | None = None
    for kind, v in plan:
        if kind == "chart":
            jobs += [(n, "") for n in pending or []]
            pending = names(v)
        elif pending is None:
            raise registry.BadRequest(f"--query “{v[:60]}” comes before any --chart: give each --query after the "
                                      f"--chart it is for")
        else:
            jobs += [(n, v) for n in pending]
            pending = []
    return jobs + [(n, "") for n in pending or []]
