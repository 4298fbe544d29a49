"""How features look on every map: colours, markers, colour maps and symbol sizes.

One table for the desktop map, the print layouts, the PDF report and the QGIS
styles written into result GeoPackages, so a landfill is the same brown square
everywhere.  Facility **type** sets the colour, **status** the marker shape;
proposed sites are sized by capacity (symbol *area* proportional to capacity,
the cartographic convention for proportional point symbols).  Colour maps
follow ColorBrewer: a sequential scheme for gaps (``OrRd``), a diverging one
for differences (``RdBu_r``: red = more unserved in B).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "DIFF_CMAP",
    "GAP_CMAP",
    "LABEL_HALO",
    "NEW_SITE_EDGE",
    "OTHER_COLOR",
    "STAGE_COLORS",
    "STATUS_MARKERS",
    "TYPE_COLORS",
    "TYPE_MARKERS",
    "capacity_marker_sizes",
    "type_color",
]

#: Facility type → fill colour (hex).
TYPE_COLORS: dict[str, str] = {
    "landfill": "#8c564b",
    "incinerator": "#d62728",
    "transfer_station": "#1f77b4",
    "kitchen_waste": "#2ca02c",
    "sorting_centre": "#9467bd",
    "medical": "#e377c2",
    "other": "#7f7f7f",
}
#: Colour of a type missing from :data:`TYPE_COLORS`.
OTHER_COLOR = "#7f7f7f"
#: Facility type → marker of proposed sites (matplotlib marker codes).
TYPE_MARKERS: dict[str, str] = {
    "incinerator": "^",
    "landfill": "s",
    "transfer_station": "o",
    "kitchen_waste": "P",
    "sorting_centre": "h",
    "medical": "D",
}
#: Facility status → marker of existing/planned facilities.
STATUS_MARKERS: dict[str, str] = {
    "operating": "o",
    "under_construction": "D",
    "planned": "s",
    "closed": "X",
}
#: Flow stage → line colour.
STAGE_COLORS: dict[str, str] = {"collection": "#4c72b0", "transfer": "#e07b39"}
#: Edge colour marking a newly opened site.
NEW_SITE_EDGE = "#000000"
#: Halo drawn around map labels.
LABEL_HALO = "#ffffff"
#: Sequential ColorBrewer scheme for capacity gaps (unserved share, t/d).
GAP_CMAP = "OrRd"
#: Diverging ColorBrewer scheme for differences between scenarios (B − A).
DIFF_CMAP = "RdBu_r"


def type_color(facility_type: object) -> str:
    """Return the fill colour of a facility type (grey for an unknown type)."""
    return TYPE_COLORS.get(str(facility_type), OTHER_COLOR)


def capacity_marker_sizes(
    capacity: npt.ArrayLike, *, smallest: float = 20.0, largest: float = 260.0
) -> npt.NDArray[np.float64]:
    """Return marker areas (pt², matplotlib ``s=``) proportional to capacity.

    The largest capacity gets ``largest``; area grows linearly with capacity, so
    a 700 t/d plant reads as seven times a 100 t/d one.  Sizes never fall below
    ``smallest`` (a zero or missing capacity still shows a marker).

    Parameters
    ----------
    capacity
        Capacities (t/d); NaN and negative values count as zero.
    smallest, largest
        Marker areas in pt² of the smallest and the largest symbol.

    >>> capacity_marker_sizes([0, 350, 700], smallest=10, largest=100).round(1).tolist()
    [10.0, 55.0, 100.0]
    """
    cap = np.nan_to_num(np.asarray(capacity, dtype=float), nan=0.0)
    cap = np.clip(cap, 0.0, None)
    top = float(cap.max()) if cap.size else 0.0
    if top <= 0:
        return np.full(cap.shape, smallest, dtype=float)
    sizes: npt.NDArray[np.float64] = smallest + (largest - smallest) * cap / top
    return sizes
