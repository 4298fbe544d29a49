"""Find a CJK font for matplotlib so Chinese labels do not render as boxes.

Used by the PDF report (core) and the desktop app's map canvas.  When no CJK
font is installed, callers label maps with ``name_en`` and say so once.
"""

from __future__ import annotations

import logging
from functools import lru_cache

__all__ = ["CJK_FONTS", "find_cjk_font", "setup_cjk_font"]

logger = logging.getLogger(__name__)

#: Families tried in order (Linux, Windows, macOS names).
CJK_FONTS = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Heiti SC", "Hiragino Sans GB", "AR PL UMing CN", "Droid Sans Fallback",
)


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """Return the family name of an installed CJK font matplotlib can use, or ``None``.

    Tries the families of :data:`CJK_FONTS` in order, then any installed
    family whose name suggests a CJK font.  The answer is cached.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    for name in sorted(installed):
        if any(k in name for k in ("CJK", "Han Sans", "Hei", "Song", "Ming")):
            return name
    return None


def setup_cjk_font() -> str | None:
    """Put a CJK font first in ``rcParams["font.sans-serif"]``; return it or ``None``."""
    import matplotlib

    name = find_cjk_font()
    if name is None:
        logger.warning("no CJK font found; map labels fall back to English names")
        return None
    fonts = [name] + [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.sans-serif"] = fonts
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
