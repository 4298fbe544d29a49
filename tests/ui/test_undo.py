"""One history: the Edit menu, the title star, the table and the map are views of the core model."""

from __future__ import annotations

from matplotlib.text import Text
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QAbstractItemView, QLineEdit
from uihelpers import click

from wufei_gis.ui import i18n


def _county_cell(window, row: int = 0):
    """The table index of a county's map label field (name_zh, or name_en without a CJK font)."""
    field = window.canvas.styles["counties"].label_field
    tm = window.table.models["counties"]
    col = [f.name for f in tm.fields].index(field)
    return field, tm.index(row, col)


def _map_labels(window) -> list[str]:
    """County names on the map, once the labels are placed (after the map settles)."""
    from pytestqt.qtbot import QtBot

    QtBot(window).waitUntil(lambda: not window.canvas.labels_pending)
    return [a.get_text() for a in window.canvas.label_artists("counties") if isinstance(a, Text)]


def _type_into_cell(qtbot, window, index, text: str) -> None:
    """Edit a cell the way a user does: open its editor, type, press Enter.

    (``insert`` types the text: QTest cannot send keys for Chinese characters.)
    """
    view = window.table.views["counties"]
    window.table.setCurrentWidget(view)
    view.setCurrentIndex(index)
    view.edit(index)
    editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]  # closed ones linger
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    editor.insert(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def test_table_edit_undone_by_the_core_model(window, qtbot):
    model = window.model
    field = window.canvas.styles["counties"].label_field
    shown = _map_labels(window)  # crowded names are left out: edit one that is on the map
    row = next(i for i, name in enumerate(model.project.counties[field]) if name in shown)
    field, idx = _county_cell(window, row)
    old = model.project.counties[field].iloc[row]
    assert old in shown
    assert not window.isWindowModified()
    assert not window.actions_by_key["act.undo"].isEnabled()

    _type_into_cell(qtbot, window, idx, "新名字")
    assert model.project.counties[field].iloc[row] == "新名字"
    assert window.isWindowModified() and model.dirty
    assert "新名字" in _map_labels(window) and old not in _map_labels(window)
    undo = window.actions_by_key["act.undo"]
    assert undo.isEnabled()
    assert undo.text() == f"撤销 {model.history.undo_text('zh')}"
    assert "区县" in undo.text()

    # a map edit on top: add a candidate site
    n = len(model.project.candidates)
    window.actions_by_key["tool.add_candidate"].trigger()
    p = model.project.counties.geometry.iloc[0].representative_point()
    click(window.canvas, p.x, p.y)
    assert len(window.canvas._artists["candidates"][0].get_offsets()) == n + 1
    assert undo.text() == "撤销 添加候选站点"

    model.undo()  # the core model, not a widget
    assert len(model.project.candidates) == n
    assert window.table.models["candidates"].rowCount() == n
    assert len(window.canvas._artists["candidates"][0].get_offsets()) == n
    assert window.isWindowModified()  # the name edit is still there
    model.undo()
    assert idx.data(Qt.ItemDataRole.DisplayRole) == old  # the table follows
    assert old in _map_labels(window) and "新名字" not in _map_labels(window)  # the map too
    assert not window.isWindowModified() and not model.dirty  # back at the clean state
    assert not undo.isEnabled() and undo.text() == "撤销"
    redo = window.actions_by_key["act.redo"]
    assert redo.isEnabled() and redo.text().startswith("重做 ")

    model.redo()
    assert idx.data(Qt.ItemDataRole.DisplayRole) == "新名字" and window.isWindowModified()


def test_edit_menu_undo_reverts_the_core_model(window, qtbot, tmp_path):
    model = window.model
    assert window.save_as(tmp_path / "p.gpkg")
    field, idx = _county_cell(window)
    old = model.project.counties[field].iloc[0]
    _type_into_cell(qtbot, window, idx, "改过")
    assert model.history.can_undo and window.isWindowModified()

    undo, redo = window.actions_by_key["act.undo"], window.actions_by_key["act.redo"]
    assert undo in window.menus["menu.edit"].actions()
    undo.trigger()
    assert model.project.counties[field].iloc[0] == old  # the core state reverted
    assert not model.history.can_undo and model.history.can_redo
    assert not model.dirty and not window.isWindowModified()  # clean = the saved file
    redo.trigger()
    assert model.project.counties[field].iloc[0] == "改过" and model.dirty

    i18n.set_language("en")  # the texts are views too: they follow the language
    assert undo.text().startswith("Undo edit counties: ")
    assert redo.text() == "Redo" and not redo.isEnabled()


def test_undo_past_the_save_then_a_new_edit_stays_unsaved(window, qtbot, tmp_path):
    model = window.model
    _, idx = _county_cell(window)
    _type_into_cell(qtbot, window, idx, "一")
    assert window.save_as(tmp_path / "p.gpkg") and not window.isWindowModified()
    window.actions_by_key["act.undo"].trigger()
    assert window.isWindowModified()  # differs from the saved file
    _type_into_cell(qtbot, window, idx, "二")  # the saved state can no longer be reached
    assert window.isWindowModified() and model.history.clean_index is None
    window.actions_by_key["act.undo"].trigger()
    assert model.history.index == 0 and window.isWindowModified()


def test_opening_a_project_clears_the_history(window, qtbot, yuxi):
    _, idx = _county_cell(window)
    _type_into_cell(qtbot, window, idx, "临时")
    window.set_project(yuxi)
    assert not window.model.history.can_undo and not window.actions_by_key["act.undo"].isEnabled()
    assert not window.isWindowModified()
