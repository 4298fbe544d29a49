"""QGIS styles for the result layers, stored in a GeoPackage's ``layer_styles`` table.

A GeoPackage written by wufei-gis carries, for each styled layer, one default
QGIS style (a QML document), so that an engineer who opens the file in QGIS
sees the app's map instead of random colours:

=================================  ====================================================
layer                              style
=================================  ====================================================
``county_gaps``                    graduated fill on the unserved share of generation
                                   (``unserved_tpd / generation_tpd``, the app's gap
                                   choropleth), 5 ColorBrewer *OrRd* classes, equal
                                   intervals from 0 to the data's largest share
``county_analysis``                the same, on its ``unserved_share`` column
``flows``                          line colour by ``stage`` (collection / transfer),
                                   width by ``tonnes_per_day`` (data-defined, ∝ √t)
``proposed_sites``, ``facilities`` marker colour by ``type`` (the app's colours); shape by
                                   status (``facilities``: ``status``; proposed sites:
                                   star = new, circle = existing); proposed sites sized
                                   by ``capacity_tpd``
=================================  ====================================================

Polygons and points are labelled with ``name_zh`` in *Noto Sans CJK SC* (the font
wufei-gis draws with; QGIS falls back to another CJK font where it is not installed).
Legend entries are bilingual (``焚烧厂 / Incinerator``).

The table and the QML follow what QGIS itself writes and reads:

* ``layer_styles`` has the columns QGIS creates in ``QgsOgrUtils::saveStyle``
  (qgis/QGIS ``src/core/qgsogrutils.cpp``): ``id, f_table_catalog, f_table_schema,
  f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault,
  description, owner, ui, update_time``; QGIS loads the row with ``useAsDefault = 1``,
  ``f_table_schema = ''`` and the layer's table and geometry column names.  It is
  registered in ``gpkg_contents`` as an ``attributes`` table, as GDAL does for
  QGIS, so GDAL lists it as a layer without warnings.
* The QML documents have the shape of styles saved by QGIS 3.22
  (e.g. ``data/collocated_style_gpkg.qml`` in the public repository
  AdianDawuda/collocated-EnMAP-Sentinel-5P: ``<renderer-v2 type="graduatedSymbol"
  attr=... graduatedMethod="GraduatedColor">`` with ``<ranges>`` and ``<symbols>``,
  symbol layers carrying both an ``<Option type="Map">`` and the older ``<prop>``
  elements); data-defined symbol properties (``size``, ``name``, ``outlineWidth``)
  are ``<data_defined_properties>`` collections of expression properties (``type`` 3)
  as in QGIS 3 saved styles; labels are ``<labeling type="simple">`` with a
  ``<text-style fieldName=... isExpression="0">``.

This module imports no Qt and needs no QGIS: the documents are plain XML built with
:mod:`xml.etree.ElementTree`; the table is written with :mod:`sqlite3` inside a
:func:`wufei_gis.storage.transaction`.

Size: this module is over 500 lines (about 640) because a QML symbol is spelled out
property by property (fill, line, marker, label settings, one per line as formatted)
next to the renderers and the table that stores them: one format, one place.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from . import storage
from .fonts import CJK_FONTS
from .labels import LABELS, label
from .map_style import STAGE_COLORS, TYPE_COLORS

__all__ = [
    "GAP_COLORS",
    "LABEL_FONT",
    "STAGE_COLORS",
    "STATUS_MARKERS",
    "STYLE_NAME",
    "TYPE_COLORS",
    "LayerStyle",
    "gap_breaks",
    "gap_qml",
    "flows_qml",
    "sites_qml",
    "result_styles",
    "write_layer_styles",
    "write_result_styles",
    "read_layer_styles",
]

logger = logging.getLogger(__name__)

#: QGIS ``SimpleMarker`` shape of each facility status (the desktop map's markers).
STATUS_MARKERS: dict[str, str] = {
    "operating": "circle",
    "under_construction": "diamond",
    "planned": "square",
    "closed": "cross2",
}
#: ColorBrewer OrRd, 5 classes (light = small gap), the app's gap colour map.
GAP_COLORS = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
#: Label font of the styles (the CJK font wufei-gis installs and draws with).
LABEL_FONT = CJK_FONTS[0]
#: ``styleName`` of the styles wufei-gis writes (rows of other names are kept).
STYLE_NAME = "wufei-gis"

_QGIS_VERSION = "3.22.0"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
_OTHER = "#7f7f7f"
_UNIT_SCALE = "3x:0,0,0,0,0,0"
_SHARE_EXPR = 'CASE WHEN "generation_tpd" > 0 THEN "unserved_tpd" / "generation_tpd" ELSE 0 END'


@dataclass(frozen=True)
class LayerStyle:
    """One QGIS style of one GeoPackage layer.

    Parameters
    ----------
    layer
        The feature table the style is for.
    qml
        The QML document (QGIS 3 ``<qgis>`` XML).
    name
        ``styleName`` in ``layer_styles``.
    description
        Free text shown by QGIS in its style manager.
    """

    layer: str
    qml: str
    name: str = STYLE_NAME
    description: str = field(default="wufei-gis: the desktop app's map style")


# --- colours, labels ------------------------------------------------------------------------
def _rgba(hex_color: str, alpha: int = 255) -> str:
    h = hex_color.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha}"


def _both(key: str) -> str:
    """``"焚烧厂 / Incinerator"`` for a label key; the key's last part when unknown."""
    if key not in LABELS:
        return key.rsplit(".", 1)[-1]
    return f"{label(key, 'zh')} / {label(key, 'en')}"


def _num(v: float) -> str:
    return f"{v:.15g}"


# --- XML building blocks ----------------------------------------------------------------------
def _option_map(parent: ET.Element, props: Mapping[str, str], *, name: str | None = None) -> None:
    m = ET.SubElement(parent, "Option", {"type": "Map", **({"name": name} if name else {})})
    for k, v in props.items():
        ET.SubElement(m, "Option", {"type": "QString", "name": k, "value": v})


def _data_defined(parent: ET.Element, expressions: Mapping[str, str]) -> None:
    """``<data_defined_properties>``: one active expression property per name."""
    dd = ET.SubElement(parent, "data_defined_properties")
    top = ET.SubElement(dd, "Option", {"type": "Map"})
    ET.SubElement(top, "Option", {"type": "QString", "name": "name", "value": ""})
    props = ET.SubElement(top, "Option", {"type": "Map", "name": "properties"})
    for prop, expr in expressions.items():
        p = ET.SubElement(props, "Option", {"type": "Map", "name": prop})
        ET.SubElement(p, "Option", {"type": "bool", "name": "active", "value": "true"})
        ET.SubElement(p, "Option", {"type": "QString", "name": "expression", "value": expr})
        ET.SubElement(p, "Option", {"type": "int", "name": "type", "value": "3"})
    ET.SubElement(top, "Option", {"type": "QString", "name": "type", "value": "collection"})


@dataclass(frozen=True)
class _Layer:
    """One symbol layer: its class, properties and data-defined expressions."""

    cls: str
    props: Mapping[str, str]
    expressions: Mapping[str, str] = field(default_factory=dict)


def _symbol(name: str, kind: str, layer: _Layer, *, alpha: float = 1.0) -> ET.Element:
    sym = ET.Element(
        "symbol",
        {
            "type": kind,
            "name": name,
            "alpha": _num(alpha),
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    _data_defined(sym, {})
    el = ET.SubElement(
        sym, "layer", {"class": layer.cls, "enabled": "1", "locked": "0", "pass": "0"}
    )
    _option_map(el, layer.props)
    for k, v in layer.props.items():  # the pre-3.26 form, which QGIS still reads
        ET.SubElement(el, "prop", {"k": k, "v": v})
    _data_defined(el, layer.expressions)
    return sym


def _fill(color: str) -> _Layer:
    return _Layer(
        "SimpleFill",
        {
            "color": _rgba(color, 217),
            "style": "solid",
            "outline_color": _rgba("#8a8a8a"),
            "outline_style": "solid",
            "outline_width": "0.26",
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
            "offset": "0,0",
            "offset_unit": "MM",
            "offset_map_unit_scale": _UNIT_SCALE,
            "border_width_map_unit_scale": _UNIT_SCALE,
        },
    )


def _line(color: str, width_expr: str) -> _Layer:
    return _Layer(
        "SimpleLine",
        {
            "line_color": _rgba(color, 204),
            "line_style": "solid",
            "line_width": "0.5",
            "line_width_unit": "MM",
            "capstyle": "round",
            "joinstyle": "round",
            "offset": "0",
            "offset_unit": "MM",
            "width_map_unit_scale": _UNIT_SCALE,
        },
        {"outlineWidth": width_expr},
    )


def _marker(color: str, expressions: Mapping[str, str]) -> _Layer:
    return _Layer(
        "SimpleMarker",
        {
            "name": "circle",
            "color": _rgba(color, 230),
            "outline_color": _rgba("#222222"),
            "outline_style": "solid",
            "outline_width": "0.2",
            "outline_width_unit": "MM",
            "size": "3",
            "size_unit": "MM",
            "scale_method": "diameter",
            "angle": "0",
            "offset": "0,0",
            "offset_unit": "MM",
            "size_map_unit_scale": _UNIT_SCALE,
        },
        expressions,
    )


def _renderer(kind: str, attrs: Mapping[str, str]) -> ET.Element:
    return ET.Element(
        "renderer-v2",
        {"type": kind, **attrs, "symbollevels": "0", "forceraster": "0", "enableorderby": "0"},
    )


def _categorized(
    attr: str, items: Sequence[tuple[str, str, ET.Element]], default: ET.Element
) -> ET.Element:
    """A ``categorizedSymbol`` renderer; ``items`` are ``(value, legend label, symbol)``.

    ``default`` is the symbol of the "all other values" category (empty value).
    """
    r = _renderer("categorizedSymbol", {"attr": attr})
    cats, syms = ET.SubElement(r, "categories"), ET.SubElement(r, "symbols")
    for i, (value, text, sym) in enumerate([*items, ("", "", default)]):
        ET.SubElement(
            cats, "category", {"render": "true", "symbol": str(i), "value": value, "label": text}
        )
        sym.set("name", str(i))
        syms.append(sym)
    return r


def _labeling(field_name: str, *, polygon: bool) -> ET.Element:
    """Simple labels of ``field_name`` in :data:`LABEL_FONT` with a white halo."""
    lab = ET.Element("labeling", {"type": "simple"})
    settings = ET.SubElement(lab, "settings", {"calloutType": "simple"})
    style = ET.SubElement(
        settings,
        "text-style",
        {
            "fontFamily": LABEL_FONT,
            "namedStyle": "Regular",
            "fieldName": field_name,
            "isExpression": "0",
            "fontSize": "9",
            "fontSizeUnit": "Point",
            "fontWeight": "50",
            "fontItalic": "0",
            "textColor": _rgba("#222222"),
            "textOpacity": "1",
            "multilineHeight": "1",
        },
    )
    ET.SubElement(
        style,
        "text-buffer",
        {
            "bufferDraw": "1",
            "bufferSize": "0.8",
            "bufferSizeUnits": "MM",
            "bufferColor": _rgba("#ffffff"),
            "bufferOpacity": "1",
            "bufferNoFill": "1",
        },
    )
    placement = (
        {"placement": "1", "centroidInside": "1", "layerType": "PolygonGeometry"}
        if polygon
        else {"placement": "0", "dist": "1.5", "distUnits": "MM", "layerType": "PointGeometry"}
    )
    ET.SubElement(settings, "placement", placement)
    ET.SubElement(settings, "rendering", {"drawLabels": "1", "obstacle": "1"})
    return lab


def _document(renderer: ET.Element, labeling: ET.Element | None) -> str:
    root = ET.Element(
        "qgis",
        {
            "version": _QGIS_VERSION,
            "styleCategories": "Symbology|Labeling",
            "labelsEnabled": "1" if labeling is not None else "0",
        },
    )
    root.append(renderer)
    if labeling is not None:
        root.append(labeling)
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerOpacity").text = "1"
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


# --- the layer styles -------------------------------------------------------------------------
def gap_breaks(shares: Iterable[float], n: int = len(GAP_COLORS)) -> list[float]:
    """Return ``n + 1`` class breaks for unserved shares: equal steps from 0 to the top.

    The top is the largest finite share rounded up to a multiple of 5 %, at most
    100 %; with no gap at all (or no data) the classes cover 0–100 %.

    >>> gap_breaks([0.0, 0.12, 0.33])
    [0.0, 0.07, 0.14, 0.21, 0.28, 0.35]
    """
    values = np.asarray([float(v) for v in shares], dtype=float)
    values = values[np.isfinite(values)]
    top = float(values.max()) if len(values) else 0.0
    top = 1.0 if top <= 0 else min(1.0, math.ceil(round(top * 20, 9)) / 20)
    return [round(top * i / n, 10) for i in range(n + 1)]


def gap_qml(shares: Iterable[float], *, attr: str = _SHARE_EXPR, label_field: str | None) -> str:
    """Return the graduated gap-choropleth QML over ``attr`` (a field or an expression).

    Parameters
    ----------
    shares
        The unserved shares in the data (fractions), for the class breaks
        (:func:`gap_breaks`).
    attr
        The classified value: a field name (``unserved_share``) or a QGIS
        expression (the default computes the share from ``unserved_tpd`` and
        ``generation_tpd``).
    label_field
        Field to label the polygons with, or ``None``.
    """
    breaks = gap_breaks(shares)  # the last class is open up to 100 %
    r = _renderer("graduatedSymbol", {"attr": attr, "graduatedMethod": "GraduatedColor"})
    ranges, syms = ET.SubElement(r, "ranges"), ET.SubElement(r, "symbols")
    for i, color in enumerate(GAP_COLORS):
        lo, hi = breaks[i], breaks[i + 1]
        if i == len(GAP_COLORS) - 1:
            hi = 1.0  # shares of other scenarios in the file may exceed this one's top
        text = f"{100 * lo:.0f}–{100 * hi:.0f} %"
        ET.SubElement(
            ranges,
            "range",
            {
                "render": "true",
                "symbol": str(i),
                "lower": _num(lo),
                "upper": _num(hi),
                "label": text,
            },
        )
        syms.append(_symbol(str(i), "fill", _fill(color)))
    method = ET.SubElement(r, "classificationMethod", {"id": "EqualInterval"})
    ET.SubElement(method, "labelFormat", {"format": "%1 - %2", "labelprecision": "2"})
    lab = _labeling(label_field, polygon=True) if label_field else None
    return _document(r, lab)


def _column_max(frame: pd.DataFrame, column: str) -> float:
    if column not in frame.columns:
        return 1.0
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    top = float(values.max()) if len(values) else 0.0
    return top if top > 0 else 1.0


def flows_qml(frame: pd.DataFrame) -> str:
    """Return the flows QML: colour by ``stage``, width ∝ √``tonnes_per_day`` (0.3–2.3 mm)."""
    tmax = _column_max(frame, "tonnes_per_day")
    width = f'0.3 + 2.0 * sqrt(max(coalesce("tonnes_per_day", 0), 0) / {_num(tmax)})'
    if "stage" in frame.columns:
        items = [
            (stage, _both(f"legend.flow_{stage}"), _symbol("", "line", _line(color, width)))
            for stage, color in STAGE_COLORS.items()
        ]
        r = _categorized(
            "stage", items, _symbol("", "line", _line(STAGE_COLORS["collection"], width))
        )
    else:
        r = _renderer("singleSymbol", {})
        ET.SubElement(r, "symbols").append(
            _symbol("0", "line", _line(STAGE_COLORS["collection"], width))
        )
    return _document(r, None)


def _shape_expression(frame: pd.DataFrame) -> str | None:
    """The data-defined marker shape: by ``status`` (facilities) or ``is_new`` (sites)."""
    if "status" in frame.columns:
        cases = " ".join(f"WHEN \"status\" = '{s}' THEN '{m}'" for s, m in STATUS_MARKERS.items())
        return f"CASE {cases} ELSE 'circle' END"  # QGIS has no simple CASE form
    if "is_new" in frame.columns:
        return "CASE WHEN \"is_new\" THEN 'star' ELSE 'circle' END"
    return None


def sites_qml(frame: pd.DataFrame, *, label_field: str | None = "name_zh") -> str:
    """Return the sites/facilities QML: colour by ``type``, shape by status, size by capacity.

    Parameters
    ----------
    frame
        ``proposed_sites`` (shape: star = new) or ``facilities`` (shape by
        ``status``: see :data:`STATUS_MARKERS`).
    label_field
        Field to label the points with when the frame has it, else no labels.
    """
    expressions: dict[str, str] = {}
    shape = _shape_expression(frame)
    if shape is not None:
        expressions["name"] = shape
    if "capacity_tpd" in frame.columns and "is_new" in frame.columns:
        cmax = _num(_column_max(frame, "capacity_tpd"))
        expressions["size"] = f'1.6 + 4.0 * sqrt(max(coalesce("capacity_tpd", 0), 0) / {cmax})'
    items = [
        (t, _both(f"type.{t}"), _symbol("", "marker", _marker(color, expressions)))
        for t, color in TYPE_COLORS.items()
    ]
    r = _categorized("type", items, _symbol("", "marker", _marker(_OTHER, expressions)))
    if label_field is None or label_field not in frame.columns:
        return _document(r, None)
    return _document(r, _labeling(label_field, polygon=False))


def _share(frame: pd.DataFrame) -> pd.Series:
    if "unserved_share" in frame.columns:
        return pd.to_numeric(frame["unserved_share"], errors="coerce")
    gen = pd.to_numeric(frame.get("generation_tpd"), errors="coerce")
    gap = pd.to_numeric(frame.get("unserved_tpd"), errors="coerce")
    return (gap / gen.where(gen > 0)).fillna(0.0)


def _gap_style(name: str, frame: pd.DataFrame) -> LayerStyle | None:
    if "unserved_share" in frame.columns:
        attr = "unserved_share"
    elif {"unserved_tpd", "generation_tpd"} <= set(frame.columns):
        attr = _SHARE_EXPR
    else:
        return None
    label_field = "name_zh" if "name_zh" in frame.columns else None
    return LayerStyle(name, gap_qml(_share(frame), attr=attr, label_field=label_field))


def result_styles(tables: Mapping[str, pd.DataFrame]) -> list[LayerStyle]:
    """Return the styles of the styled layers among ``tables`` (see the module docstring).

    Parameters
    ----------
    tables
        ``{layer name: frame}``, e.g. a result's layers or an export's tables;
        layers this module has no style for (tables, networks...) are skipped.
    """
    out: list[LayerStyle] = []
    for name, frame in tables.items():
        if name in ("county_gaps", "county_analysis"):
            style = _gap_style(name, frame)
            if style is not None:
                out.append(style)
        elif name == "flows":
            out.append(LayerStyle(name, flows_qml(frame)))
        elif name in ("proposed_sites", "facilities") and "type" in frame.columns:
            out.append(LayerStyle(name, sites_qml(frame)))
    return out


# --- the layer_styles table -------------------------------------------------------------------
_CREATE = """CREATE TABLE IF NOT EXISTS "layer_styles" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "f_table_catalog" TEXT(256),
    "f_table_schema" TEXT(256),
    "f_table_name" TEXT(256),
    "f_geometry_column" TEXT(256),
    "styleName" TEXT(30),
    "styleQML" TEXT,
    "styleSLD" TEXT,
    "useAsDefault" BOOLEAN,
    "description" TEXT,
    "owner" TEXT(30),
    "ui" TEXT(30),
    "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
)"""


def _ensure_table(con: sqlite3.Connection) -> None:
    con.execute(_CREATE)
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
        "SELECT 'layer_styles', 'attributes', 'layer_styles', '', 0 WHERE NOT EXISTS "
        "(SELECT 1 FROM gpkg_contents WHERE lower(table_name) = 'layer_styles')"
    )


def _geometry_columns(con: sqlite3.Connection) -> dict[str, str]:
    rows = con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
    return {str(t): str(c) for t, c in rows}


def _write_style(con: sqlite3.Connection, style: LayerStyle, geom: str) -> None:
    where = "f_table_schema = '' AND f_table_name = ? AND f_geometry_column = ?"
    con.execute(
        f"DELETE FROM layer_styles WHERE {where} AND styleName = ?", (style.layer, geom, style.name)
    )
    con.execute(f"UPDATE layer_styles SET useAsDefault = 0 WHERE {where}", (style.layer, geom))
    con.execute(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
        "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
        "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL)",
        (style.layer, geom, style.name, style.qml, style.description),
    )


def write_layer_styles(gpkg_path: str | PathLike[str], styles: Iterable[LayerStyle]) -> Path:
    """Store ``styles`` in the GeoPackage's ``layer_styles`` table, each as its layer's default.

    Creates the table (and its ``gpkg_contents`` row, data type ``attributes``)
    when missing.  A style replaces an earlier style of the same layer and name;
    other styles of the layer (e.g. saved by a user in QGIS) are kept but are no
    longer the default.  Styles of layers that are not feature tables of the file
    are skipped.  One transaction (:func:`wufei_gis.storage.transaction`).

    Parameters
    ----------
    gpkg_path
        An existing GeoPackage.
    styles
        The styles to write (see :func:`result_styles`).

    Returns
    -------
    Path
        ``gpkg_path``.
    """
    path = Path(gpkg_path)
    styles = list(styles)
    if not styles:
        return path
    with storage.transaction(path) as con:
        geoms = _geometry_columns(con)
        _ensure_table(con)
        for style in styles:
            if style.layer not in geoms:
                logger.debug("no feature table %s in %s: style skipped", style.layer, path)
                continue
            _write_style(con, style, geoms[style.layer])
        con.execute(
            "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
            "WHERE lower(table_name) = 'layer_styles'"
        )
    return path


def write_result_styles(gpkg_path: str | PathLike[str], tables: Mapping[str, pd.DataFrame]) -> Path:
    """Write the styles of ``tables`` (:func:`result_styles`) into a GeoPackage.

    When the file is a project holding a ``facilities`` layer not among
    ``tables``, that layer is styled too (its style needs only its field names).
    """
    path = Path(gpkg_path)
    frames = dict(tables)
    if "facilities" not in frames:
        frames.update(_facilities_fields(path))
    return write_layer_styles(path, result_styles(frames))


def _facilities_fields(path: Path) -> dict[str, pd.DataFrame]:
    if "facilities" not in {str(n) for n, _ in pyogrio.list_layers(path)}:
        return {}  # a results file or an export: nothing more to style
    info = pyogrio.read_info(path, layer="facilities")
    return {"facilities": pd.DataFrame(columns=[str(f) for f in info["fields"]])}


def read_layer_styles(gpkg_path: str | PathLike[str]) -> pd.DataFrame:
    """Return the rows of a GeoPackage's ``layer_styles`` table (empty when there is none)."""
    columns = ["f_table_name", "f_geometry_column", "styleName", "useAsDefault", "styleQML"]
    path = Path(gpkg_path)
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    con = sqlite3.connect(path)
    try:
        if not storage.table_exists(con, "layer_styles"):
            return pd.DataFrame(columns=columns)
        return pd.read_sql_query(f"SELECT {', '.join(columns)} FROM layer_styles ORDER BY id", con)
    finally:
        con.close()
