"""Numbers and units as people read them: t/d, %, yuan, km, MIP gap.

One place for how wufei-gis prints a quantity: the CLI's human output, the
GUI's results panel, comparison and attribute tables, and the scenario form.
Machine output (``--json``, result layers) keeps raw numbers; only what a
person reads goes through here.  Unit names come from
:mod:`wufei_gis.labels` (``lang="zh"`` writes ``吨/日``, ``公里``, ``元/日``).

>>> format_tpd(1290.956)
'1,290.96 t/d'
>>> format_percent(0.65)
'65.0 %'
>>> format_gap(0.0006037)
'0.06 %'
>>> format_tpd(1290.956, lang="zh")
'1,290.96 吨/日'
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

from .labels import FIELD_UNITS, LABELS, label, unit_label, value_label

__all__ = [
    "MISSING",
    "format_bare",
    "format_cost_method",
    "format_cell",
    "format_gap",
    "format_input",
    "format_km",
    "format_number",
    "format_percent",
    "format_seconds",
    "format_summary",
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


def _with_unit(text: str, unit: str, lang: str) -> str:
    return text if text == MISSING else f"{text} {unit_label(unit, lang)}"


def format_tpd(value: Any, *, signed: bool = False, lang: str = "en") -> str:
    """Tonnes per day: ``1,290.96 t/d`` (``吨/日`` with ``lang="zh"``)."""
    return _with_unit(format_number(value, 2, signed=signed), "t/d", lang)


def format_yuan(value: Any, *, per_day: bool = True, signed: bool = False, lang: str = "en") -> str:
    """Money in whole yuan: ``48,210 yuan/d`` (``yuan`` with ``per_day=False``)."""
    return _with_unit(format_number(value, 0, signed=signed), "yuan/d" if per_day else "yuan", lang)


def format_km(value: Any, *, lang: str = "en") -> str:
    """A distance: ``12.3 km`` (``公里`` with ``lang="zh"``)."""
    return _with_unit(format_number(value, 1), "km", lang)


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


def format_seconds(seconds: Any, *, lang: str = "en") -> str:
    """A duration: ``0.15 s``, ``52.8 s``, ``3 min 12 s`` (``3 分 12 秒`` in zh)."""
    if is_missing(seconds):
        return MISSING
    s = float(seconds)
    sec = unit_label("s", lang)
    if s < 10:
        return f"{s:.2f} {sec}"
    if s < 120:
        return f"{s:.1f} {sec}"
    minutes, rest = divmod(round(s), 60)
    return f"{minutes} {unit_label('min', lang)} {rest} {sec}"


def format_value(value: Any, unit: str = "", *, lang: str = "en") -> str:
    """Format ``value`` by its unit code.

    Parameters
    ----------
    value
        A number, bool, text or missing value.
    unit
        ``"t/d"``, ``"%"`` (a fraction), ``"gap"`` (a relative MIP gap, a
        fraction), ``"yuan/d"``, ``"yuan"``, ``"km"``, ``"s"``, ``""`` or any
        other unit code of :mod:`wufei_gis.labels` (then written after the number).
    lang
        ``{"en", "zh"}``: the language of unit names and of yes/no.

    Booleans read ``yes``/``no`` (``是``/``否``), integers stay whole, text is
    returned as is.

    >>> format_value(0.0006037, "gap")
    '0.06 %'
    >>> format_value(True, lang="zh")
    '是'
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return label("value.yes" if value else "value.no", lang)
    if isinstance(value, str):
        return value
    if unit == "%":
        return format_percent(value)
    if unit == "gap":
        return format_gap(value)
    if unit in ("t/d", "km", "s"):
        formatter = {"t/d": format_tpd, "km": format_km, "s": format_seconds}[unit]
        return formatter(value, lang=lang)
    if unit in ("yuan/d", "yuan"):
        return format_yuan(value, per_day=unit == "yuan/d", lang=lang)
    if isinstance(value, numbers.Integral):
        text = f"{int(value):,d}"
    else:
        text = format_number(value)
    return _with_unit(text, unit, lang) if unit else text


def format_bare(value: Any, unit: str = "", *, signed: bool = False) -> str:
    """A number for a table whose unit is shown in a header or its own column.

    ``"%"`` fractions read as per cent, yuan as whole numbers, counts (no unit,
    a whole value) without decimals, anything else with two decimals.

    >>> format_bare(0.25, "%"), format_bare(48210.4, "yuan/d"), format_bare(-8, "t/d", signed=True)
    ('25.0 %', '48,210', '-8.00')
    >>> format_bare(12.0)
    '12'
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        return value
    if unit == "%":
        return format_percent(value, signed=signed)
    if unit.startswith("yuan") or (unit == "" and float(value).is_integer()):
        return format_number(value, 0, signed=signed)
    return format_number(value, 2, signed=signed)


def format_cell(value: Any) -> str:
    """A table cell: blank when missing, text as is, numbers compact.

    Numbers of at least 10,000 are whole with thousands separators, smaller
    ones keep up to six significant digits (no trailing zeros).

    >>> format_cell(1234567.8)
    '1,234,568'
    >>> format_cell(0.65)
    '0.65'
    >>> format_cell(None)
    ''
    """
    if is_missing(value):
        return ""
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        v = float(value)
        if abs(v) >= 10_000:
            return f"{v:,.0f}"
        return f"{value:.6g}" if isinstance(value, float) else str(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return format_cell(value.item())
    return str(value)


def format_input(value: Any) -> str:
    """A value as text a person edits and the parsers read back.

    Numbers are plain (``1.4``, ``1200``), lists and objects JSON (dataclass
    items as objects), ``None`` blank; no units, no thousands separators.

    >>> format_input(1200.0)
    '1200'
    >>> format_input(["operating", "planned"])
    '["operating", "planned"]'
    """
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(
            [
                dataclasses.asdict(v)
                if dataclasses.is_dataclass(v) and not isinstance(v, type)
                else v
                for v in value
            ],
            ensure_ascii=False,
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def format_cost_method(method: str, *, lang: str = "en") -> str:
    """The travel-cost method stored in results, in ``lang``.

    >>> format_cost_method("straight line x 1.4", lang="zh")
    '直线距离 × 1.4'
    >>> format_cost_method("road network 'roads'", lang="zh")
    "道路网络 'roads'"
    """
    straight = re.fullmatch(r"straight line x (\S+)", method)
    if straight:
        return label("cost.straight_line", lang, factor=straight.group(1))
    road = re.fullmatch(r"road network '(.*)'", method)
    if road:
        return label("cost.road_network", lang, name=road.group(1))
    return method


def format_summary(summary: Mapping[str, Any], *, lang: str = "en") -> list[tuple[str, str]]:
    """Return ``(label, value)`` texts of a run summary (one ``run_summary`` row).

    Labels are the ``field.`` labels of :mod:`wufei_gis.labels`; values carry
    their units (t/d, yuan/d, s), shares and the MIP gap read as per cent and
    the solver status is translated.  Keys without a label keep their name.

    >>> format_summary({"mip_gap": 0.0006037, "incineration_share": 0.65}, lang="zh")
    [('相对间隙', '0.06 %'), ('焚烧占比', '65.0 %')]
    """
    rows = []
    for key, value in summary.items():
        text = label(f"field.{key}", lang) if f"field.{key}" in LABELS else key
        if lang == "en":
            text = text[:1].upper() + text[1:]
        if key == "status":
            shown = value_label("solve_status", value, lang)
        elif key == "cost_method":
            shown = format_cost_method(str(value), lang=lang)
        elif value == "":
            shown = MISSING
        else:
            shown = format_value(value, FIELD_UNITS.get(key, ""), lang=lang)
        rows.append((text, shown))
    return rows
