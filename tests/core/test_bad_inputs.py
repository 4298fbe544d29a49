"""Bad input from every entry point: one located line, exit status 2, no traceback.

Each case runs the real ``wufei`` command (``main([...])``) on the Yuxi sample
written as a project GeoPackage, with small bad files written in ``tmp_path``.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio
import pytest

from wufei_gis.cli import main
from wufei_gis.editing import validate_cell
from wufei_gis.errors import InputError, describe_os_error
from wufei_gis.io import read_facilities, read_generation
from wufei_gis.project import Project
from wufei_gis.samples import _data_dir
from wufei_gis.scenario import Scenario
from wufei_gis.schema import FACILITIES
from wufei_gis.validation import parse_number

DATA = _data_dir()
FAC_CSV = DATA / "facilities" / "yuxi_facilities.csv"
CAND_CSV = DATA / "facilities" / "yuxi_candidates.csv"
GEN_CSV = DATA / "generation" / "yuxi_generation.csv"


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with open(path, "w", encoding=encoding, errors="replace", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def _edit(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """Copy ``rows`` with data row ``row`` (1-based) of ``column`` set to ``value``."""
    out = [r[:] for r in rows]
    out[row][rows[0].index(column)] = value
    return out


def _cant_write(folder: str) -> bool:
    try:
        with open(os.path.join(folder, ".wufei-probe"), "w"):
            pass
    except OSError:
        return True
    os.unlink(os.path.join(folder, ".wufei-probe"))
    return False


READ_ONLY = "/sys"  # a read-only folder even for root (Linux sysfs)
needs_read_only = pytest.mark.skipif(
    not os.path.isdir(READ_ONLY) or not _cant_write(READ_ONLY),
    reason="no read-only folder on this machine",
)


@pytest.fixture(scope="module")
def sample_gpkg(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "P.gpkg"
    assert main(["init", str(path), "--sample", "yuxi"]) == 0
    return path


@pytest.fixture
def proj(sample_gpkg, tmp_path) -> Path:
    """A fresh copy of the Yuxi project per test."""
    path = tmp_path / "P.gpkg"
    path.write_bytes(sample_gpkg.read_bytes())
    return path


def _fails(argv: list[str], capsys, *expected: str) -> str:
    """Run ``wufei argv``; assert exit 2, one line on stderr naming ``expected``."""
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------------------- scenario set
SCENARIO_CASES = [
    ('facility_status={"YX-LF-01":', ["facility_status", "not valid JSON", "character 13"]),
    ("generation_growth_rate=2%", ["generation_growth_rate", "percentage", "0.02"]),
    ("time_limit_s=fast", ["time_limit_s", "not a number", "plan-2025"]),
    ("time_limit_s=0", ["time_limit_s", "greater than 0"]),
    ("time_limit_s=-5", ["time_limit_s", "greater than 0"]),
    ("target_year=2025年", ["target_year", "not a number", "2025"]),
    ("target_year=2025.5", ["target_year", "whole number"]),
    ("target_year=1066", ["target_year", "below the minimum 1900"]),
    ("incineration_share_min=abc", ["incineration_share_min", "not a number", "0.65"]),
    ("incineration_share_min=65", ["incineration_share_min", "maximum 1", "fraction"]),
    ("incineration_share_min=-0.1", ["incineration_share_min", "below the minimum 0"]),
    ("mip_gap=1", ["mip_gap", "less than 1"]),
    ("solver=gurobi", ["solver", "highs, cbc"]),
    ("threads=0", ["threads", "below the minimum 1"]),
    ("max_new_sites=2.5", ["max_new_sites", "whole number"]),
    ('in_service_statuses=["open"]', ["in_service_statuses", "unknown value(s) ['open']"]),
    ('facility_status={"YX-LF-01": "shut"}', ["facility_status", "unknown status"]),
    ('facility_status="closed"', ["facility_status", "not an object"]),
    ('facility_capacity={"YX-INC-01": -5}', ["facility_capacity", ">= 0"]),
    ("use_exclusions=maybe", ["use_exclusions", "true or false"]),
    ("circuity_factor=0.5", ["circuity_factor", "below the minimum 1"]),
    ('size_classes=[{"name": "s"}]', ["size_classes", "capacity_tpd"]),
    ("nonsense=1", ["unknown scenario parameter 'nonsense'"]),
    ("target_year", ["is not KEY=VALUE"]),
]


@pytest.mark.parametrize(
    ("assignment", "expected"), SCENARIO_CASES, ids=[c[0][:30] for c in SCENARIO_CASES]
)
def test_scenario_set_refuses_bad_values(proj, capsys, assignment, expected):
    before = Project.read(proj).scenario("plan-2025").to_dict()
    _fails(["scenario", "set", str(proj), "plan-2025", assignment], capsys, *expected)
    assert Project.read(proj).scenario("plan-2025").to_dict() == before  # nothing stored


def test_required_and_forbidden_candidate_refused(proj, capsys):
    assert (
        main(["scenario", "set", str(proj), "plan-2025", 'required_candidates=["YX-CTS-01"]']) == 0
    )
    _fails(
        ["scenario", "set", str(proj), "plan-2025", 'forbidden_candidates=["YX-CTS-01"]'],
        capsys,
        "both required and forbidden",
        "YX-CTS-01",
    )
    with pytest.raises(InputError, match="both required and forbidden"):
        Scenario("s", required_candidates=["A"], forbidden_candidates=["A"])


def test_good_values_are_typed_when_set(proj):
    assert (
        main(
            [
                "scenario",
                "set",
                str(proj),
                "plan-2025",
                "target_year=２０３０",
                "time_limit_s=60",
                "max_new_sites=3",
                "required_candidates=YX-CTS-01",
            ]
        )
        == 0
    )
    sc = Project.read(proj).scenario("plan-2025")
    assert sc.target_year == 2030 and isinstance(sc.target_year, int)
    assert sc.time_limit_s == 60.0 and sc.max_new_sites == 3
    assert sc.required_candidates == ["YX-CTS-01"]


def test_bad_value_in_an_old_file_is_located(proj, capsys):
    """A project written before the checks, with time_limit_s = "fast", fails on read."""
    df = pyogrio.read_dataframe(proj, layer="scenarios")
    params = json.loads(df.loc[1, "parameters"])
    params["time_limit_s"] = "fast"
    df.loc[1, "parameters"] = json.dumps(params)
    pyogrio.write_dataframe(df, proj, layer="scenarios", driver="GPKG")
    line = _fails(
        ["solve", str(proj), "--scenario", "plan-2025"],
        capsys,
        "layer 'scenarios'",
        "row 2",
        "field 'time_limit_s'",
        "plan-2025",
    )
    assert str(proj) in line


def test_scenario_command_without_name(proj, capsys):
    _fails(["scenario", "show", str(proj)], capsys, "needs a scenario name")


# --------------------------------------------------------------------------- CLI flags
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["solve", "--sample", "yuxi", "--out", "r.gpkg", "--time-limit", "-5"],
            "must be a number > 0",
        ),
        (["solve", "--sample", "yuxi", "--out", "r.gpkg", "--time-limit", "fast"], "not a number"),
        (
            ["generation", "P.gpkg", "--kg-per-person-day", "0.8", "--base-year", "2020年"],
            "write the year as e.g. 2025",
        ),
        (
            [
                "generation",
                "P.gpkg",
                "--kg-per-person-day",
                "0.8",
                "--base-year",
                "2020",
                "--growth",
                "2%",
            ],
            "0.02",
        ),
    ],
)
def test_flag_types(capsys, argv, expected):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


# --------------------------------------------------------------------------- OS errors
def test_solve_out_is_a_folder(proj, tmp_path, capsys):
    (tmp_path / "results").mkdir()
    _fails(
        ["solve", str(proj), "--out", str(tmp_path / "results")],
        capsys,
        "is a folder, not a file",
        "result.gpkg",
    )


def test_solve_out_parent_is_a_file(proj, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    _fails(
        ["solve", str(proj), "--out", str(tmp_path / "afile" / "r.gpkg")],
        capsys,
        "is a file, not a folder",
    )


@needs_read_only
def test_solve_into_read_only_folder(proj, capsys):
    line = _fails(["solve", str(proj), "--out", f"{READ_ONLY}/r.gpkg"], capsys, READ_ONLY)
    assert "permission denied" in line or "not permitted" in line or "read-only" in line
    assert "Fix:" in line


@needs_read_only
@pytest.mark.parametrize("fmt", ["csv", "gpkg", "xlsx"])
def test_export_into_read_only_folder(proj, tmp_path, capsys, fmt):
    out = tmp_path / "r.gpkg"
    assert main(["solve", str(proj), "--out", str(out)]) == 0
    target = f"{READ_ONLY}/x" + ("" if fmt == "csv" else f".{fmt}")
    line = _fails(["export", str(out), "--format", fmt, "--out", target], capsys, READ_ONLY)
    assert "permission denied" in line or "not permitted" in line


def test_export_csv_out_is_a_file(proj, tmp_path, capsys):
    out = tmp_path / "r.gpkg"
    assert main(["solve", str(proj), "--out", str(out)]) == 0
    _fails(
        ["export", str(out), "--format", "csv", "--out", str(out)],
        capsys,
        "is a file, but this format writes a folder",
    )


@needs_read_only
def test_import_into_read_only_folder(capsys):
    _fails(
        ["import", "facilities", str(FAC_CSV), "--project", f"{READ_ONLY}/P.gpkg"],
        capsys,
        "project file not found",
    )


def test_network_list_missing_project(tmp_path, capsys):
    assert main(["network", "list", "--project", str(tmp_path / "none.gpkg")]) == 0
    assert "does not exist yet" in capsys.readouterr().out


def test_import_a_folder(proj, tmp_path, capsys):
    _fails(
        ["import", "facilities", str(tmp_path), "--project", str(proj)],
        capsys,
        "is a folder, not a file",
    )


_HOLD_LOCK = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def test_locked_geopackage(proj, capsys):
    """Another program (here: another process) holds the GeoPackage's write lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(proj)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        _fails(["scenario", "list", str(proj)], capsys, "locked by another program", "close it")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_broken_pipe_is_quiet(proj):
    """``wufei scenario show ... | head -1``: no traceback when the reader goes away."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wufei_gis.cli", "scenario", "show", str(proj), "plan-2025"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader is gone before anything was written
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode in (0, 141)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.EACCES, "permission denied"),
        (errno.EISDIR, "is a folder"),
        (errno.ENOSPC, "disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EBUSY, "in use"),
    ],
)
def test_describe_os_error(code, expected):
    text = describe_os_error(OSError(code, os.strerror(code), "/data/out.gpkg"))
    assert text.startswith("path '/data/out.gpkg': ") and expected in text and "Fix:" in text


def test_describe_os_error_names_folder_of_temp_file():
    text = describe_os_error(PermissionError(errno.EACCES, "denied", "/srv/.r.saving-ab12.gpkg"))
    assert text.startswith("path '/srv': ")


# --------------------------------------------------------------------------- imports
def test_swapped_lon_lat_refused(proj, tmp_path, capsys):
    rows = _rows(FAC_CSV)
    lon, lat = rows[0].index("lon"), rows[0].index("lat")
    for r in (3, 5):
        rows[r][lon], rows[r][lat] = rows[r][lat], rows[r][lon]
    path = _write(tmp_path / "swapped.csv", rows)
    _fails(
        ["import", "facilities", str(path), "--project", str(proj)],
        capsys,
        "lon/lat look swapped in rows 3, 5",
        "swapped.csv",
        "swap the longitude",
    )
    assert len(Project.read(proj).facilities) == 21  # 20 + the stream sample's medical plant


def test_correct_csv_gives_hongta_incinerator_throughput(proj, tmp_path, capsys):
    assert main(["import", "facilities", str(FAC_CSV), "--project", str(proj)]) == 0
    out = tmp_path / "r.gpkg"
    assert main(["solve", str(proj), "--scenario", "plan-2025", "--out", str(out)]) == 0
    sites = pyogrio.read_dataframe(out, layer="proposed_sites")
    hongta = sites[sites["site_id"] == "YX-INC-01"]
    assert len(hongta) == 1 and float(hongta["throughput_tpd"].iloc[0]) > 0


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ({(1, "lon"): "116.40", (1, "lat"): "39.90"}, ["YX-INC-01", "outside every county"]),
        (
            {(1, "county_id"): "530423"},
            [
                "county_id 530423",
                "lies in county 530402",
                "km outside county 530423",
                "--on-mismatch warn",
            ],
        ),
        ({(2, "name_zh"): ""}, ["row 2", "field 'name_zh'", "'name_zh' is empty"]),
        ({(2, "facility_id"): "YX-INC-01"}, ["duplicate facility_id 'YX-INC-01' in rows 1 and 2"]),
        ({(3, "capacity_tpd"): "1,2"}, ["row 3", "'1,2' is not a number", "capacity_tpd"]),
        ({(3, "capacity_tpd"): "172t/d"}, ["row 3", "'172t/d' is not a number"]),
        ({(3, "capacity_tpd"): "inf"}, ["row 3", "'inf' is not a number"]),
        ({(3, "capacity_tpd"): "-1"}, ["row 3", "below the minimum 0"]),
        ({(4, "lat"): "95", (4, "lon"): "10"}, ["coordinates out of range in rows 4"]),
        ({(4, "lat"): "北纬24"}, ["row 4", "is not a coordinate"]),
        ({(4, "type"): "dump"}, ["row 4", "'dump' is not an allowed type"]),
        ({(5, "status"): ""}, ["row 5", "'status' is empty"]),
    ],
)
def test_bad_facility_rows(proj, tmp_path, capsys, edits, expected):
    path = _write(tmp_path / "f.csv", _apply(_rows(FAC_CSV), edits))
    _fails(["import", "facilities", str(path), "--project", str(proj)], capsys, "f.csv", *expected)
    assert (
        len(Project.read(proj).facilities) == 21
    )  # 20 + the stream sample's medical plant  # the project is untouched


def _apply(rows, edits):
    for (row, column), value in edits.items():
        rows = _edit(rows, row, column, value)
    return rows


def test_mismatch_warn_policy_imports_with_distance(proj, tmp_path, capsys):
    path = _write(tmp_path / "f.csv", _edit(_rows(FAC_CSV), 1, "county_id", "530423"))
    assert (
        main(["import", "facilities", str(path), "--project", str(proj), "--on-mismatch", "warn"])
        == 0
    )
    err = capsys.readouterr().err
    assert "warning" in err and "YX-INC-01" in err and "km outside county 530423" in err
    assert (
        Project.read(proj).facilities.set_index("facility_id").loc["YX-INC-01", "county_id"]
        == "530423"
    )


def test_header_only_csv_does_not_delete_facilities(proj, tmp_path, capsys):
    path = _write(tmp_path / "header.csv", _rows(FAC_CSV)[:1])
    _fails(
        ["import", "facilities", str(path), "--project", str(proj)],
        capsys,
        "layer 'facilities' in header.csv has no features",
        "--allow-empty",
    )
    assert len(Project.read(proj).facilities) == 21  # 20 + the stream sample's medical plant
    # candidates may really be emptied, when asked for
    cand = _write(tmp_path / "cand.csv", _rows(CAND_CSV)[:1])
    assert main(["import", "candidates", str(cand), "--project", str(proj), "--allow-empty"]) == 0
    assert len(Project.read(proj).candidates) == 0


def test_empty_feature_collection(proj, tmp_path, capsys):
    path = tmp_path / "F.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    _fails(
        ["import", "facilities", str(path), "--project", str(proj)],
        capsys,
        "layer 'F' in F.geojson has no features",
    )


def test_candidate_in_the_sea(proj, tmp_path, capsys):
    rows = _apply(_rows(CAND_CSV), {(2, "lon"): "121.5", (2, "lat"): "22.0", (2, "county_id"): ""})
    path = _write(tmp_path / "cand.csv", rows)
    _fails(
        ["import", "candidates", str(path), "--project", str(proj)],
        capsys,
        "YX-CTS-02",
        "outside every county",
        "row 2",
    )


def test_candidate_without_county_id_imports(proj, tmp_path, capsys):
    path = _write(tmp_path / "cand.csv", _edit(_rows(CAND_CSV), 4, "county_id", ""))
    assert main(["import", "candidates", str(path), "--project", str(proj)]) == 0, (
        capsys.readouterr().err
    )
    assert "nan" not in set(Project.read(proj).candidates["county_id"])


def test_duplicate_generation_rows_not_summed(proj, tmp_path, capsys):
    rows = _rows(GEN_CSV)
    rows.append([rows[1][0], rows[1][1], "999", "typo", ""])
    path = _write(tmp_path / "g.csv", rows)
    _fails(
        ["import", "generation", str(path), "--project", str(proj)],
        capsys,
        "duplicate county_id+year+stream '530402, 2020, residual' in rows 1 and",
        "not added up",
    )


def test_generation_year_must_be_whole(proj, tmp_path, capsys):
    path = _write(tmp_path / "g.csv", _edit(_rows(GEN_CSV), 2, "year", "2020.5"))
    _fails(
        ["import", "generation", str(path), "--project", str(proj)], capsys, "row 2", "whole number"
    )


def test_append_existing_key_refused(proj, capsys):
    _fails(
        ["import", "facilities", str(FAC_CSV), "--project", str(proj), "--append"],
        capsys,
        "YX-INC-01",
        "already exists",
        "row 1",
    )


def test_unsupported_file_type(proj, tmp_path, capsys):
    path = tmp_path / "f.txt"
    path.write_text("x")
    _fails(
        ["import", "facilities", str(path), "--project", str(proj)],
        capsys,
        "unsupported file type '.txt'",
    )


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (";", "utf-8"),
        ("\t", "utf-8"),
        (",", "utf-8-sig"),
        (";", "gbk"),
        (",", "gb18030"),
    ],
)
def test_csv_delimiter_and_encoding_sniffed(proj, tmp_path, delimiter, encoding):
    path = _write(tmp_path / "f.csv", _rows(FAC_CSV), delimiter=delimiter, encoding=encoding)
    df = read_facilities(path)
    assert len(df) == 20
    assert df.loc[0, "name_zh"].startswith("红塔区")
    assert main(["import", "facilities", str(path), "--project", str(proj)]) == 0


def test_undecodable_csv(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"facility_id,name_zh\n" + bytes([0x81, 0x20, 0xFF, 0xFE]) * 4 + b"\n")
    with pytest.raises(InputError, match="cannot decode the CSV") as err:
        read_facilities(path)
    assert "UTF-8" in str(err.value)


# --------------------------------------------------------------------------- one number rule
NUMBER_CASES = [
    ("1,200", 1200.0),
    ("１２００", 1200.0),
    ("１，２００", 1200.0),
    (" 3.5 ", 3.5),
    ("1,200.5", 1200.5),
    ("－5", -5.0),
    ("1e3", 1000.0),
    ("", None),
    (7, 7.0),
    ("1,2", ValueError),
    ("1.200,5", ValueError),
    ("2%", ValueError),
    ("2025年", ValueError),
    ("nan", ValueError),
    ("inf", ValueError),
    ("1 200", ValueError),
    (True, ValueError),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES, ids=[repr(c[0]) for c in NUMBER_CASES])
def test_number_rule_same_for_imports_and_cells(tmp_path, text, expected):
    if expected is ValueError:
        with pytest.raises(ValueError):
            parse_number(text)
    else:
        assert parse_number(text) == expected
    # a GUI cell edit follows the same rule ...
    if expected is ValueError:
        with pytest.raises(InputError, match="not a number|yes/no"):
            validate_cell(FACILITIES, "capacity_tpd", text, row=0)
    elif expected is not None and expected >= 0:
        assert validate_cell(FACILITIES, "capacity_tpd", text, row=0) == expected
    # ... and so does an imported table
    if isinstance(text, str) and expected is not None:
        rows = [["county_id", "year", "generation_tpd"], ["530402", "2020", text]]
        path = _write(tmp_path / "g.csv", rows)
        if expected is ValueError:
            with pytest.raises(InputError, match="row 1.*generation_tpd"):
                read_generation(path)
        elif expected >= 0:
            assert read_generation(path)["generation_tpd"].iloc[0] == pytest.approx(expected)


def test_check_lonlat_direct():
    from wufei_gis.validation import check_lonlat

    check_lonlat(np.array([102.5]), np.array([24.3]))
    with pytest.raises(InputError, match="swapped in rows 2"):
        check_lonlat(np.array([102.5, 24.3]), np.array([24.3, 102.5]))
