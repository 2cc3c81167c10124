"""Export formats and sizes: presets, bounds, and the parsing of what a user or a link asks for."""
from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.i18n import _


class BadRequest(ValueError):
    """A chart name, format, size or query value that cannot be used: the message says which."""


IMAGE_FORMATS = ("png", "svg", "pdf")
FORMATS = (*IMAGE_FORMATS, "csv")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
PRESETS = {  # name: (width, height, what it is for)
    "default": (1200, 675, "16:9, an article's inline image"),
    "social": (1200, 630, "a social media card (Open Graph)"),
    "square": (1080, 1080, "a square post"),
    "print": (2400, 1350, "print: 20 cm wide at 300 dpi"),
}
MIN_SIDE, MAX_SIDE = 300, 4000
MAX_PIXELS = 24_000_000  # width × height × scale², about 96 MB of RGBA: bounds the renderer's memory
SCALES = (1, 2, 3)
# query parameters of the export itself, not of the chart; the pixel density is "zoom" (1-3), never "scale",
# which is a chart setting (the Encounters page's scale=log)
EXPORT_KEYS = ("size", "zoom")


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    scale: int = 1

    def __str__(self) -> str:
        return f"{self.width}x{self.height}" + (f"@{self.scale}x" if self.scale != 1 else "")


def parse_size(size: str | None, scale: str | int | None = None) -> Size:
    """'1200x675', a preset name ('social', 'square', 'print', 'default') or None; scale 1, 2 or 3."""
    text = (size or "default").strip().lower()
    if text in PRESETS:
        width, height, _why = PRESETS[text]
    else:
        m = re.fullmatch(r"(\d{1,5})x(\d{1,5})", text)
        if not m:
            raise BadRequest(_("size “{size}” is neither WIDTHxHEIGHT (e.g. 1200x675) nor a preset ({presets})")
                             .format(size=text[:24], presets=", ".join(PRESETS)))
        width, height = int(m.group(1)), int(m.group(2))
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise BadRequest(_("size {size}: each side must be {low} to {high} pixels").format(
            size=f"{width}x{height}", low=MIN_SIDE, high=MAX_SIDE))
    s = str(scale if scale is not None else 1).strip()
    if s not in {str(x) for x in SCALES}:
        raise BadRequest(_("zoom (pixel density; --scale on the command line) “{zoom}”: one of {allowed}").format(
            zoom=s[:8], allowed=", ".join(map(str, SCALES))))
    out = Size(width, height, int(s))
    if width * height * out.scale ** 2 > MAX_PIXELS:
        raise BadRequest(_("size {size}: at most {pixels} pixels in all").format(
            size=out, pixels=f"{MAX_PIXELS:,}"))
    return out


def parse_formats(text: str | None) -> list[str]:
    items = [f.strip().lower() for f in ("png" if text is None else text).split(",") if f.strip()]
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise BadRequest(_("format “{format}”: one of {allowed}").format(format=(bad or [""])[0][:12],
                                                                         allowed=", ".join(FORMATS)))
    return list(dict.fromkeys(items))


# Web exports snap to a short list of sizes, so that a one-pixel change cannot bypass the cache and make the
# renderer draw another image (the CLI, run by the operator, keeps the exact size asked for). A width snaps to
# the nearest listed width; the height to the listed aspect ratio nearest the one asked for; the pixel density
# stays 1, 2 or 3. 8 widths × 6 ratios × 3 densities: at most 144 images per chart view.
WIDTHS = (600, 800, 1080, 1200, 1600, 2000, 2400, 3200)
RATIOS = ((16, 9), (40, 21), (1, 1), (4, 3), (3, 2), (4, 5))  # 40:21 is 1200x630, the social card


def snap(size: Size) -> Size:
    """The listed size nearest `size` (the presets are listed sizes); within MAX_PIXELS, smaller if need be."""
    import math

    width = min(WIDTHS, key=lambda w: (abs(w - size.width), w))
    ratio = min(RATIOS, key=lambda r: abs(math.log(size.width / size.height) - math.log(r[0] / r[1])))
    widths = [w for w in WIDTHS if w <= width]
    for w in reversed(widths):
        out = Size(w, round(w * ratio[1] / ratio[0]), size.scale)
        if out.width * out.height * out.scale ** 2 <= MAX_PIXELS:
            return out
    return Size(WIDTHS[0], round(WIDTHS[0] * ratio[1] / ratio[0]), size.scale)


def allowed_sizes() -> str:
    """The listed sizes, for the documentation and error messages."""
    return (f"widths {', '.join(map(str, WIDTHS))}; aspect ratios "
            f"{', '.join(f'{w}:{h}' for w, h in RATIOS)}; zoom {', '.join(map(str, SCALES))}")
