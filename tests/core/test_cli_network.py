"""End to end: a road layer drives the Yuxi solve from the CLI; flows follow roads; cache hit."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

import wufei_gis.network.provider as provider_mod
from wufei_gis.cli import main

DEMO_ROADS = Path(__file__).resolve().parents[2] / "data" / "networks" / "yuxi_demo_roads.geojson"


def test_yuxi_solve_on_roads_with_cache(tmp_path, monkeypatch, capsys):
    proj = tmp_path / "yx.gpkg"
    assert main(["init", str(proj)]) == 0
    assert (
        main(
            [
                "network",
                "import",
                str(DEMO_ROADS),
                "--project",
                str(proj),
                "--name",
                "roads",
                "--class-field",
                "highway",
                "--node-intersections",
            ]
        )
        == 0
    )
    assert main(["network", "list", "--project", str(proj)]) == 0
    assert "roads" in capsys.readouterr().out

    calls = {"n": 0}
    real = provider_mod.NetworkProvider.matrix

    def counting(self, *args, **kwargs):
        calls["n"] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(provider_mod.NetworkProvider, "matrix", counting)
    assert main(["solve", str(proj), "--scenario", "plan-2025", "--network", "roads"]) == 0
    first = calls["n"]
    assert first > 0
    flows = pyogrio.read_dataframe(proj, layer="flows")
    # road paths have intermediate vertices; straight segments have two
    assert max(len(g.coords) for g in flows.geometry) > 2
    summary = pyogrio.read_dataframe(proj, layer="run_summary")
    assert summary["cost_method"].iloc[0] == "road network 'roads'"
    # the second solve reads the matrices from the project's cache
    assert main(["solve", str(proj), "--scenario", "plan-2025", "--network", "roads"]) == 0
    assert calls["n"] == first
    # the straight-line provider stays available and is labelled as such
    assert main(["solve", str(proj), "--scenario", "baseline-2020"]) == 0
    summary = pyogrio.read_dataframe(proj, layer="run_summary").set_index("scenario")
    assert summary.loc["baseline-2020", "cost_method"].startswith("straight line")


def test_unknown_network_is_a_clear_error(tmp_path, capsys):
    proj = tmp_path / "yx.gpkg"
    assert main(["init", str(proj)]) == 0
    assert main(["solve", str(proj), "--scenario", "plan-2025", "--network", "nope"]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "Traceback" not in err


@pytest.mark.parametrize("bad", ["missing.geojson", "points.geojson"])
def test_network_import_bad_files_exit_2(tmp_path, capsys, bad):
    import geopandas as gpd
    from shapely.geometry import Point

    proj = tmp_path / "yx.gpkg"
    assert main(["init", str(proj)]) == 0
    if bad == "points.geojson":
        gpd.GeoDataFrame({"a": [1]}, geometry=[Point(102, 24)], crs=4326).to_file(tmp_path / bad)
    assert main(["network", "import", str(tmp_path / bad), "--project", str(proj)]) == 2
    assert "Traceback" not in capsys.readouterr().err
