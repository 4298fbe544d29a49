"""Generation estimates and the straight-line cost provider."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from wufei_gis.cli import main
from wufei_gis.costs import CostProvider, StraightLineProvider
from wufei_gis.errors import InputError
from wufei_gis.generation import estimate_generation, generation_for_year
from wufei_gis.project import Project


def test_estimate_population_times_rate_times_growth():
    pop = pd.DataFrame({"county_id": ["a", "b"], "population": [100_000, 250_000]})
    est = estimate_generation(pop, kg_per_person_day=0.8, base_year=2020)
    assert est["generation_tpd"].tolist() == pytest.approx([80.0, 200.0])
    grown = estimate_generation(
        pop, kg_per_person_day=0.8, base_year=2020, target_year=2025, annual_growth=0.03
    )
    assert grown["generation_tpd"].iloc[0] == pytest.approx(80.0 * 1.03**5)
    assert (grown["year"] == 2025).all() and grown["note"].str.startswith("estimate").all()


def test_estimate_rejects_missing_population():
    pop = pd.DataFrame({"county_id": ["a"], "population": [None]})
    with pytest.raises(InputError, match="population") as err:
        estimate_generation(pop, kg_per_person_day=0.8, base_year=2020)
    assert err.value.row == 1


def test_generation_for_year_picks_latest_earlier_year():
    gen = pd.DataFrame(
        {
            "county_id": ["a", "a", "b"],
            "year": [2018, 2020, 2022],
            "generation_tpd": [10.0, 20.0, 50.0],
        }
    )
    got = generation_for_year(gen, ["a", "b"], 2021, annual_growth=0.1).set_index("county_id")
    assert got.loc["a", "generation_tpd"] == pytest.approx(22.0)
    assert got.loc["a", "data_year"] == 2020
    assert got.loc["b", "generation_tpd"] == pytest.approx(50.0 / 1.1)  # only a later year
    with pytest.raises(InputError, match="no generation data for county 'c'"):
        generation_for_year(gen, ["c"], 2020)


def test_cli_generation_writes_estimates(tmp_path, tiny_project, capsys):
    tiny_project.counties["population"] = [200_000.0, 500_000.0]
    path = tiny_project.write(tmp_path / "p.gpkg")
    assert (
        main(
            [
                "generation",
                str(path),
                "--kg-per-person-day",
                "0.9",
                "--base-year",
                "2020",
                "--target-year",
                "2025",
                "--growth",
                "0.02",
            ]
        )
        == 0
    )
    gen = Project.read(path).generation
    row = gen[(gen["county_id"] == "100002") & (gen["year"] == 2025)]
    assert row["generation_tpd"].iloc[0] == pytest.approx(450.0 * 1.02**5)
    assert len(gen[gen["year"] == 2020]) == 2  # the data rows stay


def test_straight_line_known_distance():
    o = gpd.GeoDataFrame({"id": ["o"]}, geometry=[Point(102.0, 24.0)], crs=4326)
    d = gpd.GeoDataFrame(
        {"id": ["d1", "d2"]}, geometry=[Point(102.0, 25.0), Point(102.0, 24.0)], crs=4326
    )
    prov = StraightLineProvider(circuity=1.4)
    assert isinstance(prov, CostProvider)
    m = prov.matrix(o, d)
    # one degree of latitude at 24.5 N is 110.78 km on the WGS84 ellipsoid
    assert m.distance_km[0, 0] == pytest.approx(110.78 * 1.4, rel=2e-3)
    assert m.distance_km[0, 1] == 0.0
    assert m.time_min[0, 0] == pytest.approx(m.distance_km[0, 0] / 40 * 60)
    assert not m.is_network and m.method == "straight line x 1.4"
    assert list(m.path("o", "d1").coords) == [(102.0, 24.0), (102.0, 25.0)]


def test_straight_line_accepts_projected_points():
    o = gpd.GeoDataFrame({"id": ["o"]}, geometry=[Point(102.0, 24.0)], crs=4326).to_crs(32648)
    d = gpd.GeoDataFrame({"id": ["d"]}, geometry=[Point(102.1, 24.0)], crs=4326)
    km = StraightLineProvider(circuity=1.0).matrix(o, d).distance_km[0, 0]
    assert km == pytest.approx(10.17, rel=5e-3)
    assert np.isfinite(km)


def test_project_demand_points_inside_counties(tiny_project: Project):
    pts = tiny_project.demand_points()
    assert pts["id"].tolist() == ["100001", "100002"]
    assert all(
        tiny_project.counties.geometry.iloc[i].contains(p) for i, p in enumerate(pts.geometry)
    )
