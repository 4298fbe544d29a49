"""Capacitated p-median: spopt's ``PMedian`` vs this project's CFLP model.

Same cost matrix, weights, capacities and p; both solved by HiGHS (spopt via
``pulp.HiGHS``, ours via :func:`wufei_gis.optimization.solver.solve_problem`).
Ours is :func:`~wufei_gis.optimization.cflp.solve_cflp` configured as the same
problem: exactly p sites, single sourcing, capacities, no fixed costs (the
unserved penalty is set far above any assignment cost, so all demand is
served exactly as in spopt).

Usage (``pip install spopt`` first; bench-only dependency)::

    python bench/pmedian_vs_spopt.py [--clients 1000] [--facilities 200] [--p 20]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pulp


def main() -> None:
    ap = argparse.ArgumentParser(description="capacitated p-median: spopt vs wufei-gis")
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--facilities", type=int, default=200)
    ap.add_argument("--p", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=600.0)
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    cli = rng.uniform(0, 100, (args.clients, 2))
    fac = rng.uniform(0, 100, (args.facilities, 2))
    cost = np.linalg.norm(cli[:, None, :] - fac[None, :, :], axis=2)  # (clients, facilities)
    w = rng.integers(1, 20, args.clients).astype(float)
    caps = np.full(args.facilities, 1.3 * w.sum() / args.p)

    from wufei_gis.optimization.cflp import solve_cflp

    t0 = time.perf_counter()
    ours = solve_cflp(w, caps, np.zeros(args.facilities), cost.T, unserved_penalty=1e6,
                      single_sourcing=True, max_new=args.p, exact_new=True, mip_gap=1e-4,
                      time_limit_s=args.time_limit)
    t_ours = time.perf_counter() - t0
    print(f"ours  : objective {ours.objective:,.3f}  status {ours.status}  "
          f"unserved {ours.unserved.sum():.3g}  wall {t_ours:.2f} s "
          f"(solver {ours.result.runtime_s:.2f} s)", flush=True)

    from spopt.locate import PMedian

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pm = PMedian.from_cost_matrix(cost, w, p_facilities=args.p, facility_capacities=caps)
        pm = pm.solve(pulp.HiGHS(msg=False, gapRel=1e-4, timeLimit=args.time_limit),
                      results=False)
    t_sp = time.perf_counter() - t0
    sp_obj = pulp.value(pm.problem.objective)
    print(f"spopt : objective {sp_obj:,.3f}  status {pulp.LpStatus[pm.problem.status]}  "
          f"wall {t_sp:.2f} s")
    rel = abs(sp_obj - ours.objective) / max(abs(sp_obj), 1e-9)
    print(f"objectives agree: {rel <= 1e-4} (rel. diff {rel:.2e}); "
          f"time ours / spopt = {t_ours / t_sp:.2f}")


if __name__ == "__main__":
    main()
