"""Waste streams: the Yuxi plan-2025-streams sample and the single-stream equivalence."""

from __future__ import annotations

import pytest

from wufei_gis.kpis import kpi_factors
from wufei_gis.optimization.planning import solve_scenario
from wufei_gis.samples import load_sample


@pytest.fixture(scope="module")
def yuxi():
    return load_sample("yuxi")


@pytest.fixture(scope="module")
def streams_result(yuxi):
    return solve_scenario(yuxi, "plan-2025-streams")


def test_single_stream_objective_unchanged(yuxi):
    # the value of plan-2025 before streams existed (150,798.858 yuan/d), at a tight gap
    sc = yuxi.scenario("plan-2025").copy(mip_gap=1e-7)
    res = solve_scenario(yuxi, sc)
    assert res.summary()["objective"] == pytest.approx(150_798.858, abs=1e-3)
    assert set(res.flows["stream"]) == {"residual"}


def test_streams_solve_with_a_stream_column(streams_result):
    r = streams_result
    assert r.summary()["status"] == "optimal"
    assert {"residual", "kitchen", "bottom_ash", "fly_ash", "medical"} <= set(r.flows["stream"])
    # every generated tonne of every primary stream is served
    assert r.summary()["unserved_tpd"] == pytest.approx(0.0, abs=1e-6)


def test_regulated_flows_end_only_at_licensed_sites(yuxi, streams_result):
    flows = streams_result.flows
    types = dict(
        zip(
            streams_result.proposed_sites["site_id"],
            streams_result.proposed_sites["type"],
            strict=True,
        )
    )
    fly = flows[flows["stream"] == "fly_ash"]
    assert len(fly) and set(fly["to_id"]) <= {"YX-LF-02"}  # the one licensed cell
    med = flows[flows["stream"] == "medical"]
    assert len(med) and {types[t] for t in med["to_id"]} <= {"medical_waste", "collection_hub"}
    # never through an ordinary transfer station
    regulated = flows[flows["stream"].isin(["fly_ash", "medical"])]
    assert "transfer_station" not in {types.get(t) for t in regulated["to_id"]}


def test_ash_equals_yield_times_incinerated(streams_result):
    r = streams_result
    assert r.summary()["secondary_unserved_tpd"] == pytest.approx(0.0, abs=1e-9)
    ps = r.proposed_sites.set_index("site_id")
    sec = r.flows[r.flows["stage"] == "secondary"]
    for site in ps.index[ps["type"] == "incinerator"]:
        burnt = float(ps.loc[site, "throughput_tpd"])
        for stream, y in (("bottom_ash", 0.22), ("fly_ash", 0.03)):
            out = sec[(sec["from_id"] == site) & (sec["stream"] == stream)]["tonnes_per_day"]
            assert float(out.sum()) == pytest.approx(y * burnt, abs=1e-6)


def test_policies_read_as_the_plan(streams_result):
    s = streams_result.summary()
    assert s["incineration_capacity_share"] >= 0.65 - 1e-9
    assert s["landfill_tpd"] == pytest.approx(0.0, abs=1e-6)  # no raw waste landfilled
    assert s["kitchen_coverage"] == pytest.approx(1.0)
    ps = streams_result.proposed_sites
    inc = ps[ps["type"] == "incinerator"]
    load = inc["throughput_tpd"] + inc["min_load_shortfall_tpd"]
    assert (load >= 0.7 * inc["capacity_tpd"] - 1e-6).all()


def test_transport_co2e_by_hand(yuxi, streams_result):
    f = kpi_factors()
    payload = yuxi.stream_tables.column("payload_t")
    total = 0.0
    for row in streams_result.flows.itertuples():
        trips = row.tonnes_per_day / payload[row.stream]
        total += trips * row.distance_km * 2.0 * 0.30 * 2.676 / 1000.0
    assert f["truck_fuel_l_per_km"] == 0.30 and f["diesel_kgco2_per_l"] == 2.676
    kpis = streams_result.kpis.set_index("stream")
    assert kpis.loc["all", "transport_co2e_t_per_day"] == pytest.approx(total, rel=1e-12)
    assert streams_result.summary()["transport_co2e_t_per_day"] == pytest.approx(total)
    for col in ("electricity_mwh_per_day", "landfill_airspace_m3_per_yr", "net_co2e_t_per_day"):
        assert col in kpis.columns


def test_kpi_factor_override(yuxi):
    sc = yuxi.scenario("plan-2025").copy(kpi_factors={"grid_tco2_per_mwh": 1.0})
    res = solve_scenario(yuxi, sc)
    k = res.kpis.set_index("stream").loc["all"]
    assert k["energy_credit_co2e_t_per_day"] == pytest.approx(-k["electricity_mwh_per_day"])
