"""Time project saves on a large (~500 MB) project: in-place transactions vs the old full copy.

Run::

    python bench/save_project.py [--mb 500] [--dir /tmp] [--repeat 3]

Builds the Yuxi sample project, adds a synthetic road-network layer and a big
cached travel matrix (BLOBs) until the file is about ``--mb`` MB, then times

(a) one scenario edit (``wufei scenario set``: :func:`update_scenarios`),
(b) a full project save (:meth:`Project.write`: six layers in one transaction),
(c) caching one small travel matrix (one row in ``matrix_cache``),

with the current code, and the same three with the OLD copy-and-replace path
(copy the whole file to a temporary file, write the layers there, one
``os.replace``), reimplemented inline below and labelled "before".  The same
saves on the small sample alone show that in-place saves do not grow with the
file size.  Figures are wall-clock seconds (median of ``--repeat``), warm page cache;
the new path fsyncs (SQLite ``synchronous=FULL``), the old one did not, so the
old full save is also shown with the fsync it lacked.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from wufei_gis.costs import TravelMatrix
from wufei_gis.network.store import MATRIX_CACHE_TABLE, _write_cached
from wufei_gis.project import Project, project_layers, update_scenarios
from wufei_gis.samples import load_sample
from wufei_gis.storage import write_frame


# --------------------------------------------------------------------------- the project
def road_layer(n_edges: int, seed: int = 0) -> gpd.GeoDataFrame:
    """``n_edges`` synthetic 3-vertex road edges around Yuxi (EPSG:4326)."""
    rng = np.random.default_rng(seed)
    start = np.column_stack([rng.uniform(101.5, 103.5, n_edges), rng.uniform(23.5, 25.0, n_edges)])
    coords = np.stack(
        [
            start,
            start + rng.normal(0, 0.002, (n_edges, 2)),
            start + rng.normal(0, 0.004, (n_edges, 2)),
        ],
        axis=1,
    )
    lines = shapely.linestrings(coords)
    return gpd.GeoDataFrame(
        {
            "u": np.arange(n_edges),
            "v": np.arange(n_edges) + 1,
            "key": 0,
            "length_m": rng.uniform(10, 900, n_edges),
            "time_min": rng.uniform(0.1, 3, n_edges),
            "speed_kmh": 40.0,
            "highway": "residential",
            "oneway": 0,
        },
        geometry=lines,
        crs="EPSG:4326",
    )


def big_matrix(n_rows: int, n_cols: int, seed: int = 1) -> TravelMatrix:
    rng = np.random.default_rng(seed)
    d = rng.uniform(0, 300, (n_rows, n_cols))
    return TravelMatrix(
        [f"o{i}" for i in range(n_rows)], [f"d{j}" for j in range(n_cols)], d, d * 1.2, "synthetic"
    )


def build(path: Path, target_mb: float) -> None:
    """Write the sample, then a road layer (~20 % of the size) and a matrix for the rest."""
    load_sample("yuxi").write(path)
    edges = int(target_mb * 0.2 * 1e6 / 330)  # ~330 bytes per edge with its R-tree entry
    pyogrio.write_dataframe(road_layer(edges), path, layer="network_roads", driver="GPKG")
    left = target_mb * 1e6 - path.stat().st_size
    n_cols = 2000
    n_rows = max(1, int(left / (2 * 8 * n_cols)))
    _write_cached(path, "big-matrix", big_matrix(n_rows, n_cols))


# --------------------------------------------------------------------------- the old way
def old_save(project: Project, path: Path, *, durable: bool = False) -> None:
    """BEFORE: copy the whole project, rewrite its layers in the copy, ``os.replace``.

    The old code did not ``fsync``; ``durable=True`` adds the fsync it lacked, which
    shows the disk cost the copy defers to the page cache.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.saving-", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(path, tmp)
        for name, (df, gtype) in project_layers(project).items():
            write_frame(tmp, df, name, gtype)
        if durable:
            fd = os.open(tmp, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def old_cache(path: Path, m: TravelMatrix) -> None:
    """BEFORE: a cache row was appended to a full copy of the project, then ``os.replace``."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.saving-", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    shutil.copyfile(path, tmp)
    import pandas as pd

    row = pd.DataFrame({"key": ["old"], "distance_km": [m.distance_km.tobytes().hex()]})
    pyogrio.write_dataframe(row, tmp, layer="old_text_cache", driver="GPKG", append=True)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- timing
def timed(fn: Callable[[], object], repeat: int) -> float:
    os.sync()  # start each figure without earlier dirty pages being flushed under it
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def measure(path: Path, repeat: int) -> dict[str, float]:
    proj = Project.read(path)
    small = big_matrix(20, 30, seed=9)
    counter = iter(range(10_000))

    def scenario_edit() -> None:
        i = next(counter)
        update_scenarios(
            path, lambda cur: {"plan-2025": cur["plan-2025"].copy(description=f"edit {i}")}
        )

    def old_scenario_edit() -> None:
        proj.scenarios["plan-2025"] = proj.scenarios["plan-2025"].copy(
            description=f"edit {next(counter)}"
        )
        old_save(proj, path)

    return {
        "scenario edit": timed(scenario_edit, repeat),
        "full project save": timed(lambda: proj.write(path), repeat),
        "cache one matrix": timed(lambda: _write_cached(path, f"k{next(counter)}", small), repeat),
        "BEFORE scenario edit": timed(old_scenario_edit, repeat),
        "BEFORE full project save": timed(lambda: old_save(proj, path), repeat),
        "BEFORE full save + fsync": timed(lambda: old_save(proj, path, durable=True), repeat),
        "BEFORE cache one matrix": timed(lambda: old_cache(path, small), repeat),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=500.0, help="size of the large project (MB)")
    ap.add_argument("--dir", default=None, help="folder for the files (default: a temp dir)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wufei-save-", dir=args.dir))
    try:
        small, large = folder / "small.gpkg", folder / "large.gpkg"
        load_sample("yuxi").write(small)
        t = time.perf_counter()
        build(large, args.mb)
        print(
            f"built {large.stat().st_size / 1e6:.0f} MB project in {time.perf_counter() - t:.0f} s "
            f"(layers: {', '.join(str(n) for n, _ in pyogrio.list_layers(large))}; "
            f"{MATRIX_CACHE_TABLE} holds the big matrix as BLOBs)"
        )
        res = {name: measure(p, args.repeat) for name, p in (("small", small), ("large", large))}
        size = {n: p.stat().st_size / 1e6 for n, p in (("small", small), ("large", large))}
        head = f"save (median of {args.repeat}, s)"
        cols = [f"small {size['small']:.1f} MB", f"large {size['large']:.0f} MB"]
        print(f"\n{head:<34}{cols[0]:>16}{cols[1]:>16}")
        for key in res["small"]:
            print(f"{key:<34}{res['small'][key]:>16.3f}{res['large'][key]:>16.3f}")
        print("\nBEFORE = the old copy-and-replace path (reimplemented inline in this script)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
