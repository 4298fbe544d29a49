"""Map furniture of the desktop map: legend, colour bar, scale bar, north arrow, graticule.

The legend and the capacity-gap colour bar sit in a column right of the map
axes (never over the study area; the legend can also be dragged); the axes
take the rest of the canvas (:meth:`MapDecorations.layout`, re-run on resize).
The scale bar is true: its length is a round *ground* distance, drawn with the
local scale factor of the map projection.  The graticule is the lines of
longitude and latitude transformed to the map CRS; the axis ticks sit where
they cross the map frame and are labelled in degrees (``102.5°E``).
"""

from __future__ import annotations

from typing import Any

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from wufei_gis.map_style import (
    GAP_CMAP,
    NEW_SITE_EDGE,
    STAGE_COLORS,
    STATUS_MARKERS,
    TYPE_COLORS,
    TYPE_MARKERS,
)

from .i18n import tr
from .map_layers import GAP_NORM
from .map_projection import MapProjection, degree_label, graticule, nice_length

__all__ = ["MapDecorations", "legend_handles"]

MARGIN_PX = {"left": 62, "bottom": 30, "top": 8, "right": 10, "gap": 10}
HALO = [pe.withStroke(linewidth=3, foreground="white")]


def _marker(marker: str, face: str, edge: str, size: float, text: str, mew: float = 1.0):
    return Line2D([], [], ls="", marker=marker, mfc=face, mec=edge, ms=size, mew=mew, label=text)


def legend_handles(canvas) -> list[Line2D]:
    """Legend entries for what the canvas shows (types, statuses, candidates, results)."""
    project = canvas.model.project
    res = canvas.layer_frame("proposed_sites")
    types = set(project.facilities["type"].astype(str))
    handles = [
        _marker("o", c, "#222222", 7, tr(f"type.{t}")) for t, c in TYPE_COLORS.items() if t in types
    ]
    statuses = set(project.facilities["status"].astype(str))
    handles += [
        _marker(m, "#bbbbbb", "#222222", 7, tr(f"st.{s}"))
        for s, m in STATUS_MARKERS.items()
        if s in statuses
    ]
    if len(project.candidates):
        color = canvas.styles["candidates"].color
        handles.append(_marker("^", "none", color, 7, tr("layer.candidates")))
    if res is not None and len(res):
        handles += _result_handles(res)
    return handles


def _result_handles(res) -> list[Line2D]:
    site = tr("layer.proposed_sites")
    out = [
        _marker(
            TYPE_MARKERS.get(t, "o"), TYPE_COLORS.get(t, "#7f7f7f"), "#ffffff", 8, tr(f"type.{t}")
        )
        for t in dict.fromkeys(res["type"].astype(str))
    ]
    out = [_marker("", "none", "none", 0, tr("legend.sites_by_capacity", site=site))] + out
    out.append(_marker("o", "#bbbbbb", NEW_SITE_EDGE, 8, tr("legend.new"), mew=1.6))
    out.append(_marker("o", "#bbbbbb", "#ffffff", 8, tr("legend.existing")))
    out += [
        Line2D([], [], color=c, lw=2.5, label=tr(f"legend.flow_{stage}"))
        for stage, c in STAGE_COLORS.items()
    ]
    return out


class MapDecorations:
    """The furniture of one map axes; the canvas calls its ``update_*`` after a view change.

    Parameters
    ----------
    ax
        The map axes (data in metres of the map CRS).
    """

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        self.figure = ax.figure
        self.legend: Legend | None = None
        self.cax = self.figure.add_axes((0.9, 0.1, 0.02, 0.2))
        self.cax.set_visible(False)
        self._colorbar_drawn = False
        self.north = ax.annotate(
            tr("map.north"),
            xy=(0.035, 0.97),
            xytext=(0.035, 0.885),
            xycoords="axes fraction",
            ha="center",
            va="center",
            fontsize=11,
            zorder=90,
            arrowprops={
                "facecolor": "#222222",
                "edgecolor": "#222222",
                "width": 3,
                "headwidth": 9,
                "headlength": 9,
            },
        )
        kw: dict[str, Any] = {"transform": ax.transAxes, "zorder": 90}
        self.scale_line = Line2D([], [], color="#222222", lw=2.5, solid_capstyle="butt", **kw)
        ax.add_line(self.scale_line)
        self.scale_text = ax.text(
            0, 0, "", ha="center", va="bottom", fontsize=8, path_effects=HALO, **kw
        )
        self.attribution = ax.text(
            0.005, 0.005, "", ha="left", va="bottom", fontsize=6, color="#444444", **kw
        )
        self.grid = LineCollection([], colors="#8c9aa6", linewidths=0.5, linestyles=":", zorder=1)
        ax.add_collection(self.grid, autolim=False)

    # ------------------------------------------------------------------ legend and colour bar
    def set_legend(self, handles: list[Line2D]) -> None:
        """Replace the legend (right of the map axes, draggable)."""
        if self.legend is not None:
            self.legend.remove()
            self.legend = None
        if handles:
            self.legend = self.ax.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(1.0, 1.0),
                borderaxespad=0.0,
                fontsize=8,
                framealpha=0.95,
                edgecolor="#aaaaaa",
            )
            self.legend.set_zorder(95)
            self.legend.set_draggable(True)

    def show_colorbar(self, visible: bool) -> None:
        """Show or hide the capacity-gap colour bar (unserved share, 0–100 %)."""
        if visible and not self._colorbar_drawn:
            cb = self.figure.colorbar(ScalarMappable(norm=GAP_NORM, cmap=GAP_CMAP), cax=self.cax)
            cb.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
            cb.ax.tick_params(labelsize=7)
            self._colorbar_drawn = True
        if self._colorbar_drawn:
            self.cax.set_title(tr("legend.unserved_share"), fontsize=8, loc="left", pad=6)
        self.cax.set_visible(visible)

    def layout(self) -> None:
        """Fit the axes to the canvas, leaving a right column for the legend and colour bar."""
        fig = self.figure
        w, h = fig.bbox.width, fig.bbox.height
        if w < 50 or h < 50:
            return
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvases have one
        m = MARGIN_PX
        leg = self.legend.get_window_extent(renderer) if self.legend is not None else None
        column = max(leg.width if leg is not None else 0.0, 70.0 if self.cax.get_visible() else 0)
        right = w - m["right"] - (column + m["gap"] if column else 0.0)
        self.ax.set_position(
            (
                m["left"] / w,
                m["bottom"] / h,
                (right - m["left"]) / w,
                (h - m["top"] - m["bottom"]) / h,
            )
        )
        top = h - m["top"] - (leg.height + 34 if leg is not None else 24)
        bar_h = float(np.clip(top - m["bottom"] - 10, 40, 150))
        self.cax.set_position(((right + m["gap"]) / w, (top - bar_h) / h, 12 / w, bar_h / h))

    # ------------------------------------------------------------------ after a view change
    def update_scalebar(self, proj: MapProjection) -> None:
        """Draw a round ground length: map length = ground length × local scale factor."""
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        width = x1 - x0
        if width <= 0:
            return
        lon, lat = proj.to_lonlat((x0 + x1) / 2, (y0 + y1) / 2)
        k = proj.scale_factor(lon, lat) if np.isfinite(lon) else 1.0
        ground = nice_length(width / k / 5)
        frac = ground * k / width
        right, y = 0.97, 0.035
        self.scale_line.set_data([right - frac, right], [y, y])
        self.scale_text.set_position((right - frac / 2, y + 0.008))
        text = (
            tr("map.scale_km", km=ground / 1000) if ground >= 1000 else tr("map.scale_m", m=ground)
        )
        self.scale_text.set_text(text)

    def update_graticule(self, proj: MapProjection) -> None:
        """Lines of lon/lat in the map CRS; axis ticks where they cross the frame, in degrees."""
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        g = graticule(proj, (x0, y0, x1, y1))
        self.grid.set_segments(g.meridians + g.parallels)
        # meridians run south-north (y increasing), parallels west-east (x increasing)
        xs = [float(np.interp(y0, m[:, 1], m[:, 0])) for m in g.meridians]
        ys = [float(np.interp(x0, p[:, 0], p[:, 1])) for p in g.parallels]
        keep_x = [(x, v) for x, v in zip(xs, g.lons, strict=True) if x0 <= x <= x1]
        keep_y = [(y, v) for y, v in zip(ys, g.lats, strict=True) if y0 <= y <= y1]
        self.ax.set_xticks(
            [x for x, _ in keep_x], [degree_label(v, "lon", g.step) for _, v in keep_x]
        )
        self.ax.set_yticks(
            [y for y, _ in keep_y], [degree_label(v, "lat", g.step) for _, v in keep_y]
        )
        # set_xticks may widen the limits to include a tick: keep the view
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.north.set_text(tr("map.north"))
        if self._colorbar_drawn:
            self.cax.set_title(tr("legend.unserved_share"), fontsize=8, loc="left", pad=6)
