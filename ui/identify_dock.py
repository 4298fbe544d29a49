"""The identify dock: the attributes of the feature(s) the Identify tool clicked.

One section per feature under the click (the clicked feature first, then the
same feature in other layers, e.g. a facility's proposed site or a county's
capacity gap, and points at the same place), each a ``field | value`` list.
Labels, names and numbers come from :mod:`wufei_gis.feature_info`.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from wufei_gis.feature_info import feature_rows, feature_title, identify_stack, names_of

from .i18n import language, tr

__all__ = ["IdentifyDock"]


class IdentifyDock(QWidget):
    """A tree: one top-level item per identified feature, its attributes below."""

    def __init__(self, canvas, parent=None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.features: list[tuple[str, int]] = []
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        assert header is not None  # a tree widget always has a header
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.hint)
        lay.addWidget(self.tree, 1)
        canvas.model.events.connect(self._on_event)
        self.retranslate()

    def show_feature(self, layer: str, row: int) -> None:
        """Show the feature ``row`` of ``layer`` and what sits where it sits."""
        c = self.canvas
        frames = {n: c.layer_frame(n) for n in c.order[::-1] if c.styles[n].visible or n == layer}
        self.features = identify_stack(layer, row, frames)
        self._fill()

    def sections(self) -> dict[tuple[str, str], dict[str, str]]:
        """The shown texts: ``{(layer name, feature name): {label: value}}``."""
        out = {}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None  # i < topLevelItemCount()
            children = (top.child(j) for j in range(top.childCount()))
            out[top.text(0), top.text(1)] = {
                c.text(0): c.text(1) for c in children if c is not None
            }
        return out

    def _on_event(self, ev) -> None:
        if ev.kind in ("project", "results", "removed", "reset", "inserted"):
            self.features = []  # the rows shown may be other features now
            self._fill()
        elif ev.kind == "values":
            self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        self.hint.setVisible(not self.features)
        lang = language()
        names = names_of(self.canvas.model.project)
        for layer, row in self.features:
            frame = self.canvas.layer_frame(layer)
            if frame is None or not 0 <= row < len(frame):
                continue
            feature = frame.iloc[row]
            top = QTreeWidgetItem(list(feature_title(layer, feature, lang=lang, names=names)))
            for col in (0, 1):
                font = top.font(col)
                font.setBold(True)
                top.setFont(col, font)
            for text, value in feature_rows(layer, feature, lang=lang, names=names):
                item = QTreeWidgetItem([text, value])
                item.setToolTip(1, value)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                top.addChild(item)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.hint.setText(tr("inspect.hint"))
        self.tree.setHeaderLabels([tr("inspect.field"), tr("inspect.value")])
        self._fill()
