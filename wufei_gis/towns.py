"""Towns: the places where waste originates below the county level.

A county's generation (the number plans publish) is split over its towns,
which become the demand points of a solve when the scenario's
``demand_level`` is ``"town"``.

* :func:`prepare_towns` turns any point or polygon layer into the ``towns``
  layer (:data:`wufei_gis.schema.TOWNS`): polygons become their representative
  points, an empty ``county_id`` is filled by a spatial join with the
  counties, a town outside every county is a located error (or, with
  ``drop_outside``, dropped with a warning), a layer that lies wholly
  outside the project's counties is refused as covering another region.
* :func:`read_towns` reads a file (GeoPackage, Shapefile, GeoJSON, CSV with
  lon/lat) and prepares it.
* :func:`split_demand` splits each county total over its towns.  The rule,
  per county (stated in the ``basis`` column of the result):

  1. ``weight`` when every town of the county has one (all zero is an error);
  2. else ``population`` when every town has one (population share);
  3. else an **equal split** (fallback: open gazetteers give no population
     for most Chinese townships, and no other weight is defensible without
     data; the planner can supply ``weight`` or ``population``).

  A county's parts add up to its total exactly (the last part is the
  remainder).  A county with no towns keeps its representative point
  (basis ``county_point``) with a note.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from os import PathLike

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import InputError
from .io import read_raw
from .schema import STORAGE_CRS, TOWNS
from .validation import LOCATION_TOLERANCE_M, conform

__all__ = [
    "TownImport",
    "empty_towns",
    "prepare_towns",
    "read_towns",
    "split_demand",
    "SPLIT_BASES",
]

log = logging.getLogger(__name__)

#: Values of the ``basis`` column of :func:`split_demand`.
SPLIT_BASES = ("weight", "population", "equal", "county_point")


@dataclass(frozen=True)
class TownImport:
    """How :func:`prepare_towns` treats a town layer.

    Parameters
    ----------
    file, layer
        Where the towns came from (error locations).
    drop_outside
        Drop towns outside every county with a warning instead of refusing the layer.
    """

    file: str | PathLike[str] | None = None
    layer: str | None = None
    drop_outside: bool = False


def empty_towns() -> gpd.GeoDataFrame:
    """Return an empty ``towns`` layer in its contract."""
    cols = {
        f.name: pd.Series(dtype=float if f.dtype in ("float", "int") else object)
        for f in TOWNS.fields
    }
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)


def read_towns(
    path: str | PathLike[str],
    counties: gpd.GeoDataFrame,
    *,
    layer: str | None = None,
    column_map: dict[str, str] | None = None,
    drop_outside: bool = False,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read a town file and return ``(towns layer, warnings)`` (see :func:`prepare_towns`)."""
    raw = read_raw(path, layer=layer)
    if not isinstance(raw, gpd.GeoDataFrame):
        raise InputError(
            "no geometry; towns need points or polygons "
            f"(columns found: {', '.join(map(str, raw.columns))})",
            file=path,
            layer=layer,
            fix="use a spatial layer, or a CSV with lon and lat columns",
        )
    raw = raw.rename(columns=column_map or {})
    opts = TownImport(file=path, layer=layer or "towns", drop_outside=drop_outside)
    return prepare_towns(raw, counties, opts)


def prepare_towns(
    raw: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, opts: TownImport | None = None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return ``raw`` as a checked ``towns`` layer and the warnings to show.

    Parameters
    ----------
    raw
        Points or polygons with a CRS (columns already renamed to the contract).
    counties
        The project's county polygons (EPSG:4326).
    opts
        Where the layer came from and whether towns outside every county are dropped.

    Raises
    ------
    InputError
        No CRS, a missing ``town_id``/``name_zh``, duplicate ``town_id``,
        population <= 0, a negative weight, an unknown ``county_id``, a town
        outside every county (unless ``drop_outside``), or no town inside the
        project's counties at all (a layer of another region).
    """
    o = opts or TownImport()
    layer = o.layer or "towns"
    if raw.crs is None:
        raise InputError(
            "the town layer has no coordinate reference system (CRS)",
            file=o.file,
            layer=layer,
            fix="assign a CRS in QGIS (Layer Properties > Source) or add a .prj file",
        )
    gdf = raw.to_crs(STORAGE_CRS)
    geom = gdf.geometry
    polygonal = geom.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if polygonal.any():
        gdf = gdf.copy()
        gdf.loc[polygonal, gdf.geometry.name] = geom[polygonal].representative_point()
    towns = conform(gdf, TOWNS, file=o.file, layer=layer)
    _check_population(towns, o.file, layer)
    towns, warnings = _join_counties(towns, counties, o)
    return towns, warnings


def _check_population(towns: pd.DataFrame, file: str | PathLike[str] | None, layer: str) -> None:
    """Refuse population 0 (unknown must be left empty, not 0)."""
    zero = (towns["population"] == 0).to_numpy()
    if zero.any():
        i = int(np.flatnonzero(zero)[0])
        raise InputError(
            f"town '{towns['town_id'].iloc[i]}' has population 0",
            file=file,
            layer=layer,
            row=i + 1,
            field="population",
            fix="leave population empty when it is unknown (the county is then split "
            "equally), or give the number of residents",
        )


def _join_counties(
    towns: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, o: TownImport
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Fill empty county ids from the polygon each town lies in; handle towns outside."""
    from .projection import metric_crs_for

    crs = metric_crs_for(counties)
    polys = counties.geometry.to_crs(crs).reset_index(drop=True)
    ids = counties["county_id"].astype(str).to_numpy()
    pts = towns.geometry.to_crs(crs).reset_index(drop=True)
    near_pt, near_poly = polys.sindex.nearest(pts.values, return_all=False)
    nearest = np.empty(len(pts), dtype=int)
    nearest[near_pt] = near_poly
    dist = pts.distance(polys.iloc[nearest].reset_index(drop=True)).to_numpy()
    outside = dist > LOCATION_TOLERANCE_M
    layer = o.layer or "towns"
    if len(towns) and outside.all():
        tb, cb = towns.total_bounds, counties.to_crs(STORAGE_CRS).total_bounds
        raise InputError(
            f"none of the {len(towns)} towns lies inside the project's counties: the layer "
            f"covers lon {tb[0]:.2f}–{tb[2]:.2f}, lat {tb[1]:.2f}–{tb[3]:.2f}, the counties "
            f"lon {cb[0]:.2f}–{cb[2]:.2f}, lat {cb[1]:.2f}–{cb[3]:.2f} (another region?)",
            file=o.file,
            layer=layer,
            field="geometry",
            fix="import the towns of this project's region (or check the layer's CRS)",
        )
    warnings: list[str] = []
    if outside.any():
        rows = np.flatnonzero(outside)
        i = int(rows[0])
        msg = (
            f"town '{towns['town_id'].iloc[i]}' ({towns['name_zh'].iloc[i]}) lies outside every "
            f"county of the project ({dist[i] / 1000:.1f} km from the nearest, "
            f"{ids[nearest[i]]}); {len(rows)} town(s) outside"
        )
        if not o.drop_outside:
            raise InputError(
                msg,
                file=o.file,
                layer=layer,
                row=i + 1,
                field="geometry",
                fix="delete the row or move the point, or import with --drop-outside",
            )
        warnings.append(f"file '{o.file}', layer '{layer}': {msg}: dropped")
    keep = ~outside
    towns = towns[keep].reset_index(drop=True)
    joined = ids[nearest[keep]]
    stated = towns["county_id"].astype(str).to_numpy()
    _check_stated(stated, set(ids), o)
    towns["county_id"] = np.where(np.isin(stated, ["", "nan", "None"]), joined, stated)
    return towns, warnings


def _check_stated(stated: np.ndarray, known: set[str], o: TownImport) -> None:
    bad = [i for i, c in enumerate(stated) if c not in ("", "nan", "None") and c not in known]
    if bad:
        raise InputError(
            f"unknown county '{stated[bad[0]]}'",
            file=o.file,
            layer=o.layer or "towns",
            row=bad[0] + 1,
            field="county_id",
            fix="use a county_id of the counties layer, or leave it empty to join spatially",
        )


def split_demand(
    demand: pd.Series,
    towns: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    file: str | PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Split each county's generation over its towns (rule in the module docstring).

    Parameters
    ----------
    demand
        Generation per county, t/d, indexed by ``county_id`` (counties without
        a value generate nothing).
    towns
        The ``towns`` layer.
    counties
        County polygons (a county without towns keeps its representative point).
    file
        The project file, for error locations.

    Returns
    -------
    GeoDataFrame
        One demand point per row: ``id`` (town id, or the county id for a
        county point), ``county_id, name_zh, town_id, demand_tpd, share, basis,
        note`` and the point; counties in the order of ``counties``.

    Raises
    ------
    InputError
        A county whose towns all have weight 0, or only some of whose towns
        have a weight.
    """
    parts = []
    by_county = {str(k): g for k, g in towns.groupby(towns["county_id"].astype(str), sort=False)}
    for c in counties.itertuples(index=False):
        cid = str(c.county_id)
        total = float(demand.get(cid, 0.0)) if cid in demand.index else 0.0
        total = 0.0 if math.isnan(total) else total
        group = by_county.get(cid)
        if group is None or len(group) == 0:
            parts.append(_county_point(c, total))
        else:
            parts.append(_county_towns(cid, group, total, file))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)


def _county_point(c: object, total: float) -> pd.DataFrame:
    cid = str(c.county_id)  # type: ignore[attr-defined]
    point = gpd.GeoSeries([c.geometry], crs=STORAGE_CRS).representative_point()  # type: ignore[attr-defined]
    return pd.DataFrame(
        {
            "id": [cid],
            "county_id": [cid],
            "name_zh": [str(c.name_zh)],  # type: ignore[attr-defined]
            "town_id": [""],
            "demand_tpd": [total],
            "share": [1.0],
            "basis": ["county_point"],
            "note": ["county has no towns: its whole generation stays at its representative point"],
            "geometry": [point.iloc[0]],
        }
    )


def _shares(cid: str, g: pd.DataFrame, file: str | PathLike[str] | None) -> tuple[np.ndarray, str]:
    w = g["weight"].to_numpy(float)
    pop = g["population"].to_numpy(float)
    has_w = ~np.isnan(w)
    if has_w.any() and not has_w.all():
        raise InputError(
            f"county {cid}: {int(has_w.sum())} of its {len(g)} towns have a weight, the others "
            "none; the split would be ambiguous",
            file=file,
            layer="towns",
            row=int(g.index[np.flatnonzero(~has_w)[0]]) + 1,
            field="weight",
            fix="give every town of the county a weight, or clear all its weights",
        )
    if has_w.all():
        if w.sum() <= 0:
            raise InputError(
                f"county {cid}: all {len(g)} of its towns have weight 0, so its generation "
                "cannot be split",
                file=file,
                layer="towns",
                row=int(g.index[0]) + 1,
                field="weight",
                fix="give at least one town of the county a weight > 0, or clear the weights",
            )
        return w / w.sum(), "weight"
    if (~np.isnan(pop)).all() and pop.sum() > 0:
        return pop / pop.sum(), "population"
    return np.full(len(g), 1.0 / len(g)), "equal"


def _county_towns(
    cid: str, g: gpd.GeoDataFrame, total: float, file: str | PathLike[str] | None
) -> pd.DataFrame:
    share, basis = _shares(cid, g, file)
    tpd = total * share
    if len(tpd) > 1:  # the last part is the remainder: the parts add up to the total
        tpd[-1] = total - math.fsum(tpd[:-1])
    else:
        tpd[0] = total
    note = {
        "weight": "share of the towns' weight",
        "population": "share of the towns' population",
        "equal": "equal split: not every town of the county has a population or weight",
    }[basis]
    return pd.DataFrame(
        {
            "id": g["town_id"].astype(str).to_numpy(),
            "county_id": cid,
            "name_zh": g["name_zh"].astype(str).to_numpy(),
            "town_id": g["town_id"].astype(str).to_numpy(),
            "demand_tpd": tpd,
            "share": share,
            "basis": basis,
            "note": note,
            "geometry": g.geometry.to_numpy(),
        }
    )
