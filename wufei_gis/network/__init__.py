"""Road networks: graphs, snapping, shortest-path matrices, storage in the project."""

from .build import graph_from_file
from .graph import (
    DEFAULT_SPEEDS_KMH,
    DRIVABLE_HIGHWAYS,
    NON_DRIVABLE_HIGHWAYS,
    component_sizes,
    graph_content_hash,
    largest_component,
    parse_maxspeed,
    validate_graph,
)
from .lines import RoadOptions, graph_from_lines
from .matrix import (
    RoutingGraph,
    check_reachability,
    network_costs,
    network_costs_dask,
    route_path,
    route_paths,
)
from .osm import graph_from_osm
from .provider import NetworkProvider
from .snapping import NodeIndex, SnapResult, snap_points
from .store import (
    cached_matrix,
    graph_from_edges,
    graph_to_edges,
    import_network,
    list_networks,
    load_network,
    matrix_cache_key,
    save_network,
)

__all__ = [
    "DEFAULT_SPEEDS_KMH",
    "DRIVABLE_HIGHWAYS",
    "NON_DRIVABLE_HIGHWAYS",
    "NetworkProvider",
    "NodeIndex",
    "RoadOptions",
    "RoutingGraph",
    "SnapResult",
    "cached_matrix",
    "check_reachability",
    "component_sizes",
    "graph_content_hash",
    "graph_from_edges",
    "graph_from_file",
    "graph_from_lines",
    "graph_from_osm",
    "graph_to_edges",
    "import_network",
    "largest_component",
    "list_networks",
    "load_network",
    "matrix_cache_key",
    "network_costs",
    "network_costs_dask",
    "parse_maxspeed",
    "route_path",
    "route_paths",
    "save_network",
    "snap_points",
    "validate_graph",
]
