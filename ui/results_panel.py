"""Run summary of the scenario shown on the map (one row of ``run_summary``).

Labels and values are in the GUI language, with units: ``0.06 %`` for the
MIP gap, ``65.0 %`` for shares, ``吨/日``/``t/d``, ``元/日``/``yuan/d``; sites
and binding policies by name (:func:`wufei_gis.feature_info.summary_rows`).
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.editing import ChangeEvent, ProjectModel
from wufei_gis.feature_info import summary_rows

from .i18n import language, tr

__all__ = ["ResultsPanel"]

VALUE_MAX_PX = 170


class ResultsPanel(QWidget):
    """A key/value table of the run summary; a selector chooses the scenario shown."""

    def __init__(self, model: ProjectModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.selector = QComboBox()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        rows, columns = self.table.verticalHeader(), self.table.horizontalHeader()
        assert rows is not None and columns is not None  # a table view always has both
        rows.setVisible(False)
        # values are never cut: they take their width, the labels the rest (elided, full text
        # in the tooltip)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        columns.setMaximumSectionSize(VALUE_MAX_PX)  # long lists of names elide (tooltip)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.selector)
        lay.addWidget(self.hint)
        lay.addWidget(self.table, 1)
        self.selector.currentTextChanged.connect(lambda _t: self._show())
        model.events.connect(self._on_event)
        self.retranslate()

    def current(self) -> str | None:
        """The scenario whose results are shown."""
        return self.selector.currentText() or None

    def _on_event(self, ev: ChangeEvent) -> None:
        if ev.kind in ("results", "project"):
            self.selector.blockSignals(True)
            self.selector.clear()
            self.selector.addItems(list(self.model.results))
            if ev.scenario:
                self.selector.setCurrentText(ev.scenario)
            self.selector.blockSignals(False)
            self._show()

    def _show(self) -> None:
        res = self.model.results.get(self.current() or "")
        self.hint.setVisible(res is None)
        self.table.setRowCount(0)
        if res is None:
            return
        rows = summary_rows(res, lang=language(), project=self.model.project)
        self.table.setRowCount(len(rows))
        for i, (text, value) in enumerate(rows):
            name = QTableWidgetItem(text)
            name.setToolTip(text)
            self.table.setItem(i, 0, name)
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(i, 1, item)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.hint.setText(tr("results.none"))
        self.table.setHorizontalHeaderLabels([tr("results.item"), tr("results.value")])
        self._show()
