"""Map label placement: labels never overlap each other or the markers they describe.

A small greedy placement pass in display (pixel) coordinates, the method
cartographers call *candidate-position* placement (Imhof's positions around a
point; Christensen, Marks & Shieber 1995 compare it with heavier methods):
labels are taken in priority order (facilities before county names), each tries
its candidate positions in preference order — right, upper right, above … for a
point, centre first for an area — and takes the first one whose box is inside
the map and hits no placed label and no marker.  A label with no free position
tries the same positions farther out with a leader line (when allowed), and
otherwise is dropped: a map that hides a marker under a label, or prints two
names on top of each other, is worse than one that omits a name.

:func:`place_labels` is pure numpy (boxes in, boxes out) so it can be tested
exactly; :func:`place_text_labels` applies it to matplotlib axes (the desktop
map and the print layouts both call it after every zoom).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation

__all__ = [
    "AREA_POSITIONS",
    "POINT_POSITIONS",
    "LabelOptions",
    "Placement",
    "overlapping_pairs",
    "place_labels",
    "place_text_labels",
]

FloatArray = npt.NDArray[np.float64]

#: Candidate positions around a point, in order of preference (compass directions).
POINT_POSITIONS: tuple[str, ...] = ("E", "NE", "N", "NW", "W", "SW", "S", "SE")
#: Candidate positions for an area's label: its centre first, then nudged.
AREA_POSITIONS: tuple[str, ...] = ("C", "S", "N", "E", "W", "SE", "SW", "NE", "NW")
# unit direction of each position: the box's anchor corner sits this way from the point
_DIRECTION: dict[str, tuple[float, float]] = {
    "C": (0.0, 0.0),
    "E": (1.0, 0.0),
    "NE": (1.0, 1.0),
    "N": (0.0, 1.0),
    "NW": (-1.0, 1.0),
    "W": (-1.0, 0.0),
    "SW": (-1.0, -1.0),
    "S": (0.0, -1.0),
    "SE": (1.0, -1.0),
}
# matplotlib alignment of a label at each position
_ALIGN: dict[int, str] = {-1: "right", 0: "center", 1: "left"}
_VALIGN: dict[int, str] = {-1: "top", 0: "center", 1: "bottom"}


@dataclass(frozen=True)
class Placement:
    """Where each label went.

    Attributes
    ----------
    boxes
        ``(n, 4)`` boxes ``x0, y0, x1, y1`` in display pixels; ``NaN`` rows for
        dropped labels.
    positions
        The chosen position per label (``"E"``, ``"C"`` …) or ``None`` if dropped.
    leaders
        ``True`` where the label sits farther out and needs a leader line.
    """

    boxes: FloatArray
    positions: list[str | None]
    leaders: npt.NDArray[np.bool_]

    @property
    def placed(self) -> npt.NDArray[np.bool_]:
        """``True`` for every label that was placed."""
        return np.array([p is not None for p in self.positions], dtype=bool)


@dataclass(frozen=True)
class LabelOptions:
    """How :func:`place_labels` searches.

    Parameters
    ----------
    offset
        Gap in pixels between a point and its label (:func:`place_text_labels`
        adds ``obstacle_radius``: the gap is measured from the marker's edge).
    leader_offset
        Distance in pixels of the second, leader-line ring; ``None`` = no leader
        lines (labels that do not fit are dropped).
    bounds
        ``(x0, y0, x1, y1)`` in pixels a label must stay inside (the axes);
        ``None`` = anywhere.
    obstacle_radius
        Half the side of a marker's box in pixels (:func:`place_text_labels`).
    """

    offset: float = 3.0
    leader_offset: float | None = None
    bounds: tuple[float, float, float, float] | None = None
    obstacle_radius: float = 6.0


@dataclass
class _Occupied:
    """Boxes already taken (placed labels and markers)."""

    boxes: list[FloatArray] = field(default_factory=list)

    def hits(self, box: FloatArray) -> bool:
        if not self.boxes:
            return False
        b = np.vstack(self.boxes)
        return bool(
            np.any(
                (b[:, 0] < box[2]) & (box[0] < b[:, 2]) & (b[:, 1] < box[3]) & (box[1] < b[:, 3])
            )
        )


def _box_at(anchor: FloatArray, size: FloatArray, position: str, gap: float) -> FloatArray:
    dx, dy = _DIRECTION[position]
    w, h = float(size[0]), float(size[1])
    # the label's reference point: gap away from the anchor in the position's direction
    cx = anchor[0] + dx * (gap + w / 2.0)
    cy = anchor[1] + dy * (gap + h / 2.0)
    if position == "C":
        cx, cy = float(anchor[0]), float(anchor[1])
    return np.array([cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0])


def _inside(box: FloatArray, bounds: tuple[float, float, float, float] | None) -> bool:
    if bounds is None:
        return True
    x0, y0, x1, y1 = bounds
    return bool(box[0] >= x0 and box[1] >= y0 and box[2] <= x1 and box[3] <= y1)


def _first_free(
    anchor: FloatArray,
    size: FloatArray,
    positions: Sequence[str],
    gap: float,
    taken: _Occupied,
    bounds: tuple[float, float, float, float] | None,
) -> tuple[str, FloatArray] | None:
    for pos in positions:
        box = _box_at(anchor, size, pos, gap)
        if _inside(box, bounds) and not taken.hits(box):
            return pos, box
    return None


def place_labels(
    anchors: npt.ArrayLike,
    sizes: npt.ArrayLike,
    *,
    priority: npt.ArrayLike | None = None,
    positions: Sequence[Sequence[str]] | None = None,
    obstacles: npt.ArrayLike | None = None,
    options: LabelOptions | None = None,
) -> Placement:
    """Place labels so that no two overlap and none covers an obstacle.

    Parameters
    ----------
    anchors
        ``(n, 2)`` anchor points in display pixels (a marker, an area's
        representative point).
    sizes
        ``(n, 2)`` label widths and heights in pixels.
    priority
        Higher first; ties keep input order.  Default: input order.
    positions
        Per label, its candidate positions in preference order (see
        :data:`POINT_POSITIONS`, :data:`AREA_POSITIONS`); default: point positions.
    obstacles
        ``(m, 4)`` boxes ``x0, y0, x1, y1`` no label may cover (markers).
    options
        Offsets, leader lines and bounds (:class:`LabelOptions`).

    Returns
    -------
    Placement
        Boxes, chosen positions and leader flags, in input order.

    >>> p = place_labels([[0, 0], [5, 0]], [[20, 10], [20, 10]])
    >>> p.positions, overlapping_pairs(p.boxes)
    (['E', 'NW'], [])
    """
    opts = options or LabelOptions()
    xy = np.asarray(anchors, dtype=float).reshape(-1, 2)
    wh = np.asarray(sizes, dtype=float).reshape(-1, 2)
    n = len(xy)
    prio = np.zeros(n) if priority is None else np.asarray(priority, dtype=float)
    order = np.argsort(-prio, kind="stable")
    cands = list(positions) if positions is not None else [POINT_POSITIONS] * n
    taken = _Occupied()
    if obstacles is not None:
        taken.boxes.extend(np.asarray(obstacles, dtype=float).reshape(-1, 4))
    boxes = np.full((n, 4), np.nan)
    chosen: list[str | None] = [None] * n
    leaders = np.zeros(n, dtype=bool)
    for i in order:
        hit = _first_free(xy[i], wh[i], cands[i], opts.offset, taken, opts.bounds)
        if hit is None and opts.leader_offset is not None:
            ring = [p for p in cands[i] if p != "C"]
            hit = _first_free(xy[i], wh[i], ring, opts.leader_offset, taken, opts.bounds)
            leaders[i] = hit is not None
        if hit is not None:
            chosen[i], boxes[i] = hit
            taken.boxes.append(boxes[i])
    return Placement(boxes=boxes, positions=chosen, leaders=leaders)


def overlapping_pairs(boxes: npt.ArrayLike) -> list[tuple[int, int]]:
    """Return the index pairs ``(i, j)``, ``i < j``, of boxes that overlap (NaN rows skipped)."""
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)
    out: list[tuple[int, int]] = []
    ok = ~np.isnan(b).any(axis=1)
    for i in np.flatnonzero(ok):
        rest = b[i + 1 :]
        hit = (rest[:, 0] < b[i, 2]) & (b[i, 0] < rest[:, 2])
        hit &= (rest[:, 1] < b[i, 3]) & (b[i, 1] < rest[:, 3])
        hit &= ok[i + 1 :]
        out.extend((int(i), int(i + 1 + j)) for j in np.flatnonzero(hit))
    return out


def _renderer(fig: Any) -> Any:
    """The figure's renderer (Agg and Qt canvases have one; a bare Figure makes one)."""
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def place_text_labels(
    ax: Axes,
    xy: npt.ArrayLike,
    texts: Sequence[str],
    *,
    priority: npt.ArrayLike | None = None,
    areas: npt.ArrayLike | None = None,
    obstacles: npt.ArrayLike | None = None,
    options: LabelOptions | None = None,
    text_kw: dict[str, Any] | None = None,
) -> list[Annotation | None]:
    """Draw ``texts`` at data points ``xy`` of ``ax`` where they fit; drop the rest.

    Parameters
    ----------
    ax
        The axes (its current limits and size decide the placement: call again
        after a zoom).
    xy
        ``(n, 2)`` anchors in data coordinates.
    texts
        The label strings.
    priority
        Higher first (e.g. 2 for facilities, 1 for county names).
    areas
        ``True`` where the anchor is an area's representative point (centre
        first) rather than a marker (positions around it).
    obstacles
        ``(m, 2)`` marker positions in data coordinates no label may cover.
    options
        :class:`LabelOptions`; ``bounds`` defaults to the axes' window extent
        (``obstacle_radius``: half a marker box side, pixels).
    text_kw
        Keyword arguments of every ``ax.annotate`` (font, size, colour, zorder ...).

    Returns
    -------
    list
        The annotation per label, ``None`` where it was dropped.
    """
    kw = dict(text_kw or {})
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    fig = ax.figure
    renderer = _renderer(fig)
    anchors = ax.transData.transform(pts) if len(pts) else np.zeros((0, 2))
    made = [
        ax.annotate(t, (x, y), ha="center", va="center", **kw)
        for (x, y), t in zip(pts, texts, strict=True)
    ]
    sizes = np.array(
        [[a.get_window_extent(renderer).width, a.get_window_extent(renderer).height] for a in made]
    ).reshape(-1, 2)
    is_area = np.zeros(len(pts), bool) if areas is None else np.asarray(areas, dtype=bool)
    cands = [AREA_POSITIONS if a else POINT_POSITIONS for a in is_area]
    bbox = ax.get_window_extent(renderer)
    opts = options or LabelOptions(bounds=(bbox.x0, bbox.y0, bbox.x1, bbox.y1))
    obs = None
    if obstacles is not None and len(np.asarray(obstacles)):
        op = ax.transData.transform(np.asarray(obstacles, dtype=float).reshape(-1, 2))
        r = opts.obstacle_radius
        obs = np.column_stack([op[:, 0] - r, op[:, 1] - r, op[:, 0] + r, op[:, 1] + r])
    # a point's own marker is an obstacle too: start the labels just outside it
    opts = replace(opts, offset=opts.offset + opts.obstacle_radius)
    placement = place_labels(
        anchors, sizes, priority=priority, positions=cands, obstacles=obs, options=opts
    )
    out: list[Annotation | None] = []
    dpi = float(fig.dpi)
    for i, a in enumerate(made):
        pos = placement.positions[i]
        if pos is None:
            a.remove()
            out.append(None)
            continue
        box = placement.boxes[i]
        # offset of the box centre from the anchor, in points (survives a DPI change)
        dx = ((box[0] + box[2]) / 2.0 - anchors[i, 0]) * 72.0 / dpi
        dy = ((box[1] + box[3]) / 2.0 - anchors[i, 1]) * 72.0 / dpi
        if placement.leaders[i]:  # farther out: redraw with a line back to the anchor
            a.remove()
            leader = {"arrowstyle": "-", "lw": 0.6, "color": "#555555", "shrinkA": 0, "shrinkB": 2}
            a = ax.annotate(
                texts[i],
                tuple(pts[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="center",
                va="center",
                arrowprops=leader,
                **kw,
            )
        else:
            a.set_position((dx, dy))
            a.set_anncoords("offset points")
        out.append(a)
    return out
