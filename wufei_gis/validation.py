"""Check and coerce layers into their data contracts (:mod:`wufei_gis.schema`).

Every check raises :class:`~wufei_gis.errors.InputError` naming the file,
layer, 1-based row and field, and the fix.  Nothing is dropped silently.

This is the one validation layer behind every entry point: file imports
(:mod:`wufei_gis.io`), the ``wufei`` command line, and cell edits in the
desktop app (:func:`wufei_gis.editing.validate_cell`).  In particular there is
one rule for numbers, :func:`parse_number`:

* full-width digits and signs (``１２００``, ``－５``) are read as ASCII digits;
* a comma is accepted only as a thousands separator in well-formed groups of
  three (``1,200`` and ``1,200.5`` are 1200 and 1200.5; ``1,2`` is refused
  because it could be a decimal comma);
* units, percent signs and words (``700t/d``, ``2%``, ``2025年``) are refused,
  as are ``nan`` and ``inf``; an empty cell is "no value".

Size: this module is over 500 lines (about 710) because every check on input
data (the number parser, types, ranges, geometry, coordinates and the county
match, duplicates, references, empty layers, output paths) is in this one
module, so imports, cell edits and CLI flags apply the same rules.
"""

from __future__ import annotations

import logging
import math
import os
import re
import unicodedata
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from .errors import InputError
from .schema import Field, LayerSpec

__all__ = [
    "MISMATCH_POLICIES",
    "UNIQUE_TOGETHER",
    "check_locations",
    "check_lonlat",
    "check_not_empty",
    "check_output_file",
    "check_output_folder",
    "check_references",
    "check_unique",
    "check_unique_together",
    "conform",
    "parse_number",
]

#: What to do with a point lying outside the county its ``county_id`` names.
MISMATCH_POLICIES = ("error", "warn")

#: Keys made of several columns, by layer (the single-column keys are ``LayerSpec.key``).
UNIQUE_TOGETHER: dict[str, tuple[str, ...]] = {
    "generation": ("county_id", "year", "stream"),
    "stream_acceptance": ("facility_type", "facility_id", "stream_id"),
    "stream_yields": ("facility_type", "input_stream", "output_stream"),
}

#: Rough extent of China (lon_min, lat_min, lon_max, lat_max), for the swapped lon/lat hint.
CHINA_BOUNDS = (73.0, 18.0, 135.5, 54.0)

#: A point up to this far outside its county polygon still counts as inside (metres):
#: county boundaries are generalized and "county stand-in" locations sit near them.
LOCATION_TOLERANCE_M = 300.0

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")

logger = logging.getLogger(__name__)

#: Where a located error may name its file: a path, a text (e.g. "sample 'yuxi'") or nothing.
_Source: TypeAlias = str | PathLike[str] | None

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
            file=file,
            layer=layer,
            field=missing[0],
            fix=f"rename your columns to {spec.required} or map them in the import dialog",
        )
    for f in spec.fields:
        if f.name not in out.columns:
            out[f.name] = f.default if f.default is not None else np.nan
        out[f.name] = _coerce(out[f.name], f, file=file, layer=layer)
    if spec.name == "generation":  # an empty stream cell is the household residual stream
        out["stream"] = out["stream"].replace("", "residual")
    if spec.key:
        check_unique(out, spec.key, file=file, layer=layer)
    if spec.name in UNIQUE_TOGETHER:
        check_unique_together(out, UNIQUE_TOGETHER[spec.name], file=file, layer=layer)
    if spec.geometry is not None:
        out = _check_geometry(out, spec, file=file, layer=layer)
    extra = [c for c in out.columns if c not in spec.columns and c != "geometry"]
    cols = spec.columns + extra + (["geometry"] if spec.geometry else [])
    out = out[cols]
    return out.reset_index(drop=True)


def _shapefile_renames(columns: Iterable[str], spec: LayerSpec) -> dict[str, str]:
    """Map Shapefile-truncated names (10 characters) back to contract names."""
    have = set(columns)
    return {
        f.name[:10]: f.name
        for f in spec.fields
        if len(f.name) > 10 and f.name not in have and f.name[:10] in have
    }


def _coerce(s: pd.Series, f: Field, *, file: _Source, layer: str | None) -> pd.Series:
    if f.dtype == "str":
        # plain lists, not Series.map: pandas 3 infers a string dtype that turns None into NaN
        texts = [_as_text(v) for v in s.to_numpy(dtype=object)]
        if f.required:
            empty = [i for i, v in enumerate(texts) if v is None or v == ""]
            if empty:
                raise _empty_cell(f, empty[0], file=file, layer=layer)
        vals = pd.Series(["" if v is None else v for v in texts], index=s.index, dtype=object)
        if f.choices:
            bad = ~vals.isin(f.choices) & ~((vals == "") & (not f.required))
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise InputError(
                    f"'{vals.iloc[i]}' is not an allowed {f.name}",
                    file=file,
                    layer=layer,
                    row=i + 1,
                    field=f.name,
                    fix=f"use one of: {', '.join(f.choices)}",
                )
        return vals.astype(object)
    num = _numbers(s, f, file=file, layer=layer)
    if f.required and num.isna().any():
        raise _empty_cell(f, int(np.flatnonzero(num.isna().to_numpy())[0]), file=file, layer=layer)
    if f.minimum is not None and (num < f.minimum).any():
        i = int(np.flatnonzero((num < f.minimum).to_numpy())[0])
        raise InputError(
            f"{f.name} = {num.iloc[i]:g} is below the minimum {f.minimum:g}",
            file=file,
            layer=layer,
            row=i + 1,
            field=f.name,
            fix=f"use a value >= {f.minimum:g}" + (f" {f.unit}" if f.unit else ""),
        )
    if f.dtype == "int":
        frac = ((num % 1).fillna(0) != 0).to_numpy()
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise InputError(
                f"{f.name} = {num.iloc[i]} is not a whole number",
                file=file,
                layer=layer,
                row=i + 1,
                field=f.name,
                fix="use a whole number",
            )
        return num.astype("Int64")
    return num.astype(float)


def _empty_cell(f: Field, i: int, *, file: _Source, layer: str | None) -> InputError:
    """Return the error for row ``i`` (0-based) left empty in the required field ``f``."""
    return InputError(
        f"'{f.name}' is empty",
        file=file,
        layer=layer,
        row=i + 1,
        field=f.name,
        fix=f"fill in '{f.name}' for every row",
    )


def parse_number(value: Any) -> float | None:
    """Read one number the way every wufei-gis entry point does.

    See the module docstring for the rule (full-width digits yes, ``1,200``
    yes, ``1,2`` / units / ``%`` / ``nan`` / ``inf`` no).

    Parameters
    ----------
    value
        Text typed or read from a file, or a number.

    Returns
    -------
    float or None
        ``None`` for an empty value (``None``, NaN, blank text).

    Raises
    ------
    ValueError
        With a message saying why the value is not a number.
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"'{value}' is a yes/no value, not a number")
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        if math.isnan(v):
            return None
        if not math.isfinite(v):
            raise ValueError(f"'{value}' is not a finite number")
        return v
    raw = str(value)
    text = unicodedata.normalize("NFKC", raw).strip().replace("\u2212", "-")
    if text == "":
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        if text.endswith("%"):
            raise ValueError(
                f"'{raw}' is a percentage, not a number (write a fraction, e.g. 0.02 for 2%)"
            )
        raise ValueError(f"'{raw}' is not a number")
    return float(text)


def _numbers(s: pd.Series, f: Field, *, file: _Source, layer: str | None) -> pd.Series:
    """Apply :func:`parse_number` to a column, raising on the first bad row."""
    out = np.full(len(s), np.nan)
    for i, v in enumerate(s.to_numpy(dtype=object)):
        try:
            num = parse_number(v)
        except ValueError as exc:
            raise InputError(
                str(exc),
                file=file,
                layer=layer,
                row=i + 1,
                field=f.name,
                fix=f"write '{f.name}' as a plain number"
                + (f" in {f.unit}" if f.unit else "")
                + " (digits, optional 1,200-style thousands separators)",
            ) from None
        if num is not None:
            out[i] = num
    return pd.Series(out, index=s.index)


def _as_text(v: object) -> str | None:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if np.isnan(v):
            return None
        if v.is_integer():
            return str(int(v))  # county codes read as numbers: 530402.0 -> "530402"
    return str(v).strip()


def check_unique(
    df: pd.DataFrame, column: str, *, file: _Source = None, layer: str | None = None
) -> None:
    """Raise if ``column`` has duplicate values, naming both rows of the first duplicate."""
    check_unique_together(df, (column,), file=file, layer=layer)


def check_unique_together(
    df: pd.DataFrame,
    columns: tuple[str, ...] | list[str],
    *,
    file: _Source = None,
    layer: str | None = None,
) -> None:
    """Raise if two rows share the same values in ``columns`` (e.g. county_id + year).

    The error names the value and both 1-based rows, e.g. ``duplicate
    county_id+year '530402, 2020' in rows 1 and 10``.
    """
    columns = list(columns)
    keys = df[columns].astype(str)
    dup = keys.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    second = int(np.flatnonzero(keys.duplicated().to_numpy())[0])
    same = (keys == keys.iloc[second]).all(axis=1).to_numpy()
    first = int(np.flatnonzero(same)[0])
    value = ", ".join(keys.iloc[second])
    what = "+".join(columns)
    raise InputError(
        f"duplicate {what} '{value}' in rows {first + 1} and {second + 1}",
        file=file,
        layer=layer,
        row=second + 1,
        field=columns[-1] if len(columns) > 1 else columns[0],
        fix=(
            f"give every feature a unique {what}"
            if len(columns) == 1
            else f"keep one row per {what} (rows are not added up); delete or correct the other"
        ),
    )


def _check_geometry(
    gdf: pd.DataFrame, spec: LayerSpec, *, file: _Source, layer: str | None
) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise InputError(
            "layer has no geometry",
            file=file,
            layer=layer,
            fix=f"use a {spec.geometry} layer (or CSV with lon/lat columns)",
        )
    gdf = gdf.rename_geometry("geometry") if gdf.geometry.name != "geometry" else gdf
    geoms = gdf.geometry
    empty = geoms.isna() | geoms.is_empty
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputError(
            "feature has no geometry",
            file=file,
            layer=layer,
            row=i + 1,
            field="geometry",
            fix="draw the feature or delete the row",
        )
    if spec.geometry is None:  # pragma: no cover - conform checks spatial layers only
        msg = f"layer contract {spec.name!r} has no geometry type"
        raise ValueError(msg)
    family = _GEOM_FAMILY[spec.geometry]
    if spec.geometry == "Point" and geoms.geom_type.eq("Point").all():
        check_lonlat(
            geoms.x.to_numpy(), geoms.y.to_numpy(), file=file, layer=layer, field="geometry"
        )
    else:
        _check_bounds(geoms, file=file, layer=layer)
    wrong = ~geoms.geom_type.isin(family)
    if wrong.any():
        i = int(np.flatnonzero(wrong.to_numpy())[0])
        raise InputError(
            f"geometry is a {geoms.iloc[i].geom_type}, expected {spec.geometry}",
            file=file,
            layer=layer,
            row=i + 1,
            field="geometry",
            fix=f"use a {spec.geometry} layer",
        )
    invalid = ~geoms.is_valid
    if invalid.any():
        rows = (np.flatnonzero(invalid.to_numpy()) + 1).tolist()
        fixed = shapely.make_valid(geoms.values[invalid.to_numpy()])
        if spec.geometry == "Polygon":
            fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
        bad = [g is None or g.is_empty for g in fixed]
        if any(bad):
            row = rows[bad.index(True)]
            raise InputError(
                "invalid geometry that cannot be repaired",
                file=file,
                layer=layer,
                row=row,
                field="geometry",
                fix="repair the geometry in a GIS (e.g. QGIS 'Fix geometries')",
            )
        gdf = gdf.copy()
        gdf.loc[invalid, "geometry"] = fixed
        logger.warning("%s/%s: repaired invalid geometry in row(s) %s", file, layer, rows)
    return gdf


def _check_bounds(geoms: gpd.GeoSeries, *, file: _Source, layer: str | None) -> None:
    """Raise if a geometry reaches beyond |lon| <= 180, |lat| <= 90."""
    b = geoms.bounds.to_numpy()
    bad = (b[:, 0] < -180) | (b[:, 2] > 180) | (b[:, 1] < -90) | (b[:, 3] > 90)
    bad &= ~np.isnan(b).any(axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"coordinates out of range (bounds {b[i, 0]:g}, {b[i, 1]:g}, {b[i, 2]:g}, "
            f"{b[i, 3]:g}; longitude must be within +-180, latitude within +-90)",
            file=file,
            layer=layer,
            row=i + 1,
            field="geometry",
            fix="check the layer's CRS: projected coordinates (metres) need a CRS, and "
            "x must be the longitude",
        )


def _in_china(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    x0, y0, x1, y1 = CHINA_BOUNDS
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def _rows_text(rows: npt.NDArray[np.intp], limit: int = 8) -> str:
    shown = ", ".join(str(int(r) + 1) for r in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def check_lonlat(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    *,
    file: _Source = None,
    layer: str | None = None,
    field: str = "lat",
) -> None:
    """Raise if coordinates are out of range or look swapped.

    A pair is "swapped" when it lies outside China but the reversed pair lies
    inside (a "lat" of 102.48 with a "lon" of 24.35).  All swapped rows are
    named.  Otherwise |lat| <= 90 and |lon| <= 180 must hold.

    Parameters
    ----------
    lon, lat
        Degrees (EPSG:4326), one value per row.
    field
        The field named in an out-of-range error.
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    swapped = np.flatnonzero(~_in_china(lon, lat) & _in_china(lat, lon))
    if len(swapped):
        i = int(swapped[0])
        raise InputError(
            f"lon/lat look swapped in rows {_rows_text(swapped)}: row {i + 1} has lon "
            f"{lon[i]:g}, lat {lat[i]:g}, which is outside China, but lon {lat[i]:g}, "
            f"lat {lon[i]:g} is inside",
            file=file,
            layer=layer,
            row=i + 1,
            field=field,
            fix="swap the longitude and latitude columns (in China longitude is about "
            "73-135, latitude about 18-54)",
        )
    bad = np.flatnonzero((np.abs(lat) > 90) | (np.abs(lon) > 180))
    if len(bad):
        i = int(bad[0])
        raise InputError(
            f"coordinates out of range in rows {_rows_text(bad)}: row {i + 1} has lon "
            f"{lon[i]:g}, lat {lat[i]:g} (|lon| must be <= 180, |lat| <= 90)",
            file=file,
            layer=layer,
            row=i + 1,
            field=field,
            fix="write longitude and latitude in decimal degrees (EPSG:4326), or give "
            "the CRS of projected coordinates",
        )


def check_not_empty(
    df: pd.DataFrame,
    *,
    file: _Source = None,
    layer: str | None = None,
    allow_empty: bool = False,
    how_to_allow: str = "pass --allow-empty to really empty the layer",
) -> None:
    """Raise if an imported layer has no rows (it would delete the project's layer)."""
    if len(df) or allow_empty:
        return
    raise InputError(
        f"layer '{layer}' in {Path(str(file)).name if file else 'the file'} has no "
        "features (importing it would delete every row of the project's layer)",
        file=file,
        layer=layer,
        fix=f"check that you chose the right file and layer, or {how_to_allow}",
    )


def check_locations(
    points: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    file: _Source = None,
    layer: str | None = None,
    key: str | None = None,
    on_mismatch: str = "error",
    tolerance_m: float = LOCATION_TOLERANCE_M,
) -> list[str]:
    """Check that every point lies in the county its ``county_id`` names.

    * A point outside every county polygon (farther than ``tolerance_m``) is
      always an error (e.g. a candidate in the sea), with a swapped-lon/lat hint
      when the reversed pair falls inside a county.
    * A point inside another county than the one named is an error
      (``on_mismatch="error"``) or a warning returned to the caller
      (``on_mismatch="warn"``); both give the distance to the named county.
    * Rows with an empty ``county_id`` (optional for candidates) are only
      checked for lying inside some county.

    Parameters
    ----------
    points
        Point layer in EPSG:4326 with a ``county_id`` column.
    counties
        The project's county polygons (EPSG:4326).
    key
        Id column named in messages (``facility_id``, ``candidate_id``).
    on_mismatch
        ``"error"`` or ``"warn"`` (see :data:`MISMATCH_POLICIES`).
    tolerance_m
        A point this close to a county's boundary counts as inside it.

    Returns
    -------
    list of str
        Warnings (only with ``on_mismatch="warn"``).
    """
    if on_mismatch not in MISMATCH_POLICIES:
        raise InputError(
            f"unknown mismatch policy '{on_mismatch}'",
            fix=f"use one of {', '.join(MISMATCH_POLICIES)}",
        )
    if not len(points) or not len(counties):
        return []
    from .projection import metric_crs_for

    crs = metric_crs_for(counties)
    polys = counties.geometry.to_crs(crs).reset_index(drop=True)
    pts = points.geometry.to_crs(crs).reset_index(drop=True)
    ids = counties["county_id"].astype(str).to_numpy()
    stated = points["county_id"].astype(str).to_numpy() if "county_id" in points else None
    names = (
        points[key].astype(str).to_numpy()
        if key and key in points
        else np.array([f"row {i + 1}" for i in range(len(points))])
    )
    near_pt, near_poly = polys.sindex.nearest(pts.values, return_all=False)
    nearest = np.empty(len(pts), dtype=int)
    nearest[near_pt] = near_poly
    dist = pts.distance(polys.iloc[nearest].reset_index(drop=True)).to_numpy()
    outside = np.flatnonzero(dist > tolerance_m)
    if len(outside):
        i = int(outside[0])
        p = points.geometry.iloc[i]
        hint, fix = "", "move the point into its county, or delete the row"
        if len(counties.sindex.query(shapely.Point(p.y, p.x), predicate="intersects")):
            hint = " (with lon and lat swapped it would lie inside a county)"
            fix = "swap the longitude and latitude of the point"
        raise InputError(
            f"{names[i]} at lon {p.x:.5f}, lat {p.y:.5f} lies outside every county of the "
            f"project ({dist[i] / 1000:.1f} km from the nearest, {ids[nearest[i]]}){hint}"
            + (f"; rows outside: {_rows_text(outside)}" if len(outside) > 1 else ""),
            file=file,
            layer=layer,
            row=i + 1,
            field="geometry",
            fix=fix,
        )
    warnings: list[str] = []
    if stated is None:
        return warnings
    index_of = {cid: j for j, cid in enumerate(ids)}
    home = np.array([index_of.get(c, -1) for c in stated])
    checked = np.flatnonzero(home >= 0)  # unknown ids are check_references' job
    d_home = np.zeros(len(pts))
    d_home[checked] = (
        pts.iloc[checked]
        .reset_index(drop=True)
        .distance(polys.iloc[home[checked]].reset_index(drop=True))
        .to_numpy()
    )
    wrong = np.flatnonzero(d_home > tolerance_m)
    for i in wrong.tolist():
        msg = (
            f"{names[i]} has county_id {stated[i]} but lies in county {ids[nearest[i]]}, "
            f"{d_home[i] / 1000:.1f} km outside county {stated[i]}"
        )
        if on_mismatch == "error":
            raise InputError(
                msg + (f"; rows with this problem: {_rows_text(wrong)}" if len(wrong) > 1 else ""),
                file=file,
                layer=layer,
                row=i + 1,
                field="county_id",
                fix="correct the county_id or the coordinates, or import with "
                f"--on-mismatch warn to keep it (it then counts for county {stated[i]})",
            )
        warnings.append(f"file '{file}', layer '{layer}', row {i + 1}: {msg}")
    return warnings


def check_output_file(path: str | PathLike[str], *, option: str = "--out") -> Path:
    """Raise before long work if ``path`` cannot be written as a file.

    Catches a folder given for a file and a missing or read-only parent folder.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError(
            f"{option} '{p}' is a folder, not a file",
            file=p,
            fix=f"give a file name, e.g. {option} {p / 'result.gpkg'}",
        )
    _check_parent(p, option)
    if p.exists() and not os.access(p, os.W_OK):
        raise InputError(
            f"{option} '{p}' is read-only", file=p, fix="choose another file, or make it writable"
        )
    return p


def check_output_folder(path: str | PathLike[str], *, option: str = "--out") -> Path:
    """Raise before long work if ``path`` cannot be used as an output folder."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError(
            f"{option} '{p}' is a file, but this format writes a folder",
            file=p,
            fix=f"give a folder name, e.g. {option} {p.with_name(p.stem + '_export')}",
        )
    if p.is_dir():
        if not os.access(p, os.W_OK | os.X_OK):
            raise InputError(
                f"cannot write into the folder '{p}' (permission denied)",
                file=p,
                fix="choose a folder you can write to",
            )
        return p
    _check_parent(p, option)
    return p


def _check_parent(p: Path, option: str) -> None:
    parent = p.parent if str(p.parent) else Path(".")
    ancestor = parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        raise InputError(
            f"{option}: '{ancestor}' is a file, not a folder", file=p, fix="check the path"
        )
    if ancestor.exists() and not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write into the folder '{ancestor}' (permission denied)",
            file=p,
            fix="choose a folder you can write to",
        )


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
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
    file: _Source = None,
    layer: str | None = None,
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
            f"unknown {what} '{vals.iloc[i]}'",
            file=file,
            layer=layer,
            row=i + 1,
            field=column,
            fix=(
                f"use a {column} of the counties layer "
                f"({sample}{', ...' if len(known) > 12 else ''})"
            ),
        )
