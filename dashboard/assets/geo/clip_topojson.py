"""Make north-america_50m.json (served to Plotly's geo maps) from plotly.js's Natural Earth topojson.

Not part of the app: run once by hand when the outlines need rebuilding (see README.md here).

    python clip_topojson.py <plotly.js 3.0.1>/dist/topojson/north-america_50m.json north-america_50m.json

It keeps the objects the border map draws (land, countries, subunits, coastlines, rivers), clips
them to a box around the U.S.–Mexico border, and writes plain (unquantized) topojson with
coordinates rounded to 0.01°, well under the 50m source's own precision for this use.
"""
from __future__ import annotations

import json
import sys

BOX = (-126.0, 14.0, -84.0, 40.0)  # lon min, lat min, lon max, lat max: wider than the map ever shows
KEEP = ("land", "countries", "subunits", "coastlines", "rivers")


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def line_of(arcs: list, refs: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in refs:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg if not pts else seg[1:])
    return pts


def clip_ring(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against BOX (keeps the ring's winding)."""
    x0, y0, x1, y1 = BOX
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)),
             (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)),
             (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    pts = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for inside, cut in edges:
        if not pts:
            break
        out = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        pts = out
    if len(pts) < 3:
        return []
    return pts + [pts[0]]


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def clip_line(line: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Runs of the line inside BOX, each with one point beyond the box at either end."""
    x0, y0, x1, y1 = BOX
    inside = [x0 <= x <= x1 and y0 <= y <= y1 for x, y in line]
    runs, cur = [], []
    for i, p in enumerate(line):
        if inside[i] or (i + 1 < len(line) and inside[i + 1]) or (i > 0 and inside[i - 1]):
            cur.append(p)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


def rnd(pts):
    out = []
    for x, y in pts:
        p = [round(x, 2), round(y, 2)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def main(src: str, dst: str) -> None:
    topo = json.load(open(src))
    arcs = decode_arcs(topo)
    new_arcs: list = []
    objects = {}
    for name in KEEP:
        geoms = []
        for g in topo["objects"][name]["geometries"]:
            kind = g.get("type")
            if kind in ("Polygon", "MultiPolygon"):
                polys = [g["arcs"]] if kind == "Polygon" else g["arcs"]
                out_polys = []
                for poly in polys:
                    rings = [rnd(clip_ring(line_of(arcs, ring))) for ring in poly]
                    if not rings or len(rings[0]) < 4:
                        continue
                    refs = []
                    for ring in rings:
                        if len(ring) >= 4:
                            new_arcs.append(ring)
                            refs.append([len(new_arcs) - 1])
                    out_polys.append(refs)
                if out_polys:
                    geoms.append({**{k: v for k, v in g.items() if k not in ("arcs", "type")},
                                  "type": "MultiPolygon", "arcs": out_polys})
            elif kind in ("LineString", "MultiLineString"):
                lines = [g["arcs"]] if kind == "LineString" else g["arcs"]
                refs = []
                for line in lines:
                    for run in clip_line(line_of(arcs, line)):
                        run = rnd(run)
                        if len(run) >= 2:
                            new_arcs.append(run)
                            refs.append([len(new_arcs) - 1])
                if refs:
                    geoms.append({**{k: v for k, v in g.items() if k not in ("arcs", "type")},
                                  "type": "MultiLineString", "arcs": refs})
        objects[name] = {"type": "GeometryCollection", "geometries": geoms}
    out = {"type": "Topology", "bbox": list(BOX), "objects": objects, "arcs": new_arcs}
    with open(dst, "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
