"""Coverage rules: k facilities per region, set covering (LSCP), maximal covering (MCLP)."""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pulp
import pytest

from wufei_gis.errors import InputError
from wufei_gis.export import export_result
from wufei_gis.optimization.coverage import cover_matrix, solve_lscp, solve_mclp
from wufei_gis.optimization.planning import collect_sites, solve_scenario
from wufei_gis.planning_inputs import planning_inputs
from wufei_gis.results import read_results, write_results
from wufei_gis.samples import load_sample
from wufei_gis.scenario import Scenario

#: Yuxi's counties in four groups (a prefecture-like grouping column for the tests).
GROUPS = {
    "530402": ("G1", "中部组"),
    "530403": ("G1", "中部组"),
    "530423": ("G2", "东部组"),
    "530424": ("G2", "东部组"),
    "530481": ("G2", "东部组"),
    "530425": ("G3", "西部组"),
    "530426": ("G3", "西部组"),
    "530427": ("G4", "南部组"),
    "530428": ("G4", "南部组"),
}


@pytest.fixture(scope="module")
def yuxi():
    return load_sample("yuxi")


@pytest.fixture
def grouped(yuxi):
    p = load_sample("yuxi")
    c = p.counties.copy()
    c["prefecture_id"] = c["county_id"].map(lambda v: GROUPS[v][0])
    c["prefecture_name_zh"] = c["county_id"].map(lambda v: GROUPS[v][1])
    p.counties = c
    return p


def _site_county(project, sc) -> dict[str, str]:
    sites = collect_sites(planning_inputs(project, sc))
    both = pd.concat([sites.transfer, sites.plants])
    return dict(zip(both["id"], both["county_id"], strict=True))


def _distances(project, sc) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Demand points x transfer stations (km, as the model's cost provider), ids, demand."""
    inputs = planning_inputs(project, sc)
    sites = collect_sites(inputs)
    m = inputs.costs.matrix(inputs.demand_points, sites.transfer)
    return np.asarray(m.distance_km), list(sites.transfer["id"]), inputs.demand_tpd()


# --- k per region ---------------------------------------------------------------------
def test_one_transfer_station_per_county_holds(yuxi) -> None:
    base = yuxi.scenario("plan-2025")
    r0 = solve_scenario(yuxi, base)
    sc = base.copy(name="k1", min_facilities_per_region={"transfer_station": 1})
    r = solve_scenario(yuxi, sc)
    county = _site_county(yuxi, sc)
    ts = r.proposed_sites[r.proposed_sites["type"] == "transfer_station"]
    per_county = ts["site_id"].map(county).value_counts()
    ids = yuxi.counties["county_id"].astype(str)
    assert (per_county.reindex(ids, fill_value=0) >= 1).all()
    # without the rule some county has none: the rule changed the plan, at a cost
    ts0 = r0.proposed_sites[r0.proposed_sites["type"] == "transfer_station"]
    assert (ts0["site_id"].map(county).value_counts().reindex(ids, fill_value=0) == 0).any()
    assert r.summary()["objective"] >= r0.summary()["objective"] - 1e-6
    layer = r.region_coverage
    assert list(layer.columns[:6]) == [
        "region_id",
        "name_zh",
        "name_en",
        "facility_type",
        "required",
        "open_count",
    ]
    assert len(layer) == 9 and (layer["open_count"] >= layer["required"]).all()
    assert set(layer["region_id"]) == set(ids)
    assert "红塔区" in set(layer["name_zh"]) and layer.geometry.notna().all()
    assert r0.region_coverage is None


def test_one_incinerator_per_group(grouped) -> None:
    base = grouped.scenario("plan-2025")
    sc = base.copy(
        name="inc-per-group",
        min_facilities_per_region={"incinerator": 1},
        coverage_region_field="prefecture_id",
    )
    r = solve_scenario(grouped, sc)
    layer = r.region_coverage.set_index("region_id")
    assert set(layer.index) == {"G1", "G2", "G3", "G4"}
    assert layer.loc["G4", "name_zh"] == "南部组"
    assert (layer["open_count"] >= 1).all()
    # the south group has no incinerator in service: its candidate must open
    assert "YX-CINC-02" in set(r.proposed_sites["site_id"])
    r0 = solve_scenario(grouped, base)
    assert "YX-CINC-02" not in set(r0.proposed_sites["site_id"])
    # the polygons are the union of the group's counties
    c = grouped.counties.to_crs(3857)
    g4 = c[c["prefecture_id"] == "G4"].union_all()
    assert gpd.GeoSeries([layer.loc["G4", "geometry"]], crs=4326).to_crs(3857).area.iloc[
        0
    ] == pytest.approx(g4.area, rel=1e-6)


def test_infeasible_region_rule_names_the_regions(yuxi) -> None:
    sc = yuxi.scenario("plan-2025").copy(min_facilities_per_region={"incinerator": 1})
    with pytest.raises(InputError) as err:
        solve_scenario(yuxi, sc)
    text = str(err.value)
    for name in ("江川区", "华宁县", "峨山彝族自治县", "元江哈尼族彝族傣族自治县"):
        assert name in text
    assert "红塔区" not in text and "新平" not in text  # these can have one
    assert err.value.field == "min_facilities_per_region"
    assert "0 in service" in text


def test_forbidden_candidates_are_named(grouped) -> None:
    sc = grouped.scenario("plan-2025").copy(
        min_facilities_per_region={"incinerator": 1},
        coverage_region_field="prefecture_id",
        forbidden_candidates=["YX-CINC-02"],
    )
    with pytest.raises(InputError, match=r"南部组 \(G4\).*YX-CINC-02"):
        solve_scenario(grouped, sc)


def test_unknown_region_field_and_type(yuxi) -> None:
    base = yuxi.scenario("plan-2025")
    sc = base.copy(min_facilities_per_region={"incinerator": 1}, coverage_region_field="nope")
    with pytest.raises(InputError, match="not a column of the counties layer") as err:
        solve_scenario(yuxi, sc)
    assert err.value.layer == "counties"
    with pytest.raises(InputError, match="medical_waste"):
        solve_scenario(yuxi, base.copy(min_facilities_per_region={"medical_waste": 1}))


def test_rules_needing_more_new_sites_than_allowed(yuxi) -> None:
    sc = yuxi.scenario("plan-2025").copy(
        min_facilities_per_region={"transfer_station": 1}, max_new_sites=2
    )
    with pytest.raises(InputError, match=r"at least 7 new sites but max_new_sites is 2"):
        solve_scenario(yuxi, sc)


# --- set covering in the planning model ---------------------------------------------------
def test_lscp_radius_holds(yuxi) -> None:
    base = yuxi.scenario("plan-2025")
    sc = base.copy(name="lscp", cover_within_km={"transfer_station": 30.0})
    r = solve_scenario(yuxi, sc)
    dist, ids, _ = _distances(yuxi, sc)
    opened = [ids.index(s) for s in r.proposed_sites["site_id"] if s in ids]
    assert (dist[:, opened].min(axis=1) <= 30.0 + 1e-9).all()
    assert r.summary()["covered_tpd"] == pytest.approx(r.county_gaps["generation_tpd"].sum())
    # the rule binds: without it some county is farther than 30 km from a station
    r0 = solve_scenario(yuxi, base)
    opened0 = [ids.index(s) for s in r0.proposed_sites["site_id"] if s in ids]
    assert (dist[:, opened0].min(axis=1) > 30.0).any()


def test_lscp_uncoverable_sources_are_named(yuxi) -> None:
    sc = yuxi.scenario("plan-2025").copy(cover_within_km={"transfer_station": 3.0})
    with pytest.raises(InputError, match="cannot be covered") as err:
        solve_scenario(yuxi, sc)
    assert "not within 3 km of a transfer_station" in str(err.value)
    assert "km away" in str(err.value) and err.value.field == "cover_within_km"


def test_cover_within_minutes(yuxi) -> None:
    base = yuxi.scenario("plan-2025").copy(collection_speed_kmh={"default": 30.0})
    r = solve_scenario(yuxi, base.copy(cover_within_min={"transfer_station": 60.0}))
    dist, ids, _ = _distances(yuxi, base)
    opened = [ids.index(s) for s in r.proposed_sites["site_id"] if s in ids]
    assert (dist[:, opened].min(axis=1) / 30.0 * 60.0 <= 60.0 + 1e-9).all()


# --- maximal covering in the planning model -------------------------------------------------
def test_mclp_objective_covers_the_best_p_subset(yuxi) -> None:
    base = yuxi.scenario("plan-2025")
    radius, p = 25.0, 2
    sc = base.copy(
        name="mclp",
        objective="mclp",
        cover_within_km={"transfer_station": radius},
        mclp_facilities=p,
    )
    r = solve_scenario(yuxi, sc)
    dist, ids, demand = _distances(yuxi, sc)
    cover = dist <= radius
    inputs = planning_inputs(yuxi, sc)
    sites = collect_sites(inputs)
    in_service = sites.transfer["is_open"].to_numpy(bool)
    cands = np.flatnonzero(~in_service)

    def covered(opened: np.ndarray) -> float:
        return float(demand[(cover[:, opened]).any(axis=1)].sum())

    best = max(
        covered(np.concatenate([np.flatnonzero(in_service), list(s)]).astype(int))
        for s in itertools.combinations(cands, p)
    )
    opened = np.array([ids.index(s) for s in r.proposed_sites["site_id"] if s in ids], int)
    new_ts = r.proposed_sites[
        (r.proposed_sites["type"] == "transfer_station") & r.proposed_sites["is_new"]
    ]
    assert len(new_ts) <= p
    assert covered(opened) == pytest.approx(best, rel=1e-9)
    assert covered(opened) > covered(np.flatnonzero(in_service))  # the objective did something
    assert r.summary()["covered_tpd"] == pytest.approx(best, rel=1e-9)


def test_mclp_needs_radius_and_p(yuxi) -> None:
    with pytest.raises(InputError, match="mclp") as err:
        solve_scenario(yuxi, yuxi.scenario("plan-2025").copy(objective="mclp"))
    assert err.value.field == "objective"


# --- results and exports -----------------------------------------------------------------
def test_region_coverage_round_trip_and_export(yuxi, tmp_path: Path) -> None:
    sc = yuxi.scenario("plan-2025").copy(
        name="k1", min_facilities_per_region={"transfer_station": 1}
    )
    r = solve_scenario(yuxi, sc)
    out = write_results(r, tmp_path / "r.gpkg")
    back = read_results(out, "k1")
    assert back.region_coverage is not None and len(back.region_coverage) == 9
    assert (back.region_coverage["open_count"] >= 1).all()
    xlsx = export_result(out, fmt="xlsx", out=tmp_path / "r.xlsx")
    from openpyxl import load_workbook

    assert "region_coverage" in load_workbook(xlsx).sheetnames
    shp = export_result(out, fmt="shp", out=tmp_path / "shp")
    cov = gpd.read_file(Path(shp) / "region_coverage.shp")
    assert "fac_type" in cov.columns and len(cov) == 9


# --- scenario keys ------------------------------------------------------------------------
def test_scenario_keys_are_checked() -> None:
    sc = Scenario("a", min_facilities_per_region={"transfer_station": "2"})
    assert sc.min_facilities_per_region == {"transfer_station": 2}
    with pytest.raises(InputError, match="whole numbers"):
        Scenario("a", min_facilities_per_region={"transfer_station": 1.5})
    with pytest.raises(InputError, match="not one of"):
        Scenario("a", objective="fast")
    with pytest.raises(InputError):
        Scenario("a", mclp_facilities=0)
    assert Scenario.from_json(
        Scenario("a", cover_within_km={"landfill": 20}).to_json()
    ).cover_within_km == {"landfill": 20.0}


# --- the classic models on arrays ---------------------------------------------------------
def _coverable(dist: np.ndarray, radius: float) -> float:
    """``radius``, or the least radius that covers every client (LSCP needs one)."""
    return max(radius, float(dist.min(axis=1).max()))


def _random(seed: int, clients: int = 60, sites: int = 12) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    cli = rng.uniform(0, 100, (clients, 2))
    fac = rng.uniform(0, 100, (sites, 2))
    return np.linalg.norm(cli[:, None, :] - fac[None, :, :], axis=2), rng.integers(1, 12, clients)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mclp_equals_the_best_p_subset(seed: int) -> None:
    dist, w = _random(seed)
    cover = cover_matrix(dist, 25.0)
    for p in (1, 3):
        sol = solve_mclp(cover, w, p)
        best = max(
            float(w[cover[:, list(s)].any(axis=1)].sum())
            for s in itertools.combinations(range(cover.shape[1]), p)
        )
        assert sol.objective == pytest.approx(best)
        assert sol.open.sum() <= p


def test_lscp_is_a_least_cover() -> None:
    dist, _ = _random(3)
    cover = cover_matrix(dist, _coverable(dist, 35.0))
    sol = solve_lscp(cover)
    assert sol.covered.all()
    n = int(sol.objective)
    assert not any(
        cover[:, list(s)].any(axis=1).all()
        for s in itertools.combinations(range(cover.shape[1]), n - 1)
    )
    with pytest.raises(InputError, match="no site within the radius"):
        solve_lscp(cover_matrix(dist, 1.0))


# --- agreement with spopt ------------------------------------------------------------------
def _spopt_sf() -> tuple[np.ndarray, np.ndarray]:
    """spopt's own San Francisco test data: 205 tracts x 16 stores, network metres."""
    spopt = pytest.importorskip("spopt")
    data = Path(spopt.__file__).parent / "tests" / "test_locate" / "data"
    if not data.is_dir():
        pytest.skip("spopt's test data is not installed")
    dist = pd.read_csv(data / "SF_network_distance_candidateStore_16_censusTract_205_new.csv")
    cost = dist.pivot_table(values="distance", index="DestinationName", columns="name")
    dem = pd.read_csv(data / "SF_demand_205_centroid_uniform_weight.csv").sort_values("NAME")
    return cost.to_numpy(), dem["POP2000"].to_numpy(float)


def _spopt_lscp(cost: np.ndarray, radius: float) -> float:
    from spopt.locate import LSCP

    m = LSCP.from_cost_matrix(cost, radius).solve(pulp.HiGHS(msg=False), results=False)
    return float(pulp.value(m.problem.objective))


def _spopt_mclp(cost: np.ndarray, w: np.ndarray, radius: float, p: int) -> float:
    from spopt.locate import MCLP

    m = MCLP.from_cost_matrix(cost, w, radius, p).solve(pulp.HiGHS(msg=False), results=False)
    return float(pulp.value(m.problem.objective))


@pytest.mark.parametrize("radius", [5000.0, 8000.0])
def test_lscp_agrees_with_spopt_on_its_data(radius: float) -> None:
    cost, _ = _spopt_sf()
    assert solve_lscp(cover_matrix(cost, radius)).objective == pytest.approx(
        _spopt_lscp(cost, radius)
    )


@pytest.mark.parametrize(("radius", "p"), [(5000.0, 4), (3000.0, 6), (5000.0, 1)])
def test_mclp_agrees_with_spopt_on_its_data(radius: float, p: int) -> None:
    cost, w = _spopt_sf()
    ours = solve_mclp(cover_matrix(cost, radius), w, p)
    assert ours.objective == pytest.approx(_spopt_mclp(cost, w, radius, p))


@pytest.mark.parametrize("seed", [0, 4, 7])
def test_agrees_with_spopt_on_random_instances(seed: int) -> None:
    pytest.importorskip("spopt")
    dist, w = _random(seed, clients=150, sites=25)
    radius = _coverable(dist, 30.0)
    assert solve_lscp(cover_matrix(dist, radius)).objective == pytest.approx(
        _spopt_lscp(dist, radius)
    )
    assert solve_mclp(cover_matrix(dist, 20.0), w, 5).objective == pytest.approx(
        _spopt_mclp(dist, w.astype(float), 20.0, 5)
    )


def test_town_level_rules_and_mclp_p_check(yuxi) -> None:
    towns = yuxi.scenario("plan-2025-towns")
    sc = towns.copy(
        min_facilities_per_region={"transfer_station": 1},
        objective="mclp",
        cover_within_km={"transfer_station": 10.0},
        mclp_facilities=3,
    )
    with pytest.raises(InputError, match="at least 7 new sites") as err:
        solve_scenario(yuxi, sc)
    assert err.value.field == "mclp_facilities"
    r = solve_scenario(yuxi, sc.copy(mclp_facilities=9))
    assert (r.region_coverage["open_count"] >= 1).all()
    assert 0 < r.summary()["covered_tpd"] <= r.county_gaps["generation_tpd"].sum() + 1e-6
