"""Tidy CSV reports (spec §3.2): one row per unit and line, Vietnamese or English headers.

The header words are data (``data/csv_headers.csv``); an amount header may name its money unit
("Kế hoạch vốn (đồng)").
"""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

from ..domain import csv_text, resources
from ..domain.text import fold, normalize
from ..errors import InputError
from .header import money_unit_of
from .raw import DEFAULT_DONG_PER_UNIT, Column, RawTable, raw_frame


@lru_cache(maxsize=None)
def csv_header_words() -> dict[str, str]:
    table = resources.table("csv_headers.csv")
    return {fold(w): c for w, c in zip(table["word"], table["column"])}


_UNIT_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)\s*$")


def read_csv(path: Path, display: str) -> RawTable:
    """A tidy CSV (spec §3.2): encoding and delimiter detected, headers in Vietnamese or English."""
    text = csv_text.decode(path.read_bytes(), display)
    reader = csv.reader(io.StringIO(text), delimiter=csv_text.delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError.of("csv.empty", display) from None
    columns: dict[str, Column] = {}
    dong_per_unit: dict[str, int] = {}
    positions: dict[str, int] = {}
    for i, raw_name in enumerate(header):
        name = normalize(raw_name)
        unit = None
        match = _UNIT_SUFFIX.match(name)
        if match and money_unit_of(match["unit"]) is not None:
            name, unit = match["name"], money_unit_of(match["unit"])
        role = csv_header_words().get(fold(name))
        if role is None or role in positions:
            continue
        key = {"plan_amount": "plan||", "disbursed_amount": "done||"}.get(role, role)
        positions[key] = i
        columns[key] = Column(key, normalize(raw_name), "")
        if key in ("plan||", "done||"):
            dong_per_unit[key] = unit or DEFAULT_DONG_PER_UNIT
    missing = [label for key, label in (("unit", "Đơn vị / unit"), ("line", "Mã nội dung / line"),
                                        ("plan||", "Kế hoạch vốn / plan_amount"),
                                        ("done||", "Giải ngân / disbursed_amount")) if key not in columns]
    if missing:
        raise InputError.of("csv.missing_columns", display, "", 1, missing=missing)
    body: dict[str, list] = {key: [] for key in columns}
    source_rows = []
    for line_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        for key, i in positions.items():
            body[key].append(values[i] if i < len(values) else None)
        source_rows.append(line_number)
    frame = raw_frame(source_rows, body)
    return RawTable(kind="csv", file=display, sheet="", rows=frame, columns=columns, dong_per_unit=dong_per_unit)
