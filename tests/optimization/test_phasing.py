"""Phased (multi-period) planning: sites stay open, closures, landfill airspace, present value."""

from __future__ import annotations

import numpy as np
import pytest

from wufei_gis.errors import InputError
from wufei_gis.optimization.phased_planning import mark_kept, with_kept_sites
from wufei_gis.optimization.phasing import (
    PhasingOptions,
    build_phased,
    close_sites,
    landfill_fill_years,
    present_value_factors,
    read_phased_solution,
    solve_phased_model,
)
from wufei_gis.optimization.planning import solve_scenario
from wufei_gis.optimization.two_echelon import TwoEchelonData, TwoEchelonOptions
from wufei_gis.results import read_results, write_results
from wufei_gis.samples import load_sample
from wufei_gis.scenario import Scenario


def _data(demand: list[float]) -> TwoEchelonData:
    # source 0 next to the landfill (in service, 100 t/d), source 1 next to the
    # candidate incinerator (300 t/d, 3000 yuan/d)
    return TwoEchelonData(
        demand=demand,
        dist_source_plant=np.array([[5.0, 50.0], [40.0, 8.0]]),
        plant_capacity=[100.0, 300.0],
        plant_is_incinerator=[False, True],
        plant_is_open=[True, False],
        plant_fixed_cost=[0.0, 3000.0],
        plant_gate_cost=[60.0, 110.0],
    )


def _opts() -> TwoEchelonOptions:
    return TwoEchelonOptions(max_direct_haul_km=None)


def test_present_value_factors_by_hand() -> None:
    # 2025-2026 (2 years) and 2027 (1 year) at 10 %: 1 + 1/1.1 and 1/1.1^2
    f = present_value_factors((2025, 2027), (2.0, 1.0), 0.1)
    assert f == pytest.approx([1 + 1 / 1.1, 1 / 1.21])
    # a half year counts half
    assert present_value_factors((2025,), (1.5,), 0.0) == pytest.approx([1.5])


def test_opened_site_stays_open_and_airspace_holds() -> None:
    # little waste in 2025 (the landfill takes it all), much later: the
    # incinerator opens once and stays; the landfill's airspace (150,000 m³ at
    # 1 t/m³ = 82 t/d over 5 years) stops it taking 100 t/d for 15 years.
    datas = [_data([40.0, 0.0]), _data([80.0, 90.0]), _data([100.0, 120.0])]
    ph = PhasingOptions(
        years=(2025, 2030, 2035),
        lengths=(5.0, 5.0, 5.0),
        discount_rate=0.08,
        airspace_m3=np.array([150_000.0, np.nan]),
        compaction_t_m3=np.array([1.0, np.nan]),
    )
    model = build_phased(datas, [_opts() for _ in datas], ph)
    sol = read_phased_solution(model, solve_phased_model(model))
    opened = [bool(p.plant_open[1]) for p in sol.periods]
    assert opened == sorted(opened)  # never closes once open
    assert opened[-1]
    assert not opened[0]  # 40 t/d fit the landfill: no reason to pay for the plant in 2025
    intake = sum(365 * 5.0 * p.plant_throughput[0] / 1.0 for p in sol.periods)
    assert intake <= 150_000.0 * (1 + 1e-7)
    assert intake == pytest.approx(sol.airspace_used_m3[-1, 0])
    fills = landfill_fill_years(sol, ph)
    assert 2025 < fills[0] <= 2040 and np.isnan(fills[1])
    # the present value is the sum of the periods' yearly costs, discounted
    pv = present_value_factors(ph.years, ph.lengths, 0.08)
    assert sol.present_value == pytest.approx(float((sol.period_cost_yuan_yr * pv).sum()))


def test_closure_removes_capacity_from_its_period_on() -> None:
    datas = [_data([50.0, 50.0]), _data([50.0, 50.0])]
    opts = [_opts(), _opts()]
    close_sites(datas[1], opts[1], transfer=np.zeros(0, bool), plant=np.array([True, False]))
    ph = PhasingOptions(years=(2025, 2030), lengths=(5.0, 5.0))
    model = build_phased(datas, opts, ph)
    sol = read_phased_solution(model, solve_phased_model(model))
    assert sol.periods[0].plant_throughput[0] > 0
    assert sol.periods[1].plant_throughput[0] == 0.0
    assert sol.periods[1].unserved.sum() == pytest.approx(0.0)  # the incinerator takes it all


def test_period_overrides_refuse_site_changes() -> None:
    with pytest.raises(InputError, match="a period may override"):
        Scenario(name="x", periods=[2025, 2030], period_overrides={"2030": {"network": "r"}})
    with pytest.raises(InputError, match="not periods"):
        Scenario(
            name="x", periods=[2025], period_overrides={"2030": {"max_new_sites": 1}}
        ).period_scenarios()
    assert Scenario(name="x", periods=[2025, 2030], horizon_end_year=2042).period_lengths() == [
        5.0,
        12.0,
    ]


@pytest.fixture(scope="module")
def phased():  # type: ignore[no-untyped-def]
    project = load_sample("yuxi")
    return project, solve_scenario(project, project.scenario("phased-2035").copy(mip_gap=1e-6))


def test_phased_2035_sites_never_close(phased) -> None:  # type: ignore[no-untyped-def]
    project, res = phased
    sc = project.scenario("phased-2035")
    ps = res.proposed_sites
    years = sorted(ps["period"].unique())
    assert years == [2025, 2030, 2035]
    for a, b in zip(years, years[1:], strict=False):
        before = set(ps.loc[ps["period"] == a, "site_id"])
        after = set(ps.loc[ps["period"] == b, "site_id"])
        closed = {k for k, y in sc.closures.items() if y <= b}
        assert before - closed <= after
    assert res.timeline is not None and res.period_summary is not None
    assert set(res.timeline["action"]) <= {"in_service", "open", "close", "fills", "kept"}
    assert len(res.period_summary) == 3
    assert res.summary()["objective"] == pytest.approx(res.period_summary["present_value"].sum())


def test_phased_2035_landfill_intake_within_airspace(phased) -> None:  # type: ignore[no-untyped-def]
    project, res = phased
    sc = project.scenario("phased-2035")
    lengths = dict(zip(sc.periods, sc.period_lengths(), strict=True))
    fac = project.facilities.set_index("facility_id")
    fl = res.flows
    landfills = fac.index[fac["type"] == "landfill"]
    assert len(landfills) == 6
    binding = 0
    for lf in landfills:
        into = fl[fl["to_id"] == lf]
        vol = sum(
            365 * lengths[int(y)] * t / fac.at[lf, "compaction_t_m3"]
            for y, t in zip(into["period"], into["tonnes_per_day"], strict=True)
        )
        assert vol <= fac.at[lf, "remaining_airspace_m3"] * (1 + 1e-6)
        binding += vol >= fac.at[lf, "remaining_airspace_m3"] * 0.999
    assert binding >= 1  # the airspace matters in this sample
    fills = res.timeline[res.timeline["action"] == "fills"]
    assert len(fills) >= 1 and (fills["year"] <= 2040 + 1e-9).all()


def test_first_period_alone_matches_plan_2025() -> None:
    project = load_sample("yuxi")
    one = project.scenario("phased-2035").copy(
        periods=[2025], period_overrides={}, horizon_end_year=None, mip_gap=1e-9
    )
    plan = project.scenario("plan-2025").copy(mip_gap=1e-9)
    a = solve_scenario(project, one)
    b = solve_scenario(project, plan)
    assert set(a.proposed_sites["site_id"]) == set(b.proposed_sites["site_id"])
    per_day = a.period_summary["objective"].iloc[0]
    assert per_day == pytest.approx(b.summary()["objective"], rel=1e-6)


def test_keep_sites_from_a_result(phased, tmp_path) -> None:  # type: ignore[no-untyped-def]
    project, res = phased
    path = write_results(res, tmp_path / "a.gpkg")
    back = read_results(path, "phased-2035")
    assert back.timeline is not None and "period" in back.proposed_sites
    opened = set(back.proposed_sites.loc[back.proposed_sites["is_new"], "site_id"])
    assert opened
    kept_project, sc, ids = with_kept_sites(project, back, scenario="plan-2025")
    assert set(ids) == opened
    out = mark_kept(solve_scenario(kept_project, sc), ids, "a.gpkg:phased-2035")
    assert opened <= set(out.proposed_sites["site_id"])
    assert not out.proposed_sites.set_index("site_id").loc[sorted(opened), "is_new"].any()
    assert out.summary()["kept_sites"] == ", ".join(ids)
    assert len(project.candidates) > len(kept_project.candidates)  # the project is not changed


def test_analyses_read_one_period_of_a_phased_result():
    from wufei_gis.analysis import county_analysis, gap_difference, region_kpis
    from wufei_gis.optimization.phased_planning import solve_phased
    from wufei_gis.optimization.planning import solve_scenario
    from wufei_gis.results import period_view
    from wufei_gis.samples import load_sample

    p = load_sample("yuxi")
    phased = solve_phased(p, "phased-2035")
    last = phased.period_summary.iloc[-1]
    k = region_kpis(phased, project=p)
    assert k.generation_tpd == pytest.approx(float(last["generation_tpd"]), rel=1e-9)
    assert k.objective == pytest.approx(float(last["objective"]), rel=1e-9)
    first = period_view(phased, 2025)
    assert set(first.county_gaps["period"]) == {2025}
    assert len(county_analysis(phased, project=p)) == len(p.counties)
    plan = solve_scenario(p, "plan-2025")
    diff = gap_difference(plan, phased)
    assert len(diff) == len(p.counties)
    with pytest.raises(ValueError, match="no period 2031"):
        period_view(phased, 2031)
