"""Result layers of a solved scenario: the contract every later feature extends.

=================  ========  ==========================================================
``proposed_sites`` points    ``site_id, type, capacity_tpd, throughput_tpd,
                             utilization, is_new`` (+ ``name_zh, size_class,
                             fixed_cost, stage``)
``flows``          lines     ``from_id, to_id, tonnes_per_day, distance_km, cost,
                             stream`` (+ ``stage``: collection / transfer /
                             secondary; flows of files written before streams
                             read as ``residual``)
``county_gaps``    polygons  ``county_id, name_zh, name_en, generation_tpd,
                             served_tpd, unserved_tpd``
``run_summary``    table     ``scenario, status, objective, transport_cost,
                             fixed_cost, unserved_tpd, solver, mip_gap, runtime_s``
                             (+ more KPIs)
=================  ========  ==========================================================

Town-level scenarios (``demand_level = "town"``) add two layers:

=======================  ========  ==================================================
``town_service``         points    ``town_id, name_zh, county_id, demand_tpd,
                                   served_tpd, unserved_tpd, reason,
                                   first_facility, haul_km``
``station_catchments``   polygons  ``site_id, type, n_towns, demand_tpd``
=======================  ========  ==================================================

Scenarios with a ``min_facilities_per_region`` rule add one more:

=======================  ========  ==================================================
``region_coverage``      polygons  ``region_id, name_zh, name_en, facility_type,
                                   required, open_count`` (one row per region and type)
=======================  ========  ==================================================

Every solve also writes the table ``kpis`` (:data:`KPI_LAYERS`): one row per
stream and an ``all`` row (:mod:`wufei_gis.kpis`); files written before it have none.

Phased scenarios (``periods`` set) give every layer above a ``period`` column (the
period's first year; one set of rows per period) and add two tables:

=======================  ========  ==================================================
``timeline``             table     ``site_id, name_zh, type, action, year, end_year,
                                   capacity_tpd`` (action: in_service, open, close,
                                   fills, kept)
``period_summary``       table     ``period, years, pv_factor, objective, cost_yuan_yr,
                                   present_value, unserved_tpd, ...`` (one row per period)
=======================  ========  ==================================================

Their ``run_summary`` holds the whole plan: money as a present value in yuan.

Every layer also carries a ``scenario`` column, so one GeoPackage can hold
the results of several scenarios (``wufei compare A.gpkg:plan-2025 ...``).
Units: t/d for waste, km for distance, **yuan per day** for money.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from . import storage
from .errors import InputError
from .qgis_styles import write_result_styles
from .schema import STORAGE_CRS

__all__ = [
    "RunResult",
    "RESULT_LAYERS",
    "TOWN_LAYERS",
    "COVERAGE_LAYERS",
    "KPI_LAYERS",
    "PHASING_LAYERS",
    "ALL_RESULT_LAYERS",
    "period_view",
    "SITE_COLUMNS",
    "FLOW_COLUMNS",
    "GAP_COLUMNS",
    "SUMMARY_COLUMNS",
    "write_results",
    "read_results",
    "result_scenarios",
    "jsonable",
]

SITE_COLUMNS = ["site_id", "type", "capacity_tpd", "throughput_tpd", "utilization", "is_new"]
FLOW_COLUMNS = ["from_id", "to_id", "tonnes_per_day", "distance_km", "cost", "stream"]
GAP_COLUMNS = ["county_id", "name_zh", "name_en", "generation_tpd", "served_tpd", "unserved_tpd"]
SUMMARY_COLUMNS = [
    "scenario",
    "status",
    "objective",
    "transport_cost",
    "fixed_cost",
    "unserved_tpd",
    "solver",
    "mip_gap",
    "runtime_s",
]
RESULT_LAYERS = {
    "proposed_sites": ("Point", SITE_COLUMNS),
    "flows": ("LineString", FLOW_COLUMNS),
    "county_gaps": ("MultiPolygon", GAP_COLUMNS),
    "run_summary": (None, SUMMARY_COLUMNS),
}


#: The layers of town-level results (optional: absent for county-level scenarios).
TOWN_LAYERS = {
    "town_service": (
        "Point",
        [
            "town_id",
            "name_zh",
            "county_id",
            "demand_tpd",
            "served_tpd",
            "unserved_tpd",
            "reason",
            "first_facility",
            "haul_km",
        ],
    ),
    "station_catchments": ("MultiPolygon", ["site_id", "type", "n_towns", "demand_tpd"]),
}
#: The layer of coverage rules (optional: absent without ``min_facilities_per_region``).
COVERAGE_LAYERS = {
    "region_coverage": (
        "MultiPolygon",
        ["region_id", "name_zh", "name_en", "facility_type", "required", "open_count"],
    ),
}
#: The KPI table (optional: absent in files written before it).
KPI_LAYERS = {
    "kpis": (
        None,
        [
            "stream",
            "treated_tpd",
            "tkm_per_day",
            "truck_trips_per_day",
            "transport_co2e_t_per_day",
            "treatment_co2e_t_per_day",
            "electricity_mwh_per_day",
            "energy_credit_co2e_t_per_day",
            "net_co2e_t_per_day",
            "landfill_airspace_m3_per_yr",
        ],
    )
}
#: The tables of phased results (optional: absent without ``periods``).
PHASING_LAYERS: dict[str, tuple[str | None, list[str]]] = {
    "timeline": (
        None,
        ["site_id", "name_zh", "type", "action", "year", "end_year", "capacity_tpd"],
    ),
    "period_summary": (
        None,
        ["period", "years", "pv_factor", "objective", "cost_yuan_yr", "present_value"],
    ),
}
#: Layers that may be missing from a result (county level, no coverage rule, not phased,
#: an older file).
OPTIONAL_LAYERS = {**TOWN_LAYERS, **COVERAGE_LAYERS, **KPI_LAYERS, **PHASING_LAYERS}
ALL_RESULT_LAYERS = {**RESULT_LAYERS, **OPTIONAL_LAYERS}


@dataclass
class RunResult:
    """The result layers of one solved scenario (see module docstring).

    ``town_service`` and ``station_catchments`` are ``None`` for county-level scenarios,
    ``region_coverage`` without a ``min_facilities_per_region`` rule, ``timeline`` and
    ``period_summary`` without ``periods``; ``kpis`` is ``None`` for results read from
    files written before it.
    """

    scenario: str
    proposed_sites: gpd.GeoDataFrame
    flows: gpd.GeoDataFrame
    county_gaps: gpd.GeoDataFrame
    run_summary: pd.DataFrame
    town_service: gpd.GeoDataFrame | None = None
    station_catchments: gpd.GeoDataFrame | None = None
    region_coverage: gpd.GeoDataFrame | None = None
    kpis: pd.DataFrame | None = None
    timeline: pd.DataFrame | None = None
    period_summary: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if "stream" not in self.flows.columns:  # written before streams: one stream
            self.flows = self.flows.assign(stream="residual")
        for name, (_, cols) in ALL_RESULT_LAYERS.items():
            df = getattr(self, name)
            if df is None:
                continue
            missing = [c for c in cols if c not in df.columns]
            if missing:
                msg = f"result layer '{name}' lacks columns {missing}"
                raise ValueError(msg)
            df = df.copy()
            df["scenario"] = self.scenario
            if isinstance(df, gpd.GeoDataFrame):
                df = df.set_crs(STORAGE_CRS, allow_override=True) if df.crs is None else df
            setattr(self, name, df)
        if len(self.run_summary) != 1:
            msg = "run_summary must have exactly one row"
            raise ValueError(msg)

    def summary(self) -> dict[str, Any]:
        """Return the ``run_summary`` row as a JSON-ready dict."""
        row = self.run_summary.iloc[0].to_dict()
        return {k: _jsonable(v) for k, v in row.items()}

    def layers(self) -> dict[str, pd.DataFrame]:
        """Return ``{layer name: frame}`` (the optional layers only when present)."""
        return {
            name: getattr(self, name)
            for name in ALL_RESULT_LAYERS
            if getattr(self, name) is not None
        }


def jsonable(v: Any) -> Any:
    """A table value as JSON: numpy scalars as Python numbers, NaN as ``None``."""
    return _jsonable(v)


def _jsonable(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) else (f if math.isfinite(f) else str(f))
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if pd.isna(v) if not isinstance(v, (list, dict, str)) else False:
        return None
    return v


def write_results(result: RunResult, path: str | PathLike[str]) -> Path:
    """Write (or replace) a scenario's result layers in a GeoPackage, in one transaction.

    Rows of other scenarios already in the file are kept untouched; rows of
    the same scenario are replaced.  ``path`` may be a project file or a new
    file (see :func:`wufei_gis.storage.replace_rows`).  The layers' QGIS styles
    are (re)written into its ``layer_styles`` table
    (:func:`wufei_gis.qgis_styles.write_result_styles`).
    """
    path = Path(path)
    layers = {
        name: (_prepare(df), ALL_RESULT_LAYERS[name][0]) for name, df in result.layers().items()
    }
    storage.replace_rows(path, layers, column="scenario", value=result.scenario)
    write_result_styles(path, result.layers())  # QGIS shows the app's map
    return path


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if c == "geometry":
            continue
        if out[c].dtype == object and out[c].map(lambda v: isinstance(v, (list, dict))).any():
            out[c] = out[c].map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            )
        elif out[c].dtype == bool:
            out[c] = out[c].astype(bool)
    return out


def result_scenarios(path: str | PathLike[str]) -> list[str]:
    """Return the scenario names that have results in a GeoPackage."""
    path = Path(path)
    if not path.exists():
        raise InputError("results file not found", file=path, fix="check the path")
    storage.recover(path)
    layers = {str(n) for n, _ in pyogrio.list_layers(path)}
    if "run_summary" not in layers:
        raise InputError(
            "no results in this file (no 'run_summary' layer)",
            file=path,
            layer="run_summary",
            fix="solve a scenario first ('wufei solve')",
        )
    df = pyogrio.read_dataframe(path, layer="run_summary")
    return [str(s) for s in df["scenario"]]


def read_results(path: str | PathLike[str], scenario: str | None = None) -> RunResult:
    """Read one scenario's results (the only/last one when ``scenario`` is None)."""
    path = Path(path)
    names = result_scenarios(path)
    if scenario is None:
        scenario = names[-1]
    elif scenario not in names:
        raise InputError(
            f"no results for scenario '{scenario}' (results: {', '.join(names)})",
            file=path,
            layer="run_summary",
            fix="solve that scenario first",
        )
    frames = {}
    present = {str(n) for n, _ in pyogrio.list_layers(path)}
    for name in ALL_RESULT_LAYERS:
        if name in OPTIONAL_LAYERS and name not in present:
            continue
        df = pyogrio.read_dataframe(path, layer=name)
        df = df[df["scenario"] == scenario].reset_index(drop=True)
        if "is_new" in df.columns:
            df["is_new"] = df["is_new"].astype(bool)
        if name in OPTIONAL_LAYERS and len(df) == 0:
            continue
        frames[name] = df
    return RunResult(scenario=scenario, **frames)


#: Money and waste keys of ``run_summary`` that a period of a phased result has its own value of.
_PERIOD_SUMMARY_KEYS = (
    "objective",
    "transport_cost",
    "fixed_cost",
    "gate_cost",
    "unserved_tpd",
    "incineration_share",
    "incineration_target",
    "landfill_tpd",
    "new_sites",
)


def period_view(result: RunResult, period: int | None = None) -> RunResult:
    """One period of a phased result as a single-period result (others returned unchanged).

    Layers with a ``period`` column keep the rows of ``period`` (default: the
    last one, the plan's end state); ``run_summary`` takes that period's daily
    values from ``period_summary`` (the whole plan's present values stay in the
    phased result).  Analyses and comparisons read one period at a time, so
    they never add up the periods' rows.
    """
    periods = result.period_summary
    if periods is None or not len(periods) or "period" not in result.flows.columns:
        return result
    year = int(periods["period"].max()) if period is None else int(period)
    if year not in set(periods["period"].astype(int)):
        msg = f"scenario '{result.scenario}' has no period {year}"
        raise ValueError(msg)
    changes: dict[str, Any] = {}
    for name in ALL_RESULT_LAYERS:
        df = getattr(result, name)
        if df is not None and "period" in df.columns and name != "period_summary":
            changes[name] = df[df["period"].astype(int) == year].reset_index(drop=True)
    row = periods[periods["period"].astype(int) == year].iloc[0]
    summary = result.run_summary.copy()
    for key in _PERIOD_SUMMARY_KEYS:
        if key in row.index:
            summary[key] = row[key]
    changes["run_summary"] = summary
    return dataclasses.replace(result, **changes)
