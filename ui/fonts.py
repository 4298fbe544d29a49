"""Find a CJK font for matplotlib so Chinese map labels do not render as boxes."""

from __future__ import annotations

import logging

__all__ = ["CJK_FONTS", "setup_cjk_font", "cjk_font"]

logger = logging.getLogger(__name__)

#: Families tried in order (Linux, Windows, macOS names).
CJK_FONTS = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Heiti SC", "Hiragino Sans GB", "AR PL UMing CN", "Droid Sans Fallback",
)
_found: str | None | bool = False


def cjk_font() -> str | None:
    """Return the first installed CJK font family, or ``None`` (cached)."""
    global _found
    if _found is False:
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        _found = next((name for name in CJK_FONTS if name in installed), None)
    return _found  # type: ignore[return-value]


def setup_cjk_font() -> str | None:
    """Put a CJK font first in ``rcParams["font.sans-serif"]``; return it or ``None``.

    When ``None``, label maps with ``name_en`` instead of ``name_zh``.
    """
    import matplotlib

    name = cjk_font()
    if name is None:
        logger.warning("no CJK font found; map labels fall back to English names")
        return None
    fonts = [name] + [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.sans-serif"] = fonts
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
