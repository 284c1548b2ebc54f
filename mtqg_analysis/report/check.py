"""What ``mtqg check`` says about a commune's file, as lines in the reader's language: grouped by
file and sheet, each with its place ("Ô G14", "Dòng 12"), what is wrong and what to do.

The errors are those cleaning would refuse the file for, worded in the reader's language from
``data/errors.csv`` (each says what to do); a file that cannot be read at all is a
``file_not_read`` finding that gives its own reason the same way. The findings are worded from
``data/findings.csv`` as the report words them (:mod:`.findings`), with the ``advice`` line of
their check. The same lines print on screen and fill the one-page HTML
(``data/templates/check.html.j2``) a district sends back.
"""
from __future__ import annotations

import re

import pandas as pd

from ..domain.catalog import Catalog
from ..domain.labels import fill, label
from ..domain.periods import label as period_label
from .findings import details_of, finding_message, finding_name, wording
from .page import page

LINE_COLUMNS = ["file", "sheet", "row", "place", "kind", "name", "message", "advice"]
_LETTERS = re.compile(r"^([A-Z]{1,3})\b")
_HEADER_ONLY = re.compile(r"^\((.*)\)$")  # a CSV column: its header, no letter ("(Đơn vị)")


def _place(row, column: str, lang: str) -> str:
    """"Ô G14" for a cell, "Dòng 12, cột Đơn vị" for a column named by its header, "Dòng 12" for a
    row, "Cột G" for a whole column; "" for a whole file or sheet."""
    column = (column or "").strip()
    column = _HEADER_ONLY.sub(r"\1", column).strip()
    has_row = not (row is None or pd.isna(row) or str(row) == "")
    letters = _LETTERS.match(column)
    if not has_row:
        return fill("check.column_only", lang, column=letters[1] if letters else column) if column else ""
    if letters:
        return fill("check.cell", lang, cell=f"{letters[1]}{int(row)}")
    return fill("check.row_column", lang, row=int(row), column=column) if column else fill("check.row", lang, row=int(row))


def _error_line(error, lang: str, advice: str) -> dict:
    """An error (or the reason a file cannot be read) as a line: its place and its text in ``lang``."""
    return {"file": error.file, "sheet": error.sheet, "row": error.row, "place": _place(error.row, error.column, lang),
            "message": error.text(lang), "advice": advice}


def check_lines(errors: list, findings: pd.DataFrame, catalog: Catalog, lang: str = "vi",
                not_read: list = ()) -> pd.DataFrame:
    """One line per error (``InputError``) and finding (spec §4.2 columns): errors first, then
    warnings, then information, in the order of the file. ``not_read``: the errors of the files
    that cannot be read (``NotReadable``): a report file's ``file_not_read`` finding then says why
    (another kind of file keeps the finding's wording: a signed PDF, a photo)."""
    words = wording(lang)
    advice = {key: text for (kind, key), text in words.items() if kind == "advice"}
    lines = [{**_error_line(e, lang, advice["error"] if e.row is not None else label("check.error_advice", lang)),
              "rank": 0, "kind": label("check.error", lang), "name": ""} for e in errors]
    why = {e.file: e for e in not_read}
    for record in findings.to_dict("records"):
        check = str(record["check"])
        if check == "file_not_read" and record["source_file"] in why and details_of(record["details"]).get("variant") == "report":
            lines.append({**_error_line(why[record["source_file"]], lang, advice.get(check, "")), "rank": 1,
                          "kind": words.get(("word", record["severity"]), record["severity"]),
                          "name": finding_name(check, lang)})
            continue
        details = details_of(record.get("details", ""))
        row = record.get("source_row")
        lines.append({"file": record["source_file"], "sheet": record["source_sheet"],
                      "row": None if pd.isna(row) else int(row),
                      "place": _place(row, str(details.get("column", "") or ""), lang),
                      "rank": 1 if record["severity"] == "warning" else 2,
                      "kind": words.get(("word", record["severity"]), record["severity"]),
                      "name": finding_name(check, lang),
                      "message": finding_message(check, details, str(record.get("message", "")), lang, catalog),
                      "advice": advice.get(check, "")})
    frame = pd.DataFrame(lines, columns=LINE_COLUMNS + ["rank"])
    frame["_row"] = pd.to_numeric(frame["row"], errors="coerce").fillna(0)
    frame = frame.sort_values(["file", "sheet", "rank", "_row"], kind="stable")
    return frame.drop(columns=["rank", "_row"]).reset_index(drop=True)


def verdict(errors: int, findings: int, refused: bool, lang: str = "vi") -> str:
    """The last line: refused, accepted with findings, or ready to send."""
    if refused:
        return fill("check.refused", lang, errors=errors, findings=findings)
    return fill("check.findings", lang, findings=findings) if findings else label("check.clean", lang)


def context_line(period, previous, lang: str = "vi", processed: bool = True) -> str:
    """Under which period's rules the files were checked, and with which earlier period compared
    (``previous``: the year's period before ``period``; ``processed``: whether the office has
    cleaned it, without which there is nothing to compare with)."""
    if previous is None:
        return fill("check.not_compared", lang, label=period_label(period, lang))
    if not processed:
        return fill("check.previous_not_processed", lang, label=period_label(period, lang),
                    previous=period_label(previous, lang), code=str(previous))
    return fill("check.compared", lang, label=period_label(period, lang), previous=period_label(previous, lang))


def _groups(lines: pd.DataFrame, lang: str) -> list[dict]:
    groups = []
    for (file, sheet), part in lines.groupby(["file", "sheet"], sort=False):
        groups.append({"file": fill("check.file", lang, file=file) if file else label("check.whole_file", lang),
                       "sheet": fill("check.sheet", lang, sheet=sheet) if sheet else "",
                       "lines": part.to_dict("records")})
    return groups


def check_text(lines: pd.DataFrame, summary: str, context: str, lang: str = "vi") -> str:
    """The lines as plain text, indented by file and sheet (what ``mtqg check`` prints)."""
    out = [context]
    for group in _groups(lines, lang):
        out.append(group["file"])
        if group["sheet"]:
            out.append(f"  {group['sheet']}")
        for line in group["lines"]:
            head = " ".join(part for part in (line["place"] + ":" if line["place"] else "", f"[{line['kind']}]",
                                              line["name"] + ":" if line["name"] else "") if part)
            out.append(f"    {head} {line['message']}" + (f" — {line['advice']}" if line["advice"] else ""))
    out.append(summary)
    return "\n".join(out) + "\n"


def check_page(lines: pd.DataFrame, summary: str, context: str, period, lang: str = "vi") -> str:
    """The same as one self-contained HTML page (``data/templates/check.html.j2``)."""
    title = fill("check.title", lang, label=period_label(period, lang))
    headers = {key: label(f"check.column.{key}", lang) for key in ("place", "kind", "message")}
    return page("", title, lang, template="check.html.j2", heading=title, context=context, summary=summary,
                groups=_groups(lines, lang), headers=headers, advice_title=label("check.advice", lang))
