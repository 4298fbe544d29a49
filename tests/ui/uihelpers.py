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
    qtbot.waitUntil(lambda: not w.canvas.labels_pending)  # labels placed for the first view
    w.canvas.draw()
    return w


def mouse(
    canvas, name: str, lon: float, lat: float, *, button: int = 1, dblclick: bool = False
) -> None:
    """Send a matplotlib mouse event at (lon, lat) to the map."""
    from matplotlib.backend_bases import MouseEvent

    x, y = pixel(canvas, lon, lat)
    ev = MouseEvent(name, canvas, x, y, button=button, dblclick=dblclick)
    canvas.callbacks.process(name, ev)


def pixel(canvas, lon: float, lat: float) -> tuple[float, float]:
    """The canvas pixel of (lon, lat): the one place tests convert degrees to the map."""
    canvas.ax.apply_aspect()  # the limits a draw would use
    x, y = canvas.ax.transData.transform(canvas.to_map(lon, lat))
    return float(x), float(y)


def scroll(canvas, lon: float, lat: float, button: str = "up") -> None:
    """Turn the mouse wheel over (lon, lat)."""
    from matplotlib.backend_bases import MouseEvent

    x, y = pixel(canvas, lon, lat)
    canvas.callbacks.process(
        "scroll_event", MouseEvent("scroll_event", canvas, x, y, button=button, step=1)
    )


def view_lonlat(canvas) -> tuple[float, float, float, float]:
    """The (lon0, lat0, lon1, lat1) degrees the map shows."""
    canvas.ax.apply_aspect()
    (x0, x1), (y0, y1) = canvas.ax.get_xlim(), canvas.ax.get_ylim()
    lon0, lat0 = canvas.to_lonlat(x0, (y0 + y1) / 2)
    lon1, _ = canvas.to_lonlat(x1, (y0 + y1) / 2)
    _, lat1 = canvas.to_lonlat((x0 + x1) / 2, y1)
    _, lat0 = canvas.to_lonlat((x0 + x1) / 2, y0)
    return float(lon0), float(lat0), float(lon1), float(lat1)


def key(canvas, name: str) -> None:
    """Send a matplotlib key press to the map."""
    from matplotlib.backend_bases import KeyEvent

    canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", canvas, name))


def click(canvas, lon: float, lat: float, **kw) -> None:
    mouse(canvas, "button_press_event", lon, lat, **kw)
    mouse(canvas, "button_release_event", lon, lat, **kw)
