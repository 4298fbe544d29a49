"""Private helpers for building PuLP models fast from sparse index sets.

Every row is built once from a precomputed list of ``(variable, coefficient)``
pairs (``LpAffineExpression(pairs)`` is a plain ``dict`` construction), never
by repeated ``+=`` inside nested loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pulp

__all__ = ["CFLPData", "CFLPOptions", "Rows", "cflp_arrays", "group", "make_vars"]


@dataclass(frozen=True)
class CFLPData:
    """The data of a capacitated facility location problem (CFLP).

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
        ``(m,)`` bool, sites already in service: fixed open, no fixed cost
        (``None`` = none).
    """

    demand: object
    capacity: object
    fixed_cost: object
    unit_cost: object
    is_open: object | None = None

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The data as checked float arrays ``d, u, f, c, is_open`` (:func:`cflp_arrays`)."""
        return cflp_arrays(
            self.demand, self.capacity, self.fixed_cost, self.unit_cost, self.is_open
        )


@dataclass(frozen=True)
class CFLPOptions:
    """How a CFLP is modelled (the solver's options are separate: ``SolverOptions``).

    Parameters
    ----------
    unserved_penalty
        Cost p per unit of unserved demand; ``None`` = demand must be met (no
        slack; the model may then be infeasible).
    single_sourcing
        Each customer's served part comes from one site; the rest, if any, is
        unserved.
    strong_linking
        ``{True, False, "lazy", "auto"}``: the rows ``x_ij <= d_j y_i`` (tighter
        LP bound, more rows): all, none, only those the LP needs
        (:func:`~wufei_gis.optimization.cflp.lazy_linking_arcs`), or ``"lazy"``
        on large split-demand models solved with HiGHS, else all.  A built
        model (:func:`~wufei_gis.optimization.cflp.build_cflp`) has them
        unless ``False``.
    max_new, exact_new
        At most (or with ``exact_new`` exactly) ``max_new`` sites newly opened.
    mip_start
        Start the MIP from the heuristic solution when there is one.
    reduce_arcs
        ``{True, False, "auto"}``, single sourcing only: fix arcs by a
        Lagrangian bound before the MIP
        (:func:`~wufei_gis.optimization.cflp.reduce_single_sourcing`).
    """

    unserved_penalty: float | None = 5000.0
    single_sourcing: bool = False
    strong_linking: bool | str = "auto"
    max_new: int | None = None
    exact_new: bool = False
    mip_start: bool = True
    reduce_arcs: bool | str = "auto"


class Rows:
    """Adds named constraints to a problem and remembers them by name."""

    def __init__(self, prob: pulp.LpProblem) -> None:
        self.prob = prob

    def add(
        self,
        pairs: Iterable[tuple[pulp.LpVariable, float]],
        sense: int,
        rhs: float,
        name: str,
    ) -> pulp.LpConstraint:
        """Add ``sum(coef * var) (sense) rhs`` as constraint ``name``."""
        c = pulp.LpConstraint(pulp.LpAffineExpression(pairs), sense, name, float(rhs))
        self.prob.addConstraint(c)
        return c


def make_vars(
    prob: pulp.LpProblem,
    prefix: str,
    n: int,
    *,
    low: float | None = 0.0,
    up: float | None = None,
    cat: str = pulp.LpContinuous,
) -> list[pulp.LpVariable]:
    """Return ``n`` variables named ``prefix0 .. prefix{n-1}``."""
    add = prob.add_variable
    return [add(f"{prefix}{k}", low, up, cat) for k in range(n)]


def group(keys: np.ndarray, n: int) -> list[np.ndarray]:
    """Return, for each key value ``0..n-1``, the positions where ``keys`` equals it."""
    keys = np.asarray(keys, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(n + 1))
    return [order[bounds[k] : bounds[k + 1]] for k in range(n)]


def pairs_of(
    vars_: Sequence[pulp.LpVariable], pos: np.ndarray, coef: float | np.ndarray = 1.0
) -> list[tuple[pulp.LpVariable, float]]:
    """``[(vars_[p], coef[p] or coef) for p in pos]`` as a list."""
    if not isinstance(coef, np.ndarray):
        c = float(coef)
        return [(vars_[p], c) for p in pos.tolist()]
    cc = np.asarray(coef, float)[pos].tolist()
    return [(vars_[p], v) for p, v in zip(pos.tolist(), cc, strict=True)]


def cflp_arrays(
    demand: object,
    capacity: object,
    fixed_cost: object,
    unit_cost: object,
    is_open: object | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """CFLP data as float arrays ``d (n,)``, ``u (m,)``, ``f (m,)``, ``c (m, n)`` and bool
    ``is_open (m,)`` (all False when ``None``); ``ValueError`` on a shape mismatch."""
    d = np.asarray(demand, dtype=float).ravel()
    u = np.asarray(capacity, dtype=float).ravel()
    m, n = u.size, d.size
    f = _shaped(fixed_cost, (m,), "fixed_cost")
    c = _shaped(unit_cost, (m, n), "unit_cost")
    op = np.zeros(m, bool) if is_open is None else np.asarray(is_open, bool).reshape(m)
    return d, u, f, c, op


def _shaped(a: object, shape: tuple[int, ...], what: str) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if arr.shape != shape:
        msg = f"{what} must have shape {shape} (got {arr.shape})"
        raise ValueError(msg)
    return arr
