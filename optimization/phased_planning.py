"""Phased scenarios: project + scenario with ``periods`` -> one multi-period solve -> results.

:func:`solve_phased` is what :func:`~wufei_gis.optimization.planning.solve_scenario`
calls for a scenario with ``periods``.  Each period is the scenario at that year
(:meth:`~wufei_gis.scenario.Scenario.period_scenarios`: target year = the period's year,
its ``period_overrides`` applied); the periods share the sites and the travel matrices,
the single-period pieces of :mod:`.planning` build each period's data, and
:mod:`.phasing` links them (sites stay open, closures, landfill airspace, present value).

Results: the single-period layers of every period, stacked with a ``period`` column,
plus ``timeline`` (what is in service, opens, closes, fills, is kept, and when) and
``period_summary`` (cost and KPIs per period).

:func:`with_kept_sites` is "keep plan A's sites, re-solve B": the sites A opened become
facilities in service of B's project copy (their capacity from A), for single-period
and phased scenarios alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from wufei_gis.costs import CostProvider, TravelMatrix
from wufei_gis.errors import CancelledError, InputError, SolveError
from wufei_gis.planning_inputs import PlanningInputs, planning_inputs
from wufei_gis.progress import CancelCallback, ProgressCallback, check_cancel, report
from wufei_gis.project import Project
from wufei_gis.results import RunResult
from wufei_gis.scenario import Scenario
from wufei_gis.schema import STORAGE_CRS

from .collection import collection_allowed, limit_matrix
from .phasing import (
    PhasedModel,
    PhasedSolution,
    PhasingOptions,
    build_phased,
    close_sites,
    landfill_fill_years,
    read_phased_solution,
    solve_phased_model,
)
from .planning import (
    SiteTable,
    _check_required,
    _data,
    _matrix,
    _options,
    _result,
    _sub,
    collect_sites,
)
from .solver import SolverOptions
from .two_echelon import TwoEchelonData, TwoEchelonOptions

__all__ = ["solve_phased", "with_kept_sites", "mark_kept", "DEFAULT_COMPACTION_T_M3"]

#: Compaction density of a landfill without ``compaction_t_m3``, t/m³ (CJJ 17 design range
#: 0.8-1.0 t/m³ for compacted municipal waste; the lower end, so airspace lasts no longer
#: than the data allows).
DEFAULT_COMPACTION_T_M3 = 0.8


@dataclass
class _Periods:
    """The periods' scenarios, inputs, site tables, data and options."""

    scenarios: list[Scenario]
    inputs: list[PlanningInputs]
    sites: list[SiteTable]
    datas: list[TwoEchelonData]
    options: list[TwoEchelonOptions]
    class_names: list[str]


def _same_sites(sc: Scenario, tables: list[SiteTable], inputs: list[PlanningInputs]) -> None:
    ids0 = (list(tables[0].transfer["id"]), list(tables[0].plants["id"]))
    pts0 = list(inputs[0].demand_points["id"])
    for s, tab, inp in zip(sc.periods, tables, inputs, strict=True):
        if (list(tab.transfer["id"]), list(tab.plants["id"])) != ids0 or list(
            inp.demand_points["id"]
        ) != pts0:
            raise InputError(
                f"scenario '{sc.name}': period {s} has other sites or demand points than "
                f"period {sc.periods[0]}",
                layer="scenarios",
                field="period_overrides",
                fix="give every period the same sites; close sites with 'closures' and "
                "open them with facility_capacity overrides (0 before they are built)",
            )


def _closure_masks(sc: Scenario, sites: SiteTable, year: int) -> tuple[np.ndarray, np.ndarray]:
    known = set(sites.transfer["id"]) | set(sites.plants["id"])
    unknown = sorted(set(sc.closures) - known)
    if unknown:
        raise InputError(
            f"scenario '{sc.name}': closures name {unknown}, which are not sites of the scenario",
            layer="scenarios",
            field="closures",
            fix="use facility ids in service or candidate ids",
        )
    shut = {k for k, y in sc.closures.items() if y <= year}
    return sites.transfer["id"].isin(shut).to_numpy(), sites.plants["id"].isin(shut).to_numpy()


def _periods(
    project: Project, sc: Scenario, provider: CostProvider | None, cancel: CancelCallback | None
) -> tuple[_Periods, TravelMatrix, TravelMatrix, CostProvider]:
    scs = sc.period_scenarios()
    inputs = [planning_inputs(project, s, cost_provider=provider) for s in scs]
    tables = [collect_sites(inp) for inp in inputs]
    _same_sites(sc, tables, inputs)
    inp0, sites0 = inputs[0], tables[0]
    if len(sites0.plants) == 0:
        raise InputError(
            f"scenario '{sc.name}' has no landfill or incinerator (in service or candidate)",
            layer="facilities",
            field="status",
            fix="mark a treatment facility as in service or add a candidate",
        )
    all_sites = gpd.GeoDataFrame(
        pd.concat([sites0.transfer, sites0.plants], ignore_index=True),
        geometry="geometry",
        crs=STORAGE_CRS,
    )
    pts = inp0.demand_points
    m_first = _matrix(inp0.project_path, inp0.costs, pts, all_sites, cancel)
    m_tp = _matrix(inp0.project_path, inp0.costs, sites0.transfer, sites0.plants, cancel)
    K = len(sites0.transfer)
    allowed = collection_allowed(inp0.scenario, pts, m_first)
    m_model = limit_matrix(m_first, allowed) if not allowed.all() else m_first
    m_st, m_sp = _sub(m_model, slice(0, K)), _sub(m_model, slice(K, None))
    src_county = pts["county_id"].astype(str).to_numpy()
    datas, opts, names = [], [], [""]
    for s, inp, tab in zip(scs, inputs, tables, strict=True):
        data, names = _data(s, inp.demand_tpd(), src_county, tab, m_sp, m_st, m_tp)
        opt = _options(s, tab)
        _check_required(inp.project_path, s, tab, data, opt)
        t_shut, p_shut = _closure_masks(sc, tab, s.target_year)
        close_sites(data, opt, transfer=t_shut, plant=p_shut)
        datas.append(data)
        opts.append(opt)
    return _Periods(scs, inputs, tables, datas, opts, names), m_first, m_tp, inp0.costs


def _airspace(project: Project, plants: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    fac = project.facilities.set_index(project.facilities["facility_id"].astype(str))
    air = np.full(len(plants), np.nan)
    rho = np.full(len(plants), np.nan)
    for i, (sid, ty) in enumerate(zip(plants["id"], plants["type"], strict=True)):
        if ty != "landfill" or sid not in fac.index or "remaining_airspace_m3" not in fac:
            continue
        air[i] = float(pd.to_numeric(fac.at[sid, "remaining_airspace_m3"], errors="coerce"))
        dens = pd.to_numeric(
            fac.get("compaction_t_m3", pd.Series(dtype=float)).get(sid), errors="coerce"
        )
        rho[i] = float(dens) if pd.notna(dens) and float(dens) > 0 else DEFAULT_COMPACTION_T_M3
    return air, rho


def solve_phased(
    project: Project,
    scenario: str | Scenario,
    *,
    cost_provider: CostProvider | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> RunResult:
    """Solve a scenario with ``periods`` as one multi-period model.

    Parameters and errors as :func:`~wufei_gis.optimization.planning.solve_scenario`.

    Returns
    -------
    RunResult
        Every layer with a ``period`` column, plus ``timeline`` and ``period_summary``;
        ``run_summary`` money is the present value (yuan) at the first period's year.
    """
    t_start = time.perf_counter()
    sc = project.scenario(scenario)
    sc.validate()
    report(progress, 0.0, "building network matrices")
    per, m_first, m_tp, provider = _periods(project, sc, cost_provider, should_cancel)
    check_cancel(should_cancel, "solving the scenario")
    report(progress, 0.3, "building model")
    air, rho = _airspace(project, per.sites[0].plants)
    phasing = PhasingOptions(
        years=tuple(sc.periods),
        lengths=tuple(sc.period_lengths()),
        discount_rate=sc.discount_rate,
        airspace_m3=air,
        compaction_t_m3=rho,
    )
    model = build_phased(per.datas, per.options, phasing)
    report(progress, 0.4, "solving")
    res = solve_phased_model(
        model,
        SolverOptions(
            solver=sc.solver, time_limit_s=sc.time_limit_s, mip_gap=sc.mip_gap, threads=sc.threads
        ),
        should_cancel=should_cancel,
    )
    if not res.has_solution:
        if res.status == "cancelled":
            raise CancelledError("solving was cancelled before any solution was found")
        raise SolveError(
            f"the phased model has no solution (solver status '{res.status}': {res.message}); "
            "check required candidates, closures and time_limit_s"
        )
    sol = read_phased_solution(model, res)
    report(progress, 0.95, "writing results")
    out = _phased_result(
        sc, per, sol, model, (m_first, m_tp, provider), time.perf_counter() - t_start
    )
    report(progress, 1.0, "writing results")
    return out


def _stack(frames: list[pd.DataFrame], years: list[int]) -> pd.DataFrame:
    parts = [f.assign(period=y) for f, y in zip(frames, years, strict=True)]
    out = pd.concat(parts, ignore_index=True)
    if isinstance(frames[0], gpd.GeoDataFrame):
        return gpd.GeoDataFrame(out, geometry="geometry", crs=STORAGE_CRS)
    return out


def _phased_result(
    sc: Scenario,
    per: _Periods,
    sol: PhasedSolution,
    model: PhasedModel,
    mats: tuple[TravelMatrix, TravelMatrix, CostProvider],
    runtime: float,
) -> RunResult:
    m_first, m_tp, provider = mats
    singles = [
        _result(
            inp.counties,
            s,
            psol,
            inp.demand["generation_tpd"].astype(float),
            inp.demand_points,
            tab,
            per.class_names,
            (m_first, m_tp, None),  # one stream: no plant-to-plant hauls
            provider,
            runtime,
        )
        for s, inp, tab, psol in zip(per.scenarios, per.inputs, per.sites, sol.periods, strict=True)
    ]
    years = list(sc.periods)
    sites = _stack([r.proposed_sites for r in singles], years)
    closed = [
        sc.closures.get(str(i), 10_000) <= y
        for i, y in zip(sites["site_id"], sites["period"], strict=True)
    ]
    sites = sites[~np.array(closed, bool)].reset_index(drop=True)
    sites = _with_airspace(sites, per.sites[0].plants, model, sol)
    fills = landfill_fill_years(sol, model.phasing)
    return RunResult(
        scenario=sc.name,
        proposed_sites=sites,
        flows=_stack([r.flows for r in singles], years),
        county_gaps=_stack([r.county_gaps for r in singles], years),
        run_summary=_summary(sc, singles, sol, model),
        timeline=_timeline(sc, per, sol, model, fills),
        period_summary=_period_summary(singles, sol, model),
    )


def _with_airspace(
    sites: gpd.GeoDataFrame, plants: gpd.GeoDataFrame, model: PhasedModel, sol: PhasedSolution
) -> gpd.GeoDataFrame:
    """Columns ``airspace_m3`` and ``airspace_used_m3`` (by the end of the row's period)."""
    air = model.phasing.airspace_m3
    idx = {sid: i for i, sid in enumerate(plants["id"])}
    years = list(model.phasing.years)
    tot, used = [], []
    for sid, year in zip(sites["site_id"], sites["period"], strict=True):
        i = idx.get(sid)
        limited = i is not None and air is not None and np.isfinite(air[i])
        tot.append(float(air[i]) if limited else np.nan)  # type: ignore[index]
        used.append(float(sol.airspace_used_m3[years.index(int(year)), i]) if limited else np.nan)
    return sites.assign(airspace_m3=tot, airspace_used_m3=used)


def _summary(
    sc: Scenario, singles: list[RunResult], sol: PhasedSolution, model: PhasedModel
) -> pd.DataFrame:
    last = singles[-1].run_summary.iloc[0].to_dict()
    w = 365.0 * model.pv_factor
    parts = np.array(
        [
            [p.collection_cost + p.transfer_cost, p.fixed_cost, p.gate_cost, p.unserved_cost]
            for p in sol.periods
        ]
    )
    pv = w @ parts
    res = sol.result
    last.update(
        scenario=sc.name,
        status=res.status,
        objective=sol.present_value,
        transport_cost=float(pv[0]),
        fixed_cost=float(pv[1]),
        gate_cost=float(pv[2]),
        unserved_cost=float(pv[3]),
        unserved_tpd=float(max(p.unserved.sum() for p in sol.periods)),
        mip_gap=np.nan if res.mip_gap is None else float(res.mip_gap),
        solve_s=res.runtime_s,
        periods=", ".join(str(y) for y in sc.periods),
        discount_rate=sc.discount_rate,
        money_unit="yuan (present value)",
        new_sites=int(max(int(r.run_summary["new_sites"].iloc[0]) for r in singles)),
    )
    return pd.DataFrame([last])


def _period_summary(
    singles: list[RunResult], sol: PhasedSolution, model: PhasedModel
) -> pd.DataFrame:
    rows = []
    for t, (r, p) in enumerate(zip(singles, sol.periods, strict=True)):
        s = r.run_summary.iloc[0]
        rows.append(
            {
                "period": model.phasing.years[t],
                "years": model.phasing.lengths[t],
                "pv_factor": float(model.pv_factor[t]),
                "objective": p.objective,
                "cost_yuan_yr": float(sol.period_cost_yuan_yr[t]),
                "present_value": float(sol.period_cost_yuan_yr[t] * model.pv_factor[t]),
                "transport_cost": p.collection_cost + p.transfer_cost,
                "fixed_cost": p.fixed_cost,
                "gate_cost": p.gate_cost,
                "unserved_tpd": float(p.unserved.sum()),
                "generation_tpd": float(r.county_gaps["generation_tpd"].sum()),
                "incineration_share": s["incineration_share"],
                "incineration_target": s["incineration_target"],
                "landfill_tpd": s["landfill_tpd"],
                "new_sites": int(s["new_sites"]),
            }
        )
    return pd.DataFrame(rows)


def _timeline(
    sc: Scenario, per: _Periods, sol: PhasedSolution, model: PhasedModel, fills: np.ndarray
) -> pd.DataFrame:
    """One bar per site (in service or opened): start, end, and the events on it."""
    years = list(model.phasing.years)
    end = float(years[-1] + model.phasing.lengths[-1])
    rows: list[dict[str, object]] = []
    for kind, table in (("transfer", per.sites[0].transfer), ("plant", per.sites[0].plants)):
        for n, r in enumerate(table.itertuples(index=False)):
            opened = [
                t
                for t, p in enumerate(sol.periods)
                if (p.transfer_open[n] if kind == "transfer" else p.plant_open[n])
            ]
            if not opened:
                continue
            t0 = opened[0]
            cap = (
                float(sol.periods[t0].transfer_capacity[n])
                if kind == "transfer"
                else float(r.capacity_tpd)
            )
            stop = float(sc.closures.get(r.id, end))
            fill = float(fills[n]) if kind == "plant" and np.isfinite(fills[n]) else np.nan
            if np.isfinite(fill) and fill < stop:
                stop = fill
            base = {"site_id": r.id, "name_zh": r.name_zh, "type": r.type, "capacity_tpd": cap}
            start = "in_service" if r.is_open else "open"
            rows.append({**base, "action": start, "year": float(years[t0]), "end_year": stop})
            if r.id in sc.closures:
                rows.append(
                    {**base, "action": "close", "year": float(sc.closures[r.id]), "end_year": stop}
                )
            if np.isfinite(fill):
                rows.append({**base, "action": "fills", "year": fill, "end_year": stop})
    cols = ["site_id", "name_zh", "type", "action", "year", "end_year", "capacity_tpd"]
    return pd.DataFrame(rows, columns=cols).sort_values(["year", "site_id"], ignore_index=True)


def with_kept_sites(
    project: Project, kept: RunResult, *, scenario: str | Scenario
) -> tuple[Project, Scenario, list[str]]:
    """Return a copy of ``project`` where the sites ``kept`` opened are in service.

    The new sites of result A (``is_new``; every period of a phased result) become
    facilities of B's project copy, status in service for ``scenario``, capacity as
    built in A; the candidates of the same id are dropped.  The project itself is not
    changed.  Returns the copy, the scenario (a note in its description) and the kept ids.
    """
    sc = project.scenario(scenario)
    ps = kept.proposed_sites
    new = ps[ps["is_new"].astype(bool)].drop_duplicates("site_id", keep="first")
    if len(new) == 0:
        return project, sc, []
    status = sc.in_service_statuses[0]
    rows = gpd.GeoDataFrame(
        {
            "facility_id": new["site_id"].astype(str).to_numpy(),
            "name_zh": new["name_zh"].fillna("").astype(str).to_numpy()
            if "name_zh" in new
            else new["site_id"].astype(str).to_numpy(),
            "name_en": "",
            "type": new["type"].astype(str).to_numpy(),
            "status": status,
            "capacity_tpd": new["capacity_tpd"].astype(float).to_numpy(),
            "county_id": _county_of(project, new),
            "location_precision": "exact",
            "source": f"kept from result '{kept.scenario}'",
            "note": "",
        },
        geometry=new.geometry.to_crs(STORAGE_CRS).to_numpy(),
        crs=STORAGE_CRS,
    )
    fac = project.facilities
    fac = fac[~fac["facility_id"].astype(str).isin(rows["facility_id"])]
    cand = project.candidates
    cand = cand[~cand["candidate_id"].astype(str).isin(rows["facility_id"])]
    out = Project(
        project.counties,
        gpd.GeoDataFrame(
            pd.concat([fac, rows], ignore_index=True), geometry="geometry", crs=STORAGE_CRS
        ),
        project.generation,
        candidates=cand.reset_index(drop=True),
        exclusions=project.exclusions,
        scenarios=project.scenarios,
        name=project.name,
        path=project.path,
    )
    out.towns = project.towns
    ids = rows["facility_id"].tolist()
    drop = set(ids)
    sc2 = sc.copy(
        required_candidates=[c for c in sc.required_candidates if c not in drop],
        forbidden_candidates=[c for c in sc.forbidden_candidates if c not in drop],
        candidate_ids=None
        if sc.candidate_ids is None
        else [c for c in sc.candidate_ids if c not in drop],
    )
    return out, sc2, ids


def _county_of(project: Project, sites: gpd.GeoDataFrame) -> np.ndarray:
    j = gpd.sjoin(
        gpd.GeoDataFrame(geometry=sites.geometry.to_crs(STORAGE_CRS).to_numpy(), crs=STORAGE_CRS),
        project.counties[["county_id", "geometry"]].to_crs(STORAGE_CRS),
        how="left",
        predicate="within",
    )
    j = j[~j.index.duplicated()]
    return np.asarray(j["county_id"].fillna("").astype(str).to_numpy(), dtype=object)


def mark_kept(result: RunResult, kept_ids: list[str], source: str) -> RunResult:
    """Say in ``result`` which sites were kept from ``source`` (run summary, timeline)."""
    result.run_summary["kept_from"] = source
    result.run_summary["kept_sites"] = ", ".join(kept_ids)
    if result.timeline is not None:
        tl = result.timeline
        first = tl["action"].isin(["in_service", "open"]) & tl["site_id"].isin(kept_ids)
        tl.loc[first, "action"] = "kept"
    return result
