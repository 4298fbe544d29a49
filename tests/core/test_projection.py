"""Coordinates: one lon/lat helper for point layers in any CRS."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from wufei_gis.projection import local_metric_crs, lonlat, lonlat_points


def test_lonlat_reprojects_to_wgs84():
    pts = gpd.GeoDataFrame(
        {"id": ["a", "b"]}, geometry=[Point(102.5, 24.3), Point(103.0, 25.0)], crs="EPSG:4326"
    )
    metric = pts.to_crs(local_metric_crs(102.5, 24.3))
    assert metric.geometry.x.iloc[0] > 1000  # metres, not degrees
    lon, lat = lonlat(metric)
    np.testing.assert_allclose(lon, [102.5, 103.0], atol=1e-7)
    np.testing.assert_allclose(lat, [24.3, 25.0], atol=1e-7)
    assert lonlat_points(metric) == [pytest.approx((102.5, 24.3)), pytest.approx((103.0, 25.0))]
    assert lonlat(metric.geometry)[0] == pytest.approx([102.5, 103.0])


def test_lonlat_without_crs_takes_coordinates_as_they_are():
    pts = gpd.GeoDataFrame(geometry=[Point(1.0, 2.0)])
    assert lonlat_points(pts) == [(1.0, 2.0)]
