"""Travel costs between demand points and sites, behind one interface.

A *cost provider* turns two point sets into a :class:`TravelMatrix`
(distance in km, time in minutes, unreachable pairs ``inf``).  The planning
model only ever sees the matrix, so straight lines and road networks are
interchangeable.

Providers
---------
:class:`StraightLineProvider`
    Geodesic distance x a circuity factor (default 1.4) -- always available.
:class:`wufei_gis.network.NetworkProvider`
    Shortest paths on a road graph (see :mod:`wufei_gis.network`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString

from .progress import CancelCallback, ProgressCallback, report
from .projection import geodesic_km, lonlat

__all__ = [
    "TravelMatrix",
    "CostProvider",
    "StraightLineProvider",
    "DEFAULT_CIRCUITY",
    "DEFAULT_SPEED_KMH",
]

DEFAULT_CIRCUITY = 1.4
#: Average truck speed used to turn straight-line km into minutes.
DEFAULT_SPEED_KMH = 40.0


@dataclass
class TravelMatrix:
    """Distances and times from every origin to every destination.

    Attributes
    ----------
    origin_ids, destination_ids
        Ids in row / column order.
    distance_km
        ``(n_origins, n_destinations)`` float array, km; ``inf`` = unreachable.
    time_min
        Same shape, minutes; ``inf`` = unreachable.
    method
        Human-readable label of how the matrix was made, written into results
        (e.g. ``"straight line x 1.4"`` or ``"road network 'roads'"``).
    paths
        Optional ``{(origin_id, destination_id): LineString}`` along the
        network; :meth:`path` falls back to a straight segment.
    """

    origin_ids: list[str]
    destination_ids: list[str]
    distance_km: np.ndarray
    time_min: np.ndarray
    method: str
    origin_points: list[tuple[float, float]] = field(default_factory=list)
    destination_points: list[tuple[float, float]] = field(default_factory=list)
    paths: dict[tuple[str, str], LineString] = field(default_factory=dict)

    def __post_init__(self) -> None:
        shape = (len(self.origin_ids), len(self.destination_ids))
        self.distance_km = np.asarray(self.distance_km, dtype=float).reshape(shape)
        self.time_min = np.asarray(self.time_min, dtype=float).reshape(shape)

    @property
    def is_network(self) -> bool:
        """Whether distances follow a road network (not straight lines)."""
        return not self.method.startswith("straight line")

    def path(self, origin_id: str, destination_id: str) -> LineString:
        """Return the route geometry (EPSG:4326) from origin to destination."""
        key = (origin_id, destination_id)
        if key in self.paths:
            return self.paths[key]
        i = self.origin_ids.index(origin_id)
        j = self.destination_ids.index(destination_id)
        return LineString([self.origin_points[i], self.destination_points[j]])


@runtime_checkable
class CostProvider(Protocol):
    """Anything that can produce a :class:`TravelMatrix` between point sets."""

    @property
    def label(self) -> str:
        """The cost method, written into results (e.g. ``straight line x 1.4``)."""
        ...

    def matrix(
        self,
        origins: gpd.GeoDataFrame,
        destinations: gpd.GeoDataFrame,
        *,
        origin_id: str = "id",
        destination_id: str = "id",
        progress: ProgressCallback | None = None,
        should_cancel: CancelCallback | None = None,
    ) -> TravelMatrix:
        """Return the matrix from every origin point to every destination point."""
        ...


@dataclass
class StraightLineProvider:
    """Geodesic distance times a circuity factor.

    Parameters
    ----------
    circuity
        Road distance / straight-line distance (dimensionless, >= 1).  1.4 is
        a common planning default for mixed rural road networks.
    speed_kmh
        Average speed (km/h) for turning distance into time.
    """

    circuity: float = DEFAULT_CIRCUITY
    speed_kmh: float = DEFAULT_SPEED_KMH

    @property
    def label(self) -> str:
        """Label written into results."""
        return f"straight line x {self.circuity:g}"

    def matrix(
        self,
        origins: gpd.GeoDataFrame,
        destinations: gpd.GeoDataFrame,
        *,
        origin_id: str = "id",
        destination_id: str = "id",
        progress: ProgressCallback | None = None,
        should_cancel: CancelCallback | None = None,
    ) -> TravelMatrix:
        """Return geodesic km x circuity between every origin and destination."""
        if self.circuity < 1.0:
            msg = f"circuity factor must be >= 1 (got {self.circuity})"
            raise ValueError(msg)
        report(progress, 0.0, "computing straight-line distances")
        ox, oy = lonlat(origins)
        dx, dy = lonlat(destinations)
        km = geodesic_km(ox[:, None], oy[:, None], dx[None, :], dy[None, :]) * self.circuity
        report(progress, 1.0, "computing straight-line distances")
        return TravelMatrix(
            origin_ids=[str(v) for v in origins[origin_id]],
            destination_ids=[str(v) for v in destinations[destination_id]],
            distance_km=km,
            time_min=km / self.speed_kmh * 60.0,
            method=self.label,
            origin_points=list(zip(ox.tolist(), oy.tolist(), strict=True)),
            destination_points=list(zip(dx.tolist(), dy.tolist(), strict=True)),
        )
