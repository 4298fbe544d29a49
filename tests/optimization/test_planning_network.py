"""The planner on a road network: unreachable counties are a clear error, not a silent gap."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from wufei_gis.errors import InputError
from wufei_gis.network import NetworkProvider, RoadOptions, graph_from_lines
from wufei_gis.optimization.planning import solve_scenario


def _two_islands() -> gpd.GeoDataFrame:
    # island A joins county 1's point, landfill F1 and candidate C1; island B only county 2
    return gpd.GeoDataFrame(
        {"highway": ["primary", "primary", "primary"]},
        geometry=[
            LineString([(102.1, 24.1), (102.15, 24.05)]),
            LineString([(102.1, 24.1), (102.12, 24.12)]),
            LineString([(102.3, 24.1), (102.31, 24.12)]),
        ],
        crs="EPSG:4326",
    )


def test_county_that_cannot_reach_any_site_is_named(tiny_project):
    G = graph_from_lines(
        _two_islands(), name="islands", road_options=RoadOptions(class_field="highway")
    )
    with pytest.raises(InputError, match="cannot reach any destination") as err:
        solve_scenario(tiny_project, "baseline", cost_provider=NetworkProvider(G, name="islands"))
    assert "100002" in str(err.value) and err.value.layer == "counties"


def test_connected_network_solves_with_road_lengths(tiny_project):
    lines = _two_islands()
    lines.loc[len(lines)] = ["primary", LineString([(102.12, 24.12), (102.31, 24.12)])]
    G = graph_from_lines(lines, name="joined", road_options=RoadOptions(class_field="highway"))
    res = solve_scenario(tiny_project, "baseline", cost_provider=NetworkProvider(G, name="joined"))
    assert res.summary()["cost_method"] == "road network 'joined'"
    gaps = res.county_gaps.set_index("county_id")
    assert (gaps["served_tpd"] + gaps["unserved_tpd"] - gaps["generation_tpd"]).abs().max() < 1e-6
