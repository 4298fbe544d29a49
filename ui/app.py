"""Entry point of the desktop app: ``wufei-gui [PROJECT.gpkg] [--sample yuxi] [--solve S]``.

``--screenshot OUT.png`` opens the window, solves (with ``--solve``), draws
the results, saves ``window.grab()`` to ``OUT.png`` and exits.  ``--compare
OTHER`` also opens the comparison window of the ``--solve`` scenario (or the
first solved one) and OTHER (a scenario of the project, solved first if
needed, or ``RESULT.gpkg[:SCENARIO]``); with ``--screenshot`` the picture is
of that window.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

__all__ = ["main", "build_parser", "create_window", "open_comparison", "route_qt_messages"]

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``wufei-gui`` (the options of ``wufei gui``).

    The options are defined once, in :func:`wufei_gis.app_options.add_gui_arguments`.
    """
    from wufei_gis.app_options import GUI_DESCRIPTION, add_gui_arguments

    p = argparse.ArgumentParser(prog="wufei-gui", description=GUI_DESCRIPTION)
    add_gui_arguments(p)
    return p


def create_window(args: argparse.Namespace):
    """Build the model and main window from parsed arguments (raises ``InputError``)."""
    from wufei_gis.editing import ProjectModel, empty_project
    from wufei_gis.project import Project
    from wufei_gis.samples import load_sample

    from .main_window import MainWindow

    if args.project:
        project = Project.read(args.project)
    elif args.sample:
        project = load_sample(args.sample)
    else:
        project = empty_project()
    window = MainWindow(ProjectModel(project))
    if args.project:
        window._load_results(Path(args.project))
    return window


def _solved(window, name: str):
    """The result of the project's scenario ``name``, solving it first if needed."""
    from PyQt6.QtWidgets import QApplication

    from wufei_gis.errors import WufeiError

    if name not in window.model.results:
        worker = window.solve(name)
        if worker is not None:
            _wait(worker)
        QApplication.processEvents()  # deliver the result signal
    if name not in window.model.results:
        raise WufeiError(window.last_error or f"scenario '{name}' could not be solved")
    return window.model.results[name]


def open_comparison(window, other: str, first: str | None = None):
    """Show the comparison window of ``first`` (default: the first solved scenario) vs ``other``.

    ``other`` is a scenario of the window's project (solved if needed) or
    ``RESULT.gpkg[:SCENARIO]``.  Returns the window; raises ``InputError`` when
    there is nothing to compare.
    """
    from wufei_gis.comparison import read_result_spec
    from wufei_gis.errors import InputError

    from .compare_window import show_compare_window

    model = window.model
    if first is None:
        first = next((n for n in model.results if n != other), None)
    if first is None:
        raise InputError(
            "--compare needs a solved scenario to compare with",
            fix="add --solve SCENARIO, or open a project with stored results",
        )
    a = _solved(window, first)
    b = _solved(window, other) if other in model.project.scenarios else read_result_spec(other)
    window.compare_window = show_compare_window([a, b], project=model.project, parent=window)
    return window.compare_window


def _solve_at_start(app, window, args: argparse.Namespace) -> None:
    """``--solve``: start solving; wait for it when a screenshot or a comparison needs it."""
    worker = window.solve(args.solve)
    if worker is not None and (args.screenshot or args.compare):
        _wait(worker)
        app.processEvents()


def _compare_or_report(window, args: argparse.Namespace):
    """``--compare``: the comparison window, or ``None`` after reporting why not.

    Without ``--screenshot`` the problem is also shown in a message box and
    the main window is returned, so the app keeps running.
    """
    from PyQt6.QtWidgets import QMessageBox

    from wufei_gis.errors import WufeiError

    from . import i18n

    try:
        compare = open_comparison(window, args.compare, args.solve)
    except WufeiError as err:
        print(f"wufei-gui: {err}", file=sys.stderr)
        if args.screenshot:
            return None
        QMessageBox.critical(window, i18n.tr("msg.error"), str(err))
        return window
    if args.screenshot:
        compare.resize(window.size())
    return compare


def _screenshot(app, window, args: argparse.Namespace, target) -> int:
    """Draw, save ``target.grab()`` to ``--screenshot``, close; return the exit code."""
    app.processEvents()
    canvases = [window.canvas] if target is window else [*target.canvases, target.diff_canvas]
    for canvas in canvases:
        canvas.draw()
    app.processEvents()
    out = Path(args.screenshot)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = target.grab().save(str(out))
    failed = window.last_error
    window.model.mark_clean()
    window.close()
    if failed:
        print(f"wufei-gui: {failed}", file=sys.stderr)
    return 0 if ok and not failed else 1


def _wait(worker, timeout_ms: int = 600_000) -> None:
    from PyQt6.QtCore import QEventLoop, QTimer

    if not worker.isRunning() and worker.isFinished():
        return
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    if worker.isRunning():
        loop.exec()


def route_qt_messages() -> None:
    """Send Qt's own diagnostics to the ``wufei_gis.ui.qt`` logger instead of raw stderr.

    Qt's debug/info/warning messages (e.g. the offscreen plugin's
    "does not support propagateSizeHints()") are logged at DEBUG (``-v``/``--log``
    show them); critical and fatal ones at ERROR.
    """
    from PyQt6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("wufei_gis.ui.qt")

    def handler(kind: QtMsgType, _context: object, message: str | None) -> None:
        serious = kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        qt_log.log(logging.ERROR if serious else logging.DEBUG, "%s", message)

    qInstallMessageHandler(handler)


def main(argv: list[str] | None = None) -> int:
    """Run the app; returns the exit code."""
    import os

    from wufei_gis.logsetup import configure_logging

    from .qt_runtime import qt_runtime_problem

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    configure_logging(verbose=args.verbose, log_file=args.log)
    if (
        args.screenshot
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    problem = qt_runtime_problem()
    if problem is not None:
        print(f"wufei-gui: cannot start the desktop app: {problem}", file=sys.stderr)
        return 3
    from PyQt6.QtWidgets import QApplication, QMessageBox

    from wufei_gis.errors import WufeiError, describe_os_error

    from . import i18n
    from .dialogs import error_text
    from .fonts import setup_cjk_font

    route_qt_messages()
    app = QApplication.instance() or QApplication(["wufei-gui"])
    app.setApplicationName("wufei-gis")
    app.setOrganizationName("wufei-gis")
    i18n.set_language(args.lang or i18n.system_language())
    setup_cjk_font()
    try:
        try:
            window = create_window(args)
        except OSError as exc:
            raise WufeiError(describe_os_error(exc, i18n.language())) from None
    except WufeiError as err:
        if args.screenshot:
            print(f"wufei-gui: {err}", file=sys.stderr)
        else:
            QMessageBox.critical(None, i18n.tr("msg.error"), error_text(err))
        return 2
    if args.screenshot:
        w, _, h = args.size.partition("x")
        window.resize(int(w), int(h))
    window.show()
    if not args.screenshot:
        window.offer_recovery()
    if args.solve:
        _solve_at_start(app, window, args)
    target = _compare_or_report(window, args) if args.compare else window
    if target is None:
        return 2
    if args.screenshot:
        return _screenshot(app, window, args, target)
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
