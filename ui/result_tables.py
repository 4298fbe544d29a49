"""Result tables: one sortable tab per result layer of the scenario shown on the map.

Each tab is a :class:`ResultTableModel` (a ``QAbstractTableModel`` over the
layer's frame, texts from :mod:`wufei_gis.feature_info`: names for ids, units
in the headers, shares in per cent) behind a ``QSortFilterProxyModel`` that
sorts by the raw values.  Selecting rows selects them on the map
(:attr:`ResultTables.rows_selected` → ``MapCanvas.set_selection``); selecting on
the map selects them here (:meth:`ResultTables.on_map_selection`; a county
selects its capacity-gap row, a facility its proposed site).  *Export
selection…* writes the selected rows with :func:`wufei_gis.export.export_rows`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from PyQt6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    pyqtSignal,
)
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.errors import InputError
from wufei_gis.export import ROW_FORMATS, export_rows
from wufei_gis.feature_info import (
    Names,
    display_columns,
    field_label,
    format_field,
    linked_rows,
    names_of,
)

from .dialogs import error_text
from .i18n import language, tr

__all__ = ["RESULT_TABLES", "ResultTableModel", "ResultTables", "SORT_ROLE"]

#: The result layers shown, in tab order (a new result layer is one more name here).
RESULT_TABLES = (
    "proposed_sites",
    "flows",
    "county_gaps",
    "town_service",
    "station_catchments",
)
#: The role the proxy sorts by: the raw value of a cell.
SORT_ROLE = Qt.ItemDataRole.UserRole


def _raw(value):
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


class ResultTableModel(QAbstractTableModel):
    """A read-only view of one result layer of one scenario."""

    def __init__(self, layer: str, parent=None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.frame: pd.DataFrame | None = None
        self.columns: list[str] = []
        self.names = Names()

    def set_frame(self, frame: pd.DataFrame | None, names: Names) -> None:
        """Show ``frame`` (``None``: nothing)."""
        self.beginResetModel()
        self.frame, self.names = frame, names
        self.columns = [] if frame is None else display_columns(self.layer, frame.columns)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() or self.frame is None else len(self.frame)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.frame is None:
            return None
        column = self.columns[index.column()]
        value = self.frame[column].iloc[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return format_field(self.layer, column, value, lang=language(), names=self.names)
        if role == SORT_ROLE:
            return _raw(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(_raw(value), (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return field_label(self.layer, self.columns[section], lang=language())
        return str(section + 1)

    def retranslate(self) -> None:
        """Tell views that headers and cells changed language (the selection stays)."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rowCount() and self.columns:
            bottom_right = self.index(self.rowCount() - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), bottom_right)


class ResultTables(QWidget):
    """Tabs of result tables, an *Export selection…* button and a selection count."""

    #: Rows (source rows of the layer) selected in a table: ``(layer, rows)``.
    rows_selected = pyqtSignal(str, list)
    #: A status-bar message / an error text.
    message = pyqtSignal(str)
    failed = pyqtSignal(str)

    def __init__(self, canvas, parent=None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.model = canvas.model
        self.scenario: str | None = None
        self.tabs = QTabWidget()
        self.tables: dict[str, ResultTableModel] = {}
        self.proxies: dict[str, QSortFilterProxyModel] = {}
        self.views: dict[str, QTableView] = {}
        for layer in RESULT_TABLES:
            self._add_tab(layer)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(lambda _checked=False: self.export_selection())
        self.count = QLabel()
        corner = QWidget()  # beside the tabs: no extra row under the table
        bar = QHBoxLayout(corner)
        bar.setContentsMargins(0, 0, 0, 2)
        bar.addWidget(self.count)
        bar.addWidget(self.export_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self._update_count())
        self.model.events.connect(self._on_event)
        self.retranslate()

    def _add_tab(self, layer: str) -> None:
        table = ResultTableModel(layer, self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(table)
        proxy.setSortRole(SORT_ROLE)
        view = QTableView()
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # file order until a header is clicked
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setAlternatingRowColors(True)
        header = view.horizontalHeader()
        assert header is not None  # a table view always has one
        header.setMaximumSectionSize(260)
        table.modelReset.connect(view.resizeColumnsToContents)
        self._selection(view).selectionChanged.connect(
            lambda *_a, lay=layer: self._on_selection(lay)
        )
        self.tables[layer], self.proxies[layer], self.views[layer] = table, proxy, view
        self.tabs.addTab(view, "")

    @staticmethod
    def _selection(view: QTableView) -> QItemSelectionModel:
        sel = view.selectionModel()
        assert sel is not None  # Qt gives every view one when its model is set
        return sel

    # ------------------------------------------------------------------ data
    def result(self):
        """The :class:`~wufei_gis.results.RunResult` shown, or ``None``."""
        return self.model.results.get(self.scenario or "")

    def show_scenario(self, scenario: str | None) -> None:
        """Show the result layers of ``scenario`` (``None``: empty tables)."""
        self.scenario = scenario
        self._reload()

    def _reload(self) -> None:
        res = self.result()
        names = names_of(self.model.project, res)
        for i, (layer, table) in enumerate(self.tables.items()):
            frame = None if res is None else getattr(res, layer, None)
            table.set_frame(frame, names)
            # town-level layers exist only for town-level scenarios
            self.tabs.setTabVisible(i, frame is not None or i < 3)
        self._update_count()

    def _on_event(self, ev) -> None:
        if ev.kind == "project":
            self.scenario = None
            self._reload()
        elif ev.kind == "results":
            self.scenario = ev.scenario or self.scenario
            self._reload()

    # ------------------------------------------------------------------ selection
    def current_layer(self) -> str:
        """The layer of the tab shown."""
        return RESULT_TABLES[max(self.tabs.currentIndex(), 0)]

    def selected_rows(self, layer: str | None = None) -> list[int]:
        """The selected rows of ``layer`` (default: the tab shown), as rows of its frame."""
        layer = layer or self.current_layer()
        proxy = self.proxies[layer]
        picked = self._selection(self.views[layer]).selectedRows()
        return sorted({proxy.mapToSource(i).row() for i in picked})

    def _on_selection(self, layer: str) -> None:
        self._update_count()
        self.rows_selected.emit(layer, self.selected_rows(layer))

    def select(self, layer: str, rows: list[int]) -> None:
        """Select ``rows`` (frame rows) of ``layer`` without echoing them back to the map."""
        if layer not in self.views:
            return
        view, proxy = self.views[layer], self.proxies[layer]
        table = self.tables[layer]
        picked = QItemSelection()
        for r in rows:
            if 0 <= r < table.rowCount():
                i = proxy.mapFromSource(table.index(r, 0))
                picked.select(i, i)
        sel = self._selection(view)
        with QSignalBlocker(sel):
            sel.select(
                picked,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        viewport = view.viewport()
        assert viewport is not None  # a scroll area always has one
        viewport.update()
        if not picked.isEmpty():
            self.tabs.setCurrentWidget(view)
            view.scrollTo(picked.indexes()[0])
        self._update_count()

    def on_map_selection(self, layer: str, rows: list[int]) -> None:
        """The map selected ``rows`` of ``layer``: select them (or their linked rows) here."""
        if layer in self.views:
            self.select(layer, rows)
            return
        frame = self.canvas.layer_frame(layer) if layer else None
        for target, table in self.tables.items():
            if frame is None or table.frame is None:
                self.select(target, [])
                continue
            self.select(target, linked_rows(layer, frame, rows, target, table.frame))

    def _update_count(self) -> None:
        layer = self.current_layer()
        total = self.tables[layer].rowCount()
        n = len(self.selected_rows(layer))
        self.count.setText(tr("inspect.selected", n=n, total=total) if total else "")
        self.export_button.setEnabled(n > 0)

    # ------------------------------------------------------------------ export
    def export_selection(self, path: str | Path | None = None) -> Path | None:
        """Write the selected rows of the tab shown (asks for the file when ``path`` is None)."""
        layer, rows, res = self.current_layer(), self.selected_rows(), self.result()
        if res is None or not rows:
            self.message.emit(tr("inspect.no_selection"))
            return None
        if path is None:
            path = self._ask_path(f"{res.scenario}_{layer}.gpkg")
            if path is None:
                return None
        try:
            out = export_rows(res, layer, rows, path, project=self.model.project)
        except (InputError, OSError) as err:
            self.failed.emit(error_text(err))
            return None
        self.message.emit(tr("inspect.exported", n=len(rows), path=out))
        return out

    def _ask_path(self, default: str) -> Path | None:
        path, chosen = QFileDialog.getSaveFileName(
            self, tr("inspect.export_selection"), default, tr("inspect.export_filter")
        )
        if not path:
            return None
        out = Path(path)
        if out.suffix.lower().lstrip(".") not in ROW_FORMATS:
            fmt = next((f for f in ROW_FORMATS if f"*.{f}" in chosen), "gpkg")
            out = out.with_name(f"{out.name}.{fmt}")
        return out

    def retranslate(self) -> None:
        """Texts in the current language (tab titles, headers, cells)."""
        for i, layer in enumerate(RESULT_TABLES):
            self.tabs.setTabText(i, tr(f"layer.{layer}"))
        self.export_button.setText(tr("inspect.export_selection"))
        for table in self.tables.values():
            table.retranslate()
        self._update_count()
