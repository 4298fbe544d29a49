"""Scale benchmark of the two-echelon model.

Synthetic region 200 x 200 km: 2,000 sources (t/d lognormal, ~5,000 t/d in
all), 300 candidate transfer stations (3 CJJ/T 47 size classes), 30 treatment
sites (20 in service, 10 candidates; half incinerators), incineration share
>= 60 %.  Arcs are pruned: collection <= 25 km to a transfer station, direct
haul <= 20 km, transfer leg <= 120 km.

Prints PuLP build time, warm start + array extraction + solver time, total,
final gap, the first incumbent HiGHS reports (the warm start, when accepted)
and the load average before/after (the machine has 2 cores).
Targets: gap <= 0.5 % within 120 s on 2 cores; build <= 25 % of total.

Usage::

    python bench/solve_scale.py [--time-limit 120] [--gap 0.005] [--threads 2] [--seed 0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from wufei_gis.optimization import SolverOptions
from wufei_gis.optimization.two_echelon import (
    TwoEchelonData,
    TwoEchelonOptions,
    build_two_echelon,
    read_two_echelon_solution,
    solve_two_echelon_model,
)


def instance(J: int = 2000, K: int = 300, I: int = 30, *, seed: int = 0) -> TwoEchelonData:  # noqa: E741  I = number of plants (the model's J, K, S, I)
    """Return the synthetic instance (distances in km x circuity 1.3)."""
    rng = np.random.default_rng(seed)
    side = 200.0
    # sources clustered around 12 towns
    towns = rng.uniform(0, side, (12, 2))
    src = towns[rng.integers(0, 12, J)] + rng.normal(0, 18, (J, 2))
    src = np.clip(src, 0, side)
    tr = np.clip(towns[rng.integers(0, 12, K)] + rng.normal(0, 30, (K, 2)), 0, side)
    pl = rng.uniform(0, side, (I, 2))
    demand = rng.lognormal(np.log(2.0), 0.6, J)

    def dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return 1.3 * np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)

    inc = np.arange(I) % 2 == 0
    is_open = np.arange(I) < 20
    cap = np.where(inc, 500.0, 300.0)
    classes_cap = np.array([150.0, 450.0, 800.0])
    classes_cost = np.array([1.2e6, 2.8e6, 4.5e6]) / 365.0
    return TwoEchelonData(
        demand=demand,
        dist_source_plant=dist(src, pl),
        plant_capacity=cap,
        plant_is_incinerator=inc,
        plant_is_open=is_open,
        plant_fixed_cost=np.where(inc, 1.74e7, 6.0e6) / 365.0,
        plant_gate_cost=np.where(inc, 110.0, 60.0),
        dist_source_transfer=dist(src, tr),
        dist_transfer_plant=dist(tr, pl),
        transfer_is_open=np.zeros(K, bool),
        transfer_capacity=np.zeros(K),
        transfer_option_capacity=np.tile(classes_cap, (K, 1)),
        transfer_option_cost=np.tile(classes_cost, (K, 1)),
        transfer_gate_cost=np.full(K, 25.0),
        collection_cost_tkm=2.0,
        transfer_cost_tkm=0.8,
        unserved_penalty=5000.0,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description="two-echelon scale benchmark")
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--gap", type=float, default=0.005)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--msg", action="store_true")
    ap.add_argument(
        "--heuristic-effort",
        type=float,
        default=None,
        help="HiGHS mip_heuristic_effort (default: HiGHS's 0.05)",
    )
    ap.add_argument(
        "--no-warm-start",
        action="store_true",
        help="no LP-rounding/local-search MIP start (HiGHS alone)",
    )
    ap.add_argument(
        "--warm-budget",
        type=float,
        default=None,
        help="seconds for the warm start (default: half the limit, <= 60 s)",
    )
    ap.add_argument(
        "--highs",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra HiGHS option, repeatable (e.g. presolve=off)",
    )
    args = ap.parse_args()
    import logging
    import os

    logging.basicConfig(level=logging.WARNING, format="  %(message)s")
    logging.getLogger("wufei_gis.optimization.two_echelon").setLevel(logging.INFO)

    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    hopts: dict = {}
    if args.heuristic_effort is not None:
        hopts["mip_heuristic_effort"] = args.heuristic_effort
    for kv in args.highs:
        key, val = kv.split("=", 1)
        for conv in (int, float):
            try:
                val = conv(val)
                break
            except ValueError:
                pass
        hopts[key] = val

    t0 = time.perf_counter()
    data = instance(seed=args.seed)
    t_data = time.perf_counter() - t0
    opts = TwoEchelonOptions(
        max_direct_haul_km=20.0,
        max_collection_km=25.0,
        max_transfer_km=120.0,
        incineration_share_min=0.6,
    )
    t1 = time.perf_counter()
    model = build_two_echelon(data, opts)
    t_build = time.perf_counter() - t1
    t2 = time.perf_counter()
    res = solve_two_echelon_model(
        model,
        SolverOptions(
            time_limit_s=args.time_limit,
            mip_gap=args.gap,
            threads=args.threads,
            msg=args.msg,
            highs_options=hopts or None,
        ),
        warm_start=not args.no_warm_start,
        warm_start_budget_s=args.warm_budget,
    )
    t_solve_total = time.perf_counter() - t2
    sol = read_two_echelon_solution(model, res)
    t_total = time.perf_counter() - t1
    n_var = len(model.a) + len(model.b) + len(model.w) + len(model.s) + len(model.y) + len(model.v)
    print(
        f"instance: 2000 sources, 300 candidate transfer sites x 3 classes, 30 plants; "
        f"{n_var} variables ({len(model.y) + len(model.v)} binary), "
        f"{len(model.prob.constraints())} rows  (data {t_data:.2f} s)"
    )
    print(f"PuLP build        {t_build:8.2f} s  ({100 * t_build / t_total:.1f} % of total)")
    print(f"extract + solve   {t_solve_total:8.2f} s  (warm start + HiGHS {res.runtime_s:.2f} s)")
    print(f"solver message: {res.message}")
    if res.incumbents:
        first = res.incumbents[0]
        print(
            f"first incumbent {first[1]:,.0f} at {first[0]:.1f} s of the HiGHS run; "
            f"{len(res.incumbents)} incumbents"
        )
    print(f"total             {t_total:8.2f} s")
    print(
        f"status {res.status}, solver {res.solver}, objective {res.objective:,.0f} yuan/d, "
        f"bound {res.best_bound:,.0f}, gap {100 * (res.mip_gap or 0):.3f} %"
    )
    print(
        f"open transfer stations {int(sol.transfer_open.sum())}, new plants "
        f"{int((sol.plant_open & ~data.plant_is_open).sum())}, unserved "
        f"{sol.unserved.sum():.1f} t/d, incineration share "
        f"{sol.incinerated_tpd / max(sol.treated_tpd, 1e-9):.3f}"
    )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
