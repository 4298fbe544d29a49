"""Coordinate reference systems: storage in WGS84, distances in a local metric CRS."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from pyproj import CRS, Geod

from .schema import STORAGE_CRS

__all__ = [
    "STORAGE_CRS",
    "GEOD",
    "local_metric_crs",
    "geodesic_km",
    "lonlat",
    "lonlat_points",
]

#: WGS84 ellipsoid for geodesic distances.
GEOD = Geod(ellps="WGS84")


def local_metric_crs(lon: float, lat: float) -> CRS:
    """Return the UTM zone CRS (metres) that contains ``(lon, lat)``.

    Parameters
    ----------
    lon, lat
        A point in degrees (WGS84), typically the centre of the study region.
    """
    zone = int(np.floor((lon + 180.0) / 6.0)) % 60 + 1
    epsg = (32600 if lat >= 0 else 32700) + zone
    return CRS.from_epsg(epsg)


def metric_crs_for(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """Return a local metric CRS for the extent of ``gdf`` (any CRS)."""
    g = gdf.to_crs(STORAGE_CRS) if gdf.crs is not None else gdf
    minx, miny, maxx, maxy = g.total_bounds
    return local_metric_crs((minx + maxx) / 2.0, (miny + maxy) / 2.0)


def lonlat(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Return the longitudes and latitudes (degrees, EPSG:4326) of point features.

    Parameters
    ----------
    gdf
        Points in any CRS (reprojected to EPSG:4326); without a CRS the
        coordinates are taken to be lon/lat already.

    Returns
    -------
    lon, lat
        Float arrays, one value per feature.
    """
    g = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    if g.crs is not None:
        g = g.to_crs(STORAGE_CRS)
    return np.asarray(g.x, float), np.asarray(g.y, float)


def lonlat_points(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> list[tuple[float, float]]:
    """Return ``[(lon, lat), ...]`` of point features (see :func:`lonlat`)."""
    lon, lat = lonlat(gdf)
    return list(zip(lon.tolist(), lat.tolist(), strict=True))


def geodesic_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Return geodesic distances in km between points, broadcasting like numpy.

    Parameters
    ----------
    lon1, lat1, lon2, lat2
        Degrees (WGS84); arrays of broadcast-compatible shapes.
    """
    a, b, c, d = np.broadcast_arrays(
        np.asarray(lon1, float),
        np.asarray(lat1, float),
        np.asarray(lon2, float),
        np.asarray(lat2, float),
    )
    _, _, dist_m = GEOD.inv(a.ravel(), b.ravel(), c.ravel(), d.ravel())
    return np.asarray(dist_m, float).reshape(a.shape) / 1000.0
