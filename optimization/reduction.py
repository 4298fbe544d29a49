"""Lagrangian bound and arc fixing for the single-sourcing CFLP.

With single sourcing every arc variable ``z_ij`` (customer j served by site i)
is binary, and a lower bound can drop most of them before the MIP is solved.
Write ``t_ij = x_ij / d_j`` for the share of j served from i (``t_ij <= z_ij``;
with hard demand ``t_ij = z_ij``) and ``sigma_j`` for the unserved share.
Relax the demand rows ``sum_i t_ij + sigma_j = 1`` with multipliers
``lambda_j`` (and drop ``z``: ``t_ij <= y_i`` stays).  What is left splits
by site: for an open site i, a continuous knapsack over the customers with
``a_ij = d_j c_ij - lambda_j < 0`` (weights ``d_j``, capacity ``u_i``), value
``rho_i``; then the sites are chosen by ``v_i = f_i + rho_i`` under the
site-count rule (sites in service always open).  For every ``lambda``

    L(lambda) = sum_j lambda_j + sum_{chosen i} v_i + sum_j min(0, P d_j - lambda_j)

is a lower bound on the MIP (``P`` the unserved penalty; no ``sigma`` without
one; the cover row is not needed for the bound), and its best value equals the
strong LP bound (the knapsacks are continuous).  Subgradient steps move
``lambda`` towards it; each step costs a few numpy passes over the m x n costs.

Fixing.  Forcing ``t_ij = 1`` raises the relaxed value by at least
``delta_i + rc_ij`` with ``rc_ij = max(0, a_ij - theta_i d_j)``: ``theta_i <= 0``
is the knapsack's capacity price (its critical ratio) and ``delta_i >= 0`` the
cost of opening i if the rule did not choose it (``v_i`` minus the worst chosen
value when the count is full).  With unserved slack a solution may use arc
(i, j) for only a share ``t`` of j, the rest unserved (``sigma_j = 1 - t``):
that raises the relaxed value by at least
``delta_i + t rc_ij + (1 - t) q_j - min(0, q_j)``, ``q_j = P d_j - lambda_j``,
which is linear in t, so its least value over ``0 < t <= 1`` is
``delta_i + min(rc_ij, max(0, q_j))``.  So ``F_ij = L(lambda) + delta_i + rc_ij``
(hard demand) or ``L(lambda) + delta_i + min(rc_ij, max(0, q_j))`` (slack)
bounds every solution that uses arc (i, j) at all, for every ``lambda``; the
largest over all steps is kept.  With an incumbent of cost ``UB``, arcs with ``F_ij > UB`` cannot be
in a better solution and are dropped; the MIP over the rest, started from the
incumbent, has the optimum of the full model.

Everything here is plain numpy; the orchestration (incumbent, reduced MIP) is
:func:`wufei_gis.optimization.cflp.solve_cflp`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from wufei_gis.progress import CancelCallback

from ._build import CFLPData, CFLPOptions

__all__ = ["LagrangianBound", "fixable_arcs", "lagrangian_bound"]


@dataclass
class LagrangianBound:
    """Result of :func:`lagrangian_bound`.

    Attributes
    ----------
    bound
        Best ``L(lambda)``: a lower bound on every solution (objective units).
    multipliers
        ``(n,)`` the ``lambda`` that gave it.
    arc_bound
        ``(m, n)`` ``F_ij``: a lower bound on every solution that serves j, or
        a part of it, from i (``inf`` for arcs not allowed).
    site_bound
        ``(m,)`` a lower bound on every solution that opens site i.
    chosen
        ``(m,)`` bool, sites open in the relaxed solution at the best ``lambda``.
    recent
        ``(m,)`` bool, sites open in the relaxed solution in any of the last
        100 steps (a wider site set for finding an incumbent).
    iterations, runtime_s
        Subgradient steps taken and wall time.
    """

    bound: float
    multipliers: np.ndarray
    arc_bound: np.ndarray
    site_bound: np.ndarray
    chosen: np.ndarray
    recent: np.ndarray
    iterations: int
    runtime_s: float


def _knapsacks(
    a: np.ndarray, d: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Continuous knapsack of every site: min ``sum_j a_ij z_j`` s.t.
    ``sum_j d_j z_j <= u_i``, ``0 <= z <= 1``.

    Returns ``rho`` (m,) optimal values, ``theta`` (m,) capacity prices
    (critical ratio ``a/d``, <= 0; 0 when capacity is not binding) and ``z``
    (m, n) the solution.
    """
    m, n = a.shape
    rows = np.arange(m)
    neg = a < 0
    ratio = np.where(neg, a / d[None, :], np.inf)
    order = np.argsort(ratio, axis=1)
    neg_sorted = np.take_along_axis(neg, order, axis=1)
    cum = np.cumsum(d[order] * neg_sorted, axis=1)
    full = (cum <= u[:, None] * (1 + 1e-12)) & neg_sorted
    k = full.sum(axis=1)  # items taken whole: a prefix of the order
    crit = order[rows, np.minimum(k, n - 1)]
    partial = (k < n) & neg[rows, crit]
    before = np.where(k > 0, cum[rows, np.maximum(k - 1, 0)], 0.0)
    z = np.zeros((m, n))
    np.put_along_axis(z, order, full.astype(float), axis=1)
    frac = np.clip((u - before) / d[crit], 0.0, 1.0)
    z[rows[partial], crit[partial]] = frac[partial]
    theta = np.where(partial, ratio[rows, crit], 0.0)
    rho = (np.where(neg, a, 0.0) * z).sum(axis=1)
    return rho, theta, z


def lagrangian_bound(
    data: CFLPData,
    options: CFLPOptions | None = None,
    *,
    upper_bound: float | None = None,
    start: LagrangianBound | None = None,
    max_iterations: int = 400,
    time_limit_s: float | None = None,
    should_cancel: CancelCallback | None = None,
) -> LagrangianBound:
    """Subgradient optimization of the Lagrangian bound (module docstring).

    ``data`` and ``options`` are those of
    :func:`wufei_gis.optimization.cflp.build_cflp` (single sourcing; of the
    options only the penalty and the site-count rule are used), plus:

    upper_bound
        Cost of a known solution, the target of the step size (Polyak).  Without
        one the target is 5 % above the best bound so far.
    start
        A previous result: continue from its multipliers and keep its arc and
        site bounds (they stay valid).
    max_iterations, time_limit_s, should_cancel
        Stop rules.  The step halves after 20 steps without improvement; the
        loop also stops when the bound reaches ``upper_bound`` or the step
        vanishes.
    """
    opts = options if options is not None else CFLPOptions()
    unserved_penalty, max_new, exact_new = opts.unserved_penalty, opts.max_new, opts.exact_new
    t0 = time.perf_counter()
    d, u, f, c, op = data.arrays()
    m, n = c.shape
    f = np.where(op, 0.0, f)
    served = d > 0
    cost = np.where(np.isfinite(c) & served[None, :], c * d[None, :], np.inf)
    new = np.flatnonzero(~op)
    p = None if max_new is None else int(max_new)
    if p is not None and exact_new and p > new.size:
        msg = f"exactly {p} new sites asked for, but only {new.size} candidates"
        raise ValueError(msg)
    pen = None if unserved_penalty is None else float(unserved_penalty) * d

    lam, arc_bound, site_bound, last = _initial_state(start, cost, served)
    if start is not None:
        best, best_lam, best_chosen = start.bound, lam.copy(), start.chosen.copy()
    else:
        best, best_lam, best_chosen = -np.inf, lam.copy(), op.copy()
    arc_bound[~np.isfinite(cost)] = np.inf

    step = 2.0
    stall = 0
    it = 0
    for it in range(1, max_iterations + 1):
        a = cost - lam[None, :]
        rho, theta, z = _knapsacks(a, d, u)
        v = f + rho
        chosen = op.copy()
        pick = _pick_sites(v, new, p, exact_new=exact_new)
        chosen[pick] = True
        last[chosen] = it
        bound = float(lam[served].sum() + v[chosen].sum())
        sigma = np.zeros(n)
        if pen is not None:
            sv = pen - lam
            sigma = (sv < 0) & served
            bound += float(sv[sigma].sum())
        delta = _opening_cost(v, chosen, pick, full=p is not None and (exact_new or pick.size >= p))
        delta[op] = 0.0
        rc = np.maximum(0.0, a - theta[:, None] * d[None, :])
        rc[z >= 1.0 - 1e-12] = 0.0
        if pen is not None:  # the arc may serve only a share of j, the rest unserved
            np.minimum(rc, np.maximum(0.0, pen - lam)[None, :], out=rc)
        np.maximum(arc_bound, bound + delta[:, None] + rc, out=arc_bound)
        np.maximum(site_bound, bound + delta, out=site_bound)
        if not np.isfinite(best) or bound > best + 1e-9 * max(1.0, abs(best)):
            best, best_lam, best_chosen = bound, lam.copy(), chosen.copy()
            stall = 0
        else:
            stall += 1
            if stall >= 20:
                step /= 2.0
                stall = 0
        target = upper_bound if upper_bound is not None else best + 0.05 * abs(best) + 1.0
        if target - bound <= 1e-7 * max(1.0, abs(target)):
            break
        g = np.where(served, 1.0 - z[chosen].sum(axis=0) - sigma, 0.0)
        norm = float(g @ g)
        if norm < 1e-12 or step < 1e-5:
            break
        lam = lam + step * (target - bound) / norm * g
        if time_limit_s is not None and time.perf_counter() - t0 > time_limit_s:
            break
        if should_cancel is not None and should_cancel():
            break
    arc_bound[~np.isfinite(cost)] = np.inf
    return LagrangianBound(
        best,
        best_lam,
        arc_bound,
        site_bound,
        best_chosen,
        (last > it - 100) | best_chosen,
        it,
        time.perf_counter() - t0,
    )


def _initial_state(
    start: LagrangianBound | None, cost: np.ndarray, served: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Multipliers, arc and site bounds and last-chosen step to start the subgradient loop from.

    From ``start`` when given (copies), else the cheapest cost of each served
    customer, bounds at ``-inf`` and no site chosen recently.
    """
    m, n = cost.shape
    if start is not None:
        lam = start.multipliers.copy()
        return (
            lam,
            start.arc_bound.copy(),
            start.site_bound.copy(),
            np.where(start.recent, 0, -(10**9)),
        )
    finite = np.where(np.isfinite(cost), cost, np.nan)
    lam = np.where(
        served,
        np.nan_to_num(np.nanmin(finite, axis=0), nan=0.0) if np.isfinite(cost).any() else 0.0,
        0.0,
    )
    return lam, np.full((m, n), -np.inf), np.full(m, -np.inf), np.full(m, -(10**9))


def _pick_sites(v: np.ndarray, new: np.ndarray, p: int | None, *, exact_new: bool) -> np.ndarray:
    """Candidates open in the relaxed solution.

    The ``p`` of least ``v`` (exactly p new sites), else those with ``v < 0``
    (at most ``p`` of them with a site-count limit).
    """
    order: np.ndarray = new[np.argsort(v[new], kind="stable")]
    if p is not None and exact_new:
        return order[:p]
    pick: np.ndarray = order[v[order] < 0]
    if p is not None:
        pick = pick[:p]
    return pick


def _opening_cost(v: np.ndarray, chosen: np.ndarray, pick: np.ndarray, *, full: bool) -> np.ndarray:
    """Increase of the bound if a site the rule left closed were opened.

    ``v`` is each site's relaxed value, ``pick`` the candidates chosen; with
    ``full`` (the site count is at its limit) opening one means dropping the
    worst chosen one.
    """
    worst = (float(v[pick].max()) if pick.size else -np.inf) if full else 0.0
    delta: np.ndarray = np.where(
        chosen, 0.0, np.maximum(0.0, v - worst) if full else np.maximum(0.0, v)
    )
    return delta


def fixable_arcs(lb: LagrangianBound, upper_bound: float, *, rel_tol: float = 1e-9) -> np.ndarray:
    """Arcs that may appear in a solution no worse than ``upper_bound``.

    Returns an ``(m, n)`` bool mask: ``F_ij <= UB`` and the site's bound
    ``<= UB`` (plus ``rel_tol * |UB|`` for round-off).  Every solution of cost
    ``<= UB`` uses only arcs in the mask.
    """
    slack = upper_bound + rel_tol * max(1.0, abs(upper_bound))
    return (lb.arc_bound <= slack) & (lb.site_bound <= slack)[:, None]
