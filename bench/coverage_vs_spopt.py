"""LSCP and MCLP: spopt's ``LSCP``/``MCLP`` vs this project's coverage models.

Same cost matrix, radius, weights and p; both solved by HiGHS (spopt via
``pulp.HiGHS``, ours via :func:`wufei_gis.optimization.coverage.solve_lscp` /
:func:`~wufei_gis.optimization.coverage.solve_mclp`, the formulation the
planning model's coverage rules use).  Instances are generated as spopt's
tests do: random client and facility points, their Euclidean cost matrix,
a radius; weights 1..11.  Prints the objectives (they must agree) and the
wall-time ratio ours / spopt (model build + solve).

Usage (``pip install spopt`` first; bench-only dependency)::

    python bench/coverage_vs_spopt.py [--clients 1000] [--facilities 150] [--radius 12] [--p 20]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pulp

from wufei_gis.optimization.coverage import cover_matrix, solve_lscp, solve_mclp


def instance(clients: int, facilities: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean cost matrix (clients x facilities, on a 100 x 100 square) and weights."""
    rng = np.random.default_rng(seed)
    cli = rng.uniform(0, 100, (clients, 2))
    fac = rng.uniform(0, 100, (facilities, 2))
    cost = np.linalg.norm(cli[:, None, :] - fac[None, :, :], axis=2)
    return cost, rng.integers(1, 12, clients).astype(float)


def _spopt(model: str, cost: np.ndarray, w: np.ndarray, radius: float, p: int) -> float:
    from spopt.locate import LSCP, MCLP

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if model == "lscp":
            m = LSCP.from_cost_matrix(cost, radius)
        else:
            m = MCLP.from_cost_matrix(cost, w, radius, p)
        m = m.solve(pulp.HiGHS(msg=False), results=False)
    return float(pulp.value(m.problem.objective))


def _ours(model: str, cost: np.ndarray, w: np.ndarray, radius: float, p: int) -> float:
    cover = cover_matrix(cost, radius)
    sol = solve_lscp(cover) if model == "lscp" else solve_mclp(cover, w, p)
    return sol.objective


def main() -> None:
    ap = argparse.ArgumentParser(description="LSCP / MCLP: spopt vs wufei-gis")
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--facilities", type=int, default=150)
    ap.add_argument("--radius", type=float, default=12.0)
    ap.add_argument("--p", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    cost, w = instance(args.clients, args.facilities, args.seed)
    lscp_radius = max(args.radius, float(cost.min(axis=1).max()))  # every client coverable
    print(f"{args.clients} clients x {args.facilities} facilities, seed {args.seed}")
    for model, radius in (("lscp", lscp_radius), ("mclp", args.radius)):
        t0 = time.perf_counter()
        ours = _ours(model, cost, w, radius, args.p)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        theirs = _spopt(model, cost, w, radius, args.p)
        t_spopt = time.perf_counter() - t0
        same = "agree" if abs(ours - theirs) <= 1e-6 * max(1.0, abs(theirs)) else "DIFFER"
        print(
            f"{model.upper()} radius {radius:.2f}{'' if model == 'lscp' else f', p {args.p}'}: "
            f"ours {ours:,.2f} in {t_ours:.2f} s, spopt {theirs:,.2f} in {t_spopt:.2f} s "
            f"({same}); wall-time ratio ours/spopt = {t_ours / t_spopt:.2f}"
        )


if __name__ == "__main__":
    main()
