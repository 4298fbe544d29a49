"""The map: a matplotlib canvas drawing the project and result layers.

Layers are drawn with one collection each (``PolyCollection``, ``LineCollection``,
one ``scatter``) and kept between redraws; a change in the model rebuilds only
the layer that changed.  Mouse and key events go to the active map tool
(:mod:`wufei_gis.ui.map_tools`); its feedback (rubber band, polygon being drawn,
feature being dragged, vertex handles, measured path) is blitted over a cached
background, so the full map is not redrawn on every mouse move.  Every edit
goes through :meth:`MapCanvas.push`: a :mod:`wufei_gis.edits` command on the
project model's one history (:meth:`~wufei_gis.editing.ProjectModel.execute`).

Size: one drawing function per layer (eight layers), the legend, scale bar,
north arrow, selection highlight and zoom make up this module's ~740 lines;
they share the axes, the layer styles and the blitting background, and the
tools and hit tests already live in their own modules.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.ticker import FuncFormatter
from PyQt6.QtCore import Qt, pyqtSignal

from wufei_gis.editing import DeleteFeature, ProjectModel
from wufei_gis.errors import InputError

from .fonts import cjk_font
from .i18n import language, tr
from .map_tools import MAP_TOOLS, MapTool, PanTool

__all__ = ["LAYERS", "TOOLS", "TYPE_COLORS", "LayerStyle", "MapCanvas"]

logger = logging.getLogger(__name__)
# The map keeps a fixed data aspect (1/cos(lat)) with adjustable limits; matplotlib logs a
# warning every time it widens one axis to keep it, which is exactly what we want.
logging.getLogger("matplotlib.axes._base").setLevel(logging.ERROR)

#: Tool names in toolbar order (see :data:`~wufei_gis.ui.map_tools.MAP_TOOLS`).
TOOLS = tuple(MAP_TOOLS)
#: Layers bottom to top (the layer panel reorders them).
LAYERS = (
    "county_gaps",
    "counties",
    "roads",
    "exclusions",
    "flows",
    "candidates",
    "facilities",
    "proposed_sites",
)
RESULT_LAYERS = ("county_gaps", "flows", "proposed_sites")
TYPE_COLORS = {
    "landfill": "#8c564b",
    "incinerator": "#d62728",
    "transfer_station": "#1f77b4",
    "kitchen_waste": "#2ca02c",
    "sorting_centre": "#9467bd",
    "other": "#7f7f7f",
}
STATUS_MARKERS = {"operating": "o", "under_construction": "D", "planned": "s", "closed": "X"}
STAGE_COLORS = {"collection": "#4c72b0", "transfer": "#e07b39"}
KM_PER_DEG = 111.32
MAX_LABELS = 60  # more features than this are not labelled (redraw time)
MANY_POINTS = 2_000
MANY_LINES = 500


@dataclass
class LayerStyle:
    """How a layer is drawn: visibility, colour, symbol size (pt²) and label column."""

    visible: bool = True
    color: str = "#444444"
    size: float = 40.0
    label_field: str | None = None


def _default_styles() -> dict[str, LayerStyle]:
    return {
        "county_gaps": LayerStyle(color="#ffffff", size=0),
        "counties": LayerStyle(color="#f3efe4", size=0, label_field="name_zh"),
        "roads": LayerStyle(color="#a0a0a0", size=0.5),
        "exclusions": LayerStyle(color="#2ca02c", size=0),
        "flows": LayerStyle(color="#4c72b0", size=1.0),
        "candidates": LayerStyle(color="#17becf", size=40),
        "facilities": LayerStyle(color="#222222", size=55),
        "proposed_sites": LayerStyle(color="#000000", size=90),
    }


def _marker_path(marker: str):
    ms = MarkerStyle(marker)
    return ms.get_path().transformed(ms.get_transform())


def _marker_handle(marker: str, face: str, edge: str, size: float, label: str) -> Line2D:
    """Return a legend entry showing one point symbol (no line)."""
    return Line2D([], [], ls="", marker=marker, mfc=face, mec=edge, ms=size, label=label)


def _rings(geoms) -> list[np.ndarray]:
    """Exterior rings of (multi)polygons, one array per part."""
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        for part in getattr(g, "geoms", [g]):
            out.append(np.asarray(part.exterior.coords))
    return out


def _ring_owner(geoms) -> np.ndarray:
    return np.array(
        [
            i
            for i, g in enumerate(geoms)
            if g is not None and not g.is_empty
            for _ in getattr(g, "geoms", [g])
        ],
        dtype=int,
    )


def _nice(x: float) -> float:
    if x <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    return max(m * e for m in (1, 2, 5) if m * e <= x) if x >= e else e


class MapCanvas(FigureCanvasQTAgg):
    """Map of a :class:`~wufei_gis.editing.ProjectModel` with pan/zoom and edit tools."""

    cursor_moved = pyqtSignal(float, float)
    selection_changed = pyqtSignal(str, list)
    message = pyqtSignal(str)
    tool_changed = pyqtSignal(str)
    #: The identify tool hit a feature: (layer, 0-based row).
    feature_identified = pyqtSignal(str, int)
    #: The measure tool's path changed: its geodesic length in km.
    distance_measured = pyqtSignal(float)

    def __init__(self, model: ProjectModel, parent=None) -> None:
        self.figure = Figure(figsize=(8, 6), dpi=100, facecolor="#dfe8ef")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.model = model
        self.ax = self.figure.add_axes((0.055, 0.045, 0.935, 0.945))
        self.ax.set_facecolor("#dfe8ef")
        fmt = FuncFormatter(lambda v, _: f"{v:.2f}°")
        self.ax.xaxis.set_major_formatter(fmt)
        self.ax.yaxis.set_major_formatter(fmt)
        self.ax.tick_params(labelsize=7, colors="#555555", length=3)
        for sp in self.ax.spines.values():
            sp.set_color("#999999")
        self.styles = _default_styles()
        self.order = list(LAYERS)
        self.cjk = cjk_font() is not None
        self._sync_label_language()
        self.tool: MapTool = PanTool(self)
        self._pan = PanTool(self)  # right/middle-button drags, whatever the tool
        self.result_scenario: str | None = None
        self.selection: tuple[str, list[int]] = ("", [])
        self._artists: dict[str, list] = {name: [] for name in LAYERS}
        self._bg: object | None = None  # the map pixels under the overlays (an Agg region)
        self._sel_artists: list = []
        self._legend: Legend | None = None
        self._colorbar_ax = self.ax.inset_axes((0.72, 0.12, 0.25, 0.022))
        self._colorbar_ax.set_visible(False)
        self._make_decorations()
        self.mpl_connect("button_press_event", self._on_press)
        self.mpl_connect("button_release_event", self._on_release)
        self.mpl_connect("motion_notify_event", self._on_motion)
        self.mpl_connect("scroll_event", self._on_scroll)
        self.mpl_connect("key_press_event", self._on_key)
        self.mpl_connect("draw_event", self._on_draw)
        self.ax.callbacks.connect("xlim_changed", lambda _ax: self._update_scalebar())
        model.events.connect(self._on_model_event)
        self.refresh_all()
        self.zoom_to_all()

    # ------------------------------------------------------------------ setup
    def _make_decorations(self) -> None:
        ax = self.ax
        self._north = ax.annotate(
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
        self._scale_line = Line2D(
            [],
            [],
            color="#222222",
            lw=2.5,
            transform=ax.transAxes,
            zorder=90,
            solid_capstyle="butt",
        )
        ax.add_line(self._scale_line)
        self._scale_text = ax.text(
            0,
            0,
            "",
            transform=ax.transAxes,
            ha="center",
            va="bottom",
            fontsize=8,
            zorder=90,
            path_effects=[pe.withStroke(linewidth=3, foreground="white")],
        )

    # ------------------------------------------------------------------ data
    def layer_frame(self, layer: str):
        """Return the frame drawn as ``layer`` (a result layer may be ``None``)."""
        if layer in RESULT_LAYERS:
            res = self.model.results.get(self.result_scenario or "")
            return None if res is None else getattr(res, layer)
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
        """Rebuild every layer from the model."""
        lats = self._lat0()
        self.ax.set_aspect(1 / max(math.cos(math.radians(lats)), 0.1), adjustable="datalim")
        for layer in LAYERS:
            self._refresh(layer)
        self._update_legend()
        self._update_selection_artists()
        self.draw_idle()

    def _lat0(self) -> float:
        c = self.model.project.counties
        if len(c):
            b = c.total_bounds
            return float((b[1] + b[3]) / 2)
        return 30.0

    def _clear(self, layer: str) -> None:
        for a in self._artists[layer]:
            a.remove()
        self._artists[layer] = []

    def _refresh(self, layer: str) -> None:
        self._clear(layer)
        df = self.layer_frame(layer)
        st = self.styles[layer]
        if df is None or not len(df) or (layer == "county_gaps" and "geometry" not in df):
            if layer == "county_gaps":
                self._colorbar_ax.set_visible(False)
            return
        z = 10 + self.order.index(layer) * 2
        arts = getattr(self, f"_draw_{layer}")(df, st, z)
        for a in arts:
            a.set_visible(st.visible)
        if st.label_field and st.label_field in df.columns:
            arts += self._draw_labels(df, st, z + 1)
        self._artists[layer] = arts
        if layer == "county_gaps":
            self._colorbar_ax.set_visible(st.visible)

    def _polys(self, df, z, **kw) -> PolyCollection:
        coll = PolyCollection(_rings(df.geometry), zorder=z, **kw)
        self.ax.add_collection(coll, autolim=False)
        return coll

    def _gaps_shown(self) -> bool:
        gaps = self.layer_frame("county_gaps")
        return self.styles["county_gaps"].visible and gaps is not None and len(gaps) > 0

    def _draw_counties(self, df, st, z):
        # over the capacity-gap choropleth the counties are outlines only
        face = "none" if self._gaps_shown() else st.color
        return [self._polys(df, z, facecolors=face, edgecolors="#7a7a7a", linewidths=0.8)]

    def _draw_exclusions(self, df, st, z):
        return [
            self._polys(
                df,
                z,
                facecolors=st.color,
                edgecolors=st.color,
                linewidths=1.2,
                alpha=0.35,
                hatch="///",
            )
        ]

    def _draw_county_gaps(self, df, st, z):
        gen = df["generation_tpd"].to_numpy(float)
        share = np.divide(
            df["unserved_tpd"].to_numpy(float), gen, out=np.zeros_like(gen), where=gen > 0
        )
        owner = _ring_owner(df.geometry)
        norm, cmap = Normalize(0, 1), "OrRd"
        coll = self._polys(
            df,
            z,
            array=share[owner],
            cmap=cmap,
            norm=norm,
            edgecolors="#8a8a8a",
            linewidths=0.8,
            alpha=0.85,
        )
        cax = self._colorbar_ax
        cax.clear()
        cb = self.figure.colorbar(
            ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal"
        )
        cb.set_label(tr("legend.unserved_share"), fontsize=8)
        cb.ax.xaxis.set_label_position("top")
        cb.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
        cb.ax.tick_params(labelsize=7)
        return [coll]

    def _draw_roads(self, df, st, z):
        major = (
            df["highway"].astype(str).isin(["motorway", "trunk", "primary", "secondary"]).to_numpy()
        )
        segs = [np.asarray(g.coords)[:, :2] for g in df.geometry]
        coll = LineCollection(
            segs,
            linewidths=np.where(major, st.size * 2.4, st.size),
            colors=st.color,
            zorder=z,
            antialiaseds=len(segs) < 20_000,
        )
        self.ax.add_collection(coll, autolim=False)
        return [coll]

    def _draw_flows(self, df, st, z):
        keep = np.array(
            [g is not None and not g.is_empty and g.geom_type == "LineString" for g in df.geometry],
            dtype=bool,
        )
        segs = [np.asarray(g.coords)[:, :2] for g in df.geometry[keep]]
        t = df["tonnes_per_day"].to_numpy(float)[keep]
        tmax = max(float(t.max()) if len(t) else 1.0, 1e-9)
        widths = st.size * (0.6 + 4.0 * np.sqrt(t / tmax))
        stage = (
            df["stage"].astype(str).to_numpy()[keep] if "stage" in df else np.array(["-"] * len(t))
        )
        colors = np.array([STAGE_COLORS.get(s, st.color) for s in stage])
        many = len(segs) > MANY_LINES  # alpha blending, round caps and AA cost ~2x when many
        coll = LineCollection(
            segs,
            linewidths=widths,
            colors=colors,
            zorder=z,
            alpha=None if many else 0.8,
            capstyle="butt" if many else "round",
            antialiaseds=not many,
        )
        self.ax.add_collection(coll, autolim=False)
        return [coll]

    def _scatter(self, df, z, paths, **kw):
        xy = np.column_stack([df.geometry.x.to_numpy(), df.geometry.y.to_numpy()])
        coll = self.ax.scatter(xy[:, 0], xy[:, 1], zorder=z, **kw)
        if paths is not None:
            coll.set_paths(paths)
        return coll

    def _draw_facilities(self, df, st, z):
        paths = [_marker_path(STATUS_MARKERS.get(s, "o")) for s in df["status"].astype(str)]
        colors = [TYPE_COLORS.get(t, "#7f7f7f") for t in df["type"].astype(str)]
        return [
            self._scatter(df, z, paths, s=st.size, c=colors, edgecolors=st.color, linewidths=0.8)
        ]

    def _draw_candidates(self, df, st, z):
        if len(df) > MANY_POINTS:  # stroking hollow markers is ~7x slower than filling
            return [
                self._scatter(
                    df, z, None, s=st.size / 3, marker="^", facecolors=st.color, linewidths=0
                )
            ]
        return [
            self._scatter(
                df,
                z,
                None,
                s=st.size,
                marker="^",
                facecolors="none",
                edgecolors=st.color,
                linewidths=1.4,
            )
        ]

    def _draw_proposed_sites(self, df, st, z):
        cap = df["capacity_tpd"].to_numpy(float)
        sizes = st.size * (0.4 + 2.6 * np.sqrt(cap / max(float(cap.max()), 1e-9)))
        new = df["is_new"].astype(bool).to_numpy()
        paths = [_marker_path("*" if n else "o") for n in new]
        colors = [TYPE_COLORS.get(t, "#7f7f7f") for t in df["type"].astype(str)]
        return [
            self._scatter(
                df,
                z,
                paths,
                s=sizes,
                c=colors,
                alpha=0.9,
                edgecolors=["#000000" if n else "#ffffff" for n in new],
                linewidths=1.0,
            )
        ]

    def _draw_labels(self, df, st, z):
        geoms = df.geometry
        pts = geoms if geoms.geom_type.iloc[0] == "Point" else geoms.representative_point()
        # a white halo reads well but costs ~2 ms per label: only for a few labels
        if len(df) > MAX_LABELS:  # each label costs ~1.5 ms per redraw
            return []
        stroke = [pe.withStroke(linewidth=2.5, foreground="white")]
        out = []
        for p, text in zip(pts, df[st.label_field].astype(str), strict=True):
            if text and text != "nan":
                out.append(
                    self.ax.text(
                        p.x,
                        p.y,
                        text,
                        fontsize=8,
                        ha="center",
                        va="center",
                        zorder=z + 40,
                        path_effects=stroke,
                        clip_on=True,
                        visible=st.visible,
                    )
                )
        return out

    # ------------------------------------------------------------------ style API
    def set_style(self, layer: str, **changes) -> None:
        """Change a layer's style (``visible``, ``color``, ``size``, ``label_field``)."""
        st = self.styles[layer]
        for k, v in changes.items():
            setattr(st, k, v)
        if set(changes) == {"visible"}:
            for a in self._artists[layer]:
                a.set_visible(st.visible)
            if layer == "county_gaps":
                self._colorbar_ax.set_visible(st.visible and bool(self._artists[layer]))
                self._refresh("counties")
        else:
            self._refresh(layer)
        self.draw_idle()

    def move_layer(self, layer: str, delta: int) -> None:
        """Move a layer up (+1) or down (-1) in the drawing order."""
        i = self.order.index(layer)
        j = min(max(i + delta, 0), len(self.order) - 1)
        self.order.insert(j, self.order.pop(i))
        for k, name in enumerate(self.order):
            for a in self._artists[name]:
                a.set_zorder(10 + 2 * k + (40 if hasattr(a, "get_text") else 0))
        self.draw_idle()

    def _update_legend(self) -> None:
        if self._legend is not None:
            self._legend.remove()
        handles = []
        types = set(self.model.project.facilities["type"].astype(str))
        res = self.layer_frame("proposed_sites")
        if res is not None:
            types |= set(res["type"].astype(str))
        for t, c in TYPE_COLORS.items():
            if t in types:
                handles.append(_marker_handle("o", c, "#222222", 7, tr(f"type.{t}")))
        statuses = set(self.model.project.facilities["status"].astype(str))
        for s, m in STATUS_MARKERS.items():
            if s in statuses:
                handles.append(_marker_handle(m, "#bbbbbb", "#222222", 7, tr(f"st.{s}")))
        if len(self.model.project.candidates):
            color = self.styles["candidates"].color
            handles.append(_marker_handle("^", "none", color, 7, tr("layer.candidates")))
        if res is not None and len(res):
            site = tr("layer.proposed_sites")
            handles.append(
                _marker_handle("*", "#bbbbbb", "#000000", 11, f"{site} ({tr('legend.new')})")
            )
            handles.append(
                _marker_handle("o", "#bbbbbb", "#ffffff", 9, f"{site} ({tr('legend.existing')})")
            )
            for stage, c in STAGE_COLORS.items():
                handles.append(Line2D([], [], color=c, lw=2.5, label=tr(f"legend.flow_{stage}")))
        self._legend = (
            self.ax.legend(
                handles=handles, loc="lower left", fontsize=8, framealpha=0.92, edgecolor="#aaaaaa"
            )
            if handles
            else None
        )
        if self._legend is not None:
            self._legend.set_zorder(95)

    def _sync_label_language(self) -> None:
        """Label counties in the UI language (English names when no CJK font)."""
        st = self.styles["counties"]
        if st.label_field in ("name_zh", "name_en"):
            st.label_field = "name_zh" if self.cjk and language() == "zh" else "name_en"

    def retranslate(self) -> None:
        """Rebuild texts after a language switch."""
        self._sync_label_language()
        self._north.set_text(tr("map.north"))
        self.refresh_all()
        self._update_scalebar()

    # ------------------------------------------------------------------ view
    def zoom_to_bounds(self, bounds, pad: float = 0.05) -> None:
        """Show ``(minx, miny, maxx, maxy)`` degrees with a margin."""
        x0, y0, x1, y1 = (float(v) for v in bounds)
        if not all(map(math.isfinite, (x0, y0, x1, y1))):
            return
        dx, dy = max(x1 - x0, 0.01) * (1 + 2 * pad), max(y1 - y0, 0.01) * (1 + 2 * pad)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        box = self.ax.get_position().transformed(self.figure.transFigure)
        a = 1 / max(math.cos(math.radians(cy)), 0.1)  # screen height of 1° lat / 1° lon
        ratio = max(box.height, 1) / max(box.width, 1)
        if dy * a / dx < ratio:
            dy = dx * ratio / a
        else:
            dx = dy * a / ratio
        self.ax.set_aspect(a, adjustable="datalim")
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
        self.zoom_to_bounds((73.5, 18.0, 135.0, 53.5))  # China

    def _update_scalebar(self) -> None:
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        km_width = (x1 - x0) * KM_PER_DEG * math.cos(math.radians((y0 + y1) / 2))
        if km_width <= 0:
            return
        km = _nice(km_width / 5)
        frac = km / km_width
        right, y = 0.97, 0.035
        self._scale_line.set_data([right - frac, right], [y, y])
        self._scale_text.set_position((right - frac / 2, y + 0.008))
        self._scale_text.set_text(tr("map.scale_km", km=km))

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
        df = self.layer_frame(layer) if layer else None
        if df is None or not rows or "geometry" not in df:
            return
        rows = [r for r in rows if 0 <= r < len(df)]
        sub = df.iloc[rows]
        if not len(sub):
            return
        if sub.geometry.geom_type.iloc[0] == "Point":
            a = self.ax.scatter(
                sub.geometry.x,
                sub.geometry.y,
                s=260,
                facecolors="none",
                edgecolors="#ff00ff",
                linewidths=2.2,
                zorder=98,
            )
        elif sub.geometry.geom_type.iloc[0] in ("LineString", "MultiLineString"):  # flows
            parts = [p for g in sub.geometry if g is not None for p in getattr(g, "geoms", [g])]
            a = LineCollection(
                [np.asarray(p.coords)[:, :2] for p in parts],
                colors="#ff00ff",
                linewidths=3.0,
                zorder=98,
            )
            self.ax.add_collection(a, autolim=False)
        else:
            a = PolyCollection(
                _rings(sub.geometry),
                facecolors="none",
                edgecolors="#ff00ff",
                linewidths=2.5,
                zorder=98,
            )
            self.ax.add_collection(a, autolim=False)
        self._sel_artists = [a]

    # ------------------------------------------------------------------ model events
    def _on_model_event(self, ev) -> None:
        if ev.kind == "project":
            self.cancel_interaction()
            self.selection = ("", [])
            self.result_scenario = None
            self.refresh_all()
            self.zoom_to_all()
            return
        if ev.kind == "results":
            self.show_result(ev.scenario or self.result_scenario)
            return
        if ev.layer in LAYERS:
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
            self.message.emit(tr("status.rejected", msg=str(err)))
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
            self.cursor_moved.emit(float(ev.xdata), float(ev.ydata))
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
