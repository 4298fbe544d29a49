"""Attribute tables: ``QAbstractTableModel`` adapters over the project frames (not copies).

Coded columns (facility type, status, location precision, size class, zone
kind: :data:`wufei_gis.labels.VALUE_KINDS`) show their labels in the UI
language and are edited with a combo box of labels that stores the code.  A
change event naming ``geometry`` (a moved point) refreshes the whole row, as
the move also changes the county.
"""

from __future__ import annotations

import math

from PyQt6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QSignalBlocker,
    Qt,
    pyqtSignal,
)
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
)

from wufei_gis.editing import EDITABLE_FIELDS, ChangeEvent, ProjectModel, SetCellValue
from wufei_gis.errors import InputError
from wufei_gis.formatting import format_cell
from wufei_gis.labels import VALUE_KINDS, value_label
from wufei_gis.schema import LAYER_SPECS

from .dialogs import error_text
from .i18n import field_label, language, tr

__all__ = ["LayerTableModel", "AttributeTable", "TABLE_LAYERS"]

TABLE_LAYERS = ("counties", "generation", "facilities", "candidates", "exclusions", "towns")
_ERROR_BG = QColor("#f8c9c9")


class LayerTableModel(QAbstractTableModel):
    """A live view of one layer: reads ``model.frame(layer)`` on every call.

    Edits become :class:`~wufei_gis.edits.SetCellValue` commands on the model's
    history; rejected input is kept per cell (red background, tooltip) and sent
    through :attr:`rejected`.
    """

    rejected = pyqtSignal(str)

    def __init__(self, model: ProjectModel, layer: str, parent=None):
        super().__init__(parent)
        self.model, self.layer = model, layer
        self.spec = LAYER_SPECS[layer]
        self.fields = list(self.spec.fields)
        self.editable = set(EDITABLE_FIELDS.get(layer, ()))
        self.errors: dict[tuple[int, int], str] = {}
        model.events.connect(self._on_event)

    def _df(self):
        return self.model.frame(self.layer)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._df())

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        f = self.fields[c]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            v = self._df()[f.name].iloc[r]
            if role == Qt.ItemDataRole.EditRole:
                return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            if f.name in VALUE_KINDS and isinstance(v, str) and v:
                return value_label(VALUE_KINDS[f.name], v, language())
            return format_cell(v)
        if role == Qt.ItemDataRole.BackgroundRole and (r, c) in self.errors:
            return QBrush(_ERROR_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.errors.get((r, c))
        if role == Qt.ItemDataRole.TextAlignmentRole and f.dtype in ("float", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return field_label(self.fields[section], with_unit=True)
        return str(section + 1)

    def flags(self, index: QModelIndex):
        fl = super().flags(index)
        if index.isValid() and self.fields[index.column()].name in self.editable:
            fl |= Qt.ItemFlag.ItemIsEditable
        return fl

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        r, c = index.row(), index.column()
        try:
            cmd = SetCellValue(self.model, self.layer, r, self.fields[c].name, value)
        except InputError as err:
            self.errors[(r, c)] = error_text(err)
            self.dataChanged.emit(index, index)
            self.rejected.emit(error_text(err))
            return False
        self.errors.pop((r, c), None)
        self.model.execute(cmd)
        return True

    def choices(self, column: int) -> list[str] | None:
        """Allowed values of a column (for a combo box editor), or ``None``."""
        f = self.fields[column]
        if f.choices:
            return list(f.choices)
        if f.name == "size_class":
            names = {c.name for s in self.model.project.scenarios.values() for c in s.size_classes}
            return sorted(names) or None
        return None

    def _on_event(self, ev: ChangeEvent) -> None:
        if ev.kind == "project" or (ev.layer == self.layer and ev.kind != "values"):
            self.beginResetModel()
            self.errors.clear()
            self.endResetModel()
        elif ev.layer == self.layer and ev.rows:
            cols = [i for i, f in enumerate(self.fields) if f.name in ev.fields] or [0]
            if "geometry" in ev.fields:  # a move: the county (and any derived value) changed
                cols = [0, len(self.fields) - 1]
            for r in ev.rows:
                self.dataChanged.emit(self.index(r, min(cols)), self.index(r, max(cols)))

    def retranslate(self) -> None:
        """Tell views the headers and coded values changed language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(self.fields) - 1, 0))
        if self.rowCount() and self.fields:
            last = self.index(self.rowCount() - 1, len(self.fields) - 1)
            self.dataChanged.emit(self.index(0, 0), last)


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box for columns with choices (status, type, size class)."""

    def createEditor(self, parent, option, index):  # Qt API
        model = index.model()
        choices = model.choices(index.column())
        if not choices:
            return super().createEditor(parent, option, index)
        kind = VALUE_KINDS.get(model.fields[index.column()].name, "")
        box = QComboBox(parent)
        for code in choices:  # the label shown, the code stored
            box.addItem(value_label(kind, code, language()), code)
        return box

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            i = editor.findData(str(index.data(Qt.ItemDataRole.EditRole)))
            editor.setCurrentIndex(max(i, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


def _selection(view: QTableView) -> QItemSelectionModel:
    """The selection model of ``view`` (Qt gives every view one when its model is set)."""
    sel = view.selectionModel()
    assert sel is not None
    return sel


class AttributeTable(QTabWidget):
    """One tab per layer; selection synced with the map through :attr:`rows_selected`."""

    rows_selected = pyqtSignal(str, list)
    rejected = pyqtSignal(str)

    def __init__(self, model: ProjectModel, parent=None) -> None:
        super().__init__(parent)
        self.models: dict[str, LayerTableModel] = {}
        self.views: dict[str, QTableView] = {}
        for layer in TABLE_LAYERS:
            tm = LayerTableModel(model, layer, self)
            view = QTableView()
            view.setModel(tm)
            view.setItemDelegate(_ChoiceDelegate(view))
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setAlternatingRowColors(True)
            rows, columns = view.verticalHeader(), view.horizontalHeader()
            assert rows is not None and columns is not None  # a table view always has both
            rows.setDefaultSectionSize(22)
            columns.setStretchLastSection(True)
            columns.setMaximumSectionSize(280)
            tm.modelReset.connect(view.resizeColumnsToContents)
            _selection(view).selectionChanged.connect(lambda *_, lay=layer: self._on_selection(lay))
            tm.rejected.connect(self.rejected)
            self.models[layer], self.views[layer] = tm, view
            self.addTab(view, "")
            view.resizeColumnsToContents()
        self.retranslate()

    def _on_selection(self, layer: str) -> None:
        rows = sorted({i.row() for i in _selection(self.views[layer]).selectedRows()})
        if layer != "generation":
            self.rows_selected.emit(layer, rows)

    def select(self, layer: str, rows: list[int]) -> None:
        """Select ``rows`` of ``layer`` (from the map) without echoing back."""
        if layer not in self.views:
            return
        view = self.views[layer]
        sel = _selection(view)
        with QSignalBlocker(sel):
            sel.clearSelection()
            for r in rows:
                sel.select(
                    self.models[layer].index(r, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        viewport = view.viewport()
        assert viewport is not None  # a scroll area always has one
        viewport.update()
        if rows:
            self.setCurrentWidget(view)
            view.scrollTo(self.models[layer].index(rows[0], 0))

    def retranslate(self) -> None:
        """Tab titles and headers in the current language."""
        for i, layer in enumerate(TABLE_LAYERS):
            self.setTabText(i, tr(f"layer.{layer}"))
            self.models[layer].retranslate()
