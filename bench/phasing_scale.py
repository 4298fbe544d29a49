"""Phased (multi-period) model: solve time and gap of ``phased-2035`` and a synthetic province.

1. The Yuxi sample's ``phased-2035`` (3 periods) through ``solve_scenario``, as the CLI runs it.
2. A synthetic province over 4 periods (2025, 2028, 2031, 2035; horizon 2040): sources and
   sites uniform in 300 x 300 km, generation growing 3 %/yr, candidate stations in the
   scenario's 3 size classes, candidate incinerators, landfills in service with airspace
   for about 8 years of their capacity; built with :func:`build_phased`, solved by HiGHS.

Prints variables, rows, build and solve time, status, gap and the load average.

Usage::

    python bench/phasing_scale.py [--sources 400] [--stations 60] [--plants 16]
                                  [--time-limit 300] [--gap 0.005] [--skip-sample]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from wufei_gis.optimization.phasing import (
    PhasingOptions,
    build_phased,
    read_phased_solution,
    solve_phased_model,
)
from wufei_gis.optimization.solver import SolverOptions, problem_arrays
from wufei_gis.optimization.two_echelon import TwoEchelonData, TwoEchelonOptions

YEARS = (2025, 2028, 2031, 2035)
LENGTHS = (3.0, 3.0, 4.0, 5.0)


def province(sources: int, stations: int, plants: int, seed: int = 0) -> list[TwoEchelonData]:
    """One :class:`TwoEchelonData` per period (same sites, demand grown 3 %/yr)."""
    rng = np.random.default_rng(seed)
    src = rng.uniform(0, 300, (sources, 2))
    st = rng.uniform(0, 300, (stations, 2))
    pl = rng.uniform(0, 300, (plants, 2))
    d = rng.uniform(5, 60, sources)

    def dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return 1.3 * np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)

    is_inc = np.arange(plants) % 2 == 0
    is_open = np.arange(plants) < plants // 2
    cap = np.where(is_inc, 1200.0, 600.0)
    fixed = np.where(is_open, 0.0, np.where(is_inc, 60_000.0, 20_000.0))
    opt_cap = np.tile([150.0, 450.0, 800.0], (stations, 1))
    opt_cost = np.tile([1.2e6, 2.8e6, 4.5e6], (stations, 1)) / 365.0
    out = []
    for y in YEARS:
        out.append(
            TwoEchelonData(
                demand=d * 1.03 ** (y - YEARS[0]),
                dist_source_plant=dist(src, pl),
                plant_capacity=cap,
                plant_is_incinerator=is_inc,
                plant_is_open=is_open,
                plant_fixed_cost=fixed,
                plant_gate_cost=np.where(is_inc, 110.0, 60.0),
                dist_source_transfer=dist(src, st),
                dist_transfer_plant=dist(st, pl),
                transfer_option_capacity=opt_cap,
                transfer_option_cost=opt_cost,
                transfer_gate_cost=np.full(stations, 25.0),
            )
        )
    return out


def bench_province(args: argparse.Namespace) -> None:
    datas = province(args.sources, args.stations, args.plants)
    n = args.plants
    is_lf = ~(np.arange(n) % 2 == 0)
    air = np.where(is_lf & (np.arange(n) < n // 2), 600.0 * 365 * 8 / 0.85, np.nan)
    ph = PhasingOptions(
        years=YEARS,
        lengths=LENGTHS,
        discount_rate=0.08,
        airspace_m3=air,
        compaction_t_m3=np.where(np.isfinite(air), 0.85, np.nan),
    )
    shares = (0.5, 0.6, 0.65, 0.75)
    opts = [TwoEchelonOptions(max_direct_haul_km=20.0, incineration_share_min=s) for s in shares]
    t0 = time.perf_counter()
    model = build_phased(datas, opts, ph)
    build = time.perf_counter() - t0
    arr = problem_arrays(model.prob)
    n_bin = int(arr.integrality.sum())
    print(
        f"province {args.sources} sources x {args.stations} stations x 3 classes x "
        f"{args.plants} plants x {len(YEARS)} periods: {len(arr.variables):,} variables "
        f"({n_bin:,} binary), {arr.row_lower.size:,} rows; build {build:.1f} s"
    )
    res = solve_phased_model(
        model, SolverOptions(time_limit_s=args.time_limit, mip_gap=args.gap, threads=2)
    )
    sol = read_phased_solution(model, res)
    gap = "n/a" if res.mip_gap is None else f"{100 * res.mip_gap:.3f} %"
    opened = [int(p.transfer_open.sum() + p.plant_open.sum()) for p in sol.periods]
    print(
        f"  {res.status} in {res.runtime_s:.1f} s, gap {gap}, PV {sol.present_value:,.0f} yuan, "
        f"open sites per period {opened}, load {os.getloadavg()[0]:.1f}"
    )


def bench_sample() -> None:
    from wufei_gis.optimization.planning import solve_scenario
    from wufei_gis.samples import load_sample

    project = load_sample("yuxi")
    t0 = time.perf_counter()
    res = solve_scenario(project, "phased-2035")
    s = res.summary()
    gap = "n/a" if s["mip_gap"] is None else f"{100 * s['mip_gap']:.3f} %"
    print(
        f"yuxi phased-2035: {s['status']} in {time.perf_counter() - t0:.2f} s (solver "
        f"{s['solve_s']:.2f} s), gap {gap} (scenario mip_gap 0.5 %), PV {s['objective']:,.0f} "
        f"yuan, load {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=400)
    ap.add_argument("--stations", type=int, default=60)
    ap.add_argument("--plants", type=int, default=16)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--gap", type=float, default=0.005)
    ap.add_argument("--skip-sample", action="store_true")
    args = ap.parse_args()
    if not args.skip_sample:
        bench_sample()
    bench_province(args)


if __name__ == "__main__":
    main()
