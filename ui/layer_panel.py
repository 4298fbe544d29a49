"""Layer list: visibility, drawing order and per-layer style (colour, size, label)."""

from __future__ import annotations

from PyQt6.QtCore import QSignalBlocker, Qt
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import tr
from .map_canvas import MapCanvas

__all__ = ["LayerPanel"]


class LayerPanel(QWidget):
    """A thin view of :attr:`MapCanvas.styles` and :attr:`MapCanvas.order`."""

    def __init__(self, canvas: MapCanvas, parent=None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.list = QListWidget()
        self.up, self.down = QPushButton(), QPushButton()
        self.color_btn = QPushButton()
        self.size_box = QDoubleSpinBox()
        self.size_box.setRange(0, 500)
        self.size_box.setDecimals(1)
        self.label = QComboBox()
        self.size_label, self.label_label = QLabel(), QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        form = QFormLayout()
        form.addRow(self.color_btn)
        form.addRow(self.size_label, self.size_box)
        form.addRow(self.label_label, self.label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.list, 1)
        lay.addLayout(buttons)
        lay.addLayout(form)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentItemChanged.connect(lambda *_: self._show_style())
        self.list.itemDoubleClicked.connect(lambda it: canvas.zoom_to_layer(self._layer(it)))
        self.up.clicked.connect(lambda: self._move(+1))
        self.down.clicked.connect(lambda: self._move(-1))
        self.color_btn.clicked.connect(self._pick_color)
        self.size_box.valueChanged.connect(lambda v: self._set(size=float(v)))
        self.label.currentIndexChanged.connect(self._on_label)
        self.retranslate()

    @staticmethod
    def _layer(item: QListWidgetItem | None) -> str:
        return "" if item is None else item.data(Qt.ItemDataRole.UserRole)

    def current_layer(self) -> str:
        """Return the layer selected in the list."""
        return self._layer(self.list.currentItem())

    def retranslate(self) -> None:
        """Rebuild the list (top layer first) and labels in the current language."""
        current = self.current_layer()
        with QSignalBlocker(self.list):
            self.list.clear()
            for layer in reversed(self.canvas.order):
                item = QListWidgetItem(tr(f"layer.{layer}"))
                item.setData(Qt.ItemDataRole.UserRole, layer)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                visible = self.canvas.styles[layer].visible
                item.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
                self.list.addItem(item)
                if layer == current:
                    self.list.setCurrentItem(item)
        if self.list.currentItem() is None:
            self.list.setCurrentRow(0)
        self.up.setText(tr("layer.up"))
        self.down.setText(tr("layer.down"))
        self.color_btn.setText(tr("layer.color"))
        self.size_label.setText(tr("layer.size"))
        self.label_label.setText(tr("layer.labels"))
        self._show_style()

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        visible = item.checkState() == Qt.CheckState.Checked
        self.canvas.set_style(self._layer(item), visible=visible)

    def _move(self, delta: int) -> None:
        layer = self.current_layer()
        if layer:
            self.canvas.move_layer(layer, delta)
            self.retranslate()

    def _set(self, **changes) -> None:
        layer = self.current_layer()
        if layer:
            self.canvas.set_style(layer, **changes)

    def _pick_color(self) -> None:
        layer = self.current_layer()
        if not layer:
            return
        color = QColorDialog.getColor(QColor(self.canvas.styles[layer].color), self)
        if color.isValid():
            self._set(color=color.name())
            self._show_style()

    def _on_label(self, index: int) -> None:
        self._set(label_field=self.label.itemData(index))

    def _show_style(self) -> None:
        layer = self.current_layer()
        if not layer:
            return
        st = self.canvas.styles[layer]
        with QSignalBlocker(self.size_box), QSignalBlocker(self.label):
            self.size_box.setValue(st.size)
            self.label.clear()
            self.label.addItem(tr("layer.none"), None)
            df = self.canvas.layer_frame(layer)
            cols = [] if df is None else [c for c in df.columns if c != "geometry"]
            for c in cols:
                self.label.addItem(c, c)
            self.label.setCurrentIndex(max(self.label.findData(st.label_field), 0))
        self.color_btn.setStyleSheet(f"QPushButton {{ border-left: 14px solid {st.color}; }}")
