"""Tables as text in the report's notation (spec §5), with headers from ``data/labels.csv``.

A column's kind is told by its name, as the analysis names them: ``*_vnd`` amounts in triệu đồng,
``*_rate`` and ``share_*`` percentages, ``*_qty`` quantities, ``gap`` rate points, ``rank`` and
``size`` whole numbers. Every header is the ``column.<name>`` label.
"""
from __future__ import annotations

import pandas as pd

from ..domain import notation
from ..domain.labels import check_lang, labels
from ..domain.periods import label as period_label

#: Text columns that list names: empty means "none", shown as a dash.
LIST_COLUMNS = {"full", "none"}
INTEGER_COLUMNS = {"rank", "size", "findings", "warnings", "info", "warning", "total"}


def column_kind(column: str) -> str:
    name = str(column)
    if name.endswith("_vnd") or name.endswith("_vnd_change"):
        return "amount"
    if name.endswith("_rate") or name.startswith("share_"):
        return "rate"
    if name.endswith("_qty") or name.endswith("_qty_change"):
        return "quantity"
    if name == "gap":
        return "points"
    if name in INTEGER_COLUMNS:
        return "integer"
    if name == "period":
        return "period"
    return "text"


def is_numeric(column: str) -> bool:
    return column_kind(column) not in ("text", "period")


def cell_text(value, kind: str, lang: str = "vi") -> str:
    if kind == "amount":
        return notation.amount(value, lang)
    if kind == "rate":
        return notation.percent(value, lang)
    if kind == "quantity":
        return notation.quantity(value, lang)
    if kind == "points":
        return notation.points(value, lang)
    if kind == "integer":
        return notation.decimal_text(value, 0, lang)
    if kind == "period":
        return period_label(value, lang) if value else ""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def header(column: str, lang: str = "vi") -> str:
    """The header of a column: its ``column.<name>`` label, else the name itself."""
    return labels(lang).get(f"column.{column}", str(column))


def column_texts(column: str, values, lang: str = "vi") -> list[str]:
    """``values`` of ``column`` as text in the report's notation (see :func:`column_kind`)."""
    kind = column_kind(column)
    texts = [cell_text(v, kind, lang) for v in values]
    return [v or notation.DASH for v in texts] if column in LIST_COLUMNS else texts


def formatted_columns(frame: pd.DataFrame, lang: str = "vi",
                      headers: dict | None = None) -> tuple[list[str], list[list[str]]]:
    """The headers of ``frame``'s columns in the report's language (``headers`` overrides some)
    and each column's values as text in the report's notation."""
    check_lang(lang)
    names = [(headers or {}).get(c) or header(c, lang) for c in frame.columns]
    return names, [column_texts(c, frame[c].tolist(), lang) for c in frame.columns]


def formatted(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with every value as text in the report's notation and the headers in
    the report's language (``headers`` overrides some)."""
    names, texts = formatted_columns(frame, lang, headers)
    # one frame made from lists: setting its columns one by one cost more than the formatting
    out = pd.DataFrame(dict(enumerate(texts)), index=frame.index, columns=range(len(texts)))
    out.columns = names
    return out


def short_line_name(code: str, catalog, lang: str = "vi") -> str:
    """A line's name as a list gives it: a project by its whole name, any other line without its
    code words ("Nội dung số 02: Hỗ trợ nhà ở" -> "Hỗ trợ nhà ở")."""
    name = catalog.name(code, lang)
    if catalog.level(code) == "project" or ":" not in name:
        return name
    return name.split(":", 1)[1].strip()


#: What the report shows of the tables of :mod:`mtqg_analysis.analysis`, in order: names before
#: codes, as an annex gives them.
LEVEL_COLUMNS = ["name", "code", "measure_unit", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd",
                 "financial_rate", "physical_rate"]
RANKING_COLUMNS = ["rank", "unit_name", "unit_code", "plan_vnd", "disbursed_vnd", "financial_rate"]
LAGGING_COLUMNS = ["name", "code", "plan_vnd", "disbursed_vnd", "financial_rate", "district_rate", "gap"]
TRAJECTORY_COLUMNS = ["period", "plan_vnd", "disbursed_vnd", "financial_rate"]
CHANGE_COLUMNS = ["name", "code", "plan_vnd_change", "disbursed_vnd_change", "done_qty_change"]
#: Beside the combined financial rate where the reports split off carried-over capital (spec §5).
CAPITAL_COLUMNS = ["own_financial_rate", "carried_financial_rate"]


def level_columns(carried: bool) -> list[str]:
    """The columns of the tables by catalog level: with the own-year and carried-over rates when
    the period has carried-over capital."""
    return LEVEL_COLUMNS + CAPITAL_COLUMNS if carried else list(LEVEL_COLUMNS)
