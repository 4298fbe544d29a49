"""Transactional project storage: kill -9, concurrent writers, permissions, locks, BLOB cache."""

from __future__ import annotations

import base64
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

from wufei_gis import storage
from wufei_gis.cli import main as wufei
from wufei_gis.costs import StraightLineProvider
from wufei_gis.errors import InputError
from wufei_gis.network.store import (
    MATRIX_CACHE_TABLE,
    cached_matrix,
    decode_matrix,
    encode_matrix,
)
from wufei_gis.project import Project, update_scenarios
from wufei_gis.results import read_results, result_scenarios, write_results

sys.path.insert(0, str(Path(__file__).parent))
from test_analysis import make_result

STATE_A = ([100.0, 300.0], "state A")
STATE_B = ([111.0, 333.0], "state B")


def _state(path: Path) -> tuple[list[float], str]:
    proj = Project.read(path)
    return proj.facilities["capacity_tpd"].tolist(), proj.scenarios["plan"].description


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if ".saving-" in p.name or p.name.endswith((".lock", "-journal"))
    )


def _child(code: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_line(proc: subprocess.Popen, expected: str) -> None:
    line = proc.stdout.readline().strip()
    if line != expected:
        proc.kill()
        pytest.fail(f"child said {line!r}: {proc.communicate()[1]}")


@pytest.fixture
def project(tmp_path, tiny_project) -> Path:
    path = tmp_path / "p.gpkg"
    tiny_project.scenarios["plan"] = tiny_project.scenarios["plan"].copy(description=STATE_A[1])
    tiny_project.write(path)
    return path


# --------------------------------------------------------------------------- crash safety
_SAVER = """
import sys
from wufei_gis.project import Project
proj = Project.read(sys.argv[1])
states = [([100.0, 300.0], "state A"), ([111.0, 333.0], "state B")]
i = 1
while True:
    caps, text = states[i % 2]
    proj.facilities["capacity_tpd"] = caps
    proj.scenarios["plan"] = proj.scenarios["plan"].copy(description=text)
    proj.write()
    if i == 1:
        print("go", flush=True)  # one save done: the file holds state B
    i += 1
"""


def test_kill_9_during_saves_leaves_old_or_new_state(project):
    rng = random.Random(7)
    interrupted = 0
    for _ in range(20):
        proc = _child(_SAVER, project)
        _wait_line(proc, "go")
        time.sleep(rng.uniform(0.0, 1.0))
        proc.kill()
        proc.wait()
        interrupted += bool(_leftovers(project.parent))  # killed in the middle of a save
        state = _state(project)  # a hot journal is rolled back here
        assert state in (STATE_A, STATE_B)
        update_scenarios(project, lambda cur: {})  # open for writing: cleans leftovers
        assert _leftovers(project.parent) == []
        assert sqlite3.connect(project).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert interrupted >= 10  # the child saves all the time: most kills land mid-save


_HALF_WRITER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA cache_size = 1")
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE scenarios SET description = 'half written'")
con.execute("DELETE FROM generation")
con.execute("CREATE TABLE junk (b BLOB)")
for _ in range(200):  # far more than the page cache: pages spill into the file
    con.execute("INSERT INTO junk VALUES (randomblob(8000))")
print("dirty", flush=True)
time.sleep(60)
"""


def test_hot_journal_after_kill_is_rolled_back(project):
    before = project.read_bytes()
    proc = _child(_HALF_WRITER, project)
    _wait_line(proc, "dirty")
    proc.kill()
    proc.wait()
    journal = project.with_name(project.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    assert project.read_bytes() != before  # the file itself was half written
    assert _state(project) == STATE_A
    assert len(Project.read(project).generation) == 2
    assert not journal.exists()
    assert project.read_bytes() == before


def test_failure_inside_the_transaction_leaves_file_byte_identical(project, monkeypatch):
    before = project.read_bytes()
    real, calls = storage.copy_layer, []

    def failing(con, layer):
        calls.append(layer)
        if len(calls) == 3:
            raise OSError("disk full (simulated)")
        real(con, layer)

    monkeypatch.setattr(storage, "copy_layer", failing)
    proj = Project.read(project)
    proj.facilities["capacity_tpd"] = [1.0, 2.0]
    with pytest.raises(OSError, match="simulated"):
        proj.write()
    assert project.read_bytes() == before
    assert _leftovers(project.parent) == []


def test_leftovers_of_dead_or_old_writers_are_cleaned(project):
    folder = project.parent
    dead = folder / f".p.saving-999999999@{storage._HOST}-00000000.gpkg"
    old_unknown = folder / ".p.saving-ab12cd.gpkg"  # name of the former temp files
    young_unknown = folder / ".p.saving-ef34gh.gpkg"
    for f in (dead, old_unknown, young_unknown):
        f.write_bytes(b"half a GeoPackage")
    old = time.time() - 2 * storage.LEFTOVER_AGE_S
    os.utime(old_unknown, (old, old))
    stale = {"pid": 999999999, "host": storage._HOST, "time": 0}
    storage.lock_file(project).write_text(json.dumps(stale))
    Project.read(project).write()
    assert _leftovers(folder) == [young_unknown.name]


# --------------------------------------------------------------------------- concurrency
_SETTER = """
import sys, time
from pathlib import Path
from wufei_gis.cli import main
path, prefix, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
while not go.exists():
    time.sleep(0.01)
retries = 0
for i in range(n):
    while main(["scenario", "set", path, f"{prefix}{i}", f"time_limit_s={i + 1}"]) != 0:
        retries += 1
        assert retries < 50
print(retries, flush=True)
"""

_INCREMENTER = """
import sys, time
from pathlib import Path
from wufei_gis.project import update_scenarios
path, n, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
for _ in range(n):
    update_scenarios(path, lambda cur: {
        "plan": cur["plan"].copy(time_limit_s=cur["plan"].time_limit_s + 1)})
print("done", flush=True)
"""


def test_concurrent_scenario_set_loses_no_update(project, tmp_path):
    n, go = 8, tmp_path / "go"
    procs = [_child(_SETTER, project, prefix, n, go) for prefix in ("a", "b")]
    time.sleep(1.0)
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    scenarios = Project.read(project).scenarios
    for prefix in ("a", "b"):
        for i in range(n):
            assert scenarios[f"{prefix}{i}"].time_limit_s == i + 1
    assert len(scenarios) == 2 + 2 * n


def test_concurrent_increments_of_one_scenario(project, tmp_path):
    n, go = 25, tmp_path / "go"
    start = Project.read(project).scenarios["plan"].time_limit_s
    procs = [_child(_INCREMENTER, project, n, go) for _ in range(2)]
    time.sleep(1.0)
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert Project.read(project).scenarios["plan"].time_limit_s == start + 2 * n


def test_scenario_edit_changes_only_the_scenarios_table(project):
    con = sqlite3.connect(project)
    before = dict(con.execute("SELECT table_name, last_change FROM gpkg_contents"))
    assert wufei(["scenario", "set", str(project), "plan", "time_limit_s=42"]) == 0
    after = dict(con.execute("SELECT table_name, last_change FROM gpkg_contents"))
    assert [t for t in before if before[t] != after[t]] == ["scenarios"]
    assert Project.read(project).scenarios["plan"].time_limit_s == 42
    assert wufei(["scenario", "delete", str(project), "nope"]) == 2
    assert wufei(["scenario", "delete", str(project), "baseline"]) == 0
    assert list(Project.read(project).scenarios) == ["plan"]


_LOCKER = """
import sys, time
from wufei_gis import storage
with storage.transaction(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_second_writer_gets_a_clear_lock_error(project, monkeypatch, capsys):
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_S", 0.3)
    proc = _child(_LOCKER, project)
    try:
        _wait_line(proc, "locked")
        before = project.read_bytes()
        proj = Project.read(project)  # readers are not blocked
        proj.facilities["capacity_tpd"] = [5.0, 6.0]
        with pytest.raises(InputError, match=rf"open for writing in .*pid {proc.pid}") as info:
            proj.write()
        assert info.value.file == str(project)
        assert wufei(["scenario", "set", str(project), "plan", "time_limit_s=9"]) == 2
        assert "open for writing" in capsys.readouterr().err
        assert project.read_bytes() == before
    finally:
        proc.kill()
        proc.wait()
    proj.write()  # the killed writer's lock is SQLite's: gone with it; its side file is cleaned
    assert _state(project)[0] == [5.0, 6.0]
    assert _leftovers(project.parent) == []


def test_save_while_another_connection_has_the_file_open(project):
    reader = sqlite3.connect(project)
    writer = sqlite3.connect(project)  # like a program holding the project for update
    assert reader.execute("SELECT capacity_tpd FROM facilities ORDER BY fid").fetchall() == [
        (100.0,),
        (300.0,),
    ]
    ino = project.stat().st_ino
    proj = Project.read(project)
    proj.facilities["capacity_tpd"] = [7.0, 8.0]
    proj.write()
    assert project.stat().st_ino == ino  # same file: open handles stay valid
    assert reader.execute("SELECT capacity_tpd FROM facilities ORDER BY fid").fetchall() == [
        (7.0,),
        (8.0,),
    ]
    writer.execute("UPDATE scenarios SET description = 'from the other program'")
    writer.commit()  # no "attempt to write a readonly database"
    names = Project.read(project).scenarios  # the other program's write is there
    assert sqlite3.connect(project).execute(
        "SELECT DISTINCT description FROM scenarios"
    ).fetchall() == [("from the other program",)] and list(names) == ["baseline", "plan"]


# --------------------------------------------------------------------------- permissions
@pytest.mark.parametrize("mode", [0o644, 0o640])
def test_saves_keep_the_file_mode(project, mode):
    project.chmod(mode)
    proj = Project.read(project)
    proj.facilities["capacity_tpd"] = [1.0, 2.0]
    proj.write()
    update_scenarios(project, lambda cur: {"x": cur["plan"].copy(name="x")})
    write_results(make_result("A", unserved_c=1.0), project)
    cached_matrix(
        project,
        StraightLineProvider(),
        proj.demand_points(),
        proj.facilities,
        destination_id="facility_id",
    )
    assert project.stat().st_mode & 0o777 == mode
    # Save As over an existing file keeps that file's mode too
    other = project.with_name("other.gpkg")
    Project.read(project).write(other)
    other.chmod(0o640)
    proj.write(other)
    assert other.stat().st_mode & 0o777 == 0o640


def test_read_only_project_is_refused_and_untouched(project, tmp_path):
    project.chmod(0o444)
    before = project.read_bytes()
    proj = Project.read(project)
    proj.facilities["capacity_tpd"] = [1.0, 2.0]
    attempts = [
        proj.write,
        lambda: update_scenarios(project, lambda cur: {"x": cur["plan"].copy(name="x")}),
        lambda: write_results(make_result("A", unserved_c=1.0), project),
        lambda: cached_matrix(
            project,
            StraightLineProvider(),
            proj.demand_points(),
            proj.facilities,
            destination_id="facility_id",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(InputError, match=r"read-only.*Save As") as info:
            attempt()
        assert info.value.file == str(project)
    assert wufei(["scenario", "set", str(project), "plan", "time_limit_s=9"]) == 2
    assert project.read_bytes() == before
    assert _leftovers(tmp_path) == []
    saved_as = proj.write(tmp_path / "copy.gpkg")  # Save As still works
    assert Project.read(saved_as).facilities["capacity_tpd"].tolist() == [1.0, 2.0]


# --------------------------------------------------------------------------- GeoPackage validity
def test_results_replace_only_their_scenario_rows_and_stay_valid(project):
    write_results(make_result("A", unserved_c=10.0), project)
    write_results(make_result("B", unserved_c=2.0), project)
    write_results(make_result("A", unserved_c=5.0), project)
    assert sorted(result_scenarios(project)) == ["A", "B"]
    assert read_results(project, "A").county_gaps["unserved_tpd"].sum() == pytest.approx(
        make_result("A", unserved_c=5.0).county_gaps["unserved_tpd"].sum()
    )
    con = sqlite3.connect(project)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for layer in ("proposed_sites", "flows", "county_gaps"):
        n = con.execute(f"SELECT count(*) FROM {layer}").fetchone()[0]
        assert con.execute(f"SELECT count(*) FROM rtree_{layer}_geom").fetchone()[0] == n
        assert pyogrio.read_info(project, layer=layer)["features"] == n
        # a spatial filter goes through the R-tree the copy and the triggers filled
        df = pyogrio.read_dataframe(project, layer=layer)
        x0, y0, x1, y1 = df.total_bounds
        assert len(pyogrio.read_dataframe(project, layer=layer, bbox=(x0, y0, x1, y1))) == n
    for layer in ("counties", "facilities", "candidates", "generation", "scenarios"):
        assert (
            pyogrio.read_info(project, layer=layer)["features"]
            == con.execute(f"SELECT count(*) FROM {layer}").fetchone()[0]
        )


def test_results_with_a_new_column_type_are_merged(project):
    a = make_result("A", unserved_c=10.0)
    write_results(a, project)
    b = make_result("B", unserved_c=2.0)
    b.run_summary["solver"] = [3.5]  # text in A, a number here: the layer is rewritten, merged
    write_results(b, project)
    assert sorted(result_scenarios(project)) == ["A", "B"]
    assert read_results(project, "A").summary()["solver"] == a.summary()["solver"]


# --------------------------------------------------------------------------- matrix cache
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matrix_blob_round_trip_is_exact(tmp_path, dtype):
    rng = np.random.default_rng(3)
    a = (rng.random((37, 11)) * 1e4).astype(dtype)
    a[0, 0], a[1, 1] = np.inf, np.nextafter(dtype(1), dtype(2))
    blob, code = encode_matrix(a)
    con = sqlite3.connect(tmp_path / "m.sqlite")
    con.execute("CREATE TABLE m (b BLOB, dtype TEXT)")
    con.execute("INSERT INTO m VALUES (?, ?)", (blob, code))
    back_blob, back_code = con.execute("SELECT b, dtype FROM m").fetchone()
    back = decode_matrix(back_blob, back_code, a.shape)
    assert back.dtype == dtype and np.array_equal(back, a)
    assert len(blob) == a.size * np.dtype(dtype).itemsize


def test_matrix_cache_is_blob_and_replaces_old_text_cache(project):
    proj = Project.read(project)
    old = pd.DataFrame(
        {
            "key": ["x"],
            "created": ["2024-01-01"],
            "origin_ids": ["[]"],
            "destination_ids": ["[]"],
            "distance_km": [base64.b64encode(b"1").decode()],
            "time_min": ["AAAA"],
            "method": ["old"],
        }
    )
    pyogrio.write_dataframe(old, project, layer=MATRIX_CACHE_TABLE, driver="GPKG")
    args = (StraightLineProvider(), proj.demand_points(), proj.facilities)
    first = cached_matrix(project, *args, destination_id="facility_id")  # old table: a miss
    con = sqlite3.connect(project)
    rows = con.execute(
        f"SELECT typeof(distance_km), typeof(time_min), dtype, n_rows, n_cols, "
        f"length(distance_km) FROM {MATRIX_CACHE_TABLE}"
    ).fetchall()
    assert rows == [("blob", "blob", "<f8", 2, 2, 2 * 2 * 8)]
    second = cached_matrix(project, *args, destination_id="facility_id")
    assert np.array_equal(second.distance_km, first.distance_km)
    assert np.array_equal(second.time_min, first.time_min)
    assert pyogrio.read_info(project, layer=MATRIX_CACHE_TABLE)["features"] == 1
