"""Phased results in the app: the period slider over the map and "keep sites from…".

:class:`PeriodSlider` (a toolbar) shows the periods of the result on the map (a phased
result has a ``period`` column in every layer; the map draws one period's rows, the last
one until the slider moves) and hides itself for single-period results.
:func:`keep_sites_from` is *Scenario > Keep sites from another result…*: the sites a result
file opened become facilities in service and the current scenario is solved around them
(:func:`wufei_gis.optimization.phased_planning.with_kept_sites`, as ``wufei solve
--keep-sites-from``).  :func:`install_phasing` adds both to the main window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import QLabel, QSlider, QToolBar, QWidget

from wufei_gis.results import RunResult

from .dialogs import ask_open_path, error_text
from .i18n import tr

__all__ = ["PeriodSlider", "install_phasing", "keep_sites_from", "period_rows", "periods_of"]


def periods_of(result: RunResult | None) -> list[int]:
    """The periods of a phased result (``[]`` for a single-period result or none)."""
    if result is None or "period" not in result.proposed_sites.columns:
        return []
    return sorted(int(p) for p in result.proposed_sites["period"].dropna().unique())


def period_rows(df: pd.DataFrame | None, period: int | None, cache: dict[Any, Any]) -> Any:
    """``df``'s rows of ``period`` (the last period when ``None``), cached per frame and period.

    A frame without a ``period`` column is returned as it is.  The cache keeps the
    filtered frame's identity stable, so the map's projected geometries are reused.
    """
    if df is None or "period" not in df.columns or not len(df):
        return df
    if period is None:
        period = int(df["period"].max())
    key = (id(df), period)
    hit = cache.get(key)
    if hit is not None and hit[0] is df:
        return hit[1]
    out = df[df["period"] == period].reset_index(drop=True)
    cache[key] = (df, out)
    return out


class PeriodSlider(QToolBar):
    """A toolbar with a slider over the periods of the shown result."""

    period_changed = pyqtSignal(int)

    def __init__(self, canvas: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolbar_periods")
        self.canvas = canvas
        self.periods: list[int] = []
        self.title_label = QLabel()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setMinimumWidth(160)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.year_label = QLabel()
        self.year_label.setMinimumWidth(48)
        for w in (self.title_label, self.slider, self.year_label):
            self.addWidget(w)
        self.slider.valueChanged.connect(self._moved)
        self.retranslate()
        self.set_result(None)

    def set_result(self, result: RunResult | None) -> None:
        """Offer the periods of ``result``; hidden when it has none (shows the last first)."""
        self.periods = periods_of(result)
        self.setVisible(bool(self.periods))
        self.canvas.result_period = None
        if self.periods:
            self.slider.blockSignals(True)
            self.slider.setRange(0, len(self.periods) - 1)
            self.slider.setValue(len(self.periods) - 1)
            self.slider.blockSignals(False)
            self.year_label.setText(str(self.periods[-1]))

    def select(self, year: int) -> None:
        """Show ``year``'s period (as moving the slider there)."""
        self.slider.setValue(self.periods.index(int(year)))

    def _moved(self, index: int) -> None:
        year = self.periods[index]
        self.year_label.setText(str(year))
        self.canvas.result_period = year
        self.canvas.show_result(self.canvas.result_scenario)
        self.period_changed.emit(year)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(tr("phasing.toolbar"))
        self.title_label.setText(tr("phasing.period") + " ")
        self.slider.setToolTip(tr("phasing.period"))


def _solve_kept(project, scenario, *, progress, should_cancel, kept, source):
    from wufei_gis.optimization.phased_planning import mark_kept, with_kept_sites
    from wufei_gis.optimization.planning import solve_scenario

    p2, sc2, ids = with_kept_sites(project, kept, scenario=scenario)
    res = solve_scenario(p2, sc2, progress=progress, should_cancel=should_cancel)
    return mark_kept(res, ids, source)


def keep_sites_from(window: Any, path: str | Path | None = None, scenario: str | None = None):
    """Solve the current scenario with the sites of a result file kept; returns the worker.

    ``path`` (asked when ``None``) is a results GeoPackage; ``scenario`` the result in it
    (default: the last one).  ``None`` when cancelled or the file has no results.
    """
    from wufei_gis.results import read_results

    from .solve_dialog import start_solve

    chosen = ask_open_path(window, "phasing.keep_sites", "phasing.filter", given=path)
    name = window.scenario_panel.current()
    if chosen is None or not name:
        return None
    try:
        kept = read_results(chosen, scenario)
    except Exception as err:  # a located InputError: shown as one line
        window.show_error(error_text(err))
        return None
    source = f"{Path(chosen).name}:{kept.scenario}"

    def done(r: RunResult) -> None:
        ids = str(r.summary().get("kept_sites") or "")
        window.show_message(tr("phasing.kept", n=len([i for i in ids.split(", ") if i]), ids=ids))

    window.worker, window.solve_dialog = start_solve(
        window,
        window.model,
        name,
        on_error=window.show_error,
        on_result=done,
        solve_fn=_solve_kept,
        kept=kept,
        source=source,
    )
    return window.worker


class _Phasing:
    """What :func:`install_phasing` added (kept on the window as ``window.phasing``)."""

    def __init__(self, slider: PeriodSlider, action: QAction) -> None:
        self.slider, self.action = slider, action

    def retranslate(self) -> None:
        self.slider.retranslate()
        self.action.setText(tr("phasing.keep_sites"))
        self.action.setToolTip(tr("phasing.keep_sites_tip"))


def install_phasing(window: Any) -> _Phasing:
    """Add the period slider (a toolbar) and *Keep sites from…* (Scenario menu) to ``window``."""
    slider = PeriodSlider(window.canvas, window)
    window.addToolBarBreak()  # its own row: the slider needs width
    window.addToolBar(slider)

    def follow(name: str) -> None:
        slider.set_result(window.model.results.get(name) if name else None)
        window.canvas.show_result(name or None)

    window.results_panel.selector.currentTextChanged.connect(follow)

    def on_event(ev: Any) -> None:  # a new result of the shown scenario: new periods
        if ev.kind == "results" and (ev.scenario or None) == window.canvas.result_scenario:
            slider.set_result(window.model.results.get(ev.scenario))
            window.canvas.show_result(ev.scenario)

    window.model.events.connect(on_event)
    action = QAction(window)
    action.triggered.connect(lambda: keep_sites_from(window))
    window.menus["menu.scenario"].addAction(action)
    out = _Phasing(slider, action)
    out.retranslate()
    return out
