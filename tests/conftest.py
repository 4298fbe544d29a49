"""Shared fixtures: a tiny synthetic project whose numbers are easy to check by hand."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from wufei_gis.project import Project
from wufei_gis.scenario import Scenario


@pytest.fixture
def tiny_frames():
    """Two square counties 0.2 deg wide, two facilities, one candidate, generation."""
    counties = gpd.GeoDataFrame(
        {
            "county_id": ["100001", "100002"],
            "name_zh": ["甲县", "乙县"],
            "name_en": ["Jia County", "Yi County"],
        },
        geometry=[box(102.0, 24.0, 102.2, 24.2), box(102.2, 24.0, 102.4, 24.2)],
        crs="EPSG:4326",
    )
    facilities = gpd.GeoDataFrame(
        {
            "facility_id": ["F1", "F2"],
            "name_zh": ["甲填埋场", "乙焚烧厂"],
            "name_en": ["Jia landfill", "Yi incinerator"],
            "type": ["landfill", "incinerator"],
            "status": ["operating", "planned"],
            "capacity_tpd": [100.0, 300.0],
            "county_id": ["100001", "100002"],
            "location_precision": ["county", "exact"],
            "source": ["test", "test"],
            "note": ["", ""],
        },
        geometry=[Point(102.1, 24.1), Point(102.3, 24.1)],
        crs="EPSG:4326",
    )
    generation = pd.DataFrame(
        {
            "county_id": ["100001", "100002"],
            "year": [2020, 2020],
            "generation_tpd": [80.0, 150.0],
            "source": ["test", "test"],
            "note": ["", ""],
        }
    )
    candidates = gpd.GeoDataFrame(
        {
            "candidate_id": ["C1"],
            "name_zh": ["候选转运站"],
            "type": ["transfer_station"],
            "capacity_tpd": [150.0],
            "fixed_cost_yuan_yr": [1e6],
            "size_class": [""],
            "county_id": ["100001"],
            "note": ["illustrative"],
        },
        geometry=[Point(102.15, 24.05)],
        crs="EPSG:4326",
    )
    return counties, facilities, generation, candidates


@pytest.fixture
def tiny_project(tiny_frames) -> Project:
    counties, facilities, generation, candidates = tiny_frames
    return Project.from_frames(
        counties,
        facilities,
        generation,
        candidates=candidates,
        scenarios=[
            Scenario("baseline", target_year=2020),
            Scenario(
                "plan",
                target_year=2025,
                generation_growth_rate=0.02,
                in_service_statuses=["operating", "planned"],
            ),
        ],
        name="tiny",
    )
