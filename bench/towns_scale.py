"""Town-level scale: the Yuxi town solve and a synthetic province (prints figures).

Run ``python bench/towns_scale.py`` (default ≈ 10 minutes at most) or with
``--quick`` (≈ 1 minute).  Not a timed test.

1. **Yuxi** ``plan-2025-towns`` (51 towns, 51 town candidates) solved to a
   0.1 % gap: time and gap reached.
2. **Synthetic province**: a 200k-node road graph (a jittered square lattice,
   ~1 km edges, speeds 30-80 km/h), 2,000 towns, 300 candidate stations and
   20 plants at random nodes.  OD: one Dijkstra tree per station and per plant
   (300 + 20 trees, not 2,000: the graph is undirected so a station's tree
   gives its distance to every town), bounded at the haul limit with
   ``scipy.sparse.csgraph.dijkstra(limit=...)``; the trees are reused for the
   town -> station, town -> plant and station -> plant matrices.  Then the
   two-echelon model is built and solved within a time limit.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra


def yuxi(gap: float) -> None:
    from wufei_gis.optimization.planning import solve_scenario
    from wufei_gis.samples import load_sample

    p = load_sample("yuxi")
    sc = p.scenario("plan-2025-towns").copy(mip_gap=gap, time_limit_s=600)
    t = time.perf_counter()
    r = solve_scenario(p, sc)
    s = r.summary()
    print(
        f"Yuxi plan-2025-towns: {len(r.town_service)} towns, status {s['status']}, "
        f"gap {s['mip_gap']:.4%}, solve {s['solve_s']:.2f} s, total {time.perf_counter() - t:.2f} s"
    )


def lattice(side: int, rng: np.random.Generator) -> coo_matrix:
    """Undirected lattice of side x side nodes; weights = km (jittered 1 km edges)."""
    idx = np.arange(side * side).reshape(side, side)
    a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    w = rng.uniform(0.8, 1.6, len(a))
    n = side * side
    return coo_matrix((np.r_[w, w], (np.r_[a, b], np.r_[b, a])), shape=(n, n)).tocsr()


def province(side: int, n_towns: int, n_cand: int, n_plants: int, limit_s: float) -> None:
    from wufei_gis.optimization.solver import SolverOptions
    from wufei_gis.optimization.two_echelon import (
        TwoEchelonData,
        TwoEchelonOptions,
        solve_two_echelon,
    )

    rng = np.random.default_rng(7)
    g = lattice(side, rng)
    nodes = rng.choice(side * side, n_towns + n_cand + n_plants, replace=False)
    towns, cands, plants = np.split(nodes, [n_towns, n_towns + n_cand])
    collect_km, haul_km = 30.0, 150.0
    t = time.perf_counter()
    d_cand = dijkstra(g, indices=cands, limit=max(collect_km, haul_km))  # (K, N), reused
    d_plant = dijkstra(g, indices=plants, limit=haul_km)  # (I, N)
    d_st = d_cand[:, towns].T  # town -> station (J, K)
    d_st[d_st > collect_km] = np.inf
    d_sp = d_plant[:, towns].T  # town -> plant (J, I)
    d_tp = d_plant[:, cands].T  # station -> plant (K, I)
    od = time.perf_counter() - t
    print(
        f"province OD: {g.shape[0]:,} nodes, {g.nnz // 2:,} edges; {n_towns} towns x "
        f"{n_cand} stations x {n_plants} plants: {od:.2f} s ({n_cand + n_plants} bounded trees)"
    )
    demand = rng.uniform(2, 40, n_towns)
    cap = np.full(n_plants, demand.sum() / n_plants * 1.3)
    data = TwoEchelonData(
        demand=demand,
        dist_source_plant=d_sp,
        plant_capacity=cap,
        plant_is_incinerator=np.arange(n_plants) % 2 == 0,
        plant_is_open=np.ones(n_plants, bool),
        plant_fixed_cost=np.zeros(n_plants),
        plant_gate_cost=np.full(n_plants, 80.0),
        dist_source_transfer=d_st,
        dist_transfer_plant=d_tp,
        transfer_is_open=np.zeros(n_cand, bool),
        transfer_capacity=np.zeros(n_cand),
        transfer_option_capacity=np.tile([150.0, 450.0], (n_cand, 1)),
        transfer_option_cost=np.tile([1.2e6 / 365, 2.8e6 / 365], (n_cand, 1)),
        transfer_gate_cost=np.full(n_cand, 25.0),
        collection_cost_tkm=2.0,
        transfer_cost_tkm=0.8,
        unserved_penalty=5000.0,
    )
    t = time.perf_counter()
    sol = solve_two_echelon(
        data,
        TwoEchelonOptions(max_direct_haul_km=20.0),
        solver_options=SolverOptions(time_limit_s=limit_s, mip_gap=1e-3),
    )
    r = sol.result
    gap = float("nan") if r.mip_gap is None else r.mip_gap
    print(
        f"province solve: status {r.status}, gap {gap:.4%}, objective {sol.objective:,.0f} "
        f"yuan/d, {int(sol.transfer_open.sum())} stations open, unserved "
        f"{float(sol.unserved.sum()):.1f} t/d, {time.perf_counter() - t:.1f} s "
        f"(limit {limit_s:g} s)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small province, 60 s limit")
    args = ap.parse_args()
    yuxi(1e-3)
    if args.quick:
        province(side=200, n_towns=500, n_cand=80, n_plants=10, limit_s=60)
    else:
        province(side=448, n_towns=2000, n_cand=300, n_plants=20, limit_s=480)


if __name__ == "__main__":
    main()
