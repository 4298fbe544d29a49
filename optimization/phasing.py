"""Multi-period (phased) two-echelon model: when to open, what stays open, airspace over time.

Array level, one model over all periods t = 0..T-1 (formulation in ``docs/model.md`` §9).
Each period is a :class:`~wufei_gis.optimization.two_echelon.TwoEchelonData` over the
**same sites** (its own demand, capacities, policies); :func:`build_two_echelon` builds
each period's rows unchanged (strong linking included) and this module links them:

* **sites stay open**: y_ks,t ≥ y_ks,t-1 and v_i,t ≥ v_i,t-1 (a candidate opened in t
  is open, in the same size class, in every later period); a site closes only where a
  closure was entered (its capacity is 0 and its variable absent from that period on,
  so the link is not written into a closed period);
* **expansions as modules**: an expansion module is a candidate plant at the same
  location (as in the single-period model); it opens in one period and stays;
* **landfill airspace**: Σ_t 365 L_t inflow_i,t / ρ_i ≤ A_i for every landfill with a
  remaining airspace A_i (m³), L_t the period's length in years, ρ_i the compaction
  density (t/m³);
* **discounted objective**: Σ_t 365 δ_t c_t, c_t the period's objective in yuan/day
  (fixed costs are equivalent annual costs, charged every year a site is open) and
  δ_t = Σ_{years y of period t} (1 + r)^-(y - y_0) the present-value factor.

No big-M: the links are between binaries of the same site, the airspace row is on flows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pulp

from wufei_gis.progress import CancelCallback

from .solver import SolveResult, SolverOptions, solve_problem
from .two_echelon import (
    TwoEchelonData,
    TwoEchelonModel,
    TwoEchelonOptions,
    TwoEchelonSolution,
    build_two_echelon,
    read_two_echelon_solution,
)

__all__ = [
    "PhasingOptions",
    "PhasedModel",
    "PhasedSolution",
    "present_value_factors",
    "build_phased",
    "solve_phased_model",
    "read_phased_solution",
    "landfill_fill_years",
]

DAYS_PER_YEAR = 365.0


@dataclass(frozen=True, kw_only=True)
class PhasingOptions:
    """How the periods are linked.

    Parameters
    ----------
    years
        First year of each period, increasing.
    lengths
        Years each period lasts (same length as ``years``).
    discount_rate
        Fraction per year; the present value is taken at ``years[0]``.
    airspace_m3
        ``(I,)`` remaining airspace of each plant at the start of the first period,
        m³; ``nan`` = not limited (incinerators, landfills without a figure).
    compaction_t_m3
        ``(I,)`` compaction density, t/m³ (used where ``airspace_m3`` is finite).
    """

    years: tuple[int, ...]
    lengths: tuple[float, ...]
    discount_rate: float = 0.08
    airspace_m3: np.ndarray | None = None
    compaction_t_m3: np.ndarray | None = None


def present_value_factors(
    years: tuple[int, ...], lengths: tuple[float, ...], rate: float
) -> np.ndarray:
    """``δ_t``: the discounted number of years in each period (whole years, then a fraction)."""
    out = []
    for y, n in zip(years, lengths, strict=True):
        offs = np.arange(int(np.ceil(n))) + (y - years[0])
        w = np.ones(offs.size)
        if n % 1:
            w[-1] = n % 1
        out.append(float((w / (1.0 + rate) ** offs).sum()))
    return np.array(out)


@dataclass
class PhasedModel:
    """The periods' models (sharing one problem) and the link and airspace rows."""

    prob: pulp.LpProblem
    periods: list[TwoEchelonModel]
    phasing: PhasingOptions
    pv_factor: np.ndarray
    airspace_rows: dict[int, pulp.LpConstraint] = field(default_factory=dict)
    build_s: float = 0.0


@dataclass
class PhasedSolution:
    """Per-period solutions and what they add up to.

    Attributes
    ----------
    periods
        One :class:`TwoEchelonSolution` per period (costs in yuan/day of that period).
    present_value
        The objective: Σ_t 365 δ_t × period objective, yuan.
    period_cost_yuan_yr
        ``(T,)`` each period's cost per year, yuan/yr.
    airspace_used_m3
        ``(T, I)`` airspace a plant has used by the end of each period, m³ (0 for
        plants without an airspace figure).
    """

    periods: list[TwoEchelonSolution]
    result: SolveResult
    present_value: float
    period_cost_yuan_yr: np.ndarray
    airspace_used_m3: np.ndarray


def _check(datas: list[TwoEchelonData], opt: PhasingOptions) -> None:
    if not datas or len(datas) != len(opt.years) or len(opt.years) != len(opt.lengths):
        msg = "give one TwoEchelonData, one year and one length per period"
        raise ValueError(msg)
    sizes = {d.sizes[1:] for d in datas}
    if len(sizes) != 1:
        msg = f"every period must have the same sites (K, S, I); got {sorted(sizes)}"
        raise ValueError(msg)


def _rename(model: TwoEchelonModel, t: int) -> None:
    """Give the period's variables unique names (``p<t>_...``) before they share a problem."""
    for var in model.prob.variables():
        var.name = f"p{t}_{var.name}"


def _plant_inflow(model: TwoEchelonModel, i: int) -> list[tuple[pulp.LpVariable, float]]:
    ix = model.arcs
    terms = [(model.b[n], 1.0) for n in np.flatnonzero(ix.b_i == i).tolist()]
    terms += [(model.w[n], 1.0) for n in np.flatnonzero(ix.w_i == i).tolist()]
    return terms


def _link_rows(prob: pulp.LpProblem, models: list[TwoEchelonModel]) -> None:
    """A site open in t-1 is open in t (where both periods have its variable)."""
    for t in range(1, len(models)):
        prev, cur = models[t - 1], models[t]
        for key, var in cur.y.items():
            if key in prev.y:
                prob.addConstraint(
                    pulp.LpConstraint(var - prev.y[key], pulp.LpConstraintGE, rhs=0.0),
                    f"keep_y{t}_{key[0]}_{key[1]}",
                )
        for i, var in cur.v.items():
            if i in prev.v:
                prob.addConstraint(
                    pulp.LpConstraint(var - prev.v[i], pulp.LpConstraintGE, rhs=0.0),
                    f"keep_v{t}_{i}",
                )


def _volume_per_tpd(opt: PhasingOptions, n_plants: int) -> np.ndarray:
    """``(T, I)``: m³ of airspace one t/d of intake uses over each period (0 = unlimited)."""
    air = (
        np.full(n_plants, np.nan) if opt.airspace_m3 is None else np.asarray(opt.airspace_m3, float)
    )
    rho = (
        np.ones(n_plants) if opt.compaction_t_m3 is None else np.asarray(opt.compaction_t_m3, float)
    )
    limited = np.isfinite(air)
    if (limited & ~(rho > 0)).any():
        msg = "a plant with an airspace needs a compaction density > 0"
        raise ValueError(msg)
    per = np.where(limited, 1.0 / np.where(rho > 0, rho, 1.0), 0.0)
    return np.array([DAYS_PER_YEAR * n * per for n in opt.lengths])


def _airspace_rows(
    prob: pulp.LpProblem, models: list[TwoEchelonModel], opt: PhasingOptions
) -> dict[int, pulp.LpConstraint]:
    n_plants = models[0].data.sizes[3]
    vol = _volume_per_tpd(opt, n_plants)
    rows: dict[int, pulp.LpConstraint] = {}
    air = opt.airspace_m3
    for i in range(n_plants):
        if air is None or not np.isfinite(air[i]):
            continue
        terms = [(v, c * vol[t, i]) for t, m in enumerate(models) for v, c in _plant_inflow(m, i)]
        if terms:
            row = pulp.LpConstraint(
                pulp.LpAffineExpression(terms), pulp.LpConstraintLE, rhs=float(air[i])
            )
            prob.addConstraint(row, f"airspace_{i}")
            rows[i] = row
    return rows


def build_phased(
    datas: list[TwoEchelonData],
    options: list[TwoEchelonOptions],
    phasing: PhasingOptions,
) -> PhasedModel:
    """Build one model over all periods (see the module docstring).

    ``datas[t]``/``options[t]`` are period t's single-period data and options; a closed
    site has capacity 0 and is forbidden there (see :func:`close_sites`).
    """
    t0 = time.perf_counter()
    _check(datas, phasing)
    models = [build_two_echelon(d, o) for d, o in zip(datas, options, strict=True)]
    pv = present_value_factors(phasing.years, phasing.lengths, phasing.discount_rate)
    prob = pulp.LpProblem("phased_two_echelon", pulp.LpMinimize)
    objective = pulp.LpAffineExpression()
    for t, m in enumerate(models):
        _rename(m, t)
        cons = m.prob.constraints
        for row in list(cons() if callable(cons) else cons.values()):  # PuLP >= 3.3: a call
            prob.addConstraint(row, f"p{t}_{row.name}")
        for var in m.prob.variables():
            prob.addVariable(var)
        objective += (DAYS_PER_YEAR * pv[t]) * m.prob.objective
    _link_rows(prob, models)
    rows = _airspace_rows(prob, models, phasing)
    prob.setObjective(objective)
    return PhasedModel(prob, models, phasing, pv, rows, build_s=time.perf_counter() - t0)


def close_sites(
    data: TwoEchelonData, options: TwoEchelonOptions, *, transfer: np.ndarray, plant: np.ndarray
) -> None:
    """Close sites in one period (in place): no capacity, and candidates may not open.

    ``transfer``/``plant`` are bool masks of the sites closed in this period.
    """
    data.transfer_capacity = np.where(transfer, 0.0, data.transfer_capacity)
    data.transfer_option_capacity = np.where(transfer[:, None], 0.0, data.transfer_option_capacity)
    data.plant_capacity = np.where(plant, 0.0, data.plant_capacity)
    for name, mask in (("forbidden_transfer", transfer), ("forbidden_plant", plant)):
        old = getattr(options, name)
        setattr(options, name, mask.copy() if old is None else (np.asarray(old, bool) | mask))
    for name, mask in (("required_transfer", transfer), ("required_plant", plant)):
        old = getattr(options, name)
        if old is not None:
            setattr(options, name, np.asarray(old, bool) & ~mask)


def solve_phased_model(
    model: PhasedModel,
    solver_options: SolverOptions | None = None,
    *,
    should_cancel: CancelCallback | None = None,
) -> SolveResult:
    """Solve the phased model with HiGHS (CBC fallback), no heuristic start."""
    return solve_problem(model.prob, solver_options or SolverOptions(), should_cancel=should_cancel)


def read_phased_solution(model: PhasedModel, result: SolveResult) -> PhasedSolution:
    """Interpret every period's solution, the present value and the airspace used."""
    sols = [read_two_echelon_solution(m, result) for m in model.periods]
    per_year = np.array([DAYS_PER_YEAR * s.objective for s in sols])
    n_plants = model.periods[0].data.sizes[3]
    vol = _volume_per_tpd(model.phasing, n_plants)
    used = np.cumsum(np.array([s.plant_throughput for s in sols]) * vol, axis=0)
    return PhasedSolution(sols, result, float((per_year * model.pv_factor).sum()), per_year, used)


def landfill_fill_years(sol: PhasedSolution, phasing: PhasingOptions) -> np.ndarray:
    """``(I,)`` the year each plant's airspace runs out (``nan`` = not limited or never).

    Within the horizon: the year the cumulative intake reaches the airspace (linear within
    a period).  After it: extrapolated at the last period's intake.
    """
    air = phasing.airspace_m3
    n_plants = sol.airspace_used_m3.shape[1]
    out = np.full(n_plants, np.nan)
    if air is None:
        return out
    for i in np.flatnonzero(np.isfinite(air)).tolist():
        before = 0.0
        for t, (y, n) in enumerate(zip(phasing.years, phasing.lengths, strict=True)):
            used = sol.airspace_used_m3[t, i]
            rate = (used - before) / n if n > 0 else 0.0
            if used >= air[i] * (1 - 1e-6) and rate > 0:
                out[i] = y + (air[i] - before) / rate
                break
            before = used
        else:
            if rate > 0:
                out[i] = phasing.years[-1] + phasing.lengths[-1] + (air[i] - before) / rate
    return out
