"""CJK font set-up for the map canvas (the lookup itself is core: :mod:`wufei_gis.fonts`)."""

from __future__ import annotations

from wufei_gis.fonts import CJK_FONTS, find_cjk_font, setup_cjk_font

__all__ = ["CJK_FONTS", "cjk_font", "setup_cjk_font"]

#: The installed CJK family or ``None`` (maps then label features with ``name_en``).
cjk_font = find_cjk_font
