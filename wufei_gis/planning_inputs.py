"""Everything one solve needs, assembled once from a project and a scenario.

:func:`planning_inputs` reads the project exactly once per solve and returns a
:class:`PlanningInputs`: the validated scenario, demand per county at its
demand point (one per county, or with ``demand_level = "town"`` each county's
generation split over its towns by :func:`wufei_gis.towns.split_demand`), the
facilities in service (the scenario's status and capacity
overrides applied), the scenario's candidates with their required/forbidden
flags and the exclusion zones, and the travel-cost provider.  The models in
:mod:`wufei_gis.optimization` receive this object and never call back into
:class:`~wufei_gis.project.Project`.  Later model features (towns, streams,
periods, coverage rules) extend this one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from .costs import CostProvider, StraightLineProvider
from .errors import InputError
from .project import Project
from .scenario import Scenario
from .schema import MODELLED_TYPES, STORAGE_CRS
from .streams import StreamTables, site_streams

__all__ = ["MODELLED_TYPES", "PlanningInputs", "cost_provider_for", "planning_inputs"]


@dataclass(frozen=True)
class PlanningInputs:
    """The inputs of one solve (read-only; build it with :func:`planning_inputs`).

    Attributes
    ----------
    scenario
        The validated scenario.
    project_path
        The project file (for the travel-matrix cache and error locations), or ``None``.
    counties
        County polygons (EPSG:4326): ``county_id, name_zh, name_en, geometry``.
    demand
        Generation per county in the target year, t/d, indexed by ``county_id``
        (``generation_tpd, year, data_year, estimated``).
    demand_points
        One point per county that has a demand row: ``id, county_id, name_zh, geometry``;
        with ``demand_level = "town"`` one per town (plus the representative point
        of a county without towns) with ``town_id, demand_tpd, share, basis, note``.
    facilities
        Facilities in service of the modelled types (overrides applied).
    candidates
        The scenario's candidates of the modelled types, with boolean columns
        ``required`` and ``forbidden`` (forbidden includes candidates inside an
        exclusion zone when ``use_exclusions`` is on).
    exclusions
        Exclusion polygons (EPSG:4326).
    costs
        The travel-cost provider: straight line x circuity, or the scenario's road network.
    stream_tables
        The project's streams, acceptance and yields (:mod:`wufei_gis.streams`).
    stream_demand
        Generation per county in the target year, t/d, one column per modelled stream
        (the scenario's ``streams``), indexed by ``county_id``.
    """

    scenario: Scenario
    project_path: Path | None
    counties: gpd.GeoDataFrame
    demand: pd.DataFrame
    demand_points: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame
    exclusions: gpd.GeoDataFrame
    costs: CostProvider
    stream_tables: StreamTables | None = None
    stream_demand: pd.DataFrame | None = None

    @property
    def streams(self) -> list[str]:
        """The modelled stream ids (the scenario's ``streams``)."""
        return list(self.scenario.streams)

    def stream_demand_tpd(self) -> npt.NDArray[np.float64]:
        """``(S, J)`` generation (t/d) of each modelled stream at each demand point.

        The residual stream is :meth:`demand_tpd`; another stream is its county
        total times the point's ``share`` of the county (town level) or 1.
        """
        out = np.zeros((len(self.streams), len(self.demand_points)))
        share = (
            self.demand_points["share"].to_numpy(float)
            if "share" in self.demand_points.columns
            else np.ones(len(self.demand_points))
        )
        counties = self.demand_points["county_id"].astype(str)
        for s, name in enumerate(self.streams):
            if name == "residual":
                out[s] = self.demand_tpd()
            elif self.stream_demand is not None and name in self.stream_demand.columns:
                tot = self.stream_demand[name].reindex(counties).fillna(0.0)
                out[s] = tot.to_numpy(float) * share
        return out

    def demand_tpd(self) -> npt.NDArray[np.float64]:
        """Generation (t/d) at each demand point, in the order of :attr:`demand_points`."""
        if "demand_tpd" in self.demand_points.columns:  # town level: split per point
            return np.asarray(self.demand_points["demand_tpd"], dtype=np.float64)
        ids = self.demand_points["id"]
        tpd = self.demand.loc[ids, "generation_tpd"].fillna(0.0)
        return np.asarray(tpd, dtype=np.float64)


def planning_inputs(
    project: Project,
    scenario: str | Scenario,
    *,
    cost_provider: CostProvider | None = None,
) -> PlanningInputs:
    """Assemble the inputs of one solve from ``project`` and ``scenario``.

    Parameters
    ----------
    project
        The planning study.
    scenario
        A scenario name in ``project.scenarios`` or a :class:`Scenario`.
    cost_provider
        Travel costs; default :func:`cost_provider_for` the scenario.

    Raises
    ------
    InputError
        Unknown scenario or road network, invalid scenario parameters, or a
        required candidate inside an exclusion zone.
    """
    sc = project.scenario(scenario)
    sc.validate()
    dem = project.demand(sc)
    dem = dem.set_index(dem["county_id"].astype(str))
    if sc.demand_level == "town":
        pts = _town_points(project, sc, dem)
    else:
        pts = project.demand_points()
        pts = pts[pts["id"].isin(dem.index)].reset_index(drop=True)
    tables = project.stream_tables
    tables.check_ids(sc.streams, scenario=sc.name, file=project.path)
    fac = project.facilities_in_service(sc)
    fac = fac[_modelled(tables, sc, fac, "facility_id")].reset_index(drop=True)
    cand = _scenario_candidates(project, sc)
    if sc.candidates_at_towns:
        cand = _with_town_candidates(project, sc, cand)
    return PlanningInputs(
        scenario=sc,
        project_path=project.path,
        counties=project.counties,
        demand=dem,
        demand_points=pts,
        facilities=fac,
        candidates=cand,
        exclusions=project.exclusions,
        costs=cost_provider if cost_provider is not None else cost_provider_for(project.path, sc),
        stream_tables=tables,
        stream_demand=pd.DataFrame(
            {s: project.demand(sc, s).set_index("county_id")["generation_tpd"] for s in sc.streams},
            index=dem.index,
        ),
    )


def _modelled(tables: StreamTables, sc: Scenario, sites: pd.DataFrame, id_col: str) -> np.ndarray:
    """Bool mask of the sites that take a modelled stream (the single-stream default:
    landfills, incinerators and transfer stations)."""
    if len(sites) == 0:
        return np.zeros(0, bool)
    acc = site_streams(
        tables,
        sites["type"].astype(str).tolist(),
        sites[id_col].astype(str).tolist(),
        list(sc.streams),
    )
    return np.asarray(acc.accepts.any(axis=0), dtype=bool)


def _town_points(project: Project, sc: Scenario, dem: pd.DataFrame) -> gpd.GeoDataFrame:
    """Demand points of a town-level scenario: county totals split over the towns."""
    if len(project.towns) == 0:
        raise InputError(
            f"scenario '{sc.name}' has demand_level = town but the project has no towns",
            file=project.path,
            layer="towns",
            field="demand_level",
            fix="import towns with 'wufei towns import', or set demand_level=county",
        )
    from .towns import split_demand

    counties = project.counties[project.counties["county_id"].astype(str).isin(dem.index)]
    return split_demand(
        dem["generation_tpd"], project.towns, counties, file=project.path
    ).reset_index(drop=True)


def _with_town_candidates(
    project: Project, sc: Scenario, cand: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Add a transfer-station candidate at every town (outside the exclusion zones)."""
    from .catchments import CandidateOptions, generate_candidates

    if len(project.towns) == 0:
        raise InputError(
            f"scenario '{sc.name}' has candidates_at_towns = true but the project has no towns",
            file=project.path,
            layer="towns",
            field="candidates_at_towns",
            fix="import towns with 'wufei towns import', or set candidates_at_towns=false",
        )
    zones = project.exclusions if sc.use_exclusions else project.exclusions.iloc[0:0]
    gen = generate_candidates(project.counties, project.towns, zones, CandidateOptions())
    gen = gen[~gen["candidate_id"].isin(cand["candidate_id"].astype(str))]
    gen["required"] = False
    gen["forbidden"] = gen["candidate_id"].isin(sc.forbidden_candidates).to_numpy()
    out = pd.concat([cand, gen], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=STORAGE_CRS)


def _scenario_candidates(project: Project, sc: Scenario) -> gpd.GeoDataFrame:
    """The candidates a scenario offers, flagged ``required`` and ``forbidden``."""
    cand = project.candidates
    if len(cand) == 0:
        out = cand.copy()
        out["required"] = pd.Series(dtype=bool)
        out["forbidden"] = pd.Series(dtype=bool)
        return out
    cand = cand[_modelled(project.stream_tables, sc, cand, "candidate_id")]
    ids = cand["candidate_id"].astype(str)
    required = [str(c) for c in sc.required_candidates]
    keep = (
        np.ones(len(cand), bool)
        if sc.candidate_ids is None
        else ids.isin([str(c) for c in sc.candidate_ids]).to_numpy(copy=True)
    )
    cand = cand[keep | ids.isin(required).to_numpy()]
    ids = cand["candidate_id"].astype(str)
    forbidden = ids.isin([str(c) for c in sc.forbidden_candidates]).to_numpy(copy=True)
    if sc.use_exclusions and len(project.exclusions) and len(cand):
        zones = project.exclusions.to_crs(STORAGE_CRS).geometry.union_all()
        inside = cand.geometry.to_crs(STORAGE_CRS).intersects(zones).to_numpy()
        bad_req = ids[inside & ids.isin(required).to_numpy()].tolist()
        if bad_req:
            raise InputError(
                f"scenario '{sc.name}': required candidate(s) {bad_req} lie inside an "
                "exclusion zone",
                file=project.path,
                layer="scenarios",
                field="required_candidates",
                fix="remove them from required_candidates or set use_exclusions to false",
            )
        forbidden = forbidden | inside
    out = cand.reset_index(drop=True).copy()
    out["required"] = out["candidate_id"].astype(str).isin(required).to_numpy()
    out["forbidden"] = forbidden
    return out


def cost_provider_for(project_path: str | PathLike[str] | None, sc: Scenario) -> CostProvider:
    """Return the scenario's travel-cost provider.

    Straight line x ``circuity_factor`` unless the scenario names a road
    network, which must be stored in the project file.
    """
    if sc.network is None:
        return StraightLineProvider(sc.circuity_factor)
    if project_path is None:
        raise InputError(
            f"scenario '{sc.name}' uses road network '{sc.network}' but the project "
            "has not been saved",
            layer="scenarios",
            field="network",
            fix="save the project and import the network into it, or clear 'network'",
        )
    from .network import NetworkProvider, list_networks, load_network

    have = list_networks(project_path)
    if sc.network not in have:
        raise InputError(
            f"scenario '{sc.name}' uses road network '{sc.network}', which the project does not "
            f"contain (networks: {', '.join(have) or 'none'})",
            file=project_path,
            layer="scenarios",
            field="network",
            fix="import it with 'wufei network import', or clear 'network' to use straight lines",
        )
    return NetworkProvider(load_network(project_path, sc.network), name=sc.network)
