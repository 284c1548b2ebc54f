"""What the extract stage hands on: the cells of one report sheet or CSV file, untouched."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

DEFAULT_DONG_PER_UNIT = 1_000_000  # spec §3.1: without a unit line, amounts are in triệu đồng


@dataclass
class Column:
    """One recognised column: its role key, Excel letter (or CSV header) and header text."""

    key: str
    letter: str
    header: str

    def describe(self) -> str:
        return f"{self.letter} ({self.header})" if self.header else self.letter


@dataclass
class RawTable:
    """The cells of one report sheet (or one CSV file), untouched, plus what the header says.

    ``rows`` has a ``source_row`` column (1-based) and one object column per recognised role:
    ``stt``, ``label``, ``measure_unit``, ``note``, ``rate``, ``plan_qty``, ``done_qty`` and the
    amount columns ``plan|<capital>|<budget>`` and ``done|<capital>|<budget>`` (empty capital and
    budget for the "Tổng số" column). CSV tables have ``unit``, ``line``, ``capital_type``,
    ``budget_source``, ``plan|amount`` and ``done|amount`` instead.
    """

    kind: str  # "workbook" or "csv"
    file: str  # path relative to data/raw/
    sheet: str
    rows: pd.DataFrame
    columns: dict[str, Column]
    dong_per_unit: int | dict[str, int] = DEFAULT_DONG_PER_UNIT
    unit_hints: list[str] = field(default_factory=list)  # sheet name, then title cells
    rate_is_fraction: pd.Series | None = None  # rate cells with a percent number format
    conversions: list[dict] = field(default_factory=list)  # legacy-encoded cells turned into Unicode
    hidden: bool = False  # a hidden or very hidden sheet (said so where it explains an error)



def raw_frame(source_rows: list[int], body: dict[str, list]) -> pd.DataFrame:
    """Cells exactly as read: object columns (no type inference), plus the 1-based row number."""
    import numpy as np

    block = np.empty((len(source_rows), len(body)), dtype=object)
    for j, values in enumerate(body.values()):
        block[:, j] = values
    frame = pd.DataFrame(block, columns=list(body), dtype=object)  # one block: no per-column inference
    frame.insert(0, "source_row", np.asarray(source_rows, dtype="int64"))
    return frame
