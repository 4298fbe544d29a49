"""Draw result and project layers into matplotlib axes, in a metric map CRS.

Drawing order (bottom to top): the capacity-gap choropleth (or plain county
outlines for a project without a result), flows, facilities, labels.  One
:class:`DrawnLayers` records what was drawn — for the legend
(:mod:`wufei_gis.mapping.legend`) and for the labels, which are placed last by
:func:`place_map_labels` (:func:`wufei_gis.label_placement.place_text_labels`,
facilities before county names, none over a marker), after the axes limits
are final.

Symbols come from :mod:`wufei_gis.map_style`: the gap choropleth is classed
(:data:`GAP_CLASSES`) on the sequential :data:`~wufei_gis.map_style.GAP_CMAP`;
flow width grows with t/d; facility colour is the type, marker the status
(existing facilities) or the type (new sites, black outline); marker area is
proportional to capacity; sites left unused by the solution are drawn faded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..analysis import county_analysis_frame
from ..labels import label, unit_label
from ..map_style import (
    GAP_CMAP,
    LABEL_HALO,
    NEW_SITE_EDGE,
    STAGE_COLORS,
    STATUS_MARKERS,
    TYPE_MARKERS,
    capacity_marker_sizes,
    type_color,
)
from ..results import RunResult
from .decorations import font_family

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable
    from matplotlib.text import Annotation

    from ..project import Project

__all__ = [
    "GAP_CLASSES",
    "DrawnLayers",
    "LayerOptions",
    "MapLabel",
    "draw_project",
    "draw_result",
    "gap_classes",
    "place_map_labels",
    "short_name",
]

#: Class breaks of the unserved share (fractions): 0–5 %, 5–10 %, 10–25 %, 25–50 %, 50–100 %.
GAP_CLASSES = (0.0, 0.05, 0.10, 0.25, 0.50, 1.0)
_TPD_BREAKS = (0.0, 1.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0)
#: Label priorities: facilities before county names.
FACILITY_PRIORITY, COUNTY_PRIORITY = 2.0, 1.0
_NO_DATA = (0.85, 0.85, 0.85, 1.0)


@dataclass(frozen=True)
class LayerOptions:
    """What the layers show and in which language.

    Parameters
    ----------
    lang
        ``"zh"`` or ``"en"`` (county and facility names, legend words).
    font
        CJK font family (``None``: Latin names only).
    column
        Choropleth value: ``"unserved_share"`` (fraction) or ``"unserved_tpd"``.
    flows, labels
        Draw the flows; place the labels.
    label_size
        Font size (pt) of facility labels; county names are 1.5 pt larger.
    """

    lang: str = "zh"
    font: str | None = None
    column: str = "unserved_share"
    flows: bool = True
    labels: bool = True
    label_size: float = 6.5


@dataclass(frozen=True)
class MapLabel:
    """One label waiting to be placed: anchor in map metres, text, priority, area or point."""

    x: float
    y: float
    text: str
    priority: float
    area: bool


@dataclass
class DrawnLayers:
    """What :func:`draw_result` / :func:`draw_project` drew (for legend and labels)."""

    lang: str = "zh"
    types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    new_sites: bool = False
    unused_sites: bool = False
    stages: list[str] = field(default_factory=list)
    capacities: list[float] = field(default_factory=list)
    mappable: ScalarMappable | None = None
    colorbar_label: str = ""
    colorbar_ticks: list[tuple[float, str]] = field(default_factory=list)
    labels: list[MapLabel] = field(default_factory=list)
    markers: list[tuple[float, float]] = field(default_factory=list)
    bounds: tuple[float, float, float, float] | None = None


_PAREN = re.compile(r"\s*[（(][^）)]*[）)]")


def short_name(name: object) -> str:
    """Return a map label: the name without parenthesised remarks.

    >>> short_name("江川区分类转运站（140t/d）")
    '江川区分类转运站'
    """
    text = _PAREN.sub("", str(name)).strip()
    return text or str(name).strip()


def gap_classes(column: str, values: pd.Series | None = None) -> list[float]:
    """Return the class breaks of a gap ``column`` (t/d breaks cover ``values``' maximum)."""
    if column == "unserved_share":
        return list(GAP_CLASSES)
    top = float(pd.to_numeric(values, errors="coerce").max()) if values is not None else 0.0
    top = top if np.isfinite(top) else 0.0
    breaks = [b for b in _TPD_BREAKS if b < top] + [
        next((b for b in _TPD_BREAKS if b >= top and b > 0), _TPD_BREAKS[-1])
    ]
    return breaks if len(breaks) >= 2 else [0.0, 1.0]


def _class_label(value: float, column: str) -> str:
    return f"{value * 100:g} %" if column == "unserved_share" else f"{value:g}"


def _draw_choropleth(ax: Axes, gdf: gpd.GeoDataFrame, column: str, drawn: DrawnLayers) -> None:
    import matplotlib
    from matplotlib import cm
    from matplotlib.colors import BoundaryNorm

    values = pd.to_numeric(gdf[column], errors="coerce")
    bounds = gap_classes(column, values)
    cmap = matplotlib.colormaps[GAP_CMAP].resampled(len(bounds) - 1)
    norm = BoundaryNorm(bounds, cmap.N, clip=True)
    colours = [cmap(norm(v)) if pd.notna(v) else _NO_DATA for v in values]
    gdf.plot(ax=ax, color=colours, edgecolor="#555555", linewidth=0.6, zorder=1)
    drawn.mappable = cm.ScalarMappable(norm=norm, cmap=cmap)
    unit = "%" if column == "unserved_share" else unit_label("t/d", drawn.lang)
    key = "maps.gap_share" if column == "unserved_share" else "maps.gap_tpd"
    drawn.colorbar_label = label(key, drawn.lang, unit=unit)
    drawn.colorbar_ticks = [(b, _class_label(b, column)) for b in bounds]


def _county_labels(gdf: gpd.GeoDataFrame, opts: LayerOptions) -> list[MapLabel]:
    col = "name_zh" if opts.lang == "zh" and opts.font else "name_en"
    pts = gdf.geometry.representative_point()
    out = []
    for p, name, cid in zip(pts, gdf.get(col, gdf["county_id"]), gdf["county_id"], strict=True):
        text = str(name) if isinstance(name, str) and name.strip() else str(cid)
        out.append(MapLabel(float(p.x), float(p.y), text, COUNTY_PRIORITY, True))
    return out


def _draw_flows(ax: Axes, flows: gpd.GeoDataFrame, crs: Any, drawn: DrawnLayers) -> None:
    f = flows[flows.geometry.notna() & ~flows.geometry.is_empty]
    q = pd.to_numeric(f["tonnes_per_day"], errors="coerce").fillna(0.0)
    f = f[q > 0].to_crs(crs)
    if not len(f):
        return
    q = pd.to_numeric(f["tonnes_per_day"], errors="coerce").to_numpy(dtype=float)
    widths = 0.5 + 3.5 * q / max(float(q.max()), 1e-9)
    stage = f["stage"].astype(str) if "stage" in f else pd.Series("collection", index=f.index)
    colours = [STAGE_COLORS.get(s, "#555555") for s in stage]
    f.plot(ax=ax, color=colours, linewidth=widths, alpha=0.7, zorder=3)
    drawn.stages = [s for s in STAGE_COLORS if (stage == s).any()]


def _site_names(sites: gpd.GeoDataFrame, project: Project | None, opts: LayerOptions) -> list[str]:
    """Facility label text per site: short Chinese name, or English name / id."""
    en: dict[str, str] = {}
    if project is not None and "name_en" in project.facilities:
        ids = project.facilities["facility_id"].astype(str)
        en = dict(zip(ids, project.facilities["name_en"].fillna("").astype(str), strict=True))
    out = []
    for sid, zh in zip(
        sites["site_id"].astype(str), sites.get("name_zh", sites["site_id"]), strict=True
    ):
        if opts.lang == "zh" and opts.font and isinstance(zh, str) and zh.strip():
            out.append(short_name(zh))
        else:
            out.append(short_name(en.get(sid) or sid))
    return out


def _statuses(sites: gpd.GeoDataFrame, project: Project | None) -> pd.Series:
    if project is None or not len(project.facilities):
        return pd.Series("operating", index=sites.index)
    st = dict(
        zip(
            project.facilities["facility_id"].astype(str),
            project.facilities["status"].astype(str),
            strict=True,
        )
    )
    return sites["site_id"].astype(str).map(st).fillna("operating")


def _draw_points(
    ax: Axes, g: gpd.GeoDataFrame, *, sizes: np.ndarray, markers: pd.Series, style: dict[str, Any]
) -> None:
    """Scatter ``g`` grouped by marker and type colour with ``sizes`` (pt²)."""
    colours = g["type"].map(type_color)
    for m in markers.unique():
        sel = (markers == m).to_numpy()
        ax.scatter(
            g.geometry.x[sel],
            g.geometry.y[sel],
            s=sizes[sel],
            marker=m,
            c=list(colours[sel]),
            **style,
        )


def _draw_sites(
    ax: Axes,
    sites: gpd.GeoDataFrame,
    project: Project | None,
    drawn: DrawnLayers,
    opts: LayerOptions,
) -> None:
    if not len(sites):
        return
    cap = pd.to_numeric(sites["capacity_tpd"], errors="coerce").fillna(0.0)
    sizes = capacity_marker_sizes(cap.to_numpy())
    thr = pd.to_numeric(sites.get("throughput_tpd", cap), errors="coerce").fillna(0.0)
    new = sites["is_new"].astype(bool) if "is_new" in sites else pd.Series(False, sites.index)
    used = ((thr > 1e-9) | new).to_numpy()
    status = _statuses(sites, project)
    markers = pd.Series(
        [
            TYPE_MARKERS.get(t, "o") if n else STATUS_MARKERS.get(s, "o")
            for t, n, s in zip(sites["type"].astype(str), new, status, strict=True)
        ],
        index=sites.index,
    )
    base = {"zorder": 5, "linewidths": 0.7, "edgecolors": "white"}
    faded = ~used
    if faded.any():
        style = {**base, "alpha": 0.35, "zorder": 4}
        _draw_points(ax, sites[faded], sizes=sizes[faded], markers=markers[faded], style=style)
    old = used & ~new.to_numpy()
    _draw_points(ax, sites[old], sizes=sizes[old], markers=markers[old], style=base)
    isnew = new.to_numpy()
    style = {**base, "edgecolors": NEW_SITE_EDGE, "linewidths": 1.6, "zorder": 6}
    _draw_points(ax, sites[isnew], sizes=sizes[isnew], markers=markers[isnew], style=style)
    drawn.types = [t for t in dict.fromkeys(sites["type"].astype(str))]
    drawn.statuses = [s for s in STATUS_MARKERS if (status[~new] == s).any()]
    drawn.new_sites, drawn.unused_sites = bool(isnew.any()), bool(faded.any())
    drawn.capacities = cap.tolist()
    xy = list(zip(sites.geometry.x.tolist(), sites.geometry.y.tolist(), strict=True))
    drawn.markers += xy
    names = _site_names(sites, project, opts)
    drawn.labels += [
        MapLabel(x, y, n, FACILITY_PRIORITY + float(c) / 1e5, False)
        for (x, y), n, c, u in zip(xy, names, cap, used, strict=True)
        if u
    ]


def _frame_bounds(*frames: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    b = [np.asarray(f.total_bounds) for f in frames if len(f)]
    if not b:
        return None
    a = np.vstack(b)
    return (float(a[:, 0].min()), float(a[:, 1].min()), float(a[:, 2].max()), float(a[:, 3].max()))


def draw_result(
    ax: Axes,
    result: RunResult,
    crs: Any,
    *,
    project: Project | None = None,
    options: LayerOptions | None = None,
) -> DrawnLayers:
    """Draw a solved scenario: gap choropleth, flows, sites (labels: :func:`place_map_labels`).

    Parameters
    ----------
    ax
        Matplotlib axes; data units become metres of ``crs``.
    result
        The solved scenario.
    crs
        The map CRS (:func:`wufei_gis.mapping.crs.map_crs_for`).
    project
        For facility statuses and English names (optional).
    options
        :class:`LayerOptions`.
    """
    opts = options or LayerOptions()
    drawn = DrawnLayers(lang=opts.lang)
    gaps = county_analysis_frame(result, project=project).to_crs(crs)
    if len(gaps):
        _draw_choropleth(ax, gaps, opts.column, drawn)
        drawn.labels += _county_labels(gaps, opts)
    if opts.flows and len(result.flows):
        _draw_flows(ax, result.flows, crs, drawn)
    sites = result.proposed_sites.to_crs(crs) if len(result.proposed_sites) else gpd.GeoDataFrame()
    _draw_sites(ax, sites, project, drawn, opts)
    drawn.bounds = _frame_bounds(gaps, sites)
    return drawn


def draw_project(
    ax: Axes, project: Project, crs: Any, *, options: LayerOptions | None = None
) -> DrawnLayers:
    """Draw a project without results: county outlines and its facilities (by status)."""
    opts = options or LayerOptions()
    drawn = DrawnLayers(lang=opts.lang)
    counties = project.counties.to_crs(crs)
    if len(counties):
        counties.plot(ax=ax, facecolor="#f4f1ea", edgecolor="#555555", linewidth=0.6, zorder=1)
        drawn.labels += _county_labels(counties, opts)
    fac = project.facilities.to_crs(crs) if len(project.facilities) else gpd.GeoDataFrame()
    if len(fac):
        fac = fac.rename(columns={"facility_id": "site_id"})
        fac["is_new"] = False
        fac["throughput_tpd"] = pd.to_numeric(fac["capacity_tpd"], errors="coerce")
    _draw_sites(ax, fac, project, drawn, opts)
    drawn.bounds = _frame_bounds(counties, fac)
    return drawn


def place_map_labels(
    ax: Axes, drawn: DrawnLayers, *, options: LayerOptions | None = None
) -> list[Annotation | None]:
    """Place the labels of ``drawn`` (facilities, then counties) once the limits are final.

    Labels never overlap each other or a marker; those that do not fit are
    dropped (:func:`wufei_gis.label_placement.place_text_labels`).
    """
    from matplotlib import patheffects

    from ..label_placement import LabelOptions, place_text_labels

    opts = options or LayerOptions()
    if not opts.labels or not drawn.labels:
        return []
    items = drawn.labels
    sizes = [opts.label_size + (1.5 if m.area else 0.0) for m in items]
    renderer_bbox = ax.get_window_extent()
    lopts = LabelOptions(
        offset=2.0,
        leader_offset=18.0,
        bounds=(renderer_bbox.x0, renderer_bbox.y0, renderer_bbox.x1, renderer_bbox.y1),
        obstacle_radius=5.0 * ax.figure.dpi / 100.0,
    )
    halo = [patheffects.withStroke(linewidth=2.2, foreground=LABEL_HALO)]
    out: list[Annotation | None] = []
    # facility and county labels differ in size: facilities are placed first, and their
    # boxes become obstacles of the county pass (a grid of points covering each box)
    for prio_min, prio_max in ((FACILITY_PRIORITY, np.inf), (COUNTY_PRIORITY, FACILITY_PRIORITY)):
        sel = [i for i, m in enumerate(items) if prio_min <= m.priority < prio_max]
        if not sel:
            continue
        placed = [a for a in out if a is not None]
        obstacles = np.array(drawn.markers or np.zeros((0, 2)), dtype=float).reshape(-1, 2)
        extra = _label_boxes_as_obstacles(ax, placed)
        kw = {
            "fontsize": sizes[sel[0]],
            "fontfamily": font_family(opts.font),
            "color": "#222222" if items[sel[0]].area else "#000000",
            "zorder": 7,
            "annotation_clip": False,
        }
        anns = place_text_labels(
            ax,
            [(items[i].x, items[i].y) for i in sel],
            [items[i].text for i in sel],
            priority=[items[i].priority for i in sel],
            areas=[items[i].area for i in sel],
            obstacles=np.vstack([obstacles, extra]) if len(extra) else obstacles,
            options=lopts,
            text_kw=kw,
        )
        for a in anns:
            if a is not None:
                _add_halo(ax, a, halo)
        out += anns
    return out


def _add_halo(ax: Axes, ann: Annotation, effects: list[Any]) -> None:
    """Draw a white halo under ``ann`` as a separate outline copy.

    The label itself stays plain text (searchable in a PDF); matplotlib draws
    text with path effects as outlines, so only the halo copy gets them.
    """
    x, y = ann.xy
    ox, oy = ann.get_position()
    halo = ax.annotate(
        ann.get_text(),
        (x, y),
        xytext=(ox, oy),
        textcoords=ann.anncoords,
        ha=ann.get_horizontalalignment(),
        va=ann.get_verticalalignment(),
        fontsize=ann.get_fontsize(),
        fontfamily=ann.get_fontfamily(),
        color=LABEL_HALO,
        zorder=ann.get_zorder() - 0.1,
        path_effects=effects,
        annotation_clip=False,
    )
    halo.set_gid("label-halo")


def _label_boxes_as_obstacles(ax: Axes, placed: list[Annotation]) -> np.ndarray:
    """Data-coordinate points covering already placed labels (a grid inside each box)."""
    if not placed:
        return np.zeros((0, 2))
    from ..label_placement import _renderer

    r = _renderer(ax.figure)
    pts = []
    inv = ax.transData.inverted()
    for a in placed:
        b = a.get_window_extent(r)
        xs = np.arange(b.x0, b.x1 + 1, 6.0)
        ys = np.arange(b.y0, b.y1 + 1, 6.0)
        gx, gy = np.meshgrid(xs, ys)
        pts.append(inv.transform(np.column_stack([gx.ravel(), gy.ravel()])))
    return np.vstack(pts)
