"""Benchmark: batch export of every chart (PNG + SVG + CSV) over a release built from the real files.

    .venv/bin/python benchmarks/export.py [--real ../shared/data/real] [--data-dir DIR] [--rounds 3]

Prints the renderer's start-up time, then per chart and format the time of each export once the
renderer is warm (median over --rounds), and the mean per image. Target on the 2-core build
machine: under 0.5 s per image after the renderer is warm.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import data_access  # noqa: E402
from dashboard.export import options, registry, render, service  # noqa: E402
from benchmarks._release import parser, release_dir  # noqa: E402


def main() -> None:
    ap = parser(__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = release_dir(args, Path(tmp))
        data_access.configure(data_dir)
        size = options.parse_size(None)
        t0 = time.perf_counter()
        renderer = render.Renderer()
        warm = registry.build("encounters", {})
        service.export_bytes(warm, "png", size, renderer=renderer)  # starts Chromium and loads plotly.js
        print(f"renderer start-up (Chromium + plotly.js + first image): {time.perf_counter() - t0:.2f} s")
        print(f"{'chart':<22} {'build ms':>9} {'png s':>7} {'svg s':>7} {'csv ms':>7} {'png KB':>8} {'svg KB':>8}")
        images, total_start = [], time.perf_counter()
        try:
            for name in registry.CHARTS:
                times = {"build": [], "png": [], "svg": [], "csv": []}
                sizes = {}
                for _ in range(args.rounds):
                    t = time.perf_counter()
                    built = registry.build(name, {})
                    times["build"].append(time.perf_counter() - t)
                    for fmt in ("png", "svg", "csv"):
                        t = time.perf_counter()
                        data = service.export_bytes(built, fmt, size, renderer=renderer)
                        times[fmt].append(time.perf_counter() - t)
                        sizes[fmt] = len(data)
                med = {k: statistics.median(v) for k, v in times.items()}
                images += times["png"] + times["svg"]
                print(f"{name:<22} {med['build'] * 1000:>9.1f} {med['png']:>7.2f} {med['svg']:>7.2f} "
                      f"{med['csv'] * 1000:>7.1f} {sizes['png'] / 1024:>8.0f} {sizes['svg'] / 1024:>8.0f}")
        finally:
            renderer.close()
        wall = time.perf_counter() - total_start
        print(f"\n{len(images)} images: mean {statistics.mean(images):.3f} s, median {statistics.median(images):.3f} s, "
              f"max {max(images):.3f} s per image (warm); {len(registry.CHARTS)} charts x 3 formats x "
              f"{args.rounds} rounds in {wall:.1f} s")


if __name__ == "__main__":
    main()
