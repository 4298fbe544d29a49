"""``wufei network import`` and ``wufei network list``: road networks of a project."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import progress_bar

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``network`` command to an argparse ``subparsers`` object."""
    p = subparsers.add_parser("network", help="import and list road networks")
    sub = p.add_subparsers(dest="network_command", required=True)

    imp = sub.add_parser(
        "import", help="import roads (OSM .osm.pbf/.osm or a line layer) into a project"
    )
    imp.add_argument("roads", help="roads file: .osm.pbf, .osm, GeoPackage, Shapefile or GeoJSON")
    imp.add_argument("--project", required=True, help="project GeoPackage (created if missing)")
    imp.add_argument("--name", default="roads", help="network name (default: roads)")
    imp.add_argument("--layer", default=None, help="layer of the roads file (multi-layer files)")
    imp.add_argument("--speed-field", default=None, help="field with speeds in km/h")
    imp.add_argument(
        "--class-field", default=None, help="field with the road class (OSM highway names)"
    )
    imp.add_argument("--oneway-field", default=None, help="field marking one-way roads (yes/1/-1)")
    imp.add_argument(
        "--node-intersections",
        action="store_true",
        help="split lines where they cross (for layers not split at junctions)",
    )
    imp.set_defaults(func=_import)

    lst = sub.add_parser("list", help="list the road networks stored in a project")
    lst.add_argument("--project", required=True, help="project GeoPackage")
    lst.set_defaults(func=_list)


def _import(args: argparse.Namespace) -> int:
    from ..network.graph import component_sizes
    from ..network.lines import RoadOptions
    from ..network.store import import_network

    with progress_bar(f"importing {args.name}", keep=True) as progress:
        G = import_network(
            args.roads,
            args.project,
            name=args.name,
            road_options=RoadOptions(
                layer=args.layer,
                speed_field=args.speed_field,
                class_field=args.class_field,
                oneway_field=args.oneway_field,
                node_intersections=args.node_intersections,
            ),
            progress=progress,
        )
    sizes = component_sizes(G)
    print(
        f"network '{args.name}': {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
        f"{len(sizes)} connected parts (largest {sizes[0]} nodes) -> {args.project}"
    )
    if len(sizes) > 1:
        print(
            f"note: {sum(sizes[1:])} nodes lie on {len(sizes) - 1} islands "
            "not joined to the main network"
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    from ..network.store import list_networks

    names = list_networks(args.project)
    if not names:
        missing = "" if Path(args.project).exists() else " (the file does not exist yet)"
        print(f"no road networks in {args.project}{missing}")
    for name in names:
        print(name)
    return 0
