"""Networks and matrix caches in a project GeoPackage; the `wufei network` command."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from shapely.geometry import LineString, Point

from wufei_gis.cli.network import register
from wufei_gis.costs import StraightLineProvider
from wufei_gis.errors import InputError
from wufei_gis.network import (
    NetworkProvider,
    RoadOptions,
    cached_matrix,
    graph_content_hash,
    import_network,
    list_networks,
    load_network,
)

UTM = "EPSG:32648"
X0, Y0 = 500_000.0, 3_300_000.0


def write_roads(path: Path) -> Path:
    """A 1 km square (A->B one-way, 60 km/h) as a GeoPackage line layer in UTM 48N."""
    A, B, C, D = (X0, Y0), (X0 + 1000, Y0), (X0 + 1000, Y0 + 1000), (X0, Y0 + 1000)
    gpd.GeoDataFrame(
        {
            "kmh": [60.0, 60.0, 60.0, 60.0],
            "cls": ["primary", "secondary", "residential", "tertiary"],
            "ow": [1, 0, 0, 0],
        },
        geometry=[LineString([A, B]), LineString([B, C]), LineString([C, D]), LineString([D, A])],
        crs=UTM,
    ).to_file(path, layer="roads")
    return path


def corner_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["A", "B"]}, geometry=[Point(X0, Y0), Point(X0 + 1000, Y0)], crs=UTM
    )


def test_import_load_list(tmp_path: Path) -> None:
    roads = write_roads(tmp_path / "roads.gpkg")
    project = tmp_path / "project.gpkg"
    seen: list[float | None] = []
    G = import_network(
        roads,
        project,
        name="county",
        progress=lambda f, _m: seen.append(f),
        road_options=RoadOptions(speed_field="kmh", class_field="cls", oneway_field="ow"),
    )
    assert seen[-1] == 1.0
    assert list_networks(project) == ["county"]
    edges = pyogrio.read_dataframe(project, layer="network_county")
    assert list(edges.columns) == [
        "u",
        "v",
        "key",
        "length_m",
        "time_min",
        "speed_kmh",
        "highway",
        "oneway",
        "geometry",
    ]
    assert len(edges) == 7 and edges.crs.to_epsg() == 4326
    assert edges["oneway"].sum() == 1
    H = load_network(project, "county")
    assert H.graph["name"] == "county"
    assert graph_content_hash(H) == graph_content_hash(G)
    m = NetworkProvider(H).matrix(corner_points(), corner_points())
    np.testing.assert_allclose(m.distance_km, [[0, 1], [3, 0]], atol=1e-6)
    # a second network and a re-import
    import_network(roads, project, name="roads")
    import_network(roads, project, name="roads")
    assert list_networks(project) == ["county", "roads"]
    assert [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".")
    ] == []  # no temp files left


def test_load_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no road network 'roads'") as info:
        load_network(tmp_path / "none.gpkg", "roads")
    assert "wufei network import" in (info.value.fix or "")
    assert list_networks(tmp_path / "none.gpkg") == []
    with pytest.raises(InputError, match="network name"):
        import_network(write_roads(tmp_path / "r.gpkg"), tmp_path / "p.gpkg", name="bad name;")


def test_matrix_cache_hit(tmp_path: Path) -> None:
    project = tmp_path / "project.gpkg"
    G = import_network(
        write_roads(tmp_path / "roads.gpkg"), project, road_options=RoadOptions(oneway_field="ow")
    )
    provider = NetworkProvider(G)
    calls: list[int] = []
    compute = provider.matrix

    def counting(*args: object, **kwargs: object):
        calls.append(1)
        return compute(*args, **kwargs)

    provider.matrix = counting  # type: ignore[method-assign]
    pts = corner_points()
    first = cached_matrix(project, provider, pts, pts)
    second = cached_matrix(project, provider, pts, pts)
    assert calls == [1]
    np.testing.assert_array_equal(first.distance_km, second.distance_km)
    np.testing.assert_array_equal(first.time_min, second.time_min)
    assert second.method == "road network 'roads'" and second.origin_ids == ["A", "B"]
    np.testing.assert_allclose(second.origin_points, first.origin_points)
    # a different point set or a different network is a miss
    moved = pts.copy()
    moved.geometry = [Point(X0, Y0 + 10), Point(X0 + 1000, Y0)]
    cached_matrix(project, provider, moved, pts)
    assert calls == [1, 1]
    other = NetworkProvider(load_network(project, "roads"), connector_speed_kmh=5.0)
    assert other.cache_token != provider.cache_token
    assert NetworkProvider(load_network(project, "roads")).cache_token == provider.cache_token
    # unknown providers are cached by label, and the file stays a valid GeoPackage
    cached_matrix(project, StraightLineProvider(), pts, pts)
    with sqlite3.connect(project) as con:
        rows = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name='matrix_cache'"
        ).fetchall()
        n = con.execute("SELECT COUNT(*) FROM matrix_cache").fetchone()[0]
    assert rows == [("attributes",)] and n == 3
    assert set(list_networks(project)) == {"roads"}


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="wufei")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roads = write_roads(tmp_path / "roads.gpkg")
    project = tmp_path / "p.gpkg"
    assert run_cli(["network", "list", "--project", str(project)]) == 0
    assert "no road networks" in capsys.readouterr().out
    assert (
        run_cli(
            [
                "network",
                "import",
                str(roads),
                "--project",
                str(project),
                "--name",
                "county",
                "--speed-field",
                "kmh",
                "--class-field",
                "cls",
                "--oneway-field",
                "ow",
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    assert "4 nodes, 7 edges" in out.out and "100%" in out.err
    assert run_cli(["network", "list", "--project", str(project)]) == 0
    assert capsys.readouterr().out.split() == ["county"]
    with pytest.raises(InputError, match="does not exist"):
        run_cli(["network", "import", str(tmp_path / "nope.shp"), "--project", str(project)])
