"""Tables as engineers read them: geometry as lon/lat columns, Excel sheets with real numbers.

Used by the CSV and Excel exports (:mod:`wufei_gis.export`):

* :func:`geometry_columns` turns a layer's geometry into plain columns in
  degrees (WGS84, 6 decimals ≈ 0.1 m) — points ``lon, lat``; lines
  ``from_lon, from_lat, to_lon, to_lat`` (first and last vertex); polygons
  ``centroid_lon, centroid_lat, area_km2`` (centroid in the local UTM zone,
  geodesic area on the WGS84 ellipsoid) — so no cell holds WKT.
* :func:`write_sheet` writes one table to an openpyxl worksheet: a bold,
  wrapped header row with units (:func:`header`), values as numbers with an
  Excel number format by unit (shares ``0.0%`` with the value kept as a
  fraction, t/d ``#,##0.00``, degrees ``0.000000`` ...), the header row frozen,
  and column widths fitted to the longest shown value and to the header on
  about two lines (CJK characters count double).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from .labels import FIELD_UNITS, LABELS, column_label, label, unit_label
from .projection import GEOD, STORAGE_CRS, metric_crs_for

__all__ = [
    "GEOMETRY_UNITS",
    "UNIT_FORMATS",
    "Sheet",
    "display_width",
    "geometry_columns",
    "header",
    "number_format",
    "write_sheet",
]

#: Units of the columns :func:`geometry_columns` adds.
GEOMETRY_UNITS: dict[str, str] = {
    "lon": "°",
    "lat": "°",
    "from_lon": "°",
    "from_lat": "°",
    "to_lon": "°",
    "to_lat": "°",
    "centroid_lon": "°",
    "centroid_lat": "°",
    "area_km2": "km²",
}
#: Excel number format of a numeric column by its unit code (``"%"``: a fraction).
UNIT_FORMATS: dict[str, str] = {
    "%": "0.0%",
    "gap": "0.00%",
    "t/d": "#,##0.00",
    "km": "#,##0.00",
    "km²": "#,##0.00",
    "yuan/d": "#,##0",
    "yuan": "#,##0",
    "s": "0.00",
    "°": "0.000000",
}
#: How each number format is shown, as a Python format spec (for the column widths).
_SHOWN = {
    "0.0%": ".1%",
    "0.00%": ".2%",
    "#,##0.00": ",.2f",
    "#,##0": ",.0f",
    "0.00": ".2f",
    "0.000000": ".6f",
}
_DECIMALS = 6
_MIN_WIDTH, _MAX_WIDTH, _MAX_HEADER = 8, 60, 36


# --- geometry -------------------------------------------------------------------------------
def _ends(g: BaseGeometry | None) -> tuple[float, float, float, float]:
    if g is None or g.is_empty:
        return (math.nan,) * 4
    parts = list(getattr(g, "geoms", [g]))
    first, last = parts[0].coords[0], parts[-1].coords[-1]
    return first[0], first[1], last[0], last[1]


def _area_km2(g: BaseGeometry | None) -> float:
    if g is None or g.is_empty:
        return math.nan
    area, _perimeter = GEOD.geometry_area_perimeter(g)
    return abs(float(area)) / 1e6


def geometry_columns(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return a layer's geometry as plain columns in degrees (see the module docstring).

    Parameters
    ----------
    gdf
        A layer with a CRS (taken as WGS84 when it has none).

    Returns
    -------
    pandas.DataFrame
        Same index; points ``lon, lat``; lines ``from_lon, from_lat, to_lon,
        to_lat``; polygons ``centroid_lon, centroid_lat, area_km2``; mixed or
        other types the ``lon, lat`` of a point on each feature.
    """
    g = gdf.geometry.to_crs(STORAGE_CRS) if gdf.crs is not None else gdf.geometry
    kinds = set(g.dropna().geom_type.str.replace("Multi", "", regex=False))
    if kinds == {"LineString"}:
        ends = np.array([_ends(x) for x in g], dtype=float).reshape(-1, 4)
        cols = dict(zip(("from_lon", "from_lat", "to_lon", "to_lat"), ends.T, strict=True))
        return pd.DataFrame(cols, index=gdf.index).round(_DECIMALS)
    if kinds == {"Polygon"}:
        centroids = g.to_crs(metric_crs_for(g)).centroid.to_crs(STORAGE_CRS)
        return pd.DataFrame(
            {
                "centroid_lon": centroids.x.round(_DECIMALS),
                "centroid_lat": centroids.y.round(_DECIMALS),
                "area_km2": [_area_km2(x) for x in g],
            },
            index=gdf.index,
        )
    pts = g if kinds <= {"Point"} else g.representative_point()
    empty = pts.isna() | pts.is_empty
    return pd.DataFrame(
        {
            "lon": pts.x.where(~empty).round(_DECIMALS),
            "lat": pts.y.where(~empty).round(_DECIMALS),
        },
        index=gdf.index,
    )


# --- headers, formats, widths ---------------------------------------------------------------
def _unit(column: str) -> str:
    return GEOMETRY_UNITS.get(column) or FIELD_UNITS.get(column, "")


def header(column: str) -> str:
    """Return the bilingual header with units of a column (:func:`column_label`).

    >>> header("area_km2")
    'area (km²) / 面积 (平方公里)'
    """
    if column not in GEOMETRY_UNITS or f"field.{column}" not in LABELS:
        return column_label(column)
    unit = GEOMETRY_UNITS[column]
    en, zh = (f"{label(f'field.{column}', lg)} ({unit_label(unit, lg)})" for lg in ("en", "zh"))
    return f"{en} / {zh}"


def number_format(column: str, values: pd.Series) -> str | None:
    """Return the Excel number format of a column, or ``None`` (text, booleans, counts)."""
    if values.dtype == bool or not pd.api.types.is_numeric_dtype(values):
        return None
    return UNIT_FORMATS.get(_unit(column))


def display_width(text: str) -> int:
    """Return the width of ``text`` in Excel character units: wide (CJK) characters count 2.

    >>> display_width("甲县 A")
    6
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value: Any, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if fmt in _SHOWN and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, _SHOWN[fmt])
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


# --- sheets ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    """One worksheet: rows, their headers and number formats.

    Parameters
    ----------
    rows
        The cell values, row by row (plain Python values: ``None`` for empty).
    headers
        One header per column.
    formats
        Per column: one Excel number format, ``None``, or one format per row.
    """

    rows: Sequence[Sequence[Any]]
    headers: Sequence[str]
    formats: Sequence[str | None | Sequence[str | None]] = field(default_factory=list)

    def format_of(self, j: int, i: int) -> str | None:
        """Return the number format of column ``j`` (0-based) in data row ``i``."""
        if j >= len(self.formats):
            return None
        f = self.formats[j]
        return f if f is None or isinstance(f, str) else f[i]


def _width(sheet: Sheet, j: int) -> float:
    content = max(
        (display_width(_shown(r[j], sheet.format_of(j, i))) for i, r in enumerate(sheet.rows)),
        default=0,
    )
    text = str(sheet.headers[j])  # wraps: about two lines, no word cut
    longest = max((display_width(w) for w in text.split()), default=0)
    head = min(max(longest, math.ceil(display_width(text) / 2)), _MAX_HEADER)
    return float(min(_MAX_WIDTH, max(_MIN_WIDTH, content, head) + 2))


def write_sheet(ws: Any, sheet: Sheet) -> None:
    """Write ``sheet`` into the openpyxl worksheet ``ws`` (see the module docstring)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(list(sheet.headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(sheet.rows):
        ws.append(list(row))
        for j, cell in enumerate(ws[i + 2]):
            fmt = sheet.format_of(j, i)
            if fmt is not None:
                cell.number_format = fmt
    for j in range(len(sheet.headers)):
        ws.column_dimensions[get_column_letter(j + 1)].width = _width(sheet, j)
    ws.freeze_panes = "A2"
