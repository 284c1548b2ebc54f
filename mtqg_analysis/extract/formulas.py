"""Formulas without cached values: the subtotal rows of a workbook written by a script.

Excel saves every formula with its last computed value, and the reader takes that value
(openpyxl ``data_only=True``). A workbook written by a program (openpyxl, a district's own macro
exporter) has the formula only: ``=SUM(E8:E12)`` and no value. For those cells the reader loads
the workbook a second time with formulas and computes the few forms that commune sheets use:

- numbers, cell references (``E8``, ``$E$8``, ``'TT Phủ Thông'!E8`` on the same sheet),
- ``+`` and ``-`` (also unary), parentheses,
- ``SUM`` over ranges and lists (``SUM(E8:E12)``, ``SUM(E8,E10,E12:E14)``).

Anything else (other functions, ``*``/``/``, other sheets, other workbooks) raises
:class:`UnsupportedFormula` naming the formula, so that the user can open the file in Excel and
save it (which stores the values). :func:`needs_formulas` tells, cheaply and without openpyxl,
whether a file has any formula without a cached value at all.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, get_column_letter

MAX_CELLS = 1_000_000  # cells one formula may read in all (ranges included)
MAX_DEPTH = 50  # formulas referring to formulas referring to ...


class UnsupportedFormula(ValueError):
    """A formula this package does not compute; the message names it and says why."""

    def __init__(self, formula: str, reason: str, **values):
        from ..errors import Phrase

        self.formula = formula
        self.reason = Phrase(reason, values)  # a key of data/errors.csv, like the message
        super().__init__(Phrase.of("formula.unsupported", formula=formula, reason=self.reason).text("en"))


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<ref>(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*)!)?
              \$?(?P<col1>[A-Za-z]{1,3})\$?(?P<row1>\d{1,7})
              (?::\$?(?P<col2>[A-Za-z]{1,3})\$?(?P<row2>\d{1,7}))?)(?![\w(])
    | (?P<func>[A-Za-z][A-Za-z0-9.]*)\s*\(
    | (?P<op>[-+(),])
    | (?P<string>"(?:[^"]|"")*")
    | (?P<other>\S)
    )""", re.VERBOSE)


def _tokens(formula: str) -> list[tuple[str, object]]:
    body = formula[1:] if formula.startswith("=") else formula
    tokens, pos = [], 0
    body = body.rstrip()
    while pos < len(body):
        match = _TOKEN.match(body, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        kind = match.lastgroup
        if kind == "number":
            tokens.append(("number", float(match["number"])))
        elif match["ref"] is not None:
            sheet = match["sheet"]
            if sheet and sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            first = (column_index_from_string(match["col1"].upper()), int(match["row1"]))
            last = (column_index_from_string(match["col2"].upper()), int(match["row2"])) if match["col2"] else None
            tokens.append(("ref", (sheet, first, last)))
        elif match["func"] is not None:
            tokens.append(("func", match["func"].upper()))
        elif match["op"] is not None:
            tokens.append(("op", match["op"]))
        elif match["string"] is not None:
            tokens.append(("other", "text in quotes"))
        else:
            tokens.append(("other", f"'{match['other']}'"))
    return tokens


def evaluate(formula: str, get_value: Callable[[str], object], sheet: str | None = None,
             _depth: int = 0, _seen: frozenset = frozenset()) -> float:
    """The value of ``formula`` ("=SUM(E8:E12)"), reading cells through ``get_value("E8")``.

    ``get_value`` returns a cell's content: a number, None or "" (counted as 0), text, or another
    formula (computed in turn). ``sheet`` is the formula's own sheet: references to it by name
    are allowed, references to other sheets are not.
    """
    if _depth > MAX_DEPTH:
        raise UnsupportedFormula(formula, "formula.too_deep", limit=MAX_DEPTH)
    tokens = _tokens(formula)
    budget = [MAX_CELLS]
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else (None, None)

    def take():
        nonlocal position
        token = peek()
        position += 1
        return token

    def cell(coordinate: str, in_sum: bool) -> float:
        budget[0] -= 1
        if budget[0] < 0:
            raise UnsupportedFormula(formula, "formula.too_many_cells", limit=MAX_CELLS)
        if coordinate in _seen:
            raise UnsupportedFormula(formula, "formula.circular", cell=coordinate)
        value = get_value(coordinate)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return 0.0
        if isinstance(value, bool):
            if in_sum:
                return 0.0  # SUM ignores logical values in ranges, as Excel does
            return float(value)
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str) and value.startswith("="):
            return evaluate(value, get_value, sheet, _depth + 1, _seen | {coordinate})
        if in_sum:
            return 0.0  # SUM ignores text in ranges, as Excel does
        raise UnsupportedFormula(formula, "formula.text_cell", cell=coordinate, value=value)

    def reference(ref, in_sum: bool) -> float:
        ref_sheet, first, last = ref
        if ref_sheet is not None and (sheet is None or ref_sheet.casefold() != sheet.casefold()):
            raise UnsupportedFormula(formula, "formula.other_sheet", sheet=ref_sheet)
        if last is None:
            return cell(f"{get_column_letter(first[0])}{first[1]}", in_sum)
        if not in_sum:
            raise UnsupportedFormula(formula, "formula.range_outside_sum")
        (c1, r1), (c2, r2) = first, last
        c1, c2 = sorted((c1, c2))
        r1, r2 = sorted((r1, r2))
        if (c2 - c1 + 1) * (r2 - r1 + 1) > MAX_CELLS:
            raise UnsupportedFormula(formula, "formula.range_too_large", limit=MAX_CELLS)
        return sum(cell(f"{get_column_letter(c)}{r}", True) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))

    def expression(in_sum: bool = False) -> float:
        total = term(in_sum)
        while peek() in (("op", "+"), ("op", "-")):
            sign = take()[1]
            value = term(in_sum)
            total = total + value if sign == "+" else total - value
        return total

    def term(in_sum: bool) -> float:
        kind, value = take()
        if (kind, value) in (("op", "-"), ("op", "+")):
            operand = term(in_sum)
            return -operand if value == "-" else operand
        if kind == "number":
            return value
        if kind == "ref":
            return reference(value, in_sum and peek() in (("op", ","), ("op", ")")))
        if kind == "op" and value == "(":
            inner = expression(in_sum)
            if take() != ("op", ")"):
                raise UnsupportedFormula(formula, "formula.unclosed")
            return inner
        if kind == "func":
            if value != "SUM":
                raise UnsupportedFormula(formula, "formula.function", name=value)
            total = 0.0
            if peek() == ("op", ")"):
                take()
                return total
            while True:
                total += expression(in_sum=True)
                separator = take()
                if separator == ("op", ")"):
                    return total
                if separator[0] == "other":
                    raise UnsupportedFormula(formula, "formula.token", token=separator[1])
                if separator != ("op", ","):
                    raise UnsupportedFormula(formula, "formula.sum_unclosed")
        if kind is None:
            raise UnsupportedFormula(formula, "formula.ends_early")
        if kind == "other":
            raise UnsupportedFormula(formula, "formula.token", token=value)
        raise UnsupportedFormula(formula, "formula.token_here", token=value)

    if not tokens:
        raise UnsupportedFormula(formula, "formula.empty")
    result = expression()
    if position != len(tokens):
        kind, value = tokens[position]
        if kind == "other":
            raise UnsupportedFormula(formula, "formula.operator", token=value)
        raise UnsupportedFormula(formula, "formula.only")
    return result


# --- which files need it ----------------------------------------------------------------------------
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def needs_formulas(path: str | Path) -> bool:
    """Whether any cell of the workbook has a formula without a stored (cached) value.

    Reads the sheet XML inside the .xlsx as a stream: no openpyxl, constant memory. A file that
    is not a readable workbook gives False (the reader reports it when it opens it).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = [n for n in archive.namelist()
                      if n.startswith("xl/worksheets/") and n.endswith(".xml") and "/_rels/" not in n]
            for name in sheets:
                if _has_formula_tag(archive, name) and _has_formula_without_value(archive, name):
                    return True
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError):
        return False
    return False


def _has_formula_tag(archive: zipfile.ZipFile, name: str) -> bool:
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _has_formula_without_value(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        with archive.open(name) as stream:
            for _, element in ElementTree.iterparse(stream, events=("end",)):
                if _local(element.tag) != "c":
                    if _local(element.tag) == "row":
                        element.clear()
                    continue
                has_formula = has_value = False
                for child in element:
                    local = _local(child.tag)
                    if local == "f":
                        has_formula = True
                    elif local == "v" and (child.text or "").strip():
                        has_value = True
                if has_formula and not has_value:
                    return True
    except ElementTree.ParseError:
        return False
    return False


# --- a read table ---------------------------------------------------------------------------------
def fill_table(table, formula_sheet, keys=None) -> list:
    """Compute, in ``table.rows`` (a ``RawTable``), the cells that are None in the
    values-only workbook but hold a formula in ``formula_sheet`` (the same sheet loaded with
    ``data_only=False``). ``keys`` limits it to some columns (default: the amount and quantity
    columns). Returns the :class:`~mtqg_analysis.errors.InputError` list of formulas that could
    not be computed, each naming file, sheet, row and column.
    """
    from ..errors import InputError

    frame = table.rows
    keys = keys or [k for k in table.columns if "|" in k or k.endswith("_qty")]
    errors = []

    def get_value(coordinate: str):
        return formula_sheet[coordinate].value

    for key in keys:
        if key not in frame.columns:
            continue
        letter = table.columns[key].letter
        values = frame[key].tolist()
        changed = False
        for i, (row, value) in enumerate(zip(frame["source_row"].tolist(), values)):
            if value is not None and not (isinstance(value, float) and value != value):
                continue
            content = formula_sheet[f"{letter}{int(row)}"].value
            if not (isinstance(content, str) and content.startswith("=")):
                continue
            try:
                values[i] = evaluate(content, get_value, table.sheet, _seen=frozenset({f"{letter}{int(row)}"}))
                changed = True
            except UnsupportedFormula as problem:
                errors.append(InputError.of("formula.unsupported", table.file, table.sheet, int(row), letter,
                                            formula=problem.formula, reason=problem.reason))
        if changed:
            import pandas as pd

            frame[key] = pd.Series(values, index=frame.index, dtype=object)
    return errors
