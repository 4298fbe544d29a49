"""UI test fixtures: offscreen Qt, a temporary recovery folder, a Yuxi main window."""

from __future__ import annotations

import os
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported anywhere

from wufei_gis.ui.qt_runtime import qt_runtime_problem  # imports no Qt

#: Why Qt cannot start on this machine (a missing system library), or None.
QT_PROBLEM = qt_runtime_problem()
# Without Qt the widget tests cannot even be imported; test_qt_runtime.py reports the reason
# as a skip instead of a collection error.
collect_ignore = (
    []
    if QT_PROBLEM is None
    else [f.name for f in Path(__file__).parent.glob("test_*.py") if f.name != "test_qt_runtime.py"]
)

import pytest  # noqa: E402
from uihelpers import make_window  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(autouse=True)
def recovery_dir(tmp_path, monkeypatch) -> Path:
    """Autosave/recovery files go to a temporary folder."""
    d = tmp_path / "recovery"
    monkeypatch.setenv("WUFEI_RECOVERY_DIR", str(d))
    return d


@pytest.fixture(scope="session")
def yuxi_sample():
    from wufei_gis.samples import load_sample

    return load_sample("yuxi")


@pytest.fixture
def yuxi(yuxi_sample):
    """A fresh copy of the Yuxi sample project."""
    from wufei_gis.ui.solve_dialog import snapshot

    return snapshot(yuxi_sample)


@pytest.fixture
def window(qtbot, yuxi):
    return make_window(qtbot, yuxi)
