"""Numbers and units as people read them: t/d, %, yuan, km, MIP gap.

One place for how wufei-gis prints a quantity, used by the CLI's human output
and the analysis tables.  Machine output (``--json``, result layers) keeps raw
numbers; only what a person reads goes through here.

>>> format_tpd(1290.956)
'1,290.96 t/d'
>>> format_percent(0.65)
'65.0 %'
>>> format_gap(0.0006037)
'0.06 %'
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "MISSING",
    "format_gap",
    "format_km",
    "format_number",
    "format_percent",
    "format_seconds",
    "format_tpd",
    "format_value",
    "format_yuan",
    "is_missing",
]

#: Shown for a missing value (``None`` or NaN).
MISSING = "–"


def is_missing(value: Any) -> bool:
    """True for ``None`` and NaN (anything a table would leave blank)."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value: Any, decimals: int = 2, *, signed: bool = False) -> str:
    """A number with thousands separators, e.g. ``12,345.68``; ``–`` when missing."""
    if is_missing(value):
        return MISSING
    sign = "+" if signed else ""
    return f"{float(value):{sign},.{decimals}f}"


def format_tpd(value: Any, *, signed: bool = False) -> str:
    """Tonnes per day: ``1,290.96 t/d``."""
    text = format_number(value, 2, signed=signed)
    return text if text == MISSING else f"{text} t/d"


def format_yuan(value: Any, *, per_day: bool = True, signed: bool = False) -> str:
    """Money in whole yuan: ``48,210 yuan/d`` (``yuan`` with ``per_day=False``)."""
    text = format_number(value, 0, signed=signed)
    return text if text == MISSING else f"{text} yuan" + ("/d" if per_day else "")


def format_km(value: Any) -> str:
    """A distance: ``12.3 km``."""
    text = format_number(value, 1)
    return text if text == MISSING else f"{text} km"


def format_percent(fraction: Any, decimals: int = 1, *, signed: bool = False) -> str:
    """A fraction as a percentage: ``0.65`` → ``65.0 %``."""
    if is_missing(fraction):
        return MISSING
    sign = "+" if signed else ""
    return f"{100 * float(fraction):{sign}.{decimals}f} %"


def format_gap(gap: Any) -> str:
    """A relative MIP gap for people: ``0.06 %``, ``0 %`` when proven, ``–`` when unknown."""
    if is_missing(gap):
        return MISSING
    g = float(gap)
    if g == 0:
        return "0 %"
    if 100 * abs(g) < 0.01:
        return "< 0.01 %"
    return format_percent(g, 2)


def format_seconds(seconds: Any) -> str:
    """A duration: ``0.15 s``, ``52.8 s``, ``3 min 12 s``."""
    if is_missing(seconds):
        return MISSING
    s = float(seconds)
    if s < 10:
        return f"{s:.2f} s"
    if s < 120:
        return f"{s:.1f} s"
    minutes, rest = divmod(round(s), 60)
    return f"{minutes} min {rest} s"


def format_value(value: Any, unit: str = "") -> str:
    """Format ``value`` by its unit: ``"t/d"``, ``"%"`` (a fraction), ``"yuan/d"``, ``"km"``, ``"s"``.

    Booleans read ``yes``/``no``, integers stay whole, text is returned as is.
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    formatter = {"t/d": format_tpd, "%": format_percent, "yuan/d": format_yuan,
                 "km": format_km, "s": format_seconds}.get(unit)
    if formatter is not None:
        return formatter(value)
    if isinstance(value, int):
        return f"{value:,d}" + (f" {unit}" if unit else "")
    return format_number(value) + (f" {unit}" if unit else "")
