"""Capacitated p-median: spopt's ``PMedian`` vs this project's CFLP model.

Same cost matrix, weights, capacities and p; both solved by HiGHS (spopt via
``pulp.HiGHS``, ours via :func:`wufei_gis.optimization.solver.solve_problem`).
Ours is the product's :func:`~wufei_gis.optimization.cflp.solve_cflp`
configured as the same problem: exactly p sites (``max_new=p,
exact_new=True``), single sourcing, capacities, no fixed costs and **no
unserved slack** (``unserved_penalty=None``: demand must be met, as in spopt).
It runs as it does in the product: a Lagrangian bound, an incumbent (greedy
and swaps, then the MIP restricted to the relaxation's sites), exact arc
fixing by the Lagrangian bounds, then the MIP on the arcs left
(:func:`~wufei_gis.optimization.cflp.reduce_single_sourcing`);
``--no-reduce`` solves the full model instead.  The instance is well-posed:
every site has capacity 1.3 x total demand / p, so any p sites can hold the
demand.

Usage (``pip install spopt`` first; bench-only dependency)::

    python bench/pmedian_vs_spopt.py [--clients 1000] [--facilities 200] [--p 20]
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pulp

from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions


def instance(
    clients: int, facilities: int, p: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``cost`` (clients x facilities, km), weights, capacities (1.3 x demand / p each)."""
    rng = np.random.default_rng(seed)
    cli = rng.uniform(0, 100, (clients, 2))
    fac = rng.uniform(0, 100, (facilities, 2))
    cost = np.linalg.norm(cli[:, None, :] - fac[None, :, :], axis=2)
    w = rng.integers(1, 20, clients).astype(float)
    caps = np.full(facilities, 1.3 * w.sum() / p)
    return cost, w, caps


def solve_ours(
    cost: np.ndarray,
    w: np.ndarray,
    caps: np.ndarray,
    p: int,
    *,
    reduce: bool,
    gap: float,
    time_limit: float,
    threads: int | None,
) -> tuple[float, str, float, float | None, object]:
    """:func:`~wufei_gis.optimization.cflp.solve_cflp` configured as the p-median;
    returns objective, status, wall, final gap and the arc reduction report."""
    from wufei_gis.optimization.cflp import solve_cflp

    m = caps.size
    t0 = time.perf_counter()
    sol = solve_cflp(
        CFLPData(w, caps, np.zeros(m), cost.T),
        CFLPOptions(
            unserved_penalty=None,
            single_sourcing=True,
            max_new=p,
            exact_new=True,
            reduce_arcs=reduce,
        ),
        solver_options=SolverOptions(mip_gap=gap, time_limit_s=time_limit, threads=threads),
    )
    wall = time.perf_counter() - t0
    assert sol.unserved.sum() == 0 or not sol.result.has_solution
    return sol.objective, sol.status, wall, sol.result.mip_gap, sol.reduction


def solve_spopt(
    cost: np.ndarray,
    w: np.ndarray,
    caps: np.ndarray,
    p: int,
    *,
    gap: float,
    time_limit: float,
    threads: int | None,
) -> tuple[float, str, float]:
    from spopt.locate import PMedian

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pm = PMedian.from_cost_matrix(cost, w, p_facilities=p, facility_capacities=caps)
        pm = pm.solve(
            pulp.HiGHS(msg=False, gapRel=gap, timeLimit=time_limit, threads=threads), results=False
        )
    wall = time.perf_counter() - t0
    return pulp.value(pm.problem.objective), pulp.LpStatus[pm.problem.status], wall


def main() -> None:
    ap = argparse.ArgumentParser(description="capacitated p-median: spopt vs wufei-gis")
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--facilities", type=int, default=200)
    ap.add_argument("--p", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--gap", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument(
        "--no-reduce", action="store_true", help="solve the full model (no LP bound / arc fixing)"
    )
    ap.add_argument("--skip-spopt", action="store_true")
    ap.add_argument("--skip-ours", action="store_true")
    args = ap.parse_args()

    cost, w, caps = instance(args.clients, args.facilities, args.p, args.seed)
    print(
        f"instance {args.clients} clients x {args.facilities} sites, p = {args.p}, "
        f"capacity {caps[0]:.1f} each (1.3 x demand / p), gap {args.gap:g}, "
        f"threads {args.threads}; load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    if args.skip_ours:
        sp_obj, sp_st, t_sp = solve_spopt(
            cost, w, caps, args.p, gap=args.gap, time_limit=args.time_limit, threads=args.threads
        )
        print(f"spopt : objective {sp_obj:,.3f}  status {sp_st}  wall {t_sp:.2f} s")
        return
    obj, st, t_ours, gap, red = solve_ours(
        cost,
        w,
        caps,
        args.p,
        reduce=not args.no_reduce,
        gap=args.gap,
        time_limit=args.time_limit,
        threads=args.threads,
    )
    gs = "" if gap is None else f"  gap {100 * gap:.3f} %"
    print(f"ours  : objective {obj:,.3f}  status {st}{gs}  wall {t_ours:.2f} s", flush=True)
    if red is not None and red.lower_bound is not None:
        ub = "none" if red.upper_bound is None else f"{red.upper_bound:,.3f}"
        print(
            f"        Lagrangian bound {red.lower_bound:,.3f} ({red.iterations} steps), "
            f"incumbent {ub}, arcs kept {red.kept:,} of {red.arcs:,}; "
            f"reduction took {red.runtime_s:.2f} s",
            flush=True,
        )
    if args.skip_spopt:
        return
    sp_obj, sp_st, t_sp = solve_spopt(
        cost, w, caps, args.p, gap=args.gap, time_limit=args.time_limit, threads=args.threads
    )
    print(f"spopt : objective {sp_obj:,.3f}  status {sp_st}  wall {t_sp:.2f} s")
    rel = abs(sp_obj - obj) / max(abs(sp_obj), 1e-9)
    print(
        f"objectives agree within the gap: {rel <= 2 * args.gap} (rel. diff {rel:.2e}); "
        f"time ours / spopt = {t_ours / t_sp:.2f}; load {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
