"""Helpers for the UI tests (imported by name: tests/ui is on sys.path)."""

from __future__ import annotations


def make_window(qtbot, project, *, lang: str = "zh"):
    """A shown main window on ``project`` that never asks questions at close."""
    from PyQt6.QtWidgets import QMessageBox

    from wufei_gis.editing import ProjectModel
    from wufei_gis.ui import i18n
    from wufei_gis.ui.fonts import setup_cjk_font
    from wufei_gis.ui.main_window import MainWindow

    i18n.set_language(lang)
    setup_cjk_font()
    w = MainWindow(ProjectModel(project))
    w.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(w)
    w.resize(1400, 880)
    w.show()
    qtbot.waitExposed(w)
    w.canvas.draw()
    return w


def mouse(
    canvas, name: str, lon: float, lat: float, *, button: int = 1, dblclick: bool = False
) -> None:
    """Send a matplotlib mouse event at (lon, lat) to the map."""
    from matplotlib.backend_bases import MouseEvent

    x, y = canvas.ax.transData.transform((lon, lat))
    ev = MouseEvent(name, canvas, float(x), float(y), button=button, dblclick=dblclick)
    canvas.callbacks.process(name, ev)


def key(canvas, name: str) -> None:
    """Send a matplotlib key press to the map."""
    from matplotlib.backend_bases import KeyEvent

    canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", canvas, name))


def click(canvas, lon: float, lat: float, **kw) -> None:
    mouse(canvas, "button_press_event", lon, lat, **kw)
    mouse(canvas, "button_release_event", lon, lat, **kw)
