"""Maps without Qt: projection, layers, labels, legend, decorations and print layouts.

One renderer for the print layouts (``wufei map``, File → Export map…), the
PDF report's map figures (:mod:`wufei_gis.report.maps`) and, later, the
desktop map canvas.  One concept per module:

- :mod:`~wufei_gis.mapping.crs`: the metric map CRS (CGCS2000 Gauss–Krüger
  zone, UTM zone or any projected ``EPSG:n``);
- :mod:`~wufei_gis.mapping.decorations`: scale bar (true metres), north arrow,
  degree graticule on a projected map;
- :mod:`~wufei_gis.mapping.layers`: counties, the classed gap choropleth,
  flows, facilities and sites, and their labels (no overlaps);
- :mod:`~wufei_gis.mapping.legend`: legend and colour bar in a panel beside the map;
- :mod:`~wufei_gis.mapping.layout`: the printed page and :func:`write_map`.
"""

from __future__ import annotations

from .crs import CRS_CHOICES, gauss_kruger_crs, lonlat_bounds, map_crs_for, parse_crs_choice
from .decorations import add_graticule, add_north_arrow, add_scale_bar
from .layers import DrawnLayers, LayerOptions, draw_project, draw_result, place_map_labels
from .layout import MAP_FORMATS, PAPER_SIZES_MM, BasemapHook, MapOptions, map_figure, write_map

__all__ = [
    "CRS_CHOICES",
    "MAP_FORMATS",
    "PAPER_SIZES_MM",
    "BasemapHook",
    "DrawnLayers",
    "LayerOptions",
    "MapOptions",
    "add_graticule",
    "add_north_arrow",
    "add_scale_bar",
    "draw_project",
    "draw_result",
    "gauss_kruger_crs",
    "lonlat_bounds",
    "map_crs_for",
    "map_figure",
    "parse_crs_choice",
    "place_map_labels",
    "write_map",
]
