"""Legend and colour bar of a map, drawn OUTSIDE the data extent (a side panel of the layout).

:func:`legend_handles` turns what the layers drew (:class:`~wufei_gis.mapping.layers.DrawnLayers`)
into legend entries: facility types (colour), statuses of existing facilities
(marker), new and unused sites, flows by stage, and three capacity examples
sized like the map's symbols.  :func:`draw_legend` puts them in an axes of
their own; :func:`draw_colorbar` draws the classed gap colour bar in another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..labels import label, value_label
from ..map_style import NEW_SITE_EDGE, STAGE_COLORS, STATUS_MARKERS, capacity_marker_sizes
from ..map_style import type_color as _type_color
from .decorations import font_family
from .layers import DrawnLayers

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.colorbar import Colorbar
    from matplotlib.legend import Legend

__all__ = ["capacity_examples", "draw_colorbar", "draw_legend", "legend_handles"]


def capacity_examples(capacities: list[float]) -> list[float]:
    """Return up to three round capacities (t/d) spanning ``capacities`` for the size legend.

    >>> capacity_examples([140, 172, 700])
    [100.0, 300.0, 700.0]
    """
    cap = np.asarray([c for c in capacities if np.isfinite(c) and c > 0], dtype=float)
    if not cap.size:
        return []
    top = float(cap.max())
    nice = np.array([10, 20, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000], float)
    picks = {float(nice[np.abs(nice - v).argmin()]) for v in (top / 6, top / 2.2, top)}
    return sorted(p for p in picks if p <= top * 1.05)


def _marker(
    marker: str, face: str, edge: str, size_pt2: float, text: str, lw: float = 0.7
) -> Artist:
    from matplotlib.lines import Line2D

    return Line2D(
        [],
        [],
        ls="none",
        marker=marker,
        markersize=float(np.sqrt(size_pt2)),
        markerfacecolor=face,
        markeredgecolor=edge,
        markeredgewidth=lw,
        label=text,
    )


def legend_handles(drawn: DrawnLayers) -> list[Artist]:
    """Return the legend entries for what was drawn (in :attr:`DrawnLayers.lang`)."""
    from matplotlib.lines import Line2D

    lang = drawn.lang
    h: list[Artist] = []
    mid = 70.0
    for t in drawn.types:
        h.append(_marker("o", _type_color(t), "white", mid, value_label("type", t, lang)))
    for s in drawn.statuses:
        h.append(_marker(STATUS_MARKERS[s], "#888888", "white", mid, value_label("st", s, lang)))
    if drawn.new_sites:
        h.append(_marker("o", "#888888", NEW_SITE_EDGE, mid, label("maps.new_site", lang), 1.6))
    if drawn.unused_sites:
        faded = _marker("o", "#888888", "white", mid, label("maps.unused_site", lang))
        faded.set_alpha(0.35)
        h.append(faded)
    for s in drawn.stages:
        h.append(
            Line2D([], [], color=STAGE_COLORS[s], lw=2.0, label=label(f"legend.flow_{s}", lang))
        )
    examples = capacity_examples(drawn.capacities)
    if examples:
        ref = max(drawn.capacities)
        sizes = capacity_marker_sizes([*examples, ref])[:-1]
        for c, s in zip(examples, sizes, strict=True):
            text = label("maps.capacity", lang, v=f"{c:g}")
            h.append(_marker("o", "none", "#444444", float(s), text))
    return h


def draw_legend(
    ax: Axes, drawn: DrawnLayers, *, font: str | None = None, size: float = 7.5, columns: int = 1
) -> Legend | None:
    """Draw the legend of ``drawn`` in ``ax`` (a panel beside the map; its frame is hidden)."""
    ax.set_axis_off()
    handles = legend_handles(drawn)
    if not handles:
        return None
    return ax.legend(
        handles=handles,
        loc="upper left",
        ncols=columns,
        frameon=False,
        title=label("maps.legend", drawn.lang),
        alignment="left",
        labelspacing=0.9,
        borderaxespad=0.0,
        prop={"family": font_family(font), "size": size},
        title_fontproperties={"family": font_family(font), "size": size + 1.5},
    )


def draw_colorbar(cax: Axes, drawn: DrawnLayers, *, font: str | None = None) -> Colorbar | None:
    """Draw the classed gap colour bar of ``drawn`` in ``cax`` (``None``: no choropleth)."""
    if drawn.mappable is None:
        cax.set_axis_off()
        return None
    cb = cax.figure.colorbar(drawn.mappable, cax=cax, orientation="horizontal")
    ticks = drawn.colorbar_ticks
    cb.set_ticks([v for v, _ in ticks], labels=[t for _, t in ticks])
    cb.ax.tick_params(labelsize=7)
    cb.set_label(drawn.colorbar_label, fontsize=8, fontfamily=font_family(font))
    return cb
