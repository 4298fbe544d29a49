"""The map: a matplotlib canvas drawing the project and result layers in a metric projection.

The project stores lon/lat (EPSG:4326); the map is drawn in a local metric CRS
(CGCS2000 Gauss–Krüger zone of the region, or its UTM zone: *View → Map
projection*, :meth:`MapCanvas.set_map_crs`) so shapes, areas and the scale bar
are true.  :meth:`MapCanvas.to_map` and :meth:`MapCanvas.to_lonlat` are the one
conversion point: the map tools (:mod:`wufei_gis.ui.map_tools`) and hit tests
(:mod:`wufei_gis.ui.map_pick`) get events in map metres and convert there.
Each layer's projected geometry is cached and reprojected only when the layer
(or the CRS) changes.

Layers are drawn with one collection each (:mod:`wufei_gis.ui.map_layers`) and
kept between redraws; a change in the model rebuilds only the layer that
changed.  Labels, graticule, scale bar and the optional basemap *underlay* are
redone once a zoom, pan or resize has ended (a short single-shot timer), so
interaction stays fast; labels are placed by
:func:`wufei_gis.label_placement.place_text_labels` (facilities before county
names, never over a marker, never over each other).  Legend and colour bar sit
right of the map (:mod:`wufei_gis.ui.map_decorations`).  Tool feedback is
blitted over a cached background.  Every edit goes through
:meth:`MapCanvas.push`: a :mod:`wufei_gis.edits` command on the project model's
one history.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from pyproj import CRS
from PyQt6.QtCore import Qt, QTimer, pyqtSignal

from wufei_gis.editing import DeleteFeature, ProjectModel
from wufei_gis.errors import InputError
from wufei_gis.label_placement import LabelOptions, place_text_labels

from .dialogs import error_text
from .fonts import cjk_font
from .i18n import language, tr
from .map_decorations import MapDecorations, legend_handles
from .map_layers import (
    DRAWERS,
    POINT_LAYERS,
    LayerStyle,
    default_styles,
    point_xy,
    proposed_site_sizes,
    rings,
)
from .map_projection import MapProjection, map_crs_choice
from .map_tools import MAP_TOOLS, MapTool, PanTool
from .phasing_panel import period_rows

__all__ = ["LAYERS", "TOOLS", "LayerStyle", "MapCanvas", "Underlay"]

logger = logging.getLogger(__name__)
# The map keeps an equal data aspect with adjustable limits; matplotlib logs a warning every
# time it widens one axis to keep it, which is exactly what we want.
logging.getLogger("matplotlib.axes._base").setLevel(logging.ERROR)

#: Tool names in toolbar order (see :data:`~wufei_gis.ui.map_tools.MAP_TOOLS`).
TOOLS = tuple(MAP_TOOLS)
#: Layers bottom to top (the layer panel reorders them).
LAYERS = (
    "county_gaps",
    "counties",
    "station_catchments",
    "roads",
    "exclusions",
    "towns",
    "flows",
    "candidates",
    "facilities",
    "proposed_sites",
)
RESULT_LAYERS = ("county_gaps", "flows", "proposed_sites", "station_catchments")
#: Labels sit above every area and line layer and below every point layer.
LABEL_Z = 37
POINT_Z = 30  # added to a point layer's z-order
MAX_LABELS = 60  # a layer with more features in view is not labelled (~1.5 ms per label)
SETTLE_MS = 150  # a zoom or pan has ended when the view has not changed for this long
CHINA = (73.5, 18.0, 135.0, 53.5)
#: A basemap hook: draws under everything (z-order 0), returns attribution text or None.
Underlay = Callable[[Axes, CRS, tuple[float, float, float, float]], "str | None"]


class MapCanvas(FigureCanvasQTAgg):
    """Map of a :class:`~wufei_gis.editing.ProjectModel` with pan/zoom and edit tools."""

    #: The mouse is over (lon, lat) degrees.
    cursor_moved = pyqtSignal(float, float)
    selection_changed = pyqtSignal(str, list)
    message = pyqtSignal(str)
    tool_changed = pyqtSignal(str)
    #: The identify tool hit a feature: (layer, 0-based row).
    feature_identified = pyqtSignal(str, int)
    #: The measure tool's path changed: its geodesic length in km.
    distance_measured = pyqtSignal(float)
    #: The map projection changed: its name.
    map_crs_changed = pyqtSignal(str)

    def __init__(self, model: ProjectModel, parent=None) -> None:
        self.figure = Figure(figsize=(8, 6), dpi=100, facecolor="#ffffff")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.model = model
        self.ax = self.figure.add_axes((0.07, 0.05, 0.75, 0.93))
        self.ax.set_facecolor("#dfe8ef")
        self.ax.set_aspect("equal", adjustable="datalim")
        self.ax.tick_params(labelsize=7, colors="#555555", length=3)
        for sp in self.ax.spines.values():
            sp.set_color("#999999")
        self.styles = default_styles()
        self.order = list(LAYERS)
        self.cjk = cjk_font() is not None
        self._sync_label_language()
        self.tool: MapTool = PanTool(self)
        self._pan = PanTool(self)  # right/middle-button drags, whatever the tool
        self.result_scenario: str | None = None
        #: Period shown of a phased result (``None``: the last); see ui/phasing_panel.py.
        self.result_period: int | None = None
        self._period_cache: dict = {}
        self.selection: tuple[str, list[int]] = ("", [])
        self._artists: dict[str, list] = {name: [] for name in LAYERS}
        self._labels: dict[str, list[Annotation]] = {}
        self._geoms: dict[str, tuple[object, object]] = {}  # layer -> (frame, projected)
        self._bg: object | None = None  # the map pixels under the overlays (an Agg region)
        self._sel_artists: list = []
        self._underlay: Underlay | None = None
        self._underlay_artists: list = []
        self._settling = False
        self._settled_view: tuple | None = None
        self._request: tuple[float, float, float, float] | None = None  # the view to keep
        self.map_crs_kind = "gk"
        self.proj = MapProjection(map_crs_choice("gk", *self._centre()))
        self.deco = MapDecorations(self.ax)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._after_view_change)
        self.mpl_connect("button_press_event", self._on_press)
        self.mpl_connect("button_release_event", self._on_release)
        self.mpl_connect("motion_notify_event", self._on_motion)
        self.mpl_connect("scroll_event", self._on_scroll)
        self.mpl_connect("key_press_event", self._on_key)
        self.mpl_connect("draw_event", self._on_draw)
        self.ax.callbacks.connect("xlim_changed", self._on_view_changed)
        self.ax.callbacks.connect("ylim_changed", self._on_view_changed)
        model.events.connect(self._on_model_event)
        self.refresh_all()
        self.zoom_to_all()

    # ------------------------------------------------------------------ projection
    @property
    def map_crs(self) -> CRS:
        """The CRS the map is drawn in (metres)."""
        return self.proj.crs

    def to_map(self, lon, lat):
        """Map ``(x, y)`` metres of ``(lon, lat)`` degrees (scalars or arrays)."""
        return self.proj.to_map(lon, lat)

    def to_lonlat(self, x, y):
        """``(lon, lat)`` degrees of map ``(x, y)`` metres (scalars or arrays)."""
        return self.proj.to_lonlat(x, y)

    def set_map_crs(self, kind: str) -> None:
        """Draw the map in ``kind``: ``"gk"``, ``"utm"`` or ``"EPSG:n"``; the view is kept.

        Raises
        ------
        InputError
            If ``kind`` is not a projected CRS in metres.
        """
        view = self._view_lonlat()
        self.proj = MapProjection(map_crs_choice(kind, *self._centre()))
        self.map_crs_kind = kind
        self.refresh_all()
        if view is not None:
            self.zoom_to_bounds(view, pad=0.0)
        self.map_crs_changed.emit(self.proj.crs.name)

    def _centre(self) -> tuple[float, float]:
        for layer in ("counties", "facilities", "candidates"):
            df = self.model.frame(layer)
            if len(df):
                b = df.total_bounds
                return float((b[0] + b[2]) / 2), float((b[1] + b[3]) / 2)
        return (CHINA[0] + CHINA[2]) / 2, (CHINA[1] + CHINA[3]) / 2

    def _view_lonlat(self) -> tuple[float, float, float, float] | None:
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        if x1 - x0 <= 1.0:  # not zoomed yet (matplotlib's 0..1 default)
            return None
        return self.proj.view_lonlat_bounds((x0, y0, x1, y1))

    def map_geoms(self, layer: str):
        """The geometries of ``layer`` in the map CRS (cached until the layer changes)."""
        df = self.layer_frame(layer)
        if df is None or "geometry" not in df or not len(df):
            return None
        hit = self._geoms.get(layer)
        if hit is None or hit[0] is not df:
            hit = (df, self.proj.project(df.geometry))
            self._geoms[layer] = hit
        return hit[1]

    def map_points(self, layer: str) -> np.ndarray:
        """``(n, 2)`` map coordinates of a point layer's features."""
        g = self.map_geoms(layer)
        return np.zeros((0, 2)) if g is None else point_xy(g)

    # ------------------------------------------------------------------ data
    def layer_frame(self, layer: str):
        """Return the frame drawn as ``layer`` (a result layer may be ``None``)."""
        if layer in RESULT_LAYERS:
            res = self.model.results.get(self.result_scenario or "")
            df = None if res is None else getattr(res, layer, None)
            return period_rows(df, self.result_period, self._period_cache)
        if layer == "roads":
            return self.model.road_edges()
        return self.model.frame(layer)

    def show_result(self, scenario: str | None) -> None:
        """Draw the result layers of ``scenario`` (``None`` hides them)."""
        self.result_scenario = scenario
        for layer in RESULT_LAYERS + ("counties",):
            self._refresh(layer)
        self._update_legend()
        self.draw_idle()

    def refresh_all(self) -> None:
        """Reproject and rebuild every layer from the model."""
        self._geoms.clear()
        self._redraw_all()

    def _redraw_all(self) -> None:
        for layer in LAYERS:
            self._refresh(layer)
        self._update_legend()
        self._update_selection_artists()
        self.draw_idle()

    def _clear(self, layer: str) -> None:
        for a in self._artists[layer]:
            a.remove()
        self._artists[layer] = []

    def _z(self, layer: str) -> float:
        return 10 + 2 * self.order.index(layer) + (POINT_Z if layer in POINT_LAYERS else 0)

    def _refresh(self, layer: str) -> None:
        self._clear(layer)
        df = self.layer_frame(layer)
        st = self.styles[layer]
        geoms = self.map_geoms(layer)
        if geoms is None or (layer == "county_gaps" and "generation_tpd" not in df):
            if layer == "county_gaps":
                self.deco.show_colorbar(False)
            self._schedule_labels()
            return
        kw = {"outline_only": self._gaps_shown()} if layer == "counties" else {}
        arts = DRAWERS[layer](self.ax, df, geoms, st, self._z(layer), **kw)
        for a in arts:
            a.set_visible(st.visible)
        self._artists[layer] = arts
        if layer == "county_gaps":
            self.deco.show_colorbar(st.visible)
        self._schedule_labels()

    def _gaps_shown(self) -> bool:
        gaps = self.layer_frame("county_gaps")
        return self.styles["county_gaps"].visible and gaps is not None and len(gaps) > 0

    # ------------------------------------------------------------------ style API
    def set_style(self, layer: str, **changes) -> None:
        """Change a layer's style (``visible``, ``color``, ``size``, ``label_field``)."""
        st = self.styles[layer]
        for k, v in changes.items():
            setattr(st, k, v)
        if set(changes) == {"visible"}:
            for a in self._artists[layer] + self._labels.get(layer, []):
                a.set_visible(st.visible)
            if layer == "county_gaps":
                self.deco.show_colorbar(st.visible and bool(self._artists[layer]))
                self._refresh("counties")
                self._relayout()
            self._schedule_labels()
        else:
            self._refresh(layer)
        self.draw_idle()

    def move_layer(self, layer: str, delta: int) -> None:
        """Move a layer up (+1) or down (-1) in the drawing order."""
        i = self.order.index(layer)
        j = min(max(i + delta, 0), len(self.order) - 1)
        self.order.insert(j, self.order.pop(i))
        for name in self.order:
            for a in self._artists[name]:
                a.set_zorder(self._z(name))
        self.draw_idle()

    def _update_legend(self) -> None:
        self.deco.set_legend(legend_handles(self))
        self._relayout()

    def _relayout(self) -> None:
        """Fit the axes to the canvas and legend, then the last requested view to the axes."""
        self.deco.layout()
        if self._request is not None:
            self.zoom_to_map_bounds(self._request, pad=0.0)

    def _sync_label_language(self) -> None:
        """Label in the UI language (English names when no CJK font)."""
        for st in self.styles.values():
            if st.label_field in ("name_zh", "name_en"):
                st.label_field = "name_zh" if self.cjk and language() == "zh" else "name_en"

    def retranslate(self) -> None:
        """Rebuild texts after a language switch."""
        self._sync_label_language()
        self.deco.retranslate()
        self._redraw_all()
        self.deco.update_scalebar(self.proj)

    # ------------------------------------------------------------------ labels
    def label_artists(self, layer: str | None = None) -> list[Annotation]:
        """The labels placed on the map (of ``layer``, or of every layer)."""
        if layer is not None:
            return list(self._labels.get(layer, []))
        return [a for arts in self._labels.values() for a in arts]

    @property
    def labels_pending(self) -> bool:
        """Whether labels, graticule and underlay wait for the view to settle."""
        return self._settle.isActive()

    def _schedule_labels(self) -> None:
        if hasattr(self, "_settle"):
            self._settled_view = None
            self._settle.start()

    def _label_sets(self):
        """Per labelled visible layer in view: (layer, anchors, texts, is_area)."""
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        out = []
        for layer in self.order[::-1]:
            st, df, g = self.styles[layer], self.layer_frame(layer), self.map_geoms(layer)
            if g is None or not st.visible or st.label_field not in df.columns:
                continue
            is_point = layer in POINT_LAYERS
            xy = point_xy(g if is_point else g.representative_point())
            texts = df[st.label_field].astype(str).to_numpy()
            ok = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
            ok &= ~np.isin(texts, ["", "nan", "None", "<NA>"])
            rows = np.flatnonzero(ok)
            if 0 < len(rows) <= MAX_LABELS:  # more: zoom in to see them
                out.append((layer, xy[rows], list(texts[rows]), not is_point))
        return out

    def _marker_obstacles(self) -> tuple[np.ndarray, float]:
        """Map positions of the visible markers and the largest marker's half size (pixels)."""
        pts, radius = [np.zeros((0, 2))], 4.0
        for layer in POINT_LAYERS:
            st = self.styles[layer]
            xy = self.map_points(layer)
            if not st.visible or not len(xy):
                continue
            pts.append(xy)
            df = self.layer_frame(layer)
            size = proposed_site_sizes(df, st).max() if layer == "proposed_sites" else st.size
            radius = max(radius, math.sqrt(size) / 2 * self.figure.dpi / 72 + 1.5)
        return np.vstack(pts), radius

    def place_labels(self) -> None:
        """Place every layer's labels for the current view (drops what does not fit)."""
        for a in self.label_artists():
            a.remove()
        self._labels = {}
        sets = self._label_sets()
        if not sets:
            return
        obstacles, radius = self._marker_obstacles()
        bbox = self.ax.get_window_extent(self.get_renderer())
        opts = LabelOptions(
            offset=2.0,
            leader_offset=None,  # a leader line would widen the label's extent over others
            bounds=(bbox.x0, bbox.y0, bbox.x1, bbox.y1),
            obstacle_radius=radius,
        )
        halo = [pe.withStroke(linewidth=2.5, foreground="white")]
        placed = place_text_labels(
            self.ax,
            np.vstack([s[1] for s in sets]),
            [t for s in sets for t in s[2]],
            priority=np.concatenate([np.full(len(s[2]), 1 if s[3] else 2) for s in sets]),
            areas=np.concatenate([np.full(len(s[2]), s[3]) for s in sets]),
            obstacles=obstacles,
            options=opts,
            text_kw={"fontsize": 8, "zorder": LABEL_Z, "path_effects": halo, "clip_on": True},
        )
        k = 0
        for layer, _xy, texts, _area in sets:
            self._labels[layer] = [a for a in placed[k : k + len(texts)] if a is not None]
            k += len(texts)

    # ------------------------------------------------------------------ after a view change
    def _on_view_changed(self, _ax) -> None:
        if self._settling or not hasattr(self, "deco"):
            return
        view = (self.ax.get_xlim(), self.ax.get_ylim())
        if self._settled_view is not None and self._settled_view[:2] == view:
            return  # a redraw re-applied the same limits
        for a in self.label_artists():  # placed for the old view: back when the view settles
            a.set_visible(False)
        self.deco.update_scalebar(self.proj)
        self._settle.start()

    def _interacting(self) -> bool:
        return self._pan.dragging or bool(getattr(self.tool, "dragging", False))

    def _after_view_change(self) -> None:
        """The view has settled: graticule, underlay and labels for it, then one redraw."""
        if self._interacting():
            self._settle.start()
            return
        self._settling = True
        try:
            self.ax.apply_aspect()
            (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
            self._request = (x0, y0, x1, y1)
            self.deco.update_scalebar(self.proj)
            self.deco.update_graticule(self.proj)
            self._draw_underlay()
            self.place_labels()
            self._settled_view = (self.ax.get_xlim(), self.ax.get_ylim())
        finally:
            self._settling = False
        self.draw_idle()

    def settle(self) -> None:
        """Do now what waits for the end of an interaction (labels, graticule, underlay)."""
        self._settle.stop()
        self._after_view_change()

    def set_underlay(self, fn: Underlay | None) -> None:
        """Draw ``fn(ax, crs, (x0, y0, x1, y1))`` under the map after every zoom or pan.

        ``fn`` draws a raster at z-order 0 in map coordinates and returns the
        attribution text shown in the map corner (or ``None``); ``None`` removes it.
        """
        self._underlay = fn
        self._schedule_labels()

    def _draw_underlay(self) -> None:
        for a in self._underlay_artists:
            a.remove()
        self._underlay_artists = []
        text = None
        if self._underlay is not None:
            ax = self.ax
            xlim, ylim = ax.get_xlim(), ax.get_ylim()
            before = {id(a) for a in ax.get_children()}
            try:
                text = self._underlay(ax, self.proj.crs, (xlim[0], ylim[0], xlim[1], ylim[1]))
            except Exception as err:  # a basemap that fails must not break the map
                logger.warning("map underlay failed: %s", err)
                self.message.emit(tr("map.underlay_failed", msg=str(err)))
            ax.set_xlim(xlim)  # an imshow may have widened the limits
            ax.set_ylim(ylim)
            self._underlay_artists = [a for a in ax.get_children() if id(a) not in before]
            for a in self._underlay_artists:
                a.set_zorder(0)
        self.deco.attribution.set_text(text or "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()
        self._schedule_labels()

    # ------------------------------------------------------------------ view
    def zoom_to_bounds(self, bounds, pad: float = 0.05) -> None:
        """Show ``(lon0, lat0, lon1, lat1)`` degrees with a margin."""
        x0, y0, x1, y1 = (float(v) for v in bounds)
        if not all(map(math.isfinite, (x0, y0, x1, y1))):
            return
        t = np.linspace(0.0, 1.0, 11)
        lons = np.concatenate([x0 + (x1 - x0) * t, np.full(11, x1), x0 + (x1 - x0) * t, [x0] * 11])
        lats = np.concatenate(
            [np.full(11, y0), y0 + (y1 - y0) * t, np.full(11, y1), y0 + (y1 - y0) * t]
        )
        xs, ys = self.to_map(lons, lats)
        self.zoom_to_map_bounds((np.min(xs), np.min(ys), np.max(xs), np.max(ys)), pad=pad)

    def zoom_to_map_bounds(self, bounds, pad: float = 0.05) -> None:
        """Show ``(x0, y0, x1, y1)`` map metres with a margin."""
        x0, y0, x1, y1 = (float(v) for v in bounds)
        if not all(map(math.isfinite, (x0, y0, x1, y1))):
            return
        dx, dy = max(x1 - x0, 1000.0) * (1 + 2 * pad), max(y1 - y0, 1000.0) * (1 + 2 * pad)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self._request = (cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2)
        box = self.ax.get_position().transformed(self.figure.transFigure)
        ratio = max(box.height, 1) / max(box.width, 1)
        if dy / dx < ratio:
            dy = dx * ratio
        else:
            dx = dy / ratio
        self.ax.set_xlim(cx - dx / 2, cx + dx / 2)
        self.ax.set_ylim(cy - dy / 2, cy + dy / 2)
        self.draw_idle()

    def zoom_to_layer(self, layer: str) -> None:
        """Zoom to a layer's extent."""
        df = self.layer_frame(layer)
        if df is not None and len(df):
            self.zoom_to_bounds(df.total_bounds)

    def zoom_to_all(self) -> None:
        """Zoom to all project layers."""
        for layer in ("counties", "facilities", "candidates"):
            if len(self.model.frame(layer)):
                return self.zoom_to_layer(layer)
        self.zoom_to_bounds(CHINA)

    # ------------------------------------------------------------------ selection
    def set_selection(self, layer: str, rows: list[int], *, emit: bool = False) -> None:
        """Highlight ``rows`` of ``layer`` (from the table or a click)."""
        self.selection = (layer, list(rows))
        self._update_selection_artists()
        self.draw_idle()
        if emit:
            self.selection_changed.emit(layer, list(rows))

    def _update_selection_artists(self) -> None:
        for a in self._sel_artists:
            a.remove()
        self._sel_artists = []
        layer, rows = self.selection
        geoms = self.map_geoms(layer) if layer else None
        if geoms is None or not rows:
            return
        sub = geoms.iloc[[r for r in rows if 0 <= r < len(geoms)]]
        if not len(sub):
            return
        style: dict[str, Any] = {"facecolors": "none", "edgecolors": "#ff00ff", "zorder": 98}
        if sub.geom_type.iloc[0] == "Point":
            xy = point_xy(sub)
            a = self.ax.scatter(xy[:, 0], xy[:, 1], s=260, linewidths=2.2, **style)
        elif sub.geom_type.iloc[0] in ("LineString", "MultiLineString"):  # flows
            parts = [p for g in sub if g is not None for p in getattr(g, "geoms", [g])]
            from matplotlib.collections import LineCollection

            a = LineCollection(
                [np.asarray(p.coords)[:, :2] for p in parts],
                colors="#ff00ff",
                linewidths=3.0,
                zorder=98,
            )
            self.ax.add_collection(a, autolim=False)
        else:
            from matplotlib.collections import PolyCollection

            a = PolyCollection(rings(sub), linewidths=2.5, **style)
            self.ax.add_collection(a, autolim=False)
        self._sel_artists = [a]

    # ------------------------------------------------------------------ model events
    def _on_model_event(self, ev) -> None:
        if ev.kind == "project":
            self.cancel_interaction()
            self.selection = ("", [])
            self.result_scenario = None
            self.proj = MapProjection(map_crs_choice(self.map_crs_kind, *self._centre()))
            self.refresh_all()
            self.zoom_to_all()
            return
        if ev.kind == "results":
            self.show_result(ev.scenario or self.result_scenario)
            return
        if ev.layer in LAYERS:
            if ev.kind != "values" or "geometry" in (ev.fields or ()):
                self._geoms.pop(ev.layer, None)
            if ev.kind in ("removed", "reset", "inserted") and self.selection[0] == ev.layer:
                self.selection = ("", [])
            self._refresh(ev.layer)
            if ev.layer in ("facilities", "candidates"):
                self._update_legend()
            self._update_selection_artists()
            self.tool.model_changed(ev)
            self.draw_idle()

    # ------------------------------------------------------------------ commands
    def push(self, command_cls, *args, **kwargs):
        """Build a core command and run it on the model's history; report bad input.

        Returns the command, or ``None`` if its input was rejected.
        """
        try:
            return self.model.execute(command_cls(self.model, *args, **kwargs))
        except InputError as err:
            self.message.emit(tr("status.rejected", msg=error_text(err)))
            return None

    # ------------------------------------------------------------------ tools
    def set_tool(self, name: str) -> None:
        """Activate the map tool ``name`` (see :data:`TOOLS`), cancelling the current one."""
        if name not in MAP_TOOLS:
            msg = f"unknown tool {name!r}; use one of {TOOLS}"
            raise ValueError(msg)
        self.cancel_interaction()
        self.tool = MAP_TOOLS[name](self)
        if self.tool.hint:
            self.message.emit(tr(self.tool.hint))
        self.setCursor(self.tool.cursor)
        self.tool_changed.emit(name)

    def cancel_interaction(self) -> None:
        """Drop a half-drawn polygon, drag, rubber band or measurement."""
        self._pan.cancel()
        self.tool.cancel()

    def delete_selected(self) -> None:
        """Delete the selected facility, candidate or exclusion zone (undoable)."""
        layer, rows = self.selection
        if layer in ("facilities", "candidates", "exclusions") and rows:
            self.push(DeleteFeature, layer, self.model.key_of(layer, rows[0]))

    # ------------------------------------------------------------------ blitting
    def _on_draw(self, _event) -> None:
        self._bg = self.copy_from_bbox(self.figure.bbox)
        for a in self.tool.overlays():
            self.ax.draw_artist(a)

    def blit_overlays(self) -> None:
        """Redraw the active tool's overlays over the cached map (no full redraw)."""
        if self._bg is None:
            self.draw_idle()
            return
        self.restore_region(self._bg)
        for a in self.tool.overlays():
            self.ax.draw_artist(a)
        self.blit(self.figure.bbox)

    # ------------------------------------------------------------------ events to the tool
    def _on_press(self, ev) -> None:
        if ev.inaxes is not self.ax or ev.xdata is None:
            return
        if ev.button in (2, 3):  # the right and middle buttons pan with any tool
            self._pan.press(ev)
        elif ev.button == 1:
            self.tool.press(ev)

    def _on_motion(self, ev) -> None:
        if ev.inaxes is self.ax and ev.xdata is not None:
            lon, lat = self.to_lonlat(ev.xdata, ev.ydata)
            self.cursor_moved.emit(float(lon), float(lat))
        (self._pan if self._pan.dragging else self.tool).move(ev)

    def _on_release(self, ev) -> None:
        (self._pan if self._pan.dragging else self.tool).release(ev)

    def _on_key(self, ev) -> None:
        self.tool.key(ev)
        if ev.key == "delete":
            self.delete_selected()

    def _on_scroll(self, ev) -> None:
        if ev.inaxes is not self.ax or ev.xdata is None:
            return
        f = 1 / 1.25 if ev.button == "up" else 1.25
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        cx, cy = ev.xdata, ev.ydata
        self.ax.set_xlim(cx - (cx - x0) * f, cx + (x1 - cx) * f)
        self.ax.set_ylim(cy - (cy - y0) * f, cy + (y1 - cy) * f)
        self.draw_idle()
