"""Scenario KPIs: haulage, truck trips, CO2e, electricity and landfill airspace per stream.

:func:`compute_kpis` reads a solved scenario's ``flows`` (with their ``stream``)
and ``proposed_sites`` (site types) and returns one row per stream plus an
``all`` row.  Every factor is a documented default in :data:`KPI_FACTORS`
(value, unit, source) that a scenario overrides with ``kpi_factors``; per-stream
factors are keyed ``name.<stream>``.

Definitions (per day unless stated):

* ``tkm_per_day`` = sum of t x km over the stream's flows (every leg);
* ``truck_trips_per_day`` = sum of t / payload (loaded trips; payload from the
  ``streams`` table);
* ``transport_co2e_t`` = trips x km x ``empty_return_factor`` x
  ``truck_fuel_l_per_km`` x ``diesel_kgco2_per_l`` / 1000;
* ``treatment_co2e_t`` = landfilled t x ``landfill_ch4_t_per_t[.<stream>]`` x
  ``gwp_ch4`` + incinerated t x ``incinerator_fossil_tco2_per_t[.<stream>]`` +
  kitchen-plant t x ``kitchen_ch4_t_per_t`` x ``gwp_ch4``;
* ``electricity_mwh`` = incinerated t x ``incinerator_mwh_per_t``;
  ``energy_credit_co2e_t`` = - electricity x ``grid_tco2_per_mwh``;
* ``landfill_airspace_m3_yr`` = landfilled t x 365 / ``density_t_per_m3[.<stream>]``.

A factor ``name.<stream>`` wins over ``name`` for that stream.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .results import KPI_LAYERS

__all__ = ["KPI_FACTORS", "KPI_COLUMNS", "compute_kpis", "kpi_factors"]

#: ``name -> (value, unit, source)``; ``name.<stream>`` for per-stream factors.
KPI_FACTORS: dict[str, tuple[float, str, str]] = {
    "truck_fuel_l_per_km": (
        0.30,
        "L/km",
        "ASSUMPTION: 30 L/100 km for a loaded heavy refuse/transfer truck (planning default)",
    ),
    "empty_return_factor": (2.0, "-", "every loaded trip returns empty: km x 2"),
    "diesel_kgco2_per_l": (
        2.676,
        "kg CO2/L",
        "IPCC 2006 Vol. 2 ch. 3 Table 3.2.1 diesel 74,100 kg CO2/TJ x NCV 43.0 TJ/Gg "
        "(Vol. 2 Table 1.2) x density 0.84 kg/L",
    ),
    "gwp_ch4": (28.0, "t CO2e/t CH4", "IPCC AR5 WG1 Table 8.7, 100-year GWP"),
    "landfill_ch4_t_per_t": (
        0.045,
        "t CH4/t",
        "IPCC 2006 Vol. 5 ch. 3 eq. 3.1 (all future CH4 of a year's deposit): DOC 0.15 x DOCf "
        "0.5 x MCF 1.0 (managed anaerobic) x F 0.5 x 16/12 x (1 - OX 0.1), no gas recovery",
    ),
    "landfill_ch4_t_per_t.bottom_ash": (0.0, "t CH4/t", "ash holds no degradable carbon"),
    "landfill_ch4_t_per_t.fly_ash": (0.0, "t CH4/t", "ash holds no degradable carbon"),
    "incinerator_fossil_tco2_per_t": (
        0.242,
        "t CO2/t",
        "IPCC 2006 Vol. 5 ch. 5 eq. 5.1: dm 0.5 (ASSUMPTION, wet Chinese MSW) x CF 0.33 x "
        "FCF 0.40 (Table 5.2 MSW) x OF 1.0 x 44/12",
    ),
    "kitchen_ch4_t_per_t": (
        0.0008,
        "t CH4/t",
        "IPCC 2006 Vol. 5 ch. 4 Table 4.1: anaerobic digestion 0.8 g CH4/kg waste (wet)",
    ),
    "incinerator_mwh_per_t": (
        0.30,
        "MWh/t",
        "ASSUMPTION: net export 300 kWh per t of MSW (Chinese grate WtE plants, 280-350 kWh/t)",
    ),
    "grid_tco2_per_mwh": (
        0.5703,
        "t CO2/MWh",
        "China national grid average emission factor 0.5703 t CO2/MWh (Ministry of Ecology "
        "and Environment, 2023 notice on 2023-2025 power-sector reporting)",
    ),
    "density_t_per_m3": (
        0.9,
        "t/m3",
        "ASSUMPTION: compacted MSW in place 0.9 t/m3 (Chinese landfill design >= 0.8)",
    ),
    "density_t_per_m3.bottom_ash": (1.4, "t/m3", "ASSUMPTION: compacted bottom ash 1.4 t/m3"),
    "density_t_per_m3.fly_ash": (1.2, "t/m3", "ASSUMPTION: stabilized fly ash 1.2 t/m3"),
}

#: Columns of the ``kpis`` table (the result contract in :mod:`wufei_gis.results`).
KPI_COLUMNS: list[str] = list(KPI_LAYERS["kpis"][1])

#: Facility types whose input counts as landfilled / incinerated / digested.
_LANDFILLS = ("landfill", "hazardous_landfill")


def kpi_factors(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The KPI factor values: the defaults with a scenario's ``kpi_factors`` applied."""
    out = {k: v[0] for k, v in KPI_FACTORS.items()}
    out.update({str(k): float(v) for k, v in (overrides or {}).items()})
    return out


def _per_stream(f: Mapping[str, float], name: str, stream: str) -> float:
    return float(f.get(f"{name}.{stream}", f.get(name, 0.0)))


def compute_kpis(
    flows: pd.DataFrame,
    sites: pd.DataFrame,
    payload_t: Mapping[str, float],
    factors: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """KPIs per stream (rows) and an ``all`` row, columns :data:`KPI_COLUMNS`.

    Parameters
    ----------
    flows
        ``from_id, to_id, tonnes_per_day, distance_km`` and ``stream`` (missing:
        ``residual``).
    sites
        ``site_id, type`` of the open sites (``proposed_sites``).
    payload_t
        Truck payload per stream, t.
    factors
        Factor values (:func:`kpi_factors`); default the documented defaults.
    """
    f = dict(factors) if factors is not None else kpi_factors()
    fl = pd.DataFrame(flows).copy()
    if "stream" not in fl.columns:
        fl["stream"] = "residual"
    types = dict(zip(sites["site_id"].astype(str), sites["type"].astype(str), strict=True))
    fl["to_type"] = fl["to_id"].astype(str).map(types).fillna("")
    t = fl["tonnes_per_day"].astype(float).to_numpy()
    km = fl["distance_km"].astype(float).to_numpy()
    pay = fl["stream"].map(lambda s: float(payload_t.get(str(s), 8.0))).to_numpy()
    trips = t / pay
    fl["tkm"] = t * km
    fl["trips"] = trips
    per_km = f["empty_return_factor"] * f["truck_fuel_l_per_km"] * f["diesel_kgco2_per_l"] / 1e3
    fl["transport_co2e"] = trips * km * per_km
    rows = [_stream_row(str(s), g, f) for s, g in fl.groupby("stream", sort=False)]
    out = pd.DataFrame(rows, columns=KPI_COLUMNS)
    total = out.drop(columns="stream").sum(numeric_only=True)
    out.loc[len(out)] = {"stream": "all", **total.to_dict()}
    return out.reset_index(drop=True)


def _stream_row(stream: str, g: pd.DataFrame, f: Mapping[str, float]) -> dict[str, object]:
    t = g["tonnes_per_day"].astype(float)
    into = g["to_type"]
    landfilled = float(t[into.isin(_LANDFILLS)].sum())
    burnt = float(t[into == "incinerator"].sum())
    digested = float(t[into == "kitchen_waste"].sum())
    treated = float(t[~into.isin(("transfer_station", "collection_hub", ""))].sum())
    gwp = f["gwp_ch4"]
    treatment = landfilled * _per_stream(f, "landfill_ch4_t_per_t", stream) * gwp
    treatment += burnt * _per_stream(f, "incinerator_fossil_tco2_per_t", stream)
    treatment += digested * f["kitchen_ch4_t_per_t"] * gwp
    mwh = burnt * f["incinerator_mwh_per_t"]
    credit = -mwh * f["grid_tco2_per_mwh"]
    density = _per_stream(f, "density_t_per_m3", stream)
    airspace = landfilled * 365.0 / density if density > 0 else float("nan")
    transport = float(g["transport_co2e"].sum())
    return {
        "stream": stream,
        "treated_tpd": treated,
        "tkm_per_day": float(g["tkm"].sum()),
        "truck_trips_per_day": float(g["trips"].sum()),
        "transport_co2e_t_per_day": transport,
        "treatment_co2e_t_per_day": float(treatment),
        "electricity_mwh_per_day": float(mwh),
        "energy_credit_co2e_t_per_day": float(credit),
        "net_co2e_t_per_day": float(transport + treatment + credit),
        "landfill_airspace_m3_per_yr": float(airspace) if np.isfinite(airspace) else 0.0,
    }
