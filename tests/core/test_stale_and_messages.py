"""Stale results in the edit model, and errors / undo texts worded in either language."""

from __future__ import annotations

import errno

import pytest

from wufei_gis.editing import (
    AddCandidate,
    MoveFeature,
    ProjectModel,
    SetCellValue,
    SetScenarioParameter,
)
from wufei_gis.errors import InputError, describe_os_error
from wufei_gis.samples import load_sample


@pytest.fixture
def model():
    return ProjectModel(load_sample("yuxi"))


class _Result:
    """Enough of a RunResult for the model's bookkeeping (a name)."""

    def __init__(self, scenario: str) -> None:
        self.scenario = scenario


def test_an_input_edit_after_a_solve_marks_results_stale(model):
    a, b = list(model.project.scenarios)[:2]
    seen = []
    model.stale_changed.connect(lambda: seen.append(set(model.stale)))
    model.set_result(_Result(a))
    model.set_result(_Result(b))
    assert not model.stale
    model.execute(SetScenarioParameter(model, a, "circuity_factor", 1.5))
    assert model.is_stale(a) and not model.is_stale(b)  # a parameter: that scenario only
    model.execute(SetCellValue(model, "facilities", 0, "capacity_tpd", 800))
    assert model.stale == {a, b}  # a layer edit: every result
    assert seen == [{a}, {a, b}]
    model.set_result(_Result(a))  # solving clears it
    assert model.stale == {b}


def test_a_result_of_inputs_edited_while_solving_stays_stale(model):
    a = next(iter(model.project.scenarios))
    version = model.input_version  # the solve starts
    key = model.key_of("candidates", 0)
    x, y = model.project.candidates.geometry.iloc[0].coords[0]
    model.execute(MoveFeature(model, "candidates", key, x + 0.001, y))
    model.set_result(_Result(a), input_version=version)
    assert model.is_stale(a)
    model.replace_project(load_sample("yuxi"))
    assert not model.stale


def test_keyed_errors_are_worded_in_chinese_and_english(model):
    with pytest.raises(InputError) as err:
        AddCandidate(model, 120.0, 10.0)
    e = err.value
    assert "outside every county" in str(e) and e.message("en") == str(e)
    zh = e.message("zh")
    assert zh.startswith("图层“候选站点”，字段“位置”：") and "不在项目的任何区县内" in zh
    assert "如何修正：" in zh and "outside" not in zh
    located = e.located(file="a.gpkg")
    assert located.message("zh").startswith("文件“a.gpkg”") and located.key == e.key


def test_unkeyed_core_errors_keep_english_inside_a_chinese_frame():
    e = InputError("bad value", layer="facilities", row=2, field="capacity_tpd", fix="fix it")
    assert e.message("zh") == (
        "图层“现有设施”，第 2 行，字段“处理能力 (吨/日)（capacity_tpd）”："
        "bad value。如何修正：fix it"
    )


def test_os_errors_in_both_languages():
    err = IsADirectoryError(errno.EISDIR, "is a dir", "/out")
    assert describe_os_error(err) == (
        "path '/out': is a folder, not a file. Fix: give a file name inside it, "
        "e.g. /out/result.gpkg"
    )
    assert describe_os_error(err, "zh") == (
        "路径“/out”：这是文件夹，不是文件。如何修正：请给出其中的文件名，如 /out/result.gpkg"
    )


def test_undo_texts_follow_the_language(model):
    model.execute(SetCellValue(model, "facilities", 0, "type", "landfill"))
    h = model.history
    assert (
        h.undo_text("zh") == "修改现有设施：类型" and h.undo_text("en") == "edit facilities: Type"
    )
    assert model.project.facilities["type"].iloc[0] == "landfill"
    cmd = SetCellValue(model, "facilities", 0, "type", "焚烧厂")  # a label is read as its code
    assert cmd.new == "incinerator"
