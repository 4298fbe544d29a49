"""Time the map: first render of the Yuxi sample with results, and a big-scene redraw.

The map is drawn in a metric projection; labels, graticule and scale are redone
once at the end of a pan or zoom (``MapCanvas.settle``), so a pan redraw does
not place labels: both are timed.

Run offscreen::

    QT_QPA_PLATFORM=offscreen python bench/gui_render.py [--no-solve]

Targets: first render < 1 s; redraw of 10,000 demand points + 2,000 flow lines < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point, box

from wufei_gis.editing import ProjectModel
from wufei_gis.project import Project
from wufei_gis.results import RunResult
from wufei_gis.samples import load_sample
from wufei_gis.scenario import Scenario

CRS = "EPSG:4326"


def synthetic_scene(n_points: int = 10_000, n_flows: int = 2_000, seed: int = 0):
    """A project with ``n_points`` demand points (as candidates) and ``n_flows`` result lines."""
    rng = np.random.default_rng(seed)
    side = 10
    cells = [
        box(100 + i * 0.3, 24 + j * 0.3, 100.3 + i * 0.3, 24.3 + j * 0.3)
        for i in range(side)
        for j in range(side)
    ]
    ids = [f"{100000 + k}" for k in range(len(cells))]
    counties = gpd.GeoDataFrame(
        {"county_id": ids, "name_zh": [f"县{k}" for k in range(len(ids))], "name_en": ids},
        geometry=cells,
        crs=CRS,
    )
    xy = rng.uniform([100, 24], [103, 27], size=(n_points, 2))
    cands = gpd.GeoDataFrame(
        {
            "candidate_id": [f"C{k}" for k in range(n_points)],
            "type": "transfer_station",
            "capacity_tpd": 150.0,
            "fixed_cost_yuan_yr": 1.2e6,
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "facility_id": ["F1", "F2"],
            "name_zh": ["厂1", "厂2"],
            "type": ["landfill", "incinerator"],
            "status": ["operating", "planned"],
            "capacity_tpd": [500.0, 800.0],
            "county_id": [ids[0], ids[-1]],
        },
        geometry=[Point(100.1, 24.1), Point(102.9, 26.9)],
        crs=CRS,
    )
    gen = pd.DataFrame({"county_id": ids, "year": 2020, "generation_tpd": 50.0})
    project = Project.from_frames(
        counties, fac, gen, candidates=cands, scenarios=[Scenario("bench")], name="bench"
    )
    site_xy = rng.uniform([100, 24], [103, 27], (50, 2))
    # like an allocation: each flow runs from a demand point to its nearest site
    a = xy[rng.choice(n_points, n_flows, replace=False)]
    b = site_xy[np.argmin(((a[:, None, :] - site_xy[None]) ** 2).sum(-1), axis=1)]
    flows = gpd.GeoDataFrame(
        {
            "from_id": "a",
            "to_id": "b",
            "tonnes_per_day": rng.uniform(1, 200, n_flows),
            "distance_km": 10.0,
            "cost": 1.0,
            "stage": rng.choice(["collection", "transfer"], n_flows),
        },
        geometry=[LineString([p, (p + q) / 2 + 0.05, q]) for p, q in zip(a, b, strict=True)],
        crs=CRS,
    )
    sites = gpd.GeoDataFrame(
        {
            "site_id": [f"S{k}" for k in range(50)],
            "type": "transfer_station",
            "capacity_tpd": rng.uniform(100, 800, 50),
            "throughput_tpd": 100.0,
            "utilization": 0.5,
            "is_new": rng.random(50) < 0.5,
        },
        geometry=gpd.points_from_xy(site_xy[:, 0], site_xy[:, 1]),
        crs=CRS,
    )
    gaps = gpd.GeoDataFrame(
        {
            "county_id": ids,
            "name_zh": ids,
            "name_en": ids,
            "generation_tpd": 50.0,
            "served_tpd": 40.0,
            "unserved_tpd": 10.0,
        },
        geometry=cells,
        crs=CRS,
    )
    summary = pd.DataFrame(
        [
            {
                "scenario": "bench",
                "status": "Optimal",
                "objective": 1.0,
                "transport_cost": 1.0,
                "fixed_cost": 1.0,
                "unserved_tpd": 0.0,
                "solver": "highs",
                "mip_gap": 0.0,
                "runtime_s": 0.0,
            }
        ]
    )
    return project, RunResult("bench", sites, flows, gaps, summary)


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--no-solve",
        action="store_true",
        help="render Yuxi without solving (if the solver is unavailable)",
    )
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from PyQt6.QtWidgets import QApplication

    from wufei_gis.ui.fonts import setup_cjk_font
    from wufei_gis.ui.map_canvas import MapCanvas

    app = QApplication.instance() or QApplication(sys.argv[:1])
    setup_cjk_font()

    # 1. Yuxi with results: canvas construction + first full draw
    model = ProjectModel(load_sample("yuxi"))
    solve_ms = None
    if not args.no_solve:
        from wufei_gis.optimization.planning import solve_scenario

        t0 = time.perf_counter()
        model.set_result(solve_scenario(model.project, "plan-2025"))
        solve_ms = _ms(t0)
    t0 = time.perf_counter()
    canvas = MapCanvas(model)
    canvas.resize(1100, 750)
    if model.results:
        canvas.show_result("plan-2025")
    canvas.draw()
    first = _ms(t0)
    canvas.set_style("facilities", label_field="name_zh")  # the busiest labelling
    settles, pans = [], []
    for k in range(args.repeat):
        x0, x1 = canvas.ax.get_xlim()
        step = 0.002 * (x1 - x0) * (1 if k % 2 else -1)
        canvas.ax.set_xlim(x0 + step, x1 + step)  # a pan step: redraw only
        t0 = time.perf_counter()
        canvas.draw()
        pans.append(_ms(t0))
        t0 = time.perf_counter()
        canvas.settle()  # the pan ended: labels, graticule, then one redraw
        canvas.draw()
        settles.append(_ms(t0))

    # 2. big scene: 10,000 points + 2,000 flow lines
    project, result = synthetic_scene()
    big = ProjectModel(project)
    t0 = time.perf_counter()
    bc = MapCanvas(big)
    bc.resize(1100, 750)
    big.set_result(result)
    bc.draw()
    big_first = _ms(t0)
    redraws, rebuilds = [], []
    for k in range(args.repeat):
        x0, x1 = bc.ax.get_xlim()
        step = 0.001 * (x1 - x0) * (k + 1)
        bc.ax.set_xlim(x0 + step, x1 + step)  # a pan step
        t0 = time.perf_counter()
        bc.draw()
        redraws.append(_ms(t0))
        t0 = time.perf_counter()
        bc.refresh_all()  # rebuild every collection from the frames, then draw
        bc.draw()
        rebuilds.append(_ms(t0))
    print(
        f"Yuxi solve (plan-2025):                      "
        f"{'skipped' if solve_ms is None else f'{solve_ms:8.0f} ms'}"
    )
    print(f"Yuxi first render with results:               {first:8.0f} ms  (target < 1000)")
    print(f"Yuxi redraw (pan), median:                    {statistics.median(pans):8.0f} ms")
    print(
        f"Yuxi end of pan (place labels + redraw), median:"
        f"{statistics.median(settles):6.0f} ms  (target < 300)"
    )
    print(f"10k points + 2k flows, first render:          {big_first:8.0f} ms")
    print(
        f"10k points + 2k flows, redraw (pan), median:  {statistics.median(redraws):8.0f} ms"
        f"  (target < 300)"
    )
    print(f"10k points + 2k flows, rebuild + redraw:      {statistics.median(rebuilds):8.0f} ms")
    del app
    return 0 if first < 1000 and statistics.median(redraws) < 300 else 1


if __name__ == "__main__":
    raise SystemExit(main())
