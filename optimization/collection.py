"""The collection service standard and the town-level result layers.

* :func:`collection_allowed`: which first-leg arcs (source -> station or
  plant) respect the scenario's ``max_collection_km`` / ``max_collection_min``.
  Arcs beyond the limit get distance ``inf`` in the model (no variable), so a
  source with no arc left is unserved: a gap with its reason, never an
  infeasible model.  Times come from the road network's matrix, or without
  one from straight-line (circuity) distance / ``collection_speed_kmh`` of
  the source's county (``default`` otherwise).
* :func:`town_service`: per demand point, ``county_id, demand_tpd,
  served_tpd, unserved_tpd, reason, first_facility, haul_km``; reasons are
  ``beyond_collection_limit`` (no site within the limit) and
  ``capacity_or_cost`` (a site is within reach, but capacity is short or
  serving costs more than the unserved penalty).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from wufei_gis.costs import TravelMatrix
from wufei_gis.errors import InputError
from wufei_gis.results import TOWN_LAYERS
from wufei_gis.scenario import Scenario
from wufei_gis.schema import STORAGE_CRS

from .two_echelon import TwoEchelonSolution

__all__ = ["ServiceInputs", "collection_allowed", "limit_matrix", "town_service", "TOWN_COLUMNS"]

#: Columns of the ``town_service`` layer (the result contract in :mod:`wufei_gis.results`).
TOWN_COLUMNS: list[str] = list(TOWN_LAYERS["town_service"][1])
_TOL = 1e-6


def collection_allowed(sc: Scenario, pts: gpd.GeoDataFrame, m: TravelMatrix) -> np.ndarray:
    """Return the ``(J, K + I)`` mask of first-leg arcs within the collection limit."""
    ok = np.isfinite(m.distance_km)
    if sc.max_collection_km is not None:
        ok &= m.distance_km <= sc.max_collection_km
    if sc.max_collection_min is not None:
        ok &= _minutes(sc, pts, m) <= sc.max_collection_min
    return np.asarray(ok, dtype=bool)


def _minutes(sc: Scenario, pts: gpd.GeoDataFrame, m: TravelMatrix) -> np.ndarray:
    if m.is_network:
        return np.asarray(m.time_min, dtype=float)
    speeds = sc.collection_speed_kmh
    default = speeds.get("default", 30.0)
    kmh = np.array([speeds.get(str(c), default) for c in pts["county_id"]], dtype=float)
    if (kmh <= 0).any():
        bad = str(pts["county_id"].iloc[int(np.flatnonzero(kmh <= 0)[0])])
        raise InputError(
            f"scenario '{sc.name}': collection_speed_kmh gives county {bad} a speed of 0 km/h",
            layer="scenarios",
            field="collection_speed_kmh",
            fix='use speeds > 0, e.g. collection_speed_kmh={"default": 30}',
        )
    return np.asarray(m.distance_km / kmh[:, None] * 60.0, dtype=float)


def limit_matrix(m: TravelMatrix, allowed: np.ndarray) -> TravelMatrix:
    """Return ``m`` with the distances of arcs not ``allowed`` set to ``inf``."""
    return TravelMatrix(
        m.origin_ids,
        m.destination_ids,
        np.where(allowed, m.distance_km, np.inf),
        np.where(allowed, m.time_min, np.inf),
        m.method,
        m.origin_points,
        m.destination_points,
        m.paths,
    )


@dataclass(frozen=True)
class ServiceInputs:
    """What :func:`town_service` reads besides the solution.

    Parameters
    ----------
    pts
        The demand points (``id, county_id, name_zh`` and point).
    demand
        ``(J,)`` t/d at each point.
    site_ids
        First-leg destination ids: stations then plants (``K + I``).
    reachable
        ``(J,)`` whether some site the model may use lies within the collection limit.
    n_transfer
        K, the number of stations.
    """

    pts: gpd.GeoDataFrame
    demand: np.ndarray
    site_ids: list[str]
    reachable: np.ndarray
    n_transfer: int


def town_service(sol: TwoEchelonSolution, si: ServiceInputs) -> gpd.GeoDataFrame:
    """Return the ``town_service`` layer (columns :data:`TOWN_COLUMNS`, points)."""
    J = len(si.pts)
    first = [""] * J
    haul = np.full(J, np.nan)
    arcs = sol.arcs[sol.arcs["stage"] == "collection"]
    if len(arcs):
        col = arcs["to_index"].astype(int).to_numpy() + np.where(
            arcs["to_kind"].to_numpy() == "transfer", 0, si.n_transfer
        )
        a = pd.DataFrame(
            {
                "j": arcs["from_index"].astype(int).to_numpy(),
                "site": [si.site_ids[c] for c in col],
                "t": arcs["tonnes_per_day"].astype(float).to_numpy(),
                "tkm": (arcs["tonnes_per_day"] * arcs["distance_km"]).astype(float).to_numpy(),
            }
        )
        main = a.sort_values("t", ascending=False).drop_duplicates("j")
        for j, s in zip(main["j"], main["site"], strict=True):
            first[int(j)] = str(s)
        sums = a.groupby("j")[["t", "tkm"]].sum()
        haul[sums.index.to_numpy()] = (sums["tkm"] / sums["t"].where(sums["t"] > 0)).to_numpy()
    unserved = np.clip(np.asarray(sol.unserved, dtype=float), 0.0, None)
    reason = np.where(
        unserved <= _TOL,
        "",
        np.where(si.reachable, "capacity_or_cost", "beyond_collection_limit"),
    )
    pts = si.pts
    town_ids = pts["id"]  # a county without towns: its county id
    return gpd.GeoDataFrame(
        {
            "town_id": town_ids.astype(str).to_numpy(),
            "name_zh": pts["name_zh"].astype(str).to_numpy(),
            "county_id": pts["county_id"].astype(str).to_numpy(),
            "demand_tpd": si.demand,
            "served_tpd": si.demand - unserved,
            "unserved_tpd": unserved,
            "reason": reason,
            "first_facility": first,
            "haul_km": haul,
        },
        geometry=pts.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )
