"""Open projects and import layers (GPKG, Shapefile, GeoJSON, CSV lon/lat, Excel).

When a file's column names differ from the layer contract
(:mod:`wufei_gis.schema`) a field-mapping dialog asks which column is which.
Bad files end in a dialog naming the problem (the ``InputError`` text).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.editing import ProjectModel, ReplaceLayer
from wufei_gis.errors import InputError
from wufei_gis.io import TABLE_SUFFIXES, list_layers, read_layer, read_raw
from wufei_gis.schema import LAYER_SPECS, LayerSpec
from wufei_gis.validation import check_locations, check_not_empty

from .dialogs import ask_open_path, error_text, ok_cancel_buttons
from .i18n import field_label, tr

__all__ = [
    "FieldMappingDialog",
    "ImportDialog",
    "guess_mapping",
    "import_file",
    "source_layers",
    "IMPORT_LAYERS",
]

logger = logging.getLogger(__name__)

IMPORT_LAYERS = ("counties", "facilities", "candidates", "exclusions", "generation")
_SYNONYMS = {
    "county_id": ("code", "adcode", "区县代码", "行政区划代码", "county", "county_code"),
    "name_zh": ("name", "名称", "区县", "区县名称", "设施名称"),
    "name_en": ("english", "英文名"),
    "generation_tpd": ("generation", "tpd", "产生量", "日产生量", "t/d"),
    "capacity_tpd": ("capacity", "规模", "处理能力", "能力"),
    "year": ("年份", "年"),
    "facility_id": ("id", "编号", "设施编号"),
    "candidate_id": ("id", "编号", "候选编号"),
    "zone_id": ("id", "编号"),
    "type": ("类型", "kind"),
    "status": ("状态",),
    "fixed_cost_yuan_yr": ("fixed_cost", "cost", "固定成本"),
}


def source_layers(path: str | Path) -> list[str]:
    """Layers of a vector file, or sheets of an Excel file (empty for CSV)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xls"):
        try:
            with pd.ExcelFile(p) as xl:
                return [str(s) for s in xl.sheet_names]
        except Exception as exc:  # any reader failure is reported to the user
            raise InputError(
                f"cannot read the workbook ({exc})",
                file=p,
                fix="check that it is an Excel file",
                key="err.unreadable_sources",
            ) from None
    if p.suffix.lower() in TABLE_SUFFIXES:
        return []
    return list_layers(p)


def guess_mapping(columns: list[str], spec: LayerSpec) -> dict[str, str | None]:
    """Return ``{contract field: source column or None}`` guessed from the names."""
    lower = {str(c).strip().lower(): c for c in columns}
    out: dict[str, str | None] = {}
    used: set[str] = set()
    for f in spec.fields:
        cands = (f.name, f.label_zh, f.label_en, *_SYNONYMS.get(f.name, ()))
        hit = next(
            (
                lower[c.lower()]
                for c in cands
                if c and c.lower() in lower and lower[c.lower()] not in used
            ),
            None,
        )
        out[f.name] = hit
        if hit is not None:
            used.add(hit)
    return out


class FieldMappingDialog(QDialog):
    """Choose, for every contract field, the source column that holds it."""

    def __init__(self, spec: LayerSpec, columns: list[str], parent=None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setWindowTitle(f"{tr('import.mapping')}: {tr('layer.' + spec.name)}")
        self.combos: dict[str, QComboBox] = {}
        hint = QLabel(tr("import.mapping_hint"))
        hint.setWordWrap(True)
        form = QFormLayout()
        guess = guess_mapping(columns, spec)
        for f in spec.fields:
            box = QComboBox()
            box.addItem(tr("layer.none"), None)
            for c in columns:
                box.addItem(str(c), c)
            if guess[f.name] is not None:
                box.setCurrentIndex(box.findData(guess[f.name]))
            label = field_label(f, with_unit=True) + (" *" if f.required else "")
            form.addRow(f"{label}  [{f.name}]", box)
            self.combos[f.name] = box
        buttons = ok_cancel_buttons(self)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def set_column(self, field_name: str, column: str) -> None:
        """Map ``column`` to ``field_name`` (used by tests and scripts)."""
        box = self.combos[field_name]
        box.setCurrentIndex(box.findData(column))

    def column_map(self) -> dict[str, str]:
        """Return ``{source column: contract field}`` for :func:`wufei_gis.io.read_layer`."""
        out = {}
        for name, box in self.combos.items():
            col = box.currentData()
            if col is not None and col != name:
                out[col] = name
        return out


class ImportDialog(QDialog):
    """Pick the target layer and the source layer/sheet of a file."""

    def __init__(self, path: str | Path, parent=None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(f"{tr('import.title')}: {self.path.name}")
        self.target = QComboBox()
        for layer in IMPORT_LAYERS:
            self.target.addItem(tr(f"layer.{layer}"), layer)
        self.source = QComboBox()
        self.source.addItems(source_layers(self.path))
        self.source.setEnabled(self.source.count() > 1)
        if self.path.suffix.lower() in TABLE_SUFFIXES and not self._has_coords():
            self.target.setCurrentIndex(self.target.findData("generation"))
        form = QFormLayout()
        form.addRow(tr("import.target"), self.target)
        form.addRow(tr("import.source_layer"), self.source)
        buttons = ok_cancel_buttons(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def _has_coords(self) -> bool:
        try:
            return hasattr(read_raw(self.path), "geometry")
        except InputError:
            return False

    def choice(self) -> tuple[str, str | None]:
        """Return ``(target layer, source layer or sheet)``."""
        return self.target.currentData(), (self.source.currentText() or None)


def import_file(
    parent: QWidget,
    model: ProjectModel,
    path: str | Path | None = None,
    *,
    target: str | None = None,
    layer: str | None = None,
    ask_mapping: Callable | None = None,
    on_error: Callable[[str], None] | None = None,
) -> bool:
    """Import a file as a project layer (undoable).  Returns whether it was imported.

    Parameters
    ----------
    path
        The file; asked with a file dialog when ``None``.
    target, layer
        Project layer to replace and the file's layer/sheet; asked when ``None``.
    ask_mapping
        ``ask_mapping(spec, columns) -> column_map | None``; default shows
        :class:`FieldMappingDialog` (``None`` = cancelled).
    on_error
        Shows an error message (default: a message box).
    """

    def fail(err: Exception) -> bool:
        (on_error or (lambda m: _error_box(parent, m)))(error_text(err))
        return False

    path = ask_open_path(parent, "import.title", "import.filter", given=path)
    if path is None:
        return False
    try:
        if target is None:
            dlg = ImportDialog(path, parent)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            target, layer = dlg.choice()
        spec = LAYER_SPECS[target]
        raw = read_raw(path, layer=layer)
        column_map = None
        if any(c not in raw.columns for c in spec.required):
            ask = ask_mapping or (lambda s, cols: _ask_mapping(parent, s, cols))
            column_map = ask(spec, [str(c) for c in raw.columns if c != "geometry"])
            if column_map is None:
                return False
        frame = read_layer(path, spec, layer=layer, column_map=column_map)
        check_not_empty(
            frame,
            file=path,
            layer=target,
            how_to_allow="delete the rows in the attribute table to empty the layer",
        )
        if target in ("facilities", "candidates"):
            check_locations(frame, model.project.counties, file=path, layer=target, key=spec.key)
        model.execute(ReplaceLayer(model, target, frame))
    except (InputError, OSError) as err:
        return fail(err)
    return True


def _ask_mapping(parent, spec: LayerSpec, columns: list[str]) -> dict[str, str] | None:
    dlg = FieldMappingDialog(spec, columns, parent)
    return dlg.column_map() if dlg.exec() == QDialog.DialogCode.Accepted else None


def _error_box(parent, message: str) -> None:
    from PyQt6.QtWidgets import QMessageBox

    QMessageBox.critical(parent, tr("msg.error"), message)
