"""Single-echelon CFLP on tiny hand-checked instances."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from cflp_instances import random_cflp

from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions
from wufei_gis.optimization.cflp import build_cflp, solve_cflp

# Tiny instance, everything on a line (unit cost = distance, per tonne):
#   site A at x=0 (capacity 15, fixed 50), site B at x=10 (capacity 20, fixed 50)
#   customers at x=0, 4, 10, each demand 10.
# Total demand 30 > either capacity, so both sites open (fixed 100).
# Customer 0 -> A (cost 0), customer 10 -> B (cost 0).  Customer 4 fills A's
# remaining 5 t (5 x 4 = 20) and sends 5 t to B (5 x 6 = 30).
# Optimum = 100 + 20 + 30 = 150.
D = np.array([10.0, 10.0, 10.0])
U = np.array([15.0, 20.0])
F = np.array([50.0, 50.0])
X_SITE = np.array([0.0, 10.0])
X_CUST = np.array([0.0, 4.0, 10.0])
C = np.abs(X_SITE[:, None] - X_CUST[None, :])


def test_tiny_hand_computed_optimum() -> None:
    sol = solve_cflp(CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0))
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(150.0)
    assert sol.result.objective == pytest.approx(150.0)
    assert sol.open.tolist() == [True, True]
    np.testing.assert_allclose(sol.flows, [[10, 5, 0], [0, 5, 10]], atol=1e-7)
    assert sol.fixed_cost == pytest.approx(100.0)
    assert sol.transport_cost == pytest.approx(50.0)
    assert sol.unserved.sum() == pytest.approx(0.0)


def test_single_sourcing_changes_the_split() -> None:
    # Customer 4 can no longer be split: A holds customer 0 (10 t) and has only
    # 5 t left, so customer 4 goes wholly to B: 10 x 6 = 60.  Optimum 100 + 60.
    sol = solve_cflp(
        CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0, single_sourcing=True)
    )
    assert sol.objective == pytest.approx(160.0)
    np.testing.assert_allclose(sol.flows, [[10, 0, 0], [0, 10, 10]], atol=1e-7)


def test_single_sourcing_serves_a_part_and_leaves_the_rest_unserved() -> None:
    # A customer of 10 t/d, the only site holds 6 t/d (cost 1 per t, fixed 0).
    # The served part goes to one site, the rest is the capacity gap:
    # 6 served + 4 unserved = 6 + 4 x 1000 = 4006 (the same meaning as the
    # two-echelon model; "wholly or unserved" would give 10 unserved, 10,000).
    for reduce_arcs in (False, True):
        sol = solve_cflp(
            CFLPData([10.0], [6.0], [0.0], [[1.0]]),
            CFLPOptions(unserved_penalty=1000.0, single_sourcing=True, reduce_arcs=reduce_arcs),
        )
        assert sol.status == "optimal"
        np.testing.assert_allclose(sol.flows, [[6.0]], atol=1e-7)
        np.testing.assert_allclose(sol.unserved, [4.0], atol=1e-7)
        assert sol.objective == pytest.approx(4006.0)
    # with hard demand the part is the whole: infeasible, as before
    sol = solve_cflp(
        CFLPData([10.0], [6.0], [0.0], [[1.0]]),
        CFLPOptions(unserved_penalty=None, single_sourcing=True),
    )
    assert sol.status == "infeasible"


def test_single_sourcing_partial_service_uses_one_site() -> None:
    # Two customers of 10 t/d at x=0 and x=10, sites A (x=0, 6 t/d) and B
    # (x=10, 12 t/d), both open.  Customer 0 -> A (6 t, rest unserved) and
    # customer 10 -> B (10 t); B's 2 t left may not top up customer 0 (that
    # would be a second site).  6 x 0 + 10 x 0 + 4 x 1000 = 4000.
    c = np.abs(np.array([0.0, 10.0])[:, None] - np.array([0.0, 10.0])[None, :])
    sol = solve_cflp(
        CFLPData([10.0, 10.0], [6.0, 12.0], [0.0, 0.0], c, is_open=[True, True]),
        CFLPOptions(unserved_penalty=1000.0, single_sourcing=True),
    )
    np.testing.assert_allclose(sol.flows, [[6, 0], [0, 10]], atol=1e-7)
    np.testing.assert_allclose(sol.unserved, [4, 0], atol=1e-7)
    assert sol.objective == pytest.approx(4000.0)
    split = solve_cflp(
        CFLPData([10.0, 10.0], [6.0, 12.0], [0.0, 0.0], c, is_open=[True, True]),
        CFLPOptions(unserved_penalty=1000.0),
    )
    assert split.objective == pytest.approx(2000.0 + 20.0)  # 2 t from B over 10 km


def test_shortfall_is_unserved_not_infeasible() -> None:
    # Capacities 10 + 10 < demand 30: the customer at x=4 (the one costing
    # most to serve) is left unserved: 100 fixed + 10 x 1000 penalty.
    sol = solve_cflp(CFLPData(D, [10.0, 10.0], F, C), CFLPOptions(unserved_penalty=1000.0))
    assert sol.status == "optimal"
    np.testing.assert_allclose(sol.unserved, [0, 10, 0], atol=1e-7)
    assert sol.objective == pytest.approx(10_100.0)
    assert (sol.flows.sum(axis=1) <= [10 + 1e-7, 10 + 1e-7]).all()


def test_open_site_has_no_fixed_cost_and_stays_open() -> None:
    # A already in service: only B's fixed cost is charged.
    sol = solve_cflp(
        CFLPData(D, U, F, C, is_open=[True, False]), CFLPOptions(unserved_penalty=1000.0)
    )
    assert sol.objective == pytest.approx(100.0)
    assert sol.fixed_cost == pytest.approx(50.0)


def test_disallowed_pairs_are_pruned() -> None:
    c = C.copy()
    c[1, 1] = np.inf  # B may not serve customer 4
    model = build_cflp(CFLPData(D, U, F, c), CFLPOptions(unserved_penalty=1000.0))
    assert len(model.x) == 5
    sol = solve_cflp(CFLPData(D, U, F, c), CFLPOptions(unserved_penalty=1000.0))
    # Customer 4 must go wholly to A (10 x 4 = 40); A then has room for only
    # 5 t of customer 0 (cost 0), the other 5 t travel to B (5 x 10 = 50):
    # 100 + 40 + 50 = 190 (cheaper than 5 t unserved at 1000/t).
    assert sol.flows[1, 1] == 0.0
    assert sol.unserved.sum() == pytest.approx(0.0)
    assert sol.objective == pytest.approx(190.0)


def test_max_new_sites() -> None:
    # Only one site may open: B (capacity 20) serves customers 4 and 10
    # (cost 60), customer 0 is unserved: 50 + 60 + 10 x 1000.
    sol = solve_cflp(CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0, max_new=1))
    assert sol.open.sum() == 1
    assert sol.objective == pytest.approx(10_110.0)
    sol = solve_cflp(
        CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0, max_new=2, exact_new=True)
    )
    assert sol.objective == pytest.approx(150.0)


def test_cbc_fallback_same_optimum() -> None:
    sol = solve_cflp(
        CFLPData(D, U, F, C),
        CFLPOptions(unserved_penalty=1000.0),
        solver_options=SolverOptions(solver="cbc"),
    )
    assert sol.result.solver == "cbc"
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(150.0)


# --------------------------------------------------------------------------- lazy strong linking
from wufei_gis.optimization import cflp as cflp_mod  # noqa: E402


@pytest.mark.parametrize("penalty", [None, 1000.0])
def test_lazy_linking_same_optimum_as_full(penalty) -> None:
    # The lazy rows are a subset of the full set, so the MIP optimum is the same
    # (the strong rows are valid but redundant for integer y); the cutting-plane
    # LP bound equals the full strong LP bound.
    d, u, f, c = random_cflp(15, 80, seed=3)
    full = solve_cflp(
        CFLPData(d, u, f, c),
        CFLPOptions(unserved_penalty=penalty, strong_linking=True),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    lazy = solve_cflp(
        CFLPData(d, u, f, c),
        CFLPOptions(unserved_penalty=penalty, strong_linking="lazy"),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    assert full.status == lazy.status == "optimal"
    assert lazy.objective == pytest.approx(full.objective, rel=1e-9)
    info = lazy.lazy
    assert info is not None and info.complete
    assert 0 < info.arcs.size < 15 * 80
    assert info.start_objective is not None and info.start_objective >= full.objective - 1e-6
    # Strong LP bound: same value as the LP relaxation with every strong row.
    import pulp

    from wufei_gis.optimization.solver import solve_problem

    model = cflp_mod.build_cflp(
        CFLPData(d, u, f, c), CFLPOptions(unserved_penalty=penalty, strong_linking=True)
    )
    for v in model.y:
        v.cat = pulp.LpContinuous
    lp = solve_problem(model.prob)
    assert info.lp_bound == pytest.approx(lp.objective, rel=1e-7)


def test_lazy_linking_with_open_sites_and_site_limit() -> None:
    d, u, f, c = random_cflp(12, 60, seed=4)
    op = np.zeros(12, bool)
    op[[0, 5]] = True
    data = CFLPData(d, u, f, c, is_open=op)
    exact = SolverOptions(mip_gap=1e-9)
    full = solve_cflp(
        data,
        CFLPOptions(strong_linking=True, unserved_penalty=800.0, max_new=3),
        solver_options=exact,
    )
    lazy = solve_cflp(
        data,
        CFLPOptions(strong_linking="lazy", unserved_penalty=800.0, max_new=3),
        solver_options=exact,
    )
    assert lazy.objective == pytest.approx(full.objective, rel=1e-9)
    assert lazy.open[[0, 5]].all() and (lazy.open & ~op).sum() <= 3


def test_auto_uses_lazy_rows_only_for_large_models(monkeypatch) -> None:
    sol = solve_cflp(CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0))
    assert sol.lazy is None  # 6 arcs: all strong rows
    monkeypatch.setattr(cflp_mod, "LAZY_MIN_ARCS", 1)
    sol = solve_cflp(CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0))
    assert sol.lazy is not None and sol.objective == pytest.approx(150.0)
    sol = solve_cflp(
        CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0, single_sourcing=True)
    )
    assert sol.lazy is None and sol.objective == pytest.approx(160.0)


def test_cover_row_only_without_slack() -> None:
    # sum u_i y_i >= sum d_j would forbid leaving demand unserved.
    with_slack = build_cflp(CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=1000.0))
    hard = build_cflp(CFLPData(D, U, F, C), CFLPOptions(unserved_penalty=None))
    assert "cover" not in with_slack.prob.constraints
    assert "cover" in hard.prob.constraints
    sol = solve_cflp(CFLPData(D, [10.0, 10.0], F, C), CFLPOptions(unserved_penalty=None))
    assert sol.status == "infeasible"


def test_lazy_linking_cancel_returns_quickly() -> None:
    import threading
    import time

    d, u, f, c = random_cflp(60, 600, seed=1)
    flag = threading.Event()
    threading.Timer(0.5, flag.set).start()
    t0 = time.perf_counter()
    sol = solve_cflp(
        CFLPData(d, u, f, c),
        CFLPOptions(strong_linking="lazy"),
        should_cancel=flag.is_set,
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    assert time.perf_counter() - t0 < 0.5 + 3.0
    assert sol.status == "cancelled"


# --- the automatic strategy ----------------------------------------------------------
def _pmedian(n: int, m: int, *, seed: int = 3, cap: float | None = None, fixed: float = 0.0):
    rng = np.random.default_rng(seed)
    cli, fac = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    cost = np.linalg.norm(fac[:, None, :] - cli[None, :, :], axis=2)  # (m, n)
    w = rng.integers(1, 20, n).astype(float)
    u = np.full(m, w.sum() * 2 if cap is None else cap)
    return CFLPData(w, u, np.full(m, fixed), cost)


def test_auto_solves_uncapacitated_split_demand_as_single_sourcing(monkeypatch):
    from wufei_gis.optimization import cflp

    monkeypatch.setattr(cflp, "LAZY_MIN_ARCS", 500)  # "large" for a test-sized instance
    data = _pmedian(60, 30)
    opts = CFLPOptions(unserved_penalty=None, max_new=5, exact_new=True)
    plan = cflp.choose_strategy(data, opts)
    assert plan.single_sourcing and "uncapacitated" in plan.reason
    auto = cflp.solve_cflp(data, opts, solver_options=SolverOptions(mip_gap=1e-9))
    full = cflp.solve_cflp(
        data,
        dataclasses.replace(opts, strong_linking=True),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    assert auto.status == full.status == "optimal"
    assert auto.objective == pytest.approx(full.objective, rel=1e-7)
    assert "uncapacitated" in auto.strategy and auto.reduction is not None
    assert auto.flows.sum() == pytest.approx(data.demand.sum())


def test_capacitated_split_demand_stays_split_and_a_stalled_lazy_loop_adds_all_rows(
    monkeypatch,
):
    from wufei_gis.optimization import cflp

    monkeypatch.setattr(cflp, "LAZY_MIN_ARCS", 500)
    data = _pmedian(60, 30, cap=150.0, fixed=2000.0)  # capacities bind: split demand matters
    assert not cflp.is_uncapacitated(data)
    opts = CFLPOptions(unserved_penalty=1e4, max_new=None)
    plan = cflp.choose_strategy(data, opts)
    assert plan.strong_linking == "lazy" and not plan.single_sourcing
    real = cflp.lazy_linking_arcs
    monkeypatch.setattr(
        cflp,
        "lazy_linking_arcs",
        lambda *a, **k: real(*a, **{**k, "max_share": 0.0}),  # stall after one round
    )
    auto = cflp.solve_cflp(data, opts, solver_options=SolverOptions(mip_gap=1e-9))
    full = cflp.solve_cflp(
        data,
        dataclasses.replace(opts, strong_linking=True),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    assert auto.lazy is not None and auto.lazy.stalled and not auto.lazy.complete
    assert "stalled" in auto.strategy
    assert auto.objective == pytest.approx(full.objective, rel=1e-7)


def test_lazy_loop_plateau_rule():
    from wufei_gis.optimization.cflp import _flat

    rising = [100.0 + i for i in range(10)]
    assert not _flat(rising)
    flat = [100.0, 101.0, 102.0] + [102.0 + 1e-6 * i for i in range(7)]
    assert _flat(flat)
    assert not _flat([1.0, 1.0, 1.0])  # too few rounds to tell
