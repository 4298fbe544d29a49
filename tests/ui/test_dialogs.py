"""Shared dialog pieces (ui/dialogs.py) and the map legend's point symbols."""

from __future__ import annotations

import errno

import pytest
from matplotlib.colors import to_hex
from PyQt6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog

from wufei_gis.errors import InputError, describe_os_error
from wufei_gis.ui import i18n
from wufei_gis.ui.dialogs import ask_open_path, error_text, ok_cancel_buttons
from wufei_gis.ui.i18n import tr


@pytest.mark.parametrize(
    ("which", "expected"),
    [
        (QDialogButtonBox.StandardButton.Ok, QDialog.DialogCode.Accepted),
        (QDialogButtonBox.StandardButton.Cancel, QDialog.DialogCode.Rejected),
    ],
)
def test_ok_cancel_buttons_accept_and_reject_the_dialog(qtbot, which, expected):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    buttons = ok_cancel_buttons(dialog)
    button = buttons.button(which)
    assert button is not None
    dialog.setResult(-1)
    button.click()
    assert dialog.result() == expected


@pytest.mark.parametrize(("answer", "expected"), [("", None), ("/data/a.gpkg", "/data/a.gpkg")])
def test_ask_open_path_returns_none_when_cancelled(monkeypatch, qapp, answer, expected):
    asked = []

    def fake_exec(dialog):  # the user picks ``answer`` (or cancels)
        asked.append((dialog.windowTitle(), dialog.nameFilters()[0]))
        return 1 if answer else 0

    monkeypatch.setattr(QFileDialog, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda dialog: [answer])
    assert ask_open_path(None, "import.title", "import.filter") == expected
    assert asked == [(tr("import.title"), tr("import.filter"))]
    assert ask_open_path(None, "import.title", "import.filter", given="b.csv") == "b.csv"
    assert len(asked) == 1  # a given file is not asked for


def test_error_text_describes_os_errors_in_words():
    os_err = PermissionError(errno.EACCES, "denied", "/data/out.gpkg")
    i18n.set_language("zh")
    assert error_text(os_err) == describe_os_error(os_err, "zh")  # the window is in Chinese
    assert "没有访问权限" in error_text(os_err) and "如何修正" in error_text(os_err)
    assert error_text(os_err) != str(os_err)
    assert error_text(InputError("bad row", row=3)) == "第 3 行：bad row"  # framed, not keyed
    i18n.set_language("en")
    try:
        assert error_text(os_err) == describe_os_error(os_err)
        assert error_text(InputError("bad row")) == str(InputError("bad row"))
    finally:
        i18n.set_language("zh")


def test_legend_shows_candidates_as_hollow_triangles_in_their_colour(window):
    canvas = window.canvas
    assert canvas.deco.legend is not None
    handles = {h.get_label(): h for h in canvas.deco.legend.legend_handles}
    cand = handles[tr("layer.candidates")]
    assert cand.get_marker() == "^"
    assert cand.get_linestyle() == "None"
    assert cand.get_markerfacecolor() == "none"
    assert to_hex(cand.get_markeredgecolor()) == to_hex(canvas.styles["candidates"].color)
