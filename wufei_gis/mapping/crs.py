"""The projection of a map: a local metric CRS, so shapes, areas and the scale bar are true.

Maps are drawn in metres, never in degrees.  :func:`map_crs_for` picks the
CRS from the data's extent and a user choice (:data:`CRS_CHOICES`):

``"gk"`` (default)
    the CGCS2000 3-degree Gauss–Krüger zone whose central meridian is nearest
    the region's centre (EPSG:4534 … EPSG:4554, "CGCS2000 / 3-degree
    Gauss-Kruger CM 75E" … "CM 135E"; no false-easting zone prefix), the
    projection of Chinese planning maps.  Outside 73.5°E–136.5°E a transverse
    Mercator on the same ellipsoid and the nearest 3-degree meridian is built.
``"utm"``
    the UTM zone (WGS 84) containing the centre
    (:func:`wufei_gis.projection.local_metric_crs`).
``"EPSG:n"``
    any projected CRS in metres.

Distances for the optimisation keep using :mod:`wufei_gis.projection`; this
module is only about drawing.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError

from ..errors import InputError
from ..projection import STORAGE_CRS, local_metric_crs

__all__ = [
    "CRS_CHOICES",
    "gauss_kruger_crs",
    "lonlat_bounds",
    "map_crs_for",
    "parse_crs_choice",
]

#: Named map projections (besides any ``"EPSG:n"``).
CRS_CHOICES = ("gk", "utm")
#: EPSG code of "CGCS2000 / 3-degree Gauss-Kruger CM 75E"; CM 78E is +1 ... CM 135E is 4554.
_GK_FIRST_EPSG = 4534
_GK_FIRST_CM = 75
_GK_LAST_CM = 135

Bounds = tuple[float, float, float, float]


def gauss_kruger_crs(lon: float) -> CRS:
    """Return the CGCS2000 3-degree Gauss–Krüger CRS whose central meridian is nearest ``lon``.

    >>> gauss_kruger_crs(102.4).to_epsg()
    4543
    >>> gauss_kruger_crs(102.4).name
    'CGCS2000 / 3-degree Gauss-Kruger CM 102E'
    """
    cm = int(3 * round(float(lon) / 3.0))
    if _GK_FIRST_CM <= cm <= _GK_LAST_CM:
        return CRS.from_epsg(_GK_FIRST_EPSG + (cm - _GK_FIRST_CM) // 3)
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0=0 +lon_0={cm} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
    )


def lonlat_bounds(frames: Iterable[gpd.GeoDataFrame | gpd.GeoSeries]) -> Bounds:
    """Return ``(lon_min, lat_min, lon_max, lat_max)`` of the non-empty frames (degrees).

    Raises
    ------
    InputError
        All frames are empty: there is nothing to draw.
    """
    boxes = []
    for f in frames:
        if f is None or not len(f):
            continue
        g = f.to_crs(STORAGE_CRS) if f.crs is not None else f
        b = np.asarray(g.total_bounds, dtype=float)
        if np.isfinite(b).all():
            boxes.append(b)
    if not boxes:
        raise InputError(
            "nothing to draw: the layers have no features",
            fix="solve a scenario or add counties to the project first",
        )
    a = np.vstack(boxes)
    return (float(a[:, 0].min()), float(a[:, 1].min()), float(a[:, 2].max()), float(a[:, 3].max()))


def parse_crs_choice(text: str) -> CRS | str:
    """Check a map CRS choice: ``"gk"``, ``"utm"`` or a projected ``"EPSG:n"`` in metres.

    Returns the name (``"gk"``/``"utm"``) or the :class:`pyproj.CRS`.

    Raises
    ------
    InputError
        Unknown text, or a CRS in degrees (a map in degrees distorts shapes and
        has no true scale bar).
    """
    t = str(text).strip()
    if t.lower() in CRS_CHOICES:
        return t.lower()
    try:
        crs = CRS.from_user_input(t)
    except CRSError:
        raise InputError(
            f"unknown map projection '{text}'",
            field="crs",
            fix="use gk (Gauss–Krüger), utm, or a projected EPSG code such as EPSG:4543",
        ) from None
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in ("metre", "meter"):
        raise InputError(
            f"map projection '{text}' is not in metres",
            field="crs",
            fix="choose a projected CRS in metres (gk, utm or e.g. EPSG:4543)",
        )
    return crs


def map_crs_for(bounds: Bounds, choice: str | CRS = "gk") -> CRS:
    """Return the map CRS for a region with lon/lat ``bounds`` and a ``choice``.

    Parameters
    ----------
    bounds
        ``(lon_min, lat_min, lon_max, lat_max)`` (:func:`lonlat_bounds`).
    choice
        ``"gk"``, ``"utm"``, ``"EPSG:n"`` or a :class:`pyproj.CRS`
        (checked by :func:`parse_crs_choice`).
    """
    picked = choice if isinstance(choice, CRS) else parse_crs_choice(choice)
    if isinstance(picked, CRS):
        return picked
    lon = (bounds[0] + bounds[2]) / 2.0
    lat = (bounds[1] + bounds[3]) / 2.0
    return gauss_kruger_crs(lon) if picked == "gk" else local_metric_crs(lon, lat)
