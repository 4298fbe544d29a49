"""Per-layer drawing of the desktop map: one matplotlib collection per layer.

Each ``draw_<layer>`` function takes the axes, the layer's frame (attributes),
its geometries already projected to the map CRS (metres), its
:class:`LayerStyle` and a z-order, and returns the artists it added.  Colours,
markers, colour maps and capacity-sized symbols come from
:mod:`wufei_gis.map_style` (the same table as the print maps).  Point layers
(facilities, candidates, proposed sites) are drawn above the map labels, which
:mod:`wufei_gis.label_placement` keeps off their markers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import Normalize
from matplotlib.markers import MarkerStyle

from wufei_gis.map_style import (
    GAP_CMAP,
    NEW_SITE_EDGE,
    STAGE_COLORS,
    STATUS_MARKERS,
    TYPE_MARKERS,
    capacity_marker_sizes,
    type_color,
)

__all__ = [
    "DRAWERS",
    "GAP_NORM",
    "POINT_LAYERS",
    "LayerStyle",
    "default_styles",
    "gap_share",
    "marker_path",
    "point_xy",
    "rings",
]

#: Layers drawn as point symbols (above the labels; their markers are label obstacles).
POINT_LAYERS = ("candidates", "facilities", "proposed_sites")
#: Colour scale of the capacity-gap choropleth: unserved share 0–100 %.
GAP_NORM = Normalize(0.0, 1.0)
MANY_POINTS = 2_000
MANY_LINES = 500


@dataclass
class LayerStyle:
    """How a layer is drawn: visibility, colour, symbol size (pt²) and label column."""

    visible: bool = True
    color: str = "#444444"
    size: float = 40.0
    label_field: str | None = None


def default_styles() -> dict[str, LayerStyle]:
    """Return the default style of every map layer."""
    return {
        "county_gaps": LayerStyle(color="#ffffff", size=0),
        "counties": LayerStyle(color="#f3efe4", size=0, label_field="name_zh"),
        "roads": LayerStyle(color="#a0a0a0", size=0.5),
        "exclusions": LayerStyle(color="#2ca02c", size=0),
        "flows": LayerStyle(color="#4c72b0", size=1.0),
        "candidates": LayerStyle(color="#17becf", size=40),
        "facilities": LayerStyle(color="#222222", size=55),
        "proposed_sites": LayerStyle(color="#000000", size=260),
        "towns": LayerStyle(color="#5a5a5a", size=9),
        "station_catchments": LayerStyle(color="#1f77b4", size=0),
    }


def marker_path(marker: str):
    """The path of a matplotlib marker code, scaled like ``scatter`` draws it."""
    ms = MarkerStyle(marker)
    return ms.get_path().transformed(ms.get_transform())


def rings(geoms) -> list[np.ndarray]:
    """Exterior rings of (multi)polygons, one array per part."""
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        for part in getattr(g, "geoms", [g]):
            out.append(np.asarray(part.exterior.coords)[:, :2])
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


def point_xy(geoms) -> np.ndarray:
    """``(n, 2)`` coordinates of point geometries."""
    return np.column_stack([geoms.x.to_numpy(float), geoms.y.to_numpy(float)]).reshape(-1, 2)


def gap_share(df) -> np.ndarray:
    """Unserved share (0–1) of each county of a capacity-gap frame."""
    gen = df["generation_tpd"].to_numpy(float)
    return np.divide(df["unserved_tpd"].to_numpy(float), gen, out=np.zeros_like(gen), where=gen > 0)


def _polys(ax: Axes, geoms, z: float, **kw) -> PolyCollection:
    coll = PolyCollection(rings(geoms), zorder=z, **kw)
    ax.add_collection(coll, autolim=False)
    return coll


def _scatter(ax: Axes, geoms, z: float, paths, **kw) -> PathCollection:
    xy = point_xy(geoms)
    coll = ax.scatter(xy[:, 0], xy[:, 1], zorder=z, **kw)
    if paths is not None:
        coll.set_paths(paths)
    return coll


def draw_counties(ax, df, geoms, st, z, *, outline_only: bool = False):
    """County polygons (outlines only over the capacity-gap choropleth)."""
    face = "none" if outline_only else st.color
    return [_polys(ax, geoms, z, facecolors=face, edgecolors="#6f6f6f", linewidths=0.8)]


def draw_exclusions(ax, df, geoms, st, z, **_):
    """Exclusion zones: hatched, translucent."""
    kw = {"facecolors": st.color, "edgecolors": st.color, "linewidths": 1.2, "alpha": 0.35}
    return [_polys(ax, geoms, z, hatch="///", **kw)]


def draw_county_gaps(ax, df, geoms, st, z, **_):
    """Capacity-gap choropleth: unserved share, sequential ColorBrewer, full saturation."""
    share = gap_share(df)
    owner = _ring_owner(geoms)
    kw = {"cmap": GAP_CMAP, "norm": GAP_NORM, "edgecolors": "#8a8a8a", "linewidths": 0.8}
    return [_polys(ax, geoms, z, array=share[owner], **kw)]


def draw_roads(ax, df, geoms, st, z, **_):
    """Road edges; motorways to secondary roads drawn wider."""
    major = df["highway"].astype(str).isin(["motorway", "trunk", "primary", "secondary"])
    segs = [np.asarray(g.coords)[:, :2] for g in geoms]
    coll = LineCollection(
        segs,
        linewidths=np.where(major.to_numpy(), st.size * 2.4, st.size),
        colors=st.color,
        zorder=z,
        antialiaseds=len(segs) < 20_000,
    )
    ax.add_collection(coll, autolim=False)
    return [coll]


def draw_flows(ax, df, geoms, st, z, **_):
    """Result flows: width by tonnage, colour by stage."""
    keep = np.array(
        [g is not None and not g.is_empty and g.geom_type == "LineString" for g in geoms],
        dtype=bool,
    )
    segs = [np.asarray(g.coords)[:, :2] for g in geoms[keep]]
    t = df["tonnes_per_day"].to_numpy(float)[keep]
    tmax = max(float(t.max()) if len(t) else 1.0, 1e-9)
    widths = st.size * (0.6 + 4.0 * np.sqrt(t / tmax))
    stage = df["stage"].astype(str).to_numpy()[keep] if "stage" in df else np.full(len(t), "-")
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
    ax.add_collection(coll, autolim=False)
    return [coll]


def draw_facilities(ax, df, geoms, st, z, **_):
    """Existing and planned facilities: colour by type, marker by status."""
    paths = [marker_path(STATUS_MARKERS.get(s, "o")) for s in df["status"].astype(str)]
    colors = [type_color(t) for t in df["type"].astype(str)]
    kw = {"s": st.size, "c": colors, "edgecolors": st.color, "linewidths": 0.8}
    return [_scatter(ax, geoms, z, paths, **kw)]


def draw_candidates(ax, df, geoms, st, z, **_):
    """Candidate sites: hollow triangles (filled small ones when there are many)."""
    if len(df) > MANY_POINTS:  # stroking hollow markers is ~7x slower than filling
        kw = {"s": st.size / 3, "marker": "^", "facecolors": st.color, "linewidths": 0}
        return [_scatter(ax, geoms, z, None, **kw)]
    kw = {"s": st.size, "marker": "^", "facecolors": "none", "edgecolors": st.color}
    return [_scatter(ax, geoms, z, None, linewidths=1.4, **kw)]


def proposed_site_sizes(df, st) -> np.ndarray:
    """Marker areas (pt²) of proposed sites: proportional to capacity, largest = style size."""
    return capacity_marker_sizes(df["capacity_tpd"], smallest=st.size / 8, largest=st.size)


def draw_proposed_sites(ax, df, geoms, st, z, **_):
    """Proposed sites: marker and colour by type, area by capacity, black edge if new."""
    new = df["is_new"].astype(bool).to_numpy()
    types = df["type"].astype(str)
    paths = [marker_path(TYPE_MARKERS.get(t, "o")) for t in types]
    kw = {
        "s": proposed_site_sizes(df, st),
        "c": [type_color(t) for t in types],
        "edgecolors": [NEW_SITE_EDGE if n else "#ffffff" for n in new],
        "linewidths": np.where(new, 1.6, 1.0),
    }
    return [_scatter(ax, geoms, z, paths, **kw)]


def draw_towns(ax, df, geoms, st, z, **_):
    """Towns (demand points of town-level scenarios): small dots under the labels."""
    return [_scatter(ax, geoms, z, None, s=st.size, c=st.color, linewidths=0, alpha=0.8)]


def draw_station_catchments(ax, df, geoms, st, z, **_):
    """The area each open station serves: a light fill and a dashed outline."""
    kw = {"facecolors": st.color, "edgecolors": st.color, "linewidths": 1.0, "alpha": 0.12}
    fill = _polys(ax, geoms, z, **kw)
    edge = _polys(ax, geoms, z, facecolors="none", edgecolors=st.color, linewidths=1.0)
    edge.set_linestyle("--")
    return [fill, edge]


#: Layer name -> drawing function.
DRAWERS: dict[str, Callable[..., list]] = {
    "county_gaps": draw_county_gaps,
    "counties": draw_counties,
    "roads": draw_roads,
    "exclusions": draw_exclusions,
    "flows": draw_flows,
    "candidates": draw_candidates,
    "facilities": draw_facilities,
    "proposed_sites": draw_proposed_sites,
    "towns": draw_towns,
    "station_catchments": draw_station_catchments,
}
