"""Export a solved scenario to GeoPackage, GeoJSON, Shapefile, CSV or Excel.

See ``docs/exports.md`` for what each format contains.  In short, every
export holds the four result layers (``proposed_sites``, ``flows``,
``county_gaps``, ``run_summary``; plus the optional ``town_service``,
``station_catchments`` and ``region_coverage`` when the result has them) and the analysis tables of
:mod:`wufei_gis.analysis` (``county_analysis``, ``facility_analysis``,
``region_kpis``):

==========  ======  ==============================================================
format      out     contents
==========  ======  ==============================================================
``gpkg``    file    one layer per table (tables without geometry as attribute tables),
                    QGIS styles in ``layer_styles`` (:mod:`wufei_gis.qgis_styles`)
``geojson`` folder  one ``<layer>.geojson`` FeatureCollection per layer (tables: null
                    geometries), EPSG:4326
``shp``     folder  one Shapefile (``.shp .shx .dbf .prj .cpg``) per spatial layer, a
                    ``.dbf`` (+ ``.cpg``) per table, UTF-8, field names of at most 10
                    characters mapped by :data:`SHP_FIELD_NAMES` and listed in
                    ``fieldnames.csv``
``csv``     folder  one ``<layer>.csv`` per layer, UTF-8 **with BOM**; geometry as
                    degree columns (:func:`wufei_gis.sheets.geometry_columns`: points
                    ``lon, lat``; lines from/to; polygons centroid + ``area_km2``)
``xlsx``    file    one sheet per table, headers with units in English and Chinese,
                    numbers with Excel formats (shares ``0.0%``), the same degree
                    columns, frozen header, fitted widths (:mod:`wufei_gis.sheets`)
==========  ======  ==============================================================

Every file is written to a temporary name in the target folder and moved into
place with ``os.replace``, so a failed export never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import pyogrio

from .analysis import (
    KPI_FIELDS,
    column_label,
    county_analysis_frame,
    facility_analysis,
    region_kpis,
)
from .atomic import atomic_file, atomic_folder
from .errors import InputError
from .labels import label
from .qgis_styles import write_result_styles
from .results import ALL_RESULT_LAYERS, RunResult, read_results
from .sheets import UNIT_FORMATS, Sheet, geometry_columns, header, number_format, write_sheet

if TYPE_CHECKING:  # pragma: no cover
    from .project import Project

__all__ = [
    "EXPORT_FORMATS",
    "SHP_FIELD_NAMES",
    "export_result",
    "export_tables",
    "shapefile_field_names",
    "project_from_results_file",
]

logger = logging.getLogger(__name__)

#: ``format -> (description, file suffix or "" for a folder)``; the description is
#: the English ``export.format.<fmt>`` label of :mod:`wufei_gis.labels`.
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    fmt: (label(f"export.format.{fmt}", "en"), suffix)
    for fmt, suffix in (
        ("gpkg", ".gpkg"),
        ("geojson", ""),
        ("shp", ""),
        ("csv", ""),
        ("xlsx", ".xlsx"),
    )
}

#: The fixed Shapefile (dBASE) field names of every column longer than 10
#: characters.  Other long names are cut to 10 characters; a clash then gets
#: ``_1``, ``_2``... on the first 8 characters (see :func:`shapefile_field_names`).
SHP_FIELD_NAMES: dict[str, str] = {
    "capacity_tpd": "cap_tpd",
    "throughput_tpd": "thru_tpd",
    "utilization": "util",
    "tonnes_per_day": "tonnes_pd",
    "distance_km": "dist_km",
    "generation_tpd": "gen_tpd",
    "unserved_tpd": "unserv_tpd",
    "served_share": "served_shr",
    "unserved_share": "unserv_shr",
    "incineration_tpd": "incin_tpd",
    "landfill_tpd": "landf_tpd",
    "incineration_share": "incin_shr",
    "landfill_share": "landf_shr",
    "via_transfer_tpd": "via_ts_tpd",
    "mean_haul_km": "mean_haul",
    "max_haul_km": "max_haul",
    "counties_served": "counties",
    "transport_cost": "transp_c",
    "cost_method": "cost_meth",
    "incineration_target": "incin_tgt",
    "binding_capacity": "bind_cap",
    "binding_policy": "bind_pol",
    "label_en": "label_en",
    "label_zh": "label_zh",
    "facility_type": "fac_type",
}

_DBF_MAX_BYTES = 254


# --- inputs -----------------------------------------------------------------
def project_from_results_file(path: str | PathLike[str]) -> Project | None:
    """Return the project stored in a results GeoPackage, or ``None``.

    Results can be written into the project's own GeoPackage; then the
    project (names, targets, data sources) is read from the same file.
    """
    from .project import Project

    path = Path(path)
    try:
        layers = {str(n) for n, _ in pyogrio.list_layers(path)}
    except Exception:  # not a GeoPackage we can read: no project
        return None
    if not {"counties", "facilities", "generation"} <= layers:
        return None
    try:
        return Project.read(path)
    except InputError as err:
        logger.warning("results file %s has project layers that cannot be read: %s", path, err)
        return None


def _resolve(
    result: RunResult | str | PathLike[str], scenario: str | None, project: Project | None
) -> tuple[RunResult, Project | None]:
    if isinstance(result, RunResult):
        if scenario is not None and scenario != result.scenario:
            raise InputError(
                f"the result is of scenario '{result.scenario}', not '{scenario}'",
                fix="leave out the scenario, or pass the matching result",
            )
        return result, project
    path = Path(result)
    res = read_results(path, scenario)
    if project is None:
        project = project_from_results_file(path)
    return res, project


# --- tables ---------------------------------------------------------------------
def export_tables(result: RunResult, *, project: Project | None = None) -> dict[str, pd.DataFrame]:
    """Return every table an export holds, by layer name (result + analysis).

    ``region_kpis`` has one row per KPI: ``kpi, label_en, label_zh, unit,
    value`` (shares as fractions).
    """
    tables: dict[str, pd.DataFrame] = dict(result.layers())
    ca = county_analysis_frame(result, project=project)
    ca.insert(0, "scenario", result.scenario)
    fa = facility_analysis(result, project=project)
    fa.insert(0, "scenario", result.scenario)
    k = region_kpis(result, project=project).to_dict()
    kp = pd.DataFrame(
        [
            {
                "scenario": result.scenario,
                "kpi": key,
                "label_en": en,
                "label_zh": zh,
                "unit": unit,
                "value": k[key],
            }
            for key, (en, zh, unit) in KPI_FIELDS.items()
        ]
    )
    kp["value"] = pd.to_numeric(kp["value"], errors="coerce")
    tables["county_analysis"] = ca
    tables["facility_analysis"] = fa
    tables["region_kpis"] = kp
    return tables


def _is_spatial(df: pd.DataFrame) -> bool:
    return isinstance(df, gpd.GeoDataFrame) and "geometry" in df.columns


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with bools/objects made writable by OGR drivers."""
    out = df.copy()
    for c in out.columns:
        if c == "geometry":
            continue
        s = out[c]
        if s.dtype == object:
            if s.map(lambda v: isinstance(v, (list, dict, tuple))).any():
                out[c] = s.map(
                    lambda v: (
                        ", ".join(map(str, v))
                        if isinstance(v, (list, tuple))
                        else (str(v) if isinstance(v, dict) else v)
                    )
                )
            non_null = s.dropna()
            if len(non_null) and non_null.map(lambda v: isinstance(v, bool)).all():
                out[c] = s.astype("boolean")
    return out


def _atomic_folder(target: Path) -> contextlib.AbstractContextManager[Path]:
    """:func:`wufei_gis.atomic.atomic_folder`, refusing a file where the folder should be."""
    if target.exists() and not target.is_dir():
        raise InputError(
            "this format writes a folder, but a file of that name exists",
            file=target,
            fix="choose a folder name (it is created if missing)",
        )
    return atomic_folder(target)


# --- writers --------------------------------------------------------------------------
def _write_gpkg(tables: dict[str, pd.DataFrame], out: Path) -> None:
    with atomic_file(out, suffix=".gpkg") as tmp:
        for name, df in tables.items():
            gtype = ALL_RESULT_LAYERS.get(name, (None,))[0]
            if _is_spatial(df):
                gtype = gtype or ("MultiPolygon" if name == "county_analysis" else None)
                pyogrio.write_dataframe(
                    _plain(df),
                    tmp,
                    layer=name,
                    driver="GPKG",
                    geometry_type=gtype,
                    promote_to_multi=gtype == "MultiPolygon",
                )
            else:
                pyogrio.write_dataframe(_plain(pd.DataFrame(df)), tmp, layer=name, driver="GPKG")
        write_result_styles(tmp, tables)  # QGIS opens the layers with the app's styles


def _write_geojson(tables: dict[str, pd.DataFrame], out: Path) -> None:
    with _atomic_folder(out) as tmp:
        for name, df in tables.items():
            data = _plain(df) if _is_spatial(df) else _plain(pd.DataFrame(df))
            if _is_spatial(data):
                data = data.to_crs("EPSG:4326")
            pyogrio.write_dataframe(data, tmp / f"{name}.geojson", driver="GeoJSON", layer=name)


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Return the Shapefile field name (≤ 10 characters) of each column.

    Deterministic: names of at most 10 characters are kept; names in
    :data:`SHP_FIELD_NAMES` get their fixed short name; any other name is cut
    to 10 characters.  A name that would repeat an earlier one (in column
    order) becomes its first 8 characters + ``_1``, ``_2``...
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        if col == "geometry":
            continue
        short = col if len(col) <= 10 else SHP_FIELD_NAMES.get(col, col[:10])
        if short.lower() in used:
            i = 1
            while f"{col[:8]}_{i}".lower() in used:
                i += 1
            short = f"{col[:8]}_{i}"
        used.add(short.lower())
        out[col] = short
    return out


def _cut_bytes(v: object) -> object:
    if not isinstance(v, str):
        return v
    b = v.encode("utf-8")
    if len(b) <= _DBF_MAX_BYTES:
        return v
    return b[:_DBF_MAX_BYTES].decode("utf-8", errors="ignore")


def _write_shp(tables: dict[str, pd.DataFrame], out: Path) -> None:
    rows = []
    with _atomic_folder(out) as tmp:
        for name, df in tables.items():
            spatial = _is_spatial(df)
            data = _plain(df) if spatial else _plain(pd.DataFrame(df))
            mapping = shapefile_field_names(list(data.columns))
            for col in data.columns:
                if col != "geometry" and data[col].dtype == object:
                    data[col] = data[col].map(_cut_bytes)
            data = data.rename(columns=mapping)
            suffix = ".shp" if spatial else ".dbf"
            gtype = ALL_RESULT_LAYERS.get(name, (None,))[0] if spatial else None
            if spatial and name == "county_analysis":
                gtype = "MultiPolygon"
            pyogrio.write_dataframe(
                data,
                tmp / f"{name}{suffix}",
                driver="ESRI Shapefile",
                encoding="UTF-8",
                geometry_type=gtype,
                promote_to_multi=gtype == "MultiPolygon",
            )
            rows += [
                {
                    "layer": name,
                    "file": f"{name}{suffix}",
                    "field": col,
                    "shp_field": short,
                    "label": column_label(col),
                }
                for col, short in mapping.items()
            ]
        pd.DataFrame(rows, columns=["layer", "file", "field", "shp_field", "label"]).to_csv(
            tmp / "fieldnames.csv", index=False, encoding="utf-8-sig"
        )


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its geometry as degree columns (:func:`.sheets.geometry_columns`)."""
    if not _is_spatial(df):
        return _plain(pd.DataFrame(df))
    plain = _plain(pd.DataFrame(df.drop(columns="geometry")))
    return pd.concat([plain, geometry_columns(df)], axis=1)


def _write_csv(tables: dict[str, pd.DataFrame], out: Path) -> None:
    with _atomic_folder(out) as tmp:
        for name, df in tables.items():
            _csv_frame(df).to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")


_SHEETS = [
    "region_kpis",
    "county_analysis",
    "facility_analysis",
    "proposed_sites",
    "flows",
    "county_gaps",
    "run_summary",
    "town_service",
    "region_coverage",
]


def _table_sheet(df: pd.DataFrame) -> Sheet:
    data = _csv_frame(df)
    return Sheet(
        rows=[[_cell(v) for v in row] for row in data.itertuples(index=False)],
        headers=[header(str(c)) for c in data.columns],
        formats=[number_format(str(c), data[c]) for c in data.columns],
    )


def _kpi_sheet(df: pd.DataFrame, scenario: str) -> Sheet:
    data = df[["kpi", "label_en", "label_zh", "unit", "value"]]
    value_formats = [UNIT_FORMATS.get(str(u), "#,##0.00") for u in data["unit"]]
    return Sheet(
        rows=[[_cell(v) for v in row] for row in data.itertuples(index=False)],
        headers=[
            column_label("kpi"),
            label("export.kpi_label_en", "en"),
            label("export.kpi_label_zh", "zh"),
            column_label("unit"),
            f"{label('export.kpi_value', 'en')}: {scenario} / {label('export.kpi_value', 'zh')}",
        ],
        formats=[None, None, None, None, value_formats],
    )


def _parameter_sheet(project: Project, scenario: str) -> Sheet:
    params = project.scenarios[scenario].to_dict()
    return Sheet(
        rows=[[k, str(v) if isinstance(v, (list, dict)) else _cell(v)] for k, v in params.items()],
        headers=["parameter", "value"],
    )


def _write_xlsx(
    tables: dict[str, pd.DataFrame], out: Path, project: Project | None, scenario: str
) -> None:
    """One sheet per table: numbers with formats by unit, lon/lat columns, frozen header."""
    from openpyxl import Workbook

    sheets = {
        n: _kpi_sheet(tables[n], scenario) if n == "region_kpis" else _table_sheet(tables[n])
        for n in _SHEETS
        if n in tables
    }
    if project is not None and scenario in project.scenarios:
        sheets["parameters"] = _parameter_sheet(project, scenario)
    wb = Workbook()
    wb.remove(wb.active)
    for name, sheet in sheets.items():
        write_sheet(wb.create_sheet(name[:31]), sheet)
    with atomic_file(out, suffix=".xlsx") as tmp:
        wb.save(tmp)


def _cell(v: object) -> object:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


_WRITERS: dict[str, Callable[..., None]] = {
    "gpkg": _write_gpkg,
    "geojson": _write_geojson,
    "shp": _write_shp,
    "csv": _write_csv,
}


def export_result(
    result: RunResult | str | PathLike[str],
    fmt: str,
    out: str | PathLike[str],
    *,
    scenario: str | None = None,
    project: Project | None = None,
) -> Path:
    """Export a solved scenario with its analysis tables.

    Parameters
    ----------
    result
        A :class:`RunResult`, or a results GeoPackage (then ``scenario`` picks
        the scenario; default the last one written).
    fmt
        ``{"gpkg", "geojson", "shp", "csv", "xlsx"}`` (see the module docstring).
    out
        A file for ``gpkg``/``xlsx``; a folder (created if missing) for
        ``geojson``/``shp``/``csv``.  Existing files of the same names are replaced.
    scenario
        Scenario to export from a results file.
    project
        Optional project for names, targets and the parameter sheet; read from
        the results file when that file is a project GeoPackage.

    Returns
    -------
    Path
        The file or folder written.
    """
    fmt = str(fmt).lower().lstrip(".")
    if fmt == "geopackage":
        fmt = "gpkg"
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"unknown export format '{fmt}'", fix=f"use one of {', '.join(EXPORT_FORMATS)}"
        )
    res, project = _resolve(result, scenario, project)
    out = Path(out)
    tables = export_tables(res, project=project)
    if fmt == "xlsx":
        _write_xlsx(tables, out, project, res.scenario)
    else:
        _WRITERS[fmt](tables, out)
    logger.info("exported scenario %s as %s to %s", res.scenario, fmt, out)
    return out


#: The file suffixes :func:`export_rows` writes.
ROW_FORMATS = ("gpkg", "csv", "xlsx")


def export_rows(
    result: RunResult,
    layer: str,
    rows: list[int],
    out: str | PathLike[str],
    *,
    project: Project | None = None,
) -> Path:
    """Write the selected ``rows`` of one result layer to one file.

    Parameters
    ----------
    result
        The solved scenario.
    layer
        ``{"proposed_sites", "flows", "county_gaps"}``.
    rows
        0-based rows of that layer (order and repeats do not matter).
    out
        A ``.gpkg``, ``.csv`` (UTF-8 with BOM; points as ``lon, lat``, other
        geometries as ``wkt``) or ``.xlsx`` file; the suffix picks the format.
    project
        Optional project for the Excel parameter sheet.

    Returns
    -------
    Path
        The file written (atomically, like every export).
    """
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ROW_FORMATS:
        raise InputError(
            f"cannot export rows as '{out.suffix or out.name}'",
            file=out,
            fix=f"use a file ending in {', '.join('.' + f for f in ROW_FORMATS)}",
        )
    if layer not in ALL_RESULT_LAYERS or ALL_RESULT_LAYERS[layer][0] is None:
        spatial = [n for n, (g, _) in ALL_RESULT_LAYERS.items() if g is not None]
        raise InputError(f"'{layer}' is not a result layer", fix=f"use one of {spatial}")
    frame = getattr(result, layer)
    if frame is None:
        raise InputError(
            f"scenario '{result.scenario}' has no '{layer}' layer (a county-level scenario)",
            layer=layer,
            fix="solve the scenario with demand_level=town",
        )
    bad = [r for r in rows if not 0 <= r < len(frame)]
    if bad or not rows:
        raise InputError(
            "no rows selected" if not rows else f"rows {bad} are not in '{layer}'",
            layer=layer,
            fix="select rows of the table first",
        )
    tables = {layer: frame.iloc[sorted(set(rows))].reset_index(drop=True)}
    if fmt == "gpkg":
        _write_gpkg(tables, out)
    elif fmt == "xlsx":
        _write_xlsx(tables, out, project, result.scenario)
    else:
        with atomic_file(out, suffix=".csv") as tmp:
            _csv_frame(tables[layer]).to_csv(tmp, index=False, encoding="utf-8-sig")
    logger.info("exported %d rows of %s (%s) to %s", len(tables[layer]), layer, fmt, out)
    return out
