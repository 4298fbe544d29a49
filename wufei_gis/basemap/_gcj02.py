"""WGS84 -> GCJ-02 ("Mars coordinates"), the offset grid of AMap/Gaode tiles.

Chinese web maps (AMap/Gaode, Tencent) publish tiles whose coordinates are WGS84 shifted by the
GCJ-02 obfuscation: up to a few hundred metres, varying smoothly.  Drawing such tiles under data
in a true CRS needs the forward shift: a WGS84 point is looked up in the tile mosaic at its
GCJ-02 position.  The formula is the widely published one (Krasovsky 1940 ellipsoid, the
polynomial-plus-sine series of the leaked reference implementation), as given e.g. by the
eviltransform project (googollee/eviltransform, ``wgs2gcj``); its test pairs are ours.
Points outside China are returned unshifted, as the map services do.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["wgs84_to_gcj02", "out_of_china"]

_A = 6378245.0  # Krasovsky 1940 semi-major axis (m)
_EE = 0.00669342162296594323  # Krasovsky 1940 first eccentricity squared


def out_of_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Return True where a point lies outside the rectangle GCJ-02 applies to."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    return np.asarray((x < 72.004) | (x > 137.8347) | (y < 0.8293) | (y > 55.8271))


def _dlat(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    r += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return r


def _dlon(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    r += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(
    lon: ArrayLike, lat: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Shift WGS84 longitudes/latitudes (degrees) to GCJ-02.

    Parameters
    ----------
    lon, lat
        WGS84 degrees, scalars or arrays of one shape.

    Returns
    -------
    (lon, lat)
        GCJ-02 degrees as float arrays; points outside China are unchanged.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(121.5272106, 31.1774276)
    >>> round(float(lon), 6), round(float(lat), 6)
    (121.531542, 31.175304)
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    dlat = _dlat(x - 105.0, y - 35.0)
    dlon = _dlon(x - 105.0, y - 35.0)
    rad = y / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    outside = out_of_china(x, y)
    return np.where(outside, x, x + dlon), np.where(outside, y, y + dlat)
