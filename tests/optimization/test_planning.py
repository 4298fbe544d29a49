"""Scenario-level planning on the bundled samples (Yuxi, Jincheng)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from wufei_gis.errors import CancelledError, InputError
from wufei_gis.results import FLOW_COLUMNS, GAP_COLUMNS, SITE_COLUMNS, SUMMARY_COLUMNS

samples = pytest.importorskip("wufei_gis.samples")


def _load(name: str):
    try:
        return samples.load_sample(name)
    except Exception as exc:  # sample data still being assembled
        pytest.skip(f"sample '{name}' not available: {exc}")


@pytest.fixture(scope="module")
def yuxi():
    return _load("yuxi")


@pytest.fixture(scope="module")
def jincheng():
    return _load("jincheng")


def _check_result(project, result, scenario) -> None:
    from wufei_gis.optimization.planning import collect_sites

    for cols, layer in (
        (SITE_COLUMNS, result.proposed_sites),
        (FLOW_COLUMNS, result.flows),
        (GAP_COLUMNS, result.county_gaps),
        (SUMMARY_COLUMNS, result.run_summary),
    ):
        assert set(cols) <= set(layer.columns)
    s = result.summary()
    assert s["status"] in ("optimal", "feasible", "time_limit")
    gaps = result.county_gaps
    # served + unserved = generation, for every county
    np.testing.assert_allclose(
        gaps["served_tpd"] + gaps["unserved_tpd"], gaps["generation_tpd"], atol=1e-6
    )
    assert (gaps["unserved_tpd"] >= -1e-9).all()
    demand = project.demand(scenario).set_index("county_id")["generation_tpd"]
    np.testing.assert_allclose(
        gaps.set_index("county_id")["generation_tpd"],
        demand.reindex(gaps["county_id"]).to_numpy(),
        atol=1e-9,
    )
    # waste leaving each county by collection = served
    f = result.flows
    out = f[f["stage"] == "collection"].groupby("from_id")["tonnes_per_day"].sum()
    served = gaps.set_index("county_id")["served_tpd"]
    np.testing.assert_allclose(out.reindex(served.index, fill_value=0.0), served, atol=1e-6)
    # no capacity exceeded
    ps = result.proposed_sites
    assert (ps["throughput_tpd"] <= ps["capacity_tpd"] + 1e-6).all()
    inflow = f.groupby("to_id")["tonnes_per_day"].sum()
    for r in ps.itertuples():
        assert inflow.get(r.site_id, 0.0) == pytest.approx(r.throughput_tpd, abs=1e-6)
    # transfer stations pass on what they receive
    st = ps[ps["stage"] == "transfer"]
    outflow = f[f["stage"] == "transfer"].groupby("from_id")["tonnes_per_day"].sum()
    for r in st.itertuples():
        assert outflow.get(r.site_id, 0.0) == pytest.approx(r.throughput_tpd, abs=1e-6)
    # incineration target met, or the shortfall reported as unserved
    sc = project.scenario(scenario)
    if sc.incineration_share_min is not None and s["landfill_tpd"] + 1e-9 > 0:
        assert s["incineration_share"] >= sc.incineration_share_min - 1e-6
        assert s["incineration_target"] == pytest.approx(sc.incineration_share_min)
    # money adds up
    assert s["objective"] == pytest.approx(
        s["transport_cost"] + s["fixed_cost"] + s["gate_cost"] + s["unserved_cost"], rel=1e-6
    )
    from wufei_gis.planning_inputs import planning_inputs

    sites = collect_sites(planning_inputs(project, sc))
    assert set(ps["site_id"]) <= set(sites.transfer["id"]) | set(sites.plants["id"])


@pytest.mark.parametrize("scenario", ["plan-2025", "baseline-2020"])
def test_yuxi(yuxi, scenario: str) -> None:
    from wufei_gis.optimization.planning import solve_scenario

    phases = []
    result = solve_scenario(yuxi, scenario, progress=lambda f, m: phases.append(m))
    _check_result(yuxi, result, scenario)
    assert phases[0] == "building network matrices" and phases[-1] == "writing results"
    assert {"building model", "solving"} <= set(phases)
    assert result.run_summary["scenario"].iloc[0] == scenario


@pytest.mark.parametrize("scenario", ["plan-2025", "baseline-2020"])
def test_jincheng(jincheng, scenario: str) -> None:
    from wufei_gis.optimization.planning import solve_scenario

    result = solve_scenario(jincheng, scenario)
    _check_result(jincheng, result, scenario)


def test_policy_toggles_on_sample(yuxi) -> None:
    from wufei_gis.optimization.planning import solve_scenario

    base = yuxi.scenario("plan-2025")
    r0 = solve_scenario(yuxi, base.copy(incineration_share_min=None, mip_gap=0.0))
    sc1 = base.copy(incineration_share_min=None, landfill_cap_tpd=0.0, mip_gap=0.0)
    r1 = solve_scenario(yuxi, sc1)
    assert r1.summary()["landfill_tpd"] == pytest.approx(0.0, abs=1e-6)
    assert r1.summary()["objective"] >= r0.summary()["objective"] - 1e-6
    assert "landfill_cap" in r1.summary()["binding_policy"] or r1.summary()["unserved_tpd"] > 0
    _check_result(yuxi, r1, sc1)

    r2 = solve_scenario(yuxi, base.copy(max_new_sites=0))
    assert r2.summary()["new_sites"] == 0
    r3 = solve_scenario(yuxi, base.copy(county_self_sufficiency=True, single_sourcing=True))
    f = r3.flows
    assert f.groupby("from_id")["to_id"].nunique().max() >= 1
    coll = f[f["stage"] == "collection"]
    assert (coll.groupby("from_id")["to_id"].nunique() == 1).all()


def test_required_and_forbidden_candidates(yuxi) -> None:
    from wufei_gis.optimization.planning import solve_scenario

    base = yuxi.scenario("plan-2025")
    cid = str(yuxi.candidates["candidate_id"].iloc[0])
    r = solve_scenario(yuxi, base.copy(required_candidates=[cid]))
    assert cid in set(r.proposed_sites["site_id"])
    r = solve_scenario(yuxi, base.copy(forbidden_candidates=[cid]))
    assert cid not in set(r.proposed_sites["site_id"])
    with pytest.raises(InputError, match="max_new_sites"):
        solve_scenario(yuxi, base.copy(required_candidates=[cid], max_new_sites=0))


def test_required_candidate_without_size_class_is_an_input_error(yuxi) -> None:
    # No scenario size class and no size_class of its own: the candidate could
    # only stay closed, which must not happen silently to a required site.
    from wufei_gis.optimization.planning import solve_scenario

    base = yuxi.scenario("plan-2025")
    sc = base.copy(name="no-classes", size_classes=[], required_candidates=["YX-CTS-01"])
    with pytest.raises(InputError) as err:
        solve_scenario(yuxi, sc)
    msg = str(err.value)
    assert "scenario 'no-classes'" in msg and "'YX-CTS-01'" in msg
    assert "offer a size class for it" in msg and "remove it from required" in msg
    assert err.value.layer == "scenarios" and err.value.field == "required_candidates"
    # without the requirement the same scenario solves: the stations just stay closed
    r = solve_scenario(yuxi, base.copy(size_classes=[]))
    assert not r.proposed_sites["site_id"].str.startswith("YX-CTS").any()


def test_single_sourcing_gap_is_the_part_capacity_cannot_take(yuxi) -> None:
    # Baseline 2020: 新平 (530427) has its own 172 t/d landfill and no transfer
    # station.  With single sourcing its served part (172 t/d) goes to that
    # one landfill and only the rest is the capacity gap, as without single
    # sourcing; the county is not reported as wholly unserved.
    from wufei_gis.optimization.planning import solve_scenario

    base = yuxi.scenario("baseline-2020")
    split = solve_scenario(yuxi, base).county_gaps.set_index("county_id")
    single = solve_scenario(yuxi, base.copy(single_sourcing=True)).county_gaps.set_index(
        "county_id"
    )
    assert single.loc["530427", "served_tpd"] == pytest.approx(172.0, abs=1e-6)
    assert single.loc["530427", "unserved_tpd"] > 1.0
    np.testing.assert_allclose(single["unserved_tpd"], split["unserved_tpd"], atol=1e-6)


def test_unknown_network_is_an_input_error(yuxi) -> None:
    from wufei_gis.optimization.planning import solve_scenario

    sc = yuxi.scenario("plan-2025").copy(network="no-such-roads")
    with pytest.raises(InputError, match="no-such-roads"):
        solve_scenario(yuxi, sc)


def test_cancel_before_solve_raises(yuxi) -> None:
    from wufei_gis.optimization.planning import solve_scenario

    with pytest.raises(CancelledError):
        solve_scenario(yuxi, "plan-2025", should_cancel=lambda: True)


def test_solve_inputs_never_calls_back_into_the_project(yuxi):
    """The inputs are assembled once; the model solves them without the project (here: a copy
    that went through pickle, as it would to another process)."""
    import pickle

    from wufei_gis.optimization.planning import solve_inputs, solve_scenario
    from wufei_gis.planning_inputs import PlanningInputs, planning_inputs

    inputs = planning_inputs(yuxi, "plan-2025")
    assert isinstance(inputs, PlanningInputs)
    assert inputs.demand_tpd().sum() == pytest.approx(
        yuxi.demand("plan-2025")["generation_tpd"].sum()
    )
    assert inputs.facilities["type"].isin(["landfill", "incinerator", "transfer_station"]).all()
    assert {"required", "forbidden"} <= set(inputs.candidates.columns)
    shipped = pickle.loads(pickle.dumps(inputs))
    a = solve_inputs(shipped).summary()
    b = solve_scenario(yuxi, "plan-2025").summary()
    assert a["status"] == b["status"] == "optimal"
    assert a["objective"] == pytest.approx(b["objective"], rel=1e-9)


def test_exclusion_zone_forbids_candidates_in_inputs(yuxi):
    from shapely.geometry import box

    from wufei_gis.planning_inputs import planning_inputs

    cand = yuxi.candidates.iloc[0]
    zone = box(
        cand.geometry.x - 0.01,
        cand.geometry.y - 0.01,
        cand.geometry.x + 0.01,
        cand.geometry.y + 0.01,
    )
    project = yuxi.__class__.from_frames(
        counties=yuxi.counties,
        facilities=yuxi.facilities,
        candidates=yuxi.candidates,
        generation=yuxi.generation,
        scenarios=list(yuxi.scenarios.values()),
        exclusions=gpd.GeoDataFrame(
            {"zone_id": ["Z1"], "name_zh": ["水源保护区"], "reason": ["test"]},
            geometry=[zone],
            crs="EPSG:4326",
        ),
    )
    sc = project.scenario("plan-2025").copy(candidate_ids=None)
    inputs = planning_inputs(project, sc)
    row = inputs.candidates.set_index("candidate_id").loc[cand["candidate_id"]]
    assert bool(row["forbidden"]) and not bool(row["required"])
