"""Map tools: one small object per tool, registered by name in :data:`MAP_TOOLS`.

The map canvas forwards its matplotlib events to the active tool only: a left
``press``, every ``move``, the ``release`` and each ``key``.  A tool keeps its
own transient state (rubber band, dragged feature or vertex, polygon being
drawn, measured path) and its own overlay artists, which the canvas blits over
its cached background (:meth:`MapTool.overlays`).  Events arrive in map metres
(the canvas' projected CRS); a tool converts to lon/lat, what the project
stores, only through :meth:`MapTool.lonlat` and draws lon/lat overlays through
:meth:`MapTool.to_map` (both the canvas' one conversion point).  ``cancel()`` drops that
state and removes the artists; the canvas calls it when another tool becomes
active and on Esc.  Edits go through ``canvas.push(command_cls, ...)`` so they
land on the undo stack.

Adding a tool: subclass :class:`MapTool`, override the handlers it needs, give
it a ``name`` (and an i18n label ``tool.<name>``), and list it in
:data:`MAP_TOOLS`; the toolbar and the *Tools* menu pick it up from there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Transform, offset_copy
from PyQt6.QtCore import Qt

from wufei_gis import editing
from wufei_gis.errors import InputError
from wufei_gis.projection import GEOD

from .i18n import tr
from .map_pick import pick_any, pick_point, pick_polygon, pick_vertex

if TYPE_CHECKING:
    from .map_canvas import MapCanvas

__all__ = ["MAP_TOOLS", "MapTool", "path_km"]

RED = "#d62728"
Cursor = Qt.CursorShape

_A = TypeVar("_A", bound=Artist)


def path_km(points: list[tuple[float, float]]) -> float:
    """Geodesic (WGS84) length in km of the path through ``points`` (lon, lat degrees)."""
    if len(points) < 2:
        return 0.0
    lons, lats = zip(*points, strict=True)
    return float(GEOD.line_length(lons, lats)) / 1000.0


def _inside(canvas: MapCanvas, event) -> bool:
    return event.inaxes is canvas.ax and event.xdata is not None


# ---------------------------------------------------------------------- base
class MapTool:
    """A map tool: event handlers (no-ops here) plus its transient overlay artists.

    Parameters
    ----------
    canvas
        The :class:`~wufei_gis.ui.map_canvas.MapCanvas` the tool works on.
    """

    name: ClassVar[str] = ""
    cursor: ClassVar[Qt.CursorShape] = Cursor.ArrowCursor
    hint: ClassVar[str | None] = None  # i18n key shown in the status bar on activation

    def __init__(self, canvas: MapCanvas) -> None:
        self.canvas = canvas
        self._artists: dict[str, Artist] = {}
        self.reset()

    def reset(self) -> None:
        """Put the transient state (drag, vertices, ...) back to idle; tools with state override."""

    def press(self, event) -> None:
        """Left button pressed inside the map."""

    def move(self, event) -> None:
        """Mouse moved (anywhere over the canvas, button down or not)."""

    def release(self, event) -> None:
        """Left button released."""

    def key(self, event) -> None:
        """Key pressed; Esc cancels."""
        if event.key == "escape":
            self.cancel()

    def model_changed(self, event) -> None:
        """A project layer changed (``event`` is a :class:`~wufei_gis.editing.ChangeEvent`)."""

    def cancel(self) -> None:
        """Drop the transient state and remove the overlay artists."""
        self.reset()
        for a in self._artists.values():
            a.remove()
        self._artists.clear()
        self.canvas.draw_idle()

    def lonlat(self, event) -> tuple[float, float]:
        """The (lon, lat) degrees of a mouse event (events come in map metres)."""
        lon, lat = self.canvas.to_lonlat(float(event.xdata), float(event.ydata))
        return float(lon), float(lat)

    def to_map(self, pts: list[tuple[float, float]]) -> tuple[list, list]:
        """Map x and y lists of (lon, lat) points, for an overlay."""
        if not pts:
            return [], []
        lon, lat = zip(*pts, strict=True)
        x, y = self.canvas.to_map(list(lon), list(lat))
        return list(x), list(y)

    def overlays(self) -> list[Artist]:
        """The visible overlay artists, blitted by the canvas."""
        return [a for a in self._artists.values() if a.get_visible()]

    def overlay(self, key: str, make: Callable[[], _A]) -> _A:
        """Return the overlay ``key``, creating it (animated, on top) on first use."""
        if key not in self._artists:
            a = make()
            a.set_animated(True)
            a.set_zorder(100)
            self.canvas.ax.add_artist(a)
            self._artists[key] = a
        return cast(_A, self._artists[key])  # made by ``make`` on first use

    def line(self, key: str = "line", **style) -> Line2D:
        """A red overlay line (``style`` overrides the default polyline look)."""
        kw: dict[str, Any] = {"color": RED, "lw": 1.5, "marker": "o", "ms": 4} | style
        return self.overlay(key, lambda: Line2D([], [], **kw))


# ---------------------------------------------------------------------- view tools
class PanTool(MapTool):
    """Drag to pan (the canvas also pans with the right or middle button)."""

    name = "pan"
    cursor = Cursor.OpenHandCursor

    def reset(self) -> None:
        # press position (pixels), the limits then and the pixel-to-data transform then
        self._start: (
            tuple[tuple[float, float], tuple[float, float], tuple[float, float], Transform] | None
        ) = None

    @property
    def dragging(self) -> bool:
        """Whether a pan drag is in progress."""
        return self._start is not None

    def press(self, event) -> None:
        ax = self.canvas.ax
        self._start = ((event.x, event.y), ax.get_xlim(), ax.get_ylim(), ax.transData.inverted())

    def move(self, event) -> None:
        if self._start is None:
            return
        xy, xlim, ylim, inv = self._start
        (x0, y0), (x1, y1) = inv.transform(xy), inv.transform((event.x, event.y))
        self.canvas.ax.set_xlim(xlim[0] - (x1 - x0), xlim[1] - (x1 - x0))
        self.canvas.ax.set_ylim(ylim[0] - (y1 - y0), ylim[1] - (y1 - y0))
        self.canvas.draw_idle()

    def release(self, event) -> None:
        self._start = None


class ZoomBoxTool(MapTool):
    """Drag a rectangle to zoom to it."""

    name = "zoom_box"
    cursor = Cursor.CrossCursor

    def reset(self) -> None:
        self._start: tuple[float, float] | None = None

    def _rubber(self) -> Rectangle:
        return self.overlay(
            "rubber", lambda: Rectangle((0, 0), 0, 0, fill=False, ec=RED, lw=1, ls="--")
        )

    def press(self, event) -> None:
        self._start = (event.xdata, event.ydata)
        self._rubber().set_bounds(event.xdata, event.ydata, 0, 0)

    def move(self, event) -> None:
        if self._start is None or not _inside(self.canvas, event):
            return
        (sx, sy) = self._start
        self._rubber().set_bounds(
            min(sx, event.xdata), min(sy, event.ydata), abs(event.xdata - sx), abs(event.ydata - sy)
        )
        self.canvas.blit_overlays()

    def release(self, event) -> None:
        start = self._start
        self.cancel()
        if start is None or not _inside(self.canvas, event):
            return
        (sx, sy), (x, y) = start, (event.xdata, event.ydata)
        if abs(x - sx) > 1.0 and abs(y - sy) > 1.0:  # metres
            self.canvas.zoom_to_map_bounds((min(sx, x), min(sy, y), max(sx, x), max(sy, y)), pad=0)


class SelectTool(MapTool):
    """Click a feature to select it (the attribute table follows)."""

    name = "select"

    def press(self, event) -> None:
        hit = pick_any(self.canvas, event)
        self.canvas.set_selection(*(hit[0], [hit[1]]) if hit else ("", []), emit=True)


class IdentifyTool(MapTool):
    """Click any feature: the canvas emits ``feature_identified(layer, row)``."""

    name = "identify"
    cursor = Cursor.WhatsThisCursor
    hint = "status.identify_hint"

    def press(self, event) -> None:
        hit = pick_any(self.canvas, event)
        if hit is None:
            return
        layer, row = hit
        df = self.canvas.layer_frame(layer)
        names = [str(df[c].iloc[row]) for c in ("name_zh", "name_en") if c in df.columns]
        self.canvas.message.emit(
            tr(
                "status.identified",
                layer=tr(f"layer.{layer}"),
                row=row + 1,
                name=next(iter(names), ""),
            )
        )
        self.canvas.feature_identified.emit(layer, row)


class MeasureTool(MapTool):
    """Click points; the cumulative geodesic distance is shown at the last one."""

    name = "measure"
    cursor = Cursor.CrossCursor
    hint = "status.measure_hint"

    def reset(self) -> None:
        self.points: list[tuple[float, float]] = []

    @property
    def km(self) -> float:
        """Geodesic length (km) of the clicked path."""
        return path_km(self.points)

    def press(self, event) -> None:
        if event.dblclick:  # the second press of a double-click is not a new point
            return
        self.points.append(self.lonlat(event))
        self._show(self.points)
        self.canvas.message.emit(tr("map.measure_km", km=self.km))
        self.canvas.distance_measured.emit(self.km)

    def move(self, event) -> None:
        if self.points and _inside(self.canvas, event):
            self._show(self.points + [self.lonlat(event)])

    def _show(self, pts: list[tuple[float, float]]) -> None:
        xs, ys = self.to_map(pts)
        self.line().set_data(xs, ys)
        label = self.overlay(
            "label",
            lambda: Text(
                0,
                0,
                "",
                fontsize=9,
                ha="left",
                va="bottom",
                color="#222222",
                transform=offset_copy(self.canvas.ax.transData, self.canvas.figure, 7, 7, "points"),
                bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": RED, "alpha": 0.9},
            ),
        )
        label.set_position((xs[-1], ys[-1]))
        label.set_text(tr("map.measure_km", km=path_km(pts)))
        self.canvas.blit_overlays()


# ---------------------------------------------------------------------- edit tools
class AddCandidateTool(MapTool):
    """Click to add a candidate site there."""

    name = "add_candidate"
    cursor = Cursor.CrossCursor

    def press(self, event) -> None:
        c = self.canvas
        cmd = c.push(editing.AddCandidate, *self.lonlat(event))
        if cmd is not None:
            c.set_selection(
                "candidates", [c.model.row_of("candidates", cmd.candidate_id)], emit=True
            )


class MoveTool(MapTool):
    """Drag a facility or candidate to a new place."""

    name = "move"

    def reset(self) -> None:
        self._drag: tuple[str, str, tuple[float, float]] | None = None

    def _ghost(self) -> Line2D:
        return self.line("ghost", marker="o", ms=10, mfc="none", mew=2, ls="")

    def press(self, event) -> None:
        hit = pick_point(self.canvas, event)
        if hit:
            self._drag = (hit[0], self.canvas.model.key_of(*hit), (event.x, event.y))
            self._ghost().set_data([event.xdata], [event.ydata])
            self.canvas.blit_overlays()

    def move(self, event) -> None:
        if self._drag is not None and _inside(self.canvas, event):
            self._ghost().set_data([event.xdata], [event.ydata])
            self.canvas.blit_overlays()

    def release(self, event) -> None:
        drag = self._drag
        self.cancel()
        if drag is None or not _inside(self.canvas, event):
            return
        layer, key, (x0, y0) = drag
        if math.hypot(event.x - x0, event.y - y0) > 3:
            self.canvas.push(editing.MoveFeature, layer, key, *self.lonlat(event))


class DeleteTool(MapTool):
    """Click a facility, candidate or exclusion zone to delete it."""

    name = "delete"

    def press(self, event) -> None:
        c = self.canvas
        hit = pick_point(c, event)
        if hit is None:
            row = pick_polygon(c, *self.lonlat(event), "exclusions")
            hit = None if row is None else ("exclusions", row)
        if hit:
            c.push(editing.DeleteFeature, hit[0], c.model.key_of(*hit))


class DrawExclusionTool(MapTool):
    """Clicks add vertices; double-click or Enter finishes the zone, Esc cancels."""

    name = "draw_exclusion"
    cursor = Cursor.CrossCursor
    hint = "status.draw_hint"

    def reset(self) -> None:
        self.vertices: list[tuple[float, float]] = []

    def press(self, event) -> None:
        if event.dblclick:
            self.finish()
            return
        self.vertices.append(self.lonlat(event))
        self.line().set_data(*self.to_map(self.vertices))
        self.canvas.blit_overlays()

    def move(self, event) -> None:
        if self.vertices and _inside(self.canvas, event):
            self.line().set_data(*self.to_map([*self.vertices, self.lonlat(event)]))
            self.canvas.blit_overlays()

    def key(self, event) -> None:
        if event.key == "enter":
            self.finish()
        else:
            super().key(event)

    def finish(self) -> None:
        """Close the polygon being drawn and add it as an exclusion zone."""
        pts = self.vertices
        self.cancel()
        if len(pts) >= 2 and pts[-1] == pts[-2]:
            pts = pts[:-1]
        if pts:
            self.canvas.push(editing.AddExclusion, pts)


class EditVerticesTool(MapTool):
    """Click a zone to show its vertices, then drag a vertex."""

    name = "edit_vertices"

    def reset(self) -> None:
        self.zone: str | None = None
        self._drag: tuple[int, list[tuple[float, float]]] | None = None

    def _vertices(self) -> list[tuple[float, float]] | None:
        if self.zone is None:
            return None
        model = self.canvas.model
        try:
            row = model.row_of("exclusions", self.zone)
        except InputError:  # the zone was deleted (or its creation undone)
            self.zone = None
            return None
        return editing.polygon_vertices(model.project.exclusions.geometry.iloc[row])

    def handles(self) -> Line2D:
        """The vertex handles of the zone being edited."""
        return self.line("handles", marker="s", ms=6, mfc="white", lw=1)

    def _show(self, v: list[tuple[float, float]] | None) -> None:
        if v is None:
            self.cancel()
            return
        self.handles().set_data(*self.to_map(v + v[:1]))
        self.canvas.blit_overlays()

    def press(self, event) -> None:
        v = self._vertices()
        i = None if v is None else pick_vertex(self.canvas, event, v)
        if v is not None and i is not None:
            self._drag = (i, list(v))
            return
        row = pick_polygon(self.canvas, *self.lonlat(event), "exclusions")
        self.zone = None if row is None else self.canvas.model.key_of("exclusions", row)
        self._show(self._vertices())

    def move(self, event) -> None:
        if self._drag is not None and _inside(self.canvas, event):
            i, v = self._drag
            v[i] = self.lonlat(event)
            self._show(v)

    def release(self, event) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            return
        i, v = drag
        if _inside(self.canvas, event):
            v[i] = self.lonlat(event)
        if self.canvas.push(editing.EditExclusion, self.zone, v) is None:
            self._show(self._vertices())

    def model_changed(self, event) -> None:
        if event.layer == "exclusions" and self.zone is not None:
            self._show(self._vertices())


#: Tool name -> class, in toolbar order.
MAP_TOOLS: dict[str, type[MapTool]] = {
    t.name: t
    for t in (
        PanTool,
        ZoomBoxTool,
        SelectTool,
        IdentifyTool,
        MeasureTool,
        AddCandidateTool,
        MoveTool,
        DeleteTool,
        DrawExclusionTool,
        EditVerticesTool,
    )
}
