"""The GUI's language: ``tr(key)`` in the language chosen at run time.

The texts themselves live in core, in :mod:`wufei_gis.labels` (one catalogue
for the GUI, exports and reports); this module only keeps the current
language.  It defaults to the system locale (``QLocale.system()``): Chinese
locales get Chinese, everything else English.  :func:`set_language` switches
it; widgets rebuild their texts in ``retranslate()`` when the callbacks
registered with :func:`on_language_changed` run.

Qt's own texts (the buttons of ``QMessageBox``/``QDialogButtonBox``, the
non-native ``QFileDialog``, the context menus of line edits) come from the
translations shipped in the PyQt6 wheel (``qtbase_zh_CN.qm``, found through
``QLibraryInfo``): :func:`install_qt_translations` loads them into the running
``QApplication``, and :func:`set_language` swaps them on every switch, so the
switch applies without a restart.
"""

from __future__ import annotations

from collections.abc import Callable

from wufei_gis import labels
from wufei_gis.labels import LABELS, LANGUAGES, PARAM_GROUP_ORDER

__all__ = [
    "tr",
    "set_language",
    "language",
    "system_language",
    "on_language_changed",
    "install_qt_translations",
    "qt_translations_dir",
    "field_label",
    "param_info",
    "LANGUAGES",
    "PARAM_GROUPS",
]

_lang = "zh"
_listeners: list[Callable[[str], None]] = []
#: The Qt translators installed in the application (kept alive here).
_qt_translators: list = []
#: Qt's catalogues of its own texts, per language (``qtbase`` holds the widgets' texts).
_QT_CATALOGUES: dict[str, tuple[str, ...]] = {"zh": ("qtbase_zh_CN",), "en": ()}

#: The one catalogue of user-facing texts (``key -> (中文, English)``), from core.
STRINGS: dict[str, tuple[str, str]] = LABELS

#: Scenario parameter groups ``group -> (中文, English)``, in form order.
PARAM_GROUPS: dict[str, tuple[str, str]] = {g: LABELS[f"group.{g}"] for g in PARAM_GROUP_ORDER}


def language() -> str:
    """Return the current language, ``"zh"`` or ``"en"``."""
    return _lang


def system_language() -> str:
    """Return ``"zh"`` for a Chinese system locale, else ``"en"``."""
    from PyQt6.QtCore import QLocale

    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def set_language(lang: str) -> None:
    """Switch the UI language and tell listeners (who rebuild their texts)."""
    global _lang
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}; use one of {LANGUAGES}"
        raise ValueError(msg)
    changed = lang != _lang
    _lang = lang
    install_qt_translations(lang)
    if changed:
        for cb in list(_listeners):
            cb(lang)


def qt_translations_dir() -> str:
    """Return the folder of Qt's own ``.qm`` translations (inside the PyQt6 wheel)."""
    from PyQt6.QtCore import QLibraryInfo

    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install_qt_translations(lang: str | None = None) -> list[str]:
    """Make Qt's own dialogs and buttons speak ``lang`` (default: the current language).

    Removes the translators installed before, then loads Qt's catalogues of
    ``lang`` into the running ``QApplication`` (nothing happens without one).

    Returns
    -------
    list[str]
        The catalogues loaded (empty for English, Qt's own language).
    """
    from PyQt6.QtCore import QCoreApplication, QTranslator

    app = QCoreApplication.instance()
    if app is None:
        return []
    for old in _qt_translators:
        QCoreApplication.removeTranslator(old)
    _qt_translators.clear()
    loaded = []
    for name in _QT_CATALOGUES[lang or _lang]:
        translator = QTranslator(app)
        if translator.load(name, qt_translations_dir()):
            QCoreApplication.installTranslator(translator)
            _qt_translators.append(translator)
            loaded.append(name)
    return loaded


def on_language_changed(callback: Callable[[str], None]) -> None:
    """Call ``callback(lang)`` after every language switch."""
    _listeners.append(callback)


def remove_language_listener(callback: Callable[[str], None]) -> None:
    """Stop calling ``callback``."""
    if callback in _listeners:
        _listeners.remove(callback)


def tr(key: str, **fmt: object) -> str:
    """Return the text of ``key`` in the current language (the key itself if unknown)."""
    return labels.label(key, _lang, **fmt)


def field_label(field, *, with_unit: bool = False) -> str:
    """Return a schema field's label in the current language."""
    text = (field.label_zh if _lang == "zh" else field.label_en) or field.name
    if with_unit and field.unit and field.unit not in text:
        text += f" ({labels.unit_label(field.unit, _lang)})"
    return text


def param_info(name: str) -> tuple[str, str, str]:
    """Return ``(group, label with unit, tooltip)`` of a scenario parameter."""
    return labels.param_info(name, _lang)
