"""Solver control: time limit, cancel, fallback, statuses."""

from __future__ import annotations

import threading
import time

import numpy as np
import pulp
import pytest

from wufei_gis.optimization.cflp import build_cflp, read_cflp_solution
from wufei_gis.optimization.solver import STATUSES, problem_arrays, solve_problem



def test_time_limit_returns_incumbent(hard_instance) -> None:
    d, u, f, c = hard_instance
    model = build_cflp(d, u, f, c, strong_linking=False)
    t0 = time.perf_counter()
    res = solve_problem(model.prob, time_limit_s=1.5)
    elapsed = time.perf_counter() - t0
    assert res.status == "time_limit"
    assert res.has_solution
    assert res.mip_gap is not None and res.mip_gap > 1e-4
    assert res.best_bound is not None and res.best_bound <= res.objective
    assert elapsed < 1.5 + 2.0
    sol = read_cflp_solution(model, res)
    # the returned incumbent is a consistent solution
    np.testing.assert_allclose(sol.flows.sum(axis=0) + sol.unserved, d, atol=1e-5)
    assert sol.objective == pytest.approx(res.objective, rel=1e-6)


def test_cancel_stops_within_two_seconds(hard_instance) -> None:
    d, u, f, c = hard_instance
    model = build_cflp(d, u, f, c, strong_linking=False)
    flag = threading.Event()
    timer = threading.Timer(1.0, flag.set)
    t0 = time.perf_counter()
    timer.start()
    try:
        res = solve_problem(model.prob, time_limit_s=60.0, should_cancel=flag.is_set)
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - t0
    assert res.status == "cancelled"
    assert elapsed < 1.0 + 2.0
    assert res.has_solution
    assert res.mip_gap is not None and res.mip_gap > 0
    sol = read_cflp_solution(model, res)
    np.testing.assert_allclose(sol.flows.sum(axis=0) + sol.unserved, d, atol=1e-5)


def test_cancel_before_start() -> None:
    prob = pulp.LpProblem("p", pulp.LpMinimize)
    x = prob.add_variable("x", 0, 1)
    prob.setObjective(pulp.LpAffineExpression([(x, 1.0)]))
    res = solve_problem(prob, should_cancel=lambda: True)
    assert res.status == "cancelled" and not res.has_solution


def test_lp_and_infeasible_statuses() -> None:
    prob = pulp.LpProblem("p", pulp.LpMaximize)
    x = prob.add_variable("x", 0, 4)
    y = prob.add_variable("y", 0, None)
    prob.setObjective(pulp.LpAffineExpression([(x, 1.0), (y, 2.0)]))
    prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression([(x, 1.0), (y, 1.0)]),
                                         pulp.LpConstraintLE, "cap", 5.0))
    res = solve_problem(prob)
    assert res.status == "optimal" and res.solver == "highs"
    assert res.objective == pytest.approx(10.0)  # y = 5
    assert res.values["y"] == pytest.approx(5.0)
    assert y.varValue == pytest.approx(5.0)
    arr = problem_arrays(prob)
    assert arr.sense == -1 and arr.n_rows == 1 and arr.n_cols == 2

    prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression([(x, 1.0)]),
                                         pulp.LpConstraintGE, "lo", 6.0))
    res = solve_problem(prob)
    assert res.status == "infeasible" and not res.has_solution
    assert res.status in STATUSES


def test_unknown_solver_rejected() -> None:
    prob = pulp.LpProblem("p", pulp.LpMinimize)
    with pytest.raises(ValueError, match="solver"):
        solve_problem(prob, solver="gurobi")


def test_cbc_fallback_when_highspy_missing(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "highspy":
            raise ImportError("no highspy")
        return real_import(name, *args, **kwargs)

    d = np.array([10.0, 10.0, 10.0])
    c = np.abs(np.array([0.0, 10.0])[:, None] - np.array([0.0, 4.0, 10.0])[None, :])
    model = build_cflp(d, [15.0, 20.0], [50.0, 50.0], c, unserved_penalty=1000.0)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    res = solve_problem(model.prob)
    monkeypatch.setattr(builtins, "__import__", real_import)
    assert res.solver == "cbc"
    assert "highspy" in res.message
    assert res.objective == pytest.approx(150.0)  # same optimum as HiGHS (test_cflp)
