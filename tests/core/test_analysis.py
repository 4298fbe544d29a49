"""Tests of wufei_gis.analysis: capacity gaps, paths through transfer stations, comparisons."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from wufei_gis.analysis import (
    compare_results,
    county_analysis,
    county_analysis_frame,
    facility_analysis,
    gap_difference,
    kpi_table,
    region_kpis,
    shared_color_limits,
    synced_extent,
    treatment_paths,
)
from wufei_gis.results import RunResult


def make_result(scenario: str = "A", *, unserved_c: float = 10.0, gate: bool = True) -> RunResult:
    """Three counties, an incinerator, a landfill and a transfer station; optimum by hand.

    ========  ==========  =======  ================================================
    county    generation  served   paths
    ========  ==========  =======  ================================================
    C1 甲县    60          60       C1 -> INC (10 km)
    C2 乙县    40          40       C2 -> TS (5 km) -> INC 30 t (20 km), -> LF 10 t (15 km)
    C3 丙县    30          30 - u   C3 -> LF (8 km)
    ========  ==========  =======  ================================================
    """
    c3 = 30.0 - unserved_c
    counties = gpd.GeoDataFrame(
        {
            "county_id": ["C1", "C2", "C3"],
            "name_zh": ["甲县", "乙县", "丙县"],
            "name_en": ["Jia", "Yi", "Bing"],
            "generation_tpd": [60.0, 40.0, 30.0],
            "served_tpd": [60.0, 40.0, c3],
            "unserved_tpd": [0.0, 0.0, unserved_c],
        },
        geometry=[
            box(102.0, 24.0, 102.1, 24.1),
            box(102.1, 24.0, 102.2, 24.1),
            box(102.2, 24.0, 102.3, 24.1),
        ],
        crs="EPSG:4326",
    )
    pts = {
        "INC": Point(102.05, 24.05),
        "LF": Point(102.25, 24.05),
        "TS": Point(102.15, 24.05),
        "C1": Point(102.04, 24.04),
        "C2": Point(102.14, 24.04),
        "C3": Point(102.24, 24.04),
    }
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["INC", "LF", "TS"],
            "type": ["incinerator", "landfill", "transfer_station"],
            "capacity_tpd": [100.0, 50.0, 80.0],
            "throughput_tpd": [90.0, 10.0 + c3, 40.0],
            "utilization": [0.9, (10.0 + c3) / 50.0, 0.5],
            "is_new": [False, False, True],
            "name_zh": ["焚烧厂", "填埋场", "转运站"],
            "size_class": ["", "", "small"],
            "fixed_cost": [0.0, 0.0, 1000.0],
            "stage": ["treatment", "treatment", "transfer"],
        },
        geometry=[pts["INC"], pts["LF"], pts["TS"]],
        crs="EPSG:4326",
    )
    fl = [
        ("C1", "INC", 60.0, 10.0, "collection"),
        ("C2", "TS", 40.0, 5.0, "collection"),
        ("TS", "INC", 30.0, 20.0, "transfer"),
        ("TS", "LF", 10.0, 15.0, "transfer"),
        ("C3", "LF", c3, 8.0, "collection"),
    ]
    flows = gpd.GeoDataFrame(
        {
            "from_id": [f[0] for f in fl],
            "to_id": [f[1] for f in fl],
            "tonnes_per_day": [f[2] for f in fl],
            "distance_km": [f[3] for f in fl],
            "cost": [f[2] * f[3] * (2.0 if f[4] == "collection" else 0.8) for f in fl],
            "stage": [f[4] for f in fl],
        },
        geometry=[LineString([pts[f[0]], pts[f[1]]]) for f in fl],
        crs="EPSG:4326",
    )
    transport = float(flows["cost"].sum())
    summary = {
        "scenario": scenario,
        "status": "optimal",
        "objective": transport + 1000.0 + 5000.0,
        "transport_cost": transport,
        "fixed_cost": 1000.0,
        "unserved_tpd": unserved_c,
        "solver": "highs",
        "mip_gap": 0.0,
        "runtime_s": 0.1,
        "incineration_target": 0.65,
    }
    if gate:
        summary["gate_cost"] = 5000.0
    return RunResult(scenario, sites, flows, counties, pd.DataFrame([summary]))


def test_paths_follow_transfer_stations():
    p = treatment_paths(make_result())
    c2 = p[p["county_id"] == "C2"].set_index("treatment_site")
    assert c2.loc["INC", "tonnes_per_day"] == pytest.approx(30.0)
    assert c2.loc["LF", "tonnes_per_day"] == pytest.approx(10.0)
    assert c2.loc["INC", "distance_km"] == pytest.approx(25.0)  # 5 + 20: legs summed
    assert c2.loc["LF", "distance_km"] == pytest.approx(20.0)
    assert set(p["treatment_type"]) == {"incinerator", "landfill"}


def test_county_analysis_by_hand():
    t = county_analysis(make_result()).set_index("county_id")
    assert t.loc["C2", "incineration_tpd"] == pytest.approx(30.0)
    assert t.loc["C2", "landfill_tpd"] == pytest.approx(10.0)
    assert t.loc["C2", "incineration_share"] == pytest.approx(0.75)
    assert t.loc["C2", "mean_haul_km"] == pytest.approx((30 * 25 + 10 * 20) / 40)
    assert t.loc["C2", "max_haul_km"] == pytest.approx(25.0)
    assert t.loc["C2", "via_transfer_tpd"] == pytest.approx(40.0)
    assert t.loc["C1", "mean_haul_km"] == pytest.approx(10.0)
    assert t.loc["C3", "unserved_share"] == pytest.approx(10 / 30)
    assert t.loc["C3", "landfill_share"] == pytest.approx(1.0)
    assert t.loc["C3", "name_zh"] == "丙县"


def test_county_numbers_consistent():
    t = county_analysis(make_result(unserved_c=7.5))
    np.testing.assert_allclose(t["served_tpd"] + t["unserved_tpd"], t["generation_tpd"])
    np.testing.assert_allclose(t["incineration_share"] + t["landfill_share"], 1.0)
    np.testing.assert_allclose(t["incineration_tpd"] + t["landfill_tpd"], t["served_tpd"])
    np.testing.assert_allclose(t["served_share"] + t["unserved_share"], 1.0)


def test_county_frame_has_geometry():
    g = county_analysis_frame(make_result())
    assert isinstance(g, gpd.GeoDataFrame)
    assert g.crs.to_epsg() == 4326 and len(g) == 3


def test_facility_analysis():
    f = facility_analysis(make_result()).set_index("site_id")
    assert f.loc["INC", "counties_served"] == "甲县、乙县"
    assert f.loc["LF", "n_counties"] == 2
    assert f.loc["TS", "counties_served"] == "乙县"
    assert f.loc["TS", "utilization"] == pytest.approx(0.5)
    assert bool(f.loc["TS", "is_new"])


def test_region_kpis():
    r = make_result()
    k = region_kpis(r)
    assert k.generation_tpd == pytest.approx(130.0)
    assert k.served_tpd + k.unserved_tpd == pytest.approx(k.generation_tpd)
    assert k.incineration_tpd == pytest.approx(90.0)
    assert k.landfill_tpd == pytest.approx(30.0)
    assert k.incineration_share == pytest.approx(0.75)
    assert k.incineration_target == pytest.approx(0.65) and k.target_met is True
    assert k.transport_cost_collection == pytest.approx(60 * 10 * 2 + 40 * 5 * 2 + 20 * 8 * 2)
    assert k.transport_cost_transfer == pytest.approx((30 * 20 + 10 * 15) * 0.8)
    assert k.transport_cost == pytest.approx(
        k.transport_cost_collection + k.transport_cost_transfer
    )
    assert k.max_haul_km == pytest.approx(25.0)
    assert k.n_new_sites == 1 and k.gate_cost == pytest.approx(5000.0)
    d = k.to_dict()
    assert d["scenario"] == "A" and math.isnan(k.penalty_cost) and d["penalty_cost"] is None


def test_region_kpis_gate_cost_from_project_scenario():
    from wufei_gis.scenario import Scenario

    class P:  # the minimum of a Project that region_kpis reads
        scenarios = {"A": Scenario("A", incineration_share_min=0.8)}
        facilities = pd.DataFrame(columns=["facility_id", "type", "name_zh"])
        candidates = pd.DataFrame(columns=["candidate_id", "type"])
        counties = pd.DataFrame({"county_id": ["C1"], "name_zh": ["甲县"], "name_en": ["Jia"]})

    r = make_result(gate=False)
    r.run_summary = r.run_summary.drop(columns="incineration_target")
    k = region_kpis(r, project=P())
    assert k.gate_cost == pytest.approx(90 * 110 + 30 * 60 + 40 * 25)
    assert k.incineration_target == pytest.approx(0.8) and k.target_met is False
    assert k.penalty_cost == pytest.approx(10 * 5000)


def test_compare_and_difference():
    a, b = make_result("A", unserved_c=10.0), make_result("B", unserved_c=2.0)
    t = compare_results(a, b).set_index("kpi")
    assert t.loc["unserved_tpd", "a"] == pytest.approx(10.0)
    assert t.loc["unserved_tpd", "b"] == pytest.approx(2.0)
    assert t.loc["unserved_tpd", "delta"] == pytest.approx(-8.0)
    np.testing.assert_allclose(t["delta"].dropna(), (t["b"] - t["a"]).dropna())
    d = gap_difference(a, b).set_index("county_id")
    assert isinstance(d, gpd.GeoDataFrame)
    assert d.loc["C3", "delta_unserved_tpd"] == pytest.approx(-8.0)
    assert d.loc["C1", "delta_unserved_tpd"] == pytest.approx(0.0)
    assert d.loc["C3", "delta_unserved_share"] == pytest.approx(-8 / 30)


def test_kpi_table_many_and_same_names():
    t = kpi_table([make_result("A"), make_result("A", unserved_c=0.0), make_result("A")])
    assert [c for c in t.columns if c.startswith("delta")] == ["delta B: A", "delta C: A"]


def test_shared_limits_and_extent():
    a, b = make_result("A", unserved_c=10.0), make_result("B", unserved_c=2.0)
    assert shared_color_limits([a, b]) == (0.0, 1.0)
    assert shared_color_limits([a, b], column="unserved_tpd") == (0.0, 10.0)
    with pytest.raises(ValueError, match="column"):
        shared_color_limits([a], column="nope")
    xmin, ymin, xmax, ymax = synced_extent([a, b], pad=0.0)
    assert (xmin, ymin, xmax, ymax) == pytest.approx((102.0, 24.0, 102.3, 24.1))


# --- the real solver on the Yuxi sample ------------------------------------------------
@pytest.fixture(scope="module")
def yuxi_results():
    planning = pytest.importorskip("wufei_gis.optimization.planning")
    from wufei_gis.samples import load_sample

    project = load_sample("yuxi")
    a = planning.solve_scenario(project, "baseline-2020")
    b = planning.solve_scenario(project, "plan-2025")
    return project, a, b


def test_yuxi_consistency(yuxi_results):
    project, a, b = yuxi_results
    for r in (a, b):
        t = county_analysis(r, project=project)
        np.testing.assert_allclose(
            t["served_tpd"] + t["unserved_tpd"], t["generation_tpd"], atol=1e-4
        )
        served = t[t["served_tpd"] > 1e-6]
        np.testing.assert_allclose(
            served["incineration_share"] + served["landfill_share"], 1.0, atol=1e-6
        )
        k = region_kpis(r, project=project)
        assert k.served_tpd + k.unserved_tpd == pytest.approx(k.generation_tpd, abs=1e-3)


def test_yuxi_gap_shrinks_where_new_plants_are(yuxi_results):
    project, a, b = yuxi_results
    d = gap_difference(a, b).set_index("name_en")
    ka, kb = region_kpis(a, project=project), region_kpis(b, project=project)
    assert kb.unserved_tpd < ka.unserved_tpd
    new_plant_counties = d[d["name_zh"].astype(str).str.contains("通海|江川|华宁|澄江|易门")]
    assert len(new_plant_counties) == 5
    # no county with a new plant gets worse, and where A had a gap it shrinks
    assert (new_plant_counties["delta_unserved_tpd"] <= 1e-6).all()
    had_gap = new_plant_counties[new_plant_counties["unserved_tpd_a"] > 1e-6]
    assert (had_gap["delta_unserved_tpd"] < 0).all()
    assert kb.incineration_share >= 0.65 - 1e-6
