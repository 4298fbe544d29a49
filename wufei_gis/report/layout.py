"""Page layout of the PDF report (reportlab platypus).

:func:`build_pdf` turns the blocks of :mod:`wufei_gis.report.content` into
flowables on landscape A4 pages: paragraphs that wrap Chinese and Latin text,
tables whose rows continue on the next page under the repeated header row and
a "(continued)" title, and map images scaled to the frame.  Every page has a
running header and a "page i of n" footer.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable

from .content import Block, Figure, Table, Text
from .pdffont import ReportFonts

__all__ = ["PAGE_SIZE", "Page", "build_pdf"]

PAGE_SIZE = landscape(A4)
_MARGIN = 14 * mm
_GAP = 4
#: A difference table with at most this many rows is printed beside its map.
_SIDE_ROWS = 22
_HEADER_BG = colors.HexColor("#e8e8e8")
_RULE = colors.HexColor("#bbbbbb")
_GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class Page:
    """What every page shows besides its content: running header and page label.

    ``label(i, n)`` returns the footer of page ``i`` of ``n``.
    """

    header: str
    label: Callable[[int, int], str]


class _Styles:
    """Paragraph styles of the report, in the report's fonts."""

    def __init__(self, fonts: ReportFonts, *, cjk_wrap: bool) -> None:
        self.fonts = fonts
        wrap = "CJK" if cjk_wrap else None
        base = {"fontName": fonts.text, "wordWrap": wrap}
        self.by_name = {
            "title": ParagraphStyle(
                "title",
                **base,
                fontSize=22,
                leading=30,
                alignment=TA_CENTER,
                spaceBefore=50,
                spaceAfter=6,
            ),
            "subtitle": ParagraphStyle(
                "subtitle", **base, fontSize=15, leading=20, alignment=TA_CENTER, spaceAfter=24
            ),
            "heading": ParagraphStyle(
                "heading",
                **base,
                fontSize=13,
                leading=17,
                spaceBefore=8,
                spaceAfter=4,
                textColor=colors.black,
            ),
            "body": ParagraphStyle("body", **base, fontSize=10.5, leading=15, spaceAfter=3),
            "small": ParagraphStyle(
                "small",
                **base,
                fontSize=8.5,
                leading=12,
                spaceAfter=3,
                textColor=colors.HexColor("#333333"),
            ),
            "warning": ParagraphStyle(
                "warning",
                **base,
                fontSize=10,
                leading=14,
                spaceBefore=10,
                textColor=colors.HexColor("#b00000"),
            ),
        }
        self._cells: dict[tuple[float, str, bool], ParagraphStyle] = {}

    def get(self, name: str, indent: int = 0) -> ParagraphStyle:
        style = self.by_name[name]
        if not indent:
            return style
        return ParagraphStyle(f"{name}-{indent}", parent=style, leftIndent=14 * indent)

    def cell(self, size: float, align: str, *, bold: bool = False) -> ParagraphStyle:
        key = (size, align, bold)
        if key not in self._cells:
            self._cells[key] = ParagraphStyle(
                f"cell-{size}-{align}-{bold}",
                fontName=self.fonts.bold if bold else self.fonts.text,
                fontSize=size,
                leading=size * 1.25,
                wordWrap=self.by_name["body"].wordWrap,
                alignment=TA_RIGHT if align == "r" else 0,
            )
        return self._cells[key]

    def markup(self, text: str) -> str:
        """Escape ``text`` for a paragraph; characters the CJK font lacks use the latin font."""
        cmap = self.fonts.cmap
        out: list[str] = []
        run, run_latin = "", False
        for ch in text:
            latin = bool(cmap) and ord(ch) not in cmap and ch != "\n"
            if latin != run_latin and run:
                out.append(self._run(run, run_latin))
                run = ""
            run, run_latin = run + ch, latin
        if run:
            out.append(self._run(run, run_latin))
        return "".join(out)

    def _run(self, run: str, latin: bool) -> str:
        text = escape(run).replace("\n", "<br/>")
        return f'<font face="{self.fonts.latin}">{text}</font>' if latin else text

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(self.markup(text), style)


class _Captioned(Flowable):  # type: ignore[misc]  # reportlab ships no types: Flowable is Any
    """A table under its caption; the rows that do not fit continue under ``continued``."""

    def __init__(
        self, caption: Flowable, table: RLTable, continued: Callable[[], Flowable]
    ) -> None:
        super().__init__()
        self.caption = caption
        self.table = table
        self.continued = continued
        self._caption_h = 0.0
        self._table_h = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, self._caption_h = self.caption.wrap(availWidth, availHeight)
        _, self._table_h = self.table.wrap(availWidth, availHeight)
        self.width = availWidth
        self.height = self._caption_h + _GAP + self._table_h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        _, caption_h = self.caption.wrap(availWidth, availHeight)
        parts = self.table.split(availWidth, availHeight - caption_h - _GAP)
        if not parts:
            return []  # not even the header and one row fit: all of it on the next page
        head: list[Flowable] = [self.caption, Spacer(1, _GAP), parts[0]]
        if len(parts) == 1:
            return head
        return head + [_Captioned(self.continued(), parts[1], self.continued)]

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)
        self.caption.drawOn(self.canv, 0, self._table_h + _GAP)


def _table(block: Table, styles: _Styles, width: float) -> RLTable:
    cols = block.columns
    total = sum(c.width for c in cols)
    widths = [c.width / total * width for c in cols]
    size = block.font_size
    data: list[list[Any]] = [
        [styles.para(c.header, styles.cell(size, c.align, bold=True)) for c in cols]
    ]
    last = len(block.rows) - 1
    for i, row in enumerate(block.rows):
        bold = block.total_row and i == last
        data.append(
            [
                styles.para(v, styles.cell(size, c.align, bold=bold))
                for v, c in zip(row, cols, strict=True)
            ]
        )
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, _RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if block.total_row and block.rows:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    return RLTable(
        data, colWidths=widths, repeatRows=1, splitInRow=1, style=commands, hAlign="LEFT"
    )


def _captioned(block: Table, styles: _Styles, width: float, continued: str) -> Flowable:
    heading = styles.get("heading")
    caption = block.title
    if block.note:
        caption += "\n" + block.note
    return _Captioned(
        styles.para(caption, heading),
        _table(block, styles, width),
        lambda: styles.para(block.title + continued, heading),
    )


def _figure(
    block: Figure, styles: _Styles, frame: tuple[float, float], continued: str
) -> list[Flowable]:
    title = styles.para(block.title, styles.get("heading"))
    avail_w, avail_h = frame[0], frame[1] - 30
    side = block.side is not None and len(block.side.rows) <= _SIDE_ROWS
    image_w = avail_w * (0.62 if side else 1.0)
    scale = min(image_w / (block.width * inch), avail_h / (block.height * inch))
    image = Image(
        io.BytesIO(block.image),
        width=block.width * inch * scale,
        height=block.height * inch * scale,
    )
    if block.side is None:
        return [KeepTogether([title, image])]
    if not side:
        return [KeepTogether([title, image]), _captioned(block.side, styles, avail_w, continued)]
    table_w = avail_w - image.drawWidth - 12
    inner = _captioned(block.side, styles, table_w, continued)
    outer = RLTable(
        [[image, inner]],
        colWidths=[image.drawWidth + 12, table_w],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
        hAlign="LEFT",
    )
    return [title, outer]


def _story(
    blocks: Sequence[Block], styles: _Styles, frame: tuple[float, float], continued: str
) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Text):
            story.append(styles.para(block.text, styles.get(block.style, block.indent)))
            continue
        if block.new_page and story:
            story.append(PageBreak())
        elif story:
            story.append(Spacer(1, 10))
        if isinstance(block, Table):
            story.append(_captioned(block, styles, frame[0], continued))
        else:
            story += _figure(block, styles, frame, continued)
    return story


def _canvas_class(page: Page, fonts: ReportFonts, counter: list[int]) -> type[Canvas]:
    """A canvas that knows the page count when it saves (for "page i of n")."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no types: Canvas is Any
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            n = len(self._pages)
            counter.append(n)
            for i, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(i, n)
                super().showPage()
            super().save()

        def _decorate(self, i: int, n: int) -> None:
            w, h = self._pagesize
            self.saveState()
            self.setFillColor(_GREY)
            self.setStrokeColor(_RULE)
            self.setLineWidth(0.4)
            self.line(_MARGIN, h - _MARGIN + 2, w - _MARGIN, h - _MARGIN + 2)
            self.setFont(fonts.text, 7.5)
            self.drawString(_MARGIN, h - _MARGIN + 5, page.header)
            self.drawRightString(w - _MARGIN, _MARGIN - 12, page.label(i, n))
            self.restoreState()

    return NumberedCanvas


def build_pdf(
    blocks: Sequence[Block],
    path: str | Path,
    *,
    fonts: ReportFonts,
    page: Page,
    continued: str,
    metadata: dict[str, str],
    cjk_wrap: bool = True,
) -> int:
    """Lay ``blocks`` out on landscape A4 pages and write the PDF to ``path``.

    Parameters
    ----------
    blocks
        The report content, in order.
    path
        The PDF file to write.
    fonts
        The registered fonts (:func:`wufei_gis.report.pdffont.register_fonts`).
    page
        Running header and footer.
    continued
        Appended to a table's title where its rows continue on a new page.
    metadata
        ``title``, ``subject``, ``author``, ``creator``, ``keywords`` of the PDF.
    cjk_wrap
        Break lines between any two characters (Chinese text) rather than at spaces only.

    Returns
    -------
    int
        The number of pages.
    """
    styles = _Styles(fonts, cjk_wrap=cjk_wrap)
    doc = BaseDocTemplate(
        str(path),
        pagesize=PAGE_SIZE,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN + 4,
        bottomMargin=_MARGIN,
        **metadata,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    counter: list[int] = []
    story = _story(blocks, styles, (doc.width, doc.height), continued)
    doc.build(story, canvasmaker=_canvas_class(page, fonts, counter))
    return counter[-1] if counter else 0
