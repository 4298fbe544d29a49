"""Time the basemaps on the Yuxi sample (UTM 48N) and save a picture of the terrain.

Run::

    python bench/basemap.py [--png yuxi_terrain.png] [--source terrain] [--pixels 1200]

Prints the draw time of each step (no network is used for ``terrain``; an online source is
timed as it is, cache included).  Target: terrain under 1.5 s for a 1200-pixel map image.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from wufei_gis.basemap import BasemapOptions, draw_basemap
from wufei_gis.fonts import setup_cjk_font
from wufei_gis.samples import load_sample

UTM48 = "EPSG:32648"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--png", type=Path, default=None, help="save the map here")
    ap.add_argument("--source", default="terrain")
    ap.add_argument("--pixels", type=int, default=1200)
    args = ap.parse_args()
    setup_cjk_font()
    counties = load_sample("yuxi").counties.to_crs(UTM48)
    x0, y0, x1, y1 = counties.total_bounds
    pad = 0.04 * max(x1 - x0, y1 - y0)
    bounds = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    fig = Figure(figsize=(8, 7), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    counties.plot(ax=ax, facecolor="none", edgecolor="#333333", linewidth=0.8, zorder=2)
    for _, row in counties.iterrows():
        p = row.geometry.representative_point()
        ax.annotate(row["name_zh"], (p.x, p.y), ha="center", fontsize=9, zorder=3)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal")
    with tempfile.TemporaryDirectory() as tmp:
        opts = BasemapOptions(max_pixels=args.pixels, cache_dir=Path(tmp), lang="en")
        t0 = time.perf_counter()
        res = draw_basemap(ax, crs=UTM48, bounds=bounds, source=args.source, options=opts)
        t1 = time.perf_counter()
    ax.text(0.01, 0.01, res.attribution, transform=ax.transAxes, fontsize=7, zorder=4)
    print(f"{args.source}: drawn={res.drawn} in {t1 - t0:.2f} s; note={res.note!r}")
    t2 = time.perf_counter()
    fig.canvas.draw()
    print(f"canvas render: {time.perf_counter() - t2:.2f} s")
    if args.png is not None:
        fig.savefig(args.png)
        print(f"saved {args.png}")


if __name__ == "__main__":
    main()
