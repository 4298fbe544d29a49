"""Scenario form: every :class:`~wufei_gis.scenario.Scenario` parameter, grouped, with units.

Built from ``dataclasses.fields(Scenario)``; an edit becomes a
:class:`~wufei_gis.edits.SetScenarioParameter` command on the project model's one history.
Rejected values turn the field red with the error as its tooltip.
"""

from __future__ import annotations

import dataclasses
import json

from PyQt6.QtCore import QSignalBlocker, pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.editing import (
    AddScenario,
    ChangeEvent,
    ProjectModel,
    RemoveScenario,
    SetScenarioParameter,
)
from wufei_gis.errors import InputError
from wufei_gis.formatting import format_input
from wufei_gis.scenario import Scenario, coerce_parameter

from .dialogs import error_text
from .i18n import PARAM_GROUPS, language, param_info, tr

__all__ = ["ScenarioPanel", "parse_value"]

_CHOICES = {"solver": ("highs", "cbc")}
_BAD = "QLineEdit { background: #f8c9c9; }"


def _kind(f: dataclasses.Field) -> tuple[str, bool]:
    t = str(f.type)
    optional = "None" in t
    for base in ("bool", "int", "float", "list", "dict", "str"):
        if t.startswith(base):
            return base, optional
    return "str", optional


def parse_value(f: dataclasses.Field, text: str):
    """Parse the text of a field into its value, or raise :class:`InputError`."""
    kind, optional = _kind(f)
    text = text.strip()
    if text == "" and optional:
        return None
    try:
        if kind in ("int", "float"):  # the one number rule (wufei_gis.validation.parse_number)
            return coerce_parameter(f.name, text)
        if kind in ("list", "dict"):
            value = json.loads(text or ("[]" if kind == "list" else "{}"))
            if not isinstance(value, list if kind == "list" else dict):
                raise ValueError(f"expected a JSON {kind}")
            return value
    except ValueError as exc:
        raise InputError(
            f"'{text}' is not a valid {kind}: {exc}",
            layer="scenarios",
            field=f.name,
            fix="enter a number" if kind in ("int", "float") else f"write a JSON {kind}",
            key={"list": "err.bad_list", "dict": "err.bad_dict"}.get(kind, "err.bad_number"),
            params={"text": text},
        ) from None
    return text


class ScenarioPanel(QWidget):
    """Scenario selector (new/duplicate/delete) and a form of its parameters."""

    rejected = pyqtSignal(str)
    scenario_changed = pyqtSignal(str)

    def __init__(self, model: ProjectModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.selector = QComboBox()
        self.selector_label = QLabel()
        self.buttons = {k: QPushButton() for k in ("new", "duplicate", "delete")}
        top = QHBoxLayout()
        top.addWidget(self.selector_label)
        top.addWidget(self.selector, 1)
        row = QHBoxLayout()
        for b in self.buttons.values():
            row.addWidget(b)
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.groups: dict[str, QGroupBox] = {}
        body = QWidget()
        body_lay = QVBoxLayout(body)
        forms: dict[str, QFormLayout] = {}
        self.fields = {f.name: f for f in dataclasses.fields(Scenario)}
        for f in self.fields.values():
            group = param_info(f.name)[0]
            if group not in self.groups:
                self.groups[group] = QGroupBox()
                forms[group] = QFormLayout()
                self.groups[group].setLayout(forms[group])
                body_lay.addWidget(self.groups[group])
            w = self._make_widget(f)
            self.labels[f.name] = QLabel()
            forms[group].addRow(self.labels[f.name], w)
            self.widgets[f.name] = w
        body_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addLayout(row)
        lay.addWidget(scroll, 1)
        self.selector.currentTextChanged.connect(self._on_selected)
        self.buttons["new"].clicked.connect(lambda: self.add_scenario(duplicate=False))
        self.buttons["duplicate"].clicked.connect(lambda: self.add_scenario(duplicate=True))
        self.buttons["delete"].clicked.connect(self.delete_scenario)
        model.events.connect(self._on_event)
        self._fill_selector()
        self.retranslate()

    # --- widgets --------------------------------------------------------------
    def _make_widget(self, f: dataclasses.Field) -> QWidget:
        kind, _ = _kind(f)
        if kind == "bool":
            check = QCheckBox()
            check.toggled.connect(lambda v, n=f.name: self.commit(n, bool(v)))
            return check
        if f.name in _CHOICES:
            combo = QComboBox()
            combo.addItems(_CHOICES[f.name])
            combo.currentTextChanged.connect(lambda v, n=f.name: self.commit(n, v))
            return combo
        line = QLineEdit()
        line.editingFinished.connect(lambda n=f.name: self._commit_text(n))
        return line

    def current(self) -> str | None:
        """Name of the scenario being edited."""
        return self.selector.currentText() or None

    def _commit_text(self, name: str) -> None:
        w = self.widgets[name]
        assert isinstance(w, QLineEdit)  # only text fields commit on editingFinished
        try:
            value = parse_value(self.fields[name], w.text())
        except InputError as err:
            self._reject(name, err)
            return
        self.commit(name, value)

    def commit(self, name: str, value) -> bool:
        """Set parameter ``name`` of the current scenario (undoably); False if rejected."""
        sc_name = self.current()
        if sc_name is None:
            return False
        if getattr(self.model.project.scenarios[sc_name], name) == value and name != "size_classes":
            self._mark(name, None)
            return True
        try:
            cmd = SetScenarioParameter(self.model, sc_name, name, value)
        except InputError as err:
            self._reject(name, err)
            return False
        self._mark(name, None)
        self.model.execute(cmd)
        return True

    def _reject(self, name: str, err: InputError) -> None:
        self._mark(name, error_text(err))
        self.rejected.emit(error_text(err))

    def _mark(self, name: str, error: str | None) -> None:
        w = self.widgets[name]
        w.setStyleSheet(_BAD if error else "")
        w.setToolTip(error or param_info(name)[2])

    # --- scenarios ------------------------------------------------------------
    def add_scenario(self, *, duplicate: bool, name: str | None = None) -> None:
        """Add a new (or duplicated) scenario; asks for its name unless given."""
        if name is None:
            name, ok = QInputDialog.getText(self, tr("scenario.new"), tr("scenario.new_name"))
            if not ok or not name.strip():
                return
        base = self.model.project.scenarios.get(self.current() or "")
        try:
            sc = base.copy(name=name.strip()) if duplicate and base else Scenario(name.strip())
            self.model.execute(AddScenario(self.model, sc))
        except InputError as err:
            self.rejected.emit(error_text(err))
            return
        self.selector.setCurrentText(sc.name)

    def delete_scenario(self) -> None:
        """Delete the current scenario (undoable)."""
        name = self.current()
        if name:
            self.model.execute(RemoveScenario(self.model, name))

    def _fill_selector(self, select: str | None = None) -> None:
        current = select or self.current()
        with QSignalBlocker(self.selector):
            self.selector.clear()
            self.selector.addItems(list(self.model.project.scenarios))
            if current in self.model.project.scenarios:
                self.selector.setCurrentText(current)
        self._on_selected(self.current() or "")

    def _on_selected(self, name: str) -> None:
        self.refresh()
        self.scenario_changed.emit(name)

    def _on_event(self, ev: ChangeEvent) -> None:
        if ev.kind in ("scenarios", "project"):
            self._fill_selector(ev.scenario)
        elif ev.kind == "scenario" and ev.scenario == self.current():
            self.refresh()

    def refresh(self) -> None:
        """Show the current scenario's values (widget signals blocked)."""
        sc = self.model.project.scenarios.get(self.current() or "")
        for name, w in self.widgets.items():
            w.setEnabled(sc is not None)
            if sc is None:
                continue
            value = getattr(sc, name)
            with QSignalBlocker(w):
                if isinstance(w, QCheckBox):
                    w.setChecked(bool(value))
                elif isinstance(w, QComboBox):
                    w.setCurrentText(str(value))
                elif isinstance(w, QLineEdit):
                    w.setText(format_input(value))
                    w.setCursorPosition(0)
            self._mark(name, None)
        for b in ("duplicate", "delete"):
            self.buttons[b].setEnabled(sc is not None)

    def retranslate(self) -> None:
        """Labels, group titles and tooltips in the current language."""
        self.selector_label.setText(tr("scenario.select"))
        for k, b in self.buttons.items():
            b.setText(tr(f"scenario.{k}"))
        zh = language() == "zh"
        for g, box in self.groups.items():
            box.setTitle(PARAM_GROUPS[g][0 if zh else 1])
        for name, label in self.labels.items():
            _, text, tip = param_info(name)
            label.setText(text)
            label.setToolTip(tip)
            w = self.widgets[name]
            w.setToolTip(tip)
            if isinstance(w, QLineEdit):
                w.setPlaceholderText(tr("scenario.none"))
