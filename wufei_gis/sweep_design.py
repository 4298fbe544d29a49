"""Scenario sweeps: which runs a sweep makes, and what its table of runs says.

A sweep varies scenario keys (``--vary growth_rate=0.01,0.03`` or
``--vary incineration_target=0.6:0.8:0.1``) over a base scenario: the
cartesian product of the values (``grid``) or a Latin hypercube sample of the
ranges (``lhs``, :class:`scipy.stats.qmc.LatinHypercube`).  Every value is
checked by the scenario's own rules (:func:`~wufei_gis.scenario.coerce_parameter`)
before anything runs.  The runs themselves are solved on Dask by
:mod:`wufei_gis.optimization.sweep`; :mod:`wufei_gis.sensitivity` reads their
table.  No Qt, no solver.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .scenario import PARAMETERS, coerce_parameter

__all__ = [
    "DESIGNS",
    "SweepRun",
    "Variation",
    "design_runs",
    "parse_vary",
]

#: Sweep designs: every combination, or a Latin hypercube sample.
DESIGNS = ("grid", "lhs")
# keys a sweep may not vary: they name the run, not a what-if
_FIXED_KEYS = {"name", "description"}


@dataclass(frozen=True)
class Variation:
    """One varied scenario key and its values (or range, for a Latin hypercube).

    Attributes
    ----------
    key
        A scenario parameter (see ``wufei scenario keys``).
    values
        The values of a grid sweep, already checked.
    low, high
        The range of a numeric key (``lo:hi:step`` or the values' min/max),
        sampled by ``lhs``; ``None`` for a non-numeric key.
    """

    key: str
    values: tuple[Any, ...]
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class SweepRun:
    """One run of a sweep: its id and the scenario keys it changes."""

    run_id: str
    params: dict[str, Any] = field(default_factory=dict)


def _number(text: str, spec: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(
            f"--vary {spec}: '{text}' is not a number",
            field="vary",
            fix="write KEY=a,b,c or KEY=lo:hi:step with numbers, e.g. growth_rate=0.01:0.03:0.01",
        ) from None


def _range_values(key: str, text: str, spec: str) -> tuple[list[float], float, float]:
    parts = text.split(":")
    if len(parts) != 3:  # lo:hi:step
        raise InputError(
            f"--vary {spec}: a range needs lo:hi:step",
            field="vary",
            fix=f"e.g. {key}=0.6:0.8:0.1",
        )
    lo, hi, step = (_number(p, spec) for p in parts)
    if step <= 0 or hi < lo:
        raise InputError(
            f"--vary {spec}: the range must have lo <= hi and a positive step",
            field="vary",
            fix=f"e.g. {key}=0.6:0.8:0.1",
        )
    count = math.floor((hi - lo) / step + 1e-9) + 1
    return [round(lo + i * step, 12) for i in range(count)], lo, hi


def parse_vary(spec: str, *, scenario: str = "?") -> Variation:
    """Parse ``KEY=a,b,c`` or ``KEY=lo:hi:step`` into a checked :class:`Variation`.

    >>> parse_vary("incineration_target=0.6:0.8:0.1").values
    (0.6, 0.7, 0.8)
    """
    key, sep, text = spec.partition("=")
    key = key.strip()
    if not sep or not text.strip():
        raise InputError(
            f"--vary '{spec}' has no values",
            field="vary",
            fix="write KEY=a,b,c or KEY=lo:hi:step, e.g. growth_rate=0.01,0.02,0.03",
        )
    if key not in PARAMETERS or key in _FIXED_KEYS:
        raise InputError(
            f"--vary: '{key}' is not a scenario key a sweep can vary",
            field="vary",
            fix="list the keys with 'wufei scenario keys'",
        )
    low = high = None
    if ":" in text and "," not in text:
        steps, low, high = _range_values(key, text, spec)
        raw: list[Any] = list(steps)
    else:
        raw = [v.strip() for v in text.split(",") if v.strip()]
    values = tuple(coerce_parameter(key, v, scenario=scenario) for v in raw)
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if low is None and len(nums) == len(values) and values:
        low, high = float(min(nums)), float(max(nums))
    return Variation(key, values, low, high)


def _lhs_values(variations: Sequence[Variation], samples: int, seed: int) -> list[dict[str, Any]]:
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(variations), seed=seed).random(samples)
    out: list[dict[str, Any]] = []
    for row in unit:
        params: dict[str, Any] = {}
        for u, v in zip(row, variations, strict=True):
            if v.low is None or v.high is None:  # a list of labels: pick one per stratum
                params[v.key] = v.values[min(int(u * len(v.values)), len(v.values) - 1)]
            else:
                params[v.key] = round(v.low + u * (v.high - v.low), 9)
        out.append(params)
    return out


def design_runs(
    variations: Sequence[Variation],
    *,
    design: str = "grid",
    samples: int = 8,
    seed: int = 0,
) -> list[SweepRun]:
    """Return the runs of a sweep, ids ``run-001`` … in a stable order.

    Parameters
    ----------
    variations
        The varied keys (:func:`parse_vary`); a key may appear once.
    design
        ``"grid"`` (every combination of the values) or ``"lhs"`` (``samples``
        points of a Latin hypercube over the ranges; labels are drawn per stratum).
    samples, seed
        Size and seed of the Latin hypercube.
    """
    keys = [v.key for v in variations]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise InputError(
            f"--vary names {', '.join(dup)} more than once",
            field="vary",
            fix="give each key once, with all its values",
        )
    if design not in DESIGNS:
        raise InputError(f"unknown sweep design '{design}'", field="design", fix="use grid or lhs")
    if not variations:
        return [SweepRun("run-001", {})]
    if design == "lhs":
        if samples < 1:
            raise InputError(
                "--samples must be at least 1", field="samples", fix="e.g. --samples 16"
            )
        combos = _lhs_values(variations, samples, seed)
    else:
        combos = [
            dict(zip(keys, vals, strict=True))
            for vals in itertools.product(*(v.values for v in variations))
        ]
    return [SweepRun(f"run-{i:03d}", params) for i, params in enumerate(combos, start=1)]
