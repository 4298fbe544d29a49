"""CJK font set-up for the widgets and the map canvas.

The font itself is found by core (:mod:`wufei_gis.fonts`: the bundled Noto Sans
CJK SC, registered with matplotlib).  :func:`setup_cjk_font` also registers the
file with Qt (``QFontDatabase.addApplicationFont``) and makes it the
application's font, so menus, tables and dialogs show Chinese on a machine
with no system font at all.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from wufei_gis.fonts import CJK_FONTS, cjk_font_path, find_cjk_font
from wufei_gis.fonts import setup_cjk_font as _setup_matplotlib

__all__ = ["CJK_FONTS", "cjk_font", "register_qt_font", "setup_cjk_font"]

logger = logging.getLogger(__name__)

#: The CJK family matplotlib draws with, or ``None`` (maps then label with ``name_en``).
cjk_font = find_cjk_font


@lru_cache(maxsize=1)
def register_qt_font() -> str | None:
    """Register the CJK font file with Qt; return its Qt family name or ``None``.

    Needs a ``QGuiApplication``; the answer is cached.
    """
    from PyQt6.QtGui import QFontDatabase

    path = cjk_font_path()
    if path is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        logger.warning("Qt could not load the CJK font %s", path)
        return None
    return families[0]


def setup_cjk_font() -> str | None:
    """Set up the CJK font for matplotlib and, when an application runs, for Qt.

    Returns the matplotlib family name (``None`` without any CJK font).
    """
    from PyQt6.QtGui import QFont, QGuiApplication

    name = _setup_matplotlib()
    app = QGuiApplication.instance()
    if app is not None:
        family = register_qt_font()
        if family is not None:
            font = QFont(QGuiApplication.font())
            font.setFamilies([family, *[f for f in font.families() if f != family]])
            QGuiApplication.setFont(font)
    return name
