"""Check and coerce layers into their data contracts (:mod:`wufei_gis.schema`).

Every check raises :class:`~wufei_gis.errors.InputError` naming the file,
layer, 1-based row and field, and the fix.  Nothing is dropped silently.
"""

from __future__ import annotations

import logging
from os import PathLike

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import InputError
from .schema import LayerSpec

__all__ = ["conform", "check_unique", "check_references"]

logger = logging.getLogger(__name__)

_GEOM_FAMILY = {"Point": ("Point",), "Polygon": ("Polygon", "MultiPolygon")}


def conform(
    df: pd.DataFrame,
    spec: LayerSpec,
    *,
    file: str | PathLike[str] | None = None,
    layer: str | None = None,
    column_map: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Return ``df`` renamed, typed and checked against ``spec``.

    Parameters
    ----------
    df
        The layer as read (GeoDataFrame for spatial layers).
    spec
        The layer's data contract.
    file, layer
        Where the data came from, for error messages.
    column_map
        ``{source column: contract column}`` renames applied first (the GUI's
        field-mapping dialog produces this).

    Returns
    -------
    DataFrame or GeoDataFrame
        Contract columns in contract order (plus geometry), other columns kept
        after them.
    """
    layer = layer or spec.name
    out = df.rename(columns=column_map or {}).copy()
    out = out.rename(columns=_shapefile_renames(out.columns, spec))
    missing = [c for c in spec.required if c not in out.columns]
    if missing:
        have = ", ".join(str(c) for c in out.columns if c != "geometry") or "none"
        raise InputError(
            f"required column(s) {missing} missing (columns present: {have})",
            file=file, layer=layer, field=missing[0],
            fix=f"rename your columns to {spec.required} or map them in the import dialog",
        )
    for f in spec.fields:
        if f.name not in out.columns:
            out[f.name] = f.default if f.default is not None else np.nan
        out[f.name] = _coerce(out[f.name], f, file=file, layer=layer)
    if spec.key:
        check_unique(out, spec.key, file=file, layer=layer)
    if spec.geometry is not None:
        out = _check_geometry(out, spec, file=file, layer=layer)
    extra = [c for c in out.columns if c not in spec.columns and c != "geometry"]
    cols = spec.columns + extra + (["geometry"] if spec.geometry else [])
    out = out[cols]
    return out.reset_index(drop=True)


def _shapefile_renames(columns, spec: LayerSpec) -> dict[str, str]:
    """Map Shapefile-truncated names (10 characters) back to contract names."""
    have = set(columns)
    return {f.name[:10]: f.name for f in spec.fields
            if len(f.name) > 10 and f.name not in have and f.name[:10] in have}


def _coerce(s: pd.Series, f, *, file, layer) -> pd.Series:
    if f.dtype == "str":
        vals = s.astype(object).where(s.notna(), None)
        vals = vals.map(lambda v: _as_text(v))
        if f.required:
            empty = vals.map(lambda v: v is None or v == "")
            if empty.any():
                row = int(np.flatnonzero(empty.to_numpy())[0]) + 1
                raise InputError(f"'{f.name}' is empty", file=file, layer=layer, row=row,
                                 field=f.name, fix=f"fill in '{f.name}' for every row")
        vals = vals.map(lambda v: "" if v is None else v)
        if f.choices:
            bad = ~vals.isin(f.choices) & ~((vals == "") & (not f.required))
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise InputError(f"'{vals.iloc[i]}' is not an allowed {f.name}",
                                 file=file, layer=layer, row=i + 1, field=f.name,
                                 fix=f"use one of: {', '.join(f.choices)}")
        return vals.astype(object)
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() & s.notna() & (s.astype(str).str.strip() != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"'{s.iloc[i]}' is not a number", file=file, layer=layer, row=i + 1,
                         field=f.name, fix=f"write '{f.name}' as a number"
                         + (f" in {f.unit}" if f.unit else ""))
    if f.required and num.isna().any():
        i = int(np.flatnonzero(num.isna().to_numpy())[0])
        raise InputError(f"'{f.name}' is empty", file=file, layer=layer, row=i + 1,
                         field=f.name, fix=f"fill in '{f.name}' for every row")
    if f.minimum is not None and (num < f.minimum).any():
        i = int(np.flatnonzero((num < f.minimum).to_numpy())[0])
        raise InputError(f"{f.name} = {num.iloc[i]:g} is below the minimum {f.minimum:g}",
                         file=file, layer=layer, row=i + 1, field=f.name,
                         fix=f"use a value >= {f.minimum:g}" + (f" {f.unit}" if f.unit else ""))
    if f.dtype == "int":
        if (num.dropna() % 1 != 0).any():
            i = int(np.flatnonzero((num % 1 != 0).fillna(False).to_numpy())[0])
            raise InputError(f"{f.name} = {num.iloc[i]} is not a whole number", file=file,
                             layer=layer, row=i + 1, field=f.name, fix="use a whole number")
        return num.astype("Int64")
    return num.astype(float)


def _as_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        if np.isnan(v):
            return None
        if v.is_integer():
            return str(int(v))  # county codes read as numbers: 530402.0 -> "530402"
    return str(v).strip()


def check_unique(df: pd.DataFrame, column: str, *, file=None, layer=None) -> None:
    """Raise if ``column`` has duplicate values, naming the first duplicate row."""
    dup = df[column].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        first = int(np.flatnonzero((df[column] == df[column].iloc[i]).to_numpy())[0])
        raise InputError(
            f"duplicate {column} '{df[column].iloc[i]}' (also in row {first + 1})",
            file=file, layer=layer, row=i + 1, field=column,
            fix=f"give every feature a unique {column}",
        )


def _check_geometry(gdf: pd.DataFrame, spec: LayerSpec, *, file, layer) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise InputError("layer has no geometry", file=file, layer=layer,
                         fix=f"use a {spec.geometry} layer (or CSV with lon/lat columns)")
    gdf = gdf.rename_geometry("geometry") if gdf.geometry.name != "geometry" else gdf
    geoms = gdf.geometry
    empty = geoms.isna() | geoms.is_empty
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputError("feature has no geometry", file=file, layer=layer, row=i + 1,
                         field="geometry", fix="draw the feature or delete the row")
    family = _GEOM_FAMILY[spec.geometry]
    wrong = ~geoms.geom_type.isin(family)
    if wrong.any():
        i = int(np.flatnonzero(wrong.to_numpy())[0])
        raise InputError(f"geometry is a {geoms.iloc[i].geom_type}, expected {spec.geometry}",
                         file=file, layer=layer, row=i + 1, field="geometry",
                         fix=f"use a {spec.geometry} layer")
    invalid = ~geoms.is_valid
    if invalid.any():
        rows = (np.flatnonzero(invalid.to_numpy()) + 1).tolist()
        fixed = shapely.make_valid(geoms.values[invalid.to_numpy()])
        if spec.geometry == "Polygon":
            fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
        bad = [g is None or g.is_empty for g in fixed]
        if any(bad):
            row = rows[bad.index(True)]
            raise InputError("invalid geometry that cannot be repaired", file=file,
                             layer=layer, row=row, field="geometry",
                             fix="repair the geometry in a GIS (e.g. QGIS 'Fix geometries')")
        gdf = gdf.copy()
        gdf.loc[invalid, "geometry"] = fixed
        logger.warning("%s/%s: repaired invalid geometry in row(s) %s", file, layer, rows)
    return gdf


def _polygonal(geom):
    """Keep the polygonal part of a repaired geometry (make_valid may add lines)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts)


def check_references(
    df: pd.DataFrame,
    column: str,
    known: set[str],
    *,
    file=None,
    layer=None,
    what: str = "county",
    allow_empty: bool = False,
) -> None:
    """Raise if a row refers to an id that does not exist (e.g. an unknown county)."""
    vals = df[column].astype(str)
    bad = ~vals.isin(known)
    if allow_empty:
        bad &= vals != ""
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        sample = ", ".join(sorted(known)[:12])
        raise InputError(
            f"unknown {what} '{vals.iloc[i]}'", file=file, layer=layer, row=i + 1, field=column,
            fix=f"use a {column} of the counties layer ({sample}{', ...' if len(known) > 12 else ''})",
        )
