"""The Dash app: a shell (navigation, page container) around Dash Pages in dashboard/pages/."""
from __future__ import annotations

import functools
import html as _html
import threading
from pathlib import Path

import dash
from dash import Dash, html
from flask import Response, jsonify, redirect, request

from . import NAME, data_access, i18n, ids, publicurl, sharemeta
from .i18n import _

HERE = Path(__file__).resolve().parent


def create_app(data_dir=None, *, bootstrap: bool = True, fetch: bool | None = None, mirror=None) -> Dash:
    """The app over the data directory's current release. With `bootstrap` and no release yet, publish one from
    the bundled reference data first; then, while no release holds a publisher's data (a first start), refresh
    every source in the background (`fetch`, default: unless $BORDERSTATS_NO_FETCH; from the folder `mirror`,
    default $BORDERSTATS_MIRROR, instead of the network), and every page shows its progress, then its charts."""
    data_access.configure(data_dir)
    if bootstrap:
        data_access.ensure_release()
    app = BorderstatsDash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        serve_locally=True,
        title=NAME,
        update_title=None,
        suppress_callback_exceptions=True,
        include_pages_meta=False,  # Dash's own tags take addresses from the Host header: sharemeta writes them
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    one_setup_at_a_time(app.server)
    app.index_string = INDEX
    app.renderer = i18n.RENDERER  # every callback body says the page's language
    app.layout = shell
    server = app.server
    from . import api

    api.register(server)  # /api/v1/... (the data API) and /download/<table>.<csv|parquet>
    from . import feed

    feed.register(server)  # /feed.atom: each release and its change summary
    from . import first_run  # noqa: F401  (registers the first-run progress's poll)
    from .views import shell as _frame  # noqa: F401  (registers the frame's callback: words in the reader's language)
    from .export import panel as _export_panel  # noqa: F401  (registers the export panels' callbacks)
    from .export import routes as export_routes

    export_routes.register(server)
    from . import answers, callback_guard, httpcache, ratelimit, security, warmup

    security.install(app)  # body limit (413), CSP, nosniff, framing and referrer policies
    answers.install(app)  # a body or page answered 200 before in this release: the stored bytes
    # not while the first-run refresh may be drawing its progress into the pages (no publisher's data yet)
    answers.hold_while(data_access.first_run_wanted)
    callback_guard.install(app)  # every other callback body checked against its declaration: 400, never 500
    httpcache.install(app)  # fingerprinted /assets immutable, the others a short cache
    app.limiter = ratelimit.install(app)  # exports: a limit per client (429 with Retry-After)

    @server.before_request
    def unknown_path_is_a_404():
        """Dash answers every path with its page shell (200, an unstyled "404" drawn in the browser): a path
        that is no page gets a real 404, styled like the site."""
        rule = request.url_rule
        if rule is not None and rule.rule == "/<path:path>" and request.path.strip("/") not in _page_paths():
            return not_found_page()
        return None

    @server.after_request
    def vary_by_language(resp: Response) -> Response:
        """A page asked for without ?lang= is answered in the browser's language: caches must say so."""
        if i18n.page_request() and i18n.PARAM not in request.args:
            resp.vary.add("Accept-Language")
        return resp

    @server.route("/favicon.ico")
    def favicon():
        """Browsers ask for /favicon.ico on pages without an icon link (embeds): Dash's icon, not a 404."""
        return redirect("/_favicon.ico", code=301)

    @server.route("/healthz")
    def healthz():
        data = data_access.current()
        # warm: this worker has made the release's default views and exports (dashboard/warmup.py)
        resp = jsonify({"release": data.id if data else None, "warm": warmup.ready()})
        # the release in a header too: nginx asks for it before every cached answer and keys its cache by it
        # (docs/dashboard.md, production), so a new release is never answered from an old copy
        resp.headers["X-Release"] = data.id if data else ""
        resp.headers["Cache-Control"] = "no-store"
        return resp

    if bootstrap:  # once every module is imported (a thread importing beside the app's own imports can see half one)
        from . import warmup

        warmup.install(app)  # default views and exports made once per release, in the background
        data_access.warm_in_background()
        if data_access.fetch_on_start(fetch):
            data_access.start_first_run(data_access.mirror_on_start(mirror))
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
        <link rel="alternate" type="application/atom+xml" title="New releases and revised figures" href="/feed.atom">
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


class BorderstatsDash(Dash):
    """Dash, with share-preview tags (Open Graph, Twitter card) written from the public base URL."""

    def interpolate_index(self, **kwargs):
        try:
            page = _page_for(request.path)
            args = {k: v for k, v in request.args.items()}
            meta = sharemeta.page_meta(page["path"], args, page_title(page),
                                       page.get("description") or "") if page else None
        except RuntimeError:  # outside a request (never in practice)
            page = meta = None
        if page:  # the tab's title in the reader's language before the renderer sets it (the same words)
            kwargs["title"] = _html.escape(page_title(page))
        if meta is not None:
            kwargs["metas"] = sharemeta.tags(meta) + "\n" + kwargs.get("metas", "")
        # the export panels build permalinks and embed code from this, never from the address the browser used
        kwargs["metas"] = (f'<meta name="borderstats-public-url" content="{_html.escape(publicurl.base_url())}">\n'
                           + kwargs.get("metas", ""))
        page = super().interpolate_index(**kwargs)
        return page.replace('<html lang="en">', f'<html lang="{i18n.lang()}">', 1)  # from a closed list


def one_setup_at_a_time(server) -> None:
    """Dash sets itself up on a worker's first requests, in its own before-request hooks (the scripts, the pages'
    router callback), each guarded by a flag it sets before the work is done. Two first requests at once (gunicorn's
    threads under load) ran them together: one thread added the router's callback while the other iterated the
    callbacks, and a request failed with "dictionary changed size during iteration" (HTTP 500; plotly/dash#2925).
    Each of Dash's hooks now runs under one lock: the second request waits for the first one's setup to finish,
    then finds it done. The first app of a process to serve still takes the callbacks modules declared (as before)."""
    lock = threading.Lock()
    hooks = server.before_request_funcs.get(None, [])
    for i, hook in enumerate(hooks):
        if getattr(hook, "__module__", "").partition(".")[0] == "dash":
            hooks[i] = _under(lock, hook)


def _under(lock: threading.Lock, hook):
    @functools.wraps(hook)
    def locked():
        with lock:
            return hook()
    return locked


def page_title(page: dict) -> str:
    """A registered page's title in the reader's language (a page's title is a function: components.page_title)."""
    title = page.get("title")
    if callable(title):
        return title()
    return _(title or page.get("name") or NAME)


def _page_paths() -> set[str]:
    return {p["path"].strip("/") for p in dash.page_registry.values()}


def _page_for(path: str) -> dict | None:
    path = path.strip("/")
    return next((p for p in dash.page_registry.values() if p["path"].strip("/") == path), None)


def not_found_page() -> Response:
    """A page that is not there: status 404, the site's header, styles and navigation; nothing from the request."""
    pages = sorted((p for p in dash.page_registry.values() if not p.get("hidden")), key=lambda p: p.get("order", 99))
    esc = _html.escape
    from .components import site_name

    site = esc(site_name())
    # the words, outside the f-string (the catalogue's extractor does not read inside one)
    words = {k: esc(v) for k, v in {
        "title": _("Page not found"), "skip": _("Skip to content"), "pages": _("Pages"),
        "intro": _("There is no page at this address. It may have been mistyped, or the link may be out of date."),
        "home": _("Go to the overview"), "or": _(", or choose a page above."),
        "foot": _("Open data, open code. Every number names its source; see "), "and": _(" and "),
        "data": _("Data & sources"), "about": _("About & method")}.items()}
    nav = "".join(f'<a class="nav-link" href="{esc(i18n.href(p["relative_path"]))}">{esc(_(p["name"]))}</a>'
                  for p in pages)
    body = f"""<!DOCTYPE html>
<html lang="{i18n.lang()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{words["title"]} · {site}</title>
<link rel="icon" type="image/x-icon" href="/_favicon.ico">
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<a class="skip" href="#content">{words["skip"]}</a>
<header class="top"><div class="brand">{site}</div><nav aria-label="{words["pages"]}">{nav}</nav></header>
<div id="content"><main class="page">
<h1>{words["title"]}</h1>
<p class="intro">{words["intro"]}</p>
<p><a href="{esc(i18n.href("/"))}">{words["home"]}</a>{words["or"]}</p>
</main></div>
<footer class="foot">{words["foot"]}<a href="{esc(i18n.href("/data"))}">{words["data"]}</a>
{words["and"]}<a href="{esc(i18n.href("/about"))}">{words["about"]}</a>.</footer>
</body>
</html>
"""
    resp = Response(body, status=404, mimetype="text/html")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def shell():
    """The frame of every page. Its words and links are filled in the reader's language by a callback
    (dashboard/views/shell.py); until it answers, the English words stand (the page's own content waits for its
    callback too)."""
    from . import first_run
    from .views import shell as frame

    return html.Div([
        html.A("Skip to content", href="#content", className="skip", id=ids.Shell.skip),
        html.Header([
            html.Div(NAME, className="brand", id=ids.Shell.brand),
            html.Nav(frame.nav("/"), id=ids.Shell.nav, **{"aria-label": "Pages"}),
            html.Div(id=ids.Shell.lang, className="lang-switch", **{"aria-label": "Language"}, role="group"),
        ], className="top"),
        html.Div([first_run.part(), dash.page_container], id="content"),
        html.Footer(frame.footer(), className="foot", id=ids.Shell.foot),
    ])
