"""Share previews: Open Graph and Twitter card tags for pages and embeds, their image the chart's PNG export.

Every address is absolute from the configured public base URL (dashboard.publicurl), never from the request's
Host header; every value is escaped. A page with charts is previewed by its first chart, built for the
link's settings (bad values fall back to defaults, as on the page), so the image shows what the link shows.
"""
from __future__ import annotations

import html
import logging
from urllib.parse import urlencode

from dashboard import NAME
from dashboard.i18n import N_, _
from dashboard.publicurl import base_url as public_url

log = logging.getLogger(__name__)
SITE_DESCRIPTION = N_("U.S.–Mexico border migration statistics side by side: MPP returns, homicides, migrant deaths "
                    "and encounters, each number with its source, definition and qualifier.")


def chart_meta(built, *, url: str) -> dict[str, str]:
    """Tags for one built chart (dashboard.export.registry.Built): title, subtitle, its PNG at the social size."""
    meta = built.meta
    title = meta.get("title") or built.chart.label
    parts = [x.strip() for x in (meta.get("subtitle"), meta.get("source")) if x and x.strip()]
    description = " ".join(x if x.endswith((".", "!", "?", ")")) else x + "." for x in parts) or _(SITE_DESCRIPTION)
    description = description if len(description) <= 300 else description[:299] + "…"
    sep = "&" if built.query else "?"
    image = f"{public_url()}/export/{built.chart.name}.png{built.query}{sep}size=social"
    return {"title": _("{page} · {site}").format(page=title, site=_(NAME)), "description": description, "image": image, "url": url,
            "image_alt": (built.alt or title)[:400]}


def page_meta(path: str, args: dict, page_title: str, page_description: str = "") -> dict[str, str]:
    """Tags for a dashboard page: previewed by its first exportable chart when it has one; else `page_title` (the
    page's whole title, in the reader's language) and `page_description`."""
    from dashboard.export import registry

    charts = [c for c in registry.CHARTS.values() if c.page == path]
    if charts:
        try:
            built = registry.build(charts[0].name, args, strict=False)
            return chart_meta(built, url=public_url() + built.page_path)  # the page, with all its settings
        except Exception as e:  # noqa: BLE001 - a preview must never break the page
            log.info("no share preview for %s: %s", path, e)
    query = "?" + urlencode(args) if args else ""
    site = _(NAME)
    title = page_title if page_title and page_title not in (NAME, site) else site
    return {"title": title, "description": page_description or _(SITE_DESCRIPTION), "image": "", "url": public_url() + path + query}


def tags(m: dict[str, str]) -> str:
    """The <meta> tags, escaped."""
    esc = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    pairs = [("name", "description", m["description"]),
             ("property", "og:type", "website"), ("property", "og:site_name", NAME),
             ("property", "og:title", m["title"]), ("property", "og:description", m["description"]),
             ("property", "og:url", m["url"]),
             ("name", "twitter:card", "summary_large_image" if m.get("image") else "summary"),
             ("name", "twitter:title", m["title"]), ("name", "twitter:description", m["description"])]
    if m.get("image"):
        pairs += [("property", "og:image", m["image"]), ("property", "og:image:width", "1200"),
                  ("property", "og:image:height", "630"), ("property", "og:image:alt", m.get("image_alt", "")),
                  ("name", "twitter:image", m["image"]), ("name", "twitter:image:alt", m.get("image_alt", ""))]
    return "\n".join(f'<meta {k}="{esc(n)}" content="{esc(v)}">' for k, n, v in pairs)
