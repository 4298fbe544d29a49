"""Single-echelon capacitated facility location (CFLP) on plain arrays.

Model (see ``docs/model.md``)::

    min   sum_i f_i y_i  +  sum_ij c_ij x_ij  +  p sum_j s_j
    s.t.  sum_i x_ij + s_j = d_j                 (demand, every customer j)
          sum_j x_ij      <= u_i y_i             (capacity, every site i)
          x_ij            <= d_j y_i             (strong linking, optional)
          x, s >= 0,  y binary;  y_i = 1 and f_i not charged for sites in service

With ``single_sourcing`` a binary z_ij picks the one site serving all of j
(``x_ij = d_j z_ij`` substituted out): ``sum_i z_ij + s_j / d_j = 1``,
``sum_j d_j z_ij <= u_i y_i``, ``z_ij <= y_i``; a customer is then served
wholly by one site or reported unserved.

Pairs with ``c_ij = inf`` get no variable at all (pruned).  A capacity
shortfall shows up as positive unserved ``s_j``, never as infeasibility; only
``unserved_penalty=None`` (hard demand, used for the OR-Library benchmarks)
can make the model infeasible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pulp

from wufei_gis.progress import CancelCallback

from ._build import Rows, group, make_vars, pairs_of
from .solver import SolveResult, solve_problem

__all__ = ["CFLPModel", "CFLPSolution", "build_cflp", "solve_cflp", "read_cflp_solution"]


@dataclass
class CFLPModel:
    """A built CFLP: the PuLP problem and the variables in array order."""

    prob: pulp.LpProblem
    arc_i: np.ndarray
    arc_j: np.ndarray
    x: list[pulp.LpVariable]
    y: list[pulp.LpVariable]
    s: list[pulp.LpVariable] | None
    z: list[pulp.LpVariable] | None
    capacity_rows: list[pulp.LpConstraint]
    shape: tuple[int, int]
    fixed_cost: np.ndarray
    unit_cost: np.ndarray
    is_open: np.ndarray
    unserved_penalty: float | None
    demand: np.ndarray


@dataclass
class CFLPSolution:
    """Solution of a CFLP.

    Attributes
    ----------
    open
        ``(m,)`` bool, site open (in service or newly opened).
    flows
        ``(m, n)`` float, quantity from site i to customer j (demand units, t/d).
    unserved
        ``(n,)`` float, demand left unserved.
    fixed_cost, transport_cost, unserved_cost, objective
        Objective parts in objective units (yuan/day in the planning model).
    result
        The :class:`SolveResult` of the solver run.
    """

    open: np.ndarray
    flows: np.ndarray
    unserved: np.ndarray
    fixed_cost: float
    transport_cost: float
    unserved_cost: float
    objective: float
    result: SolveResult

    @property
    def status(self) -> str:
        """Solver status (see :data:`wufei_gis.optimization.solver.STATUSES`)."""
        return self.result.status


def _as(a: object, shape: tuple[int, ...], what: str) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if arr.shape != shape:
        msg = f"{what} must have shape {shape} (got {arr.shape})"
        raise ValueError(msg)
    return arr


def build_cflp(
    demand: np.ndarray,
    capacity: np.ndarray,
    fixed_cost: np.ndarray,
    unit_cost: np.ndarray,
    *,
    is_open: np.ndarray | None = None,
    unserved_penalty: float | None = 5000.0,
    single_sourcing: bool = False,
    strong_linking: bool = True,
    max_new: int | None = None,
    exact_new: bool = False,
) -> CFLPModel:
    """Build the CFLP as a :class:`pulp.LpProblem`.

    Parameters
    ----------
    demand
        ``(n,)`` demand d_j of each customer, t/d.
    capacity
        ``(m,)`` capacity u_i of each site, t/d.
    fixed_cost
        ``(m,)`` fixed cost f_i of opening site i, objective units (yuan/day).
    unit_cost
        ``(m, n)`` cost c_ij per unit (t) served from i to j; ``inf`` = not allowed.
    is_open
        ``(m,)`` bool, sites already in service: fixed open, no fixed cost.
    unserved_penalty
        Cost p per unit of unserved demand; ``None`` = demand must be met (no
        slack; the model may then be infeasible).
    single_sourcing
        Each customer is served by at most one site.
    strong_linking
        Add ``x_ij <= d_j y_i`` (tighter LP bound, more rows).
    max_new
        At most (or with ``exact_new`` exactly) this many sites newly opened.
    """
    d = np.asarray(demand, dtype=float).ravel()
    n = d.size
    u = np.asarray(capacity, dtype=float).ravel()
    m = u.size
    f = _as(fixed_cost, (m,), "fixed_cost")
    c = _as(unit_cost, (m, n), "unit_cost")
    op = np.zeros(m, bool) if is_open is None else np.asarray(is_open, bool).reshape(m)
    if (d < 0).any() or (u < 0).any():
        msg = "demand and capacity must be >= 0"
        raise ValueError(msg)

    prob = pulp.LpProblem("cflp", pulp.LpMinimize)
    rows = Rows(prob)
    ai, aj = np.nonzero(np.isfinite(c) & (d[None, :] > 0))
    cost = c[ai, aj]
    z = make_vars(prob, "z", ai.size, up=1, cat=pulp.LpInteger) if single_sourcing else None
    x = [] if single_sourcing else make_vars(prob, "x", ai.size)
    y = [prob.add_variable(f"y{i}", 1 if op[i] else 0, 1, pulp.LpInteger) for i in range(m)]
    s = make_vars(prob, "s", n) if unserved_penalty is not None else None

    by_j = group(aj, n)
    by_i = group(ai, m)
    dj = d[aj]
    if single_sourcing:
        # x_ij = d_j z_ij is substituted: z binary, u_j = unserved fraction.
        # A customer is served wholly by one site or reported unserved.
        x = z  # type: ignore[assignment]
        for j in range(n):
            if d[j] <= 0:
                continue
            pj = pairs_of(z, by_j[j])
            if s is not None:
                pj.append((s[j], 1.0 / d[j]))
            rows.add(pj, pulp.LpConstraintEQ, 1.0, f"dem{j}")
        cap_rows = []
        for i in range(m):
            pi = pairs_of(z, by_i[i], dj)
            pi.append((y[i], -u[i]))
            cap_rows.append(rows.add(pi, pulp.LpConstraintLE, 0.0, f"cap{i}"))
        for k, i in enumerate(ai.tolist()):
            if not op[i]:
                rows.add([(z[k], 1.0), (y[i], -1.0)], pulp.LpConstraintLE, 0.0, f"zy{k}")
        cost = cost * dj
    else:
        for j in range(n):
            pj = pairs_of(x, by_j[j])
            if s is not None:
                pj.append((s[j], 1.0))
            rows.add(pj, pulp.LpConstraintEQ, d[j], f"dem{j}")
        cap_rows = []
        for i in range(m):
            pi = pairs_of(x, by_i[i])
            pi.append((y[i], -u[i]))
            cap_rows.append(rows.add(pi, pulp.LpConstraintLE, 0.0, f"cap{i}"))
        if strong_linking:
            dl = dj.tolist()
            for k, i in enumerate(ai.tolist()):
                if not op[i]:
                    rows.add([(x[k], 1.0), (y[i], -dl[k])], pulp.LpConstraintLE, 0.0, f"lk{k}")
    new = np.flatnonzero(~op)
    if max_new is not None:
        sense = pulp.LpConstraintEQ if exact_new else pulp.LpConstraintLE
        rows.add(pairs_of(y, new), sense, float(max_new), "nsites")

    obj = pairs_of(y, new, f) + pairs_of(x, np.arange(ai.size), cost)
    if s is not None:
        obj += [(v, float(unserved_penalty)) for v in s]
    prob.setObjective(pulp.LpAffineExpression(obj))
    return CFLPModel(prob, ai, aj, x, y, s, z, cap_rows, (m, n), f, c, op,
                     None if unserved_penalty is None else float(unserved_penalty), d)


def read_cflp_solution(model: CFLPModel, result: SolveResult) -> CFLPSolution:
    """Interpret the variable values of a solved :class:`CFLPModel`."""
    m, n = model.shape
    flows = np.zeros((m, n))
    unserved = np.zeros(n)
    is_open = model.is_open.copy()
    if result.has_solution:
        xv = np.array([v.varValue or 0.0 for v in model.x])
        if model.z is not None:  # single sourcing: x = d z
            xv = np.round(xv) * model.demand[model.arc_j]
        xv[np.abs(xv) < 1e-9] = 0.0
        flows[model.arc_i, model.arc_j] = xv
        is_open = np.array([(v.varValue or 0.0) > 0.5 for v in model.y])
        if model.s is not None:
            unserved = np.array([max(v.varValue or 0.0, 0.0) for v in model.s])
            if model.z is not None:
                unserved = model.demand - flows.sum(axis=0)
            unserved[unserved < 1e-9] = 0.0
    fixed = float(model.fixed_cost[is_open & ~model.is_open].sum())
    transport = float((flows[model.arc_i, model.arc_j] * model.unit_cost[model.arc_i, model.arc_j]).sum())
    pen = float(unserved.sum() * (model.unserved_penalty or 0.0))
    return CFLPSolution(is_open, flows, unserved, fixed, transport, pen,
                        fixed + transport + pen, result)


def solve_cflp(
    demand: np.ndarray,
    capacity: np.ndarray,
    fixed_cost: np.ndarray,
    unit_cost: np.ndarray,
    *,
    is_open: np.ndarray | None = None,
    unserved_penalty: float | None = 5000.0,
    single_sourcing: bool = False,
    strong_linking: bool = True,
    max_new: int | None = None,
    exact_new: bool = False,
    solver: str = "highs",
    time_limit_s: float | None = None,
    mip_gap: float = 1e-4,
    threads: int | None = None,
    should_cancel: CancelCallback | None = None,
    msg: bool = False,
) -> CFLPSolution:
    """Build, solve and interpret a CFLP (see :func:`build_cflp` for the data).

    Solver options are those of :func:`wufei_gis.optimization.solver.solve_problem`.
    """
    model = build_cflp(demand, capacity, fixed_cost, unit_cost, is_open=is_open,
                       unserved_penalty=unserved_penalty, single_sourcing=single_sourcing,
                       strong_linking=strong_linking, max_new=max_new, exact_new=exact_new)
    res = solve_problem(model.prob, solver=solver, time_limit_s=time_limit_s, mip_gap=mip_gap,
                        threads=threads, should_cancel=should_cancel, msg=msg)
    return read_cflp_solution(model, res)
