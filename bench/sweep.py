"""Scenario sweep on Dask: serial vs a LocalCluster of 2 worker processes.

Solves the same runs of the Yuxi sample (``plan-2025`` over
``incineration_share_min`` × ``circuity_factor`` × ``generation_growth_rate``,
8 runs by default) one after another in this process, then with
:func:`wufei_gis.optimization.sweep.run_sweep` on a LocalCluster of
``--workers`` processes (one HiGHS thread each), and prints the wall times,
the speed-up (goal ≥ 1.8× on 2 workers), whether the objectives agree, and the
overhead per task (a round trip of an empty task through the scheduler).

Usage::

    python bench/sweep.py [--workers 2] [--runs 8]
"""

from __future__ import annotations

import argparse
import os
import time

from wufei_gis.optimization.sweep import SweepOptions, _run_inputs, run_sweep, solve_run
from wufei_gis.samples import load_sample
from wufei_gis.sweep_design import design_runs, parse_vary


def synthetic_project(side: int = 16, seed: int = 0):
    """A synthetic province: ``side``² square counties (12 km), 1 transfer candidate per
    county, 12 plants (6 landfills in service, 6 incinerator candidates) — runs of seconds,
    not the Yuxi sample's tenths of a second, so the sweep's parallel speed-up shows."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    from shapely.geometry import Point, box

    from wufei_gis.project import Project

    rng = np.random.default_rng(seed)
    step = 0.11  # degrees, about 12 km at 25°N
    cells = [(i, j) for i in range(side) for j in range(side)]
    ids = [f"C{i:02d}{j:02d}" for i, j in cells]
    geom = [
        box(100 + i * step, 24 + j * step, 100 + (i + 1) * step, 24 + (j + 1) * step)
        for i, j in cells
    ]
    base = {"source": "synthetic", "note": "bench only"}
    counties = gpd.GeoDataFrame(
        {"county_id": ids, "name_zh": ids, "name_en": ids, "population": np.nan, **base},
        geometry=[g.buffer(0) for g in geom],
        crs="EPSG:4326",
    )
    centre = [g.centroid for g in geom]
    generation = pd.DataFrame(
        {
            "county_id": ids,
            "year": 2025,
            "generation_tpd": rng.lognormal(np.log(12), 0.5, len(ids)),
            **base,
        }
    )
    span = side * step
    plants = []
    for k in range(12):
        x, y = 100 + rng.uniform(0, span), 24 + rng.uniform(0, span)
        inc = k % 2 == 0
        plants.append(
            {
                "facility_id": f"P{k:02d}",
                "name_zh": f"P{k:02d}",
                "name_en": f"P{k:02d}",
                "type": "incinerator" if inc else "landfill",
                "status": "planned" if inc else "operating",
                "capacity_tpd": 900.0 if inc else 500.0,
                "county_id": ids[0],
                "location_precision": "exact",
                **base,
                "geometry": Point(x, y),
            }
        )
    fac = gpd.GeoDataFrame(plants, geometry="geometry", crs="EPSG:4326")
    fac["county_id"] = [ids[int(np.argmin([c.distance(g) for c in centre]))] for g in fac.geometry]
    cand = gpd.GeoDataFrame(
        {
            "candidate_id": [f"T{c}" for c in ids],
            "name_zh": ids,
            "type": "transfer_station",
            "capacity_tpd": 450.0,
            "fixed_cost_yuan_yr": 2.8e6,
            "size_class": "",
            "county_id": ids,
            "note": "synthetic",
        },
        geometry=[Point(c.x + 0.02, c.y + 0.02) for c in centre],
        crs="EPSG:4326",
    )
    from wufei_gis.scenario import Scenario

    sc = Scenario(
        name="synthetic",
        target_year=2025,
        in_service_statuses=["operating", "planned"],
        max_direct_haul_km=25.0,
        incineration_share_min=0.6,
        mip_gap=1e-4,
        time_limit_s=120.0,
    )
    return Project(
        counties, fac, generation, candidates=cand, scenarios={"synthetic": sc}, name="synthetic"
    )


def _noop(i: int) -> int:
    return i


def overhead_per_task(workers: int, tasks: int = 200) -> float:
    """Seconds per empty task submitted and gathered through a LocalCluster."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0") as cl,
        Client(cl) as client,
    ):
        client.gather(client.map(_noop, range(10)))  # warm up
        t0 = time.perf_counter()
        client.gather(client.map(_noop, range(tasks), pure=False))
        return (time.perf_counter() - t0) / tasks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=8, choices=(4, 8, 16))
    ap.add_argument(
        "--synthetic",
        type=int,
        metavar="SIDE",
        default=0,
        help="sweep a synthetic province of SIDE x SIDE counties instead of the Yuxi sample",
    )
    args = ap.parse_args()
    project = synthetic_project(args.synthetic) if args.synthetic else load_sample("yuxi")
    name = "synthetic" if args.synthetic else "plan-2025"
    vary = [
        parse_vary("incineration_share_min=0.6,0.7"),
        parse_vary("circuity_factor=1.3,1.5"),
        parse_vary(
            "generation_growth_rate=0.01,0.03" if args.runs >= 8 else "generation_growth_rate=0.02"
        ),
    ]
    if args.runs == 16:
        vary.append(parse_vary("collection_cost_yuan_tkm=2,4"))
    runs = design_runs(vary)
    print(
        f"{len(runs)} runs of {project.name} {name}; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    base = project.scenario(name)
    t0 = time.perf_counter()
    inputs = _run_inputs(project, base, runs, 1)
    serial = [solve_run(i, r)[0] for i, r in zip(inputs, runs, strict=True)]
    t_serial = time.perf_counter() - t0
    print(f"serial            {t_serial:7.2f} s", flush=True)
    t0 = time.perf_counter()
    res = run_sweep(project, base, vary, options=SweepOptions(workers=args.workers))
    t_dask = time.perf_counter() - t0
    solve_s = float(res.runs["runtime_s"].sum())
    print(
        f"dask {args.workers} workers    {t_dask:7.2f} s (cluster start included; "
        f"sum of run times {solve_s:.2f} s)"
    )
    t_runs = t_dask - res.cluster_start_s
    print(f"  of which cluster start {res.cluster_start_s:.2f} s, runs {t_runs:.2f} s")
    print(
        f"speed-up          {t_serial / t_dask:7.2f} x with the cluster start, "
        f"{t_serial / t_runs:.2f} x without (goal >= 1.8x)"
    )
    same = all(
        abs(a["objective"] - b) <= 1e-9 * abs(b)
        for a, b in zip(serial, res.runs["objective"], strict=True)
    )
    print(f"objectives equal to the serial runs: {same}")
    print(f"overhead per task {1000 * overhead_per_task(args.workers):7.2f} ms")


if __name__ == "__main__":
    main()
