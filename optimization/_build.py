"""Private helpers for building PuLP models fast from sparse index sets.

Every row is built once from a precomputed list of ``(variable, coefficient)``
pairs (``LpAffineExpression(pairs)`` is a plain ``dict`` construction), never
by repeated ``+=`` inside nested loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pulp

__all__ = ["Rows", "make_vars", "group"]


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
    return [order[bounds[k]:bounds[k + 1]] for k in range(n)]


def pairs_of(vars_: Sequence[pulp.LpVariable], pos: np.ndarray,
             coef: float | np.ndarray = 1.0) -> list[tuple[pulp.LpVariable, float]]:
    """``[(vars_[p], coef[p] or coef) for p in pos]`` as a list."""
    if np.isscalar(coef):
        c = float(coef)  # type: ignore[arg-type]
        return [(vars_[p], c) for p in pos.tolist()]
    cc = np.asarray(coef, float)[pos].tolist()
    return [(vars_[p], v) for p, v in zip(pos.tolist(), cc)]
