"""Station catchments and generated candidate sites at town level.

* :func:`station_catchments`: one polygon per site that collects from towns:
  the Voronoi cells of the towns it serves, dissolved.  Cells are computed
  per county among that county's towns (in a local metric CRS) and clipped
  to it, so the towns of a county share exactly that county.
* :func:`generate_candidates`: candidate transfer stations at town points or
  on a square grid, inside the counties and outside the exclusion zones; the
  candidates have an empty ``size_class``, so the model opens them in any of
  the scenario's size classes (``wufei candidates generate``, and at solve
  time for scenarios with ``candidates_at_towns``).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import InputError
from .projection import metric_crs_for
from .schema import MODELLED_TYPES, STORAGE_CRS

__all__ = ["CandidateOptions", "generate_candidates", "station_catchments", "CATCHMENT_COLUMNS"]

CATCHMENT_COLUMNS = ["site_id", "type", "n_towns", "demand_tpd"]


def station_catchments(
    towns: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, site_types: dict[str, str]
) -> gpd.GeoDataFrame:
    """Return the catchment polygon of each site serving towns.

    Parameters
    ----------
    towns
        Town demand points with ``county_id``, ``first_facility`` (the site
        serving the town, ``""`` when unserved) and ``demand_tpd``.
    counties
        County polygons (cells are clipped to the town's county).
    site_types
        ``site_id -> type`` of the sites.

    Returns
    -------
    GeoDataFrame
        ``site_id, type, n_towns, demand_tpd`` and a (multi)polygon, EPSG:4326.
    """
    if (towns["first_facility"].astype(str) == "").all():
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in CATCHMENT_COLUMNS},
            geometry=gpd.GeoSeries([], crs=STORAGE_CRS),
            crs=STORAGE_CRS,
        )
    crs = metric_crs_for(counties)
    cpoly = counties.to_crs(crs).set_index(counties["county_id"].astype(str)).geometry
    pts = towns.geometry.to_crs(crs).to_numpy()
    cells = np.empty(len(towns), dtype=object)
    cids = towns["county_id"].astype(str).to_numpy()
    for cid in np.unique(cids):  # each county is shared among its own towns only
        idx = np.flatnonzero(cids == cid)
        poly = cpoly.get(cid)
        frame_ = poly if poly is not None else shapely.box(*cpoly.total_bounds)
        cells[idx] = _voronoi_cells(pts[idx], frame_)
    keep = (towns["first_facility"].astype(str) != "").to_numpy()
    served = towns[keep].reset_index(drop=True)
    clipped = list(cells[keep])
    frame = gpd.GeoDataFrame(
        {
            "site_id": served["first_facility"].astype(str).to_numpy(),
            "demand_tpd": served["demand_tpd"].astype(float).to_numpy(),
        },
        geometry=clipped,
        crs=crs,
    )
    out = frame.dissolve(by="site_id", aggfunc={"demand_tpd": "sum"}).reset_index()
    out["n_towns"] = frame.groupby("site_id").size().reindex(out["site_id"]).to_numpy()
    out["type"] = [site_types.get(s, "") for s in out["site_id"]]
    out = out.to_crs(STORAGE_CRS)
    return gpd.GeoDataFrame(
        out[[*CATCHMENT_COLUMNS, "geometry"]], geometry="geometry", crs=STORAGE_CRS
    )


def _voronoi_cells(points: np.ndarray, frame: shapely.Geometry) -> list[shapely.Geometry]:
    """Voronoi cell of each point within ``frame`` (points at one spot share a cell)."""
    if len(points) == 1 or len({(p.x, p.y) for p in points}) == 1:
        return [frame] * len(points)
    regions = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame.envelope)
    )
    tree = shapely.STRtree(regions)
    out = []
    for p in points:
        hits = tree.query(p, predicate="intersects")
        out.append(shapely.intersection(regions[int(hits[0])], frame) if len(hits) else p)
    return out


@dataclass(frozen=True)
class CandidateOptions:
    """What :func:`generate_candidates` writes.

    Parameters
    ----------
    at
        ``"towns"`` (one candidate per town) or ``"grid"`` (square grid).
    spacing_km
        Grid spacing (``at="grid"``).
    type
        Candidate type (a modelled type; default ``transfer_station``).
    county
        Only this county (``None``: all).
    capacity_tpd, fixed_cost_yuan_yr
        Written to the rows (the largest of the scenario's size classes); the
        model still chooses among the scenario's classes (``size_class`` empty).
    """

    at: str = "towns"
    spacing_km: float = 10.0
    type: str = "transfer_station"
    county: str | None = None
    capacity_tpd: float = 450.0
    fixed_cost_yuan_yr: float = 2_800_000.0


def generate_candidates(
    counties: gpd.GeoDataFrame,
    towns: gpd.GeoDataFrame,
    exclusions: gpd.GeoDataFrame,
    opts: CandidateOptions,
) -> gpd.GeoDataFrame:
    """Return generated candidate sites (the ``candidates`` contract).

    Ids are ``GEN-T-<town_id>`` (towns) or ``GEN-G-<county_id>-<n>`` (grid),
    so generating again replaces the same rows.

    Raises
    ------
    InputError
        Unknown ``at``/``type``/county, ``at="towns"`` without towns, or a
        grid spacing <= 0.
    """
    _check_options(counties, towns, opts)
    cty = counties
    if opts.county is not None:
        cty = counties[counties["county_id"].astype(str) == opts.county]
    pts = _town_sites(towns, cty) if opts.at == "towns" else _grid_sites(cty, opts.spacing_km)
    if len(exclusions) and len(pts):
        zones = exclusions.to_crs(STORAGE_CRS).geometry.union_all()
        pts = pts[~pts.geometry.intersects(zones)].reset_index(drop=True)
    return gpd.GeoDataFrame(
        {
            "candidate_id": pts["candidate_id"].to_numpy(),
            "name_zh": pts["name_zh"].to_numpy(),
            "type": opts.type,
            "capacity_tpd": opts.capacity_tpd,
            "fixed_cost_yuan_yr": opts.fixed_cost_yuan_yr,
            "size_class": "",
            "county_id": pts["county_id"].to_numpy(),
            "note": pts["note"].to_numpy(),
        },
        geometry=pts.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )


def _check_options(
    counties: gpd.GeoDataFrame, towns: gpd.GeoDataFrame, opts: CandidateOptions
) -> None:
    problem, fix = "", ""
    if opts.at not in ("towns", "grid"):
        problem, fix = f"unknown --at '{opts.at}'", "use --at towns or --at grid"
    elif opts.type not in MODELLED_TYPES:
        problem, fix = f"unknown --type '{opts.type}'", f"use one of {', '.join(MODELLED_TYPES)}"
    elif opts.county is not None and opts.county not in set(counties["county_id"].astype(str)):
        problem, fix = f"unknown county '{opts.county}'", "use a county_id of the counties layer"
    elif opts.at == "towns" and len(towns) == 0:
        problem, fix = "the project has no towns", "import them with 'wufei towns import'"
    elif opts.at == "grid" and not opts.spacing_km > 0:
        problem, fix = f"grid spacing {opts.spacing_km} km is not > 0", "use e.g. --spacing-km 10"
    if problem:
        raise InputError(problem, layer="candidates", fix=fix)


def _town_sites(towns: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    keep = towns["county_id"].astype(str).isin(counties["county_id"].astype(str))
    t = towns[keep].reset_index(drop=True)
    return gpd.GeoDataFrame(
        {
            "candidate_id": [f"GEN-T-{i}" for i in t["town_id"].astype(str)],
            "name_zh": [f"{n}候选转运站" for n in t["name_zh"].astype(str)],
            "county_id": t["county_id"].astype(str).to_numpy(),
            "note": [
                f"generated at town {i} ({n}); location precision of the town point"
                for i, n in zip(t["town_id"], t["name_zh"], strict=True)
            ],
        },
        geometry=t.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )


def _grid_sites(counties: gpd.GeoDataFrame, spacing_km: float) -> gpd.GeoDataFrame:
    crs = metric_crs_for(counties)
    polys = counties.to_crs(crs)
    step = spacing_km * 1000.0
    rows: list[tuple[str, str, str, shapely.Point]] = []
    for cid, name, poly in zip(
        polys["county_id"].astype(str), polys["name_zh"], polys.geometry, strict=True
    ):
        x0, y0, x1, y1 = poly.bounds
        xs = np.arange(np.floor(x0 / step) * step + step / 2, x1, step)
        ys = np.arange(np.floor(y0 / step) * step + step / 2, y1, step)
        grid = shapely.points(*(a.ravel() for a in np.meshgrid(xs, ys)))
        inside = [p for p in grid if poly.contains(p)]
        for n, p in enumerate(inside, start=1):
            rows.append((f"GEN-G-{cid}-{n}", f"{name}网格候选点{n}", cid, p))
    pts = gpd.GeoDataFrame(
        {
            "candidate_id": [r[0] for r in rows],
            "name_zh": [r[1] for r in rows],
            "county_id": [r[2] for r in rows],
            "note": [f"generated on a {spacing_km:g} km grid" for _ in rows],
        },
        geometry=gpd.GeoSeries([r[3] for r in rows], crs=crs),
        crs=crs,
    )
    return pts.to_crs(STORAGE_CRS)
