"""The one edit history: CommandStack semantics, clean index, texts in zh/en, change signal."""

from __future__ import annotations

import pytest

from wufei_gis.commands import Command, CommandStack
from wufei_gis.editing import (
    AddCandidate,
    AddScenario,
    ProjectModel,
    ReplaceLayer,
    SetCellValue,
    SetScenarioParameter,
    empty_project,
)
from wufei_gis.samples import load_sample


class Append(Command):
    """Append ``value`` to a list (the model here is a plain list)."""

    texts = ("追加", "append")

    def __init__(self, target: list, value: int, *, fail: str = "") -> None:
        super().__init__(target)  # type: ignore[arg-type]
        self.value, self.fail = value, fail

    def do(self) -> None:
        if self.fail == "do":
            raise RuntimeError("do failed")
        self.model.append(self.value)

    def undo(self) -> None:
        if self.fail == "undo":
            raise RuntimeError("undo failed")
        self.model.remove(self.value)


@pytest.fixture
def stack():
    return CommandStack()


@pytest.fixture
def changes(stack):
    seen: list[int] = []
    stack.changed.connect(lambda: seen.append(stack.index))
    return seen


def test_execute_undo_redo_move_along_one_history(stack, changes):
    data: list[int] = []
    assert not stack.can_undo and not stack.can_redo and stack.is_clean
    assert stack.undo() is None and stack.redo() is None  # nothing to do is not an error
    first = stack.execute(Append(data, 1))
    stack.execute(Append(data, 2))
    assert data == [1, 2] and stack.index == 2 and len(stack) == 2
    assert stack.undo() is not first and data == [1]
    assert stack.undo() is first and data == []
    assert not stack.can_undo and stack.can_redo
    stack.redo()
    assert data == [1] and stack.can_undo and stack.can_redo
    assert changes == [1, 2, 1, 0, 1]  # one signal per change, after it


def test_a_new_command_clears_redo(stack):
    data: list[int] = []
    stack.execute(Append(data, 1))
    stack.execute(Append(data, 2))
    stack.undo()
    stack.execute(Append(data, 3))
    assert data == [1, 3] and not stack.can_redo and len(stack) == 2
    assert stack.redo() is None and data == [1, 3]
    stack.undo()
    stack.undo()
    assert data == []


def test_clean_index_follows_saves(stack, changes):
    data: list[int] = []
    stack.execute(Append(data, 1))
    assert not stack.is_clean and stack.clean_index == 0
    stack.mark_clean()  # saved with [1]
    assert stack.is_clean and stack.clean_index == 1 and changes[-1] == 1
    stack.execute(Append(data, 2))
    assert not stack.is_clean
    stack.undo()
    assert stack.is_clean  # back at the saved state
    stack.undo()
    assert not stack.is_clean  # before the saved state is unsaved too
    stack.redo()
    assert stack.is_clean
    stack.undo()
    stack.execute(Append(data, 3))  # the saved state was in the dropped redo branch
    assert stack.clean_index is None
    stack.undo()
    assert not stack.is_clean and data == []
    stack.mark_clean()
    assert stack.is_clean and stack.clean_index == 0


def test_mark_dirty_and_clear(stack):
    data: list[int] = []
    stack.mark_dirty()  # e.g. a recovered project: unsaved whatever the position
    assert not stack.is_clean
    stack.execute(Append(data, 1))
    stack.undo()
    assert not stack.is_clean
    stack.execute(Append(data, 2))
    stack.clear()
    assert stack.is_clean and len(stack) == 0 and not stack.can_undo and not stack.can_redo


def test_failing_commands_leave_the_history_as_it_was(stack):
    data: list[int] = []
    with pytest.raises(RuntimeError, match="do failed"):
        stack.execute(Append(data, 1, fail="do"))
    assert len(stack) == 0 and stack.is_clean
    stack.execute(Append(data, 2, fail="undo"))
    with pytest.raises(RuntimeError, match="undo failed"):
        stack.undo()
    assert stack.index == 1 and stack.can_undo and data == [2]


def test_undo_and_redo_texts_in_both_languages(stack):
    data: list[int] = []
    assert stack.undo_text("zh") == "" and stack.redo_text("en") == ""
    stack.execute(Append(data, 1))
    assert stack.undo_text("zh") == "追加" and stack.undo_text("en") == "append"
    stack.undo()
    assert stack.undo_text("zh") == "" and stack.redo_text("zh") == "追加"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        stack.redo_text("fr")


@pytest.fixture(scope="module")
def _yuxi():
    return load_sample("yuxi")


@pytest.fixture
def model(_yuxi):
    from wufei_gis.project import Project

    p = _yuxi
    return ProjectModel(
        Project(
            p.counties.copy(),
            p.facilities.copy(),
            p.generation.copy(),
            candidates=p.candidates.copy(),
            exclusions=p.exclusions.copy(),
            scenarios=dict(p.scenarios),
            name=p.name,
        )
    )


def test_every_edit_describes_itself_in_zh_and_en(model):
    h = model.history
    model.execute(AddCandidate(model, 102.55, 24.35))
    assert (h.undo_text("zh"), h.undo_text("en")) == ("添加候选站点", "add candidate site")
    model.execute(SetCellValue(model, "generation", 0, "generation_tpd", 250.0))
    assert h.undo_text("zh") == "修改产生量：产生量 (吨/日)"
    assert h.undo_text("en") == "edit generation: Generation (t/d)"
    model.execute(SetScenarioParameter(model, "plan-2025", "circuity_factor", 1.2))
    assert h.undo_text("zh") == "修改情景参数：路网曲折系数"  # the parameter's name, translated
    model.execute(AddScenario(model, model.project.scenario("plan-2025").copy(name="b")))
    assert h.undo_text("en") == "add scenario"
    model.execute(ReplaceLayer(model, "exclusions", model.project.exclusions.copy()))
    assert (h.undo_text("zh"), h.undo_text("en")) == ("导入禁建区", "import exclusion zones")
    model.undo()
    assert h.redo_text("en") == "import exclusion zones"


def test_the_model_owns_the_one_history(model, tmp_path):
    seen: list[bool] = []
    model.history.changed.connect(lambda: seen.append(model.dirty))
    assert not model.dirty
    model.execute(SetCellValue(model, "generation", 0, "generation_tpd", 250.0))
    assert model.dirty and seen == [True]
    model.undo()
    assert not model.dirty and seen[-1] is False  # undone back to the opened state
    model.redo()
    model.save(tmp_path / "p.gpkg")
    assert not model.dirty and model.history.clean_index == 1 and seen[-1] is False
    model.undo()
    assert model.dirty  # the file on disk has the edit
    model.replace_project(empty_project())
    assert not model.dirty and len(model.history) == 0 and seen[-1] is False
    model.mark_dirty()
    assert model.dirty
