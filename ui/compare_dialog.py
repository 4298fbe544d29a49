"""*Scenario > Compare scenarios…*: pick A and B, then open the comparison window.

Each side lists this project's scenarios (the solved ones are the model's
results; an unsolved one is marked and refused) and, after *Result file…*, the
scenarios stored in result GeoPackages.  OK checks that A and B are two
different solved results, reads them and opens
:class:`~wufei_gis.ui.compare_window.CompareWindow`; a problem is shown in the
dialog, which stays open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.errors import InputError
from wufei_gis.results import RunResult, read_results, result_scenarios

from .dialogs import ask_open_path, error_text, ok_cancel_buttons
from .i18n import tr

if TYPE_CHECKING:  # pragma: no cover
    from wufei_gis.editing import ProjectModel

    from .main_window import MainWindow

__all__ = ["CompareDialog", "ResultChoice", "open_compare_dialog"]

SIDES = ("a", "b")


@dataclass(frozen=True)
class ResultChoice:
    """One entry of a side's list: a scenario of this project (``path=None``) or of a file."""

    scenario: str
    path: Path | None = None


class CompareDialog(QDialog):
    """Choose scenarios A and B; :attr:`results` holds them after OK."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.results: list[RunResult] = []
        self.setWindowTitle(tr("compare.dialog_title"))
        self.setMinimumWidth(520)
        hint = QLabel(tr("compare.dialog_hint"))
        hint.setWordWrap(True)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for side in SIDES:
            combo = QComboBox()
            button = QPushButton(tr("compare.open_file"))
            button.clicked.connect(lambda _=False, s=side: self.browse(s))
            row = QHBoxLayout()
            row.addWidget(combo, 1)
            row.addWidget(button)
            form.addRow(tr(f"compare.side_{side}"), row)
            self.combos[side] = combo
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b2182b")
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(ok_cancel_buttons(self))
        self._fill_project_scenarios()

    # --- the lists -------------------------------------------------------------------
    def _fill_project_scenarios(self) -> None:
        names = list(self.model.project.scenarios)
        names += [n for n in self.model.results if n not in names]
        for combo in self.combos.values():
            for name in names:
                text = name if name in self.model.results else tr("compare.unsolved", name=name)
                combo.addItem(text, ResultChoice(name))
        solved = [n for n in names if n in self.model.results]
        if len(solved) >= 2:
            self.select("a", solved[0])
            self.select("b", solved[1])
        elif not solved:
            self.error.setText(tr("compare.none_solved"))

    def add_result_file(self, path: str | Path, side: str | None = None) -> list[str]:
        """List the scenarios of a result GeoPackage on both sides; select the last on ``side``.

        Returns the scenario names (none, with the problem shown, if the file has no results).
        """
        path = Path(path)
        try:
            names = result_scenarios(path)
        except (InputError, OSError) as err:
            self.error.setText(error_text(err))
            return []
        for combo in self.combos.values():
            for name in names:
                choice = ResultChoice(name, path)
                if _find(combo, choice) < 0:
                    combo.addItem(tr("compare.from_file", name=name, file=path.name), choice)
        if side is not None and names:
            self.select(side, names[-1], path)
        self.error.clear()
        return names

    def browse(self, side: str, path: str | Path | None = None) -> list[str]:
        """*Result file…*: ask for a result GeoPackage (or take ``path``) and list it."""
        chosen = ask_open_path(self, "compare.open_file", "compare.file_filter", given=path)
        return [] if chosen is None else self.add_result_file(chosen, side)

    def select(self, side: str, scenario: str, path: str | Path | None = None) -> None:
        """Select ``scenario`` (of ``path``, or of this project) on ``side`` (``"a"``/``"b"``)."""
        combo = self.combos[side]
        index = _find(combo, ResultChoice(scenario, None if path is None else Path(path)))
        if index < 0:
            raise ValueError(f"{scenario!r} is not in the list of side {side}")
        combo.setCurrentIndex(index)

    def choice(self, side: str) -> ResultChoice | None:
        """The entry selected on ``side``."""
        data = self.combos[side].currentData()
        return data if isinstance(data, ResultChoice) else None

    # --- checking and reading --------------------------------------------------------
    def problem(self) -> str | None:
        """What stops the comparison (in the UI language), or ``None``."""
        a, b = self.choice("a"), self.choice("b")
        if a is None or b is None:
            return tr("compare.none_solved")
        if a == b:
            return tr("compare.same")
        for c in (a, b):
            if c.path is None and c.scenario not in self.model.results:
                return tr("compare.need_solved", name=c.scenario)
        return None

    def _read(self, c: ResultChoice) -> RunResult:
        return (
            self.model.results[c.scenario] if c.path is None else read_results(c.path, c.scenario)
        )

    def accept(self) -> None:
        """Check the choice and read both results; stay open and say why when that fails."""
        text = self.problem()
        if text is None:
            try:
                self.results = [self._read(c) for c in (self.choice("a"), self.choice("b")) if c]
            except (InputError, OSError) as err:
                text = error_text(err)
        if text is not None:
            self.error.setText(text)
            return
        super().accept()


def _find(combo: QComboBox, choice: ResultChoice) -> int:
    """Index of ``choice`` in ``combo`` or -1 (``findData`` compares Python objects by identity)."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == choice), -1)


def open_compare_dialog(window: MainWindow) -> CompareDialog:
    """Open the dialog over the main window; on OK show the comparison window.

    The dialog is ``window.compare_dialog``, the comparison window (once open)
    ``window.compare_window``.
    """
    from .compare_window import show_compare_window

    model = window.model
    dialog = CompareDialog(model, window)

    def show() -> None:
        window.compare_window = show_compare_window(
            dialog.results, project=model.project, parent=window
        )

    dialog.accepted.connect(show)
    window.compare_dialog = dialog
    dialog.open()
    return dialog
