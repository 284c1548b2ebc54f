"""``reports/index.html``: every rendered period with its plan, disbursed and rate, its report,
workbook and Word draft, and each unit's scorecard with the unit's rate
(``data/templates/index.html.j2``).

The figures come from the renders' fingerprint records (written by :mod:`.execute`), so the index
loads no data. Every word is a label of the index's language, whatever language the reports were
rendered in.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..domain.labels import label
from ..domain.notation import amount, percent
from ..domain.periods import is_period, label as period_label
from ..domain.text import vietnamese_sort_key
from ..report.format import header
from ..report.page import page
from ..store import atomic
from .execute import NOTICE, SUMMARY
from .jobs import FINGERPRINT, REPORT


def rendered(folder: Path) -> list[dict]:
    """The fingerprint records of the renders whose HTML is in ``folder``, report first."""
    records = []
    for fp in sorted(folder.glob(f"*{FINGERPRINT}")):
        try:
            record = json.loads(fp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (folder / f"{record.get('stem', '')}.html").exists():
            records.append(record)
    return sorted(records, key=lambda r: (r["stem"] != REPORT, r.get("title", "")))


def _figures(record: dict, lang: str) -> dict:
    figures = record.get("figures") or {}
    return {"plan": amount(figures.get("plan_vnd"), lang), "disbursed": amount(figures.get("disbursed_vnd"), lang),
            "rate": percent(figures.get("financial_rate"), lang)}


def write_index(reports_dir: Path, lang: str = "vi") -> Path:
    """Write ``reports/index.html`` (atomically) and return its path."""
    folders = sorted((p for p in reports_dir.iterdir() if p.is_dir() and is_period(p.name)), reverse=True) \
        if reports_dir.is_dir() else []
    periods = []
    for folder in folders:
        records = rendered(folder)
        if not records:
            continue
        report = next((r for r in records if r["stem"] == REPORT), None)
        documents = [{"href": f"{folder.name}/{name}", "title": label(key, lang)}
                     for name, key in ((SUMMARY, "index.summary"), (NOTICE, "index.notice"))
                     if (folder / name).exists()]
        cards = [{"href": f"{folder.name}/{r['stem']}.html", "code": r["stem"],
                  "name": (r.get("figures") or {}).get("unit_name") or r["stem"], **_figures(r, lang)}
                 for r in records if r["stem"] != REPORT]
        cards.sort(key=lambda c: vietnamese_sort_key(c["name"]))
        periods.append({"period": folder.name, "label": period_label(folder.name, lang),
                        "report": f"{folder.name}/{REPORT}.html" if report else "",
                        "figures": _figures(report, lang) if report else None,
                        "documents": documents, "cards": cards})
    headers = {key: header(column, lang) for key, column in (
        ("period", "period"), ("plan", "plan_vnd"), ("disbursed", "disbursed_vnd"), ("rate", "financial_rate"),
        ("unit", "unit_name"))}
    target = reports_dir / "index.html"
    html = page("", label("index.title", lang), lang, template="index.html.j2",
                heading=label("index.heading", lang), periods=periods, empty=label("index.empty", lang),
                headers=headers, caption=label("index.caption", lang), periods_title=label("index.periods", lang),
                report_title=label("index.report", lang), cards_title=label("index.scorecards", lang),
                no_cards=label("index.no_scorecards", lang))
    atomic.write_text(target, html)
    return target
