"""Pieces shared by the app's dialogs: OK/Cancel buttons, the open-file question, error text.

:func:`error_text` words an error in the UI language: an :class:`InputError`
through :meth:`~wufei_gis.errors.InputError.message` (location framed in the
language, keyed messages translated), an ``OSError`` through
:func:`~wufei_gis.errors.describe_os_error`.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget

from wufei_gis.errors import InputError, describe_os_error

from .i18n import language, tr

__all__ = ["ask_open_path", "ask_save_path", "error_text", "file_dialog", "ok_cancel_buttons"]


def ok_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """Return an OK/Cancel button box wired to ``dialog``'s accept and reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def ask_open_path(
    parent: QWidget | None, title_key: str, filter_key: str, *, given: str | Path | None = None
) -> str | Path | None:
    """Return the file to open: ``given`` if set, else ask; ``None`` when the user cancelled.

    Parameters
    ----------
    parent
        The dialog's parent window.
    title_key, filter_key
        Translation keys of the dialog title and the file-type filter.
    given
        A file already chosen (a script, a test, a command-line argument): returned as it is.
    """
    if given is not None:
        return given
    dialog = file_dialog(parent, tr(title_key), tr(filter_key))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _chosen(dialog)


def ask_save_path(parent: QWidget | None, title: str, name: str, filter_text: str) -> str | None:
    """Ask where to save (suggesting ``name``); ``None`` when the user cancelled."""
    dialog = file_dialog(parent, title, filter_text)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(name)
    return _chosen(dialog)


def file_dialog(parent: QWidget | None, title: str, filter_text: str) -> QFileDialog:
    """A file dialog in the UI language.

    Qt's own translations (installed by :mod:`.i18n`) word most of it; the two
    labels they miss in Qt's widget-based dialog ("Look in:", "Files of type:")
    are set from the label catalogue.  A native dialog speaks the system's language.
    """
    dialog = QFileDialog(parent, title, "", filter_text)
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, tr("file.look_in"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, tr("file.file_type"))
    return dialog


def _chosen(dialog: QFileDialog) -> str | None:
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return dialog.selectedFiles()[0] or None


def error_text(err: BaseException) -> str:
    """Return the message shown for ``err`` in the UI language.

    An OS error in words, an :class:`InputError` located and (when it has a
    label key) worded in the language, anything else as ``str(err)``.
    """
    if isinstance(err, OSError):
        return describe_os_error(err, language())
    if isinstance(err, InputError):
        return err.message(language())
    return str(err)
