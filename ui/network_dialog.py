"""File > Import road network…: options dialog, then the import in the background worker.

The network is stored in the project GeoPackage (``network_<name>``), so the
project must be saved first: an unsaved (or never saved) project is saved only
after the user agrees (:func:`confirm_save`); declining cancels the import.
Nothing is saved without the user's say.  A thin layer over
:func:`wufei_gis.network.import_network`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
)

from wufei_gis.errors import CancelledError, InputError

from .dialogs import ask_open_path, error_text, ok_cancel_buttons
from .i18n import tr
from .solve_dialog import SolveDialog
from .worker import Worker

__all__ = ["NetworkImportDialog", "confirm_save", "start_network_import", "source_columns"]

OSM_SUFFIXES = (".pbf", ".osm")


def source_columns(path: str | Path) -> list[str]:
    """Return the attribute columns of a line layer ([] for OSM files)."""
    if str(path).lower().endswith(OSM_SUFFIXES):
        return []
    import pyogrio

    try:
        return [str(c) for c in pyogrio.read_info(path)["fields"]]
    except Exception as exc:  # GDAL raises many types
        raise InputError(
            f"cannot read the roads file ({exc})",
            file=path,
            fix="use .osm.pbf, .osm, GeoPackage, Shapefile or GeoJSON",
            key="err.roads_unreadable",
        ) from None


class NetworkImportDialog(QDialog):
    """Name the network and map its optional speed / class / one-way fields."""

    def __init__(self, path: str | Path, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("net.title"))
        cols = source_columns(path)
        self.name = QLineEdit("roads")
        self.fields: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        form.addRow(tr("net.name"), self.name)
        for key in ("class_field", "speed_field", "oneway_field"):
            box = QComboBox()
            box.addItem(tr("layer.none"), None)
            for c in cols:
                box.addItem(c, c)
            guess = {
                "class_field": ("highway", "class", "fclass", "等级"),
                "speed_field": ("speed", "maxspeed", "速度"),
                "oneway_field": ("oneway", "单行"),
            }[key]
            for g in guess:
                if g in cols:
                    box.setCurrentIndex(cols.index(g) + 1)
                    break
            box.setEnabled(bool(cols))
            self.fields[key] = box
            form.addRow(tr(f"net.{key}"), box)
        self.node_intersections = QCheckBox(tr("net.node_intersections"))
        self.node_intersections.setEnabled(bool(cols))
        form.addRow(self.node_intersections)
        form.addRow(ok_cancel_buttons(self))

    def options(self) -> dict:
        """The answers: ``{"name": network name, RoadOptions field: value...}``."""
        opts = {k: box.currentData() for k, box in self.fields.items()}
        opts["name"] = self.name.text().strip() or "roads"
        opts["node_intersections"] = self.node_intersections.isChecked()
        return opts


def _run_import(source, project_path, *, progress, should_cancel, name="roads", **fields):
    from wufei_gis.network import RoadOptions, import_network

    def report(fraction, message):
        if should_cancel():
            raise CancelledError("road network import was cancelled")
        progress(fraction, message)

    return import_network(
        source, project_path, name=name, road_options=RoadOptions(**fields), progress=report
    )


def confirm_save(window) -> bool:
    """Ask whether to save the project now so the network can be stored in it."""
    answer = QMessageBox.question(
        window,
        tr("net.save_first_title"),
        tr("net.save_first"),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Save


def start_network_import(
    window,
    path: str | Path | None = None,
    *,
    options: dict | None = None,
    ask_save: Callable[[object], bool] = confirm_save,
) -> Worker | None:
    """Ask for a roads file and options, then import it in a :class:`Worker`.

    ``options`` (skips the dialog) has the dialog's keys: ``name`` and
    :class:`~wufei_gis.network.RoadOptions` fields.  An unsaved project is
    saved first only if ``ask_save(window)`` (default: a question) says yes.

    Returns the worker (``None`` when the user cancelled or the project could
    not be saved).  On success the map shows the new road layer.
    """
    model = window.model
    if model.project.path is None or model.dirty:
        # the network is stored inside the project file: save it, but only if the user agrees
        if not ask_save(window) or not window.save():
            return None
    path = ask_open_path(window, "net.title", "net.filter", given=path)
    if path is None:
        return None
    if options is None:
        try:
            dialog = NetworkImportDialog(path, window)
        except InputError as err:
            window.show_error(error_text(err))
            return None
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dialog.options()
    worker = Worker(_run_import, str(path), str(model.project.path), parent=window, **options)
    progress = SolveDialog(worker, tr("net.title"), window)

    def done(G) -> None:
        model.forget_roads()
        window.canvas.refresh_all()
        window.show_message(
            tr(
                "net.done",
                name=options["name"],
                nodes=G.number_of_nodes(),
                edges=G.number_of_edges(),
            )
        )

    worker.result.connect(done)
    worker.error.connect(window.show_error)
    window.network_worker, window.network_dialog = worker, progress
    progress.show()
    worker.start()
    return worker
