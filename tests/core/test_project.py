"""Project GeoPackage: round trip, failed saves, scenarios, cross-layer checks."""

from __future__ import annotations

import pyogrio
import pytest

import wufei_gis.storage as storage_mod
from wufei_gis.errors import InputError
from wufei_gis.project import Project
from wufei_gis.scenario import Scenario


def test_round_trip_keeps_every_layer(tmp_path, tiny_project):
    path = tiny_project.write(tmp_path / "p.gpkg")
    layers = {n for n, _ in pyogrio.list_layers(path)}
    assert {
        "counties",
        "facilities",
        "candidates",
        "exclusions",
        "generation",
        "scenarios",
    } <= layers
    back = Project.read(path)
    assert back.counties["name_zh"].tolist() == ["甲县", "乙县"]
    assert back.facilities["capacity_tpd"].tolist() == [100.0, 300.0]
    assert back.candidates["candidate_id"].tolist() == ["C1"]
    assert back.generation["generation_tpd"].tolist() == [80.0, 150.0]
    assert list(back.scenarios) == ["baseline", "plan"]
    assert back.scenarios["plan"] == tiny_project.scenarios["plan"]


def test_save_failure_leaves_previous_file_intact(tmp_path, tiny_project, monkeypatch):
    path = tiny_project.write(tmp_path / "p.gpkg")
    before = path.read_bytes()
    tiny_project.facilities.loc[0, "capacity_tpd"] = 999.0
    real = storage_mod.write_frame
    calls = {"n": 0}

    def failing(tmp, df, layer, gtype):
        calls["n"] += 1
        if calls["n"] == 3:  # fail in the middle of the save
            raise OSError("disk full (simulated)")
        real(tmp, df, layer, gtype)

    monkeypatch.setattr(storage_mod, "write_frame", failing)
    with pytest.raises(OSError, match="simulated"):
        tiny_project.write(path)
    assert path.read_bytes() == before
    assert Project.read(path).facilities["capacity_tpd"].tolist() == [100.0, 300.0]
    assert [p.name for p in tmp_path.iterdir()] == ["p.gpkg"]  # no temp file left behind


def test_save_keeps_other_layers(tmp_path, tiny_project):
    import geopandas as gpd
    from shapely.geometry import LineString

    path = tiny_project.write(tmp_path / "p.gpkg")
    roads = gpd.GeoDataFrame({"u": [1]}, geometry=[LineString([(102, 24), (102.1, 24)])], crs=4326)
    pyogrio.write_dataframe(roads, path, layer="network_roads")
    tiny_project.write()
    assert "network_roads" in {n for n, _ in pyogrio.list_layers(path)}


def test_demand_grows_to_target_year(tiny_project):
    d = tiny_project.demand("plan").set_index("county_id")
    assert d.loc["100001", "generation_tpd"] == pytest.approx(80 * 1.02**5)
    assert bool(d.loc["100001", "estimated"]) is True
    base = tiny_project.demand("baseline").set_index("county_id")
    assert base.loc["100002", "generation_tpd"] == 150.0


def test_in_service_follows_scenario(tiny_project):
    assert tiny_project.facilities_in_service("baseline")["facility_id"].tolist() == ["F1"]
    assert tiny_project.facilities_in_service("plan")["facility_id"].tolist() == ["F1", "F2"]
    closing = tiny_project.scenario("plan").copy(
        name="closure", facility_status={"F1": "closed"}, facility_capacity={"F2": 500}
    )
    tiny_project.add_scenario(closing)
    f = tiny_project.facilities_in_service("closure")
    assert f["facility_id"].tolist() == ["F2"] and f["capacity_tpd"].tolist() == [500.0]


def test_unknown_scenario_lists_names(tiny_project):
    with pytest.raises(InputError, match="scenarios: baseline, plan"):
        tiny_project.scenario("nope")


def test_facility_in_unknown_county(tiny_frames):
    counties, facilities, generation, _ = tiny_frames
    facilities = facilities.copy()
    facilities.loc[1, "county_id"] = "999999"
    with pytest.raises(InputError, match="unknown county '999999'") as err:
        Project.from_frames(counties, facilities, generation)
    assert err.value.row == 2 and err.value.layer == "facilities"


def test_scenario_with_unknown_facility(tiny_project):
    with pytest.raises(InputError, match="unknown facility 'F9'"):
        tiny_project.add_scenario(Scenario("x", facility_status={"F9": "closed"}))


def test_scenario_json_rejects_bad_values():
    with pytest.raises(InputError, match="incineration_share_min"):
        Scenario.from_dict({"name": "x", "incineration_share_min": 65})
    with pytest.raises(InputError, match="unknown parameter"):
        Scenario.from_json('{"name": "x", "incineration_target": 0.65}')
    with pytest.raises(InputError, match="not valid"):
        Scenario.from_json("{name: x}")
