"""Fonts of the PDF report: the CJK font as an embeddable TrueType subset.

reportlab embeds only TrueType-outline fonts, and the bundled *Noto Sans CJK
SC* (:func:`wufei_gis.fonts.cjk_font_path`) is an OpenType font with CFF
(PostScript) outlines.  :func:`cjk_truetype_subset` therefore subsets it to the
characters a report uses (fontTools ``subset``), converts the subset's cubic
CFF outlines to quadratic TrueType ``glyf`` outlines (``cu2qu``, as fontTools'
``otf2ttf`` does), and caches the result in the user cache folder under a hash
of the font file and the characters; a few hundred characters take well under
a second.  A font that already has TrueType outlines is only subset.

:func:`register_fonts` registers that subset with reportlab as the report's
text font.  Latin text, and characters the CJK font lacks, use *DejaVu Sans*,
which ships with matplotlib as TrueType; without a CJK font the whole report
is set in DejaVu Sans.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_file

if TYPE_CHECKING:  # pragma: no cover
    from fontTools.ttLib import TTFont

__all__ = ["ReportFonts", "cjk_truetype_subset", "register_fonts", "user_cache_dir"]

logger = logging.getLogger(__name__)

#: Bumped when the conversion changes, so older cached subsets are not reused.
_CONVERSION_VERSION = "2"
#: Maximum deviation of the quadratic outlines, in font units (1000 per em).
_MAX_ERR = 1.0
#: Always in the subset: printable ASCII and the punctuation the report uses.
_BASE_CHARS = "".join(map(chr, range(32, 127))) + "–—−…·•×Δ±°：，、。（）％"


def user_cache_dir() -> Path:
    """Return the per-user cache folder of wufei-gis (not created here).

    ``%LOCALAPPDATA%\\wufei-gis\\Cache`` on Windows, ``~/Library/Caches/wufei-gis``
    on macOS, ``$XDG_CACHE_HOME/wufei-gis`` (default ``~/.cache/wufei-gis``) elsewhere.
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "wufei-gis" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "wufei-gis"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wufei-gis"


def _cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF outlines of a fontTools ``TTFont`` by TrueType ones, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise, TrueType contours clockwise
        glyph_set[name].draw(Cu2QuPen(pen, _MAX_ERR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont, suffix: str) -> None:
    """Make the PostScript name unique: reportlab shares one font object per PostScript name."""
    name = font["name"]
    ps = name.getDebugName(6) or "WufeiCJK"
    name.setName(f"{ps.replace('-', '')}-{suffix}", 6, 3, 1, 0x409)
    name.setName(f"{ps.replace('-', '')}-{suffix}", 6, 1, 0, 0)


def _convert(source: Path, chars: str, *, suffix: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []  # reportlab does no shaping
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    with TTFont(str(source), fontNumber=0, lazy=True) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        if "CFF " in font:
            _cff_to_glyf(font)
        _rename(font, suffix)
        buf = io.BytesIO()
        font.save(buf)
    return buf.getvalue()


def cjk_truetype_subset(
    source: str | Path, text: str, *, cache_dir: str | Path | None = None
) -> Path:
    """Return a TrueType font file with the glyphs of ``text`` from ``source``.

    Parameters
    ----------
    source
        An OpenType font (CFF or TrueType outlines), e.g. the bundled Noto Sans CJK SC.
    text
        Every text the PDF will show; printable ASCII is always included.
    cache_dir
        Where converted subsets are kept (default :func:`user_cache_dir` ``/fonts``);
        when it cannot be written, a temporary folder is used instead.

    Returns
    -------
    Path
        The cached ``.ttf`` file, named by a hash of the source file and the characters.
    """
    source = Path(source)
    chars = "".join(sorted(set(text + _BASE_CHARS) - set("\n\r\t")))
    stat = source.stat()
    key = hashlib.sha256(
        "\0".join(
            [_CONVERSION_VERSION, source.name, str(stat.st_size), str(stat.st_mtime_ns), chars]
        ).encode()
    ).hexdigest()[:24]
    folder = Path(cache_dir) if cache_dir is not None else user_cache_dir() / "fonts"
    target = folder / f"{source.stem}-{key}.ttf"
    if target.is_file():
        return target
    data = _convert(source, chars, suffix=key[:12])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="wufei-fonts-"))
        target = folder / target.name
    with atomic_file(target) as tmp:
        tmp.write_bytes(data)
    logger.debug("converted %d characters of %s to %s", len(chars), source.name, target)
    return target


@dataclass(frozen=True)
class ReportFonts:
    """reportlab font names: ``text`` for everything, ``bold`` for emphasis, ``latin`` fallback.

    ``cmap`` holds the code points ``text`` has glyphs for (empty: ``text`` is ``latin``).
    """

    text: str
    bold: str
    latin: str
    cmap: frozenset[int]


def _dejavu(bold: bool) -> Path:
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def register_fonts(text: str, *, cjk_font: str | Path | None) -> ReportFonts:
    """Register the report's fonts with reportlab and return their names.

    Parameters
    ----------
    text
        Every text the report shows (the CJK subset is made for it).
    cjk_font
        The CJK font file (:func:`wufei_gis.fonts.cjk_font_path`), or ``None``.
    """
    from fontTools.ttLib import TTFont as FTFont
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WufeiLatin", str(_dejavu(False))))
    pdfmetrics.registerFont(TTFont("WufeiLatin-Bold", str(_dejavu(True))))
    addMapping("WufeiLatin", 0, 0, "WufeiLatin")
    addMapping("WufeiLatin", 1, 0, "WufeiLatin-Bold")
    if cjk_font is None:
        return ReportFonts("WufeiLatin", "WufeiLatin-Bold", "WufeiLatin", frozenset())
    subset = cjk_truetype_subset(cjk_font, text)
    with FTFont(str(subset), lazy=True) as f:
        cmap = frozenset((f.getBestCmap() or {}).keys())
    # one name per subset: reportlab keeps registered fonts for the whole process
    name = f"WufeiCJK-{subset.stem[-12:]}"
    pdfmetrics.registerFont(TTFont(name, str(subset)))
    addMapping(name, 0, 0, name)
    addMapping(name, 1, 0, name)  # the CJK font has no bold face
    return ReportFonts(name, name, "WufeiLatin", cmap)
