"""Single-echelon capacitated facility location (CFLP) on plain arrays.

Model (see ``docs/model.md``)::

    min   sum_i f_i y_i  +  sum_ij c_ij x_ij  +  p sum_j s_j
    s.t.  sum_i x_ij + s_j = d_j                 (demand, every customer j)
          sum_j x_ij      <= u_i y_i             (capacity, every site i)
          x_ij            <= d_j y_i             (strong linking, optional)
          x, s >= 0,  y binary;  y_i = 1 and f_i not charged for sites in service

With ``single_sourcing`` a binary z_ij picks the one site that serves j:
the served part of j goes to one site, the rest, if any, is unserved (the
capacity gap), as in the two-echelon model::

          x_ij <= d_j z_ij,  sum_i z_ij <= 1,  z_ij <= y_i     (z binary)

With hard demand (``unserved_penalty=None``) the served part is all of d_j,
so ``x_ij = d_j z_ij`` is substituted out (z only): ``sum_i z_ij = 1``,
``sum_j d_j z_ij <= u_i y_i``, ``z_ij <= y_i``; a customer is served wholly
by one site (the classic single-source CFLP / capacitated p-median).

Large split-demand models (``strong_linking="auto"``, from :data:`LAZY_MIN_ARCS`
arcs) get only the strong rows an LP cutting-plane loop finds violated
(:func:`lazy_linking_arcs`), plus a MIP start from the MIP restricted to the
sites the LP uses; the MIP optimum is that of the full formulation.

Pairs with ``c_ij = inf`` get no variable at all (pruned).  A capacity
shortfall shows up as positive unserved ``s_j``, never as infeasibility; only
``unserved_penalty=None`` (hard demand, used for the OR-Library benchmarks)
can make the model infeasible.

Size: this module is over 500 lines (about 1000) because it holds one
formulation (the single-echelon CFLP) with its builder, the lazy strong-linking
loop, the exact arc reduction's orchestration and the solution reader; each is
a small function over the same arrays.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from wufei_gis.progress import CancelCallback

from ._build import CFLPData, CFLPOptions, Rows, group, make_vars, pairs_of
from .solver import SolveResult, SolverOptions, new_highs, solve_problem

__all__ = [
    "LAZY_MIN_ARCS",
    "ArcReduction",
    "CFLPData",
    "CFLPModel",
    "CFLPOptions",
    "CFLPSolution",
    "LazyLinking",
    "Strategy",
    "build_cflp",
    "cflp_arcs",
    "choose_strategy",
    "is_uncapacitated",
    "lazy_linking_arcs",
    "read_cflp_solution",
    "reduce_single_sourcing",
    "single_sourcing_start",
    "solve_cflp",
]

#: ``strong_linking="auto"`` generates the strong rows lazily (cutting planes on
#: the LP relaxation) from this many arcs on; below it all rows are added.
LAZY_MIN_ARCS = 20_000


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
    lazy, reduction
        What the lazy strong-linking loop and the arc reduction did (or ``None``).
    strategy
        How the model was solved and why (:meth:`Strategy.describe`).
    """

    open: np.ndarray
    flows: np.ndarray
    unserved: np.ndarray
    fixed_cost: float
    transport_cost: float
    unserved_cost: float
    objective: float
    result: SolveResult
    lazy: LazyLinking | None = None
    reduction: ArcReduction | None = None
    strategy: str = ""

    @property
    def status(self) -> str:
        """Solver status (see :data:`wufei_gis.optimization.solver.STATUSES`)."""
        return self.result.status


@dataclass
class ArcReduction:
    """What :func:`reduce_single_sourcing` did.

    Attributes
    ----------
    keep
        ``(m, n)`` bool, arcs given to the MIP; ``None`` = no reduction.
    lower_bound
        Best Lagrangian bound (objective units), ``None`` if not computed.
    upper_bound
        Cost of the incumbent used for fixing, or ``None``.
    start_open, start_site
        The incumbent: ``(m,)`` open sites and ``(n,)`` serving site of each
        customer (``-1`` = unserved); the MIP start.
    start_served
        ``(n,)`` t/d of each customer the incumbent serves from ``start_site``
        (less than the demand when the rest is unserved), or ``None``.
    arcs, kept
        Arcs in the full model and arcs kept.
    iterations, runtime_s
        Subgradient steps, and wall time of bound + incumbent + fixing.
    """

    keep: np.ndarray | None
    lower_bound: float | None
    upper_bound: float | None
    start_open: np.ndarray | None
    start_site: np.ndarray | None
    arcs: int
    kept: int
    iterations: int
    runtime_s: float
    start_served: np.ndarray | None = None


@dataclass
class LazyLinking:
    """Outcome of the strong-linking cutting-plane loop on the LP relaxation.

    Attributes
    ----------
    arcs
        Arc positions (:func:`cflp_arcs` order) whose row ``x_ij <= d_j y_i``
        was violated in some round and is therefore kept.
    lp_bound
        LP relaxation value with the kept rows = the strong LP bound when
        ``complete`` (no strong row is violated by the final LP solution).
    complete
        Whether the loop ended with no violated row (else it hit the round or
        time limit, and ``lp_bound`` is weaker).
    rounds, runtime_s
        LP solves and wall time of the loop (including the start heuristic).
    start, start_objective
        A feasible MIP start ``{variable name: value}`` (best solution of the
        MIP restricted to the sites the LP uses) and its objective, or
        ``None`` when none was found.
    stalled
        The loop stopped because it had added more than ``max_share`` of the
        rows: :func:`solve_cflp` then builds the MIP with every strong row.
    plateau
        The loop stopped early because its LP bound no longer rose (the MIP
        gets the rows found so far; HiGHS's own cuts take over).
    """

    arcs: np.ndarray
    lp_bound: float
    complete: bool
    rounds: int
    runtime_s: float
    start: dict[str, float] | None = None
    start_objective: float | None = None
    stalled: bool = False
    plateau: bool = False


def cflp_arcs(demand: np.ndarray, unit_cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Site and customer index of every arc that gets a variable (finite cost, d_j > 0)."""
    ai, aj = np.nonzero(np.isfinite(unit_cost) & (np.asarray(demand)[None, :] > 0))
    return ai, aj


@dataclass(frozen=True)
class _Arcs:
    """The checked data of a CFLP with its arcs (positions in :func:`cflp_arcs` order)."""

    d: np.ndarray
    u: np.ndarray
    op: np.ndarray
    ai: np.ndarray
    aj: np.ndarray
    dj: np.ndarray  # demand of the customer of each arc

    @functools.cached_property
    def by_i(self) -> list[np.ndarray]:
        """Arc positions of each site."""
        return group(self.ai, self.u.size)

    @functools.cached_property
    def by_j(self) -> list[np.ndarray]:
        """Arc positions of each customer."""
        return group(self.aj, self.d.size)


def _hard_demand_rows(
    rows: Rows, ix: _Arcs, z: list[pulp.LpVariable], y: list[pulp.LpVariable]
) -> list[pulp.LpConstraint]:
    """Rows of single sourcing with hard demand (``x_ij = d_j z_ij`` substituted).

    Returns the capacity rows.
    """
    for j in range(ix.d.size):
        if ix.d[j] <= 0:
            continue
        rows.add(pairs_of(z, ix.by_j[j]), pulp.LpConstraintEQ, 1.0, f"dem{j}")
    cap_rows = _capacity_rows(rows, ix, z, y, ix.dj)
    _z_below_y_rows(rows, ix, z, y)
    return cap_rows


def _capacity_rows(
    rows: Rows,
    ix: _Arcs,
    x: list[pulp.LpVariable],
    y: list[pulp.LpVariable],
    coef: float | np.ndarray = 1.0,
) -> list[pulp.LpConstraint]:
    """Rows ``sum_j coef_ij x_ij <= u_i y_i`` (``cap{i}``), one per site; returns them."""
    cap_rows = []
    for i in range(ix.u.size):
        pi = pairs_of(x, ix.by_i[i], coef)
        pi.append((y[i], -ix.u[i]))
        cap_rows.append(rows.add(pi, pulp.LpConstraintLE, 0.0, f"cap{i}"))
    return cap_rows


def _z_below_y_rows(
    rows: Rows, ix: _Arcs, z: list[pulp.LpVariable], y: list[pulp.LpVariable]
) -> None:
    """Rows ``z_ij <= y_i`` (``zy{k}``) for the arcs to candidates (open sites need none)."""
    for k, i in enumerate(ix.ai.tolist()):
        if not ix.op[i]:
            rows.add([(z[k], 1.0), (y[i], -1.0)], pulp.LpConstraintLE, 0.0, f"zy{k}")


def _split_demand_rows(
    rows: Rows,
    ix: _Arcs,
    x: list[pulp.LpVariable],
    y: list[pulp.LpVariable],
    s: list[pulp.LpVariable] | None,
) -> list[pulp.LpConstraint]:
    """Demand rows (with the unserved slack ``s`` if any) and capacity rows; returns the latter."""
    for j in range(ix.d.size):
        pj = pairs_of(x, ix.by_j[j])
        if s is not None:
            pj.append((s[j], 1.0))
        rows.add(pj, pulp.LpConstraintEQ, ix.d[j], f"dem{j}")
    return _capacity_rows(rows, ix, x, y)


def _single_sourcing_rows(
    rows: Rows,
    ix: _Arcs,
    x: list[pulp.LpVariable],
    z: list[pulp.LpVariable],
    y: list[pulp.LpVariable],
) -> None:
    """Single sourcing with slack: the served part of j comes from one site, the rest is s_j.

    ``x_ij <= d_j z_ij``, ``z_ij <= y_i`` (candidates), ``sum_i z_ij <= 1``.
    """
    for k, dk in enumerate(ix.dj.tolist()):
        rows.add([(x[k], 1.0), (z[k], -dk)], pulp.LpConstraintLE, 0.0, f"xz{k}")
    _z_below_y_rows(rows, ix, z, y)
    for j in range(ix.d.size):
        if ix.by_j[j].size:
            rows.add(pairs_of(z, ix.by_j[j]), pulp.LpConstraintLE, 1.0, f"one{j}")


def _strong_linking_rows(
    rows: Rows,
    ix: _Arcs,
    x: list[pulp.LpVariable],
    y: list[pulp.LpVariable],
    link_arcs: np.ndarray | None,
) -> None:
    """Rows ``x_ij <= d_j y_i`` for the arcs ``link_arcs`` (``None`` = all) to candidates."""
    ai, dj = ix.ai, ix.dj
    ks = np.arange(ai.size) if link_arcs is None else np.unique(np.asarray(link_arcs, int))
    ks = ks[~ix.op[ai[ks]]]
    for k, i, dk in zip(ks.tolist(), ai[ks].tolist(), dj[ks].tolist(), strict=True):
        rows.add([(x[k], 1.0), (y[i], -dk)], pulp.LpConstraintLE, 0.0, f"lk{k}")


def _site_rows(
    rows: Rows, ix: _Arcs, y: list[pulp.LpVariable], opts: CFLPOptions, *, cover_row: bool
) -> None:
    """The cover row (if asked and needed) and the new-site count row (if ``max_new``)."""
    d, u, op = ix.d, ix.u, ix.op
    new = np.flatnonzero(~op)
    if cover_row and new.size:
        need = float(d.sum() - u[op].sum())
        if need > 0:
            rows.add(pairs_of(y, new, u), pulp.LpConstraintGE, need, "cover")
    if opts.max_new is not None:
        sense = pulp.LpConstraintEQ if opts.exact_new else pulp.LpConstraintLE
        rows.add(pairs_of(y, new), sense, float(opts.max_new), "nsites")


def build_cflp(
    data: CFLPData,
    options: CFLPOptions | None = None,
    *,
    link_arcs: np.ndarray | None = None,
    cover_row: bool | None = None,
) -> CFLPModel:
    """Build the CFLP as a :class:`pulp.LpProblem`.

    Parameters
    ----------
    data
        Demand, capacities, costs and sites in service (:class:`CFLPData`).
    options
        Modelling options (:class:`CFLPOptions`; ``None`` = the defaults).  The
        strong linking rows are added unless ``strong_linking`` is ``False``.
    link_arcs
        With strong linking: add the strong rows only for these arcs
        (positions in :func:`cflp_arcs` order), e.g. those found by
        :func:`lazy_linking_arcs`; ``None`` = every arc.
    cover_row
        Add ``sum_i u_i y_i >= sum_j d_j`` (open capacity covers demand; sites in
        service count as constants).  Valid only when demand must be met, so the
        default (``None``) adds it exactly when ``unserved_penalty is None``.
    """
    opts = options if options is not None else CFLPOptions()
    unserved_penalty, single_sourcing = opts.unserved_penalty, opts.single_sourcing
    d, u, f, c, op = data.arrays()
    m, n = c.shape
    if (d < 0).any() or (u < 0).any():
        msg = "demand and capacity must be >= 0"
        raise ValueError(msg)

    prob = pulp.LpProblem("cflp", pulp.LpMinimize)
    rows = Rows(prob)
    ai, aj = cflp_arcs(d, c)
    ix = _Arcs(d, u, op, ai, aj, d[aj])
    cost = c[ai, aj]
    substitute = single_sourcing and unserved_penalty is None  # x_ij = d_j z_ij
    z = make_vars(prob, "z", ai.size, up=1, cat=pulp.LpInteger) if single_sourcing else None
    x = [] if substitute else make_vars(prob, "x", ai.size)
    y = [prob.add_variable(f"y{i}", 1 if op[i] else 0, 1, pulp.LpInteger) for i in range(m)]
    s = make_vars(prob, "s", n) if unserved_penalty is not None else None

    if z is not None and substitute:
        # Hard demand: x_ij = d_j z_ij is substituted (z binary); a customer
        # is served wholly by one site.
        x = z
        cap_rows = _hard_demand_rows(rows, ix, z, y)
        cost = cost * ix.dj
    else:
        cap_rows = _split_demand_rows(rows, ix, x, y, s)
        if z is not None:
            _single_sourcing_rows(rows, ix, x, z, y)
        elif opts.strong_linking is not False:
            _strong_linking_rows(rows, ix, x, y, link_arcs)
    _site_rows(
        rows, ix, y, opts, cover_row=unserved_penalty is None if cover_row is None else cover_row
    )

    new = np.flatnonzero(~op)
    obj = pairs_of(y, new, f) + pairs_of(x, np.arange(ai.size), cost)
    if s is not None and unserved_penalty is not None:
        obj += [(v, float(unserved_penalty)) for v in s]
    prob.setObjective(pulp.LpAffineExpression(obj))
    return CFLPModel(
        prob,
        ai,
        aj,
        x,
        y,
        s,
        z,
        cap_rows,
        (m, n),
        f,
        c,
        op,
        None if unserved_penalty is None else float(unserved_penalty),
        d,
    )


def read_cflp_solution(model: CFLPModel, result: SolveResult) -> CFLPSolution:
    """Interpret the variable values of a solved :class:`CFLPModel`."""
    m, n = model.shape
    flows = np.zeros((m, n))
    unserved = np.zeros(n)
    is_open = model.is_open.copy()
    if result.has_solution:
        xv = np.array([v.varValue or 0.0 for v in model.x])
        if model.x is model.z:  # single sourcing, hard demand: x = d z
            xv = np.round(xv) * model.demand[model.arc_j]
        xv[np.abs(xv) < 1e-9] = 0.0
        flows[model.arc_i, model.arc_j] = xv
        is_open = np.array([(v.varValue or 0.0) > 0.5 for v in model.y])
        if model.s is not None:
            unserved = np.array([max(v.varValue or 0.0, 0.0) for v in model.s])
            unserved[unserved < 1e-9] = 0.0
    fixed = float(model.fixed_cost[is_open & ~model.is_open].sum())
    transport = float(
        (flows[model.arc_i, model.arc_j] * model.unit_cost[model.arc_i, model.arc_j]).sum()
    )
    pen = float(unserved.sum() * (model.unserved_penalty or 0.0))
    return CFLPSolution(
        is_open, flows, unserved, fixed, transport, pen, fixed + transport + pen, result
    )


@dataclass(frozen=True)
class Strategy:
    """How :func:`solve_cflp` solves an instance, and why.

    Attributes
    ----------
    single_sourcing
        Solve the single-sourcing model (asked for, or exact for this instance).
    strong_linking
        ``True`` (all rows), ``False`` or ``"lazy"``.
    arcs
        Arcs in the model (the size measurement).
    reason
        One line for logs and benchmarks.
    """

    single_sourcing: bool
    strong_linking: bool | str
    arcs: int
    reason: str

    def describe(self, lazy: LazyLinking | None = None) -> str:
        """The reason, plus how the lazy loop ended (if it ran)."""
        if lazy is not None and lazy.stalled:
            return self.reason + "; lazy loop stalled: all strong rows"
        if lazy is not None and lazy.plateau:
            return self.reason + "; lazy loop stopped at a flat bound: rows found so far"
        return self.reason


def is_uncapacitated(data: CFLPData) -> bool:
    """Whether no capacity can bind: every site can hold the whole demand.

    Then some optimal split-demand solution serves every customer wholly from
    its cheapest open site (or leaves it wholly unserved when the penalty is
    cheaper), so the single-sourcing model has the same optimum.
    """
    d, u, _, _, _ = data.arrays()
    return bool(u.size) and bool(np.all(u >= d.sum() * (1 + 1e-9)))


def choose_strategy(data: CFLPData, options: CFLPOptions, *, solver: str = "highs") -> Strategy:
    """Decide how to solve ``data`` from cheap measurements of the instance.

    ``strong_linking="auto"`` (the default) chooses:

    * single sourcing asked for → all strong rows (and the arc reduction,
      ``reduce_arcs="auto"``, on large instances);
    * split demand on a large instance (:data:`LAZY_MIN_ARCS` arcs) with no
      capacity that can bind (:func:`is_uncapacitated`) → the single-sourcing
      model with the arc reduction: the same optimum, and a Lagrangian bound
      that is tight for p-median-like models (a 500 × 500 p-median: under
      a second instead of minutes for the cutting-plane loop);
    * split demand, large, capacitated, HiGHS → lazy strong rows, falling back
      to all rows if the loop stalls (:func:`lazy_linking_arcs`);
    * otherwise all strong rows.

    An explicit ``strong_linking`` is kept (``"lazy"`` needs HiGHS and split
    demand, else all rows).
    """
    d, _, _, c, _ = data.arrays()
    arcs = int(cflp_arcs(d, c)[0].size)
    link, single = options.strong_linking, options.single_sourcing
    large, highs = arcs >= LAZY_MIN_ARCS, solver == "highs"
    if link == "auto":
        if single:
            return Strategy(True, True, arcs, "single sourcing: all strong rows")
        if large and highs and is_uncapacitated(data):
            why = "uncapacitated split demand: single-sourcing model with arc reduction (exact)"
            return Strategy(True, True, arcs, why)
        if large and highs:
            return Strategy(False, "lazy", arcs, "large capacitated split demand: lazy rows")
        return Strategy(False, True, arcs, "all strong rows")
    if link == "lazy" and (single or not highs):
        return Strategy(single, True, arcs, "lazy needs HiGHS and split demand: all strong rows")
    return Strategy(single, link, arcs, f"strong_linking={link!r} as asked")


def solve_cflp(
    data: CFLPData,
    options: CFLPOptions | None = None,
    *,
    solver_options: SolverOptions | None = None,
    should_cancel: CancelCallback | None = None,
) -> CFLPSolution:
    """Build, solve and interpret a CFLP.

    ``data`` is a :class:`CFLPData`, ``options`` a :class:`CFLPOptions`,
    ``solver_options`` a :class:`~wufei_gis.optimization.solver.SolverOptions`
    (``None`` = the defaults).  ``should_cancel`` is polled throughout.

    ``strong_linking``: ``True`` = all rows ``x_ij <= d_j y_i``; ``False`` =
    none; ``"lazy"`` = only those found by :func:`lazy_linking_arcs` (HiGHS
    cutting-plane loop on the LP relaxation; its LP solution also gives a MIP
    start when ``mip_start``; a loop that stalls falls back to all rows);
    ``"auto"`` (default) = decided by :func:`choose_strategy` (which may solve
    an uncapacitated split-demand instance as the equivalent single-sourcing
    model); the choice is in ``CFLPSolution.strategy``.
    Solver options are those of :func:`wufei_gis.optimization.solver.solve_problem`;
    ``time_limit_s`` covers the cutting-plane loop and the MIP together.

    ``reduce_arcs`` (single sourcing only): ``True`` = bound the model by
    Lagrangian relaxation of the demand rows, find an incumbent, drop every
    arc whose Lagrangian bound exceeds the incumbent's cost
    (:func:`reduce_single_sourcing`, :mod:`~wufei_gis.optimization.reduction`),
    and solve the MIP on the arcs left with the incumbent as start: same
    optimum, far fewer variables.
    ``"auto"`` (default) = ``True`` from :data:`LAZY_MIN_ARCS` arcs on with
    HiGHS.  What it did is in ``CFLPSolution.reduction``.
    """
    opts = options if options is not None else CFLPOptions()
    sopts = solver_options if solver_options is not None else SolverOptions()
    solver, time_limit_s, threads = sopts.solver, sopts.time_limit_s, sopts.threads
    if opts.strong_linking not in (True, False, "lazy", "auto"):
        msg_ = f"strong_linking must be True, False, 'lazy' or 'auto' (got {opts.strong_linking!r})"
        raise ValueError(msg_)
    t0 = time.perf_counter()
    d, u, f, c, op = data.arrays()
    plan = choose_strategy(data, opts, solver=solver)
    opts = dataclasses.replace(opts, single_sourcing=plan.single_sourcing)
    single_sourcing, link = plan.single_sourcing, plan.strong_linking
    large = plan.arcs >= LAZY_MIN_ARCS
    lazy_info = None
    reduction = None
    c_model = c
    if (
        single_sourcing
        and solver == "highs"
        and (opts.reduce_arcs is True or (opts.reduce_arcs == "auto" and large))
    ):
        try:
            reduction = reduce_single_sourcing(
                CFLPData(d, u, f, c, op),
                opts,
                time_limit_s=time_limit_s,
                threads=threads,
                should_cancel=should_cancel,
            )
        except ImportError:  # no highspy: the full model
            reduction = None
        if reduction is not None and reduction.keep is not None:
            c_model = np.where(reduction.keep, c, np.inf)
        if should_cancel is not None and should_cancel():  # don't build the full model
            res = SolveResult("cancelled", None, None, None, time.perf_counter() - t0, "highs")
            return CFLPSolution(
                op, np.zeros(c.shape), d.copy(), 0.0, 0.0, 0.0, 0.0, res, reduction=reduction
            )
    if link == "lazy":
        try:
            lazy_info = lazy_linking_arcs(
                data,
                opts,
                time_limit_s=None if time_limit_s is None else 0.5 * time_limit_s,
                start_time_s=60.0 if time_limit_s is None else min(60.0, 0.2 * time_limit_s),
                should_cancel=should_cancel,
            )
        except ImportError:  # no highspy: CBC runs the full formulation
            link = True
    stalled = lazy_info is not None and lazy_info.stalled
    model = build_cflp(
        dataclasses.replace(data, unit_cost=c_model),
        dataclasses.replace(opts, strong_linking=bool(link)),
        # a loop that stalled: every strong row (its start is still used)
        link_arcs=None if lazy_info is None or stalled else lazy_info.arcs,
    )
    left = None if time_limit_s is None else max(1.0, time_limit_s - (time.perf_counter() - t0))
    start = lazy_info.start if (lazy_info is not None and opts.mip_start) else None
    if (
        reduction is not None
        and reduction.start_open is not None
        and reduction.start_site is not None
        and opts.mip_start
    ):
        start = single_sourcing_start(
            model, reduction.start_open, reduction.start_site, reduction.start_served
        )
    res = solve_problem(
        model.prob,
        dataclasses.replace(sopts, time_limit_s=left),
        should_cancel=should_cancel,
        initial_values=start,
    )
    sol = read_cflp_solution(model, res)
    sol.lazy = lazy_info
    sol.reduction = reduction
    sol.strategy = plan.describe(lazy_info)
    return sol


def single_sourcing_start(
    model: CFLPModel, open_sites: np.ndarray, site_of: np.ndarray, served: np.ndarray | None = None
) -> dict[str, float]:
    """A MIP start for a single-sourcing :class:`CFLPModel`.

    ``open_sites`` is ``(m,)`` bool, ``site_of`` the site serving each customer
    (``-1`` = unserved), ``served`` the t/d it serves (default: the whole
    demand; with unserved slack the rest is unserved).  Arcs missing from the
    model are left out (the start is then infeasible and HiGHS ignores it).
    """
    if model.z is None:
        msg = "single_sourcing_start needs a model built with single_sourcing=True"
        raise ValueError(msg)
    m, n = model.shape
    d = model.demand
    amount = d if served is None else np.clip(np.asarray(served, float), 0.0, d)
    arc = np.full((m, n), -1, dtype=np.int64)
    arc[model.arc_i, model.arc_j] = np.arange(model.arc_i.size)
    start = {v.name: float(o) for v, o in zip(model.y, np.asarray(open_sites, bool), strict=True)}
    substituted = model.x is model.z
    for j, i in enumerate(np.asarray(site_of, int).tolist()):
        if d[j] <= 0:
            continue
        got = 0.0
        if i >= 0 and arc[i, j] >= 0:
            start[model.z[arc[i, j]].name] = 1.0
            got = float(d[j] if substituted else amount[j])
            if not substituted:
                start[model.x[arc[i, j]].name] = got
        if model.s is not None:
            start[model.s[j].name] = float(d[j]) - got
    return start


def reduce_single_sourcing(
    data: CFLPData,
    options: CFLPOptions | None = None,
    *,
    arcs_per_customer: int = 5,
    time_limit_s: float | None = None,
    threads: int | None = None,
    should_cancel: CancelCallback | None = None,
) -> ArcReduction:
    """Lagrangian bound, incumbent and arc fixing (single sourcing).

    1. A first incumbent for exactly-p models with no sites in service:
       :func:`~wufei_gis.optimization.heuristics.pmedian_warm_start` (greedy
       add, regret assignment, swaps).
    2. :func:`~wufei_gis.optimization.reduction.lagrangian_bound` (400 steps).
    3. Incumbent: the MIP restricted to the sites open in the relaxed solution
       in the last 100 steps (and in the first incumbent) and, per customer, the
       ``arcs_per_customer`` arcs of least bound ``F_ij`` among them; <= 30 s.
    4. 200 more subgradient steps aimed at the best incumbent ``UB``.
    5. :func:`~wufei_gis.optimization.reduction.fixable_arcs`: the arcs that
       can be in a solution no worse than ``UB``.

    ``options`` gives the penalty and site-count rule (its other fields are
    not used).  Returns an :class:`ArcReduction`; ``keep`` is ``None`` when no
    incumbent was found (nothing can be fixed).
    """
    from .heuristics import pmedian_warm_start
    from .reduction import fixable_arcs, lagrangian_bound

    opts = options if options is not None else CFLPOptions()
    unserved_penalty, max_new, exact_new = opts.unserved_penalty, opts.max_new, opts.exact_new
    t0 = time.perf_counter()
    d, u, f, c, op = data.arrays()
    m, n = c.shape
    total = int(cflp_arcs(d, c)[0].size)
    out = ArcReduction(None, None, None, None, None, total, total, 0, 0.0)

    def cancelled() -> bool:
        return should_cancel is not None and should_cancel()

    def budget(share: float, cap: float) -> float:
        return cap if time_limit_s is None else max(0.5, min(cap, share * time_limit_s))

    if exact_new and max_new is not None and max_new > int((~op).sum()):
        return out  # cannot open that many: the MIP reports it infeasible
    ub, start_open, start_site = None, None, None
    if exact_new and max_new is not None and not op.any() and 0 < max_new <= m:
        cost = np.where(np.isfinite(c), c * d[None, :], 1e30)
        got = pmedian_warm_start(cost, d, u, int(max_new), time_budget_s=budget(0.05, 5.0))
        if got is not None and got[2] < 1e29:
            opened, site_of, obj = got
            start_open = np.zeros(m, bool)
            start_open[opened] = True
            site_of = np.where(d > 0, site_of, -1)
            ub, start_site = float(obj + f[opened].sum()), site_of
    arrays = CFLPData(d, u, f, c, op)
    lb = lagrangian_bound(
        arrays, opts, upper_bound=ub, time_limit_s=budget(0.2, 60.0), should_cancel=should_cancel
    )
    out.lower_bound, out.iterations = lb.bound, lb.iterations
    if cancelled():
        out.runtime_s = time.perf_counter() - t0
        return out

    support = op | lb.recent
    if start_open is not None:
        support |= start_open
    rank = np.where(support[:, None], lb.arc_bound, np.inf)
    kk = min(arcs_per_customer, m)
    best = (
        np.argpartition(rank, kk - 1, axis=0)[:kk]
        if kk < m
        else np.broadcast_to(np.arange(m)[:, None], (m, n))
    )
    mask = np.zeros((m, n), bool)
    mask[best, np.broadcast_to(np.arange(n), best.shape)] = True
    mask &= np.isfinite(rank)
    if start_site is not None:
        has = start_site >= 0
        mask[start_site[has], np.flatnonzero(has)] = True
    sub = build_cflp(
        CFLPData(d, u, f, np.where(mask, c, np.inf), op),
        CFLPOptions(
            unserved_penalty=unserved_penalty,
            single_sourcing=True,
            strong_linking=True,
            max_new=max_new,
            exact_new=exact_new,
        ),
    )
    init = (
        None
        if start_open is None or start_site is None
        else single_sourcing_start(sub, start_open, start_site)
    )
    res = solve_problem(
        sub.prob,
        SolverOptions(time_limit_s=budget(0.15, 30.0), mip_gap=1e-6, threads=threads),
        should_cancel=should_cancel,
        initial_values=init,
    )
    start_served = None if start_site is None else np.where(start_site >= 0, d, 0.0)
    if res.has_solution and res.solver == "highs":
        s = read_cflp_solution(sub, res)
        if ub is None or s.objective < ub:
            ub, start_open = float(s.objective), s.open
            start_site = np.where(s.flows.sum(axis=0) > 0, s.flows.argmax(axis=0), -1)
            start_served = s.flows.sum(axis=0)
    if ub is None or start_site is None or cancelled():  # start_site is set with ub
        out.runtime_s = time.perf_counter() - t0
        return out
    lb = lagrangian_bound(
        arrays,
        opts,
        upper_bound=ub,
        start=lb,
        max_iterations=200,
        time_limit_s=budget(0.1, 30.0),
        should_cancel=should_cancel,
    )
    keep = fixable_arcs(lb, ub)
    has = start_site >= 0
    keep[start_site[has], np.flatnonzero(has)] = True  # never drop the incumbent
    out.keep, out.lower_bound, out.upper_bound = keep, lb.bound, ub
    out.start_open, out.start_site, out.start_served = start_open, start_site, start_served
    out.kept, out.iterations = int(keep.sum()), out.iterations + lb.iterations
    out.runtime_s = time.perf_counter() - t0
    return out


def lazy_linking_arcs(
    data: CFLPData,
    options: CFLPOptions | None = None,
    *,
    cover_row: bool | None = None,
    time_limit_s: float | None = None,
    max_rounds: int = 200,
    start_time_s: float = 60.0,
    max_share: float = 0.6,
    should_cancel: CancelCallback | None = None,
) -> LazyLinking:
    """Find the strong linking rows ``x_ij <= d_j y_i`` that the LP needs.

    Cutting-plane loop with HiGHS (``highspy``, warm-started dual simplex): the
    LP relaxation of :func:`build_cflp` starts with demand, aggregated capacity,
    cover and site-count rows only; each round adds the strong rows the LP
    solution violates, until none is violated.  The final LP value is then the
    full strong LP bound, with a fraction of the rows (capa: about 8,000 of
    100,000).  A MIP start is made from the last LP solution: the MIP
    restricted to the sites with LP value > 0 (other sites closed), solved
    within ``start_time_s`` (0 = skip); failing that, every such site opened
    and the flows re-optimized with those sites fixed.

    The loop stops unfinished (``complete=False``) at ``time_limit_s`` /
    ``max_rounds``; when its bound has stopped rising (``plateau``: less than
    0.01 % over six rounds — the rows still being added no longer pay for
    their LP re-solves); or — ``stalled=True``: the caller then adds every
    strong row — when it has added more than ``max_share`` of all rows: lazy
    generation is then no cheaper than the full formulation.

    ``options`` gives the penalty and site-count rule (its other fields are
    not used).  Raises ``ImportError`` when ``highspy`` is not installed.
    """
    import highspy

    opts = options if options is not None else CFLPOptions()
    t0 = time.perf_counter()
    d, u, f, c, op = data.arrays()
    ai, aj = cflp_arcs(d, c)
    ix = _Arcs(d, u, op, ai, aj, d[aj])
    slack = opts.unserved_penalty is not None
    if cover_row is None:
        cover_row = not slack
    cost, col_lo, col_up = _lazy_columns(ix, c, f, opts.unserved_penalty)
    a, row_lo, row_up = _lazy_rows(ix, opts, cover_row=cover_row)
    inf = highspy.kHighsInf
    h = _lazy_highs(cost, (col_lo, col_up), a, (row_lo, row_up), inf, should_cancel)
    cuts = _cutting_planes(
        h,
        ix,
        inf,
        max_rounds=max_rounds,
        t0=t0,
        time_limit_s=time_limit_s,
        max_share=max_share,
        should_cancel=should_cancel,
    )
    arcs = np.flatnonzero(cuts.linked & ~op[ai])

    # MIP start: the MIP restricted to the sites the LP uses (all their strong
    # rows, the other sites closed), within start_time_s; if it finds nothing,
    # open every such site and re-optimize the flows (transportation LP).
    start: dict[str, float] | None = None
    start_obj: float | None = None
    if cuts.ys is not None and not (should_cancel is not None and should_cancel()):
        start, start_obj = _lazy_start(
            h, ix, inf, cuts, cost=cost, slack=slack, start_time_s=start_time_s
        )
    return LazyLinking(
        arcs,
        cuts.bound,
        cuts.complete,
        cuts.rounds,
        time.perf_counter() - t0,
        start,
        start_obj,
        stalled=cuts.stalled,
        plateau=cuts.plateau,
    )


def _lazy_columns(
    ix: _Arcs, c: np.ndarray, f: np.ndarray, unserved_penalty: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cost, lower and upper bound of the columns of the lazy loop's LP: x (arcs), y, s."""
    na, m, n = ix.ai.size, ix.u.size, ix.d.size
    ns = n if unserved_penalty is not None else 0
    pen = np.full(n, float(unserved_penalty)) if unserved_penalty is not None else np.zeros(0)
    cost = np.concatenate([c[ix.ai, ix.aj], np.where(ix.op, 0.0, f), pen])
    col_lo = np.concatenate([np.zeros(na), ix.op.astype(float), np.zeros(ns)])
    col_up = np.concatenate([np.full(na, np.inf), np.ones(m), np.full(ns, np.inf)])
    return cost, col_lo, col_up


def _lazy_rows(
    ix: _Arcs, opts: CFLPOptions, *, cover_row: bool
) -> tuple[Any, np.ndarray, np.ndarray]:
    """Rows of the lazy loop's LP (no strong row yet): matrix (scipy CSR), lower, upper.

    Demand (n), aggregated capacity (m), then the cover row (if asked and
    needed) and the site-count row (if ``max_new``).
    """
    import scipy.sparse as sp

    d, u, op, ai, aj = ix.d, ix.u, ix.op, ix.ai, ix.aj
    na, m, n = ai.size, u.size, d.size
    slack = opts.unserved_penalty is not None
    ny = na  # column offsets: x arcs, then y, then s
    ns = na + m
    ncol = ns + (n if slack else 0)
    r = [aj, n + ai, n + np.arange(m)]
    cc = [np.arange(na), np.arange(na), ny + np.arange(m)]
    v = [np.ones(na), np.ones(na), -u]
    lo = [d, np.full(m, -np.inf)]
    up = [d, np.zeros(m)]
    if slack:
        r.append(np.arange(n))
        cc.append(ns + np.arange(n))
        v.append(np.ones(n))
    nrow = n + m
    new = np.flatnonzero(~op)
    need = float(d.sum() - u[op].sum())
    if cover_row and new.size and need > 0:
        r.append(np.full(new.size, nrow))
        cc.append(ny + new)
        v.append(u[new])
        lo.append(np.array([need]))
        up.append(np.array([np.inf]))
        nrow += 1
    if opts.max_new is not None:
        r.append(np.full(new.size, nrow))
        cc.append(ny + new)
        v.append(np.ones(new.size))
        lo.append(np.array([float(opts.max_new) if opts.exact_new else -np.inf]))
        up.append(np.array([float(opts.max_new)]))
        nrow += 1
    a = sp.csr_matrix(
        (np.concatenate(v), (np.concatenate(r), np.concatenate(cc))), shape=(nrow, ncol)
    )
    return a, np.concatenate(lo), np.concatenate(up)


def _lazy_highs(
    cost: np.ndarray,
    col_bounds: tuple[np.ndarray, np.ndarray],
    a: Any,
    row_bounds: tuple[np.ndarray, np.ndarray],
    inf: float,
    should_cancel: CancelCallback | None,
) -> Any:
    """The ``highspy.Highs`` LP of the lazy loop (interrupted on cancel)."""
    import highspy

    h = new_highs()
    if should_cancel is not None:  # stop the LP / restricted MIP on cancel

        def poll(e: Any) -> None:
            if should_cancel():
                e.interrupt()

        for event in (h.cbMipInterrupt, h.cbSimplexInterrupt):
            event.subscribe(poll)

    def fin(x: np.ndarray) -> np.ndarray:
        return np.asarray(np.clip(np.asarray(x, dtype=float), -inf, inf))

    nrow, ncol = a.shape
    h.passModel(
        ncol,
        nrow,
        a.nnz,
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        cost,
        fin(col_bounds[0]),
        fin(col_bounds[1]),
        fin(row_bounds[0]),
        fin(row_bounds[1]),
        a.indptr[:-1].astype(np.int32),
        a.indices.astype(np.int32),
        a.data,
        np.zeros(ncol, dtype=np.int32),
    )
    return h


def _add_link_rows(h: Any, ix: _Arcs, ks: np.ndarray, inf: float) -> None:
    """Add the strong rows ``x_k - d_j y_i <= 0`` of arcs ``ks`` to the HiGHS LP."""
    ny = ix.ai.size
    k = ks.size
    idx = np.stack([ks, ny + ix.ai[ks]], axis=1).ravel().astype(np.int32)
    val = np.stack([np.ones(k), -ix.dj[ks]], axis=1).ravel()
    h.addRows(
        k, np.full(k, -inf), np.zeros(k), 2 * k, (2 * np.arange(k)).astype(np.int32), idx, val
    )


@dataclass
class _Cuts:
    """State of the cutting-plane loop of :func:`lazy_linking_arcs`."""

    linked: np.ndarray  # (arcs,) bool: strong row in the LP (or site in service)
    rounds: int = 0
    complete: bool = False
    stalled: bool = False
    plateau: bool = False
    bound: float = -np.inf
    ys: np.ndarray | None = None  # site values of the last LP solution


#: The lazy loop stops when its LP bound rose less than this (relative) over the last rounds.
_PLATEAU_REL, _PLATEAU_ROUNDS = 1e-4, 6


def _flat(bounds: list[float]) -> bool:
    """Whether the LP bound has stopped rising (a plateau over :data:`_PLATEAU_ROUNDS` rounds)."""
    if len(bounds) <= _PLATEAU_ROUNDS:
        return False
    old, new = bounds[-1 - _PLATEAU_ROUNDS], bounds[-1]
    return new - old <= _PLATEAU_REL * max(1.0, abs(new))


def _cutting_planes(
    h: Any,
    ix: _Arcs,
    inf: float,
    *,
    max_rounds: int,
    t0: float,
    time_limit_s: float | None,
    max_share: float,
    should_cancel: CancelCallback | None,
) -> _Cuts:
    """Solve the LP, add the violated strong rows, repeat until none is violated."""
    import highspy

    na, m = ix.ai.size, ix.u.size
    ny, ns = na, na + m
    dj = ix.dj
    tol = 1e-6 * np.maximum(1.0, dj)
    cuts = _Cuts(ix.op[ix.ai].copy())  # sites in service need no strong row
    bounds: list[float] = []
    while cuts.rounds < max_rounds:
        h.run()
        cuts.rounds += 1
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break  # infeasible LP: the MIP will say so
        sol = np.asarray(h.getSolution().col_value, dtype=float)
        cuts.bound = float(h.getInfo().objective_function_value)
        bounds.append(cuts.bound)
        if _flat(bounds):
            cuts.plateau = True  # the rows still added no longer move the bound: MIP now
            break
        xs, ys = sol[:na], sol[ny:ns]
        cuts.ys = ys
        viol = np.flatnonzero(~cuts.linked & (xs - dj * ys[ix.ai] > tol))
        if viol.size == 0:
            cuts.complete = True
            break
        cuts.linked[viol] = True
        _add_link_rows(h, ix, viol, inf)
        if cuts.linked.mean() > max_share:
            cuts.stalled = True  # most rows are needed anyway
            break
        if time_limit_s is not None and time.perf_counter() - t0 > time_limit_s:
            break
        if should_cancel is not None and should_cancel():
            break
    return cuts


def _restricted_start_mip(
    h: Any, ix: _Arcs, inf: float, use: np.ndarray, linked: np.ndarray, start_time_s: float
) -> np.ndarray | None:
    """Solve the MIP restricted to the sites ``use`` (all their strong rows); its solution."""
    import highspy

    na, m = ix.ai.size, ix.u.size
    ks = np.flatnonzero(use[ix.ai] & ~linked)
    if ks.size:
        _add_link_rows(h, ix, ks, inf)
    yc = (na + np.arange(m)).astype(np.int32)
    h.changeColsBounds(m, yc, ix.op.astype(float), use.astype(float))
    h.changeColsIntegrality(m, yc, np.full(m, highspy.HighsVarType.kInteger))
    h.setOptionValue("mip_rel_gap", 1e-7)
    h.setOptionValue("time_limit", float(start_time_s))
    h.run()
    if h.getInfo().primal_solution_status == 2:
        return np.asarray(h.getSolution().col_value, dtype=float)
    return None


def _lazy_start(
    h: Any,
    ix: _Arcs,
    inf: float,
    cuts: _Cuts,
    *,
    cost: np.ndarray,
    slack: bool,
    start_time_s: float,
) -> tuple[dict[str, float] | None, float | None]:
    """MIP start ``{variable name: value}`` and its objective from the last LP (or ``None``s)."""
    import highspy

    if cuts.ys is None:
        return None, None
    na, m, n = ix.ai.size, ix.u.size, ix.d.size
    ny, ns = na, na + m
    use = ix.op | (cuts.ys > 1e-9)
    sol = None
    if start_time_s > 0:
        sol = _restricted_start_mip(h, ix, inf, use, cuts.linked, start_time_s)
    if sol is None:
        y0 = use.astype(float)
        h.changeColsBounds(m, (ny + np.arange(m)).astype(np.int32), y0, y0)
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            sol = np.asarray(h.getSolution().col_value, dtype=float)
    if sol is None:
        return None, None
    y0 = np.round(sol[ny:ns])
    start_obj = float(cost[:ns] @ np.concatenate([sol[:na], y0]))
    if slack:
        start_obj += float(cost[ns:] @ sol[ns:])
    start = {f"x{k}": float(sol[k]) for k in np.flatnonzero(sol[:na] > 0).tolist()}
    start.update({f"y{i}": float(y0[i]) for i in range(m)})
    if slack:
        start.update({f"s{j}": float(sol[ns + j]) for j in range(n)})
    return start, start_obj
