"""Does the default strategy of ``solve_cflp`` choose well?  Default vs every explicit setting.

For each instance family the default (``strong_linking="auto"``, decided by
:func:`~wufei_gis.optimization.cflp.choose_strategy`) runs next to the explicit
settings: all strong rows, lazy rows, and — where it is exact — the
single-sourcing model with the arc reduction.  The table prints wall time,
status, objective and final gap of each, then the default's time over the best
explicit setting's (goal: ≤ 1.5×).

Families (random, seeded):

* ``pmedian-uncap``: 500 customers × 500 sites, uncapacitated, exactly p = 10
  new sites, split demand, no fixed cost (250,000 arcs; dense like town-level
  collection instances);
* ``cflp-cap``: 1,000 customers × 100 sites, capacities binding (total capacity
  3 × demand), fixed costs, split demand, unserved penalty (OR-Library capa-like);
* ``towns-radius``: 2,000 towns × 300 candidate stations, arcs only within
  25 km (sparse), capacities, fixed costs, unserved penalty.

Usage::

    python bench/linking_strategy.py [--quick] [--time-limit 180] [--threads 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from collections.abc import Callable

import numpy as np

from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions
from wufei_gis.optimization.cflp import choose_strategy, is_uncapacitated, solve_cflp

Family = Callable[[bool], tuple[CFLPData, CFLPOptions]]


def _points(rng: np.random.Generator, k: int, side: float) -> np.ndarray:
    return rng.uniform(0, side, (k, 2))


def _dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)


def pmedian_uncap(quick: bool) -> tuple[CFLPData, CFLPOptions]:
    """Uncapacitated p-median, split demand (the family the lazy loop stalled on)."""
    n = m = 150 if quick else 500
    rng = np.random.default_rng(0)
    cost = _dist(_points(rng, m, 100), _points(rng, n, 100))
    w = rng.integers(1, 20, n).astype(float)
    data = CFLPData(w, np.full(m, 2 * w.sum()), np.zeros(m), cost)
    return data, CFLPOptions(unserved_penalty=None, max_new=10, exact_new=True)


def cflp_capacitated(quick: bool) -> tuple[CFLPData, CFLPOptions]:
    """Capacitated facility location with fixed costs, split demand, unserved penalty."""
    n, m = (300, 50) if quick else (1000, 100)
    rng = np.random.default_rng(1)
    cost = _dist(_points(rng, m, 100), _points(rng, n, 100)) * 0.5
    w = rng.integers(5, 35, n).astype(float)
    u = np.full(m, 3 * w.sum() / m)
    f = rng.uniform(2_000, 6_000, m)
    return CFLPData(w, u, f, cost), CFLPOptions(unserved_penalty=500.0)


def towns_radius(quick: bool) -> tuple[CFLPData, CFLPOptions]:
    """Town-level collection: sparse arcs within a 25 km service radius."""
    n, m = (600, 90) if quick else (2000, 300)
    rng = np.random.default_rng(2)
    side = 200.0
    centres = _points(rng, 15, side)
    towns = np.clip(centres[rng.integers(0, 15, n)] + rng.normal(0, 20, (n, 2)), 0, side)
    sites = towns[rng.choice(n, m, replace=False)]
    km = _dist(sites, towns) * 1.3
    cost = np.where(km <= 25.0, km * 2.0, np.inf)
    w = rng.lognormal(np.log(3.0), 0.6, n)
    u = rng.choice([50.0, 150.0, 300.0], m)
    f = u * 40.0
    return CFLPData(w, u, f, cost), CFLPOptions(unserved_penalty=400.0)


FAMILIES: dict[str, Family] = {
    "pmedian-uncap": pmedian_uncap,
    "cflp-cap": cflp_capacitated,
    "towns-radius": towns_radius,
}


def settings(data: CFLPData, opts: CFLPOptions) -> dict[str, CFLPOptions]:
    """The default plus every explicit setting that solves the same problem."""
    out = {
        "default (auto)": opts,
        "all strong rows": dataclasses.replace(opts, strong_linking=True),
        "lazy rows": dataclasses.replace(opts, strong_linking="lazy"),
    }
    if is_uncapacitated(data):
        out["single-source + reduction"] = dataclasses.replace(
            opts, single_sourcing=True, strong_linking=True, reduce_arcs=True
        )
    return out


def run(name: str, family: Family, args: argparse.Namespace) -> None:
    data, opts = family(args.quick)
    plan = choose_strategy(data, opts)
    print(
        f"\n== {name}: {data.demand.size} customers x {data.capacity.size} sites, "
        f"{plan.arcs:,} arcs; default: {plan.reason}",
        flush=True,
    )
    sopts = SolverOptions(mip_gap=args.gap, time_limit_s=args.time_limit, threads=args.threads)
    times: dict[str, float] = {}
    objs: dict[str, float] = {}
    for label, o in settings(data, opts).items():
        t0 = time.perf_counter()
        sol = solve_cflp(data, o, solver_options=sopts)
        wall = time.perf_counter() - t0
        gap = sol.result.mip_gap
        ok = sol.status == "optimal"
        times[label] = wall if ok else float("inf")
        objs[label] = sol.objective if sol.result.has_solution else float("inf")
        gap_s = "-" if gap is None else f"{100 * gap:.3f} %"
        print(
            f"  {label:28s} {wall:8.2f} s  {sol.status:10s} obj {sol.objective:14,.3f}  "
            f"gap {gap_s}",
            flush=True,
        )
    best = min(v for k, v in times.items() if k != "default (auto)")
    if np.isfinite(best) and np.isfinite(times["default (auto)"]):
        ratio = times["default (auto)"] / best
        print(f"  default / best explicit = {ratio:.2f}x (goal <= 1.5x)", flush=True)
        return
    best_obj = min(v for k, v in objs.items() if k != "default (auto)")
    print(
        f"  not all proved within the limit: default objective {objs['default (auto)']:,.3f} "
        f"vs best explicit {best_obj:,.3f}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller instances (minutes, not tens)")
    ap.add_argument("--time-limit", type=float, default=180.0)
    ap.add_argument("--gap", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", choices=sorted(FAMILIES), action="append")
    args = ap.parse_args()
    print(
        f"load average {os.getloadavg()[0]:.2f}; time limit {args.time_limit:g} s, "
        f"gap {args.gap:g}, threads {args.threads}"
    )
    for name, family in FAMILIES.items():
        if args.only and name not in args.only:
            continue
        run(name, family, args)


if __name__ == "__main__":
    main()
