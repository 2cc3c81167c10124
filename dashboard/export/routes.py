"""HTTP: /export/<chart>.<png|svg|pdf|csv|json>?<the page's query>&size=&zoom=  and  /embed/<chart>?<query>.
(json: the CSV's sidecar, what the numbers are and where they come from.)

Every parameter is checked: chart names come from the registry, formats from a list, sizes are
bounded, chart settings are parsed as the page parses them. Anything wrong is a 400 with a
message, never a 500. Nothing is read from or written to a path made from the request.
"""
from __future__ import annotations

import html
import json
import logging
from pathlib import Path
from urllib.parse import parse_qsl

from flask import Response, g, request

from dashboard import NAME, build, httpcache, i18n, publicurl, sharemeta
from dashboard.i18n import _
from dashboard.publicurl import base_url as public_url

from . import options, pin, pool, registry, render, service, store

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"embed.js": "text/javascript", "embed.css": "text/css", "resize.js": "text/javascript"}
EMBED_KEYS = ("height",)
JSON_TYPE = "application/json"
EMBED_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
             "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'")


FAILED_RETRY = 10  # seconds: a browser that crashed or timed out is started again for the next image
UNAVAILABLE_RETRY = 3600  # no Chromium on this server: asking again soon will not help


def _unavailable(message: str, retry_after: int) -> Response:
    """A 503 that says when to ask again (every 503 of an export does), and is never kept by a cache."""
    resp = _text(503, message)
    resp.headers["Retry-After"] = str(retry_after)
    g.retry_after = retry_after  # kept over the rate limiter's own header handling (ratelimit.py)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _text(status: int, message: str) -> Response:
    resp = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Language"] = i18n.lang()
    return resp


def _bad(e) -> Response:
    return _text(400, _("Bad request: {error}").format(error=e))


def _not_found(e) -> Response:
    return _text(404, _("Not found: {error}").format(error=e))


def _chart_query(skip: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k not in skip}


def media_type(fmt: str) -> str:
    """The Content-Type of a format, text with its charset once ('text/csv; charset=utf-8')."""
    ctype = JSON_TYPE if fmt == "json" else options.MEDIA_TYPES[fmt]
    if ctype.startswith("text/") and "charset=" not in ctype:
        ctype += "; charset=utf-8"
    return ctype


def _release_etag(route: str, name: str, args: list[tuple[str, str]] | None = None) -> str | None:
    """The ETag of this route, chart and request (`args`, else the request's own) over the current release
    (None when none is published)."""
    from dashboard import data_access

    data = data_access.current()
    if data is None:
        return None
    # the release id, not its path: machines behind one load balancer serving the same release agree
    return httpcache.etag(route, data.id, build.token(), name, httpcache.request_args() if args is None else args,
                         publicurl.base_url())


def _snapped_size():
    """The request's size and zoom, snapped to the listed sizes (options.snap), and the request's parameters with
    the snapped size in their place: 1201x675 and 1200x675 are one image, one cache entry and one ETag."""
    size = options.snap(options.parse_size(request.args.get("size"), request.args.get("zoom")))
    args = [(k, v) for k, v in httpcache.request_args() if k not in options.EXPORT_KEYS]
    return size, sorted(args + [("size", f"{size.width}x{size.height}"), ("zoom", str(size.scale))])


def export(name: str) -> Response:
    try:
        size, args = _snapped_size()
    except registry.BadRequest as e:
        return _bad(e)
    tag = _release_etag("export", name, args)
    unchanged = httpcache.not_modified(tag) if tag else None
    if unchanged is not None:  # the same release and request: nothing to build or render
        return unchanged
    chart_name, dot, fmt = name.rpartition(".")
    try:
        if not dot:
            raise registry.BadRequest(_("add a format to the chart name: {address}").format(
                address=f"/export/<chart>.<{'|'.join((*options.FORMATS, 'json'))}>"))
        fmt = "json" if fmt == "json" else options.parse_formats(fmt)[0]  # json: the CSV's sidecar
    except registry.BadRequest as e:
        return _bad(e)
    image = fmt in options.IMAGE_FORMATS
    cache = store.current()
    # the same request over the same release answered before: its bytes, without building the chart again (the
    # tag names the release, chart, format, every parameter after snapping and the public URL; only a request
    # that was answered 200 is ever kept under it)
    ready = cache.get(_ready_key(tag)) if tag else None
    if ready is not None:
        return _export_response(ready, chart_name, fmt, tag, data_id(), size if image else None)
    try:
        query = _chart_query(options.EXPORT_KEYS + ("download",))
        built = registry.build(chart_name, query, strict=True)
    except registry.BadRequest as e:
        return _bad(e)
    except LookupError as e:
        return _not_found(e)
    base = publicurl.base_url()  # links in images, CSV sidecars: the public address, never the request's Host
    key = store.key(built.release, built.chart.name, built.query, fmt, str(size) if image else "", base)
    body = cache.get(key)
    if body is None:
        try:
            if image:  # at most a few images drawn at once per worker; past the queue, 503 at once
                body = pool.shared().run(key, lambda: service.export_bytes(built, fmt, size, base_url=base))
            else:
                body = service.export_bytes(built, fmt, size, base_url=base)
        except pool.Busy as e:
            resp = _text(503, _("The image renderer is busy ({reason}); try again in {seconds} s").format(
                reason=e, seconds=e.retry_after))
            resp.headers["Retry-After"] = str(e.retry_after)
            g.retry_after = e.retry_after  # kept over the rate limiter's own Retry-After (ratelimit.py)
            resp.headers["Cache-Control"] = "no-store"
            return resp
        except render.RendererUnavailable as e:
            return _unavailable(_("Image export is not available on this server: {reason}").format(reason=e),
                                UNAVAILABLE_RETRY)
        except Exception as e:  # a browser that crashed or timed out: say so, try again later
            log.exception("export %s.%s failed", built.chart.name, fmt)
            return _unavailable(_("Could not render {file} ({error}); try again").format(
                file=f"{built.chart.name}.{fmt}", error=type(e).__name__), FAILED_RETRY)
        cache.put(key, body)
    if tag and built.release == data_id():  # not while a new release switched in under this request
        cache.put(_ready_key(tag), body)
    return _export_response(body, built.chart.name, fmt, tag, built.release, size if image else None)


def _ready_key(tag: str) -> str:
    return "ready:" + tag.strip('"')


def data_id() -> str | None:
    from dashboard import data_access

    data = data_access.current()
    return data.id if data is not None else None


def _export_response(body: bytes, chart_name: str, fmt: str, tag: str | None, release: str | None,
                     size) -> Response:
    """An export's answer. `chart_name` is a registry name (a request reaches here only after the registry knew
    it, or from a key only such a request wrote); `size` is the snapped size of an image (None for the others)."""
    resp = Response(body, content_type=media_type(fmt))
    disposition = "attachment" if request.args.get("download") == "1" else "inline"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{chart_name}.{fmt}"'
    if tag:
        httpcache.tag(resp, tag)
    resp.headers["Cache-Control"] = httpcache.SHORT
    resp.headers["X-Release"] = release or ""
    if size is not None:
        resp.headers["X-Export-Size"] = str(size)  # the size drawn, after snapping
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if fmt == "svg":
        resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return resp


def embed_page(built: registry.Built, *, height: int | None, base_url: str, pinned: dict | None = None) -> str:
    """The chart alone: title, subtitle, notes and source as HTML text (escaped; it wraps on a phone),
    the plot responsive, and a link back to the full view."""
    fig = built.figure  # the build's own copy: changed here, used once
    meta = built.meta
    layout = fig.setdefault("layout", {})
    layout.pop("title", None)
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != "footer"]
    margin = layout.setdefault("margin", {})
    top, bottom = int(margin.get("t", 80)), int(margin.get("b", 60))
    margin.update(t=16, b=min(bottom, 60))
    layout.pop("width", None)
    layout["autosize"] = True
    if height:
        layout["height"] = height
    elif layout.get("height"):  # the title and the footer are HTML here: the figure keeps only the plot's height
        layout["height"] = max(200, int(layout["height"]) - (top - 16) - (bottom - margin["b"]))
    data_json = json.dumps(fig, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026")
    esc = html.escape
    link = base_url.rstrip("/") + built.view_path
    if pinned is None:
        preview = sharemeta.tags(sharemeta.chart_meta(
            built, url=f"{base_url.rstrip('/')}/embed/{built.chart.name}{built.query}"))
        back = esc(_("{site}: open the full view").format(site=_(NAME)))
        as_of = ""
    else:  # a pinned snapshot: its own files, the release it shows, and the live view
        here = f"{base_url.rstrip('/')}/pinned/{pinned['hash']}/"
        png = f"{built.chart.name}.png"
        preview = sharemeta.tags({**sharemeta.chart_meta(built, url=here),
                                  "image": here + png if png in pinned.get("files", []) else ""})
        back = esc(_("{site}: open the live view (today’s data)").format(site=_(NAME)))
        as_of = '<p class="data-line">{}</p>'.format(esc(_(
            "Data as of release {release}: a pinned snapshot, its numbers never change.").format(
                release=str(pinned.get("release") or ""))))
    notes = "".join(f"<p>{esc(n)}</p>" for n in meta.get("notes", []) if n)
    key = meta.get("key") or []
    if key:  # the numbered marks of the chart, explained (charts.common.finish)
        notes += '<ul class="key">' + "".join(f"<li>{esc(item)}</li>" for item in key) + "</ul>"
    notices = "".join("<p>{}</p>".format(esc(_("Setting ignored: {notice}").format(notice=n)))
                      for n in built.notices)
    data_line = f'<p class="data-line">{esc(meta["data_line"])}</p>' if meta.get("data_line") else ""
    return f"""<!DOCTYPE html>
<html lang="{esc(i18n.lang())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(meta.get('title') or _(built.chart.label))} · {esc(_(NAME))}</title>
{preview}
<link rel="stylesheet" href="/embed-static/embed.css">
</head>
<body>
<main class="embed" data-chart="{esc(built.chart.name)}">
<h1 id="embed-title">{esc(meta.get('title') or _(built.chart.label))}</h1>
<p class="subtitle">{esc(meta.get('subtitle', ''))}</p>
<div id="chart" role="figure" aria-labelledby="embed-title" aria-describedby="chart-alt"></div>
<p id="chart-alt" class="sr-only">{esc(built.alt)}</p>
<footer>
{notes}<p>{esc(meta.get('source') or '')}</p>{data_line}{as_of}{notices}
<p><a href="{esc(link)}" target="_blank" rel="noopener">{back}</a></p>
</footer>
</main>
<script id="figure" type="application/json">{data_json}</script>
<script src="/assets/vendor/plotly-borderstats.min.js"></script>
<script src="/assets/app.js"></script>
<script src="/embed-static/embed.js"></script>
</body>
</html>
"""


def embed(name: str) -> Response:
    tag = _release_etag("embed", name)
    unchanged = httpcache.not_modified(tag) if tag else None
    if unchanged is not None:
        return unchanged
    try:
        raw_height = request.args.get("height")
        height = None
        if raw_height is not None:
            if not raw_height.isdigit() or not 200 <= int(raw_height) <= 2000:
                raise registry.BadRequest(_("height: a whole number of pixels from 200 to 2000"))
            height = int(raw_height)
        ready = store.current().get(_ready_key(tag)) if tag else None
        if ready is None:
            built = registry.build(name, _chart_query(EMBED_KEYS), strict=False)
    except registry.BadRequest as e:
        return _bad(e)
    except LookupError as e:
        return _not_found(e)
    if ready is None:
        # absolute addresses (the link back, the share preview) from the configured public URL, never the Host
        ready = embed_page(built, height=height, base_url=public_url()).encode("utf-8")
        if tag and built.release == data_id():
            store.current().put(_ready_key(tag), ready)
    resp = Response(ready, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = EMBED_CSP
    resp.headers["Content-Language"] = i18n.lang()
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if tag:
        httpcache.tag(resp, tag)
    resp.headers["Cache-Control"] = httpcache.SHORT
    return resp


def pinned(digest: str, name: str = "") -> Response:
    """/pinned/<hash>/ (the snapshot as an embed page) and /pinned/<hash>/<file>: read-only, immutable. The page
    around the snapshot is in ?lang's language, else in the snapshot's own (the lang= of its query: a chart
    pinned with `borderstats export --lang es --pin` opens in Spanish)."""
    from dashboard import data_access

    found = pin.read(data_access.data_dir(), digest, name or "figure.json")
    if found is None:
        return _not_found(_("no pinned snapshot here"))
    if name or i18n.valid(request.args.get(i18n.PARAM)):
        return _pinned(digest, name, found)
    query = dict(parse_qsl(str(found[1].get("query") or "").lstrip("?")))
    with i18n.using(i18n.valid(query.get(i18n.PARAM)) or i18n.DEFAULT):
        return _pinned(digest, name, found)


def _pinned(digest: str, name: str, found) -> Response:
    # content-addressed: never changes (the page around it is in one language: its own tag)
    tag = httpcache.etag("pinned", digest, name, publicurl.base_url(), "" if name else i18n.lang())
    unchanged = httpcache.not_modified(tag, httpcache.IMMUTABLE)
    if unchanged is not None:
        return unchanged
    body, meta = found
    if name:
        fmt = name.rpartition(".")[2]
        resp = Response(body, mimetype=pin.MEDIA[fmt])
        if fmt == "svg":
            resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    else:
        chart = registry.CHARTS.get(meta.get("chart", ""))
        if chart is None:
            return _not_found(_("the pinned chart is no longer declared"))
        built = registry.Built(chart, json.loads(body), str(meta.get("alt") or ""), str(meta.get("query") or ""),
                               [], meta.get("release"))
        resp = Response(embed_page(built, height=None, base_url=public_url(), pinned=meta), mimetype="text/html")
        resp.headers["Content-Security-Policy"] = EMBED_CSP
    httpcache.tag(resp, tag, httpcache.IMMUTABLE)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["X-Release"] = str(meta.get("release") or "")
    return resp


def static_file(name: str) -> Response:
    if name not in STATIC_FILES:  # a fixed list: no path from the request reaches the disk
        return _text(404, _("Not found"))
    resp = Response((STATIC / name).read_bytes(), mimetype=STATIC_FILES[name])
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def register(server) -> None:
    """Add /export, /embed and the embed's static files to the Flask server (idempotent)."""
    if "borderstats_export" in server.view_functions:
        return
    server.add_url_rule("/export/<path:name>", "borderstats_export", export)
    server.add_url_rule("/embed/<path:name>", "borderstats_embed", embed)
    server.add_url_rule("/embed-static/<path:name>", "borderstats_embed_static", static_file)
    server.add_url_rule("/pinned/<digest>/", "borderstats_pinned", pinned)
    server.add_url_rule("/pinned/<digest>/<name>", "borderstats_pinned_file", pinned)
