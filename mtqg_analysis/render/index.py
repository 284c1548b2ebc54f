"""``reports/index.html``: every rendered phase summary, and every rendered period with its plan,
disbursed and rate, its report, workbook and Word draft, and each unit's scorecard with the unit's
rate (``data/templates/index.html.j2``), under the programme's name.

The figures come from the renders' fingerprint records (written by :mod:`.execute`), so the index
loads no data. Every word is a label of the index's language, whatever language the reports were
rendered in.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..domain.catalog import packaged_catalog
from ..domain.labels import fill, label
from ..domain.notation import amount, percent
from ..domain.periods import is_period, is_phase, label as period_label, parse_period, parse_phase, phase_label
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
    """Write ``reports/index.html`` (atomically) and return its path: phase summaries first (latest
    phase first), then periods, newest first."""
    folders = [p for p in reports_dir.iterdir() if p.is_dir()] if reports_dir.is_dir() else []
    phases = sorted((p for p in folders if is_phase(p.name)), key=lambda p: parse_phase(p.name), reverse=True)
    periods_ = sorted((p for p in folders if is_period(p.name)), key=lambda p: parse_period(p.name), reverse=True)
    periods, programme = [], ""
    for folder in phases + periods_:
        records = rendered(folder)
        if not records:
            continue
        programme = programme or next((r["programme"] for r in records if r.get("programme")), "")
        report = next((r for r in records if r["stem"] == REPORT), None)
        if is_phase(folder.name):
            periods.append({"period": folder.name, "label": phase_label(folder.name, lang),
                            "report": f"{folder.name}/{REPORT}.html" if report else "", "figures": None,
                            "documents": [], "cards": [], "phase": True})
            continue
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
    heading = fill("index.heading", lang, programme=programme or packaged_catalog().programme_name(lang))
    html = page("", label("index.title", lang), lang, template="index.html.j2",
                heading=heading, periods=periods, empty=label("index.empty", lang),
                headers=headers, caption=label("index.caption", lang), periods_title=label("index.periods", lang),
                report_title=label("index.report", lang), cards_title=label("index.scorecards", lang),
                no_cards=label("index.no_scorecards", lang))
    atomic.write_text(target, html)
    return target
