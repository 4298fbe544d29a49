"""Maps of the PDF report and the comparison window (matplotlib; no Qt).

:func:`plot_gap_map` and :func:`plot_difference_map` draw into any matplotlib
axes (the desktop comparison window uses them too); :func:`gap_maps_png` and
:func:`difference_map_png` draw the report's map figures (maps on one shared
colour scale with their colour bar) and return them as PNG images for the page
layout.  How a map is drawn (CRS, font, language, labels, sites, scale bar and
north arrow) is one :class:`MapStyle`, taken by all four.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..analysis import county_analysis_frame, shared_color_limits
from ..formatting import format_bare as fmt
from ..projection import metric_crs_for
from ..results import RunResult
from .text import TEXT, strip_cjk

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.figure import Figure
    from pyproj import CRS

__all__ = [
    "DIFF_CMAP",
    "GAP_CMAP",
    "MapStyle",
    "add_north_arrow",
    "add_scale_bar",
    "difference_map_png",
    "gap_maps_png",
    "map_crs",
    "plot_difference_map",
    "plot_gap_map",
]

GAP_CMAP = "OrRd"
DIFF_CMAP = "RdBu_r"
_LATIN = "DejaVu Sans"
#: Resolution of the map images in the PDF (dots per inch).
MAP_DPI = 200

_SITE_STYLE = {
    "incinerator": ("^", "#d62728"),
    "landfill": ("s", "#8c564b"),
    "transfer_station": ("o", "#1f77b4"),
}


@dataclass(frozen=True)
class MapStyle:
    """How a map is drawn (shared by the report and the comparison window).

    Parameters
    ----------
    crs
        CRS to draw in, in metres for the scale bar (a :class:`pyproj.CRS` or
        anything GeoPandas accepts); ``None`` = the local metric CRS of the
        drawn data (:func:`map_crs`).
    font
        CJK font family for the county labels and titles; ``None`` labels
        counties with ``name_en`` and strips CJK text.
    lang
        ``{"zh", "en"}`` for the legend and the north arrow.
    labels
        Draw the county labels.
    sites
        Draw the sites and flows (capacity-gap maps only).
    decorations
        Draw the scale bar and the north arrow.
    """

    crs: Any = None
    font: str | None = None
    lang: str = "zh"
    labels: bool = True
    sites: bool = True
    decorations: bool = True


# --- maps ------------------------------------------------------------------------------
def map_crs(results: Sequence[RunResult]) -> CRS:
    """Return the local metric CRS (UTM, metres) used to draw the maps of ``results``."""
    frames = [r.county_gaps for r in results if len(r.county_gaps)]
    if not frames:
        frames = [r.proposed_sites for r in results]
    g = gpd.GeoDataFrame(
        pd.concat([f[["geometry"]] for f in frames]), geometry="geometry", crs=frames[0].crs
    )
    return metric_crs_for(g)


def _fontfamily(font: str | None) -> list[str]:
    return [font, _LATIN] if font else [_LATIN]


def _label_counties(ax: Axes, gdf: gpd.GeoDataFrame, *, font: str | None, size: float) -> None:
    label_col = "name_zh" if font else "name_en"
    pts = gdf.geometry.representative_point()
    for p, name, alt in zip(pts, gdf[label_col], gdf["county_id"], strict=True):
        text = str(name) if isinstance(name, str) and name.strip() else str(alt)
        if not font:
            text = strip_cjk(text)
        # below the representative point: sites placed there stay visible
        ax.annotate(
            text,
            (p.x, p.y),
            xytext=(0, -6),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=size,
            zorder=4,
            fontfamily=_fontfamily(font),
            color="#222222",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.6},
            annotation_clip=True,
        )


def _draw_sites(
    ax: Axes, result: RunResult, crs: Any, *, lang: str, font: str | None, flows: bool = True
) -> list[Artist]:
    handles: list[Artist] = []
    if flows and len(result.flows):
        f = result.flows[result.flows.geometry.notna() & ~result.flows.geometry.is_empty]
        f = f[pd.to_numeric(f["tonnes_per_day"], errors="coerce") > 0]
        if len(f):
            f = f.to_crs(crs)
            q = pd.to_numeric(f["tonnes_per_day"], errors="coerce").to_numpy()
            lw = 0.4 + 2.6 * q / max(q.max(), 1e-9)
            f.plot(ax=ax, color="#555555", linewidth=lw, alpha=0.45, zorder=3)
            from matplotlib.lines import Line2D

            handles.append(
                Line2D([], [], color="#555555", alpha=0.6, lw=1.5, label=TEXT[lang]["legend_flow"])
            )
    s = result.proposed_sites
    if not len(s):
        return handles
    s = s.to_crs(crs)
    thr = pd.to_numeric(s["throughput_tpd"], errors="coerce").fillna(0.0)
    new = s["is_new"].astype(bool)
    s = s[(thr > 1e-9) | new]
    new = s["is_new"].astype(bool)
    for t, (marker, colour) in _SITE_STYLE.items():
        sub = s[s["type"].astype(str) == t]
        if not len(sub):
            continue
        nn = sub["is_new"].astype(bool)
        ax.scatter(
            sub.geometry.x,
            sub.geometry.y,
            marker=marker,
            s=np.where(nn, 60, 36),
            c=colour,
            edgecolors=["black" if n else "white" for n in nn],
            linewidths=[1.6 if n else 0.6 for n in nn],
            zorder=5,
            label=TEXT[lang][f"legend_{t}"],
        )
        handles.append(ax.collections[-1])
    if new.any():
        from matplotlib.lines import Line2D

        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                color="none",
                markerfacecolor="none",
                markeredgecolor="black",
                markeredgewidth=1.6,
                markersize=7,
                label=TEXT[lang]["legend_new"],
            )
        )
    return handles


def add_scale_bar(ax: Axes, *, font: str | None = None, fraction: float = 0.25) -> None:
    """Draw a scale bar (km) in the lower left; axes units must be metres."""
    # mpl_toolkits ships in matplotlib's wheel but without a py.typed marker
    from mpl_toolkits.axes_grid1.anchored_artists import (  # type: ignore[import-untyped]
        AnchoredSizeBar,
    )

    x0, x1 = ax.get_xlim()
    target_km = abs(x1 - x0) / 1000.0 * fraction
    nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
    km = max([n for n in nice if n <= target_km] or [nice[0]])
    bar = AnchoredSizeBar(
        ax.transData,
        km * 1000.0,
        f"{km:g} km",
        "lower left",
        pad=0.4,
        borderpad=0.6,
        sep=3,
        frameon=True,
        size_vertical=abs(x1 - x0) / 250,
        fontproperties={"size": 7, "family": _fontfamily(font)},
    )
    bar.patch.set_alpha(0.75)
    ax.add_artist(bar)


def add_north_arrow(ax: Axes, *, label: str = "N", font: str | None = None) -> None:
    """Draw a north arrow in the upper right (grid north of the map's projection)."""
    ax.annotate(
        label,
        xy=(0.94, 0.95),
        xytext=(0.94, 0.83),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="center",
        fontsize=9,
        fontweight="normal" if font else "bold",  # the CJK font has no bold face
        fontfamily=_fontfamily(font),
        arrowprops={
            "facecolor": "black",
            "edgecolor": "black",
            "width": 3,
            "headwidth": 9,
            "headlength": 8,
        },
    )


def _paint_choropleth(
    ax: Axes, gdf: gpd.GeoDataFrame, column: str, cmap: Colormap, norm: Normalize
) -> None:
    """Fill the polygons of ``gdf`` by ``column`` (grey where there is no value)."""
    values = pd.to_numeric(gdf[column], errors="coerce")
    colours = [cmap(norm(v)) if pd.notna(v) else (0.85, 0.85, 0.85, 1.0) for v in values]
    gdf.plot(ax=ax, color=colours, edgecolor="#444444", linewidth=0.6, zorder=1)


def _finish_map(ax: Axes, gdf: gpd.GeoDataFrame, style: MapStyle) -> None:
    """County labels, no axes, and the scale bar and north arrow of a report map."""
    if style.labels:
        _label_counties(ax, gdf, font=style.font, size=7)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    if style.decorations:
        add_scale_bar(ax, font=style.font)
        add_north_arrow(ax, label=TEXT[style.lang]["north"], font=style.font)


def plot_gap_map(
    ax: Axes,
    result: RunResult,
    *,
    column: str = "unserved_share",
    vmin: float = 0.0,
    vmax: float = 1.0,
    style: MapStyle | None = None,
    title: str | None = None,
) -> ScalarMappable:
    """Draw one scenario's capacity-gap map into ``ax``.

    Parameters
    ----------
    ax
        Matplotlib axes.
    result
        The solved scenario.
    column
        ``{"unserved_share", "unserved_tpd"}`` (share: a fraction; t/d).
    vmin, vmax
        The colour scale, shared between maps drawn side by side
        (:func:`wufei_gis.analysis.shared_color_limits`).
    style
        CRS, font, language, labels, sites, scale bar and north arrow
        (:class:`MapStyle`; default: its defaults, the CRS from :func:`map_crs`).
    title
        Axes title (default: the scenario name).

    Returns
    -------
    ScalarMappable
        For a colour bar.
    """
    from matplotlib import cm
    from matplotlib.colors import Normalize

    style = style if style is not None else MapStyle()
    font = style.font
    crs = style.crs if style.crs is not None else map_crs([result])
    gdf = county_analysis_frame(result).to_crs(crs)
    norm = Normalize(vmin=vmin, vmax=vmax)
    import matplotlib

    cmap = matplotlib.colormaps[GAP_CMAP]
    _paint_choropleth(ax, gdf, column, cmap, norm)
    handles = _draw_sites(ax, result, crs, lang=style.lang, font=font) if style.sites else []
    _finish_map(ax, gdf, style)
    if handles:
        ax.legend(
            handles=handles,
            loc="lower right",
            fontsize=6,
            framealpha=0.8,
            prop={"family": _fontfamily(font), "size": 6},
        )
    if title is None:
        title = result.scenario
    ax.set_title(title, fontsize=10, fontfamily=_fontfamily(font))
    return cm.ScalarMappable(norm=norm, cmap=cmap)


def plot_difference_map(
    ax: Axes,
    diff: gpd.GeoDataFrame,
    *,
    vmin: float,
    vmax: float,
    column: str = "delta_unserved_tpd",
    style: MapStyle | None = None,
    title: str | None = None,
) -> ScalarMappable:
    """Draw a B − A difference map (:func:`wufei_gis.analysis.gap_difference`) into ``ax``.

    Uses a diverging colour scale centred on 0 (``vmin = -vmax`` recommended):
    blue where the gap shrinks, red where it grows.  ``style`` is a
    :class:`MapStyle` (its ``sites`` is not used: the map has no sites);
    without a CRS the map is drawn in the local metric CRS of ``diff``.
    """
    import matplotlib
    from matplotlib import cm
    from matplotlib.colors import TwoSlopeNorm

    style = style if style is not None else MapStyle()
    crs = style.crs if style.crs is not None else metric_crs_for(diff)
    gdf = diff.to_crs(crs)
    vmin = min(vmin, -1e-9)
    vmax = max(vmax, 1e-9)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=vmin, vmax=vmax)
    cmap = matplotlib.colormaps[DIFF_CMAP]
    _paint_choropleth(ax, gdf, column, cmap, norm)
    _finish_map(ax, gdf, style)
    if title:
        ax.set_title(title, fontsize=10, fontfamily=_fontfamily(style.font))
    return cm.ScalarMappable(norm=norm, cmap=cmap)


# --- the report's map figures ---------------------------------------------------------------
def _png(fig: Figure, *, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def _text(value: Any, font: str | None) -> str:
    return str(value) if font else strip_cjk(str(value))


def gap_maps_png(
    results: Sequence[RunResult],
    *,
    style: MapStyle,
    extent: tuple[float, float, float, float],
    size: tuple[float, float] = (10.6, 5.6),
    dpi: int = MAP_DPI,
) -> list[bytes]:
    """Draw the capacity-gap maps of ``results`` side by side, two or three per image.

    Parameters
    ----------
    results
        The scenarios, lettered A, B, C… in this order.
    style
        How every map is drawn (:class:`MapStyle`); its ``crs`` should be the
        metric CRS of ``extent``.  ``font=None`` labels counties with English
        names.
    extent
        ``(xmin, ymin, xmax, ymax)`` in metres, the same for all maps
        (:func:`wufei_gis.analysis.synced_extent`).
    size, dpi
        Image size in inches and its resolution.

    Returns
    -------
    list of bytes
        PNG images, each with its colour bar (unserved share, 0–100 %, one scale for all).
    """
    from matplotlib.figure import Figure

    vmin, vmax = shared_color_limits(results, column="unserved_share")
    per_image = 3 if len(results) > 2 else 2
    width = 0.9 / per_image
    words = TEXT[style.lang]
    images = []
    for start in range(0, len(results), per_image):
        fig = Figure(figsize=size)
        mappables: list[ScalarMappable] = []
        for k, r in enumerate(results[start : start + per_image]):
            ax = fig.add_axes((0.01 + k * width, 0.02, width - 0.015, 0.86))
            total = float(pd.to_numeric(r.county_gaps["unserved_tpd"]).sum())
            unserved = words["unserved_total"].format(v=fmt(total, "t/d"))
            title = f"{chr(65 + start + k)}. {_text(r.scenario, style.font)}\n{unserved}"
            mappables.append(plot_gap_map(ax, r, vmin=vmin, vmax=vmax, style=style, title=title))
            ax.set_xlim(extent[0], extent[2])
            ax.set_ylim(extent[1], extent[3])
        cax = fig.add_axes((0.925, 0.15, 0.012, 0.65))
        cb = fig.colorbar(mappables[-1], cax=cax)
        cb.set_ticks([float(v) for v in np.linspace(0, 1, 6)])
        cb.set_ticklabels([f"{v:.0f} %" for v in np.linspace(0, 100, 6)])
        cb.set_label(words["gap_cbar"], fontsize=8)
        images.append(_png(fig, dpi=dpi))
    return images


def difference_map_png(
    diff: gpd.GeoDataFrame,
    *,
    vmin: float,
    vmax: float,
    style: MapStyle,
    extent: tuple[float, float, float, float],
    size: tuple[float, float] = (6.4, 5.6),
    dpi: int = MAP_DPI,
) -> bytes:
    """Draw one B − A difference map with its colour bar; return it as a PNG image.

    ``diff`` comes from :func:`wufei_gis.analysis.gap_difference`; ``vmin``/``vmax``
    (t/d) from :func:`wufei_gis.analysis.difference_color_limits`, shared by all
    difference maps of a report.  The other parameters are those of :func:`gap_maps_png`.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    ax = fig.add_axes((0.01, 0.02, 0.84, 0.94))
    sm = plot_difference_map(ax, diff, vmin=vmin, vmax=vmax, style=style)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    cax = fig.add_axes((0.88, 0.15, 0.02, 0.65))
    cb = fig.colorbar(sm, cax=cax)
    cb.set_label(TEXT[style.lang]["diff_cbar"], fontsize=8)
    return _png(fig, dpi=dpi)
