"""The Qt-free edit model: commands, undo/redo, events, save and recovery."""

from __future__ import annotations

import pytest

from wufei_gis.editing import (
    AddCandidate,
    AddExclusion,
    AddScenario,
    ChangeEvent,
    DeleteExclusion,
    DeleteFeature,
    EditExclusion,
    MoveFeature,
    ProjectModel,
    RemoveScenario,
    SetCellValue,
    SetScenarioParameter,
    clear_recovery,
    empty_project,
    find_recovery,
    load_recovery,
    polygon_vertices,
    write_recovery,
)
from wufei_gis.errors import InputError
from wufei_gis.project import Project
from wufei_gis.samples import load_sample

SQUARE = [(102.5, 24.3), (102.6, 24.3), (102.6, 24.4), (102.5, 24.4)]


@pytest.fixture(scope="module")
def _sample():
    return load_sample("yuxi")


@pytest.fixture
def model(_sample):
    p = _sample
    proj = Project(
        p.counties.copy(),
        p.facilities.copy(),
        p.generation.copy(),
        candidates=p.candidates.copy(),
        exclusions=p.exclusions.copy(),
        scenarios=dict(p.scenarios),
        name=p.name,
    )
    return ProjectModel(proj)


@pytest.fixture
def events(model):
    seen: list[ChangeEvent] = []
    model.events.connect(seen.append)
    return seen


def test_add_candidate_undo_redo(model, events):
    n = len(model.project.candidates)
    cmd = model.execute(AddCandidate(model, 102.55, 24.35))
    assert len(model.project.candidates) == n + 1
    assert model.dirty
    row = model.project.candidates.iloc[-1]
    assert row["candidate_id"] == cmd.candidate_id
    assert row["county_id"] != ""  # inside a Yuxi county
    assert row.geometry.x == pytest.approx(102.55)
    assert events[-1] == ChangeEvent("inserted", "candidates", (n,))
    model.undo()
    assert len(model.project.candidates) == n
    assert events[-1].kind == "removed"
    model.redo()
    assert model.project.candidates["candidate_id"].iloc[-1] == cmd.candidate_id


def test_move_and_delete_feature(model, events):
    key = model.project.candidates["candidate_id"].iloc[0]
    old = model.project.candidates.geometry.iloc[0]
    model.execute(MoveFeature(model, "candidates", key, 102.0, 24.0))
    assert model.project.candidates.geometry.iloc[0].x == pytest.approx(102.0)
    assert events[-1].fields[0] == "geometry"
    model.undo()
    assert model.project.candidates.geometry.iloc[0].equals(old)
    n = len(model.project.candidates)
    model.execute(DeleteFeature(model, "candidates", key))
    assert key not in set(model.project.candidates["candidate_id"])
    model.undo()
    assert len(model.project.candidates) == n
    assert model.project.candidates["candidate_id"].iloc[0] == key  # back in its place


def test_exclusion_add_edit_delete(model):
    cmd = model.execute(AddExclusion(model, SQUARE, name_zh="生态红线"))
    ex = model.project.exclusions
    assert len(ex) == 1 and ex["name_zh"].iloc[0] == "生态红线"
    moved = [(x + 0.05, y) for x, y in SQUARE]
    model.execute(EditExclusion(model, cmd.zone_id, moved))
    assert polygon_vertices(model.project.exclusions.geometry.iloc[0])[0] == (102.55, 24.3)
    model.undo()
    assert polygon_vertices(model.project.exclusions.geometry.iloc[0])[0] == (102.5, 24.3)
    model.execute(DeleteExclusion(model, cmd.zone_id))
    assert len(model.project.exclusions) == 0
    model.undo()
    assert len(model.project.exclusions) == 1


def test_bad_polygon_rejected(model):
    with pytest.raises(InputError, match="at least 3 vertices"):
        AddExclusion(model, SQUARE[:2])
    with pytest.raises(InputError, match="crosses itself"):
        AddExclusion(model, [SQUARE[0], SQUARE[2], SQUARE[1], SQUARE[3]])


def test_set_cell_value_validates(model):
    gen = model.project.generation
    old = gen["generation_tpd"].iloc[2]
    model.execute(SetCellValue(model, "generation", 2, "generation_tpd", "123.5"))
    assert model.project.generation["generation_tpd"].iloc[2] == 123.5
    with pytest.raises(InputError) as err:
        SetCellValue(model, "generation", 2, "generation_tpd", -5)
    assert err.value.row == 3 and err.value.field == "generation_tpd"
    assert "minimum" in str(err.value)
    with pytest.raises(InputError, match="not a number"):
        SetCellValue(model, "facilities", 0, "capacity_tpd", "abc")
    with pytest.raises(InputError, match="not an allowed status"):
        SetCellValue(model, "facilities", 0, "status", "open")
    model.execute(SetCellValue(model, "facilities", 0, "status", "closed"))
    assert model.project.facilities["status"].iloc[0] == "closed"
    model.undo()
    model.undo()
    assert model.project.generation["generation_tpd"].iloc[2] == old


def test_scenario_parameter_and_list(model, events):
    model.execute(SetScenarioParameter(model, "plan-2025", "circuity_factor", 1.2))
    assert model.project.scenarios["plan-2025"].circuity_factor == 1.2
    assert events[-1].kind == "scenario" and events[-1].scenario == "plan-2025"
    with pytest.raises(InputError) as err:
        SetScenarioParameter(model, "plan-2025", "circuity_factor", 0.5)
    assert err.value.field == "circuity_factor"
    model.undo()
    assert model.project.scenarios["plan-2025"].circuity_factor == 1.4
    model.execute(SetScenarioParameter(model, "plan-2025", "name", "plan-b"))
    assert list(model.project.scenarios) == [
        "baseline-2020",
        "plan-b",
        "plan-2025-towns",
        "plan-2025-streams",
        "phased-2035",
    ]
    model.undo()
    dup = model.project.scenarios["plan-2025"].copy(name="plan-copy")
    model.execute(AddScenario(model, dup))
    model.execute(RemoveScenario(model, "baseline-2020"))
    assert list(model.project.scenarios) == [
        "plan-2025",
        "plan-2025-towns",
        "plan-2025-streams",
        "phased-2035",
        "plan-copy",
    ]
    model.undo()
    assert list(model.project.scenarios) == [
        "baseline-2020",
        "plan-2025",
        "plan-2025-towns",
        "plan-2025-streams",
        "phased-2035",
        "plan-copy",
    ]


def test_save_reopen_and_dirty(model, tmp_path):
    add = model.execute(AddCandidate(model, 102.55, 24.35))
    model.execute(AddExclusion(model, SQUARE))
    model.execute(SetCellValue(model, "generation", 0, "generation_tpd", 321.0))
    model.recovery_dir = tmp_path / "rec"
    write_recovery(model, model.recovery_dir)
    path = model.save(tmp_path / "p.gpkg")
    assert not model.dirty
    assert find_recovery(model.recovery_dir) is None  # cleared by a clean save
    back = Project.read(path)
    assert add.candidate_id in set(back.candidates["candidate_id"])
    assert len(back.exclusions) == 1
    assert back.generation["generation_tpd"].iloc[0] == 321.0


def test_recovery_roundtrip(model, tmp_path):
    model.project.path = tmp_path / "orig.gpkg"
    model.execute(AddCandidate(model, 102.55, 24.35, candidate_id="REC-1"))
    assert find_recovery(tmp_path) is None
    write_recovery(model, tmp_path)
    assert model.project.path == tmp_path / "orig.gpkg"  # unchanged by autosave
    rec = find_recovery(tmp_path)
    assert rec is not None and rec.original_path == tmp_path / "orig.gpkg"
    again = load_recovery(rec)
    assert again.dirty
    assert "REC-1" in set(again.project.candidates["candidate_id"])
    assert again.project.path == tmp_path / "orig.gpkg"
    clear_recovery(tmp_path)
    assert find_recovery(tmp_path) is None


def test_empty_project_accepts_edits():
    model = ProjectModel(empty_project())
    model.execute(AddCandidate(model, 100.0, 30.0))
    assert len(model.project.candidates) == 1
    assert model.project.candidates["county_id"].iloc[0] == ""


def test_point_outside_every_county_is_refused():
    """Adding or moving a point into the sea is refused with a located message; nothing changes."""
    import pytest

    from wufei_gis.editing import AddCandidate, MoveFeature, ProjectModel
    from wufei_gis.errors import InputError
    from wufei_gis.samples import load_sample

    model = ProjectModel(load_sample("yuxi"))
    n = len(model.project.candidates)
    with pytest.raises(InputError, match="outside every county") as err:
        model.execute(AddCandidate(model, 120.0, 10.0))  # South China Sea
    assert "candidates" in str(err.value) and "Fix:" in str(err.value)
    assert len(model.project.candidates) == n and not model.history.can_undo
    cid = str(model.project.candidates["candidate_id"].iloc[0])
    before = model.project.candidates.geometry.iloc[0]
    with pytest.raises(InputError, match="outside every county"):
        model.execute(MoveFeature(model, "candidates", cid, 120.0, 10.0))
    assert model.project.candidates.geometry.iloc[0].equals(before)
    # inside a county: accepted, with the county filled in
    hongta = model.project.counties.set_index("county_id").geometry.loc["530402"]
    p = hongta.representative_point()
    model.execute(AddCandidate(model, p.x, p.y))
    assert model.project.candidates["county_id"].iloc[-1] == "530402"
