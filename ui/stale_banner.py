"""The stale-results banner: "输入已更改，结果已过期 [重新求解]" above the map.

A view of :attr:`wufei_gis.editing.ProjectModel.stale`: shown while a stored
result predates an edit of its inputs, hidden otherwise.  The re-solve button
calls ``resolve(scenario)`` (the main window's :meth:`MainWindow.solve`) for
the scenario shown in the results dock when it is stale, else the first
stale one.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from wufei_gis.editing import ProjectModel

from .i18n import tr

__all__ = ["StaleBanner"]

_STYLE = "#stale_banner { background: #fff3c4; border-bottom: 1px solid #e0c060; }"


class StaleBanner(QFrame):
    """A yellow strip with the stale message and a re-solve button.

    Parameters
    ----------
    model
        The project model whose :attr:`~wufei_gis.editing.ProjectModel.stale` it shows.
    resolve
        Called with a scenario name when the button is pressed.
    shown
        Returns the scenario shown in the results (preferred for re-solving), or ``None``.
    """

    def __init__(
        self,
        model: ProjectModel,
        resolve: Callable[[str], object],
        shown: Callable[[], str | None] = lambda: None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stale_banner")
        self.setStyleSheet(_STYLE)
        self.model, self._resolve, self._shown = model, resolve, shown
        self.text = QLabel()
        self.button = QPushButton()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 3, 8, 3)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.button)
        self.button.clicked.connect(self.resolve)
        model.stale_changed.connect(self.refresh)
        self.retranslate()

    def scenario(self) -> str | None:
        """The scenario the button re-solves (``None`` when nothing is stale)."""
        shown = self._shown()
        if shown and self.model.is_stale(shown):
            return shown
        return next((s for s in self.model.results if self.model.is_stale(s)), None)

    def resolve(self) -> object:
        """Re-solve :meth:`scenario` (returns what ``resolve`` returned, or ``None``)."""
        name = self.scenario()
        return None if name is None else self._resolve(name)

    def refresh(self) -> None:
        """Show or hide the banner and name the stale scenarios."""
        names = [s for s in self.model.results if self.model.is_stale(s)]
        self.text.setText(
            tr("stale.text_named", names=tr("err.list_sep").join(names)) if names else ""
        )
        self.setVisible(bool(names))

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.button.setText(tr("stale.resolve"))
        self.button.setToolTip(tr("stale.resolve"))
        self.refresh()
