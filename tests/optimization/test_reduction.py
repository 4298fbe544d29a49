"""Lagrangian bound and arc fixing for the single-sourcing CFLP."""

from __future__ import annotations

import threading
import time

import numpy as np
import pulp
import pytest
from cflp_instances import random_cflp

from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions
from wufei_gis.optimization import cflp as cflp_mod
from wufei_gis.optimization.cflp import (
    build_cflp,
    reduce_single_sourcing,
    single_sourcing_start,
    solve_cflp,
)
from wufei_gis.optimization.reduction import fixable_arcs, lagrangian_bound
from wufei_gis.optimization.solver import solve_problem

OPEN3 = np.r_[np.ones(3, bool), np.zeros(17, bool)]

CASES = {
    "hard demand": dict(unserved_penalty=None),
    "with slack": dict(unserved_penalty=50.0),
    "exactly p": dict(unserved_penalty=None, max_new=12, exact_new=True),
    "at most p": dict(unserved_penalty=None, max_new=12),
    "sites in service": dict(unserved_penalty=80.0, is_open=OPEN3),
}


def _options(kw: dict[str, object], **more: object) -> CFLPOptions:
    """The case's modelling options (all but ``is_open``, which is data) plus ``more``."""
    return CFLPOptions(**{k: v for k, v in kw.items() if k != "is_open"}, **more)


def _instance(seed: int, *, pmedian: bool = False) -> tuple[np.ndarray, ...]:
    d, u, f, c = random_cflp(20, 80, seed=seed)
    c = c.copy()
    c[np.random.default_rng(seed).random(c.shape) < 0.1] = np.inf  # some pairs not allowed
    if pmedian:
        f = np.zeros_like(f)
    return d, u, f, c


def _strong_lp_value(
    d: np.ndarray, u: np.ndarray, f: np.ndarray, c: np.ndarray, **kw: object
) -> float:
    """The LP relaxation of build_cflp(single_sourcing=True) with every z <= y row."""
    model = build_cflp(CFLPData(d, u, f, c, kw.get("is_open")), _options(kw, single_sourcing=True))
    for v in model.prob.variables():
        v.cat = pulp.LpContinuous
    res = solve_problem(model.prob)
    assert res.status == "optimal"
    return res.objective


@pytest.mark.parametrize("case", list(CASES))
def test_lagrangian_bound_is_a_bound_close_to_the_strong_lp(case: str) -> None:
    # Every L(lambda) is a lower bound; its best value tends to the strong LP
    # bound (continuous knapsacks), which it may not pass.
    kw = CASES[case]
    d, u, f, c = _instance(7, pmedian="exactly" in case)
    lp = _strong_lp_value(d, u, f, c, **kw)
    lb = lagrangian_bound(CFLPData(d, u, f, c, kw.get("is_open")), _options(kw))
    assert lb.bound <= lp * (1 + 1e-7)
    assert lb.bound >= lp - 0.01 * abs(lp)  # within 1 % after 400 steps
    assert np.isinf(lb.arc_bound[~np.isfinite(c)]).all()
    assert (lb.arc_bound[np.isfinite(c)] >= lb.bound - 1e-9 * abs(lb.bound)).all()


def test_arc_bounds_hold_for_forced_arcs() -> None:
    # F_ij bounds every solution that serves j from i: force a few arcs (the
    # highest, lowest and middle bounds) and compare with the forced optimum.
    d, u, f, c = _instance(5)
    kw = dict(unserved_penalty=None)
    lb = lagrangian_bound(CFLPData(d, u, f, c, kw.get("is_open")), _options(kw))
    finite = np.argwhere(np.isfinite(c))
    order = np.argsort(lb.arc_bound[np.isfinite(c)])
    for k in (order[0], order[len(order) // 2], order[-1]):
        i, j = finite[k]
        forced = c.copy()
        forced[:, j] = np.inf
        forced[i, j] = c[i, j]
        sol = solve_cflp(
            CFLPData(d, u, f, forced),
            _options(kw, single_sourcing=True, reduce_arcs=False),
            solver_options=SolverOptions(mip_gap=1e-9),
        )
        assert sol.status in ("optimal", "infeasible")
        if sol.status == "optimal":
            assert sol.objective >= lb.arc_bound[i, j] - 1e-6 * abs(sol.objective)
    # the site bound: forbid nothing, force a site the relaxation left closed open
    closed = np.flatnonzero(~lb.chosen)
    i = closed[np.argmax(lb.site_bound[closed])]
    op = np.zeros(20, bool)
    op[i] = True
    f2 = f.copy()
    sol = solve_cflp(
        CFLPData(d, u, f2, c, is_open=op),
        _options(kw, single_sourcing=True, reduce_arcs=False),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    assert sol.objective + f[i] >= lb.site_bound[i] - 1e-6 * abs(sol.objective)


@pytest.mark.parametrize("penalty", [10.0, 50.0])
def test_arc_bounds_hold_for_partly_used_arcs(penalty: float) -> None:
    # With unserved slack a solution may serve only a share of j from i (the
    # rest unserved): F_ij must bound those too.  Force x_ij >= 0.05 d_j on
    # the arcs with the highest bounds and compare with the forced optimum.
    # (The bound for whole service only, L + delta_i + rc_ij, fails here on
    # 4-6 of these 6 arcs: a small share costs less than rc_ij.)
    d, u, f, c = random_cflp(8, 30, seed=0)
    lb = lagrangian_bound(CFLPData(d, u, f, c), CFLPOptions(unserved_penalty=penalty))
    base = build_cflp(
        CFLPData(d, u, f, c), CFLPOptions(single_sourcing=True, unserved_penalty=penalty)
    )
    order = np.argsort(-lb.arc_bound[base.arc_i, base.arc_j])
    for k in order[:6].tolist():
        model = build_cflp(
            CFLPData(d, u, f, c), CFLPOptions(single_sourcing=True, unserved_penalty=penalty)
        )
        i, j = int(model.arc_i[k]), int(model.arc_j[k])
        model.x[k].lowBound = 0.05 * d[j]
        res = solve_problem(model.prob, SolverOptions(mip_gap=1e-9))
        assert res.status == "optimal"
        assert res.objective >= lb.arc_bound[i, j] - 1e-6 * abs(res.objective)


def test_start_with_partly_served_customers_is_accepted() -> None:
    # A MIP start that serves some customers only in part (the rest unserved)
    # is feasible: HiGHS takes it as its first incumbent, at the optimum.
    d, u, f, c = random_cflp(8, 30, seed=1)
    opt = solve_cflp(
        CFLPData(d, u, f, c),
        CFLPOptions(single_sourcing=True, unserved_penalty=50.0),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    served = opt.flows.sum(axis=0)
    assert ((served > 1e-6) & (served < d - 1e-6)).any()
    model = build_cflp(
        CFLPData(d, u, f, c), CFLPOptions(single_sourcing=True, unserved_penalty=50.0)
    )
    site = np.where(served > 0, opt.flows.argmax(axis=0), -1)
    start = single_sourcing_start(model, opt.open, site, served)
    res = solve_problem(model.prob, SolverOptions(mip_gap=1e-9), initial_values=start)
    assert res.incumbents[0][1] == pytest.approx(opt.objective, rel=1e-9)


@pytest.mark.parametrize("case", list(CASES))
def test_arc_fixing_keeps_the_optimum(case: str) -> None:
    kw = CASES[case]
    d, u, f, c = _instance(3, pmedian="exactly" in case)
    exact = SolverOptions(mip_gap=1e-9)
    full = solve_cflp(
        CFLPData(d, u, f, c, kw.get("is_open")),
        _options(kw, single_sourcing=True, reduce_arcs=False),
        solver_options=exact,
    )
    red = solve_cflp(
        CFLPData(d, u, f, c, kw.get("is_open")),
        _options(kw, single_sourcing=True, reduce_arcs=True),
        solver_options=exact,
    )
    assert full.status == red.status == "optimal"
    assert red.objective == pytest.approx(full.objective, rel=1e-9)
    r = red.reduction
    assert r is not None and r.keep is not None
    assert r.lower_bound <= full.objective + 1e-6 <= r.upper_bound + 2e-6
    assert r.kept < r.arcs  # it does reduce
    # the answer uses only kept arcs, and is a valid single-sourcing plan
    used = red.flows > 0
    assert not (used & ~r.keep).any()
    assert ((red.flows > 0).sum(axis=0) <= 1).all()
    assert (red.flows.sum(axis=1) <= u * red.open + 1e-6).all()
    if "p" in case.split()[-1:]:
        n_new = (red.open & ~np.asarray(kw.get("is_open", np.zeros(20, bool)))).sum()
        assert n_new == 12 if kw.get("exact_new") else n_new <= 12


def test_fixing_with_the_optimum_drops_arcs_and_keeps_the_optimum() -> None:
    d, u, f, c = _instance(5)
    opt = solve_cflp(
        CFLPData(d, u, f, c),
        CFLPOptions(single_sourcing=True, reduce_arcs=False, unserved_penalty=None),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    lb = lagrangian_bound(
        CFLPData(d, u, f, c), CFLPOptions(unserved_penalty=None), upper_bound=opt.objective
    )
    keep = fixable_arcs(lb, opt.objective)
    assert keep.sum() < 0.75 * np.isfinite(c).sum()  # 802 of 1,431 here
    used = opt.flows > 0
    assert not (used & ~keep).any()  # the optimum survives


def test_infeasible_demand_is_reported_not_reduced() -> None:
    d, u, f, c = _instance(1)
    r = reduce_single_sourcing(CFLPData(d, u * 0.2, f, c), CFLPOptions(unserved_penalty=None))
    assert r.keep is None and r.upper_bound is None
    sol = solve_cflp(
        CFLPData(d, u * 0.2, f, c),
        CFLPOptions(single_sourcing=True, unserved_penalty=None, reduce_arcs=True),
    )
    assert sol.status == "infeasible"


def test_more_sites_asked_than_candidates_is_infeasible_not_an_error() -> None:
    d, u, f, c = _instance(1)
    sol = solve_cflp(
        CFLPData(d, u, f, c),
        CFLPOptions(
            single_sourcing=True,
            unserved_penalty=None,
            max_new=25,
            exact_new=True,
            reduce_arcs=True,
        ),
    )
    assert sol.status == "infeasible" and sol.reduction.keep is None


def test_auto_reduces_only_large_single_sourcing_models(monkeypatch) -> None:
    d, u, f, c = _instance(4)
    small = solve_cflp(
        CFLPData(d, u, f, c), CFLPOptions(single_sourcing=True, unserved_penalty=None)
    )
    assert small.reduction is None
    monkeypatch.setattr(cflp_mod, "LAZY_MIN_ARCS", 100)
    big = solve_cflp(CFLPData(d, u, f, c), CFLPOptions(single_sourcing=True, unserved_penalty=None))
    assert big.reduction is not None and big.reduction.keep is not None
    assert big.objective == pytest.approx(small.objective, rel=1e-4)
    split = solve_cflp(CFLPData(d, u, f, c), CFLPOptions(unserved_penalty=None))
    assert split.reduction is None  # continuous flows: reduced costs cannot fix them


def test_cancel_during_reduction_returns_quickly() -> None:
    d, u, f, c = random_cflp(150, 1500, seed=1)
    flag = threading.Event()
    threading.Timer(0.5, flag.set).start()
    t0 = time.perf_counter()
    sol = solve_cflp(
        CFLPData(d, u, np.zeros(150), c),
        CFLPOptions(
            single_sourcing=True,
            unserved_penalty=None,
            max_new=40,
            exact_new=True,
            reduce_arcs=True,
        ),
        should_cancel=flag.is_set,
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    assert time.perf_counter() - t0 < 0.5 + 3.0
    assert sol.status == "cancelled"
