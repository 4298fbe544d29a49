"""Scenario-level entry point: project + scenario -> solved :class:`RunResult`.

:func:`solve_scenario` is what the CLI and the GUI call.  It asks core for the
:class:`~wufei_gis.planning_inputs.PlanningInputs` of the scenario (read once
from the project) and hands them to :func:`solve_inputs`, which never touches
the project again:

1. demand at the demand points (``inputs.demand_points``: one per county, or
   the towns when the scenario's ``demand_level`` is ``"town"``);
2. the sites (:func:`collect_sites`): facilities in service (landfill,
   incinerator, transfer_station) and the scenario's candidates, flagged
   required/forbidden (a candidate inside an exclusion zone is forbidden); a
   required candidate that cannot open, having no size class offered or no
   capacity, is an ``InputError``, never silently left closed;
3. travel distances from ``inputs.costs`` (straight line x circuity, or the
   scenario's road network, with the project's matrix cache);
4. the two-echelon model (:mod:`wufei_gis.optimization.two_echelon`; with no
   transfer stations it is the single-echelon capacitated facility location
   model), built and solved;
5. the solution interpreted into the four result layers (county gaps are the
   county sums of the demand points' unserved waste), plus ``town_service``
   and ``station_catchments`` at town level (:mod:`.collection`).

First-leg arcs beyond the collection standard (``max_collection_km`` /
``max_collection_min``) are left out of the model, so a source with no site
in reach is unserved with the reason recorded.

Transfer-station candidates whose ``size_class`` is empty may open in any of
the scenario's size classes (capacity and cost from the class); a candidate
with a ``size_class`` opens only at its own ``capacity_tpd`` and
``fixed_cost_yuan_yr``.  Fixed costs are divided by 365 (objective in yuan/day).

Size: this module is over 500 lines (about 720) because scenario → sites →
travel matrices → model → result layers is one pipeline; its steps are small
functions here, and the model itself lives in two_echelon.py.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from wufei_gis.costs import CostProvider, StraightLineProvider, TravelMatrix
from wufei_gis.errors import CancelledError, InputError, SolveError
from wufei_gis.network.matrix import check_reachability
from wufei_gis.planning_inputs import PlanningInputs, planning_inputs
from wufei_gis.progress import CancelCallback, ProgressCallback, check_cancel, report
from wufei_gis.project import Project
from wufei_gis.results import RunResult
from wufei_gis.scenario import Scenario
from wufei_gis.schema import STORAGE_CRS, TRANSFER_TYPES
from wufei_gis.streams import site_streams

from ._streams import StreamData
from .collection import ServiceInputs, collection_allowed, limit_matrix, town_service
from .coverage import add_coverage, solve_covered, with_region_coverage
from .solver import SolverOptions
from .two_echelon import (
    TwoEchelonData,
    TwoEchelonOptions,
    TwoEchelonSolution,
    build_two_echelon,
    read_two_echelon_solution,
    required_and_forbidden,
    required_but_unopenable,
)

__all__ = ["solve_scenario", "solve_inputs", "SiteTable", "collect_sites"]

log = logging.getLogger(__name__)

DAYS_PER_YEAR = 365.0


@dataclass
class SiteTable:
    """The sites of one scenario, split into transfer stations and plants.

    ``transfer`` and ``plants`` are GeoDataFrames (EPSG:4326) with columns
    ``id, name_zh, type, capacity_tpd, fixed_cost_yuan_yr, size_class,
    county_id, is_open, required, forbidden`` (+ ``geometry``); ``is_open``
    marks facilities in service.
    """

    transfer: gpd.GeoDataFrame
    plants: gpd.GeoDataFrame


_SITE_COLS = [
    "id",
    "name_zh",
    "type",
    "capacity_tpd",
    "fixed_cost_yuan_yr",
    "size_class",
    "county_id",
    "is_open",
    "required",
    "forbidden",
]


def collect_sites(inputs: PlanningInputs) -> SiteTable:
    """Return the transfer stations and treatment plants the scenario models."""
    fac = inputs.facilities
    existing = gpd.GeoDataFrame(
        {
            "id": fac["facility_id"].astype(str).to_numpy(),
            "name_zh": fac["name_zh"].astype(str).to_numpy(),
            "type": fac["type"].astype(str).to_numpy(),
            "capacity_tpd": fac["capacity_tpd"].astype(float).to_numpy(),
            "fixed_cost_yuan_yr": 0.0,
            "size_class": "",
            "county_id": fac["county_id"].astype(str).to_numpy(),
            "is_open": True,
            "required": False,
            "forbidden": False,
        },
        geometry=fac.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )

    cand = inputs.candidates
    if len(cand):
        cands = gpd.GeoDataFrame(
            {
                "id": cand["candidate_id"].astype(str).to_numpy(),
                "name_zh": cand["name_zh"].fillna("").astype(str).to_numpy(),
                "type": cand["type"].astype(str).to_numpy(),
                "capacity_tpd": cand["capacity_tpd"].astype(float).to_numpy(),
                "fixed_cost_yuan_yr": cand["fixed_cost_yuan_yr"].astype(float).to_numpy(),
                "size_class": cand["size_class"].fillna("").astype(str).to_numpy(),
                "county_id": cand["county_id"].fillna("").astype(str).to_numpy(),
                "is_open": False,
                "required": cand["required"].to_numpy(bool),
                "forbidden": cand["forbidden"].to_numpy(bool),
            },
            geometry=cand.geometry.to_numpy(),
            crs=STORAGE_CRS,
        )
        sites = pd.concat([existing, cands], ignore_index=True)
    else:
        sites = existing
    sites = gpd.GeoDataFrame(sites, geometry="geometry", crs=STORAGE_CRS)
    # Candidates without a county get the county their point lies in.
    missing = sites["county_id"].isin(["", "nan", "None"])
    if missing.any():
        j = gpd.sjoin(
            sites.loc[missing, ["geometry"]],
            inputs.counties[["county_id", "geometry"]].to_crs(STORAGE_CRS),
            how="left",
            predicate="within",
        )
        j = j[~j.index.duplicated()]
        sites.loc[missing, "county_id"] = j["county_id"].fillna("").astype(str).to_numpy()
    is_t = sites["type"].isin(TRANSFER_TYPES)
    return SiteTable(
        sites[is_t].reset_index(drop=True)[_SITE_COLS + ["geometry"]],
        sites[~is_t].reset_index(drop=True)[_SITE_COLS + ["geometry"]],
    )


def _matrix(
    project_path: Path | None,
    provider: CostProvider,
    origins: gpd.GeoDataFrame,
    destinations: gpd.GeoDataFrame,
    should_cancel: CancelCallback | None,
) -> TravelMatrix:
    if len(origins) == 0 or len(destinations) == 0:
        return TravelMatrix(
            [str(v) for v in origins["id"]],
            [str(v) for v in destinations["id"]],
            np.zeros((len(origins), len(destinations))),
            np.zeros((len(origins), len(destinations))),
            provider.label,
            [(g.x, g.y) for g in origins.geometry],
            [(g.x, g.y) for g in destinations.geometry],
        )
    if project_path is not None and not isinstance(provider, StraightLineProvider):
        try:
            from wufei_gis.network import cached_matrix
        except ImportError:  # pragma: no cover - network package always present
            pass
        else:
            return cached_matrix(
                project_path, provider, origins, destinations, should_cancel=should_cancel
            )
    return provider.matrix(origins, destinations, should_cancel=should_cancel)


def _options(sc: Scenario, sites: SiteTable) -> TwoEchelonOptions:
    n_req = int(sites.transfer["required"].sum() + sites.plants["required"].sum())
    if sc.max_new_sites is not None and n_req > sc.max_new_sites:
        raise InputError(
            f"scenario '{sc.name}': {n_req} candidates are required but at most "
            f"{sc.max_new_sites} new sites are allowed",
            layer="scenarios",
            field="max_new_sites",
            fix="raise max_new_sites or require fewer candidates",
        )
    return TwoEchelonOptions(
        max_direct_haul_km=sc.max_direct_haul_km,
        incineration_share_min=sc.incineration_share_min,
        landfill_cap_tpd=sc.landfill_cap_tpd,
        max_new_sites=sc.max_new_sites,
        exact_new_sites=sc.exact_new_sites,
        required_transfer=sites.transfer["required"].to_numpy(bool),
        required_plant=sites.plants["required"].to_numpy(bool),
        forbidden_transfer=sites.transfer["forbidden"].to_numpy(bool),
        forbidden_plant=sites.plants["forbidden"].to_numpy(bool),
        single_sourcing=sc.single_sourcing,
        county_self_sufficiency=sc.county_self_sufficiency,
        incineration_capacity_share_min=sc.incineration_capacity_share_min,
        min_load_penalty=sc.min_load_shortfall_yuan_t,
        raw_landfill_penalty=sc.raw_landfill_penalty_yuan_t,
        landfill_stream_cap_tpd=(
            {} if sc.fly_ash_landfill_max_tpd is None else {"fly_ash": sc.fly_ash_landfill_max_tpd}
        ),
    )


def _stream_data(
    inputs: PlanningInputs, sites: SiteTable, dist_pp: np.ndarray | None
) -> StreamData:
    """The modelled streams' demand, acceptance, yields and limits (docs/model.md §1b)."""
    sc, tables = inputs.scenario, inputs.stream_tables
    assert tables is not None  # planning_inputs always sets them
    names = list(sc.streams)
    t, p = sites.transfer, sites.plants
    acc_p = site_streams(
        tables, p["type"].astype(str).tolist(), p["id"].astype(str).tolist(), names
    )
    acc_t = site_streams(
        tables, t["type"].astype(str).tolist(), t["id"].astype(str).tolist(), names
    )
    yields = (
        np.stack([tables.yield_matrix(str(ty), names) for ty in p["type"]])
        if len(p)
        else (np.zeros((0, len(names), len(names))))
    )
    reg = tables.column("regulated")
    share = tables.column("counts_in_share")
    limits = sc.stream_max_haul_km
    loads = sc.min_load_share
    return StreamData(
        names=names,
        demand=inputs.stream_demand_tpd(),
        plant_accepts=acc_p.accepts,
        transfer_accepts=acc_t.accepts,
        plant_stream_capacity=acc_p.capacity,
        plant_yield=yields,
        dist_plant_plant=dist_pp if dist_pp is not None else np.full((len(p), len(p)), np.inf),
        max_km=np.array([float(limits.get(n, np.inf)) for n in names]),
        regulated=np.array([reg.get(n, 0.0) > 0 for n in names], bool),
        in_share=np.array([share.get(n, 0.0) > 0 for n in names], bool),
        plant_is_landfill=(p["type"] == "landfill").to_numpy(bool),
        plant_min_load=np.array(
            [
                float(loads.get(str(i), loads.get(str(ty), 0.0)))
                for i, ty in zip(p["id"], p["type"], strict=True)
            ]
        ),
    )


def _needs_plant_matrix(inputs: PlanningInputs, sites: SiteTable) -> bool:
    """Whether a modelled stream is made at a plant (so plant -> plant hauls are needed)."""
    tables, names = inputs.stream_tables, list(inputs.scenario.streams)
    if tables is None or len(sites.plants) == 0:
        return False
    return any(tables.yield_matrix(str(ty), names).any() for ty in set(sites.plants["type"]))


def _check_required(
    project_path: Path | None,
    sc: Scenario,
    sites: SiteTable,
    data: TwoEchelonData,
    opts: TwoEchelonOptions,
) -> None:
    """Raise a located ``InputError`` for a required candidate the model could not open.

    The model builder refuses these too, by index; here they are named by
    scenario and candidate id.
    """
    t, p = sites.transfer, sites.plants
    both_t, both_p = required_and_forbidden(data, opts)
    both = t["id"].iloc[both_t].tolist() + p["id"].iloc[both_p].tolist()
    if both:
        raise InputError(
            f"scenario '{sc.name}': candidate(s) {both} are both required and forbidden",
            file=project_path,
            layer="scenarios",
            field="required_candidates",
            fix="remove them from required_candidates or from forbidden_candidates",
        )
    bad_t, bad_p = required_but_unopenable(data, opts)
    for k in bad_t.tolist():
        row = t.iloc[k]
        why = (
            f"its own size class '{row['size_class']}' has capacity_tpd "
            f"{row['capacity_tpd']} and fixed_cost_yuan_yr {row['fixed_cost_yuan_yr']}"
            if row["size_class"]
            else "the scenario has no size class for it "
            f"(size_classes: {[c.name for c in sc.size_classes]})"
        )
        raise InputError(
            f"scenario '{sc.name}': required transfer-station candidate '{row['id']}' has no "
            f"size class offered ({why}), so it could not open",
            file=project_path,
            layer="scenarios",
            field="required_candidates",
            fix="offer a size class for it (a scenario size class, or the candidate's own "
            "size_class with capacity_tpd > 0), or remove it from required_candidates",
        )
    for i in bad_p.tolist():
        row = p.iloc[i]
        raise InputError(
            f"scenario '{sc.name}': required candidate '{row['id']}' ({row['type']}) has "
            f"capacity_tpd {row['capacity_tpd']}, so it could not open",
            file=project_path,
            layer="scenarios",
            field="required_candidates",
            fix="give the candidate a capacity_tpd > 0, or remove it from required_candidates",
        )


def _data(
    sc: Scenario,
    demand: np.ndarray,
    src_county: np.ndarray,
    sites: SiteTable,
    m_sp: TravelMatrix,
    m_st: TravelMatrix,
    m_tp: TravelMatrix,
    streams: StreamData | None = None,
) -> tuple[TwoEchelonData, list[str]]:
    t, p = sites.transfer, sites.plants
    gate = sc.gate_cost_yuan_t
    classes = sc.size_classes
    K = len(t)
    S = max(len(classes), 1)
    oc = np.zeros((K, S))
    of = np.full((K, S), np.inf)
    names = [c.name for c in classes] or [""]
    for k, row in enumerate(t.itertuples(index=False)):
        if row.is_open:
            continue
        if row.size_class:
            oc[k, 0], of[k, 0] = row.capacity_tpd, row.fixed_cost_yuan_yr / DAYS_PER_YEAR
        else:
            for s, c in enumerate(classes):
                oc[k, s], of[k, s] = c.capacity_tpd, c.fixed_cost_yuan_yr / DAYS_PER_YEAR
    data = TwoEchelonData(
        demand=demand,
        dist_source_plant=m_sp.distance_km,
        plant_capacity=p["capacity_tpd"].to_numpy(float),
        plant_is_incinerator=(p["type"] == "incinerator").to_numpy(),
        plant_is_open=p["is_open"].to_numpy(bool),
        plant_fixed_cost=p["fixed_cost_yuan_yr"].to_numpy(float) / DAYS_PER_YEAR,
        plant_gate_cost=np.array([float(gate.get(ty, 0.0)) for ty in p["type"]]),
        dist_source_transfer=m_st.distance_km,
        dist_transfer_plant=m_tp.distance_km,
        transfer_is_open=t["is_open"].to_numpy(bool),
        transfer_capacity=np.where(t["is_open"], t["capacity_tpd"], 0.0).astype(float),
        transfer_option_capacity=oc,
        transfer_option_cost=of,
        transfer_gate_cost=np.full(K, float(gate.get("transfer_station", 0.0))),
        collection_cost_tkm=sc.collection_cost_yuan_tkm,
        transfer_cost_tkm=sc.transfer_cost_yuan_tkm,
        unserved_penalty=sc.unserved_penalty_yuan_t,
        source_county=src_county,
        transfer_county=t["county_id"].astype(str).to_numpy(),
        plant_county=p["county_id"].astype(str).to_numpy(),
        streams=streams,
    )
    return data, names


def solve_scenario(
    project: Project,
    scenario: str | Scenario,
    *,
    cost_provider: CostProvider | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> RunResult:
    """Solve one scenario of a project and return its result layers.

    Parameters
    ----------
    project
        The planning study.
    scenario
        A scenario name in ``project.scenarios`` or a :class:`Scenario`.
    cost_provider
        Travel costs; default: the scenario's road network if ``network`` is
        set, else straight line x ``circuity_factor``.
    progress
        ``progress(fraction, phase)`` with phases ``"building network matrices"``,
        ``"building model"``, ``"solving"``, ``"writing results"``.
    should_cancel
        Polled between phases and during the solve.  A cancel during the solve
        returns the best solution found so far (status ``"cancelled"``); a
        cancel before any solution exists raises :class:`CancelledError`.

    Returns
    -------
    RunResult
        ``proposed_sites``, ``flows``, ``county_gaps`` and ``run_summary``
        (money in yuan/day, waste in t/d, distances in km).

    Raises
    ------
    InputError
        Unknown scenario or network, contradictory required/new-site settings,
        a candidate both required and forbidden, or a required candidate with
        no size class (or capacity) to open in.
    SolveError
        No solver could run, or the model has no solution.
    CancelledError
        Cancelled before a solution existed.
    """
    t_start = time.perf_counter()
    if project.scenario(scenario).periods:  # several periods: one linked model
        from .phased_planning import solve_phased

        return solve_phased(
            project,
            scenario,
            cost_provider=cost_provider,
            progress=progress,
            should_cancel=should_cancel,
        )
    inputs = planning_inputs(project, scenario, cost_provider=cost_provider)
    return solve_inputs(inputs, progress=progress, should_cancel=should_cancel, _started=t_start)


def solve_inputs(
    inputs: PlanningInputs,
    *,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
    _started: float | None = None,
) -> RunResult:
    """Solve assembled :class:`~wufei_gis.planning_inputs.PlanningInputs`.

    Same as :func:`solve_scenario` (parameters, result and errors), for inputs
    built once, e.g. to solve the same scenario data on another process.
    """
    t_start = time.perf_counter() if _started is None else _started
    sc = inputs.scenario
    report(progress, 0.0, "building network matrices")
    pts = inputs.demand_points
    src_county = pts["county_id"].astype(str).to_numpy()
    sites = collect_sites(inputs)
    if len(sites.plants) == 0:
        raise InputError(
            f"scenario '{sc.name}' has no landfill or incinerator (in service or candidate)",
            layer="facilities",
            field="status",
            fix="mark a treatment facility as in service or add a candidate",
        )
    provider = inputs.costs
    all_sites = pd.concat([sites.transfer, sites.plants], ignore_index=True)
    all_sites = gpd.GeoDataFrame(all_sites, geometry="geometry", crs=STORAGE_CRS)
    m_first = _matrix(inputs.project_path, provider, pts, all_sites, should_cancel)
    if m_first.is_network:
        try:
            check_reachability(m_first)
        except InputError as err:  # name the layer: the origins are the counties
            raise err.located(file=inputs.project_path, layer="counties") from None
    check_cancel(should_cancel, "solving the scenario")
    report(progress, 0.2, "building network matrices")
    m_tp = _matrix(inputs.project_path, provider, sites.transfer, sites.plants, should_cancel)
    K = len(sites.transfer)
    allowed = collection_allowed(sc, pts, m_first)
    m_model = limit_matrix(m_first, allowed) if not allowed.all() else m_first
    m_st = _sub(m_model, slice(0, K))
    m_sp = _sub(m_model, slice(K, None))
    check_cancel(should_cancel, "solving the scenario")

    m_pp = None
    if _needs_plant_matrix(inputs, sites):
        m_pp = _matrix(inputs.project_path, provider, sites.plants, sites.plants, should_cancel)
    streams = _stream_data(inputs, sites, None if m_pp is None else m_pp.distance_km)
    demand = streams.demand.sum(axis=0)

    report(progress, 0.3, "building model")
    data, class_names = _data(sc, demand, src_county, sites, m_sp, m_st, m_tp, streams)
    opts = _options(sc, sites)
    _check_required(inputs.project_path, sc, sites, data, opts)
    model = build_two_echelon(data, opts)
    coverage = add_coverage(model, inputs, [sites.transfer, sites.plants], m_first)
    check_cancel(should_cancel, "solving the scenario")

    report(progress, 0.4, "solving")
    res = solve_covered(
        model,
        coverage,
        SolverOptions(
            solver=sc.solver,
            time_limit_s=sc.time_limit_s,
            mip_gap=sc.mip_gap,
            threads=sc.threads,
        ),
        should_cancel=should_cancel,
    )
    if not res.has_solution:
        if res.status == "cancelled":
            raise CancelledError("solving was cancelled before any solution was found")
        if res.status == "time_limit":
            raise SolveError(
                f"no solution found within the time limit of {sc.time_limit_s} s; "
                "raise time_limit_s"
            )
        raise SolveError(
            f"the model has no solution (solver status '{res.status}': "
            f"{res.message}); check required candidates against max_new_sites "
            "and county self-sufficiency"
        )
    sol = read_two_echelon_solution(model, res)

    report(progress, 0.95, "writing results")
    if hasattr(provider, "paths_for"):
        _add_paths(provider, sol, pts, sites, m_first, m_tp)
    result = _result(
        inputs.counties,
        sc,
        sol,
        _county_generation(inputs, streams),
        pts,
        sites,
        class_names,
        (m_first, m_tp, m_pp),
        provider,
        time.perf_counter() - t_start,
    )
    result = _with_streams(result, inputs, sol, streams)
    if sc.demand_level == "town":
        result = _town_layers(result, inputs, sol, data, opts, sites, m_first)
    result = with_region_coverage(result, coverage, sol)
    report(progress, 1.0, "writing results")
    return result


def _town_layers(
    result: RunResult,
    inputs: PlanningInputs,
    sol: TwoEchelonSolution,
    data: TwoEchelonData,
    opts: TwoEchelonOptions,
    sites: SiteTable,
    m_first: TravelMatrix,
) -> RunResult:
    """Add ``town_service`` and ``station_catchments`` to a town-level result."""
    from wufei_gis.catchments import station_catchments

    offered = (np.isfinite(data.transfer_option_cost) & (data.transfer_option_capacity > 0)).any(1)
    t_ok = ~_mask(opts.forbidden_transfer, data) & (data.transfer_is_open | offered)
    p_ok = ~_mask(opts.forbidden_plant, data, plants=True) & (
        data.plant_is_open | (data.plant_capacity > 0)
    )
    direct = np.isfinite(data.dist_source_plant)
    if opts.max_direct_haul_km is not None:
        direct &= data.dist_source_plant <= opts.max_direct_haul_km
    reach = (np.isfinite(data.dist_source_transfer) & t_ok[None, :]).any(axis=1) | (
        direct & p_ok[None, :]
    ).any(axis=1)
    service = town_service(
        sol,
        ServiceInputs(
            pts=inputs.demand_points,
            demand=inputs.demand_tpd(),
            site_ids=list(m_first.destination_ids),
            reachable=reach,
            n_transfer=len(sites.transfer),
        ),
    )
    types = dict(zip(sites.transfer["id"], sites.transfer["type"], strict=True))
    types.update(zip(sites.plants["id"], sites.plants["type"], strict=True))
    catch = station_catchments(service, inputs.counties, types)
    result.town_service = service.assign(scenario=result.scenario)
    result.station_catchments = catch.assign(scenario=result.scenario)
    return result


def _mask(m: np.ndarray | None, data: TwoEchelonData, *, plants: bool = False) -> np.ndarray:
    n = len(data.plant_capacity) if plants else len(data.transfer_is_open)
    return np.zeros(n, bool) if m is None else np.asarray(m, bool)


def _sub(m: TravelMatrix, cols: slice) -> TravelMatrix:
    return TravelMatrix(
        m.origin_ids,
        m.destination_ids[cols],
        m.distance_km[:, cols],
        m.time_min[:, cols],
        m.method,
        m.origin_points,
        m.destination_points[cols],
        m.paths,
    )


def _add_paths(
    provider: Any,
    sol: TwoEchelonSolution,
    pts: gpd.GeoDataFrame,
    sites: SiteTable,
    m_first: TravelMatrix,
    m_tp: TravelMatrix,
) -> None:
    """Ask a network provider for the road geometry of every used arc.

    ``provider`` is duck-typed: any provider with a ``paths_for(matrix, pairs)``
    method (the caller checks with ``hasattr``), such as
    :class:`wufei_gis.network.NetworkProvider`.
    """
    K = len(sites.transfer)
    first, second = [], []
    for r in sol.arcs.itertuples(index=False):
        if r.stage == "secondary":
            continue  # plant -> plant hauls are drawn as straight segments
        if r.stage == "collection":
            col = int(r.to_index) + (0 if r.to_kind == "transfer" else K)
            first.append((m_first.origin_ids[int(r.from_index)], m_first.destination_ids[col]))
        else:
            second.append(
                (m_tp.origin_ids[int(r.from_index)], m_tp.destination_ids[int(r.to_index)])
            )
    try:
        if first:
            provider.paths_for(m_first, first)
        if second:
            provider.paths_for(m_tp, second)
    except Exception as exc:  # paths are cosmetic; keep straight segments
        log.warning("could not route flow paths (%s); drawing straight segments", exc)


def _result(  # noqa: PLR0913  private: the solution's pieces, assembled into one result
    counties: gpd.GeoDataFrame,
    sc: Scenario,
    sol: TwoEchelonSolution,
    generation: pd.Series,
    pts: gpd.GeoDataFrame,
    sites: SiteTable,
    class_names: list[str],
    matrices: tuple[TravelMatrix, TravelMatrix, TravelMatrix | None],
    provider: CostProvider,
    runtime: float,
) -> RunResult:
    m_first, m_tp, m_pp = matrices
    t, p = sites.transfer, sites.plants
    K = len(t)

    # --- proposed sites: every open site -----------------------------------
    rows = []
    for k, r in enumerate(t.itertuples(index=False)):
        if not sol.transfer_open[k]:
            continue
        cls = int(sol.transfer_class[k])
        cap = float(sol.transfer_capacity[k])
        fixed = 0.0
        size = r.size_class
        if cls >= 0:
            size = r.size_class or class_names[cls]
            fixed = float(_fixed_transfer(sol, k, cls, sc, r))
        rows.append(
            (
                r.id,
                r.name_zh,
                r.type,
                cap,
                float(sol.transfer_throughput[k]),
                not r.is_open,
                size,
                fixed,
                "transfer",
                r.geometry,
            )
        )
    for i, r in enumerate(p.itertuples(index=False)):
        if not sol.plant_open[i]:
            continue
        fixed = 0.0 if r.is_open else r.fixed_cost_yuan_yr / DAYS_PER_YEAR
        rows.append(
            (
                r.id,
                r.name_zh,
                r.type,
                float(r.capacity_tpd),
                float(sol.plant_throughput[i]),
                not r.is_open,
                r.size_class,
                fixed,
                "treatment",
                r.geometry,
            )
        )
    cols = [
        "site_id",
        "name_zh",
        "type",
        "capacity_tpd",
        "throughput_tpd",
        "is_new",
        "size_class",
        "fixed_cost",
        "stage",
        "geometry",
    ]
    ps = pd.DataFrame(rows, columns=cols)
    ps["utilization"] = np.where(
        ps["capacity_tpd"] > 0,
        ps["throughput_tpd"] / ps["capacity_tpd"].where(ps["capacity_tpd"] > 0, 1.0),
        0.0,
    )
    ps["is_new"] = ps["is_new"].astype(bool)
    ps = gpd.GeoDataFrame(
        ps[
            [
                "site_id",
                "name_zh",
                "type",
                "capacity_tpd",
                "throughput_tpd",
                "utilization",
                "is_new",
                "size_class",
                "fixed_cost",
                "stage",
                "geometry",
            ]
        ],
        geometry="geometry",
        crs=STORAGE_CRS,
    )

    # --- flows ----------------------------------------------------------------
    frows = []
    for r in sol.arcs.itertuples(index=False):
        if r.stage == "collection":
            col = int(r.to_index) + (0 if r.to_kind == "transfer" else K)
            o, d = m_first.origin_ids[int(r.from_index)], m_first.destination_ids[col]
            geom = m_first.path(o, d)
        elif r.stage == "secondary" and m_pp is not None:
            o = m_pp.origin_ids[int(r.from_index)]
            d = m_pp.destination_ids[int(r.to_index)]
            geom = m_pp.path(o, d)
        else:
            o = m_tp.origin_ids[int(r.from_index)]
            d = m_tp.destination_ids[int(r.to_index)]
            geom = m_tp.path(o, d)
        frows.append(
            (
                o,
                d,
                float(r.tonnes_per_day),
                float(r.distance_km),
                float(r.transport_cost),
                float(r.gate_cost),
                r.stage,
                r.stream,
                geom,
            )
        )
    flows = gpd.GeoDataFrame(
        pd.DataFrame(
            frows,
            columns=[
                "from_id",
                "to_id",
                "tonnes_per_day",
                "distance_km",
                "cost",
                "gate_cost",
                "stage",
                "stream",
                "geometry",
            ],
        ),
        geometry="geometry",
        crs=STORAGE_CRS,
    )
    if len(flows) == 0:
        flows = gpd.GeoDataFrame(flows, geometry=gpd.GeoSeries([], crs=STORAGE_CRS))

    # --- county gaps: county sums of the demand points ----------------------------
    unserved = (
        pd.Series(np.asarray(sol.unserved, float), index=pts["county_id"].astype(str))
        .groupby(level=0)
        .sum()
        .to_dict()
    )
    c = counties
    gen = generation.reindex(c["county_id"].astype(str)).fillna(0.0).to_numpy(float)
    un = np.array([unserved.get(str(cid), 0.0) for cid in c["county_id"]])
    gaps = gpd.GeoDataFrame(
        {
            "county_id": c["county_id"].astype(str).to_numpy(),
            "name_zh": c["name_zh"].to_numpy(),
            "name_en": c["name_en"].fillna("").to_numpy() if "name_en" in c else "",
            "generation_tpd": gen,
            "served_tpd": gen - un,
            "unserved_tpd": un,
        },
        geometry=c.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )

    # --- summary ------------------------------------------------------------------
    res = sol.result
    treated = sol.treated_tpd
    share = sol.incinerated_tpd / treated if treated > 0 else float("nan")
    ids = {f"transfer:{k}": t["id"].iloc[k] for k in range(K)}
    ids.update({f"plant:{i}": p["id"].iloc[i] for i in range(len(p))})
    direct = float(
        sol.arcs.loc[
            (sol.arcs["stage"] == "collection") & (sol.arcs["to_kind"] == "plant"), "tonnes_per_day"
        ].sum()
    )
    summary = pd.DataFrame(
        [
            {
                "scenario": sc.name,
                "status": res.status,
                "objective": sol.objective,
                "transport_cost": sol.collection_cost + sol.transfer_cost,
                "fixed_cost": sol.fixed_cost,
                "unserved_tpd": float(sol.unserved.sum()),
                "solver": res.solver,
                "mip_gap": np.nan if res.mip_gap is None else float(res.mip_gap),
                "runtime_s": runtime,
                "cost_method": getattr(provider, "label", m_first.method),
                "gate_cost": sol.gate_cost,
                "unserved_cost": sol.unserved_cost,
                "incineration_share": share,
                "incineration_target": (
                    np.nan
                    if sc.incineration_share_min is None
                    else float(sc.incineration_share_min)
                ),
                "landfill_tpd": sol.landfilled_tpd,
                "transfer_tpd": float(sol.transfer_throughput.sum()),
                "direct_tpd": direct,
                "new_sites": int(ps["is_new"].sum()),
                "binding_capacity": ", ".join(ids[b] for b in sol.binding_capacity),
                "binding_policy": ", ".join(sol.binding_policy),
                "solve_s": res.runtime_s,
            }
        ]
    )
    return RunResult(
        scenario=sc.name, proposed_sites=ps, flows=flows, county_gaps=gaps, run_summary=summary
    )


def _fixed_transfer(sol: TwoEchelonSolution, k: int, cls: int, sc: Scenario, row: Any) -> float:
    """Fixed cost (yuan/day) of station k opened in class ``cls``.

    ``row`` is the station's ``itertuples`` row (a pandas namedtuple: untyped).
    """
    if getattr(row, "size_class", ""):
        return float(row.fixed_cost_yuan_yr) / DAYS_PER_YEAR
    return sc.size_classes[cls].fixed_cost_yuan_yr / DAYS_PER_YEAR


def _county_generation(inputs: PlanningInputs, streams: StreamData) -> pd.Series:
    """Generation of the modelled primary streams per county (t/d), by ``county_id``."""
    gen = inputs.demand["generation_tpd"].astype(float).copy()
    if "residual" not in streams.names:
        gen[:] = 0.0
    extra = inputs.stream_demand
    for name in streams.names:
        if name != "residual" and extra is not None and name in extra.columns:
            gen = gen.add(extra[name].astype(float), fill_value=0.0)
    return gen


def _with_streams(
    result: RunResult, inputs: PlanningInputs, sol: TwoEchelonSolution, streams: StreamData
) -> RunResult:
    """Add the stream results: shortfalls, the stream-aware shares and the KPIs."""
    from wufei_gis.kpis import compute_kpis, kpi_factors

    sc, p = inputs.scenario, collect_sites(inputs).plants
    short = dict(zip(p["id"].astype(str), sol.min_load_shortfall, strict=True))
    ps = result.proposed_sites
    ps["min_load_shortfall_tpd"] = ps["site_id"].astype(str).map(short).fillna(0.0)
    thr = sol.plant_stream_throughput[streams.in_share].sum(axis=0)
    inc = sol.plant_is_incinerator
    counted = float(thr.sum())
    takes = (streams.plant_accepts & streams.in_share[:, None]).any(axis=0) & sol.plant_open
    cap = p["capacity_tpd"].to_numpy(float)
    cap_all = float(cap[takes].sum())
    tables = inputs.stream_tables
    assert tables is not None  # planning_inputs always sets them
    kpis = compute_kpis(result.flows, ps, tables.column("payload_t"), kpi_factors(sc.kpi_factors))
    total = kpis[kpis["stream"] == "all"].iloc[0]
    summary = result.run_summary
    extra = {
        "streams": ", ".join(streams.names),
        "incineration_share": float(thr[inc].sum()) / counted if counted > 0 else np.nan,
        "landfill_tpd": float(thr[streams.plant_is_landfill].sum()),
        "incineration_capacity_share": (
            float(cap[takes & inc].sum()) / cap_all if cap_all > 0 else np.nan
        ),
        "incineration_capacity_target": _or_nan(sc.incineration_capacity_share_min),
        "min_load_shortfall_tpd": float(sol.min_load_shortfall.sum()),
        "policy_cost": sol.policy_cost,
        "secondary_unserved_tpd": float(sol.secondary_unserved.sum()),
        "kitchen_coverage": _coverage(sol, streams, "kitchen"),
        "kitchen_coverage_target": _or_nan(sc.kitchen_coverage_min),
    }
    for col in (
        "tkm_per_day",
        "truck_trips_per_day",
        "transport_co2e_t_per_day",
        "treatment_co2e_t_per_day",
        "energy_credit_co2e_t_per_day",
        "net_co2e_t_per_day",
        "electricity_mwh_per_day",
        "landfill_airspace_m3_per_yr",
    ):
        extra[col] = float(total[col])
    for key, value in extra.items():
        summary[key] = value
    result.run_summary = summary
    result.proposed_sites = ps
    result.kpis = kpis.assign(scenario=result.scenario)
    return result


def _or_nan(v: float | None) -> float:
    return np.nan if v is None else float(v)


def _coverage(sol: TwoEchelonSolution, streams: StreamData, name: str) -> float:
    """Served / generated of a primary stream (NaN when it is not modelled or not generated)."""
    if name not in streams.names:
        return np.nan
    s = streams.names.index(name)
    gen = float(streams.demand[s].sum())
    return (gen - float(sol.unserved_by_stream[s].sum())) / gen if gen > 0 else np.nan
