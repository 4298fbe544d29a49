"""Run summary of the scenario shown on the map (one row of ``run_summary``)."""

from __future__ import annotations

import math

from PyQt6.QtWidgets import (QComboBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                             QVBoxLayout, QWidget)

from wufei_gis.editing import ChangeEvent, ProjectModel

from .i18n import language, tr

__all__ = ["ResultsPanel"]

_LABELS = {
    "scenario": ("情景", "Scenario"), "status": ("状态", "Status"),
    "objective": ("目标函数 (元/日)", "Objective (yuan/d)"),
    "transport_cost": ("运输成本 (元/日)", "Transport cost (yuan/d)"),
    "fixed_cost": ("固定成本 (元/日)", "Fixed cost (yuan/d)"),
    "unserved_tpd": ("未处理量 (吨/日)", "Unserved (t/d)"),
    "solver": ("求解器", "Solver"), "mip_gap": ("相对间隙", "MIP gap"),
    "runtime_s": ("求解时间 (秒)", "Runtime (s)"),
    "cost_method": ("运距计算", "Distance method"),
    "gate_cost": ("处理费 (元/日)", "Gate cost (yuan/d)"),
    "unserved_cost": ("未处理罚金 (元/日)", "Unserved penalty (yuan/d)"),
    "incineration_share": ("焚烧比例", "Incineration share"),
    "incineration_target": ("焚烧比例目标", "Incineration target"),
    "landfill_tpd": ("填埋量 (吨/日)", "Landfilled (t/d)"),
    "transfer_tpd": ("经转运量 (吨/日)", "Via transfer (t/d)"),
    "direct_tpd": ("直运量 (吨/日)", "Direct haul (t/d)"),
    "new_sites": ("新建站点数", "New sites"),
    "binding_capacity": ("满负荷设施", "Sites at capacity"),
    "binding_policy": ("起作用的政策约束", "Binding policy"),
    "solve_s": ("求解器时间 (秒)", "Solver time (s)"),
}


def _fmt(v) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    return str(v)


class ResultsPanel(QWidget):
    """A key/value table of the run summary; a selector chooses the scenario shown."""

    def __init__(self, model: ProjectModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.selector = QComboBox()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
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
        row = res.summary()
        self.table.setRowCount(len(row))
        zh = language() == "zh"
        for i, (k, v) in enumerate(row.items()):
            label = _LABELS.get(k, (k, k))[0 if zh else 1]
            self.table.setItem(i, 0, QTableWidgetItem(label))
            self.table.setItem(i, 1, QTableWidgetItem(_fmt(v)))

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.hint.setText(tr("results.none"))
        self.table.setHorizontalHeaderLabels([tr("results.item"), tr("results.value")])
        self._show()
