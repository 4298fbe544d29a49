"""Warm starts (MIP starts) from the heuristics: feasible, accepted, optimum unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions
from wufei_gis.optimization.cflp import build_cflp
from wufei_gis.optimization.heuristics import pmedian_assign, pmedian_warm_start
from wufei_gis.optimization.solver import problem_arrays, solve_problem
from wufei_gis.optimization.two_echelon import (
    TwoEchelonData,
    TwoEchelonOptions,
    build_two_echelon,
    read_two_echelon_solution,
    solve_two_echelon,
    solve_two_echelon_model,
    two_echelon_warm_start,
)


def _feasible(arr, x, tol=1e-6) -> bool:
    """x satisfies bounds, integrality and every row of ``arr``."""
    import scipy.sparse as sp

    A = sp.csr_matrix((arr.row_value, arr.row_index, arr.row_start), shape=(arr.n_rows, arr.n_cols))
    act = A @ x
    ok = (act >= arr.row_lower - tol).all() and (act <= arr.row_upper + tol).all()
    ok &= (x >= arr.col_lower - tol).all() and (x <= arr.col_upper + tol).all()
    ints = arr.integrality.astype(bool)
    return bool(ok and np.allclose(x[ints], np.round(x[ints]), atol=tol))


# Sources at x=0 (100 t/d) and x=10 (200 t/d); candidate stations at x=5 (k0)
# and x=60 (k1), classes small 150 t/d (fixed 1000/d) and medium 450 t/d
# (fixed 1500/d); one landfill in service at x=100.  Collection 1 yuan/t-km,
# transfer 0.5, no gate costs; the 20 km direct-haul limit forces a station.
#   k0 medium: collection 100*5 + 200*5 = 1500, transfer 300*95*0.5 = 14250,
#              fixed 1500 -> 17250  (optimum)
#   k1 medium: 100*60 + 200*50 + 300*40*0.5 + 1500 = 23500
#   k0 small + k1 small: fixed 2000 and 150 t over the long first leg: worse.
def _hand() -> TwoEchelonData:
    src, tr, pl = [0.0, 10.0], [5.0, 60.0], [100.0]

    def line(a, b):
        return np.abs(np.asarray(a)[:, None] - np.asarray(b)[None, :])

    return TwoEchelonData(
        demand=[100.0, 200.0],
        dist_source_plant=line(src, pl),
        plant_capacity=[1000.0],
        plant_is_incinerator=[False],
        plant_is_open=[True],
        plant_fixed_cost=[0.0],
        plant_gate_cost=[0.0],
        dist_source_transfer=line(src, tr),
        dist_transfer_plant=line(tr, pl),
        transfer_option_capacity=[[150.0, 450.0]] * 2,
        transfer_option_cost=[[1000.0, 1500.0]] * 2,
        collection_cost_tkm=1.0,
        transfer_cost_tkm=0.5,
        unserved_penalty=1000.0,
    )


def test_two_echelon_warm_start_hand_instance() -> None:
    model = build_two_echelon(_hand(), TwoEchelonOptions(max_direct_haul_km=20.0))
    ws = two_echelon_warm_start(model)
    assert ws is not None
    arr = problem_arrays(model.prob)
    assert _feasible(arr, ws.x)
    assert float(arr.cost @ ws.x) == pytest.approx(ws.objective)
    assert ws.objective == pytest.approx(17250.0)  # the heuristic finds the optimum here
    assert ws.open_sites == 1
    res = solve_two_echelon_model(model, SolverOptions(mip_gap=0.0))
    assert res.status == "optimal"
    assert res.objective == pytest.approx(17250.0)
    assert res.incumbents and res.incumbents[0][1] <= ws.objective + 1e-6  # start accepted
    assert "warm start" in res.message
    sol = read_two_echelon_solution(model, res)
    assert sol.transfer_open.tolist() == [True, False] and sol.transfer_class[0] == 1


def _random(seed: int) -> TwoEchelonData:
    rng = np.random.default_rng(seed)
    J, K, I = 60, 12, 4  # noqa: E741  I = number of plants (the model's J, K, S, I)
    src, tr, pl = rng.uniform(0, 80, (J, 2)), rng.uniform(0, 80, (K, 2)), rng.uniform(0, 80, (I, 2))

    def dist(a, b):
        return np.linalg.norm(a[:, None] - b[None], axis=2)

    return TwoEchelonData(
        demand=rng.uniform(5, 40, J),
        dist_source_plant=dist(src, pl),
        plant_capacity=[300, 250, 200, 400],
        plant_is_incinerator=[True, False, True, False],
        plant_is_open=[True, True, False, False],
        plant_fixed_cost=[0, 0, 5000, 3000],
        plant_gate_cost=[110, 60, 110, 60],
        dist_source_transfer=dist(src, tr),
        dist_transfer_plant=dist(tr, pl),
        transfer_option_capacity=np.tile([150, 450], (K, 1)),
        transfer_option_cost=np.tile([3300.0, 7700.0], (K, 1)),
        transfer_gate_cost=np.full(K, 25.0),
    )


@pytest.mark.parametrize("seed", [3, 4])
def test_warm_start_keeps_the_optimum(seed: int) -> None:
    data = _random(seed)
    opts = TwoEchelonOptions(incineration_share_min=0.5)
    model = build_two_echelon(data, opts)
    ws = two_echelon_warm_start(model)
    assert ws is not None
    arr = problem_arrays(model.prob)
    assert _feasible(arr, ws.x)
    assert ws.lp_bound <= ws.objective + 1e-6
    on = solve_two_echelon(data, opts, solver_options=SolverOptions(mip_gap=1e-9))
    off = solve_two_echelon(
        data, opts, warm_start=False, solver_options=SolverOptions(mip_gap=1e-9)
    )
    assert on.status == off.status == "optimal"
    assert on.objective == pytest.approx(off.objective, rel=1e-7)
    assert on.objective <= ws.objective + 1e-6
    assert on.result.incumbents[0][1] <= ws.objective * (1 + 1e-9)
    assert "warm start" in on.result.message and "warm start" not in off.result.message


def test_warm_start_respects_exact_site_count() -> None:
    data = _random(3)
    opts = TwoEchelonOptions(max_new_sites=3, exact_new_sites=True)
    model = build_two_echelon(data, opts)
    ws = two_echelon_warm_start(model)
    if ws is not None:  # a start that breaks the count must never be returned
        assert _feasible(problem_arrays(model.prob), ws.x)
    on = solve_two_echelon(data, opts, solver_options=SolverOptions(mip_gap=1e-9))
    off = solve_two_echelon(
        data, opts, warm_start=False, solver_options=SolverOptions(mip_gap=1e-9)
    )
    assert on.objective == pytest.approx(off.objective, rel=1e-7)
    assert (
        int(
            (on.transfer_open & ~data.transfer_is_open).sum()
            + (on.plant_open & ~data.plant_is_open).sum()
        )
        == 3
    )


def test_no_warm_start_without_choices_or_with_single_sourcing() -> None:
    data = _random(3)
    model = build_two_echelon(data, TwoEchelonOptions(single_sourcing=True))
    assert two_echelon_warm_start(model) is None


# --- capacitated p-median ---------------------------------------------------------
def _pmedian(n=120, m=25, p=5, seed=0):
    rng = np.random.default_rng(seed)
    cli, fac = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    cost = np.linalg.norm(fac[:, None] - cli[None], axis=2)  # (m, n)
    w = rng.integers(1, 20, n).astype(float)
    caps = np.full(m, 1.3 * w.sum() / p)
    return cost, w, caps, p


def test_pmedian_assign_respects_capacity() -> None:
    cost, w, caps, p = _pmedian()
    got = pmedian_assign(cost * w, w, caps, np.arange(p))
    assert got is not None
    site, obj = got
    assert set(site.tolist()) <= set(range(p))
    assert (np.bincount(site, w, minlength=caps.size) <= caps + 1e-9).all()
    assert obj == pytest.approx((cost * w)[site, np.arange(w.size)].sum())


def test_pmedian_warm_start_is_accepted_and_optimum_unchanged() -> None:
    cost, w, caps, p = _pmedian()
    got = pmedian_warm_start(cost * w, w, caps, p, time_budget_s=2.0)
    assert got is not None
    opened, site, h_obj = got
    assert opened.size == p and set(site.tolist()) <= set(opened.tolist())
    assert (np.bincount(site, w, minlength=caps.size) <= caps + 1e-9).all()

    def model():
        return build_cflp(
            CFLPData(w, caps, np.zeros(caps.size), cost),
            CFLPOptions(unserved_penalty=None, single_sourcing=True, max_new=p, exact_new=True),
        )

    m1 = model()
    arc = np.full(cost.shape, -1)
    arc[m1.arc_i, m1.arc_j] = np.arange(m1.arc_i.size)
    start = {m1.y[i].name: 1.0 for i in opened.tolist()}
    start.update({m1.z[arc[i, j]].name: 1.0 for j, i in enumerate(site.tolist())})
    with_start = solve_problem(m1.prob, SolverOptions(mip_gap=1e-9), initial_values=start)
    without = solve_problem(model().prob, SolverOptions(mip_gap=1e-9))
    assert with_start.status == without.status == "optimal"
    assert with_start.objective == pytest.approx(without.objective, rel=1e-7)
    assert with_start.objective <= h_obj + 1e-6
    assert with_start.incumbents[0][1] <= h_obj * (1 + 1e-9)  # the start was accepted
