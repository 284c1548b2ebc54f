"""``reports/<period>/thong-bao.docx``: a Word draft of the district notice, so that the officer
starts from a document in which section 2 is already written.

The layout is that of an administrative document under Nghị định 30/2020/NĐ-CP (Phụ lục I): the
issuing body and the national motto side by side, the number and the date as blanks to fill in,
the kind of document and its summary (trích yếu) centred, the body in Times New Roman 14 on A4
with the margins the decree gives, then the recipients (nơi nhận) and the signature block. Section 2
is the narrative of :func:`.notice.narrative` and the main table of the report (projects,
sub-projects and lines with a "Tổng cộng" row); the other sections are placeholders marked in
yellow. Every word comes from ``data/thong_bao_<lang>.txt`` and ``data/labels.csv``; the figures
are the report's, from :mod:`mtqg_analysis.analysis`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import analysis as an
from ..domain import resources
from ..domain.labels import check_lang, label
from ..domain.periods import label as period_label
from .format import cell_text, column_kind, header, short_line_name
from .headline import programme_name
from .notice import narrative, parse_templates

FONT = "Times New Roman"
BODY_PT, TABLE_PT, RECIPIENTS_PT = 14, 11, 11
TABLE_COLUMNS = ["name", "measure_unit", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd", "financial_rate"]
TABLE_WIDTHS_CM = [5.2, 1.5, 1.5, 1.5, 2.2, 2.3, 1.8]
_PLACEHOLDER = re.compile(r"(\[[^\]]+\])")


@lru_cache(maxsize=None)
def wording(lang: str = "vi") -> dict[str, dict[str, str]]:
    """The draft's wording in ``lang`` (``data/thong_bao_<lang>.txt``)."""
    return parse_templates(resources.read_text(f"thong_bao_{check_lang(lang)}.txt"))


@dataclass
class Paragraph:
    """A paragraph of the narrative: its runs ``(text, bold, italic)`` and its list marker."""

    runs: list[tuple[str, bool, bool]] = field(default_factory=list)
    marker: str = ""  # "", "-" or "+" (the notice's own markers), "*" for a project heading

    @property
    def text(self) -> str:
        return "".join(text for text, _bold, _italic in self.runs)


def paragraphs(markdown: str) -> list[Paragraph]:
    """The narrative's markdown as paragraphs with bold and italic runs (markdown-it's parser)."""
    from markdown_it import MarkdownIt

    out: list[Paragraph] = []
    markers: list[str] = []
    for token in MarkdownIt().parse(markdown):
        if token.type == "bullet_list_open":
            markers.append(token.markup)
        elif token.type == "bullet_list_close":
            markers.pop()
        elif token.type == "inline":
            paragraph = Paragraph(marker=markers[-1] if markers else "")
            bold = italic = False
            for child in token.children or []:
                if child.type == "strong_open":
                    bold = True
                elif child.type == "strong_close":
                    bold = False
                elif child.type == "em_open":
                    italic = True
                elif child.type == "em_close":
                    italic = False
                elif child.type in ("text", "code_inline"):
                    paragraph.runs.append((child.content, bold, italic))
                elif child.type in ("softbreak", "hardbreak"):
                    paragraph.runs.append((" ", bold, italic))
            out.append(paragraph)
    return out


def plain_text(paragraph: Paragraph) -> str:
    """A paragraph as the notice writes it: "- " or "+ " before a line, nothing before a heading."""
    prefix = f"{paragraph.marker} " if paragraph.marker in ("-", "+") else ""
    return prefix + paragraph.text


def _fonts(run, size: float | None = None, bold: bool | None = None, italic: bool | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    return run


def _add_text(paragraph, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False):
    """Text with its [placeholders] highlighted in yellow."""
    from docx.enum.text import WD_COLOR_INDEX

    for piece in _PLACEHOLDER.split(text):
        if not piece:
            continue
        run = _fonts(paragraph.add_run(piece), size, bold, italic)
        if _PLACEHOLDER.fullmatch(piece):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


def _paragraph(container, text: str = "", size: float = BODY_PT, bold: bool = False, italic: bool = False,
               align: str = "justify", indent: bool = False, after: float = 6):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(after), 1.1
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        _add_text(paragraph, text, size, bold, italic)
    return paragraph


def _borderless(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell(table, row: int, column: int):
    cell = table.cell(row, column)
    cell.paragraphs[0].text = ""
    return cell


def _rule(container, indent_cm: float) -> None:
    """The short line under the issuing body, the motto and the summary: an empty paragraph with a
    bottom border, indented ``indent_cm`` on both sides so that the line is short and centred."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph = _paragraph(container, align="center", after=4)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(indent_cm)
    _fonts(paragraph.add_run(""), 2)
    paragraph.paragraph_format.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's: set both)."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _header(document, words: dict, values: dict) -> None:

    table = document.add_table(rows=2, cols=2)
    _borderless(table)
    _widths(table, [6.0, 10.5])
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    head = words["header"]
    left.paragraphs[0].alignment = right.paragraphs[0].alignment = 1  # centre
    _add_text(left.paragraphs[0], head["issuer_1"].format(**values), 13)
    _paragraph(left, head["issuer_2"].format(**values), 13, bold=True, align="center", after=0)
    _rule(left, 1.9)
    _add_text(right.paragraphs[0], head["motto_1"].format(**values), 12.5, bold=True)
    _paragraph(right, head["motto_2"].format(**values), 13.5, bold=True, align="center", after=0)
    _rule(right, 2.4)
    number, date = _cell(table, 1, 0), _cell(table, 1, 1)
    number.paragraphs[0].alignment = date.paragraphs[0].alignment = 1
    _add_text(number.paragraphs[0], head["number"].format(**values), 13)
    _add_text(date.paragraphs[0], head["date"].format(**values), 13.5, italic=True)
    _paragraph(document, "", after=6)
    _paragraph(document, head["kind"].format(**values), 14, bold=True, align="center", after=0)
    _paragraph(document, head["subject"].format(**values), 14, bold=True, align="center", after=0)
    _rule(document, 6.5)
    _paragraph(document, "", after=6)


def _main_table(document, year, lang: str) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    tree = an.by_tree(year.funding, year.catalog, lang)
    tree["name"] = [short_line_name(c, year.catalog, lang) for c in tree["code"]]
    table = document.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, column in enumerate(TABLE_COLUMNS):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_text(cell.paragraphs[0], header(column, lang), TABLE_PT, bold=True)
    _repeat_header(table.rows[0])
    total = dict(an.total(year.funding))
    rows = [({**total, "name": label("text.total", lang)}, "total")]
    rows += [(dict(r), level) for r, level in zip(tree.to_dict("records"), tree["level"])]
    for values, level in rows:
        cells = table.add_row().cells
        for i, column in enumerate(TABLE_COLUMNS):
            kind = column_kind(column)
            text = cell_text(values.get(column), kind, lang)
            if column == "measure_unit" and level == "total":
                text = ""
            paragraph = cells[i].paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if kind == "text" else WD_ALIGN_PARAGRAPH.RIGHT
            _add_text(paragraph, text, TABLE_PT, bold=level in ("total", "project"),
                      italic=level == "subproject" and column == "name")
    _widths(table, TABLE_WIDTHS_CM)
    for row in table.rows[1:]:
        _row_flag(row, "w:cantSplit")


def _row_flag(row, name: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _repeat_header(row) -> None:
    """The header row is repeated on every page the table runs over."""
    _row_flag(row, "w:tblHeader")


def _signature(document, words: dict, values: dict) -> None:

    sign = words["signature"]
    _paragraph(document, "", after=6)
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    _widths(table, [8.0, 8.5])
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _add_text(left.paragraphs[0], sign["recipients_title"], 12, bold=True, italic=True)
    for line in sign["recipients"].split("|"):
        _paragraph(left, line.format(**values), RECIPIENTS_PT, align="left", after=0)
    right.paragraphs[0].alignment = 1
    _add_text(right.paragraphs[0], sign["authority"].format(**values), 14, bold=True)
    _paragraph(right, sign["position"].format(**values), 14, bold=True, align="center", after=60)
    _paragraph(right, sign["signer"].format(**values), 14, bold=True, align="center", after=0)


def place_values(place: dict | None, period, lang: str) -> dict:
    """The place's and the period's words for the templates."""
    name = (place or {}).get("name", "")
    kind_word = name.split(" ", 1)[0] if " " in name else ""
    short = name[len(kind_word):].strip() if kind_word and kind_word.lower() in ("huyện", "tỉnh", "thành") else name
    return {"place": name, "place_upper": name.upper(), "place_lower": name[:1].lower() + name[1:],
            "place_short": short, "label": period_label(period, lang), "year": period.year}


def notice_document(year, lang: str = "vi"):
    """The Word draft (a python-docx ``Document``) of the notice for ``year`` (a loaded
    :class:`mtqg_analysis.store.YearData`); the caller saves it (atomically)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    words = wording(lang)
    place = an.place_of(year.funding, year.units)
    values = place_values(place, year.period, lang)
    values["programme"] = programme_name(year.catalog, lang)
    values["issuer"] = words["body"]["issuer"].format(**values)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    document.core_properties.title = words["header"]["subject"].format(**values)
    document.core_properties.language = lang

    _header(document, words, values)
    body = words["body"]
    _paragraph(document, body["intro"].format(**values), indent=True)
    _paragraph(document, body["s1"].format(**values), bold=True, indent=True)
    _paragraph(document, body["placeholder"], indent=True)
    _paragraph(document, body["s2"].format(**values), bold=True, indent=True)
    text = narrative(year.funding, year.period, previous=year.previous, units=year.units, catalog=year.catalog,
                     lang=lang, heading=False)
    for paragraph in paragraphs(text):
        out = _paragraph(document, indent=True)
        if paragraph.marker in ("-", "+"):
            _add_text(out, f"{paragraph.marker} ")
        for run_text, bold, italic in paragraph.runs:
            _add_text(out, run_text, bold=bold, italic=italic)
    _paragraph(document, body["table"].format(**values), 13, italic=True, indent=True) \
        .paragraph_format.keep_with_next = True
    _main_table(document, year, lang)
    _paragraph(document, "", after=6)
    for key in ("s3", "s3_1", "s3_2", "s4"):
        _paragraph(document, body[key].format(**values), bold=True, indent=True)
        if key != "s3":
            _paragraph(document, body["placeholder"], indent=True)
    _paragraph(document, body["closing"].format(**values), indent=True)
    _signature(document, words, values)
    return document
