"""Data-quality findings (spec §4.2) as a reader sees them, in the report's language.

``quality.csv`` keeps each finding's figures as structured values (its ``details`` column: a JSON
object with amounts in đồng, rates as fractions, and a ``variant``); the words come from
``data/findings.csv``, one line per finding name, message template and word, in Vietnamese and
English::

    kind,key,vi,en
    name,subtotal_mismatch,Dòng tổng không khớp,Subtotal mismatch
    message,subtotal_mismatch.subtotal,"Dòng cộng của {line_name}: {what} ghi {stated_vnd} triệu đồng ...",...
    word,plan,kế hoạch vốn,plan

A check's message is the template ``<check>.<variant>``, else ``<check>``; its placeholders are the
keys of ``details``, shown by their suffix as the tables show columns (``*_vnd`` in triệu đồng,
``*_rate`` as a percentage, ``*_qty`` as a quantity, ``*_period`` as the period's label); a
``line`` also gives ``line_name``; a value that is a ``word`` is translated. A check with no
template (a new check whose wording is not written yet) gets the template ``*``: in Vietnamese a
sentence pointing to ``quality.csv``, in English its stored message. So a new check gets its
wording by adding lines to ``findings.csv``, never by changing this module.
"""
from __future__ import annotations

import json
import string
from functools import lru_cache

import pandas as pd

from ..domain import notation, resources
from ..domain.catalog import Catalog, load_catalog
from ..domain.labels import check_lang, fill
from ..domain.periods import is_period, label as period_label
from ..domain.units import Units
from .format import short_line_name

ANY = "*"


@lru_cache(maxsize=None)
def wording(lang: str = "vi") -> dict[tuple[str, str], str]:
    """``{(kind, key): text}`` of ``data/findings.csv`` in ``lang``."""
    table = resources.table("findings.csv")
    return {(k, key): text for k, key, text in zip(table["kind"], table["key"], table[check_lang(lang)])}


def _shown(key: str, value, lang: str, catalog: Catalog):
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if key.endswith("_vnd"):
        return notation.amount(int(value), lang)
    if key.endswith("_rate"):
        return notation.percent(value, lang)
    if key.endswith("_qty"):
        return notation.quantity(value, lang)
    if key.endswith("_period") and is_period(value):
        return period_label(value, lang)
    if isinstance(value, (int, float)):
        return notation.decimal_text(value, 3, lang)
    return wording(lang).get(("word", str(value)), str(value))


def details_of(text) -> dict:
    """The ``details`` of a finding as a dict ({} when empty or not JSON)."""
    if not isinstance(text, str) or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _Strict(dict):
    def __missing__(self, key):
        raise KeyError(key)


def finding_name(check: str, lang: str = "vi") -> str:
    words = wording(lang)
    return words.get(("name", check)) or words[("name", ANY)].format(check=check)


def finding_message(check: str, details, message: str = "", lang: str = "vi",
                    catalog: Catalog | None = None) -> str:
    """One finding's message in ``lang`` (see the module's docstring)."""
    words = wording(lang)
    values = details if isinstance(details, dict) else details_of(details)
    variant = str(values.get("variant", "") or "")
    template = words.get(("message", f"{check}.{variant}")) if variant else None
    template = template or words.get(("message", check))
    cat = catalog if catalog is not None else load_catalog()
    shown = {key: _shown(key, value, lang, cat) for key, value in values.items()}
    line = str(values.get("line", "") or "")
    shown["line_name"] = short_line_name(line, cat, lang) if line in cat.frame.index else line
    if template:
        try:
            return string.Formatter().vformat(template, (), _Strict(shown))
        except (KeyError, IndexError, ValueError):
            pass  # details that do not fit the template: the generic wording below
    return words[("message", ANY)].format(message=message, check=check)


def where(row, lang: str = "vi") -> str:
    """Where a finding is: file, sheet, row, as far as known."""
    parts = []
    if row.get("source_file"):
        parts.append(str(row["source_file"]))
    if row.get("source_sheet"):
        parts.append(fill("where.sheet", lang, sheet=row["source_sheet"]))
    if pd.notna(row.get("source_row")) and str(row.get("source_row")) != "":
        parts.append(fill("where.row", lang, row=int(row["source_row"])))
    return ", ".join(parts)


FINDING_COLUMNS = ["severity", "check", "unit_name", "name", "message", "where"]


def findings_table(quality: pd.DataFrame, units: Units | None = None, catalog: Catalog | None = None,
                   lang: str = "vi") -> pd.DataFrame:
    """The findings as the report shows them: severity and name in words, the unit's and the
    line's names, the message in ``lang``, and where to look; warnings first."""
    cat = catalog if catalog is not None else load_catalog()
    words = wording(lang)
    rows = []
    for record in quality.to_dict("records"):
        unit = str(record.get("unit_code") or "")
        line = str(record.get("line_code") or "")
        rows.append({
            "severity": words.get(("word", record.get("severity", "")), record.get("severity", "")),
            "check": finding_name(str(record.get("check", "")), lang),
            "unit_name": units.name(unit) if units is not None and unit in units.frame.index else unit,
            "name": short_line_name(line, cat, lang) if line in cat.frame.index else line,
            "message": finding_message(str(record.get("check", "")), record.get("details", ""),
                                       str(record.get("message", "")), lang, cat),
            "where": where(record, lang),
            "_warning": record.get("severity") != "warning",
        })
    out = pd.DataFrame(rows, columns=FINDING_COLUMNS + ["_warning"])
    return out.sort_values("_warning", kind="stable").drop(columns="_warning").reset_index(drop=True)
