"""Read OR-Library capacitated warehouse location instances (Beasley 1988).

Format (a stream of whitespace-separated tokens)::

    m n
    cap_1 fixed_1          (m times; in capa/capb/capc the capacity is the word
    ...                     "capacity", replaced by a value the caller gives)
    demand_j c_1j ... c_mj (n times)

``c_ij`` is the cost of allocating **all** of customer j's demand to site i, so
the per-unit cost for split demand is ``c_ij / d_j``.  The published optima are
for the multi-source (split demand) problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np

from wufei_gis.errors import InputError

__all__ = ["ORLibInstance", "read_orlib_cap", "read_capopt"]


@dataclass
class ORLibInstance:
    """One CFLP instance.

    Attributes
    ----------
    name
        File stem (``"cap71"``).
    capacity, fixed_cost
        ``(m,)`` site capacities and fixed costs.
    demand
        ``(n,)`` customer demands.
    allocation_cost
        ``(m, n)`` cost of serving all of customer j from site i.
    """

    name: str
    capacity: np.ndarray
    fixed_cost: np.ndarray
    demand: np.ndarray
    allocation_cost: np.ndarray

    @property
    def unit_cost(self) -> np.ndarray:
        """``(m, n)`` cost per unit of demand, ``c_ij / d_j`` (0 for zero demand)."""
        d = np.where(self.demand > 0, self.demand, 1.0)
        return self.allocation_cost / d[None, :]


def read_orlib_cap(path: str | PathLike[str], *, capacity: float | None = None) -> ORLibInstance:
    """Read a ``cap*`` file.

    Parameters
    ----------
    path
        The instance file.
    capacity
        Value for the word ``capacity`` in capa/capb/capc (required there).
    """
    p = Path(path)
    tokens = p.read_text().split()

    def bad(problem: str, fix: str) -> InputError:
        return InputError(problem, file=p, fix=fix)

    try:
        m, n = int(tokens[0]), int(tokens[1])
    except (IndexError, ValueError):
        raise bad("first line must be 'm n'", "check the file is an OR-Library cap file") from None
    pos = 2
    cap = np.empty(m)
    fixed = np.empty(m)
    for i in range(m):
        tok = tokens[pos]
        if tok.lower() == "capacity":
            if capacity is None:
                raise bad(
                    "site capacities are the word 'capacity'",
                    "pass capacity=<value> (see capopt.txt)",
                )
            cap[i] = capacity
        else:
            cap[i] = float(tok)
        fixed[i] = float(tokens[pos + 1])
        pos += 2
    need = pos + n * (m + 1)
    if len(tokens) < need:
        raise bad(f"expected {need} numbers, found {len(tokens)}", "the file is truncated")
    body = np.array(tokens[pos:need], dtype=float).reshape(n, m + 1)
    return ORLibInstance(p.stem, cap, fixed, body[:, 0].copy(), body[:, 1:].T.copy())


def read_capopt(path: str | PathLike[str]) -> list[tuple[str, float | None, float]]:
    """Read ``capopt.txt``: ``[(instance, capacity or None, optimum), ...]``."""
    out: list[tuple[str, float | None, float]] = []
    name = ""
    for line in Path(path).read_text().splitlines():
        mm = re.match(r"^\s*(cap\w+)?\s+([\d.]+)\s*(?:\(capacity\s+([\d.]+)\))?\s*$", line)
        if not mm:
            continue
        name = mm.group(1) or name
        cap = float(mm.group(3)) if mm.group(3) else None
        out.append((name, cap, float(mm.group(2))))
    return out
