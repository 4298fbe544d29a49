"""Town-level solves: demand at towns, the collection limit, town result layers."""

from __future__ import annotations

import pytest

from wufei_gis.optimization.planning import solve_scenario
from wufei_gis.results import read_results, write_results
from wufei_gis.samples import load_sample


@pytest.fixture(scope="module")
def yuxi():
    return load_sample("yuxi")


@pytest.fixture(scope="module")
def towns_result(yuxi):
    return solve_scenario(yuxi, "plan-2025-towns")


def test_town_scenario_solves_with_town_layers(yuxi, towns_result):
    r = towns_result
    assert r.summary()["status"] == "optimal" and r.summary()["unserved_tpd"] == 0
    ts = r.town_service
    assert len(ts) == 51 and (ts["reason"] == "").all() and (ts["first_facility"] != "").all()
    gen = r.county_gaps.set_index("county_id")["generation_tpd"]
    by_county = ts.groupby("county_id")["demand_tpd"].sum()
    assert by_county.reindex(gen.index).to_numpy() == pytest.approx(gen.to_numpy(), abs=1e-9)
    assert (ts["haul_km"] <= 25.0 + 1e-9).all()  # the scenario's collection radius
    sc = r.station_catchments
    assert set(sc["site_id"]) == set(ts["first_facility"])
    assert sc["n_towns"].sum() == 51
    assert sc["demand_tpd"].sum() == pytest.approx(ts["demand_tpd"].sum())
    new = r.proposed_sites[r.proposed_sites["is_new"]]
    assert new["site_id"].str.startswith("GEN-T-").any()  # stations open at towns


def test_county_level_unchanged_has_no_town_layers(yuxi):
    r = solve_scenario(yuxi, "plan-2025")
    assert r.town_service is None and set(r.layers()) == {
        "proposed_sites",
        "flows",
        "county_gaps",
        "run_summary",
        "kpis",
    }


def test_collection_limit_makes_gaps_with_reason_not_infeasible(yuxi):
    sc = yuxi.scenario("plan-2025-towns").copy(
        name="tight",
        candidate_ids=[],
        candidates_at_towns=False,
        max_collection_km=8.0,
        max_direct_haul_km=None,
    )
    r = solve_scenario(yuxi, sc)
    ts = r.town_service
    far = ts[ts["reason"] == "beyond_collection_limit"]
    assert r.summary()["status"] == "optimal" and len(far) > 0
    assert (far["served_tpd"] == 0).all() and (far["first_facility"] == "").all()
    gaps = r.county_gaps.set_index("county_id")["unserved_tpd"]
    sums = ts.groupby("county_id")["unserved_tpd"].sum().reindex(gaps.index).fillna(0)
    assert gaps.to_numpy() == pytest.approx(sums.to_numpy())  # county gaps = town sums
    # the same limit as a time: 8 km at 8 km/h is 60 minutes
    by_time = sc.copy(
        name="tight-min",
        max_collection_km=None,
        max_collection_min=60.0,
        collection_speed_kmh={"default": 8.0},
    )
    r2 = solve_scenario(yuxi, by_time)
    assert list(r2.town_service["reason"]) == list(ts["reason"])
    slow = by_time.copy(name="slow", collection_speed_kmh={"default": 8.0, "530402": 4.0})
    r3 = solve_scenario(yuxi, slow)
    hongta = r3.town_service["county_id"] == "530402"
    assert (r3.town_service.loc[hongta, "unserved_tpd"] >= ts.loc[hongta, "unserved_tpd"]).all()


def test_town_layers_round_trip(tmp_path, towns_result):
    out = write_results(towns_result, tmp_path / "r.gpkg")
    back = read_results(out, "plan-2025-towns")
    assert len(back.town_service) == 51 and len(back.station_catchments) == len(
        towns_result.station_catchments
    )


def test_town_level_without_towns_is_refused(yuxi):
    from wufei_gis.errors import InputError
    from wufei_gis.project import Project

    p = Project(yuxi.counties, yuxi.facilities, yuxi.generation, scenarios=yuxi.scenarios)
    with pytest.raises(InputError, match="no towns"):
        solve_scenario(p, "plan-2025-towns")
