"""Qt's system libraries: a clear line instead of an abort when one is missing.

This module imports no Qt at the top, so it runs (and reports) even where Qt cannot load.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest
from conftest import QT_PROBLEM

from wufei_gis.ui.qt_runtime import XCB_LIBRARIES, describe_missing_library, qt_runtime_problem


def test_qt_can_start_here():
    if QT_PROBLEM is not None:
        pytest.skip(f"the widget tests cannot run on this machine: {QT_PROBLEM}")
    assert qt_runtime_problem() is None


@pytest.mark.parametrize(
    ("error", "package"),
    [
        ("libEGL.so.1: cannot open shared object file: No such file or directory", "libegl1"),
        ("libxkbcommon.so.0: cannot open shared object file", "libxkbcommon0"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ],
)
def test_missing_library_names_the_package(error, package):
    line = describe_missing_library(error)
    lib = error.split(":")[0]
    assert lib in line and f"apt install {package}" in line
    assert "\n" not in line and "command line works" in line


def test_unknown_library_still_named():
    line = describe_missing_library("libfoo.so.7: cannot open shared object file")
    assert "libfoo.so.7" in line


def test_xcb_plugin_libraries_checked(monkeypatch):
    """With X11 chosen, the first xcb helper library that cannot load is named."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    missing = []
    for lib in XCB_LIBRARIES:
        try:
            ctypes.CDLL(lib)
        except OSError:
            missing.append(lib)
    problem = qt_runtime_problem()
    if QT_PROBLEM is not None:  # PyQt6 itself does not load: that is reported first
        assert problem == QT_PROBLEM
    elif missing:
        assert problem is not None and missing[0] in problem
    else:
        assert problem is None


def test_gui_without_display_says_so_and_does_not_abort():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    code = "import sys; from wufei_gis.ui.app import main; sys.exit(main(['--sample', 'yuxi']))"
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 3, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("wufei-gui: cannot start the desktop app:")
    assert "Traceback" not in run.stderr and "core dumped" not in run.stderr
