"""The CJK font every map, report and widget draws Chinese names with.

wufei-gis carries its own font: the OFL-licensed *Noto Sans CJK SC* that the
``mplfonts`` wheel installs from PyPI.  :func:`find_cjk_font` registers that
file with matplotlib (``font_manager.fontManager.addfont``) the first time a
map is drawn, so Chinese labels render on a machine with no system CJK font,
no fontconfig set-up and nothing from apt.  The desktop app registers the same
file with Qt (:mod:`wufei_gis.ui.fonts`).

The bundled font is preferred over any system font, so a map looks the same
on every machine.  Only when the bundled file is missing (a stripped install)
are the system families of :data:`CJK_FONTS` tried; when none is found either,
callers label maps with ``name_en`` and say so once.
"""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

__all__ = [
    "BUNDLED_FONT",
    "CJK_FONTS",
    "cjk_font_path",
    "find_cjk_font",
    "missing_glyphs",
    "setup_cjk_font",
]

logger = logging.getLogger(__name__)

#: ``(package, file inside it)`` of the CJK font installed with wufei-gis.
BUNDLED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")

#: System families tried when the bundled font is missing (Linux, Windows, macOS names).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


def _bundled_font_file() -> Path | None:
    """Return the bundled font file, or ``None`` if its package is not installed.

    The package is located without importing it (``find_spec`` runs no code).
    """
    package, relative = BUNDLED_FONT
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / relative
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def _chosen_font() -> tuple[str, Path] | None:
    """Register and return ``(family, file)`` of the CJK font to use, or ``None``."""
    from matplotlib import font_manager

    bundled = _bundled_font_file()
    if bundled is not None:
        font_manager.fontManager.addfont(str(bundled))
        family = font_manager.FontProperties(fname=str(bundled)).get_name()
        return family, bundled
    by_name = {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in by_name:
            return name, by_name[name]
    for name in sorted(by_name):
        if any(k in name for k in ("CJK", "Han Sans", "Hei", "Song", "Ming")):
            return name, by_name[name]
    return None


def find_cjk_font() -> str | None:
    """Return the family name of the CJK font matplotlib draws with, or ``None``.

    The first call registers the bundled font with matplotlib; the answer is cached.
    """
    chosen = _chosen_font()
    return None if chosen is None else chosen[0]


def cjk_font_path() -> Path | None:
    """Return the file of the font :func:`find_cjk_font` chose (for Qt), or ``None``."""
    chosen = _chosen_font()
    return None if chosen is None else chosen[1]


def missing_glyphs(text: str, path: str | Path | None = None) -> set[str]:
    """Return the characters of ``text`` that the font file has no glyph for.

    Parameters
    ----------
    text
        Any text, e.g. every county name of a project.
    path
        A font file; default the chosen CJK font.  With no font at all every
        non-ASCII character counts as missing.

    Returns
    -------
    set of str
        Characters not in the font's character map (white space is ignored).
    """
    from fontTools.ttLib import TTFont

    path = cjk_font_path() if path is None else Path(path)
    wanted = {c for c in text if not c.isspace()}
    if path is None:
        return {c for c in wanted if ord(c) > 127}
    with TTFont(str(path), fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return {c for c in wanted if ord(c) not in cmap}


def setup_cjk_font() -> str | None:
    """Put the CJK font first in ``rcParams["font.sans-serif"]``; return it or ``None``."""
    import matplotlib

    name = find_cjk_font()
    if name is None:
        logger.warning(
            "no CJK font found; map labels fall back to English names "
            "(reinstall wufei-gis to get its bundled font)"
        )
        return None
    fonts = [name] + [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.sans-serif"] = fonts
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
