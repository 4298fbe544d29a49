"""``wufei new``, ``wufei import`` and ``wufei scenario``."""

from __future__ import annotations

import pytest

from wufei_gis.cli import main
from wufei_gis.project import Project


@pytest.fixture
def layer_files(tmp_path, tiny_frames):
    counties, facilities, generation, candidates = tiny_frames
    counties.rename(columns={"name_zh": "名称"}).to_file(tmp_path / "c.geojson")
    facilities.to_file(tmp_path / "f.gpkg", layer="plants")
    generation.to_csv(tmp_path / "g.csv", index=False)
    candidates.to_file(tmp_path / "cand.geojson")
    return tmp_path


def test_new_import_and_scenarios(layer_files, capsys):
    d = layer_files
    proj = str(d / "p.gpkg")
    # the county names are in a column called 名称: without a mapping it is a clear error
    assert (
        main(
            [
                "new",
                proj,
                "--counties",
                str(d / "c.geojson"),
                "--facilities",
                str(d / "f.gpkg"),
                "--generation",
                str(d / "g.csv"),
            ]
        )
        == 2
    )
    assert "name_zh" in capsys.readouterr().err
    assert (
        main(
            ["import", "counties", str(d / "c.geojson"), "--project", proj, "--map", "名称=name_zh"]
        )
        == 2
    )  # project does not exist yet
    capsys.readouterr()
    # 'new' takes no --map, so map by importing after creation from a renamed file
    (d / "c2.geojson").write_text(
        (d / "c.geojson").read_text(encoding="utf-8").replace("名称", "name_zh"), encoding="utf-8"
    )
    assert (
        main(
            [
                "new",
                proj,
                "--counties",
                str(d / "c2.geojson"),
                "--facilities",
                str(d / "f.gpkg"),
                "--generation",
                str(d / "g.csv"),
            ]
        )
        == 0
    )
    assert (
        main(
            ["import", "counties", str(d / "c.geojson"), "--project", proj, "--map", "名称=name_zh"]
        )
        == 0
    )
    assert main(["import", "candidates", str(d / "cand.geojson"), "--project", proj]) == 0
    p = Project.read(proj)
    assert p.counties["name_zh"].tolist() == ["甲县", "乙县"]
    assert p.candidates["candidate_id"].tolist() == ["C1"]

    assert (
        main(
            [
                "scenario",
                "set",
                proj,
                "plan",
                "target_year=2030",
                "incineration_share_min=0.7",
                'facility_status={"F1": "closed"}',
                "--from",
                "baseline",
            ]
        )
        == 0
    )
    sc = Project.read(proj).scenario("plan")
    assert sc.target_year == 2030 and sc.incineration_share_min == 0.7
    assert sc.facility_status == {"F1": "closed"}
    assert main(["scenario", "set", proj, "plan", "incineration_share_min=65"]) == 2
    assert "fraction" in capsys.readouterr().err
    assert main(["scenario", "set", proj, "plan", "nonsense=1"]) == 2
    assert main(["scenario", "list", proj]) == 0
    assert "plan\ttarget 2030" in capsys.readouterr().out
    assert main(["scenario", "delete", proj, "plan"]) == 0
    assert list(Project.read(proj).scenarios) == ["baseline"]


def test_scenario_set_repairs_an_invalid_stored_value(tmp_path, capsys):
    """A file with a bad stored value (e.g. from an old version) fails to read with a located
    error, and `wufei scenario set` with a valid value for that key repairs it."""
    import json
    import sqlite3

    from wufei_gis.cli import main
    from wufei_gis.project import Project

    p = tmp_path / "P.gpkg"
    assert main(["init", str(p), "--sample", "yuxi"]) == 0
    with sqlite3.connect(p) as con:
        fid, text = con.execute(
            "SELECT fid, parameters FROM scenarios WHERE name = 'plan-2025'"
        ).fetchone()
        data = json.loads(text)
        data["time_limit_s"] = "fast"
        con.execute("UPDATE scenarios SET parameters = ? WHERE fid = ?", (json.dumps(data), fid))
    capsys.readouterr()
    assert main(["solve", str(p), "--scenario", "baseline-2020"]) == 2
    err = capsys.readouterr().err
    assert "row 2" in err and "time_limit_s" in err and "Fix:" in err
    # another scenario cannot be changed while the file does not read ...
    assert main(["scenario", "set", str(p), "baseline-2020", "mip_gap=0.001"]) == 2
    # ... but the bad value itself can be replaced
    assert main(["scenario", "set", str(p), "plan-2025", "time_limit_s=60"]) == 0
    assert Project.read(p).scenario("plan-2025").time_limit_s == 60
