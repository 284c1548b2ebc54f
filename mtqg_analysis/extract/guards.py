"""Protective checks before a raw file is opened (docs/robustness.md).

The readers trust their input: a renamed .xls, a password-protected file, a zip bomb or a sheet with
a cell at XFD1048576 gives a cryptic exception, or takes all the memory of the district office's
laptop. These checks look at the file cheaply first (its first bytes, the zip central directory,
a streamed scan of the sheet XML, never extracting to disk) and refuse what cannot be a commune
report, with a message a district officer can act on.

- :func:`check_raw_file`: for every file found under ``data/raw/<period>/``: regular file, not a
  link leading outside the raw folder, not larger than :data:`MAX_FILE_BYTES`, readable.
- :func:`workbook_kind`: "xlsx", "xls" or "ods" by the file's first bytes and zip members, not
  its name; empty, encrypted and other files are refused here.
- :func:`check_xlsx`: for .xlsx/.xlsm, before openpyxl: a zip (not another format), not a zip
  bomb, every sheet within :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_CELLS`, all sheets
  together within :data:`MAX_WORKBOOK_CELLS`; :func:`check_ods` the same checks for .ods;
  :func:`check_cells` the workbook bound for the readers that count cells as they load sheets.

All raise :class:`~mtqg_analysis.errors.NotReadable` naming the file (and the sheet): the file is
then a ``file_not_read`` finding and the run goes on without it (spec §2).
"""
from __future__ import annotations

import os
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from ..errors import NotReadable, Phrase

MAX_FILE_BYTES = 50 * 1024 * 1024  # a commune workbook is < 1 MB; a whole province < 20 MB
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # sum over the zip members, as declared
MAX_RATIO = 100  # compression ratio refused for a member above RATIO_MIN_BYTES uncompressed
RATIO_MIN_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_ROWS = 100_000  # rows of one sheet (row elements, or row numbers of cells)
MAX_COLUMNS = 2_000  # columns of one sheet (column letters of cells, or cells in a row)
MAX_CELLS = 1_000_000  # cell elements of one sheet: openpyxl keeps each as a Python object
# Cells of all sheets of one workbook together: every reader holds a whole workbook (openpyxl) or
# a whole sheet (xlrd, calamine) as Python objects, so the bound that keeps memory under
# docs/robustness.md's figure is on the workbook, not the sheet (a province's workbook is ~200,000).
MAX_WORKBOOK_CELLS = 1_000_000

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


# --- any raw file -----------------------------------------------------------------------------------
def check_raw_file(path: str | Path, raw_root: str | Path) -> None:
    """Refuse a raw file that is a link outside ``raw_root``, not a regular file, or too large."""
    path, raw_root = Path(path), Path(raw_root)
    display = _display(path, raw_root)
    root = raw_root.resolve()
    if _is_link_anywhere(path, raw_root):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise NotReadable.of("file.broken_link", display, display=display,
                                 target=os.readlink(path) if path.is_symlink() else Phrase("phrase.broken_link")) \
                from None
        if not target.is_relative_to(root):
            raise NotReadable.of("file.link_outside", display, display=display, target=target)
    try:
        info = path.stat()
    except OSError as exc:
        raise NotReadable.of("file.cannot_stat", display, reason=exc.strerror) from None
    import stat

    if not stat.S_ISREG(info.st_mode):
        raise NotReadable.of("file.not_regular", display)
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise NotReadable.of("file.cannot_open", display, reason=exc.strerror) from None
    if info.st_size > MAX_FILE_BYTES:
        raise NotReadable.of("file.too_large_split", display, size_mb=info.st_size / 1048576,
                             limit_mb=MAX_FILE_BYTES // 1048576)


def _display(path: Path, raw_root: Path) -> str:
    try:
        return path.relative_to(raw_root).as_posix()
    except ValueError:
        return path.name


def _is_link_anywhere(path: Path, raw_root: Path) -> bool:
    """Whether ``path`` or a folder between ``raw_root`` and it is a symbolic link."""
    current = path
    while True:
        if current.is_symlink():
            return True
        if current == raw_root or current.parent == current:
            return False
        current = current.parent


# --- workbooks ---------------------------------------------------------------------------------------
def workbook_kind(path: str | Path, display_name: str) -> str:
    """"xlsx", "xls" or "ods", by the file's content, not its name (a renamed .xls is read as the
    .xls it is); a file that is none of them, empty or encrypted is :class:`NotReadable`."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise NotReadable.of("file.empty", display_name)
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE2_SIGNATURE):
        if _ole_has_stream(path, "EncryptionInfo") or _ole_has_stream(path, "EncryptedPackage"):
            raise NotReadable.of("file.password", display_name)
        return "xls"
    if head.startswith(ZIP_SIGNATURES):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return "xlsx"  # check_xlsx names the damage
        if "mimetype" in names and "content.xml" in names and "xl/workbook.xml" not in names:
            return "ods"
        return "xlsx"
    todo = Phrase("todo.save_as_csv" if path.suffix.lower() == ".csv" else "todo.save_as_xlsx")
    raise NotReadable.of("file.not_workbook", display_name, format=_guess_format(path), todo=todo)


def check_cells(cells: int, display_name: str) -> None:
    """Refuse a workbook whose sheets hold more than :data:`MAX_WORKBOOK_CELLS` cells in all."""
    if cells > MAX_WORKBOOK_CELLS:
        raise NotReadable.of("workbook.too_many_cells", display_name, cells=cells, limit=MAX_WORKBOOK_CELLS)


def check_ods(path: str | Path, display_name: str) -> None:
    """Refuse, before it is opened, an .ods that is not a sane OpenDocument spreadsheet."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise NotReadable.of("ods.damaged", display_name) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise NotReadable.of("ods.too_many_parts", display_name, parts=len(members))
        if any(m.flag_bits & 0x1 for m in members) or "META-INF/manifest.xml" in archive.namelist() and \
                b"encryption-data" in archive.read("META-INF/manifest.xml"):
            raise NotReadable.of("file.password_ods", display_name)
        total = sum(m.file_size for m in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise NotReadable.of("ods.too_large", display_name, size_mb=total / 1048576,
                                 limit_mb=MAX_UNCOMPRESSED_BYTES // 1048576)
        try:
            _check_xml(archive, display_name)
            _check_ratio(archive, display_name)
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            raise NotReadable.of("ods.part_damaged", display_name) from None


def check_xlsx(path: str | Path, display_name: str) -> None:
    """Refuse, before openpyxl opens it, a workbook that is not a sane .xlsx/.xlsm."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise NotReadable.of("file.too_large", display_name, size_mb=size / 1048576, limit_mb=MAX_FILE_BYTES // 1048576)
    with open(path, "rb") as handle:
        head = handle.read(8)
    if size == 0:
        raise NotReadable.of("file.empty", display_name)
    if head.startswith(OLE2_SIGNATURE):
        if _ole_has_stream(path, "EncryptionInfo") or _ole_has_stream(path, "EncryptedPackage"):
            raise NotReadable.of("file.password", display_name)
        raise NotReadable.of("xlsx.is_xls", display_name)
    if not head.startswith(ZIP_SIGNATURES):
        raise NotReadable.of("xlsx.not_xlsx", display_name, format=_guess_format(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise NotReadable.of("xlsx.damaged", display_name) from None
    with archive:
        _check_members(archive, display_name)
        try:
            _check_xml(archive, display_name)
            _check_sheets(archive, display_name)
            _check_ratio(archive, display_name)
            if archive.testzip() is not None:  # every part unpacks and matches its checksum
                raise zipfile.BadZipFile
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            raise NotReadable.of("xlsx.part_damaged", display_name) from None


def _guess_format(path: Path) -> Phrase:
    with open(path, "rb") as handle:
        start = handle.read(2048)
    lowered = start.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lowered.startswith(b"%pdf"):
        return Phrase("format.pdf")
    if lowered.startswith((b"<html", b"<!doctype html", b"<table")) or b"<html" in lowered[:512]:
        return Phrase("format.html")
    if lowered.startswith(b"<?xml"):
        return Phrase("format.xml")
    if lowered.startswith((b"\xff\xfe", b"\xfe\xff")) or (start and b"\x00" not in start[:512]):
        return Phrase("format.text")
    return Phrase("format.other")


def _ole_has_stream(path: Path, name: str) -> bool:
    """Whether an OLE2 (compound) file names a stream ``name`` in its directory (UTF-16LE names)."""
    needle = name.encode("utf-16-le")
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
    return False


def _check_members(archive: zipfile.ZipFile, display: str) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise NotReadable.of("xlsx.too_many_parts", display, parts=len(members), limit=MAX_MEMBERS)
    names = {m.filename for m in members}
    if "mimetype" in names and any(n == "content.xml" for n in names):
        raise NotReadable.of("xlsx.is_ods", display)
    if "xl/workbook.xml" not in names:
        other = "office.word" if "word/document.xml" in names else \
            "office.powerpoint" if "ppt/presentation.xml" in names else "office.zip"
        raise NotReadable.of("xlsx.other_office", display, other=Phrase(other))
    if any(m.flag_bits & 0x1 for m in members):
        raise NotReadable.of("xlsx.encrypted", display)
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise NotReadable.of("xlsx.too_large", display, size_mb=total / 1048576,
                             limit_mb=MAX_UNCOMPRESSED_BYTES // 1048576)


def _check_ratio(archive: zipfile.ZipFile, display: str) -> None:
    """A part that unpacks more than MAX_RATIO times its packed size (checked after the sheet scan,
    which gives the more useful message for a sheet of empty rows)."""
    for member in archive.infolist():
        if member.file_size > RATIO_MIN_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise NotReadable.of("xlsx.zip_bomb", display, part=member.filename, size_mb=member.file_size / 1048576,
                                 packed_kb=member.compress_size / 1024, ratio=MAX_RATIO)


_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml(archive: zipfile.ZipFile, display: str) -> None:
    """Excel never writes DTDs or entity declarations; they are how XML "billion laughs" bombs and
    external-entity tricks work, so a workbook with one is refused before any XML parser sees it."""
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(member) as stream:
            head = stream.read(8192)
        if _ENTITY.search(head):
            raise NotReadable.of("xlsx.xml_entities", display, part=member.filename)


# Row, cell and reference patterns of SpreadsheetML, with or without a namespace prefix.
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)")
_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s>/])([^>]*)")
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")
_CELL_REF = re.compile(rb"\br=\"\$?([A-Za-z]{1,3})\$?(\d+)\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([^\"]+)\"")
# The same attributes found straight in the tag, for the fast count of a chunk in which every row
# and cell says where it is (what Excel and openpyxl write).
_NUMBERED_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_REFERENCED_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s>/])[^>]*?\br=\"\$?([A-Za-z]{1,3})\$?(\d+)\"")
_LAST_ROW = re.compile(rb".*<(?:\w+:)?row\b[^>]*", re.DOTALL)
_MAX_CARRY = 4 * 1024 * 1024


def _check_sheets(archive: zipfile.ZipFile, display: str) -> None:
    names = _sheet_names(archive)
    total = 0
    for member in archive.namelist():
        if not (member.startswith("xl/worksheets/") and member.endswith(".xml")) or "/_rels/" in member:
            continue
        sheet = names.get(member, posixpath.basename(member))
        rows, columns, cells, dimension = _scan_sheet(archive, member)
        reach = Phrase.of("phrase.reaches", dimension=dimension) if dimension else ""
        if rows > MAX_ROWS:
            raise NotReadable.of("sheet.too_many_rows", display, sheet, rows=rows, reach=reach, limit=MAX_ROWS)
        if columns > MAX_COLUMNS:
            raise NotReadable.of("sheet.too_many_columns", display, sheet, columns=columns, reach=reach,
                                 limit=MAX_COLUMNS)
        if cells > MAX_CELLS:
            raise NotReadable.of("sheet.too_many_cells", display, sheet, cells=cells, limit=MAX_CELLS)
        total += cells
    check_cells(total, display)


def _scan_sheet(archive: zipfile.ZipFile, member: str) -> tuple[int, int, int, str]:
    """(rows, columns, cells, extent) of a sheet from its XML, streamed: the largest row number or
    count of row elements, the largest column (letter or count of cells in a row), the number of
    cell elements. The <dimension> element is not trusted: writers omit it or get it wrong."""
    max_row = row_count = max_col = cells = 0
    cells_in_row = 0
    dimension = ""
    carry = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(1 << 20)
            buffer = carry + chunk
            if not buffer:
                break
            # Complete tags only: what follows the last ">" is carried to the next chunk.
            cut = len(buffer) if not chunk else buffer.rfind(b">") + 1
            if cut == 0 and len(buffer) > _MAX_CARRY:
                cut = len(buffer)  # no tag end in a megabyte: not XML worth carrying
            part, carry = buffer[:cut], buffer[cut:]
            if not dimension and (match := _DIMENSION.search(part)):
                dimension = match.group(1).decode("ascii", "replace")
            counted = _count_numbered(part)
            if counted is not None:  # every row and cell numbered: counted without a Python loop
                chunk_rows, chunk_max_row, chunk_cells, chunk_max_col, cells_after_last_row = counted
                row_count += chunk_rows
                cells += chunk_cells
                max_row, max_col = max(max_row, chunk_max_row), max(max_col, chunk_max_col)
                cells_in_row = cells_after_last_row if chunk_rows else cells_in_row + chunk_cells
                if not chunk:
                    break
                continue
            events = [(m.start(), True, m.group(1)) for m in _ROW.finditer(part)]
            events += [(m.start(), False, m.group(1)) for m in _CELL.finditer(part)]
            events.sort(key=lambda e: e[0])
            for _, is_row, attributes in events:
                if is_row:
                    row_count += 1
                    cells_in_row = 0
                    number = _ROW_NUMBER.search(attributes)
                    max_row = max(max_row, int(number.group(1)) if number else row_count)
                else:
                    cells += 1
                    cells_in_row += 1
                    ref = _CELL_REF.search(attributes)
                    if ref:
                        max_col = max(max_col, column_index_from_string(ref.group(1).decode("ascii").upper()))
                        max_row = max(max_row, int(ref.group(2)))
                    else:
                        max_col = max(max_col, cells_in_row)
            if not chunk:
                break
    rows = max(max_row, row_count)
    extent = f"cell {get_column_letter(max_col)}{rows}" if rows and max_col else ""
    return rows, max_col, cells, extent


def _count_numbered(part: bytes) -> tuple[int, int, int, int, int] | None:
    """(rows, largest row number, cells, largest column, cells after the last row tag) of a piece of
    sheet XML in which every row and every cell carries its number, else None (the caller then
    walks the tags one by one). A million empty formatted rows are counted in a second this way."""
    rows = len(_ROW.findall(part))
    numbers = _NUMBERED_ROW.findall(part)
    references = _REFERENCED_CELL.findall(part)
    cells = len(_CELL.findall(part))
    if len(numbers) != rows or len(references) != cells:
        return None
    largest_row = max(map(int, numbers), default=0)
    largest_col = 0
    if references:
        largest_row = max(largest_row, max(int(row) for _, row in references))
        largest_col = max(column_index_from_string(letters.decode("ascii").upper())
                          for letters in {letters for letters, _ in references})
    last = _LAST_ROW.match(part)
    after = len(_CELL.findall(part, last.end())) if last else cells
    return rows, largest_row, cells, largest_col, after


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip member -> sheet name, from xl/workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    names = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            if rid in targets:
                names[targets[rid]] = element.get("name", "")
    return names
