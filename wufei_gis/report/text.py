"""Words and numbers of the PDF report: the zh/en label tables and number formats.

Everything the report prints that is not data comes from :data:`TEXT` (section
titles, column headers, legend entries) and the small name tables for facility
types, statuses and location precision.  Numbers are formatted by :func:`fmt`
with thousands separators and fixed decimals (``1,290.96``, ``65.0 %``) so they
survive PDF text extraction.  :class:`Words` binds a language and the font
situation: without a CJK font every Chinese character is replaced by ``?``.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from ..labels import LABELS, LANGUAGES, label, unit_label, value_label

__all__ = [
    "TEXT",
    "Words",
    "strip_cjk",
]

#: Report text in Chinese and English: a view of the ``report.*`` keys of :mod:`wufei_gis.labels`.
TEXT: dict[str, dict[str, str]] = {
    lang: {key[len("report.") :]: label(key, lang) for key in LABELS if key.startswith("report.")}
    for lang in LANGUAGES
}


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def strip_cjk(text: str) -> str:
    """Replace every wide (CJK) character of ``text`` by ``?``."""
    return "".join("?" if _is_cjk(c) else c for c in text)


class Words:
    """The report's language and font situation.

    Parameters
    ----------
    lang
        ``{"zh", "en"}``.
    cjk
        A CJK font is available; without one, :meth:`s` replaces Chinese
        characters by ``?`` and names come from the English name columns.
    """

    def __init__(self, lang: str, *, cjk: bool) -> None:
        self.lang = lang
        self.cjk = cjk

    def t(self, key: str, **kw: Any) -> str:
        """Return the report text ``key`` in the report language, formatted with ``kw``."""
        return TEXT[self.lang][key].format(**kw)

    @property
    def name_col(self) -> str:
        """County/facility name column for tables: Chinese names in Chinese reports."""
        return "name_zh" if self.lang == "zh" and self.cjk else "name_en"

    def s(self, text: Any) -> str:
        """Return ``text`` as printable text (``None``/NaN → empty; CJK stripped without a font)."""
        if text is None or (isinstance(text, float) and math.isnan(text)):
            return ""
        return str(text) if self.cjk else strip_cjk(str(text))

    def type_name(self, kind: Any) -> str:
        """Return the display name of a facility type."""
        return self._value("type", kind)

    def status_name(self, status: Any) -> str:
        """Return the display name of a facility status."""
        return self._value("st", status)

    def precision_name(self, precision: Any) -> str:
        """Return the display name of a location precision."""
        return self._value("precision", precision)

    def unit(self, unit: str) -> str:
        """Return a unit as printed in the KPI table."""
        return unit_label(unit, self.lang) if unit else ""

    def _value(self, kind: str, code: Any) -> str:
        """The label of a stored code (from :mod:`wufei_gis.labels`), else the code as text."""
        text = value_label(kind, code, self.lang)
        return self.s(text) if text == str(code) else text
