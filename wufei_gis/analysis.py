"""Capacity-gap analysis of solved scenarios (for engineers and committees).

Everything here takes :class:`~wufei_gis.results.RunResult` objects (and,
optionally, the :class:`~wufei_gis.project.Project` for names and targets) and
returns plain pandas / geopandas frames; nothing here draws or imports Qt.

Waste is followed from each county through transfer stations to the
treatment plant (``landfill`` or ``incinerator``): a transfer station's
outflow is split over its destinations in proportion to the tonnes it sends
there, so a county's tonnes reach each plant pro rata.  The haul distance of a
two-stage path is the sum of its legs.

Units: t/d for waste, km for distance, yuan per day for money, shares as
fractions (0.65 = 65 %).

Size: this module is over 500 lines (about 680) because the county, facility
and region tables and the KPI set of one solved scenario, and the scenario
comparison built on them; the report, the exports, the CLI and the app all read
these same numbers.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .labels import FIELD_UNITS, KPI_UNITS, LABELS, column_label, label, unit_label
from .results import RunResult, period_view

if TYPE_CHECKING:  # pragma: no cover
    from .project import Project
    from .scenario import Scenario

__all__ = [
    "Kpis",
    "KPI_FIELDS",
    "COLUMN_LABELS",
    "PERCENT_COLUMNS",
    "column_label",
    "treatment_paths",
    "county_analysis",
    "county_analysis_frame",
    "facility_analysis",
    "region_kpis",
    "kpi_table",
    "compare_results",
    "gap_difference",
    "shared_color_limits",
    "difference_color_limits",
    "synced_extent",
]

logger = logging.getLogger(__name__)

_TREATMENT = ("incinerator", "landfill")
_TRANSFER = "transfer_station"
_MAX_DEPTH = 5

#: Column labels ``column -> (english, chinese, unit_en, unit_zh)`` used by
#: exports (Excel headers) and the PDF report; a view of the ``field.`` labels of
#: :mod:`wufei_gis.labels`.
COLUMN_LABELS: dict[str, tuple[str, str, str, str]] = {
    key[len("field.") :]: (
        en,
        zh,
        unit_label(FIELD_UNITS.get(key[len("field.") :], ""), "en"),
        unit_label(FIELD_UNITS.get(key[len("field.") :], ""), "zh"),
    )
    for key, (zh, en) in LABELS.items()
    if key.startswith("field.")
}

#: Columns whose values are fractions shown as per cent.
PERCENT_COLUMNS = frozenset(k for k, unit in FIELD_UNITS.items() if unit == "%")


# --- KPIs ---------------------------------------------------------------------
@dataclass
class Kpis:
    """Region-wide key performance indicators of one solved scenario.

    Waste in t/d, distance in km, money in yuan per day, shares as fractions.
    Values that cannot be computed (e.g. the gate cost of an old result with
    no project) are ``nan``.
    """

    scenario: str
    status: str
    generation_tpd: float
    served_tpd: float
    unserved_tpd: float
    served_share: float
    incineration_tpd: float
    landfill_tpd: float
    incineration_share: float
    incineration_target: float
    target_met: bool | None
    via_transfer_tpd: float
    mean_haul_km: float
    max_haul_km: float
    treatment_capacity_tpd: float
    incineration_capacity_tpd: float
    n_sites: int
    n_new_sites: int
    new_capacity_tpd: float
    transport_cost_collection: float
    transport_cost_transfer: float
    transport_cost: float
    fixed_cost: float
    gate_cost: float
    penalty_cost: float
    objective: float
    tkm_per_day: float = math.nan
    truck_trips_per_day: float = math.nan
    transport_co2e_t_per_day: float = math.nan
    net_co2e_t_per_day: float = math.nan
    electricity_mwh_per_day: float = math.nan
    landfill_airspace_m3_per_yr: float = math.nan

    def to_dict(self) -> dict[str, Any]:
        """Return the KPIs as a JSON-ready dict (``nan`` becomes ``None``)."""
        out: dict[str, Any] = {}
        for k, v in dataclasses.asdict(self).items():
            if isinstance(v, (float, np.floating)):
                v = None if math.isnan(float(v)) else float(v)
            elif isinstance(v, np.integer):
                v = int(v)
            elif isinstance(v, np.bool_):
                v = bool(v)
            out[k] = v
        return out


#: ``field -> (english, chinese, unit)`` for the KPI tables (unit "%" = fraction); a view
#: of the ``kpi.`` labels of :mod:`wufei_gis.labels`.
KPI_FIELDS: dict[str, tuple[str, str, str]] = {
    key: (label(f"kpi.{key}", "en"), label(f"kpi.{key}", "zh"), unit)
    for key, unit in KPI_UNITS.items()
}


# --- helpers --------------------------------------------------------------------
#: The region KPIs read from the ``all`` row of a result's ``kpis`` table (wufei_gis.kpis).
_EMISSION_KPIS = (
    "tkm_per_day",
    "truck_trips_per_day",
    "transport_co2e_t_per_day",
    "net_co2e_t_per_day",
    "electricity_mwh_per_day",
    "landfill_airspace_m3_per_yr",
)


def _emission_kpis(result: RunResult) -> dict[str, float]:
    """Transport, emission and energy KPIs of ``result`` (``nan`` for a result without them)."""
    table = getattr(result, "kpis", None)
    if table is None or "stream" not in table or not (table["stream"] == "all").any():
        return {}
    row = table.loc[table["stream"] == "all"].iloc[0]
    return {k: _num(row.get(k)) for k in _EMISSION_KPIS if k in row}


def _num(v: Any) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f


def _summary(result: RunResult) -> dict[str, Any]:
    row: dict[str, Any] = result.run_summary.iloc[0].to_dict()
    return row


def _scenario_of(result: RunResult, project: Project | None) -> Scenario | None:
    if project is None:
        return None
    return project.scenarios.get(result.scenario)


def _site_types(result: RunResult, project: Project | None = None) -> dict[str, str]:
    types: dict[str, str] = {}
    if project is not None:
        for df, key in ((project.facilities, "facility_id"), (project.candidates, "candidate_id")):
            if len(df) and key in df.columns:
                types.update(zip(df[key].astype(str), df["type"].astype(str), strict=True))
    s = result.proposed_sites
    types.update(zip(s["site_id"].astype(str), s["type"].astype(str), strict=True))
    return types


def _flows_with_stage(result: RunResult, types: dict[str, str]) -> pd.DataFrame:
    f = pd.DataFrame(result.flows.drop(columns="geometry", errors="ignore")).copy()
    f["from_id"] = f["from_id"].astype(str)
    f["to_id"] = f["to_id"].astype(str)
    f["tonnes_per_day"] = pd.to_numeric(f["tonnes_per_day"], errors="coerce").fillna(0.0)
    f["distance_km"] = pd.to_numeric(f["distance_km"], errors="coerce")
    f["cost"] = pd.to_numeric(f["cost"], errors="coerce").fillna(0.0)
    inferred = np.where(f["from_id"].isin(types), "transfer", "collection")
    if "stage" in f.columns:
        stage = f["stage"].astype(object).where(f["stage"].notna(), None)
        f["stage"] = [
            s if s in ("collection", "transfer") else i
            for s, i in zip(stage, inferred, strict=True)
        ]
    else:
        f["stage"] = inferred
    return f[f["tonnes_per_day"] > 0].reset_index(drop=True)


def treatment_paths(result: RunResult, *, project: Project | None = None) -> pd.DataFrame:
    """Follow every county's waste to the treatment plant.

    Returns
    -------
    DataFrame
        ``county_id, first_site, treatment_site, treatment_type, tonnes_per_day,
        distance_km, legs``: one row per county and path; ``distance_km`` is
        the sum of the legs; ``treatment_type`` is ``"incinerator"``,
        ``"landfill"`` or ``"other"`` (a path ending at a site that is neither,
        e.g. a transfer station with no outflow).
    """
    result = period_view(result)  # a phased result: its last period
    types = _site_types(result, project)
    f = _flows_with_stage(result, types)
    coll = f[f["stage"] == "collection"]
    trans = f[f["stage"] == "transfer"]
    out_by_site: dict[str, list[tuple[str, float, float]]] = {}
    for site, grp in trans.groupby("from_id"):
        total = float(grp["tonnes_per_day"].sum())
        out_by_site[str(site)] = [
            (str(t), float(q) / total, float(d))
            for t, q, d in zip(
                grp["to_id"], grp["tonnes_per_day"], grp["distance_km"].fillna(0.0), strict=True
            )
        ]
    rows = []

    def follow(
        county: str, first: str, site: str, tonnes: float, dist: float, legs: int, depth: int
    ) -> None:
        kind = types.get(site, "other")
        if kind in _TREATMENT or site not in out_by_site or depth >= _MAX_DEPTH:
            rows.append(
                (county, first, site, kind if kind in _TREATMENT else "other", tonnes, dist, legs)
            )
            return
        for to, frac, d in out_by_site[site]:
            follow(county, first, to, tonnes * frac, dist + d, legs + 1, depth + 1)

    for c, s, q, d in zip(
        coll["from_id"],
        coll["to_id"],
        coll["tonnes_per_day"],
        coll["distance_km"].fillna(0.0),
        strict=True,
    ):
        follow(str(c), str(s), str(s), float(q), float(d), 1, 0)
    return pd.DataFrame(
        rows,
        columns=[
            "county_id",
            "first_site",
            "treatment_site",
            "treatment_type",
            "tonnes_per_day",
            "distance_km",
            "legs",
        ],
    )


def _safe_div(a: Any, b: Any) -> Any:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)
    return out if out.ndim else float(out)


# --- per county -----------------------------------------------------------------
_COUNTY_COLUMNS = [
    "county_id",
    "name_zh",
    "name_en",
    "generation_tpd",
    "served_tpd",
    "unserved_tpd",
    "served_share",
    "unserved_share",
    "incineration_tpd",
    "landfill_tpd",
    "other_tpd",
    "incineration_share",
    "landfill_share",
    "via_transfer_tpd",
    "mean_haul_km",
    "max_haul_km",
]


def county_analysis(result: RunResult, *, project: Project | None = None) -> pd.DataFrame:
    """Return the capacity-gap table, one row per county.

    Parameters
    ----------
    result
        A solved scenario.
    project
        Optional; fills missing county names.

    Returns
    -------
    DataFrame
        ``county_id, name_zh, name_en, generation_tpd, served_tpd, unserved_tpd``
        (t/d), ``served_share, unserved_share`` (of generation),
        ``incineration_tpd, landfill_tpd, other_tpd`` (t/d),
        ``incineration_share, landfill_share`` (of served; sum to 1 when all
        served waste reaches a plant), ``via_transfer_tpd`` (t/d),
        ``mean_haul_km`` (tonne-weighted, two-stage paths summed) and
        ``max_haul_km``.
    """
    result = period_view(result)  # a phased result: its last period
    g = pd.DataFrame(result.county_gaps.drop(columns="geometry", errors="ignore")).copy()
    g["county_id"] = g["county_id"].astype(str)
    for c in ("generation_tpd", "served_tpd", "unserved_tpd"):
        g[c] = pd.to_numeric(g[c], errors="coerce").fillna(0.0)
    if project is not None:
        names = project.counties.set_index(project.counties["county_id"].astype(str))
        for col in ("name_zh", "name_en"):
            if col in names.columns:
                fill = g["county_id"].map(names[col])
                g[col] = g[col].where(g[col].notna() & (g[col].astype(str) != ""), fill)
    paths = treatment_paths(result, project=project)
    by = (
        paths.groupby(["county_id", "treatment_type"])["tonnes_per_day"]
        .sum()
        .unstack(fill_value=0.0)
    )
    for t in ("incinerator", "landfill", "other"):
        if t not in by.columns:
            by[t] = 0.0
    g["incineration_tpd"] = g["county_id"].map(by["incinerator"]).fillna(0.0)
    g["landfill_tpd"] = g["county_id"].map(by["landfill"]).fillna(0.0)
    g["other_tpd"] = g["county_id"].map(by["other"]).fillna(0.0)
    traced = g["incineration_tpd"] + g["landfill_tpd"] + g["other_tpd"]
    g["served_share"] = _safe_div(g["served_tpd"], g["generation_tpd"])
    g["unserved_share"] = _safe_div(g["unserved_tpd"], g["generation_tpd"])
    g["incineration_share"] = _safe_div(g["incineration_tpd"], traced)
    g["landfill_share"] = _safe_div(g["landfill_tpd"], traced)
    two = paths[paths["legs"] > 1].groupby("county_id")["tonnes_per_day"].sum()
    g["via_transfer_tpd"] = g["county_id"].map(two).fillna(0.0)
    if len(paths):
        w = paths.assign(td=paths["tonnes_per_day"] * paths["distance_km"])
        agg = w.groupby("county_id").agg(
            td=("td", "sum"), t=("tonnes_per_day", "sum"), mx=("distance_km", "max")
        )
        g["mean_haul_km"] = g["county_id"].map(agg["td"] / agg["t"])
        g["max_haul_km"] = g["county_id"].map(agg["mx"])
    else:
        g["mean_haul_km"] = np.nan
        g["max_haul_km"] = np.nan
    g["mean_haul_km"] = g["mean_haul_km"].astype(float)
    g["max_haul_km"] = g["max_haul_km"].astype(float)
    g = g.reindex(columns=_COUNTY_COLUMNS)
    return g.reset_index(drop=True)


def county_analysis_frame(result: RunResult, *, project: Project | None = None) -> gpd.GeoDataFrame:
    """Return :func:`county_analysis` with the county polygons (EPSG:4326)."""
    result = period_view(result)  # a phased result: its last period
    table = county_analysis(result, project=project)
    geom = result.county_gaps.geometry.reset_index(drop=True)
    return gpd.GeoDataFrame(table, geometry=geom.to_numpy(), crs=result.county_gaps.crs)


# --- per facility -----------------------------------------------------------------
_FACILITY_COLUMNS = [
    "site_id",
    "name_zh",
    "type",
    "is_new",
    "size_class",
    "stage",
    "capacity_tpd",
    "throughput_tpd",
    "utilization",
    "fixed_cost",
    "n_counties",
    "counties_served",
]


def facility_analysis(result: RunResult, *, project: Project | None = None) -> pd.DataFrame:
    """Return one row per proposed site: capacity, throughput, utilization, counties served.

    ``counties_served`` lists the counties (Chinese names where known, else
    ids) whose waste reaches the site directly or through a transfer station;
    ``utilization`` is throughput / capacity (a fraction).
    """
    result = period_view(result)  # a phased result: its last period
    s = pd.DataFrame(result.proposed_sites.drop(columns="geometry", errors="ignore")).copy()
    s["site_id"] = s["site_id"].astype(str)
    for c in ("name_zh", "size_class", "stage", "fixed_cost"):
        if c not in s.columns:
            s[c] = np.nan if c == "fixed_cost" else ""
    if project is not None and len(project.facilities):
        fac = project.facilities.set_index(project.facilities["facility_id"].astype(str))
        fill = s["site_id"].map(fac["name_zh"])
        s["name_zh"] = s["name_zh"].where(s["name_zh"].notna() & (s["name_zh"] != ""), fill)
    for c in ("capacity_tpd", "throughput_tpd", "utilization", "fixed_cost"):
        s[c] = pd.to_numeric(s[c], errors="coerce")
    s["utilization"] = s["utilization"].where(
        s["utilization"].notna(), _safe_div(s["throughput_tpd"], s["capacity_tpd"])
    )
    paths = treatment_paths(result, project=project)
    names = dict(
        zip(
            result.county_gaps["county_id"].astype(str),
            result.county_gaps["name_zh"].astype(str),
            strict=True,
        )
    )
    served: dict[str, list[str]] = {}
    for col in ("first_site", "treatment_site"):
        for site, grp in paths.groupby(col):
            lst = served.setdefault(str(site), [])
            for cid in grp["county_id"]:
                if cid not in lst:
                    lst.append(cid)
    order = list(names)
    s["n_counties"] = [len(served.get(i, [])) for i in s["site_id"]]
    s["counties_served"] = [
        "、".join(
            names.get(c, c) or c
            for c in sorted(
                served.get(i, []), key=lambda c: (order.index(c) if c in order else 99, c)
            )
        )
        for i in s["site_id"]
    ]
    s["is_new"] = s["is_new"].astype(bool)
    return s.reindex(columns=_FACILITY_COLUMNS).reset_index(drop=True)


# --- region -------------------------------------------------------------------------
def region_kpis(result: RunResult, *, project: Project | None = None) -> Kpis:
    """Return the region-wide KPIs of one solved scenario (see :class:`Kpis`).

    The incineration target is the run summary's ``incineration_target`` or,
    failing that, the scenario's ``incineration_share_min`` in ``project``.
    The gate cost is the summary's ``gate_cost`` or, failing that, computed
    from the throughput of treatment plants and transfer stations and the
    scenario's ``gate_cost_yuan_t``.
    """
    result = period_view(result)  # a phased result: its last period
    summ = _summary(result)
    sc = _scenario_of(result, project)
    counties = county_analysis(result, project=project)
    paths = treatment_paths(result, project=project)
    types = _site_types(result, project)
    flows = _flows_with_stage(result, types)
    sites = result.proposed_sites

    gen = float(counties["generation_tpd"].sum())
    served = float(counties["served_tpd"].sum())
    unserved = float(counties["unserved_tpd"].sum())
    inc = float(counties["incineration_tpd"].sum())
    lf = float(counties["landfill_tpd"].sum())
    target = _num(summ.get("incineration_target"))
    if math.isnan(target) and sc is not None and sc.incineration_share_min is not None:
        target = float(sc.incineration_share_min)
    inc_share = _safe_div(inc, inc + lf)
    target_met = (
        None if math.isnan(target) or math.isnan(inc_share) else bool(inc_share >= target - 1e-6)
    )
    if len(paths):
        mean_haul = float(
            (paths["tonnes_per_day"] * paths["distance_km"]).sum() / paths["tonnes_per_day"].sum()
        )
        max_haul = float(paths["distance_km"].max())
    else:
        mean_haul = max_haul = math.nan
    stype = sites["type"].astype(str)
    cap = pd.to_numeric(sites["capacity_tpd"], errors="coerce").fillna(0.0)
    thr = pd.to_numeric(sites["throughput_tpd"], errors="coerce").fillna(0.0)
    is_new = sites["is_new"].astype(bool)
    used = thr > 1e-9
    coll_cost = float(flows.loc[flows["stage"] == "collection", "cost"].sum())
    tran_cost = float(flows.loc[flows["stage"] == "transfer", "cost"].sum())
    transport = _num(summ.get("transport_cost"))
    if math.isnan(transport):
        transport = coll_cost + tran_cost
    gate = _num(summ.get("gate_cost"))
    if math.isnan(gate) and sc is not None:
        gate = float(sum(thr[stype == t].sum() * float(c) for t, c in sc.gate_cost_yuan_t.items()))
    penalty = unserved * float(sc.unserved_penalty_yuan_t) if sc is not None else math.nan
    return Kpis(
        scenario=result.scenario,
        status=str(summ.get("status", "")),
        generation_tpd=gen,
        served_tpd=served,
        unserved_tpd=unserved,
        served_share=_safe_div(served, gen),
        incineration_tpd=inc,
        landfill_tpd=lf,
        incineration_share=inc_share,
        incineration_target=target,
        target_met=target_met,
        via_transfer_tpd=float(counties["via_transfer_tpd"].sum()),
        mean_haul_km=mean_haul,
        max_haul_km=max_haul,
        treatment_capacity_tpd=float(cap[stype.isin(_TREATMENT)].sum()),
        incineration_capacity_tpd=float(cap[stype == "incinerator"].sum()),
        n_sites=int(used.sum()),
        n_new_sites=int((is_new & (used | (cap > 0))).sum()),
        new_capacity_tpd=float(cap[is_new].sum()),
        transport_cost_collection=coll_cost,
        transport_cost_transfer=tran_cost,
        transport_cost=transport,
        fixed_cost=_num(summ.get("fixed_cost")),
        gate_cost=gate,
        penalty_cost=penalty,
        **_emission_kpis(result),
        objective=_num(summ.get("objective")),
    )


def kpi_table(results: Sequence[RunResult], *, project: Project | None = None) -> pd.DataFrame:
    """Return KPIs of several results side by side, with deltas against the first.

    Returns
    -------
    DataFrame
        ``kpi, label_en, label_zh, unit`` then one column per scenario (named
        by the scenario; ``A``, ``B``... if names repeat) and ``delta <name>``
        columns (that scenario − the first).  Shares are fractions.
    """
    if len(results) < 1:
        msg = "kpi_table needs at least one result"
        raise ValueError(msg)
    names = _unique_names(results)
    kp = [region_kpis(r, project=project).to_dict() for r in results]
    rows = []
    for key, (en, zh, unit) in KPI_FIELDS.items():
        row: dict[str, Any] = {"kpi": key, "label_en": en, "label_zh": zh, "unit": unit}
        vals = [np.nan if k[key] is None else float(k[key]) for k in kp]
        for n, v in zip(names, vals, strict=True):
            row[n] = v
        for n, v in zip(names[1:], vals[1:], strict=True):
            row[f"delta {n}"] = v - vals[0]
        rows.append(row)
    return pd.DataFrame(rows)


def _unique_names(results: Sequence[RunResult]) -> list[str]:
    names = [r.scenario for r in results]
    if len(set(names)) == len(names):
        return names
    return [f"{chr(65 + i)}: {n}" if i < 26 else f"{i}: {n}" for i, n in enumerate(names)]


def compare_results(a: RunResult, b: RunResult, *, project: Project | None = None) -> pd.DataFrame:
    """Return the KPI table of two results with deltas (B − A).

    Returns
    -------
    DataFrame
        ``kpi, label_en, label_zh, unit, a, b, delta`` (``delta = b - a``);
        shares are fractions; ``a``/``b`` scenario names are in ``df.attrs``.
    """
    t = kpi_table([a, b], project=project)
    names = _unique_names([a, b])
    out = t[["kpi", "label_en", "label_zh", "unit"]].copy()
    out["a"] = t[names[0]]
    out["b"] = t[names[1]]
    out["delta"] = out["b"] - out["a"]
    out.attrs["a"] = a.scenario
    out.attrs["b"] = b.scenario
    return out


def gap_difference(a: RunResult, b: RunResult) -> gpd.GeoDataFrame:
    """Return the per-county difference of the capacity gap (B − A).

    Returns
    -------
    GeoDataFrame
        ``county_id, name_zh, name_en, generation_tpd_a, generation_tpd_b,
        unserved_tpd_a, unserved_tpd_b, delta_unserved_tpd, unserved_share_a,
        unserved_share_b, delta_unserved_share`` and the county polygons of
        ``a`` (counties present in only one result count as 0 t/d unserved in
        the other).  Negative deltas mean the gap shrinks in B.
    """
    a, b = period_view(a), period_view(b)
    ca = county_analysis_frame(a)
    cb = county_analysis(b)
    cols = ["county_id", "generation_tpd", "unserved_tpd", "unserved_share"]
    m = ca[
        [
            "county_id",
            "name_zh",
            "name_en",
            "generation_tpd",
            "unserved_tpd",
            "unserved_share",
            "geometry",
        ]
    ].merge(cb[cols], on="county_id", how="outer", suffixes=("_a", "_b"))
    for c in ("unserved_tpd_a", "unserved_tpd_b", "unserved_share_a", "unserved_share_b"):
        m[c] = m[c].astype(float).fillna(0.0)
    m["delta_unserved_tpd"] = m["unserved_tpd_b"] - m["unserved_tpd_a"]
    m["delta_unserved_share"] = m["unserved_share_b"] - m["unserved_share_a"]
    if m["geometry"].isna().any():
        gb = b.county_gaps.set_index(b.county_gaps["county_id"].astype(str)).geometry
        names = b.county_gaps.set_index(b.county_gaps["county_id"].astype(str))
        miss = m["geometry"].isna()
        m.loc[miss, "geometry"] = m.loc[miss, "county_id"].map(gb)
        for c in ("name_zh", "name_en"):
            m.loc[miss, c] = m.loc[miss, "county_id"].map(names[c])
    cols_out = [
        "county_id",
        "name_zh",
        "name_en",
        "generation_tpd_a",
        "generation_tpd_b",
        "unserved_tpd_a",
        "unserved_tpd_b",
        "delta_unserved_tpd",
        "unserved_share_a",
        "unserved_share_b",
        "delta_unserved_share",
        "geometry",
    ]
    return gpd.GeoDataFrame(m[cols_out], geometry="geometry", crs=a.county_gaps.crs)


# --- helpers for side-by-side maps (GUI and report) ----------------------------------
def shared_color_limits(
    results: Sequence[RunResult], *, column: str = "unserved_share"
) -> tuple[float, float]:
    """Return ``(vmin, vmax)`` for one colour scale over several gap maps.

    Parameters
    ----------
    results
        The results drawn side by side.
    column
        ``{"unserved_share", "unserved_tpd", "served_share"}``.  Shares always
        get the full scale ``(0, 1)`` (0–100 %) so maps of different runs are
        comparable; t/d get ``(0, max over all results)``.
    """
    if column in ("unserved_share", "served_share"):
        return 0.0, 1.0
    if column != "unserved_tpd":
        msg = f"column must be 'unserved_share', 'served_share' or 'unserved_tpd', not {column!r}"
        raise ValueError(msg)
    vmax = 0.0
    for r in results:
        v = pd.to_numeric(r.county_gaps["unserved_tpd"], errors="coerce").max()
        if pd.notna(v):
            vmax = max(vmax, float(v))
    return 0.0, vmax if vmax > 0 else 1.0


def difference_color_limits(
    diffs: Sequence[pd.DataFrame], *, column: str = "delta_unserved_tpd"
) -> tuple[float, float]:
    """Return symmetric ``(-m, m)`` limits for difference maps (0 in the middle)."""
    m = 0.0
    for d in diffs:
        v = pd.to_numeric(d[column], errors="coerce").abs().max()
        if pd.notna(v):
            m = max(m, float(v))
    m = m if m > 0 else 1.0
    return -m, m


def synced_extent(
    results: Sequence[RunResult], *, pad: float = 0.03, crs: Any = None
) -> tuple[float, float, float, float]:
    """Return one ``(xmin, ymin, xmax, ymax)`` covering every result's counties and sites.

    Parameters
    ----------
    results
        The results drawn side by side.
    pad
        Margin as a fraction of the larger side.
    crs
        CRS of the returned extent (default: the layers' own, EPSG:4326).
    """
    boxes = []
    for r in results:
        for g in (r.county_gaps, r.proposed_sites):
            if len(g) and not g.geometry.is_empty.all():
                gg = g.to_crs(crs) if crs is not None else g
                boxes.append(gg.total_bounds)
    if not boxes:
        return 0.0, 0.0, 1.0, 1.0
    b = np.array(boxes, dtype=float)
    xmin, ymin = np.nanmin(b[:, 0]), np.nanmin(b[:, 1])
    xmax, ymax = np.nanmax(b[:, 2]), np.nanmax(b[:, 3])
    p = pad * max(xmax - xmin, ymax - ymin, 1e-9)
    return float(xmin - p), float(ymin - p), float(xmax + p), float(ymax + p)
