"""The map's projection: a local metric CRS, lon/lat ⇄ map metres, graticule and scale.

Qt-free.  The project stores lon/lat (EPSG:4326); the desktop map draws in a
local metric projection so shapes, areas and the scale bar are true:

* ``"gk"`` — the CGCS2000 3-degree Gauss–Krüger zone whose central meridian is
  nearest the region's centre (EPSG:4534 … 4554, CM 75°E … 135°E; outside that
  range a transverse Mercator on the nearest 3-degree meridian, GRS80);
* ``"utm"`` — the WGS84 UTM zone of the centre;
* ``"EPSG:n"`` — any projected CRS in metres.

:class:`MapProjection` converts between the two (``to_map`` / ``to_lonlat``),
reprojects layers, and gives the local scale factor (for a true scale bar);
:func:`graticule` makes the lines of longitude and latitude of a view and
:func:`degree_label` their labels (``102.5°E``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from pyproj import CRS, Proj, Transformer

from wufei_gis.mapping.crs import CRS_CHOICES, map_crs_for
from wufei_gis.projection import STORAGE_CRS

__all__ = [
    "MAP_CRS_KINDS",
    "Graticule",
    "MapProjection",
    "degree_label",
    "degree_step",
    "graticule",
    "map_crs_choice",
    "nice_length",
]

#: The map projections offered in *View → Map projection* (those of the print maps).
MAP_CRS_KINDS = CRS_CHOICES


def map_crs_choice(kind: str, lon: float, lat: float) -> CRS:
    """Return the map CRS of ``kind`` for a region centred at ``(lon, lat)``.

    The desktop map's name for :func:`wufei_gis.mapping.crs.map_crs_for` (the
    print maps' chooser: one rule for both).

    Parameters
    ----------
    kind
        ``"gk"`` (CGCS2000 3-degree Gauss–Krüger, nearest central meridian),
        ``"utm"`` (WGS84 UTM zone) or ``"EPSG:n"`` (a projected CRS in metres).
    lon, lat
        The centre of the region, degrees.

    Raises
    ------
    InputError
        For an unknown kind or a CRS that is not projected in metres.
    """
    return map_crs_for((lon, lat, lon, lat), kind)


class MapProjection:
    """Conversions between lon/lat (EPSG:4326) and the map CRS (metres).

    Parameters
    ----------
    crs
        The map CRS (see :func:`map_crs_choice`).
    """

    def __init__(self, crs: CRS) -> None:
        self.crs = crs
        self._fwd = Transformer.from_crs(STORAGE_CRS, crs, always_xy=True)
        self._inv = Transformer.from_crs(crs, STORAGE_CRS, always_xy=True)
        self._proj = Proj(crs)

    def to_map(self, lon, lat):
        """Return map ``(x, y)`` metres of ``(lon, lat)`` degrees (scalars or arrays)."""
        return self._fwd.transform(lon, lat)

    def to_lonlat(self, x, y):
        """Return ``(lon, lat)`` degrees of map ``(x, y)`` metres (scalars or arrays)."""
        return self._inv.transform(x, y)

    def project(self, geoms: gpd.GeoSeries) -> gpd.GeoSeries:
        """Return ``geoms`` in the map CRS (no CRS = lon/lat)."""
        g = geoms if geoms.crs is not None else geoms.set_crs(STORAGE_CRS)
        return g.to_crs(self.crs)

    def scale_factor(self, lon: float, lat: float) -> float:
        """Map length per ground length at ``(lon, lat)`` (1.0 on a GK central meridian)."""
        return float(self._proj.get_factors(lon, lat).meridional_scale)

    def view_lonlat_bounds(self, bounds: tuple[float, float, float, float]):
        """Return ``(lon0, lat0, lon1, lat1)`` covering the map rectangle ``bounds``."""
        x0, y0, x1, y1 = bounds
        t = np.linspace(0.0, 1.0, 21)
        xs = np.concatenate([x0 + (x1 - x0) * t, np.full(21, x1), x0 + (x1 - x0) * t, [x0] * 21])
        ys = np.concatenate(
            [np.full(21, y0), y0 + (y1 - y0) * t, np.full(21, y1), y0 + (y1 - y0) * t]
        )
        lon, lat = self.to_lonlat(xs, ys)
        return float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat))


def nice_length(x: float) -> float:
    """Return the largest 1, 2 or 5 × 10^k not above ``x`` (a round scale-bar length)."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    return max(m * e for m in (1, 2, 5) if m * e <= x * (1 + 1e-12))


_DEGREE_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0)


def degree_step(span: float, lines: int = 4) -> float:
    """Return a round graticule interval (degrees) giving about ``lines`` lines over ``span``."""
    want = span / max(lines, 1)
    return next((s for s in _DEGREE_STEPS if s >= want), _DEGREE_STEPS[-1])


def degree_label(value: float, axis: str, step: float) -> str:
    """Return a graticule label: ``102.5°E``, ``24°N`` (``axis`` is ``"lon"`` or ``"lat"``).

    >>> degree_label(102.5, "lon", 0.5), degree_label(-24.0, "lat", 1.0)
    ('102.5°E', '24°S')
    """
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if step in (0.25,):
        digits = 2
    hemi = ("E", "W") if axis == "lon" else ("N", "S")
    return f"{abs(value):.{digits}f}°{hemi[0] if value >= 0 else hemi[1]}"


@dataclass(frozen=True)
class Graticule:
    """Lines of longitude and latitude of a view, in map metres.

    Attributes
    ----------
    lons, lats
        The degrees of each meridian and parallel.
    meridians, parallels
        One ``(k, 2)`` polyline per line (map metres).
    step
        The interval in degrees.
    """

    lons: list[float]
    lats: list[float]
    meridians: list[np.ndarray]
    parallels: list[np.ndarray]
    step: float


def graticule(
    proj: MapProjection, bounds: tuple[float, float, float, float], lines: int = 5
) -> Graticule:
    """Return the graticule covering the map rectangle ``bounds`` (metres).

    Each line is densified (41 points), so it stays a smooth curve in the map CRS.
    """
    lon0, lat0, lon1, lat1 = proj.view_lonlat_bounds(bounds)
    step = degree_step(min(lon1 - lon0, lat1 - lat0), lines)
    lons = [float(v) for v in np.arange(math.ceil(lon0 / step), math.floor(lon1 / step) + 1) * step]
    lats = [float(v) for v in np.arange(math.ceil(lat0 / step), math.floor(lat1 / step) + 1) * step]
    t = np.linspace(0.0, 1.0, 41)
    meridians = [
        np.column_stack(proj.to_map(np.full(41, lon), lat0 + (lat1 - lat0) * t)) for lon in lons
    ]
    parallels = [
        np.column_stack(proj.to_map(lon0 + (lon1 - lon0) * t, np.full(41, lat))) for lat in lats
    ]
    return Graticule(lons, lats, meridians, parallels, step)
